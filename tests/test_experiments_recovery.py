import json

import matplotlib
import numpy as np
import pytest
from matplotlib.figure import Figure

from relu_notes.experiments.recovery import RecoveryResult, run_recovery, steps_to_recover
from relu_notes.plotting import controls
from relu_notes.plotting.style import BOOK_WIDTH, DPI

matplotlib.use("Agg")

TINY = {"alphas": (0.03, 0.3), "seeds": (0, 1), "max_steps": 2000}


@pytest.fixture(scope="module")
def result():
    return run_recovery(**TINY)


def test_shapes_and_determinism(result):
    assert result.steps_array.shape == (2, 2, 2)
    assert result.optimizers == ("sgd", "adam")
    np.testing.assert_array_equal(result.steps_array, run_recovery(**TINY).steps_array)
    assert result.steps("sgd", 0.03).shape == (2,) and result.n_capped() == 0


def test_sgd_recovers_faster_with_a_larger_alpha(result):
    assert np.all(result.steps("sgd", 0.3) < result.steps("sgd", 0.03))
    slope = result.log_slope("sgd")
    assert slope.shape == (2,) and np.all((slope > -1.3) & (slope < -0.8))


def test_adam_largely_cancels_alpha(result):
    ratio = result.steps("adam", 0.03) / result.steps("adam", 0.3)
    assert np.all((ratio > 0.5) & (ratio < 2.0))
    assert np.all(np.abs(result.log_slope("adam")) < 0.3)


def test_log_slope_is_least_squares():
    steps = np.array([[[100.0], [10.0], [1.0]]])  # one optimizer, three alphas, one seed
    fake = RecoveryResult(("sgd",), (0.01, 0.1, 1.0), (0,), {"sgd": 0.1}, "teacher", 10, 1, steps)
    assert fake.log_slope("sgd") == pytest.approx([-1.0])


def test_relu_never_recovers_and_is_flagged_as_capped():
    for optimizer in ("sgd", "adam"):
        assert steps_to_recover(0.0, optimizer, max_steps=30) == 30
    capped = run_recovery((0.0, 0.3), optimizers=("adam",), seeds=(0,), max_steps=300)
    assert capped.capped("adam", 0.0).tolist() == [True]
    assert capped.capped("adam", 0.3).tolist() == [False] and capped.n_capped() == 1


def test_settings_change_the_count():
    base = steps_to_recover(0.3, "sgd")
    assert steps_to_recover(0.3, "sgd", lr=0.2) < base
    assert steps_to_recover(0.3, "sgd", min_active=20) > base
    assert steps_to_recover(0.3, "sgd", target="constant") != base
    with pytest.raises(ValueError):
        steps_to_recover(0.3, target="zero")
    with pytest.raises(ValueError):
        run_recovery(optimizers=("rmsprop",))
    with pytest.raises(ValueError):
        RecoveryResult.steps(run_recovery((0.3,), seeds=(0,)), "sgd", 0.5)


def test_dict_round_trip(result):
    back = RecoveryResult.from_dict(json.loads(json.dumps(result.to_dict())))
    assert back.alphas == result.alphas and back.lrs == result.lrs
    np.testing.assert_array_equal(back.steps_array, result.steps_array)
    np.testing.assert_array_equal(back.log_slope("adam"), result.log_slope("adam"))


def test_summary(result):
    rows = result.summary()
    assert [r["optimizer"] for r in rows] == ["sgd", "adam"]
    assert rows[0]["steps@0.03"] > rows[0]["steps@0.3"]


def test_recovery_figure(result, png_bytes):
    fig = controls.plot_recovery(result)
    assert isinstance(fig, Figure) and fig.dpi == DPI and fig.get_figwidth() <= BOOK_WIDTH
    (ax,) = fig.axes
    assert ax.get_xscale() == ax.get_yscale() == "log"
    assert ax.get_xlabel() and ax.get_ylabel() and ax.get_title() and ax.get_legend()
    png = png_bytes(fig)
    assert len(png) < 80_000 and png == png_bytes(controls.plot_recovery(result))
    text = controls.recovery_alt_text(result)
    assert "plain SGD" in text and "Adam" in text and len(text) > 60


def test_recovery_figure_marks_capped_runs(png_bytes):
    capped = run_recovery((0.01, 0.3), seeds=(0,), max_steps=100)
    assert capped.n_capped() > 0
    fig = controls.plot_recovery(capped)
    assert any(line.get_label() == "cap" for line in fig.axes[0].get_lines())
    assert "capped" in controls.recovery_alt_text(capped)
