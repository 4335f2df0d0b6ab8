import numpy as np
import pytest

from relu_notes.experiments.born_dead import (
    BornDeadResult,
    born_dead_bounds,
    first_layer_dead,
    run_born_dead,
    wilson_interval,
)


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
    biased = run_born_dead(widths=(2,), depths=(1, 2), n_trials=50, bias_std=0.5, input_dim=2)
    assert biased.summary(depths=(2,))[0]["theory"] == "n/a (biases)"
    biased_1d = run_born_dead(widths=(2,), depths=(1, 2), n_trials=50, bias_std=0.5)
    assert biased_1d.summary(depths=(2,))[0]["theory"].startswith("[")  # bounds with biases
    assert biased_1d.summary(depths=(1,))[0]["theory"] == f"{first_layer_dead(2, 0.5):.4f}"


# ------------------------------------------------------------------ draws over depths
def test_narrow_widths_share_draws_and_wide_ones_do_not_by_default():
    res = run_born_dead(widths=(2, 5), depths=(3, 3, 3), n_trials=400, seed=3)
    assert res.independent_depths == (False, True)
    # shared draws: one net per trial, so the same depth gives the same estimate
    assert len(set(res.p_dead[0].tolist())) == 1
    assert len(set(res.p_dead_biased[0].tolist())) == 1


def test_independent_depths_draw_a_fresh_net_for_every_depth():
    res = run_born_dead(
        widths=(2,), depths=(3, 3, 3), n_trials=400, seed=3, independent_depths=True
    )
    assert res.independent_depths == (True,)
    assert len(set(res.p_dead[0].tolist())) == 3  # three independent estimates of one value
    lo, hi = wilson_interval(res.p_dead * res.n_trials, res.n_trials, z=3.29)
    assert np.all((lo <= res.theory_upper) & (hi >= res.theory_lower))


def test_independent_depths_choices():
    kwargs = {"depths": (1, 2), "n_trials": 10}
    assert run_born_dead(widths=(1, 10), **kwargs).independent_depths == (False, True)
    assert run_born_dead(widths=(1, 10), independent_depths=False, **kwargs).independent_depths == (
        False,
        False,
    )
    chosen = run_born_dead(widths=(1, 2, 10), independent_depths=(2,), **kwargs)
    assert chosen.independent_depths == (False, True, False)


def test_independent_curves_need_not_be_monotone():
    res = run_born_dead(
        widths=(3,), depths=tuple(range(4, 10)), n_trials=200, independent_depths=True
    )
    shared = run_born_dead(widths=(3,), depths=tuple(range(4, 10)), n_trials=200)
    assert np.all(np.diff(shared.p_dead[0]) >= 0)  # by construction
    assert not np.array_equal(res.p_dead, shared.p_dead)


# ------------------------------------------------------------------ symmetric biases
def test_first_layer_closed_form_against_direct_draws():
    rng = np.random.default_rng(0)
    w = rng.standard_normal(400_000) * np.sqrt(2.0)
    b = rng.standard_normal(400_000) * 0.7
    p = float(np.mean(b <= -np.abs(w)))
    q = first_layer_dead(1, 0.7)
    assert abs(p - q) < 4 * np.sqrt(q * (1 - q) / w.size)
    assert first_layer_dead(3, 0.7) == pytest.approx(q**3)
    assert first_layer_dead(2, 0.0) == 0.0
    assert first_layer_dead(1, 1e9) == pytest.approx(0.5)  # half the first units die


