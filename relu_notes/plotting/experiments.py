"""Figures for the experiments in :mod:`relu_notes.experiments` (one function per experiment).

Every function takes the experiment's result object and returns a pyplot-free
:class:`matplotlib.figure.Figure` of fixed size and dpi (nothing random is drawn, so the same
result gives the same image). Colours come from the course palette in
:mod:`relu_notes.plotting.style` (Okabe-Ito, distinguishable for the common colour-vision
deficiencies) and fonts from its shared style; each activation also has its own marker.
:func:`alt_text` returns a description of a result's figure for the ``alt`` attribute.
"""

import numpy as np
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from relu_notes.experiments.stats import standard_error
from relu_notes.plotting.style import COLORS, DPI, OKABE_ITO, styled

WIDTH = 7.0
MARKERS = {"relu": "o", "leaky_relu": "s", "prelu": "^"}
LABELS = {"relu": "ReLU", "leaky_relu": "Leaky ReLU", "prelu": "PReLU"}
SEQUENCE = OKABE_ITO


def _figure(ncols, height=3.0, width=WIDTH):
    fig = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
    axes = fig.subplots(1, ncols, squeeze=False)[0]
    for ax in axes:
        ax.grid(True, alpha=0.3)
    return fig, axes


@styled
def plot_dying(result):
    """Dead-unit fraction and test accuracy over training (means over seeds, min-max band)."""
    fig, (ax_dead, ax_acc) = _figure(2)
    x = np.arange(result.epoch.size)
    for i, act in enumerate(result.activations):
        for ax, data in ((ax_dead, result.dead_fraction[i]), (ax_acc, result.test_acc[i])):
            ax.plot(
                x,
                data.mean(axis=0),
                color=COLORS[act],
                marker=MARKERS[act],
                markersize=3,
                label=LABELS[act],
            )
            ax.fill_between(
                x, data.min(axis=0), data.max(axis=0), color=COLORS[act], alpha=0.15, linewidth=0
            )
    for ax in (ax_dead, ax_acc):
        ax.axvline(
            result.shift_epoch + 0.5,
            color="0.4",
            linestyle="--",
            label=f"bias shift {result.bias_shift:g}",
        )
        ticks = x[:: max(1, x.size // 8)]
        ax.set_xticks(ticks, [str(e) for e in result.epoch[ticks]])
        ax.set_xlabel("epoch")
    ax_dead.set_ylabel("dead-unit fraction (training set)")
    ax_dead.set_ylim(-0.02, 1.0)
    ax_acc.set_ylabel("test accuracy")
    ax_acc.set_ylim(0, 1.02)
    ax_dead.set_title(f"Dead units, {result.dataset}, hidden {result.hidden}")
    ax_acc.set_title("Test accuracy")
    ax_dead.legend(loc="upper right")
    return fig


@styled
def plot_born_dead(result):
    """P(born dead) vs depth per width with theory; Leaky ReLU's fractions on the right."""
    fig, (ax, ax_leaky) = _figure(2, height=3.8)
    depths = np.array(result.depths)
    for i, width in enumerate(result.widths):
        color = SEQUENCE[i % len(SEQUENCE)]
        err = np.clip(
            np.vstack([result.p_dead[i] - result.ci_low[i], result.ci_high[i] - result.p_dead[i]]),
            0,
            None,
        )
        ax.errorbar(
            depths,
            result.p_dead[i],
            yerr=err,
            fmt="o",
            markersize=3,
            color=color,
            capsize=2,
            label=f"MC, width {width}",
        )
        lo, hi = result.theory_lower[i], result.theory_upper[i]
        if np.all(np.isfinite(lo)):
            if np.allclose(lo, hi):
                ax.plot(depths, lo, color=color, linestyle="-", label=f"exact, width {width}")
            else:
                ax.fill_between(
                    depths,
                    lo,
                    hi,
                    color=color,
                    alpha=0.12,
                    linewidth=0,
                    label=f"bounds, width {width}",
                )
        ax_leaky.plot(
            depths,
            result.p_all_negative_leaky[i],
            color=color,
            marker="s",
            markersize=3,
            label=f"all negative, width {width}",
        )
    ax_leaky.plot(
        depths,
        result.p_constant_leaky.max(axis=0),
        color="black",
        linestyle="--",
        label="constant output",
    )
    ax.set_title(f"ReLU ({result.n_trials} inits per point)")
    ax_leaky.set_title(f"Leaky ReLU {result.negative_slope:g}, same weights")
    for a in (ax, ax_leaky):
        a.set_xlabel("depth (hidden layers)")
        a.set_ylim(-0.03, 1.03)
    ax.set_ylabel("P(born dead)")
    ax_leaky.set_ylabel("fraction of nets")
    ax.legend(fontsize=6, ncol=3, loc="upper center", bbox_to_anchor=(0.5, -0.2))
    ax_leaky.legend(fontsize=6, ncol=2, loc="upper center", bbox_to_anchor=(0.5, -0.2))
    return fig


@styled
def plot_alpha_sweep(result):
    """Heat map of mean test accuracy (datasets x alpha); box = best, dot = tied with best."""
    mean = result.mean
    fig, (ax,) = _figure(1, height=0.6 * len(result.datasets) + 1.6)
    image = ax.imshow(mean, cmap="cividis", aspect="auto", norm=Normalize(mean.min(), 1.0))
    ax.grid(False)
    for d, name in enumerate(result.datasets):
        tied = result.tied_with_best(name)
        best = int(np.argmax(mean[d]))
        for a, alpha in enumerate(result.alphas):
            bright = image.norm(mean[d, a]) > 0.6
            mark = " •" if alpha in tied else ""
            ax.text(
                a,
                d,
                f"{mean[d, a]:.3f}{mark}",
                ha="center",
                va="center",
                fontsize=7,
                color="black" if bright else "white",
            )
        ax.add_patch(_box(best, d))
    ax.set_xticks(range(len(result.alphas)), [f"{a:g}" for a in result.alphas])
    ax.set_yticks(range(len(result.datasets)), result.datasets)
    ax.set_xlabel("Leaky ReLU negative slope alpha (0 = ReLU)")
    ax.set_ylabel("dataset")
    ax.set_title(
        f"Mean test accuracy over {len(result.seeds)} seeds (box: best, •: within noise of best)"
    )
    fig.colorbar(image, ax=ax, label="test accuracy", shrink=0.9)
    return fig


def _box(x, y):
    return Rectangle(
        (x - 0.5, y - 0.5), 1, 1, fill=False, edgecolor="#CC79A7", linewidth=2, label="best"
    )


@styled
def plot_prelu_alpha(result):
    """Mean alpha per layer over training (channel-wise, shared) and final means vs depth."""
    n_modes = len(result.modes)
    fig, axes = _figure(n_modes + 1, height=3.0)
    n_layers = result.alpha_mean.shape[-1]
    for m, mode in enumerate(result.modes):
        ax = axes[m]
        curves = result.alpha_mean[m].mean(axis=0)
        for layer in range(n_layers):
            ax.plot(
                result.epoch,
                curves[:, layer],
                color=SEQUENCE[layer % len(SEQUENCE)],
                label=f"layer {layer + 1}",
            )
        ax.set_title(f"{mode} alphas")
        ax.set_xlabel("epoch")
        ax.set_ylabel("alpha")
    axes[0].legend(fontsize=6, ncol=2)
    ax = axes[-1]
    layers = np.arange(1, n_layers + 1)
    for m, mode in enumerate(result.modes):
        ax.plot(
            layers,
            result.layer_means(mode),
            marker="os"[m % 2],
            color=SEQUENCE[m],
            label=f"{mode} (Spearman {result.depth_trend(mode):+.2f})",
        )
    ax.axhline(result.prelu_init, color="0.4", linestyle=":", label="initial alpha")
    ax.set_xlabel("hidden layer (1 = first)")
    ax.set_ylabel("final mean alpha")
    ax.set_title("Final alpha vs depth")
    ax.legend(fontsize=6)
    return fig


@styled
def plot_overfitting(result):
    """Train-test gap and test accuracy vs training-set size (mean +- s.e. over seeds)."""
    fig, (ax_gap, ax_test) = _figure(2)
    sizes = np.array(result.train_sizes)
    for i, act in enumerate(result.activations):
        test = result.test_acc[i]
        test_se = standard_error(test, axis=1)
        kw = {
            "color": COLORS[act],
            "marker": MARKERS[act],
            "markersize": 4,
            "capsize": 2,
            "label": LABELS[act],
        }
        ax_gap.errorbar(sizes, result.gap_mean[i], yerr=result.gap_sem[i], **kw)
        ax_test.errorbar(sizes, test.mean(axis=1), yerr=test_se, **kw)
    for ax in (ax_gap, ax_test):
        ax.set_xscale("log")
        ax.set_xlabel("training examples")
    ax_gap.set_ylabel("train acc - test acc")
    ax_test.set_ylabel("test accuracy")
    ax_gap.set_title(f"Generalization gap, {result.dataset}")
    ax_test.set_title("Test accuracy")
    ax_gap.legend()
    return fig


@styled
def plot_init_gain(result):
    """Second moment of pre-activations vs depth (log scale): measured markers, theory lines."""
    fig, (ax,) = _figure(1, height=3.2, width=6.5)
    for i, (label, _, _) in enumerate(result.configs):
        color = SEQUENCE[i % len(SEQUENCE)]
        ax.semilogy(
            result.depths, result.analytic[i], color=color, linestyle="-", label=f"{label} (theory)"
        )
        ax.semilogy(
            result.depths,
            result.measured[i],
            color=color,
            linestyle="none",
            marker="o",
            markersize=3,
            label=f"{label} (measured)",
        )
    ax.set_xlabel("layer")
    ax.set_ylabel("E[z²] relative to layer 1")
    ax.set_title(f"Variance through depth, width {result.width}")
    ax.legend(fontsize=6, ncol=2)
    return fig


@styled
def plot_speed(result):
    """Forward and backward time of each activation, in units of one ``x.copy()``."""
    fig, (ax,) = _figure(1, height=3.0, width=6.0)
    acts = list(result.forward_seconds)
    x = np.arange(len(acts))
    fwd = np.array([result.forward_seconds[a] for a in acts]) / result.copy_seconds
    bwd = np.array([result.backward_seconds[a] for a in acts]) / result.copy_seconds
    ax.bar(x, fwd, color=[COLORS[a] for a in acts], label="forward")
    ax.bar(
        x,
        bwd,
        bottom=fwd,
        color=[COLORS[a] for a in acts],
        alpha=0.45,
        hatch="//",
        label="backward",
    )
    ax.axhline(1.0, color="black", linestyle="--", label="one x.copy()")
    ax.set_xticks(x, [LABELS[a] for a in acts])
    ax.set_xlabel("activation")
    ax.set_ylabel("time / time of x.copy()")
    n = int(np.prod(result.shape))
    ax.set_title(
        f"Forward + backward cost, {n:,} {result.dtype} values (median of {result.repeats})"
    )
    ax.legend()
    return fig


def alt_text(result):
    """A one-paragraph description of ``result``'s figure, with its headline numbers."""
    name = type(result).__name__
    if name == "DyingResult":
        parts = ", ".join(f"{LABELS[a]} {result.final_dead(a):.0%}" for a in result.activations)
        return (
            f"Two line charts over training epochs on {result.dataset}: fraction of dead "
            f"hidden units (left) and test accuracy (right); a dashed line marks the bias "
            f"shift of {result.bias_shift:g} after epoch {result.shift_epoch}. Final dead "
            f"fractions: {parts}."
        )
    if name == "BornDeadResult":
        last = ", ".join(
            f"width {w}: {p:.2f}" for w, p in zip(result.widths, result.p_dead[:, -1], strict=True)
        )
        return (
            f"Left: probability that a ReLU net is born dead against depth 1 to "
            f"{result.depths[-1]}, one marker series per width with 95% intervals and "
            f"theory; at depth {result.depths[-1]}: {last}. Right: for Leaky ReLU the output "
            f"is never constant ({result.p_constant_leaky.max():.0%})."
        )
    if name == "AlphaSweepResult":
        best = ", ".join(f"{d} {result.best_alpha(d):g}" for d in result.datasets)
        return (
            f"Heat map of mean test accuracy, rows = datasets ({', '.join(result.datasets)})"
            f", columns = Leaky ReLU slope alpha; best alpha per dataset: {best}."
        )
    if name == "PReLUAlphaResult":
        means = "; ".join(
            f"{m}: {np.round(result.layer_means(m), 2).tolist()}" for m in result.modes
        )
        return (
            f"Line charts of PReLU alpha per hidden layer over training epochs, for "
            f"{' and '.join(result.modes)} alphas, and final mean alpha against layer "
            f"index ({means})."
        )
    if name == "OverfittingResult":
        return (
            f"Line charts against training-set size ({result.train_sizes[0]} to "
            f"{result.train_sizes[-1]}, log scale) of the train-test accuracy gap and of "
            f"test accuracy for ReLU, Leaky ReLU and PReLU on {result.dataset}."
        )
    if name == "InitGainResult":
        ends = ", ".join(
            f"{c[0]}: {result.measured[i, -1]:.2g}" for i, c in enumerate(result.configs)
        )
        return (
            f"Log-scale plot of the pre-activation second moment relative to layer 1 "
            f"against depth; at layer {result.depths[-1]}: {ends}."
        )
    if name == "SpeedResult":
        ratios = ", ".join(
            f"{LABELS[a]} {result.total_ratio(a):.1f}" for a in result.forward_seconds
        )
        return (
            f"Stacked bar chart of forward and backward time in units of one array copy: {ratios}."
        )
    raise TypeError(f"no figure for {name}")
