"""Build the website, English and Bengali, with ``-W -n --keep-going``; print how long it took.

    python scripts/build_book.py [--from-cache]

The English edition is built at ``_build/html`` (``jupyter-book build .``), then each translated
edition (scripts/booksite/editions.py) at ``_build/html/<language>/``: the same notebooks, the
same jupyter-cache, the text from ``locale/<language>/LC_MESSAGES``. A chapter therefore runs at
most once, for the English build.

A build slower than the budget prints a warning (never a failure: the machine is shared).
With ``--from-cache`` (``make test``), every chapter must come from the jupyter-cache that the
strict nbval run filled (``make chapters``): the build fails if it executed one, since CI would
then run that chapter twice. A chapter the build executes is added to the cache as a new record,
so the check compares the cache's records before and after the build.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time

from booksite.editions import (
    BUILD_DIR,
    CACHE_DIR,
    HTML_DIR,
    REPO_ROOT,
    TRANSLATED,
    build_command,
    prefix,
    write_edition_config,
)

BUILD_BUDGET_SECONDS = 120.0
"""Both editions, from a clean clone (chapters executed once)."""


def cache_records() -> dict[int, str]:
    """The jupyter-cache's records, ``{id: notebook path}`` (empty if there is no cache)."""
    if not CACHE_DIR.exists():
        return {}
    from jupyter_cache import get_cache

    return {record.pk: record.uri for record in get_cache(CACHE_DIR).list_cache_records()}


def run(command: list[str], label: str) -> bool:
    start = time.perf_counter()
    build = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True)
    sys.stdout.write(build.stdout)
    sys.stderr.write(build.stderr)
    print(f"{label} edition: {time.perf_counter() - start:.1f} s")
    return build.returncode == 0


def build_translated(language: str) -> bool:
    """Build the ``language`` edition and move it to ``_build/html/<language>``."""
    work = BUILD_DIR / f"edition-{language}"
    config = write_edition_config(work / "_config.yml", language)
    if not run(build_command(config, work), language):
        return False
    target = HTML_DIR / prefix(language)
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(work / "_build" / "html", target)
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from-cache", action="store_true", help="fail if a chapter executes")
    args = parser.parse_args(argv)

    before = cache_records()
    start = time.perf_counter()
    english = ["jupyter-book", "build", ".", "-W", "-n", "--keep-going"]
    ok = run(english, "en")
    for language in TRANSLATED:
        ok = build_translated(language) and ok
    seconds = time.perf_counter() - start

    print(f"build time: {seconds:.1f} s")
    if seconds > BUILD_BUDGET_SECONDS:
        print(f"WARNING: the build took longer than its {BUILD_BUDGET_SECONDS:.0f} s budget")
    if not ok:
        return 1
    executed = sorted(uri for pk, uri in cache_records().items() if pk not in before)
    if args.from_cache and executed:
        print(f"FAIL: the build executed {executed}; they should have come from the cache")
        return 1
    print(f"chapters executed by the build: {len(executed)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
