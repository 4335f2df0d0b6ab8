"""RReLU: relu_notes.rrelu / rrelu_backward and the torch twin (torch parts skip without torch).

Eval mode is compared with torch bit for bit.  Training mode draws random slopes, which cannot
be torch's (another generator), so it is checked by the slopes' distribution, by its draw rule
(which elements draw, in which order, from which generator) and, given the same slopes
(``noise``), against torch's forward and backward and against finite differences.
"""

import importlib
import math

import numpy as np
import pytest

from relu_notes import functional, leaky_relu, leaky_relu_backward, rrelu, rrelu_backward
from relu_notes.gradcheck import numerical_gradient
from relu_notes.reference import rrelu_with_noise_backward_reference, rrelu_with_noise_reference

DEFAULT = (1.0 / 8, 1.0 / 3)
BOUNDS = (DEFAULT, (0.1, 0.3), (0.27, 0.637), (0.0, 0.0), (0.2, 0.2), (-0.5, 2.0))
"""(lower, upper): torch's defaults, a narrow range, a pair whose mean rounds differently when
computed in float32 instead of float64 (torch: float64), zero, a single slope, a wide one."""
DTYPES = (np.float16, np.float32, np.float64)
SIZES = (300, 3 * functional.SMALL)  # leaky_relu's textbook path and its blocked kernels


@pytest.fixture(scope="module")
def torch():
    return pytest.importorskip("torch")


@pytest.fixture(scope="module")
def rt(torch):
    return importlib.import_module("relu_notes.torch")


def _rng(seed):
    return np.random.default_rng(seed)


def _mixed(size, seed, dtype=np.float64):
    """Standard normal values, half of them <= 0, with exact zeros of both signs."""
    x = _rng(seed).standard_normal(size).astype(dtype)
    x[::50] = 0.0
    x[25::50] = -0.0
    return x


# --- eval mode: Leaky ReLU with the mean slope ----------------------------------------------------
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("bounds", BOUNDS)
@pytest.mark.parametrize("dtype", DTYPES)
def test_eval_is_leaky_relu_with_the_mean_slope(dtype, bounds, size, edge_values, same_bits):
    lower, upper = bounds
    x, g = edge_values(dtype, size, 0), edge_values(dtype, size, 1)
    mean = (lower + upper) / 2
    same_bits(rrelu(x, lower, upper), leaky_relu(x, mean))
    same_bits(rrelu(x, lower, upper, training=False), leaky_relu(x, mean))
    same_bits(rrelu_backward(g, x, lower, upper), leaky_relu_backward(g, x, mean))


def test_eval_values_at_zero_nan_and_infinity(same_bits):
    x = np.array([0.0, -0.0, np.nan, np.inf, -np.inf, -2.0, 3.0])
    a = (0.1 + 0.3) / 2
    same_bits(rrelu(x, 0.1, 0.3), np.array([0.0, -0.0, np.nan, np.inf, -np.inf, -2 * a, 3.0]))
    expected_grad = np.array([a, a, a, 1.0, a, a, 1.0])  # x = 0 and NaN: the negative branch
    same_bits(rrelu_backward(np.ones_like(x), x, 0.1, 0.3), expected_grad)


# --- training mode: the slopes --------------------------------------------------------------------
def _ks_distance_to_uniform(samples, lower, upper):
    """Kolmogorov-Smirnov distance between the samples' CDF and that of U(lower, upper)."""
    s = np.sort(samples.astype(np.float64))
    cdf = (s - lower) / (upper - lower)
    n = s.size
    return max(np.max(np.arange(1, n + 1) / n - cdf), np.max(cdf - np.arange(n) / n))


