"""Seeded, deterministic experiments that test the claims of the notes (one module each).

Each ``run_*`` function takes keyword settings (defaults run in seconds) and returns a small
dataclass of NumPy arrays and floats with a ``summary()`` method (print it with
:func:`format_table`); the matching figure functions live in
:mod:`relu_notes.plotting.experiments`, and :mod:`relu_notes.ledger` turns the
results into the claims ledger.
"""

from relu_notes.experiments.alpha_sweep import run_alpha_sweep
from relu_notes.experiments.born_dead import run_born_dead
from relu_notes.experiments.dying import DyingResult, run_dying
from relu_notes.experiments.init_gain import run_init_gain
from relu_notes.experiments.natural_dying import NaturalDyingResult, run_natural_dying
from relu_notes.experiments.overfitting import run_overfitting
from relu_notes.experiments.prelu_alpha import run_prelu_alpha
from relu_notes.experiments.recovery import run_recovery
from relu_notes.experiments.report import format_table
from relu_notes.experiments.settle import SettlingRule
from relu_notes.experiments.speed import run_speed
from relu_notes.experiments.suite import load_stored, run_all

__all__ = [
    "DyingResult",
    "NaturalDyingResult",
    "SettlingRule",
    "format_table",
    "load_stored",
    "run_all",
    "run_alpha_sweep",
    "run_born_dead",
    "run_dying",
    "run_init_gain",
    "run_natural_dying",
    "run_overfitting",
    "run_prelu_alpha",
    "run_recovery",
    "run_speed",
]
