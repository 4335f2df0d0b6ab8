"""Fast NumPy kernels behind :mod:`relu_notes.functional` (1-D contiguous float32/float64 arrays).

They give exactly the bits of the textbook formulas of :mod:`relu_notes.reference` (the tests
check this, and against PyTorch), at one to three times the time of ``x.copy()``, because:

* Element-wise activations are memory-bound, and NumPy makes one pass over memory per ufunc.
  So the arrays are cut into blocks of ``BLOCK`` elements and all the ufuncs of a formula run
  on one block before the next: the temporaries stay in the L2 cache, and each array crosses
  the memory bus once.  The first ufunc of a block even writes its temporary into the output
  block (unless the output is an input): the pass that reads the inputs from memory then also
  writes the output, as a copy does (with separate buffers the kernels took 15% longer).
* ``np.where`` and masked ufuncs are slow when signs are random, so no formula branches.  Each
  is a bitwise AND or a product with a value built from a comparison, using the bits of floats.
  ``unless(x > 0)`` (:func:`_unless`) has every bit set where ``x > 0`` is false (x <= 0 or NaN)
  and no bit set where it is true; ``(x > 0)`` below is 1 or 0.

  - ``relu(x) = x & unless(x < 0)``, ``relu_backward = grad & unless(x <= 0)``: the choices of
    PyTorch's ``clamp_min(x, 0)`` and ``threshold_backward`` (NaN stays NaN, resp. passes the
    gradient on; ``relu(-0.0) = -0.0``).  ``max(x, 0)`` would be one ufunc, but IEEE leaves
    ``max(-0.0, 0.0)`` open and NumPy does not document its answer.
  - Leaky ReLU and PReLU: ``x * f`` and ``grad * f`` with ``f = 1 where x > 0 else a``, whose
    bits are ``bits(a) ^ ((x > 0) * flip)``, ``flip = bits(a) ^ bits(1.0)``.  PyTorch's
    vectorised kernel computes the same product, ``x * blendv(a, 1, x > 0)``, so the bits agree
    for every slope, 0 (``-inf * 0 = NaN``) and negative ones (signed zeros) included.  For
    slopes > 0 the forward pass uses ``max(x, a * x)`` or ``min(x, a * x)`` (see leaky_forward).
  - PReLU's weight gradient adds up ``(x * grad) & unless(x > 0)``: the product is cleared where
    ``x > 0``, so an infinite gradient there adds nothing (as in PyTorch), not NaN.

PReLU's slopes broadcast over axis 1, so the data is viewed as ``outer x channels x inner``:
``outer`` rows of ``channels`` slabs of ``inner`` elements, one slope per slab (see
:func:`_blocks`).  Leaky ReLU is the case of one channel, ReLU the case without slopes.

Arrays of at least ``PARALLEL`` elements are shared between ``THREADS`` threads (NumPy's ufuncs
release the GIL): the list of blocks is cut into ``THREADS`` contiguous parts.  A block is
computed the same way whichever thread runs it, so the results have the same bits for any
thread count; PReLU's weight gradient too, as the block sums are added in block order.
"""

import contextlib
import functools
import itertools
import math
import operator
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import NamedTuple

import numpy as np

BLOCK = 1 << 17
"""Elements per block: 512 KiB of float32.  The two to four arrays a kernel touches per block
fit in the 2 MiB L2 cache of the course machines; with two threads, blocks of 2**16 elements
took 10-15% longer (more Python work per element), and 2**18 no less."""

ROWS = 1 << 14
"""A block gets its slopes as one value per slab (a column that NumPy broadcasts along the slabs)
when slabs have at least ``ROWS`` elements, else as one value per element: NumPy broadcasts
slowly along shorter rows (3 times slower at 4096 elements)."""

PARALLEL = 1 << 20
"""Arrays of at least this many elements (4 MiB of float32) are shared between threads.  On the
2-core course machine two threads were about as fast as one at 2**20 elements and slower below:
the threads hand the GIL to each other around every ufunc call, and only the long memory-bound
passes of large arrays make that worth it."""


# ---------------------------------------------------------------------------------------------
# Threads
# ---------------------------------------------------------------------------------------------
def _thread_count(value, name):
    """``value`` (an int, or the text of an environment variable) as a thread count >= 1."""
    try:
        count = int(value) if isinstance(value, str) else operator.index(value)
    except (TypeError, ValueError):
        count = 0
    if count < 1:
        raise ValueError(
            f"{name} must be a whole number >= 1 (the threads to use on large arrays), "
            f"got {value!r}"
        )
    return count


