"""Figure for Xu et al. (2015)'s comparison (:mod:`relu_notes.experiments.xu_comparison`).

Like the other experiment figures: a pyplot-free :class:`matplotlib.figure.Figure` of fixed size
and dpi, nothing random drawn (per-seed points are spread by fixed offsets), colours from the
Okabe-Ito palette of :mod:`relu_notes.plotting.style` with one marker per arm. Intervals are 95%
Student-t intervals over seeds; differences between arms are paired by seed.
"""

from matplotlib.figure import Figure

from relu_notes.experiments.xu_comparison import COMPARISONS
from relu_notes.plotting.style import (
    ARM_COLORS,
    ARM_MARKERS,
    BOOK_WIDTH,
    DPI,
    OKABE_ITO,
    seeds_and_interval,
    styled,
)

XU_ARM_STYLE = {
    "relu": ("ReLU", ARM_COLORS["relu"], ARM_MARKERS["relu"]),
    "leaky_0.01": ("Leaky 0.01", ARM_COLORS["leaky_0.01"], ARM_MARKERS["leaky_0.01"]),
    "leaky_0.18": ("Leaky 1/5.5", OKABE_ITO[5], "v"),
    "leaky_0.25": ("Leaky 0.25", ARM_COLORS["leaky_0.25"], ARM_MARKERS["leaky_0.25"]),
    "prelu": ("PReLU", ARM_COLORS["prelu"], ARM_MARKERS["prelu"]),
    "rrelu_torch": ("RReLU torch", OKABE_ITO[4], "P"),
    "rrelu_xu": ("RReLU Xu", OKABE_ITO[6], "X"),
}
"""Short label, colour and marker of each arm of the comparison."""

_METRIC_LABELS = {
    "loss_gap": "loss gap (test CE − train CE)",
    "test_acc": "test accuracy",
}


def _per_arm_panel(ax, result, metric):
    """Per-seed values (small, faint points) and the mean with its 95% t interval per arm."""
    arms = result.arms
    for i, name in enumerate(arms):
        _, color, marker = XU_ARM_STYLE[name]
        values = result.metric(metric, name)
        seeds_and_interval(ax, i, values, color, marker, spread=0.3, points_at=-0.1, mean_at=0.25)
    labels = [XU_ARM_STYLE[a][0] for a in arms]
    ax.set_xticks(range(len(arms)), labels, fontsize=7, rotation=35, ha="right")
    ax.set_xlim(-0.5, len(arms) - 0.4)
    ax.set_xlabel("arm")
    ax.set_ylabel(_METRIC_LABELS[metric])


def _comparisons(result):
    return [c for c in COMPARISONS if c[0] in result.arms and c[1] in result.arms]


def _difference_panel(ax, result, metric, show_labels):
    """Paired differences ``arm - baseline`` of ``metric`` (95% t), one row per comparison."""
    comparisons = _comparisons(result)
    for row, (arm_name, baseline, _) in enumerate(comparisons):
        ci = result.paired(metric, arm_name, baseline)
        _, color, marker = XU_ARM_STYLE[arm_name]
        err = [[ci.mean - ci.low], [ci.high - ci.mean]]
        ax.errorbar(ci.mean, row, xerr=err, fmt=marker, color=color, capsize=3, ms=5)
    ax.axvline(0.0, color="black", linewidth=0.8)
    ax.set_yticks(range(len(comparisons)), [c[2] for c in comparisons] if show_labels else [])
    ax.tick_params(axis="y", labelsize=6.5)
    ax.set_ylim(len(comparisons) - 0.5, -0.5)
    ax.set_xlabel(f"difference in {_METRIC_LABELS[metric]}")
    ax.set_ylabel("paired comparison (arm − baseline)")


@styled
def plot_xu_comparison(result):
    """Loss gap and test accuracy per arm (per-seed points, means with 95% t intervals), and
    below them the paired differences that separate randomness, learning and slope size."""
    fig = Figure(figsize=(BOOK_WIDTH, 6.4), dpi=DPI, layout="constrained")
    grid = fig.add_gridspec(2, 2, height_ratios=(1.0, 0.9))
    top = [fig.add_subplot(grid[0, i]) for i in range(2)]
    bottom = [fig.add_subplot(grid[1, i]) for i in range(2)]
    for ax, metric, title in zip(
        top, ("loss_gap", "test_acc"), ("Loss gap", "Test accuracy"), strict=True
    ):
        _per_arm_panel(ax, result, metric)
        ax.set_title(f"{title} (mean, 95% t)")
    for ax, metric, show in zip(bottom, ("loss_gap", "test_acc"), (True, False), strict=True):
        _difference_panel(ax, result, metric, show)
        ax.set_title(f"Paired: {'loss gap' if metric == 'loss_gap' else 'test accuracy'}")
    bottom[1].set_ylabel("same rows as on the left")
    fig.suptitle(
        f"{result.dataset}, {result.train_size} training examples, "
        f"{result.settings['steps']} Adam steps; points are the {len(result.seeds)} seeds",
        fontsize=9,
    )
    return fig


def xu_comparison_alt_text(result):
    """One sentence describing :func:`plot_xu_comparison`, with its headline intervals."""
    parts = []
    for arm_name, baseline, label in _comparisons(result)[:2]:
        gap = result.paired("loss_gap", arm_name, baseline)
        acc = result.paired("test_acc", arm_name, baseline)
        parts.append(f"{label.split(' (')[0]} is {gap} in loss gap and {acc} in test accuracy")
    gaps = [result.interval("loss_gap", a).mean for a in result.arms]
    below = f", with the paired differences below: {'; '.join(parts)}" if parts else ""
    return (
        f"Dot plots of the loss gap (test minus training cross-entropy) and the test accuracy of "
        f"{len(result.arms)} activations ({', '.join(result.arms)}) over {len(result.seeds)} "
        f"seeds on {result.train_size} {result.dataset} examples, mean gaps from "
        f"{min(gaps):.3f} to {max(gaps):.3f}{below}."
    )
