"""Computed values inside the prose: what a chapter's ``{eval}`name``` expressions return.

A chapter never types a number or a verdict into a sentence. A hidden cell computes it::

    dead_share = shown(result.dead_fraction, ".1%")

and the Markdown names it with MyST's inline expression role::

    After the shift, {eval}`dead_share` of the units are dead.

``scripts/run_chapters.py --write`` evaluates every such expression in the chapter's kernel and
stores the result in the Markdown cell's ``user_expressions`` metadata, the format of MyST's
inline expressions. From there:

- JupyterLab with ``jupyterlab-myst`` (Binder) shows the stored value, and re-evaluates it when
  the reader runs the cell;
- the book's Sphinx extension ``book/_ext/inline_values.py`` prints the stored value on the
  website, also inside translated paragraphs (the expression is the same in every language);
- ``scripts/reader_notebooks.py`` writes plain notebooks for Colab with the value in the text.

The kernel's reply shows a value by its ``repr``, so a value for the prose must be a
:class:`Shown`: a ``str`` whose ``repr`` is the text itself, without quotes.
"""

from __future__ import annotations

import re
from functools import cache


class Shown(str):
    """Text for a sentence; ``repr`` gives the text itself (no quotes), as a reader should see it.

    >>> shown(0.4213, ".1%")
    42.1%
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return str(self)


def shown(value, spec: str = "") -> Shown:
    """``format(value, spec)`` as prose text; ``-0`` after rounding reads ``0``.

    >>> shown(-0.0001, ".2f")
    0.00
    """
    text = format(value, spec)
    if text.startswith("-") and not any(ch.isdigit() and ch != "0" for ch in text):
        text = text[1:]
    return Shown(text)


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def power_of_ten(value) -> Shown:
    """``value`` to one significant digit as a power of ten, the way a sentence writes it.

    >>> power_of_ten(3.05e-6)
    3 × 10⁻⁶
    """
    mantissa, exponent = f"{value:.0e}".split("e")
    return Shown(f"{mantissa} × 10" + str(int(exponent)).translate(_SUPERSCRIPT))


def listed(values, spec: str = "g") -> Shown:
    """Numbers as a comma-separated list, each formatted with ``spec``; empty for none.

    >>> listed([0.5, -0.25])
    0.5, -0.25
    """
    return Shown(", ".join(shown(float(value), spec) for value in values))


@cache
def _verdicts() -> dict:
    from relu_notes.experiments.suite import stored_results
    from relu_notes.ledger import verdict_table

    return verdict_table(stored_results())


def verdict(claim_id: str) -> Shown:
    """The ledger's verdict on claim ``claim_id`` ("holds", "inconclusive", ...), from the
    stored results shipped with the package. An unknown id raises ``KeyError``."""
    return Shown(_verdicts()[claim_id])


# --- where the values are stored: MyST's ``user_expressions`` cell metadata -----------------

EXPRESSION = re.compile(r"\{eval\}`(?P<expression>[^`]+)`")
"""An inline expression in a Markdown cell: ``{eval}`dead_share```."""


def expressions(markdown: str) -> list[str]:
    """The expressions of ``markdown``'s ``{eval}`` roles, each once, in order of appearance."""
    return list(dict.fromkeys(m["expression"] for m in EXPRESSION.finditer(markdown)))


def stored_text(cell) -> dict[str, str | None]:
    """``{expression: text}`` stored in a Markdown cell's ``user_expressions`` metadata.

    The text is the result's ``text/plain``; it is None where the stored result is an error or
    has no ``text/plain``.
    """
    found = {}
    for entry in cell.get("metadata", {}).get("user_expressions", []):
        result = entry.get("result", {})
        ok = result.get("status") == "ok"
        found[entry["expression"]] = result.get("data", {}).get("text/plain") if ok else None
    return found


def problems(cell) -> list[str]:
    """What would make a reader see an expression instead of its value in this Markdown cell.

    Empty when every ``{eval}`` expression of the cell has a stored, successful result whose
    text is not quoted (a ``str`` value shows with quotes; use :func:`shown`).
    """
    stored = stored_text(cell)
    found = []
    for expression in expressions(cell.get("source", "")):
        text = stored.get(expression)
        if expression not in stored:
            found.append(f"{expression}: no stored value")
        elif text is None:
            found.append(f"{expression}: the stored result is an error")
        elif text[:1] in {"'", '"'}:
            found.append(f"{expression}: stored as a quoted string {text}; use shown(...)")
    return found
