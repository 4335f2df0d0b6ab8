"""relu_notes.torch: hand-written autograd Functions and modules (skipped without torch)."""

import importlib

import numpy as np
import pytest

import relu_notes

torch = pytest.importorskip("torch")
rt = importlib.import_module("relu_notes.torch")  # must import whenever torch does
F = torch.nn.functional

SLOPES = (0.0, 0.01, 1.5, -0.3)


def _edge(dtype, edge_values, seed):
    return torch.from_numpy(edge_values(dtype, 3000, seed))


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
@pytest.mark.parametrize("slope", SLOPES)
def test_functions_match_torch_nn_functional(dtype, slope, edge_values, like_torch, autograd):
    x, g = _edge(dtype, edge_values, 0), _edge(dtype, edge_values, 1)
    w = torch.tensor([slope], dtype=x.dtype)
    pairs = [
        (rt.relu, F.relu, ()),
        (lambda t: rt.leaky_relu(t, slope), lambda t: F.leaky_relu(t, slope), ()),
        (rt.prelu, F.prelu, (w,)),
    ]
    for ours, theirs, params in pairs:
        mine, (mine_x, *mine_params) = autograd(ours, x, g, *params)
        reference, (reference_x, *reference_params) = autograd(theirs, x, g, *params)
        like_torch(mine, reference)
        like_torch(mine_x, reference_x)
        if params:  # a sum: its values are compared on finite inputs below; here x has NaNs
            np.testing.assert_array_equal(np.isnan(mine_params[0]), np.isnan(reference_params[0]))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize(
    ("shape", "n_weights"),
    [
        ((300,), 1),
        ((6, 4, 50), 1),
        ((2**20 + 3,), 1),
        ((8, 5), 5),
        ((4, 3, 5, 6), 3),
        ((2**14 + 1, 4, 16), 4),
    ],
    ids=["one-small", "one-NCL", "one-large", "channels-NC", "channels-NCHW", "channels-large"],
)
def test_prelu_weight_gradient_values_match_torch(
    shape, n_weights, dtype, autograd, assert_weight_grad_close
):
    """Finite inputs (exact zeros included): equal to torch's up to summation order.

    g is mostly positive, so the terms x * g (x <= 0) do not cancel and a wrong sum is far
    outside the tolerance (``_weight_grad_tolerance`` in conftest.py).
    """
    rng = np.random.default_rng(8)
    x = rng.standard_normal(shape).astype(dtype)
    x.reshape(-1)[::5] = 0.0
    g = (rng.standard_normal(shape) + 1.0).astype(dtype)
    w = np.resize(np.array([0.25, -0.5, 1.5, 0.0], dtype), n_weights)
    _, (_, mine) = autograd(rt.prelu, x, g, w)
    _, (_, reference) = autograd(F.prelu, x, g, w)
    assert_weight_grad_close(mine, reference, g, x)


def test_prelu_per_channel_matches_torch_and_numpy(like_torch, autograd, assert_weight_grad_close):
    rng = np.random.default_rng(2)
    x = rng.standard_normal((4, 3, 5, 6))
    x[:, :, 0, 0] = 0.0
    g = rng.standard_normal((4, 3, 5, 6))
    w = np.array([0.25, -0.5, 1.5])
    out, (grad_x, grad_w) = autograd(rt.prelu, x, g, w)
    ref_out, (ref_x, ref_w) = autograd(F.prelu, x, g, w)
    like_torch(out, ref_out)
    like_torch(grad_x, ref_x)
    assert_weight_grad_close(grad_w, ref_w, g, x)
    np_input, np_weight = relu_notes.prelu_backward(g, x, w)
    like_torch(np_input, grad_x)
    assert_weight_grad_close(np_weight, grad_w, g, x)


@pytest.mark.parametrize("slope", SLOPES)
def test_gradcheck_float64(slope, away_from_kink):
    x = torch.from_numpy(away_from_kink(np.random.default_rng(3), (3, 4, 5))).requires_grad_()
    assert torch.autograd.gradcheck(rt.relu, (x,))
    assert torch.autograd.gradcheck(lambda t: rt.leaky_relu(t, slope), (x,))
    for weight in ([slope], [slope, 0.25, 2.0, -0.5]):
        w = torch.tensor(weight, dtype=torch.float64, requires_grad=True)
        assert torch.autograd.gradcheck(rt.prelu, (x, w))


def test_modules_match_torch_nn_modules():
    torch.manual_seed(4)
    x = torch.randn(6, 3, 7)
    ours, theirs = rt.PReLU(3, init=0.1), torch.nn.PReLU(3, init=0.1)
    assert [p.shape for p in ours.parameters()] == [p.shape for p in theirs.parameters()]
    torch.testing.assert_close(ours.weight, theirs.weight)
    ours(x).square().sum().backward()
    theirs(x).square().sum().backward()
    torch.testing.assert_close(ours.weight.grad, theirs.weight.grad)
    torch.testing.assert_close(rt.PReLU()(x), torch.nn.PReLU()(x))
    torch.testing.assert_close(rt.LeakyReLU(0.2)(x), torch.nn.LeakyReLU(0.2)(x), rtol=0, atol=0)
    assert repr(rt.LeakyReLU(0.2)) == "LeakyReLU(negative_slope=0.2)"
    assert repr(rt.PReLU(3)) == "PReLU(num_parameters=3)"


def test_prelu_module_learns_its_slope():
    layer = rt.PReLU(init=0.5)
    x = torch.linspace(-2.0, 2.0, 41)
    target = torch.where(x > 0, x, 0.1 * x)
    optimizer = torch.optim.SGD(layer.parameters(), lr=0.1)
    for _ in range(200):
        optimizer.zero_grad()
        F.mse_loss(layer(x), target).backward()
        optimizer.step()
    assert abs(layer.weight.item() - 0.1) < 1e-3


def test_bad_arguments():
    x = torch.zeros(2, 3)
    with pytest.raises(ValueError, match="finite"):
        rt.leaky_relu(x, float("nan"))
    with pytest.raises(ValueError, match="finite"):
        rt.LeakyReLU(float("inf"))
    with pytest.raises(ValueError, match="3 channel"):
        rt.prelu(x, torch.ones(2))
    with pytest.raises(ValueError, match="single channel"):
        rt.prelu(torch.zeros(5), torch.ones(2))
    with pytest.raises(TypeError, match="weight.to"):
        rt.prelu(x, torch.ones(3, dtype=torch.float64))
    with pytest.raises(ValueError, match="at least 1"):
        rt.PReLU(0)
    with pytest.raises(TypeError, match="int"):
        rt.PReLU(2.0)
    with pytest.raises(ValueError, match="init"):
        rt.PReLU(init=float("nan"))
