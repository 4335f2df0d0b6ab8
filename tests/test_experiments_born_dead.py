import numpy as np
import pytest

from relu_notes.experiments.born_dead import born_dead_bounds, run_born_dead, wilson_interval


@pytest.fixture(scope="module")
def result():
    return run_born_dead(widths=(1, 2, 3), depths=(1, 2, 3, 5, 8, 12), n_trials=3000, seed=1)


def test_deterministic(result):
    again = run_born_dead(widths=(1, 2, 3), depths=(1, 2, 3, 5, 8, 12), n_trials=3000, seed=1)
    np.testing.assert_array_equal(result.p_dead, again.p_dead)
    other = run_born_dead(widths=(1, 2, 3), depths=(1, 2, 3, 5, 8, 12), n_trials=3000, seed=2)
    assert not np.array_equal(result.p_dead, other.p_dead)


def test_width_one_closed_form():
    depth = np.arange(1, 10)
    lower, upper = born_dead_bounds(1, depth)
    np.testing.assert_allclose(lower, 1 - 2.0 ** -(depth - 1))
    np.testing.assert_allclose(upper, lower)
    lo2, up2 = born_dead_bounds(1, depth, input_dim=3)
    np.testing.assert_allclose(lo2, lower)
    np.testing.assert_allclose(up2, lower)


def test_bounds_are_ordered_and_tend_to_one():
    for width in (2, 3, 4):
        lo, up = born_dead_bounds(width, np.arange(1, 200))
        assert np.all(lo <= up + 1e-15)
        assert lo[0] == 0 and lo[-1] > 0.95


def test_width_one_monte_carlo_matches_exact(result):
    lo, hi = wilson_interval(result.p_dead[0] * result.n_trials, result.n_trials, z=3.29)
    exact = result.theory_lower[0]
    assert np.all((lo <= exact) & (exact <= hi))


def test_monte_carlo_within_bounds(result):
    lo, hi = wilson_interval(result.p_dead * result.n_trials, result.n_trials, z=3.29)
    assert np.all(hi >= result.theory_lower - 1e-12)
    assert np.all(lo <= result.theory_upper + 1e-12)


def test_probability_grows_with_depth_and_falls_with_width(result):
    w2 = result.p_dead[1]
    assert w2[0] == 0.0
    assert np.all(np.diff(w2) >= 0) and w2[-1] > w2[1] + 0.5
    assert np.all(result.p_dead[0, 1:] > result.p_dead[2, 1:])


def test_leaky_relu_never_constant(result):
    assert np.all(result.p_constant_leaky == 0)
    assert result.p_all_negative_leaky[1, -1] > 0  # the state occurs, but is not fatal


def test_with_biases_in_two_dimensions():
    res = run_born_dead(widths=(2,), depths=(1, 6), n_trials=500, bias_std=0.5, input_dim=2)
    assert np.all(np.isnan(res.theory_lower))
    assert 0 <= res.p_dead[0, 0] <= res.p_dead[0, 1] <= 1
    assert res.p_dead[0, 1] > 0.2


def test_wilson_interval():
    lo, hi = wilson_interval(0, 100)
    assert lo == 0 and 0 < hi < 0.05
    lo, hi = wilson_interval(50, 100)
    assert lo < 0.5 < hi and hi - lo == pytest.approx(0.192, abs=0.01)


def test_table(result):
    rows = result.table(1)
    assert [r["depth"] for r in rows] == list(result.depths)
    assert rows[1]["theory_lower"] == 0.5


def test_summary_shows_exact_value_or_bounds(result):
    rows = result.summary(depths=(2, 12))
    assert [(r["width"], r["depth"]) for r in rows] == [(w, d) for w in (1, 2, 3) for d in (2, 12)]
    assert rows[0]["theory"] == "0.5000"  # width 1: the bounds meet
    assert (
        rows[2]["theory"].startswith("[") and rows[2]["p_dead_mc"] == result.table(2)[1]["p_dead"]
    )
    biased = run_born_dead(widths=(2,), depths=(1, 2), n_trials=50, bias_std=0.5)
    assert biased.summary(depths=(2,))[0]["theory"] == "n/a (biases)"
