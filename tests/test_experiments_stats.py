import numpy as np
import pytest

from relu_notes.experiments.stats import (
    mean_interval,
    paired_interval,
    standard_error,
    t_cdf,
    t_quantile,
)


def test_standard_error_matches_the_formula():
    values = np.array([[1.0, 2.0, 4.0], [0.0, 0.0, 3.0]])
    expected = values.std(axis=1, ddof=1) / np.sqrt(3)
    np.testing.assert_allclose(standard_error(values, axis=1), expected)
    assert np.isclose(standard_error(values[0]), np.std([1.0, 2.0, 4.0], ddof=1) / np.sqrt(3))


def test_standard_error_of_one_value_is_zero():
    assert standard_error([0.7]) == 0.0
    assert standard_error(np.ones((4, 1)), axis=1).tolist() == [0.0] * 4


@pytest.mark.parametrize(
    ("p", "df", "expected"),
    [  # two-sided 95% and 99% critical values of Student's t, as tabulated
        (0.975, 1, 12.706),
        (0.975, 2, 4.303),
        (0.975, 4, 2.776),
        (0.975, 9, 2.262),
        (0.975, 29, 2.045),
        (0.995, 4, 4.604),
        (0.995, 9, 3.250),
    ],
)
def test_t_quantile_matches_the_tables(p, df, expected):
    assert t_quantile(p, df) == pytest.approx(expected, abs=5e-4)
    assert t_quantile(1 - p, df) == pytest.approx(-expected, abs=5e-4)


def test_t_quantile_tends_to_the_normal_one():
    assert t_quantile(0.975, 10**6) == pytest.approx(1.95996, abs=1e-4)


def test_t_cdf_inverts_the_quantile():
    for df in (1, 3, 7.5, 40):
        for p in (0.6, 0.9, 0.999):
            assert t_cdf(t_quantile(p, df), df) == pytest.approx(p, abs=1e-10)


def test_t_quantile_rejects_bad_arguments():
    with pytest.raises(ValueError):
        t_quantile(1.0, 3)
    with pytest.raises(ValueError):
        t_quantile(0.9, 0)


def test_paired_interval_uses_the_differences():
    a = np.array([0.91, 0.93, 0.90, 0.95, 0.92])
    b = a - np.array([0.01, 0.02, 0.01, 0.03, 0.02])  # a large shared seed effect cancels
    interval = paired_interval(a, b)
    d = a - b
    half = 2.776 * d.std(ddof=1) / np.sqrt(5)
    assert interval.n == 5
    assert interval.mean == pytest.approx(d.mean())
    assert interval.low == pytest.approx(d.mean() - half, abs=1e-4)
    assert interval.high == pytest.approx(d.mean() + half, abs=1e-4)
    assert interval.low > 0  # unpaired, the seed spread would hide the difference


def test_one_value_gives_an_unbounded_interval():
    interval = mean_interval([0.5])
    assert interval.mean == 0.5 and interval.low == -np.inf and interval.high == np.inf


def test_paired_interval_needs_the_same_shape():
    with pytest.raises(ValueError):
        paired_interval([1, 2], [1, 2, 3])
