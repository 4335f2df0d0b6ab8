"""Small statistics shared by the experiments: standard errors and Student-t intervals.

The t quantile is computed here (regularized incomplete beta and bisection) so that the package
needs no SciPy; tests check it against tabulated values.
"""

import math
from dataclasses import dataclass

import numpy as np


def standard_error(values, axis=None):
    r"""Standard error of the mean along ``axis``: $s / \sqrt{n}$ with the sample standard
    deviation $s$ (``ddof=1``); zeros when there are fewer than two values (no spread to see)."""
    values = np.asarray(values, dtype=float)
    n = values.size if axis is None else values.shape[axis]
    if n < 2:
        return np.zeros_like(values.mean(axis=axis))
    return values.std(axis=axis, ddof=1) / np.sqrt(n)


def _continued_fraction(a, b, x, steps=300, tiny=1e-300):
    """Lentz's continued fraction for the regularized incomplete beta function."""
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / (d if abs(d) > tiny else tiny)
    result = d
    for m in range(1, steps + 1):
        for numerator in (
            m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)),
        ):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + numerator / c
            c = c if abs(c) > tiny else tiny
            result *= c * d
        if abs(c * d - 1.0) < 1e-15:
            break
    return result


def _incomplete_beta(a, b, x):
    r"""Regularized incomplete beta function $I_x(a, b)$ for $0 \le x \le 1$."""
    if x <= 0.0 or x >= 1.0:
        return float(x >= 1.0)
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    if x < (a + 1.0) / (a + b + 2.0):
        return math.exp(log_front) * _continued_fraction(a, b, x) / a
    return 1.0 - math.exp(log_front) * _continued_fraction(b, a, 1.0 - x) / b


def t_cdf(t, df):
    r"""$P(T \le t)$ for Student's t distribution with ``df`` degrees of freedom."""
    tail = 0.5 * _incomplete_beta(df / 2.0, 0.5, df / (df + t * t))
    return 1.0 - tail if t > 0 else tail


def t_quantile(p, df):
    """The ``p`` quantile of Student's t with ``df`` degrees of freedom (bisection on t_cdf).

    ``t_quantile(0.975, 4)`` is 2.776: the half-width of a 95% interval from 5 values is 2.776
    standard errors, not the normal 1.96.
    """
    if not 0.0 < p < 1.0 or df <= 0:
        raise ValueError(f"need 0 < p < 1 and df > 0, got p={p}, df={df}")
    if p < 0.5:
        return -t_quantile(1.0 - p, df)
    low, high = 0.0, 1.0
    while t_cdf(high, df) < p:
        low, high = high, 2.0 * high
    for _ in range(200):
        mid = 0.5 * (low + high)
        low, high = (mid, high) if t_cdf(mid, df) < p else (low, mid)
        if high - low < 1e-12 * max(1.0, high):
            break
    return 0.5 * (low + high)


@dataclass(frozen=True)
class Interval:
    """A mean over ``n`` values (or paired differences) with its two-sided t interval."""

    mean: float
    low: float
    high: float
    n: int
    confidence: float = 0.95

    def __str__(self):
        return f"{self.mean:+.3f} [{self.low:+.3f}, {self.high:+.3f}]"


def mean_interval(values, confidence=0.95):
    r"""Mean of ``values`` with the t interval $\bar x \pm t_{(1+c)/2,\,n-1}\, s/\sqrt n$.

    With one value the interval is unbounded (nothing is known of the spread).
    """
    values = np.asarray(values, dtype=float).ravel()
    n = values.size
    mean = float(values.mean())
    if n < 2:
        return Interval(mean, -math.inf, math.inf, n, confidence)
    half = t_quantile(0.5 + confidence / 2.0, n - 1) * float(standard_error(values))
    return Interval(mean, mean - half, mean + half, n, confidence)


def paired_interval(a, b, confidence=0.95):
    """Mean of the paired differences ``a - b`` (same seeds) with its t interval."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.shape != b.shape:
        raise ValueError(f"paired values need the same shape, got {a.shape} and {b.shape}")
    return mean_interval(a - b, confidence)
