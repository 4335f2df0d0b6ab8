"""Sphinx extension: the Colab launch button opens the page's Colab copy, not the source notebook.

Colab renders no MyST, so ``scripts/reader_notebooks.py`` writes plain-Jupyter copies of the
chapters (values filled in, an install cell first) and CI publishes them to their own branch,
``launch_buttons.colab_branch`` of _config.yml, with the same paths as in the repository (see
.github/workflows/ci.yml). sphinx-book-theme builds every launch button from
``repository.branch``; this extension runs after it (``html-page-context``, priority 600 > the
theme's 501) and moves only the Colab button to that branch::

    <colab_url>/github/<owner>/<repo>/blob/<colab_branch>/<path of the notebook>

The Binder button stays on ``repository.branch``: Binder opens the source notebooks in
JupyterLab, where jupyterlab-myst renders their MyST. The repository block of _config.yml stays
the one place of the URL: only the branch name is added here. A Colab button that does not have
the theme's form, or a missing ``colab_branch``, is a warning, so a ``-W`` build fails.
"""

from __future__ import annotations

import re

from sphinx.util import logging

LOGGER = logging.getLogger(__name__)
PRIORITY = 600
"""After sphinx-book-theme's ``add_launch_buttons`` (501), which fills ``header_buttons``."""


def colab_launch_url(url: str, colab_url: str, branch: str, colab_branch: str) -> str | None:
    """``url`` (the theme's Colab link at ``branch``) moved to ``colab_branch``.

    None if ``url`` is not ``<colab_url>/github/<owner>/<repo>/blob/<branch>/<path>``.
    """
    form = re.compile(
        rf"^(?P<repo>{re.escape(colab_url.rstrip('/'))}/github/[^/]+/[^/]+/blob/)"
        rf"{re.escape(branch)}/(?P<path>.+)$"
    )
    match = form.match(url)
    if match is None:
        return None
    return f"{match['repo']}{colab_branch}/{match['path']}"


def _colab_buttons(context, colab_url: str):
    """The Colab buttons among the page's launch buttons (none on a page without a notebook)."""
    for group in context.get("header_buttons") or []:
        if group.get("label") != "launch-buttons":
            continue
        for button in group.get("buttons") or []:
            if str(button.get("url", "")).startswith(f"{colab_url}/"):
                yield button


def point_colab_at_branch(app, pagename, templatename, context, doctree):
    """``html-page-context``: the Colab launch button of ``pagename`` opens its Colab copy."""
    options = app.config.html_theme_options or {}
    launch = options.get("launch_buttons") or {}
    colab_url = str(launch.get("colab_url") or "").strip("/")
    if not colab_url:
        return
    branch = str(options.get("repository_branch") or "master")  # the theme's default
    colab_branch = str(launch.get("colab_branch") or "").strip()
    for button in _colab_buttons(context, colab_url):
        moved = colab_launch_url(button["url"], colab_url, branch, colab_branch)
        if not colab_branch or moved is None:
            LOGGER.warning(
                "%s: the Colab button %s is left as it is (launch_buttons.colab_branch is %r)",
                pagename,
                button["url"],
                colab_branch,
                location=pagename,
            )
            continue
        button["url"] = moved


def setup(app):
    app.connect("html-page-context", point_colab_at_branch, priority=PRIORITY)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
