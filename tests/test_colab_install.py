"""Each notebook's hidden Colab cell pip-installs the package from _config.yml's repository.

Colab opens the bare notebook from GitHub, so the first code cell of every notebook in _toc.yml
installs relu_notes when it runs in Colab::

    if "google.colab" in sys.modules:
        %pip install --quiet "relu-notes @ git+https://github.com/OWNER/REPO@BRANCH"

That line cannot read _config.yml (README: "The repository URL: one setting"), so these tests
check that it names exactly ``repository.url`` and ``repository.branch`` of _config.yml and the
project name of pyproject.toml, and that the cell is hidden on the website and runs before the
notebook imports relu_notes.
"""

from __future__ import annotations

import copy
import re
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
nbformat = pytest.importorskip("nbformat")
pytest.importorskip("yaml", reason="scripts/booksite/layout.py reads _toc.yml with PyYAML")
sys.path.insert(0, str(REPO_ROOT / "scripts"))

from booksite import layout  # noqa: E402

PIP_INSTALL = re.compile(r"^[ \t]*[%!]pip\s+install\b(?P<arguments>.*)$", re.MULTILINE)
GIT_REQUIREMENT = re.compile(
    r"""(?:(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)\s*@\s*)?git\+(?P<url>https://[^\s"'@]+)"""
    r"""(?:@(?P<ref>[^\s"'#]+))?"""
)
IMPORTS_RELU_NOTES = re.compile(r"^\s*(?:import|from)\s+relu_notes\b", re.MULTILINE)
HIDDEN_TAG = "remove-cell"

NOTEBOOKS = [page for page in layout.read_pages(REPO_ROOT) if page.is_notebook]


@dataclass(frozen=True)
class GitRequirement:
    name: str | None
    url: str
    ref: str | None


def colab_requirements(source: str) -> list[GitRequirement] | None:
    """The ``git+`` requirements pip-installed under the Colab guard of a cell's ``source``.

    None if the cell has no ``if "google.colab" in sys.modules:`` guard; only pip lines after
    the guard count.
    """
    guard = layout.COLAB_GUARD.search(source)
    if guard is None:
        return None
    found = []
    for line in PIP_INSTALL.finditer(source, guard.end()):
        for match in GIT_REQUIREMENT.finditer(line["arguments"]):
            found.append(GitRequirement(match["name"], match["url"], match["ref"]))
    return found


def colab_install_problems(notebook, url: str, branch: str, project: str) -> list[str]:
    """What is wrong with the Colab install cell of ``notebook`` (empty if nothing)."""
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    cells = [
        (i, cell) for i, cell in enumerate(code) if colab_requirements(cell.source) is not None
    ]
    if len(cells) != 1:
        return [f"{len(cells)} Colab install cells (guarded by 'google.colab'), expected 1"]
    index, cell = cells[0]
    problems = []
    expected = GitRequirement(project, url, branch)
    requirements = colab_requirements(cell.source)
    if requirements != [expected]:
        problems.append(
            f'installs {requirements}, expected exactly "{project} @ git+{url}@{branch}"'
        )
    first_import = next(
        (i for i, other in enumerate(code) if IMPORTS_RELU_NOTES.search(other.source)), None
    )
    if first_import is not None and first_import < index:
        problems.append(f"code cell {first_import} imports relu_notes before the install cell")
    if HIDDEN_TAG not in cell.metadata.get("tags", []):
        problems.append(f"the install cell is not tagged {HIDDEN_TAG!r} (hidden on the website)")
    return problems


@pytest.fixture(scope="module")
def repository() -> layout.Repository:
    return layout.read_repository(REPO_ROOT)


@pytest.fixture(scope="module")
def project() -> str:
    with (REPO_ROOT / "pyproject.toml").open("rb") as file:
        return tomllib.load(file)["project"]["name"]


def _read(page):
    return nbformat.read(page.source, as_version=4)


