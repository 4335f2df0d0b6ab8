"""Write plain-Jupyter copies of the chapters for Colab: no MyST, every computed value in the text.

    python scripts/reader_notebooks.py [--out _build/reader]

Colab renders Markdown cells as CommonMark with math; it knows no MyST. Each notebook page of
_toc.yml is copied to ``OUT/book/<name>.ipynb`` with its Markdown rewritten:

- ``{eval}`name``` becomes the value stored in the cell (see relu_notes/inline.py);
- ``{cite}`key``` becomes "(Author Year)" from references.bib (``{cite:t}``: "Author (Year)"),
  ``{ref}`` a link to the page that holds the label, and ``(label)=`` lines are dropped;
- an admonition becomes an HTML ``<blockquote>`` with a bold title, a dropdown a ``<details>``
  block, a tab set one bold heading per tab.

Code cells hidden on the website (tag ``remove-cell``) are dropped: their only job there is to
compute the values that are now in the text. Outputs stay, except live-widget views
(``application/vnd.jupyter.widget-view+json``): the widget's model is not in the file, so Colab
cannot display it; the ``text/html`` (static slider) or ``text/plain`` stored in the same
output stays. The script fails if a value is missing or if MyST markup is left
(:func:`leftover_markup`).

Colab starts from the bare notebook, without the course package, so each copy gets an install
cell as its first code cell, written from :data:`COLAB_INSTALL` with the repository URL and
branch of _config.yml. It exists only in these copies: Binder and local Jupyter open the source
notebooks, which do not need it. A Colab install cell left in a source notebook (guarded by
``if "google.colab" in sys.modules:``) is dropped, so a copy has exactly one.

CI publishes ``OUT`` to the branch the Colab launch buttons open (``launch_buttons.colab_branch``
in _config.yml; see .github/workflows/ci.yml and book/_ext/colab_launch.py).
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from itertools import dropwhile, pairwise
from pathlib import Path

import nbformat
from booksite import fences, layout

from relu_notes.inline import EXPRESSION, problems, stored_text

REPO_ROOT = Path(__file__).resolve().parents[1]
_LABEL = re.compile(r"^\((?P<label>[\w-]+)\)=\s*$")
_HEADING = re.compile(r"^#+\s+(?P<title>.+?)\s*$")
_REF = re.compile(r"\{ref\}`(?:(?P<text>[^`<]*?)\s*<(?P<target>[^`>]+)>|(?P<bare>[^`]+))`")
_CITE = re.compile(r"\{cite(?::(?P<form>\w+))?\}`(?P<keys>[^`]+)`")
_TITLES = {"note": "Note", "seealso": "See also", "tip": "Tip", "warning": "Warning"}
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
"""The MIME type of a live ipywidget's view: useless without the widget state (not stored)."""
INSTALL_CELL_ID = "colab-install"
COLAB_INSTALL = """\
# Colab only: install the course package (Binder and local runs already have it).
import sys

if "google.colab" in sys.modules:
    %pip install --quiet "{project} @ git+{url}@{branch}"\
"""
"""The one template of the Colab install cell (:func:`colab_install`)."""
LEFTOVER = re.compile(r"\{[\w:-]+\}`|^\s*:{3,}|^\s*`{3,}\{|^\([\w-]+\)=\s*$", re.M)
"""MyST that Colab would show as raw text: a role, a colon fence, a directive, a label."""


def labels(pages) -> dict[str, tuple[str, str]]:
    """``{label: (notebook file name, title of the heading below it)}`` over the book."""
    found = {}
    for page in pages:
        nb = nbformat.read(page.source, as_version=4)
        for cell in nb.cells:
            lines = cell.source.splitlines() if cell.cell_type == "markdown" else []
            for line, following in pairwise([*lines, ""]):
                label, heading = _LABEL.match(line), _HEADING.match(following)
                if label:
                    title = heading["title"] if heading else label["label"]
                    found[label["label"]] = (page.source.name, title)
    return found


def citations(bib: Path) -> dict[str, tuple[str, str]]:
    """``{key: ("Author", "Year")}`` ("A and B", "A et al." for three or more authors)."""
    from pybtex.database import parse_file

    found = {}
    for key, entry in parse_file(str(bib)).entries.items():
        names = [" ".join(p.last_names) for p in entry.persons.get("author", [])]
        who = names[0] if len(names) == 1 else " and ".join(names) if len(names) == 2 else ""
        found[key] = (who or names[0] + " et al.", entry.fields["year"])
    return found


def cite(match, cites) -> str:
    """A ``{cite}`` role as text: ``{cite:t}`` "Author (Year)", any other "(Author Year)"."""
    works = [cites[key.strip()] for key in match["keys"].split(",")]
    if match["form"] == "t":
        return "; ".join(f"{who} ({year})" for who, year in works)
    return "(" + "; ".join(f"{who} {year}" for who, year in works) + ")"


