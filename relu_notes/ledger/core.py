"""Evaluate the claims on a dict of results: one :class:`Row` per claim."""

from dataclasses import dataclass

from relu_notes.ledger.claims import chapters, claims, resolve, sections, thresholds
from relu_notes.ledger.definitions import package_functions
from relu_notes.ledger.rules import RULES, Context, Outcome
from relu_notes.ledger.verdicts import NOT_TESTED


@dataclass(frozen=True)
class Row:
    """A claim with its verdict: what the ledger table shows."""

    claim: object
    verdict: str
    measurements: tuple
    note: str

    @property
    def id(self):
        return self.claim.id

    @property
    def basis(self):
        return self.claim.basis

    @property
    def timed(self):
        return self.claim.basis == "timed"

    @property
    def chapter(self):
        return chapters()[sections()[self.claim.section]["chapter"]]

    @property
    def section_title(self):
        return sections()[self.claim.section]["title"]

    @property
    def repetitions(self):
        """``"5 seeds"``, ``"7 repeats"``, ``"2000 trials"`` or ``""`` (definitions)."""
        counts = sorted({(m.interval.n, m.kind) for m in self.measurements})
        return ", ".join(f"{n} {kind}" for n, kind in counts)

    @property
    def effect(self):
        """The measurements with their 95% intervals, ``;``-separated (the headline first)."""
        return "; ".join(str(m) for m in self.measurements)


def evaluate(claim, results, *, functions=None, used=None):
    """The :class:`~relu_notes.ledger.rules.Outcome` of one claim on ``results``.

    A claim whose result is missing from ``results`` is ``not tested``. ``functions``
    replaces the package functions the definition checks call (tests hand in broken ones);
    ``used``, a set, collects the names of the thresholds the rule read.
    """
    if claim.result is not None and claim.result not in results:
        return Outcome(NOT_TESTED, (), f"no {claim.result} result")
    ctx = Context(claim, thresholds(), functions or package_functions())
    outcome = RULES[claim.rule](ctx, results)
    if used is not None:
        used.update(ctx.used)
    return outcome


def build(results, *, functions=None):
    """Every claim of the ledger evaluated on ``results`` (a dict: result name -> result
    object, as in the shared contract of issue 9; a missing one leaves its claims ``not
    tested``). Returns a list of :class:`Row` in the order of ``claims.yml``."""
    functions = functions or package_functions()
    rows = []
    for c in claims():
        outcome = evaluate(c, results, functions=functions)
        rows.append(Row(c, outcome.verdict, outcome.measurements, outcome.note))
    return rows


def verdict(claim_id, results):
    """The verdict of one claim (an id or an alias) on ``results``."""
    return evaluate(resolve(claim_id), results).verdict


def verdict_table(results):
    """``{id or alias: verdict}`` for every claim, aliases included (what
    :func:`relu_notes.inline.verdict` shows in a chapter)."""
    out = {}
    for row in build(results):
        for name in (row.id, *row.claim.aliases):
            out[name] = row.verdict
    return out
