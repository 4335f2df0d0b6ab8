r"""Born dead at initialization (Lu, Shin, Su & Karniadakis 2019/2020), by Monte Carlo.

A network is *born dead* when, at initialization, its output is constant over the whole input
domain (then every gradient with respect to the weights below the dead layer is zero and the
net cannot learn the target). Lu et al. prove that a ReLU net of fixed width initialized with
symmetric distributions is born dead with probability tending to 1 as its depth grows.

Setup used here
---------------
* Input domain ``[-1, 1]^d`` (default ``d = 1``), evaluated on a grid of ``n_points`` points
  (in ``d = 1``: ``linspace(-1, 1, n_points)``, which includes both end points).
* ``depth`` hidden layers of ``width`` units each; weights i.i.d. He normal
  ``N(0, 2 / fan_in)``; biases zero by default (``bias_std > 0``: i.i.d. ``N(0, bias_std^2)``).
  The output layer is linear, so the output is constant iff the last hidden layer is.
* Born dead := every unit of the last hidden layer takes one value on all grid points.

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

Leaky ReLU (slope ``alpha != 0``) is injective, and so (almost surely, when ``width >= d``) is
every weight matrix, so the composition is injective and never constant: its born-dead
probability is 0 at every depth. We also report how often every last-layer unit is
on its negative side for all inputs -- the state that is fatal for ReLU but harmless for Leaky
ReLU, whose units still pass ``alpha`` times the gradient.
"""

from dataclasses import dataclass

import numpy as np

from relu_notes.blas import one_blas_thread
from relu_notes.experiments.serial import PlainDict


def wilson_interval(k, n, z=1.96):
    """Wilson score interval for a binomial proportion ``k / n`` (arrays allowed)."""
    k = np.asarray(k, dtype=float)
    p = k / n
    denom = 1 + z**2 / n
    centre = (p + z**2 / (2 * n)) / denom
    half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denom
    return np.clip(centre - half, 0.0, p), np.clip(centre + half, p, 1.0)


def born_dead_bounds(width, depth, input_dim=1):
    """Return ``(lower, upper)`` bounds on P(born dead) for zero biases (module docstring).

    For ``width == 1`` they coincide: ``1 - 2**-(depth - 1)``.
    """
    n, depth = int(width), np.asarray(depth, dtype=float)
    alive_at_point = (1 - 2.0 ** (-n)) ** depth
    upper = np.minimum(1 - alive_at_point, 1 - (1 - (1 - 2.0 ** (-n)) ** n) ** (depth - 1))
    lower = 1 - (1 - 2.0 ** (-(n * n))) ** (depth - 1)
    if input_dim == 1:
        lower = np.maximum(lower, 1 - 2 * alive_at_point)
    return lower, upper


@dataclass
class BornDeadResult(PlainDict):
    """MC estimates; arrays have shape ``(len(widths), len(depths))``."""

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

    def table(self, width):
        """Rows ``{depth, p_dead, ci, lower, upper, leaky_constant, leaky_all_negative}``."""
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
            }
            for j, d in enumerate(self.depths)
        ]

    def summary(self, depths=(2, 4, 8, 12, 20)):
        """Rows ``{width, depth, p_dead_mc, ci95, theory}`` at the listed depths (those run).

        ``theory`` is the exact value where the bounds meet (width 1), else ``[lower, upper]``.
        """
        rows = []
        for i, width in enumerate(self.widths):
            for j, d in enumerate(self.depths):
                if d not in depths:
                    continue
                lo, hi = float(self.theory_lower[i, j]), float(self.theory_upper[i, j])
                theory = f"{lo:.4f}" if np.isclose(lo, hi) else f"[{lo:.4f}, {hi:.4f}]"
                rows.append(
                    {
                        "width": width,
                        "depth": d,
                        "p_dead_mc": round(float(self.p_dead[i, j]), 4),
                        "ci95": (
                            round(float(self.ci_low[i, j]), 4),
                            round(float(self.ci_high[i, j]), 4),
                        ),
                        "theory": theory if np.isfinite(lo) else "n/a (biases)",
                    }
                )
        return rows


