"""Figures of ReLU, Leaky ReLU and PReLU: each function beside its derivative.

Every value drawn comes from the package's own forward and backward passes
(:mod:`relu_notes.functional`), so the figures show exactly the convention the code uses:
the branch condition is ``x > 0`` (as in PyTorch), hence the derivative at ``x = 0`` is
``0`` for ReLU and ``alpha`` for Leaky ReLU / PReLU. On derivative panels a closed dot marks the
value used at ``x = 0`` and an open dot marks a one-sided limit that is *not* used there.

All functions return a :class:`matplotlib.figure.Figure` of fixed size and dpi.
"""

import numpy as np

from relu_notes.functional import (
    ACTIVATION_LABELS,
    ACTIVATIONS,
    leaky_relu,
    leaky_relu_backward,
    prelu,
    prelu_backward,
    relu,
    relu_backward,
)
from relu_notes.plotting.style import (
    COLORS,
    FAMILY_COLORS,
    SEED,
    mark_zero_convention,
    new_figure,
    styled,
)

KINDS = ACTIVATIONS
"""Activation names accepted by the plotting functions (as in ``torch.nn.functional``)."""


def _check_kind(kind):
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")


def check_alpha_kind(kind):
    """Raise ``ValueError`` unless ``kind`` has a negative slope alpha (Leaky ReLU, PReLU)."""
    _check_kind(kind)
    if kind == "relu":
        raise ValueError("relu has no alpha; use leaky_relu or prelu")


def _value_and_slope(kind, x, alpha):
    """Return ``(f(x), df/dx)`` computed by the package's forward and backward passes."""
    ones = np.ones_like(x)
    if kind == "relu":
        return relu(x), relu_backward(ones, x)
    if kind == "leaky_relu":
        return leaky_relu(x, alpha), leaky_relu_backward(ones, x, alpha)
    weight = np.array([alpha])
    return prelu(x, weight), prelu_backward(ones, x, weight)[0]


def _label(kind, alpha):
    if kind == "relu":
        return "ReLU"
    return f"{ACTIVATION_LABELS[kind]}, α = {alpha:g}"


def _draw_pair(ax_f, ax_d, kind, alpha, x, color, label):
    """Draw f on ``ax_f`` and its derivative (as two open-ended pieces) on ``ax_d``."""
    y, slope = _value_and_slope(kind, x, alpha)
    ax_f.plot(x, y, color=color, linewidth=2, label=label)
    neg, pos = x < 0, x > 0
    ax_d.plot(x[neg], slope[neg], color=color, linewidth=2, label=label)
    ax_d.plot(x[pos], slope[pos], color=color, linewidth=2)
    _, at_zero = _value_and_slope(kind, np.zeros(1), alpha)
    left = float(slope[neg][-1]) if neg.any() else float(at_zero[0])
    right = float(slope[pos][0]) if pos.any() else float(at_zero[0])
    mark_zero_convention(ax_d, left, right, float(at_zero[0]), color)


def _label_axes(ax_f, ax_d, title_f, title_d):
    ax_f.set_xlabel("x (pre-activation)")
    ax_f.set_ylabel("f(x)")
    ax_f.set_title(title_f)
    ax_d.set_xlabel("x (pre-activation)")
    ax_d.set_ylabel("f′(x) = ∂f/∂x")
    ax_d.set_title(title_d)
    for ax in (ax_f, ax_d):
        ax.axvline(0.0, color=COLORS["neutral"], linewidth=0.8, linestyle=":")


def _convention_handles(ax):
    """Legend entries explaining the closed and open dots."""
    closed = ax.plot([], [], "o", color=COLORS["neutral"], label="value used at x = 0")[0]
    opened = ax.plot(
        [],
        [],
        "o",
        markerfacecolor="white",
        markeredgecolor=COLORS["neutral"],
        label="one-sided limit (not used)",
    )[0]
    return [closed, opened]


def place_derivative_legend(ax_d, handles):
    """Put the legend of a derivative panel on the x > 0 side, between the curves at 0 and 1.

    For 0 <= alpha <= 1 nothing is drawn there: the dots at x = 0 and the slope alpha on the
    x < 0 side stay visible whatever alpha is.
    """
    ax_d.legend(handles=handles, loc="center left", bbox_to_anchor=(0.52, 0.45), fontsize=7)


