"""Visit a served page in Debian's Chromium and record what a reader would get.

One visit collects everything the browser tests and the page-weight report need: console
errors, failed and off-site requests (blocked, as on an offline machine), bytes transferred per
URL (CDP ``Network.loadingFinished.encodedDataLength``), images, MathJax output and the fonts
that actually render the Bengali text (CDP ``CSS.getPlatformFontsForNode``).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import editions

if TYPE_CHECKING:  # playwright is imported when a browser starts: see chromium()
    from playwright.async_api import Browser as AsyncBrowser
    from playwright.sync_api import Browser, Page

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 900}
BENGALI_PROBE_LIMIT = 60

# Forces lazy images to load, then waits until every <img> has finished (loaded or failed).
LOAD_ALL_IMAGES = """async () => {
  const imgs = [...document.images];
  imgs.forEach(img => { img.loading = 'eager'; });
  await Promise.all(imgs.map(img => img.complete ? null : new Promise(done => {
    img.addEventListener('load', done); img.addEventListener('error', done);
  })));
  return imgs.map(img => ({src: img.currentSrc || img.src, alt: img.getAttribute('alt'),
                           naturalWidth: img.naturalWidth}));
}"""

WAIT_MATHJAX = """async () => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
    await MathJax.startup.promise;
    return true;
  }
  return false;
}"""

# Math as Sphinx emits it (div.math / span.math), what MathJax made of it, and any TeX source
# left as plain text outside code blocks.
_MATH_STATE = r"""() => {
  const mathNodes = [...document.querySelectorAll('div.math, span.math')];
  const skip = new Set(['PRE', 'CODE', 'SCRIPT', 'STYLE', 'TEXTAREA', 'MJX-CONTAINER']);
  const raw = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    let el = node.parentElement, inCode = false;
    for (; el; el = el.parentElement) { if (skip.has(el.tagName)) { inCode = true; break; } }
    const t = node.textContent;
    if (!inCode && (t.includes('$$') || t.includes('\\[') || t.includes('\\(')
                    || t.includes('\\begin{'))) raw.push(t.trim().slice(0, 120));
  }
  return {
    mathjaxLoaded: !!(window.MathJax && MathJax.startup),
    mathNodes: mathNodes.length,
    untypeset: mathNodes.filter(n => !n.querySelector('mjx-container'))
                        .map(n => n.textContent.trim().slice(0, 120)),
    containers: document.querySelectorAll('mjx-container').length,
    displayContainers: document.querySelectorAll('mjx-container[display="true"]').length,
    errors: [...document.querySelectorAll('mjx-merror')]
              .map(e => e.getAttribute('data-mjx-error') || e.textContent),
    rawTex: raw,
  };
}"""

# Wraps each run of Bengali letters in a <span data-bn-probe> so that the fonts Chromium
# reports for that span are exactly the fonts used for Bengali glyphs.
_MARK_BENGALI = r"""(limit) => {
  const run = /[\u0980-\u09FF\u200C\u200D]+/g;
  const skip = new Set(['SCRIPT', 'STYLE', 'TEXTAREA']);
  const nodes = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (/[\u0980-\u09FF]/.test(n.textContent) && !skip.has(n.parentElement.tagName)) nodes.push(n);
  }
  const spans = [];
  for (const node of nodes) {
    const text = node.textContent, frag = document.createDocumentFragment();
    let last = 0;
    for (const m of text.matchAll(run)) {
      frag.append(text.slice(last, m.index));
      const span = document.createElement('span');
      span.textContent = m[0];
      frag.append(span);
      spans.push(span);
      last = m.index + m[0].length;
    }
    frag.append(text.slice(last));
    node.replaceWith(frag);
  }
  const visible = spans.filter(s => s.checkVisibility());
  const step = Math.max(1, Math.ceil(visible.length / limit));
  visible.filter((_, i) => i % step === 0).forEach((s, i) => { s.dataset.bnProbe = String(i); });
  return {runs: spans.length, visible: visible.length};
}"""

# Sphinx's searchtools.js fills p.search-summary only once every result is listed.
_SEARCH_FINISHED = """() => {
  const summary = document.querySelector('#search-results p.search-summary');
  return summary !== null && summary.textContent.trim() !== '';
}"""


@dataclass
class Transfer:
    """One request: URL and bytes on the wire (headers + body) once it finished loading."""

    url: str
    encoded_bytes: int = 0


@dataclass
class BengaliRun:
    text: str
    fonts: dict[str, int]  # family name -> glyph count
    web_fonts: set[str] = field(default_factory=set)  # the families served by the site


@dataclass
class PageReport:
    url: str
    status: int | None
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    offsite_requests: list[str] = field(default_factory=list)
    transfers: list[Transfer] = field(default_factory=list)
    images: list[dict] = field(default_factory=list)
    math: dict = field(default_factory=dict)
    bengali_runs_total: int = 0
    bengali_runs: list[BengaliRun] = field(default_factory=list)
    search_results: list[str] = field(default_factory=list)


@contextlib.contextmanager
def chromium() -> Iterator[Browser]:
    """Debian's Chromium, headless, with background networking off.

    Imports playwright only here, so that this module (and ``weight``, which reads its
    ``PageReport``) imports without it.
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextlib.asynccontextmanager
async def async_chromium() -> AsyncIterator[AsyncBrowser]:
    """:func:`chromium` for playwright's async API (the notebook checkers run in asyncio)."""
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            await browser.close()


