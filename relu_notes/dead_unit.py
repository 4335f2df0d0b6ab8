r"""One unit on random inputs: the smallest example of a dead ReLU unit (chapters 1 and 2).

The unit computes $z_i = x_i \cdot w + b$ for every input $x_i$; its loss is
$L = \sum_i f(z_i)$, so $\partial L/\partial z_i = f'(z_i)$ and, by the chain rule,
$\partial L/\partial w = \sum_i f'(z_i)\,x_i$ and $\partial L/\partial b = \sum_i f'(z_i)$.
"""

from dataclasses import dataclass, replace

import numpy as np

from relu_notes.functional import relu_backward


@dataclass(frozen=True)
class Unit:
    """A unit ``z = inputs @ w + b`` with the loss ``L = sum(f(z))``."""

    inputs: np.ndarray
    w: np.ndarray
    b: float

    @property
    def z(self):
        """Pre-activations, one per input."""
        return self.inputs @ self.w + self.b

    def gradients(self, backward=relu_backward, **kwargs):
        """``(dL/dw, dL/db)`` for ``L = sum(f(z))``, where ``backward(grad_output, z, **kwargs)``
        is f's hand-written backward (``relu_backward``, ``leaky_relu_backward``, ...)."""
        z = self.z
        grad_z = backward(np.ones_like(z), z, **kwargs)
        return self.inputs.T @ grad_z, grad_z.sum()

    def shifted(self, offset):
        """The same unit (same ``w`` and ``b``) on inputs moved by ``offset``."""
        return replace(self, inputs=self.inputs + offset)


def dead_unit(seed=0, n_inputs=200, bias=-4.0):
    """A unit with ``w = (0.5, -0.3, 0.8)`` on ``n_inputs`` standard-normal 3-D inputs whose
    bias is so negative that ``z <= 0`` for every input: ReLU passes no gradient at all."""
    inputs = np.random.default_rng(seed).standard_normal((n_inputs, 3))
    return Unit(inputs, np.array([0.5, -0.3, 0.8]), bias)


def backprop(unit, grad_z):
    r"""``(dL/dw, dL/db)`` of ``unit`` for any loss, given $\partial L/\partial z_i$ per input:
    $\partial L/\partial w = \sum_i (\partial L/\partial z_i)\, x_i$ and
    $\partial L/\partial b = \sum_i \partial L/\partial z_i$ (the chain rule through
    $z = x \cdot w + b$; :meth:`Unit.gradients` is the case $L = \sum_i f(z_i)$)."""
    grad_z = np.asarray(grad_z, dtype=float)
    return unit.inputs.T @ grad_z, float(grad_z.sum())


def n_active(unit):
    """Number of inputs on which ``unit``'s pre-activation is positive (0: the unit is dead)."""
    return int(np.count_nonzero(unit.z > 0))


def leaked_gradient_underflow(negative_slope=0.01, dtype=np.float16):
    r"""The upstream gradient $|g|$ below which the leaked gradient $\alpha g$ rounds to 0.

    A product smaller than half the smallest positive (subnormal) number of ``dtype`` rounds to
    0, so a Leaky ReLU unit on its negative side passes back exactly 0 when
    $|g| < \text{smallest subnormal} / (2\alpha)$, although its slope $\alpha$ is not 0.
    """
    return float(np.finfo(dtype).smallest_subnormal) / negative_slope / 2
