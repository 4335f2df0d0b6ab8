"""What PReLU learns in a small CNN, and whether learning it helps: He et al.'s claims, tested.

He et al. (2015, Sec. 2.1 and Table 1) trained a model with 14 weight layers on ImageNet with
PReLU (alpha initialised at 0.25, updated with momentum and *without* weight decay) and report
the learned coefficients: conv1 learns large ones (0.681 channel-shared, 0.596 channel-wise),
and in the channel-wise version the deeper conv layers mostly learn smaller ones.

Here the NumPy CNN of :mod:`relu_notes.cnn` (default: 4 conv layers of 8 channels, 3x3,
a 2x2 max pool after the first, global average pooling, a linear classifier) is trained on the
8x8 UCI digits (about 1,260 training images, pixels standardized by the training set's mean and
std) with SGD + momentum 0.9 and weight decay 5e-4 on the weights, for 12 epochs (learning
rate divided by 10 after the 8th). Runs, with the same seeds (seed ``s`` fixes the split, the
initialisation with each run's own He gain, and the batch order):

* the four arms of :mod:`relu_notes.experiments.arms`: ReLU, Leaky ReLU 0.01, Leaky ReLU 0.25
  (the control: PReLU's initial slope, not learned) and channel-wise PReLU (mode ``"channel"``);
* PReLU with one alpha per layer (mode ``"shared"``, run ``"prelu_shared"``);
* channel-wise PReLU with weight decay on alpha too (mode ``"channel_decay"``, run
  ``"prelu_decay"``; by default the same coefficient as the weights', what an optimizer applying
  its weight decay to every parameter does). He et al. exclude alpha from decay because it pulls
  alpha toward 0, i.e. toward ReLU.

**How far this is from the paper.** Depth 4 (``len(channels)``, all conv) against 14 weight
layers; 8 channels against 64 to 512 filters; 8x8 grey digits (10 classes, ~1,260 training
images) against 224x224 colour crops of ImageNet (1000 classes, 1.2 million images); 12 epochs
of ~20 steps against a full ImageNet schedule. A few-layer CNN on 8x8 digits can check that the
mechanism behaves as described at a small scale (do alphas move away from 0.25, does the first
layer learn larger ones, does decay pull them down); it cannot confirm or refute what deep CNNs
learn. The depth trend here is a Spearman correlation over only ``depth`` layer means (with 4
layers it takes values in steps of 0.2).

**Budget.** At the default 12 epochs the ReLU and Leaky ReLU runs have not converged (their
final training loss is higher than PReLU's), so accuracy differences mix speed of learning with
final quality; ``epochs=30, lr_drops=(20,)`` (about a minute) is the longer check. A run that
diverges stops the experiment (PReLU refuses a non-finite alpha); at ``lr=0.05`` the shared
mode diverged for one of the five seeds, hence the default 0.03.

Every per-seed accessor returns a float array aligned with ``result.seeds``; intervals are 95%
Student-t over the seeds, differences between runs are paired by seed.
"""

from dataclasses import dataclass

import numpy as np

from relu_notes.cnn import CNN, train_cnn
from relu_notes.datasets import Split, load_split
from relu_notes.experiments.arms import ARMS, PRELU, PRELU_INIT, SEEDS, arm
from relu_notes.experiments.prelu_alpha import LearnedAlphas, arm_row
from relu_notes.experiments.stats import mean_interval, paired_interval

MODES = ("channel", "shared", "channel_decay")
MODE_RUNS = {"channel": PRELU.name, "shared": "prelu_shared", "channel_decay": "prelu_decay"}
"""The run that trains each PReLU mode (``"channel"`` is the ``"prelu"`` arm's run)."""
RUN_LABELS = {
    "prelu_shared": "PReLU shared (starts at 0.25)",
    "prelu_decay": "PReLU with decay on alpha",
}
DEFAULTS = {
    "channels": (8, 8, 8, 8),
    "pool": "max",
    "pool_after": 0,
    "epochs": 12,
    "lr_drops": (8,),
    "batch_size": 64,
    "lr": 0.03,
    "momentum": 0.9,
    "weight_decay": 5e-4,
    "alpha_decay": 5e-4,
    "dtype": "float32",
}
"""The default settings of :func:`run_cnn_alpha` (15-20 s on one core: 30 runs of 12 epochs)."""


