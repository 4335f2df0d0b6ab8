"""Print the built website to PDF, offline, with Debian's chromium: the book and the exam sheet.

    python scripts/build_pdfs.py [--require]   # after scripts/build_book.py (`make book`)

For each edition (English at ``_build/html``, Bengali at ``_build/html/bn``) it writes to
``_build/html/pdf/``:

- ``relu-notes-book-<language>.pdf``: every page of ``_toc.yml`` in order. The pages' articles
  are put one after the other into a single print page (``book/print-book.html``, removed after
  printing), so the PDF is one document with one outline;
- ``relu-notes-exam-sheet-<language>.pdf``: the exam sheet page (``book/exam_sheet.html``).

Chromium prints them (Playwright's ``page.pdf`` with ``executable_path``; Jupyter Book's own
``pdfhtml`` builder needs a browser download, which fails offline). The screen layout is
turned into a print layout by the ``@media print`` rules of ``book/_static/reader.css``. The PDF
outline (bookmarks) comes from the headings: one entry per chapter, with its sections below.
Fonts are embedded by chromium: the site's own Bengali font (a subset of Debian's
fonts-noto-core) and the system's Latin fonts.

Without chromium or playwright (a reader's laptop), the HTML is left as it is and one line
says how to get the PDFs; the exit status is 0, or 1 with ``--require`` (``make test``).
"""

from __future__ import annotations

import argparse
import logging
import re
import sys
import time
from pathlib import Path

from booksite import built, layout, server
from booksite.editions import HTML_DIR, LANGUAGES, REPO_ROOT, prefix
from booksite.probe import CHROMIUM, CHROMIUM_ARGS, LOAD_ALL_IMAGES, WAIT_MATHJAX

sys.path.insert(0, str(REPO_ROOT / "book" / "_ext"))
from pdf_links import KINDS, PDF_FOLDER, pdf_name  # noqa: E402  (the names the intro's links use)

PDF_DIR = HTML_DIR / PDF_FOLDER
PRINT_PAGE = "book/print-book.html"
PAGE_OF = {"book": PRINT_PAGE, "exam-sheet": "book/exam_sheet.html"}
"""The page each kind of PDF (``pdf_links.KINDS``, the names the intro links) is printed from."""
_DROPDOWN = re.compile(r"<details(?=[^>]*\bsd-dropdown\b)")
# The headings a reader sees in print, in order, as (level, text); math as its plain text.
_PRINTED_HEADINGS = r"""() => [...document.querySelectorAll(
    'article h1, article h2, article h3, article h4, article h5, article h6')]
  .filter(h => h.checkVisibility())
  .map(h => {
    const copy = h.cloneNode(true);
    copy.querySelectorAll('a.headerlink').forEach(a => a.remove());
    copy.querySelectorAll('mjx-container').forEach(m => {
      const mml = m.querySelector('mjx-assistive-mml');
      m.replaceWith(mml ? mml.textContent : '');
    });
    return [Number(h.tagName[1]), copy.textContent.replace(/\s+/g, ' ').trim()];
  })"""
_FOOTER = (
    '<div style="width:100%;font-size:8px;text-align:center;color:#666">'
    '<span class="pageNumber"></span> / <span class="totalPages"></span></div>'
)
HOW_TO = (
    "PDFs not made: they need Debian's chromium (apt-get install chromium fonts-noto-core) and "
    "playwright (pip install -r requirements-dev.txt); then run python scripts/build_pdfs.py"
)


def assemble_book(site: Path, pages: list[layout.Page]) -> Path:
    """One print page with every page's article in reading order; solutions unfolded."""
    template = (site / pages[0].html).read_text(encoding="utf-8")
    articles = []
    for page in pages:
        text = (site / page.html).read_text(encoding="utf-8")
        article = built.ARTICLE.search(text)
        if article is None:
            raise SystemExit(f"FAIL: no article in {page.html}")
        articles.append(f'<section class="print-page">{article[1]}</section>')
    body = _DROPDOWN.sub("<details open", "\n".join(articles))
    first = built.ARTICLE.search(template)
    book = template[: first.start(1)] + body + template[first.end(1) :]
    target = site / PRINT_PAGE
    target.write_text(book, encoding="utf-8")
    return target


