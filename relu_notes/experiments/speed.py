"""Forward + backward cost of relu, leaky_relu and prelu relative to a plain copy.

All timings come from one run of this function: each operation is timed ``repeats`` times
(after one warm-up call) with ``time.perf_counter`` and the median is kept, then divided by
the median time of ``x.copy()`` on the same array. A copy reads and writes every element once,
so it is the floor for any elementwise operation that allocates its output. Results vary from
run to run and machine to machine; the *ratios* are what the comparison table uses.
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


def _median_time(fn, repeats):
    fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


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
    copy_seconds = _median_time(x.copy, repeats)
    return SpeedResult(
        shape=tuple(shape),
        dtype=str(np.dtype(dtype)),
        repeats=int(repeats),
        copy_seconds=copy_seconds,
        forward_seconds={a: _median_time(forward[a], repeats) for a in ACTIVATIONS},
        backward_seconds={a: _median_time(backward[a], repeats) for a in ACTIVATIONS},
    )
