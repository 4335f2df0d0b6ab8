"""Forward + backward cost of relu, leaky_relu and prelu relative to a plain copy.

All timings come from one run of this function, in ``repeats`` interleaved rounds (after one
warm-up call of each operation): in each round ``x.copy()`` and the forward and backward pass
of every activation are timed once with ``time.perf_counter``. The medians over rounds are
kept, and each round also gives its own ratio (forward + backward) / copy, so a verdict can
use an interval over repeated runs (:meth:`SpeedResult.total_ratios`). A copy reads and writes
every element once, so it is the floor for any elementwise operation that allocates its
output. Results vary from run to run and machine to machine; the *ratios* are what the
comparison table uses.
"""

import time
from dataclasses import dataclass

import numpy as np

from relu_notes.functional import (
    leaky_relu,
    leaky_relu_backward,
    prelu,
    prelu_backward,
    relu,
    relu_backward,
)

ACTIVATIONS = ("relu", "leaky_relu", "prelu")


@dataclass
class SpeedResult:
    """Median seconds per call; ratios are relative to ``copy_seconds``."""

    shape: tuple
    dtype: str
    repeats: int
    copy_seconds: float
    forward_seconds: dict
    backward_seconds: dict
    round_ratios: dict
    """``{activation: [(forward + backward) / copy of each round]}``."""

    def total_ratios(self, activation):
        """One (forward + backward) / copy ratio per round (``repeats`` values)."""
        return np.asarray(self.round_ratios[activation], dtype=float)

    def forward_ratio(self, activation):
        return self.forward_seconds[activation] / self.copy_seconds

    def total_ratio(self, activation):
        """(forward + backward) time divided by one copy."""
        fb = self.forward_seconds[activation] + self.backward_seconds[activation]
        return fb / self.copy_seconds

    def summary(self):
        return [
            {
                "activation": a,
                "forward_ms": round(1e3 * self.forward_seconds[a], 3),
                "backward_ms": round(1e3 * self.backward_seconds[a], 3),
                "forward_x_copy": round(self.forward_ratio(a), 2),
                "fwd_bwd_x_copy": round(self.total_ratio(a), 2),
            }
            for a in self.forward_seconds
        ]


def _seconds(fn):
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def run_speed(shape=(4096, 4096), *, dtype="float32", repeats=7, negative_slope=0.01, seed=0):
    """Time copy, and forward/backward of each activation on one random array.

    PReLU uses channel-wise weights (``shape[1]`` values, axis 1), as in ``torch.nn.PReLU``
    with ``num_parameters = C``. The default 16M float32 elements (64 MB) are far larger than
    the caches, so the copy is memory-bound, as in ``benchmarks/bench_activations.py``; on
    cache-sized arrays the copy is so fast that fixed per-call costs dominate the ratios.
    """
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape).astype(dtype)
    grad = rng.standard_normal(shape).astype(dtype)
    weight = np.full(shape[1], 0.25, dtype=dtype)
    forward = {
        "relu": lambda: relu(x),
        "leaky_relu": lambda: leaky_relu(x, negative_slope),
        "prelu": lambda: prelu(x, weight),
    }
    backward = {
        "relu": lambda: relu_backward(grad, x),
        "leaky_relu": lambda: leaky_relu_backward(grad, x, negative_slope),
        "prelu": lambda: prelu_backward(grad, x, weight),
    }
    for fn in (x.copy, *forward.values(), *backward.values()):
        fn()  # warm-up
    copies, fwd, bwd = [], {a: [] for a in ACTIVATIONS}, {a: [] for a in ACTIVATIONS}
    for _ in range(repeats):
        copies.append(_seconds(x.copy))
        for a in ACTIVATIONS:
            fwd[a].append(_seconds(forward[a]))
            bwd[a].append(_seconds(backward[a]))
    copies = np.array(copies)
    return SpeedResult(
        shape=tuple(shape),
        dtype=str(np.dtype(dtype)),
        repeats=int(repeats),
        copy_seconds=float(np.median(copies)),
        forward_seconds={a: float(np.median(fwd[a])) for a in ACTIVATIONS},
        backward_seconds={a: float(np.median(bwd[a])) for a in ACTIVATIONS},
        round_ratios={
            a: ((np.array(fwd[a]) + np.array(bwd[a])) / copies).tolist() for a in ACTIVATIONS
        },
    )
