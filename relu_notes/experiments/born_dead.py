r"""Born dead at initialization (Lu, Shin, Su & Karniadakis 2019/2020), by Monte Carlo.

A network is *born dead* when, at initialization, its output is constant over the whole input
domain (then every gradient with respect to the weights below the dead layer is zero and the
net cannot learn the target). Lu et al. prove that a ReLU net of fixed width initialized with
symmetric distributions (weights, and biases if any) is born dead with probability tending to 1
as its depth grows. How fast it tends to 1 depends on the width, so the experiment runs the
narrow widths 1-4, where it matters at depth 20, beside the widths 10 and 16 of small course
networks, where it does not (wider nets, such as 32, die even less; with a fresh net per depth
width 32 costs about 7 s more, so it is not a default).

Setup used here
---------------
* Input domain ``[-1, 1]^d`` (default ``d = 1``), evaluated on a grid of ``n_points`` points
  (in ``d = 1``: ``linspace(-1, 1, n_points)``, which includes both end points).
* ``depth`` hidden layers of ``width`` units each; weights i.i.d. He normal
  ``N(0, 2 / fan_in)``; biases i.i.d. ``N(0, bias_std^2)``, zero for the default
  ``bias_std = 0`` (the fields ``p_dead``, ``theory_*`` and the Leaky ReLU fractions).
  Every net is run a second time with the *same* weights and biases scaled to
  ``N(0, biased_std^2)`` (default ``biased_std = 0.1``, about PyTorch's default bias init
  ``U(-1/sqrt(fan_in), 1/sqrt(fan_in))`` at fan-in 32; the fields ``*_biased``): a paired
  comparison of zero and symmetric random biases (common random numbers).
  The output layer is linear, so the output is constant iff the last hidden layer is.
* Born dead := every unit of the last hidden layer takes one value on all grid points.
* Draws over depths. A width listed in ``independent_depths`` (default: the widths above
  :data:`SHARED_DRAWS_UP_TO`, i.e. 10 and 16) draws a fresh network for every depth, so its
  estimates at different depths are independent and may be compared with a two-sample test.
  The other widths share their draws: a depth-``L`` net is the first ``L`` layers of the deepest
  one, which makes their curves monotone by construction (cheaper, and enough to compare each
  estimate with the closed form, as ledger claim X1 does). The result records the setting of
  each width in :attr:`BornDeadResult.independent_depths`.

Theory for zero biases (derived here; exact for width 1)
--------------------------------------------------------
*One input point.* Fix ``x != 0``. If layer ``l - 1`` is non-zero at ``x`` (all values
``>= 0``), each pre-activation ``z_j = sum_k w_jk h_k(x)`` of layer ``l`` is a symmetric
continuous random variable, so it is ``> 0`` with probability exactly 1/2, independently over
``j``; a zero layer stays zero. Hence P(the net is zero at ``x`` after ``L`` layers)
``= 1 - (1 - 2^{-N})^L`` for width ``N`` (layer 1 behaves the same way).

*Whole domain.* Born dead means zero at every ``x``, so

* upper bound: ``P(BD) <= 1 - (1 - 2^{-N})^L`` (dead at one point is necessary);
* a second upper bound, any ``d``: layer 1 is alive (``relu(w . x)`` is non-zero somewhere on the
  symmetric domain); a unit of layer ``l`` whose weights from the ``k >= 1`` non-zero units below
  are all ``> 0`` is alive (prob ``2^{-k} >= 2^{-N}``), rows are independent, so a layer dies
  with probability at most ``(1 - 2^{-N})^N`` and
  ``P(BD) <= 1 - (1 - (1 - 2^{-N})^N)^{L-1}``;
* in ``d = 1`` the zero-bias net is positively homogeneous, ``f(t x) = t f(x)`` for ``t > 0``, so
  it is dead on ``[-1, 1]`` iff it is zero at ``x = 1`` and at ``x = -1``; the union bound gives
  ``P(BD) >= 1 - 2 (1 - 2^{-N})^L``;
* in any ``d``: a unit of layer ``l`` whose weights from the ``k <= N`` non-zero units below
  are all ``<= 0`` is dead, so each later layer dies with probability at least ``2^{-N^2}`` and
  ``P(BD) >= 1 - (1 - 2^{-N^2})^{L-1}``.

For width ``N = 1`` the bounds meet: ``P(BD) = 1 - 2^{-(L-1)}`` exactly. Every
lower bound tends to 1 as ``L -> infinity``: Lu et al.'s theorem in this zero-bias setting.
At width 10 the first upper bound is ``1 - (1 - 2^{-10})^{20} = 0.019`` at depth 20, at width 16
it is ``3e-4`` (at width 32, ``5e-9``): born dead does not matter at the widths of course
networks.

Theory for symmetric random biases (``d = 1``, ``s = bias_std > 0``)
--------------------------------------------------------------------
*Layer 1, exact.* Unit ``j`` is constant on ``[-1, 1]`` (and on the grid, which holds both end
points) iff ``w_j x + b_j <= 0`` at ``x = -1`` and ``x = 1``, i.e. ``b_j <= -|w_j|``. With
``w ~ N(0, 2)`` and ``b ~ N(0, s^2)`` independent, ``w / b`` is Cauchy with scale ``sqrt(2) / s``,
so ``P(b <= -|w|) = P(b < 0) P(|w / b| <= 1) = arctan(s / sqrt 2) / pi =: q`` and
``P(layer 1 constant) = q^N`` (:func:`first_layer_dead`). Zero biases give 0: a bias is what
lets a first layer die.

*Deeper layers.* A constant layer makes every later layer constant. Given a non-constant layer
``l - 1``, unit ``j`` of layer ``l`` is non-constant (almost surely) as soon as
``z_j(x) > 0`` at one grid point ``x``; ``z_j(x) = w_j . h(x) + b_j`` is symmetric and
continuous (thanks to ``b_j`` even where ``h(x) = 0``), so that has probability at least 1/2,
independently over ``j``: the layer becomes constant with probability at most ``2^{-N}``.
It becomes zero if every unit has all ``N`` incoming weights and its bias ``<= 0``
(probability ``2^{-N(N+1)}``). Hence

``1 - (1 - q^N) (1 - 2^{-N(N+1)})^{L-1} <= P(BD) <= 1 - (1 - q^N) (1 - 2^{-N})^{L-1}``,

equal at depth 1. Both bounds tend to 1 as ``L -> infinity``: Lu et al.'s theorem with
biases. For ``d > 1`` no closed form is given (NaN).

Leaky ReLU (slope ``alpha != 0``) is injective, and so (almost surely, when ``width >= d``) is
every affine layer, so the composition is injective and never constant: its born-dead
probability is 0 at every depth, with or without biases. We also report how often every
last-layer unit is on its negative side for all inputs -- the state that is fatal for ReLU but
harmless for Leaky ReLU, whose units still pass ``alpha`` times the gradient.
"""