def image_split(dataset="digits", seed=0):
    """The dataset's seeded train/test split with every pixel standardized by one mean and one
    std, those of the training set (per-pixel standardization would break the translation
    equivariance a convolution assumes)."""
    split = load_split(dataset, seed=seed, standardize=False)
    mean, std = split.X_train.mean(), split.X_train.std()
    return Split(
        (split.X_train - mean) / std, (split.X_test - mean) / std, split.y_train, split.y_test
    )


def run_label(name):
    """Label of a run for tables and figures."""
    return RUN_LABELS.get(name) or arm(name).label


@dataclass
class CNNAlphaResult(LearnedAlphas):
    """``alpha_mean[m, s, e, l]``: mean alpha of conv layer l, mode m, seed s, after epoch e
    (e = 0: the initial 0.25). ``alpha_final[m][s][l]``: the final alphas of layer l (shape
    ``(channels[l],)`` channel-wise, ``(1,)`` shared). ``test_accuracy[r, s]`` and
    ``train_loss[r, s]`` (final objective on the training set): run r of :attr:`runs`, seed s.
    ``settings``: the training settings."""

    dataset: str
    channels: tuple
    arms: tuple
    modes: tuple
    seeds: tuple
    prelu_init: float
    settings: dict
    epoch: np.ndarray
    alpha_mean: np.ndarray
    alpha_final: list
    test_accuracy: np.ndarray
    train_loss: np.ndarray

    @property
    def depth(self):
        """Number of conv layers."""
        return len(self.channels)

    @property
    def architecture(self):
        """What kind of network this is, for the ledger's rules (``"cnn"``)."""
        return "cnn"

    @property
    def runs(self):
        """The arms, then the extra PReLU runs of the modes (``prelu_shared``, ``prelu_decay``)."""
        return self.arms + tuple(MODE_RUNS[m] for m in self.modes if m != "channel")

    # --- test accuracy, per seed -------------------------------------------------------------
    def test_acc(self, name):
        """Final test accuracy of run ``name`` (an arm or an extra PReLU run) per seed."""
        return self.test_accuracy[self.runs.index(name)]

    def mode_test_acc(self, mode):
        """Final test accuracy of PReLU in ``mode`` per seed."""
        return self.test_acc(MODE_RUNS[mode])

    def paired(self, a, b):
        """Paired difference ``test_acc(a) - test_acc(b)`` over the seeds, with its t interval."""
        return paired_interval(self.test_acc(a), self.test_acc(b))

    # --- learned alphas ----------------------------------------------------------------------
    def layer_intervals(self, mode="channel"):
        """Per conv layer, the mean over seeds of its final mean alpha with a 95% t interval."""
        return [mean_interval(column) for column in self.layer_means_per_seed(mode).T]

    def mean_alpha(self, mode="channel"):
        """Per seed: the mean of the layers' final mean alphas."""
        return self.layer_means_per_seed(mode).mean(axis=1)

    # --- tables ------------------------------------------------------------------------------
    def summary(self):
        """One row per run: mean test accuracy with its 95% t interval, and the paired
        difference ``PReLU - run`` (same seeds) with its 95% t interval."""
        rows = []
        for name in self.runs:
            row = arm_row(self.test_acc, name, self.runs)
            rows.append(
                {"run": name, "label": run_label(name), **{k: row[k] for k in row if k != "arm"}}
            )
        return rows

    def alpha_summary(self):
        """One row per PReLU mode: final layer means, depth trend and first-minus-last (mean
        over seeds with 95% t interval), mean test accuracy."""
        return [
            {
                "mode": m,
                "layer_means": np.round(self.layer_means(m), 3).tolist(),
                "spearman_depth": str(mean_interval(self.depth_trend(m))),
                "first_minus_last": str(mean_interval(self.first_minus_last(m))),
                "test_acc": round(float(self.mode_test_acc(m).mean()), 3),
            }
            for m in self.modes
        ]


