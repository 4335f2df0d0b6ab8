"""Dying in natural training: no forced shift, only the learning rate.

For each optimizer and each of five log-spaced learning rates, every arm of
:data:`~relu_notes.experiments.arms.ARMS` is trained with every seed of
:data:`~relu_notes.experiments.arms.SEEDS` from its He initialisation until the settling rule
of :mod:`relu_notes.experiments.settle` says the dead and nearly-dead curves stopped moving (at
least 30, at most 100 epochs by default). Seed ``s`` fixes the split, the weights and the batch
order, shared by all arms and rates, so arms are compared seed by seed. At the end of each run
we record, on the training set, the fraction of hidden units that are dead (pre-activation
``<= 0`` for every example) and nearly dead (active on fewer than 1% of the examples, dead ones
included), per layer and in total, the train and test accuracy, whether the run settled, how
many epochs it ran, and whether it diverged (a non-finite number; its final values are NaN).

Defaults, and why: the same network as the stress test in :mod:`~relu_notes.experiments.dying`
(digits, two hidden layers of 64, batch 64).

- Adam: 1e-3 to 1e-1 (factor 10**0.5). At 1e-3 no unit dies; at 1e-1 ReLU loses a large
  fraction of its units.
- SGD *without momentum*: 1/16 to 1 (factor 2). With momentum 0.9 there is no rate that kills
  ReLU units while every arm still trains: the Leaky ReLU 0.25 control and PReLU diverge from
  lr 0.12 to 0.13 (some seeds), before ReLU units die in numbers (from about 0.15). Plain SGD
  is stable for every arm up to lr 1 (the 0.25 arms diverge from about 1.2 to 1.3) and at lr 1
  ReLU and Leaky ReLU 0.01 units die; below 0.5 none do.

The default run trains 200 nets (2 optimizers x 5 rates x 4 arms x 5 seeds), 34 epochs each on
average (30 at most rates; Adam's two highest rates take longer, up to 100): about 65 s on one
core. Store its result (:meth:`NaturalDyingResult.to_dict`) rather than running it in a
chapter.
"""

from dataclasses import dataclass

import numpy as np

from relu_notes.datasets import load_split
from relu_notes.experiments.arms import SEEDS, arm
from relu_notes.experiments.dying import ARM_NAMES, interval_text, plain
from relu_notes.experiments.settle import MONITOR, SETTLING, rule_from, train_until_settled
from relu_notes.mlp import Trainer

LRS = {
    "sgd": (0.0625, 0.125, 0.25, 0.5, 1.0),
    "adam": (1e-3, 10**-2.5, 1e-2, 10**-1.5, 1e-1),
}
"""Five log-spaced learning rates per optimizer (SGD without momentum; see the module text)."""

FINALS = (
    "dead",
    "dead_layers",
    "nearly_dead",
    "nearly_dead_layers",
    "test_acc",
    "train_acc",
    "settled",
    "epochs",
    "diverged",
)
"""Per-run end values of a :class:`NaturalDyingResult`, each of shape ``(lrs, arms, seeds)``
(``*_layers`` add a layer axis)."""

_DTYPES = {"settled": bool, "diverged": bool, "epochs": int}


