"""Fast NumPy kernels behind :mod:`relu_notes.functional` (float32 and float64, 1-D contiguous).

The readable textbook formulas live in :mod:`relu_notes.reference`; the tests check that these
kernels give the same numbers.  This module is about speed without changing a single bit.

Why it is written this way
--------------------------
* Element-wise activations are memory-bound: copying the input is the floor.  NumPy runs one
  ufunc per pass, so a formula with k passes over a 64 MB array moves k times the data.  We cut
  the arrays into blocks of ``BLOCK`` elements (256 KiB of float32): the temporaries of a block
  stay in the L2 cache, and each input is read from memory once and the output written once.
* Masked selection (``np.where(x > 0, x, a * x)``, boolean indexing, ``where=``) is slow in
  NumPy when signs are random, so we use arithmetic forms that give PyTorch's exact bits:

  - forward, every slope in (-inf, 0) or (0, 1]: ``max(x, a * x)``; for a < 0 the product must
    win the tie at x = +-0 (see :func:`_maximum_prefer`);
  - forward, every slope >= 1: ``min(x, a * x)``;
  - otherwise (slope 0, mixed per-channel slopes) and for every backward pass: the factor
    ``f = 1 where x > 0 else a`` is built without branches from bit patterns,
    ``bits(f) = bits(a) XOR ((x > 0) * (bits(a) XOR bits(1.0)))``, then ``x * f`` or
    ``grad * f``.  PyTorch's vectorised CPU kernel computes ``x * blendv(a, 1, x > 0)``, the
    same product (aten/src/ATen/native/cpu/Activation.cpp, leaky_relu_kernel);
  - relu backward keeps ``grad`` where ``not (x <= 0)`` with a bitwise AND, as PyTorch's
    ``threshold_backward`` selects ``x <= 0 ? 0 : grad``.

  ``max(x, a * x)`` is not used for slope 0: ``0 * inf`` is NaN, so it would give NaN at
  x = +inf where PyTorch gives +inf.

* The backward passes build the factor (or relu's mask) in the output block itself, and the
  forward pass writes ``a * x`` there: the pass that reads x from memory then also writes the
  output, as a copy does, and the passes after it run in cache.

PReLU weights broadcast over axis 1.  The data is viewed as ``outer x channels x inner``
(``inner`` = product of the axes after the channel axis), i.e. slabs of ``inner`` elements that
share one slope; :func:`_chunks` explains how slabs are grouped into blocks.

Threads
-------
Arrays of at least ``PARALLEL`` elements are cut into ``THREADS`` contiguous parts of whole
blocks, and each part runs the same block loop in its own thread (NumPy's ufuncs release the
GIL), with its own scratch buffers.  The blocks and the arithmetic on each are those of one
thread, so every element-wise output has the same bits whatever the thread count.  PReLU's
weight gradient too: each part returns its blocks' sums, and they are added in block order, as
one thread adds them.  Smaller arrays stay on the calling thread, where handing work to another
thread would cost more than it saves.
"""

import functools
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import NamedTuple

import numpy as np

BLOCK = 1 << 16
"""Elements per block (256 KiB of float32, so a few temporaries fit in L2)."""

ROWS = BLOCK // 16
"""In rows longer than a block, slabs at least this long are viewed as 2-D rows of a block, each
row with one broadcast slope (shorter slabs get a tile of slopes)."""


PARALLEL = 1 << 20
"""Arrays of at least this many elements (4 MiB of float32) are split between threads.  On the
2-core course machine, below 2**19 elements a second thread made every kernel slower (the
hand-off costs tens of microseconds); at 2**24 the backward passes took a quarter to a third less
time than in earlier one-thread runs of benchmarks/bench_activations.py, when the other core was
idle.  Not tuned finer: the machine is shared and noisy."""


def _thread_count():
    """``RELU_NOTES_THREADS`` if set, else the CPUs this process may run on, at most 2.

    Two because the course machines (Binder, CI) have two cores and these kernels are
    memory-bound: more threads than memory channels would only compete for them.  The count is
    fixed at import, so a run is reproducible (the results do not depend on it anyway).
    """
    chosen = os.environ.get("RELU_NOTES_THREADS")
    if chosen:
        return max(1, int(chosen))
    return max(1, min(2, len(os.sched_getaffinity(0))))


THREADS = _thread_count()
"""Number of threads (the caller's included) that share the work on large arrays."""

_pool = None
_pool_lock = threading.Lock()


def _executor():
    """The module's thread pool, created on first use (``THREADS - 1`` helper threads)."""
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max(1, THREADS - 1), thread_name_prefix="relu_notes")
        return _pool


