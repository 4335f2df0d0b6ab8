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

PReLU weights broadcast over axis 1.  The data is viewed as ``outer x channels x inner``
(``inner`` = product of the axes after the channel axis) and split into slabs of ``inner``
elements that share one slope.  Long slabs are processed with a scalar slope; short slabs are
grouped into blocks with a pre-built tile of slopes.
"""

import functools
from typing import NamedTuple

import numpy as np

BLOCK = 1 << 16
"""Elements per block (256 KiB of float32, so a few temporaries fit in L2)."""

LONG_SLAB = BLOCK
"""Slabs at least this long are processed one by one with a scalar slope."""


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
    bits = value.view(_uint(value.dtype))
    return _Slope(value, bits, bits ^ np.ones(1, value.dtype).view(bits.dtype)[0])


def _uint(dtype):
    return np.dtype(f"u{np.dtype(dtype).itemsize}")


def _blocks(size):
    for start in range(0, size, BLOCK):
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
    """``out = max(0, x)``: NaN propagates, -0.0 stays -0.0 (PyTorch: ``clamp_min(x, 0)``)."""
    _maximum_prefer(x.dtype.type(0), x, out)


def relu_backward(grad, x, out):
    """``out = 0 where x <= 0 else grad`` (NaN x passes grad through, as ``threshold_backward``)."""
    mask = np.empty(min(BLOCK, x.size), _uint(x.dtype))
    grad_bits, out_bits = grad.view(mask.dtype), out.view(mask.dtype)
    for block in _blocks(x.size):
        m = mask[: block.stop - block.start]
        np.less_equal(x[block], 0, out=m, casting="unsafe")  # 1 where x <= 0, else 0
        np.subtract(m, 1, out=m)  # 0 where x <= 0, all bits set elsewhere
        np.bitwise_and(grad_bits[block], m, out=out_bits[block])


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


def _chunks(layout, weights):
    """Yield ``(flat slice, slope, channel)`` blocks; ``channel`` is an int or an index array.

    A scalar slope goes with an int channel; a tile of slopes with the channel of each slab.
    """
    outer, channels, inner = layout
    if channels == 1 or inner >= LONG_SLAB:
        scalars = [_slope(w) for w in weights]
        for slab in range(outer * channels):
            channel = slab % channels
            for start in range(0, inner, BLOCK):
                stop = min(start + BLOCK, inner)
                yield slice(slab * inner + start, slab * inner + stop), scalars[channel], channel
        return
    per_chunk = max(1, BLOCK // inner)
    repeats = 1 + -(-per_chunk // channels)
    tile = _slope(np.tile(np.repeat(weights, inner), repeats))
    slab_channel = np.tile(np.arange(channels), repeats)
    total = outer * channels
    for first in range(0, total, per_chunk):
        count = min(per_chunk, total - first)
        channel = first % channels
        view = slice(channel * inner, (channel + count) * inner)
        part = _Slope(tile.value[view], tile.bits[view], tile.flip[view])
        yield (
            slice(first * inner, (first + count) * inner),
            part,
            slab_channel[channel : channel + count],
        )


def _factor(x, slope, buffer):
    """Return ``f = 1 where x > 0 else slope`` (NaN x gives the slope) without branching."""
    u = buffer[: x.size]
    np.greater(x, 0, out=u, casting="unsafe")  # 1 where x > 0, else 0
    np.multiply(u, slope.flip, out=u)  # bits(a) ^ bits(1.0) where x > 0, else 0
    np.bitwise_xor(u, slope.bits, out=u)  # bits(1.0) where x > 0, else bits(a)
    return u.view(x.dtype)


def leaky_forward(x, layout, weights, out):
    """``out = x if x > 0 else w * x`` with ``weights`` broadcast by ``layout``."""
    form = _forward_form(weights)
    temp = np.empty(min(BLOCK, x.size), x.dtype)
    bits = temp.view(_uint(x.dtype))
    in_place = np.may_share_memory(x, out)
    for chunk, slope, _ in _chunks(layout, weights):
        xb, ob = x[chunk], out[chunk]
        if form == _SELECT:
            np.multiply(xb, _factor(xb, slope, bits), out=ob)
            continue
        # a * x goes straight into the output block unless that would overwrite x: the pass that
        # reads x from memory then also writes the output, like a copy, and max/min runs in cache.
        product = np.multiply(xb, slope.value, out=temp[: xb.size] if in_place else ob)
        if form == _MIN:
            np.minimum(xb, product, out=ob)
        else:
            _maximum_prefer(xb, product, ob)


def leaky_backward(grad, x, layout, weights, out, want_weight_grad):
    """``out = grad if x > 0 else w * grad``; optionally return ``sum(x * grad where x <= 0)``.

    The weight gradient is summed per channel in float64 (array of ``layout.channels``) or is
    ``None`` when ``want_weight_grad`` is false.
    """
    size = min(BLOCK, x.size)
    bits = np.empty(size, _uint(x.dtype))
    if want_weight_grad:
        zeros = np.zeros(size, x.dtype)
        temp = np.empty(size, x.dtype)
        totals = np.zeros(layout.channels, np.float64)
    for chunk, slope, channel in _chunks(layout, weights):
        xb, gb = x[chunk], grad[chunk]
        if want_weight_grad:  # before writing out, which may be x or grad
            contribution = np.minimum(xb, zeros[: xb.size], out=temp[: xb.size])
            if isinstance(channel, int):
                totals[channel] += _dot_nonpositive(contribution, xb, gb)
            else:
                totals += _slab_sums_nonpositive(contribution, xb, gb, channel, layout)
        np.multiply(gb, _factor(xb, slope, bits), out=out[chunk])
    return totals if want_weight_grad else None


def _dot_nonpositive(x_neg, x, grad):
    """``sum(x * grad where not x > 0)`` given ``x_neg = min(x, 0)``.

    ``dot(min(x, 0), grad)`` equals it unless some x > 0 meets an infinite or NaN grad
    (0 * inf = NaN, while PyTorch skips those terms); only then is the exact masked form used.
    """
    total = float(np.dot(x_neg, grad))
    if np.isnan(total):
        total = float(np.where(x > 0, 0, x * grad).sum(dtype=np.float64))
    return total


def _slab_sums_nonpositive(x_neg, x, grad, channels_of_slabs, layout):
    """Per-channel ``sum(x * grad where not x > 0)`` of a block of whole slabs (see above)."""
    products = np.multiply(x_neg, grad, out=x_neg).reshape(-1, layout.inner).sum(axis=1)
    if np.isnan(products).any():
        exact = np.where(x > 0, 0, x * grad)
        products = exact.reshape(-1, layout.inner).sum(axis=1)
    return np.bincount(channels_of_slabs, weights=products, minlength=layout.channels)
