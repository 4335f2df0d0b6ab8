import numpy as np

from relu_notes.experiments.stats import standard_error


def test_standard_error_matches_the_formula():
    values = np.array([[1.0, 2.0, 4.0], [0.0, 0.0, 3.0]])
    expected = values.std(axis=1, ddof=1) / np.sqrt(3)
    np.testing.assert_allclose(standard_error(values, axis=1), expected)
    assert np.isclose(standard_error(values[0]), np.std([1.0, 2.0, 4.0], ddof=1) / np.sqrt(3))


def test_standard_error_of_one_value_is_zero():
    assert standard_error([0.7]) == 0.0
    assert standard_error(np.ones((4, 1)), axis=1).tolist() == [0.0] * 4
