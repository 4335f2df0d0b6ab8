"""Every experiment of the course in one place: the runners, small settings, and run_all.

``run_all()`` runs each experiment at its default settings, except those whose results are
stored (:mod:`relu_notes.experiments.stored`: too slow for a chapter), which it reads from their
files; ``run_all(fresh=True)`` runs those too. ``run_all(quick=True)`` uses :data:`QUICK`, small
settings for tests and previews (seconds in all; not for verdicts).
"""

from relu_notes.experiments import (
    alpha_sweep,
    born_dead,
    cnn_alpha,
    dying,
    init_gain,
    natural_dying,
    overfitting,
    prelu_alpha,
    recovery,
    speed,
    stored,
    xu_comparison,
)

RUNNERS = {
    "dying": dying.run_dying,
    "natural_dying": natural_dying.run_natural_dying,
    "born_dead": born_dead.run_born_dead,
    "alpha_sweep": alpha_sweep.run_alpha_sweep,
    "recovery": recovery.run_recovery,
    "prelu_alpha": prelu_alpha.run_prelu_alpha,
    "cnn_alpha": cnn_alpha.run_cnn_alpha,
    "overfitting": overfitting.run_overfitting,
    "xu_comparison": xu_comparison.run_xu_comparison,
    "init_gain": init_gain.run_init_gain,
    "speed": speed.run_speed,
}
"""Experiment name -> its ``run_*`` function."""

RESULT_TYPES = {
    "dying": dying.DyingResult,
    "natural_dying": natural_dying.NaturalDyingResult,
    "born_dead": born_dead.BornDeadResult,
    "alpha_sweep": alpha_sweep.AlphaSweepResult,
    "recovery": recovery.RecoveryResult,
    "prelu_alpha": prelu_alpha.PReLUAlphaResult,
    "cnn_alpha": cnn_alpha.CNNAlphaResult,
    "overfitting": overfitting.OverfittingResult,
    "xu_comparison": xu_comparison.XuComparisonResult,
    "init_gain": init_gain.InitGainResult,
    "speed": speed.SpeedResult,
}
"""Experiment name -> the class of its result."""

_FEW = (0, 1)
QUICK = {
    "dying": {
        "hidden": (16, 16),
        "seeds": _FEW,
        "shift_epoch": 1,
        "settling": {"min_epochs": 4, "max_epochs": 8, "chunk": 2},
    },
    "natural_dying": {
        "lrs": {"sgd": (0.1, 3.0), "adam": (1e-3, 0.3)},
        "seeds": _FEW,
        "hidden": (16, 16),
        "settling": {"min_epochs": 3, "max_epochs": 6, "chunk": 3},
    },
    "born_dead": {"widths": (1, 2), "depths": (1, 2, 4, 8), "n_trials": 500},
    "alpha_sweep": {
        "datasets": ("moons", "wine"),
        "alphas": (0.0, 0.01, 0.5),
        "seeds": _FEW,
        "epochs": 8,
    },
    "recovery": {"seeds": _FEW, "alphas": (0.03, 0.3)},
    "prelu_alpha": {"hidden": (16, 16, 16), "seeds": _FEW, "epochs": 3},
    "cnn_alpha": {"channels": (4, 4), "seeds": _FEW, "epochs": 1, "lr_drops": ()},
    "overfitting": {"train_sizes": (20, 200), "seeds": _FEW, "steps": 40},
    "xu_comparison": {"dataset": "iris", "train_size": 60, "seeds": _FEW, "steps": 10},
    "init_gain": {"depth": 8, "width": 64, "n_samples": 64},
    "speed": {"shape": (256, 64), "repeats": 3},
}
"""Small settings (a few seconds in all) for tests and quick previews; not for verdicts."""

TIMED = frozenset({"speed"})
"""Experiments whose results are timings (they differ from run to run and machine to machine)."""


SLOW = frozenset({"natural_dying", "cnn_alpha"})
"""Experiments too slow for a chapter: :func:`run_all` reads them from their stored files."""


def run_all(quick=False, fresh=False, **overrides):
    """Run every experiment; returns ``{name: result}`` for :func:`relu_notes.ledger.build`.

    The slow ones (:data:`SLOW`) are read from their stored files unless ``fresh``.
    ``overrides[name]`` is a dict of keyword arguments replacing one experiment's settings
    (that experiment then runs, stored or not).
    """
    results = {}
    for name, run in RUNNERS.items():
        if name in overrides:
            results[name] = run(**overrides[name])
        elif quick:
            results[name] = run(**QUICK[name])
        elif name in SLOW and not fresh:
            results[name] = stored.load(stored.entry(name))
        else:
            results[name] = run()
    return results


def load_stored(name):
    """The stored result of experiment ``name``: what ``RUNNERS[name]()`` gives, from its file."""
    return stored.load(stored.entry(name))


def stored_results():
    """Every stored result, ``{name: result}`` (no timings): what the ledger's prose role reads."""
    return {entry.name: stored.load(entry) for entry in stored.entries()}


def stored_environment():
    """The environment the stored results were computed in (that of the slowest experiment)."""
    return stored.read(stored.entry("natural_dying"))["environment"]
