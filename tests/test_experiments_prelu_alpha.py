import json

import numpy as np
import pytest

from relu_notes.experiments.arms import ARMS
from relu_notes.experiments.prelu_alpha import PReLUAlphaResult, run_prelu_alpha, spearman
from relu_notes.experiments.stats import paired_interval

SMALL = {"hidden": (16, 16, 16), "seeds": (0, 1), "epochs": 3}


@pytest.fixture(scope="module")
def result():
    return run_prelu_alpha(**SMALL)


def test_shapes_and_determinism(result):
    assert result.alpha_mean.shape == (2, 2, 4, 3)
    assert result.arm_accuracy.shape == (4, 2)
    again = run_prelu_alpha(**SMALL)
    np.testing.assert_array_equal(result.alpha_mean, again.alpha_mean)
    np.testing.assert_array_equal(result.arm_accuracy, again.arm_accuracy)


def test_every_arm_with_the_control_is_trained(result):
    assert result.arms == tuple(a.name for a in ARMS)
    assert "leaky_0.25" in result.arms and result.prelu_init == 0.25
    for name in result.arms:
        acc = result.test_acc(name)
        assert acc.shape == (len(result.seeds),) and np.all((acc > 0.5) & (acc <= 1))
    # the channel mode is the "prelu" arm's run, not a second one
    np.testing.assert_array_equal(result.test_acc("prelu"), result.mode_test_acc("channel"))
    np.testing.assert_array_equal(result.relu_test_acc, result.test_acc("relu"))
    diff = paired_interval(result.test_acc("prelu"), result.test_acc("leaky_0.25"))
    assert diff.n == len(result.seeds)


def test_alphas_start_at_init_and_move(result):
    np.testing.assert_allclose(result.alpha_mean[:, :, 0, :], 0.25)
    assert np.abs(result.alpha_mean[:, :, -1, :] - 0.25).max() > 0.005
    channel, shared = result.alpha_final[0][0], result.alpha_final[1][0]
    assert [a.shape for a in channel] == [(16,)] * 3
    assert [a.shape for a in shared] == [(1,)] * 3
    np.testing.assert_allclose(
        result.layer_means_per_seed("channel")[0], [a.mean() for a in channel]
    )


def test_per_seed_alpha_accessors(result):
    for m, mode in enumerate(result.modes):
        per_seed = result.layer_means_per_seed(mode)
        assert per_seed.shape == (2, 3)
        np.testing.assert_allclose(result.layer_means(mode), per_seed.mean(axis=0))
        finals = [np.concatenate(seed) for seed in result.alpha_final[m]]
        np.testing.assert_allclose(
            result.alpha_change(mode), [np.abs(f - 0.25).max() for f in finals]
        )
        np.testing.assert_allclose(result.unit_spread(mode), [f.std() for f in finals])
        trend = result.depth_trend(mode)
        assert trend.shape == (2,) and np.all(np.abs(trend) <= 1)
        assert trend[1] == pytest.approx(spearman(range(3), per_seed[1]))
        np.testing.assert_allclose(result.first_minus_last(mode), per_seed[:, 0] - per_seed[:, -1])


def test_spearman():
    assert spearman([0, 1, 2, 3], [4, 3, 2, 1]) == pytest.approx(-1)
    assert spearman([0, 1, 2, 3], [1, 5, 6, 9]) == pytest.approx(1)
    assert abs(spearman([0, 1, 2, 3], [1, 4, 3, 2])) < 1


def test_summaries(result):
    rows = result.summary()
    assert [r["arm"] for r in rows] == list(result.arms)
    assert rows[-1]["prelu - arm"] == "" and "[" in rows[2]["prelu - arm"]
    alpha_rows = result.alpha_summary()
    assert [r["mode"] for r in alpha_rows] == ["channel", "shared"]
    assert -1 <= alpha_rows[0]["spearman_depth"] <= 1


def test_bad_settings():
    with pytest.raises(ValueError):
        run_prelu_alpha(modes=("per-pixel",), **SMALL)
    with pytest.raises(ValueError):
        run_prelu_alpha(arms=("relu",), modes=("channel",), **SMALL)


def test_final_alphas_flattens_layers_and_seeds(result):
    for m, mode in enumerate(result.modes):
        flat = result.final_alphas(mode)
        expected = [a for seed in result.alpha_final[m] for layer in seed for a in layer]
        assert flat.tolist() == expected


def test_dict_round_trip(result):
    data = json.loads(json.dumps(result.to_dict()))
    back = PReLUAlphaResult.from_dict(data)
    assert back.arms == result.arms and back.hidden == result.hidden
    assert back.settings == result.settings
    np.testing.assert_array_equal(back.alpha_mean, result.alpha_mean)
    np.testing.assert_array_equal(back.final_alphas("shared"), result.final_alphas("shared"))
    for name in result.arms:
        np.testing.assert_array_equal(back.test_acc(name), result.test_acc(name))
