"""pytest plugin: keep what ``pytest --nbval`` executed, so the book build need not run it again.

    python -m pytest --nbval book/ -p scripts.nbval_cache --nbval-store-cache _build/.jupyter_cache

nbval runs every code cell of a chapter in one kernel, top to bottom, and compares each fresh
output with the stored one (its own strict rules and ``book/nbval_sanitize.cfg``). This plugin
records those fresh outputs. When every code cell of a chapter passed, it saves the executed
chapter in the jupyter-cache given by ``--nbval-store-cache``. ``jupyter-book build`` with
``execute_notebooks: cache`` then finds each chapter there (the cache matches on the code cells'
sources and metadata and on the kernelspec) and renders it without executing it. A chapter with
a failing or skipped cell is not stored, so the build would execute it again and report it.

It also checks the inline expressions (``{eval}`name``` in Markdown, see relu_notes/inline.py):
after a chapter's last cell, one more test item asks the same kernel for every expression's value
and fails if a stored value (the cell's ``user_expressions``) differs, is missing or is an error.
``python scripts/run_chapters.py --write`` refreshes them.

It also prints each chapter's execution time, with a warning above the chapter budget.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pytest

from scripts.booksite import expressions

CHAPTER_BUDGET_SECONDS = 30.0
"""A chapter should run in seconds; above this the summary prints a warning (never a failure)."""


@dataclass
class _Run:
    """What nbval's execution of one notebook produced, cell by cell."""

    path: Path
    outputs: dict = field(default_factory=dict)  # code-cell index -> list of outputs
    failed: bool = False
    started: float | None = None
    finished: float | None = None

    @property
    def seconds(self):
        return (self.finished or 0.0) - (self.started or 0.0)


def pytest_addoption(parser):
    parser.getgroup("nbval").addoption(
        "--nbval-store-cache",
        metavar="DIR",
        help="store every notebook whose cells all passed in the jupyter-cache at DIR",
    )


_RUNS = pytest.StashKey[dict]()


def pytest_configure(config):
    config.stash[_RUNS] = {}


class InlineValues(pytest.Item):
    """The stored values of a chapter's inline expressions equal the kernel's fresh ones."""

    def runtest(self):
        nb = nbformat.read(self.parent.path, as_version=4)
        results = expressions.evaluate(self.parent.kernel.kc, expressions.wanted(nb))
        lines = expressions.stale(nb, results) + expressions.unreadable(nb)
        if lines:
            raise AssertionError(
                "inline values differ from the stored ones (refresh with "
                "scripts/run_chapters.py --write):\n" + "\n".join(lines)
            )

    def reportinfo(self):
        return self.path, None, f"{self.path.name}::inline values"


def pytest_collection_modifyitems(session, config, items):
    """Append an :class:`InlineValues` item after each notebook's last cell."""
    last = {}
    for index, item in enumerate(items):
        if _nbval_cell(item):
            last[item.parent] = index
    for parent, index in sorted(last.items(), key=lambda pair: -pair[1]):
        items.insert(index + 1, InlineValues.from_parent(parent, name="inline values"))


def _nbval_cell(item):
    return type(item).__name__ == "IPyNbCell" and hasattr(item, "cell_num")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    if not _nbval_cell(item) or call.when != "call":
        return
    report = outcome.get_result()
    runs = item.config.stash[_RUNS]
    run = runs.setdefault(item.parent.path, _Run(item.parent.path))
    run.started = call.start if run.started is None else run.started
    run.finished = call.stop
    outputs = getattr(item, "test_outputs", None)
    if report.passed and outputs is not None:
        run.outputs[item.cell_num] = outputs
    else:
        run.failed = True


def _as_notebook_output(output, execution_count):
    """nbval's output (a NotebookNode built from a kernel message) as an nbformat v4 output."""
    kind = output["output_type"]
    if kind == "stream":
        return nbformat.v4.new_output(kind, name=output["name"], text=output["text"])
    fields = {"data": output["data"], "metadata": output.get("metadata", {})}
    if kind == "execute_result":
        fields["execution_count"] = execution_count
    return nbformat.v4.new_output(kind, **fields)


def executed_notebook(run):
    """The notebook at ``run.path`` with the outputs nbval recorded, or None if incomplete."""
    nb = nbformat.read(run.path, as_version=4)
    code_cells = [cell for cell in nb.cells if cell.cell_type == "code"]
    if run.failed or set(run.outputs) != set(range(len(code_cells))):
        return None
    for count, cell in enumerate(code_cells, start=1):
        cell.execution_count = count
        cell.outputs = [_as_notebook_output(out, count) for out in run.outputs[count - 1]]
    nbformat.validate(nb)
    return nb


def _store(cache_dir, runs):
    """Store each complete run in the jupyter-cache; return the paths stored and not stored."""
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    cache = get_cache(cache_dir)
    stored, missing = [], []
    for run in runs:
        nb = executed_notebook(run)
        if nb is None:
            missing.append(run.path)
            continue
        bundle = CacheBundleIn(nb, str(run.path), data={"execution_seconds": run.seconds})
        cache.cache_notebook_bundle(bundle, check_validity=False, overwrite=True)
        stored.append(run.path)
    return stored, missing


def pytest_terminal_summary(terminalreporter, config):
    runs = list(config.stash[_RUNS].values())
    if not runs:
        return
    write = terminalreporter.write_line
    terminalreporter.section("chapter execution (nbval, one kernel per chapter)")
    for run in runs:
        slow = run.seconds > CHAPTER_BUDGET_SECONDS
        note = f"  WARNING: over the {CHAPTER_BUDGET_SECONDS:.0f} s budget" if slow else ""
        write(f"{run.path.name:<34} {run.seconds:7.1f} s{note}")
    cache_dir = config.getoption("nbval_store_cache")
    if cache_dir:
        stored, missing = _store(cache_dir, runs)
        write(f"stored in the jupyter-cache {cache_dir}: {len(stored)} chapter(s)")
        for path in missing:
            write(f"not stored (a cell failed or was skipped): {path.name}")
