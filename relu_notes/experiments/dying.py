"""Stress test: every hidden bias is pushed down at once; which units come back?

This is a *stress test*, not natural training (for that see
:mod:`relu_notes.experiments.natural_dying`): after ``shift_epoch`` epochs every hidden bias
gets ``bias_shift`` (< 0) added at once -- the kind of jump one oversized gradient step can
cause -- and training goes on, with a fresh optimizer state, until the settling rule of
:mod:`relu_notes.experiments.settle` says the dead-unit curves stopped moving (or
``max_epochs`` after the shift). Every arm of :data:`~relu_notes.experiments.arms.ARMS` (ReLU,
Leaky ReLU 0.01, the Leaky ReLU 0.25 control, PReLU) is trained with every seed of
:data:`~relu_notes.experiments.arms.SEEDS`; seed ``s`` fixes the split, the weights and the
batches, shared by the arms, so arms can be compared seed by seed.

After every epoch we record, on the training set, the fraction of hidden units that are
*dead* (pre-activation ``<= 0`` for every example) and *nearly dead* (active on fewer than
:data:`~relu_notes.mlp.NEARLY_DEAD_BELOW` = 1% of the examples, dead ones included), per layer
and over all hidden units, and the train and test accuracy. A dead ReLU unit gets zero
gradient from every example, so in the first hidden layer (whose input, the data, never
changes) a unit dead right after the shift stays dead; deeper units can revive if the layers
below change their input. Leaky ReLU and PReLU units still get gradient ``alpha * dL/da``.

Runs stop at different epochs (one arm may settle before another). Curves are stored padded:
``epoch`` covers the longest run and a run's values after its last record are NaN;
:meth:`DyingResult.epochs_run` says how many epochs each run had after the shift, and the
``final_*`` accessors read each run at its own last record.

Defaults, and why: the digits data shipped with the package; two hidden layers of 64 (128
hidden units, so that one unit, 0.78 points, is below the settling rule's 1-point tolerance);
Adam at lr 1e-2, batch 64, shift -4 after 2 epochs. At Adam's lr 3e-3 (the earlier default)
ReLU needs 60 to 80 epochs after the shift and one seed sits at chance accuracy for 40 epochs
(a plateau that the rule would mistake for the end), about 12 s for the run; at 1e-2 every arm
recovers within 30 epochs (every default run settles at the rule's minimum, 30 epochs after
the shift) and the whole default run takes about 6 to 6.5 s on one core. Natural training at
Adam 1e-2 itself leaves 1.3% of ReLU units dead (mean of 5 seeds, see
:mod:`~relu_notes.experiments.natural_dying`), so that much of the stress test's final dead
fraction is not due to the shift.
"""

from dataclasses import dataclass

import numpy as np

from relu_notes.datasets import load_split
from relu_notes.experiments.arms import ARMS, SEEDS, arm
from relu_notes.experiments.settle import (
    MONITOR,
    SETTLING,
    SettlingRule,
    rule_from,
    train_until_settled,
)
from relu_notes.experiments.stats import mean_interval
from relu_notes.mlp import Trainer

ARM_NAMES = tuple(a.name for a in ARMS)

CURVES = (
    "dead_fraction",
    "dead_fraction_layers",
    "nearly_dead_fraction",
    "nearly_dead_fraction_layers",
    "train_acc",
    "test_acc",
)
"""The per-record curves of a :class:`DyingResult` (shape ``(arms, seeds, records[, layers])``)."""


def plain(values):
    """``values`` (array or nested lists) as nested Python lists; NaN becomes ``None`` (JSON)."""
    array = np.asarray(values)
    if array.dtype.kind in "biu":
        return array.tolist()
    array = array.astype(float)
    return np.where(np.isnan(array), None, array).tolist()


def interval_text(values):
    """``mean [low, high]`` of the 95% t interval of ``values`` (three decimals)."""
    iv = mean_interval(values)
    return f"{iv.mean:.3f} [{iv.low:.3f}, {iv.high:.3f}]"


