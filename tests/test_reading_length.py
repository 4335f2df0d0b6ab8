"""Each chapter's main path stays a five-minute read (see scripts/booksite/reading.py)."""

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
pytest.importorskip("yaml", reason="scripts/booksite/layout.py reads _toc.yml with PyYAML")
sys.path.insert(0, str(REPO / "scripts"))

from booksite import layout, reading  # noqa: E402

PAGES = [page for page in layout.read_pages(REPO) if page.is_notebook]


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.source.name)
def test_main_path_is_at_most_the_limit(page):
    assert reading.main_path_words(page.source) <= reading.LIMIT


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("Two words.", 2),
        ("A value {eval}`dead_share` here, math $x \\le 0$ and `code` gone.", 7),
        (":::{dropdown} Solution 1\nmany words that a reader opens on purpose\n:::\nkept", 1),
        (":::{dropdown} Open\n:open:\nthree words here\n:::", 4),
        (":::{admonition} Original note\n:class: note original-note\nনোট words\n:::\nx", 1),
        (":::{admonition} A box\n:class: tip\nfour words in it\n:::", 6),
        ("(label)=\n## See {ref}`the convention <relu-convention>` {cite}`he2015delving`", 3),
        ("$$\na + b\n$$\n```python\nx = 1\n```\nend", 1),
        ("মৃত নিউরন সমস্যা", 3),
    ],
)
def test_the_count_follows_the_rule(markdown, expected):
    assert reading.words(markdown) == expected
