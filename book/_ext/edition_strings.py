"""Sphinx extension: the Bengali edition's own strings for Sphinx and the theme.

Sphinx's Bengali catalogue leaves some messages empty. Python falls back to English for an
empty message, but Sphinx's JavaScript (``Documentation.gettext``) shows the empty string, so the
search page of the Bengali edition said nothing after a search. And the book theme's Bengali
catalogue has no "Contents" (the title of each page's table of contents).

``locale/<language>/LC_MESSAGES/sphinx.po`` holds those strings. Sphinx reads that catalogue
before its own for the Python side; this extension also

- sets the theme's ``toc_title`` to the translation of "Contents" (``config-inited``);
- rewrites ``_static/translations.js`` after the build: an empty message takes the translation
  from ``sphinx.po``, or is dropped so that the English shows (``build-finished``).
"""

from __future__ import annotations

import json
from pathlib import Path

from babel.messages.pofile import read_po


def own_catalogue(app) -> dict[str, str]:
    """The translated messages of ``<locale_dir>/<language>/LC_MESSAGES/sphinx.po``."""
    language = app.config.language
    found: dict[str, str] = {}
    for directory in app.config.locale_dirs:
        path = Path(app.srcdir, directory, language, "LC_MESSAGES", "sphinx.po")
        if path.is_file():
            with path.open("rb") as handle:
                found |= {m.id: m.string for m in read_po(handle) if m.id and m.string}
    return found


def translate_toc_title(app, config) -> None:
    if config.language and config.language != "en":
        title = own_catalogue(app).get("Contents")
        if title:
            config.html_theme_options["toc_title"] = title


def fill_js_translations(app, exception) -> None:
    if exception or app.builder.format != "html" or app.config.language in (None, "en"):
        return
    path = Path(app.outdir, "_static", "translations.js")
    if not path.is_file():
        return
    own = own_catalogue(app)
    text = path.read_text(encoding="utf-8")
    start, end = text.index("(") + 1, text.rindex(")")
    catalogue = json.loads(text[start:end])  # Documentation.addTranslations({...});
    filled = {
        key: own.get(key, value) if value in ("", [], None) else value
        for key, value in catalogue["messages"].items()
    }
    catalogue["messages"] = {k: v for k, v in filled.items() if v not in ("", [], None)}
    body = json.dumps(catalogue, ensure_ascii=False, indent=4)
    path.write_text(text[:start] + body + text[end:], encoding="utf-8")


def setup(app):
    app.connect("config-inited", translate_toc_title)
    app.connect("build-finished", fill_js_translations)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
