from types import SimpleNamespace

import numpy as np
import pytest

from relu_notes.datasets import load_split
from relu_notes.experiments.settle import (
    MONITOR,
    SETTLING,
    SettlingRule,
    monitored_curves,
    rule_from,
    train_until_settled,
)
from relu_notes.mlp import MLP, Trainer

RULE = SettlingRule(min_epochs=30, max_epochs=100, chunk=5)


def _falling(epochs, start=0.5, per_epoch=0.01):
    return np.maximum(start - per_epoch * np.arange(epochs + 1), 0.0)


def test_flat_curve_settles_and_a_short_one_does_not():
    assert RULE.has_settled([np.full(41, 0.2)])
    assert RULE.has_settled([np.full(31, 0.2)])
    assert not RULE.has_settled([np.full(30, 0.2)])  # 29 epochs < min_epochs


def test_still_falling_curve_has_not_settled():
    assert not RULE.has_settled([_falling(40)])  # 1 point per epoch over the last 8 epochs
    assert not RULE.has_settled([_falling(100, per_epoch=0.001)])  # 2.0 points over 20 epochs


def test_only_the_last_20_percent_count():
    curve = np.concatenate([_falling(30, 0.6, 0.02), np.full(10, 0.0)])  # 40 epochs
    assert RULE.window_epochs(40) == 8
    assert RULE.has_settled([curve])  # fell to 0 by epoch 30, flat for the last 8
    curve[31] = 0.5  # epoch 31 is outside the window (epochs 32 to 40)
    assert RULE.has_settled([curve])
    curve[32] = 0.5  # epoch 32 is inside
    assert not RULE.has_settled([curve])


def test_tolerance_is_a_strict_bound_on_the_range():
    curve = np.full(51, 0.3)
    curve[-3] = 0.3 + 0.0099
    assert RULE.movement(curve) == pytest.approx(0.0099)
    assert RULE.has_settled([curve])
    curve[-3] = 0.3 + 0.0101
    assert not RULE.has_settled([curve])


def test_oscillating_curve_has_not_settled_though_it_ends_where_it_began():
    curve = 0.2 + 0.02 * (np.arange(61) % 2)
    curve[-1] = curve[-13]
    assert not RULE.has_settled([curve])


def test_every_monitored_curve_must_settle_and_nan_never_does():
    flat, falling = np.full(41, 0.1), _falling(40)
    assert not RULE.has_settled([flat, falling])
    assert RULE.has_settled([flat, flat])
    broken = flat.copy()
    broken[-1] = np.nan
    assert np.isnan(RULE.movement(broken))
    assert not RULE.has_settled([broken])
    with pytest.raises(ValueError):
        RULE.has_settled([flat, flat[:-1]])


def test_invalid_rules():
    with pytest.raises(ValueError):
        SettlingRule(min_epochs=10, max_epochs=5)
    with pytest.raises(ValueError):
        SettlingRule(window=0.0)
    with pytest.raises(ValueError):
        SettlingRule(tolerance=0.0)
    assert SettlingRule(**RULE.to_dict()) == RULE
    assert rule_from(None) == rule_from(SETTLING) == SettlingRule() == RULE
    assert rule_from(RULE) is RULE


class _FakeTrainer:
    """A trainer whose 'dead fraction' follows a given curve (one value per epoch)."""

    def __init__(self, curve, blow_up_at=None):
        self.curve, self.blow_up_at = np.asarray(curve, float), blow_up_at
        self.epochs_done, self.calls = 0, []
        self.model = SimpleNamespace(flat=np.zeros(3))

    def run(self, epochs):
        self.calls.append(epochs)
        for _ in range(epochs):
            if self.epochs_done + 1 == self.blow_up_at:
                np.float64(1e308) * 10.0  # overflow: raises under the rule's errstate
            self.epochs_done += 1
        return self

    def history(self):
        c = self.curve[: self.epochs_done + 1]
        return SimpleNamespace(dead_fraction_total=c, nearly_dead_fraction_total=c, train_acc=c)


def test_training_stops_at_the_first_chunk_that_settles():
    curve = np.concatenate([_falling(20, 0.4, 0.02), np.full(200, 0.0)])
    trainer = _FakeTrainer(curve)
    outcome = train_until_settled(trainer, RULE)
    assert (outcome.settled, outcome.epochs, outcome.diverged) == (True, 30, False)
    assert trainer.calls == [5] * 6
    late = np.concatenate([_falling(45, 0.45, 0.01), np.full(200, 0.0)])
    # reaches 0 at epoch 45: the first chunk end whose window starts at 45 or later is 60
    assert train_until_settled(_FakeTrainer(late), RULE).epochs == 60


def test_training_stops_at_max_epochs_unsettled():
    rule = SettlingRule(min_epochs=3, max_epochs=12, chunk=5)
    trainer = _FakeTrainer(_falling(200, 1.0, 0.02))
    outcome = train_until_settled(trainer, rule)
    assert (outcome.settled, outcome.epochs, outcome.diverged) == (False, 12, False)
    assert trainer.calls == [5, 5, 2]


def test_a_diverging_run_stops_and_is_flagged():
    trainer = _FakeTrainer(np.full(200, 0.1), blow_up_at=8)
    outcome = train_until_settled(trainer, RULE)
    assert (outcome.settled, outcome.epochs, outcome.diverged) == (False, 7, True)
    with pytest.raises(ValueError):
        train_until_settled(trainer, RULE, monitor=("loss",))


def test_real_training_until_settled_matches_one_long_run():
    split = load_split("iris", seed=0)
    rule = SettlingRule(min_epochs=4, max_epochs=9, chunk=2)
    kw = {"lr": 1e-2, "seed": 3, "X_test": split.X_test, "y_test": split.y_test}
    chunked = Trainer(MLP((4, 8, 3), seed=1), split.X_train, split.y_train, **kw)
    outcome = train_until_settled(chunked, rule)
    assert 4 <= outcome.epochs <= 9 and not outcome.diverged
    once = Trainer(MLP((4, 8, 3), seed=1), split.X_train, split.y_train, **kw)
    once.run(outcome.epochs)
    np.testing.assert_array_equal(chunked.model.flat, once.model.flat)
    curves = monitored_curves(chunked.history(), MONITOR)
    assert len(curves) == 2 and curves[0].size == outcome.epochs + 1