from dataclasses import dataclass

import numpy as np

from relu_notes.blas import one_blas_thread
from relu_notes.experiments.serial import PlainDict

WIDTHS = (1, 2, 3, 4, 10, 16)
"""Default widths: the narrow nets of the theorem (1-4) and two widths of course networks."""

SHARED_DRAWS_UP_TO = 4
"""By default the widths up to this share their draws over depths; wider ones draw every depth
anew (see the module docstring)."""

BIASED_STD = 0.1
"""Default standard deviation of the symmetric random biases of the ``*_biased`` fields."""


def wilson_interval(k, n, z=1.96):
    """Wilson score interval for a binomial proportion ``k / n`` (arrays allowed)."""
    k = np.asarray(k, dtype=float)
    p = k / n
    denom = 1 + z**2 / n
    centre = (p + z**2 / (2 * n)) / denom
    half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denom
    return np.clip(centre - half, 0.0, p), np.clip(centre + half, p, 1.0)


def first_layer_dead(width, bias_std):
    """P(the first hidden layer is constant on ``[-1, 1]``), ``d = 1``: ``q^width`` with
    ``q = arctan(bias_std / sqrt 2) / pi`` (module docstring); 0 for zero biases."""
    return (np.arctan(abs(float(bias_std)) / np.sqrt(2.0)) / np.pi) ** int(width)


