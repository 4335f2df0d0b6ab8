"""scripts/reader_notebooks.py: the Colab copies show values, not MyST, and install the package.

The install cell is written by the script into the copies only (once, first code cell), and
live-widget views are dropped from the copies' outputs while their static fallbacks stay.
"""

import json
import sys
from pathlib import Path

import nbformat
import pytest

REPO = Path(__file__).resolve().parents[1]
pytest.importorskip("yaml", reason="scripts/booksite/layout.py reads _toc.yml with PyYAML")
sys.path.insert(0, str(REPO / "scripts"))

import reader_notebooks as rn  # noqa: E402
from booksite import layout  # noqa: E402
from booksite.layout import COLAB_GUARD  # noqa: E402

TITLES = {"relu-convention": ("01_why_relu_dies.ipynb", "The convention at $x = 0$")}
CITES = {"he2015delving": ("He et al.", "2015"), "maas2013rectifier": ("Maas et al.", "2013")}
INSTALL = rn.COLAB_INSTALL.format(project="p", url="https://github.com/o/r", branch="b")
OLD_INSTALL = 'import sys\n\nif "google.colab" in sys.modules:\n    %pip install old'


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


def test_a_textual_citation_names_the_authors_in_the_sentence():
    cell = md("From {cite:t}`maas2013rectifier`; see {cite:p}`he2015delving, maas2013rectifier`.")
    text = rn.convert_markdown(cell, TITLES, CITES)
    assert text == "From Maas et al. (2013); see (He et al. 2015; Maas et al. 2013)."


def test_directives_become_blockquotes_details_and_headings():
    source = (
        ":::{admonition} Original note (মূল নোট)\n:class: note original-note\n\n**Leaky**\n:::\n\n"
        ":::{dropdown} Solution 1\nIt is $0.01$.\n:::\n\n"
        "::::{tab-set}\n:::{tab-item} NumPy\n```python\nrelu(x)\n```\n:::\n::::"
    )
    text = rn.convert_markdown(md(source), TITLES, CITES)
    assert "<blockquote>\n\n**Original note (মূল নোট)**\n\n**Leaky**\n\n</blockquote>" in text
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
        rn.reader_notebook(path, TITLES, CITES, INSTALL)


# --- the Colab install cell: written by the script, once, only in the copies -----------------


def colab_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code" and COLAB_GUARD.search(c.source)]


def write(tmp_path, cells):
    path = tmp_path / "chapter.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)
    return path


def test_the_copy_gets_the_install_cell_before_its_first_code_cell(tmp_path):
    cells = [
        md("# Title"),
        nbformat.v4.new_code_cell("dead = shown(0.5)", metadata={"tags": ["remove-cell"]}),
        md("Text"),
        nbformat.v4.new_code_cell("from relu_notes import relu"),
        nbformat.v4.new_code_cell("plot()"),
    ]
    path = write(tmp_path, cells)
    before = path.read_bytes()
    copy = rn.reader_notebook(path, TITLES, CITES, INSTALL)
    expected = ["# Title", "Text", INSTALL, "from relu_notes import relu", "plot()"]
    assert [c.source for c in copy.cells] == expected
    assert path.read_bytes() == before, "the source notebook must not change"
    assert not colab_cells(nbformat.read(path, as_version=4)), "only the copy has the cell"
    nbformat.validate(copy)


@pytest.mark.parametrize("tags", [["remove-cell"], []], ids=["hidden", "visible"])
def test_an_install_cell_left_in_the_source_is_replaced_not_doubled(tmp_path, tags):
    cells = [
        md("# Title"),
        nbformat.v4.new_code_cell(OLD_INSTALL, metadata={"tags": tags}),
        nbformat.v4.new_code_cell("dead = shown(0.5)", metadata={"tags": ["remove-cell"]}),
        nbformat.v4.new_code_cell("plot()"),
    ]
    copy = rn.reader_notebook(write(tmp_path, cells), TITLES, CITES, INSTALL)
    assert [c.source for c in copy.cells] == ["# Title", INSTALL, "plot()"]
    assert [c.source for c in colab_cells(copy)] == [INSTALL]


def test_a_notebook_without_code_gets_the_install_cell_at_the_end(tmp_path):
    copy = rn.reader_notebook(write(tmp_path, [md("Only text")]), TITLES, CITES, INSTALL)
    assert [c.source for c in copy.cells] == ["Only text", INSTALL]