def test_biased_bounds_are_ordered_exact_at_depth_one_and_tend_to_one():
    for width in (1, 2, 4, 10):
        lo, up = born_dead_bounds(width, np.arange(1, 400), bias_std=0.3)
        assert np.all(lo <= up + 1e-15)
        assert lo[0] == pytest.approx(up[0]) and lo[0] == pytest.approx(
            first_layer_dead(width, 0.3)
        )
        assert np.all(np.diff(lo) >= 0) and np.all(np.diff(up) >= 0) and up[-1] > up[0]
    lo, up = born_dead_bounds(2, np.arange(1, 200), bias_std=0.3)
    assert lo[-1] > 0.95  # width 2: the lower bound reaches 1 quickly enough to see
    lo, up = born_dead_bounds(2, np.arange(1, 5), input_dim=2, bias_std=0.3)
    assert np.all(np.isnan(lo)) and np.all(np.isnan(up))


@pytest.fixture(scope="module")
def biased():
    return run_born_dead(
        widths=(1, 2, 3), depths=(1, 2, 4, 8), n_trials=4000, biased_std=1.0, seed=4
    )


def test_biases_make_the_first_layer_die_as_the_closed_form_says(biased):
    # without biases a first layer never dies on [-1, 1]; with them, with probability q^N
    assert np.all(biased.p_dead[:, 0] == 0)
    exact = np.array([first_layer_dead(w, 1.0) for w in biased.widths])
    np.testing.assert_allclose(biased.theory_lower_biased[:, 0], exact)
    np.testing.assert_allclose(biased.theory_upper_biased[:, 0], exact)
    lo, hi = wilson_interval(biased.p_dead_biased[:, 0] * 4000, 4000, z=3.29)
    assert np.all((lo <= exact) & (exact <= hi))
    assert np.all(biased.p_dead_biased[:2, 0] > 0)


def test_biased_estimates_inside_their_bounds(biased):
    n = biased.n_trials
    lo, hi = wilson_interval(biased.p_dead_biased * n, n, z=3.29)
    assert np.all(hi >= biased.theory_lower_biased - 1e-12)
    assert np.all(lo <= biased.theory_upper_biased + 1e-12)
    np.testing.assert_array_equal(
        biased.ci_low_biased, wilson_interval(biased.p_dead_biased * n, n)[0]
    )


def test_bias_std_in_the_main_fields_uses_the_biased_bounds():
    res = run_born_dead(widths=(1,), depths=(1, 3), n_trials=200, bias_std=1.0, biased_std=0.0)
    lower, upper = born_dead_bounds(1, np.array([1, 3]), bias_std=1.0)
    np.testing.assert_allclose(res.theory_lower[0], lower)
    np.testing.assert_allclose(res.theory_upper[0], upper)
    lower0, upper0 = born_dead_bounds(1, np.array([1, 3]))
    np.testing.assert_allclose(res.theory_lower_biased[0], lower0)
    assert res.p_dead_biased[0, 0] == 0  # biased_std=0: zero biases, no dead first layer


def test_leaky_relu_never_constant_with_biases():
    res = run_born_dead(widths=(1, 2), depths=(1, 6), n_trials=300, bias_std=0.5)
    assert np.all(res.p_constant_leaky == 0) and res.p_dead[0, 1] > 0


# ------------------------------------------------------------------ the result
def test_round_trip_and_fields(result):
    again = BornDeadResult.from_dict(result.to_dict())
    for name in ("p_dead", "ci_low", "ci_high", "p_dead_biased", "theory_upper_biased"):
        np.testing.assert_array_equal(getattr(again, name), getattr(result, name))
    assert again.widths == result.widths and again.independent_depths == result.independent_depths
    assert again.biased_std == result.biased_std == 0.1
    assert result.p_dead_biased.shape == result.p_dead.shape == (3, 6)


def test_deepest_rows(result):
    rows = result.deepest()
    assert [r["width"] for r in rows] == list(result.widths)
    assert all(r["depth"] == 12 for r in rows)
    assert rows[0]["p_dead"] == round(float(result.p_dead[0, -1]), 4)
    assert rows[0]["ci95_biased"][0] <= rows[0]["p_dead_biased"] <= rows[0]["ci95_biased"][1]
    assert "p_dead_biased" in result.table(1)[0] and "biased_mc" in result.summary()[0]
