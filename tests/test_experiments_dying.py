import numpy as np
import pytest

from relu_notes.experiments.dying import run_dying

SMALL = {"hidden": (32, 32), "epochs_after": 6, "seeds": (0,)}


@pytest.fixture(scope="module")
def result():
    return run_dying(**SMALL)


def test_shapes(result):
    n_rec = 2 + 1 + 6 + 1
    assert result.epoch.tolist() == [0, 1, 2, 2, 3, 4, 5, 6, 7, 8]
    assert result.dead_fraction.shape == (3, 1, n_rec)
    assert result.dead_fraction_layers.shape == (3, 1, n_rec, 2)
    assert result.test_acc.shape == (3, 1, n_rec)


def test_deterministic(result):
    again = run_dying(**SMALL)
    np.testing.assert_array_equal(result.dead_fraction, again.dead_fraction)
    np.testing.assert_array_equal(result.test_acc, again.test_acc)


def test_shift_kills_units_and_relu_stays_more_dead(result):
    for act in result.activations:
        assert result.dead_fraction[result.activations.index(act), 0, 2] == 0.0
        assert result.dead_after_shift(act) > 0.05
    assert result.final_dead("relu") > result.final_dead("leaky_relu") + 0.05
    assert result.final_dead("relu") > result.final_dead("prelu") + 0.05
    assert result.final_test_acc("leaky_relu") > result.final_test_acc("relu")


def test_without_shift_nothing_dies():
    res = run_dying(hidden=(16,), bias_shift=0.0, epochs_after=2, seeds=(0,), activations=("relu",))
    assert res.final_dead("relu") < 0.1


def test_summary(result):
    rows = result.summary()
    assert [r["activation"] for r in rows] == list(result.activations)
    assert rows[0]["dead_final"] == round(result.final_dead("relu"), 3)
