"""The claims ledger: every claim of the notes, the rule that decides it, and its verdict.

The ledger is data plus rules:

* ``claims.yml``: each distinct claim once (id, aliases of duplicates folded into it, the
  notes' words in English and Bengali, the book section that tests it, its basis, its rule
  and the rule's inputs);
* ``thresholds.yml``: every threshold a rule may use, with unit and reason, and the list of
  changes to them;
* :mod:`~relu_notes.ledger.rules`: results -> per-seed measurements -> t intervals ->
  verdict, with the decisions of :mod:`~relu_notes.ledger.verdicts`.

Usage (a cell of the ledger page)::

    from relu_notes import ledger
    rows = ledger.build(results)            # results: {"natural_dying": ..., "dying": ...}
    display(Markdown(ledger.render_table(rows)))              # measured + definitions
    display(Markdown(ledger.render_table(rows, timed=True)))  # timed, in an nbval-ignored cell
    display(Markdown(ledger.render_counts(rows)))
    display(Markdown(ledger.render_thresholds()))
    display(Markdown(ledger.render_changes()))
    display(Markdown(ledger.render_environment(stored_environment)))

Verdict words in a chapter's prose come from the ledger through an inline expression: write
``{eval}`verdict("P4")``` (:func:`relu_notes.inline.verdict`) where the verdict belongs, never
the word itself (tests/test_prose_verdicts.py fails on a verdict typed next to a claim).
"""

from relu_notes.ledger.claims import (
    BASES,
    Claim,
    all_ids,
    changes,
    chapters,
    claims,
    resolve,
    sections,
    thresholds,
)
from relu_notes.ledger.core import Row, build, evaluate, verdict, verdict_table
from relu_notes.ledger.render import (
    COLUMNS,
    VOCABULARY,
    counts,
    render_changes,
    render_counts,
    render_table,
    render_thresholds,
    render_vocabulary,
    select,
)
from relu_notes.ledger.verdicts import (
    CAVEAT,
    DEFINITION,
    FAILS,
    HOLDS,
    INCONCLUSIVE,
    NOT_TESTED,
    VERDICTS,
)


def render_environment(env=None):
    """The environment behind the stored numbers as MyST (see
    :func:`relu_notes.ledger.environment.render_environment`)."""
    from relu_notes.ledger.environment import render_environment as render

    return render(env)


__all__ = [
    "BASES",
    "CAVEAT",
    "COLUMNS",
    "DEFINITION",
    "FAILS",
    "HOLDS",
    "INCONCLUSIVE",
    "NOT_TESTED",
    "VERDICTS",
    "VOCABULARY",
    "Claim",
    "Row",
    "all_ids",
    "build",
    "changes",
    "chapters",
    "claims",
    "counts",
    "evaluate",
    "render_changes",
    "render_counts",
    "render_environment",
    "render_table",
    "render_thresholds",
    "render_vocabulary",
    "resolve",
    "sections",
    "select",
    "thresholds",
    "verdict",
    "verdict_table",
]
