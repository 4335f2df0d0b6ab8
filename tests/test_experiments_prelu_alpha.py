import numpy as np
import pytest

from relu_notes.experiments.prelu_alpha import run_prelu_alpha, spearman

SMALL = {"hidden": (16, 16, 16), "seeds": (0,), "epochs": 3}


@pytest.fixture(scope="module")
def result():
    return run_prelu_alpha(**SMALL)


def test_shapes_and_determinism(result):
    assert result.alpha_mean.shape == (2, 1, 4, 3)
    again = run_prelu_alpha(**SMALL)
    np.testing.assert_array_equal(result.alpha_mean, again.alpha_mean)


def test_alphas_start_at_init_and_move(result):
    np.testing.assert_allclose(result.alpha_mean[:, :, 0, :], 0.25)
    assert np.abs(result.alpha_mean[:, :, -1, :] - 0.25).max() > 0.005
    channel, shared = result.alpha_final[0][0], result.alpha_final[1][0]
    assert [a.shape for a in channel] == [(16,)] * 3
    assert [a.shape for a in shared] == [(1,)] * 3
    np.testing.assert_allclose(result.layer_means("channel"), [a.mean() for a in channel])


def test_spearman():
    assert spearman([0, 1, 2, 3], [4, 3, 2, 1]) == pytest.approx(-1)
    assert spearman([0, 1, 2, 3], [1, 5, 6, 9]) == pytest.approx(1)
    assert abs(spearman([0, 1, 2, 3], [1, 4, 3, 2])) < 1


def test_summary_and_baseline(result):
    rows = result.summary()
    assert [r["mode"] for r in rows] == ["channel", "shared"]
    assert 0.5 < rows[0]["relu_test_acc"] <= 1
    assert -1 <= rows[0]["spearman_depth"] <= 1


def test_bad_mode():
    with pytest.raises(ValueError):
        run_prelu_alpha(modes=("per-pixel",), **SMALL)


def test_final_alphas_flattens_layers_and_seeds(result):
    for m, mode in enumerate(result.modes):
        flat = result.final_alphas(mode)
        expected = [a for seed in result.alpha_final[m] for layer in seed for a in layer]
        assert flat.tolist() == expected
