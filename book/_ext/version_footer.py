"""Sphinx extension: the footer of every page names the course version and the licences.

The version is ``relu_notes.__version__`` (the one place it is written; pyproject.toml,
CITATION.cff and CHANGELOG.md are checked against it by tests/test_release.py), so a reader can
cite the exact version of the course they read.

The footer's sentences are Sphinx messages, so an edition translates them in
``locale/<language>/LC_MESSAGES/sphinx.po``.
"""

from sphinx.locale import _

import relu_notes

LICENCE = '<a href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a>'


def footer() -> str:
    """The footer in the build's language (Sphinx's catalogues are ready at config-inited)."""
    return (
        f'<p class="relu-notes-version">relu-notes {relu_notes.__version__}. '
        f"{_('Text, figures and translations:')} {LICENCE}; {_('code: MIT.')} "
        f"{_('To cite this course, see CITATION.cff in the repository.')}</p>"
    )


def _add_footer(app, config):
    options = dict(config.html_theme_options or {})
    options["extra_footer"] = footer()
    config.html_theme_options = options


def setup(app):
    app.connect("config-inited", _add_footer)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
