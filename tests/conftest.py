"""Fixtures and helpers shared by the package tests (``tests/test_*.py``).

Helpers are handed out as session fixtures that return a function (``same_bits``,
``edge_values``, ``quiet``, ...), so a test module asks for them by argument name and never
imports this file (``import conftest`` would be ambiguous next to ``tests/browser/conftest.py``).
"""

import io
import math
import os
import subprocess
import sys

import numpy as np
import pytest


def _special_values(dtype):
    """Zeros of both signs, NaN, infinities, subnormals, extremes and ordinary numbers."""
    info = np.finfo(dtype)
    values = [0.0, -0.0, np.nan, np.inf, -np.inf, 1.0, -1.0, 0.5, -0.5]
    values += [info.smallest_subnormal, -info.smallest_subnormal, info.tiny, -info.tiny]
    values += [info.max, -info.max, info.max / 3, -info.max / 3, info.eps, -info.eps]
    return np.array(values, dtype=dtype)


def _edge_and_random(dtype, size, seed):
    """Special values plus random numbers of many magnitudes, shuffled, ``size`` in total."""
    rng = np.random.default_rng(seed)
    specials = _special_values(dtype)
    scale = rng.choice([1e-6, 1e-2, 1.0, 1e2, 1e4], size - specials.size)
    with np.errstate(over="ignore"):
        randoms = (rng.standard_normal(size - specials.size) * scale).astype(dtype)
    return rng.permutation(np.concatenate([specials, randoms]))


def _assert_same_bits(actual, expected):
    """Equal dtype, shape and values, NaN where NaN, and the same sign on every zero."""
    actual, expected = np.asarray(actual), np.asarray(expected)
    assert actual.dtype == expected.dtype, (actual.dtype, expected.dtype)
    assert actual.shape == expected.shape, (actual.shape, expected.shape)
    both_nan = np.isnan(actual) & np.isnan(expected)
    same = (actual == expected) & (np.signbit(actual) == np.signbit(expected))
    bad = ~(both_nan | same)
    if bad.any():
        raise AssertionError(
            f"{bad.sum()} of {bad.size} elements differ, e.g. at {np.argwhere(bad)[:5].tolist()}: "
            f"{actual[bad][:5]!r} != {expected[bad][:5]!r}"
        )


TORCH_PARITY = os.environ.get("RELU_NOTES_TORCH_PARITY", "bits")
"""How the package is compared with torch: ``bits`` (the default, and CI on Linux, whose CPU
build of torch is the one the kernels were written against) or ``close`` (the macOS and Windows
CI jobs, where torch's vectorised kernels may round or flush differently): values within a few
units in the last place, NaN and infinities in the same places, signs of zeros not compared."""
if TORCH_PARITY not in {"bits", "close"}:
    raise ValueError(f"RELU_NOTES_TORCH_PARITY must be 'bits' or 'close', got {TORCH_PARITY!r}")


def _assert_close_to_torch(actual, expected):
    actual, expected = np.asarray(actual), np.asarray(expected)
    assert actual.dtype == expected.dtype, (actual.dtype, expected.dtype)
    assert actual.shape == expected.shape, (actual.shape, expected.shape)
    info = np.finfo(actual.dtype)
    np.testing.assert_array_equal(np.isnan(actual), np.isnan(expected))
    np.testing.assert_allclose(
        actual, expected, rtol=4 * info.eps, atol=float(info.tiny), equal_nan=True
    )


def _quiet(fn, *args):
    """``fn(*args)`` with NumPy's floating-point warnings off (inf * 0 and overflow intended)."""
    with np.errstate(all="ignore"):
        return fn(*args)


def _away_from_kink(rng, shape):
    """Random float64 values with 0.1 <= |x| < 2, so a step of 1e-6 never crosses 0."""
    return rng.choice([-1.0, 1.0], shape) * rng.uniform(0.1, 2.0, shape)


