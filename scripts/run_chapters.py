"""Execute every notebook page of _toc.yml top to bottom with a Jupyter kernel; print the times.

    python scripts/run_chapters.py [NOTEBOOK ...] [--write] [--expect-prefix VENV]

Runs in memory (nbclient) and leaves the files alone, unless ``--write`` is given: then each
notebook that ran without error is saved with its fresh outputs and the values of its inline
expressions (``{eval}`name``` in Markdown, stored as each cell's ``user_expressions``; see
relu_notes/inline.py). This is how the stored outputs that ``pytest --nbval`` compares are
refreshed. A chapter fails if one of its inline expressions raises or shows with quotes.
Give notebook paths to run only those. With ``--expect-prefix`` it first checks that the
kernel really runs in that environment and that torch is not importable there, as on Binder.
Exits 1 if a chapter fails. A chapter slower than ``--budget-seconds`` gets a printed
warning, never a failure (the machine is shared and noisy), and ``--write`` saves it all the
same.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import nbformat
from booksite import expressions, layout
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

REPO_ROOT = Path(__file__).resolve().parents[1]
_KERNEL_PROBE = (
    "import importlib.util, sys\n"
    "print(sys.prefix)\n"
    "print('torch' if importlib.util.find_spec('torch') else 'no torch')"
)


_PROBE = "import json\nprint(json.dumps(get_ipython().user_expressions({names!r})))"
"""A last cell that asks IPython for the inline expressions' values, as a kernel answers a
``user_expressions`` request (the same formatter: text/plain is the value's repr)."""


def _execute(nb, kernel: str, cwd: Path, timeout: int) -> dict[str, dict]:
    """Run every cell of ``nb`` in a fresh kernel; return its inline expressions' results."""
    keys = expressions.keyed(expressions.wanted(nb))
    probe = nbformat.v4.new_code_cell(_PROBE.format(names=keys))
    nb.cells.append(probe)
    client = NotebookClient(
        nb,
        kernel_name=kernel,
        timeout=timeout,
        record_timing=False,  # no per-cell timestamps in the stored notebooks
        resources={"metadata": {"path": str(cwd)}},
    )
    try:
        client.execute()
    finally:
        nb.cells.remove(probe)
    found = json.loads("".join(out.get("text", "") for out in probe.outputs))
    return expressions.by_expression(keys, found)


def check_kernel(kernel: str, expected_prefix: Path, timeout: int) -> list[str]:
    """Problems with the kernel's environment (empty when it is the expected, torch-free one)."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(_KERNEL_PROBE)])
    _execute(nb, kernel, Path.cwd(), timeout)
    lines = "".join(out.get("text", "") for out in nb.cells[0].outputs).splitlines()
    prefix, torch = lines[0], lines[-1]
    problems = []
    if Path(prefix).resolve() != expected_prefix.resolve():
        problems.append(f"kernel runs in {prefix}, not in {expected_prefix}")
    if torch == "torch":
        problems.append("torch is importable in the kernel's environment")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every toc notebook")
    parser.add_argument("--write", action="store_true", help="save the fresh outputs")
    parser.add_argument("--book-root", type=Path, default=REPO_ROOT)
    parser.add_argument("--kernel", default="python3")
    parser.add_argument("--expect-prefix", type=Path)
    parser.add_argument("--budget-seconds", type=float, default=30.0, help="per chapter")
    parser.add_argument("--cell-timeout", type=int, default=120)
    args = parser.parse_args(argv)

    if args.expect_prefix is not None:
        problems = check_kernel(args.kernel, args.expect_prefix, args.cell_timeout)
        for problem in problems:
            print(f"FAIL: {problem}", file=sys.stderr)
        if problems:
            return 1
        print(f"kernel {args.kernel!r} runs in {args.expect_prefix}, torch not importable")

    pages = [page for page in layout.read_pages(args.book_root) if page.is_notebook]
    selected = {path.resolve() for path in args.notebooks}
    unknown = selected - {page.source.resolve() for page in pages}
    if unknown:
        print(f"not notebooks of _toc.yml: {sorted(map(str, unknown))}", file=sys.stderr)
        return 2
    print(f"{'chapter':<34} {'seconds':>8}  result")
    chosen = [page for page in pages if not selected or page.source.resolve() in selected]
    failed = [page for page in chosen if not run_page(page, args)]
    return 1 if failed else 0


def run_page(page, args) -> bool:
    """Run one chapter, print its line of the table, save it if asked; True if it ran."""
    nb = nbformat.read(page.source, as_version=4)
    start = time.perf_counter()
    try:
        results = _execute(nb, args.kernel, page.source.parent, args.cell_timeout)
        expressions.store(nb, results)
        bad = expressions.unreadable(nb)
        result = f"FAILED: {'; '.join(bad)}" if bad else "ok"
    except CellExecutionError as error:
        result = f"FAILED: {str(error).strip().splitlines()[-1]}"
    seconds = time.perf_counter() - start
    if result == "ok" and args.write:
        nbformat.write(nb, page.source)
    line = result
    if seconds > args.budget_seconds:
        line += f"  WARNING: over the {args.budget_seconds:.0f} s budget"
    print(f"{page.docname:<34} {seconds:>8.1f}  {line}", flush=True)
    return result == "ok"


if __name__ == "__main__":
    sys.exit(main())
