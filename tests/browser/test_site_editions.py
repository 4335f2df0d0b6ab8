"""The editions: each page links to its twin, says its language, and Bengali search works.

The English edition is the site's root, the Bengali one is in ``bn/`` (scripts/build_book.py).
"""

from __future__ import annotations

import dataclasses
import re
import sys
from pathlib import Path
from urllib.parse import urljoin

import pytest
from booksite import built, probe

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "book" / "_ext"))
from bengali_search import SearchBengali  # noqa: E402
from inline_values import stored_values  # noqa: E402  (the values the build shows)

_HTML_LANG = re.compile(r"<html[^>]*\blang=\"([\w-]+)\"")
SEARCH_WORDS = ("মৃত", "ঢাল", "অনুশীলনী")
"""Bengali words the search must find whole: dead, slope, exercises."""


def _read(html_dir, relative: str) -> str:
    path = html_dir / relative
    assert path.is_file(), f"{relative} was not built"
    return path.read_text(encoding="utf-8")


def _switches(page_html: str) -> list[tuple[str, str]]:
    """``(href, hreflang)`` of each language switch of the page."""
    return [
        (link.href, link.hreflang)
        for link in built.links(page_html)
        if "language-switch" in link.classes and link.hreflang
    ]


def test_page_says_its_language(page, html_dir):
    assert _HTML_LANG.search(_read(html_dir, page.html))[1] == page.edition


def test_language_switch_links_twin_and_back(page, html_dir):
    switches = _switches(_read(html_dir, page.html))
    assert len(switches) == 1, f"{page.html}: {len(switches)} language switches"
    href, language = switches[0]
    assert language != page.edition
    twin = urljoin(page.html, href)
    assert twin == dataclasses.replace(page, edition=language).html
    back_href, back_language = _switches(_read(html_dir, twin))[0]
    assert back_language == page.edition
    assert urljoin(twin, back_href) == page.html


def test_translated_page_shows_every_computed_value(translated_notebook_page, html_dir):
    page = translated_notebook_page
    values = set(stored_values(page.source).values())
    text = built.main_text(_read(html_dir, page.html))
    assert "{eval}" not in text
    assert sorted(v for v in values if v not in text) == []


@pytest.fixture(scope="module")
def bengali_pages(html_dir, pages_by_edition):
    """``{page html: article text}`` of the Bengali edition (its ``page.html``: ``bn/...``)."""
    return {
        page.html: built.main_text(_read(html_dir, page.html)) for page in pages_by_edition["bn"]
    }


@pytest.mark.parametrize("word", SEARCH_WORDS)
def test_bengali_search_keeps_words_whole(word, browser, site_root, bengali_pages):
    """Both ways: the pages with the word are found, and a page without it is not.

    A page "has" the word when the word is one of its words, split as the index splits them;
    a page that has it only inside a longer word (মৃত in মৃত্যু) may go either way.
    """
    words = {
        name: set(SearchBengali._word_re.findall(text)) for name, text in bengali_pages.items()
    }
    with_word = {name for name in bengali_pages if word in words[name]}
    without = {name for name, text in bengali_pages.items() if word not in text}
    assert with_word and without, f"{word}: choose a word that some pages have and some lack"
    report = probe.search(browser, site_root, word, language="bn")
    found = {url.removeprefix(site_root).split("#")[0] for url in report.search_results}
    assert report.console_errors == []
    assert sorted(with_word - found) == [], f"{word}: pages with it not found"
    assert sorted(found & without) == [], f"{word}: pages without it found"
