import numpy as np

from relu_notes import leaky_relu_backward
from relu_notes.dead_unit import Unit, dead_unit


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