def _default_threads():
    """``RELU_NOTES_THREADS`` if set, else the CPUs this process may use, at most 2.

    At most 2 because the kernels are memory-bound: more threads mostly compete for the same
    memory bandwidth (and the course machines, Binder and CI, have 2 cores).
    """
    chosen = os.environ.get("RELU_NOTES_THREADS", "").strip()
    if chosen:
        return _thread_count(chosen, "RELU_NOTES_THREADS (unset or empty for the default)")
    if hasattr(os, "sched_getaffinity"):  # Linux: the CPUs this process may run on
        cpus = len(os.sched_getaffinity(0))
    else:  # macOS, Windows
        cpus = os.cpu_count() or 1
    return min(2, cpus)


THREADS = _default_threads()
"""Threads (the caller's included) that share the work on large arrays; see :func:`threads`."""


@contextlib.contextmanager
def threads(count):
    """Share large arrays between ``count`` threads inside ``with threads(count):``.

    For benchmarks and tests.  It sets the module's ``THREADS`` until the ``with`` block ends,
    so it applies to calls from every thread of the process meanwhile.
    """
    global THREADS
    saved, THREADS = THREADS, _thread_count(count, "count")
    try:
        yield
    finally:
        THREADS = saved


_pool = None
_pool_size = 0
_pool_lock = threading.Lock()


def _executor(helpers):
    """A thread pool with at least ``helpers`` threads, made on first use."""
    global _pool, _pool_size
    with _pool_lock:
        if _pool is None or _pool_size < helpers:
            _pool = ThreadPoolExecutor(helpers, thread_name_prefix="relu_notes")
            _pool_size = helpers
        return _pool


def _forget_pool():
    """In a forked child the pool's threads do not exist: make :func:`_executor` start anew."""
    global _pool, _pool_size, _pool_lock
    _pool, _pool_size, _pool_lock = None, 0, threading.Lock()


if hasattr(os, "register_at_fork"):  # not on Windows, which has no fork
    os.register_at_fork(after_in_child=_forget_pool)


