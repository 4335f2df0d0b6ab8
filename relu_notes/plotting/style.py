"""Shared figure style: fixed size, dpi, colours and the x = 0 markers.

Every course figure is a :class:`matplotlib.figure.Figure` built without ``pyplot``, so it is
safe under the Agg backend, never leaks into pyplot's global state and is displayed exactly once
in a notebook. Same arguments give byte-identical PNGs (fixed size, dpi and no randomness, or a
fixed seed where a figure draws random samples).
"""

import functools

import matplotlib
import numpy as np
from matplotlib.figure import Figure

from relu_notes.experiments.stats import mean_interval

DPI = 100
"""Dots per inch of every course figure."""

FIGSIZE_PAIR = (8.0, 3.2)
"""Size in inches of a figure with two side-by-side panels (function | derivative)."""

SEED = 0
"""Seed used by figures that draw random samples."""

OKABE_ITO = (
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#000000",  # black
)
"""The Okabe-Ito palette: distinguishable under the common colour-vision deficiencies. Every
course figure (activations and experiments) takes its colours from here."""

COLORS = {
    "relu": OKABE_ITO[0],
    "leaky_relu": OKABE_ITO[1],
    "prelu": OKABE_ITO[2],
    "neutral": "#555555",
}
"""Colour of each activation, shared by every figure so a reader can match curves by colour."""

FAMILY_COLORS = OKABE_ITO[:6]
"""Colours for curves of one activation over several alphas."""

_RC = {
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.labelsize": 9,
    "legend.fontsize": 8,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


def styled(plot_function):
    """Decorator: build the figure inside the course's matplotlib style (fonts, grid, spines)."""

    @functools.wraps(plot_function)
    def wrapper(*args, **kwargs):
        with matplotlib.rc_context(_RC):
            return plot_function(*args, **kwargs)

    return wrapper


BOOK_WIDTH = 7.0
"""Width in inches of an experiment figure: the text column of the book."""

ARM_COLORS = {
    "relu": COLORS["relu"],
    "leaky_0.01": COLORS["leaky_relu"],
    "leaky_0.25": OKABE_ITO[3],
    "prelu": COLORS["prelu"],
}
"""Colour of each arm of :data:`relu_notes.experiments.arms.ARMS` (the control has its own)."""
ARM_MARKERS = {"relu": "o", "leaky_0.01": "s", "leaky_0.25": "D", "prelu": "^"}


def panels(ncols, height=3.0, width=BOOK_WIDTH, widths=None):
    """Return ``(fig, axes)``: ``ncols`` gridded panels in one row of a book-width figure."""
    fig = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
    axes = fig.subplots(1, ncols, squeeze=False, width_ratios=widths)[0]
    for ax in axes:
        ax.grid(True, alpha=0.3)
    return fig, axes


def seed_offsets(n, spread):
    """Fixed horizontal offsets, ``spread`` wide, for ``n`` per-seed points around 0."""
    return np.linspace(-spread / 2, spread / 2, n) if n > 1 else np.zeros(1)


def seeds_and_interval(ax, x, values, color, marker, *, spread=0.24, points_at=0.0, mean_at=0.3):
    """Draw one group at ``x``: each seed's value as a small faint point (around
    ``x + points_at``), and the mean with its 95% t interval as an error bar at ``x + mean_at``."""
    values = np.asarray(values, dtype=float)
    offsets = x + points_at + seed_offsets(values.size, spread)
    ax.plot(offsets, values, marker, color=color, alpha=0.35, ms=3)
    ci = mean_interval(values)
    err = [[ci.mean - ci.low], [ci.high - ci.mean]]
    ax.errorbar(x + mean_at, ci.mean, yerr=err, fmt=marker, color=color, capsize=3, ms=5)


def new_figure(ncols=2, figsize=FIGSIZE_PAIR):
    """Return ``(fig, axes)``: a pyplot-free figure with ``ncols`` panels in one row."""
    fig = Figure(figsize=figsize, dpi=DPI, layout="constrained")
    axes = fig.subplots(1, ncols, squeeze=False)[0]
    return fig, list(axes)


def mark_zero_convention(ax, left_value, right_value, value_at_zero, color):
    """Mark a jump at x = 0: open dots at the one-sided limits, a closed dot at the value used.

    A limit that equals ``value_at_zero`` gets only the closed dot.
    """
    for limit in {left_value, right_value}:
        if limit != value_at_zero:
            ax.plot(
                0.0,
                limit,
                "o",
                markersize=6,
                markerfacecolor="white",
                markeredgecolor=color,
                zorder=4,
            )
    ax.plot(0.0, value_at_zero, "o", markersize=6, color=color, zorder=5)