def _check(arms, modes):
    for mode in modes:
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, got {mode!r}")
    names = tuple(arm(a).name for a in arms)
    if "channel" in modes and PRELU.name not in names:
        raise ValueError("the channel mode is the 'prelu' arm's run: include that arm")
    return names


def _model(name, split, seed, net, alpha_decay):
    """The CNN of run ``name`` (He gain of its slope; the weight decay of ``net``)."""
    extra = {"prelu_shared": name == "prelu_shared"}
    if name == "prelu_decay":
        extra["alpha_decay"] = alpha_decay
    spec = PRELU if name in ("prelu_shared", "prelu_decay") else arm(name)
    return CNN(
        n_classes=split.n_classes,
        activation=spec.activation,
        negative_slope=spec.slope,
        prelu_init=spec.slope,
        seed=seed,
        **net,
        **extra,
    )


def run_cnn_alpha(
    dataset="digits",
    *,
    channels=DEFAULTS["channels"],
    pool=DEFAULTS["pool"],
    pool_after=DEFAULTS["pool_after"],
    arms=tuple(a.name for a in ARMS),
    modes=MODES,
    seeds=SEEDS,
    epochs=DEFAULTS["epochs"],
    lr_drops=DEFAULTS["lr_drops"],
    batch_size=DEFAULTS["batch_size"],
    lr=DEFAULTS["lr"],
    momentum=DEFAULTS["momentum"],
    weight_decay=DEFAULTS["weight_decay"],
    alpha_decay=DEFAULTS["alpha_decay"],
    dtype=DEFAULTS["dtype"],
):
    """Train every run per seed with SGD + momentum, recording the alphas after every epoch.

    ``weight_decay`` applies to the conv and classifier weights of every run; ``alpha_decay``
    to the alphas of the ``"channel_decay"`` run only. ``dtype``: of the networks (float32, as
    on GPUs, trains about twice as fast as float64 here). Returns a :class:`CNNAlphaResult`.
    """
    names = _check(arms, modes)
    runs = names + tuple(MODE_RUNS[m] for m in modes if m != "channel")
    mode_of = {MODE_RUNS[m]: m for m in modes}
    net = {"channels": tuple(channels), "pool": pool, "pool_after": pool_after}
    net.update(weight_decay=weight_decay, dtype=dtype)
    means = np.zeros((len(modes), len(seeds), epochs + 1, len(channels)))
    finals = [[None] * len(seeds) for _ in modes]
    accuracy = np.zeros((len(runs), len(seeds)))
    loss = np.zeros((len(runs), len(seeds)))
    train = {"epochs": epochs, "batch_size": batch_size, "lr": lr, "momentum": momentum}
    train["lr_drops"] = tuple(lr_drops)
    for s, seed in enumerate(seeds):
        split = image_split(dataset, seed)
        for r, name in enumerate(runs):
            model = _model(name, split, seed, net, alpha_decay)
            hist = train_cnn(model, split, seed=seed, record_every=epochs, **train)
            accuracy[r, s], loss[r, s] = hist.test_acc[-1], hist.loss[-1]
            if name in mode_of:
                m = modes.index(mode_of[name])
                means[m, s] = np.stack([traj.mean(axis=1) for traj in hist.alphas], axis=1)
                finals[m][s] = [a.copy() for a in model.alphas]
    settings = {**train, "optimizer": "sgd", "weight_decay": weight_decay}
    settings.update(alpha_decay=alpha_decay, pool=pool, pool_after=pool_after, dtype=dtype)
    return CNNAlphaResult(
        dataset=dataset,
        channels=tuple(channels),
        arms=names,
        modes=tuple(modes),
        seeds=tuple(seeds),
        prelu_init=float(PRELU_INIT),
        settings=settings,
        epoch=np.arange(epochs + 1),
        alpha_mean=means,
        alpha_final=finals,
        test_accuracy=accuracy,
        train_loss=loss,
    )
