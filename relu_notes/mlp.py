"""A small, readable NumPy multilayer perceptron for the experiments.

Architecture: ``sizes = (d_in, h_1, ..., h_k, n_classes)``; every hidden layer is
``z = a W + b`` followed by ReLU, Leaky ReLU, PReLU or RReLU; the output layer is linear and the
loss is the mean softmax cross-entropy. Forward and backward of the activations are the package's
own :mod:`relu_notes.functional` functions (``x > 0`` branch convention, so the gradient at
``z = 0`` is 0 for ReLU and ``alpha`` for Leaky ReLU / PReLU).

RReLU (randomized leaky ReLU, Xu et al. 2015) is the one activation whose *mode* matters. A
training step (:meth:`MLP.loss_and_grads`) is in training mode: every element with ``z <= 0``
gets a fresh random slope, drawn from the model's own generator (``noise_generator``, seeded by
``seed``), and the backward pass multiplies by the same slopes (``noise``). Everything else --
:meth:`MLP.forward`, :meth:`MLP.loss`, accuracy, dead fractions, the trainer's records -- is in
eval mode: one fixed slope. Two variants (:class:`RReLUSlopes`): ``"torch"`` draws the slope
uniformly from ``[lower, upper]`` and evaluates with the mean ``(lower + upper) / 2``; ``"xu"``
(Xu et al.'s own definition) divides by ``a ~ U(1/upper, 1/lower)`` = ``U(3, 8)`` and evaluates
with ``x / 5.5``, i.e. with the slope ``2 / (1/lower + 1/upper)``.

Initialization (He et al. 2015): ``W ~ N(0, gain^2 / fan_in)`` with the default
``gain = sqrt(2 / (1 + a^2))``, where ``a`` is the negative slope (0 for ReLU, the fixed slope
for Leaky ReLU, the initial ``alpha`` for PReLU, the eval slope for RReLU). Biases start at
``bias_init``.

A unit is *dead on a data set* when its pre-activation is ``<= 0`` for every example; see
:meth:`MLP.dead_fraction`. The graded measure beside it is the unit's *active fraction*: the
fraction of examples on which its pre-activation is ``> 0`` (:meth:`MLP.active_fraction`); a
unit active on fewer than :data:`NEARLY_DEAD_BELOW` of the examples is *nearly dead*.
"""

from dataclasses import dataclass, field

import numpy as np

from relu_notes import functional as F
from relu_notes.blas import one_blas_thread
from relu_notes.functional import (
    leaky_relu,
    leaky_relu_backward,
    prelu,
    prelu_backward,
    relu,
    relu_backward,
    rrelu,
    rrelu_backward,
)

ACTIVATIONS = (*F.ACTIVATIONS, "rrelu")
RRELU_VARIANTS = ("torch", "xu")

RRELU_STREAM = 1
"""An RReLU model draws its slopes from ``default_rng((seed, RRELU_STREAM))``: a stream of its
own, independent of the weights' ``default_rng(seed)``."""

NEARLY_DEAD_BELOW = 0.01
"""A unit active on fewer than 1% of the examples is *nearly dead*: almost no example sends it
gradient through its positive side, so "dead on every example" alone hides the damage."""


def active_fractions(pre_activations):
    """Per layer, each unit's fraction of rows (examples) with pre-activation ``> 0``."""
    return [np.mean(z > 0, axis=0) for z in pre_activations]


def he_gain(negative_slope=0.0):
    """He et al. (2015) gain ``sqrt(2 / (1 + a^2))`` for a rectifier with negative slope ``a``."""
    return float(np.sqrt(2.0 / (1.0 + negative_slope**2)))