def _block(name, argument, body):
    """The plain-Markdown lines for one directive with its (already converted) body."""
    if name == "dropdown":
        return ["<details>", f"<summary>{argument}</summary>", "", *body, "", "</details>"]
    if name == "tab-set":
        return body
    if name == "tab-item":
        return [f"**{argument}**", "", *body]
    if name in {"math", "code-block", "code"}:
        return ["$$", *body, "$$"] if name == "math" else ["```python", *body, "```"]
    title = argument or _TITLES.get(name, name.capitalize())
    # An HTML block around Markdown, as for dropdowns: a table inside a `>` quote is raw text
    # to nbconvert's renderer.
    return ["<blockquote>", "", f"**{title}**", "", *body, "", "</blockquote>"]


def convert_lines(lines: list[str]) -> list[str]:
    """MyST directives and labels of ``lines`` rewritten as plain Markdown (recursively)."""
    out: list[str] = []
    for item in fences.split(lines):
        if isinstance(item, str):
            out.extend([] if _LABEL.match(item) else [item])
        elif not item.name:  # a plain code block stays as it is
            out.extend([item.fence + item.argument, *item.options, *item.body, item.fence])
        else:
            body = list(dropwhile(lambda line: not line.strip(), item.body))
            out.extend(_block(item.name, item.argument, convert_lines(body)))
    return out


def convert_markdown(cell, titles, cites) -> str:
    """The cell's Markdown as Colab should show it (see the module docstring)."""
    values = stored_text(cell)
    text = "\n".join(convert_lines(cell.source.splitlines()))
    text = EXPRESSION.sub(lambda m: values[m["expression"]], text)

    def ref(match):
        target = match["target"] or match["bare"]
        page, title = titles[target]
        return f"[{match['text'] or title}]({page})"

    text = _REF.sub(ref, text)
    return _CITE.sub(lambda m: cite(m, cites), text)


def colab_install(repo_root: Path = REPO_ROOT) -> str:
    """:data:`COLAB_INSTALL` for the repository and branch of _config.yml and pyproject's name."""
    repository = layout.read_repository(repo_root)
    with (repo_root / "pyproject.toml").open("rb") as file:
        project = tomllib.load(file)["project"]["name"]
    url = f"https://github.com/{repository.owner}/{repository.name}"
    return COLAB_INSTALL.format(project=project, url=url, branch=repository.branch)


def drop_widget_views(cell) -> None:
    """Remove live-widget views from the output bundles of a code ``cell`` (the rest stays)."""
    outputs = []
    for output in cell.get("outputs", []):
        if WIDGET_VIEW in output.get("data", {}):
            del output["data"][WIDGET_VIEW]
            output.get("metadata", {}).pop(WIDGET_VIEW, None)
            if not output["data"]:
                continue  # the view was all it held
        outputs.append(output)
    cell.outputs = outputs


def reader_notebook(path: Path, titles, cites, install: str):
    """The Colab copy of the notebook at ``path``, with ``install`` as its first code cell."""
    nb = nbformat.read(path, as_version=4)
    kept = []
    for cell in nb.cells:
        hidden = "remove-cell" in cell.metadata.get("tags", [])
        if cell.cell_type == "markdown":
            if problems(cell):
                raise ValueError(f"{path.name}: {problems(cell)}")
            cell.source = convert_markdown(cell, titles, cites)
            cell.metadata.pop("user_expressions", None)
        elif hidden or (cell.cell_type == "code" and layout.COLAB_GUARD.search(cell.source)):
            continue  # machinery, or an install cell still in the source notebook
        elif cell.cell_type == "code":
            drop_widget_views(cell)
        kept.append(cell)
    first_code = next((i for i, c in enumerate(kept) if c.cell_type == "code"), len(kept))
    kept.insert(first_code, nbformat.v4.new_code_cell(install, id=INSTALL_CELL_ID))
    nb.cells = kept
    return nb


def leftover_markup(nb) -> list[str]:
    """MyST markup left in a notebook's Markdown cells (one line per find)."""
    return [
        f"cell {i}: {m.group().strip()}"
        for i, cell in enumerate(nb.cells)
        if cell.cell_type == "markdown"
        for m in LEFTOVER.finditer(cell.source)
    ]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "_build" / "reader")
    args = parser.parse_args(argv)
    pages = [page for page in layout.read_pages(REPO_ROOT) if page.is_notebook]
    titles, cites = labels(pages), citations(REPO_ROOT / "references.bib")
    install = colab_install()
    failed = False
    for page in pages:
        nb = reader_notebook(page.source, titles, cites, install)
        target = args.out / page.source.relative_to(REPO_ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, target)
        left = leftover_markup(nb)
        failed |= bool(left)
        print(f"{target.relative_to(args.out)}: {'; '.join(left) or 'plain Markdown'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