@dataclass
class NaturalDyingResult:
    """Learning-rate sweep without forced shift. ``runs[optimizer][name]`` is an array of shape
    ``(n_lrs, n_arms, n_seeds)`` (``*_layers``: plus a layer axis) for each name in
    :data:`FINALS`, aligned with ``lrs[optimizer]``, ``arms`` and ``seeds``."""

    dataset: str
    optimizers: tuple
    lrs: dict
    arms: tuple
    seeds: tuple
    hidden: tuple
    batch_size: int
    momentum: float
    settling: object
    monitor: tuple
    runs: dict

    def _get(self, name, optimizer, lr, arm_name):
        rates = np.array(self.lrs[optimizer])
        match = np.flatnonzero(np.isclose(rates, lr, rtol=1e-9, atol=0.0))
        if match.size != 1:
            raise ValueError(f"lr {lr!r} is not one of {optimizer}'s rates {self.lrs[optimizer]}")
        return self.runs[optimizer][name][match[0], self.arms.index(arm_name)].copy()

    def final_dead(self, optimizer, lr, arm_name, layer=None):
        """Per seed: dead fraction at the end (all hidden units or one layer; NaN: diverged)."""
        if layer is None:
            return self._get("dead", optimizer, lr, arm_name)
        return self._get("dead_layers", optimizer, lr, arm_name)[:, layer]

    def final_nearly_dead(self, optimizer, lr, arm_name, layer=None):
        """Per seed: fraction of units active on fewer than 1% of the training examples."""
        if layer is None:
            return self._get("nearly_dead", optimizer, lr, arm_name)
        return self._get("nearly_dead_layers", optimizer, lr, arm_name)[:, layer]

    def final_test_acc(self, optimizer, lr, arm_name):
        """Per seed: test accuracy at the end (NaN: diverged)."""
        return self._get("test_acc", optimizer, lr, arm_name)

    def final_train_acc(self, optimizer, lr, arm_name):
        """Per seed: training accuracy at the end (NaN: diverged)."""
        return self._get("train_acc", optimizer, lr, arm_name)

    def settled(self, optimizer, lr, arm_name):
        """Per seed (bool): the settling rule was met before its maximum."""
        return self._get("settled", optimizer, lr, arm_name)

    def epochs_run(self, optimizer, lr, arm_name):
        """Per seed: epochs trained."""
        return self._get("epochs", optimizer, lr, arm_name)

    def diverged(self, optimizer, lr, arm_name):
        """Per seed (bool): the run stopped on a non-finite number."""
        return self._get("diverged", optimizer, lr, arm_name)

    def worst_lr(self, optimizer, arm_name="relu"):
        """The rate with the highest mean dead fraction of ``arm_name`` (diverged runs left
        out; a rate at which every run diverged is never the worst)."""
        means = []
        for lr in self.lrs[optimizer]:
            dead = self.final_dead(optimizer, lr, arm_name)
            dead = dead[~np.isnan(dead)]
            means.append(dead.mean() if dead.size else -np.inf)
        return self.lrs[optimizer][int(np.argmax(means))]

    def summary(self):
        """One row per optimizer, rate and arm: means with 95% t intervals over seeds."""
        rows = []
        for opt in self.optimizers:
            for lr in self.lrs[opt]:
                for a in self.arms:
                    ok = ~self.diverged(opt, lr, a)
                    rows.append(
                        {
                            "optimizer": opt,
                            "lr": f"{lr:.3g}",
                            "arm": a,
                            "dead": _text(self.final_dead(opt, lr, a)[ok]),
                            "nearly_dead": _text(self.final_nearly_dead(opt, lr, a)[ok]),
                            "test_acc": _text(self.final_test_acc(opt, lr, a)[ok]),
                            "settled": f"{int(self.settled(opt, lr, a).sum())}/{len(self.seeds)}",
                            "diverged": int((~ok).sum()),
                        }
                    )
        return rows

    @property
    def settings(self):
        """The keyword arguments of :func:`run_natural_dying` that give this result."""
        return {
            "dataset": self.dataset,
            "optimizers": list(self.optimizers),
            "lrs": {opt: [float(lr) for lr in self.lrs[opt]] for opt in self.optimizers},
            "arms": list(self.arms),
            "seeds": [int(s) for s in self.seeds],
            "hidden": [int(h) for h in self.hidden],
            "batch_size": int(self.batch_size),
            "momentum": float(self.momentum),
            "settling": self.settling.to_dict(),
            "monitor": list(self.monitor),
        }

    def to_dict(self):
        """Plain, JSON-ready dict (settings and per-run end values; NaN written as ``None``)."""
        return {
            "kind": "NaturalDyingResult",
            "settings": self.settings,
            "runs": {
                opt: {name: plain(self.runs[opt][name]) for name in FINALS}
                for opt in self.optimizers
            },
        }

    @classmethod
    def from_dict(cls, data):
        """Inverse of :meth:`to_dict`."""
        s = data["settings"]
        runs = {
            opt: {
                name: np.array(values, dtype=_DTYPES.get(name, float))
                for name, values in per_opt.items()
            }
            for opt, per_opt in data["runs"].items()
        }
        return cls(
            dataset=s["dataset"],
            optimizers=tuple(s["optimizers"]),
            lrs={opt: tuple(rates) for opt, rates in s["lrs"].items()},
            arms=tuple(s["arms"]),
            seeds=tuple(s["seeds"]),
            hidden=tuple(s["hidden"]),
            batch_size=s["batch_size"],
            momentum=s["momentum"],
            settling=rule_from(s["settling"]),
            monitor=tuple(s["monitor"]),
            runs=runs,
        )


