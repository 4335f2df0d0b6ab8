"""The PDFs of scripts/build_pdfs.py: each edition's whole book and exam sheet.

Read with poppler (``pdftotext``, ``pdffonts``, ``pdfinfo``, ``pdftoppm``) and pypdf (the
outline). The expectations come from the built HTML: the titles each page shows.
"""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from booksite import built
from booksite.editions import LANGUAGES

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "book" / "_ext"))
from pdf_links import KINDS, pdf_name  # noqa: E402

_HEADINGS = {
    "h1": re.compile(r"<h1>(.*?)<a class=\"headerlink\"", re.DOTALL),
    "h2": re.compile(r"<h2>(.*?)<a class=\"headerlink\"", re.DOTALL),
}
EXAM_SHEET_MAX_PAGES = 2
PDFS = [(kind, language) for language in LANGUAGES for kind in KINDS]


def _poppler(tool: str, *args) -> str:
    if shutil.which(tool) is None:
        pytest.fail(f"{tool} is missing: apt-get install poppler-utils (make system-deps)")
    return subprocess.run([tool, *args], capture_output=True, text=True, check=True).stdout


@functools.cache
def _headings(html_file: Path) -> dict[str, list[str]]:
    """``{"h1": texts, "h2": texts}`` of the headings in a built page's article (read once)."""
    article = built.article(html_file.read_text(encoding="utf-8"))
    return {
        level: [built.words(t) for t in pattern.findall(article)]
        for level, pattern in _HEADINGS.items()
    }


def _titles(html_dir, pages, level="h1"):
    """``{docname: texts of its <level> headings}`` of an edition's pages."""
    return {page.docname: _headings(html_dir / page.html)[level] for page in pages}


def _pdf(pdf_dir, kind, language) -> Path:
    path = pdf_dir / pdf_name(kind, language)
    assert path.is_file(), f"{path.name} was not made"
    return path


@pytest.mark.parametrize("language", LANGUAGES)
def test_book_holds_every_chapter_title(language, pdf_dir, html_dir, pages_by_edition):
    text = " ".join(_poppler("pdftotext", str(_pdf(pdf_dir, "book", language)), "-").split())
    pages = pages_by_edition[language]
    titles = {name: found[0] for name, found in _titles(html_dir, pages).items()}
    assert sorted(name for name, title in titles.items() if title not in text) == []


@pytest.mark.parametrize(("kind", "language"), PDFS)
def test_pdf_embeds_a_bengali_font(kind, language, pdf_dir):
    fonts = _poppler("pdffonts", str(_pdf(pdf_dir, kind, language))).splitlines()[2:]
    bengali = [line for line in fonts if "Bengali" in line.split()[0]]
    assert bengali, f"no Bengali font in {pdf_name(kind, language)}"
    assert all(line.split()[-5] == "yes" for line in bengali), bengali  # the "emb" column


@pytest.mark.parametrize("language", LANGUAGES)
def test_book_outline_has_each_chapter_and_its_sections(
    language, pdf_dir, html_dir, pages_by_edition
):
    pypdf = pytest.importorskip("pypdf", reason="pip install -r requirements-dev.txt")
    outline = pypdf.PdfReader(_pdf(pdf_dir, "book", language)).outline
    chapters = [entry for entry in outline if not isinstance(entry, list)]
    children = {}
    for position, entry in enumerate(outline):
        if isinstance(entry, list) and position:
            children[outline[position - 1].title] = [
                e.title for e in entry if not isinstance(e, list)
            ]
    titles = _titles(html_dir, pages_by_edition[language])
    sections = _titles(html_dir, pages_by_edition[language], "h2")
    assert [" ".join(c.title.split()) for c in chapters] == [t[0] for t in titles.values()]
    for chapter, (name, found) in zip(chapters, sections.items(), strict=True):
        assert len(children.get(chapter.title, [])) == len(found), name


@pytest.mark.parametrize("language", LANGUAGES)
def test_exam_sheet_fits_two_pages(language, pdf_dir):
    info = _poppler("pdfinfo", str(_pdf(pdf_dir, "exam-sheet", language)))
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE)[1])
    assert 1 <= pages <= EXAM_SHEET_MAX_PAGES


def test_bengali_page_rendered_for_a_look(pdf_dir, screenshot_dir):
    """Renders the first page of the Bengali exam sheet to a PNG, for a person to look at
    (conjuncts and vowel signs whole); the test only checks that the page is not blank."""
    target = screenshot_dir / "pdf" / "exam-sheet-bn-1"
    target.parent.mkdir(parents=True, exist_ok=True)
    pdf = _pdf(pdf_dir, "exam-sheet", "bn")
    _poppler(
        "pdftoppm", "-r", "110", "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(target)
    )
    png = target.with_suffix(".png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert png.stat().st_size > 20_000, "a nearly empty page"


@pytest.mark.parametrize("language", LANGUAGES)
def test_intro_links_the_four_pdfs(language, html_dir, pages_by_edition):
    intro = pages_by_edition[language][0].html
    text = (html_dir / intro).read_text(encoding="utf-8")
    links = re.findall(r'<a class="pdf-download[^"]*" href="([^"]+)"', text)
    assert len(links) == len(PDFS)
    base = (html_dir / intro).parent
    assert [link for link in links if not (base / link).resolve().is_file()] == []