@dataclass
class DyingResult:
    """Stress-test curves of shape ``(n_arms, n_seeds, n_records)``; ``*_layers`` add a layer
    axis; NaN after a run's last record.

    ``epoch`` has one entry per record: epochs ``0 .. shift_epoch`` before the shift, then the
    shift epoch again (right after the shift, before any step) and one entry per epoch after
    it, up to the longest run. ``final_active[a, s]``: each hidden unit's active fraction
    (layers in order) at the run's end. ``run_settled``, ``run_epochs`` (epochs after the
    shift) and ``run_diverged`` have shape ``(n_arms, n_seeds)``.
    """

    dataset: str
    arms: tuple
    seeds: tuple
    hidden: tuple
    bias_shift: float
    shift_epoch: int
    optimizer: str
    lr: float
    momentum: float
    batch_size: int
    settling: SettlingRule
    monitor: tuple
    epoch: np.ndarray
    dead_fraction: np.ndarray
    dead_fraction_layers: np.ndarray
    nearly_dead_fraction: np.ndarray
    nearly_dead_fraction_layers: np.ndarray
    train_acc: np.ndarray
    test_acc: np.ndarray
    final_active: np.ndarray
    run_settled: np.ndarray
    run_epochs: np.ndarray
    run_diverged: np.ndarray

    @property
    def label(self):
        """What was done, for titles and tables: a stress test, not natural training."""
        return (
            f"stress test: every hidden bias shifted by {self.bias_shift:g} after epoch "
            f"{self.shift_epoch}, then {self.optimizer} (lr {self.lr:g}) until settled"
        )

    def _index(self, arm_name):
        return self.arms.index(arm_name)

    def _final(self, curve, arm_name):
        """Per seed: ``curve`` at each run's last record (NaN for a run that diverged)."""
        i = self._index(arm_name)
        last = self.shift_epoch + 1 + self.run_records(arm_name) - 1
        values = curve[i, np.arange(len(self.seeds)), last].astype(float)
        return np.where(self.run_diverged[i], np.nan, values)

    def run_records(self, arm_name):
        """Per seed: number of records after the shift (including the one right after it)."""
        i = self._index(arm_name)
        after = self.dead_fraction[i, :, self.shift_epoch + 1 :]
        return np.sum(~np.isnan(after), axis=1)

    def dead_after_shift(self, arm_name):
        """Per seed: dead fraction right after the shift (before any further step)."""
        return self.dead_fraction[self._index(arm_name), :, self.shift_epoch + 1].copy()

    def final_dead(self, arm_name, layer=None):
        """Per seed: dead fraction at the run's end (all hidden units, or one layer)."""
        if layer is None:
            return self._final(self.dead_fraction, arm_name)
        return self._final(self.dead_fraction_layers[..., layer], arm_name)

    def final_nearly_dead(self, arm_name, layer=None):
        """Per seed: fraction of units active on fewer than 1% of the training examples."""
        if layer is None:
            return self._final(self.nearly_dead_fraction, arm_name)
        return self._final(self.nearly_dead_fraction_layers[..., layer], arm_name)

    def final_test_acc(self, arm_name):
        """Per seed: test accuracy at the run's end."""
        return self._final(self.test_acc, arm_name)

    def final_train_acc(self, arm_name):
        """Per seed: training accuracy at the run's end."""
        return self._final(self.train_acc, arm_name)

    def settled(self, arm_name):
        """Per seed (bool): the settling rule was met before ``max_epochs``."""
        return self.run_settled[self._index(arm_name)].copy()

    def epochs_run(self, arm_name):
        """Per seed: epochs trained after the shift."""
        return self.run_epochs[self._index(arm_name)].copy()

    def diverged(self, arm_name):
        """Per seed (bool): the run stopped on a non-finite number."""
        return self.run_diverged[self._index(arm_name)].copy()

    def summary(self):
        """One row per arm: means with 95% t intervals over seeds, settled count, epochs."""
        rows = []
        for a in self.arms:
            epochs = self.epochs_run(a)
            rows.append(
                {
                    "arm": a,
                    "dead_after_shift": round(float(self.dead_after_shift(a).mean()), 3),
                    "dead_final": interval_text(self.final_dead(a)),
                    "dead_final_layer1": round(float(self.final_dead(a, layer=0).mean()), 3),
                    "nearly_dead_final": interval_text(self.final_nearly_dead(a)),
                    "test_acc_final": interval_text(self.final_test_acc(a)),
                    "settled": f"{int(self.settled(a).sum())}/{len(self.seeds)}",
                    "epochs_after_shift": f"{epochs.min()}-{epochs.max()}",
                }
            )
        return rows

    @property
    def settings(self):
        """The keyword arguments of :func:`run_dying` that give this result (JSON-ready)."""
        return {
            "dataset": self.dataset,
            "arms": list(self.arms),
            "seeds": [int(s) for s in self.seeds],
            "hidden": [int(h) for h in self.hidden],
            "bias_shift": float(self.bias_shift),
            "shift_epoch": int(self.shift_epoch),
            "optimizer": self.optimizer,
            "lr": float(self.lr),
            "momentum": float(self.momentum),
            "batch_size": int(self.batch_size),
            "settling": self.settling.to_dict(),
            "monitor": list(self.monitor),
        }

    def to_dict(self):
        """Plain, JSON-ready dict: settings, epochs and every run's curves up to its own end
        (lists of different lengths, no padding); NaN is written as ``None``."""
        records = {a: self.shift_epoch + 1 + self.run_records(a) for a in self.arms}
        curves = {
            name: [
                [plain(getattr(self, name)[i, s, : records[a][s]]) for s in range(len(self.seeds))]
                for i, a in enumerate(self.arms)
            ]
            for name in CURVES
        }
        return {
            "kind": "DyingResult",
            "settings": self.settings,
            "epoch": plain(self.epoch),
            "curves": curves,
            "final_active": plain(self.final_active),
            "settled": plain(self.run_settled),
            "epochs_run": plain(self.run_epochs),
            "diverged": plain(self.run_diverged),
        }

    @classmethod
    def from_dict(cls, data):
        """Inverse of :meth:`to_dict` (curves padded with NaN again)."""
        settings = dict(data["settings"])
        epoch = np.array(data["epoch"], dtype=int)
        curves = {
            name: np.array(
                [[_pad(run, epoch.size) for run in per_arm] for per_arm in data["curves"][name]]
            )
            for name in CURVES
        }
        return cls(
            dataset=settings["dataset"],
            arms=tuple(settings["arms"]),
            seeds=tuple(settings["seeds"]),
            hidden=tuple(settings["hidden"]),
            bias_shift=settings["bias_shift"],
            shift_epoch=settings["shift_epoch"],
            optimizer=settings["optimizer"],
            lr=settings["lr"],
            momentum=settings["momentum"],
            batch_size=settings["batch_size"],
            settling=rule_from(settings["settling"]),
            monitor=tuple(settings["monitor"]),
            epoch=epoch,
            final_active=np.array(data["final_active"], dtype=float),
            run_settled=np.array(data["settled"], dtype=bool),
            run_epochs=np.array(data["epochs_run"], dtype=int),
            run_diverged=np.array(data["diverged"], dtype=bool),
            **curves,
        )


