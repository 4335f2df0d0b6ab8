"""The ledger as MyST Markdown: the claims table, the counts, the thresholds and their changes.

Every function returns a string and needs nothing from the book, so the ledger page can live in
any chapter or appendix (``display(Markdown(...))`` in a cell, or ``glue``). Links to the
sections that test a claim are MyST targets (``[...](#label)``); pass ``links=False`` where
they cannot resolve (a README, a terminal).
"""

from relu_notes.ledger.claims import changes, claims, thresholds
from relu_notes.ledger.verdicts import DEFINITION, HOLDS, VERDICTS

COLUMNS = (
    "claim (the notes' words)",
    "basis",
    "seeds",
    "effect with 95% interval",
    "verdict",
)
"""Columns of the ledger table."""

VOCABULARY = {
    "holds": "the whole 95% interval lies on the side of the threshold the claim states",
    "holds with caveat": "it holds, but a second condition the claim states is not met",
    "inconclusive": "the interval crosses the threshold (or rests on fewer than 5 seeds)",
    "does not hold here": "the whole interval lies on the other side, in this setting",
    "true by definition": "follows from a definition or formula, checked on a grid",
    "not tested": "the result the claim needs is missing",
}
"""What each verdict means (the order of :data:`~relu_notes.ledger.verdicts.VERDICTS`)."""


def cell(value):
    """``value`` as the text of one Markdown table cell (``|`` escaped, white space folded)."""
    return " ".join(str(value).replace("|", "\\|").split())


def markdown_table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _claim_cell(row, links):
    c = row.claim
    aliases = f" (also {', '.join(c.aliases)})" if c.aliases else ""
    words = f" *{c.bn}*" if c.bn else ""
    where = f"{row.chapter.split()[0]} · {row.section_title}"
    where = f"[{where}](#{c.section})" if links else where
    return f"**{c.id}**{aliases} {c.en}{words} ({c.origin}; {where})"


def _effect_cell(row):
    parts = [p for p in (row.effect, row.note) if p]
    return " · ".join(parts) or "—"


def _verdict_cell(row):
    return row.verdict if row.verdict in (HOLDS, DEFINITION) else f"**{row.verdict}**"


def select(rows, timed=False):
    """The rows whose basis is timed (``timed=True``), the others (``False``) or all
    (``None``)."""
    return [r for r in rows if timed is None or r.timed == timed]


def render_table(rows, *, timed=False, links=True):
    """The ledger table (:data:`COLUMNS`) of the rows :func:`select` keeps.

    Timed rows sit apart (``timed=True`` renders only them): their numbers change from run to
    run, so the book shows them in an output cell that nbval ignores.
    """
    body = [
        (_claim_cell(r, links), r.basis, r.repetitions or "—", _effect_cell(r), _verdict_cell(r))
        for r in select(rows, timed)
    ]
    return markdown_table(COLUMNS, body)


def counts(rows):
    """``{basis: {verdict: n}}`` for the bases definition, measured and timed."""
    out = {basis: dict.fromkeys(VERDICTS, 0) for basis in ("measured", "definition", "timed")}
    for r in rows:
        out[r.basis][r.verdict] += 1
    return out


def render_counts(rows):
    """The verdicts counted by basis: measured claims, definitions apart, timed apart."""
    c = counts(rows)
    body = [(v, *(c[b][v] for b in c)) for v in VERDICTS if any(c[b][v] for b in c)]
    body.append(("total", *(sum(c[b].values()) for b in c)))
    return markdown_table(("verdict", "measured", "definitions (apart)", "timed (apart)"), body)


def render_vocabulary():
    """The six verdicts and what each means."""
    return markdown_table(("verdict", "meaning"), list(VOCABULARY.items()))


def _users():
    users = {}
    for c in claims():
        for name in c.thresholds.values():
            users.setdefault(name, []).append(c.id)
    return users


def _number(value):
    return f"{value:g}" if isinstance(value, float) else str(value)


def render_thresholds():
    """Every threshold: name, value, unit, reason and the claims that use it."""
    users = _users()
    body = [
        (
            f"`{name}`",
            _number(t["value"]),
            t["unit"],
            t["reason"],
            t.get("scope") or ", ".join(users.get(name, [])),
        )
        for name, t in thresholds().items()
    ]
    return markdown_table(("threshold", "value", "unit", "reason", "used by"), body)


def render_changes():
    """The recorded threshold changes: date, threshold, from, to, reason."""
    body = [(c["date"], c["threshold"], c["from"], c["to"], c["reason"]) for c in changes()]
    return markdown_table(("date", "threshold", "from", "to", "reason"), body)
