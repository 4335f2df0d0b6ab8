"""Build the website with ``jupyter-book build . -W -n --keep-going``; print how long it took.

    python scripts/build_book.py [--from-cache]

A build slower than the budget prints a warning (never a failure: the machine is shared).
With ``--from-cache`` (``make test``), every chapter must come from the jupyter-cache that the
strict nbval run filled (``make chapters``): the build fails if it executed one, since CI would
then run that chapter twice. A chapter the build executes is added to the cache as a new record,
so the check compares the cache's records before and after the build.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
CACHE_DIR = REPO_ROOT / "_build" / ".jupyter_cache"
BUILD_BUDGET_SECONDS = 120.0


def cache_records() -> dict[int, str]:
    """The jupyter-cache's records, ``{id: notebook path}`` (empty if there is no cache)."""
    if not CACHE_DIR.exists():
        return {}
    from jupyter_cache import get_cache

    return {record.pk: record.uri for record in get_cache(CACHE_DIR).list_cache_records()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from-cache", action="store_true", help="fail if a chapter executes")
    args = parser.parse_args(argv)

    before = cache_records()
    command = ["jupyter-book", "build", ".", "-W", "-n", "--keep-going"]
    start = time.perf_counter()
    build = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    sys.stdout.write(build.stdout)
    sys.stderr.write(build.stderr)

    print(f"build time: {seconds:.1f} s")
    if seconds > BUILD_BUDGET_SECONDS:
        print(f"WARNING: the build took longer than its {BUILD_BUDGET_SECONDS:.0f} s budget")
    if build.returncode != 0:
        return build.returncode
    executed = sorted(uri for pk, uri in cache_records().items() if pk not in before)
    if args.from_cache and executed:
        print(f"FAIL: the build executed {executed}; they should have come from the cache")
        return 1
    print(f"chapters executed by the build: {len(executed)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
