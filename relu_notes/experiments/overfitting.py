"""Train/test gap of ReLU, Leaky ReLU and PReLU as the training set shrinks.

Xu et al. (2015, "Empirical Evaluation of Rectified Activations in Convolutional Network")
conclude from CNNs on CIFAR that on small-scale data both a fixed negative slope (Leaky ReLU)
and a learned one (PReLU) are prone to overfitting. Here: a fixed
stratified test set of the UCI digits, stratified training subsets of decreasing size, the
same MLP trained for the same number of gradient steps with each activation, and the gap
``train accuracy - test accuracy`` (mean and standard error over seeds).
"""

from dataclasses import dataclass

import numpy as np

from relu_notes.datasets import load_split, subsample
from relu_notes.experiments.stats import standard_error
from relu_notes.mlp import MLP, train_on_split

ACTIVATIONS = ("relu", "leaky_relu", "prelu")


@dataclass
class OverfittingResult:
    """``train_acc[a, n, s]`` / ``test_acc[a, n, s]``: activation a, train size n, seed s."""

    dataset: str
    activations: tuple
    train_sizes: tuple
    seeds: tuple
    train_acc: np.ndarray
    test_acc: np.ndarray

    @property
    def gap(self):
        return self.train_acc - self.test_acc

    @property
    def gap_mean(self):
        return self.gap.mean(axis=2)

    @property
    def gap_sem(self):
        return standard_error(self.gap, axis=2)

    def gap_difference(self, activation, baseline="relu", size_index=0):
        """Mean over seeds of the paired gap difference (activation - baseline) and its s.e."""
        a, b = self.activations.index(activation), self.activations.index(baseline)
        diff = self.gap[a, size_index] - self.gap[b, size_index]
        return float(diff.mean()), float(standard_error(diff))

    def summary(self):
        return [
            {
                "activation": a,
                **{
                    f"gap@{n}": round(float(self.gap_mean[i, j]), 3)
                    for j, n in enumerate(self.train_sizes)
                },
                f"test@{self.train_sizes[0]}": round(float(self.test_acc[i, 0].mean()), 3),
            }
            for i, a in enumerate(self.activations)
        ]


def run_overfitting(
    dataset="digits",
    *,
    train_sizes=(30, 100, 300, 1000),
    activations=ACTIVATIONS,
    seeds=(0, 1, 2),
    hidden=(64, 64),
    steps=120,
    batch_size=32,
    lr=3e-3,
    negative_slope=0.01,
):
    """Train every (activation, train size, seed) for ``steps`` Adam steps; returns the gaps.

    The number of gradient steps, not epochs, is fixed, so small and large training sets get
    the same optimization budget. Seed ``s`` fixes the split, the subset, the initialization
    (shared by the activations) and the batch order.
    """
    shape = (len(activations), len(train_sizes), len(seeds))
    train_acc, test_acc = np.zeros(shape), np.zeros(shape)
    for s, seed in enumerate(seeds):
        full = load_split(dataset, seed=seed)
        for n, size in enumerate(train_sizes):
            part = subsample(full, size, seed=seed)
            bs = min(batch_size, size)
            epochs = max(1, int(np.ceil(steps / np.ceil(size / bs))))
            for a, activation in enumerate(activations):
                model = MLP(
                    (part.n_features, *hidden, full.n_classes),
                    activation,
                    negative_slope=negative_slope,
                    seed=seed,
                )
                hist = train_on_split(
                    model, part, epochs=epochs, batch_size=bs, lr=lr, seed=seed, record_every=epochs
                )
                train_acc[a, n, s] = hist.train_acc[-1]
                test_acc[a, n, s] = hist.test_acc[-1]
    return OverfittingResult(
        dataset=dataset,
        activations=tuple(activations),
        train_sizes=tuple(int(n) for n in train_sizes),
        seeds=tuple(seeds),
        train_acc=train_acc,
        test_acc=test_acc,
    )
