"""relu_notes.functional without torch: fast path == textbook formula, conventions, errors."""

import numpy as np
import pytest

from relu_notes import (
    _kernels,
    functional,
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

SLOPES = (0.0, -0.0, 0.01, 0.25, 1.0, 1.5, -0.3, -2.0, 1e-30, 7.0)
"""Every forward formula: zero of both signs, (0, 1], exactly 1, above 1, negative, tiny."""
EXACT_DTYPES = (np.float32, np.float64)
ALL_DTYPES = (np.float16, np.float32, np.float64)
SIZE = 2 * _kernels.BLOCK + 123  # several blocks and a partial one
REPEATS = (1, functional.SMALL)
"""Tile small examples this many times: once for the textbook path, once for the kernels."""


# --- the fast path gives the textbook formula's bits -------------------------------------------
@pytest.mark.parametrize("dtype", EXACT_DTYPES)
def test_relu_matches_reference(dtype, edge_values, same_bits, quiet):
    x = edge_values(dtype, SIZE, 0)
    g = edge_values(dtype, SIZE, 1)
    same_bits(relu(x), quiet(relu_reference, x))
    same_bits(relu_backward(g, x), quiet(relu_backward_reference, g, x))


@pytest.mark.parametrize("slope", SLOPES)
@pytest.mark.parametrize("dtype", EXACT_DTYPES)
def test_leaky_relu_matches_reference(dtype, slope, edge_values, same_bits, quiet):
    x = edge_values(dtype, SIZE, 2)
    g = edge_values(dtype, SIZE, 3)
    same_bits(leaky_relu(x, slope), quiet(leaky_relu_reference, x, slope))
    same_bits(leaky_relu_backward(g, x, slope), quiet(leaky_relu_backward_reference, g, x, slope))
    w = np.array([slope], dtype)
    same_bits(prelu(x, w), quiet(prelu_reference, x, w))
    grad_input, grad_weight = prelu_backward(g, x, w)
    same_bits(grad_input, quiet(leaky_relu_backward_reference, g, x, slope))
    assert grad_weight.shape == (1,) and grad_weight.dtype == dtype


@pytest.mark.parametrize("slope", SLOPES)
def test_float16_leaky_relu_is_float32_math_rounded_once(slope, same_bits, quiet):
    """PyTorch multiplies float16 by the float32 slope in float32 and rounds once."""
    x = np.arange(2**16, dtype=np.uint16).view(np.float16)  # every float16 value
    g = x[::-1].copy()
    x32, g32 = x.astype(np.float32), g.astype(np.float32)
    forward = quiet(leaky_relu_reference, x32, np.float32(slope))
    backward = quiet(leaky_relu_backward_reference, g32, x32, np.float32(slope))
    with np.errstate(over="ignore"):  # rounding to float16 may overflow to inf, as in torch
        same_bits(leaky_relu(x, slope), forward.astype(np.float16))
        same_bits(leaky_relu_backward(g, x, slope), backward.astype(np.float16))
    same_bits(relu(x), relu_reference(x))
    same_bits(relu_backward(g, x), relu_backward_reference(g, x))


@pytest.mark.parametrize("slope", SLOPES)
def test_float16_prelu_matches_float16_reference(slope, same_bits, quiet):
    """A float16 weight times a float16 input is exact in float32, so one rounding either way."""
    x = np.arange(2**16, dtype=np.uint16).view(np.float16)
    g = x[::-1].copy()
    w = np.array([slope], np.float16)
    same_bits(prelu(x, w), quiet(prelu_reference, x, w))
    same_bits(prelu_backward(g, x, w)[0], quiet(leaky_relu_backward_reference, g, x, w))


MIXED_WEIGHTS = (0.25, -0.5, 1.5, 0.0, 1.0, 2.0, -0.0)
"""Per-channel slopes that need the general (bit-select) formula."""


@pytest.mark.parametrize(
    "shape",
    [
        (3, 7),  # (N, C), textbook formulas
        (2000, 7),  # (N, C): blocks of whole rows, one slope per element
        (300, 7, 5),
        (40, 7, 3, 11),  # NCHW
        (20000, 7),  # many blocks
        (3, 7, _kernels.ROWS + 5),
        (2, 20, _kernels.ROWS + 5),  # long rows: whole slabs, a column of slopes
        (2, 100, 1500),  # rows longer than a block, short slabs: whole slabs of one row
        (2, 7, _kernels.BLOCK + 9),  # long slabs, one scalar slope each
    ],
)
@pytest.mark.parametrize(
    "pattern",
    [MIXED_WEIGHTS, (0.1, 0.2, 0.3, 0.9, 1.0, 0.05, -0.7), (1.0, 1.5, 3.0, 9.0, 1.25, 2.0, 4.0)],
    ids=["mixed", "max-form", "min-form"],
)
@pytest.mark.parametrize("dtype", EXACT_DTYPES)
def test_prelu_per_channel_matches_reference(shape, pattern, dtype, edge_values, same_bits, quiet):
    x = edge_values(dtype, int(np.prod(shape)), 4).reshape(shape)
    g = np.random.default_rng(5).standard_normal(shape).astype(dtype)
    w = np.resize(np.array(pattern, dtype), shape[1])
    same_bits(prelu(x, w), quiet(prelu_reference, x, w))
    grad_input, grad_weight = prelu_backward(g, x, w)
    expected_input, expected_weight = quiet(prelu_backward_reference, g, x, w)
    same_bits(grad_input, expected_input)
    assert grad_weight.shape == w.shape and grad_weight.dtype == w.dtype
    np.testing.assert_allclose(grad_weight, expected_weight, rtol=1e-4)


@pytest.mark.parametrize("batch", [8, 100])  # textbook path, kernels
def test_prelu_weight_gradient_sums_g_times_x_over_non_positive_inputs(batch):
    rng = np.random.default_rng(6)
    x = rng.standard_normal((batch, 3, 40))
    g = rng.standard_normal((batch, 3, 40))
    w = np.array([0.2, 0.4, 0.6])
    expected = np.array([np.sum((g * x)[:, c][x[:, c] <= 0]) for c in range(3)])
    np.testing.assert_allclose(prelu_backward(g, x, w)[1], expected, rtol=1e-12)


@pytest.mark.parametrize(
    "shape",
    [
        (5,),
        (9000,),
        (3, 4, 5),
        (500, 4, 5),
        (3, 20, _kernels.ROWS + 1),
        (2, 100, 1000),
        (3, 4, _kernels.BLOCK + 1),
    ],
)
def test_weight_gradient_skips_positive_inputs_even_with_infinite_grad(shape, quiet):
    """PyTorch adds nothing for x > 0; 0 * inf must not turn the sum into NaN."""
    x = np.full(shape, -2.0)
    g = np.full(shape, 3.0)
    x.reshape(-1)[::2] = 1.0
    g.reshape(-1)[::2] = np.inf
    weights = np.full(shape[1] if len(shape) > 1 else 1, 0.5)
    grad_weight = prelu_backward(g, x, weights)[1]
    expected = quiet(prelu_backward_reference, g, x, weights)[1]
    assert np.isfinite(grad_weight).all()
    np.testing.assert_array_equal(grad_weight, expected)


@pytest.mark.parametrize("size", [1, _kernels.BLOCK - 1, _kernels.BLOCK, _kernels.BLOCK + 1])
def test_block_boundaries(size, edge_values, same_bits, quiet):
    x = edge_values(np.float32, max(size, 30), 7)[:size]
    same_bits(leaky_relu(x, -0.3), quiet(leaky_relu_reference, x, -0.3))
    same_bits(leaky_relu_backward(x, x, 1.5), quiet(leaky_relu_backward_reference, x, x, 1.5))


# --- conventions at 0, NaN and infinity ---------------------------------------------------------
@pytest.mark.parametrize("repeats", REPEATS)
def test_gradient_at_zero_follows_the_x_greater_than_zero_branch(repeats):
    x = np.tile([0.0, -0.0], repeats)
    g = np.full_like(x, 2.0)
    np.testing.assert_array_equal(relu_backward(g, x), np.zeros_like(x))
    np.testing.assert_array_equal(leaky_relu_backward(g, x, 0.1), np.full_like(x, 0.2))
    grad_input, grad_weight = prelu_backward(g, x, [0.3])
    np.testing.assert_array_equal(grad_input, np.full_like(x, 0.6))
    np.testing.assert_array_equal(grad_weight, [0.0])


@pytest.mark.parametrize("repeats", REPEATS)
def test_documented_nan_and_infinity_values(repeats, same_bits):
    nan, inf = np.nan, np.inf

    def tiled(values):
        return np.tile(np.array(values), repeats)

    x = tiled([nan, inf, -inf, -0.0, -1.0])
    same_bits(relu(x), tiled([nan, inf, 0.0, -0.0, 0.0]))
    same_bits(leaky_relu(x, 0.0), tiled([nan, inf, nan, -0.0, -0.0]))  # -inf * 0 = NaN
    same_bits(leaky_relu(x, -0.5), tiled([nan, inf, inf, 0.0, 0.5]))
    ones = np.ones_like(x)
    same_bits(relu_backward(ones, x), tiled([1.0, 1.0, 0.0, 0.0, 0.0]))  # NaN passes grad
    same_bits(leaky_relu_backward(ones, x, 0.5), tiled([0.5, 1.0, 0.5, 0.5, 0.5]))
    same_bits(relu_backward(np.full_like(x, inf), x), tiled([inf, inf, 0.0, 0.0, 0.0]))
    assert np.isnan(prelu_backward(ones, x, 0.5)[1])  # NaN input counts as x <= 0


@pytest.mark.parametrize("repeats", REPEATS)
@pytest.mark.parametrize("slope", [0.0, 0.01, 1.5, -0.3])
def test_large_slopes_are_not_clipped_like_maximum(slope, repeats):
    """np.maximum(x, a * x) is wrong for a > 1 or a < 0; the functions are not."""
    x = np.tile([-2.0, 3.0], repeats)
    np.testing.assert_array_equal(leaky_relu(x, slope), np.tile([-2.0 * slope, 3.0], repeats))


# --- dtypes, conversions, array-likes -----------------------------------------------------------
@pytest.mark.parametrize("repeats", REPEATS)
@pytest.mark.parametrize("dtype", ALL_DTYPES)
def test_every_function_keeps_float_dtype(dtype, repeats):
    x = np.tile(np.array([[-1.0, 2.0], [0.5, -0.5]], dtype), (repeats, 1))
    g = np.ones_like(x)
    w = np.array([0.25, 0.5], dtype)
    outputs = [
        relu(x),
        leaky_relu(x, 0.2),
        prelu(x, w),
        relu_backward(g, x),
        leaky_relu_backward(g, x, 0.2),
        *prelu_backward(g, x, w),
    ]
    assert all(out.dtype == dtype for out in outputs)


def test_integers_and_bools_become_float64_never_truncated():
    assert leaky_relu([-100]).tolist() == [-1.0]
    assert leaky_relu(np.array([-100], np.int8)).dtype == np.float64
    assert relu([True, False]).dtype == np.float64
    np.testing.assert_array_equal(prelu(np.array([[-4, 4]]), [0.25, 0.5]), [[-1.0, 4.0]])
    np.testing.assert_array_equal(leaky_relu_backward([1, 1], [-1, 1], 0.5), [0.5, 1.0])


def test_array_likes_and_scalars():
    assert leaky_relu([[-1.0, 2.0], (3.0, -4.0)], 0.5).tolist() == [[-0.5, 2.0], [3.0, -2.0]]
    scalar = relu(-3.0)
    assert isinstance(scalar, np.ndarray) and scalar.shape == () and scalar == 0.0
    assert prelu(-2.0, 0.5) == -1.0
    assert relu(np.array([1.0, -1.0], dtype=object)).tolist() == [1.0, 0.0]
    assert relu(np.zeros((0, 3))).shape == (0, 3)
    grad_input, grad_weight = prelu_backward(np.zeros((0, 3)), np.zeros((0, 3)), [1.0, 2.0, 3.0])
    assert grad_input.shape == (0, 3) and grad_weight.tolist() == [0.0, 0.0, 0.0]


def test_scalar_weight_gives_scalar_weight_gradient():
    grad_weight = prelu_backward(np.ones(4), np.array([-1.0, -2.0, 3.0, 0.0]), 0.5)[1]
    assert grad_weight.shape == () and grad_weight == -3.0


@pytest.mark.parametrize("repeats", REPEATS)
def test_non_contiguous_input(repeats):
    x = np.arange(-20.0 * repeats, 20.0 * repeats).reshape(8 * repeats, 5).T[:, ::2]
    np.testing.assert_array_equal(leaky_relu(x, 0.5), np.where(x > 0, x, 0.5 * x))


# --- inputs untouched; out= ---------------------------------------------------------------------
CALLS = {
    "relu": lambda g, x, **kw: relu(x, **kw),
    "leaky_relu": lambda g, x, **kw: leaky_relu(x, -0.3, **kw),
    "prelu": lambda g, x, **kw: prelu(x, [0.5, 2.0, 0.1], **kw),
    "relu_backward": lambda g, x, **kw: relu_backward(g, x, **kw),
    "leaky_relu_backward": lambda g, x, **kw: leaky_relu_backward(g, x, 1.5, **kw),
    "prelu_backward": lambda g, x, **kw: prelu_backward(g, x, [0.5, 2.0, 0.1], **kw)[0],
}


ROWS_OF_THREE = (40, functional.SMALL)  # textbook path, kernels


@pytest.mark.parametrize("rows", ROWS_OF_THREE)
@pytest.mark.parametrize("name", CALLS)
def test_inputs_are_never_modified(name, rows, edge_values):
    x = edge_values(np.float32, 3 * rows, 8).reshape(rows, 3)
    g = edge_values(np.float32, 3 * rows, 9).reshape(rows, 3)
    x_before, g_before = x.copy(), g.copy()
    CALLS[name](g, x)
    np.testing.assert_array_equal(x, x_before)
    np.testing.assert_array_equal(g, g_before)


@pytest.mark.parametrize("rows", ROWS_OF_THREE)
@pytest.mark.parametrize("name", CALLS)
def test_out_receives_the_result(name, rows, edge_values, same_bits):
    x = edge_values(np.float32, 3 * rows, 10).reshape(rows, 3)
    g = edge_values(np.float32, 3 * rows, 11).reshape(rows, 3)
    expected = CALLS[name](g, x)
    out = np.empty_like(x)
    assert CALLS[name](g, x, out=out) is out
    same_bits(out, expected)
    in_place = x.copy()
    CALLS[name](g, in_place, out=in_place)
    same_bits(in_place, expected)
    in_place_grad = g.copy()
    CALLS[name](in_place_grad, x, out=in_place_grad)
    same_bits(in_place_grad, expected)
    strided = np.empty((rows, 6), np.float32)[:, ::2]
    CALLS[name](g, x, out=strided)
    same_bits(strided, expected)
    backwards = x.copy()[::-1]  # in place on a view with negative strides
    CALLS[name](g[::-1], backwards, out=backwards)
    same_bits(backwards, CALLS[name](g[::-1], x[::-1]))


@pytest.mark.parametrize("repeats", REPEATS)
def test_out_overlapping_the_input_partially(repeats):
    buffer = np.arange(-5.0 * repeats, 5.0 * repeats)
    x, out = buffer[1:], buffer[:-1]
    expected = leaky_relu(x.copy(), 0.5)
    leaky_relu(x, 0.5, out=out)
    np.testing.assert_array_equal(out, expected)


@pytest.mark.parametrize(
    ("out", "error"),
    [
        (np.empty(3, np.float64), ValueError),  # wrong shape
        (np.empty((2, 2), np.float32), ValueError),  # wrong dtype
        ([0.0] * 4, TypeError),
    ],
)
def test_bad_out(out, error):
    with pytest.raises(error, match="out"):
        relu(np.zeros((2, 2)), out=out)


def test_read_only_out():
    out = np.zeros(2)
    out.flags.writeable = False
    with pytest.raises(ValueError, match="read-only"):
        relu(np.ones(2), out=out)


# --- bad input ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "bad",
    ["abc", ["1"], [1.0, None], [1 + 2j], [[1.0, 2.0], [3.0]], {"a": 1}, np.datetime64(1, "D")],
    ids=["str", "strings", "none", "complex", "ragged", "dict", "datetime"],
)
def test_non_numeric_input_is_rejected(bad):
    with pytest.raises(TypeError, match="real numbers"):
        leaky_relu(bad)
    with pytest.raises(TypeError, match="real numbers"):
        relu_backward(bad, bad)


