"""scripts/reader_notebooks.py: the Colab copies show values, not MyST."""

import sys
from pathlib import Path

import nbformat
import pytest

REPO = Path(__file__).resolve().parents[1]
pytest.importorskip("yaml", reason="scripts/booksite/layout.py reads _toc.yml with PyYAML")
sys.path.insert(0, str(REPO / "scripts"))

import reader_notebooks as rn  # noqa: E402

TITLES = {"relu-convention": ("01_why_relu_dies.ipynb", "The convention at $x = 0$")}
CITES = {"he2015delving": "He et al. 2015", "maas2013rectifier": "Maas et al. 2013"}


def md(source, values=None):
    cell = nbformat.v4.new_markdown_cell(source)
    cell.metadata["user_expressions"] = [
        {"expression": e, "result": {"status": "ok", "data": {"text/plain": t}}}
        for e, t in (values or {}).items()
    ]
    return cell


def test_values_references_and_citations_become_plain_text():
    cell = md(
        '(a-label)=\n## Title\n\nDead: {eval}`dead`; verdict {eval}`verdict("L3")`. '
        "See {ref}`relu-convention` and {ref}`this <relu-convention>` {cite}`he2015delving`.",
        {"dead": "42.1%", 'verdict("L3")': "holds"},
    )
    text = rn.convert_markdown(cell, TITLES, CITES)
    assert "(a-label)=" not in text and "Dead: 42.1%; verdict holds." in text
    assert "[The convention at $x = 0$](01_why_relu_dies.ipynb)" in text
    assert "[this](01_why_relu_dies.ipynb) (He et al. 2015)" in text


def test_directives_become_quotes_details_and_headings():
    source = (
        ":::{admonition} Original note (মূল নোট)\n:class: note original-note\n\n**Leaky**\n:::\n\n"
        ":::{dropdown} Solution 1\nIt is $0.01$.\n:::\n\n"
        "::::{tab-set}\n:::{tab-item} NumPy\n```python\nrelu(x)\n```\n:::\n::::"
    )
    text = rn.convert_markdown(md(source), TITLES, CITES)
    assert "> **Original note (মূল নোট)**\n>\n> **Leaky**" in text
    assert "<details>\n<summary>Solution 1</summary>\n\nIt is $0.01$.\n\n</details>" in text
    assert "**NumPy**\n\n```python\nrelu(x)\n```" in text
    assert not rn.LEFTOVER.search(text)


def test_leftover_markup_is_found():
    nb = nbformat.v4.new_notebook(cells=[md("{glue:text}`x` and\n:::{note}\nx\n:::")])
    assert [line.split(": ")[1] for line in rn.leftover_markup(nb)] == [
        "{glue:text}`",
        ":::",
        ":::",
    ]


def test_a_missing_value_stops_the_copy(tmp_path):
    path = tmp_path / "chapter.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[md("{eval}`x`")]), path)
    with pytest.raises(ValueError, match="no stored value"):
        rn.reader_notebook(path, TITLES, CITES)


def test_hidden_cells_go_except_the_colab_install_cell(tmp_path):
    install = 'import sys\n\nif "google.colab" in sys.modules:\n    %pip install x'
    cells = [
        nbformat.v4.new_code_cell(install, metadata={"tags": ["remove-cell"]}),
        nbformat.v4.new_code_cell("dead = shown(0.5)", metadata={"tags": ["remove-cell"]}),
        nbformat.v4.new_code_cell("plot()"),
    ]
    path = tmp_path / "chapter.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)
    kept = rn.reader_notebook(path, TITLES, CITES).cells
    assert [c.source for c in kept] == [install, "plot()"]


def test_citations_come_from_the_bibliography():
    cites = rn.citations(REPO / "references.bib")
    assert cites["he2015delving"] == "He et al. 2015"
