"""What PReLU learns, and whether learning it helps: alpha per layer, and the four arms' accuracy.

He et al. (2015, Sec. 2.1 and Table 1) report the coefficients learned by a deep ImageNet CNN:
the first conv layer learns large ones (0.681 channel-shared, 0.596 channel-wise), and deeper
layers mostly learn smaller ones. We train a deeper NumPy MLP (default: six hidden layers of 32
units on the UCI digits, Adam, 12 epochs) with PReLU initialised at ``alpha = 0.25`` (as in the
paper), once with one alpha per unit ("channel", the ``"prelu"`` arm) and once with one alpha per
layer ("shared", trained only for the alphas), and record every alpha after each epoch.

The same net is trained with every arm of :mod:`relu_notes.experiments.arms` (ReLU, Leaky ReLU
0.01, Leaky ReLU 0.25 and PReLU) and the same seeds, so test accuracies can be compared seed by
seed. Leaky ReLU 0.25 is the slope-size control: it has PReLU's initial slope without learning
it, so ``PReLU - Leaky 0.25`` isolates what learning alpha adds, while ``PReLU - Leaky 0.01``
mixes that with the slope's size.

Every per-seed accessor returns a float array aligned with ``result.seeds``. The depth trend is
the Spearman rank correlation between the layer index and the layer's mean alpha, per seed
(``-1``: strictly decreasing with depth, as in the paper's observation).
"""

from dataclasses import dataclass

import numpy as np

from relu_notes.datasets import load_split
from relu_notes.experiments.arms import ARMS, PRELU, PRELU_INIT, SEEDS, arm
from relu_notes.experiments.serial import PlainDict, nested_arrays
from relu_notes.experiments.stats import mean_interval, paired_interval
from relu_notes.mlp import train_on_split

MODES = ("channel", "shared")


def spearman(x, y):
    """Spearman rank correlation of two 1-D sequences without ties (Pearson of the ranks)."""
    rx = np.argsort(np.argsort(np.asarray(x))).astype(float)
    ry = np.argsort(np.argsort(np.asarray(y))).astype(float)
    rx, ry = rx - rx.mean(), ry - ry.mean()
    return float((rx @ ry) / np.sqrt((rx @ rx) * (ry @ ry)))


class LearnedAlphas(PlainDict):
    """Mixin for a result with learned PReLU slopes, per mode (``modes``), seed and layer.

    It reads ``alpha_mean[m, s, e, l]`` (mean alpha of layer l after epoch e) and
    ``alpha_final[m][s][l]`` (the final alphas of layer l), and restores ``alpha_final`` as
    arrays when the result is read back from its stored file.
    """

    @classmethod
    def from_dict(cls, data):
        result = super().from_dict(data)
        result.alpha_final = nested_arrays(result.alpha_final)
        return result

    def layer_means_per_seed(self, mode="channel"):
        """Final mean alpha per layer, shape ``(seeds, layers)``."""
        return self.alpha_mean[self.modes.index(mode), :, -1, :]

    def layer_means(self, mode="channel"):
        """Final mean alpha per layer (averaged over units and seeds)."""
        return self.layer_means_per_seed(mode).mean(axis=0)

    def _finals_per_seed(self, mode="channel"):
        return [np.concatenate(seed) for seed in self.alpha_final[self.modes.index(mode)]]

    def final_alphas(self, mode="channel"):
        """Every final alpha of ``mode``, all layers and seeds, as one flat array."""
        return np.concatenate(self._finals_per_seed(mode))

    def depth_trend(self, mode="channel"):
        """Per seed: Spearman correlation of layer index (first to last) and final mean alpha
        (-1: alpha strictly decreases with depth)."""
        means = self.layer_means_per_seed(mode)
        return np.array([spearman(np.arange(row.size), row) for row in means])

    def first_minus_last(self, mode="channel"):
        """Per seed: mean alpha of the first layer minus that of the last."""
        means = self.layer_means_per_seed(mode)
        return means[:, 0] - means[:, -1]


