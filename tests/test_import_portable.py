"""Importing relu_notes on systems without Linux's os functions, and what the import leaves alone.

Each case runs in a fresh Python (``subprocess``), because ``relu_notes._kernels`` reads the
environment and the CPU count once, at import.  The child deletes from ``os`` what macOS or
Windows lack before importing, and checks that it really is gone.
"""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

COMPUTE = """
import numpy as np
import relu_notes
from relu_notes import _kernels
from relu_notes.reference import leaky_relu_reference

assert type(_kernels.THREADS) is int and 1 <= _kernels.THREADS <= 2, _kernels.THREADS
print("THREADS", _kernels.THREADS)
assert relu_notes.relu(np.array([-1.0, 2.0])).tolist() == [0.0, 2.0]
x = np.linspace(-1.0, 1.0, 2**20 + 3, dtype=np.float32)  # at least PARALLEL elements
assert x.size >= _kernels.PARALLEL
with _kernels.threads(2):  # the threaded path, whatever the CPU count
    y = relu_notes.leaky_relu(x, -0.3)
assert _kernels._pool is not None  # the pool was made and used
assert np.array_equal(y, leaky_relu_reference(x, -0.3))
"""


def _run(code, drop=(), **environment):
    """Run ``code`` in a new Python in the repository root; RELU_NOTES_THREADS only if given.

    The variables named in ``drop`` are removed from the child's environment.
    """
    drop = {"RELU_NOTES_THREADS", *drop}
    env = {key: value for key, value in os.environ.items() if key not in drop}
    env.update(environment)
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _succeeded(result):
    assert result.returncode == 0, result.stderr
    return result.stdout


def _without(*names):
    """Code that deletes ``os.<name>`` for each name (if present) and checks it is gone."""
    return "".join(
        f"if hasattr(os, {name!r}):\n    del os.{name}\nassert not hasattr(os, {name!r})\n"
        for name in names
    )


CPU_COUNTS = [(None, None), ("lambda: None", 1), ("lambda: 1", 1), ("lambda: 8", 2)]
"""``os.cpu_count`` replacements and the thread count they must give (None: not replaced)."""


@pytest.mark.parametrize(
    "missing",
    [["sched_getaffinity"], ["sched_getaffinity", "register_at_fork"]],
    ids=["like-macOS", "like-Windows"],
)
@pytest.mark.parametrize(("cpu_count", "expected"), CPU_COUNTS, ids=["real", "None", "1", "8"])
def test_import_and_compute_without_linux_functions(missing, cpu_count, expected):
    replace = f"os.cpu_count = {cpu_count}\n" if cpu_count else ""
    output = _succeeded(_run("import os\n" + _without(*missing) + replace + COMPUTE))
    if expected is not None:  # the thread count came from os.cpu_count, capped at 2
        assert f"THREADS {expected}\n" in output, output


@pytest.mark.parametrize("value", ["lots", "0", "-3", "2.5"])
def test_bad_thread_count_fails_at_import(value):
    result = _run("import relu_notes", RELU_NOTES_THREADS=value)
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith("ValueError: RELU_NOTES_THREADS"), result.stderr
    assert "whole number >= 1" in last_line and repr(value) in last_line, last_line


@pytest.mark.parametrize(("value", "expected"), [("1", "1"), (" 3 ", "3"), ("", "1 or 2")])
def test_good_thread_count(value, expected):
    code = "from relu_notes import _kernels\nprint(_kernels.THREADS)"
    output = _succeeded(_run(code, RELU_NOTES_THREADS=value)).strip()
    assert output in expected.split(" or "), output  # "" means the default


ENVIRONMENT_CHANGES = """
import json, os
before = dict(os.environ)
{imports}
after = dict(os.environ)
changed = {{
    key: [before.get(key), after.get(key)]
    for key in before.keys() | after.keys()
    if before.get(key) != after.get(key)
}}
print(json.dumps(changed))
"""


KNOWN = "KMP_DUPLICATE_LIB_OK"
"""Set by threadpoolctl when imported (relu_notes.blas undoes it).  This test process may have
imported threadpoolctl already, so the children start without it: otherwise a change could not
be seen."""


def _environment_changes(imports):
    """The variables that ``imports`` adds, removes or changes: ``{name: [before, after]}``."""
    code = ENVIRONMENT_CHANGES.format(imports=imports)
    return json.loads(_succeeded(_run(code, drop=[KNOWN])))


def test_the_environment_check_sees_changes():
    """The check itself: a change made after the snapshot is reported."""
    changes = _environment_changes("os.environ['RELU_NOTES_PROBE'] = '1'")
    assert changes == {"RELU_NOTES_PROBE": [None, "1"]}


def test_importing_relu_notes_leaves_the_environment_alone():
    assert _environment_changes("import relu_notes") == {}


def test_importing_experiments_and_plotting_leaves_the_environment_alone():
    changes = _environment_changes("import relu_notes.experiments, relu_notes.plotting")
    assert changes == {}


def test_threadpoolctl_alone_would_change_it():
    """The control for the test above: without relu_notes.blas's care, the import leaks."""
    assert _environment_changes("import threadpoolctl") == {KNOWN: [None, "True"]}
