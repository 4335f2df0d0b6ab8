"""Sphinx extension: the footer of every page names the course version and the licences.

The version is ``relu_notes.__version__`` (the one place it is written; pyproject.toml,
CITATION.cff and CHANGELOG.md are checked against it by tests/test_release.py), so a reader can
cite the exact version of the course they read.
"""

import relu_notes

FOOTER = (
    '<p class="relu-notes-version">relu-notes {version}. Text, figures and translations: '
    '<a href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a>; code: MIT. '
    "To cite this course, see CITATION.cff in the repository.</p>"
)


def _add_footer(app, config):
    options = dict(config.html_theme_options or {})
    options["extra_footer"] = FOOTER.format(version=relu_notes.__version__)
    config.html_theme_options = options


def setup(app):
    app.connect("config-inited", _add_footer)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
