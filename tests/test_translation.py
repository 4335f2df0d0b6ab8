"""The Bengali edition's pieces that need no build: catalogues, markup rule, links, font.

``make translation`` (scripts/translation.py check) compares the catalogues with a fresh
extraction of the English text; these tests check what can be read from the repository alone.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))
sys.path.insert(0, str(REPO / "book" / "_ext"))
babel_pofile = pytest.importorskip("babel.messages.pofile")

import language_switch  # noqa: E402
import translation  # noqa: E402
from bengali_search import SearchBengali  # noqa: E402
from booksite import layout  # noqa: E402

CATALOGUES = sorted((REPO / "locale" / "bn" / "LC_MESSAGES" / "book").glob("*.po"))


def _read(path: Path):
    with path.open("rb") as handle:
        return babel_pofile.read_po(handle)


def test_markup_keeps_roles_math_code_and_link_targets():
    english = "See {eval}`dead_share` and $\\alpha$, `relu()` and [chapter 2](02_leaky_relu.ipynb)."
    kept = "দেখো {eval}`dead_share` আর $\\alpha$, `relu()` আর [অধ্যায় 2](02_leaky_relu.ipynb)।"
    assert translation.markup(kept) == translation.markup(english)
    for broken in (
        kept.replace("{eval}`dead_share`", "12%"),  # a value typed in
        kept.replace("$\\alpha$", "alpha"),  # math lost
        kept.replace("02_leaky_relu", "03_prelu"),  # another link target
    ):
        assert translation.markup(broken) != translation.markup(english), broken


def test_markup_lets_a_reference_text_be_translated():
    english = "listed {ref}`below <ledger-thresholds>`"
    assert translation.markup("{ref}`নিচে <ledger-thresholds>`") == translation.markup(english)
    assert translation.markup("{ref}`নিচে <speed-setup>`") != translation.markup(english)


def test_catalogue_problems_finds_untranslated_fuzzy_and_changed_markup(tmp_path, monkeypatch):
    folder = tmp_path / "bn" / "LC_MESSAGES" / "book"
    folder.mkdir(parents=True)
    (folder / "page.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
        'msgid "a {eval}`x`"\nmsgstr "ক"\n\n'
        '#, fuzzy\nmsgid "b"\nmsgstr "খ"\n\n'
        'msgid "c"\nmsgstr ""\n\n'
        'msgid "d"\nmsgstr "ঘ"\n\n'
        'msgid "gone"\nmsgstr "পুরোনো"\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(translation, "LOCALE_DIR", tmp_path)
    english = dict.fromkeys(["a {eval}`x`", "b", "c", "d", "new"])
    problems, obsolete = translation.catalogue_problems("book/page", english, "bn")
    kinds = sorted(problem.split(" ")[0] for problem in problems)
    assert kinds == ["fuzzy:", "markup", "missing:", "untranslated:"]
    assert obsolete == 1


@pytest.mark.parametrize("path", CATALOGUES, ids=[p.stem for p in CATALOGUES])
def test_committed_catalogue_is_complete(path):
    problems = []
    for message in _read(path):
        if not message.id:
            continue
        if not message.string or message.fuzzy:
            problems.append(f"untranslated or fuzzy: {message.id[:60]!r}")
        elif translation.markup(message.string) != translation.markup(message.id):
            problems.append(f"markup changed: {message.id[:60]!r}")
    assert problems == []


def test_every_page_of_the_toc_has_a_catalogue():
    pages = {page.docname for page in layout.read_pages(REPO)}
    assert {f"book/{path.stem}" for path in CATALOGUES} == pages


@pytest.mark.parametrize(
    ("pagename", "here", "there", "expected"),
    [
        ("book/02_leaky_relu", "en", "bn", "../bn/book/02_leaky_relu.html"),
        ("book/02_leaky_relu", "bn", "en", "../../book/02_leaky_relu.html"),
        ("search", "en", "bn", "bn/search.html"),
        ("search", "bn", "en", "../search.html"),
    ],
)
def test_twin_href(pagename, here, there, expected):
    assert language_switch.twin_href(pagename, here, there) == expected


def test_bengali_words_stay_whole_in_the_index():
    assert SearchBengali._word_re.findall("neuron মৃত হয়ে যায়।") == ["neuron", "মৃত", "হয়ে", "যায়"]


def test_served_font_has_every_bengali_character_of_the_edition():
    ttlib = pytest.importorskip("fontTools.ttLib")
    pytest.importorskip("brotli", reason="reading WOFF2 needs brotli (requirements-dev.txt)")
    used = {
        char
        for path in CATALOGUES
        for message in _read(path)
        for char in message.string or ""
        if "\u0980" <= char <= "\u09ff"
    }
    assert used, "the catalogues have no Bengali text"
    for font in sorted((REPO / "book" / "_static" / "fonts").glob("*.woff2")):
        cmap = ttlib.TTFont(font).getBestCmap()
        assert sorted(c for c in used if ord(c) not in cmap) == [], font.name
