"""relu_notes.functional against PyTorch's CPU kernels (skipped without torch).

Bit for bit, except the PReLU weight gradient: a sum, equal up to the order of the additions
(tolerance: ``_weight_grad_tolerance`` in conftest.py).
"""

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

torch = pytest.importorskip("torch")
F = torch.nn.functional

SLOPES = (0.0, -0.0, 0.01, 0.25, 1.0, 1.5, -0.3, -2.0, 1e-30, 7.0)
DTYPES = (np.float16, np.float32, np.float64)
SIZES = (300, 3 * functional.SMALL)  # the textbook path and the blocked kernels


def _t(array):
    return torch.from_numpy(np.ascontiguousarray(array))


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("dtype", DTYPES)
def test_relu_like_torch(dtype, size, edge_values, like_torch, autograd):
    x = edge_values(dtype, size, 0)
    g = edge_values(dtype, size, 1)
    out, (grad,) = autograd(F.relu, x, g)
    like_torch(relu(x), out)
    like_torch(relu_backward(g, x), grad)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("slope", SLOPES)
@pytest.mark.parametrize("dtype", DTYPES)
def test_leaky_relu_like_torch(dtype, slope, size, edge_values, like_torch, autograd):
    x = edge_values(dtype, size, 2)
    g = edge_values(dtype, size, 3)
    out, (grad,) = autograd(lambda t: F.leaky_relu(t, slope), x, g)
    like_torch(leaky_relu(x, slope), out)
    like_torch(leaky_relu_backward(g, x, slope), grad)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("slope", SLOPES)
@pytest.mark.parametrize("dtype", DTYPES)
def test_prelu_one_weight_like_torch(dtype, slope, size, edge_values, like_torch, autograd):
    """Edge values (NaN, inf) in x: the weight gradient is compared by its NaN pattern only;
    its values are compared on finite inputs in test_prelu_weight_gradient_values_like_torch."""
    x = edge_values(dtype, size, 4)
    g = np.random.default_rng(5).standard_normal(x.shape).astype(dtype)
    w = np.array([slope], dtype)
    out, (grad_x, grad_w) = autograd(F.prelu, x, g, w)
    like_torch(prelu(x, w), out)
    grad_input, grad_weight = prelu_backward(g, x, w)
    like_torch(grad_input, grad_x)
    assert grad_weight.dtype == grad_w.dtype and grad_weight.shape == grad_w.shape
    np.testing.assert_array_equal(np.isnan(grad_weight), np.isnan(grad_w))  # x has NaNs