@dataclass(frozen=True)
class RReLUSlopes:
    """How RReLU picks its negative slopes: random in training mode, one fixed slope in eval.

    ``lower`` and ``upper`` bound the training slopes in both variants (default 1/8 and 1/3):

    * ``"torch"`` (:func:`torch.nn.functional.rrelu`, :func:`relu_notes.functional.rrelu`): slope
      ``r ~ U(lower, upper)``, uniform; eval slope the mean ``(lower + upper) / 2`` (0.229).
    * ``"xu"`` (Xu et al. 2015, as in their Kaggle NDSB code): ``y = x / a`` with
      ``a ~ U(1/upper, 1/lower)`` = ``U(3, 8)``, so the slope ``1/a`` is *not* uniform (its
      density ``1/(5 r^2)`` piles up near 1/8; mean ``ln(8/3)/5`` = 0.196); eval ``x / 5.5``,
      the slope ``1 / mean(a)`` = ``2 / (1/lower + 1/upper)`` (0.182).
    """

    variant: str = "torch"
    lower: float = 1.0 / 8
    upper: float = 1.0 / 3

    def __post_init__(self):
        if self.variant not in RRELU_VARIANTS:
            raise ValueError(f"rrelu_variant must be one of {RRELU_VARIANTS}, got {self.variant!r}")
        if not 0.0 < self.lower <= self.upper:
            raise ValueError(f"need 0 < lower <= upper, got {self.lower} and {self.upper}")

    @property
    def eval_slope(self):
        """The fixed slope of eval mode (also the slope of the He gain)."""
        if self.variant == "torch":
            return (self.lower + self.upper) / 2
        return 2.0 / (1.0 / self.lower + 1.0 / self.upper)

    def train_forward(self, z, generator):
        """Training mode: ``(y, noise)`` with fresh slopes where ``z <= 0`` (noise 1 elsewhere)."""
        if self.variant == "torch":
            return rrelu(z, self.lower, self.upper, training=True, generator=generator)
        drawn = z <= 0
        divisors = generator.uniform(1.0 / self.upper, 1.0 / self.lower, np.count_nonzero(drawn))
        noise = np.ones_like(z)
        noise[drawn] = 1.0 / divisors
        return z * noise, noise

    def backward(self, grad, z, noise=None):
        """``dL/dz``: times the drawn ``noise`` (training mode) or the eval slope (``None``)."""
        if noise is None:
            return leaky_relu_backward(grad, z, self.eval_slope)
        return rrelu_backward(grad, z, self.lower, self.upper, training=True, noise=noise)


