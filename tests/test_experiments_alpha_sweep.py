import numpy as np
import pytest

from relu_notes.experiments.alpha_sweep import AlphaSweepResult, run_alpha_sweep

SMALL = {"datasets": ("moons", "wine"), "alphas": (0.0, 0.1, 0.5), "seeds": (0, 1), "epochs": 8}


@pytest.fixture(scope="module")
def result():
    return run_alpha_sweep(**SMALL)


def test_shapes_and_determinism(result):
    assert result.test_acc.shape == (2, 3, 2)
    again = run_alpha_sweep(**SMALL)
    np.testing.assert_array_equal(result.test_acc, again.test_acc)
    assert np.all((result.test_acc > 0.5) & (result.test_acc <= 1))


def test_best_is_tied_with_itself(result):
    for d in result.datasets:
        assert result.best_alpha(d) in result.tied_with_best(d)
    common = result.common_alphas()
    assert all(a in result.tied_with_best(d) for a in common for d in result.datasets)


def _fake(acc):
    acc = np.asarray(acc, dtype=float)
    return AlphaSweepResult(("A", "B"), (0.0, 0.1, 0.5), (0, 1, 2), (100, 100), acc, acc)


def test_tie_rule_distinguishes_real_differences():
    clear = _fake(
        [
            [[0.9, 0.9, 0.9], [0.8, 0.8, 0.8], [0.7, 0.7, 0.7]],
            [[0.7, 0.7, 0.7], [0.8, 0.8, 0.8], [0.9, 0.9, 0.9]],
        ]
    )
    assert clear.best_alpha("A") == 0.0 and clear.best_alpha("B") == 0.5
    assert clear.tied_with_best("A") == (0.0,)
    assert clear.common_alphas() == ()
    noisy = _fake(
        [
            [[0.9, 0.7, 0.8], [0.85, 0.75, 0.8], [0.6, 0.6, 0.6]],
            [[0.8, 0.8, 0.8], [0.805, 0.8, 0.8], [0.6, 0.6, 0.6]],
        ]
    )
    assert noisy.best_alpha("A") == 0.0 and noisy.best_alpha("B") == 0.1
    assert set(noisy.common_alphas()) == {0.0, 0.1}  # within one test example / 2 s.e.


def test_summary(result):
    rows = result.summary()
    assert [r["dataset"] for r in rows] == list(result.datasets)
    assert rows[0]["best_mean_acc"] == round(float(result.mean[0].max()), 3)