def retitle_outline(path: Path, headings: list[tuple[int, str]]) -> None:
    """Give each bookmark its heading's text, as the reader sees it.

    Chromium's bookmarks (``outline=True``), one per printed heading, drop a space where a
    title wraps, drop math, and repeat a title that moved to the next page. They are rewritten
    in place with the same destinations, from the printed headings. pypdf is optional: without
    it Chromium's titles stay.
    """
    try:
        from pypdf import PdfReader, PdfWriter
        from pypdf.generic import Fit, NameObject
    except ImportError:
        return
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # chromium's trailer size: harmless
    reader = PdfReader(path)
    flat = []

    def walk(entries, depth):
        for entry in entries:
            if isinstance(entry, list):
                walk(entry, depth + 1)
            else:
                flat.append((depth, entry))

    walk(reader.outline, 0)
    if len(flat) != len(headings):
        raise SystemExit(f"FAIL: {path.name}: {len(flat)} bookmarks, {len(headings)} headings")
    writer = PdfWriter(clone_from=reader)
    del writer.root_object[NameObject("/Outlines")]
    parents: dict[int, object] = {}
    for (depth, entry), (_level, title) in zip(flat, headings, strict=True):
        item = writer.add_outline_item(
            title=title,
            page_number=reader.get_destination_page_number(entry),
            parent=parents.get(depth - 1),
            fit=Fit.xyz(left=entry.left, top=entry.top),
        )
        parents[depth] = item
    with path.open("wb") as handle:
        writer.write(handle)


def print_pdf(browser, url: str, target: Path) -> float:
    """Load ``url``, wait for its images and math, print it to ``target``; return seconds."""
    start = time.perf_counter()
    page = browser.new_page(viewport={"width": 1000, "height": 1400})
    try:
        page.goto(url, wait_until="load")
        page.evaluate(LOAD_ALL_IMAGES)
        page.evaluate(WAIT_MATHJAX)
        page.evaluate("document.fonts.ready")
        page.emulate_media(media="print")
        headings = page.evaluate(_PRINTED_HEADINGS)
        page.pdf(
            path=str(target),
            format="A4",
            margin={"top": "14mm", "bottom": "16mm", "left": "13mm", "right": "13mm"},
            print_background=True,
            display_header_footer=True,
            header_template="<span></span>",
            footer_template=_FOOTER,
            outline=True,
            tagged=True,
        )
    finally:
        page.close()
    retitle_outline(target, headings)
    return time.perf_counter() - start


def print_edition(browser, root: str, language: str) -> None:
    """The book and the exam sheet of the ``language`` edition, printed to ``PDF_DIR``."""
    book = assemble_book(HTML_DIR / prefix(language), layout.read_pages(REPO_ROOT))
    try:
        for kind in KINDS:
            path = PAGE_OF[kind]
            target = PDF_DIR / pdf_name(kind, language)
            seconds = print_pdf(browser, f"{root}{prefix(language)}{path}", target)
            size = target.stat().st_size / 1e6
            print(f"{target.relative_to(REPO_ROOT)}: {size:.1f} MB, {seconds:.1f} s")
    finally:
        book.unlink()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--require", action="store_true", help="fail without chromium")
    args = parser.parse_args(argv)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    if sync_playwright is None or not Path(CHROMIUM).exists():
        print(HOW_TO)
        return 1 if args.require else 0
    PDF_DIR.mkdir(parents=True, exist_ok=True)
    with server.serve(HTML_DIR) as root, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for language in LANGUAGES:
                print_edition(browser, root, language)
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