def test_toc_lists_notebooks():
    assert any(page.is_chapter for page in NOTEBOOKS)


@pytest.mark.parametrize("page", NOTEBOOKS, ids=[page.docname for page in NOTEBOOKS])
def test_colab_cell_installs_the_configured_repository_and_branch(page, repository, project):
    problems = colab_install_problems(_read(page), repository.url, repository.branch, project)
    assert problems == [], f"{page.source.relative_to(REPO_ROOT)}: {problems}"


# --- the check itself fails on a wrong cell --------------------------------------------------
# Each edit changes the Colab cell of an in-memory copy of a chapter; ``values`` holds the
# configured owner, name, branch and project, which ``_replace`` patterns may name.
def _replace(old, new):
    def edit(notebook, cell, values):
        old_text, new_text = old.format(**values), new.format(**values)
        assert old_text in cell.source, (old_text, cell.source)
        cell.source = cell.source.replace(old_text, new_text)

    return edit


def _remove(notebook, cell, values):
    notebook.cells.remove(cell)


def _duplicate(notebook, cell, values):
    notebook.cells.append(copy.deepcopy(cell))


def _untag(notebook, cell, values):
    cell.metadata["tags"] = []


def _move_to_end(notebook, cell, values):
    notebook.cells.remove(cell)
    notebook.cells.append(cell)


WRONG_CELLS = {
    "missing": (_remove, "0 Colab install cells"),
    "duplicated": (_duplicate, "2 Colab install cells"),
    "not guarded": (_replace('if "google.colab" in sys.modules:', "if True:"), "0 Colab"),
    "other owner": (_replace("github.com/{owner}/", "github.com/someone-else/"), "expected"),
    "other repo": (_replace("/{name}@", "/{name}-fork@"), "expected"),
    "other branch": (_replace("@{branch}", "@gh-pages"), "expected"),
    "no branch": (_replace("@{branch}", ""), "expected"),
    "other host": (_replace("https://github.com/", "https://gitlab.com/"), "expected"),
    "other package": (_replace("{project} @", "relu-notes-old @"), "expected"),
    "second git install": (
        _replace('@{branch}"', '@{branch}" git+https://github.com/x/y@main'),
        "expected",
    ),
    "visible": (_untag, "not tagged"),
    "after the imports": (_move_to_end, "before the install cell"),
}


@pytest.mark.parametrize("mistake", WRONG_CELLS)
def test_a_wrong_colab_cell_is_reported(mistake, repository, project):
    edit, message = WRONG_CELLS[mistake]
    values = {
        "owner": repository.owner,
        "name": repository.name,
        "branch": repository.branch,
        "project": project,
    }
    chapter = next(page for page in NOTEBOOKS if page.is_chapter)
    notebook = _read(chapter)
    assert colab_install_problems(notebook, repository.url, repository.branch, project) == []
    cell = next(c for c in notebook.cells if c.cell_type == "code" and "google.colab" in c.source)
    edit(notebook, cell, values)
    problems = colab_install_problems(notebook, repository.url, repository.branch, project)
    assert problems, f"{mistake}: not reported"
    assert any(message in problem for problem in problems), problems


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import sys\n%pip install relu-notes", None),
        ('if "google.colab" in sys.modules:\n    %pip install numpy', []),
        (
            "if 'google.colab' in sys.modules:\n    !pip install -q git+https://github.com/a/b@v1",
            [GitRequirement(None, "https://github.com/a/b", "v1")],
        ),
        (
            '%pip install "x @ git+https://github.com/a/b@main"\n'
            'if "google.colab" in sys.modules:\n'
            '    %pip install "relu-notes @ git+https://github.com/c/d@dev" myst-nb',
            [GitRequirement("relu-notes", "https://github.com/c/d", "dev")],
        ),
    ],
    ids=["no-guard", "no-git", "bang-pip", "only-after-guard"],
)
def test_colab_requirements_parsing(source, expected):
    assert colab_requirements(source) == expected
