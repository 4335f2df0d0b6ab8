"""When to stop training: the settling rule of the dying experiments (one rule, used by both).

Training runs in chunks of ``chunk`` epochs, recording after every epoch. After each chunk, with
``E`` epochs done, the run has *settled* when

1. ``E >= min_epochs``, and
2. every monitored curve moved by less than ``tolerance`` over the last ``window`` of the
   epochs: with ``w = ceil(window * E)``, ``max(c[E - w : E + 1]) - min(c[E - w : E + 1])``
   is below ``tolerance``, where ``c[e]`` is the curve's value after ``e`` epochs (``c[0]``
   before the first step).

Defaults: ``tolerance = 0.01`` (one percentage point of the fractions), ``window = 0.2`` (the
last 20% of the epochs), ``min_epochs = 30``, ``max_epochs = 100``, ``chunk = 5``. The range
(max minus min), not the net change, is compared, so a curve that oscillates by a point or
more has not settled even if it ends where the window began. The monitored curves are the
dead fraction and the nearly-dead fraction of all hidden units (:data:`MONITORS`): both are
reported, so both must have stopped moving. With 128 hidden units one unit is 0.78 points, so
the rule allows one unit to flicker; with 100 units or fewer it asks that not one unit change.

The rule is checked at ``max_epochs`` too; a run that has not settled there stops and is
recorded as *not settled*. A run whose numbers overflow (a diverging learning rate) stops at
once and is recorded as *diverged* (never settled). Caveat: flatness cannot tell a plateau
from the end. A net stuck at chance accuracy for 40 epochs can look settled and then recover
(seen in the stress test with Adam at lr 3e-3); ``min_epochs`` and the curves in the figures
are the guard, not the rule.
"""

import math
from dataclasses import asdict, dataclass

import numpy as np

MONITORS = {
    "dead": lambda h: h.dead_fraction_total,
    "nearly_dead": lambda h: h.nearly_dead_fraction_total,
    "train_acc": lambda h: h.train_acc,
}
"""Curves the rule can watch, by name: each maps a :class:`~relu_notes.mlp.History` to a curve
with one value per epoch (fractions of all hidden units, or of the training examples)."""

MONITOR = ("dead", "nearly_dead")
"""The curves the experiments watch: the two measures they report."""


@dataclass(frozen=True)
class SettlingRule:
    """The settling rule (see the module docstring for the definition and its defaults)."""

    min_epochs: int = 30
    max_epochs: int = 100
    chunk: int = 5
    tolerance: float = 0.01
    window: float = 0.2

    def __post_init__(self):
        if not 1 <= self.min_epochs <= self.max_epochs:
            raise ValueError(f"need 1 <= min_epochs <= max_epochs, got {self}")
        if self.chunk < 1 or not 0.0 < self.window <= 1.0 or self.tolerance <= 0.0:
            raise ValueError(f"need chunk >= 1, 0 < window <= 1 and tolerance > 0, got {self}")

    def window_epochs(self, epochs):
        """``w = ceil(window * epochs)``: how many of the last epochs the rule looks at."""
        return math.ceil(self.window * epochs)

    def movement(self, curve):
        """Range (max - min) of ``curve`` over its last ``window`` of epochs.

        ``curve[e]`` is the value after ``e`` epochs, so ``len(curve) - 1`` epochs have run.
        NaN (a run that broke down) gives NaN, which is never below the tolerance.
        """
        curve = np.asarray(curve, dtype=float)
        epochs = curve.size - 1
        last = curve[epochs - self.window_epochs(epochs) :]
        if np.isnan(last).any():
            return math.nan
        return float(last.max() - last.min())

    def has_settled(self, curves):
        """Whether every curve in ``curves`` (same length, one value per epoch) has settled."""
        curves = [np.asarray(c, dtype=float) for c in curves]
        if len({c.size for c in curves}) != 1:
            raise ValueError("the monitored curves need the same length")
        if curves[0].size - 1 < self.min_epochs:
            return False
        return all(self.movement(c) < self.tolerance for c in curves)

    def to_dict(self):
        return asdict(self)


SETTLING = SettlingRule().to_dict()
"""The default rule as a plain dict: the ``settling`` default of the experiments' runners, so
that their signatures (and the settings stored with their results) carry the rule's numbers.
Do not mutate it."""


def rule_from(settling):
    """A :class:`SettlingRule` from a rule, a dict of its fields, or ``None`` (the defaults)."""
    if settling is None:
        return SettlingRule()
    if isinstance(settling, SettlingRule):
        return settling
    return SettlingRule(**settling)


@dataclass(frozen=True)
class Outcome:
    """How a run ended: ``settled`` (the rule was met), ``epochs`` run, ``diverged``."""

    settled: bool
    epochs: int
    diverged: bool


def monitored_curves(history, monitor=MONITOR):
    """The curves named in ``monitor`` (keys of :data:`MONITORS`) from ``history``."""
    return [MONITORS[name](history) for name in monitor]


def train_until_settled(trainer, rule=SettlingRule(), monitor=MONITOR):
    """Train ``trainer`` (a fresh :class:`~relu_notes.mlp.Trainer`) in chunks until ``rule``
    says the ``monitor`` curves settled, or ``rule.max_epochs`` epochs ran, or the run diverged.

    Epochs are counted from the trainer's start. NumPy overflow and invalid operations raise
    while training, so a diverging run stops at the first non-finite number (its records stay
    those of the last good epoch). Returns an :class:`Outcome`; ``trainer.history()`` holds the
    curves.
    """
    unknown = set(monitor) - set(MONITORS)
    if unknown:
        raise ValueError(f"unknown monitored curves {sorted(unknown)}; choose from {MONITORS}")
    while trainer.epochs_done < rule.max_epochs:
        try:
            with np.errstate(over="raise", invalid="raise", divide="raise"):
                trainer.run(min(rule.chunk, rule.max_epochs - trainer.epochs_done))
        except (FloatingPointError, ValueError) as error:
            # PReLU's kernels reject a non-finite alpha with a ValueError: divergence too.
            if isinstance(error, ValueError) and np.isfinite(trainer.model.flat).all():
                raise
            return Outcome(settled=False, epochs=trainer.epochs_done, diverged=True)
        if rule.has_settled(monitored_curves(trainer.history(), monitor)):
            return Outcome(settled=True, epochs=trainer.epochs_done, diverged=False)
    return Outcome(settled=False, epochs=trainer.epochs_done, diverged=False)
