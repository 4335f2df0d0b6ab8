"""The book's editions: English from ``_config.yml``, Bengali from it plus ``locale/bn``.

The English edition is built at ``_build/html`` and every other edition at
``_build/html/<language>/``, from the same notebooks and the same jupyter-cache (nothing runs
twice). An edition's ``locale/<language>/config.yml`` holds what it changes in ``_config.yml``
(its title and ``language``); its text comes from the gettext catalogues
``locale/<language>/LC_MESSAGES/*.po``.
"""

from __future__ import annotations

import copy
from pathlib import Path

import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
BUILD_DIR = REPO_ROOT / "_build"
CACHE_DIR = BUILD_DIR / ".jupyter_cache"
HTML_DIR = BUILD_DIR / "html"
"""The website: the English edition at its root, every other in ``prefix(language)``."""
LOCALE_DIR = REPO_ROOT / "locale"
_CONFIG = yaml.safe_load((REPO_ROOT / "_config.yml").read_text(encoding="utf-8"))
LANGUAGES = tuple(_CONFIG["sphinx"]["config"]["edition_languages"])
"""Every edition's language, English first (``edition_languages`` in ``_config.yml``)."""
TRANSLATED = LANGUAGES[1:]
"""The languages with an edition besides English, each at ``_build/html/<language>/``."""


def prefix(language: str) -> str:
    """An edition's folder in the site: ``""`` for English, ``"bn/"`` for Bengali."""
    return "" if language == LANGUAGES[0] else f"{language}/"


def _merge(base: dict, overlay: dict) -> dict:
    merged = copy.deepcopy(base)
    for key, value in overlay.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def edition_config(language: str | None, *, execute: str | None = None) -> dict:
    """``_config.yml`` for a build run from another directory.

    ``language`` None is the English text (as the gettext builder reads it). Paths become
    absolute, so the config works from any ``--path-output``; the jupyter-cache is always the
    English build's. ``execute`` overrides ``execute.execute_notebooks`` (``"off"`` renders the
    stored outputs).
    """
    config = copy.deepcopy(_CONFIG)
    if language:
        overlay = LOCALE_DIR / language / "config.yml"
        config = _merge(config, yaml.safe_load(overlay.read_text(encoding="utf-8")))
        config["sphinx"]["config"]["language"] = language
    config["execute"]["cache"] = str(CACHE_DIR)
    if execute:
        config["execute"]["execute_notebooks"] = execute
    local = config["sphinx"]["local_extensions"]
    local.update({name: str(REPO_ROOT / path) for name, path in local.items()})
    extra = config["sphinx"]["config"]
    extra["locale_dirs"] = [str(LOCALE_DIR)]
    extra["html_static_path"] = [str(REPO_ROOT / p) for p in extra.get("html_static_path", [])]
    html = config.setdefault("html", {})
    if "favicon" in html:
        html["favicon"] = str(REPO_ROOT / html["favicon"])
    return config


def write_edition_config(path: Path, language: str | None, **kwargs) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    config = edition_config(language, **kwargs)
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def build_command(config: Path, out: Path, builder: str = "html") -> list[str]:
    """``jupyter-book build`` of the book with ``config`` into ``out/_build/<builder>``."""
    command = ["jupyter-book", "build", str(REPO_ROOT), "--config", str(config)]
    command += ["--path-output", str(out), "-W", "-n", "--keep-going"]
    if builder != "html":
        command += ["--builder", "custom", "--custom-builder", builder]
    return command
