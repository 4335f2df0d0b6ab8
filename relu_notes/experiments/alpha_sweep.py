"""Sweep the fixed Leaky ReLU slope ``alpha`` on several datasets: is the best alpha the same?

For each dataset, alpha and seed we train the same MLP (He init with the gain
``sqrt(2 / (1 + alpha^2))`` that matches alpha, Adam) and record the test accuracy.
``alpha = 0`` is ReLU; a negative alpha makes the activation non-monotone.

Ties are reported honestly: an alpha is *tied with the best* on a dataset when its mean test
accuracy is below the best mean by at most
``max(2 * sqrt(se_best^2 + se_alpha^2), 1 / n_test)`` -- two standard errors of the difference
over seeds, but never less than one test example.
"""

from dataclasses import dataclass

import numpy as np

from relu_notes.datasets import load_split
from relu_notes.experiments.stats import standard_error
from relu_notes.mlp import MLP, train_on_split

DEFAULT_ALPHAS = (-0.1, 0.0, 0.01, 0.1, 0.2, 0.3, 0.5)


@dataclass
class AlphaSweepResult:
    """``test_acc[d, a, s]`` and ``train_acc[d, a, s]``: dataset d, alpha a, seed s."""

    datasets: tuple
    alphas: tuple
    seeds: tuple
    n_test: tuple
    test_acc: np.ndarray
    train_acc: np.ndarray

    @property
    def mean(self):
        return self.test_acc.mean(axis=2)

    @property
    def sem(self):
        return standard_error(self.test_acc, axis=2)

    def best_alpha(self, dataset):
        """Alpha with the highest mean test accuracy (the smallest such alpha on exact ties)."""
        d = self.datasets.index(dataset)
        return self.alphas[int(np.argmax(self.mean[d]))]

    def tied_with_best(self, dataset):
        """Alphas whose mean accuracy is within noise of the best (rule in module docstring)."""
        d = self.datasets.index(dataset)
        m, se = self.mean[d], self.sem[d]
        b = int(np.argmax(m))
        tol = np.maximum(2 * np.sqrt(se[b] ** 2 + se**2), 1.0 / self.n_test[d]) + 1e-12
        return tuple(a for a, tied in zip(self.alphas, m[b] - m <= tol, strict=True) if tied)

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
            }
            for i, d in enumerate(self.datasets)
        ]


def run_alpha_sweep(
    datasets=("spirals", "wine", "iris"),
    alphas=DEFAULT_ALPHAS,
    *,
    seeds=(0, 1, 2),
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
        test_acc=test,
        train_acc=train_acc,
    )
