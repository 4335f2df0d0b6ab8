import json

import matplotlib
import numpy as np
import pytest
from matplotlib.figure import Figure

from relu_notes.experiments.arms import ARMS
from relu_notes.experiments.report import format_table
from relu_notes.experiments.stats import Interval, paired_interval
from relu_notes.experiments.xu_comparison import (
    COMPARISONS,
    XU_ARMS,
    XuComparisonResult,
    run_xu_comparison,
    xu_arm,
)
from relu_notes.plotting.style import BOOK_WIDTH, DPI
from relu_notes.plotting.xu import plot_xu_comparison, xu_comparison_alt_text

matplotlib.use("Agg")

TINY = {"train_size": 40, "seeds": (0, 1), "hidden": (8,), "steps": 6, "dataset": "iris"}


@pytest.fixture(scope="module")
def result():
    return run_xu_comparison(**TINY)


def test_arms_reuse_the_shared_ones_and_add_three():
    names = [a.name for a in XU_ARMS]
    assert names == [
        "relu",
        "leaky_0.01",
        "leaky_0.18",
        "leaky_0.25",
        "prelu",
        "rrelu_torch",
        "rrelu_xu",
    ]
    assert set(ARMS) <= set(XU_ARMS)
    assert xu_arm("leaky_0.18").slope == pytest.approx(1 / 5.5)
    assert xu_arm("rrelu_xu").slope == pytest.approx(1 / 5.5)
    assert xu_arm("rrelu_torch").slope == pytest.approx((1 / 8 + 1 / 3) / 2)
    for name in ("rrelu_torch", "rrelu_xu"):
        model = xu_arm(name).model((4, 5, 3), seed=0)
        assert model.activation == "rrelu" and model.rrelu.variant == name.split("_")[1]
        assert model.rrelu.eval_slope == pytest.approx(xu_arm(name).slope)
    assert all(a.label for a in XU_ARMS)
    with pytest.raises(ValueError):
        xu_arm("rrelu")


def test_shapes_accessors_and_determinism(result):
    assert result.arms == tuple(a.name for a in XU_ARMS)
    assert result.train_accuracy.shape == result.test_cross_entropy.shape == (7, 2)
    assert result.train_size == 40 and result.settings["epochs"] == 3  # 40 / 32: 2 steps each
    for name in result.arms:
        for metric in ("test_acc", "train_acc", "loss_gap", "test_loss", "train_loss"):
            assert result.metric(metric, name).shape == (2,)
        np.testing.assert_array_equal(
            result.loss_gap(name), result.test_loss(name) - result.train_loss(name)
        )
        assert np.all(result.train_loss(name) > 0) and np.all(result.test_acc(name) <= 1)
    again = run_xu_comparison(**TINY)
    for field in ("train_accuracy", "test_accuracy", "train_cross_entropy", "test_cross_entropy"):
        np.testing.assert_array_equal(getattr(result, field), getattr(again, field))
    # RReLU trains differently from the fixed slope it is evaluated with
    assert not np.array_equal(result.train_loss("rrelu_xu"), result.train_loss("leaky_0.18"))


def test_paired_summary_and_comparisons(result):
    ci = result.paired("loss_gap", "rrelu_xu", "leaky_0.18")
    assert isinstance(ci, Interval) and ci.n == 2
    expected = paired_interval(result.loss_gap("rrelu_xu"), result.loss_gap("leaky_0.18"))
    assert ci == expected
    with pytest.raises(ValueError):
        result.metric("gap", "relu")
    rows = result.summary()
    assert [r["arm"] for r in rows] == list(result.arms)
    assert set(rows[0]) == {"arm", "test_acc", "loss_gap", "train_acc", "train_loss", "test_loss"}
    comparisons = result.comparisons()
    assert len(comparisons) == len(COMPARISONS)
    assert set(comparisons[0]) == {"comparison", "loss_gap", "test_acc", "train_loss"}
    assert "rrelu_xu" in format_table(rows)
    assert format_table(comparisons).count("\n") == len(COMPARISONS) + 1
    assert isinstance(result.memorised(), bool)


def test_subset_of_arms():
    small = run_xu_comparison(**{**TINY, "seeds": (0,)}, arms=("relu", "rrelu_xu"))
    assert small.arms == ("relu", "rrelu_xu") and small.test_accuracy.shape == (2, 1)
    assert small.comparisons() == []


def test_dict_round_trip(result):
    back = XuComparisonResult.from_dict(json.loads(json.dumps(result.to_dict())))
    assert back.arms == result.arms and back.seeds == result.seeds
    assert back.settings == result.settings
    np.testing.assert_array_equal(back.test_cross_entropy, result.test_cross_entropy)
    np.testing.assert_array_equal(back.loss_gap("prelu"), result.loss_gap("prelu"))
    assert back.summary() == result.summary()


def test_figure_and_alt_text(result, png_bytes):
    fig = plot_xu_comparison(result)
    assert isinstance(fig, Figure) and fig.dpi == DPI and fig.get_figwidth() <= BOOK_WIDTH
    assert len(fig.axes) == 4
    for ax in fig.axes:
        assert ax.get_xlabel() and ax.get_ylabel() and ax.get_title()
    png = png_bytes(fig)
    assert png == png_bytes(plot_xu_comparison(result))
    text = xu_comparison_alt_text(result)
    assert text.endswith(".") and "RReLU-Xu − Leaky 1/5.5" in text and len(text) > 100
