"""Fixtures for the browser tests: the built site served on 127.0.0.1, Chromium, one visit per page.

The HTML directory comes from ``RELU_NOTES_HTML`` (default ``_build/html`` under the repository
root); the pages and launch-button settings from ``_toc.yml`` and ``_config.yml`` in
``RELU_NOTES_BOOK`` (default: the repository root). Each page is visited once per session and
every test reads that visit's report. Full-page screenshots go to ``<html>/../screenshots/``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT / "scripts"))

from booksite import layout, probe, server, weight  # noqa: E402


def _from_env(name: str, default: Path) -> Path:
    path = Path(os.environ.get(name, default))
    return path if path.is_absolute() else (Path.cwd() / path).resolve()


BOOK_ROOT = _from_env("RELU_NOTES_BOOK", REPO_ROOT)
HTML_DIR = _from_env("RELU_NOTES_HTML", REPO_ROOT / "_build" / "html")
PAGES = layout.read_pages(BOOK_ROOT)
SUMMARY = pytest.StashKey[list[str]]()  # text for the terminal summary, e.g. page weights
PARAMETERS = {
    "page": PAGES,
    "chapter": [page for page in PAGES if page.is_chapter],
    "notebook_page": [page for page in PAGES if page.is_notebook],
}


def pytest_configure(config):
    config.stash[SUMMARY] = []


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """Print what the tests measured (the page-weight table) after the results."""
    for text in config.stash[SUMMARY]:
        terminalreporter.write_line(text)


def pytest_generate_tests(metafunc):
    """Run tests taking ``page``, ``chapter`` or ``notebook_page`` once per such toc entry."""
    for name, pages in PARAMETERS.items():
        if name in metafunc.fixturenames:
            metafunc.parametrize(name, pages, ids=[page.docname for page in pages])


@pytest.fixture(scope="session")
def book_root() -> Path:
    return BOOK_ROOT


@pytest.fixture(scope="session")
def all_pages() -> list[layout.Page]:
    return PAGES


@pytest.fixture(scope="session")
def repository() -> layout.Repository:
    return layout.read_repository(BOOK_ROOT)


@pytest.fixture(scope="session")
def site_root():
    if not (HTML_DIR / "index.html").is_file():
        pytest.fail(f"no built site at {HTML_DIR}: run `jupyter-book build .` first")
    with server.serve(HTML_DIR) as root:
        yield root


@pytest.fixture(scope="session")
def browser():
    with probe.chromium() as chromium:
        yield chromium


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    return HTML_DIR.parent / "screenshots"


@pytest.fixture(scope="session")
def visits(browser, site_root, repository, screenshot_dir):
    """``visits(page)`` -> the PageReport of that page, visiting it on first use."""
    cache: dict[str, probe.PageReport] = {}
    prefixes = [repository.binderhub_url, repository.colab_url]

    def get(page: layout.Page) -> probe.PageReport:
        if page.docname not in cache:
            cache[page.docname] = probe.visit(
                browser,
                site_root,
                page.html,
                launch_prefixes=prefixes,
                screenshot=screenshot_dir / f"{page.docname}.png",
            )
        return cache[page.docname]

    return get


@pytest.fixture(scope="session")
def site_weight(visits, site_root, pytestconfig) -> dict[str, weight.PageWeight]:
    """Every page's own bytes; the table (with shared assets) goes to the terminal summary."""
    reports = {page.docname: visits(page) for page in PAGES}
    site = weight.weigh(site_root, reports)
    pytestconfig.stash[SUMMARY].append(weight.format_table(site, reports, weight.BUDGET_BYTES))
    return {page.name: page for page in site.pages}
