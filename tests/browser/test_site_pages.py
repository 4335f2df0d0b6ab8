"""Every page of _toc.yml, loaded in Chromium from a local server with the network blocked."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

import pytest

BENGALI_FONT = re.compile(r"bengali|bangla", re.IGNORECASE)
IMAGE_FILE = re.compile(r"\.(png|jpe?g|gif|svg|webp)$", re.IGNORECASE)


def test_page_loads(page, visits):
    assert visits(page).status == 200


def test_no_console_errors(page, visits):
    assert visits(page).console_errors == []


def test_no_failed_requests(page, visits):
    assert visits(page).failed_requests == []


def test_no_request_leaves_localhost(page, visits, site_root):
    report = visits(page)
    assert report.offsite_requests == []
    assert [t.url for t in report.transfers if not t.url.startswith(site_root)] == []


def test_images_loaded_with_alt_text(page, visits):
    report = visits(page)
    broken = [img["src"] for img in report.images if img["naturalWidth"] == 0]
    assert broken == []
    # myst-nb falls back to the image's file path as alt text: that is not a description.
    missing_alt = [
        img["src"]
        for img in report.images
        if not (img["alt"] or "").strip()
        or IMAGE_FILE.search(img["alt"].strip())
        or PurePosixPath(img["src"]).name in img["alt"]
    ]
    assert missing_alt == []


def test_math_is_typeset(page, visits):
    math = visits(page).math
    assert math["rawTex"] == [], "TeX left as plain text outside code"
    assert math["untypeset"] == [], "math elements without MathJax output"
    assert math["errors"] == [], "MathJax reported TeX errors"
    if page.has_display_math():
        assert math["mathjaxLoaded"]
        assert math["displayContainers"] >= 1


def test_bengali_text_uses_a_bengali_font(page, visits):
    if not (page.is_chapter or page.has_bengali()):
        pytest.skip("page has no Bengali text in its source")
    assert page.has_bengali(), "every chapter keeps the notes' own Bengali lines"
    report = visits(page)
    assert report.bengali_runs_total > 0, "Bengali in the source but not on the page"
    assert report.bengali_runs, "no visible Bengali text to check"
    for run in report.bengali_runs:
        assert sum(run.fonts.values()) > 0, run.text
        other_fonts = [family for family in run.fonts if not BENGALI_FONT.search(family)]
        assert other_fonts == [], f"{run.text} rendered with {run.fonts}"
        # The site's own font (book/_static/fonts), not one the reader happens to have.
        assert run.web_fonts == set(run.fonts), f"{run.text}: not the served font {run.fonts}"


def test_screenshot_saved(page, visits, screenshot_dir):
    visits(page)
    shot = screenshot_dir / f"{page.key}.png"
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
