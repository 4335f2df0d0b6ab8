"""Open every chapter in a running JupyterLab and check what a Binder reader sees.

    python scripts/check_jupyterlab.py http://127.0.0.1:PORT [NOTEBOOK ...]
        [--screenshots DIR] [--timeout SECONDS] [--strict-refs]

Expects a JupyterLab (with jupyterlab-myst, as Binder serves it) whose root is this repository,
without a token, and notebook windowing off (settings override
``{"@jupyterlab/notebook-extension:tracker": {"windowingMode": "none"}}``) so that every cell
is rendered; ``scripts/binder_check.sh`` starts one like that. For each notebook page of
_toc.yml (or each NOTEBOOK given, a path in the repository) it opens the notebook with
Playwright and Debian's chromium, waits until every Markdown cell has rendered, and reads the
rendered cells back (scripts/booksite/rendered.py). One line per problem:

    FAIL <notebook> cell <i>: <what>   the check fails:
        jupyterlab-myst not active, raw MyST in the text (``:::``, ``{eval}``, ``{ref}``,
        ``{cite}``, ``(label)=``, ``{glue``...), a value missing or its expression shown in its
        place, a visible code cell with "google.colab" (the Colab install cell), a page that
        did not render;
    NOTE <notebook> cell <i>: <what>   reported only (a failure with --strict-refs):
        a ``{ref}``/``{cite}`` that jupyterlab-myst cannot resolve (a label in another notebook,
        a citation of references.bib) and shows as a bare label or key, or as a link to "#".

A chapter with an alpha slider is then run (all cells) and its ipywidgets slider moved with the
arrow keys: it fails if the kernel's figure does not appear, or does not change.

A role jupyterlab-myst does not know (``{glue:text}`name```: it shows the bare ``name``) and
its "Unknown Directive" box also fail. Then a summary line per page (with the seconds spent
opening, rendering and taking the screenshot) and a screenshot of the whole notebook (dropdowns
open) in ``--screenshots`` (default _build/screenshots/jupyterlab). Exits 1 if anything failed,
2 if the server cannot be reached.

The notebooks opened are the repository's own: JupyterLab marks them changed (the kernel's
``language_info``) and would save them. binder_check.sh therefore serves them read-only
(scripts/booksite/readonly_contents.py); against another server this prints a warning. With
``--LabApp.expose_app_in_browser=True`` each notebook opens in the JupyterLab already loaded
(``window.jupyterapp``), about 5 s faster per notebook than loading its URL.
"""

from __future__ import annotations

import argparse
import asyncio
import http.cookiejar
import json
import re
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
from booksite import layout, rendered, slider
from playwright.async_api import TimeoutError as PlaywrightTimeout

REPO_ROOT = Path(__file__).resolve().parents[1]
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"
MYST = "jupyterlab-myst"
VIEWPORT = {"width": 1300, "height": 1000}
TRACKER = "@jupyterlab/notebook-extension:tracker"

# True once the panel holds ``n`` cells and every Markdown cell has rendered something.
_READY_JS = """([panel, n]) => {
  const cells = document.querySelectorAll(panel + ' .jp-Notebook .jp-Cell');
  if (cells.length < n) return false;
  return [...document.querySelectorAll(panel + ' .jp-MarkdownCell')]
    .every(c => c.querySelector('.myst, .jp-RenderedMarkdown'));
}"""
# A fingerprint of the rendered Markdown: unchanged twice in a row means rendering settled.
_FINGERPRINT_JS = """(panel) => [...document.querySelectorAll(
    panel + ' .jp-MarkdownCell .myst, ' + panel + ' .jp-MarkdownCell .jp-RenderedMarkdown')]
  .map(e => e.textContent.length).join(',')"""
_HEIGHT_JS = """(panel) => {
  const outer = document.querySelector(panel + ' .jp-WindowedPanel-outer')
             || document.querySelector(panel + ' .jp-Notebook');
  return outer.getBoundingClientRect().top + outer.scrollHeight + 40;
}"""


def _get(url: str, timeout: float = 10.0) -> str:
    with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (localhost)
        return response.read().decode()


def server_problems(base_url: str) -> list[str]:
    """What is wrong with the server as a whole: jupyterlab-myst missing or disabled, windowing
    on. Prints the JupyterLab version and extensions it found."""
    html = _get(f"{base_url}/lab")
    config = json.loads(
        re.search(r'id="jupyter-config-data"[^>]*>(.*?)</script>', html, re.S).group(1)
    )
    names = [ext["name"] for ext in config.get("federated_extensions", [])]
    disabled = config.get("disabledExtensions", [])
    print(f"JupyterLab {config.get('appVersion', '?')}; extensions: {', '.join(names) or 'none'}")
    problems = []
    if MYST not in names:
        problems.append(f"{MYST} is not installed in this JupyterLab")
    elif any(name.startswith(MYST) for name in disabled):
        problems.append(f"{MYST} is disabled ({disabled})")
    tracker = json.loads(_get(f"{base_url}/lab/api/settings/{TRACKER}"))
    mode = tracker["settings"].get(
        "windowingMode", tracker["schema"]["properties"]["windowingMode"]["default"]
    )
    if mode != "none":
        problems.append(f"notebook windowingMode is {mode!r}, not 'none': cells may not render")
    if json.loads(_get(f"{base_url}/api/contents/_toc.yml?content=0")).get("writable"):
        print("warning: this server can write the repository; JupyterLab may save the notebooks")
    return problems


