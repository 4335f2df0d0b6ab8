"""The experiments limit BLAS to one thread while they run, and only then."""

import numpy as np
import pytest
from threadpoolctl import threadpool_info, threadpool_limits

from relu_notes import mlp
from relu_notes.blas import one_blas_thread
from relu_notes.experiments import run_born_dead, run_init_gain


def _blas_threads():
    return [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]


@pytest.fixture
def two_blas_threads():
    """Start from two BLAS threads (one would make the tests below pass trivially)."""
    if not _blas_threads():
        pytest.skip("NumPy reports no BLAS thread pool here")
    with threadpool_limits(limits=2, user_api="blas"):
        if max(_blas_threads()) < 2:
            pytest.skip("this BLAS cannot run two threads here")
        yield


def test_one_blas_thread_inside_and_restored_after(two_blas_threads):
    seen = one_blas_thread(_blas_threads)()
    assert seen and set(seen) == {1}
    assert max(_blas_threads()) == 2


def test_training_runs_on_one_blas_thread(two_blas_threads, monkeypatch):
    seen = []
    original = mlp.MLP.loss_and_grads

    def spy(self, X, y):
        seen.extend(_blas_threads())
        return original(self, X, y)

    monkeypatch.setattr(mlp.MLP, "loss_and_grads", spy)
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((32, 3)), rng.integers(0, 2, 32)
    mlp.train(mlp.MLP((3, 8, 2), seed=0), X, y, epochs=1, batch_size=16)
    assert seen and set(seen) == {1}
    assert max(_blas_threads()) == 2


@pytest.mark.parametrize("experiment", [run_born_dead, run_init_gain])
def test_experiments_keep_their_names_and_docs(experiment):
    assert experiment.__name__.startswith("run_")
    assert experiment.__doc__