class MLP:
    """Fully connected network with rectifier hidden layers and a softmax output.

    Parameters
    ----------
    sizes : sequence of int
        ``(d_in, h_1, ..., h_k, n_classes)``; at least one hidden layer.
    activation : {'relu', 'leaky_relu', 'prelu', 'rrelu'}
    negative_slope : float
        Fixed slope of Leaky ReLU (ignored otherwise).
    prelu_init : float
        Initial PReLU ``alpha`` (He et al. 2015 use 0.25).
    prelu_shared : bool
        ``True``: one ``alpha`` per layer (shape ``(1,)``); ``False``: one per unit (channel-wise).
    rrelu_variant : {'torch', 'xu'}
        How RReLU draws its training slopes and which slope it uses in eval mode
        (:class:`RReLUSlopes`; ignored unless ``activation='rrelu'``).
    rrelu_lower, rrelu_upper : float
        Bounds of RReLU's training slopes (default 1/8 and 1/3, as torch and Xu et al.).
    gain : float or None
        Weight std is ``gain / sqrt(fan_in)``; ``None`` means :func:`he_gain` of the slope.
    bias_init : float
        Constant initial value of every hidden and output bias.
    seed : int
        Seed of the weight initialization, and of RReLU's slopes (see :data:`RRELU_STREAM`).

    Attributes of an RReLU model: ``rrelu`` (its :class:`RReLUSlopes`; ``None`` for the other
    activations), ``noise_generator`` (the slopes' generator) and ``last_noise`` (the slopes of
    the last training-mode pass, one array per hidden layer, shaped like its pre-activations).
    """

    def __init__(
        self,
        sizes,
        activation="relu",
        *,
        negative_slope=0.01,
        prelu_init=0.25,
        prelu_shared=False,
        rrelu_variant="torch",
        rrelu_lower=1.0 / 8,
        rrelu_upper=1.0 / 3,
        gain=None,
        bias_init=0.0,
        seed=0,
    ):
        if activation not in ACTIVATIONS:
            raise ValueError(f"activation must be one of {ACTIVATIONS}, got {activation!r}")
        if len(sizes) < 3:
            raise ValueError("sizes needs an input size, at least one hidden size, an output size")
        self.sizes = tuple(int(s) for s in sizes)
        self.activation = activation
        self.negative_slope = float(negative_slope)
        self.prelu_shared = bool(prelu_shared)
        self.rrelu, self.noise_generator, self.last_noise = None, None, None
        if activation == "rrelu":
            self.rrelu = RReLUSlopes(rrelu_variant, float(rrelu_lower), float(rrelu_upper))
            self.noise_generator = np.random.default_rng((seed, RRELU_STREAM))
        slope = {"relu": 0.0, "leaky_relu": negative_slope, "prelu": prelu_init}.get(activation)
        slope = self.rrelu.eval_slope if slope is None else slope
        self.gain = he_gain(slope) if gain is None else float(gain)
        rng = np.random.default_rng(seed)
        self.weights = [
            rng.standard_normal((m, n)) * (self.gain / np.sqrt(m))
            for m, n in zip(self.sizes[:-1], self.sizes[1:], strict=True)
        ]
        self.biases = [np.full(n, float(bias_init)) for n in self.sizes[1:]]
        self.alphas = []
        if activation == "prelu":
            self.alphas = [
                np.full(1 if prelu_shared else n, float(prelu_init)) for n in self.sizes[1:-1]
            ]
        # All parameters live in one flat vector (the optimizers update it with a few large
        # operations); weights, biases and alphas are reshaped views into it.
        params = self.parameters()
        self.flat = np.concatenate([p.ravel() for p in params])
        views, start = [], 0
        for p in params:
            views.append(self.flat[start : start + p.size].reshape(p.shape))
            start += p.size
        n_w, n_b = len(self.weights), len(self.biases)
        self.weights = views[:n_w]
        self.biases = views[n_w : n_w + n_b]
        self.alphas = views[n_w + n_b :]

    @property
    def n_hidden_layers(self):
        return len(self.sizes) - 2

    def parameters(self):
        """All trainable arrays, in the order weights, biases, alphas (views into ``flat``)."""
        return self.weights + self.biases + self.alphas

    def flat_grad(self, grads):
        """Concatenate ``grads`` (aligned with :meth:`parameters`) like ``flat``."""
        return np.concatenate([g.ravel() for g in grads])

    def n_parameters(self):
        return int(sum(p.size for p in self.parameters()))

    def _act(self, z, layer):
        """The activation in eval mode (RReLU with its fixed eval slope)."""
        if self.activation == "relu":
            return relu(z)
        if self.activation == "leaky_relu":
            return leaky_relu(z, self.negative_slope)
        if self.activation == "rrelu":
            return leaky_relu(z, self.rrelu.eval_slope)
        return prelu(z, self.alphas[layer])

    def _act_backward(self, grad, z, layer, noise=None):
        """Return ``(dL/dz, dL/dalpha or None)`` using the package's hand-written backward;
        ``noise``: RReLU's slopes of this layer in training mode (``None``: eval mode)."""
        if self.activation == "relu":
            return relu_backward(grad, z), None
        if self.activation == "leaky_relu":
            return leaky_relu_backward(grad, z, self.negative_slope), None
        if self.activation == "rrelu":
            return self.rrelu.backward(grad, z, noise), None
        return prelu_backward(grad, z, self.alphas[layer])

    def _forward(self, X, training=False, generator=None, noise=None):
        """Return ``(logits, zs, acts)``: hidden pre-activations and layer inputs (acts[0] = X).

        Eval mode unless ``training`` and the activation is RReLU: then every hidden layer uses
        ``noise[layer]`` if ``noise`` is given, else slopes drawn from ``generator`` (default
        ``noise_generator``); the slopes used are kept in ``last_noise``.
        """
        training = training and self.rrelu is not None
        if noise is not None and not training:
            raise ValueError("noise is RReLU's training-mode slopes; this pass has none")
        generator = self.noise_generator if generator is None else generator
        a = np.asarray(X, dtype=np.float64)
        zs, acts, used = [], [a], []
        for layer in range(self.n_hidden_layers):
            z = a @ self.weights[layer] + self.biases[layer]
            if not training:
                a = self._act(z, layer)
            elif noise is None:
                a, slopes = self.rrelu.train_forward(z, generator)
                used.append(slopes)
            else:
                a = z * noise[layer]
                used.append(noise[layer])
            a = np.asarray(a, dtype=np.float64)
            zs.append(z)
            acts.append(a)
        if training:
            self.last_noise = used
        return a @ self.weights[-1] + self.biases[-1], zs, acts

    def forward(self, X):
        """Return ``(logits, pre_activations)`` in eval mode; ``pre_activations[l]`` is hidden
        layer l's z."""
        logits, zs, _ = self._forward(X)
        return logits, zs

    def predict(self, X):
        return np.argmax(self.forward(X)[0], axis=1)

    def accuracy(self, X, y):
        return float(np.mean(self.predict(X) == np.asarray(y)))

    def loss(self, X, y, *, noise=None):
        """Mean softmax cross-entropy ``-mean(log softmax(logits)[i, y_i])``, in eval mode.

        With ``noise`` (RReLU only: one slope array per hidden layer, such as ``last_noise``),
        the training-mode loss with those slopes instead: what finite differences check
        :meth:`loss_and_grads` against.
        """
        logits, _, _ = self._forward(X, training=noise is not None, noise=noise)
        return float(_cross_entropy(logits, np.asarray(y))[0])

    def loss_and_grads(self, X, y, *, training=True, generator=None, noise=None):
        """Return ``(loss, grads)``; ``grads`` is aligned with :meth:`parameters`.

        ``dL/dlogits = (softmax(logits) - onehot(y)) / n``, then back through each layer:
        ``dL/dW = a^T dL/dz``, ``dL/db = sum_i dL/dz_i``, ``dL/da = dL/dz W^T`` and the
        activation's backward for ``dL/dz`` (and ``dL/dalpha`` for PReLU).

        A training step, so in training mode: RReLU draws fresh slopes from ``generator``
        (default: the model's ``noise_generator``) or uses the given ``noise``, keeps them in
        ``last_noise`` and multiplies the gradient by them. ``training=False`` gives the
        eval-mode loss and gradients. The other activations have no modes.
        """
        logits, zs, acts = self._forward(X, training, generator, noise)
        noise = self.last_noise if training and self.rrelu is not None else None
        loss, grad = _cross_entropy(logits, np.asarray(y))
        n_layers = len(self.weights)
        gw, gb = [None] * n_layers, [None] * n_layers
        ga = [None] * len(self.alphas)
        for layer in range(n_layers - 1, -1, -1):
            gw[layer] = acts[layer].T @ grad
            gb[layer] = grad.sum(axis=0)
            if layer == 0:
                break
            grad_a = grad @ self.weights[layer].T
            slopes = None if noise is None else noise[layer - 1]
            grad, g_alpha = self._act_backward(grad_a, zs[layer - 1], layer - 1, slopes)
            grad = np.asarray(grad, dtype=np.float64)
            if g_alpha is not None:
                ga[layer - 1] = np.asarray(g_alpha, dtype=np.float64).reshape(
                    self.alphas[layer - 1].shape
                )
        return float(loss), gw + gb + ga

    def dead_mask(self, X):
        """Per hidden layer, a boolean array: unit's pre-activation ``<= 0`` for every row of X."""
        _, zs = self.forward(X)
        return [np.all(z <= 0, axis=0) for z in zs]

    def dead_fraction(self, X):
        """Per hidden layer, the fraction of units that are dead on ``X`` (see :meth:`dead_mask`).

        For Leaky ReLU / PReLU such a unit still passes a gradient (slope ``alpha``), so it can
        come back; for ReLU it receives no gradient from any example in ``X``.
        """
        return np.array([m.mean() for m in self.dead_mask(X)])

    def active_fraction(self, X):
        """Per hidden layer, each unit's fraction of the rows of ``X`` with pre-activation ``> 0``.

        The graded version of :meth:`dead_mask`: a dead unit has active fraction 0.
        """
        return active_fractions(self.forward(X)[1])

    def nearly_dead_mask(self, X, below=NEARLY_DEAD_BELOW):
        """Per hidden layer, a boolean array: unit active on fewer than ``below`` of the rows."""
        return [f < below for f in self.active_fraction(X)]

    def nearly_dead_fraction(self, X, below=NEARLY_DEAD_BELOW):
        """Per hidden layer, the fraction of units that are nearly dead on ``X`` (dead included)."""
        return np.array([m.mean() for m in self.nearly_dead_mask(X, below)])


