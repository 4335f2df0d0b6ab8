"""Course figures. Every function returns a fixed-size :class:`matplotlib.figure.Figure`."""

from relu_notes.plotting.activations import (
    plot_activation,
    plot_activation_comparison,
    plot_activation_family,
    plot_preactivation_shift,
    plot_prelu_weight_gradient,
    prelu_squared_loss,
)

__all__ = [
    "plot_activation",
    "plot_activation_comparison",
    "plot_activation_family",
    "plot_preactivation_shift",
    "plot_prelu_weight_gradient",
    "prelu_squared_loss",
]
