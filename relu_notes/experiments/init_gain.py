r"""Initialization gain and activation variance through depth (He et al. 2015, Sec. 2.2).

With weights ``W ~ N(0, g^2 / n)`` (``n`` = fan-in) and a rectifier with negative slope ``a``,
the pre-activations ``z_l`` of consecutive layers satisfy, for symmetric ``z_{l-1}``,

.. math::

   E[z_l^2] = g^2 \, E[f(z_{l-1})^2] = g^2 \, \frac{1 + a^2}{2} \, E[z_{l-1}^2],

so the second moment is multiplied by ``r = g^2 (1 + a^2) / 2`` per layer and
``q_L / q_1 = r^{L-1}``. The He gain ``g = sqrt(2 / (1 + a^2))`` gives ``r = 1`` (stable); the
ReLU gain ``sqrt(2)`` used with ``a = 0.5`` gives ``r = 1.25`` (explodes); gain 1
(Xavier/LeCun-style, ``Var W = 1 / n``) with ReLU gives ``r = 0.5`` (vanishes).
"""

from dataclasses import dataclass

import numpy as np

from relu_notes.blas import one_blas_thread
from relu_notes.experiments.serial import PlainDict
from relu_notes.functional import leaky_relu
from relu_notes.mlp import he_gain

DEFAULT_CONFIGS = (
    ("ReLU, He gain", 0.0, he_gain(0.0)),
    ("Leaky 0.5, matched gain", 0.5, he_gain(0.5)),
    ("Leaky 0.5, ReLU gain", 0.5, he_gain(0.0)),
    ("ReLU, gain 1", 0.0, 1.0),
)


@dataclass
class InitGainResult(PlainDict):
    """``measured[c, l]`` and ``analytic[c, l]``: second moment of layer ``l + 1``'s
    pre-activations, divided by that of layer 1, for config ``c`` = (label, slope, gain)."""

    configs: tuple
    width: int
    n_samples: int
    depths: np.ndarray
    measured: np.ndarray
    analytic: np.ndarray

    def per_layer_ratio(self, index):
        """Analytic per-layer factor ``g^2 (1 + a^2) / 2`` of config ``index``."""
        _, slope, gain = self.configs[index]
        return gain**2 * (1 + slope**2) / 2

    def summary(self):
        return [
            {
                "config": label,
                "slope": slope,
                "gain": round(gain, 4),
                "ratio_per_layer": round(self.per_layer_ratio(i), 4),
                "final_measured": float(f"{self.measured[i, -1]:.3g}"),
                "final_analytic": float(f"{self.analytic[i, -1]:.3g}"),
            }
            for i, (label, slope, gain) in enumerate(self.configs)
        ]


@one_blas_thread
def run_init_gain(configs=DEFAULT_CONFIGS, *, depth=30, width=256, n_samples=256, seed=0):
    """Propagate standard normal inputs through ``depth`` random layers per config.

    All configs use the same random draws (only gain and slope change), biases are zero.
    Returns an InitGainResult with measured and analytic normalized second moments.
    """
    configs = tuple((str(c[0]), float(c[1]), float(c[2])) for c in configs)
    depths = np.arange(1, depth + 1)
    measured = np.zeros((len(configs), depth))
    analytic = np.zeros_like(measured)
    for c, (_, slope, gain) in enumerate(configs):
        rng = np.random.default_rng(seed)
        h = rng.standard_normal((n_samples, width))
        for layer in range(depth):
            w = rng.standard_normal((width, width)) * (gain / np.sqrt(width))
            z = h @ w
            measured[c, layer] = np.mean(z**2)
            h = np.asarray(leaky_relu(z, slope), dtype=np.float64)
        measured[c] /= measured[c, 0]
        analytic[c] = (gain**2 * (1 + slope**2) / 2) ** (depths - 1)
    return InitGainResult(
        configs=configs,
        width=int(width),
        n_samples=int(n_samples),
        depths=depths,
        measured=measured,
        analytic=analytic,
    )
