"""Each chapter page stays within 1 MB of its own bytes (HTML + its images and data)."""

from booksite import weight


def test_chapter_within_budget(chapter, site_weight):
    page = site_weight[chapter.key]
    assert page.html_bytes > 0
    assert page.own_bytes <= weight.BUDGET_BYTES, page.assets