@pytest.mark.parametrize("bounds", [DEFAULT, (0.1, 0.3), (-0.5, 2.0)])
@pytest.mark.parametrize("dtype", DTYPES)
def test_training_slopes_are_uniform_on_lower_upper(dtype, bounds):
    """Slopes drawn where x <= 0 follow U(lower, upper); everywhere else the slope is exactly 1.

    Tolerances, with n ~ 150 000 slopes (seeded, so the outcome is fixed; a correct sampler
    fails them with probability below 1e-8 for a random seed):
    * range: within [lower, upper] rounded to x's dtype (draws are rounded to nearest);
    * mean within 6 standard errors, sd = (upper - lower) / sqrt(12 n);
    * variance within 6 standard errors of (upper - lower)^2 / 12, whose standard error is
      (upper - lower)^2 / sqrt(180 n) (fourth central moment of the uniform: w^4 / 80);
    * Kolmogorov-Smirnov distance below sqrt(ln(2 / 1e-8) / (2 n)) (DKW inequality, 1e-8);
      float16 rounding moves the CDF by at most 2^-12 relative to the width, far below that.
    """
    lower, upper = bounds
    x = _mixed(300_000, 1, dtype)
    y, noise = rrelu(x, lower, upper, training=True, generator=_rng(2))
    assert noise.dtype == x.dtype and noise.shape == x.shape and y.dtype == x.dtype
    drawn = x <= 0
    slopes = noise[drawn].astype(np.float64)
    n = slopes.size
    assert n > 140_000
    assert np.all(noise[~drawn] == 1.0)
    low, high = (float(np.asarray(b, dtype)) for b in (lower, upper))
    assert low <= slopes.min() and slopes.max() <= high, (slopes.min(), slopes.max())
    width = upper - lower
    assert abs(slopes.mean() - (lower + upper) / 2) < 6 * width / math.sqrt(12 * n)
    assert abs(slopes.var() - width**2 / 12) < 6 * width**2 / math.sqrt(180 * n)
    assert _ks_distance_to_uniform(slopes, lower, upper) < math.sqrt(math.log(2e8) / (2 * n))
    assert np.unique(slopes).size > min(n // 2, 1000)  # one slope per element, not one per call


@pytest.mark.parametrize("dtype", DTYPES)
def test_training_draw_rule_and_determinism(dtype, same_bits):
    """Slopes are generator.uniform(low, high) in float64 (the bounds rounded to float32 unless x
    is float64, as torch does), one per element with x <= 0 in the order of x.ravel(), rounded
    to x's dtype; a seed gives the same bits, another seed not."""
    x = _mixed((40, 25), 3, dtype)
    bounds = lower, upper = 0.1, 0.3
    y, noise = rrelu(x, lower, upper, training=True, generator=_rng(4))
    y_again, noise_again = rrelu(x, lower, upper, training=True, generator=_rng(4))
    same_bits(y, y_again)
    same_bits(noise, noise_again)
    drawn = x <= 0
    low, high = (float((np.float64 if dtype == np.float64 else np.float32)(b)) for b in bounds)
    expected = _rng(4).uniform(low, high, np.count_nonzero(drawn)).astype(dtype)
    same_bits(noise[drawn], expected)
    other = rrelu(x, lower, upper, training=True, generator=_rng(5))[1]
    assert np.mean(other[drawn] != noise[drawn]) > 0.99
    rng = _rng(6)  # successive calls continue the generator's stream: new slopes each time
    first, second = (rrelu(x, training=True, generator=rng)[1] for _ in range(2))
    assert np.mean(first[drawn] != second[drawn]) > 0.99


@pytest.mark.parametrize("bounds", [(0.1, 0.3), (-0.5, -0.25)])  # negative: 0 * r = -0.0
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("dtype", DTYPES)
def test_training_output_is_x_times_its_slope(dtype, size, bounds, edge_values, same_bits, quiet):
    """y = x where x > 0 (and at NaN), x * slope elsewhere, one rounding in x's dtype."""
    x = edge_values(dtype, size, 7)
    y, noise = rrelu(x, *bounds, training=True, generator=_rng(8))
    same_bits(noise == 1.0, ~(x <= 0))  # slopes < 1 here, so 1 marks exactly the undrawn ones
    same_bits(y[~(x <= 0)], x[~(x <= 0)])
    work = np.float32 if dtype == np.float16 else dtype
    product = quiet(np.multiply, x.astype(work), noise.astype(work))
    with np.errstate(over="ignore"):
        same_bits(y, product.astype(dtype))
    same_bits(y, quiet(rrelu_with_noise_reference, x, noise))


def test_training_values_at_zero_nan_and_infinity(same_bits):
    x = np.array([0.0, -0.0, np.nan, np.inf, -np.inf, 5.0])
    y, noise = rrelu(x, training=True, generator=_rng(9))
    same_bits(y, np.array([0.0, -0.0, np.nan, np.inf, -np.inf, 5.0]))
    assert np.all((DEFAULT[0] <= noise[[0, 1, 4]]) & (noise[[0, 1, 4]] <= DEFAULT[1]))
    same_bits(noise[[2, 3, 5]], np.ones(3))  # NaN is not <= 0: no draw, slope 1 (as torch)
    g = np.full_like(x, 2.0)
    same_bits(rrelu_backward(g, x, training=True, noise=noise), 2.0 * noise)
    y, noise = rrelu(x, -0.5, -0.25, training=True, generator=_rng(9))  # zeros take r < 0
    same_bits(y, np.array([-0.0, 0.0, np.nan, np.inf, np.inf, 5.0]))


def test_scalar_empty_and_out():
    y, noise = rrelu(-2.0, training=True, generator=_rng(10))
    assert y.shape == noise.shape == () and y == -2.0 * noise
    y, noise = rrelu(np.empty((0, 3), np.float32), training=True, generator=_rng(10))
    assert y.shape == noise.shape == (0, 3) and y.dtype == np.float32
    x = _mixed(50, 11)
    expected, expected_noise = rrelu(x, training=True, generator=_rng(12))
    buffer = x.copy()
    result, noise = rrelu(buffer, training=True, generator=_rng(12), out=buffer)
    assert result is buffer
    np.testing.assert_array_equal(buffer, expected)
    np.testing.assert_array_equal(noise, expected_noise)
    g = np.ones_like(x)
    assert rrelu_backward(g, x, training=True, noise=noise, out=g) is g
    np.testing.assert_array_equal(g, noise)
    assert rrelu([1, -1]).dtype == np.float64  # ints become float64, as everywhere here


# --- training mode: the gradient given the slopes -------------------------------------------------
@pytest.mark.parametrize("bounds", [DEFAULT, (-0.5, 2.0)])
def test_training_gradient_matches_finite_differences(bounds, away_from_kink):
    """With a fixed seed, rrelu(z) draws the same slopes for every z with the same signs, so it
    is a fixed piecewise-linear function near x (|x| >= 0.1, steps 1e-6 never change a sign)."""
    lower, upper = bounds
    rng = _rng(13)
    x, g = away_from_kink(rng, (6, 7)), rng.standard_normal((6, 7))

    def loss(z):
        return np.sum(g * rrelu(z, lower, upper, training=True, generator=_rng(14))[0])

    _, noise = rrelu(x, lower, upper, training=True, generator=_rng(14))
    grad = rrelu_backward(g, x, lower, upper, training=True, noise=noise)
    np.testing.assert_allclose(grad, numerical_gradient(loss, x), rtol=1e-6, atol=1e-8)
    np.testing.assert_array_equal(grad, rrelu_with_noise_backward_reference(g, noise))
    mean_slope = rrelu_backward(g, x, lower, upper)  # eval mode: not the same gradient
    assert not np.allclose(grad, mean_slope)


# --- bad arguments --------------------------------------------------------------------------------
def test_bad_arguments_raise_clear_errors():
    x = np.array([-1.0, 2.0])
    rng = _rng(0)
    for training in (False, True):
        with pytest.raises(ValueError, match="lower <= upper"):
            rrelu(x, 0.5, 0.1, training=training, generator=rng)
        with pytest.raises(ValueError, match="lower <= upper"):
            rrelu_backward(x, x, 0.5, 0.1, training=training, noise=x if training else None)
        with pytest.raises(ValueError, match="upper must be finite"):
            rrelu(x, 0.1, np.inf, training=training, generator=rng)
    with pytest.raises(ValueError, match="lower must be finite"):
        rrelu(x, np.nan, 0.3)
    with pytest.raises(ValueError, match="does not fit in float32"):
        rrelu(x.astype(np.float32), 0.1, 1e300)
    with pytest.raises(ValueError, match="overflows"):
        rrelu(x, -1e308, 1e308)
    with pytest.raises(TypeError, match=r"generator=np\.random\.default_rng"):
        rrelu(x, training=True)
    with pytest.raises(TypeError, match="numpy.random.Generator"):
        rrelu(x, training=True, generator=np.random.RandomState(0))
    with pytest.raises(TypeError, match="numpy.random.Generator"):
        rrelu(x, training=True, generator=0)
    with pytest.raises(TypeError, match="training must be True or False"):
        rrelu(x, 0.1, 0.3, rng)  # the generator passed by position
    with pytest.raises(TypeError, match="needs noise="):
        rrelu_backward(x, x, training=True)
    with pytest.raises(ValueError, match="training=False"):
        rrelu_backward(x, x, noise=np.ones(2))
    with pytest.raises(ValueError, match="noise has shape"):
        rrelu_backward(x, x, training=True, noise=np.ones(3))
    with pytest.raises(ValueError, match="out must be"):
        rrelu(x, training=True, generator=rng, out=np.empty(3))


def test_a_refused_call_draws_nothing():
    rng = _rng(15)
    with pytest.raises(ValueError):
        rrelu(np.ones(4), training=True, generator=rng, out=np.empty(3))
    with pytest.raises(ValueError):
        rrelu(np.ones(4), 0.3, 0.1, training=True, generator=rng)
    assert rng.uniform() == _rng(15).uniform()


# --- against torch --------------------------------------------------------------------------------
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("bounds", BOUNDS)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_eval_like_torch(dtype, bounds, size, torch, edge_values, like_torch, autograd):
    lower, upper = bounds
    x, g = edge_values(dtype, size, 16), edge_values(dtype, size, 17)
    out, (grad,) = autograd(lambda t: torch.nn.functional.rrelu(t, lower, upper), x, g)
    like_torch(rrelu(x, lower, upper), out)
    like_torch(rrelu_backward(g, x, lower, upper), grad)


def test_float16_eval_rounds_torch_float32_once(torch, like_torch):
    """torch 2.13 has no float16 rrelu on CPU; ours does what leaky_relu does: float32 math,
    rounded once, which is torch's float32 result rounded to float16 (if a later torch has a
    float16 kernel, it is compared directly)."""
    x = np.arange(2**16, dtype=np.uint16).view(np.float16)  # every float16 value
    g = x[::-1].copy()
    F = torch.nn.functional
    xt, gt = torch.from_numpy(x), torch.from_numpy(g)
    try:
        expected = F.rrelu(xt).numpy()
    except RuntimeError as error:
        assert "Half" in str(error)
        expected = F.rrelu(xt.float()).half().numpy()
    backward = torch.ops.aten.rrelu_with_noise_backward
    expected_grad = backward(gt.float(), xt.float(), torch.empty(0), *DEFAULT, False, False)
    like_torch(rrelu(x), expected)
    like_torch(rrelu_backward(g, x), expected_grad.half().numpy())


def test_torch_draws_between_the_bounds_rounded_to_float32(torch):
    """Evidence for the draw rule we copy: torch's float32 slopes are its float64 draws (same
    seed, same stream) remapped from [1/8, 1/3] to [float32(1/8), float32(1/3)] and rounded.
    Rounding the float64 slopes alone does not give them."""
    F = torch.nn.functional
    lower, upper = DEFAULT
    torch.manual_seed(33)
    r64 = -F.rrelu(-torch.ones(2000, dtype=torch.float64), training=True).numpy()
    torch.manual_seed(33)
    r32 = -F.rrelu(-torch.ones(2000, dtype=torch.float32), training=True).numpy()
    low, high = float(np.float32(lower)), float(np.float32(upper))
    unit = (r64 - lower) / (upper - lower)
    np.testing.assert_array_equal((unit * (high - low) + low).astype(np.float32), r32)
    assert np.any(r64.astype(np.float32) != r32)


def _torch_training(torch, x, g, lower, upper, seed):
    """torch's training-mode rrelu on x: (y, grad of x for g, the noise torch drew)."""
    noise = torch.empty(x.shape, dtype=torch.from_numpy(x).dtype)
    generator = torch.Generator().manual_seed(seed)
    xt = torch.from_numpy(x).requires_grad_()
    y = torch.ops.aten.rrelu_with_noise(xt, noise, lower, upper, True, generator)
    y.backward(torch.from_numpy(g))
    return y.detach().numpy(), xt.grad.numpy(), noise.numpy()


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("bounds", [DEFAULT, (-0.5, 0.75), (-0.5, -0.25)])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_training_like_torch_given_the_same_noise(
    dtype, bounds, size, torch, edge_values, like_torch
):
    """With torch's noise, our formulas give torch's output and gradient; torch draws for the
    same elements as we do (x <= 0, not NaN), and its gradient with our noise is ours."""
    lower, upper = bounds
    x, g = edge_values(dtype, size, 18), edge_values(dtype, size, 19)
    y_t, grad_t, noise_t = _torch_training(torch, x, g, lower, upper, seed=20)
    with np.errstate(all="ignore"):
        like_torch(rrelu_with_noise_reference(x, noise_t), y_t)
        like_torch(rrelu_backward(g, x, lower, upper, training=True, noise=noise_t), grad_t)
    _, noise = rrelu(x, lower, upper, training=True, generator=_rng(21))
    np.testing.assert_array_equal(noise_t == 1.0, noise == 1.0)  # upper < 1: 1 = not drawn
    np.testing.assert_array_equal(noise == 1.0, ~(x <= 0))
    backward = torch.ops.aten.rrelu_with_noise_backward
    xt, gt = torch.from_numpy(x), torch.from_numpy(g)
    expected = backward(gt, xt, torch.from_numpy(noise), lower, upper, True, False).numpy()
    like_torch(rrelu_backward(g, x, lower, upper, training=True, noise=noise), expected)


# --- the torch twin -------------------------------------------------------------------------------
@pytest.mark.parametrize("bounds", BOUNDS)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_twin_eval_like_torch(dtype, bounds, torch, rt, edge_values, like_torch, autograd):
    lower, upper = bounds
    x, g = edge_values(dtype, 3000, 22), edge_values(dtype, 3000, 23)
    mine, (mine_x,) = autograd(lambda t: rt.rrelu(t, lower, upper), x, g)
    ref, (ref_x,) = autograd(lambda t: torch.nn.functional.rrelu(t, lower, upper), x, g)
    like_torch(mine, ref)
    like_torch(mine_x, ref_x)
    ours, theirs = rt.RReLU(lower, upper).eval(), torch.nn.RReLU(lower, upper).eval()
    mine, (mine_x,) = autograd(ours, x, g)
    ref, (ref_x,) = autograd(theirs, x, g)
    like_torch(mine, ref)
    like_torch(mine_x, ref_x)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_twin_training_like_torch_given_the_same_noise(dtype, torch, rt, edge_values, like_torch):
    x, g = edge_values(dtype, 3000, 24), edge_values(dtype, 3000, 25)
    y_t, grad_t, noise_t = _torch_training(torch, x, g, *DEFAULT, seed=26)
    xt = torch.from_numpy(x).requires_grad_()
    y = rt.RReLUFunction.apply(xt, torch.from_numpy(noise_t))
    y.backward(torch.from_numpy(g))
    like_torch(y.detach().numpy(), y_t)
    like_torch(xt.grad.numpy(), grad_t)


def test_twin_gradcheck_in_training_mode(torch, rt, away_from_kink):
    x = torch.from_numpy(away_from_kink(_rng(27), (4, 5, 6))).requires_grad_()
    noise = rt.rrelu_noise(x.detach(), -0.5, 2.0, torch.Generator().manual_seed(28))
    assert torch.autograd.gradcheck(lambda t: rt.RReLUFunction.apply(t, noise), (x,))

    def seeded(t):  # same seed, same signs: the same slopes at every point gradcheck tries
        return rt.rrelu(t, training=True, generator=torch.Generator().manual_seed(29))

    assert torch.autograd.gradcheck(seeded, (x,))
    assert torch.autograd.gradcheck(lambda t: rt.rrelu(t, 0.1, 0.3), (x,))


def test_twin_module_train_and_eval(torch, rt):
    torch.manual_seed(30)
    x = torch.from_numpy(_mixed(200_000, 31)).requires_grad_()
    layer = rt.RReLU(0.1, 0.3)
    assert layer.training and repr(layer) == repr(torch.nn.RReLU(0.1, 0.3))
    y = layer(x)
    y.backward(torch.ones_like(x))
    drawn = x.detach() <= 0
    slopes = x.grad[drawn]
    assert torch.equal(x.grad[~drawn], torch.ones_like(x.grad[~drawn]))
    assert torch.equal(y.detach()[~drawn], x.detach()[~drawn])
    assert torch.equal(y.detach()[drawn], (x.detach() * x.grad)[drawn])
    assert float(slopes.min()) >= 0.1 and float(slopes.max()) <= 0.3
    n = slopes.numel()
    assert abs(float(slopes.mean()) - 0.2) < 6 * 0.2 / math.sqrt(12 * n)
    assert abs(float(slopes.var()) - 0.2**2 / 12) < 6 * 0.2**2 / math.sqrt(180 * n)
    assert not torch.equal(layer(x), y)  # new slopes at every call
    torch.manual_seed(32)
    first = layer(x)
    torch.manual_seed(32)
    assert torch.equal(layer(x), first)  # torch.manual_seed makes them reproducible
    layer.eval()
    assert torch.equal(layer(x), torch.nn.RReLU(0.1, 0.3).eval()(x))
    layer.train()
    assert not torch.equal(layer(x), layer(x))


def test_twin_bad_arguments(torch, rt):
    x = torch.zeros(3)
    with pytest.raises(ValueError, match="lower <= upper"):
        rt.RReLU(0.5, 0.1)
    with pytest.raises(ValueError, match="lower <= upper"):
        rt.rrelu(x, 0.5, 0.1, training=True)
    with pytest.raises(ValueError, match="finite"):
        rt.rrelu(x, float("nan"), 0.3)
    with pytest.raises(TypeError, match="training must be True or False"):
        rt.rrelu(x, 0.1, 0.3, "yes")