def born_dead_bounds(width, depth, input_dim=1, bias_std=0.0):
    """Return ``(lower, upper)`` bounds on P(born dead) (module docstring).

    Zero biases: for ``width == 1`` they coincide, ``1 - 2**-(depth - 1)``. Biases
    ``N(0, bias_std^2)``: they coincide at depth 1 (:func:`first_layer_dead`); NaN for
    ``input_dim > 1``.
    """
    n, depth = int(width), np.asarray(depth, dtype=float)
    if bias_std != 0:  # N(0, s^2) and N(0, (-s)^2) are one distribution
        if input_dim != 1:
            return np.full(depth.shape, np.nan), np.full(depth.shape, np.nan)
        alive_first = 1 - first_layer_dead(n, bias_std)
        lower = 1 - alive_first * (1 - 2.0 ** (-n * (n + 1))) ** (depth - 1)
        upper = 1 - alive_first * (1 - 2.0 ** (-n)) ** (depth - 1)
        return lower, upper
    alive_at_point = (1 - 2.0 ** (-n)) ** depth
    upper = np.minimum(1 - alive_at_point, 1 - (1 - (1 - 2.0 ** (-n)) ** n) ** (depth - 1))
    lower = 1 - (1 - 2.0 ** (-(n * n))) ** (depth - 1)
    if input_dim == 1:
        lower = np.maximum(lower, 1 - 2 * alive_at_point)
    return lower, upper


@dataclass
class BornDeadResult(PlainDict):
    """MC estimates; arrays have shape ``(len(widths), len(depths))``.

    ``p_dead``, ``ci_*``, ``theory_*`` and the Leaky ReLU fractions are for biases
    ``N(0, bias_std^2)`` (zero by default); the ``*_biased`` fields for the same nets with biases
    ``N(0, biased_std^2)``. ``independent_depths[i]`` tells whether width ``widths[i]`` drew a
    fresh net for every depth (True) or shared the draws over depths (False).
    """

    widths: tuple
    depths: tuple
    n_trials: int
    input_dim: int
    n_points: int
    bias_std: float
    negative_slope: float
    p_dead: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    theory_lower: np.ndarray
    theory_upper: np.ndarray
    p_constant_leaky: np.ndarray
    p_all_negative_leaky: np.ndarray
    biased_std: float
    independent_depths: tuple
    p_dead_biased: np.ndarray
    ci_low_biased: np.ndarray
    ci_high_biased: np.ndarray
    theory_lower_biased: np.ndarray
    theory_upper_biased: np.ndarray

    def table(self, width):
        """Rows ``{depth, p_dead, ci, lower, upper, leaky_constant, leaky_all_negative,
        p_dead_biased}``."""
        i = self.widths.index(width)
        return [
            {
                "depth": d,
                "p_dead": round(float(self.p_dead[i, j]), 4),
                "ci95": (round(float(self.ci_low[i, j]), 4), round(float(self.ci_high[i, j]), 4)),
                "theory_lower": round(float(self.theory_lower[i, j]), 4),
                "theory_upper": round(float(self.theory_upper[i, j]), 4),
                "leaky_constant": round(float(self.p_constant_leaky[i, j]), 4),
                "leaky_all_negative": round(float(self.p_all_negative_leaky[i, j]), 4),
                "p_dead_biased": round(float(self.p_dead_biased[i, j]), 4),
            }
            for j, d in enumerate(self.depths)
        ]

    def summary(self, depths=(2, 4, 8, 12, 20)):
        """Rows ``{width, depth, p_dead_mc, ci95, theory, biased_mc}`` at the listed depths
        (those run).

        ``theory`` is the exact value where the bounds meet (width 1), else ``[lower, upper]``;
        ``biased_mc`` is the estimate with biases ``N(0, biased_std^2)``.
        """
        rows = []
        for i, width in enumerate(self.widths):
            for j, d in enumerate(self.depths):
                if d not in depths:
                    continue
                rows.append(
                    {
                        "width": width,
                        "depth": d,
                        "p_dead_mc": round(float(self.p_dead[i, j]), 4),
                        "ci95": (
                            round(float(self.ci_low[i, j]), 4),
                            round(float(self.ci_high[i, j]), 4),
                        ),
                        "theory": _theory_text(self.theory_lower[i, j], self.theory_upper[i, j]),
                        "biased_mc": round(float(self.p_dead_biased[i, j]), 4),
                    }
                )
        return rows

    def deepest(self):
        """Per width, at the deepest depth run: P(born dead) without and with the biases of
        ``biased_std``, with their 95% Wilson intervals; when born dead matters, and when not."""
        j = int(np.argmax(self.depths))
        return [
            {
                "width": width,
                "depth": self.depths[j],
                "p_dead": round(float(self.p_dead[i, j]), 4),
                "ci95": (round(float(self.ci_low[i, j]), 4), round(float(self.ci_high[i, j]), 4)),
                "p_dead_biased": round(float(self.p_dead_biased[i, j]), 4),
                "ci95_biased": (
                    round(float(self.ci_low_biased[i, j]), 4),
                    round(float(self.ci_high_biased[i, j]), 4),
                ),
                "independent_depths": self.independent_depths[i],
            }
            for i, width in enumerate(self.widths)
        ]


