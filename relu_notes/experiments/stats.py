"""Small statistics shared by the experiments."""

import numpy as np


def standard_error(values, axis=None):
    r"""Standard error of the mean along ``axis``: $s / \sqrt{n}$ with the sample standard
    deviation $s$ (``ddof=1``); zeros when there are fewer than two values (no spread to see)."""
    values = np.asarray(values, dtype=float)
    n = values.size if axis is None else values.shape[axis]
    if n < 2:
        return np.zeros_like(values.mean(axis=axis))
    return values.std(axis=axis, ddof=1) / np.sqrt(n)
