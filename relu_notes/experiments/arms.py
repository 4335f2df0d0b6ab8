"""The arms every comparison trains, and the seeds it uses.

PReLU starts at alpha = 0.25 (He et al. 2015), while Leaky ReLU's usual slope is 0.01. A
difference between those two arms may come from the slope's size rather than from learning it,
so every comparison of PReLU with Leaky ReLU also trains Leaky ReLU fixed at PReLU's initial
slope, 0.25: the control arm (same slope, other mechanism). Same seed, same arm order: seed
``s`` fixes the data split, the weights (drawn with each arm's own He gain) and the batches, so
arms can be compared seed by seed (paired differences).
"""

from dataclasses import dataclass

from relu_notes.mlp import MLP

PRELU_INIT = 0.25
"""PReLU's initial slope, and the slope of the control arm."""

SEEDS = (0, 1, 2, 3, 4)
"""Five seeds: the fewest with which a paired t interval is informative (t = 2.78 at 4 d.f.)."""


@dataclass(frozen=True)
class Arm:
    """One activation setting: ``name`` for code, ``label`` for figures and tables."""

    name: str
    label: str
    activation: str
    slope: float
    """The fixed negative slope (ReLU 0, Leaky ReLU its alpha) or PReLU's initial alpha."""

    def model(self, sizes, seed, **kwargs):
        """An :class:`~relu_notes.mlp.MLP` of this arm (He initialisation for its slope)."""
        if self.activation == "prelu":
            return MLP(sizes, "prelu", prelu_init=self.slope, seed=seed, **kwargs)
        if self.activation == "leaky_relu":
            return MLP(sizes, "leaky_relu", negative_slope=self.slope, seed=seed, **kwargs)
        return MLP(sizes, "relu", seed=seed, **kwargs)


RELU = Arm("relu", "ReLU", "relu", 0.0)
LEAKY = Arm("leaky_0.01", "Leaky ReLU 0.01", "leaky_relu", 0.01)
LEAKY_CONTROL = Arm("leaky_0.25", "Leaky ReLU 0.25 (control)", "leaky_relu", PRELU_INIT)
PRELU = Arm("prelu", "PReLU (starts at 0.25)", "prelu", PRELU_INIT)
ARMS = (RELU, LEAKY, LEAKY_CONTROL, PRELU)
"""Every comparison trains these four, in this order."""


def arm(name):
    """The arm called ``name`` (one of :data:`ARMS`)."""
    for candidate in ARMS:
        if candidate.name == name:
            return candidate
    raise ValueError(f"no arm {name!r}; the arms are {[a.name for a in ARMS]}")
