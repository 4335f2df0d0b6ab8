"""Synthetic result objects with the API of the shared contract, for tests and previews.

These are **not results**: every number comes from a function ``draw(key) -> per-seed values``
that the caller chooses, so a test can steer each rule to each of its outcomes, and a preview of
the ledger page can be rendered before any experiment ran. ``key`` names the quantity, e.g.
``("natural_dying", "final_dead", "adam", 0.01, "relu")`` or ``("speed", "prelu")``.

:func:`fake_results` returns a ``results`` dict with one fake per experiment the ledger reads.
"""

import numpy as np

ARMS = ("relu", "leaky_0.01", "leaky_0.25", "prelu")
LRS = {"sgd": (0.01, 0.03, 0.1, 0.3, 1.0), "adam": (1e-4, 3e-4, 1e-3, 3e-3, 1e-2)}
DATASETS = ("spirals", "wine", "iris")
ALPHAS = (-0.1, 0.0, 0.01, 0.1, 0.3, 0.5)
LAYERS = 6


class _Fake:
    def __init__(self, draw, name):
        self._draw, self._name = draw, name

    def _get(self, *key):
        return np.asarray(self._draw((self._name, *key)), dtype=float)

    @property
    def seeds(self):
        return tuple(range(self._get(*self._probe).size))


class NaturalDying(_Fake):
    """``results["natural_dying"]``: per (optimizer, lr, arm), per seed."""

    _probe = ("final_dead", "adam", LRS["adam"][-1], "relu")

    def __init__(self, draw, settled=True):
        super().__init__(draw, "natural_dying")
        self.optimizers, self.lrs, self.arms, self._settled = ("sgd", "adam"), LRS, ARMS, settled

    def final_dead(self, optimizer, lr, arm):
        return self._get("final_dead", optimizer, lr, arm)

    def final_nearly_dead(self, optimizer, lr, arm):
        return self._get("final_nearly_dead", optimizer, lr, arm)

    def final_test_acc(self, optimizer, lr, arm):
        return self._get("final_test_acc", optimizer, lr, arm)

    def settled(self, optimizer, lr, arm):
        return np.full(len(self.seeds), bool(self._settled))

    def worst_lr(self, optimizer, arm_name="relu"):
        means = [self.final_dead(optimizer, lr, arm_name).mean() for lr in self.lrs[optimizer]]
        return self.lrs[optimizer][int(np.argmax(means))]


class Dying(_Fake):
    """``results["dying"]``: the forced-shift stress test, per arm, per seed."""

    _probe = ("final_dead", "relu")

    def __init__(self, draw, settled=True):
        super().__init__(draw, "dying")
        self.arms, self.bias_shift, self._settled = ARMS, -4.0, settled

    def final_dead(self, arm, layer=None):
        return self._get("final_dead", arm)

    def final_nearly_dead(self, arm):
        return self._get("final_nearly_dead", arm)

    def final_test_acc(self, arm):
        return self._get("final_test_acc", arm)

    def dead_after_shift(self, arm):
        return self._get("dead_after_shift", arm)

    def settled(self, arm):
        return np.full(len(self.seeds), bool(self._settled))


class PReLUAlpha(_Fake):
    """``results["prelu_alpha"]``: test accuracy per arm; learned alphas per mode."""

    _probe = ("test_acc", "prelu")

    def __init__(self, draw, architecture="mlp", name="prelu_alpha"):
        super().__init__(draw, name)
        self.arms, self.modes, self.prelu_init = ARMS, ("channel", "shared"), 0.25
        self.architecture = architecture

    def test_acc(self, arm):
        return self._get("test_acc", arm)

    def layer_means_per_seed(self, mode):
        return np.stack([self._get("layer_mean", mode, i) for i in range(LAYERS)], axis=1)

    def layer_means(self, mode):
        return self.layer_means_per_seed(mode).mean(axis=0)

    def depth_trend(self, mode):
        return self._get("depth_trend", mode)

    def unit_spread(self, mode):
        return self._get("unit_spread", mode)

    def alpha_change(self, mode):
        return np.abs(self.layer_means_per_seed(mode) - self.prelu_init).max(axis=1)


