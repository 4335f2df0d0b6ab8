"""Measurements: per-seed numbers from a result object, turned into t intervals.

A rule never reads a point estimate. It asks for the per-seed values of a quantity (for example
``final_dead`` of the ``relu`` arm at Adam's highest learning rate), forms the paired
differences between arms when it compares two (same seeds, so the seed effect cancels), and
gets a :class:`Measurement`: a :class:`~relu_notes.experiments.stats.Interval` with a label and
the kind of repetition behind ``n`` (seeds, repeats or trials).
"""

import math
from dataclasses import dataclass
from functools import lru_cache
from statistics import NormalDist

import numpy as np

from relu_notes.experiments.stats import Interval, standard_error, t_quantile

ARM_LABELS = {
    "relu": "ReLU",
    "leaky_0.01": "Leaky ReLU 0.01",
    "leaky_0.25": "Leaky ReLU 0.25 (control)",
    "prelu": "PReLU",
    "leaky_relu": "Leaky ReLU",
    "leaky_0.18": "Leaky ReLU 1/5.5 (control)",
    "rrelu_torch": "RReLU (torch)",
    "rrelu_xu": "RReLU (Xu et al.)",
}
"""Short labels of the arms (``relu_notes.experiments.arms``) and of the speed activations."""

QUANTITY_LABELS = {
    "final_dead": "dead fraction at the end",
    "final_nearly_dead": "nearly-dead fraction at the end",
    "final_test_acc": "final test accuracy",
    "test_acc": "test accuracy",
    "gap": "train - test accuracy gap",
    "loss_gap": "test - train cross-entropy",
    "log_slope": "log-log slope of recovery steps vs alpha",
    "depth_trend": "Spearman(layer, mean alpha)",
    "unit_spread": "std of learned alphas over units",
}

ARGUMENTS = {
    "natural_dying": ("optimizer", "lr", "arm"),
    "dying": ("arm",),
    "overfitting": ("arm", "size"),
    "prelu_alpha": ("arm",),
    "cnn_alpha": ("arm",),
    "xu_comparison": ("arm",),
    "recovery": ("optimizer",),
}
"""Positional arguments of each result's per-seed accessors, in order (the spec's API)."""


@dataclass(frozen=True)
class Measurement:
    """An interval with what it measures; ``kind`` is "seeds", "repeats" or "trials"."""

    label: str
    interval: Interval
    kind: str = "seeds"
    difference: bool = False

    def __str__(self):
        iv = self.interval
        if self.difference:
            return f"{self.label}: {iv}"
        return f"{self.label}: {iv.mean:.3f} [{iv.low:.3f}, {iv.high:.3f}]"


@lru_cache(maxsize=256)
def _t(confidence, df):
    return t_quantile(0.5 + confidence / 2.0, df)


def interval(values, confidence):
    """Mean of ``values`` with its two-sided Student-t interval (unbounded for one value, NaN
    when a value is not a number): the same numbers as ``stats.mean_interval``, with the
    quantile cached so that tests can evaluate thousands of rules in a second."""
    values = np.asarray(values, dtype=float).ravel()
    n = int(values.size)
    if n == 0:
        return Interval(math.nan, math.nan, math.nan, 0, confidence)
    with np.errstate(invalid="ignore"):  # inf - inf: the mean is not a number
        mean = float(values.mean())
    if n < 2 or not np.all(np.isfinite(values)):
        spread = math.nan if not np.all(np.isfinite(values)) else math.inf
        return Interval(mean, mean - spread, mean + spread, n, confidence)
    half = _t(float(confidence), n - 1) * float(standard_error(values))
    return Interval(mean, mean - half, mean + half, n, confidence)


def wilson(successes, trials, confidence):
    """Wilson score interval of a binomial proportion, as an Interval with ``n = trials``."""
    z = NormalDist().inv_cdf(0.5 + confidence / 2.0)
    p = successes / trials
    denominator = 1 + z**2 / trials
    centre = (p + z**2 / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z**2 / (4 * trials**2)) / denominator
    return Interval(p, max(0.0, centre - half), min(1.0, centre + half), int(trials), confidence)


def bonferroni(confidence, k):
    """Per-comparison confidence when any one of ``k`` comparisons may carry a claim."""
    return 1.0 - (1.0 - confidence) / max(int(k), 1)


def resolve_at(result_name, result, at):
    """``at`` from claims.yml with its symbolic values made concrete: ``lr: highest`` is the
    largest rate of that optimizer's sweep, ``lr: worst_relu`` the rate where ReLU died most
    (``result.worst_lr``), ``size: smallest`` the smallest training set."""
    at = dict(at or {})
    if at.get("lr") == "highest":
        at["lr"] = max(result.lrs[at["optimizer"]])
    elif at.get("lr") == "worst_relu":
        at["lr"] = result.worst_lr(at["optimizer"], "relu")
    if at.get("size") == "smallest":
        at["size"] = min(result.train_sizes)
    return at


def per_seed(result_name, result, quantity, at, arm=None):
    """The per-seed values of ``quantity`` (a method of the result) at ``at`` for ``arm``."""
    where = dict(at, arm=arm)
    args = [where[name] for name in ARGUMENTS[result_name] if where.get(name) is not None]
    return np.asarray(getattr(result, quantity)(*args), dtype=float)


def settled(result_name, result, at, arms):
    """``(settled runs, runs)`` over ``arms`` at ``at`` (dying results only)."""
    flags = np.concatenate(
        [np.asarray(per_seed(result_name, result, "settled", at, a), bool) for a in arms]
    )
    return int(flags.sum()), int(flags.size)


def describe_at(at):
    """``"adam, lr 0.1"``: the setting of a measurement, for its label."""
    parts = []
    for key, value in at.items():
        if key in ("optimizer", "mode", "dataset"):
            parts.append(str(value))
        else:
            parts.append(f"{key} {value:g}" if isinstance(value, int | float) else f"{key} {value}")
    return ", ".join(parts)


def label(quantity, arm=None, other=None, at=None):
    """A measurement's label: ``"ReLU - Leaky ReLU 0.01, dead fraction at the end (adam, lr
    0.1)"``."""
    what = QUANTITY_LABELS.get(quantity, quantity)
    if arm is not None:
        arms = ARM_LABELS.get(arm, arm)
        if other is not None:
            arms = f"{arms} - {ARM_LABELS.get(other, other)}"
        what = f"{arms}, {what}"
    setting = describe_at(at or {})
    return f"{what} ({setting})" if setting else what
