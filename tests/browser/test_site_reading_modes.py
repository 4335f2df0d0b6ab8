"""Every page of _toc.yml read in the theme's dark mode and on a phone-sized screen.

Dark mode is what the theme's toggle leaves behind: ``mode`` (and ``theme``) set to ``"dark"`` in
localStorage, which the page's first script turns into ``<html data-theme="dark">``. There, every
figure of a cell output (matplotlib PNG) and every static slider (``.relu-slider``) must sit on a
light card, undimmed, and the text of every table and slider must have a WCAG contrast ratio of
at least 4.5 against the background it is actually drawn on.

On a phone (390 x 844 CSS pixels) no page may scroll sideways: the document and its columns are
at most as wide as the screen, and code, tables, math and figures wider than the text column
scroll inside themselves (``overflow-x: auto``) instead, neither spilling nor cut off.

The rules under test are in ``book/_static/reader.css`` (and the theme). Full-page screenshots go
to ``<html>/../screenshots/dark/`` and ``.../phone/``. One Chromium for the session (conftest's
``browser``); each page is loaded once per mode, with off-site requests blocked, and the tests
read that visit's measurements. Unlike conftest's ``visits`` (a cold cache per page, for the page
weights), each mode keeps one browser context: the theme and MathJax come from its cache.
"""

from __future__ import annotations

import contextlib
import functools

import pytest
from booksite import probe

DARK_MODE = "localStorage.setItem('mode', 'dark'); localStorage.setItem('theme', 'dark');"
PHONE = {"width": 390, "height": 844}
LIGHT_CARD = 0.8
"""Least relative luminance of a figure's card: #fff is 1.0, the theme's grey-blue #ced6dd 0.66."""
MIN_CONTRAST = 4.5  # WCAG AA for body text
FIGURES = ".bd-content .cell_output img, .bd-content .relu-slider"
TEXT_ON_CARDS = ".bd-content table, .bd-content .relu-slider"
# The page and its columns: none of them may be wider than the screen or scroll sideways.
COLUMNS = "html, body, .bd-container, .bd-main, .bd-content, .bd-article-container, .bd-article"
# Blocks that can be wider than the text column: each must then scroll inside itself. For
# math, the rendered formula (mjx-math) of inline and display math.
WIDE_BLOCKS = (
    ".bd-article pre, .bd-article table, .bd-article mjx-container[display='true'], "
    ".bd-article mjx-math, .bd-article .relu-slider, .bd-article .cell_output img"
)

# Shared by the measurements below: a short CSS path of an element, colours as [r, g, b, a],
# the colour actually drawn behind an element (its and its ancestors' backgrounds, composited
# down to the first opaque one), WCAG relative luminance and contrast ratio.
_HELPERS = r"""
const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
  + [...el.classList].slice(0, 2).map(c => '.' + c).join('');
const path = el => {
  const parts = [];
  for (; el && el !== document.body && parts.length < 4; el = el.parentElement) {
    parts.unshift(name(el));
  }
  return parts.join(' > ');
};
const rgba = text => {
  const m = /^rgba?\(([^)]*)\)$/.exec(text);
  if (!m) throw new Error('colour not in rgb(): ' + text);
  const p = m[1].split(/[\s,\/]+/).filter(Boolean).map(Number);
  return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
};
const over = (top, bottom) =>
  [0, 1, 2].map(i => top[3] * top[i] + (1 - top[3]) * bottom[i]).concat(1);
const background = el => {
  const layers = [];
  for (; el; el = el.parentElement) {
    const c = rgba(getComputedStyle(el).backgroundColor);
    if (c[3] > 0) layers.push(c);
    if (c[3] >= 1) break;
  }
  return layers.reduceRight((below, layer) => over(layer, below), [255, 255, 255, 1]);
};
const luminance = c => {
  const lin = v => (v /= 255) <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  return 0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2]);
};
const contrast = (a, b) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
};
const css = c => `rgb(${c.slice(0, 3).map(Math.round).join(', ')})`;
"""

