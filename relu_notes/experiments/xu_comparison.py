"""Xu et al. (2015)'s comparison, as they made it: fixed, learned and random negative slopes.

Xu, Wang, Chen and Li ("Empirical Evaluation of Rectified Activations in Convolutional
Network", 2015) train the same CNNs with ReLU, Leaky ReLU (slope 0.01 and 1/5.5), PReLU and
RReLU, and conclude that on small data the fixed and the learned slopes overfit (PReLU has the
lowest training error but not the lowest test error) while RReLU's random slope helps. Their
RReLU divides by ``a ~ U(3, 8)`` in training and by 5.5 at test time; torch's RReLU draws the
slope itself uniformly from ``[1/8, 1/3]`` and tests with the mean, 0.229 (see
:class:`relu_notes.mlp.RReLUSlopes`). Both are trained here, each beside a fixed slope of the
same size:

* ``rrelu_xu`` - ``leaky_0.18`` (Leaky ReLU 1/5.5, Xu's test-time slope): what the randomness
  adds, slope size held fixed;
* ``rrelu_torch`` - ``leaky_0.25``: the nearest fixed control of torch's RReLU (eval slope
  0.229, not 0.25; ``leaky_0.25 - leaky_0.18`` shows how much such a slope difference moves);
* ``prelu`` - ``leaky_0.25``: what learning the slope adds (PReLU starts at 0.25).

**Setting, and why.** Overfitting has to be visible, so the measure is a *loss-based gap*: the
cross-entropy on the test set minus the cross-entropy on the training set, both at the end and
in eval mode (RReLU with its fixed test-time slope, as Xu test it). That gap only says more than
the test loss while the training loss has not gone to zero, i.e. while training accuracy is
below 1 (the weakness of :mod:`relu_notes.experiments.overfitting`, where every arm memorises
its subset). Measured with the MLP of that experiment (two hidden layers of 64, Adam, lr 3e-3,
batch 32), 5 seeds, every arm:

* ``breast_cancer`` subsets are memorised quickly: at n = 100, 51% of the runs reach training
  accuracy 1 within 30 steps and 86% within 50; at n = 200, 86% within 100 steps; even the
  whole training set (398) is memorised by every run within 200 steps. Before that the
  training loss is small (0.02 to 0.05) and the gap is about 0.1.
* ``digits`` subsets of 300 examples (30 per class) trained for 50 steps (5 epochs): no arm
  reaches training accuracy 1 on any seed (0.963 to 0.993), and the gap is large and clearly
  positive (training loss 0.11 to 0.14, test loss 0.43 to 0.48; accuracy 0.98 against 0.90).
  With 80 to 100 steps the training accuracy is 0.993 to 1 again; with 200 examples and 50
  steps, 0.985 to 1.

So the default is ``digits``, 300 training examples, 50 Adam steps: small data, a clear gap,
no saturated training accuracy (check with :meth:`XuComparisonResult.memorised`), 1 to 3 s.
Differences between arms are paired by seed (seed ``s`` fixes the split, the subset, the
initialisation with each arm's own He gain, the batches and RReLU's slopes).
"""

from dataclasses import dataclass

import numpy as np

from relu_notes.datasets import load_split, subsample
from relu_notes.experiments.arms import LEAKY, LEAKY_CONTROL, PRELU, RELU, SEEDS, Arm
from relu_notes.experiments.serial import PlainDict
from relu_notes.experiments.stats import mean_interval, paired_interval
from relu_notes.mlp import MLP, RReLUSlopes, train_on_split

XU_TEST_SLOPE = 1.0 / 5.5
"""Xu et al.'s test-time slope: RReLU divides by the mean of ``a ~ U(3, 8)``."""


@dataclass(frozen=True)
class RReLUArm(Arm):
    """An RReLU arm: ``slope`` is its eval-mode (test-time) slope, ``variant`` how it draws
    its training slopes (``"torch"`` or ``"xu"``, see :class:`relu_notes.mlp.RReLUSlopes`)."""

    variant: str = "torch"

    def model(self, sizes, seed, **kwargs):
        """An RReLU :class:`~relu_notes.mlp.MLP` (He gain of the eval slope)."""
        return MLP(sizes, "rrelu", rrelu_variant=self.variant, seed=seed, **kwargs)