class _Recorder:
    """Collects console errors and network activity of one page (fresh context)."""

    def __init__(self, page: Page, cdp):
        self.console_errors: list[str] = []
        self.failed: list[str] = []
        self.offsite: list[str] = []
        self.transfers: dict[str, Transfer] = {}
        page.on("console", self._on_console)
        page.on("pageerror", lambda exc: self.console_errors.append(f"pageerror: {exc}"))
        page.on("requestfailed", lambda req: self.failed.append(f"{req.url} ({req.failure})"))
        page.on("response", self._on_response)
        cdp.on("Network.requestWillBeSent", self._on_request)
        cdp.on("Network.loadingFinished", self._on_finished)
        cdp.send("Network.enable")

    def report(self, page: Page, response, **fields) -> PageReport:
        """A PageReport with what this recorder saw, plus the page-specific ``fields``."""
        return PageReport(
            url=page.url,
            status=response.status if response else None,
            console_errors=self.console_errors,
            failed_requests=self.failed,
            offsite_requests=self.offsite,
            **fields,
        )

    def _on_console(self, message) -> None:
        if message.type == "error":
            self.console_errors.append(message.text)

    def _on_response(self, response) -> None:
        if response.status >= 400:
            self.failed.append(f"{response.url} (HTTP {response.status})")

    def _on_request(self, event: dict) -> None:
        url = event["request"]["url"]
        if not url.startswith(("data:", "blob:")):
            self.transfers.setdefault(event["requestId"], Transfer(url))

    def _on_finished(self, event: dict) -> None:
        transfer = self.transfers.get(event["requestId"])
        if transfer is not None:
            transfer.encoded_bytes = int(event["encodedDataLength"])

    def block_offsite(self, route) -> None:
        """Abort (and record) any request that would leave the local server."""
        self.offsite.append(route.request.url)
        route.abort("internetdisconnected")


def is_offsite(site_root: str):
    def predicate(url: str) -> bool:
        return not url.startswith((site_root, "data:", "blob:"))

    return predicate


@contextlib.contextmanager
def _fresh_page(browser: Browser, site_root: str):
    """A page in a new context (cold cache), recorded, with off-site requests blocked."""
    context = browser.new_context(viewport=VIEWPORT, service_workers="block")
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        recorder = _Recorder(page, cdp)
        context.route(is_offsite(site_root), recorder.block_offsite)
        yield page, cdp, recorder
    finally:
        context.close()


def _bengali_fonts(cdp) -> list[BengaliRun]:
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    node_ids = cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": "[data-bn-probe]"})
    runs = []
    for node_id in node_ids["nodeIds"]:
        fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node_id})["fonts"]
        text = cdp.send("DOM.getOuterHTML", {"nodeId": node_id})["outerHTML"]
        families = {f["familyName"]: f["glyphCount"] for f in fonts}
        served = {f["familyName"] for f in fonts if f["isCustomFont"]}
        runs.append(BengaliRun(text, families, served))
    return runs


def visit(
    browser: Browser,
    site_root: str,
    path: str,
    *,
    screenshot: Path | None = None,
) -> PageReport:
    """Load ``site_root + path`` in a fresh context (cold cache) and report what happened."""
    with _fresh_page(browser, site_root) as (page, cdp, recorder):
        response = page.goto(site_root + path, wait_until="load")
        images = page.evaluate(LOAD_ALL_IMAGES)
        page.evaluate(WAIT_MATHJAX)
        math = page.evaluate(_MATH_STATE)
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        marked = page.evaluate(_MARK_BENGALI, BENGALI_PROBE_LIMIT)
        bengali = _bengali_fonts(cdp)
        page.wait_for_load_state("networkidle")
        if screenshot is not None:
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(screenshot), full_page=True)
        return recorder.report(
            page,
            response,
            transfers=list(recorder.transfers.values()),
            images=images,
            math=math,
            bengali_runs_total=marked["runs"],
            bengali_runs=bengali,
        )


def search(browser: Browser, site_root: str, query: str, language: str = "en") -> PageReport:
    """Run an edition's search page (``[bn/]search.html?q=...``) and list the result links."""
    with _fresh_page(browser, site_root) as (page, _cdp, recorder):
        url = f"{site_root}{editions.prefix(language)}search.html?q={query}"
        response = page.goto(url, wait_until="load")
        page.wait_for_function(_SEARCH_FINISHED, timeout=20_000)
        results = page.eval_on_selector_all(
            "#search-results ul.search li > a", "links => links.map(a => a.href)"
        )
        return recorder.report(page, response, search_results=results)
