r"""A small NumPy convolutional network with a hand-written backward pass.

Architecture (defaults: the 8x8 UCI digits, one input channel; 4 conv layers of 8 channels,
max pool after the first: 1,922 parameters, plus 32 channel-wise alphas)::

    input (N, 1, 8, 8)
    -> [conv 3x3, padding 1, stride 1 -> activation] x len(channels)
       (a 2x2 max or average pool, stride 2, after conv layer ``pool_after``)
    -> global average pooling -> linear classifier -> softmax cross-entropy

**Convolution** (cross-correlation, as ``torch.nn.functional.conv2d``): with weights ``W`` of
shape ``(C_out, C_in, 3, 3)`` and the input zero-padded by 1 on each side,

$$z_{n,o,i,j} = b_o + \sum_{c=0}^{C_\text{in}-1} \sum_{p=0}^{2} \sum_{q=0}^{2}
W_{o,c,p,q}\, x_{n,c,i+p-1,j+q-1}.$$

It is computed by *im2col*: every 3x3 patch (all input channels) becomes one column of a
matrix ``cols`` of shape ``(9 C_in, H W N)``, rows in the order ``(c, p, q)`` of
``W.reshape(C_out, -1)``, so the layer is one matrix product ``z = W.reshape(C_out, -1) @ cols
+ b``. The backward pass is its transpose: ``dL/dW = dz cols^T``, ``dL/db = sum dz`` over the
columns, and ``dL/dcols = W^T dz``, whose columns are added back to the patches they came from
(col2im).

Inside the network, feature maps are stored as ``(C, H, W, N)``: channel first, batch last.
Then every copy of im2col, col2im and pooling moves contiguous runs of ``W N`` numbers (with
the usual ``(N, H, W, C)`` or ``(N, C, H, W)`` runs are only 8 numbers long on 8x8 images and
NumPy's per-run overhead dominates), and ``z`` comes out of the product as ``(C_out, H W N)``,
which the activations receive as ``(1, C_out, H W N)``: axis 1 is the channel, the axis over
which :func:`relu_notes.functional.prelu` broadcasts its weights (one alpha per channel, shared
by every position and example). Weights are in PyTorch's layout; the public :func:`conv2d` and
:meth:`CNN.forward` take and give ``(N, C, H, W)``.

**Activations** are the package's own :mod:`relu_notes.functional` functions and their
``*_backward``: ReLU ``max(0, z)``, Leaky ReLU ``z`` for ``z > 0`` else ``a z`` with a fixed
``a``, PReLU ``z`` for ``z > 0`` else ``alpha_c z`` with a learned ``alpha_c`` per channel
(``prelu_shared=False``) or one per layer (``prelu_shared=True``);
``dL/dalpha_c = sum over the (n, i, j) with z <= 0 of g z``. Convention at ``z = 0``: the
negative branch (``x > 0`` test), so the gradient there is 0 for ReLU and ``a`` (``alpha_c``)
for Leaky ReLU (PReLU), and ``z = 0`` adds nothing to ``dL/dalpha``.

**Pooling**: 2x2 windows, stride 2. Max pooling passes the gradient to the window's first
maximum in row-major order (as PyTorch does when values tie, e.g. four ReLU zeros); average
pooling passes a quarter to each. **Global average pooling**: ``f_{n,c} = mean_{i,j} a_{n,i,j,c}``,
backward ``g_{n,c} / (H W)`` at every position. **Classifier**: ``logits = f V + v`` with ``V`` of
shape ``(C_last, n_classes)``; loss: mean softmax cross-entropy, ``dL/dlogits =
(softmax - onehot) / N`` (as :class:`relu_notes.mlp.MLP`).

**Initialization** (He et al. 2015): every weight (conv and classifier) is drawn from
``N(0, gain^2 / fan_in)`` with ``fan_in = 9 C_in`` for a conv layer and ``C_last`` for the
classifier, and ``gain = sqrt(2 / (1 + a^2))`` (:func:`relu_notes.mlp.he_gain`) for the
activation's slope ``a`` (0 for ReLU, the fixed slope of Leaky ReLU, the initial alpha of
PReLU). Biases start at ``bias_init``; alphas at ``prelu_init``.

**Weight decay** (L2): the objective is ``cross-entropy + penalty`` with ``penalty =
weight_decay/2 * sum(weights^2) + alpha_decay/2 * sum(alpha^2)`` (biases are not decayed), so
its gradient adds ``weight_decay * W`` and ``alpha_decay * alpha``. He et al. train alpha
*without* weight decay (``alpha_decay=0``, the default): decay would pull alpha toward 0, i.e.
toward ReLU.

All parameters live in one flat vector ``model.flat`` (weights, biases, alphas are views into
it), so the optimizers of :mod:`relu_notes.mlp` update it in one go:
``SGD([model.flat], lr, momentum).step([grad])`` with ``_, grad = model.loss_and_grads(X, y)``.
"""