def _grid(x_min, x_max, num):
    if not x_min < 0 < x_max:
        raise ValueError("the x range must contain 0 (x_min < 0 < x_max)")
    return np.linspace(x_min, x_max, num)


@styled
def plot_activation(kind="relu", alpha=0.01, x_min=-3.0, x_max=3.0, num=601):
    """Plot one activation (left) and its derivative (right).

    ``alpha`` is the negative slope of ``leaky_relu`` / the weight of ``prelu``; it is ignored
    for ``relu``. The derivative panel marks the x = 0 convention with a closed dot.
    """
    _check_kind(kind)
    x = _grid(x_min, x_max, num)
    fig, (ax_f, ax_d) = new_figure()
    color = COLORS[kind]
    label = _label(kind, alpha)
    _draw_pair(ax_f, ax_d, kind, alpha, x, color, label)
    _label_axes(ax_f, ax_d, label, f"Derivative of {label}")
    ax_f.legend(loc="upper left")
    place_derivative_legend(ax_d, ax_d.get_legend_handles_labels()[0] + _convention_handles(ax_d))
    ax_d.set_ylim(min(-0.1, alpha - 0.1) if kind != "relu" else -0.1, 1.15)
    return fig


@styled
def plot_activation_family(
    kind="leaky_relu", alphas=(0.0, 0.01, 0.1, 0.3, 0.6), x_min=-3.0, x_max=3.0, num=601
):
    """Plot ``kind`` for several alphas (left) with their derivatives (right).

    This is the static stand-in for the interactive alpha slider.
    """
    check_alpha_kind(kind)
    if not 1 <= len(alphas) <= len(FAMILY_COLORS):
        raise ValueError(f"give between 1 and {len(FAMILY_COLORS)} alphas")
    x = _grid(x_min, x_max, num)
    fig, (ax_f, ax_d) = new_figure()
    for alpha, color in zip(alphas, FAMILY_COLORS, strict=False):
        _draw_pair(ax_f, ax_d, kind, alpha, x, color, f"α = {alpha:g}")
    name = ACTIVATION_LABELS[kind]
    _label_axes(ax_f, ax_d, f"{name} for several α", f"Derivative of {name}")
    ax_f.legend(loc="upper left", title="negative slope")
    handles = ax_d.get_legend_handles_labels()[0] + _convention_handles(ax_d)
    ax_d.legend(handles=handles, loc="center right", fontsize=7)
    ax_d.set_ylim(min(-0.1, min(alphas) - 0.1), 1.15)
    return fig


@styled
def plot_activation_comparison(leaky_alpha=0.01, prelu_alpha=0.25, x_min=-3.0, x_max=3.0, num=601):
    """Plot ReLU, Leaky ReLU and PReLU on shared axes (left) with their derivatives (right).

    ``prelu_alpha`` defaults to 0.25, the initial value used by He et al. (2015) and PyTorch.
    """
    x = _grid(x_min, x_max, num)
    fig, (ax_f, ax_d) = new_figure()
    for kind, alpha in (("relu", 0.0), ("leaky_relu", leaky_alpha), ("prelu", prelu_alpha)):
        _draw_pair(ax_f, ax_d, kind, alpha, x, COLORS[kind], _label(kind, alpha))
    _label_axes(ax_f, ax_d, "ReLU vs Leaky ReLU vs PReLU", "Their derivatives")
    ax_f.legend(loc="upper left")
    handles = ax_d.get_legend_handles_labels()[0] + _convention_handles(ax_d)
    ax_d.legend(handles=handles, loc="center right", fontsize=7)
    ax_d.set_ylim(-0.1, 1.15)
    return fig


def prelu_squared_loss(x, target, alpha):
    """``L(alpha) = 0.5 * sum((prelu(x, alpha) - target) ** 2)``, the loss the dL/dalpha figure
    differentiates."""
    residual = prelu(x, np.array([alpha])) - target
    return 0.5 * float(np.sum(residual**2))