@pytest.mark.parametrize("slope", [np.nan, np.inf, -np.inf])
def test_non_finite_slope_is_rejected(slope):
    with pytest.raises(ValueError, match="finite"):
        leaky_relu([1.0], slope)
    with pytest.raises(ValueError, match="finite"):
        leaky_relu_backward([1.0], [1.0], slope)
    with pytest.raises(ValueError, match="finite"):
        prelu([1.0], [slope])


@pytest.mark.parametrize("slope", ["0.1", None, True, [0.1], 1j])
def test_non_real_slope_is_rejected(slope):
    with pytest.raises(TypeError, match="real number"):
        leaky_relu([1.0], slope)


def test_slope_must_fit_the_dtype():
    with pytest.raises(ValueError, match="does not fit in float32"):
        leaky_relu(np.ones(2, np.float32), 1e300)
    assert leaky_relu(np.array([-1.0]), 1e300)[0] == -1e300


@pytest.mark.parametrize(
    ("x_shape", "weight", "message"),
    [
        ((5,), [0.1, 0.2], "single channel"),  # 1-D input has one channel
        ((2, 3), [0.1, 0.2], "3 channel"),  # mismatched C
        ((2, 3, 4), [0.1] * 4, "3 channel"),
        ((), [0.1, 0.2], "0-d"),
        ((2, 3), [[0.1, 0.2, 0.3]], "1-D"),
        ((2, 3), [], "1 or 3"),
    ],
)
def test_prelu_weight_shape_errors(x_shape, weight, message):
    x = np.zeros(x_shape)
    with pytest.raises(ValueError, match=message):
        prelu(x, weight)
    with pytest.raises(ValueError, match=message):
        prelu_backward(x, x, weight)


