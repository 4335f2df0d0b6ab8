"""relu_notes: the tested engine behind the relu-notes course.

The functional API follows ``torch.nn.functional``: ``relu``, ``leaky_relu``, ``prelu`` and
their hand-written backward passes.

Importing the package first (as every chapter does) caps BLAS at one thread unless the caller
chose otherwise: the course's networks are tiny, and on a 2-core machine (Binder, CI) extra BLAS
threads made the experiments 2-10x slower, not faster.
"""

import os

# Only NumPy's OpenBLAS: OMP_NUM_THREADS would also cap torch, which the benchmarks compare with.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from relu_notes.functional import (  # noqa: E402 (after the BLAS thread cap)
    leaky_relu,
    leaky_relu_backward,
    prelu,
    prelu_backward,
    relu,
    relu_backward,
)

__all__ = [
    "leaky_relu",
    "leaky_relu_backward",
    "prelu",
    "prelu_backward",
    "relu",
    "relu_backward",
]
__version__ = "0.1.0"