def _theory_text(lower, upper):
    lo, hi = float(lower), float(upper)
    if not np.isfinite(lo):
        return "n/a (biases)"
    return f"{lo:.4f}" if np.isclose(lo, hi) else f"[{lo:.4f}, {hi:.4f}]"


def _grid(input_dim, n_points):
    axis = np.linspace(-1.0, 1.0, n_points)
    if input_dim == 1:
        return axis[:, None]
    rng = np.random.default_rng(12345)
    corners = np.array(np.meshgrid(*[[-1.0, 1.0]] * input_dim)).reshape(input_dim, -1).T
    return np.vstack([corners, rng.uniform(-1, 1, (n_points, input_dim))])


def _constant(h):
    """Per net (axis 0): every unit takes one value on all grid points (axis 1)."""
    return np.all(np.ptp(h, axis=1) == 0, axis=1)


def _leaky(z, negative_slope):
    """Leaky ReLU: ``max(z, a z)`` for ``0 < a <= 1`` (the same bits as ``np.where``, faster)."""
    if 0 < negative_slope <= 1:
        return np.maximum(z, negative_slope * z)
    return np.where(z > 0, z, negative_slope * z)


def _affine(h, w, e, std):
    z = h @ w
    if std:
        z += e * std
    return z


def _simulate(width, n_layers, n_trials, x, stds, negative_slope, rng, last_only=False):
    """Counts after each layer (or only after the last): an int array ``(4, layers)``.

    Rows: ReLU nets constant with biases of std ``stds[0]``, ReLU nets constant with the same
    biases scaled to std ``stds[1]``, Leaky ReLU nets constant and Leaky ReLU nets with every
    unit on its negative side (both with ``stds[0]``). All use the same weights.
    """
    counts = np.zeros((4, 1 if last_only else n_layers), int)
    h = np.broadcast_to(x, (n_trials, *x.shape))
    relu_a, relu_b, leaky = h, h, h
    fan_in = x.shape[1]
    for layer in range(n_layers):
        w = rng.standard_normal((n_trials, fan_in, width))
        w *= np.sqrt(2.0 / fan_in)
        e = rng.standard_normal((n_trials, 1, width))
        relu_a = np.maximum(_affine(relu_a, w, e, stds[0]), 0.0)
        relu_b = np.maximum(_affine(relu_b, w, e, stds[1]), 0.0)
        z_leaky = _affine(leaky, w, e, stds[0])
        leaky = _leaky(z_leaky, negative_slope)
        fan_in = width
        if last_only and layer < n_layers - 1:
            continue
        column = 0 if last_only else layer
        counts[:3, column] = [_constant(a).sum() for a in (relu_a, relu_b, leaky)]
        counts[3, column] = np.all(z_leaky <= 0, axis=(1, 2)).sum()
    return counts


