"""One BLAS thread around the experiments' matrix products, and nowhere else.

The course's networks are tiny (tens of units, a few hundred examples). On a 2-core machine
(Binder, CI) handing such products to a second BLAS thread costs more than it saves, so the
experiments run them on one thread. The limit holds only while a decorated function runs and
the caller's setting comes back when it returns: importing :mod:`relu_notes` changes no
environment variable and no global thread setting.
"""

import os


def _import_threadpoolctl():
    """threadpoolctl, imported without the ``KMP_DUPLICATE_LIB_OK`` it sets in ``os.environ``.

    threadpoolctl sets that variable at import in case it loads Intel's OpenMP runtime twice; it
    loads no library here (it only inspects the loaded ones), and the variable would otherwise
    leak into every child process of the caller.
    """
    before = dict(os.environ)
    import threadpoolctl

    for name in set(os.environ) - set(before):
        del os.environ[name]
    os.environ.update(before)
    return threadpoolctl


one_blas_thread = _import_threadpoolctl().threadpool_limits.wrap(limits=1, user_api="blas")
"""Decorator: the function runs with NumPy's BLAS (OpenBLAS, MKL, ...) limited to one thread."""