WEIGHT_GRAD_CASES = {
    # one weight: every element adds to the same sum
    "one-textbook": ((300,), 1),
    "one-textbook-NCL": ((4, 3, 50), 1),
    "one-blocks": ((3 * functional.SMALL + 5,), 1),
    "one-threads": ((_kernels.PARALLEL + 12345,), 1),
    "one-threads-NCHW": ((64, 3, 75, 75), 1),
    # one weight per channel (axis 1)
    "channels-textbook": ((8, 5), 5),
    "channels-textbook-NCHW": ((2, 5, 6, 9), 5),
    "channels-blocks": ((400, 5, 7), 5),
    "channels-threads-rows": ((_kernels.PARALLEL // 64 + 7, 5, 13), 5),
    "channels-threads-short-slabs": ((4, 300, 1000), 300),
    "channels-threads-slabs": ((2, 5, _kernels.PARALLEL // 8 + 3), 5),
}
"""Shapes for every path of prelu_backward: the textbook formula (fewer than functional.SMALL
elements), the blocked kernels on one thread, and the kernels split between threads (at least
_kernels.PARALLEL elements)."""


def test_weight_gradient_cases_cover_every_path():
    sizes = {name: int(np.prod(shape)) for name, (shape, _) in WEIGHT_GRAD_CASES.items()}
    for kind in ("one", "channels"):
        mine = [size for name, size in sizes.items() if name.startswith(kind)]
        assert min(mine) < functional.SMALL
        assert any(functional.SMALL <= size < _kernels.PARALLEL for size in mine)
        assert max(mine) >= _kernels.PARALLEL


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("case", WEIGHT_GRAD_CASES)
def test_prelu_weight_gradient_values_like_torch(case, dtype, autograd, assert_weight_grad_close):
    """The weight gradient's values equal torch's up to the order of the additions.

    Finite inputs, with exact zeros of both signs in x.  g is mostly positive (mean 1), so the
    terms x * g of each sum mostly share one sign and do not cancel: a lost, doubled or
    misplaced block changes the sum by far more than the tolerance (see
    ``_weight_grad_tolerance`` in conftest.py: about 10 * sqrt(n) * eps * sum|x g|).
    """
    shape, n_weights = WEIGHT_GRAD_CASES[case]
    rng = np.random.default_rng(7)
    x = rng.standard_normal(shape).astype(dtype)
    x.reshape(-1)[::7] = 0.0
    x.reshape(-1)[1::11] = -0.0
    g = (rng.standard_normal(shape) + 1.0).astype(dtype)
    w = np.resize(np.array([0.25, -0.5, 1.5, 0.0, 1.0], dtype), n_weights)
    _, (_, grad_w) = autograd(F.prelu, x, g, w)
    grad_weight = prelu_backward(g, x, w)[1]
    assert_weight_grad_close(grad_weight, grad_w, g, x)


@pytest.mark.parametrize("slope", [0.01, 1.5, -0.3, 0.0])
def test_every_float16_value_like_torch(slope, like_torch):
    x = np.arange(2**16, dtype=np.uint16).view(np.float16)
    g = x[::-1].copy()
    for forward, backward, torch_forward, torch_backward in [
        (relu, relu_backward, F.relu, lambda gt, xt: torch.ops.aten.threshold_backward(gt, xt, 0)),
        (
            lambda a: leaky_relu(a, slope),
            lambda ga, a: leaky_relu_backward(ga, a, slope),
            lambda t: F.leaky_relu(t, slope),
            lambda gt, xt: torch.ops.aten.leaky_relu_backward(gt, xt, slope, False),
        ),
    ]:
        like_torch(forward(x), torch_forward(_t(x)).numpy())
        like_torch(backward(g, x), torch_backward(_t(g), _t(x)).numpy())
    w = np.array([slope], np.float16)
    like_torch(prelu(x, w), F.prelu(_t(x), _t(w)).numpy())


@pytest.mark.parametrize(
    "shape",
    [
        (8, 5),
        (4, 5, 7),
        (2, 5, 6, 9),  # textbook path
        (3000, 5),
        (400, 5, 7),
        (40, 5, 6, 9),  # kernels: whole rows
        (2, 25, _kernels.ROWS + 3),
        (2, 100, 1500),  # kernels: rows longer than a block, whole short slabs
        (2, 5, _kernels.BLOCK + 3),  # kernels: long slabs
    ],
    ids=["NC", "NCL", "NCHW", "NC-big", "NCL-big", "NCHW-big", "columns", "short-slabs", "slabs"],
)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_prelu_per_channel_like_torch(shape, dtype, like_torch, autograd, assert_weight_grad_close):
    rng = np.random.default_rng(6)
    x = rng.standard_normal(shape).astype(dtype)
    x.reshape(-1)[::7] = 0.0
    x.reshape(-1)[1::11] = -0.0
    g = rng.standard_normal(shape).astype(dtype)
    w = np.resize(np.array([0.25, -0.5, 1.5, 0.0, 1.0], dtype), shape[1])
    out, (grad_x, grad_w) = autograd(F.prelu, x, g, w)
    like_torch(prelu(x, w), out)
    grad_input, grad_weight = prelu_backward(g, x, w)
    like_torch(grad_input, grad_x)
    assert_weight_grad_close(grad_weight, grad_w, g, x)


@pytest.mark.parametrize("repeats", [1, functional.SMALL])
def test_prelu_weight_gradient_with_infinite_grad_like_torch(repeats, autograd):
    x = np.tile(np.array([[1.0, -2.0], [3.0, -0.5]], np.float32), (repeats, 1))
    g = np.tile(np.array([[np.inf, 1.0], [-np.inf, 2.0]], np.float32), (repeats, 1))
    for w in (np.array([0.5], np.float32), np.array([0.5, 0.25], np.float32)):
        _, (grad_x, grad_w) = autograd(F.prelu, x, g, w)
        grad_input, grad_weight = prelu_backward(g, x, w)
        np.testing.assert_array_equal(grad_input, grad_x)
        np.testing.assert_array_equal(grad_weight, grad_w)


@pytest.mark.parametrize(
    ("x_shape", "w_shape"),
    [
        ((5,), (1,)),
        ((5,), (5,)),
        ((5,), (2,)),
        ((), (1,)),
        ((), ()),
        ((), (2,)),
        ((3, 4), (4,)),
        ((3, 4), (3,)),
        ((3, 4), (1,)),
        ((2, 3, 4), (3,)),
        ((2, 3, 4), (4,)),
        ((3, 1), (1,)),
        ((3, 4), (1, 4)),
        ((3, 4), (0,)),
    ],
)
def test_prelu_shape_errors_like_torch(x_shape, w_shape):
    """We raise exactly when torch raises (ValueError here, RuntimeError in torch)."""
    x = np.ones(x_shape, np.float32)
    w = np.full(w_shape, 0.25, np.float32)
    try:
        expected = F.prelu(_t(x), _t(w)).numpy()
    except RuntimeError:
        with pytest.raises(ValueError):
            prelu(x, w)
    else:
        np.testing.assert_array_equal(prelu(x, w), expected)