# Dark mode: each figure's card (background luminance, filters on it or its ancestors) and each
# visible run of text in tables and sliders (colour against its background). MathJax draws
# glyphs in CSS ::before with the container's colour, so a math container counts as text; its
# hidden MathML copy for screen readers (mjx-assistive-mml) does not.
_DARK_STATE = (
    "(selectors) => {"
    + _HELPERS
    + r"""
  const figures = [...document.querySelectorAll(selectors.figures)].map(el => {
    const filters = [];
    for (let a = el; a; a = a.parentElement) {
      const f = getComputedStyle(a).filter;
      if (f !== 'none') filters.push(`${name(a)} {filter: ${f}}`);
    }
    const bg = background(el);
    return {path: path(el), background: css(bg), luminance: luminance(bg), filters};
  });
  const carriers = new Set();
  for (const root of document.querySelectorAll(selectors.text)) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!n.textContent.trim() || el.closest('mjx-assistive-mml, script, style')) continue;
      carriers.add(el.closest('mjx-container') || el);
    }
    root.querySelectorAll('mjx-container').forEach(m => carriers.add(m));
  }
  const text = [...carriers].filter(el => el.checkVisibility({visibilityProperty: true}))
    .map(el => {
      const bg = background(el), fg = over(rgba(getComputedStyle(el).color), bg);
      return {path: path(el), text: el.textContent.trim().slice(0, 40), color: css(fg),
              background: css(bg), ratio: contrast(fg, bg)};
    });
  return {theme: document.documentElement.dataset.theme, figures, text};
}"""
)

# Phone: the document's and columns' widths; the elements that stick out of the screen (not
# clipped by a scrolling or clipping ancestor, not fixed, e.g. the closed sidebars); and wide
# blocks that neither fit nor scroll: code or display math whose content is wider than its box
# without overflow-x auto/scroll, or a block (inline formula: its mjx-math) that sticks out of
# its nearest clipping ancestor when that one does not scroll (cut off), or out of the column
# when there is none (spills).
_PHONE_STATE = (
    "(selectors) => {"
    + _HELPERS
    + r"""
  const screen = document.documentElement.clientWidth;
  const scrolls = el => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX);
  const sticksOut = el => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && (r.right > screen + 0.5 || r.left < -0.5);
  };
  const contained = el => {
    for (let a = el; a; a = a.parentElement) {
      if (getComputedStyle(a).position === 'fixed') return true;
      if (a !== el && a !== document.body && a !== document.documentElement
          && getComputedStyle(a).overflowX !== 'visible') return true;
    }
    return false;
  };
  const outside = [...document.body.querySelectorAll('*')]
    .filter(el => sticksOut(el) && !contained(el));
  // Named by the block they belong to (a code line's spans by their <pre>), each once.
  const offenders = [...new Set(outside.filter(el => !outside.includes(el.parentElement))
    .map(el => el.closest('pre, table, mjx-container, figure, svg, img') || el))]
    .map(el => { const r = el.getBoundingClientRect();
                 return `${path(el)} (x ${Math.round(r.left)} to ${Math.round(r.right)}, `
                        + `content ${el.scrollWidth} px wide)`; });
  const columns = [...document.querySelectorAll(selectors.columns)]
    .filter(el => el.scrollWidth > el.clientWidth + 1 || el.clientWidth > screen)
    .map(el => `${path(el) || name(el)} (scrollWidth ${el.scrollWidth}, width ${el.clientWidth})`);
  const article = document.querySelector('.bd-article');
  const box = article.getBoundingClientRect(), pad = getComputedStyle(article);
  const column = {left: box.left + parseFloat(pad.paddingLeft),
                  right: box.right - parseFloat(pad.paddingRight)};
  const beyond = (r, limit) => r.right > limit.right + 2 || r.left < limit.left - 2;
  const clipper = el => {
    for (let a = el.parentElement; a && a !== article; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== 'visible') return a;
    }
    return null;
  };
  // Why el neither fits nor scrolls, or null: a non-scrolling clipper it sticks out of cuts it
  // off; a clipper it fits in (or one that scrolls) must fit in turn; the column is the last.
  const problem = el => {
    const r = el.getBoundingClientRect(), a = clipper(el);
    if (!a) {
      return beyond(r, column) ? `${Math.round(r.width)} px wide in a `
        + `${Math.round(column.right - column.left)} px column, no scrolling box` : null;
    }
    if (!scrolls(a) && beyond(r, a.getBoundingClientRect())) {
      return `${Math.round(r.width)} px wide, cut off by ${name(a)} `
        + `(${Math.round(a.getBoundingClientRect().width)} px, overflow-x: `
        + `${getComputedStyle(a).overflowX})`;
    }
    return problem(a);
  };
  const unscrolled = [];
  for (const el of article.querySelectorAll(selectors.blocks)) {
    if (!el.checkVisibility()) continue;
    const shown = (el.closest('mjx-container') || el).textContent.trim().slice(0, 30);
    const text = `${path(el)} ${JSON.stringify(shown)}`;
    if (el.matches('pre, mjx-container') && el.scrollWidth > el.clientWidth + 1 && !scrolls(el)) {
      unscrolled.push(`${text}: content ${el.scrollWidth} px in a ${el.clientWidth} px box, `
                      + `overflow-x: ${getComputedStyle(el).overflowX}`);
    } else {
      const why = problem(el);
      if (why) unscrolled.push(`${text}: ${why}`);
    }
  }
  const scrollWidth = document.documentElement.scrollWidth;
  return {screen, scrollWidth, offenders, columns, unscrolled};
}"""
)
# A static slider as relu_notes.plotting.slider writes it, in a cell output as myst-nb writes a
# text/html output; its SVG has a fixed width here (900 px), the worst case for a phone.
SLIDER_OUTPUT = (
    '<div class="cell_output docutils container"><div class="output text_html">'
    '<figure class="relu-slider" data-alphas="[0.0, 0.2]">'
    '<svg xmlns="http://www.w3.org/2000/svg" width="900" height="360" viewBox="0 0 900 360" '
    'role="img" aria-label="A test figure"><path d="M 0 360 L 900 360 L 900 0 L 0 0 z" '
    'style="fill: #ffffff"/><text x="20" y="40">f(x)</text></svg>'
    '<div class="relu-slider-controls"><label>α <input type="range" min="0" max="1" value="1" '
    'aria-label="alpha"></label><output>α = 0.20</output></div></figure></div></div>'
)
# Dropdowns (solutions, set-up details, hidden outputs) are measured open: a reader can open them.
_OPEN_DROPDOWNS = "() => document.querySelectorAll('details').forEach(d => { d.open = true; })"
_INSERT_AFTER_FIRST_CELL = (
    "html => document.querySelector('.bd-article .cell').insertAdjacentHTML('afterend', html)"
)
_SELECTORS = {
    "figures": FIGURES,
    "text": TEXT_ON_CARDS,
    "columns": COLUMNS,
    "blocks": WIDE_BLOCKS,
}


