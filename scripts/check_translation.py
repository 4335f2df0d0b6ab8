"""Check that computed values survive translation: build the book through Sphinx's gettext path.

    python scripts/check_translation.py [--out _build/translation] [--language bn]

1. Extract the messages (``-b gettext``), as the Bengali edition will.
2. Write a pseudo-translation: every message becomes ``MARK + message``, markup unchanged, as a
   translator keeps ``{eval}`name``` markers and math as they are.
3. Build the website in that language with ``-W -n --keep-going`` from the stored outputs
   (nothing executes), so a value that is lost in a translated paragraph fails the build with the
   inline_values warning.
4. Check every chapter page: the pseudo-translation was applied, no ``{eval}`` is left, and every
   value stored in the chapter shows in the page.
"""

from __future__ import annotations

import argparse
import html
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import yaml
from babel.messages.pofile import read_po, write_po
from booksite import layout

from relu_notes.inline import stored_text

REPO_ROOT = Path(__file__).resolve().parents[1]
MARK = "⟪tr⟫ "
"""The prefix of every pseudo-translated message: its presence shows the translation was used."""


def _build(config: Path, out: Path, builder: str) -> None:
    command = ["jupyter-book", "build", ".", "--config", str(config), "--path-output", str(out)]
    command += ["-W", "-n", "--keep-going", "--all"]
    if builder != "html":
        command += ["--builder", "custom", "--custom-builder", builder]
    run = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True)
    if run.returncode != 0:
        sys.stdout.write(run.stdout[-8000:])
        sys.stderr.write(run.stderr[-4000:])
        raise SystemExit(f"FAIL: the {builder} build failed")


def write_config(out: Path, language: str | None) -> Path:
    """A copy of _config.yml that renders stored outputs and, if given, uses ``language``."""
    config = yaml.safe_load((REPO_ROOT / "_config.yml").read_text(encoding="utf-8"))
    config["execute"]["execute_notebooks"] = "off"
    local = config["sphinx"]["local_extensions"]
    local.update({name: str(REPO_ROOT / path) for name, path in local.items()})
    if language:
        extra = config["sphinx"]["config"]
        extra.update(language=language, locale_dirs=[str(out / "locale")])
    path = out / f"_config_{language or 'messages'}.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


def pseudo_translate(pot_dir: Path, po_dir: Path) -> int:
    """Write ``MARK + message`` translations of every template; return the messages written."""
    count = 0
    for pot in sorted(pot_dir.glob("**/*.pot")):
        with pot.open("rb") as handle:
            catalog = read_po(handle)
        for message in catalog:
            if message.id:
                message.string = MARK + message.id
                count += 1
        target = po_dir / pot.relative_to(pot_dir).with_suffix(".po")
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("wb") as handle:
            write_po(handle, catalog)
    return count


def page_problems(page, html_dir: Path) -> list[str]:
    """What is wrong with the translated page of one chapter (empty when all is well)."""
    nb = nbformat.read(page.source, as_version=4)
    values = {
        v for cell in nb.cells if cell.cell_type == "markdown" for v in stored_text(cell).values()
    }
    text = html.unescape(re.sub(r"<[^>]+>", " ", (html_dir / page.html).read_text("utf-8")))
    found = []
    if MARK.strip() not in text:
        found.append("no translated message")
    if "{eval}" in text:
        found.append("a raw {eval} role")
    found += [f"value {value!r} missing" for value in sorted(values) if value not in text]
    return found


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "_build" / "translation")
    parser.add_argument("--language", default="bn")
    args = parser.parse_args(argv)
    out = args.out.resolve()
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)

    _build(write_config(out, None), out / "messages", "gettext")
    po_dir = out / "locale" / args.language / "LC_MESSAGES"
    count = pseudo_translate(out / "messages" / "_build" / "gettext", po_dir)
    print(f"pseudo-translated {count} messages into {po_dir}")
    _build(write_config(out, args.language), out / "site", "html")

    html_dir = out / "site" / "_build" / "html"
    failed = False
    for page in layout.read_pages(REPO_ROOT):
        if not page.is_notebook:
            continue
        problems = page_problems(page, html_dir)
        failed |= bool(problems)
        print(f"{page.docname:<28} {'; '.join(problems) or 'translated, every value shown'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
