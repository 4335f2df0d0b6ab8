"""The Bengali edition's catalogues: extract the English messages, update and check them.

    python scripts/translation.py extract   # _build/gettext/**/*.pot from the English text
    python scripts/translation.py update    # extract, then merge into locale/<lang>/LC_MESSAGES
    python scripts/translation.py check     # extract; fail if a catalogue is not complete

Messages are extracted with Sphinx's gettext builder from the stored notebooks (nothing runs),
one catalogue per page. Outputs are not messages; their alt text is (book/_ext/output_i18n.py).

``update`` runs ``sphinx-intl update``: a new English sentence arrives as an empty message, a
changed one as a *fuzzy* message that keeps the old translation as a draft.

``check`` fails when a message of the English text is missing from its catalogue, empty or
fuzzy, or when a translation does not keep the markup of its message: the same ``{eval}`` values,
roles, inline math, inline code and link targets (in any order). It also lists messages that the
English text no longer has (obsolete ones), which ``update`` removes.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

from babel.messages.pofile import read_po
from booksite.editions import BUILD_DIR, LOCALE_DIR, TRANSLATED, build_command, write_edition_config

POT_DIR = BUILD_DIR / "gettext"
MARKUP = re.compile(
    r"\{[\w:-]+\}`[^`]*`"  # a role: {eval}`name`, {ref}`text <label>`, {cite:t}`key`
    r"|(?<![\\$])\$\$?[^$]+\$\$?"  # inline or display math
    r"|`[^`]+`"  # inline code
    r"|\]\([^)\s]+\)"  # a Markdown link's target
)
"""What a translation must keep exactly as it is in the English message."""
_ROLE_TEXT = re.compile(r"^(\{[\w:-]+\}`)[^`<]*<([^`>]+)>`$")


def markup(text: str) -> Counter:
    """The markup pieces of a message, counted (their order may change in a translation).

    A role's link text may be translated: ``{ref}`below <label>``` counts as ``{ref}`<label>```.
    """
    return Counter(_ROLE_TEXT.sub(r"\1<\2>`", piece) for piece in MARKUP.findall(text))


def extract() -> dict[str, dict[str, object]]:
    """Write the templates to ``_build/gettext``; return ``{catalogue: {message id: message}}``."""
    work = BUILD_DIR / "gettext-build"
    shutil.rmtree(work, ignore_errors=True)
    config = write_edition_config(work / "_config.yml", None, execute="off")
    run = subprocess.run(
        build_command(config, work, "gettext"), capture_output=True, text=True, check=False
    )
    if run.returncode != 0:
        sys.stdout.write(run.stdout[-6000:])
        sys.stderr.write(run.stderr[-4000:])
        raise SystemExit("FAIL: the gettext build failed")
    shutil.rmtree(POT_DIR, ignore_errors=True)
    shutil.copytree(work / "_build" / "gettext", POT_DIR)
    return {
        str(pot.relative_to(POT_DIR).with_suffix("")): _messages(pot)
        for pot in sorted(POT_DIR.glob("**/*.pot"))
    }


def _messages(path: Path) -> dict[str, object]:
    with path.open("rb") as handle:
        return {message.id: message for message in read_po(handle) if message.id}


def catalogue_problems(name: str, english: dict, language: str) -> tuple[list[str], int]:
    """``(problems, obsolete count)`` of the catalogue ``name`` in ``language``."""
    path = LOCALE_DIR / language / "LC_MESSAGES" / f"{name}.po"
    if not path.exists():
        return [f"{path.relative_to(LOCALE_DIR.parent)}: no catalogue"], 0
    translated = _messages(path)
    problems = []
    for message_id in english:
        message = translated.get(message_id)
        short = message_id[:70].replace("\n", " ")
        if message is None:
            problems.append(f"missing: {short!r}")
        elif not message.string:
            problems.append(f"untranslated: {short!r}")
        elif message.fuzzy:
            problems.append(f"fuzzy: {short!r}")
        elif markup(message.string) != markup(message_id):
            lost = markup(message_id) - markup(message.string)
            added = markup(message.string) - markup(message_id)
            problems.append(
                f"markup changed in {short!r}: lost {sorted(lost)}, added {sorted(added)}"
            )
    obsolete = len(set(translated) - set(english))
    return problems, obsolete


def check(catalogues: dict[str, dict]) -> int:
    failed = False
    for language in TRANSLATED:
        for name, english in catalogues.items():
            problems, obsolete = catalogue_problems(name, english, language)
            failed |= bool(problems)
            state = f"{len(problems)} problem(s)" if problems else "complete"
            extra = f", {obsolete} obsolete (run `update`)" if obsolete else ""
            print(f"{language}/{name:<28} {len(english):>4} messages  {state}{extra}")
            for problem in problems:
                print(f"    {problem}")
    if failed:
        print("FAIL: see CONTRIBUTING.md, 'The Bengali edition', to update the catalogues")
    return 1 if failed else 0


def update() -> None:
    for language in TRANSLATED:
        command = ["sphinx-intl", "update", "-p", str(POT_DIR), "-d", str(LOCALE_DIR)]
        command += ["-l", language, "-w", "0", "--no-obsolete"]
        subprocess.run(command, check=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["extract", "update", "check"])
    args = parser.parse_args(argv)
    catalogues = extract()
    print(f"extracted {sum(map(len, catalogues.values()))} messages into {POT_DIR}")
    if args.command == "update":
        update()
    if args.command == "check":
        return check(catalogues)
    return 0


if __name__ == "__main__":
    sys.exit(main())
