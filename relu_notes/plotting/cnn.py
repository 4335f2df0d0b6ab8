"""Figure of the small-CNN PReLU experiment (:mod:`relu_notes.experiments.cnn_alpha`).

Like the other experiment figures: a pyplot-free :class:`matplotlib.figure.Figure` of fixed
size (7 x 3.9 inches) and the course dpi, nothing random drawn (per-seed points are spread by
fixed offsets), Okabe-Ito colours. Intervals are 95% Student-t intervals over the seeds.
"""

import numpy as np

from relu_notes.experiments.cnn_alpha import MODE_RUNS
from relu_notes.plotting.style import (
    ARM_COLORS,
    ARM_MARKERS,
    OKABE_ITO,
    panels,
    seed_offsets,
    seeds_and_interval,
    styled,
)

HEIGHT = 3.9
"""Height of the figure in inches (its width is the book's 7)."""
HE_CONV1 = {"shared": 0.681, "channel": 0.596}
"""He et al. (2015, Table 1): conv1's learned alpha in their 14-layer ImageNet model."""
MODE_STYLE = {
    "channel": ("channel-wise", ARM_COLORS["prelu"], ARM_MARKERS["prelu"]),
    "shared": ("shared", OKABE_ITO[4], "v"),
    "channel_decay": ("channel-wise, alpha decayed", OKABE_ITO[5], "P"),
}
"""Label, colour and marker of each PReLU mode (and of its run in the accuracy panel)."""
_SHORT = {
    "relu": "ReLU",
    "leaky_0.01": "Leaky\n0.01",
    "leaky_0.25": "Leaky\n0.25\n(control)",
    "prelu": "PReLU",
    "prelu_shared": "PReLU\nshared",
    "prelu_decay": "PReLU\nα decay",
}


def _run_style(name):
    """Short label, colour and marker of a run."""
    for mode, run in MODE_RUNS.items():
        if run == name:
            return _SHORT[name], MODE_STYLE[mode][1], MODE_STYLE[mode][2]
    return _SHORT[name], ARM_COLORS[name], ARM_MARKERS[name]


def _alpha_panel(ax, result):
    """Final mean alpha per conv layer, per mode: mean over seeds with 95% t intervals."""
    layers = np.arange(1, result.depth + 1)
    for mode, dx in zip(result.modes, seed_offsets(len(result.modes), 0.3), strict=True):
        label, color, marker = MODE_STYLE[mode]
        cis = result.layer_intervals(mode)
        mean = np.array([c.mean for c in cis])
        err = np.array([[c.mean - c.low for c in cis], [c.high - c.mean for c in cis]])
        trend = np.mean(result.depth_trend(mode))
        ax.errorbar(
            layers + dx,
            mean,
            yerr=err,
            fmt=marker + "-",
            color=color,
            capsize=2,
            ms=5,
            label=f"{label} (Spearman {trend:+.2f})",
        )
    ax.axhline(result.prelu_init, color="0.4", linestyle=":", label="initial alpha 0.25")
    for mode, value in HE_CONV1.items():
        if mode in result.modes:
            ax.plot(1, value, marker="*", ms=9, mfc="none", color=MODE_STYLE[mode][1], ls="none")
    ax.plot([], [], "*", mfc="none", color="0.3", ls="none", label="He et al. conv1 (ImageNet)")
    ax.set_xticks(layers)
    ax.set_xlabel("conv layer (1 = first)")
    ax.set_ylabel("final mean alpha")
    ax.set_title(f"Learned alpha per layer, {result.depth}-layer CNN")
    ax.legend(fontsize=6, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2)


def _accuracy_panel(ax, result):
    """Per-seed test accuracies (small points) and mean with 95% t interval for each run."""
    for i, name in enumerate(result.runs):
        _, color, marker = _run_style(name)
        seeds_and_interval(ax, i, result.test_acc(name), color, marker)
    ax.set_xticks(range(len(result.runs)), [_run_style(r)[0] for r in result.runs], fontsize=6)
    ax.set_xlim(-0.5, len(result.runs) - 0.2)
    ax.set_xlabel("run")
    ax.set_ylabel("test accuracy")
    ax.set_title(f"Test accuracy, {len(result.seeds)} seeds (95% t)")


@styled
def plot_cnn_alpha(result):
    """Left: final mean alpha per conv layer for each PReLU mode, with 95% t intervals over
    seeds, the initial 0.25 and He et al.'s conv1 values. Right: test accuracy of every run
    (per-seed points, mean with 95% t interval)."""
    fig, (ax_alpha, ax_acc) = panels(2, height=HEIGHT, widths=(1, 1.1))
    _alpha_panel(ax_alpha, result)
    _accuracy_panel(ax_acc, result)
    return fig


def cnn_alpha_alt_text(result):
    """A one-paragraph description of :func:`plot_cnn_alpha` with its headline numbers."""
    means = "; ".join(
        f"{MODE_STYLE[m][0]}: {', '.join(f'{v:.2f}' for v in result.layer_means(m))}"
        for m in result.modes
    )
    accs = ", ".join(
        f"{_run_style(r)[0].replace(chr(10), ' ')} {result.test_acc(r).mean():.3f}"
        for r in result.runs
    )
    control = ""
    if "prelu" in result.runs and "leaky_0.25" in result.runs:
        control = f" PReLU minus the Leaky 0.25 control: {result.paired('prelu', 'leaky_0.25')}."
    return (
        f"Left: final mean PReLU alpha of each of the {result.depth} conv layers of a small CNN "
        f"on 8x8 digits, mean over {len(result.seeds)} seeds with 95% intervals ({means}), "
        f"against the initial 0.25 and He et al.'s conv1 values 0.681 (shared) and 0.596 "
        f"(channel-wise). Right: mean test accuracy per run ({accs}).{control}"
    )
