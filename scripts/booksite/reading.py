"""How long a chapter's main path is to read: the words a student reads before the next cell.

    python -m booksite.reading book/*.ipynb        (from scripts/; prints a table)

The count follows the rule of issue 11. It counts the words of every Markdown cell a reader
sees, except:

- code: fenced blocks, inline code and the inline expressions ``{eval}`...``` (a computed
  number counts as one word);
- cell outputs (they are not Markdown cells);
- math: ``$...$``, ``$$...$$`` and ``{math}`` blocks;
- labels ``(name)=``, citation keys ``{cite}`key``` and the targets of ``{ref}``;
- directive options (``:class: ...``);
- original-note boxes (an admonition whose ``:class:`` holds ``original-note``) and collapsed
  dropdowns (``{dropdown}`` without ``:open:``, or an admonition with the ``dropdown`` class):
  a reader opens them on purpose, they are not the main path;
- Markdown cells hidden with ``remove-cell``.

A word is a run of letters or digits (Bengali included), with inner ``'`` or ``-``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat

from booksite import fences

LIMIT = 1000
"""The most words a chapter's main path may have: about a five-minute read."""

_INLINE = [
    re.compile(r"\$\$.*?\$\$", re.DOTALL),
    re.compile(r"(?<![\\$])\$(?!\$).+?(?<![\\$])\$", re.DOTALL),
    re.compile(r"\{eval\}`[^`]*`"),  # a computed value: one word, replaced below
    re.compile(r"\{(?:cite|cite:\w+|numref|eq|download)\}`[^`]*`"),
    re.compile(r"^\([\w-]+\)=\s*$", re.MULTILINE),
]
_REF = re.compile(r"\{(?:ref|doc)\}`(?P<text>[^`<]*?)\s*(?:<[^`]*>)?`")
_CODE = re.compile(r"`[^`]*`")
_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_LETTER = r"(?:[^\W_]|[\u0980-\u09ff])"  # Bengali vowel signs are not \w
_WORD = re.compile(rf"{_LETTER}(?:(?:{_LETTER}|['’-])*{_LETTER})?")


def _skipped(block: fences.Block) -> bool:
    """True for a block a reader does not read on the main path."""
    if block.name == "dropdown":
        return block.option("open") is None
    if block.name in {"code-cell", "code-block", "code", "math", "raw", ""}:
        return True  # "" is a plain code fence
    classes = (block.option("class") or "").split()
    return "original-note" in classes or "dropdown" in classes


def _blocks(lines: list[str]) -> list[str]:
    """The lines of prose a reader sees, with fences, options and skipped blocks removed."""
    kept: list[str] = []
    for item in fences.split(lines):
        if isinstance(item, str):
            kept.append(item)
        elif not _skipped(item):
            kept.append(item.argument if item.name not in {"seealso", "note", "tip"} else "")
            kept.extend(_blocks(item.body))
    return kept


def words(markdown: str) -> int:
    """The number of words a reader reads in ``markdown`` (see the module docstring)."""
    text = "\n".join(_blocks(markdown.splitlines()))
    for pattern in _INLINE:
        text = pattern.sub(lambda m: " 1 " if m.group().startswith("{eval}") else " ", text)
    text = _REF.sub(lambda m: f" {m['text']} ", text)
    text = _CODE.sub(" ", text)
    text = _LINK_TARGET.sub("] ", text)
    return len(_WORD.findall(text))


def main_path_words(path: Path) -> int:
    """The words of the main path of the notebook at ``path``."""
    nb = nbformat.read(path, as_version=4)
    return sum(
        words(cell.source)
        for cell in nb.cells
        if cell.cell_type == "markdown" and "remove-cell" not in cell.metadata.get("tags", [])
    )


def main(argv: list[str]) -> int:
    for name in argv:
        count = main_path_words(Path(name))
        flag = "" if count <= LIMIT else f"  over the {LIMIT}-word limit"
        print(f"{Path(name).name:<34} {count:6d}{flag}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