@contextlib.contextmanager
def _context(browser, site_root, *, viewport, dark):
    """A browser context for one reading mode (shared cache), off-site requests blocked."""
    context = browser.new_context(viewport=viewport, service_workers="block")
    try:
        if dark:
            context.add_init_script(DARK_MODE)
        context.route(probe.is_offsite(site_root), lambda route: route.abort())
        yield context
    finally:
        context.close()


@contextlib.contextmanager
def _open(context, url):
    """The page in a new tab, its images loaded, its math typeset and its fonts ready."""
    tab = context.new_page()
    try:
        tab.goto(url, wait_until="load")
        tab.evaluate(probe.LOAD_ALL_IMAGES)
        tab.evaluate(probe.WAIT_MATHJAX)
        tab.evaluate("document.fonts.ready.then(() => true)")
        yield tab
    finally:
        tab.close()


def _shoot(tab, shot):
    shot.parent.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(shot), full_page=True)


@contextlib.contextmanager
def _visits(browser, site_root, shots, measure, *, viewport, dark):
    """``get(page)`` -> ``measure(tab)`` of the page, visited once in one reading mode's context.

    Each page is screenshot to ``shots`` as it opens, then measured with its dropdowns open.
    """
    with _context(browser, site_root, viewport=viewport, dark=dark) as context:

        @functools.cache
        def get(page):
            with _open(context, site_root + page.html) as tab:
                _shoot(tab, shots / f"{page.key}.png")
                tab.evaluate(_OPEN_DROPDOWNS)
                return measure(tab)

        yield get


def _measure_dark(tab) -> dict:
    return tab.evaluate(_DARK_STATE, _SELECTORS)


def _measure_phone(tab) -> dict:
    """``{"light": widths, "dark": widths}``: measured, then again with ``data-theme`` dark."""
    light = tab.evaluate(_PHONE_STATE, _SELECTORS)
    tab.evaluate("document.documentElement.dataset.theme = 'dark'")
    dark = tab.evaluate(_PHONE_STATE, _SELECTORS)
    return {"light": light, "dark": dark}


@pytest.fixture(scope="session")
def dark_visits(browser, site_root, screenshot_dir):
    """``dark_visits(page)`` -> what the page shows in dark mode (1280 x 900), visited once.

    Screenshot as the page opens; measured with its dropdowns open.
    """
    with _visits(
        browser,
        site_root,
        screenshot_dir / "dark",
        _measure_dark,
        viewport=probe.VIEWPORT,
        dark=True,
    ) as get:
        yield get


@pytest.fixture(scope="session")
def phone_visits(browser, site_root, screenshot_dir):
    """``phone_visits(page)`` -> {"light": widths, "dark": widths} at 390 px, visited once.

    The page loads in the default light mode (screenshot, dropdowns closed); it is measured with
    its dropdowns open, then ``data-theme`` is switched to dark in place and measured again (the
    dark cards add padding).
    """
    with _visits(
        browser, site_root, screenshot_dir / "phone", _measure_phone, viewport=PHONE, dark=False
    ) as get:
        yield get


