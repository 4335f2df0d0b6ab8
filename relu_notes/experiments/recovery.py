r"""How fast does a dead unit come back? Steps to recovery against the leak ``alpha``.

Chapter 2 says a dead Leaky ReLU unit recovers with a speed proportional to ``alpha``: on the
dead side every $\partial f/\partial z$ is ``alpha``, so the unit's gradient is ``alpha`` times
what a linear unit would get. Plain SGD moves the parameters by ``lr`` times the gradient, so
the number of steps should scale as ``1/alpha``. Adam divides each step by a running root mean
square of the gradient, which cancels a constant factor such as ``alpha``: its steps should
barely depend on ``alpha``.

**Set-up.** The dead unit of chapters 1 and 2 (:func:`relu_notes.dead_unit.dead_unit`: 200
standard-normal 3-D inputs, ``w = (0.5, -0.3, 0.8)``, ``b = -4``, so ``z <= 0`` on every input;
seed ``s`` draws the inputs) with a Leaky ReLU of slope ``alpha``, trained full batch on a loss
that a live unit fits better than a dead one:

- ``target="teacher"`` (default): the mean squared error
  $L = \frac{1}{2n}\sum_i (f(z_i) - t_i)^2$ to $t_i = \max(0,\, x_i \cdot w_0 + 1)$, the
  output of the same unit (its initial ``w_0``) with the bias ``+1`` that makes it alive (the
  target is positive on about 84% of the inputs). The live solution keeps the unit's direction:
  on the dead side the loss pulls ``w`` outwards by about ``0.84 alpha w`` and inwards by
  ``alpha**2 w``, so keep ``alpha`` well below 0.84 (at ``alpha = 1`` Adam needs about seven
  times more steps than at 0.3, because ``w`` first shrinks).
- ``target="constant"``: the same error to $t_i = 1$ on every input. Its live solution is
  ``w = 0, b = 1``, so the loss also shrinks ``w`` (like weight decay, in proportion to
  ``alpha**2`` on the dead side); a sensitivity check, not the default.

**Alive again** means: the pre-activation is positive on at least ``min_active`` inputs (default
1, the complement of "dead on every input" used by :meth:`relu_notes.mlp.MLP.dead_mask`). The
count is the number of optimizer steps until that first happens, checked after every step; a run
that has not recovered after ``max_steps`` is recorded as ``max_steps`` and flagged by
:meth:`RecoveryResult.capped`.

**Summary per seed.** :meth:`RecoveryResult.log_slope`: the least-squares slope of
``log(steps)`` against ``log(alpha)`` over the alphas (``-1``: steps proportional to
``1/alpha``; ``0``: steps independent of ``alpha``).

"""

from dataclasses import dataclass

import numpy as np

from relu_notes.dead_unit import Unit, backprop, dead_unit, n_active
from relu_notes.experiments.arms import SEEDS
from relu_notes.experiments.serial import PlainDict
from relu_notes.functional import leaky_relu, leaky_relu_backward, relu
from relu_notes.mlp import SGD, Adam

OPTIMIZERS = ("sgd", "adam")
DEFAULT_ALPHAS = (0.01, 0.03, 0.1, 0.3)
DEFAULT_LRS = {"sgd": 0.1, "adam": 0.01}
"""Fixed learning rates: plain SGD (no momentum) at 0.1, Adam at 0.01 (betas 0.9, 0.999)."""
TARGETS = ("teacher", "constant")


def _loss_gradient(unit, target, alpha):
    """``(dL/dw, dL/db)`` of ``L = mean((f(z) - target)^2) / 2`` with ``f`` Leaky ReLU."""
    z = unit.z
    grad_f = (leaky_relu(z, alpha) - target) / z.size
    return backprop(unit, leaky_relu_backward(grad_f, z, negative_slope=alpha))


