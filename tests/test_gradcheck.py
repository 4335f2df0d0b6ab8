import numpy as np

from relu_notes.gradcheck import elementwise_derivative, numerical_gradient


def test_elementwise_derivative_of_a_cubic():
    x = np.linspace(-2.0, 2.0, 9)
    np.testing.assert_allclose(elementwise_derivative(lambda t: t**3, x), 3 * x**2, atol=1e-6)


def test_numerical_gradient_of_a_quadratic_form():
    a = np.array([[2.0, 1.0], [0.0, 3.0]])
    x = np.array([[0.5, -1.0], [2.0, 0.25]])
    grad = numerical_gradient(lambda t: float(np.sum(a * t * t)), x)
    assert grad.shape == x.shape
    np.testing.assert_allclose(grad, 2 * a * x, atol=1e-6)