def _cross_entropy(logits, y):
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    n = logits.shape[0]
    loss = -log_probs[np.arange(n), y].mean()
    grad = np.exp(log_probs)
    grad[np.arange(n), y] -= 1.0
    return loss, grad / n


class SGD:
    """SGD with (heavy-ball) momentum: ``v <- mu v + g``, ``p <- p - lr v``."""

    def __init__(self, params, lr=0.1, momentum=0.0):
        self.params, self.lr, self.momentum = params, float(lr), float(momentum)
        self.velocity = [np.zeros_like(p) for p in params]

    def step(self, grads):
        for p, v, g in zip(self.params, self.velocity, grads, strict=True):
            v *= self.momentum
            v += g
            p -= self.lr * v


class Adam:
    """Adam (Kingma & Ba 2015) with bias correction."""

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
        self.params, self.lr, self.eps = params, float(lr), float(eps)
        self.b1, self.b2 = betas
        self.m = [np.zeros_like(p) for p in params]
        self.v = [np.zeros_like(p) for p in params]
        self.t = 0

    def step(self, grads):
        self.t += 1
        c1, c2 = 1 - self.b1**self.t, 1 - self.b2**self.t
        for p, m, v, g in zip(self.params, self.m, self.v, grads, strict=True):
            m *= self.b1
            m += (1 - self.b1) * g
            v *= self.b2
            v += (1 - self.b2) * g * g
            p -= self.lr * (m / c1) / (np.sqrt(v / c2) + self.eps)


