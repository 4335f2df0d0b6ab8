import json

import numpy as np
import pytest

from relu_notes.experiments.alpha_sweep import AlphaSweepResult, run_alpha_sweep
from relu_notes.experiments.stats import paired_interval

SMALL = {"datasets": ("moons", "wine"), "alphas": (0.0, 0.1, 0.5), "seeds": (0, 1), "epochs": 8}


@pytest.fixture(scope="module")
def result():
    return run_alpha_sweep(**SMALL)


def test_shapes_and_determinism(result):
    assert result.test_accuracy.shape == (2, 3, 2)
    again = run_alpha_sweep(**SMALL)
    np.testing.assert_array_equal(result.test_accuracy, again.test_accuracy)
    assert np.all((result.test_accuracy > 0.5) & (result.test_accuracy <= 1))


def test_per_seed_accessors(result):
    acc = result.test_acc("wine", 0.1)
    assert acc.shape == (2,)
    np.testing.assert_array_equal(acc, result.test_accuracy[1, 1])
    np.testing.assert_array_equal(result.train_acc("moons", 0.5), result.train_accuracy[0, 2])
    with pytest.raises(ValueError):
        result.test_acc("wine", 0.3)


def test_best_is_tied_with_itself(result):
    for d in result.datasets:
        assert result.best_alpha(d) in result.tied_with_best(d)
        assert result.interval_vs_best(d, result.best_alpha(d)).mean == 0
    common = result.common_alphas()
    assert all(a in result.tied_with_best(d) for a in common for d in result.datasets)


def _fake(acc):
    acc = np.asarray(acc, dtype=float)
    return AlphaSweepResult(("A", "B"), (0.0, 0.1, 0.5), (0, 1, 2), (100, 100), {}, acc, acc)


def test_tie_rule_uses_paired_differences():
    # Seeds vary a lot, but alpha 0.1 is below alpha 0 by 0.02 on every seed: a paired
    # interval excludes 0 (an unpaired 2-s.e. rule would call it a tie).
    consistent = _fake(
        [
            [[0.9, 0.7, 0.8], [0.88, 0.68, 0.78], [0.5, 0.3, 0.4]],
            [[0.7, 0.7, 0.7], [0.8, 0.8, 0.8], [0.9, 0.9, 0.9]],
        ]
    )
    assert consistent.best_alpha("A") == 0.0 and consistent.best_alpha("B") == 0.5
    assert consistent.tied_with_best("A") == (0.0,)
    assert consistent.common_alphas() == ()
    ci = consistent.interval_vs_best("A", 0.1)
    expected = paired_interval([0.9, 0.7, 0.8], [0.88, 0.68, 0.78])
    assert (ci.mean, ci.low, ci.high) == pytest.approx((expected.mean, expected.low, expected.high))
    # Differences that change sign between seeds: tied.
    noisy = _fake(
        [
            [[0.9, 0.7, 0.8], [0.85, 0.75, 0.79], [0.6, 0.6, 0.6]],
            [[0.8, 0.8, 0.8], [0.81, 0.79, 0.805], [0.6, 0.6, 0.6]],
        ]
    )
    assert noisy.best_alpha("A") == 0.0 and noisy.best_alpha("B") == 0.1
    assert set(noisy.common_alphas()) == {0.0, 0.1}


def test_summary(result):
    rows = result.summary()
    assert [r["dataset"] for r in rows] == list(result.datasets)
    assert rows[0]["best_mean_acc"] == round(float(result.mean[0].max()), 3)
    assert rows[1]["one_test_example"] == round(1 / result.n_test[1], 3)


def test_dict_round_trip(result):
    back = AlphaSweepResult.from_dict(json.loads(json.dumps(result.to_dict())))
    assert (back.datasets, back.alphas, back.seeds) == (
        result.datasets,
        result.alphas,
        result.seeds,
    )
    np.testing.assert_array_equal(back.test_accuracy, result.test_accuracy)
    assert back.tied_with_best("wine") == result.tied_with_best("wine")