LEAKY_XU = Arm("leaky_0.18", "Leaky ReLU 1/5.5 (RReLU-Xu's control)", "leaky_relu", XU_TEST_SLOPE)
RRELU_TORCH = RReLUArm(
    "rrelu_torch",
    "RReLU, torch (slope ~ U(1/8, 1/3), test 0.229)",
    "rrelu",
    RReLUSlopes("torch").eval_slope,
    "torch",
)
RRELU_XU = RReLUArm(
    "rrelu_xu", "RReLU, Xu (x / a, a ~ U(3, 8), test x / 5.5)", "rrelu", XU_TEST_SLOPE, "xu"
)
XU_ARMS = (RELU, LEAKY, LEAKY_XU, LEAKY_CONTROL, PRELU, RRELU_TORCH, RRELU_XU)
"""The arms of Xu et al.'s comparison, with the fixed-slope controls, in this order."""

COMPARISONS = (
    ("rrelu_xu", "leaky_0.18", "RReLU-Xu − Leaky 1/5.5 (randomness)"),
    ("rrelu_torch", "leaky_0.25", "RReLU-torch − Leaky 0.25 (randomness)"),
    ("rrelu_xu", "rrelu_torch", "RReLU-Xu − RReLU-torch (definition)"),
    ("prelu", "leaky_0.25", "PReLU − Leaky 0.25 (learning)"),
    ("rrelu_xu", "prelu", "RReLU-Xu − PReLU (Xu's claim)"),
    ("prelu", "relu", "PReLU − ReLU"),
    ("leaky_0.25", "leaky_0.18", "Leaky 0.25 − Leaky 1/5.5 (slope size)"),
)
"""``(arm, baseline, label)``: the paired differences the comparison is read from."""

METRICS = ("test_acc", "train_acc", "loss_gap", "test_loss", "train_loss")


def xu_arm(name):
    """The arm called ``name`` (one of :data:`XU_ARMS`)."""
    for candidate in XU_ARMS:
        if candidate.name == name:
            return candidate
    raise ValueError(f"no arm {name!r}; the arms are {[a.name for a in XU_ARMS]}")


def _interval_text(interval, digits=3):
    return f"{interval.mean:.{digits}f} [{interval.low:.{digits}f}, {interval.high:.{digits}f}]"