@pytest.mark.parametrize("weight", [[np.nan], [0.1, np.inf, 0.2], [1e300]])
def test_prelu_weight_must_be_finite_in_the_dtype(weight):
    x = np.zeros((2, len(weight)), np.float32)
    with pytest.raises(ValueError, match="finite"):
        prelu(x, weight)


def test_gradient_shape_must_match():
    with pytest.raises(ValueError, match="grad_output has shape"):
        leaky_relu_backward(np.ones(3), np.ones(4))


# --- finite differences -------------------------------------------------------------------------
def _numeric_vjp(f, x, g, step=1e-6):
    """d/dx of sum(g * f(x)) by central differences, one element at a time."""
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        plus, minus = x.copy(), x.copy()
        plus[index] += step
        minus[index] -= step
        grad[index] = np.sum(g * (f(plus) - f(minus))) / (2 * step)
    return grad


@pytest.mark.parametrize("slope", [0.01, 1.5, -0.3, 0.0])
def test_backward_passes_match_finite_differences(slope, away_from_kink):
    rng = np.random.default_rng(12)
    x = away_from_kink(rng, (3, 4, 5))
    g = rng.standard_normal((3, 4, 5))
    np.testing.assert_allclose(relu_backward(g, x), _numeric_vjp(relu, x, g), atol=1e-8)
    np.testing.assert_allclose(
        leaky_relu_backward(g, x, slope),
        _numeric_vjp(lambda t: leaky_relu(t, slope), x, g),
        atol=1e-8,
    )
    w = np.array([slope, 0.25, 2.0, -0.5])
    grad_input, grad_weight = prelu_backward(g, x, w)
    np.testing.assert_allclose(grad_input, _numeric_vjp(lambda t: prelu(t, w), x, g), atol=1e-8)
    numeric_weight = _numeric_vjp(lambda v: prelu(x, v), w, g)
    np.testing.assert_allclose(grad_weight, numeric_weight, atol=1e-7)


