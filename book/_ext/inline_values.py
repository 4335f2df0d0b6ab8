"""Sphinx extension: ``{eval}`name``` prints the value stored in the chapter for that expression.

A chapter's Markdown names computed values with MyST's inline expression role (see
relu_notes/inline.py)::

    After the shift, {eval}`dead_share` of the units are dead.

``scripts/run_chapters.py --write`` stores each value in the Markdown cell's
``user_expressions`` metadata, where jupyterlab-myst reads it in JupyterLab. This role reads the
same stored values, so the website shows exactly what JupyterLab shows, without executing
anything at build time (myst-nb's own ``eval`` role needs inline execution, which bypasses the
jupyter-cache).

The role looks the expression up among all the stored values of the document being read. It
works the same inside a paragraph translated by Sphinx's gettext machinery: the translated
sentence keeps the ``{eval}`` marker and is parsed while the same document is read. An
expression without a stored value is a warning, so a ``-W`` build fails.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from docutils import nodes

from relu_notes.inline import stored_text

_CACHE: dict[tuple[str, float], dict[str, str | None]] = {}


def stored_values(path: Path) -> dict[str, str | None]:
    """``{expression: text}`` over every Markdown cell of the notebook at ``path``."""
    key = (str(path), path.stat().st_mtime)
    if key not in _CACHE:
        nb = nbformat.read(path, as_version=4)
        values: dict[str, str | None] = {}
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                values.update(stored_text(cell))
        _CACHE[key] = values
    return _CACHE[key]


def eval_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """``{eval}`expression``` -> the stored text of that expression in this document."""
    env = inliner.document.settings.env
    path = Path(env.doc2path(env.docname))
    values = stored_values(path) if path.suffix == ".ipynb" else {}
    value = values.get(text)
    if value is None:
        message = inliner.reporter.warning(
            f"{{eval}}`{text}`: no stored value in {path.name} "
            "(refresh it with scripts/run_chapters.py --write)",
            line=lineno,
        )
        return [inliner.problematic(rawtext, rawtext, message)], [message]
    return [nodes.inline(value, value, classes=["inline-value"])], []


def setup(app):
    # Registered after myst-nb (an extension listed later), so this role replaces myst-nb's.
    app.add_role("eval", eval_role, override=True)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
