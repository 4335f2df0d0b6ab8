"""The verdict vocabulary and the decisions on an interval (relu_notes.ledger.verdicts)."""

import math

import numpy as np
import pytest

from relu_notes.experiments.stats import Interval, mean_interval
from relu_notes.ledger import measures, verdicts
from relu_notes.ledger.verdicts import CAVEAT, FAILS, HOLDS, INCONCLUSIVE


def iv(low, high):
    return Interval((low + high) / 2, low, high, 5)


def test_the_vocabulary_is_exactly_the_six_words():
    assert verdicts.VERDICTS == (
        "holds",
        "holds with caveat",
        "inconclusive",
        "does not hold here",
        "true by definition",
        "not tested",
    )


@pytest.mark.parametrize(
    ("interval", "expected"),
    [
        (iv(0.2, 0.4), HOLDS),  # wholly above
        (iv(-0.4, -0.2), FAILS),  # wholly below
        (iv(-0.1, 0.4), INCONCLUSIVE),  # crosses the threshold
        (iv(0.0, 0.4), INCONCLUSIVE),  # touching does not clear it
        (iv(-0.4, 0.0), FAILS),  # at or below
        (iv(0.0, 0.0), FAILS),
        (Interval(math.nan, math.nan, math.nan, 5), INCONCLUSIVE),
        (Interval(0.3, -math.inf, math.inf, 1), INCONCLUSIVE),
    ],
)
def test_greater_than(interval, expected):
    assert verdicts.greater_than(interval, 0.0) == expected


@pytest.mark.parametrize(
    ("interval", "expected"),
    [
        (iv(-0.4, -0.2), HOLDS),
        (iv(0.2, 0.4), FAILS),
        (iv(-0.1, 0.4), INCONCLUSIVE),
        (iv(0.0, 0.0), FAILS),
        (iv(-0.2, 0.0), INCONCLUSIVE),
    ],
)
def test_less_than(interval, expected):
    assert verdicts.less_than(interval, 0.0) == expected


@pytest.mark.parametrize(
    ("interval", "expected"),
    [
        (iv(-0.005, 0.005), HOLDS),  # inside +-0.01
        (iv(0.02, 0.05), FAILS),  # wholly outside, above
        (iv(-0.05, -0.01), FAILS),  # wholly outside, below (touching the band's edge)
        (iv(-0.005, 0.03), INCONCLUSIVE),  # straddles the edge
        (iv(-0.05, 0.05), INCONCLUSIVE),  # wider than the band
    ],
)
def test_tie_within_and_its_mirror(interval, expected):
    assert verdicts.tie_within(interval, 0.01) == expected
    mirror = {HOLDS: FAILS, FAILS: HOLDS, INCONCLUSIVE: INCONCLUSIVE}[expected]
    assert verdicts.differs_from(interval, 0.01) == mirror


def test_tie_within_around_a_centre():
    assert verdicts.tie_within(iv(-1.1, -0.9), 0.25, centre=-1.0) == HOLDS
    assert verdicts.tie_within(iv(-0.2, 0.1), 0.25, centre=-1.0) == FAILS
    assert verdicts.tie_within(iv(-1.1, -0.5), 0.25, centre=-1.0) == INCONCLUSIVE


@pytest.mark.parametrize(
    ("interval", "expected"),
    [
        (iv(1.2, 1.8), HOLDS),
        (iv(0.8, 1.0), FAILS),  # not more
        (iv(2.0, 3.0), FAILS),  # much more (the old P8 rule only cautioned here)
        (iv(0.9, 1.5), INCONCLUSIVE),
        (iv(1.5, 2.5), INCONCLUSIVE),
    ],
)
def test_between_is_symmetric(interval, expected):
    assert verdicts.between(interval, 1.0, 2.0) == expected


def test_weakest_strongest_and_the_second_condition():
    assert verdicts.weakest([HOLDS, CAVEAT, INCONCLUSIVE]) == INCONCLUSIVE
    assert verdicts.weakest([HOLDS, FAILS]) == FAILS
    assert verdicts.strongest([FAILS, INCONCLUSIVE]) == INCONCLUSIVE
    assert verdicts.strongest([FAILS, HOLDS]) == HOLDS
    assert verdicts.with_second_condition(HOLDS, HOLDS) == HOLDS
    assert verdicts.with_second_condition(HOLDS, FAILS) == CAVEAT
    assert verdicts.with_second_condition(HOLDS, INCONCLUSIVE) == CAVEAT
    for primary in (FAILS, INCONCLUSIVE):
        assert verdicts.with_second_condition(primary, FAILS) == primary


def test_interval_is_the_t_interval_of_stats():
    values = np.array([0.1, 0.3, 0.2, 0.25, 0.15])
    ours, theirs = measures.interval(values, 0.95), mean_interval(values)
    assert (ours.mean, ours.n) == (theirs.mean, theirs.n)
    assert ours.low == pytest.approx(theirs.low) and ours.high == pytest.approx(theirs.high)
    assert measures.interval([0.2], 0.95).high == math.inf
    assert math.isnan(measures.interval([0.1, np.nan, 0.2], 0.95).low)


def test_bonferroni_widens_the_interval():
    values = [0.1, 0.3, 0.2, 0.25, 0.15]
    narrow = measures.interval(values, 0.95)
    wide = measures.interval(values, measures.bonferroni(0.95, 6))
    assert measures.bonferroni(0.95, 6) == pytest.approx(1 - 0.05 / 6)
    assert wide.low < narrow.low and wide.high > narrow.high


def test_wilson_interval():
    w = measures.wilson(1000, 2000, 0.95)
    assert w.mean == 0.5 and w.n == 2000
    assert w.low == pytest.approx(0.4781, abs=1e-3) and w.high == pytest.approx(0.5219, abs=1e-3)
    assert measures.wilson(2000, 2000, 0.95).high == pytest.approx(1.0)
