"""Test accuracy of the four arms as the training set shrinks: does PReLU overfit small data?

Xu et al. (2015, "Empirical Evaluation of Rectified Activations in Convolutional Network")
conclude from CNNs on CIFAR that on small-scale data both a fixed negative slope (Leaky ReLU)
and a learned one (PReLU) are prone to overfitting. Here: a fixed stratified test set of the UCI
digits, stratified training subsets of decreasing size, the same MLP (two hidden layers of 64,
Adam) trained for the same number of gradient steps (120) with every arm of
:mod:`relu_notes.experiments.arms`: ReLU, Leaky ReLU 0.01, Leaky ReLU 0.25 (the slope-size
control: PReLU's initial slope, not learned) and PReLU.

**What the "gap" measures here.** At the default settings every arm reaches training accuracy
1.000 on every seed at n = 30, 100 and 300 (it memorises the subset), so the gap
``train accuracy - test accuracy`` is exactly ``1 - test accuracy`` there: it says nothing
that test accuracy does not, and it is not a separate measure of overfitting. (At n = 1000 the
120 steps do not quite fit the training set.) Compare arms by test accuracy, paired by seed:
``paired_interval(r.test_acc("prelu", 30), r.test_acc("leaky_0.25", 30))``.
"""

from dataclasses import dataclass

import numpy as np

from relu_notes.datasets import load_split, subsample
from relu_notes.experiments.arms import ARMS, SEEDS, arm
from relu_notes.experiments.prelu_alpha import arm_row
from relu_notes.experiments.serial import PlainDict
from relu_notes.mlp import train_on_split


@dataclass
class OverfittingResult(PlainDict):
    """``train_accuracy[a, n, s]`` / ``test_accuracy[a, n, s]``: arm a (names in ``arms``), train
    size n, seed s. ``settings``: hidden sizes, steps, batch size, learning rate."""

    dataset: str
    arms: tuple
    train_sizes: tuple
    seeds: tuple
    settings: dict
    train_accuracy: np.ndarray
    test_accuracy: np.ndarray

    def _index(self, arm_name, size):
        return self.arms.index(arm_name), self.train_sizes.index(size)

    def test_acc(self, arm_name, size):
        """Final test accuracy per seed of ``arm_name`` trained on ``size`` examples."""
        return self.test_accuracy[self._index(arm_name, size)]

    def train_acc(self, arm_name, size):
        """Final training accuracy per seed (on the ``size`` examples it was trained on)."""
        return self.train_accuracy[self._index(arm_name, size)]

    def gap(self, arm_name, size):
        """``train_acc - test_acc`` per seed; equal to ``1 - test_acc`` wherever the training
        set was memorised (see :meth:`memorised`)."""
        return self.train_acc(arm_name, size) - self.test_acc(arm_name, size)

    def memorised(self, size):
        """``True`` if every arm reached training accuracy 1 on every seed at ``size``."""
        return bool(np.all(self.train_accuracy[:, self.train_sizes.index(size)] == 1.0))

    def summary(self):
        """One row per (train size, arm): mean test accuracy with its 95% t interval, the
        paired ``PReLU - arm`` difference, and the mean training accuracy."""
        rows = []
        for size in self.train_sizes:
            for name in self.arms:
                row = arm_row(lambda a, n=size: self.test_acc(a, n), name, self.arms)
                train = round(float(self.train_acc(name, size).mean()), 3)
                rows.append({"n": size, **row, "train_acc": train})
        return rows


def run_overfitting(
    dataset="digits",
    *,
    train_sizes=(30, 100, 300, 1000),
    arms=tuple(a.name for a in ARMS),
    seeds=SEEDS,
    hidden=(64, 64),
    steps=120,
    batch_size=32,
    lr=3e-3,
):
    """Train every (arm, train size, seed) for ``steps`` Adam steps; returns the accuracies.

    The number of gradient steps, not epochs, is fixed, so small and large training sets get
    the same optimisation budget. Seed ``s`` fixes the split, the subset, the initialisation
    (each arm with its own He gain) and the batch order, the same for every arm.
    """
    names = [arm(a).name for a in arms]
    shape = (len(names), len(train_sizes), len(seeds))
    train_acc, test_acc = np.zeros(shape), np.zeros(shape)
    for s, seed in enumerate(seeds):
        full = load_split(dataset, seed=seed)
        for n, size in enumerate(train_sizes):
            part = subsample(full, size, seed=seed)
            bs = min(batch_size, size)
            epochs = max(1, int(np.ceil(steps / np.ceil(size / bs))))
            for a, name in enumerate(names):
                model = arm(name).model((part.n_features, *hidden, full.n_classes), seed)
                hist = train_on_split(
                    model, part, epochs=epochs, batch_size=bs, lr=lr, seed=seed, record_every=epochs
                )
                train_acc[a, n, s] = hist.train_acc[-1]
                test_acc[a, n, s] = hist.test_acc[-1]
    return OverfittingResult(
        dataset=dataset,
        arms=tuple(names),
        train_sizes=tuple(int(n) for n in train_sizes),
        seeds=tuple(seeds),
        settings={
            "hidden": list(hidden),
            "steps": steps,
            "batch_size": batch_size,
            "lr": lr,
            "optimizer": "adam",
        },
        train_accuracy=train_acc,
        test_accuracy=test_acc,
    )