from dataclasses import dataclass, field

import numpy as np

from relu_notes.blas import one_blas_thread
from relu_notes.functional import (
    ACTIVATIONS,
    leaky_relu,
    leaky_relu_backward,
    prelu,
    prelu_backward,
    relu,
    relu_backward,
)
from relu_notes.mlp import _cross_entropy, he_gain, make_optimizer

POOLS = ("max", "avg", None)
KERNEL = 3
"""Every conv layer is 3x3 with padding 1 and stride 1, so it keeps the spatial size."""


# --- convolution by im2col (feature maps (C, H, W, N)) -----------------------------------------
def im2col(x):
    """Patches of a batch ``x`` of shape ``(C, H, W, N)`` as columns: ``(9 C, H W N)``.

    Column ``(i, j, n)`` holds the zero-padded 3x3 neighbourhood of pixel ``(i, j)`` of example
    ``n``, row ``(c, p, q)`` being ``x[c, i + p - 1, j + q - 1, n]`` (0 outside the image).
    """
    c, h, w, n = x.shape
    padded = np.zeros((c, h + 2, w + 2, n), dtype=x.dtype)
    padded[:, 1:-1, 1:-1, :] = x
    cols = np.empty((c, KERNEL, KERNEL, h, w, n), dtype=x.dtype)
    for p in range(KERNEL):
        for q in range(KERNEL):
            cols[:, p, q] = padded[:, p : p + h, q : q + w, :]
    return cols.reshape(c * KERNEL * KERNEL, h * w * n)


def col2im(dcols, shape):
    """The transpose of :func:`im2col`: add every entry of each column back to the pixel it was
    copied from (padding dropped); ``shape`` is the input's ``(C, H, W, N)``."""
    c, h, w, n = shape
    dcols = dcols.reshape(c, KERNEL, KERNEL, h, w, n)
    padded = np.zeros((c, h + 2, w + 2, n), dtype=dcols.dtype)
    for p in range(KERNEL):
        for q in range(KERNEL):
            padded[:, p : p + h, q : q + w, :] += dcols[:, p, q]
    return padded[:, 1:-1, 1:-1, :]


def conv2d(x, weight, bias=None):
    """3x3 convolution with padding 1 of an ``(N, C_in, H, W)`` batch, like
    ``torch.nn.functional.conv2d(x, weight, bias, padding=1)``; returns ``(N, C_out, H, W)``."""
    x = np.asarray(x, dtype=np.float64)
    weight = np.asarray(weight, dtype=np.float64)
    n, _, h, w = x.shape
    z = weight.reshape(weight.shape[0], -1) @ im2col(x.transpose(1, 2, 3, 0))
    if bias is not None:
        z += np.asarray(bias, dtype=np.float64)[:, None]
    return z.reshape(-1, h, w, n).transpose(3, 0, 1, 2)