def _listing(items) -> str:
    return "".join(f"\n  {item}" for item in items)


def _dark_state(dark_visits, page) -> dict:
    """The page's dark-mode measurements, once its theme is checked to be dark."""
    state = dark_visits(page)
    assert state["theme"] == "dark", "localStorage mode=dark did not switch the theme to dark"
    return state


def _below(entries, key, limit, line) -> list[str]:
    """``line.format_map(entry)`` for each entry whose ``key`` is below ``limit``."""
    return [line.format_map(entry) for entry in entries if entry[key] < limit]


def test_dark_mode_figures_sit_on_light_cards(page, dark_visits):
    state = _dark_state(dark_visits, page)
    dark_cards = _below(
        state["figures"],
        "luminance",
        LIGHT_CARD,
        "{path}: background {background}, luminance {luminance:.2f}",
    )
    assert not dark_cards, f"figures on a background below luminance {LIGHT_CARD}:" + _listing(
        dark_cards
    )
    dimmed = [f"{f['path']}: {'; '.join(f['filters'])}" for f in state["figures"] if f["filters"]]
    assert not dimmed, "figures dimmed by a CSS filter (no longer white on the card):" + _listing(
        dimmed
    )


def test_dark_mode_table_text_contrast(page, dark_visits):
    state = _dark_state(dark_visits, page)
    low = _below(
        state["text"],
        "ratio",
        MIN_CONTRAST,
        "{path} {text!r}: {color} on {background}, ratio {ratio:.2f}",
    )
    assert not low, f"table or slider text below contrast ratio {MIN_CONTRAST}:" + _listing(low)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_phone_page_does_not_scroll_sideways(page, theme, phone_visits):
    state = phone_visits(page)[theme]
    assert state["screen"] == PHONE["width"]
    assert state["scrollWidth"] <= PHONE["width"], (
        f"page {state['scrollWidth']} px wide on a {PHONE['width']} px screen; sticking out:"
        + _listing(state["offenders"][:15])
    )
    assert not state["columns"], "page columns wider than the screen or scrolling sideways:" + (
        _listing(state["columns"])
    )


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_phone_wide_blocks_scroll_inside_themselves(page, theme, phone_visits):
    unscrolled = phone_visits(page)[theme]["unscrolled"]
    assert not unscrolled, "blocks that neither fit nor scroll (spill or are cut off):" + (
        _listing(unscrolled[:15])
    )


def test_slider_on_a_light_card_and_within_a_phone_screen(all_pages, browser, site_root):
    """A static slider put into a chapter's first cell: checked like the pages' own figures.

    Runs whether or not a chapter has a slider yet: the rules for ``.relu-slider`` in reader.css
    are checked before the first slider is published.
    """
    chapter = next(page for page in all_pages if page.is_chapter)
    with (
        _context(browser, site_root, viewport=PHONE, dark=True) as context,
        _open(context, site_root + chapter.html) as tab,
    ):
        tab.evaluate(_INSERT_AFTER_FIRST_CELL, SLIDER_OUTPUT)
        dark = _measure_dark(tab)
        phone = {"dark": tab.evaluate(_PHONE_STATE, _SELECTORS)}
        tab.evaluate("document.documentElement.dataset.theme = 'light'")
        phone["light"] = tab.evaluate(_PHONE_STATE, _SELECTORS)
    assert dark["theme"] == "dark"
    sliders = [f for f in dark["figures"] if "relu-slider" in f["path"]]
    assert len(sliders) == 1, dark["figures"]
    assert sliders[0]["luminance"] >= LIGHT_CARD, sliders
    assert sliders[0]["filters"] == [], sliders
    text = [t for t in dark["text"] if "relu-slider" in t["path"]]
    assert {t["text"] for t in text} >= {"α", "α = 0.20"}, text
    assert [t for t in text if t["ratio"] < MIN_CONTRAST] == [], text
    for theme, state in phone.items():
        assert state["scrollWidth"] <= PHONE["width"], (theme, state["offenders"][:15])
        assert state["columns"] == [], (theme, state["columns"])
        assert [u for u in state["unscrolled"] if "relu-slider" in u] == [], (theme, state)


def test_reading_mode_screenshots_saved(page, dark_visits, phone_visits, screenshot_dir):
    dark_visits(page)
    phone_visits(page)
    for mode in ("dark", "phone"):
        shot = screenshot_dir / mode / f"{page.key}.png"
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
