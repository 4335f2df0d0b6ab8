import numpy as np
import pytest

from relu_notes import cnn
from relu_notes.cnn import CNN, col2im, conv2d, im2col, pool_backward, pool_forward, train_cnn
from relu_notes.datasets import Split, load_dataset
from relu_notes.mlp import SGD, he_gain, make_optimizer

# Tiny nets for the finite-difference checks: 3 conv layers, one pool in the middle, 6x6 images.
TINY = {"channels": (2, 3, 3), "n_classes": 4, "image_size": 6, "pool_after": 1}
CONFIGS = [
    {"activation": "relu", "pool": "max"},
    {"activation": "leaky_relu", "negative_slope": 0.1, "pool": "avg"},
    {"activation": "prelu", "pool": "max"},
    {"activation": "prelu", "prelu_shared": True, "pool": None},
    {"activation": "prelu", "pool": "avg", "weight_decay": 0.3, "alpha_decay": 0.7},
]


def _batch(n=3, size=6, seed=0):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n, size * size)), rng.integers(0, 4, n)


def _tiny(config, seed=1):
    model = CNN(**TINY, **config, bias_init=0.05, seed=seed)
    for a in model.alphas:  # distinct alphas, so a wrong broadcast would show
        a[:] = np.linspace(0.1, 0.4, a.size)
    return model


def _margins(model, X):
    """Smallest |z| over all pre-activations, and smallest gap between the largest and the
    second largest entry of the max-pool windows (windows whose maximum is a ReLU zero, where
    ties are harmless, excluded)."""
    _, zs = model.forward(X)
    smallest = min(np.abs(z).min() for z in zs)
    if model.pool != "max":
        return smallest, np.inf
    z = zs[model.pool_after]  # (N, C, H, W) -> post-activation windows
    a = model._act(z.transpose(1, 2, 3, 0).reshape(1, z.shape[1], -1), model.pool_after)
    a = a.reshape(z.shape[1], z.shape[2], z.shape[3], z.shape[0])
    windows = np.sort(np.stack(cnn._quarters(a), axis=-1), axis=-1)
    gaps = (windows[..., -1] - windows[..., -2])[windows[..., -1] != 0]
    return smallest, gaps.min()


def _numerical_grad(model, X, y, h=1e-6):
    """Central differences of ``model.loss`` with respect to every entry of ``model.flat``."""
    grad = np.zeros_like(model.flat)
    for i in range(model.flat.size):
        old = model.flat[i]
        model.flat[i] = old + h
        up = model.loss(X, y)
        model.flat[i] = old - h
        down = model.loss(X, y)
        model.flat[i] = old
        grad[i] = (up - down) / (2 * h)
    return grad


def _check_backward(model, X, y):
    """Assert the hand-written gradient equals central differences, parameter by parameter."""
    _, grad = model.loss_and_grads(X, y)
    numeric = _numerical_grad(model, X, y)
    names = model.parameter_names()
    for name, g, n in zip(names, model.unflatten(grad), model.unflatten(numeric), strict=True):
        np.testing.assert_allclose(g, n, rtol=1e-5, atol=1e-8, err_msg=name)
        assert np.abs(n).max() > 1e-6, f"{name}: no gradient, the check would be empty"


@pytest.mark.parametrize("config", CONFIGS)
def test_backward_matches_finite_differences(config):
    X, y = _batch()
    model = _tiny(config)
    smallest, gap = _margins(model, X)
    # far from every kink: a step of 1e-6 in one parameter moves any z by less than 1e-5
    assert smallest > 1e-4 and gap > 1e-4
    _check_backward(model, X, y)


def test_every_parameter_kind_is_checked():
    names = {name for config in CONFIGS for name in _tiny(config).parameter_names()}
    layers = ("conv1", "conv2", "conv3")
    expected = {f"{c}.{kind}" for c in layers for kind in ("weight", "bias")}
    expected |= {"fc.weight", "fc.bias", "act1.alpha", "act2.alpha", "act3.alpha"}
    assert names == expected
    shapes = {
        c.get("prelu_shared", False): [a.shape for a in _tiny(c).alphas]
        for c in CONFIGS
        if c["activation"] == "prelu"
    }
    assert shapes == {False: [(2,), (3,), (3,)], True: [(1,), (1,), (1,)]}