def steps_to_recover(
    alpha, optimizer="sgd", *, seed=0, lr=None, target="teacher", max_steps=10_000, min_active=1
):
    """Optimizer steps until the dead unit of ``seed`` is active on ``min_active`` inputs
    (``max_steps`` if it never is; see the module docstring for the loss)."""
    unit = dead_unit(seed)
    if n_active(unit) >= min_active:
        raise ValueError(f"the unit of seed {seed} is not dead at the start")
    if target not in TARGETS:
        raise ValueError(f"target must be one of {TARGETS}, got {target!r}")
    goal = relu(unit.inputs @ unit.w + 1.0) if target == "teacher" else np.ones(len(unit.inputs))
    params = np.append(unit.w, unit.b)
    lr = DEFAULT_LRS[optimizer] if lr is None else lr
    opt = SGD([params], lr=lr, momentum=0.0) if optimizer == "sgd" else Adam([params], lr=lr)
    for step in range(1, max_steps + 1):
        grad_w, grad_b = _loss_gradient(unit, goal, alpha)
        opt.step([np.append(grad_w, grad_b)])
        unit = Unit(unit.inputs, params[:-1].copy(), float(params[-1]))
        if n_active(unit) >= min_active:
            return step
    return max_steps


@dataclass
class RecoveryResult(PlainDict):
    """``steps_array[o, a, s]``: steps to recovery for optimizer o, alpha a, seed s (capped
    runs hold ``max_steps``); ``lrs[optimizer]``: its fixed learning rate."""

    optimizers: tuple
    alphas: tuple
    seeds: tuple
    lrs: dict
    target: str
    max_steps: int
    min_active: int
    steps_array: np.ndarray

    def _index(self, optimizer, alpha):
        hits = np.flatnonzero(np.isclose(self.alphas, alpha))
        if hits.size == 0:
            raise ValueError(f"no alpha {alpha}; the alphas are {self.alphas}")
        return self.optimizers.index(optimizer), int(hits[0])

    def steps(self, optimizer, alpha):
        """Steps to recovery per seed (float array aligned with ``seeds``)."""
        o, a = self._index(optimizer, alpha)
        return self.steps_array[o, a].astype(float)

    def capped(self, optimizer, alpha):
        """Per seed: ``True`` where the unit had not recovered after ``max_steps``."""
        return self.steps(optimizer, alpha) >= self.max_steps

    def n_capped(self):
        """Number of capped runs over all optimizers, alphas and seeds."""
        return int(np.count_nonzero(self.steps_array >= self.max_steps))

    def log_slope(self, optimizer):
        """Per seed: least-squares slope of ``log(steps)`` against ``log(alpha)``."""
        x = np.log(np.asarray(self.alphas, dtype=float))
        y = np.log(self.steps_array[self.optimizers.index(optimizer)].astype(float))
        x = x - x.mean()
        return (x @ (y - y.mean(axis=0))) / (x @ x)

    def summary(self):
        return [
            {
                "optimizer": o,
                "lr": self.lrs[o],
                **{f"steps@{a:g}": float(np.median(self.steps(o, a))) for a in self.alphas},
                "log_slope": round(float(self.log_slope(o).mean()), 2),
            }
            for o in self.optimizers
        ]


def run_recovery(
    alphas=DEFAULT_ALPHAS,
    *,
    optimizers=OPTIMIZERS,
    seeds=SEEDS,
    lrs=None,
    target="teacher",
    max_steps=10_000,
    min_active=1,
):
    """Steps to recovery for every (optimizer, alpha, seed); returns a RecoveryResult.

    ``lrs`` maps optimizer to learning rate (default :data:`DEFAULT_LRS`). Seed ``s`` draws the
    unit's inputs; the start (``w``, ``b = -4``) is the same for every seed, optimizer and alpha.
    """
    lrs = {**DEFAULT_LRS, **(lrs or {})}
    for o in optimizers:
        if o not in OPTIMIZERS:
            raise ValueError(f"optimizer must be one of {OPTIMIZERS}, got {o!r}")
    steps = np.array(
        [
            [
                [
                    steps_to_recover(
                        alpha,
                        o,
                        seed=seed,
                        lr=lrs[o],
                        target=target,
                        max_steps=max_steps,
                        min_active=min_active,
                    )
                    for seed in seeds
                ]
                for alpha in alphas
            ]
            for o in optimizers
        ]
    )
    return RecoveryResult(
        optimizers=tuple(optimizers),
        alphas=tuple(float(a) for a in alphas),
        seeds=tuple(seeds),
        lrs={o: float(lrs[o]) for o in optimizers},
        target=target,
        max_steps=int(max_steps),
        min_active=int(min_active),
        steps_array=steps,
    )
