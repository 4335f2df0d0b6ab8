"""Sphinx extension: ``[text](chapter.ipynb#label)`` reaches a ``(label)=`` target in that notebook.

A chapter links to a section of another chapter with a plain Markdown link, because JupyterLab
(jupyterlab-myst) and Colab open such a link in the other notebook, while ``{ref}`` across
notebooks resolves only on the website. MyST accepts a link's ``#fragment`` only if it is a
heading slug of the target document, so this adds every document's explicit labels to its
slugs. A fragment that is neither stays a warning, so the ``-W`` build still fails on it.
"""

from __future__ import annotations


def add_labels_to_slugs(app, env):
    """``env-updated``: each ``(label)=`` of a document becomes one of its link fragments."""
    labels = env.get_domain("std").labels
    for name, (docname, labelid, section) in labels.items():
        if docname in env.metadata and labelid:
            slugs = env.metadata[docname].setdefault("myst_slugs", {})
            slugs.setdefault(name, (0, labelid, section))


def setup(app):
    app.connect("env-updated", add_labels_to_slugs)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