def _in_parts(size, blocks, work):
    """Return ``[work(part) for part in parts]``, ``parts`` cutting the list ``blocks`` in order.

    Below ``PARALLEL`` elements (``size``) there is one part.  Otherwise there are ``THREADS``
    parts of nearly as many blocks, run at the same time: the calling thread does the first and
    waits for the others, even if its own part fails, so that no thread still writes to the
    arrays after we return.  NumPy's floating-point error settings (``np.errstate``) belong to a
    thread, so the caller's are used in the other threads too.
    """
    count = THREADS if size >= PARALLEL else 1
    if count == 1:
        return [work(blocks)]
    cuts = [len(blocks) * i // count for i in range(count + 1)]
    parts = [blocks[begin:end] for begin, end in itertools.pairwise(cuts)]
    errors = np.geterr()

    def helper(part):
        with np.errstate(**errors):
            return work(part)

    futures = [_executor(count - 1).submit(helper, part) for part in parts[1:]]
    try:
        first = work(parts[0])
    finally:
        rest = [future.result() for future in futures]
    return [first, *rest]


# ---------------------------------------------------------------------------------------------
# Blocks
# ---------------------------------------------------------------------------------------------
class Layout(NamedTuple):
    """Shape of the data as seen by PReLU: ``outer`` x ``channels`` x ``inner``."""

    outer: int
    channels: int
    inner: int


class Block(NamedTuple):
    """A contiguous part of the flat data, with what the kernels need to know about it."""

    where: slice
    """Its elements in the flat arrays."""
    view: tuple
    """The shape to view them with: ``(elements,)``, or ``(slabs, elements)`` for long slabs."""
    shape: tuple
    """``(rows, channels, elements of a slab)``: its elements, viewed per channel."""
    channels: slice
    slopes: tuple
    """For each row of the ``table`` given to :func:`_blocks`, its values for these elements:
    one per element, or one per slab (a column, broadcast along the slabs)."""


def _block_steps(layout):
    """``(rows, slabs, elements)``: the most of each that one block holds.

    A block is as many whole rows as fit in ``BLOCK`` elements, else as many whole slabs of one
    row, else a piece of one slab.  So it is contiguous, and its channels are a range.
    """
    outer, channels, inner = layout
    slabs = min(channels, max(1, BLOCK // inner))
    rows = max(1, BLOCK // (channels * inner)) if slabs == channels else 1
    return rows, slabs, min(inner, BLOCK)


def _blocks(layout, table=None):
    """The blocks of data of this ``layout`` (see :func:`_block_steps`), in order.

    ``table`` has one row per per-channel value a kernel needs (the slopes, or values derived
    from them) and one column per channel.  Each block gets the values of its slabs: for slabs
    of at least ``ROWS`` elements a column of one value per slab, broadcast along the slab by
    NumPy; for shorter slabs one value per element (NumPy broadcasts slowly along short rows).
    Both are sliced from a tile made once, for a block of whole rows or for one row.
    """
    outer, channels, inner = layout
    rows, slabs, length = _block_steps(layout)
    long = table is not None and inner >= ROWS  # blocks without a table are 1-D
    if table is None:
        tile = np.empty((0, 0))
    elif long:  # one column entry per slab
        tile = np.tile(table, (1, rows))[:, :, None]
    else:  # one entry per element
        tile = np.tile(np.repeat(table, inner, axis=1), (1, rows))
    slopes = functools.cache(lambda begin, end: tuple(tile[:, begin:end]))
    blocks = []
    starts = (range(0, outer, rows), range(0, channels, slabs), range(0, inner, length))
    for row, channel, offset in itertools.product(*starts):
        shape = (
            min(rows, outer - row),
            min(slabs, channels - channel),
            min(length, inner - offset),
        )
        begin = (row * channels + channel) * inner + offset
        size = math.prod(shape)
        count = shape[0] * shape[1]  # slabs, whole or in part
        if long:
            view, values = (count, shape[2]), slopes(channel, channel + count)
        else:
            view, values = (size,), slopes(channel * inner, channel * inner + size)
        where, channel_range = slice(begin, begin + size), slice(channel, channel + shape[1])
        blocks.append(Block(where, view, shape, channel_range, values))
    return blocks


def _for_each_block(layout, table, inputs, out, body):
    """``[body(block, scratch, temp) for block in _blocks(layout, table)]``, threaded.

    ``scratch`` and ``temp`` are arrays of the block's ``view`` and of ``out``'s dtype that
    ``body`` may overwrite.  ``scratch`` is the output block itself unless ``out`` is one of the
    ``inputs`` (see the module docstring), so ``body`` must write its result into the output
    block last, after reading the inputs.  ``temp`` is always a buffer (one per thread).
    """
    size = math.prod(layout)
    in_place = any(np.may_share_memory(array, out) for array in inputs)

    def work(part):
        spare = np.empty(min(BLOCK, size), out.dtype) if in_place else None
        temp = np.empty(min(BLOCK, size), out.dtype)
        results = []
        for block in part:
            n = block.where.stop - block.where.start
            scratch = out[block.where] if spare is None else spare[:n]
            results.append(body(block, scratch.reshape(block.view), temp[:n].reshape(block.view)))
        return results

    parts = _in_parts(size, _blocks(layout, table), work)
    return [result for part in parts for result in part]


# ---------------------------------------------------------------------------------------------
# Bits
# ---------------------------------------------------------------------------------------------
def _bits(array):
    """``array`` viewed as unsigned integers of the same size, to work on a float's bits."""
    return array.view(f"u{array.itemsize}")


@functools.cache
def _one(dtype):
    """The bits of 1.0 in ``dtype``."""
    return _bits(np.ones(1, dtype))[0]


def _unless(compare, x, out):
    """Fill ``out`` (unsigned ints) with all bits set where ``compare(x, 0)`` is false, else 0."""
    compare(x, 0, out=out, casting="unsafe")  # 1 where true, 0 where false
    return np.subtract(out, 1, out=out)  # 0 where true, all bits set where false (wraps around)


def _factor_table(weights):
    """The rows ``bits(a)`` and ``flip = bits(a) ^ bits(1.0)`` for the slopes ``a``."""
    bits = _bits(weights)
    return np.stack([bits, bits ^ _one(weights.dtype)])


def _factor(x, slopes, scratch):
    """``f = 1 where x > 0 else a`` (so NaN x gives a), built in ``scratch`` (x's dtype).

    ``slopes`` is ``(bits(a), flip)`` (from :func:`_factor_table`).
    """
    bits, flip = slopes
    u = _bits(scratch)
    np.greater(x, 0, out=u, casting="unsafe")  # 1 where x > 0, else 0
    np.multiply(u, flip, out=u)  # flip where x > 0, else 0
    np.bitwise_xor(u, bits, out=u)  # bits(1.0) where x > 0, else bits(a)
    return scratch


# ---------------------------------------------------------------------------------------------
# The kernels.  ``x``, ``grad`` and ``out`` are 1-D contiguous arrays of one float dtype; ``out``
# may be ``x`` or ``grad``.
# ---------------------------------------------------------------------------------------------
def relu_forward(x, out):
    """``out = max(0, x)`` as PyTorch's ``clamp_min(x, 0)``: ``x & unless(x < 0)``."""

    def body(block, scratch, temp):
        xb = x[block.where]
        keep = _unless(np.less, xb, _bits(scratch))
        np.bitwise_and(_bits(xb), keep, out=_bits(out[block.where]))

    _for_each_block(Layout(1, 1, x.size), None, [x], out, body)


def relu_backward(grad, x, out):
    """``out = 0 where x <= 0 else grad`` (as ``threshold_backward``): ``grad & unless(x <= 0)``."""

    def body(block, scratch, temp):
        keep = _unless(np.less_equal, x[block.where], _bits(scratch))
        np.bitwise_and(_bits(grad[block.where]), keep, out=_bits(out[block.where]))

    _for_each_block(Layout(1, 1, x.size), None, [grad, x], out, body)


def leaky_forward(x, layout, weights, out):
    """``out = x if x > 0 else a * x``, the slopes ``weights`` broadcast by ``layout``.

    That is ``x * f``, but when every slope is in (0, 1] it is also ``max(x, a * x)``, and when
    every slope is >= 1 ``min(x, a * x)``: 2 ufuncs instead of 4.  With ``a > 0``, ``x`` and
    ``a * x`` have the same sign, so where they are equal they have the same bits, and it does
    not matter which one max or min returns.
    """
    if np.all((weights > 0) & (weights <= 1)) or np.all(weights >= 1):
        pick = np.maximum if np.all(weights <= 1) else np.minimum

        def body(block, scratch, temp):
            xb = x[block.where].reshape(block.view)
            (slopes,) = block.slopes
            ob = out[block.where].reshape(block.view)
            pick(xb, np.multiply(xb, slopes, out=scratch), out=ob)

        table = weights[None]
    else:

        def body(block, scratch, temp):
            xb = x[block.where].reshape(block.view)
            factor = _factor(xb, block.slopes, scratch)
            np.multiply(xb, factor, out=out[block.where].reshape(block.view))

        table = _factor_table(weights)
    _for_each_block(layout, table, [x], out, body)


def leaky_backward(grad, x, layout, weights, out):
    """``out = grad if x > 0 else a * grad``, the slopes ``weights`` broadcast by ``layout``."""

    def body(block, scratch, temp):
        xb, gb, ob = (array[block.where].reshape(block.view) for array in (x, grad, out))
        np.multiply(gb, _factor(xb, block.slopes, scratch), out=ob)

    _for_each_block(layout, _factor_table(weights), [grad, x], out, body)


def prelu_backward(grad, x, layout, weights, out):
    """:func:`leaky_backward`, returning also the per-channel ``sum(x * grad where not x > 0)``.

    The factor is built from the mask that clears the products, as
    ``bits(f) = bits(1.0) ^ (unless(x > 0) & flip)``.  NumPy adds up the products of each block
    in the input's dtype (float32 or float64), then the block sums are added in float64, in block
    order: the result does not depend on the number of threads.
    """
    one = _one(x.dtype)

    def body(block, scratch, temp):
        xb, gb, ob = (array[block.where].reshape(block.view) for array in (x, grad, out))
        negative = _unless(np.greater, xb, _bits(scratch))
        products = np.multiply(xb, gb, out=temp)
        np.bitwise_and(_bits(products), negative, out=_bits(products))  # +0 where x > 0
        sums = products.reshape(block.shape).sum(axis=(0, 2))
        _, flip = block.slopes
        np.bitwise_and(negative, flip, out=negative)  # flip where not x > 0, else 0
        factor = np.bitwise_xor(negative, one, out=negative).view(x.dtype)  # a there, else 1.0
        np.multiply(gb, factor, out=ob)
        return block.channels, sums

    totals = np.zeros(layout.channels, np.float64)
    for channels, sums in _for_each_block(layout, _factor_table(weights), [grad, x], out, body):
        totals[channels] += sums
    return totals
