import numpy as np
import pytest

from relu_notes.experiments.arms import ARMS, LEAKY_CONTROL, PRELU, PRELU_INIT, arm


def test_the_control_arm_has_prelus_initial_slope():
    assert LEAKY_CONTROL.slope == PRELU.slope == PRELU_INIT
    assert LEAKY_CONTROL.activation == "leaky_relu" and PRELU.activation == "prelu"


@pytest.mark.parametrize("a", ARMS, ids=lambda a: a.name)
def test_each_arm_builds_its_model(a):
    model = a.model((3, 4, 2), seed=0)
    assert model.activation == a.activation
    if a.activation == "prelu":
        assert np.all(model.alphas[0] == a.slope)
    elif a.activation == "leaky_relu":
        assert model.negative_slope == a.slope


def test_same_slope_same_initial_weights():
    """The control and PReLU start from the same weights: only the mechanism differs."""
    control, prelu = LEAKY_CONTROL.model((3, 4, 2), seed=7), PRELU.model((3, 4, 2), seed=7)
    for w_control, w_prelu in zip(control.weights, prelu.weights, strict=True):
        np.testing.assert_array_equal(w_control, w_prelu)


def test_arm_by_name():
    assert arm("leaky_0.25") is LEAKY_CONTROL
    with pytest.raises(ValueError, match="no arm"):
        arm("tanh")
