"""Figures for the dying experiments: the bias-shift stress test and the natural-training sweep.

Same conventions as :mod:`relu_notes.plotting.experiments`: each function takes the result and
returns a pyplot-free :class:`matplotlib.figure.Figure` of fixed size and dpi, built in the
course style, with colours from the Okabe-Ito palette of :mod:`relu_notes.plotting.style`
(ReLU, Leaky ReLU and PReLU keep their course colours; the Leaky ReLU 0.25 control is dashed,
in its own colour). Nothing random is drawn. ``alt_text_*`` describe a figure in one sentence.
"""

import numpy as np

from relu_notes.experiments.arms import arm
from relu_notes.experiments.stats import mean_interval
from relu_notes.plotting.style import (
    ARM_COLORS,
    ARM_MARKERS,
    panels,
    styled,
)

ARM_STYLE = {
    name: {"color": ARM_COLORS[name], "marker": ARM_MARKERS[name], "linestyle": line}
    for name, line in (("relu", "-"), ("leaky_0.01", "-"), ("leaky_0.25", "--"), ("prelu", "-"))
}
"""Colour, marker and line style of each arm of :data:`relu_notes.experiments.arms.ARMS`."""

MEASURES = {
    "dead": ("final_dead", "dead fraction (training set)"),
    "nearly_dead": ("final_nearly_dead", "nearly-dead fraction (active < 1%)"),
    "test_acc": ("final_test_acc", "test accuracy"),
}
"""Measures :func:`plot_natural_dying` can show: result accessor and axis label."""


def _held(curves):
    """Curves (seeds, records) with each run's NaN tail replaced by its last value."""
    curves = np.array(curves, dtype=float)
    for row in curves:
        valid = np.flatnonzero(~np.isnan(row))
        if valid.size:
            row[valid[-1] + 1 :] = row[valid[-1]]
    return curves


@styled
def plot_dying_stress(result):
    """Dead fraction, nearly-dead fraction and test accuracy over epochs, per arm: mean over
    seeds (line) and range over seeds (band); a dashed line marks the bias shift. A run that
    stopped before the longest one is held at its last value (the rule says it had settled)."""
    fig, axes = panels(3, height=3.2)
    rows = (
        ("dead_fraction", "dead fraction", "fraction of hidden units"),
        ("nearly_dead_fraction", "nearly dead (active < 1%)", "fraction of hidden units"),
        ("test_acc", "test accuracy", "accuracy"),
    )
    x = result.epoch  # the shift epoch appears twice: the curves jump there
    for ax, (name, label, ylabel) in zip(axes, rows, strict=True):
        for i, a in enumerate(result.arms):
            data = _held(getattr(result, name)[i])
            style = ARM_STYLE[a]
            ax.plot(
                x,
                data.mean(axis=0),
                color=style["color"],
                linestyle=style["linestyle"],
                label=arm(a).label,
            )
            ax.fill_between(
                x, data.min(axis=0), data.max(axis=0), color=style["color"], alpha=0.15, lw=0
            )
        ax.axvline(result.shift_epoch, color="0.4", linestyle=":", linewidth=1)
        ax.set_xlabel("epoch")
        ax.set_title(label)
        ax.set_ylabel(ylabel)
        ax.set_ylim(-0.02, 1.02)
    axes[0].annotate(
        f"bias shift {result.bias_shift:g}",
        (result.shift_epoch, 0.95),
        xytext=(4, 0),
        textcoords="offset points",
        fontsize=7,
        color="0.3",
    )
    axes[2].legend(loc="lower right", fontsize=7)
    label = result.label
    fig.suptitle(f"{label[0].upper()}{label[1:]} (not natural training)", fontsize=9)
    return fig


@styled
def plot_natural_dying(result, measure="dead"):
    """Final ``measure`` (dead fraction by default) against the learning rate, one panel per
    optimizer, one line per arm: mean over seeds with its 95% t interval. Diverged runs are
    left out; a rate where every run of an arm diverged has no point (marked x at the top)."""
    accessor, ylabel = MEASURES[measure]
    fig, axes = panels(len(result.optimizers), height=3.2)
    offsets = np.linspace(-0.06, 0.06, len(result.arms))
    for ax, opt in zip(axes, result.optimizers, strict=True):
        rates = np.array(result.lrs[opt])
        for k, a in enumerate(result.arms):
            means, low, high, lost = [], [], [], []
            for lr in rates:
                values = getattr(result, accessor)(opt, lr, a)
                values = values[~np.isnan(values)]
                iv = mean_interval(values) if values.size else None
                means.append(iv.mean if iv else np.nan)
                low.append(iv.mean - iv.low if iv and values.size > 1 else 0.0)
                high.append(iv.high - iv.mean if iv and values.size > 1 else 0.0)
                lost.append(values.size == 0)
            style = ARM_STYLE[a]
            x = rates * 10 ** offsets[k]
            ax.errorbar(
                x,
                means,
                yerr=[low, high],
                capsize=2,
                markersize=4,
                label=arm(a).label,
                **style,
            )
            if any(lost):
                ax.plot(x[lost], np.full(sum(lost), 1.0), "x", color=style["color"])
        ax.set_xscale("log")
        ax.set_xticks(rates, [f"{r:.3g}" for r in rates])
        ax.minorticks_off()
        ax.set_xlabel("learning rate")
        name = "SGD" if opt == "sgd" else "Adam"
        if opt == "sgd":
            name += " (no momentum)" if result.momentum == 0 else f" (momentum {result.momentum:g})"
        ax.set_title(name)
        ax.set_ylabel(f"final {ylabel}")
        ax.set_ylim(-0.02, 1.02)
    axes[0].legend(fontsize=7)
    fig.suptitle(
        f"Natural training (no forced shift), {result.dataset}: "
        f"mean of {len(result.seeds)} seeds, 95% t interval",
        fontsize=9,
    )
    return fig


def _mean(values):
    """Mean over the finite values (NaN if none), without NumPy's empty-slice warning."""
    values = np.asarray(values, dtype=float)
    values = values[~np.isnan(values)]
    return float(values.mean()) if values.size else float("nan")


def alt_text_dying_stress(result):
    """One sentence describing :func:`plot_dying_stress` with the headline numbers."""
    parts = ", ".join(
        f"{arm(a).label} {_mean(result.final_dead(a)):.1%} dead and "
        f"{_mean(result.final_nearly_dead(a)):.1%} nearly dead"
        for a in result.arms
    )
    return (
        f"Three line charts over epochs on {result.dataset} (a stress test: every hidden bias "
        f"shifted by {result.bias_shift:g} after epoch {result.shift_epoch}, marked by a dotted "
        f"line) of the dead fraction, nearly-dead fraction and test accuracy per arm, mean over "
        f"{len(result.seeds)} seeds with their range; at the end: {parts}."
    )


def alt_text_natural_dying(result, measure="dead"):
    """One sentence describing :func:`plot_natural_dying` with the headline numbers."""
    accessor, ylabel = MEASURES[measure]
    parts = []
    for opt in result.optimizers:
        top = result.lrs[opt][-1]
        values = ", ".join(
            f"{arm(a).label} {_mean(getattr(result, accessor)(opt, top, a)):.1%}"
            for a in result.arms
        )
        parts.append(f"{opt} at lr {top:.3g}: {values}")
    return (
        f"Line charts, one per optimizer, of the final {ylabel} against the learning rate "
        f"(log scale, no forced shift), one line per arm with 95% intervals over "
        f"{len(result.seeds)} seeds; at the highest rate, {'; '.join(parts)}."
    )
