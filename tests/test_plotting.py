"""Tests for the course figures in relu_notes.plotting."""

import matplotlib
import numpy as np
import pytest
from matplotlib.figure import Figure

from relu_notes import leaky_relu, prelu, prelu_backward, relu
from relu_notes.plotting import (
    plot_activation,
    plot_activation_comparison,
    plot_activation_family,
    plot_preactivation_shift,
    plot_prelu_weight_gradient,
    prelu_squared_loss,
)
from relu_notes.plotting.style import DPI, FIGSIZE_PAIR

X = np.array([-2.0, -1.0, -0.5, 0.5, 1.0, 2.0])
TARGET = np.array([-0.2, -0.5, 0.1, 0.5, 1.2, 1.8])

FIGURES = {
    "relu": lambda: plot_activation("relu"),
    "leaky_relu": lambda: plot_activation("leaky_relu", alpha=0.1),
    "prelu": lambda: plot_activation("prelu", alpha=0.25),
    "family": lambda: plot_activation_family("prelu", alphas=(0.0, 0.1, 0.5)),
    "comparison": lambda: plot_activation_comparison(),
    "weight_gradient": lambda: plot_prelu_weight_gradient(X, TARGET, alpha=0.25),
    "shift": lambda: plot_preactivation_shift(shift=-2.0, n=300),
}


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_figure_has_fixed_size_and_labelled_axes(name):
    fig = FIGURES[name]()
    assert isinstance(fig, Figure)
    assert tuple(fig.get_size_inches()) == FIGSIZE_PAIR
    assert fig.dpi == DPI
    assert len(fig.axes) == 2
    for ax in fig.axes:
        assert ax.get_xlabel() and ax.get_ylabel() and ax.get_title()
        legend = ax.get_legend()
        assert legend is not None and legend.get_texts()


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_same_arguments_give_identical_png_bytes(name, png_bytes):
    first, second = png_bytes(FIGURES[name]()), png_bytes(FIGURES[name]())
    assert first == second
    assert first[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(first) < 80_000


def test_different_alpha_gives_different_png(png_bytes):
    assert png_bytes(plot_activation("leaky_relu", 0.1)) != png_bytes(
        plot_activation("leaky_relu", 0.3)
    )


def test_no_pyplot_figures_are_left_open():
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    for make in FIGURES.values():
        make()
    assert plt.get_fignums() == before


@pytest.mark.parametrize(
    ("kind", "alpha", "forward"),
    [
        ("relu", 0.3, lambda x, a: relu(x)),
        ("leaky_relu", 0.3, leaky_relu),
        ("prelu", 0.3, lambda x, a: prelu(x, np.array([a]))),
    ],
)
def test_curves_match_the_package(kind, alpha, forward):
    fig = plot_activation(kind, alpha=alpha)
    line = fig.axes[0].get_lines()[0]
    x, y = line.get_xdata(), line.get_ydata()
    np.testing.assert_allclose(y, forward(x, alpha))


@pytest.mark.parametrize(("kind", "at_zero"), [("relu", 0.0), ("leaky_relu", 0.2), ("prelu", 0.2)])
def test_closed_dot_at_zero_shows_the_x_gt_0_convention(kind, at_zero):
    ax = plot_activation(kind, alpha=0.2).axes[1]
    dots = [
        line for line in ax.get_lines() if len(line.get_xdata()) == 1 and line.get_xdata()[0] == 0.0
    ]
    closed = [d for d in dots if d.get_markerfacecolor() != "white"]
    opened = [d for d in dots if d.get_markerfacecolor() == "white"]
    assert [d.get_ydata()[0] for d in closed] == [at_zero]
    assert [d.get_ydata()[0] for d in opened] == [1.0]


def test_family_draws_one_curve_per_alpha():
    alphas = (0.0, 0.05, 0.2, 0.4)
    fig = plot_activation_family("leaky_relu", alphas=alphas)
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert labels == [f"α = {a:g}" for a in alphas]


def test_weight_gradient_tangent_slope_is_prelu_backward():
    alpha = 0.25
    fig = plot_prelu_weight_gradient(X, TARGET, alpha=alpha)
    tangent = fig.axes[0].get_lines()[1]
    tx, ty = tangent.get_xdata(), tangent.get_ydata()
    slope = (ty[1] - ty[0]) / (tx[1] - tx[0])
    grad_output = prelu(X, np.array([alpha])) - TARGET
    expected = prelu_backward(grad_output, X, np.array([alpha]))[1][0]
    assert slope == pytest.approx(expected)
    h = 1e-6
    finite = (
        prelu_squared_loss(X, TARGET, alpha + h) - prelu_squared_loss(X, TARGET, alpha - h)
    ) / (2 * h)
    assert slope == pytest.approx(finite, rel=1e-6)


def test_shift_titles_report_fraction_passing_gradient():
    fig = plot_preactivation_shift(shift=-50.0, n=200)
    assert fig.axes[1].get_title().endswith("0.0% pass gradient")


@pytest.mark.parametrize(
    "call",
    [
        lambda: plot_activation("tanh"),
        lambda: plot_activation("relu", x_min=0.5),
        lambda: plot_activation_family("relu"),
        lambda: plot_activation_family("prelu", alphas=()),
        lambda: plot_prelu_weight_gradient([1.0, 2.0], [1.0]),
    ],
)
def test_bad_arguments_raise(call):
    with pytest.raises(ValueError):
        call()


def test_works_under_agg_backend(png_bytes):
    assert matplotlib.get_backend().lower() in {"agg", "module://matplotlib_inline.backend_inline"}
    assert png_bytes(plot_activation("relu"))
