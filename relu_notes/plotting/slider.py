"""An alpha slider that needs no kernel: one SVG with a frame per alpha, and a few lines of JS.

The figure is :func:`relu_notes.plotting.plot_activation`'s pair of panels (the function and its
derivative, with the x = 0 convention marked: the branch condition is ``x > 0``, so the slope
used at ``x = 0`` is ``alpha``). Every frame is drawn by matplotlib from the package's forward and
backward passes; the script only shows the frame whose alpha the slider picks. Without
JavaScript (a page opened in an untrusted notebook, say) the figure shows the starting alpha.

Same arguments give the same HTML: fixed size, SVG hash salt and no date, and no random ids
(the script finds its own figure through ``document.currentScript``).
"""

import io
import json
import re

import matplotlib
import numpy as np

from relu_notes.functional import ACTIVATION_LABELS
from relu_notes.plotting.activations import (
    _check_kind,
    _convention_handles,
    _draw_pair,
    _grid,
    _label_axes,
    check_alpha_kind,
    place_derivative_legend,
)
from relu_notes.plotting.style import COLORS, new_figure, styled

SLIDER_ALPHAS = tuple(round(0.01 * k, 2) for k in range(101))
"""The alphas a slider offers: 0 to 1 in steps of 0.01 (0.01 is Leaky ReLU's usual slope)."""

_SVG_RC = {"svg.fonttype": "path", "svg.hashsalt": "relu-notes-slider"}
_FRAME_ID = "{kind}-alpha-{index}-{part}"

# Builds the range input, then shows the frame it picks and writes its alpha. A page that runs
# no script (a notebook opened without running it: JupyterLab strips scripts and SVG there)
# keeps only the note and the starting alpha: never a control that does nothing.
_SCRIPT = """(function (root) {
  var alphas = JSON.parse(root.getAttribute("data-alphas"));
  var out = root.querySelector("output"), label = document.createElement("label");
  var input = document.createElement("input");
  input.type = "range"; input.min = 0; input.max = alphas.length - 1; input.step = 1;
  input.value = root.getAttribute("data-start");
  input.setAttribute("aria-label", "alpha, the negative slope");
  label.append("\u03b1 ", input);
  out.before(label);
  root.querySelector(".relu-slider-note").remove();
  var frames = root.querySelectorAll("g[id*='-alpha-']");
  function show(k) {
    frames.forEach(function (g) {
      var index = g.id.split("-alpha-")[1].split("-")[0];
      g.setAttribute("display", index === String(k) ? "inline" : "none");
    });
    var text = "\u03b1 = " + alphas[k].toFixed(2);
    out.textContent = text;
    input.setAttribute("aria-valuetext", text);
  }
  input.addEventListener("input", function () { show(input.value); });
  show(input.value);
})(document.currentScript.parentNode);"""


def slider_alt_text(kind):
    """Alt text of the slider figure for ``kind`` (``"leaky_relu"`` or ``"prelu"``)."""
    name = ACTIVATION_LABELS[kind]
    return (
        f"{name} (left) and its derivative (right) for the alpha chosen with the slider. "
        "For x > 0 the function is x and its slope is 1; for x < 0 it is alpha times x and "
        "its slope is alpha, the value also used at x = 0. At alpha = 0 the curve is ReLU; "
        "at alpha = 1 it is the straight line y = x."
    )


@styled
def slider_figure(kind, alphas, x_min=-3.0, x_max=3.0, num=601):
    """The figure behind the slider: every alpha's frame drawn on one pair of panels.

    The lines of frame ``i`` (``alphas[i]``) have the gids ``"<kind>-alpha-<i>-<part>"``, in
    drawing order: the function, the derivative for x < 0 and for x > 0, then the dots of the
    x = 0 convention.
    """
    _check_kind(kind)
    x = _grid(x_min, x_max, num)
    fig, (ax_f, ax_d) = new_figure()
    for index, alpha in enumerate(alphas):
        n_f, n_d = len(ax_f.lines), len(ax_d.lines)
        _draw_pair(ax_f, ax_d, kind, alpha, x, COLORS[kind], None)
        for part, line in enumerate(ax_f.lines[n_f:] + ax_d.lines[n_d:]):
            line.set_gid(_FRAME_ID.format(kind=kind, index=index, part=part))
    name = ACTIVATION_LABELS[kind]
    _label_axes(ax_f, ax_d, f"{name} for the chosen α", f"Derivative of {name}")
    place_derivative_legend(ax_d, _convention_handles(ax_d))
    ax_d.set_ylim(min(-0.1, min(alphas) - 0.1), 1.15)
    return fig


def _frames_svg(fig, kind, start):
    """The SVG text of :func:`slider_figure`, with every frame but ``start`` hidden."""
    with matplotlib.rc_context(_SVG_RC):
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]  # no XML prolog or doctype inside HTML
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, count=1, flags=re.S)
    size = r'<svg([^>]*?) width="[^"]+" height="[^"]+"'
    svg = re.sub(size, r'<svg\1 width="100%"', svg, count=1)  # as wide as the text column
    # Markers and glyphs are <defs> drawn once and reused: a hidden frame must not hold them.
    defs = re.findall(r"<defs>.*?</defs>", svg, flags=re.S)
    svg = re.sub(r"\s*<defs>.*?</defs>", "", svg, flags=re.S)
    opening = svg.index(">") + 1
    svg = svg[:opening] + "\n" + "\n".join(defs) + svg[opening:]
    hidden = re.compile(rf'<g id="{re.escape(kind)}-alpha-(\d+)-\d+"')
    return hidden.sub(
        lambda m: m.group(0) + ("" if int(m.group(1)) == start else ' display="none"'), svg
    )


def alpha_slider_html(kind="leaky_relu", alpha=0.2, alphas=SLIDER_ALPHAS, x_min=-3.0, x_max=3.0):
    """Return the HTML of a slider over ``alphas`` that redraws ``kind`` and its derivative.

    ``alpha`` is the starting value and must be one of ``alphas``. The slider is an
    ``<input type="range">`` (arrow keys move it one step) and an ``<output>`` shows the current
    alpha. It runs in a browser with no kernel.
    """
    check_alpha_kind(kind)
    alphas = tuple(float(a) for a in alphas)
    if len(alphas) < 2 or list(alphas) != sorted(set(alphas)):
        raise ValueError("alphas must be at least two distinct values in increasing order")
    matches = np.flatnonzero(np.isclose(alphas, alpha, rtol=0.0, atol=1e-12))
    if matches.size != 1:
        raise ValueError(f"alpha = {alpha!r} is not one of the slider's alphas")
    start = int(matches[0])
    svg = _frames_svg(slider_figure(kind, alphas, x_min, x_max), kind, start)
    svg = svg.replace("<svg", f'<svg role="img" aria-label="{slider_alt_text(kind)}"', 1)
    shown = f"α = {alphas[start]:.2f}"
    return (
        f'<figure class="relu-slider" data-alphas="{json.dumps(alphas)}" data-start="{start}">\n'
        f"{svg}"
        '<div class="relu-slider-controls">\n'
        '<span class="relu-slider-note">Run the cell to draw the figure and its slider.</span>\n'
        f'<output aria-live="polite">{shown}</output>\n'
        "</div>\n"
        f"<script>\n{_SCRIPT}\n</script>\n"
        "</figure>"
    )
