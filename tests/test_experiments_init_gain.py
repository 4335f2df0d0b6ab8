import numpy as np
import pytest

from relu_notes.experiments.init_gain import run_init_gain


@pytest.fixture(scope="module")
def result():
    return run_init_gain(depth=12, width=256, n_samples=128)


def test_deterministic(result):
    np.testing.assert_array_equal(
        result.measured, run_init_gain(depth=12, width=256, n_samples=128).measured
    )


def test_analytic_ratios(result):
    ratios = [result.per_layer_ratio(i) for i in range(len(result.configs))]
    np.testing.assert_allclose(ratios, [1.0, 1.0, 1.25, 0.5])
    np.testing.assert_allclose(result.analytic[2, -1], 1.25**11)


def test_measured_follows_theory(result):
    log_err = np.abs(np.log10(result.measured / result.analytic))
    assert log_err.max() < 0.3
    assert result.measured[2, -1] > 10 and result.measured[3, -1] < 0.01
    assert 0.3 < result.measured[0, -1] < 3 and 0.3 < result.measured[1, -1] < 3


def test_summary(result):
    rows = result.summary()
    assert rows[2]["ratio_per_layer"] == pytest.approx(1.25)
    assert rows[0]["final_measured"] == pytest.approx(result.measured[0, -1], rel=1e-2)
