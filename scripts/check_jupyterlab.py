"""Open every chapter in a running JupyterLab and check that each computed value is rendered.

    python scripts/check_jupyterlab.py http://localhost:8899 [NOTEBOOK ...]

Expects a JupyterLab (with jupyterlab-myst, as Binder should serve it) whose root is this
repository, without a token, and notebook windowing off (settings override
``{"@jupyterlab/notebook-extension:tracker": {"windowingMode": "none"}}``) so that every cell
is rendered. For each notebook page of _toc.yml it reads the rendered Markdown of every cell with
Playwright and Debian's chromium, and reports values that do not show and ``{eval}`` roles left
raw. Exits 1 if any is found. Not yet part of ``make test`` (issue 12 adds the JupyterLab
environment to CI).
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import nbformat
from booksite import layout
from booksite.probe import CHROMIUM, CHROMIUM_ARGS
from playwright.async_api import async_playwright

from relu_notes.inline import stored_text

REPO_ROOT = Path(__file__).resolve().parents[1]
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"
RENDERED = ".jp-MarkdownOutput, .jp-RenderedMarkdown, .myst"


async def notebook_problems(browser, base_url: str, path: Path) -> list[str]:
    """Values of the notebook at ``path`` that JupyterLab does not show (one line each)."""
    nb = nbformat.read(path, as_version=4)
    page = await browser.new_page(viewport={"width": 1300, "height": 1000})
    relative = path.relative_to(REPO_ROOT).as_posix()
    await page.goto(f"{base_url}/lab/tree/{relative}?reset")
    await page.wait_for_selector(f"{PANEL} .jp-MarkdownCell", timeout=60_000)
    await page.wait_for_timeout(4_000)  # jupyterlab-myst renders after the cells appear
    cells = page.locator(f"{PANEL} .jp-Notebook .jp-Cell")
    problems = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        text = await cells.nth(index).locator(RENDERED).first.text_content() or ""
        if "{eval}" in text:
            problems.append(f"cell {index}: a raw {{eval}} role")
        problems += [
            f"cell {index}: {expression} = {value!r} not shown"
            for expression, value in stored_text(cell).items()
            if value not in text
        ]
    await page.close()
    return problems


async def main(base_url: str, names: list[str]) -> int:
    pages = [page.source for page in layout.read_pages(REPO_ROOT) if page.is_notebook]
    chosen = [Path(name).resolve() for name in names] or pages
    failed = False
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for path in chosen:
            problems = await notebook_problems(browser, base_url.rstrip("/"), path)
            failed |= bool(problems)
            print(f"{path.name:<28} {'; '.join(problems) or 'every value shown'}")
        await browser.close()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1], sys.argv[2:])))