# --- 2x2 pooling, stride 2 (feature maps (C, H, W, N)) -------------------------------------------
def _quarters(x):
    """The four entries of every 2x2 window of ``x`` ``(C, H, W, N)``, in row-major order:
    views ``x[:, 0::2, 0::2]``, ``x[:, 0::2, 1::2]``, ``x[:, 1::2, 0::2]``, ``x[:, 1::2, 1::2]``."""
    return [x[:, p::2, q::2, :] for p in (0, 1) for q in (0, 1)]


def pool_forward(x, kind):
    """2x2 pooling with stride 2 of ``x`` ``(C, H, W, N)``; returns ``(output, cache)``.

    ``kind='max'``: the window's maximum; the cache holds which entry (0-3, row-major) is the
    *first* maximum, as PyTorch's choice on ties (e.g. four ReLU zeros). ``kind='avg'``: the
    mean.
    """
    quarters = _quarters(x)
    if kind == "avg":
        return sum(quarters) / 4.0, x.shape
    out, which = quarters[0], np.zeros(quarters[0].shape, dtype=np.int8)
    for k, value in enumerate(quarters[1:], start=1):
        larger = value > out  # strictly: a tie keeps the earlier entry
        out = np.where(larger, value, out)
        which[larger] = k
    return out, (x.shape, which)


def pool_backward(grad, cache, kind):
    """Gradient of :func:`pool_forward`: all to the first maximum (max), a quarter each (avg)."""
    shape = cache if kind == "avg" else cache[0]
    dx = np.empty(shape, dtype=grad.dtype)
    for k, quarter in enumerate(_quarters(dx)):
        quarter[...] = grad / 4.0 if kind == "avg" else np.where(cache[1] == k, grad, 0.0)
    return dx


@dataclass
class _LayerCache:
    cols: np.ndarray  # im2col of the layer's input, (9 C_in, H W N)
    in_shape: tuple  # the input's (C_in, H, W, N)
    z: np.ndarray  # pre-activation, (1, C_out, H W N)
    pool: object = None  # pooling cache when this layer is followed by a pool
    out_shape: tuple = ()  # the output's (C_out, H, W, N), after the pool if any


