import numpy as np
import pytest

from relu_notes.weight_decay import CASES, revival, revival_table, two_input_unit


def test_the_unit_starts_dead():
    x = two_input_unit()
    assert np.all(x @ np.array([-1.0, 2.0]) + 0.0 < 0)
    assert np.all(x @ np.array([-1.0, 2.0]) + 0.5 < 0)


@pytest.mark.parametrize("case", ["SGD + L2", "AdamW"])
def test_multiplicative_decay_keeps_the_unit_dead(case):
    result = revival(case, steps=5000)
    assert not result.revived
    np.testing.assert_allclose(result.w[1] / result.w[0], -2.0)  # same direction, only smaller


def test_adam_with_coupled_l2_revives_the_unit():
    result = revival("Adam + coupled L2")
    assert result.revived
    assert abs(result.w[0]) < 1.0 and result.w[1] / -result.w[0] > 2.0  # the ratio changed


def test_biases_exempt_from_decay_revive_a_unit_with_positive_bias():
    assert revival("SGD + L2, biases exempt", bias=0.5).revived
    assert not revival("SGD + L2, biases exempt", bias=0.0, steps=3000).revived


def test_table_and_bad_case():
    assert [r.case for r in revival_table()] == list(CASES)
    with pytest.raises(ValueError, match="case must be one of"):
        revival("RMSprop")
