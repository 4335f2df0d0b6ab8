r"""Can weight decay bring a dead ReLU unit back? It depends on the optimiser and on what decays.

A dead unit gets no gradient from the loss, so the only force on its weights is the decay
term. Take the unit $z = x \cdot w + b$ with $w = (-1, 2)$, $b$ = ``bias``, inputs
$x_1 \in [3, 4]$ and $x_2 \in [0, 1]$: with $b = 0$, $z \le -3 + 2 = -1 < 0$ for every input,
so the unit is dead. Four ways to decay:

* **SGD with L2** on $w$ and $b$: each step multiplies $(w, b)$ by $1 - \eta\lambda$. Every
  pre-activation keeps its sign, so the unit stays dead.
* **AdamW** (decoupled decay): the same multiplication, so the same answer.
* **Adam with coupled L2**: the decay $\lambda w$ is the gradient, and Adam divides it by its
  own running size, so every weight moves by about $\eta$ per step whatever its size. $w_1$
  (size 1) reaches 0 while $w_2$ (size 2) is still about 1, and $z = w_2 x_2 > 0$ for
  $x_2 > 0$: the unit comes back.
* **Biases exempt from decay** (a common practice) with $b > 0$: $w$ shrinks towards 0 and
  $z \to b > 0$, so the unit comes back.
"""

from dataclasses import dataclass

import numpy as np

from relu_notes.mlp import SGD, Adam

CASES = ("SGD + L2", "AdamW", "Adam + coupled L2", "SGD + L2, biases exempt")
"""The four ways to decay that :func:`revival` compares."""


@dataclass(frozen=True)
class Revival:
    """Whether the unit came back: ``step`` is the first step with some ``z > 0`` (None: never)."""

    case: str
    bias: float
    step: int | None
    w: np.ndarray
    b: float

    @property
    def revived(self):
        return self.step is not None


def two_input_unit(n=200, seed=0):
    """Inputs with $x_1 \\in [3, 4]$ and $x_2 \\in [0, 1]$ (uniform; ``n`` rows)."""
    rng = np.random.default_rng(seed)
    return np.column_stack([rng.uniform(3.0, 4.0, n), rng.uniform(0.0, 1.0, n)])


def revival(case, *, bias=0.0, lr=0.01, decay=0.1, steps=2000, inputs=None):
    """Train the dead unit ``w = (-1, 2)``, ``b = bias`` with weight decay only (the loss
    gradient of a dead unit is 0) for ``steps`` steps; report when some input first gives
    ``z > 0``. ``case`` is one of :data:`CASES`."""
    if case not in CASES:
        raise ValueError(f"case must be one of {CASES}, got {case!r}")
    x = two_input_unit() if inputs is None else np.asarray(inputs, dtype=float)
    params = np.array([-1.0, 2.0, float(bias)])
    decayed = np.array([1.0, 1.0, 0.0 if case.endswith("biases exempt") else 1.0])
    optimizer = Adam([params], lr=lr) if case.startswith("Adam") else SGD([params], lr=lr)
    for step in range(1, steps + 1):
        if case == "AdamW":
            params *= 1.0 - lr * decay * decayed  # decoupled: shrink, then a zero-gradient step
            optimizer.step([np.zeros_like(params)])
        else:
            optimizer.step([decay * decayed * params])  # coupled L2: the decay is the gradient
        if np.any(x @ params[:2] + params[2] > 0):
            return Revival(case, bias, step, params[:2].copy(), float(params[2]))
    return Revival(case, bias, None, params[:2].copy(), float(params[2]))


def revival_table(bias_for_exempt=0.5, **kwargs):
    """One :class:`Revival` per case; the biases-exempt case starts from ``b > 0``."""
    return [
        revival(case, bias=bias_for_exempt if case.endswith("exempt") else 0.0, **kwargs)
        for case in CASES
    ]
