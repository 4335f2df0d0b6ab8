"""Sweep the fixed Leaky ReLU slope ``alpha`` on several datasets: is the best alpha the same?

For each dataset, alpha and seed we train the same MLP (He init with the gain
``sqrt(2 / (1 + alpha^2))`` that matches alpha, Adam) and record the test accuracy.
``alpha = 0`` is ReLU; a negative alpha makes the activation non-monotone. Five seeds
(:data:`relu_notes.experiments.arms.SEEDS`); seed ``s`` fixes the split (and the synthetic
data), the initialisation and the batch order for every alpha, so alphas are compared seed by
seed.

Ties are decided by paired differences: on a dataset, an alpha is *tied with the best* (the
alpha with the highest mean test accuracy) when the 95% t interval of the paired differences
``best - alpha`` over seeds includes 0 (:func:`relu_notes.experiments.stats.paired_interval`).
Mind the resolution: one test example is ``1 / n_test`` of accuracy (1/45 = 0.022 on Iris).
"""

from dataclasses import dataclass

import numpy as np

from relu_notes.datasets import load_split
from relu_notes.experiments.arms import SEEDS
from relu_notes.experiments.serial import PlainDict
from relu_notes.experiments.stats import paired_interval, standard_error
from relu_notes.mlp import MLP, train_on_split

DEFAULT_ALPHAS = (-0.1, 0.0, 0.01, 0.1, 0.2, 0.3, 0.5)


@dataclass
class AlphaSweepResult(PlainDict):
    """``test_accuracy[d, a, s]`` and ``train_accuracy[d, a, s]``: dataset d, alpha a, seed s;
    ``n_test[d]``: test examples of dataset d; ``settings``: the training settings."""

    datasets: tuple
    alphas: tuple
    seeds: tuple
    n_test: tuple
    settings: dict
    test_accuracy: np.ndarray
    train_accuracy: np.ndarray

    def _alpha_index(self, alpha):
        hits = np.flatnonzero(np.isclose(self.alphas, alpha))
        if hits.size == 0:
            raise ValueError(f"no alpha {alpha}; the alphas are {self.alphas}")
        return int(hits[0])

    @property
    def mean(self):
        """Mean test accuracy over seeds, shape ``(datasets, alphas)``."""
        return self.test_accuracy.mean(axis=2)

    @property
    def sem(self):
        return standard_error(self.test_accuracy, axis=2)

    def test_acc(self, dataset, alpha):
        """Final test accuracy per seed on ``dataset`` with slope ``alpha``."""
        return self.test_accuracy[self.datasets.index(dataset), self._alpha_index(alpha)]

    def train_acc(self, dataset, alpha):
        """Final training accuracy per seed on ``dataset`` with slope ``alpha``."""
        return self.train_accuracy[self.datasets.index(dataset), self._alpha_index(alpha)]

    def best_alpha(self, dataset):
        """Alpha with the highest mean test accuracy (the first in ``alphas`` on exact ties)."""
        d = self.datasets.index(dataset)
        return self.alphas[int(np.argmax(self.mean[d]))]

    def interval_vs_best(self, dataset, alpha):
        """Paired 95% t interval of ``test_acc(best) - test_acc(alpha)`` over seeds."""
        best = self.test_acc(dataset, self.best_alpha(dataset))
        return paired_interval(best, self.test_acc(dataset, alpha))

    def tied_with_best(self, dataset):
        """Alphas whose paired interval against the best alpha includes 0 (the best included)."""
        return tuple(a for a in self.alphas if self.interval_vs_best(dataset, a).low <= 0.0)

    def common_alphas(self):
        """Alphas tied with the best on *every* dataset (empty: no single alpha fits all)."""
        sets = [set(self.tied_with_best(d)) for d in self.datasets]
        return tuple(a for a in self.alphas if all(a in s for s in sets))

    def summary(self):
        return [
            {
                "dataset": d,
                "best_alpha": self.best_alpha(d),
                "best_mean_acc": round(float(self.mean[i].max()), 3),
                "tied_with_best": self.tied_with_best(d),
                "worst_alpha": self.alphas[int(np.argmin(self.mean[i]))],
                "worst_mean_acc": round(float(self.mean[i].min()), 3),
                "one_test_example": round(1.0 / self.n_test[i], 3),
            }
            for i, d in enumerate(self.datasets)
        ]


def run_alpha_sweep(
    datasets=("spirals", "wine", "iris"),
    alphas=DEFAULT_ALPHAS,
    *,
    seeds=SEEDS,
    hidden=(32, 32),
    epochs=40,
    batch_size=64,
    lr=2e-2,
):
    """Train one MLP per (dataset, alpha, seed); returns an AlphaSweepResult.

    Seed ``s`` fixes the split (and the synthetic data), the initialization and the batch
    order, shared across alphas so that only alpha changes within a column.
    """
    test = np.zeros((len(datasets), len(alphas), len(seeds)))
    train_acc = np.zeros_like(test)
    n_test = []
    for d, name in enumerate(datasets):
        for s, seed in enumerate(seeds):
            split = load_split(name, seed=seed)
            sizes = (split.n_features, *hidden, split.n_classes)
            for a, alpha in enumerate(alphas):
                model = MLP(sizes, "leaky_relu", negative_slope=alpha, seed=seed)
                hist = train_on_split(
                    model,
                    split,
                    epochs=epochs,
                    batch_size=batch_size,
                    lr=lr,
                    seed=seed,
                    record_every=epochs,
                )
                test[d, a, s] = hist.test_acc[-1]
                train_acc[d, a, s] = hist.train_acc[-1]
        n_test.append(int(split.y_test.size))
    return AlphaSweepResult(
        datasets=tuple(datasets),
        alphas=tuple(float(a) for a in alphas),
        seeds=tuple(seeds),
        n_test=tuple(n_test),
        settings={
            "hidden": list(hidden),
            "epochs": epochs,
            "batch_size": batch_size,
            "lr": lr,
            "optimizer": "adam",
        },
        test_accuracy=test,
        train_accuracy=train_acc,
    )