class CNNAlpha(PReLUAlpha):
    """``results["cnn_alpha"]``: as :class:`PReLUAlpha`, for a CNN of ``depth`` conv layers."""

    def __init__(self, draw, depth=4):
        super().__init__(draw, "cnn", name="cnn_alpha")
        self.depth = depth


class Overfitting(_Fake):
    """``results["overfitting"]``: train accuracy 1 everywhere, so the gap is 1 - test."""

    _probe = ("test_acc", "prelu", 30)

    def __init__(self, draw):
        super().__init__(draw, "overfitting")
        self.arms, self.train_sizes = ARMS, (30, 100, 300)

    def test_acc(self, arm, size):
        return self._get("test_acc", arm, size)

    def train_acc(self, arm, size):
        return np.ones(len(self.seeds))

    def gap(self, arm, size):
        return self.train_acc(arm, size) - self.test_acc(arm, size)


class XuComparison(_Fake):
    """``results["xu_comparison"]``: per arm, per seed."""

    _probe = ("loss_gap", "prelu")

    def __init__(self, draw):
        super().__init__(draw, "xu_comparison")

    def loss_gap(self, arm):
        return self._get("loss_gap", arm)

    def test_acc(self, arm):
        return self._get("test_acc", arm)


class AlphaSweep(_Fake):
    """``results["alpha_sweep"]``: test accuracy per (dataset, alpha), per seed."""

    _probe = ("test_acc", DATASETS[0], ALPHAS[0])

    def __init__(self, draw):
        super().__init__(draw, "alpha_sweep")
        self.datasets, self.alphas = DATASETS, ALPHAS

    def test_acc(self, dataset, alpha):
        return self._get("test_acc", dataset, alpha)

    def best_alpha(self, dataset):
        means = [self.test_acc(dataset, a).mean() for a in self.alphas]
        return self.alphas[int(np.argmax(means))]


class Recovery(_Fake):
    """``results["recovery"]``: per-seed log-log slopes; ``capped`` runs hit the step cap."""

    _probe = ("log_slope", "sgd")

    def __init__(self, draw, capped=0):
        super().__init__(draw, "recovery")
        self.optimizers, self.alphas, self._capped = ("sgd", "adam"), (0.01, 0.03, 0.1, 0.3), capped

    def log_slope(self, optimizer):
        return self._get("log_slope", optimizer)

    def n_capped(self):
        return int(self._capped)


class Speed:
    """``results["speed"]``: forward + backward over copy time, per repeat (``total_ratios``);
    ``per_repeat=False`` gives the old API (one median, ``total_ratio``)."""

    def __init__(self, draw, shape=(4096, 4096), per_repeat=True):
        self._draw, self.shape = draw, tuple(shape)
        if per_repeat:
            self.total_ratios = lambda act: np.asarray(self._draw(("speed", act)), dtype=float)

    def total_ratio(self, activation):
        return float(np.median(self._draw(("speed", activation))))


class BornDead:
    """``results["born_dead"]``: Monte Carlo P(born dead) with closed-form bounds."""

    def __init__(self, p_dead, lower, upper, widths=(1, 2), depths=None, n_trials=2000):
        self.p_dead = np.asarray(p_dead, dtype=float)
        self.theory_lower, self.theory_upper = np.asarray(lower), np.asarray(upper)
        self.widths = tuple(widths)
        self.depths = tuple(depths or range(1, self.p_dead.shape[1] + 1))
        self.n_trials = int(n_trials)