def _col2im_missing_corner(dcols, shape):
    dcols = dcols.reshape(shape[0], 3, 3, -1).copy()
    dcols[:, 0, 0] = 0.0  # forget one of the nine offsets
    return _ORIGINAL_COL2IM(dcols.reshape(shape[0] * 9, -1), shape)


_ORIGINAL_COL2IM = cnn.col2im


@pytest.mark.parametrize("mutant", ["alpha gradient 1% off", "col2im drops an offset"])
def test_the_check_catches_a_wrong_backward(monkeypatch, mutant):
    """The finite-difference check can fail: small mistakes in the backward are caught."""
    X, y = _batch()
    model = _tiny(CONFIGS[2])
    if mutant.startswith("alpha"):
        original = cnn.prelu_backward

        def off_by_one_percent(grad, z, alpha):
            grad_input, grad_alpha = original(grad, z, alpha)
            return grad_input, grad_alpha * 1.01

        monkeypatch.setattr(cnn, "prelu_backward", off_by_one_percent)
    else:
        monkeypatch.setattr(cnn, "col2im", _col2im_missing_corner)
    with pytest.raises(AssertionError):
        _check_backward(model, X, y)


# --- convolution and pooling against direct loops ------------------------------------------------
def _naive_conv2d(x, weight, bias):
    """Direct 7-loop cross-correlation with zero padding 1."""
    n, c_in, h, w = x.shape
    c_out = weight.shape[0]
    out = np.zeros((n, c_out, h, w))
    for b in range(n):
        for o in range(c_out):
            for i in range(h):
                for j in range(w):
                    total = bias[o]
                    for c in range(c_in):
                        for p in range(3):
                            for q in range(3):
                                ii, jj = i + p - 1, j + q - 1
                                if 0 <= ii < h and 0 <= jj < w:
                                    total += weight[o, c, p, q] * x[b, c, ii, jj]
                    out[b, o, i, j] = total
    return out


def test_im2col_convolution_equals_direct_loops():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 3, 5, 4))  # non-square, so rows and columns cannot be swapped
    weight, bias = rng.standard_normal((4, 3, 3, 3)), rng.standard_normal(4)
    np.testing.assert_allclose(conv2d(x, weight, bias), _naive_conv2d(x, weight, bias), atol=1e-12)
    # an asymmetric kernel at one pixel: the result is the kernel, flipped (cross-correlation)
    delta = np.zeros((1, 1, 5, 5))
    delta[0, 0, 2, 2] = 1.0
    kernel = np.arange(9.0).reshape(1, 1, 3, 3)
    np.testing.assert_array_equal(conv2d(delta, kernel)[0, 0, 1:4, 1:4], kernel[0, 0, ::-1, ::-1])


def test_conv2d_equals_torch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(1)
    x = rng.standard_normal((3, 2, 8, 8))
    weight, bias = rng.standard_normal((5, 2, 3, 3)), rng.standard_normal(5)
    expected = torch.nn.functional.conv2d(
        torch.from_numpy(x), torch.from_numpy(weight), torch.from_numpy(bias), padding=1
    ).numpy()
    np.testing.assert_allclose(conv2d(x, weight, bias), expected, rtol=1e-12, atol=1e-12)


def test_col2im_is_the_transpose_of_im2col():
    rng = np.random.default_rng(2)
    x = rng.standard_normal((3, 4, 5, 2))  # (C, H, W, N)
    d = rng.standard_normal((27, 40))
    assert np.sum(im2col(x) * d) == pytest.approx(np.sum(x * col2im(d, x.shape)), rel=1e-12)


