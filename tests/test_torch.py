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


def _forward_backward(fn, x, g, *params):
    leaves = [t.detach().clone().requires_grad_() for t in (x, *params)]
    out = fn(*leaves)
    out.backward(g)
    return [out.detach()] + [leaf.grad for leaf in leaves]


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
@pytest.mark.parametrize("slope", SLOPES)
def test_functions_match_torch_nn_functional(dtype, slope, edge_values, same_bits):
    x, g = _edge(dtype, edge_values, 0), _edge(dtype, edge_values, 1)
    w = torch.tensor([slope], dtype=x.dtype)
    pairs = [
        (rt.relu, F.relu, ()),
        (lambda t: rt.leaky_relu(t, slope), lambda t: F.leaky_relu(t, slope), ()),
        (rt.prelu, F.prelu, (w,)),
    ]
    for ours, theirs, params in pairs:
        mine = _forward_backward(ours, x, g, *params)
        reference = _forward_backward(theirs, x, g, *params)
        for a, b in zip(mine[:2], reference[:2], strict=True):
            same_bits(a.numpy(), b.numpy())
        if params:  # the weight gradient is a sum, equal up to summation order
            assert torch.isnan(mine[2]).equal(torch.isnan(reference[2]))


def test_prelu_per_channel_matches_torch_and_numpy(same_bits):
    rng = np.random.default_rng(2)
    x = torch.from_numpy(rng.standard_normal((4, 3, 5, 6)))
    x[:, :, 0, 0] = 0.0
    g = torch.from_numpy(rng.standard_normal((4, 3, 5, 6)))
    w = torch.tensor([0.25, -0.5, 1.5], dtype=torch.float64)
    out, grad_x, grad_w = _forward_backward(rt.prelu, x, g, w)
    ref_out, ref_x, ref_w = _forward_backward(F.prelu, x, g, w)
    same_bits(out.numpy(), ref_out.numpy())
    same_bits(grad_x.numpy(), ref_x.numpy())
    torch.testing.assert_close(grad_w, ref_w)
    np_input, np_weight = relu_notes.prelu_backward(g.numpy(), x.numpy(), w.numpy())
    same_bits(np_input, grad_x.numpy())
    np.testing.assert_allclose(np_weight, grad_w.numpy(), rtol=1e-12)


def _away_from_kink(shape, seed):
    generator = torch.Generator().manual_seed(seed)
    magnitude = torch.rand(shape, generator=generator, dtype=torch.float64) + 0.1
    sign = torch.randint(0, 2, shape, generator=generator).to(torch.float64) * 2 - 1
    return (sign * magnitude).requires_grad_()


@pytest.mark.parametrize("slope", SLOPES)
def test_gradcheck_float64(slope):
    x = _away_from_kink((3, 4, 5), seed=3)
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
