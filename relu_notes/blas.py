"""One BLAS thread around the experiments' matrix products, and nowhere else.

The course's networks are tiny (tens of units, a few hundred examples). On a 2-core machine
(Binder, CI) handing such products to a second BLAS thread costs more than it saves, so the
experiments run them on one thread. The limit holds only while a decorated function runs and
the caller's setting comes back when it returns: importing :mod:`relu_notes` changes no
environment variable and no global thread setting.
"""

from threadpoolctl import threadpool_limits

one_blas_thread = threadpool_limits.wrap(limits=1, user_api="blas")
"""Decorator: the function runs with NumPy's BLAS (OpenBLAS, MKL, ...) limited to one thread."""
