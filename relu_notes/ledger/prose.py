"""Verdict words in prose must come from the ledger: find the ones typed by hand.

Chapters state a verdict through the marker ``{eval}`verdict("ID")``` (an inline expression,
see :mod:`relu_notes.inline`, that shows the ledger's verdict for claim ``ID``). A verdict
phrase typed in Markdown near a claim (its id, or the claim's own words) is a hand-written
verdict that can drift from the ledger; :func:`typed_verdicts` finds them, and
tests/test_prose_verdicts.py fails on any.

*Verdict phrases* (case-insensitive, whole words): the six verdicts of the ledger and their
plural forms ("holds", "holds with caveat", "does not hold", "do not hold", "inconclusive",
"true by definition", "not tested"). *Claim mentions*: an id or alias (``P4``, ``T10``), the
claim's English words (``en`` in claims.yml) or the notes' Bengali words (``bn``), any run of
:data:`SHINGLE` consecutive words of the English, and the word "claim" itself ("the claim
holds" states a verdict as much as "P4 holds"). A phrase within :data:`WINDOW` characters of a
mention is reported. Code spans, code blocks and the markers themselves are not prose.
"""

import json
import re
from dataclasses import dataclass
from functools import cache

from relu_notes.ledger.claims import all_ids, claims

MARKER = re.compile(r"""\{eval\}`\s*verdict\(\s*["']([A-Za-z]+\d+)["']\s*\)\s*`""")
"""The marker a chapter writes where a verdict belongs: ``{eval}`verdict("P4")```, an inline
expression that :func:`relu_notes.inline.verdict` evaluates from the ledger."""

PHRASES = re.compile(
    r"\b(?:holds?\s+with\s+(?:a\s+)?caveats?|true\s+by\s+definition|not\s+tested|"
    r"(?:does|do)\s+not\s+hold|doesn't\s+hold|don't\s+hold|inconclusive|holds)\b",
    re.IGNORECASE,
)
"""Verdict phrases (whole words, any case)."""

WINDOW = 160
"""How close (in characters, about one sentence) a phrase must be to a mention to count."""

SHINGLE = 5
"""Consecutive words of a claim's English that count as quoting it."""

_CLAIM_WORD = re.compile(r"\bclaims?\b", re.IGNORECASE)
"""The word "claim" refers to a claim too ("the claim holds", "both claims do not hold")."""

_CODE = re.compile(r"```.*?```|~~~.*?~~~|`[^`\n]*`", re.DOTALL)
_MATH_ALPHA = re.compile(r"\$?\\alpha\$?")


@dataclass(frozen=True)
class Offence:
    """A verdict phrase typed near a claim: where, what, and the text around it."""

    cell: int
    phrase: str
    mention: str
    context: str


def normalise(text):
    """Lower case, LaTeX alpha as α, Markdown emphasis and quotes removed, spaces collapsed;
    the same length mapping is not kept (only used to find claim words)."""
    text = _MATH_ALPHA.sub("α", text)
    text = re.sub(r"[*_\"“”‘’]", "", text)
    return " ".join(text.lower().split())


def _words(text):
    return re.findall(r"[\w'’α]+", normalise(text))


@cache
def _claim_patterns():
    """Regexes of claim mentions: ids and aliases, and each claim's words."""
    ids = sorted(all_ids(), key=len, reverse=True)
    patterns = [re.compile(r"\b(?:" + "|".join(map(re.escape, ids)) + r")\b"), _CLAIM_WORD]
    quotes = set()
    for c in claims():
        quotes.update(part.strip() for part in [c.en, *c.bn.split(" / ")] if len(part) > 12)
        words = _words(c.en)
        if not words or words[0] == "table":  # "Table, speed: ReLU very fast." is not prose
            continue
        quotes.update(" ".join(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1))
    for quote in sorted(quotes, key=len, reverse=True):
        tokens = _words(quote)
        if tokens:
            patterns.append(re.compile(r"\W+".join(map(re.escape, tokens)), re.IGNORECASE))
    return patterns


def _blank(text, pattern, keep_group=False):
    """``text`` with every match of ``pattern`` replaced by spaces (same length), or with the
    marker reduced to its claim id, padded (a marker still mentions its claim)."""

    def replace(match):
        if keep_group:
            inner = f" {match.group(1)} "
            return inner + " " * (len(match.group(0)) - len(inner))
        return " " * len(match.group(0))

    return pattern.sub(replace, text)


def _prose(text):
    """Markdown reduced to prose: code blanked, markers reduced to their ids, LaTeX alpha as α
    (lengths kept, so positions stay comparable)."""
    text = _blank(text, MARKER, keep_group=True)  # before code: the marker holds a code span
    text = _blank(text, _CODE)
    return _MATH_ALPHA.sub(lambda m: "α".ljust(len(m.group(0))), text)


def _mentions(prose):
    spans = []
    for pattern in _claim_patterns():
        spans.extend((m.start(), m.end(), m.group(0)) for m in pattern.finditer(prose))
    return spans


def typed_verdicts(markdown, cell=0, window=WINDOW):
    """The verdict phrases typed in ``markdown`` within ``window`` characters of a claim
    mention (not through the ``{verdict}`` marker)."""
    prose = _prose(markdown)
    mentions = _mentions(prose)
    found = []
    for m in PHRASES.finditer(prose):
        near = [
            text
            for start, end, text in mentions
            if start - window <= m.end() and m.start() <= end + window
        ]
        if near:
            context = " ".join(markdown[max(0, m.start() - 80) : m.end() + 40].split())
            found.append(Offence(cell, m.group(0), near[0], context))
    return found


def marker_ids(markdown):
    """The claim ids used in ``{verdict}`` markers of ``markdown``."""
    return [m.group(1) for m in MARKER.finditer(markdown)]


def markdown_cells(path):
    """``[(index, source)]`` of the notebook's Markdown cells."""
    with open(path, encoding="utf-8") as f:
        notebook = json.load(f)
    return [
        (i, "".join(c["source"]) if isinstance(c["source"], list) else c["source"])
        for i, c in enumerate(notebook["cells"])
        if c["cell_type"] == "markdown"
    ]


def scan_notebook(path, window=WINDOW):
    """Every typed verdict in the notebook's Markdown cells."""
    return [o for i, src in markdown_cells(path) for o in typed_verdicts(src, i, window)]