@styled
def plot_prelu_weight_gradient(x, target, alpha=0.25, alpha_min=-0.5, alpha_max=1.0, num=301):
    """Illustrate dL/dalpha for PReLU with the squared loss :func:`prelu_squared_loss`.

    Left: L(alpha) with its tangent at ``alpha``, whose slope is dL/dalpha from
    :func:`relu_notes.prelu_backward` (upstream gradient ``prelu(x, alpha) - target``).
    Right: each sample's contribution ``grad_output_i * x_i``; it is 0 where ``x_i > 0``.
    """
    x = np.asarray(x, dtype=float).reshape(-1)
    target = np.asarray(target, dtype=float).reshape(-1)
    if x.shape != target.shape:
        raise ValueError("x and target must have the same number of elements")
    weight = np.array([alpha])
    grad_output = prelu(x, weight) - target
    _, grad_weight = prelu_backward(grad_output, x, weight)
    slope = float(grad_weight[0])
    alphas = np.linspace(alpha_min, alpha_max, num)
    losses = np.array([prelu_squared_loss(x, target, a) for a in alphas])
    loss0 = prelu_squared_loss(x, target, alpha)

    fig, (ax_l, ax_c) = new_figure()
    ax_l.plot(alphas, losses, color=COLORS["prelu"], linewidth=2, label="L(α)")
    span = 0.25 * (alpha_max - alpha_min)
    tangent = np.array([alpha - span, alpha + span])
    ax_l.plot(
        tangent,
        loss0 + slope * (tangent - alpha),
        color=COLORS["neutral"],
        linestyle="--",
        label=f"tangent, slope dL/dα = {slope:.3f}",
    )
    ax_l.plot(alpha, loss0, "o", color=COLORS["neutral"])
    ax_l.set_xlabel("α (PReLU weight)")
    ax_l.set_ylabel("L(α)")
    ax_l.set_title("Loss as a function of α")
    ax_l.legend(loc="upper center")

    contribution = np.where(x > 0, 0.0, grad_output * x)
    ax_c.axhline(0.0, color=COLORS["neutral"], linewidth=0.8)
    ax_c.vlines(x, 0.0, contribution, color=COLORS["prelu"], linewidth=2)
    ax_c.plot(x, contribution, "o", color=COLORS["prelu"], label="(∂L/∂y_i)·x_i if x_i ≤ 0")
    ax_c.axvline(0.0, color=COLORS["neutral"], linewidth=0.8, linestyle=":")
    ax_c.set_xlabel("x_i (input of the PReLU)")
    ax_c.set_ylabel("contribution to dL/dα")
    ax_c.set_title("Only inputs with x ≤ 0 move α")
    ax_c.legend(loc="upper right")
    return fig


@styled
def plot_preactivation_shift(shift=-3.0, n=1000, seed=SEED, bins=40):
    """Histogram of a unit's pre-activations before and after a negative shift of its bias.

    Pre-activations are ``z ~ N(0, 1)`` (seeded); after the shift they are ``z + shift``. The
    shaded region ``z <= 0`` is where ReLU passes no gradient; each panel states the fraction of
    samples there, counted with :func:`relu_notes.relu_backward`.
    """
    z = np.random.default_rng(seed).standard_normal(n)
    fig, axes = new_figure()
    edges = np.linspace(min(z.min() + shift, -1.0) - 0.5, z.max() + 0.5, bins + 1)
    for ax, values, title in (
        (axes[0], z, "Healthy unit"),
        (axes[1], z + shift, f"After a bias shift of {shift:g}"),
    ):
        passes = relu_backward(np.ones_like(values), values) > 0
        ax.axvspan(
            edges[0], 0.0, color=COLORS["leaky_relu"], alpha=0.08, label="z ≤ 0: ReLU gradient is 0"
        )
        ax.hist(values, bins=edges, color=COLORS["relu"], alpha=0.8, label="pre-activations z")
        ax.set_xlabel("z = w·x + b (pre-activation)")
        ax.set_ylabel("number of inputs")
        ax.set_title(f"{title}: {passes.mean():.1%} pass gradient")
        ax.legend(loc="upper left", fontsize=7)
    return fig