def test_pooling():
    x = np.array([[1.0, 5.0, 2.0, 2.0], [3.0, 4.0, 2.0, 2.0]]).reshape(1, 2, 4, 1)  # (C,H,W,N)
    out, cache = pool_forward(x, "max")
    np.testing.assert_array_equal(out.ravel(), [5.0, 2.0])
    grad = pool_backward(np.array([10.0, 20.0]).reshape(1, 1, 2, 1), cache, "max")
    # the gradient goes to the maximum; on a tie, to the first entry in row-major order only
    np.testing.assert_array_equal(grad.reshape(2, 4), [[0, 10, 20, 0], [0, 0, 0, 0]])
    out, cache = pool_forward(x, "avg")
    np.testing.assert_array_equal(out.ravel(), [3.25, 2.0])
    grad = pool_backward(np.array([4.0, 8.0]).reshape(1, 1, 2, 1), cache, "avg")
    np.testing.assert_array_equal(grad.reshape(2, 4), [[1, 1, 2, 2], [1, 1, 2, 2]])


# --- the whole network against torch autograd ----------------------------------------------------
def _torch_loss(torch, model, X, y):
    """The same network in torch (NCHW), its loss and the gradients in our parameter order."""
    F = torch.nn.functional
    params = [torch.tensor(p, requires_grad=True) for p in model.parameters()]
    depth = model.depth
    a = torch.tensor(X).reshape(X.shape[0], 1, model.image_size, model.image_size)
    for layer in range(depth):
        z = F.conv2d(a, params[layer], params[depth + 1 + layer], padding=1)
        if model.activation == "relu":
            a = F.relu(z)
        elif model.activation == "leaky_relu":
            a = F.leaky_relu(z, model.negative_slope)
        else:
            a = F.prelu(z, params[2 * depth + 2 + layer])
        if model.pool is not None and layer == model.pool_after:
            a = (F.max_pool2d if model.pool == "max" else F.avg_pool2d)(a, 2)
    logits = a.mean(dim=(2, 3)) @ params[depth] + params[2 * depth + 1]
    loss = F.cross_entropy(logits, torch.tensor(y))
    loss = loss + 0.5 * sum(
        (torch.tensor(d) * p**2).sum()
        for p, d in zip(params, model.unflatten(model.decay), strict=True)
    )
    loss.backward()
    return loss.item(), np.concatenate([p.grad.numpy().ravel() for p in params])


@pytest.mark.parametrize("config", CONFIGS)
def test_loss_and_gradient_equal_torch_autograd(config):
    torch = pytest.importorskip("torch")
    X, y = _batch(n=5, seed=3)
    model = _tiny(config, seed=4)
    loss, grad = model.loss_and_grads(X, y)
    expected_loss, expected_grad = _torch_loss(torch, model, X, y)
    assert loss == pytest.approx(expected_loss, rel=1e-12)
    np.testing.assert_allclose(grad, expected_grad, rtol=1e-9, atol=1e-12)


# --- initialization, parameters, dtype, training -------------------------------------------------
def test_he_initialization():
    for activation, slope in [("relu", 0.0), ("leaky_relu", 0.5), ("prelu", 0.25)]:
        m = CNN((64, 64), activation=activation, negative_slope=slope, prelu_init=slope, pool=None)
        assert m.gain == pytest.approx(he_gain(slope))
        w = m.conv_weights[1]
        assert np.std(w) * np.sqrt(9 * 64) == pytest.approx(m.gain, rel=0.03)
    assert CNN(gain=1.0).gain == 1.0


def test_flat_parameters_and_decay_vector():
    m = CNN((2, 3), n_classes=4, activation="prelu", weight_decay=0.1, alpha_decay=0.2)
    assert m.n_parameters() == 1 * 2 * 9 + 2 * 3 * 9 + 3 * 4 + 2 + 3 + 4 + 2 + 3
    assert m.parameter_names() == [
        "conv1.weight", "conv2.weight", "fc.weight", "conv1.bias", "conv2.bias", "fc.bias",
        "act1.alpha", "act2.alpha",
    ]  # fmt: skip
    decay = dict(zip(m.parameter_names(), m.unflatten(m.decay), strict=True))
    assert np.all(decay["conv2.weight"] == 0.1) and np.all(decay["fc.weight"] == 0.1)
    assert np.all(decay["conv1.bias"] == 0) and np.all(decay["fc.bias"] == 0)
    assert np.all(decay["act2.alpha"] == 0.2)
    SGD([m.flat], lr=1.0).step([np.ones_like(m.flat)])  # the optimizer moves the views
    np.testing.assert_allclose(m.alphas[1], 0.25 - 1.0)
    assert m.penalty() == pytest.approx(0.5 * np.sum(m.decay * m.flat**2))


