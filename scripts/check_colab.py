"""Render the Colab copies of the chapters as a browser shows them and check what a reader sees.

    python scripts/reader_notebooks.py         # writes _build/reader/book/*.ipynb first
    python scripts/check_colab.py [NOTEBOOK ...] [--reader _build/reader]
        [--screenshots DIR] [--html DIR]

Colab renders a notebook's Markdown cells as CommonMark (with tables and math) and knows no
MyST. For each Colab copy (default: the copy under ``--reader`` of every notebook page of
_toc.yml) this renders
the notebook with nbconvert's HTML exporter (lab template, MathJax from the offline copy the
book ships with), opens it in Debian's chromium with Playwright (every request off this machine
blocked), and reads every cell back (scripts/booksite/rendered.py). One line per problem:

    FAIL <notebook> cell <i>: <what>
        raw MyST in the text (``:::``, ``{eval}``, ``{ref}``, ``{cite}``, ``(label)=``...); a
        value of the source chapter's ``user_expressions`` missing from its Markdown cell (the
        i-th Markdown cell of the copy is the i-th of the source: only code cells are dropped);
        an expression shown as code in place of its value; a MathJax error; a Markdown cell
        that nbconvert renders with other blocks than a CommonMark renderer (markdown-it-py:
        headings, lists, quotes, tables, code blocks, links, emphasis, ``<details>``), i.e. Markdown
        whose meaning depends on the renderer; a static alpha slider whose script did not
        run, that an arrow key does not move, or that a slider chapter lacks.

then a summary line per notebook and a full-page screenshot in ``--screenshots`` (default
_build/screenshots/colab). Exits 1 if anything failed, 2 if a copy is missing.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from collections import Counter
from html.parser import HTMLParser
from importlib import metadata
from pathlib import Path

import nbformat
from booksite import layout, probe, rendered, slider

REPO_ROOT = Path(__file__).resolve().parents[1]
READER = REPO_ROOT / "_build" / "reader"

VIEWPORT = {"width": 1100, "height": 900}
BLOCKS = (
    "h1 h2 h3 h4 h5 h6 p blockquote ul ol li table tr pre hr details summary img a strong em"
).split()
"""The elements whose counts must agree between nbconvert and CommonMark, per Markdown cell."""

# MathJax 3 reads this before it loads: $...$ inline as Colab does (nbconvert's own
# configuration is written for MathJax 2 and is ignored by MathJax 3).
_MATHJAX_CONFIG = r"""window.MathJax = {
  tex: {inlineMath: [['$', '$'], ['\\(', '\\)']], displayMath: [['$$', '$$'], ['\\[', '\\]']],
        processEscapes: true, processEnvironments: true},
  startup: {typeset: true},
};"""
_BLOCKS_JS = """(tags) => [...document.querySelectorAll('.jp-MarkdownCell .jp-RenderedMarkdown')]
  .map(md => Object.fromEntries(tags.map(t => [t, [...md.querySelectorAll(t)]
    .filter(e => !e.classList.contains('anchor-link') && !e.closest('mjx-container')).length])))"""


def offline_mathjax() -> Path | None:
    """MathJax 3 from sphinx-mathjax-offline, the package the book uses for its offline math
    (requirements.txt); None if it is not installed."""
    try:
        dist = metadata.distribution("sphinx-mathjax-offline")
    except metadata.PackageNotFoundError:
        return None
    path = Path(dist.locate_file("sphinx-mathjax-offline/static/mathjax/tex-chtml.js"))
    return path if path.exists() else None


class _TagCounter(HTMLParser):
    def __init__(self):
        super().__init__()
        self.counts = Counter()

    def handle_starttag(self, tag, attrs):
        if tag in BLOCKS:
            self.counts[tag] += 1


def commonmark_blocks(markdown: str) -> dict[str, int]:
    """How many of each :data:`BLOCKS` element a CommonMark renderer makes of ``markdown``
    (markdown-it-py's CommonMark preset with GFM tables and dollar math, as Colab renders)."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.dollarmath import dollarmath_plugin

    md = MarkdownIt("commonmark").enable("table").use(dollarmath_plugin, double_inline=True)
    # A $$ block is one paragraph of text to a CommonMark parser; the math is typeset later.
    for rule in ("math_block", "math_block_label"):
        md.add_render_rule(rule, lambda *args, **kwargs: "<p>math</p>")
    counter = _TagCounter()
    counter.feed(md.render(markdown))
    return {tag: counter.counts[tag] for tag in BLOCKS}


def export_html(path: Path, out_dir: Path) -> Path:
    """nbconvert's HTML of the notebook at ``path`` (lab template), written into ``out_dir``."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab")
    exporter.mathjax_url = offline_mathjax().as_uri()
    body, _ = exporter.from_notebook_node(nbformat.read(path, as_version=4))
    target = out_dir / f"{path.stem}.html"
    target.write_text(body, encoding="utf-8")
    return target


def judge(result: rendered.PageResult, reader, source, states, blocks) -> None:
    """Findings for one Colab copy ``reader`` of the chapter ``source``."""
    ours = [i for i, cell in enumerate(reader.cells) if cell.cell_type == "markdown"]
    theirs = [cell for cell in source.cells if cell.cell_type == "markdown"]
    if len(states) != len(reader.cells) or len(ours) != len(theirs):
        result.fail(
            0,
            f"{len(states)} cells rendered of {len(reader.cells)}, {len(ours)} "
            f"Markdown cells for the source's {len(theirs)}",
        )
        return
    for (index, source_cell), block in zip(zip(ours, theirs, strict=True), blocks, strict=True):
        values = rendered.cell_values(source_cell)
        result.values += len(values)
        for problem in rendered.markdown_problems(values, states[index]):
            result.fail(index, problem)
        expected = commonmark_blocks(reader.cells[index].source)
        differ = [
            f"{tag} {block[tag]} (CommonMark {expected[tag]})"
            for tag in BLOCKS
            if block[tag] != expected[tag]
        ]
        if differ:
            result.fail(index, f"renders unlike CommonMark: {', '.join(differ)}")
    for index, state in enumerate(states):
        if not state["markdown"]:
            for piece in rendered.raw_myst(state["prose"]):
                result.fail(index, f"raw MyST {piece!r} in the output")


async def check_page(browser, path: Path, source_path: Path, html_dir: Path, args):
    """Render the copy ``path`` into ``html_dir``, open it and return what was wrong with it."""
    reader = nbformat.read(path, as_version=4)
    result = rendered.PageResult(path.name, cells=len(reader.cells))
    start = lap = time.perf_counter()
    html = export_html(path, html_dir)
    lap = result.lap("nbconvert", lap)
    page = await browser.new_page(viewport=VIEWPORT)
    try:
        # Files from this machine load; everything else (nbconvert's CDN scripts) is aborted.
        await page.route(probe.is_offsite("file:"), _abort)
        await page.add_init_script(_MATHJAX_CONFIG)
        await page.goto(html.as_uri(), wait_until="load", timeout=args.timeout * 1000)
        if not await page.evaluate(probe.WAIT_MATHJAX):
            result.fail(0, "MathJax did not load: math is shown as TeX")
        lap = result.lap("load", lap)
        states = await page.evaluate(rendered.CELLS_JS, None)
        blocks = await page.evaluate(_BLOCKS_JS, BLOCKS)
        judge(result, reader, nbformat.read(source_path, as_version=4), states, blocks)
        await check_static_sliders(page, result, bool(slider.CALL.search(source_path.read_text())))
        lap = result.lap("check", lap)
        if args.screenshots:
            result.screenshot = await screenshot(page, args.screenshots / f"{path.stem}.png")
            result.lap("shot", lap)
    finally:
        await page.close()
    result.seconds = time.perf_counter() - start
    return result


async def check_static_sliders(page, result: rendered.PageResult, expected: bool) -> None:
    """Each static alpha slider in the copy must run with no kernel: its script builds the
    range input, and an arrow key changes the alpha shown and the frame drawn. A chapter that
    calls ``alpha_slider(`` (``expected``) must show one."""
    before = await page.evaluate(slider.STATE_JS)
    if expected and not before:
        result.fail(0, "the chapter's alpha slider is missing from the copy")
    for index, state in enumerate(before):
        if not state["input"]:
            result.fail(0, f"slider {index}: its script did not run (no range input)")
            continue
        await page.locator("figure.relu-slider input").nth(index).focus()
        await page.keyboard.press("ArrowRight")
        after = (await page.evaluate(slider.STATE_JS))[index]
        if after["readout"] == state["readout"] or after["shown"] == state["shown"]:
            result.fail(0, f"slider {index}: an arrow key did not change both alpha and figure")


async def _abort(route):
    await route.abort()


async def screenshot(page, path: Path) -> str:
    height = await page.evaluate("document.documentElement.scrollHeight")
    path.parent.mkdir(parents=True, exist_ok=True)
    clip = {"x": 0, "y": 0, "width": VIEWPORT["width"], "height": height}
    clip["height"] = min(height, rendered.SCREENSHOT_MAX_HEIGHT)
    await page.screenshot(path=str(path), full_page=True, clip=clip)
    return str(path.relative_to(REPO_ROOT) if path.is_relative_to(REPO_ROOT) else path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every copy")
    parser.add_argument("--reader", type=Path, default=READER, help="reader_notebooks' --out")
    parser.add_argument("--screenshots", type=Path, default=REPO_ROOT / "_build/screenshots/colab")
    parser.add_argument("--html", type=Path, help="keep the rendered HTML here")
    parser.add_argument("--timeout", type=int, default=60, help="seconds per notebook")
    args = parser.parse_args(argv)
    reader = args.reader.resolve()
    toc = [page.source for page in layout.read_pages(REPO_ROOT) if page.is_notebook]
    paths = [p.resolve() for p in args.notebooks] or [
        reader / source.relative_to(REPO_ROOT) for source in toc
    ]
    absent = [str(path) for path in paths if not path.exists()]
    if absent:
        print(f"FAIL no Colab copy {absent}: run scripts/reader_notebooks.py first")
        return 2
    pairs = [(path, REPO_ROOT / path.relative_to(reader)) for path in paths]
    missing = [str(source) for _, source in pairs if not source.exists()]
    if missing:
        print(f"FAIL no source chapter for {missing}")
        return 2
    if offline_mathjax() is None:
        print("FAIL no offline MathJax (sphinx-mathjax-offline): pip install -r requirements.txt")
        return 2
    try:
        import nbconvert  # noqa: F401  (jupyterlab brings it: requirements.txt)
    except ImportError:
        print("FAIL nbconvert is not installed: pip install -r requirements.txt")
        return 2
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="relu-notes-colab-") as tmp:
        html_dir = args.html or Path(tmp)
        html_dir.mkdir(parents=True, exist_ok=True)
        results = asyncio.run(
            rendered.check_each(
                pairs, lambda browser, pair: check_page(browser, *pair, html_dir, args)
            )
        )
    seconds = time.perf_counter() - start
    return rendered.report(results, "Colab copies rendered by nbconvert", seconds)


if __name__ == "__main__":
    sys.exit(main())
