"""The editions: each page links to its twin, says its language, and Bengali search works.

The English edition is the site's root, the Bengali one is in ``bn/`` (scripts/build_book.py).
"""

from __future__ import annotations

import html
import re
import sys
from pathlib import Path
from urllib.parse import urljoin

import nbformat
import pytest
from booksite import probe

from relu_notes.inline import stored_text

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "book" / "_ext"))
from bengali_search import SearchBengali  # noqa: E402

_SWITCH = re.compile(r'<a class="[^"]*\blanguage-switch\b[^"]*" href="([^"]+)" hreflang="(\w+)"')
_HTML_LANG = re.compile(r"<html[^>]*\blang=\"([\w-]+)\"")
_TAGS = re.compile(r"<[^>]+>")
SEARCH_WORDS = ("মৃত", "ঢাল", "অনুশীলনী")
"""Bengali words the search must find whole: dead, slope, exercises."""


def _read(html_dir, relative: str) -> str:
    path = html_dir / relative
    assert path.is_file(), f"{relative} was not built"
    return path.read_text(encoding="utf-8")


def _text(page_html: str) -> str:
    main = page_html.split('<main id="main-content"', 1)[-1]
    return html.unescape(_TAGS.sub(" ", main))


def test_page_says_its_language(page, html_dir):
    assert _HTML_LANG.search(_read(html_dir, page.html))[1] == page.edition


def test_language_switch_links_twin_and_back(page, html_dir):
    switches = _SWITCH.findall(_read(html_dir, page.html))
    assert len(switches) == 1, f"{page.html}: {len(switches)} language switches"
    href, language = switches[0]
    assert language != page.edition
    twin = urljoin(page.html, href)
    assert twin == (page.docname if language == "en" else f"{language}/{page.docname}") + ".html"
    back_href, back_language = _SWITCH.findall(_read(html_dir, twin))[0]
    assert back_language == page.edition
    assert urljoin(twin, back_href) == page.html


def test_translated_page_shows_every_computed_value(translated_notebook_page, html_dir):
    page = translated_notebook_page
    nb = nbformat.read(page.source, as_version=4)
    markdown = [cell for cell in nb.cells if cell.cell_type == "markdown"]
    values = {value for cell in markdown for value in stored_text(cell).values()}
    text = _text(_read(html_dir, page.html))
    assert "{eval}" not in text
    assert sorted(v for v in values if v not in text) == []


@pytest.fixture(scope="module")
def bengali_pages(html_dir, all_pages):
    """``{page html: article text}`` of the Bengali edition."""
    return {page.html: _text(_read(html_dir, f"bn/{page.html}")) for page in all_pages}


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
    report = probe.search(browser, site_root, word, edition="bn/")
    found = {url.removeprefix(f"{site_root}bn/").split("#")[0] for url in report.search_results}
    assert report.console_errors == []
    assert sorted(with_word - found) == [], f"{word}: pages with it not found"
    assert sorted(found & without) == [], f"{word}: pages without it found"