def _png_bytes(fig):
    """``fig`` as PNG bytes at its own dpi, without the matplotlib version in the metadata."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


# --- PReLU weight gradient: equal to another implementation up to summation order ----------------
WEIGHT_GRAD_LAMBDA = 10.0
"""The lambda of the probabilistic rounding-error bound used by ``assert_weight_grad_close``."""


def _channel_terms(grad_output, x, n_weights):
    """The float64 terms ``x * g`` (0 where x > 0) of each weight's sum, one row per weight."""
    x64, g64 = np.asarray(x, np.float64), np.asarray(grad_output, np.float64)
    terms = np.where(x64 > 0, 0.0, x64 * g64)
    if n_weights == 1:
        return terms.reshape(1, -1)
    return np.moveaxis(terms, 1, 0).reshape(n_weights, -1)


def _weight_grad_tolerance(grad_output, x, n_weights, dtype):
    r"""Largest allowed ``|a - b|`` between two computations of each PReLU weight gradient.

    The gradient of weight c is the inner product $s = \sum_i x_i g_i$ over the $n$ elements of
    channel c with $x_i \le 0$ (the others add exactly 0).  Two correct implementations may
    multiply and add in different orders (NumPy/BLAS blocks here, ATen's reduction in torch), so
    they need not agree bit for bit.  Each computed $\hat s$ satisfies
    $|\hat s - s| \le \tilde\gamma_n(\lambda) \sum_i |x_i g_i|$ with
    $\tilde\gamma_n(\lambda) = \exp(\lambda \sqrt{n}\, u + n u^2 / (1 - u)) - 1 \approx
    \lambda \sqrt{n}\, u$ ($u$ = unit roundoff of ``dtype``): the probabilistic bound of Higham
    and Mary ("A New Approach to Probabilistic Rounding Error Analysis", SIAM J. Sci. Comput.
    41(5), 2019) for inner products, which holds for any order of the additions when rounding
    errors are independent and mean-zero, except with a probability of order
    $n e^{-\lambda^2/2}$: below $10^{-14}$ with $\lambda = 10$ and $n \le 2^{22}$.
    The tolerance is twice that bound (both sides may be off, in opposite directions):
    $2\tilde\gamma_n(10) \approx 10 \sqrt{n}\, \epsilon \sum |x g|$, $\epsilon$ = machine epsilon.
    For float64 and $n = 2^{21}$ that is $3 \cdot 10^{-12} \sum |x g|$; for float32,
    $1.7 \cdot 10^{-3} \sum |x g|$.

    Not the deterministic worst case $\gamma_n \approx n u$: for float32 and $n = 2^{21}$ it
    allows 12% of $\sum |x g|$ and would let a lost or doubled block of $2^{16}$ elements (3%)
    pass.  Computations in a higher precision than ``dtype`` (float64 block sums) only do better.
    """
    terms = _channel_terms(grad_output, x, n_weights)
    n = terms.shape[1]
    u = float(np.finfo(dtype).eps) / 2
    gamma = math.expm1(WEIGHT_GRAD_LAMBDA * math.sqrt(n) * u + n * u * u / (1 - u))
    return 2 * gamma * np.abs(terms).sum(axis=1), terms