@dataclass
class XuComparisonResult(PlainDict):
    """Final values per arm and seed, ``[a, s]`` (arm names in ``arms``, seeds in ``seeds``).

    ``train_accuracy`` / ``test_accuracy``: accuracy on the training subset / the test set;
    ``train_cross_entropy`` / ``test_cross_entropy``: mean cross-entropy on them; all in eval
    mode. ``settings``:
    hidden sizes, steps, epochs, batch size, learning rate, optimizer.
    """

    dataset: str
    train_size: int
    arms: tuple
    seeds: tuple
    settings: dict
    train_accuracy: np.ndarray
    test_accuracy: np.ndarray
    train_cross_entropy: np.ndarray
    test_cross_entropy: np.ndarray

    def _row(self, values, arm_name):
        return values[self.arms.index(arm_name)]

    def test_acc(self, arm_name):
        """Final test accuracy per seed."""
        return self._row(self.test_accuracy, arm_name)

    def train_acc(self, arm_name):
        """Final training accuracy per seed (on the examples it was trained on)."""
        return self._row(self.train_accuracy, arm_name)

    def test_loss(self, arm_name):
        """Final test cross-entropy per seed."""
        return self._row(self.test_cross_entropy, arm_name)

    def train_loss(self, arm_name):
        """Final training cross-entropy per seed, in eval mode."""
        return self._row(self.train_cross_entropy, arm_name)

    def loss_gap(self, arm_name):
        """``test cross-entropy - training cross-entropy`` per seed: the overfitting measure."""
        return self.test_loss(arm_name) - self.train_loss(arm_name)

    def metric(self, name, arm_name):
        """Per-seed values of metric ``name`` (one of :data:`METRICS`) for ``arm_name``."""
        if name not in METRICS:
            raise ValueError(f"metric must be one of {METRICS}, got {name!r}")
        return getattr(self, name)(arm_name)

    def interval(self, name, arm_name):
        """Mean of metric ``name`` over seeds with its 95% t interval."""
        return mean_interval(self.metric(name, arm_name))

    def paired(self, name, arm_name, baseline):
        """``arm - baseline`` of metric ``name``, paired by seed, with its 95% t interval."""
        return paired_interval(self.metric(name, arm_name), self.metric(name, baseline))

    def memorised(self):
        """``True`` if some arm reached training accuracy 1 on every seed (its gap then is
        little more than its test loss)."""
        return bool(np.any(np.all(self.train_accuracy == 1.0, axis=1)))

    def summary(self):
        """One row per arm: test accuracy and loss gap (means with 95% t intervals), mean
        training accuracy and mean training and test cross-entropy."""
        rows = []
        for name in self.arms:
            rows.append(
                {
                    "arm": name,
                    "test_acc": _interval_text(self.interval("test_acc", name)),
                    "loss_gap": _interval_text(self.interval("loss_gap", name)),
                    "train_acc": round(float(self.train_acc(name).mean()), 3),
                    "train_loss": round(float(self.train_loss(name).mean()), 3),
                    "test_loss": round(float(self.test_loss(name).mean()), 3),
                }
            )
        return rows

    def comparisons(self):
        """:data:`COMPARISONS` (those whose arms were trained) as rows: the paired differences
        of loss gap, test accuracy and training loss, each with its 95% t interval."""
        rows = []
        for arm_name, baseline, label in COMPARISONS:
            if arm_name in self.arms and baseline in self.arms:
                row = {"comparison": label}
                for name in ("loss_gap", "test_acc", "train_loss"):
                    row[name] = str(self.paired(name, arm_name, baseline))
                rows.append(row)
        return rows


def run_xu_comparison(
    dataset="digits",
    *,
    train_size=300,
    arms=tuple(a.name for a in XU_ARMS),
    seeds=SEEDS,
    hidden=(64, 64),
    steps=50,
    batch_size=32,
    lr=3e-3,
):
    """Train every (arm, seed) for at least ``steps`` Adam steps on a stratified subset of
    ``train_size`` training examples (``None``: all); returns the final accuracies and losses.

    Seed ``s`` fixes the split, the subset, the initialisation (each arm with its own He gain,
    RReLU with that of its eval slope), the batch order and RReLU's slopes.
    """
    names = [xu_arm(a).name for a in arms]
    shape = (len(names), len(seeds))
    values = {k: np.zeros(shape) for k in ("train_acc", "test_acc", "train_loss", "test_loss")}
    epochs = 1
    for s, seed in enumerate(seeds):
        full = load_split(dataset, seed=seed)
        part = full if train_size is None else subsample(full, train_size, seed=seed)
        n = part.X_train.shape[0]
        bs = min(batch_size, n)
        epochs = max(1, int(np.ceil(steps / np.ceil(n / bs))))
        for a, name in enumerate(names):
            model = xu_arm(name).model((part.n_features, *hidden, full.n_classes), seed)
            hist = train_on_split(
                model, part, epochs=epochs, batch_size=bs, lr=lr, seed=seed, record_every=epochs
            )
            values["train_acc"][a, s] = hist.train_acc[-1]
            values["test_acc"][a, s] = hist.test_acc[-1]
            values["train_loss"][a, s] = hist.loss[-1]
            values["test_loss"][a, s] = model.loss(part.X_test, part.y_test)
    return XuComparisonResult(
        dataset=dataset,
        train_size=int(n),
        arms=tuple(names),
        seeds=tuple(seeds),
        settings={
            "hidden": list(hidden),
            "steps": steps,
            "epochs": epochs,
            "batch_size": batch_size,
            "lr": lr,
            "optimizer": "adam",
        },
        train_accuracy=values["train_acc"],
        test_accuracy=values["test_acc"],
        train_cross_entropy=values["train_loss"],
        test_cross_entropy=values["test_loss"],
    )