def _directional(f, at, direction, g, step=1e-6):
    """Derivative of sum(g * f(at)) along ``direction``, by central differences."""
    return np.sum(g * (f(at + step * direction) - f(at - step * direction))) / (2 * step)


@pytest.mark.parametrize("slope", [0.01, 1.5, -0.3, 0.0])
def test_backward_passes_match_directional_derivatives_on_large_arrays(slope, away_from_kink):
    """<backward(g, x), v> = d/dt sum(g * f(x + t v)): checks the kernels' path as a whole."""
    rng = np.random.default_rng(13)
    shape = (functional.SMALL // 4 + 1, 4, 3)
    x = away_from_kink(rng, shape)
    g, v = rng.standard_normal(shape), rng.standard_normal(shape)
    w = np.array([slope, 0.25, 2.0, -0.5])
    u = rng.standard_normal(4)
    grad_input, grad_weight = prelu_backward(g, x, w)
    pairs = [
        (np.sum(relu_backward(g, x) * v), _directional(relu, x, v, g)),
        (
            np.sum(leaky_relu_backward(g, x, slope) * v),
            _directional(lambda t: leaky_relu(t, slope), x, v, g),
        ),
        (np.sum(grad_input * v), _directional(lambda t: prelu(t, w), x, v, g)),
        (np.sum(grad_weight * u), _directional(lambda a: prelu(x, a), w, u, g)),
    ]
    for analytic, numeric in pairs:
        assert analytic == pytest.approx(numeric, rel=1e-6, abs=1e-6)