@dataclass
class History:
    """Statistics recorded before training (epoch 0) and after the epochs listed in ``epoch``.

    ``dead_fraction[r, l]``: dead-unit fraction of hidden layer ``l`` on the training set at
    record ``r``; ``nearly_dead_fraction[r, l]``: fraction of its units active on fewer than
    :data:`NEARLY_DEAD_BELOW` of the training examples (dead units included);
    ``active_fraction[l][r]``: each unit's active fraction (the graded measure) at record ``r``;
    ``widths[l]``: number of units of hidden layer ``l``; ``alphas[l][r]``: PReLU alphas of
    layer ``l`` at record ``r`` (empty list when the net has no PReLU). Every record is made
    in eval mode (RReLU with its fixed eval slope).
    """

    epoch: np.ndarray
    loss: np.ndarray
    train_acc: np.ndarray
    test_acc: np.ndarray
    dead_fraction: np.ndarray
    widths: np.ndarray
    alphas: list = field(default_factory=list)
    nearly_dead_fraction: np.ndarray | None = None
    active_fraction: list = field(default_factory=list)

    @property
    def dead_fraction_total(self):
        """Dead fraction over all hidden units (layers weighted by their widths)."""
        return self.dead_fraction @ self.widths / self.widths.sum()

    @property
    def nearly_dead_fraction_total(self):
        """Nearly-dead fraction over all hidden units (layers weighted by their widths)."""
        return self.nearly_dead_fraction @ self.widths / self.widths.sum()


def make_optimizer(model, optimizer="adam", lr=1e-3, momentum=0.9):
    """An optimizer over ``[model.flat]``; feed it ``[model.flat_grad(grads)]``."""
    if optimizer == "adam":
        return Adam([model.flat], lr=lr)
    if optimizer == "sgd":
        return SGD([model.flat], lr=lr, momentum=momentum)
    raise ValueError(f"optimizer must be 'adam' or 'sgd', got {optimizer!r}")


