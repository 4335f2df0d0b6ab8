"""Alpha sliders that redraw a course figure: live in a kernel, static on the website.

``ipywidgets`` is imported only when a live widget is built, so the package works without it.
"""

import io

from relu_notes.plotting.activations import check_alpha_kind, plot_activation
from relu_notes.plotting.slider import SLIDER_ALPHAS, alpha_slider_html
from relu_notes.plotting.style import DPI, FIGSIZE_PAIR


def figure_png(kind, alpha):
    """The PNG bytes of ``plot_activation(kind, alpha=alpha)``: what the live slider shows."""
    buffer = io.BytesIO()
    plot_activation(kind, alpha=alpha).savefig(buffer, format="png")
    return buffer.getvalue()


def alpha_slider_demo(kind="leaky_relu", alpha=0.01, alpha_min=0.0, alpha_max=1.0, step=0.01):
    """Return an ``ipywidgets.VBox``: an alpha slider above :func:`plot_activation`'s figure.

    ``kind`` is ``"leaky_relu"`` or ``"prelu"``. The figure is an ``ipywidgets.Image`` whose
    value is :func:`figure_png` for the slider's alpha, redrawn when the slider is released
    (``continuous_update=False``). No output widget is involved, so the figure needs no
    front end to capture it: the same bytes reach JupyterLab, Colab and a headless kernel.
    """
    check_alpha_kind(kind)
    if not alpha_min <= alpha <= alpha_max:
        raise ValueError("need alpha_min <= alpha <= alpha_max")
    try:
        import ipywidgets
    except ImportError as exc:
        raise ImportError("alpha_slider_demo needs ipywidgets: `pip install ipywidgets`") from exc

    slider = ipywidgets.FloatSlider(
        value=alpha,
        min=alpha_min,
        max=alpha_max,
        step=step,
        description="α",
        continuous_update=False,
        readout_format=".2f",
    )
    width = round(FIGSIZE_PAIR[0] * DPI)  # the figure's own width in pixels: never stretched
    image = ipywidgets.Image(value=figure_png(kind, alpha), format="png", width=str(width))

    def redraw(change):
        image.value = figure_png(kind, change["new"])

    slider.observe(redraw, names="value")
    return ipywidgets.VBox([slider, image])


class AlphaSlider:
    """An alpha slider for ``kind`` that shows in every place a chapter is read.

    Displayed, it offers two renderings of one slider: the live ipywidgets slider
    (:func:`alpha_slider_demo`, drawn by the kernel) and the static one
    (:func:`relu_notes.plotting.slider.alpha_slider_html`, drawn by the browser). Jupyter with
    a kernel shows the live one; the website and a notebook opened without running it show the
    static one. Without ipywidgets only the static one is offered.
    """

    def __init__(self, kind="leaky_relu", alpha=0.2):
        self.kind = kind
        self.alpha = alpha
        self.html = alpha_slider_html(kind, alpha)

    def _repr_mimebundle_(self, include=None, exclude=None):
        try:
            live = alpha_slider_demo(
                self.kind,
                alpha=self.alpha,
                alpha_min=SLIDER_ALPHAS[0],
                alpha_max=SLIDER_ALPHAS[-1],
                step=round(SLIDER_ALPHAS[1] - SLIDER_ALPHAS[0], 2),
            )  # the same alphas as the static slider
        except ImportError:
            bundle = {}
        else:
            bundle = live._repr_mimebundle_(include=include, exclude=exclude)
        bundle["text/plain"] = f"AlphaSlider({self.kind!r}, alpha={self.alpha})"
        bundle["text/html"] = self.html
        return bundle


def alpha_slider(kind="leaky_relu", alpha=0.2):
    """Return an :class:`AlphaSlider` for ``kind`` starting at ``alpha`` (a multiple of 0.01)."""
    return AlphaSlider(kind, alpha)
