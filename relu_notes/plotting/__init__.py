"""Course figures. Every function returns a fixed-size :class:`matplotlib.figure.Figure`."""

from relu_notes.plotting.activations import (
    plot_activation,
    plot_activation_comparison,
    plot_activation_family,
    plot_preactivation_shift,
    plot_prelu_weight_gradient,
    prelu_squared_loss,
)
from relu_notes.plotting.controls import (
    arm_comparison_alt_text,
    plot_arm_comparison,
    plot_recovery,
    recovery_alt_text,
)
from relu_notes.plotting.dying import (
    alt_text_dying_stress,
    alt_text_natural_dying,
    plot_dying_stress,
    plot_natural_dying,
)
from relu_notes.plotting.experiments import (
    alt_text,
    plot_alpha_sweep,
    plot_born_dead,
    plot_init_gain,
    plot_prelu_alpha,
    plot_speed,
)

__all__ = [
    "alt_text",
    "alt_text_dying_stress",
    "alt_text_natural_dying",
    "arm_comparison_alt_text",
    "plot_arm_comparison",
    "plot_dying_stress",
    "plot_natural_dying",
    "plot_recovery",
    "recovery_alt_text",
    "plot_activation",
    "plot_activation_comparison",
    "plot_activation_family",
    "plot_alpha_sweep",
    "plot_born_dead",
    "plot_init_gain",
    "plot_preactivation_shift",
    "plot_prelu_alpha",
    "plot_prelu_weight_gradient",
    "plot_speed",
    "prelu_squared_loss",
]
