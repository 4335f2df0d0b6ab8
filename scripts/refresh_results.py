"""Run the experiments whose results are stored, and check or rewrite the stored files.

    python scripts/refresh_results.py --check [NAME ...]   # make test: fail if stale or moved
    python scripts/refresh_results.py --write [NAME ...]   # refresh the files after a change

Each experiment runs with its current default settings (see relu_notes/experiments/stored.py).
``--check`` fails when a stored file is missing, was made with other settings, or holds a number
that differs from the fresh run by more than the tolerance; it prints the largest difference.
"""

from __future__ import annotations

import argparse
import sys
import time

from relu_notes.experiments import stored
from relu_notes.ledger.environment import environment


def check(entry, fresh) -> list[str]:
    document = stored.read(entry)
    problems = stored.staleness(entry, document)
    if not problems:
        problems = stored.differences(document["result"], fresh.to_dict())
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--check", action="store_true")
    mode.add_argument("--write", action="store_true")
    parser.add_argument("names", nargs="*", help="default: every stored experiment")
    args = parser.parse_args(argv)

    entries = [e for e in stored.entries() if not args.names or e.name in args.names]
    failed = False
    for entry in entries:
        start = time.perf_counter()
        fresh = entry.run()
        seconds = time.perf_counter() - start
        if args.write:
            stored.save(entry, fresh, environment())
            print(f"{entry.name}: ran in {seconds:.1f} s, wrote {entry.path}")
            continue
        problems = check(entry, fresh)
        document = stored.read(entry) or {}
        largest = stored.largest_difference(document.get("result"), fresh.to_dict())
        verdict = "matches the stored file" if not problems else f"{len(problems)} problem(s)"
        print(
            f"{entry.name}: ran in {seconds:.1f} s, {verdict}; largest difference {largest:.4f} "
            f"(tolerance {stored.TOLERANCE})"
        )
        for problem in problems[:20]:
            print(f"  {problem}")
        failed = failed or bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
