"""The alpha sliders work on the static site: no kernel, keyboard only, the figure redraws.

Each chapter whose notebook calls ``alpha_slider(`` must show a ``figure.relu-slider`` whose
control the page's own script revealed. Pressing the arrow keys must move the readout by the
slider's step, leave exactly one frame shown, and change the pixels of the figure.
"""

from __future__ import annotations

import json
import re

import pytest
from booksite import slider  # scripts/ is on sys.path (conftest)

STEPS = 10


def _alpha(readout: str) -> float:
    match = re.fullmatch(r"α = (\d+\.\d\d)", readout.strip())
    assert match, f"the slider's readout is {readout!r}, not 'α = <value>'"
    return float(match[1])


@pytest.fixture(scope="module")
def slider_pages(all_pages):
    pages = [p for p in all_pages if p.is_chapter and slider.CALL.search(p.source_text())]
    names = {page.docname.rsplit("/", 1)[-1] for page in pages}
    assert {"02_leaky_relu", "03_prelu"} <= names, f"chapters with a slider: {sorted(names)}"
    return pages


def test_leaky_relu_and_prelu_chapters_have_a_slider(slider_pages):
    assert len(slider_pages) >= 2


def test_slider_moves_with_the_keyboard_and_redraws(browser, site_root, slider_pages):
    for page in slider_pages:
        tab = browser.new_page(viewport={"width": 1280, "height": 900})
        errors: list[str] = []
        tab.on("pageerror", lambda error, errors=errors: errors.append(str(error)))
        tab.on("console", lambda m, errors=errors: m.type == "error" and errors.append(m.text))
        try:
            tab.goto(site_root + page.html, wait_until="load")
            sliders = tab.locator("figure.relu-slider")
            assert sliders.count() == 1, f"{page.docname}: {sliders.count()} sliders"
            figure = sliders.first
            control = figure.locator("input[type=range]")
            assert control.is_visible(), f"{page.docname}: the slider's script did not run"
            before = tab.evaluate(slider.STATE_JS)[0]
            assert before["frames"] == int(control.get_attribute("max")) + 1
            assert len(before["shown"]) == 1, f"{page.docname}: frames shown {before['shown']}"
            alpha_before = _alpha(figure.locator("output").inner_text())
            pixels_before = figure.locator("svg").screenshot()

            control.focus()
            for _ in range(STEPS):
                tab.keyboard.press("ArrowRight")

            after = tab.evaluate(slider.STATE_JS)[0]
            alpha_after = _alpha(figure.locator("output").inner_text())
            assert len(after["shown"]) == 1, f"{page.docname}: frames shown {after['shown']}"
            assert int(after["shown"][0]) == int(before["shown"][0]) + STEPS
            alphas = json.loads(figure.get_attribute("data-alphas"))
            assert alpha_before == pytest.approx(alphas[int(before["shown"][0])])
            assert alpha_after == pytest.approx(alphas[int(after["shown"][0])])
            assert alpha_after > alpha_before
            assert control.get_attribute("aria-valuetext") == f"α = {alpha_after:.2f}"
            assert after["path"] != before["path"], f"{page.docname}: the curve did not change"
            assert figure.locator("svg").screenshot() != pixels_before, (
                f"{page.docname}: the figure's pixels did not change"
            )
            assert errors == [], f"{page.docname}: console errors {errors}"
        finally:
            tab.close()