def born_dead_exact(depths=tuple(range(1, 21)), offset=0.0, n_trials=2000):
    """A born-dead fake for width 1, whose closed form is exact (1 - 2^-(L-1)); ``offset``
    moves the "Monte Carlo" estimates away from it."""
    exact = 1.0 - 2.0 ** (-(np.asarray(depths, dtype=float) - 1))
    p = np.clip(exact + offset, 0.0, 1.0)[None, :]
    return BornDead(p, exact[None, :], exact[None, :], (1,), depths, n_trials)


class InitGain:
    """``results["init_gain"]``: simulated and analytic q_L / q_1 per configuration."""

    def __init__(self, measured, analytic):
        self.measured, self.analytic = np.atleast_2d(measured), np.atleast_2d(analytic)


def fake_results(
    draw,
    *,
    settled=True,
    capped=0,
    architecture="mlp",
    cnn_depth=4,
    speed_shape=(4096, 4096),
    per_repeat=True,
    born_dead=None,
    init_gain=None,
):
    """A ``results`` dict of fakes reading every per-seed number from ``draw``."""
    results = {
        "natural_dying": NaturalDying(draw, settled),
        "dying": Dying(draw, settled),
        "prelu_alpha": PReLUAlpha(draw, architecture),
        "cnn_alpha": CNNAlpha(draw, cnn_depth),
        "overfitting": Overfitting(draw),
        "xu_comparison": XuComparison(draw),
        "alpha_sweep": AlphaSweep(draw),
        "recovery": Recovery(draw, capped),
        "speed": Speed(draw, speed_shape, per_repeat),
        "born_dead": born_dead if born_dead is not None else born_dead_exact(),
    }
    if init_gain is not None:
        results["init_gain"] = init_gain
    return results


def constant(values, default):
    """A ``draw`` that looks each key up in ``values`` (a dict: key -> per-seed values, or a
    function of the key returning None when it has no opinion) and falls back to
    ``default``."""

    def draw(key):
        found = values(key) if callable(values) else values.get(key)
        return default if found is None else found

    return draw


_SPREAD = np.array([-2.0, -1.0, 0.0, 1.0, 2.0])
PROFILES = [
    np.full(5, v)
    for v in (0, 0.004, 0.03, 0.07, 0.2, 0.25, 0.5, 0.9, 1.0, -0.2, -0.6, -1.0, 1.5, 6.0)
] + [
    c + w * _SPREAD
    for c, w in ((0, 0.3), (0.05, 0.03), (0.25, 0.2), (0.3, 0.2), (-1, 0.5), (1, 0.5), (-0.5, 0.3))
]
"""Per-seed values a random synthetic quantity may take: constants and noisy spreads."""


def random_results(rng):
    """Random synthetic results (for tests that run every rule over many of them): each
    quantity is drawn from :data:`PROFILES`, either independently or as one shared profile plus
    small or large noise per quantity; runs settle or not, some recoveries hit the cap, the
    network is an MLP or a CNN (shallow or deep), the timed array is memory-bound or
    cache-sized, and the born-dead estimates agree with the closed form, miss it, or stop at
    a shallow depth."""
    cache = {}
    shared = rng.random() < 0.4
    base, noise = PROFILES[rng.integers(len(PROFILES))], (0.001, 0.2)[rng.integers(2)]

    def draw(key):
        if key not in cache:
            independent = PROFILES[rng.integers(len(PROFILES))]
            cache[key] = base + rng.normal(0.0, noise, 5) if shared else independent
        return cache[key]

    born_dead = (
        born_dead_exact(),
        born_dead_exact(offset=-0.3),
        born_dead_exact(depths=(1, 2)),
        born_dead_exact(depths=(1,)),
    )[rng.integers(4)]
    return fake_results(
        draw,
        settled=rng.random() < 0.7,
        capped=int(rng.random() < 0.3),
        architecture=("mlp", "cnn")[rng.integers(2)],
        cnn_depth=(4, 14)[rng.integers(2)],
        speed_shape=(4096, 4096) if rng.random() < 0.8 else (1024, 1024),
        born_dead=born_dead,
    )