class CNN:
    """Small convolutional network: 3x3 conv layers with rectifiers, GAP, linear, softmax.

    Parameters
    ----------
    channels : sequence of int
        Output channels of each 3x3 conv layer (its length is the depth).
    n_classes : int
    activation : {'relu', 'leaky_relu', 'prelu'}
    in_channels, image_size : int
        Input is ``(N, in_channels, image_size, image_size)`` or the same flattened row-wise.
    pool : {'max', 'avg', None}
        Kind of the one 2x2 pool (``None``: no pool).
    pool_after : int
        Index (0 = first) of the conv layer whose activation is pooled.
    negative_slope : float
        Fixed slope of Leaky ReLU (ignored otherwise).
    prelu_init : float
        Initial PReLU alpha (He et al. 2015: 0.25).
    prelu_shared : bool
        ``True``: one alpha per layer, shape ``(1,)``; ``False``: one per channel.
    gain : float or None
        Weight std is ``gain / sqrt(fan_in)``; ``None``: :func:`relu_notes.mlp.he_gain` of the
        slope.
    bias_init : float
    weight_decay, alpha_decay : float
        L2 coefficients of the weights (conv and classifier) and of the alphas; biases get none.
    dtype : {'float64', 'float32'}
        Of the parameters and of every computation (float32 trains about twice as fast;
        the weights are drawn in float64 and rounded, so both start from the same numbers).
    seed : int
        Seed of the weight initialization.
    """

    def __init__(
        self,
        channels=(8, 8, 8, 8),
        n_classes=10,
        activation="relu",
        *,
        in_channels=1,
        image_size=8,
        pool="max",
        pool_after=0,
        negative_slope=0.01,
        prelu_init=0.25,
        prelu_shared=False,
        gain=None,
        bias_init=0.0,
        weight_decay=0.0,
        alpha_decay=0.0,
        dtype="float64",
        seed=0,
    ):
        self._check(channels, activation, image_size, pool, pool_after)
        self.dtype = np.dtype(dtype)
        if self.dtype not in (np.float32, np.float64):
            raise ValueError(f"dtype must be float32 or float64, got {dtype!r}")
        self.channels = tuple(int(c) for c in channels)
        self.n_classes, self.in_channels = int(n_classes), int(in_channels)
        self.image_size, self.pool, self.pool_after = int(image_size), pool, int(pool_after)
        self.activation, self.prelu_shared = activation, bool(prelu_shared)
        self.negative_slope = float(negative_slope)
        self.weight_decay, self.alpha_decay = float(weight_decay), float(alpha_decay)
        slope = {"relu": 0.0, "leaky_relu": negative_slope, "prelu": prelu_init}[activation]
        self.gain = he_gain(slope) if gain is None else float(gain)
        rng = np.random.default_rng(seed)
        c_ins = (self.in_channels, *self.channels[:-1])
        weights = [
            rng.standard_normal((c_out, c_in, KERNEL, KERNEL))
            * (self.gain / np.sqrt(c_in * KERNEL * KERNEL))  # fan_in = 9 C_in
            for c_out, c_in in zip(self.channels, c_ins, strict=True)
        ]
        last = self.channels[-1]
        weights.append(rng.standard_normal((last, self.n_classes)) * (self.gain / np.sqrt(last)))
        biases = [np.full(c, float(bias_init)) for c in (*self.channels, self.n_classes)]
        alphas = []
        if activation == "prelu":
            alphas = [np.full(1 if prelu_shared else c, float(prelu_init)) for c in self.channels]
        self._build_flat(weights, biases, alphas)

    @staticmethod
    def _check(channels, activation, image_size, pool, pool_after):
        if activation not in ACTIVATIONS:
            raise ValueError(f"activation must be one of {ACTIVATIONS}, got {activation!r}")
        if len(channels) < 1:
            raise ValueError("channels needs at least one conv layer")
        if pool not in POOLS:
            raise ValueError(f"pool must be one of {POOLS}, got {pool!r}")
        if pool is not None and not (0 <= pool_after < len(channels) and image_size % 2 == 0):
            raise ValueError("pool_after must index a conv layer, and the image size be even")

    def _build_flat(self, weights, biases, alphas):
        """One flat vector of every parameter; the attributes become reshaped views of it."""
        params = weights + biases + alphas
        self.flat = np.concatenate([p.ravel() for p in params]).astype(self.dtype)
        self._shapes = [p.shape for p in params]
        views = self.unflatten(self.flat)
        depth = self.depth
        self.conv_weights, self.fc_weight = views[:depth], views[depth]
        self.conv_biases, self.fc_bias = views[depth + 1 : 2 * depth + 1], views[2 * depth + 1]
        self.alphas = views[2 * depth + 2 :]
        # the L2 coefficient of every entry of ``flat``: weights, biases (none), alphas
        decay = [self.weight_decay] * len(weights) + [0.0] * len(biases)
        decay += [self.alpha_decay] * len(alphas)
        self.decay = np.concatenate(
            [np.full(p.size, d, dtype=self.dtype) for p, d in zip(params, decay, strict=True)]
        )

    @property
    def depth(self):
        """Number of conv layers."""
        return len(self.channels)

    def unflatten(self, vector):
        """Views of a flat vector (``flat`` or a gradient) in the order of :meth:`parameters`."""
        views, start = [], 0
        for shape in self._shapes:
            size = int(np.prod(shape))
            views.append(vector[start : start + size].reshape(shape))
            start += size
        return views

    def parameters(self):
        """Conv weights, classifier weight, conv biases, classifier bias, alphas (views)."""
        return self.unflatten(self.flat)

    def parameter_names(self):
        """Names aligned with :meth:`parameters` (``conv1.weight``, ``fc.bias``, ``act1.alpha``)."""
        convs = [f"conv{i + 1}" for i in range(self.depth)]
        return (
            [f"{c}.weight" for c in convs]
            + ["fc.weight"]
            + [f"{c}.bias" for c in convs]
            + ["fc.bias"]
            + [f"act{i + 1}.alpha" for i in range(len(self.alphas))]
        )

    def n_parameters(self):
        return int(self.flat.size)

    # --- forward ---------------------------------------------------------------------------------
    def images(self, X):
        """``X`` in the network's layout ``(C, H, W, N)`` and dtype; ``X`` is ``(N, C, H, W)``
        or ``(N, C*H*W)`` flattened in that order (the digits' 64 pixels, row by row)."""
        X = np.asarray(X, dtype=self.dtype)
        s = self.image_size
        x = X.reshape(X.shape[0], self.in_channels, s, s)
        return np.ascontiguousarray(x.transpose(1, 2, 3, 0))

    def _act(self, z, layer):
        if self.activation == "relu":
            return relu(z)
        if self.activation == "leaky_relu":
            return leaky_relu(z, self.negative_slope)
        return prelu(z, self.alphas[layer])

    def _act_backward(self, grad, z, layer):
        """``(dL/dz, dL/dalpha or None)`` by the package's hand-written backward."""
        if self.activation == "relu":
            return relu_backward(grad, z), None
        if self.activation == "leaky_relu":
            return leaky_relu_backward(grad, z, self.negative_slope), None
        return prelu_backward(grad, z, self.alphas[layer])

    def _forward(self, X):
        """Return ``(logits, features, caches)``; ``features`` is the GAP output ``(N, C)``."""
        a = self.images(X)
        caches = []
        for layer in range(self.depth):
            _, h, w, n = a.shape
            cols = im2col(a)
            weight = self.conv_weights[layer]
            z = weight.reshape(weight.shape[0], -1) @ cols + self.conv_biases[layer][:, None]
            z = z.reshape(1, weight.shape[0], h * w * n)  # axis 1: the channel, for prelu
            cache = _LayerCache(cols, a.shape, z)
            a = self._act(z, layer).reshape(-1, h, w, n)
            if self.pool is not None and layer == self.pool_after:
                a, cache.pool = pool_forward(a, self.pool)
            cache.out_shape = a.shape
            caches.append(cache)
        features = a.mean(axis=(1, 2)).T
        return features @ self.fc_weight + self.fc_bias, features, caches

    def forward(self, X):
        """Return ``(logits, pre_activations)``; ``pre_activations[l]`` is conv layer l's z,
        shape ``(N, C_l, H_l, W_l)``."""
        logits, _, caches = self._forward(X)
        zs = [c.z.reshape(-1, *c.in_shape[1:]).transpose(3, 0, 1, 2) for c in caches]
        return logits, zs

    def predict(self, X):
        return np.argmax(self._forward(X)[0], axis=1)

    def accuracy(self, X, y):
        return float(np.mean(self.predict(X) == np.asarray(y)))

    def penalty(self):
        """``sum(decay * flat^2) / 2``: the weight-decay term of the objective."""
        return 0.5 * float(self.decay @ self.flat**2)

    def loss(self, X, y):
        """The objective: mean softmax cross-entropy plus :meth:`penalty`."""
        logits = self._forward(X)[0]
        return float(_cross_entropy(logits, np.asarray(y))[0]) + self.penalty()

    # --- backward --------------------------------------------------------------------------------
    def loss_and_grads(self, X, y):
        """Return ``(loss, grad)``: the objective (:meth:`loss`) and its gradient, a flat vector
        aligned with ``flat`` (:meth:`unflatten` gives it per parameter)."""
        logits, features, caches = self._forward(X)
        loss, grad = _cross_entropy(logits, np.asarray(y))
        flat_grad = self.decay * self.flat
        g = self.unflatten(flat_grad)
        depth = self.depth
        g[depth] += features.T @ grad  # classifier weight
        g[2 * depth + 1] += grad.sum(axis=0)  # classifier bias
        c, h, w, n = caches[-1].out_shape  # global average pooling: g / (H W) everywhere
        grad_a = np.broadcast_to(
            (grad @ self.fc_weight.T).T[:, None, None, :] / (h * w), (c, h, w, n)
        )
        for layer in range(depth - 1, -1, -1):
            cache = caches[layer]
            if cache.pool is not None:
                grad_a = pool_backward(grad_a, cache.pool, self.pool)
            grad_z, g_alpha = self._act_backward(np.reshape(grad_a, cache.z.shape), cache.z, layer)
            if g_alpha is not None:
                g[2 * depth + 2 + layer] += g_alpha
            weight = self.conv_weights[layer]
            grad_z = grad_z.reshape(weight.shape[0], -1)
            g[layer] += (grad_z @ cache.cols.T).reshape(weight.shape)
            g[depth + 1 + layer] += grad_z.sum(axis=1)
            if layer > 0:
                grad_a = col2im(weight.reshape(weight.shape[0], -1).T @ grad_z, cache.in_shape)
        return float(loss) + self.penalty(), flat_grad


