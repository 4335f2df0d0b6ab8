"""The multi-threaded path of the kernels: same bits as one thread and as the textbook formulas.

Arrays of at least ``_kernels.PARALLEL`` elements are split between ``_kernels.THREADS``
threads.  Most tests lower the threshold and force 2 or 3 threads (so that they also run on a
1-CPU machine and split the data at awkward places); one uses the real threshold.
"""

import os
import signal

import numpy as np
import pytest

from relu_notes import (
    _kernels,
    leaky_relu,
    leaky_relu_backward,
    prelu,
    prelu_backward,
    relu,
    relu_backward,
)
from relu_notes.reference import (
    leaky_relu_backward_reference,
    leaky_relu_reference,
    prelu_backward_reference,
    prelu_reference,
    relu_backward_reference,
    relu_reference,
)

pytestmark = pytest.mark.filterwarnings("error")  # np.errstate must reach the other threads

MIXED = (0.25, -0.3, 0.0, 1.5, 1.0, 0.01, 7.0)
"""Per-channel slopes that need the branch-free factor (the "select" form)."""
SHAPES = [
    (40, 5, 7, 11),  # short rows: blocks of whole rows with a tile of slopes
    (61, 7, 311),  # rows of 2177: blocks of whole rows, a part boundary inside a row
    (3, 37, 1999),  # long rows of short slabs: blocks with their own tile, channel splits
    (2, 33, _kernels.ROWS + 3),  # long rows: blocks of slabs with a column of slopes
    (3, 5, _kernels.BLOCK + 9),  # long slabs, one scalar slope each, split inside a slab
]


def _reference(fn, *args):
    with np.errstate(all="ignore"):  # inf * 0 and overflow are intended here
        return fn(*args)


@pytest.fixture(params=[2, 3], ids=["2threads", "3threads"])
def threads(request, monkeypatch):
    """Split every array of at least 1000 elements between 2 or 3 threads."""
    monkeypatch.setattr(_kernels, "PARALLEL", 1000)
    monkeypatch.setattr(_kernels, "THREADS", request.param)
    return request.param


def _one_thread(fn, *args, **kwargs):
    """``fn(*args)`` computed on the calling thread only (restoring the thread count)."""
    saved = _kernels.THREADS
    _kernels.THREADS = 1
    try:
        return fn(*args, **kwargs)
    finally:
        _kernels.THREADS = saved


def test_work_is_really_split(threads, monkeypatch):
    calls = []
    pool = _kernels._executor()

    class Counting:
        def submit(self, fn, begin, end):
            calls.append((begin, end))
            return pool.submit(fn, begin, end)

    monkeypatch.setattr(_kernels, "_executor", Counting)
    size = 3 * _kernels.BLOCK + 5
    relu_backward(np.ones(size), np.ones(size))
    assert len(calls) == threads - 1
    assert calls[-1][1] == size
    calls.clear()
    monkeypatch.setattr(_kernels, "PARALLEL", size + 1)  # below the threshold: one thread
    relu_backward(np.ones(size), np.ones(size))
    assert calls == []


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_relu_and_leaky_relu(threads, dtype, edge_values, same_bits):
    size = 5 * _kernels.BLOCK + 77  # odd: parts end inside blocks
    x = edge_values(dtype, size, 0)
    g = edge_values(dtype, size, 1)
    same_bits(relu(x), _reference(relu_reference, x))
    same_bits(relu_backward(g, x), _reference(relu_backward_reference, g, x))
    for slope in (0.0, 0.01, 1.5, -0.3):
        same_bits(leaky_relu(x, slope), _reference(leaky_relu_reference, x, slope))
        same_bits(
            leaky_relu_backward(g, x, slope),
            _reference(leaky_relu_backward_reference, g, x, slope),
        )
        w = np.array([slope], dtype)
        grad_input, grad_weight = prelu_backward(g, x, w)
        expected_input, expected_weight = _reference(prelu_backward_reference, g, x, w)
        same_bits(grad_input, expected_input)
        np.testing.assert_array_equal(grad_weight, _one_thread(prelu_backward, g, x, w)[1])
        np.testing.assert_allclose(grad_weight, expected_weight, rtol=1e-4)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize(
    "pattern", [MIXED, (0.1, 0.2, 0.9), (1.5, 3.0)], ids=["select", "max", "min"]
)
def test_prelu_per_channel(threads, shape, pattern, edge_values, same_bits):
    x = edge_values(np.float32, int(np.prod(shape)), 2).reshape(shape)
    g = np.random.default_rng(3).standard_normal(shape).astype(np.float32)
    w = np.resize(np.array(pattern, np.float32), shape[1])
    same_bits(prelu(x, w), _reference(prelu_reference, x, w))
    grad_input, grad_weight = prelu_backward(g, x, w)
    expected_input, expected_weight = _reference(prelu_backward_reference, g, x, w)
    same_bits(grad_input, expected_input)
    # The block sums are added in block order whatever the thread count: the same bits.
    np.testing.assert_array_equal(grad_weight, _one_thread(prelu_backward, g, x, w)[1])
    np.testing.assert_allclose(grad_weight, expected_weight, rtol=1e-4)