def _text(values):
    return interval_text(values) if values.size else "diverged"


def _run_one(split, arm_name, seed, optimizer, lr, config):
    """Train one net from its initialisation until settled; returns its end values."""
    model = arm(arm_name).model((split.n_features, *config["hidden"], split.n_classes), seed)
    trainer = Trainer(
        model,
        split.X_train,
        split.y_train,
        batch_size=config["batch_size"],
        lr=lr,
        optimizer=optimizer,
        momentum=config["momentum"],
        X_test=split.X_test,
        y_test=split.y_test,
        seed=seed,
    )
    outcome = train_until_settled(trainer, config["settling"], config["monitor"])
    h = trainer.history()
    nan = np.nan if outcome.diverged else 1.0  # a diverged run has no end values
    return {
        "dead": h.dead_fraction_total[-1] * nan,
        "dead_layers": h.dead_fraction[-1] * nan,
        "nearly_dead": h.nearly_dead_fraction_total[-1] * nan,
        "nearly_dead_layers": h.nearly_dead_fraction[-1] * nan,
        "test_acc": h.test_acc[-1] * nan,
        "train_acc": h.train_acc[-1] * nan,
        "settled": outcome.settled,
        "epochs": outcome.epochs,
        "diverged": outcome.diverged,
    }


def run_natural_dying(
    dataset="digits",
    *,
    optimizers=("sgd", "adam"),
    lrs=LRS,
    arms=ARM_NAMES,
    seeds=SEEDS,
    hidden=(64, 64),
    batch_size=64,
    momentum=0.0,
    settling=SETTLING,
    monitor=MONITOR,
):
    """Run the learning-rate sweep; returns a :class:`NaturalDyingResult`.

    ``lrs`` maps each optimizer to its rates; ``momentum`` is SGD's (0: plain SGD);
    ``settling`` is a :class:`~relu_notes.experiments.settle.SettlingRule` or a dict of its
    fields. Deterministic for given settings.
    """
    lrs = {opt: tuple(float(r) for r in lrs[opt]) for opt in optimizers}
    config = {
        "hidden": tuple(hidden),
        "batch_size": int(batch_size),
        "momentum": float(momentum),
        "settling": rule_from(settling),
        "monitor": tuple(monitor),
    }
    splits = {seed: load_split(dataset, seed=seed) for seed in seeds}
    runs = {}
    for opt in optimizers:
        table = [
            [[_run_one(splits[s], a, s, opt, lr, config) for s in seeds] for a in arms]
            for lr in lrs[opt]
        ]
        runs[opt] = {
            name: np.array(
                [[[run[name] for run in per_arm] for per_arm in per_lr] for per_lr in table],
                dtype=_DTYPES.get(name, float),
            )
            for name in FINALS
        }
    return NaturalDyingResult(
        dataset=dataset,
        optimizers=tuple(optimizers),
        lrs=lrs,
        arms=tuple(arms),
        seeds=tuple(seeds),
        runs=runs,
        **config,
    )