def _forget_pool():
    """In a forked child the pool's threads do not exist: make :func:`_executor` start anew."""
    global _pool, _pool_lock
    _pool, _pool_lock = None, threading.Lock()


os.register_at_fork(after_in_child=_forget_pool)


def _in_parts(size, work):
    """Run ``work(begin, end)`` on contiguous parts of ``range(size)``; return results in order.

    ``work`` processes the blocks that start in ``[begin, end)``.  With ``THREADS`` threads and
    at least ``PARALLEL`` elements the range is cut into ``THREADS`` equal parts; the calling
    thread does the first part and waits for the others (even if its own part fails, so that no
    thread still writes to the arrays after we return).  NumPy's floating-point error settings
    (``np.errstate``) belong to a thread, so the caller's are applied in the other threads too.
    """
    parts = THREADS if size >= PARALLEL else 1
    bounds = [size * i // parts for i in range(parts + 1)]
    if parts == 1:
        return [work(0, size)]
    errors = np.geterr()

    def helper(begin, end):
        with np.errstate(**errors):
            return work(begin, end)

    futures = [_executor().submit(helper, *bounds[i : i + 2]) for i in range(1, parts)]
    try:
        first = work(bounds[0], bounds[1])
    finally:
        rest = [future.result() for future in futures]
    return [first, *rest]


class Layout(NamedTuple):
    """Shape of the data as seen by PReLU: ``outer`` x ``channels`` x ``inner``."""

    outer: int
    channels: int
    inner: int


class _Slope(NamedTuple):
    """A slope (scalar or tile) with the bit patterns used to build the factor ``f``."""

    value: np.ndarray
    bits: np.ndarray
    flip: np.ndarray


def _slope(value):
    """Wrap a slope (scalar or array) with its bits and ``bits ^ bits(1.0)``."""
    bits = value.view(_uint(value.dtype))
    return _Slope(value, bits, bits ^ np.ones(1, value.dtype).view(bits.dtype)[0])


def _uint(dtype):
    """The unsigned integer dtype with the same size, to work on a float's bits."""
    return np.dtype(f"u{np.dtype(dtype).itemsize}")


def _blocks(size, begin, end):
    """Slices of at most ``BLOCK`` elements covering ``range(size)`` that start in [begin, end)."""
    for start in range(-(-begin // BLOCK) * BLOCK, min(end, size), BLOCK):
        yield slice(start, min(start + BLOCK, size))


# ---------------------------------------------------------------------------------------------
# Ties of np.maximum
# ---------------------------------------------------------------------------------------------
@functools.cache
def _keep_order(dtype, scalar_first):
    """Whether ``np.maximum(a, b)`` (rather than ``(b, a)``) returns ``b`` when ``a == b``.

    IEEE max leaves ``max(0.0, -0.0)`` to the implementation, and NumPy's SIMD loops return one
    operand consistently.  We probe both argument orders once per dtype (67 elements cover full
    SIMD vectors and a scalar tail) and use the one that returns ``b``.
    """
    b = np.full(67, -0.0, dtype)
    a = dtype.type(0.0) if scalar_first else np.zeros(67, dtype)
    return bool(np.signbit(np.maximum(a, b)).all()) or not np.signbit(np.maximum(b, a)).all()


def _maximum_prefer(a, b, out):
    """``np.maximum(a, b, out=out)``, returning ``b`` where ``a == b`` (so -0.0 vs 0.0 gives b)."""
    if _keep_order(out.dtype, np.ndim(a) == 0):
        return np.maximum(a, b, out=out)
    return np.maximum(b, a, out=out)


# ---------------------------------------------------------------------------------------------
# ReLU
# ---------------------------------------------------------------------------------------------
def relu_forward(x, out):
    """``out = max(0, x)``: NaN propagates, -0.0 stays -0.0 (PyTorch: ``clamp_min(x, 0)``).

    One pass, so no blocks; large arrays are still split between threads.
    """
    zero = x.dtype.type(0)
    _in_parts(x.size, lambda begin, end: _maximum_prefer(zero, x[begin:end], out[begin:end]))


def relu_backward(grad, x, out):
    """``out = 0 where x <= 0 else grad`` (NaN x passes grad through, as ``threshold_backward``)."""
    uint = _uint(x.dtype)
    grad_bits, out_bits = grad.view(uint), out.view(uint)
    in_place = np.may_share_memory(grad, out)

    def work(begin, end):
        # The mask is built in the output block (see leaky_backward) unless the output is grad.
        buffer = np.empty(min(BLOCK, x.size), uint) if in_place else None
        for block in _blocks(x.size, begin, end):
            mask = out_bits[block] if buffer is None else buffer[: block.stop - block.start]
            np.less_equal(x[block], 0, out=mask, casting="unsafe")  # 1 where x <= 0, else 0
            np.subtract(mask, 1, out=mask)  # 0 where x <= 0, all bits set elsewhere
            np.bitwise_and(grad_bits[block], mask, out=out_bits[block])

    _in_parts(x.size, work)


# ---------------------------------------------------------------------------------------------
# Leaky ReLU and PReLU
# ---------------------------------------------------------------------------------------------
_MAX, _MIN, _SELECT = "max", "min", "select"


def _forward_form(weights):
    """Which forward formula is exact for all these slopes (see the module docstring)."""
    if np.all(weights >= 1):
        return _MIN
    if np.all((weights <= 1) & (weights != 0)):
        return _MAX
    return _SELECT


class _Chunk(NamedTuple):
    """A block of the flat data: ``where`` in it, the ``shape`` to view it with, its slope(s)."""

    where: slice
    shape: tuple
    slope: _Slope
    channels: object
    """The channel (an int, with a scalar slope) or the slice of channels the block covers."""


def _chunks(layout, weights, begin, end):
    """Split the data into blocks of at most ``BLOCK`` elements, each with its slope(s).

    Only the blocks that start in ``[begin, end)`` are yielded (one thread's part); the blocks
    do not depend on the part, so any split gives the same blocks.

    * One slope, or slabs of at least ``BLOCK`` elements: 1-D blocks within a slab, with a
      scalar slope.
    * Rows (``channels * inner`` elements) of at most ``BLOCK``: blocks of whole rows, with a
      pre-built tile of slopes (each weight repeated ``inner`` times, once per row).
    * Longer rows of shorter slabs: blocks of consecutive slabs of one row, either viewed as
      ``(slabs, inner)`` with a ``(slabs, 1)`` column of slopes that broadcasts along the rows
      (slabs of at least ``ROWS`` elements) or 1-D with their own tile of slopes.
    """
    outer, channels, inner = layout
    if channels == 1 or inner >= BLOCK:
        scalars = [_slope(w) for w in weights]
        for slab in range(begin // inner, min(-(-end // inner), outer * channels)):
            channel = slab % channels
            for start in range(slab * inner, (slab + 1) * inner, BLOCK):
                if begin <= start < end:
                    stop = min(start + BLOCK, (slab + 1) * inner)
                    yield _Chunk(slice(start, stop), (stop - start,), scalars[channel], channel)
        return
    row = channels * inner
    every_channel = slice(0, channels)
    if row <= BLOCK:
        per_chunk = min(BLOCK // row, outer)
        tile = _slope(np.tile(np.repeat(weights, inner), per_chunk))
        for first in range(0, outer, per_chunk):
            if begin <= first * row < end:
                size = min(per_chunk, outer - first) * row
                part = _Slope(*(array[:size] for array in tile))
                yield _Chunk(slice(first * row, first * row + size), (size,), part, every_channel)
        return
    per_chunk = BLOCK // inner
    column = _slope(weights[:, None]) if inner >= ROWS else None
    for start in range(begin // row * row, min(end, outer * row), row):
        for first in range(0, channels, per_chunk):
            part = slice(first, min(first + per_chunk, channels))
            where = slice(start + part.start * inner, start + part.stop * inner)
            count = part.stop - part.start
            if not begin <= where.start < end:
                continue
            if column is None:
                yield _Chunk(where, (count * inner,), _slope(np.repeat(weights[part], inner)), part)
            else:
                yield _Chunk(where, (count, inner), _Slope(*(a[part] for a in column)), part)


def _factor(x, slope, buffer):
    """Return ``f = 1 where x > 0 else slope`` (NaN x gives the slope) without branching."""
    u = buffer.reshape(-1)[: x.size].reshape(x.shape)
    np.greater(x, 0, out=u, casting="unsafe")  # 1 where x > 0, else 0
    np.multiply(u, slope.flip, out=u)  # bits(a) ^ bits(1.0) where x > 0, else 0
    np.bitwise_xor(u, slope.bits, out=u)  # bits(1.0) where x > 0, else bits(a)
    return u.view(x.dtype)


def leaky_forward(x, layout, weights, out):
    """``out = x if x > 0 else w * x`` with ``weights`` broadcast by ``layout``."""
    form = _forward_form(weights)
    in_place = np.may_share_memory(x, out)

    def work(begin, end):
        temp = np.empty(min(BLOCK, x.size), x.dtype)  # scratch: one per thread
        bits = temp.view(_uint(x.dtype))
        for chunk in _chunks(layout, weights, begin, end):
            xb, ob = (a[chunk.where].reshape(chunk.shape) for a in (x, out))
            slope = chunk.slope
            if form == _SELECT:
                np.multiply(xb, _factor(xb, slope, bits), out=ob)
                continue
            # a * x goes straight into the output block unless that would overwrite x: the pass
            # that reads x from memory then also writes the output, like a copy, and max/min
            # runs in cache.
            target = temp[: xb.size].reshape(chunk.shape) if in_place else ob
            product = np.multiply(xb, slope.value, out=target)
            if form == _MIN:
                np.minimum(xb, product, out=ob)
            else:
                _maximum_prefer(xb, product, ob)

    _in_parts(x.size, work)


def leaky_backward(grad, x, layout, weights, out):
    """``out = grad if x > 0 else w * grad`` with ``weights`` broadcast by ``layout``."""
    _backward(grad, x, layout, weights, out, want_weight_grad=False)


def prelu_backward(grad, x, layout, weights, out):
    """:func:`leaky_backward`, returning also the per-channel ``sum(x * grad where x <= 0)``.

    Each block is summed in float64 (by BLAS for one channel) and the block sums are added in
    block order, so the result does not depend on the number of threads.
    """
    totals = np.zeros(layout.channels, np.float64)
    for sums in _backward(grad, x, layout, weights, out, want_weight_grad=True):
        for channels, value in sums:
            totals[channels] += value
    return totals


def _backward(grad, x, layout, weights, out, want_weight_grad):
    """Shared body of :func:`leaky_backward` and :func:`prelu_backward`.

    Returns, per thread, the list of ``(channels, sums)`` of its blocks for the weight gradient.
    """
    size = min(BLOCK, x.size)
    uint = _uint(x.dtype)
    in_place = np.may_share_memory(grad, out)

    def work(begin, end):
        # Scratch buffers: one set per thread.  The factor is built in the output block (so the
        # pass that reads x from memory also writes the output, like a copy), unless the output
        # is grad, which is still needed.
        bits = np.empty(size, uint) if in_place else None
        if want_weight_grad:
            zeros = np.zeros(size, x.dtype)
            temp = np.empty(size, x.dtype)
        sums = []
        for chunk in _chunks(layout, weights, begin, end):
            xb, gb, ob = (a[chunk.where].reshape(chunk.shape) for a in (x, grad, out))
            if want_weight_grad:  # first: the output may be x
                zero, x_neg = (buffer[: xb.size].reshape(chunk.shape) for buffer in (zeros, temp))
                np.minimum(xb, zero, out=x_neg)
                if isinstance(chunk.channels, int):
                    sums.append((chunk.channels, _dot_nonpositive(x_neg, xb, gb)))
                else:
                    width = chunk.channels.stop - chunk.channels.start
                    block_sums = _channel_sums_nonpositive(x_neg, xb, gb, width, layout)
                    sums.append((chunk.channels, block_sums))
            factor = _factor(xb, chunk.slope, ob.view(uint) if bits is None else bits)
            np.multiply(gb, factor, out=ob)
        return sums

    return _in_parts(x.size, work)


def _dot_nonpositive(x_neg, x, grad):
    """``sum(x * grad where not x > 0)`` of a block, given ``x_neg = min(x, 0)``.

    ``dot(x_neg, grad)`` (BLAS) is that sum, except where some x > 0 meets an infinite or NaN
    grad: 0 * inf is NaN while PyTorch adds nothing there.  Only then, when the dot is NaN, is the
    slower masked form used.  Like any float sum, the last bits depend on the order of the
    additions, which differs from PyTorch's (and the dot fuses each product into the sum, so a
    single product beyond the float range overflows only if the running sum does).
    """
    total = float(np.dot(x_neg, grad))
    if np.isnan(total):
        total = float(np.where(x > 0, 0, x * grad).sum(dtype=np.float64))
    return total


def _channel_sums_nonpositive(x_neg, x, grad, width, layout):
    """Per-channel ``sum(x * grad where not x > 0)`` of a block covering ``width`` channels.

    The block is whole slabs: rows of ``width`` channels of ``layout.inner`` elements.  See
    :func:`_dot_nonpositive` for ``x_neg`` and for the NaN case.
    """
    shape = (-1, width, layout.inner)
    sums = np.multiply(x_neg, grad, out=x_neg).reshape(shape).sum(axis=(0, 2))
    if np.isnan(sums).any():
        sums = np.where(x > 0, 0, x * grad).reshape(shape).sum(axis=(0, 2))
    return sums
