import numpy as np
import pytest

from relu_notes import _kernels
from relu_notes.experiments import speed
from relu_notes.experiments.speed import run_speed
from relu_notes.optional import import_torch

ACTS = ("relu", "leaky_relu", "prelu")


def test_speed_result_is_well_formed():
    res = run_speed(shape=(128, 32), repeats=3)
    assert res.shape == (128, 32) and res.dtype == "float32"
    assert res.copy_seconds > 0
    for act in ACTS:
        assert res.forward_seconds[act] > 0 and res.backward_seconds[act] > 0
        assert np.isfinite(res.total_ratio(act))
        assert res.total_ratio(act) > res.forward_ratio(act)
    assert [r["activation"] for r in res.summary()] == ["relu", "leaky_relu", "prelu"]


def test_one_ratio_per_round():
    res = run_speed(shape=(256, 64), repeats=4)
    for act in ACTS:
        ratios = res.total_ratios(act)
        assert ratios.shape == (4,) and np.all(ratios > 0)


@pytest.fixture(scope="module")
def result():
    return run_speed(shape=(256, 64), repeats=3, step_calls=5)


def test_every_implementation_has_one_ratio_per_round(result):
    expected = ("torch",) if import_torch() is not None else ()
    assert result.implementations == (*expected, "textbook", "package")
    assert result.threads == (1,) and set(result.round_seconds) == {1}
    for impl in result.implementations:
        for act in ACTS:
            for part in ("forward", "backward", "total"):
                ratios = result.implementation_ratios(impl, act, part)
                assert ratios.shape == (3,) and np.all(ratios > 0) and np.all(np.isfinite(ratios))
            interval = result.implementation_interval(impl, act)
            assert interval.n == 3 and interval.low <= interval.mean <= interval.high
    rows = result.implementation_summary()
    assert len(rows) == 3 * len(result.implementations)
    assert {r["implementation"] for r in rows} == set(result.implementations)


def test_ratios_are_the_recorded_seconds_over_the_baselines(result):
    rounds = result.round_seconds[1]
    base, package = rounds["baseline"], rounds["package"]["prelu"]
    forward, backward = np.array(package["forward"]), np.array(package["backward"])
    copy, add = np.array(base["copy"]), np.array(base["add"])
    np.testing.assert_allclose(
        result.implementation_ratios("package", "prelu", "forward"), forward / copy
    )
    np.testing.assert_allclose(
        result.implementation_ratios("package", "prelu", "backward"), backward / add
    )
    np.testing.assert_allclose(
        result.implementation_ratios("package", "prelu"), (forward + backward) / (copy + add)
    )
    # the legacy per-round ratios are the package's kernels over one copy, same rounds
    np.testing.assert_allclose(result.total_ratios("prelu"), (forward + backward) / copy)
    assert result.copy_seconds == np.median(copy)


def test_unknown_parts_threads_and_implementations(result):
    with pytest.raises(ValueError, match="part"):
        result.implementation_ratios("package", "relu", "sideways")
    with pytest.raises(LookupError, match="threads"):
        result.implementation_ratios("package", "relu", threads=3)
    with pytest.raises(ValueError, match="package"):
        run_speed(shape=(16, 8), repeats=1, implementations=("textbook",))
    with pytest.raises(ValueError, match="unknown"):
        run_speed(shape=(16, 8), repeats=1, implementations=("package", "jax"))


def test_step_share(result):
    assert result.step_sizes == (64, 64, 64, 10) and result.step_batch == 64
    for act in ACTS:
        shares = result.step_shares(act)
        # timings only: a busy machine may stretch either block, so no bound on the share
        assert shares.shape == (3,) and np.all(shares > 0) and np.all(np.isfinite(shares))
        assert result.step_share(act) == pytest.approx(shares.mean())
        seconds = result.step_round_seconds[act]
        np.testing.assert_allclose(
            shares, np.array(seconds["activation"]) / np.array(seconds["step"])
        )
    rows = result.step_summary()
    assert [r["activation"] for r in rows] == list(ACTS)
    assert all(r["share_ci"][0] <= r["share"] <= r["share_ci"][1] for r in rows)


def test_no_training_step():
    res = run_speed(shape=(32, 8), repeats=2, step_calls=0, implementations=("package",))
    assert res.step_round_seconds == {} and res.implementations == ("package",)


def test_two_threads_and_settings_restored():
    torch = import_torch()
    kernels_before = _kernels.THREADS
    torch_before = torch.get_num_threads() if torch is not None else None
    res = run_speed(shape=(64, 32), repeats=2, threads=(1, 2), step_calls=0)
    assert res.threads == (1, 2) and set(res.round_seconds) == {1, 2}
    for impl in res.implementations:
        assert res.implementation_ratios(impl, "relu", threads=2).shape == (2,)
    assert _kernels.THREADS == kernels_before
    if torch is not None:
        assert torch.get_num_threads() == torch_before


def test_torch_timed_when_installed():
    torch = pytest.importorskip("torch")
    res = run_speed(shape=(32, 8), repeats=2, step_calls=0)
    assert res.torch_version == str(torch.__version__)
    assert res.implementation_ratios("torch", "prelu").shape == (2,)


def test_torch_skipped_without_torch(monkeypatch):
    monkeypatch.setattr(speed, "import_torch", lambda: None)
    res = run_speed(shape=(32, 8), repeats=2, step_calls=0)
    assert res.implementations == ("textbook", "package") and res.torch_version is None
    with pytest.raises(LookupError, match="not installed"):
        res.implementation_ratios("torch", "relu")
    assert [r["implementation"] for r in res.implementation_summary()][0] == "textbook"


def test_runs_in_a_python_without_torch(run_without):
    code = (
        "from relu_notes.experiments.speed import run_speed\n"
        "res = run_speed(shape=(32, 8), repeats=2, step_calls=1)\n"
        "print(res.implementations, res.torch_version, len(res.total_ratios('relu')))\n"
    )
    done = run_without("torch", code)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "('textbook', 'package') None 2"
