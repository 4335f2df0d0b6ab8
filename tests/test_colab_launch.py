"""book/_ext/colab_launch.py: the Colab button opens the copy on the Colab branch, Binder stays.

The unit tests feed the extension the header buttons sphinx-book-theme builds; the last test
builds a one-notebook site with the theme, so it fails if the theme's buttons change form or the
extension runs before them. tests/browser/test_site_launch_buttons.py checks the real site.
"""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "book" / "_ext"))

import colab_launch  # noqa: E402

COLAB = "https://colab.research.google.com"
BINDER = "https://mybinder.org/v2/gh/o/r/main?urlpath=lab/tree/book/ch.ipynb"
REPOSITORY = {"repository_url": "https://github.com/o/r", "repository_branch": "main"}


@pytest.mark.parametrize(
    ("url", "branch", "expected"),
    [
        (f"{COLAB}/github/o/r/blob/main/book/ch.ipynb", "main", "blob/colab/book/ch.ipynb"),
        (f"{COLAB}/github/o/r/blob/release/1.x/ch.ipynb", "release/1.x", "blob/colab/ch.ipynb"),
        (f"{COLAB}/github/o/r/blob/main/ch.ipynb", "dev", None),  # another branch
        ("https://example.org/github/o/r/blob/main/ch.ipynb", "main", None),  # another host
    ],
)
def test_colab_launch_url(url, branch, expected):
    moved = colab_launch.colab_launch_url(url, COLAB, branch, "colab")
    if expected is None:
        assert moved is None
    else:
        assert moved == f"{COLAB}/github/o/r/{expected}"


def _app(**launch):
    options = {**REPOSITORY, "launch_buttons": {"colab_url": f"{COLAB}/", **launch}}
    return SimpleNamespace(config=SimpleNamespace(html_theme_options=options))


def _context(colab_href):
    """``header_buttons`` as sphinx-book-theme's add_launch_buttons leaves them."""
    buttons = [
        {"type": "link", "text": "Binder", "url": BINDER},
        {"type": "link", "text": "Colab", "url": colab_href},
    ]
    return {"header_buttons": [{"type": "group", "label": "launch-buttons", "buttons": buttons}]}


def _hrefs(context):
    return [button["url"] for button in context["header_buttons"][0]["buttons"]]


def test_only_the_colab_button_moves_to_the_colab_branch():
    context = _context(f"{COLAB}/github/o/r/blob/main/book/ch.ipynb")
    colab_launch.point_colab_at_branch(_app(colab_branch="colab"), "book/ch", "page", context, None)
    assert _hrefs(context) == [BINDER, f"{COLAB}/github/o/r/blob/colab/book/ch.ipynb"]


@pytest.mark.parametrize(
    ("launch", "href"),
    [
        ({}, f"{COLAB}/github/o/r/blob/main/book/ch.ipynb"),  # no colab_branch
        ({"colab_branch": "colab"}, f"{COLAB}/github/o/r/tree/main/book/ch.ipynb"),  # other form
    ],
    ids=["no-colab-branch", "unknown-form"],
)
def test_a_button_it_cannot_move_is_a_warning(launch, href, monkeypatch):
    warnings = []
    monkeypatch.setattr(colab_launch.LOGGER, "warning", lambda *a, **k: warnings.append(a))
    context = _context(href)
    colab_launch.point_colab_at_branch(_app(**launch), "book/ch", "page", context, None)
    assert _hrefs(context) == [BINDER, href]
    assert len(warnings) == 1


def test_pages_without_launch_buttons_are_left_alone():
    context = {"header_buttons": [{"type": "group", "label": "download-buttons", "buttons": []}]}
    colab_launch.point_colab_at_branch(_app(colab_branch="colab"), "index", "page", context, None)
    assert context == {
        "header_buttons": [{"type": "group", "label": "download-buttons", "buttons": []}]
    }


NOTEBOOK = {
    "cells": [{"cell_type": "markdown", "id": "a", "metadata": {}, "source": "# A chapter"}],
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},
    "nbformat": 4,
    "nbformat_minor": 5,
}


def test_a_sphinx_book_theme_build_gets_the_moved_button(tmp_path):
    """The theme builds the buttons, the extension moves the Colab one (priority after 501)."""
    import json

    pytest.importorskip("sphinx_book_theme")
    pytest.importorskip("myst_nb")
    from sphinx.application import Sphinx

    src = tmp_path / "src"
    (src / "book").mkdir(parents=True)
    (src / "book" / "ch.ipynb").write_text(json.dumps(NOTEBOOK), encoding="utf-8")
    (src / "index.md").write_text("# Home\n\n```{toctree}\nbook/ch\n```\n", encoding="utf-8")
    launch = {
        "notebook_interface": "jupyterlab",
        "binderhub_url": "https://mybinder.org",
        "colab_url": COLAB,
        "colab_branch": "colab",
    }
    overrides = {
        "extensions": ["myst_nb", "colab_launch"],
        "html_theme": "sphinx_book_theme",
        "html_theme_options": {**REPOSITORY, "launch_buttons": launch},
        "nb_execution_mode": "off",
    }
    app = Sphinx(
        str(src), None, str(tmp_path / "html"), str(tmp_path / "doctrees"), "html",
        confoverrides=overrides, status=None, warning=None, freshenv=True,
    )  # fmt: skip
    app.build()
    html = (tmp_path / "html" / "book" / "ch.html").read_text(encoding="utf-8")
    assert f'href="{COLAB}/github/o/r/blob/colab/book/ch.ipynb"' in html
    assert "/blob/main/" not in html
    assert 'href="https://mybinder.org/v2/gh/o/r/main?urlpath=lab/tree/book/ch.ipynb"' in html