def shut_down_kernel(base_url: str, relative: str) -> None:
    """Delete the session (and kernel) JupyterLab started for the notebook at ``relative``,
    so that kernels do not pile up; best effort (a failure only leaves a kernel running)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    try:
        opener.open(f"{base_url}/lab", timeout=10).close()  # sets the _xsrf cookie
        xsrf = next((cookie.value for cookie in jar if cookie.name == "_xsrf"), "")
        with opener.open(f"{base_url}/api/sessions", timeout=10) as response:
            sessions = json.loads(response.read())
        for session in sessions:
            if session.get("path") == relative:
                url = f"{base_url}/api/sessions/{session['id']}"
                request = urllib.request.Request(
                    url, method="DELETE", headers={"X-XSRFToken": xsrf}
                )
                opener.open(request, timeout=10).close()
    except OSError as error:
        print(f"note: could not shut down the kernel of {relative}: {error}", file=sys.stderr)


async def wait_rendered(page, n_cells: int, timeout_ms: int) -> None:
    """Until the notebook's ``n_cells`` cells are in the page and its Markdown stopped changing."""
    await page.wait_for_function(_READY_JS, arg=[PANEL, n_cells], timeout=timeout_ms, polling=250)
    previous, deadline = None, time.monotonic() + timeout_ms / 1000
    while time.monotonic() < deadline:
        current = await page.evaluate(_FINGERPRINT_JS, PANEL)
        if current == previous:
            return
        previous = current
        await page.wait_for_timeout(600)


def judge(result: rendered.PageResult, nb, states: list[dict], strict_refs: bool) -> None:
    """Turn the rendered cells ``states`` of ``nb`` into findings on ``result``."""
    if len(states) != len(nb.cells):
        result.fail(0, f"{len(states)} of {len(nb.cells)} cells in the page (windowing?)")
        return
    not_myst = [i for i, state in enumerate(states) if state["markdown"] and not state["myst"]]
    if not_myst:
        message = f"{len(not_myst)} Markdown cells rendered by JupyterLab's own renderer"
        result.fail(not_myst[0], f"{MYST} is not active: {message}")
    for index, (cell, state) in enumerate(zip(nb.cells, states, strict=True)):
        if cell.cell_type == "markdown":
            judge_markdown(result, index, cell, state, strict_refs)
        elif cell.cell_type == "code":
            judge_code(result, index, cell, state)


def judge_markdown(result: rendered.PageResult, index: int, cell, state, strict_refs) -> None:
    if not state["rendered"]:
        result.fail(index, "the Markdown cell did not render")
    values = rendered.cell_values(cell)
    result.values += len(values)
    problems = rendered.markdown_problems(values, state)
    problems += rendered.unknown_roles(cell.source, state, rendered.JUPYTERLAB_MYST_ROLES)
    for problem in problems:
        result.fail(index, problem)
    for role in rendered.unresolved_roles(cell.source, state):
        (result.fail if strict_refs else result.note)(index, role)


def judge_code(result: rendered.PageResult, index: int, cell, state) -> None:
    if layout.COLAB_GUARD.search(cell.source) and state["inputVisible"]:
        result.fail(index, "a visible code cell with google.colab (the Colab install cell)")
    for piece in rendered.raw_myst(state["prose"]):
        result.fail(index, f"raw MyST {piece!r} in the output")


_RUN_ALL_JS = """async () => {
  const app = window.jupyterapp;
  if (!app) return false;
  await app.commands.execute('notebook:run-all-cells');
  return true;
}"""
_FIGURE_JS = """([panel, index]) => {
  const cell = document.querySelectorAll(`${panel} .jp-Notebook .jp-Cell`)[index];
  const img = cell && cell.querySelector('img.widget-image');
  return img ? img.src : null;
}"""


async def check_live_slider(page, result: rendered.PageResult, nb, timeout_ms: int) -> None:
    """Run the notebook, then move its ipywidgets slider from the keyboard: the figure drawn by
    the kernel must appear, and change. Needs ``window.jupyterapp`` (expose_app_in_browser)."""
    index = next((i for i, c in enumerate(nb.cells) if slider.CALL.search(c.source)), None)
    if index is None or nb.cells[index].cell_type != "code":
        return
    if not await page.evaluate(_RUN_ALL_JS):
        result.note(index, "live slider not checked: the server does not expose the app")
        return
    try:
        await page.wait_for_function(_FIGURE_JS, arg=[PANEL, index], timeout=timeout_ms)
    except PlaywrightTimeout:
        result.fail(index, "the live slider drew no figure after the notebook ran")
        return
    before = await page.evaluate(_FIGURE_JS, [PANEL, index])
    handle = page.locator(f"{PANEL} .jp-Notebook .jp-Cell").nth(index).locator(".noUi-handle")
    await handle.focus()
    for _ in range(5):
        await page.keyboard.press("ArrowRight")
    try:
        await page.wait_for_function(
            f"([panel, index]) => ({_FIGURE_JS})([panel, index]) !== {json.dumps(before)}",
            arg=[PANEL, index],
            timeout=30_000,
        )
    except PlaywrightTimeout:
        result.fail(index, "moving the live slider with the arrow keys did not redraw its figure")