def test_real_threshold(monkeypatch, edge_values, same_bits):
    """Just above the default ``PARALLEL``, with 2 threads, NCHW with a split channel axis."""
    monkeypatch.setattr(_kernels, "THREADS", 2)
    shape = (3, 11, _kernels.PARALLEL // 33 + 7, 1)
    x = edge_values(np.float32, int(np.prod(shape)), 4).reshape(shape)
    g = edge_values(np.float32, x.size, 5).reshape(shape)
    w = np.resize(np.array(MIXED, np.float32), shape[1])
    assert x.size >= _kernels.PARALLEL
    same_bits(relu_backward(g, x), _reference(relu_backward_reference, g, x))
    same_bits(leaky_relu(x, -0.3), _reference(leaky_relu_reference, x, -0.3))
    same_bits(prelu(x, w), _reference(prelu_reference, x, w))
    grad_input, grad_weight = prelu_backward(g, x, w)
    same_bits(grad_input, _reference(prelu_backward_reference, g, x, w)[0])
    np.testing.assert_array_equal(grad_weight, _one_thread(prelu_backward, g, x, w)[1])


@pytest.mark.parametrize("target", ["new", "x", "g"])
def test_out_on_the_parallel_path(threads, target, edge_values, same_bits):
    shape = (3, 7, 2 * _kernels.BLOCK // 7 + 5)
    x0 = edge_values(np.float64, int(np.prod(shape)), 6).reshape(shape)
    g0 = edge_values(np.float64, x0.size, 7).reshape(shape)
    w = np.resize(np.array(MIXED), shape[1])
    cases = {
        "relu": (lambda x, g, out: relu(x, out=out), lambda x, g: relu_reference(x)),
        "relu_backward": (
            lambda x, g, out: relu_backward(g, x, out=out),
            lambda x, g: relu_backward_reference(g, x),
        ),
        "leaky_relu": (
            lambda x, g, out: leaky_relu(x, 1.5, out=out),
            lambda x, g: leaky_relu_reference(x, 1.5),
        ),
        "leaky_relu_backward": (
            lambda x, g, out: leaky_relu_backward(g, x, -0.3, out=out),
            lambda x, g: leaky_relu_backward_reference(g, x, -0.3),
        ),
        "prelu": (lambda x, g, out: prelu(x, w, out=out), lambda x, g: prelu_reference(x, w)),
        "prelu_backward": (
            lambda x, g, out: prelu_backward(g, x, w, out=out)[0],
            lambda x, g: prelu_backward_reference(g, x, w)[0],
        ),
    }
    for name, (fast, textbook) in cases.items():
        x, g = x0.copy(), g0.copy()
        out = {"new": np.empty_like(x), "x": x, "g": g}[target]
        if target == "g" and name in ("relu", "leaky_relu", "prelu"):
            continue  # one input only
        result = fast(x, g, out)
        assert result is out, name
        same_bits(out, _reference(textbook, x0, g0))


def test_errors_in_a_thread_reach_the_caller(monkeypatch):
    monkeypatch.setattr(_kernels, "PARALLEL", 10)
    monkeypatch.setattr(_kernels, "THREADS", 2)

    def work(begin, end):
        if begin > 0:
            raise RuntimeError("second part")
        return begin

    with pytest.raises(RuntimeError, match="second part"):
        _kernels._in_parts(100, work)
    assert _kernels._in_parts(100, lambda begin, end: (begin, end)) == [(0, 50), (50, 100)]


def test_works_in_a_forked_child(monkeypatch, same_bits):
    """A child forked after the pool was made gets a new pool (the old threads are gone)."""
    monkeypatch.setattr(_kernels, "PARALLEL", 1000)
    monkeypatch.setattr(_kernels, "THREADS", 2)
    x = np.linspace(-1, 1, 10_001)
    relu(x)  # creates the pool in the parent
    pid = os.fork()
    if pid == 0:  # child: never return into pytest
        code = 1
        try:
            signal.alarm(30)  # a deadlock would otherwise hang the test run
            code = 0 if np.array_equal(relu(x), np.maximum(x, 0)) else 1
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