def test_the_install_cell_comes_from_config_yml_and_pyproject(tmp_path):
    (tmp_path / "_config.yml").write_text(
        "repository:\n  url: https://github.com/someone/fork/\n  branch: dev\n", encoding="utf-8"
    )
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "pkg"\n', encoding="utf-8")
    source = rn.colab_install(tmp_path)
    assert COLAB_GUARD.search(source)
    assert source.splitlines()[-1] == (
        '    %pip install --quiet "pkg @ git+https://github.com/someone/fork@dev"'
    )


def test_the_install_cell_names_this_repository():
    repository = layout.read_repository(REPO)
    expected = f'"relu-notes @ git+https://github.com/{repository.owner}/{repository.name}'
    assert f'{expected}@{repository.branch}"' in rn.colab_install()


# --- widget views --------------------------------------------------------------------------
def test_widget_views_go_and_the_static_fallbacks_stay(tmp_path):
    view = {"model_id": "abc", "version_major": 2, "version_minor": 0}
    slider = nbformat.v4.new_output(
        "display_data",
        data={rn.WIDGET_VIEW: view, "text/html": "<input type=range>", "text/plain": "Slider"},
        metadata={rn.WIDGET_VIEW: {"x": 1}, "text/html": {"isolated": True}},
    )
    only_view = nbformat.v4.new_output("display_data", data={rn.WIDGET_VIEW: view})
    result = nbformat.v4.new_output(
        "execute_result",
        data={rn.WIDGET_VIEW: view, "text/plain": "interactive(...)"},
        execution_count=3,
    )
    stream = nbformat.v4.new_output("stream", name="stdout", text="alpha = 0.2\n")
    figure = nbformat.v4.new_output("display_data", data={"image/png": "iVBOR", "text/plain": "F"})
    cell = nbformat.v4.new_code_cell(
        "slider()", outputs=[slider, only_view, result, stream, figure]
    )
    copy = rn.reader_notebook(write(tmp_path, [cell]), TITLES, CITES, INSTALL)
    outputs = copy.cells[1].outputs
    assert [o.get("data", {}) for o in outputs] == [
        {"text/html": "<input type=range>", "text/plain": "Slider"},
        {"text/plain": "interactive(...)"},
        {},
        {"image/png": "iVBOR", "text/plain": "F"},
    ]
    assert outputs[0].metadata == {"text/html": {"isolated": True}}
    assert outputs[1].execution_count == 3 and outputs[2].text == "alpha = 0.2\n"
    assert rn.WIDGET_VIEW not in json.dumps(copy)
    nbformat.validate(copy)


# --- the book's own copies -----------------------------------------------------------------
@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """``{page: (copy, source bytes before)}`` after ``main --out`` over the whole book."""
    out = tmp_path_factory.mktemp("reader")
    pages = [page for page in layout.read_pages(REPO) if page.is_notebook]
    before = {page: page.source.read_bytes() for page in pages}
    assert rn.main(["--out", str(out)]) == 0
    repository = layout.read_repository(REPO)
    copies = {}
    for page in pages:
        # the copy's path under OUT is the path the Colab button names on the Colab branch
        target = out / repository.notebook_path(page)
        copies[page] = (nbformat.read(target, as_version=4), before[page])
    return copies


def test_every_copy_has_the_install_cell_once_before_any_import(written):
    install = rn.colab_install()
    for page, (copy, _) in written.items():
        code = [c.source for c in copy.cells if c.cell_type == "code"]
        assert [c.source for c in colab_cells(copy)] == [install], page.docname
        assert code[0] == install, f"{page.docname}: the install cell is not the first code cell"
        assert not rn.leftover_markup(copy), page.docname


def test_the_source_notebooks_are_left_as_they_were(written):
    for page, (_, before) in written.items():
        assert page.source.read_bytes() == before, page.docname


def test_no_source_notebook_carries_an_install_cell(written):
    """Binder and local Jupyter open the source notebooks: the cell is only in the copies."""
    for page in written:
        assert not colab_cells(nbformat.read(page.source, as_version=4)), page.docname


def test_no_copy_holds_a_widget_view(written):
    for page, (copy, _) in written.items():
        assert rn.WIDGET_VIEW not in json.dumps(copy), page.docname


def test_citations_come_from_the_bibliography():
    cites = rn.citations(REPO / "references.bib")
    assert cites["he2015delving"] == ("He et al.", "2015")
