import json

import numpy as np
import pytest

from relu_notes.experiments.arms import ARMS
from relu_notes.experiments.cnn_alpha import CNNAlphaResult, image_split, run_cnn_alpha
from relu_notes.experiments.prelu_alpha import spearman
from relu_notes.experiments.report import format_table
from relu_notes.experiments.stats import mean_interval, paired_interval
from relu_notes.plotting import style
from relu_notes.plotting.cnn import cnn_alpha_alt_text, plot_cnn_alpha

SMALL = {"channels": (4, 4, 4), "seeds": (0, 1), "epochs": 3, "lr": 0.05, "lr_drops": (2,)}
RUNS = ("relu", "leaky_0.01", "leaky_0.25", "prelu", "prelu_shared", "prelu_decay")


@pytest.fixture(scope="module")
def result():
    return run_cnn_alpha(**SMALL)


def test_shapes_and_determinism(result):
    assert result.depth == 3 and result.runs == RUNS
    assert result.arms == tuple(a.name for a in ARMS)
    assert result.modes == ("channel", "shared", "channel_decay")
    assert result.alpha_mean.shape == (3, 2, 4, 3)  # modes, seeds, epochs + 1, layers
    assert result.test_accuracy.shape == result.train_loss.shape == (6, 2)
    assert result.epoch.tolist() == [0, 1, 2, 3]
    again = run_cnn_alpha(**SMALL)
    np.testing.assert_array_equal(result.alpha_mean, again.alpha_mean)
    np.testing.assert_array_equal(result.test_accuracy, again.test_accuracy)
    np.testing.assert_array_equal(result.train_loss, again.train_loss)


def test_every_run_learns_and_alphas_move(result):
    # three epochs of a 4-channel net: well above chance (0.1), below a uniform guess's loss
    for name in result.runs:
        acc = result.test_acc(name)
        assert acc.shape == (2,) and np.all((acc > 0.15) & (acc <= 1))
    assert np.all(result.train_loss < np.log(10))
    np.testing.assert_allclose(result.alpha_mean[:, :, 0, :], 0.25)
    assert np.abs(result.alpha_mean[:, :, -1, :] - 0.25).max() > 0.01
    channel, shared = result.alpha_final[0][1], result.alpha_final[1][1]
    assert [a.shape for a in channel] == [(4,)] * 3
    assert [a.shape for a in shared] == [(1,)] * 3


def test_per_seed_accessors(result):
    np.testing.assert_array_equal(result.mode_test_acc("channel"), result.test_acc("prelu"))
    np.testing.assert_array_equal(result.mode_test_acc("shared"), result.test_acc("prelu_shared"))
    np.testing.assert_array_equal(
        result.mode_test_acc("channel_decay"), result.test_acc("prelu_decay")
    )
    diff = result.paired("prelu", "leaky_0.25")
    assert diff == paired_interval(result.test_acc("prelu"), result.test_acc("leaky_0.25"))
    for m, mode in enumerate(result.modes):
        per_seed = result.layer_means_per_seed(mode)
        assert per_seed.shape == (2, 3)
        finals = result.alpha_final[m]
        np.testing.assert_allclose(per_seed, [[a.mean() for a in seed] for seed in finals])
        np.testing.assert_allclose(result.layer_means(mode), per_seed.mean(axis=0))
        assert [c.mean for c in result.layer_intervals(mode)] == pytest.approx(
            result.layer_means(mode)
        )
        np.testing.assert_allclose(result.mean_alpha(mode), per_seed.mean(axis=1))
        trend = result.depth_trend(mode)
        assert trend.shape == (2,) and np.all(np.abs(trend) <= 1)
        assert trend[0] == pytest.approx(spearman(range(3), per_seed[0]))
        np.testing.assert_allclose(result.first_minus_last(mode), per_seed[:, 0] - per_seed[:, 2])
        expected = [a for seed in finals for layer in seed for a in layer]
        assert result.final_alphas(mode).tolist() == expected


def test_summaries(result):
    rows = result.summary()
    assert [r["run"] for r in rows] == list(RUNS)
    prelu = rows[RUNS.index("prelu")]
    assert prelu["prelu - arm"] == "" and "[" in rows[RUNS.index("leaky_0.25")]["prelu - arm"]
    acc = mean_interval(result.test_acc("relu"))
    assert rows[0]["test_acc"] == f"{acc.mean:.3f} [{acc.low:.3f}, {acc.high:.3f}]"
    alpha_rows = result.alpha_summary()
    assert [r["mode"] for r in alpha_rows] == list(result.modes)
    assert alpha_rows[0]["spearman_depth"] == str(mean_interval(result.depth_trend("channel")))
    assert "PReLU shared" in format_table(rows)


def test_alpha_decay_is_the_only_difference_of_the_decay_run():
    kw = {**SMALL, "seeds": (0,), "arms": ("prelu",), "modes": ("channel", "channel_decay")}
    same = run_cnn_alpha(alpha_decay=0.0, **kw)
    np.testing.assert_array_equal(same.alpha_mean[0], same.alpha_mean[1])
    np.testing.assert_array_equal(same.test_acc("prelu"), same.test_acc("prelu_decay"))
    pulled = run_cnn_alpha(alpha_decay=2.0, **kw)
    assert np.all(pulled.layer_means("channel_decay") < pulled.layer_means("channel") - 0.01)


def test_dict_round_trip(result):
    data = json.loads(json.dumps(result.to_dict()))
    back = CNNAlphaResult.from_dict(data)
    assert back.runs == result.runs and back.channels == result.channels
    assert back.settings == json.loads(json.dumps(result.settings))
    np.testing.assert_array_equal(back.alpha_mean, result.alpha_mean)
    np.testing.assert_array_equal(back.final_alphas("shared"), result.final_alphas("shared"))
    for mode in result.modes:
        np.testing.assert_array_equal(back.depth_trend(mode), result.depth_trend(mode))
    for name in result.runs:
        np.testing.assert_array_equal(back.test_acc(name), result.test_acc(name))
    assert back.summary() == result.summary()


def test_figure(result, png_bytes):
    fig = plot_cnn_alpha(result)
    width, _ = fig.get_size_inches()
    assert width <= 7 and fig.dpi == style.DPI
    for ax in fig.axes:
        assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()
    assert png_bytes(fig) == png_bytes(plot_cnn_alpha(result))  # same result, same image
    text = cnn_alpha_alt_text(result)
    assert "3 conv layers" in text and str(result.paired("prelu", "leaky_0.25")) in text


def test_image_split_standardizes_with_one_mean_and_std():
    split = image_split("digits", seed=0)
    assert split.X_train.shape[1] == 64
    assert split.X_train.mean() == pytest.approx(0, abs=1e-12)
    assert split.X_train.std() == pytest.approx(1)
    assert np.ptp(split.X_train.std(axis=0)) > 0.5  # pixels keep their own spread


def test_bad_settings():
    with pytest.raises(ValueError):
        run_cnn_alpha(modes=("per-pixel",), **SMALL)
    with pytest.raises(ValueError):
        run_cnn_alpha(arms=("relu",), modes=("channel",), **SMALL)
