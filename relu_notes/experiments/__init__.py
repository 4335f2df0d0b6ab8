"""Seeded, deterministic experiments that test the claims of the notes (one module each).

Each ``run_*`` function takes keyword settings (defaults run in seconds) and returns a small
dataclass of NumPy arrays and floats with a ``summary()`` method (print it with
:func:`format_table`); the matching figure functions live in
:mod:`relu_notes.plotting.experiments`, and :mod:`relu_notes.experiments.ledger` turns the
results into the claims ledger.
"""

from relu_notes.experiments.alpha_sweep import run_alpha_sweep
from relu_notes.experiments.born_dead import run_born_dead
from relu_notes.experiments.dying import run_dying
from relu_notes.experiments.init_gain import run_init_gain
from relu_notes.experiments.overfitting import run_overfitting
from relu_notes.experiments.prelu_alpha import run_prelu_alpha
from relu_notes.experiments.report import format_table
from relu_notes.experiments.speed import run_speed

__all__ = [
    "format_table",
    "run_alpha_sweep",
    "run_born_dead",
    "run_dying",
    "run_init_gain",
    "run_overfitting",
    "run_prelu_alpha",
    "run_speed",
]