def _assert_weight_grad_close(actual, expected, grad_output, x):
    """``actual`` and ``expected`` weight gradients of PReLU agree up to summation order.

    Both are finite, of the same dtype and shape, and differ per weight by at most
    ``_weight_grad_tolerance`` (see there for the bound and why).  On failure the message gives,
    per weight, both values, the exact sum (``math.fsum``), the difference and the tolerance.
    """
    actual, expected = np.asarray(actual), np.asarray(expected)
    assert actual.dtype == expected.dtype, (actual.dtype, expected.dtype)
    assert actual.shape == expected.shape, (actual.shape, expected.shape)
    assert np.isfinite(expected).all(), f"the expected gradient is not finite: {expected!r}"
    n_weights = max(actual.size, 1)
    tolerance, terms = _weight_grad_tolerance(grad_output, x, n_weights, actual.dtype)
    a = actual.reshape(-1).astype(np.float64)
    b = expected.reshape(-1).astype(np.float64)
    difference = np.abs(a - b)
    bad = ~(difference <= tolerance)  # NaN in ``actual`` is bad too
    if bad.any():
        rows = [
            f"  weight {c}: actual {float(a[c])!r}, expected {float(b[c])!r}, "
            f"exact {math.fsum(terms[c])!r}, "
            f"|difference| {difference[c]:.3e} > tolerance {tolerance[c]:.3e} "
            f"(n = {terms.shape[1]}, sum|x g| = {np.abs(terms[c]).sum():.6g})"
            for c in np.flatnonzero(bad)[:5]
        ]
        raise AssertionError(
            f"{bad.sum()} of {bad.size} weight gradients ({actual.dtype}) differ by more than "
            "the summation-order tolerance:\n" + "\n".join(rows)
        )


@pytest.fixture(scope="session")
def same_bits():
    """``same_bits(actual, expected)`` asserts bit-for-bit equality up to NaN payloads."""
    return _assert_same_bits


@pytest.fixture(scope="session")
def like_torch():
    """``like_torch(ours, torch_result)``: bit for bit, or close under ``TORCH_PARITY=close``."""
    return _assert_same_bits if TORCH_PARITY == "bits" else _assert_close_to_torch


@pytest.fixture(scope="session")
def edge_values():
    """``edge_values(dtype, size, seed)``: special values mixed into random numbers."""
    return _edge_and_random


@pytest.fixture(scope="session")
def quiet():
    """``quiet(fn, *args)``: ``fn(*args)`` with NumPy's floating-point warnings off."""
    return _quiet


@pytest.fixture(scope="session")
def away_from_kink():
    """``away_from_kink(rng, shape)``: float64 values with ``0.1 <= |x| < 2``, random signs."""
    return _away_from_kink


@pytest.fixture(scope="session")
def png_bytes():
    """``png_bytes(fig)``: the PNG file of a figure, byte-identical for identical figures."""
    return _png_bytes


@pytest.fixture(scope="session")
def assert_weight_grad_close():
    """``assert_weight_grad_close(actual, expected, grad_output, x)``: PReLU weight gradients
    equal up to the order of the additions (tolerance: ``_weight_grad_tolerance``)."""
    return _assert_weight_grad_close


@pytest.fixture(scope="session")
def autograd():
    """``autograd(fn, x, g, *params)`` -> ``(output, [grad of x, grad of each param])``.

    Runs ``fn(x, *params).backward(g)`` in torch (NumPy arrays or tensors in, fresh leaves,
    NumPy arrays out).  Skips the test when torch is not installed.
    """
    torch = pytest.importorskip("torch")

    def tensor(value):
        if isinstance(value, torch.Tensor):
            return value.detach().clone()
        return torch.from_numpy(np.ascontiguousarray(value))

    def run(fn, x, g, *params):
        leaves = [tensor(a).requires_grad_() for a in (x, *params)]
        out = fn(*leaves)
        out.backward(tensor(g))
        return out.detach().numpy(), [leaf.grad.numpy() for leaf in leaves]

    return run


@pytest.fixture(scope="session")
def run_without():
    """``run_without(module, code)``: run ``code`` in a child Python where ``import module``
    raises ImportError (as on Binder without torch); returns the CompletedProcess."""

    def run(module, code):
        hide = f"import sys; sys.modules[{module!r}] = None\n"
        return subprocess.run(
            [sys.executable, "-c", hide + code], capture_output=True, text=True, timeout=60
        )

    return run


@pytest.fixture(scope="session")
def quick_results():
    """Every experiment run once with ``suite.QUICK`` settings (shared: it takes seconds)."""
    from relu_notes.experiments import suite

    return suite.run_all(quick=True)
