import inspect
import json

import numpy as np
import pytest
from matplotlib.figure import Figure

from relu_notes.experiments.dying import CURVES, DyingResult, run_dying
from relu_notes.experiments.settle import SettlingRule
from relu_notes.experiments.stats import paired_interval
from relu_notes.plotting.dying import alt_text_dying_stress, plot_dying_stress

RULE = SettlingRule(min_epochs=4, max_epochs=8, chunk=2)
SMALL = {"hidden": (16, 16), "seeds": (0, 1), "shift_epoch": 1, "settling": RULE}
ARMS = ("relu", "leaky_0.01", "leaky_0.25", "prelu")


@pytest.fixture(scope="module")
def result():
    return run_dying(**SMALL)


def test_shapes_and_epochs(result):
    assert result.arms == ARMS and result.seeds == (0, 1)
    n_rec = result.epoch.size
    assert result.epoch[:4].tolist() == [0, 1, 1, 2]  # the shift epoch twice
    assert n_rec == 1 + 1 + 1 + result.run_epochs.max()
    assert result.dead_fraction.shape == (4, 2, n_rec)
    assert result.dead_fraction_layers.shape == (4, 2, n_rec, 2)
    assert result.nearly_dead_fraction_layers.shape == (4, 2, n_rec, 2)
    assert result.final_active.shape == (4, 2, 32)
    assert result.run_settled.dtype == bool and result.run_epochs.shape == (4, 2)
    assert np.all((result.run_epochs >= 4) & (result.run_epochs <= 8))
    assert np.all(result.run_epochs % 2 == 0)  # checked after each chunk of 2
    assert not result.run_diverged.any()


def test_per_seed_accessors(result):
    for a in ARMS:
        for values in (
            result.dead_after_shift(a),
            result.final_dead(a),
            result.final_dead(a, layer=0),
            result.final_nearly_dead(a),
            result.final_test_acc(a),
            result.epochs_run(a),
        ):
            assert values.shape == (2,) and np.all(np.isfinite(values))
        assert result.settled(a).dtype == bool and result.settled(a).shape == (2,)
        assert np.all(result.final_nearly_dead(a) >= result.final_dead(a))
        for s in range(2):  # the final value is the run's last record, not padding
            last = 1 + 1 + result.epochs_run(a)[s]
            assert result.final_test_acc(a)[s] == result.test_acc[ARMS.index(a), s, last]
            assert np.isnan(result.test_acc[ARMS.index(a), s, last + 1 :]).all()
    assert paired_interval(result.final_dead("relu"), result.final_dead("prelu")).n == 2


def test_deterministic(result):
    again = run_dying(**SMALL)
    for name in CURVES:
        np.testing.assert_array_equal(getattr(result, name), getattr(again, name))
    np.testing.assert_array_equal(result.run_epochs, again.run_epochs)


def test_to_dict_round_trip_through_json(result):
    data = json.loads(json.dumps(result.to_dict(), allow_nan=False))
    back = DyingResult.from_dict(data)
    for name in (*CURVES, "epoch", "final_active", "run_settled", "run_epochs", "run_diverged"):
        np.testing.assert_array_equal(getattr(back, name), getattr(result, name))
    assert back.settings == result.settings
    again = run_dying(**back.settings)  # the stored settings reproduce the run
    np.testing.assert_array_equal(again.dead_fraction, result.dead_fraction)


def test_shift_kills_relu_units_and_dead_first_layer_relu_units_stay_dead(result):
    i = ARMS.index("relu")
    assert np.all(result.dead_after_shift("relu") > 0.1)
    layer1 = result.dead_fraction_layers[i, :, 2:, 0]  # from right after the shift on
    for s in range(2):
        curve = layer1[s][~np.isnan(layer1[s])]
        assert np.all(curve >= curve[0])


def test_labelled_as_a_stress_test(result):
    assert result.label.startswith("stress test")
    rows = result.summary()
    assert [r["arm"] for r in rows] == list(ARMS)
    assert rows[0]["settled"].endswith("/2")


def test_figure_and_alt_text(result):
    fig = plot_dying_stress(result)
    assert isinstance(fig, Figure) and len(fig.axes) == 3
    text = alt_text_dying_stress(result)
    assert "stress test" in text and "ReLU" in text


def test_settings_are_the_runner_arguments(result):
    parameters = inspect.signature(run_dying).parameters
    assert set(result.settings) == set(parameters)
    for name, p in parameters.items():
        if name not in SMALL:
            assert result.settings[name] == json.loads(json.dumps(p.default)), name
