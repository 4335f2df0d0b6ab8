"""The multi-threaded path of the kernels: same bits as one thread and as the textbook formulas.

Arrays of at least ``_kernels.PARALLEL`` elements are split between ``_kernels.THREADS``
threads.  Most tests lower the threshold and force 2 or 3 threads (so that they also run on a
1-CPU machine and cut the list of blocks at awkward places); one uses the real threshold.
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
"""Per-channel slopes that need the factor form ``x * f`` in the forward pass too."""
SHAPES = [
    (40, 5, 7, 11),  # short rows: one block of whole rows, with a tile of slopes
    (61, 7, 311),  # rows of 2177: blocks of 60 whole rows, the last one shorter
    (3, 37, _kernels.BLOCK // 32 + 1),  # rows longer than a block: 31 slabs of a row, then 6
    (2, 33, _kernels.ROWS + 3),  # long slabs: 7 slabs of a row, with a column of slopes
    (3, 5, _kernels.BLOCK + 9),  # slabs longer than a block: cut into pieces
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
    """``fn(*args)`` computed on the calling thread only."""
    with _kernels.threads(1):
        return fn(*args, **kwargs)


class _CountingExecutor:
    """Stands in for ``_kernels._executor``: records the parts handed to other threads."""

    def __init__(self):
        self.parts = []
        self.executor = _kernels._executor  # the real one

    def __call__(self, helpers):
        self.pool = self.executor(helpers)
        return self

    def submit(self, fn, part):
        self.parts.append(part)
        return self.pool.submit(fn, part)


def test_work_is_really_split(threads, monkeypatch):
    counting = _CountingExecutor()
    monkeypatch.setattr(_kernels, "_executor", counting)
    size = 3 * _kernels.BLOCK + 5  # 4 blocks
    relu_backward(np.ones(size), np.ones(size))
    assert len(counting.parts) == threads - 1
    assert counting.parts[-1][-1].where.stop == size  # the last part ends with the last block
    counting.parts.clear()
    monkeypatch.setattr(_kernels, "PARALLEL", size + 1)  # below the threshold: one thread
    relu_backward(np.ones(size), np.ones(size))
    assert counting.parts == []


def test_threads_sets_the_thread_count_for_a_while(monkeypatch, same_bits):
    monkeypatch.setattr(_kernels, "PARALLEL", 1000)
    counting = _CountingExecutor()
    monkeypatch.setattr(_kernels, "_executor", counting)
    before = _kernels.THREADS
    x = np.linspace(-1.0, 1.0, 4 * _kernels.BLOCK + 1)
    with _kernels.threads(1):
        assert _kernels.THREADS == 1
        one = leaky_relu(x, -0.3)
    assert counting.parts == []
    with _kernels.threads(3):
        assert _kernels.THREADS == 3
        three = leaky_relu(x, -0.3)
    assert len(counting.parts) == 2
    assert _kernels.THREADS == before
    same_bits(one, three)
    with pytest.raises(KeyError), _kernels.threads(2):
        raise KeyError("restored even after an error")
    assert _kernels.THREADS == before


@pytest.mark.parametrize("bad", [0, -3, 2.5, None, "lots"])
def test_threads_rejects_bad_counts(bad):
    before = _kernels.THREADS
    with pytest.raises(ValueError, match="whole number >= 1"), _kernels.threads(bad):
        pass
    assert _kernels.THREADS == before


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
    "pattern", [MIXED, (0.1, 0.2, 0.9), (1.5, 3.0)], ids=["factor", "max", "min"]
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
    blocks = list(range(5))

    def work(part):
        if part[0] > 0:
            raise RuntimeError("second part")
        return part

    with pytest.raises(RuntimeError, match="second part"):
        _kernels._in_parts(100, blocks, work)
    assert _kernels._in_parts(100, blocks, list) == [[0, 1], [2, 3, 4]]
    assert _kernels._in_parts(9, blocks, list) == [blocks]  # below PARALLEL: one part


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
