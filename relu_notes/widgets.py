"""An ipywidgets slider for alpha that redraws a course figure.

``ipywidgets`` is imported only when a widget is built, so the package works without it.
"""

from relu_notes.plotting.activations import plot_activation


def alpha_slider_demo(kind="leaky_relu", alpha=0.01, alpha_min=0.0, alpha_max=1.0, step=0.01):
    """Return an ``ipywidgets.interactive``: an alpha slider over :func:`plot_activation`.

    ``kind`` is ``"leaky_relu"`` or ``"prelu"``. The callback is exactly
    ``plot_activation(kind, alpha=alpha)``, so a plain call of that function checks everything
    the widget draws. The slider only redraws on release (``continuous_update=False``).
    """
    if kind not in ("leaky_relu", "prelu"):
        raise ValueError(f"kind must be 'leaky_relu' or 'prelu', got {kind!r}")
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

    def draw(alpha):
        return plot_activation(kind, alpha=alpha)

    return ipywidgets.interactive(draw, alpha=slider)
