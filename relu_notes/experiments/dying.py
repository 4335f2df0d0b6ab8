"""Dying ReLU during training: a negative bias shift kills units; which activations recover?

Protocol (deterministic for given seeds): train an MLP on a real dataset (default: the UCI
hand-written digits shipped with the package) with Adam for ``shift_epoch`` epochs, then add
``bias_shift`` (< 0) to every hidden bias -- the kind of jump one oversized gradient step can
cause -- and keep training for ``epochs_after`` epochs (the optimizer state is reset at the
shift). After every epoch we record the fraction of hidden units that are *dead on the
training set*: pre-activation ``<= 0`` for every training example.

A dead ReLU unit gets exactly zero gradient from every example, so in the first hidden layer
(whose input, the data, never changes) it can never come back. In deeper layers it can revive
only if the layers below change its input. Leaky ReLU and PReLU units in the same state still
get gradient ``alpha * dL/da`` and can recover.
"""

from dataclasses import dataclass

import numpy as np

from relu_notes.datasets import load_split
from relu_notes.mlp import MLP, train_on_split

ACTIVATIONS = ("relu", "leaky_relu", "prelu")


@dataclass
class DyingResult:
    """Curves have shape ``(n_activations, n_seeds, n_records)``; ``*_layers`` add a layer axis.

    ``epoch`` has one entry per record; the shift epoch appears twice (before and right after
    the shift), so curves show the jump.
    """

    dataset: str
    activations: tuple
    seeds: tuple
    hidden: tuple
    bias_shift: float
    shift_epoch: int
    epoch: np.ndarray
    dead_fraction: np.ndarray
    dead_fraction_layers: np.ndarray
    train_acc: np.ndarray
    test_acc: np.ndarray

    def _index(self, activation):
        return self.activations.index(activation)

    def dead_after_shift(self, activation):
        """Mean (over seeds) dead fraction right after the shift."""
        return float(self.dead_fraction[self._index(activation), :, self.shift_epoch + 1].mean())

    def final_dead(self, activation, layer=None):
        """Mean (over seeds) dead fraction at the end (all hidden units, or one layer)."""
        i = self._index(activation)
        if layer is None:
            return float(self.dead_fraction[i, :, -1].mean())
        return float(self.dead_fraction_layers[i, :, -1, layer].mean())

    def final_test_acc(self, activation):
        return float(self.test_acc[self._index(activation), :, -1].mean())

    def summary(self):
        """One dict per activation with the headline numbers (means over seeds)."""
        return [
            {
                "activation": a,
                "dead_after_shift": round(self.dead_after_shift(a), 3),
                "dead_final": round(self.final_dead(a), 3),
                "dead_final_layer1": round(self.final_dead(a, layer=0), 3),
                "test_acc_final": round(self.final_test_acc(a), 3),
            }
            for a in self.activations
        ]


def run_dying(
    dataset="digits",
    *,
    activations=ACTIVATIONS,
    hidden=(48, 48),
    bias_shift=-4.0,
    shift_epoch=2,
    epochs_after=10,
    lr=3e-3,
    batch_size=64,
    negative_slope=0.01,
    seeds=(0, 1, 2),
):
    """Run the bias-shift experiment for each activation and seed; returns a DyingResult.

    Seed ``s`` fixes the data split, the weight initialization and the mini-batch order, and is
    shared by all activations (same initial weights, same batches).
    """
    records = {"dead": [], "layers": [], "train": [], "test": []}
    epoch = None
    for activation in activations:
        per_seed = {k: [] for k in records}
        for seed in seeds:
            split = load_split(dataset, seed=seed)
            sizes = (split.n_features, *hidden, split.n_classes)
            model = MLP(sizes, activation, negative_slope=negative_slope, seed=seed)
            kw = {"batch_size": batch_size, "lr": lr}
            before = train_on_split(model, split, epochs=shift_epoch, seed=seed, **kw)
            for b in model.biases[:-1]:
                b += bias_shift
            after = train_on_split(model, split, epochs=epochs_after, seed=seed + 1000, **kw)
            per_seed["dead"].append(
                np.concatenate([before.dead_fraction_total, after.dead_fraction_total])
            )
            per_seed["layers"].append(np.concatenate([before.dead_fraction, after.dead_fraction]))
            per_seed["train"].append(np.concatenate([before.train_acc, after.train_acc]))
            per_seed["test"].append(np.concatenate([before.test_acc, after.test_acc]))
            epoch = np.concatenate([before.epoch, after.epoch + shift_epoch])
        for k in records:
            records[k].append(per_seed[k])
    return DyingResult(
        dataset=dataset,
        activations=tuple(activations),
        seeds=tuple(seeds),
        hidden=tuple(hidden),
        bias_shift=float(bias_shift),
        shift_epoch=int(shift_epoch),
        epoch=epoch,
        dead_fraction=np.array(records["dead"]),
        dead_fraction_layers=np.array(records["layers"]),
        train_acc=np.array(records["train"]),
        test_acc=np.array(records["test"]),
    )
