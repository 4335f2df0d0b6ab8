"""Fixtures for the browser tests: the built site served on 127.0.0.1, Chromium, one visit per page.

The HTML directory comes from ``RELU_NOTES_HTML`` (default ``_build/html`` under the repository
root); the pages and launch-button settings from ``_toc.yml`` and ``_config.yml`` in
``RELU_NOTES_BOOK`` (default: the repository root). Each page is visited once per session and
every test reads that visit's report. Full-page screenshots go to ``<html>/../screenshots/``.

Prerequisites: tests that need the built site (``html_dir``, ``site_root``) or a browser
(``browser``) are skipped, with the reason, when the site is not built or playwright cannot be
imported, so that a bare ``pytest`` in a fresh clone runs the package tests and skips these.
With the environment variable ``CI`` set to ``true`` (or ``1``/``yes``), as CI services set it,
a missing prerequisite fails those tests instead: CI must not pass without its browser tests.
Skips for other reasons (a page without Bengali text) are not affected.
"""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path
from typing import NoReturn

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT / "scripts"))

# None of these import playwright (probe does so only when a browser starts).
from booksite import editions, layout, probe, server, weight  # noqa: E402


def _from_env(name: str, default: Path) -> Path:
    path = Path(os.environ.get(name, default))
    return path if path.is_absolute() else (Path.cwd() / path).resolve()


BOOK_ROOT = _from_env("RELU_NOTES_BOOK", REPO_ROOT)
HTML_DIR = _from_env("RELU_NOTES_HTML", REPO_ROOT / "_build" / "html")
IN_CI = os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}
EDITIONS = {language: layout.read_pages(BOOK_ROOT, language) for language in editions.LANGUAGES}
"""Each edition's pages, by language (English first): ``page.html`` is the path in the site."""
PAGES = EDITIONS[editions.LANGUAGES[0]]
"""The English edition's pages."""
EDITION_PAGES = [page for pages in EDITIONS.values() for page in pages]
"""Every page of every edition: the per-page tests run on each."""
SUMMARY = pytest.StashKey[list[str]]()  # text for the terminal summary, e.g. page weights
PARAMETERS = {
    "page": EDITION_PAGES,
    "chapter": [page for page in EDITION_PAGES if page.is_chapter],
    "notebook_page": [page for page in EDITION_PAGES if page.is_notebook],
    "translated_notebook_page": [
        p for p in EDITION_PAGES if p.is_notebook and p.edition in editions.TRANSLATED
    ],
}


def _site_missing() -> str | None:
    if (HTML_DIR / "index.html").is_file():
        return None
    return (
        f"no built site at {HTML_DIR} (RELU_NOTES_HTML): build it with "
        "`jupyter-book build .` or point RELU_NOTES_HTML at one"
    )


def _playwright_missing() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as error:
        return (
            f"playwright is not importable ({error}): "
            "`pip install -r requirements-dev.txt` (and Debian's chromium)"
        )
    return None


def _require(*checks) -> None:
    """Skip (or, when ``CI`` is true, fail) unless every prerequisite check passes."""
    reasons = [reason for check in checks if (reason := check()) is not None]
    if reasons:
        _unavailable("; ".join(reasons))


def _unavailable(reason: str) -> NoReturn:
    if IN_CI:
        pytest.fail(
            f"{reason} [CI={os.environ['CI']}: browser tests must run in CI, not be skipped]",
            pytrace=False,
        )
    pytest.skip(reason)


def pytest_configure(config):
    config.stash[SUMMARY] = []


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """Print what the tests measured (the page-weight table) after the results."""
    for text in config.stash.get(SUMMARY, []):
        terminalreporter.write_line(text)


def pytest_generate_tests(metafunc):
    """Run tests taking ``page``, ``chapter``, ``notebook_page`` ... once per such page."""
    for name, pages in PARAMETERS.items():
        if name in metafunc.fixturenames:
            metafunc.parametrize(name, pages, ids=[page.key for page in pages])


@pytest.fixture(scope="session")
def book_root() -> Path:
    return BOOK_ROOT


@pytest.fixture(scope="session")
def all_pages() -> list[layout.Page]:
    return PAGES


@pytest.fixture(scope="session")
def pages_by_edition() -> dict[str, list[layout.Page]]:
    """``{language: that edition's pages}``, English first."""
    return EDITIONS


@pytest.fixture(scope="session")
def repository() -> layout.Repository:
    return layout.read_repository(BOOK_ROOT)


@pytest.fixture(scope="session")
def html_dir() -> Path:
    """The built site's directory (skips or, in CI, fails when there is none)."""
    _require(_site_missing)
    return HTML_DIR


def _pdfs_missing() -> str | None:
    if any((HTML_DIR / "pdf").glob("*.pdf")):
        return None
    return f"no PDFs in {HTML_DIR / 'pdf'}: make them with `python scripts/build_pdfs.py`"


@pytest.fixture(scope="session")
def pdf_dir(html_dir) -> Path:
    """The PDFs printed from the built site (skips or, in CI, fails when there are none)."""
    _require(_pdfs_missing)
    return html_dir / "pdf"


@pytest.fixture(scope="session")
def site_root(html_dir):
    with server.serve(html_dir) as root:
        yield root


@pytest.fixture(scope="session")
def browser():
    """Chromium through playwright (skips or, in CI, fails without playwright or the site)."""
    _require(_site_missing, _playwright_missing)
    with probe.chromium() as chromium:
        yield chromium


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    return HTML_DIR.parent / "screenshots"


@pytest.fixture(scope="session")
def visits(browser, site_root, screenshot_dir):
    """``visits(page)`` -> the PageReport of that page, visiting it on first use."""

    @functools.cache
    def get(page: layout.Page) -> probe.PageReport:
        return probe.visit(
            browser,
            site_root,
            page.html,
            screenshot=screenshot_dir / f"{page.key}.png",
        )

    return get


@pytest.fixture(scope="session")
def site_weight(visits, site_root, pytestconfig) -> dict[str, weight.PageWeight]:
    """Every page's own bytes; the table (with shared assets) goes to the terminal summary."""
    reports = {page.key: visits(page) for page in EDITION_PAGES}
    site = weight.weigh(site_root, reports)
    pytestconfig.stash[SUMMARY].append(weight.format_table(site, reports, weight.BUDGET_BYTES))
    return {page.name: page for page in site.pages}
