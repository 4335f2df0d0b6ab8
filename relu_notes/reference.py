"""Textbook formulas of ReLU, Leaky ReLU, PReLU and RReLU, written for reading, not for speed.

Each function is the definition from the course, one ``np.where`` per case.  The functions in
:mod:`relu_notes.functional` validate their input and then call these formulas on small arrays;
on large ones they run blocked kernels that reorganise the arithmetic so that NumPy makes fewer
passes over memory, and the tests check that those give exactly the same numbers.

The inputs are float arrays (already validated).  The branch condition is ``x > 0``, as in
PyTorch's CPU kernels, so at exactly x = 0 Leaky ReLU and PReLU take the negative branch.  ReLU
follows PyTorch's own formulas: the forward pass is ``max(0, x)`` (NaN stays NaN) and the
backward pass zeroes the gradient where ``x <= 0`` (so a NaN input passes the gradient on).
RReLU in training mode is given its drawn slopes (``noise``, as PyTorch calls them; 1 where
x > 0): :func:`relu_notes.functional.rrelu` draws them and then uses these formulas on arrays of
every size (there is no fast kernel for it).

For float16 input these formulas compute in float16, whereas PyTorch (and the fast functions)
multiply by ``negative_slope`` in float32 and round once; the two can differ in the last bit.
"""

import numpy as np


def relu_reference(x):
    r"""$\mathrm{ReLU}(x) = \max(0, x)$: zero where $x < 0$, else $x$ (NaN and -0.0 kept)."""
    return np.where(x < 0, np.zeros_like(x), x)


def leaky_relu_reference(x, negative_slope=0.01):
    r"""$\mathrm{LeakyReLU}(x) = x$ if $x > 0$ else $a x$."""
    return np.where(x > 0, x, negative_slope * x)


def prelu_reference(x, weight):
    r"""$\mathrm{PReLU}(x) = x$ if $x > 0$ else $a_c x$, with $a_c$ the weight of x's channel."""
    return np.where(x > 0, x, _broadcast_weight(weight, x.ndim) * x)


def relu_backward_reference(grad_output, x):
    r"""$\partial L/\partial x = 0$ where $x \le 0$, else $\partial L/\partial y$."""
    return np.where(x <= 0, np.zeros_like(grad_output), grad_output)


def leaky_relu_backward_reference(grad_output, x, negative_slope=0.01):
    r"""$\partial L/\partial x = g$ if $x > 0$ else $a g$, with $g = \partial L/\partial y$."""
    return np.where(x > 0, grad_output, negative_slope * grad_output)


def prelu_backward_reference(grad_output, x, weight):
    r"""Return $(\partial L/\partial x, \partial L/\partial a)$ for PReLU.

    $\partial L/\partial x = g$ if $x > 0$ else $a_c g$, and
    $\partial L/\partial a_c = \sum g\,x$ over the elements of channel $c$ with $x \le 0$.
    """
    grad_input = np.where(x > 0, grad_output, _broadcast_weight(weight, x.ndim) * grad_output)
    contribution = np.where(x > 0, np.zeros_like(x), x * grad_output)
    if weight.size == 1:
        grad_weight = contribution.sum()
    else:
        grad_weight = contribution.sum(axis=tuple(i for i in range(x.ndim) if i != 1))
    return grad_input, np.reshape(grad_weight, weight.shape).astype(weight.dtype)


def rrelu_with_noise_reference(x, noise):
    r"""RReLU with its slopes given: $x$ if $x > 0$ else $r x$, with $r$ = ``noise``.

    The training-mode formula; ``noise`` holds one slope per element (1 where $x > 0$).
    """
    return np.where(x > 0, x, noise * x)


def rrelu_with_noise_backward_reference(grad_output, noise):
    r"""$\partial L/\partial x = r\,g$: the slope times $g = \partial L/\partial y$.

    As in PyTorch's ``rrelu_with_noise_backward``, ``x`` is not needed: ``noise`` already holds 1
    where $x > 0$ (and at NaN) and the drawn slope elsewhere.
    """
    return noise * grad_output


def _broadcast_weight(weight, ndim):
    """Reshape a weight of C elements to ``(1, C, 1, ..., 1)`` so it broadcasts over axis 1."""
    if weight.size == 1:
        return weight.reshape(())
    return weight.reshape((1, -1) + (1,) * (ndim - 2))
