"""Figures for the controlled comparisons: the four arms with paired seeds, and dead-unit recovery.

Like :mod:`relu_notes.plotting.experiments`: every function takes result objects and returns a
pyplot-free :class:`matplotlib.figure.Figure` of fixed size and dpi, with nothing random drawn
(per-seed points are spread by fixed offsets). Intervals are 95% Student-t intervals over seeds
(:mod:`relu_notes.experiments.stats`); differences between arms are paired by seed. Each figure
has a one-sentence ``*_alt_text`` function for the ``alt`` attribute.
"""

import numpy as np

from relu_notes.experiments.stats import mean_interval, paired_interval
from relu_notes.plotting.style import (
    ARM_COLORS,
    ARM_MARKERS,
    OKABE_ITO,
    panels,
    seed_offsets,
    seeds_and_interval,
    styled,
)

_SHORT = {"relu": "ReLU", "leaky_0.01": "Leaky\n0.01", "leaky_0.25": "Leaky\n0.25\n(control)"}
ARM_STYLE = {
    name: (_SHORT.get(name, "PReLU"), ARM_COLORS[name], ARM_MARKERS[name]) for name in ARM_COLORS
}
"""Short label, colour and marker of each arm of :mod:`relu_notes.experiments.arms`."""
COMPARISONS = (
    ("prelu", "leaky_0.01", "PReLU − Leaky 0.01"),
    ("prelu", "leaky_0.25", "PReLU − Leaky 0.25 (control)"),
    ("leaky_0.25", "leaky_0.01", "Leaky 0.25 − Leaky 0.01 (slope size)"),
)
"""The paired differences that separate learning alpha from the size of the slope."""
OPTIMIZER_STYLE = {"sgd": ("plain SGD", OKABE_ITO[6], "o"), "adam": ("Adam", OKABE_ITO[4], "s")}


def _arm_panel(ax, arms, accuracy, title):
    """Per-seed test accuracies (small points) and mean with 95% t interval for each arm."""
    for i, name in enumerate(arms):
        _, color, marker = ARM_STYLE[name]
        seeds_and_interval(ax, i, accuracy(name), color, marker)
    ax.set_xticks(range(len(arms)), [ARM_STYLE[a][0] for a in arms], fontsize=7)
    ax.set_xlim(-0.5, len(arms) - 0.2)
    ax.set_xlabel("arm")
    ax.set_ylabel("test accuracy")
    ax.set_title(title)


def _settings(prelu_alpha_result, overfitting_result):
    """``(label, accuracy function)`` per setting: the deep MLP, then each training size."""
    out = [
        (
            f"deep\n{len(prelu_alpha_result.hidden)}×{prelu_alpha_result.hidden[0]}",
            prelu_alpha_result.test_acc,
        )
    ]
    for n in overfitting_result.train_sizes:
        out.append((f"n={n}", lambda arm, n=n: overfitting_result.test_acc(arm, n)))
    return out


def _difference_panel(ax, settings):
    """Paired differences of :data:`COMPARISONS` with 95% t intervals, one column per setting."""
    styles = (ARM_STYLE["leaky_0.01"], ARM_STYLE["leaky_0.25"], ("", "0.35", "o"))
    offsets = seed_offsets(len(COMPARISONS), spread=0.5)
    for (a, b, label), (_, color, marker), dx in zip(COMPARISONS, styles, offsets, strict=True):
        cis = [paired_interval(acc(a), acc(b)) for _, acc in settings]
        x = np.arange(len(settings)) + dx
        mean = np.array([c.mean for c in cis])
        err = np.array([[c.mean - c.low for c in cis], [c.high - c.mean for c in cis]])
        ax.errorbar(x, mean, yerr=err, fmt=marker, color=color, capsize=2, ms=4, label=label)
    ax.axhline(0.0, color="black", linewidth=0.8)
    ax.set_xticks(range(len(settings)), [s[0] for s in settings], fontsize=7)
    ax.set_xlabel("setting")
    ax.set_ylabel("difference in test accuracy")
    ax.set_title("Paired differences (95% t)")
    ax.legend(fontsize=6, loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=1)


@styled
def plot_arm_comparison(prelu_alpha_result, overfitting_result, size=None):
    """Test accuracy of the four arms with 95% t intervals (deep MLP; overfitting run at
    ``size`` examples, default the smallest) and the paired differences that separate PReLU's
    learning from its slope size, in every setting."""
    size = overfitting_result.train_sizes[0] if size is None else size
    fig, (ax_deep, ax_small, ax_diff) = panels(3, height=3.8, widths=(1, 1, 1.5))
    p, o = prelu_alpha_result, overfitting_result
    _arm_panel(ax_deep, p.arms, p.test_acc, f"Deep MLP, {p.dataset}")
    _arm_panel(ax_small, o.arms, lambda a: o.test_acc(a, size), f"n = {size}, {o.dataset}")
    _difference_panel(ax_diff, _settings(p, o))
    fig.suptitle(
        f"Test accuracy over {len(p.seeds)} seeds: points are seeds, bars are means with 95% t "
        "intervals; differences are paired by seed",
        fontsize=8,
    )
    return fig


