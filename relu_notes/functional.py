"""NumPy reference of ReLU, Leaky ReLU and PReLU (forward and hand-written backward).

PLACEHOLDER: textbook version; to be replaced by the hardened, fast implementation.
Convention at x = 0 (as PyTorch's CPU kernels): branch condition is ``x > 0``.
"""

import numpy as np


def relu(x):
    x = np.asarray(x, dtype=float)
    return np.where(x > 0, x, 0.0)


def leaky_relu(x, negative_slope=0.01):
    x = np.asarray(x, dtype=float)
    return np.where(x > 0, x, negative_slope * x)


def _prelu_weight(x, weight):
    w = np.asarray(weight, dtype=x.dtype).reshape(-1)
    if x.ndim >= 2 and w.size > 1:
        return w.reshape((1, -1) + (1,) * (x.ndim - 2))
    return w.reshape(()) if w.size == 1 else w


def prelu(x, weight):
    x = np.asarray(x, dtype=float)
    return np.where(x > 0, x, _prelu_weight(x, weight) * x)


def relu_backward(grad_output, x):
    x = np.asarray(x, dtype=float)
    return np.where(x > 0, grad_output, 0.0)


def leaky_relu_backward(grad_output, x, negative_slope=0.01):
    x = np.asarray(x, dtype=float)
    return np.where(x > 0, grad_output, negative_slope * np.asarray(grad_output))


def prelu_backward(grad_output, x, weight):
    x = np.asarray(x, dtype=float)
    g = np.asarray(grad_output, dtype=float)
    w = _prelu_weight(x, weight)
    grad_input = np.where(x > 0, g, w * g)
    contrib = np.where(x > 0, 0.0, g * x)
    weight = np.asarray(weight)
    if weight.size == 1:
        grad_weight = np.asarray(contrib.sum()).reshape(weight.shape)
    else:
        axes = tuple(i for i in range(x.ndim) if i != 1)
        grad_weight = contrib.sum(axis=axes).reshape(weight.shape)
    return grad_input, grad_weight
