"""Tests for the alpha slider in relu_notes.widgets."""

import sys

import pytest
from matplotlib.figure import Figure

from relu_notes.plotting.slider import alpha_slider_html
from relu_notes.widgets import alpha_slider, alpha_slider_demo


@pytest.mark.parametrize("kind", ["leaky_relu", "prelu"])
def test_slider_builds_and_draws_the_plain_figure(kind):
    widgets = pytest.importorskip("ipywidgets")
    demo = alpha_slider_demo(kind, alpha=0.2)
    assert isinstance(demo, widgets.interactive)
    slider = demo.children[0]
    assert isinstance(slider, widgets.FloatSlider)
    assert (slider.value, slider.min, slider.max) == (0.2, 0.0, 1.0)
    assert isinstance(demo.result, Figure)
    assert demo.auto_display  # without it the figure is computed but never shown
    assert (
        demo.result.axes[0].get_title()
        == f"{'Leaky ReLU' if kind == 'leaky_relu' else 'PReLU'}, α = 0.2"
    )


def test_moving_the_slider_redraws_with_the_new_alpha():
    pytest.importorskip("ipywidgets")
    demo = alpha_slider_demo("leaky_relu", alpha=0.1)
    demo.children[0].value = 0.5
    assert demo.result.axes[0].get_title() == "Leaky ReLU, α = 0.5"


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