def _pad(values, length):
    """``values`` (records first) as a float array padded with NaN to ``length`` records."""
    values = np.array(values, dtype=float)
    padded = np.full((length, *values.shape[1:]), np.nan)
    padded[: values.shape[0]] = values
    return padded


def _run_one(split, arm_name, seed, config):
    """One arm and seed: train, shift, train until settled; returns a dict of this run's data."""
    model = arm(arm_name).model((split.n_features, *config["hidden"], split.n_classes), seed)
    kw = {
        "batch_size": config["batch_size"],
        "lr": config["lr"],
        "optimizer": config["optimizer"],
        "momentum": config["momentum"],
        "X_test": split.X_test,
        "y_test": split.y_test,
    }
    before = Trainer(model, split.X_train, split.y_train, seed=seed, **kw)
    before = before.run(config["shift_epoch"]).history()
    for b in model.biases[:-1]:
        b += config["bias_shift"]
    trainer = Trainer(model, split.X_train, split.y_train, seed=seed + 1000, **kw)
    outcome = train_until_settled(trainer, config["settling"], config["monitor"])
    after = trainer.history()

    def both(get):
        return np.concatenate([get(before), get(after)])

    return {
        "dead_fraction": both(lambda h: h.dead_fraction_total),
        "dead_fraction_layers": both(lambda h: h.dead_fraction),
        "nearly_dead_fraction": both(lambda h: h.nearly_dead_fraction_total),
        "nearly_dead_fraction_layers": both(lambda h: h.nearly_dead_fraction),
        "train_acc": both(lambda h: h.train_acc),
        "test_acc": both(lambda h: h.test_acc),
        "final_active": np.concatenate([f[-1] for f in after.active_fraction]),
        "outcome": outcome,
    }


def run_dying(
    dataset="digits",
    *,
    arms=ARM_NAMES,
    seeds=SEEDS,
    hidden=(64, 64),
    bias_shift=-4.0,
    shift_epoch=2,
    optimizer="adam",
    lr=1e-2,
    momentum=0.0,
    batch_size=64,
    settling=SETTLING,
    monitor=MONITOR,
):
    """Run the bias-shift stress test for each arm and seed; returns a :class:`DyingResult`.

    ``settling`` is a :class:`~relu_notes.experiments.settle.SettlingRule` or a dict of its
    fields (default: at least 30 and at most 100 epochs after the shift);
    ``monitor`` names the curves it watches. ``momentum`` is used by ``optimizer="sgd"`` only.
    The optimizer state is reset at the shift. Deterministic for given settings.
    """
    config = {
        "dataset": dataset,
        "hidden": tuple(hidden),
        "bias_shift": float(bias_shift),
        "shift_epoch": int(shift_epoch),
        "optimizer": optimizer,
        "lr": float(lr),
        "momentum": float(momentum),
        "batch_size": int(batch_size),
        "settling": rule_from(settling),
        "monitor": tuple(monitor),
    }
    splits = {seed: load_split(dataset, seed=seed) for seed in seeds}
    runs = [[_run_one(splits[s], a, s, config) for s in seeds] for a in arms]
    n_records = max(r["dead_fraction"].size for per_arm in runs for r in per_arm)
    longest = n_records - (shift_epoch + 1)
    epoch = np.concatenate([np.arange(shift_epoch + 1), shift_epoch + np.arange(longest)])
    curves = {
        name: np.array([[_pad(r[name], n_records) for r in per_arm] for per_arm in runs])
        for name in CURVES
    }
    outcomes = [[r["outcome"] for r in per_arm] for per_arm in runs]
    return DyingResult(
        arms=tuple(arms),
        seeds=tuple(seeds),
        epoch=epoch,
        final_active=np.array([[r["final_active"] for r in per_arm] for per_arm in runs]),
        run_settled=np.array([[o.settled for o in per] for per in outcomes], dtype=bool),
        run_epochs=np.array([[o.epochs for o in per] for per in outcomes], dtype=int),
        run_diverged=np.array([[o.diverged for o in per] for per in outcomes], dtype=bool),
        **config,
        **curves,
    )
