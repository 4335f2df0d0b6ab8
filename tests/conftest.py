"""Fixtures shared by the tests of relu_notes.functional and relu_notes.torch."""

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


@pytest.fixture(scope="session")
def same_bits():
    """``same_bits(actual, expected)`` asserts bit-for-bit equality up to NaN payloads."""
    return _assert_same_bits


@pytest.fixture(scope="session")
def edge_values():
    """``edge_values(dtype, size, seed)``: special values mixed into random numbers."""
    return _edge_and_random