def _width_counts(width, depths, independent, simulate):
    """Counts ``(4, len(depths))`` of one width: one net per depth, or one shared deepest net."""
    if independent:
        return np.stack([simulate(width, d, last_only=True)[:, 0] for d in depths], axis=1)
    return simulate(width, max(depths))[:, np.array(depths) - 1]


def _independent(widths, independent_depths):
    if independent_depths is None:
        return tuple(bool(w > SHARED_DRAWS_UP_TO) for w in widths)
    if isinstance(independent_depths, bool | np.bool_):
        return (bool(independent_depths),) * len(widths)
    chosen = {int(w) for w in independent_depths}
    return tuple(int(w) in chosen for w in widths)


@one_blas_thread
def run_born_dead(
    widths=WIDTHS,
    depths=tuple(range(1, 21)),
    *,
    n_trials=2000,
    input_dim=1,
    n_points=17,
    bias_std=0.0,
    biased_std=BIASED_STD,
    independent_depths=None,
    negative_slope=0.01,
    seed=0,
):
    """Monte Carlo estimate of P(born dead) vs depth for each width; returns BornDeadResult.

    ``independent_depths``: ``None`` (default) draws a fresh net for every depth at the widths
    above :data:`SHARED_DRAWS_UP_TO` and shares the draws over depths at the others (a depth-``L``
    net is then the first ``L`` layers of the deepest one, so those curves are monotone);
    ``True`` or ``False`` does one or the other for every width; a collection of widths draws
    those independently. Each net is run with biases ``N(0, bias_std^2)`` (``p_dead``) and with
    the same biases scaled to ``N(0, biased_std^2)`` (``p_dead_biased``); ReLU and Leaky ReLU
    nets use the same weights (common random numbers). Theory bounds are NaN when there is no
    closed form (biases with ``input_dim > 1``).
    """
    depths = tuple(int(d) for d in depths)
    widths = tuple(int(w) for w in widths)
    independent = _independent(widths, independent_depths)
    x = _grid(input_dim, n_points)
    rng = np.random.default_rng(seed)
    stds = (float(bias_std), float(biased_std))

    def simulate(width, n_layers, last_only=False):
        return _simulate(width, n_layers, n_trials, x, stds, negative_slope, rng, last_only)

    counts = np.stack(
        [
            _width_counts(w, depths, ind, simulate)
            for w, ind in zip(widths, independent, strict=True)
        ]
    )
    p_dead, p_biased, p_const, p_neg = np.moveaxis(counts, 1, 0) / n_trials
    bounds = [
        [born_dead_bounds(w, np.array(depths), input_dim, std) for w in widths] for std in stds
    ]
    (lower, upper), (lower_b, upper_b) = (np.moveaxis(np.array(b), 1, 0) for b in bounds)
    ci_low, ci_high = wilson_interval(p_dead * n_trials, n_trials)
    ci_low_b, ci_high_b = wilson_interval(p_biased * n_trials, n_trials)
    return BornDeadResult(
        widths=widths,
        depths=depths,
        n_trials=int(n_trials),
        input_dim=int(input_dim),
        n_points=int(x.shape[0]),
        bias_std=stds[0],
        negative_slope=float(negative_slope),
        p_dead=p_dead,
        ci_low=ci_low,
        ci_high=ci_high,
        theory_lower=lower,
        theory_upper=upper,
        p_constant_leaky=p_const,
        p_all_negative_leaky=p_neg,
        biased_std=stds[1],
        independent_depths=independent,
        p_dead_biased=p_biased,
        ci_low_biased=ci_low_b,
        ci_high_biased=ci_high_b,
        theory_lower_biased=lower_b,
        theory_upper_biased=upper_b,
    )
