import numpy as np

from relu_notes.experiments.speed import run_speed


def test_speed_result_is_well_formed():
    res = run_speed(shape=(128, 32), repeats=3)
    assert res.shape == (128, 32) and res.dtype == "float32"
    assert res.copy_seconds > 0
    for act in ("relu", "leaky_relu", "prelu"):
        assert res.forward_seconds[act] > 0 and res.backward_seconds[act] > 0
        assert np.isfinite(res.total_ratio(act))
        assert res.total_ratio(act) > res.forward_ratio(act)
    assert [r["activation"] for r in res.summary()] == ["relu", "leaky_relu", "prelu"]


def test_one_ratio_per_round():
    res = run_speed(shape=(256, 64), repeats=4)
    for act in ("relu", "leaky_relu", "prelu"):
        ratios = res.total_ratios(act)
        assert ratios.shape == (4,) and np.all(ratios > 0)