# --- training ------------------------------------------------------------------------------------
@dataclass
class CNNHistory:
    """``loss``, ``train_acc``, ``test_acc`` at the epochs in ``epoch`` (0 = before training);
    ``alphas[l][e]``: the alphas of layer ``l`` after epoch ``e`` (row 0: initial), every epoch.
    ``loss`` is the objective (cross-entropy plus the weight-decay penalty)."""

    epoch: np.ndarray
    loss: np.ndarray
    train_acc: np.ndarray
    test_acc: np.ndarray
    alphas: list = field(default_factory=list)


@one_blas_thread
def train_cnn(
    model,
    split,
    *,
    epochs=10,
    batch_size=32,
    lr=0.05,
    optimizer="sgd",
    momentum=0.9,
    lr_drops=(),
    seed=0,
    record_every=1,
):
    """Mini-batch training of ``model`` on ``split`` in place; returns a :class:`CNNHistory`.

    ``split`` has ``X_train``, ``y_train``, ``X_test``, ``y_test`` (rows of ``C*H*W`` pixels).
    Each epoch visits the training set in a fresh permutation drawn from ``seed``; the
    optimizer is :func:`relu_notes.mlp.make_optimizer` over ``[model.flat]`` (default: SGD with
    momentum 0.9, as He et al.); after each epoch listed in ``lr_drops`` the learning rate is
    divided by 10 (He et al. divide it by 10 when the error plateaus). Loss and accuracies are
    recorded before training, after every ``record_every``-th epoch and after the last; alphas
    after every epoch. BLAS runs on one thread meanwhile.
    """
    X, y = np.asarray(split.X_train, dtype=model.dtype), np.asarray(split.y_train)
    rng = np.random.default_rng(seed)
    opt = make_optimizer(model, optimizer, lr, momentum)
    records = {"epoch": [], "loss": [], "train_acc": [], "test_acc": []}
    alphas = [[a.copy()] for a in model.alphas]

    def record(epoch):
        records["epoch"].append(epoch)
        records["loss"].append(model.loss(X, y))
        records["train_acc"].append(model.accuracy(X, y))
        records["test_acc"].append(model.accuracy(split.X_test, split.y_test))

    record(0)
    for epoch in range(1, epochs + 1):
        order = rng.permutation(X.shape[0])
        for start in range(0, X.shape[0], batch_size):
            idx = order[start : start + batch_size]
            opt.step([model.loss_and_grads(X[idx], y[idx])[1]])
        for store, a in zip(alphas, model.alphas, strict=True):
            store.append(a.copy())
        if epoch in lr_drops:
            opt.lr /= 10.0
        if epoch % record_every == 0 or epoch == epochs:
            record(epoch)
    return CNNHistory(
        **{k: np.array(v) for k, v in records.items()}, alphas=[np.array(a) for a in alphas]
    )
