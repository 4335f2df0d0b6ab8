"""The static alpha slider: one SVG frame per alpha, drawn by the package's own math."""

import re

import numpy as np
import pytest

from relu_notes.functional import leaky_relu, leaky_relu_backward, prelu, prelu_backward
from relu_notes.plotting import plot_activation
from relu_notes.plotting.slider import SLIDER_ALPHAS, alpha_slider_html, slider_figure

KINDS = ["leaky_relu", "prelu"]
ALPHAS = (0.0, 0.01, 0.2, 0.5, 1.0)


def _forward_and_slope(kind, x, alpha):
    ones = np.ones_like(x)
    if kind == "leaky_relu":
        return leaky_relu(x, alpha), leaky_relu_backward(ones, x, alpha)
    weight = np.array([alpha])
    return prelu(x, weight), prelu_backward(ones, x, weight)[0]


def _frames(fig):
    """{frame index: {part: line}} from the gids of the slider figure."""
    frames = {}
    for ax in fig.axes:
        for line in ax.lines:
            match = re.fullmatch(r"\w+-alpha-(\d+)-(\d+)", line.get_gid() or "")
            if match:
                frames.setdefault(int(match[1]), {})[int(match[2])] = line
    return frames


@pytest.mark.parametrize("kind", KINDS)
def test_each_frame_draws_its_own_alpha(kind):
    frames = _frames(slider_figure(kind, ALPHAS))
    assert sorted(frames) == list(range(len(ALPHAS)))
    for index, alpha in enumerate(ALPHAS):
        function, negative, positive = (frames[index][part] for part in range(3))
        x = function.get_xdata()
        value, slope = _forward_and_slope(kind, x, alpha)
        np.testing.assert_array_equal(function.get_ydata(), value)
        np.testing.assert_array_equal(negative.get_ydata(), slope[x < 0])
        np.testing.assert_array_equal(positive.get_ydata(), slope[x > 0])
        closed_dot = frames[index][max(frames[index])]  # drawn last: the value used at x = 0
        assert (closed_dot.get_xdata()[0], closed_dot.get_ydata()[0]) == (0.0, alpha)


@pytest.mark.parametrize("kind", KINDS)
def test_only_the_starting_frame_is_shown_without_script(kind):
    html = alpha_slider_html(kind, alpha=0.2)
    groups = re.findall(rf'<g id="{kind}-alpha-(\d+)-\d+"( display="none")?', html)
    shown = {int(index) for index, hidden in groups if not hidden}
    assert shown == {SLIDER_ALPHAS.index(0.2)}
    assert {int(index) for index, _ in groups} == set(range(len(SLIDER_ALPHAS)))
    # Hidden frames hold no <defs>: markers must stay usable by every frame.
    assert "<defs>" not in "".join(re.findall(r'display="none">.*?</g>', html, flags=re.S))


def test_controls_and_readout():
    html = alpha_slider_html("prelu", alpha=0.25)
    assert 'data-start="25"' in html
    assert '<output aria-live="polite">α = 0.25</output>' in html
    assert 'role="img" aria-label="PReLU (left) and its derivative' in html
    # The script builds the range input: a page that runs no script shows no dead control,
    # only the note (which the script removes) and the starting alpha.
    assert "<input" not in html
    assert '<span class="relu-slider-note">Run the cell' in html
    assert "<metadata>" not in html  # its text would show where the SVG is stripped


def test_same_arguments_give_the_same_html():
    def html(alpha):
        return alpha_slider_html("leaky_relu", alpha, alphas=ALPHAS)

    assert html(0.2) == html(0.2)
    assert html(0.2) != html(0.5)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"kind": "relu"},
        {"kind": "tanh"},
        {"alpha": 0.123},
        {"alphas": (0.5,), "alpha": 0.5},
        {"alphas": (0.2, 0.1), "alpha": 0.1},
    ],
)
def test_bad_arguments_raise(kwargs):
    with pytest.raises(ValueError):
        alpha_slider_html(**kwargs)


@pytest.mark.parametrize("alpha", [0.0, 0.1, 0.3, 0.5, 0.7, 1.0])
@pytest.mark.parametrize("figure", ["plot_activation", "slider"])
def test_the_legend_never_covers_the_dot_at_zero(figure, alpha):
    if figure == "plot_activation":
        fig = plot_activation("leaky_relu", alpha=alpha)
    else:
        fig = slider_figure("leaky_relu", (alpha,))
    fig.canvas.draw()
    ax_d = fig.axes[1]
    box = ax_d.get_legend().get_window_extent().padded(6)  # a dot's radius, in pixels
    assert not box.contains(*ax_d.transData.transform((0.0, alpha)))
