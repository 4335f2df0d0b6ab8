"""Each chapter page stays within 1 MB of its own bytes (HTML + its images and data)."""

from __future__ import annotations

import pytest
from booksite import weight


@pytest.fixture(scope="module")
def site_weight(visits, site_root, all_pages, pytestconfig):
    reports = {page.docname: visits(page) for page in all_pages}
    site = weight.weigh(site_root, reports)
    reporter = pytestconfig.pluginmanager.get_plugin("terminalreporter")
    reporter.write_line("\n" + weight.format_table(site, reports, weight.BUDGET_BYTES))
    return {w.name: w for w in site.pages}


def test_chapter_within_budget(chapter, site_weight):
    page = site_weight[chapter.docname]
    assert page.html_bytes > 0
    assert page.own_bytes <= weight.BUDGET_BYTES, page.assets