class Trainer:
    """Mini-batch training that can be continued: model, optimizer, batch order and records.

    ``Trainer(model, X, y, ...)`` records the statistics of the untrained model (epoch 0);
    each :meth:`run` call trains more epochs with the *same* optimizer state and the same
    batch-order generator, so ``run(10); run(10)`` gives exactly what ``run(20)`` gives when
    both record every epoch. :meth:`history` returns everything recorded so far. Its
    keywords are the training settings that :func:`train` passes through.
    """

    def __init__(
        self,
        model,
        X,
        y,
        *,
        batch_size=64,
        lr=1e-3,
        optimizer="adam",
        momentum=0.9,
        X_test=None,
        y_test=None,
        seed=0,
    ):
        self.model = model
        self.X = np.asarray(X, dtype=np.float64)
        self.y = np.asarray(y)
        self.X_test, self.y_test = X_test, y_test
        self.batch_size = int(batch_size)
        self.rng = np.random.default_rng(seed)
        self.opt = make_optimizer(model, optimizer, lr, momentum)
        self.epochs_done = 0
        self._rec = {k: [] for k in ("epoch", "loss", "train_acc", "test_acc", "dead", "nearly")}
        self._alphas = [[] for _ in model.alphas]
        self._active = [[] for _ in range(model.n_hidden_layers)]
        self._record()

    @one_blas_thread
    def _record(self):
        """Append one record; every value is computed before any is stored, so an error (such
        as a floating-point error of a diverging run) leaves the records consistent."""
        model = self.model
        logits, zs = model.forward(self.X)
        active = active_fractions(zs)
        test = np.nan if self.X_test is None else model.accuracy(self.X_test, self.y_test)
        values = {
            "epoch": self.epochs_done,
            "loss": float(_cross_entropy(logits, self.y)[0]),
            "train_acc": float(np.mean(np.argmax(logits, axis=1) == self.y)),
            "test_acc": test,
            "dead": [np.all(z <= 0, axis=0).mean() for z in zs],
            "nearly": [np.mean(f < NEARLY_DEAD_BELOW) for f in active],
        }
        for key, value in values.items():
            self._rec[key].append(value)
        for store, f in zip(self._active, active, strict=True):
            store.append(f)
        for store, a in zip(self._alphas, model.alphas, strict=True):
            store.append(a.copy())

    @one_blas_thread
    def run(self, epochs, record_every=1):
        """Train ``epochs`` more epochs; record after every ``record_every``-th epoch (counted
        from the start of training) and after the last epoch of this call."""
        model, X, y, n = self.model, self.X, self.y, self.X.shape[0]
        for i in range(1, epochs + 1):
            order = self.rng.permutation(n)
            for start in range(0, n, self.batch_size):
                idx = order[start : start + self.batch_size]
                _, grads = model.loss_and_grads(X[idx], y[idx])
                self.opt.step([model.flat_grad(grads)])
            self.epochs_done += 1
            if self.epochs_done % record_every == 0 or i == epochs:
                self._record()
        return self

    def history(self):
        """A :class:`History` of every record so far."""
        rec = self._rec
        return History(
            epoch=np.array(rec["epoch"]),
            loss=np.array(rec["loss"]),
            train_acc=np.array(rec["train_acc"]),
            test_acc=np.array(rec["test_acc"]),
            dead_fraction=np.array(rec["dead"]),
            widths=np.array(self.model.sizes[1:-1], dtype=float),
            alphas=[np.array(a) for a in self._alphas],
            nearly_dead_fraction=np.array(rec["nearly"]),
            active_fraction=[np.array(f) for f in self._active],
        )


@one_blas_thread
def train(model, X, y, *, epochs=30, record_every=1, **settings):
    """Mini-batch training of ``model`` in place; returns a :class:`History`.

    Each epoch visits the training set in a fresh permutation drawn from ``seed``. Statistics
    (full-training-set loss and accuracy, test accuracy if given, per-layer dead and nearly-dead
    fractions and each unit's active fraction on the training set, PReLU alphas) are recorded
    before the first step, after every ``record_every``-th epoch and after the last epoch;
    ``History.epoch`` lists which. NumPy's BLAS runs on one thread meanwhile
    (:mod:`relu_notes.blas`). ``settings`` are :class:`Trainer`'s keywords (``batch_size=64``,
    ``lr=1e-3``, ``optimizer="adam"``, ``momentum=0.9``, ``X_test``, ``y_test``, ``seed=0``).
    To train on in chunks, use :class:`Trainer` itself.
    """
    trainer = Trainer(model, X, y, **settings)
    return trainer.run(epochs, record_every).history()


def train_on_split(model, split, **kwargs):
    """:func:`train` on ``split.X_train``/``split.y_train``, tracking ``split``'s test accuracy.

    ``split`` is any object with ``X_train``, ``y_train``, ``X_test`` and ``y_test`` (such as
    :class:`relu_notes.datasets.Split`); ``kwargs`` go to :func:`train`.
    """
    return train(
        model, split.X_train, split.y_train, X_test=split.X_test, y_test=split.y_test, **kwargs
    )
