import inspect
import json

import numpy as np
import pytest
from matplotlib.figure import Figure

from relu_notes.experiments.natural_dying import (
    FINALS,
    LRS,
    NaturalDyingResult,
    run_natural_dying,
)
from relu_notes.plotting.dying import alt_text_natural_dying, plot_natural_dying

SMALL = {
    "lrs": {"sgd": (0.1, 3.0), "adam": (1e-3, 0.3)},
    "seeds": (0, 1),
    "hidden": (16, 16),
    "settling": {"min_epochs": 3, "max_epochs": 6, "chunk": 3},
}
ARMS = ("relu", "leaky_0.01", "leaky_0.25", "prelu")


@pytest.fixture(scope="module")
def result():
    return run_natural_dying(**SMALL)


def test_default_rates_are_five_log_spaced_per_optimizer():
    for rates in LRS.values():
        assert len(rates) == 5
        ratios = np.diff(np.log(rates))
        np.testing.assert_allclose(ratios, ratios[0])


def test_shapes_and_per_seed_accessors(result):
    assert result.optimizers == ("sgd", "adam") and result.arms == ARMS
    assert result.runs["sgd"]["dead"].shape == (2, 4, 2)
    assert result.runs["adam"]["dead_layers"].shape == (2, 4, 2, 2)
    for opt in result.optimizers:
        for lr in result.lrs[opt]:
            for a in ARMS:
                for get in (result.final_dead, result.final_nearly_dead, result.final_test_acc):
                    assert get(opt, lr, a).shape == (2,)
                assert result.settled(opt, lr, a).dtype == bool
                assert np.all(result.epochs_run(opt, lr, a) <= 6)
    with pytest.raises(ValueError):
        result.final_dead("adam", 0.5, "relu")


def test_low_rates_kill_nothing_high_adam_rate_kills_relu(result):
    for a in ARMS:
        assert np.all(result.final_dead("sgd", 0.1, a) == 0.0)
        assert np.all(result.final_dead("adam", 1e-3, a) == 0.0)
    assert np.all(result.final_dead("adam", 0.3, "relu") > 0.2)
    assert result.worst_lr("adam") == 0.3
    assert np.all(
        result.final_nearly_dead("adam", 0.3, "relu") >= result.final_dead("adam", 0.3, "relu")
    )


def test_diverged_runs_are_flagged_with_nan_values(result):
    # plain SGD at lr 3 makes the leaky arms overflow at once; ReLU collapses but stays finite
    assert result.diverged("sgd", 3.0, "leaky_0.25").all()
    assert np.isnan(result.final_dead("sgd", 3.0, "leaky_0.25")).all()
    assert not result.settled("sgd", 3.0, "leaky_0.25").any()
    assert not result.diverged("sgd", 3.0, "relu").any()
    assert result.worst_lr("sgd", "prelu") == 0.1  # a rate where every run diverged is skipped
    rows = result.summary()
    assert len(rows) == 2 * 2 * 4
    assert any(r["dead"] == "diverged" for r in rows)


def test_deterministic(result):
    again = run_natural_dying(**SMALL)
    for opt in result.optimizers:
        for name in FINALS:
            np.testing.assert_array_equal(again.runs[opt][name], result.runs[opt][name])


def test_to_dict_round_trip_through_json(result):
    data = json.loads(json.dumps(result.to_dict(), allow_nan=False))
    back = NaturalDyingResult.from_dict(data)
    assert back.settings == result.settings
    for opt in result.optimizers:
        for name in FINALS:
            assert back.runs[opt][name].dtype == result.runs[opt][name].dtype
            np.testing.assert_array_equal(back.runs[opt][name], result.runs[opt][name])
    assert back.worst_lr("adam") == result.worst_lr("adam")


def test_figure_and_alt_text(result):
    for measure in ("dead", "nearly_dead", "test_acc"):
        fig = plot_natural_dying(result, measure)
        assert isinstance(fig, Figure) and len(fig.axes) == 2
    text = alt_text_natural_dying(result)
    assert "sgd at lr 3" in text and "adam at lr 0.3" in text


def test_settings_are_the_runner_arguments(result):
    parameters = inspect.signature(run_natural_dying).parameters
    assert set(result.settings) == set(parameters)
    defaults = {name: p.default for name, p in parameters.items() if name not in SMALL}
    for name, value in defaults.items():
        assert result.settings[name] == json.loads(json.dumps(value)), name
