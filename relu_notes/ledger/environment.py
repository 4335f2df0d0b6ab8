"""The environment behind stored numbers: commit, Python, NumPy, BLAS and CPU.

:func:`environment` returns a plain dict (JSON-ready, stored next to the results by
``scripts/refresh_results.py``); :func:`render_environment` prints one as MyST Markdown for the
ledger page. The commit comes from git when the package sits in a git work tree; a shallow CI
clone still has its commit, and without git it is ``"unknown"``.
"""

import platform
import subprocess
from pathlib import Path

import numpy as np

_NOT_RESULTS = ":(exclude)relu_notes/results"


def commit():
    """The current git commit (40 hex digits), ``+dirty`` if the tracked files have changes
    outside ``relu_notes/results/`` (the stored results themselves, which the refresh rewrites
    one by one); or ``"unknown"`` when git or the repository is not there."""
    root = Path(__file__).resolve().parents[2]
    try:
        sha = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, timeout=10
        )
        if sha.returncode != 0:
            return "unknown"
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no", "--", ".", _NOT_RESULTS],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return sha.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "")


def blas():
    """The BLAS libraries NumPy loaded: ``[{"internal_api", "version", "architecture",
    "num_threads"}]`` from threadpoolctl (empty if it finds none)."""
    from threadpoolctl import threadpool_info

    keys = ("internal_api", "version", "architecture", "num_threads")
    return [
        {k: info.get(k) for k in keys} for info in threadpool_info() if info["user_api"] == "blas"
    ]


def cpu_model(cpuinfo="/proc/cpuinfo"):
    """The CPU's model name from ``/proc/cpuinfo`` (Linux), else ``platform.processor()``."""
    try:
        for line in Path(cpuinfo).read_text(encoding="utf-8", errors="replace").splitlines():
            key, _, value = line.partition(":")
            if key.strip() in ("model name", "Model", "Hardware", "cpu model") and value.strip():
                return value.strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown"


def environment():
    """``{"commit", "python", "numpy", "blas", "cpu", "machine"}`` of this process."""
    return {
        "commit": commit(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "blas": blas(),
        "cpu": cpu_model(),
        "machine": f"{platform.system()} {platform.machine()}",
    }


def _blas_text(libraries):
    if not libraries:
        return "none found"
    return "; ".join(
        f"{b.get('internal_api')} {b.get('version')} ({b.get('architecture')}, "
        f"{b.get('num_threads')} threads)"
        for b in libraries
    )


def render_environment(env=None):
    """The environment (``env``, e.g. one stored with the results; default: this process)
    as a MyST table."""
    env = environment() if env is None else env
    rows = [
        ("commit", f"`{env.get('commit', 'unknown')}`"),
        ("Python", env.get("python", "unknown")),
        ("NumPy", env.get("numpy", "unknown")),
        ("BLAS", _blas_text(env.get("blas") or [])),
        ("CPU", env.get("cpu", "unknown")),
        ("system", env.get("machine", "unknown")),
    ]
    lines = ["| Setting | Value |", "|---|---|"] + [
        f"| {k} | {str(v).replace('|', '/')} |" for k, v in rows
    ]
    return "\n".join(lines)
