"""The ledger's verdict vocabulary and the decisions that turn an interval into a verdict.

Six words, no others:

* ``holds``: the whole 95% interval lies on the side of the decision threshold the claim says.
* ``holds with caveat``: it holds, but a *stated* second condition of the claim (written in
  ``claims.yml``) is not met; only rules with such a condition can give it.
* ``inconclusive``: the interval crosses the decision threshold (or has too few seeds, or is not
  a number). Absence of evidence is not a refutation.
* ``does not hold here``: the whole interval lies on the other side of the threshold.
* ``true by definition``: the claim follows from a definition or a formula, which the package
  checks on a grid; counted apart from the measured claims.
* ``not tested``: the result the claim needs is missing.

The decision helpers take a :class:`relu_notes.experiments.stats.Interval` (``mean, low, high,
n``) and a threshold. An interval touching the threshold does not clear it: ``greater_than``
holds only when ``low > threshold``.
"""

import math

HOLDS = "holds"
CAVEAT = "holds with caveat"
INCONCLUSIVE = "inconclusive"
FAILS = "does not hold here"
DEFINITION = "true by definition"
NOT_TESTED = "not tested"

VERDICTS = (HOLDS, CAVEAT, INCONCLUSIVE, FAILS, DEFINITION, NOT_TESTED)
"""Every verdict the ledger gives, in the order the counts table lists them."""

MEASURED_OUTCOMES = (HOLDS, CAVEAT, INCONCLUSIVE, FAILS)
"""The verdicts a measured (or timed) rule can give once its result is there."""

_STRENGTH = {FAILS: 0, INCONCLUSIVE: 1, CAVEAT: 2, HOLDS: 3}


def _finite(interval):
    return all(not math.isnan(v) for v in (interval.mean, interval.low, interval.high))


def greater_than(interval, threshold):
    """``holds`` if the interval lies above ``threshold``, ``does not hold here`` if it lies at
    or below it, else ``inconclusive``."""
    if not _finite(interval):
        return INCONCLUSIVE
    if interval.low > threshold:
        return HOLDS
    if interval.high <= threshold:
        return FAILS
    return INCONCLUSIVE


def less_than(interval, threshold):
    """``holds`` if the interval lies below ``threshold``, ``does not hold here`` if it lies at
    or above it, else ``inconclusive``."""
    if not _finite(interval):
        return INCONCLUSIVE
    if interval.high < threshold:
        return HOLDS
    if interval.low >= threshold:
        return FAILS
    return INCONCLUSIVE


def tie_within(interval, margin, centre=0.0):
    """Equivalence: ``holds`` if the interval lies inside ``centre ± margin``, ``does not hold
    here`` if it lies wholly outside that band, else ``inconclusive``."""
    if not _finite(interval):
        return INCONCLUSIVE
    low, high = interval.low - centre, interval.high - centre
    if -margin < low and high < margin:
        return HOLDS
    if low >= margin or high <= -margin:
        return FAILS
    return INCONCLUSIVE


def differs_from(interval, margin, centre=0.0):
    """The mirror of :func:`tie_within`: ``holds`` if the interval lies wholly outside
    ``centre ± margin``, ``does not hold here`` if it lies inside, else ``inconclusive``."""
    return {HOLDS: FAILS, FAILS: HOLDS}.get(tie_within(interval, margin, centre), INCONCLUSIVE)


def between(interval, low, high):
    """``holds`` if the interval lies inside ``(low, high)``, ``does not hold here`` if it lies
    wholly at or below ``low`` or at or above ``high``, else ``inconclusive``."""
    if not _finite(interval):
        return INCONCLUSIVE
    if interval.low > low and interval.high < high:
        return HOLDS
    if interval.high <= low or interval.low >= high:
        return FAILS
    return INCONCLUSIVE


DECISIONS = {
    "greater_than": greater_than,
    "less_than": less_than,
    "tie_within": tie_within,
    "differs_from": differs_from,
}
"""Decisions a claim may name in ``claims.yml`` (``direction:``), by name."""


def weakest(verdicts):
    """The weakest of several measured verdicts (all conditions must hold):
    ``does not hold here`` < ``inconclusive`` < ``holds with caveat`` < ``holds``."""
    return min(verdicts, key=_STRENGTH.__getitem__)


def strongest(verdicts):
    """The strongest of several measured verdicts (one condition suffices)."""
    return max(verdicts, key=_STRENGTH.__getitem__)


def with_second_condition(primary, second):
    """A claim's verdict when it states a second condition: ``holds`` becomes ``holds with
    caveat`` unless the second condition holds too; any other primary verdict stands."""
    if primary == HOLDS and second != HOLDS:
        return CAVEAT
    return primary