def test_forward_gives_pre_activations_in_nchw():
    m = CNN((3, 5), activation="relu", pool_after=0, bias_init=0.1, seed=2)
    X, _ = _batch(n=4, size=8)
    logits, zs = m.forward(X)
    assert logits.shape == (4, 10)
    assert [z.shape for z in zs] == [(4, 3, 8, 8), (4, 5, 4, 4)]
    expected = conv2d(X.reshape(4, 1, 8, 8), m.conv_weights[0], m.conv_biases[0])
    np.testing.assert_allclose(zs[0], expected, atol=1e-12)


def test_float32_gradient_is_close_to_float64():
    X, y = _batch(n=8, size=8)
    m64 = CNN(activation="prelu", seed=5)
    m32 = CNN(activation="prelu", seed=5, dtype="float32")
    assert m32.flat.dtype == np.float32
    np.testing.assert_array_equal(m32.flat, m64.flat.astype(np.float32))
    loss32, g32 = m32.loss_and_grads(X, y)
    loss64, g64 = m64.loss_and_grads(X, y)
    assert g32.dtype == np.float32 and loss32 == pytest.approx(loss64, rel=1e-5)
    np.testing.assert_allclose(g32, g64, rtol=1e-3, atol=1e-5)


def _small_split():
    """300 training and 200 test digits, pixels standardized by one mean and std."""
    X, y = load_dataset("digits")
    X = (X - X.mean()) / X.std()
    return Split(X[:300], X[300:500], y[:300], y[300:500])


def test_training_learns_is_deterministic_and_drops_the_rate(monkeypatch):
    split = _small_split()
    kw = {"epochs": 6, "batch_size": 16, "lr": 0.05, "seed": 3, "lr_drops": (4,)}
    optimizers = []

    def recording(*args):
        optimizers.append(make_optimizer(*args))
        return optimizers[-1]

    monkeypatch.setattr(cnn, "make_optimizer", recording)
    a, b = (train_cnn(CNN((8, 8, 8), activation="prelu", seed=1), split, **kw) for _ in "ab")
    np.testing.assert_array_equal(a.loss, b.loss)
    np.testing.assert_array_equal(a.alphas[2], b.alphas[2])
    assert a.epoch.tolist() == list(range(7))
    assert a.loss[-1] < 0.4 * a.loss[0] and a.test_acc[-1] > 0.6  # chance: 0.1
    assert a.alphas[0].shape == (7, 8) and np.all(a.alphas[0][0] == 0.25)
    assert isinstance(optimizers[0], SGD) and optimizers[0].momentum == 0.9
    assert optimizers[0].lr == pytest.approx(0.005)  # divided by 10 once, after epoch 4


def test_alpha_decay_pulls_alpha_toward_zero():
    split = _small_split()
    kw = {"epochs": 3, "batch_size": 16, "lr": 0.05, "seed": 3}
    free = train_cnn(CNN((4, 4), activation="prelu", seed=1), split, **kw)
    decayed = train_cnn(CNN((4, 4), activation="prelu", alpha_decay=5.0, seed=1), split, **kw)
    assert np.mean(decayed.alphas[0][-1]) < np.mean(free.alphas[0][-1]) - 0.05


def test_invalid_arguments():
    for bad in (
        {"activation": "tanh"},
        {"channels": ()},
        {"pool": "sum"},
        {"pool_after": 5},
        {"image_size": 7},
        {"dtype": "float16"},
    ):
        with pytest.raises(ValueError):
            CNN(**bad)
