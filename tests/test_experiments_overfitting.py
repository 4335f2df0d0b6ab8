import json

import matplotlib
import numpy as np
import pytest
from matplotlib.figure import Figure

from relu_notes.experiments.overfitting import OverfittingResult, run_overfitting
from relu_notes.experiments.prelu_alpha import run_prelu_alpha
from relu_notes.plotting import controls
from relu_notes.plotting.style import BOOK_WIDTH, DPI

matplotlib.use("Agg")

SMALL = {"train_sizes": (20, 200), "seeds": (0, 1), "steps": 40}


@pytest.fixture(scope="module")
def result():
    return run_overfitting(**SMALL)


def test_shapes_and_determinism(result):
    assert result.train_accuracy.shape == (4, 2, 2)
    assert result.arms == ("relu", "leaky_0.01", "leaky_0.25", "prelu")
    again = run_overfitting(**SMALL)
    np.testing.assert_array_equal(result.test_accuracy, again.test_accuracy)


def test_per_seed_accessors(result):
    for name in result.arms:
        for size in result.train_sizes:
            test, train = result.test_acc(name, size), result.train_acc(name, size)
            assert test.shape == train.shape == (2,)
            np.testing.assert_array_equal(result.gap(name, size), train - test)


def test_small_sets_are_memorised_so_the_gap_is_one_minus_test(result):
    assert result.memorised(20)
    for name in result.arms:
        np.testing.assert_allclose(result.gap(name, 20), 1.0 - result.test_acc(name, 20))
        assert result.test_acc(name, 20).mean() < result.test_acc(name, 200).mean()


def test_summary(result):
    rows = result.summary()
    assert len(rows) == 8 and rows[0]["n"] == 20 and rows[0]["arm"] == "relu"
    assert set(rows[0]) == {"n", "arm", "test_acc", "prelu - arm", "train_acc"}


def test_dict_round_trip(result):
    back = OverfittingResult.from_dict(json.loads(json.dumps(result.to_dict())))
    assert back.train_sizes == result.train_sizes and back.arms == result.arms
    np.testing.assert_array_equal(back.test_accuracy, result.test_accuracy)
    np.testing.assert_array_equal(back.train_acc("prelu", 20), result.train_acc("prelu", 20))


def test_arm_comparison_figure(result, png_bytes):
    learned = run_prelu_alpha(hidden=(8, 8), seeds=(0, 1), epochs=1, modes=("channel",))
    fig = controls.plot_arm_comparison(learned, result)
    assert isinstance(fig, Figure) and fig.dpi == DPI and fig.get_figwidth() <= BOOK_WIDTH
    for ax in fig.axes:
        assert ax.get_xlabel() and ax.get_ylabel() and ax.get_title()
    assert fig.axes[-1].get_legend() is not None
    png = png_bytes(fig)
    assert len(png) < 80_000
    assert png == png_bytes(controls.plot_arm_comparison(learned, result))
    text = controls.arm_comparison_alt_text(learned, result)
    assert "0.25 control" in text and text.count(".") >= 1 and len(text) > 60
