"""What a reader sees in a chapter's code cells carries no machinery for the build or the tests."""

import re
from pathlib import Path

import nbformat
import pytest

BOOK = Path(__file__).resolve().parents[1] / "book"
HIDDEN = {"remove-cell", "remove-input"}
MACHINERY = re.compile(r"\bglue\(|nbval|NBVAL|OPENBLAS|BLAS thread", re.IGNORECASE)


def visible_code(path):
    nb = nbformat.read(path, as_version=4)
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and not HIDDEN & set(cell.metadata.get("tags", [])):
            yield index, cell.source


@pytest.mark.parametrize("path", sorted(BOOK.glob("*.ipynb")), ids=lambda p: p.name)
def test_visible_cells_carry_no_machinery(path):
    found = [(i, m.group()) for i, source in visible_code(path) for m in MACHINERY.finditer(source)]
    assert not found, f"{path.name}: machinery in visible cells (cell, text): {found}"


def test_the_check_sees_machinery(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('glue("x", 1)')])
    path = tmp_path / "bad.ipynb"
    nbformat.write(nb, path)
    assert [m.group() for _, s in visible_code(path) for m in MACHINERY.finditer(s)] == ["glue("]