@dataclass
class PReLUAlphaResult(LearnedAlphas):
    """``alpha_mean[m, s, r, l]``: mean alpha of layer l, mode m, seed s, record (epoch) r.

    ``alpha_final[m][s][l]``: the final alpha array of layer l (shape ``(width,)`` channel-wise,
    ``(1,)`` shared). ``arm_accuracy[a, s]``: final test accuracy of arm a (names in ``arms``),
    seed s; ``mode_accuracy[m, s]``: the same for each PReLU mode (channel is the ``"prelu"``
    arm's run). ``settings``: the training settings (epochs, batch size, learning rate).
    """

    dataset: str
    hidden: tuple
    arms: tuple
    modes: tuple
    seeds: tuple
    prelu_init: float
    settings: dict
    epoch: np.ndarray
    alpha_mean: np.ndarray
    alpha_final: list
    arm_accuracy: np.ndarray
    mode_accuracy: np.ndarray

    # --- test accuracy, per seed -------------------------------------------------------------
    def test_acc(self, arm_name):
        """Final test accuracy of ``arm_name`` per seed (``"prelu"`` is channel-wise PReLU)."""
        return self.arm_accuracy[self.arms.index(arm_name)]

    def mode_test_acc(self, mode):
        """Final test accuracy of PReLU in ``mode`` (``"channel"`` or ``"shared"``) per seed."""
        return self.mode_accuracy[self.modes.index(mode)]

    @property
    def relu_test_acc(self):
        """The ReLU arm's test accuracy per seed (kept for chapter 3)."""
        return self.test_acc("relu")

    # --- learned alphas ----------------------------------------------------------------------
    def alpha_change(self, mode="channel"):
        """Per seed: the largest ``|alpha - prelu_init|`` over all final alphas of ``mode``."""
        return np.array([np.abs(a - self.prelu_init).max() for a in self._finals_per_seed(mode)])

    def unit_spread(self, mode="channel"):
        """Per seed: standard deviation of the final alphas over all units (channel-wise mode)
        or over the layers' single alphas (shared mode)."""
        return np.array([a.std() for a in self._finals_per_seed(mode)])

    # --- tables ------------------------------------------------------------------------------
    def summary(self):
        """One row per arm: mean test accuracy with its 95% t interval, and the paired
        difference ``PReLU - arm`` (same seeds) with its 95% t interval."""
        return [arm_row(self.test_acc, name, self.arms) for name in self.arms]

    def alpha_summary(self):
        """One row per PReLU mode: final layer means, depth trend and test accuracy."""
        return [
            {
                "mode": m,
                "layer_means": np.round(self.layer_means(m), 3).tolist(),
                "spearman_depth": round(float(self.depth_trend(m).mean()), 2),
                "first_minus_last": round(float(self.first_minus_last(m).mean()), 3),
                "test_acc": round(float(self.mode_test_acc(m).mean()), 3),
            }
            for m in self.modes
        ]


def arm_row(test_acc, name, arms):
    """A summary row for arm ``name``: mean test accuracy (95% t interval) and the paired
    difference ``PReLU - arm`` (95% t interval); ``test_acc(name)`` gives the per-seed values."""
    acc = mean_interval(test_acc(name))
    row = {"arm": name, "test_acc": f"{acc.mean:.3f} [{acc.low:.3f}, {acc.high:.3f}]"}
    if PRELU.name in arms and name != PRELU.name:
        row["prelu - arm"] = str(paired_interval(test_acc(PRELU.name), test_acc(name)))
    else:
        row["prelu - arm"] = ""
    return row


def _check(arms, modes):
    for mode in modes:
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, got {mode!r}")
    names = [arm(a).name for a in arms]
    if "channel" in modes and PRELU.name not in names:
        raise ValueError("the channel mode is the 'prelu' arm's run: include that arm")
    return names


def run_prelu_alpha(
    dataset="digits",
    *,
    hidden=(32,) * 6,
    arms=tuple(a.name for a in ARMS),
    modes=MODES,
    seeds=SEEDS,
    epochs=12,
    batch_size=64,
    lr=1e-2,
):
    """Train every arm (and shared-alpha PReLU) per seed, recording alphas.

    Seed ``s`` fixes the split, the initialisation (each arm with its own He gain) and the batch
    order, the same for every arm. Returns a :class:`PReLUAlphaResult`.
    """
    names = _check(arms, modes)
    n_layers = len(hidden)
    means = np.zeros((len(modes), len(seeds), epochs + 1, n_layers))
    finals = [[None] * len(seeds) for _ in modes]
    arm_acc = np.zeros((len(names), len(seeds)))
    mode_acc = np.zeros((len(modes), len(seeds)))
    kw = {"epochs": epochs, "batch_size": batch_size, "lr": lr}
    for s, seed in enumerate(seeds):
        split = load_split(dataset, seed=seed)
        sizes = (split.n_features, *hidden, split.n_classes)
        runs = [(name, {}) for name in names]
        if "shared" in modes:
            runs.append(("shared", {"prelu_shared": True}))
        for name, extra in runs:
            mode = "channel" if name == PRELU.name else name
            model = arm("prelu" if mode == "shared" else name).model(sizes, seed, **extra)
            every = 1 if mode in modes else epochs
            hist = train_on_split(model, split, seed=seed, record_every=every, **kw)
            if name in names:
                arm_acc[names.index(name), s] = hist.test_acc[-1]
            if mode in modes:
                m = modes.index(mode)
                mode_acc[m, s] = hist.test_acc[-1]
                means[m, s] = np.stack([traj.mean(axis=1) for traj in hist.alphas], axis=1)
                finals[m][s] = [a.copy() for a in model.alphas]
    return PReLUAlphaResult(
        dataset=dataset,
        hidden=tuple(hidden),
        arms=tuple(names),
        modes=tuple(modes),
        seeds=tuple(seeds),
        prelu_init=float(PRELU_INIT),
        settings={"epochs": epochs, "batch_size": batch_size, "lr": lr, "optimizer": "adam"},
        epoch=np.arange(epochs + 1),
        alpha_mean=means,
        alpha_final=finals,
        arm_accuracy=arm_acc,
        mode_accuracy=mode_acc,
    )
