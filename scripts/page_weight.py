"""Print each page's transferred bytes, measured in Chromium; exit 1 if a chapter is over budget.

    python scripts/page_weight.py [--html _build/html] [--book-root .] [--budget 1000000]

A page's own bytes are its HTML plus its own images and data; the shared theme and MathJax
assets are listed separately, each file counted once (see ``booksite/weight.py``).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from booksite import layout, probe, server, weight

REPO_ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--html", type=Path, default=Path(os.environ.get("RELU_NOTES_HTML", "_build/html"))
    )
    parser.add_argument("--book-root", type=Path, default=REPO_ROOT)
    parser.add_argument("--budget", type=int, default=weight.BUDGET_BYTES)
    args = parser.parse_args(argv)

    pages = layout.read_pages(args.book_root)
    with server.serve(args.html) as root, probe.chromium() as browser:
        reports = {page.docname: probe.visit(browser, root, page.html) for page in pages}
    site = weight.weigh(root, reports)
    print(weight.format_table(site, reports, args.budget))

    over = [
        w.name
        for page, w in zip(pages, site.pages, strict=True)
        if page.is_chapter and w.own_bytes > args.budget
    ]
    if over:
        print(f"over budget: {', '.join(over)}", file=sys.stderr)
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