def _grid(input_dim, n_points):
    axis = np.linspace(-1.0, 1.0, n_points)
    if input_dim == 1:
        return axis[:, None]
    rng = np.random.default_rng(12345)
    corners = np.array(np.meshgrid(*[[-1.0, 1.0]] * input_dim)).reshape(input_dim, -1).T
    return np.vstack([corners, rng.uniform(-1, 1, (n_points, input_dim))])


def _simulate(width, max_depth, n_trials, x, bias_std, negative_slope, rng):
    """Return per-depth counts (dead ReLU, constant leaky, all-negative leaky)."""
    dead = np.zeros(max_depth, int)
    const_leaky = np.zeros(max_depth, int)
    neg_leaky = np.zeros(max_depth, int)
    h_relu = np.broadcast_to(x, (n_trials, *x.shape))
    h_leaky = h_relu
    fan_in = x.shape[1]
    for layer in range(max_depth):
        w = rng.standard_normal((n_trials, fan_in, width)) * np.sqrt(2.0 / fan_in)
        b = rng.standard_normal((n_trials, 1, width)) * bias_std
        z_relu = h_relu @ w + b
        z_leaky = h_leaky @ w + b
        h_relu = np.maximum(z_relu, 0.0)
        h_leaky = np.where(z_leaky > 0, z_leaky, negative_slope * z_leaky)
        dead[layer] = np.all(np.ptp(h_relu, axis=1) == 0, axis=1).sum()
        const_leaky[layer] = np.all(np.ptp(h_leaky, axis=1) == 0, axis=1).sum()
        neg_leaky[layer] = np.all(z_leaky <= 0, axis=(1, 2)).sum()
        fan_in = width
    return dead, const_leaky, neg_leaky


@one_blas_thread
def run_born_dead(
    widths=(1, 2, 3, 4),
    depths=tuple(range(1, 21)),
    *,
    n_trials=2000,
    input_dim=1,
    n_points=17,
    bias_std=0.0,
    negative_slope=0.01,
    seed=0,
):
    """Monte Carlo estimate of P(born dead) vs depth for each width; returns BornDeadResult.

    All depths of one width share the same draws (a depth-``L`` net is the first ``L`` layers of
    the deepest one), which is why the estimated curves are monotone. ReLU and Leaky ReLU nets
    use the same weights (common random numbers). Theory bounds are NaN when ``bias_std > 0``.
    """
    depths = tuple(int(d) for d in depths)
    x = _grid(input_dim, n_points)
    rng = np.random.default_rng(seed)
    idx = np.array(depths) - 1
    shape = (len(widths), len(depths))
    p_dead, p_const, p_neg = np.zeros(shape), np.zeros(shape), np.zeros(shape)
    lower, upper = np.full(shape, np.nan), np.full(shape, np.nan)
    for i, width in enumerate(widths):
        dead, const, neg = _simulate(width, max(depths), n_trials, x, bias_std, negative_slope, rng)
        p_dead[i], p_const[i], p_neg[i] = (c[idx] / n_trials for c in (dead, const, neg))
        if bias_std == 0:
            lower[i], upper[i] = born_dead_bounds(width, np.array(depths), input_dim)
    ci_low, ci_high = wilson_interval(p_dead * n_trials, n_trials)
    return BornDeadResult(
        widths=tuple(widths),
        depths=depths,
        n_trials=int(n_trials),
        input_dim=int(input_dim),
        n_points=int(x.shape[0]),
        bias_std=float(bias_std),
        negative_slope=float(negative_slope),
        p_dead=p_dead,
        ci_low=ci_low,
        ci_high=ci_high,
        theory_lower=lower,
        theory_upper=upper,
        p_constant_leaky=p_const,
        p_all_negative_leaky=p_neg,
    )
