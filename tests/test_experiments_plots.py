import matplotlib
import pytest
from matplotlib.figure import Figure

from relu_notes.plotting import experiments as plots

matplotlib.use("Agg")

FIGURES = {
    "dying": plots.plot_dying,
    "born_dead": plots.plot_born_dead,
    "alpha_sweep": plots.plot_alpha_sweep,
    "prelu_alpha": plots.plot_prelu_alpha,
    "overfitting": plots.plot_overfitting,
    "init_gain": plots.plot_init_gain,
    "speed": plots.plot_speed,
}


@pytest.mark.parametrize("name", FIGURES)
def test_figure_is_labelled_sized_and_light(quick_results, name, png_bytes):
    fig = FIGURES[name](quick_results[name])
    assert isinstance(fig, Figure)
    assert fig.dpi == plots.DPI and fig.get_figwidth() <= 7.0
    data_axes = [ax for ax in fig.axes if ax.get_label() != "<colorbar>"]
    for ax in data_axes:
        assert ax.get_xlabel() and ax.get_ylabel() and ax.get_title()
    has_legend = any(ax.get_legend() is not None for ax in data_axes)
    has_colorbar = len(fig.axes) > len(data_axes)
    assert has_legend or has_colorbar
    png = png_bytes(fig)
    assert len(png) < 80_000
    assert png == png_bytes(FIGURES[name](quick_results[name]))  # deterministic


@pytest.mark.parametrize("name", FIGURES)
def test_alt_text(quick_results, name):
    text = plots.alt_text(quick_results[name])
    assert len(text) > 60


def test_alt_text_rejects_unknown():
    with pytest.raises(TypeError):
        plots.alt_text(object())
