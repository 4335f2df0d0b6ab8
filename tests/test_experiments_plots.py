import matplotlib
import pytest
from matplotlib.figure import Figure

from relu_notes import plotting
from relu_notes.plotting import experiments as plots
from relu_notes.plotting.style import BOOK_WIDTH, DPI

matplotlib.use("Agg")

FIGURES = {
    "dying": lambda r: plotting.plot_dying_stress(r["dying"]),
    "natural_dying": lambda r: plotting.plot_natural_dying(r["natural_dying"]),
    "born_dead": lambda r: plots.plot_born_dead(r["born_dead"]),
    "alpha_sweep": lambda r: plots.plot_alpha_sweep(r["alpha_sweep"]),
    "recovery": lambda r: plotting.plot_recovery(r["recovery"]),
    "prelu_alpha": lambda r: plots.plot_prelu_alpha(r["prelu_alpha"]),
    "arms": lambda r: plotting.plot_arm_comparison(r["prelu_alpha"], r["overfitting"]),
    "init_gain": lambda r: plots.plot_init_gain(r["init_gain"]),
    "speed": lambda r: plots.plot_speed(r["speed"]),
}


@pytest.mark.parametrize("name", FIGURES)
def test_figure_is_labelled_sized_and_light(quick_results, name, png_bytes):
    fig = FIGURES[name](quick_results)
    assert isinstance(fig, Figure)
    assert fig.dpi == DPI and fig.get_figwidth() <= BOOK_WIDTH
    data_axes = [ax for ax in fig.axes if ax.get_label() != "<colorbar>" and ax.has_data()]
    for ax in data_axes:
        assert ax.get_xlabel() and ax.get_ylabel() and ax.get_title()
    has_legend = any(ax.get_legend() is not None for ax in fig.axes) or bool(fig.legends)
    has_colorbar = len(fig.axes) > len(data_axes)
    assert has_legend or has_colorbar
    png = png_bytes(fig)
    assert len(png) < 120_000
    assert png == png_bytes(FIGURES[name](quick_results))  # deterministic


@pytest.mark.parametrize(
    "name",
    ["dying", "natural_dying", "born_dead", "alpha_sweep", "recovery", "prelu_alpha"]
    + ["overfitting", "init_gain", "speed"],
)
def test_alt_text(quick_results, name):
    text = plots.alt_text(quick_results[name])
    assert len(text) > 60


def test_alt_text_rejects_unknown():
    with pytest.raises(TypeError):
        plots.alt_text(object())
