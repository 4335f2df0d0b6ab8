"""The site's own search page works offline and finds the course's key term."""

from __future__ import annotations

import pytest
from booksite import probe


@pytest.fixture(scope="module")
def prelu_search(browser, site_root):
    return probe.search(browser, site_root, "PReLU")


def test_search_finds_prelu(prelu_search, site_root, all_pages):
    found = {url.removeprefix(site_root).split("#")[0] for url in prelu_search.search_results}
    chapters = {page.html for page in all_pages if page.is_chapter}
    assert found & chapters, f"search.html?q=PReLU listed no chapter: {sorted(found)}"


def test_search_page_is_clean(prelu_search):
    assert prelu_search.status == 200
    assert prelu_search.console_errors == []
    assert prelu_search.failed_requests == []
    assert prelu_search.offsite_requests == []
