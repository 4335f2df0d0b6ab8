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
from matplotlib.patches import Rectangle

from relu_notes.functional import ACTIVATION_LABELS
from relu_notes.plotting.controls import recovery_alt_text
from relu_notes.plotting.dying import alt_text_dying_stress, alt_text_natural_dying
from relu_notes.plotting.style import COLORS, OKABE_ITO, panels, styled

MARKERS = {"relu": "o", "leaky_relu": "s", "prelu": "^"}
SEQUENCE = OKABE_ITO


@styled
def plot_born_dead(result):
    """P(born dead) vs depth per width with theory; Leaky ReLU's fractions on the right."""
    fig, (ax, ax_leaky) = panels(2, height=3.8)
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
    fig, (ax,) = panels(1, height=0.6 * len(result.datasets) + 1.6)
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
    fig, axes = panels(n_modes + 1, height=3.0)
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
            label=f"{mode} (Spearman {np.mean(result.depth_trend(mode)):+.2f})",
        )
    ax.axhline(result.prelu_init, color="0.4", linestyle=":", label="initial alpha")
    ax.set_xlabel("hidden layer (1 = first)")
    ax.set_ylabel("final mean alpha")
    ax.set_title("Final alpha vs depth")
    ax.legend(fontsize=6)
    return fig


@styled
def plot_init_gain(result):
    """Second moment of pre-activations vs depth (log scale): measured markers, theory lines."""
    fig, (ax,) = panels(1, height=3.2, width=6.5)
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
    fig, (ax,) = panels(1, height=3.0, width=6.0)
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
    ax.set_xticks(x, [ACTIVATION_LABELS[a] for a in acts])
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
        return alt_text_dying_stress(result)
    if name == "NaturalDyingResult":
        return alt_text_natural_dying(result)
    if name == "RecoveryResult":
        return recovery_alt_text(result)
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
        arms = ", ".join(result.arms)
        return (
            f"Test accuracy of {arms} against training-set size ({result.train_sizes[0]} to "
            f"{result.train_sizes[-1]}) on {result.dataset}, with 95% intervals over seeds."
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
            f"{ACTIVATION_LABELS[a]} {result.total_ratio(a):.1f}" for a in result.forward_seconds
        )
        return (
            f"Stacked bar chart of forward and backward time in units of one array copy: {ratios}."
        )
    raise TypeError(f"no figure for {name}")
