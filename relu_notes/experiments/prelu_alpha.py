"""What PReLU learns: alpha trajectories per layer, channel-wise vs shared.

He et al. (2015, Sec. 2.1 and Table 1) report the coefficients learned by a deep ImageNet CNN:
the first conv layer learns large ones (0.681 channel-shared, 0.596 channel-wise), and deeper
layers mostly learn smaller ones. We train a deeper NumPy MLP
(default: six hidden layers of 32 units on the UCI digits, Adam) with PReLU initialized at
``alpha = 0.25`` (as in the paper), once with one alpha per unit ("channel-wise") and once with
one alpha per layer ("shared"), and record every alpha after each epoch. The same net with
ReLU (same seeds) is trained as a baseline for test accuracy.

The trend is summarized by the Spearman rank correlation between the layer index and the
layer's mean alpha (``-1``: strictly decreasing with depth, as in the paper's observation).
"""

from dataclasses import dataclass

import numpy as np

from relu_notes.datasets import load_split
from relu_notes.mlp import MLP, train_on_split

MODES = ("channel", "shared")


def spearman(x, y):
    """Spearman rank correlation of two 1-D sequences without ties (Pearson of the ranks)."""
    rx = np.argsort(np.argsort(np.asarray(x))).astype(float)
    ry = np.argsort(np.argsort(np.asarray(y))).astype(float)
    rx, ry = rx - rx.mean(), ry - ry.mean()
    return float((rx @ ry) / np.sqrt((rx @ rx) * (ry @ ry)))


@dataclass
class PReLUAlphaResult:
    """``alpha_mean[m, s, r, l]``: mean alpha of layer l, mode m, seed s, record (epoch) r.

    ``test_acc[m, s]``: final test accuracy; ``relu_test_acc[s]``: the ReLU baseline's.

    ``alpha_final[m][s][l]`` holds the final alpha array of layer l (shape ``(width,)`` for
    channel-wise, ``(1,)`` for shared).
    """

    dataset: str
    hidden: tuple
    modes: tuple
    seeds: tuple
    prelu_init: float
    epoch: np.ndarray
    alpha_mean: np.ndarray
    alpha_final: list
    test_acc: np.ndarray
    relu_test_acc: np.ndarray

    def layer_means(self, mode):
        """Final mean alpha per hidden layer (averaged over units and seeds)."""
        return self.alpha_mean[self.modes.index(mode), :, -1, :].mean(axis=0)

    def final_alphas(self, mode):
        """Every final alpha of ``mode``, all layers and seeds, as one flat array."""
        finals = self.alpha_final[self.modes.index(mode)]
        return np.concatenate([np.concatenate(seed) for seed in finals])

    def depth_trend(self, mode):
        """Spearman correlation between layer index (1 = first) and final mean alpha."""
        means = self.layer_means(mode)
        return spearman(np.arange(means.size), means)

    def summary(self):
        return [
            {
                "mode": m,
                "layer_means": np.round(self.layer_means(m), 3).tolist(),
                "spearman_depth": round(self.depth_trend(m), 2),
                "first_minus_last": round(
                    float(self.layer_means(m)[0] - self.layer_means(m)[-1]), 3
                ),
                "test_acc": round(float(self.test_acc[i].mean()), 3),
                "relu_test_acc": round(float(self.relu_test_acc.mean()), 3),
            }
            for i, m in enumerate(self.modes)
        ]


def run_prelu_alpha(
    dataset="digits",
    *,
    hidden=(32,) * 6,
    modes=MODES,
    seeds=(0, 1),
    epochs=12,
    batch_size=64,
    lr=1e-2,
    prelu_init=0.25,
):
    """Train a PReLU MLP per mode and seed, recording alphas; returns a PReLUAlphaResult."""
    n_layers = len(hidden)
    means = np.zeros((len(modes), len(seeds), epochs + 1, n_layers))
    finals = []
    test_acc = np.zeros((len(modes), len(seeds)))
    relu_acc = np.zeros(len(seeds))

    def fit(seed, **model_kwargs):
        split = load_split(dataset, seed=seed)
        model = MLP((split.n_features, *hidden, split.n_classes), seed=seed, **model_kwargs)
        hist = train_on_split(model, split, epochs=epochs, batch_size=batch_size, lr=lr, seed=seed)
        return model, hist

    for s, seed in enumerate(seeds):
        relu_acc[s] = fit(seed, activation="relu")[1].test_acc[-1]
    for m, mode in enumerate(modes):
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, got {mode!r}")
        finals.append([])
        for s, seed in enumerate(seeds):
            model, hist = fit(
                seed, activation="prelu", prelu_init=prelu_init, prelu_shared=(mode == "shared")
            )
            for layer, traj in enumerate(hist.alphas):
                means[m, s, :, layer] = traj.mean(axis=1)
            finals[-1].append([a.copy() for a in model.alphas])
            test_acc[m, s] = hist.test_acc[-1]
    return PReLUAlphaResult(
        dataset=dataset,
        hidden=tuple(hidden),
        modes=tuple(modes),
        seeds=tuple(seeds),
        prelu_init=float(prelu_init),
        epoch=np.arange(epochs + 1),
        alpha_mean=means,
        alpha_final=finals,
        test_acc=test_acc,
        relu_test_acc=relu_acc,
    )
