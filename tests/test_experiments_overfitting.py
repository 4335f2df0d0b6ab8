import numpy as np
import pytest

from relu_notes.experiments.overfitting import run_overfitting

SMALL = {"train_sizes": (20, 200), "seeds": (0, 1), "steps": 40}


@pytest.fixture(scope="module")
def result():
    return run_overfitting(**SMALL)


def test_shapes_and_determinism(result):
    assert result.train_acc.shape == (3, 2, 2)
    again = run_overfitting(**SMALL)
    np.testing.assert_array_equal(result.test_acc, again.test_acc)


def test_gap_shrinks_with_more_data(result):
    assert np.all(result.gap_mean[:, 0] > result.gap_mean[:, 1])
    assert np.all(result.test_acc[:, 0].mean(axis=1) < result.test_acc[:, 1].mean(axis=1))
    assert np.all(result.train_acc[:, 0] == 1.0)  # 20 examples are memorized


def test_gap_difference_is_paired(result):
    diff, se = result.gap_difference("prelu")
    expected = (result.gap[2, 0] - result.gap[0, 0]).mean()
    assert diff == pytest.approx(expected)
    assert se >= 0
    assert result.gap_difference("relu") == (0.0, 0.0)


def test_summary(result):
    rows = result.summary()
    assert set(rows[0]) == {"activation", "gap@20", "gap@200", "test@20"}