def arm_comparison_alt_text(prelu_alpha_result, overfitting_result, size=None):
    """One sentence describing :func:`plot_arm_comparison`, with its headline intervals."""
    size = overfitting_result.train_sizes[0] if size is None else size
    p, o = prelu_alpha_result, overfitting_result
    deep = paired_interval(p.test_acc("prelu"), p.test_acc("leaky_0.25"))
    small = paired_interval(o.test_acc("prelu", size), o.test_acc("leaky_0.25", size))
    slope = paired_interval(o.test_acc("leaky_0.25", size), o.test_acc("leaky_0.01", size))
    return (
        f"Dot plots of the test accuracy of ReLU, Leaky ReLU 0.01, Leaky ReLU 0.25 and PReLU "
        f"over {len(p.seeds)} seeds with 95% intervals (a {len(p.hidden)}-layer MLP and "
        f"{size} training examples), beside the paired differences in every setting: PReLU "
        f"minus the 0.25 control is {deep} on the deep MLP and {small} at n = {size}, while "
        f"Leaky 0.25 minus Leaky 0.01 is {slope} at n = {size}."
    )


def _slope_label(result, optimizer):
    name = OPTIMIZER_STYLE[optimizer][0]
    return (
        f"{name}, lr {result.lrs[optimizer]:g}: slope {mean_interval(result.log_slope(optimizer))}"
    )


@styled
def plot_recovery(result):
    """Steps until the dead unit is alive again against alpha (log-log): per-seed points, the
    geometric mean per optimizer, and a ``1/alpha`` guide; capped runs are open markers."""
    fig, (ax,) = panels(1, height=3.4, width=6.0)
    alphas = np.asarray(result.alphas, dtype=float)
    offsets = np.exp(seed_offsets(len(result.seeds), spread=0.16))
    for optimizer in result.optimizers:
        _, color, marker = OPTIMIZER_STYLE[optimizer]
        steps = np.array([result.steps(optimizer, a) for a in alphas])
        capped = steps >= result.max_steps
        x = alphas[:, None] * offsets[None, :]
        ax.loglog(x[~capped], steps[~capped], marker, color=color, alpha=0.4, ms=3, ls="none")
        if capped.any():
            ax.loglog(x[capped], steps[capped], marker, mfc="none", color=color, ms=4, ls="none")
        geo = np.exp(np.log(steps).mean(axis=1))
        ax.loglog(
            alphas, geo, "-", marker=marker, color=color, label=_slope_label(result, optimizer)
        )
    if "sgd" in result.optimizers:
        start = np.exp(np.log(result.steps("sgd", alphas[0])).mean())
        ax.loglog(alphas, start * alphas[0] / alphas, ":", color="0.5", label="∝ 1/alpha")
    if result.n_capped():
        ax.axhline(result.max_steps, color="0.5", linestyle="--", linewidth=0.8, label="cap")
    ax.set_xlabel("Leaky ReLU slope alpha")
    ax.set_ylabel("steps until alive again")
    ax.set_title(f"Recovery of a dead unit ({len(result.seeds)} seeds, target: {result.target})")
    ax.legend(fontsize=7)
    return fig


def recovery_alt_text(result):
    """One sentence describing :func:`plot_recovery`, with the measured slopes."""
    parts = [
        f"{OPTIMIZER_STYLE[o][0]} {mean_interval(result.log_slope(o))}" for o in result.optimizers
    ]
    ends = "; ".join(
        f"{OPTIMIZER_STYLE[o][0]} from {np.median(result.steps(o, result.alphas[0])):g} steps at "
        f"alpha {result.alphas[0]:g} to {np.median(result.steps(o, result.alphas[-1])):g} at "
        f"{result.alphas[-1]:g}"
        for o in result.optimizers
    )
    return (
        f"Log-log plot of the steps a dead unit needs to become active again against the leak "
        f"alpha, one line per optimizer with one point per seed ({ends}); the slopes of log "
        f"steps against log alpha are {' and '.join(parts)} (-1 means steps proportional to "
        f"1/alpha, 0 means no dependence){'' if not result.n_capped() else ', with capped runs'}."
    )
