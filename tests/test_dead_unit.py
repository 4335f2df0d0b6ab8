import numpy as np
import pytest

from relu_notes import leaky_relu_backward
from relu_notes.dead_unit import Unit, backprop, dead_unit, leaked_gradient_underflow, n_active


def test_default_unit_is_dead_for_relu():
    unit = dead_unit()
    assert unit.inputs.shape == (200, 3)
    assert np.all(unit.z <= 0)
    grad_w, grad_b = unit.gradients()
    assert np.all(grad_w == 0) and grad_b == 0


def test_gradients_follow_the_chain_rule():
    unit = Unit(np.array([[1.0, 2.0, 0.0], [-1.0, 0.0, 3.0]]), np.array([1.0, 0.0, 1.0]), 0.5)
    # z = (1.5, 2.5): both positive, so dL/dz = 1 for ReLU.
    grad_w, grad_b = unit.gradients()
    assert grad_w.tolist() == [0.0, 2.0, 3.0] and grad_b == 2.0
    # For Leaky ReLU on a dead unit, every dL/dz is the slope.
    dead = dead_unit()
    grad_w, grad_b = dead.gradients(leaky_relu_backward, negative_slope=0.01)
    np.testing.assert_allclose(grad_w, 0.01 * dead.inputs.sum(axis=0))
    assert np.isclose(grad_b, 0.01 * len(dead.inputs))


def test_shifted_inputs_revive_the_unit():
    unit = dead_unit()
    revived = unit.shifted(3.0)
    assert np.array_equal(revived.w, unit.w) and revived.b == unit.b
    assert np.array_equal(revived.inputs, unit.inputs + 3.0)
    assert (revived.z > 0).any()
    assert np.any(revived.gradients()[0] != 0)


def test_backprop_matches_the_sum_loss_and_counts_active_inputs():
    unit = dead_unit(seed=3)
    grad_z = leaky_relu_backward(np.ones(200), unit.z, negative_slope=0.1)
    grad_w, grad_b = backprop(unit, grad_z)
    expected_w, expected_b = unit.gradients(leaky_relu_backward, negative_slope=0.1)
    np.testing.assert_allclose(grad_w, expected_w)
    assert grad_b == pytest.approx(expected_b)
    assert n_active(unit) == 0
    assert n_active(unit.shifted(3.0)) == int((unit.shifted(3.0).z > 0).sum()) > 0


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_leaked_gradient_underflows_below_the_threshold_and_not_above(dtype):
    slope = 0.01
    threshold = leaked_gradient_underflow(slope, dtype)
    z = np.array([-1.0, -1.0], dtype=dtype)
    g = np.array([0.9 * threshold, 1.1 * threshold], dtype=dtype)
    grad = leaky_relu_backward(g, z, dtype(slope))
    assert grad[0] == 0 and grad[1] != 0
