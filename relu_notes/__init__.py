"""relu_notes: the tested engine behind the relu-notes course.

The functional API follows ``torch.nn.functional``: ``relu``, ``leaky_relu``, ``prelu``,
``rrelu`` and their hand-written backward passes.

Importing the package changes nothing in ``os.environ`` or in the BLAS thread settings; the
experiments limit BLAS threads only around their own training loops (see
:func:`relu_notes.mlp.train`).
"""

from relu_notes.functional import (
    leaky_relu,
    leaky_relu_backward,
    prelu,
    prelu_backward,
    relu,
    relu_backward,
    rrelu,
    rrelu_backward,
)

__all__ = [
    "leaky_relu",
    "leaky_relu_backward",
    "prelu",
    "prelu_backward",
    "relu",
    "relu_backward",
    "rrelu",
    "rrelu_backward",
]
__version__ = "0.2.0"
"""The course version: the book footer shows it, and CITATION.cff and CHANGELOG.md name it."""
