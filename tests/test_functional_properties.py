"""Hypothesis property tests of relu_notes.functional (no torch needed)."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from relu_notes import (
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

FAST = settings(max_examples=60, deadline=None)


def _large(*arrays):
    """Repeat the arrays along axis 0 (flattened if 0-d) past ``functional.SMALL`` elements.

    Examples are small, and small arrays take the textbook path; repeated, they reach the
    blocked kernels, which are what these properties test.
    """
    size = max(arrays[0].size, 1)
    repeats = -(-functional.SMALL // size) + 1
    if arrays[0].ndim == 0:
        return tuple(np.tile(a.reshape(-1), repeats) for a in arrays)
    return tuple(np.tile(a, (repeats,) + (1,) * (a.ndim - 1)) for a in arrays)


dtypes = st.sampled_from([np.float32, np.float64])


@st.composite
def arrays_and_slope(draw, finite=False):
    """An array of any floats (NaN, inf, subnormals unless ``finite``) and a finite slope."""
    dtype = draw(dtypes)
    width = 32 if dtype == np.float32 else 64
    shape = draw(hnp.array_shapes(min_dims=0, max_dims=3, max_side=9))
    elements = st.floats(width=width, allow_nan=not finite, allow_infinity=not finite)
    x = draw(hnp.arrays(dtype, shape, elements=elements))
    g = draw(hnp.arrays(dtype, shape, elements=elements))
    slope = draw(st.floats(-1e6, 1e6, width=width) | st.sampled_from([0.0, -0.0, 1.0]))
    return x, g, slope


@FAST
@given(arrays_and_slope())
def test_fast_equals_reference_for_any_floats(same_bits, quiet, case):
    x, g, slope = case
    x, g = _large(x, g)
    same_bits(relu(x), quiet(relu_reference, x))
    same_bits(relu_backward(g, x), quiet(relu_backward_reference, g, x))
    same_bits(leaky_relu(x, slope), quiet(leaky_relu_reference, x, slope))
    same_bits(leaky_relu_backward(g, x, slope), quiet(leaky_relu_backward_reference, g, x, slope))


@st.composite
def prelu_cases(draw):
    dtype = draw(dtypes)
    width = 32 if dtype == np.float32 else 64
    channels = draw(st.integers(1, 5))
    shape = (draw(st.integers(0, 6)), channels) + draw(hnp.array_shapes(min_dims=0, max_dims=2))
    # Finite |x| <= 2**100 keeps every product x * g far from overflow: near the top of the float
    # range a sum's overflow depends on the order of additions, which differs from the reference.
    special = st.sampled_from([np.nan, np.inf, -np.inf])
    elements = st.floats(-(2.0**100), 2.0**100, width=width) | special
    x = draw(hnp.arrays(dtype, shape, elements=elements))
    g = draw(hnp.arrays(dtype, shape, elements=st.floats(-1e3, 1e3, width=width)))
    slopes = st.floats(-10, 10, width=width) | st.sampled_from([0.0, -0.0, 1.0])
    weight_shape = draw(st.sampled_from([(channels,), (1,), ()]))
    weight = draw(hnp.arrays(dtype, weight_shape, elements=slopes))
    return x, g, weight


@FAST
@given(prelu_cases())
def test_prelu_equals_reference_for_any_weights(same_bits, quiet, case):
    x, g, weight = case
    x, g = _large(x, g)
    same_bits(prelu(x, weight), quiet(prelu_reference, x, weight))
    grad_input, grad_weight = prelu_backward(g, x, weight)
    expected_input, expected_weight = quiet(prelu_backward_reference, g, x, weight)
    same_bits(grad_input, expected_input)
    assert grad_weight.shape == weight.shape
    np.testing.assert_allclose(grad_weight, expected_weight, rtol=1e-4, atol=1e-3)


@FAST
@given(arrays_and_slope(finite=True))
def test_gradient_is_one_or_the_slope(case):
    x, _, slope = case
    (x,) = _large(x)
    grad = leaky_relu_backward(np.ones_like(x), x, slope)
    np.testing.assert_array_equal(grad, np.where(x > 0, 1, x.dtype.type(slope)))


@FAST
@given(arrays_and_slope())
def test_slope_one_is_the_identity_and_prelu_one_weight_is_leaky_relu(same_bits, case):
    x, _, slope = case
    (x,) = _large(x)
    same_bits(leaky_relu(x, 1.0), x)
    same_bits(prelu(x, np.array([slope], x.dtype)), leaky_relu(x, slope))


@FAST
@given(arrays_and_slope(finite=True), st.sampled_from([0.25, 0.5, 2.0, 4.0]))
def test_positive_homogeneity(case, scale):
    """leaky_relu(c x) = c leaky_relu(x) for c > 0 (exact for powers of two, no over/underflow)."""
    x, _, slope = case
    (x,) = _large(x)
    x = np.clip(np.where(np.abs(x) < 1e-10, 1.0, x), -1e10, 1e10).astype(x.dtype)
    slope = float(np.clip(abs(slope), 1e-3, 1e3)) * np.sign(slope or 1.0)
    np.testing.assert_array_equal(leaky_relu(scale * x, slope), scale * leaky_relu(x, slope))


@FAST
@given(arrays_and_slope(finite=True))
def test_non_negative_slope_is_monotone(case):
    x, _, slope = case
    (x,) = _large(x)
    ordered = np.sort(x.reshape(-1))
    y = leaky_relu(ordered, abs(slope))  # may overflow to -inf: compare, don't subtract
    assert np.all(y[1:] >= y[:-1])
    assert np.all(relu(ordered) >= 0)


@FAST
@given(prelu_cases())
def test_inputs_unchanged(case):
    x, g, weight = case
    x, g = _large(x, g)
    before = [a.copy() for a in (x, g, weight)]
    prelu(x, weight)
    prelu_backward(g, x, weight)
    for after, original in zip((x, g, weight), before, strict=True):
        np.testing.assert_array_equal(after, original)
