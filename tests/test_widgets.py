"""Tests for the alpha slider in relu_notes.widgets."""

import sys

import pytest

from relu_notes.plotting.slider import alpha_slider_html
from relu_notes.widgets import alpha_slider, alpha_slider_demo, figure_png


@pytest.mark.parametrize("kind", ["leaky_relu", "prelu"])
def test_slider_builds_and_shows_the_plain_figure(kind):
    widgets = pytest.importorskip("ipywidgets")
    demo = alpha_slider_demo(kind, alpha=0.2)
    slider, image = demo.children
    assert isinstance(slider, widgets.FloatSlider)
    assert (slider.value, slider.min, slider.max) == (0.2, 0.0, 1.0)
    assert isinstance(image, widgets.Image)
    assert image.value == figure_png(kind, 0.2)
    assert image.width == "800"  # FIGSIZE_PAIR at the course's dpi, shown at its own size


def test_moving_the_slider_redraws_with_the_new_alpha():
    pytest.importorskip("ipywidgets")
    demo = alpha_slider_demo("leaky_relu", alpha=0.1)
    slider, image = demo.children
    slider.value = 0.5
    assert image.value == figure_png("leaky_relu", 0.5)
    assert image.value != figure_png("leaky_relu", 0.1)


def test_figure_png_is_plot_activation():
    png = figure_png("prelu", 0.3)
    assert png.startswith(b"\x89PNG")
    assert png == figure_png("prelu", 0.3)  # the same figure every time


@pytest.mark.parametrize("kwargs", [{"kind": "relu"}, {"alpha": 2.0}])
def test_bad_arguments_raise(kwargs):
    with pytest.raises(ValueError):
        alpha_slider_demo(**kwargs)


def test_clear_error_without_ipywidgets(monkeypatch):
    monkeypatch.setitem(sys.modules, "ipywidgets", None)
    with pytest.raises(ImportError, match="pip install ipywidgets"):
        alpha_slider_demo("leaky_relu")


def test_alpha_slider_offers_the_live_and_the_static_slider():
    pytest.importorskip("ipywidgets")
    bundle = alpha_slider("prelu", alpha=0.5)._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/html"] == alpha_slider_html("prelu", 0.5)
    assert bundle["text/plain"] == "AlphaSlider('prelu', alpha=0.5)"


def test_alpha_slider_without_ipywidgets_is_static_only(monkeypatch):
    monkeypatch.setitem(sys.modules, "ipywidgets", None)
    bundle = alpha_slider("leaky_relu", alpha=0.2)._repr_mimebundle_()
    assert set(bundle) == {"text/plain", "text/html"}