async def screenshot(page, path: Path) -> None:
    """The whole notebook in one picture: the viewport is made as tall as the notebook."""
    height = min(int(await page.evaluate(_HEIGHT_JS, PANEL)), rendered.SCREENSHOT_MAX_HEIGHT)
    await page.set_viewport_size({"width": VIEWPORT["width"], "height": max(height, 1000)})
    await page.wait_for_timeout(300)
    path.parent.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(path))


_OPEN_JS = """async (path) => {
  const app = window.jupyterapp;
  if (!app) return false;
  // dispose, not close: closing a notebook that JupyterLab marked changed asks to save it.
  for (const widget of [...app.shell.widgets('main')]) widget.dispose();
  await app.commands.execute('docmanager:open', {path});
  return true;
}"""
"""Opens a notebook in the JupyterLab already loaded, if the server exposes the app
(``--LabApp.expose_app_in_browser=True``): about 5 s per notebook less than a page load."""


async def open_notebook(page, base_url: str, relative: str, timeout_ms: int) -> None:
    """Show the notebook ``relative`` in ``page``: in the loaded app, or by loading its URL."""
    if page.url.startswith(f"{base_url}/lab") and await page.evaluate(_OPEN_JS, relative):
        return
    await page.goto(f"{base_url}/lab/tree/{relative}?reset", timeout=timeout_ms)


async def check_page(page, base_url: str, path: Path, args) -> rendered.PageResult:
    """Open the notebook at ``path`` in ``page`` and return what was wrong with it."""
    nb = nbformat.read(path, as_version=4)
    relative = path.relative_to(REPO_ROOT).as_posix()
    result = rendered.PageResult(path.name, cells=len(nb.cells))
    start = lap = time.perf_counter()
    try:
        await page.set_viewport_size(VIEWPORT)
        await open_notebook(page, base_url, relative, args.timeout * 1000)
        lap = result.lap("open", lap)
        await wait_rendered(page, len(nb.cells), args.timeout * 1000)
        lap = result.lap("render", lap)
        judge(result, nb, await page.evaluate(rendered.CELLS_JS, PANEL), args.strict_refs)
        await check_live_slider(page, result, nb, args.timeout * 1000)
        lap = result.lap("slider", lap)
        if args.screenshots:
            shot = args.screenshots / f"{path.stem}.png"
            await screenshot(page, shot)
            result.screenshot = str(
                shot.relative_to(REPO_ROOT) if shot.is_relative_to(REPO_ROOT) else shot
            )
            result.lap("shot", lap)
    except PlaywrightTimeout as error:
        result.fail(0, f"did not render within {args.timeout} s ({str(error).splitlines()[0]})")
    finally:
        shut_down_kernel(base_url, relative)
    result.seconds = time.perf_counter() - start
    return result


async def _answer(dialog) -> None:
    """Leave a page when asked (beforeunload), decline any other browser dialog."""
    await (dialog.accept() if dialog.type == "beforeunload" else dialog.dismiss())


async def new_page(browser):
    """The one page every notebook opens in; it answers the browser's dialogs."""
    page = await browser.new_page(viewport=VIEWPORT)
    page.on("dialog", _answer)  # playwright runs a coroutine listener as a task
    return page


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base_url")
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every toc notebook")
    parser.add_argument(
        "--screenshots", type=Path, default=REPO_ROOT / "_build/screenshots/jupyterlab"
    )
    parser.add_argument("--timeout", type=int, default=90, help="seconds per notebook")
    parser.add_argument("--strict-refs", action="store_true", help="unresolved refs fail")
    args = parser.parse_args(argv)
    base_url = args.base_url.rstrip("/")
    try:
        problems = server_problems(base_url)
    except (OSError, AttributeError) as error:  # urllib.error.URLError is an OSError
        print(f"FAIL cannot read JupyterLab at {base_url}: {error}", file=sys.stderr)
        return 2
    for problem in problems:
        print(f"FAIL server: {problem}")
    pages = [page.source for page in layout.read_pages(REPO_ROOT) if page.is_notebook]
    paths = [path.resolve() for path in args.notebooks] or pages
    start = time.perf_counter()
    results = asyncio.run(
        rendered.check_each(
            paths, lambda page, path: check_page(page, base_url, path, args), prepare=new_page
        )
    )
    return rendered.report(results, "notebooks", time.perf_counter() - start, problems)


if __name__ == "__main__":
    sys.exit(main())
