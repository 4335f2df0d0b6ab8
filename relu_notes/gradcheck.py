r"""Finite-difference derivatives, to check hand-written backward passes against.

Both use the central difference $\dfrac{f(x + h) - f(x - h)}{2h}$, whose error is $O(h^2)$ for
smooth $f$. Near a kink (x = 0 for the rectifiers) the two points straddle the corner and the
result is not a derivative, so callers keep their points away from it.
"""

import numpy as np


def elementwise_derivative(f, x, h=1e-6):
    """$f'(x)$ for an element-wise ``f``, at every element of ``x`` at once."""
    return (f(x + h) - f(x - h)) / (2 * h)


def numerical_gradient(loss, x, h=1e-6):
    r"""$\partial\,\mathrm{loss}/\partial x$ for a scalar ``loss(x)``, one element at a time.

    Costs two calls of ``loss`` per element of ``x``: meant for small arrays.
    """
    x = np.asarray(x, dtype=float)
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[idx] = h
        grad[idx] = (loss(x + step) - loss(x - step)) / (2 * h)
    return grad
