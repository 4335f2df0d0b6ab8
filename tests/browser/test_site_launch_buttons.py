"""The Binder, Colab and repository buttons of the built pages point at _config.yml's repository.

Reads the ``<a href>`` of each built page in ``RELU_NOTES_HTML`` (no browser needed) and checks
them against ``repository.url``, ``repository.branch`` and ``launch_buttons.colab_branch`` of
``_config.yml``, where ``<notebook>`` is the page's own notebook:

- Binder opens the source notebook of ``repository.branch`` in JupyterLab (jupyterlab-myst
  renders its MyST): ``<binderhub>/v2/gh/<owner>/<repo>/<branch>?urlpath=lab/tree/<notebook>``;
- Colab opens the plain-Jupyter copy that CI publishes to ``colab_branch``
  (scripts/reader_notebooks.py, book/_ext/colab_launch.py):
  ``<colab>/github/<owner>/<repo>/blob/<colab_branch>/<notebook>``;
- the repository button is ``repository.url``.
"""

from __future__ import annotations

import functools
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from booksite.built import read_links

BUTTON_TITLES = {"Launch on Binder": "binder", "Launch on Colab": "colab"}
REPOSITORY_BUTTON_CLASS = "btn-source-repository-button"
URLPATH = re.compile(r"^lab/tree/(?P<path>.+\.ipynb)$")
"""Binder opens JupyterLab (``notebook_interface: jupyterlab``), not the classic tree."""


@pytest.fixture(scope="module")
def colab_branch(repository) -> str:
    """``launch_buttons.colab_branch``: where CI publishes the Colab copies."""
    assert repository.colab_branch, "_config.yml sets no launch_buttons.colab_branch"
    return repository.colab_branch


@pytest.fixture(scope="module")
def links_of(html_dir):
    """``links_of(page)`` -> the links of that page's built HTML file."""

    @functools.cache
    def get(page):
        path = html_dir / page.html
        assert path.is_file(), f"{page.docname} is in _toc.yml but {path} was not built"
        return read_links(path)

    return get


def _buttons(links, kind):
    return [link.href for link in links if BUTTON_TITLES.get(link.title) == kind]


def _check_binder(href, repository, notebook):
    url = urlsplit(href)
    hub = urlsplit(repository.binderhub_url)
    assert (url.scheme, url.netloc) == (hub.scheme, hub.netloc), href
    expected_path = f"{hub.path}/v2/gh/{repository.owner}/{repository.name}/{repository.branch}"
    assert url.path == expected_path, f"{href}: not {repository.url} at branch {repository.branch}"
    (urlpath,) = parse_qs(url.query)["urlpath"]
    target = URLPATH.match(urlpath)
    assert target is not None, f"{href}: urlpath is not lab/tree/<notebook> (JupyterLab)"
    assert target["path"] == notebook, f"{href} opens {target['path']}, not {notebook}"


def _check_colab(href, repository, notebook, colab_branch):
    repo = f"{repository.owner}/{repository.name}"
    expected = f"{repository.colab_url}/github/{repo}/blob/{colab_branch}/{notebook}"
    assert href == expected, f"{href}: not the Colab copy on branch {colab_branch}"


def test_repository_url_is_a_github_url(repository):
    assert urlsplit(repository.url).netloc == "github.com"
    assert (
        repository.url.rstrip("/")
        .removesuffix(".git")
        .endswith(f"/{repository.owner}/{repository.name}")
    )


def test_colab_copies_have_their_own_branch(repository, colab_branch):
    """The copies are generated: they never live on the branch people commit to."""
    assert colab_branch != repository.branch


def test_notebook_page_has_one_binder_and_one_colab_button(notebook_page, links_of):
    links = links_of(notebook_page)
    assert len(_buttons(links, "binder")) == 1, [link.href for link in links]
    assert len(_buttons(links, "colab")) == 1, [link.href for link in links]


def test_binder_button_opens_this_notebook_of_the_configured_branch(
    notebook_page, links_of, repository, book_root
):
    notebook = repository.notebook_path(notebook_page)
    assert (book_root / f"{notebook_page.docname}.ipynb").is_file()
    for href in _buttons(links_of(notebook_page), "binder"):
        _check_binder(href, repository, notebook)


def test_colab_button_opens_the_copy_of_this_notebook_on_the_colab_branch(
    notebook_page, links_of, repository, colab_branch
):
    notebook = repository.notebook_path(notebook_page)
    for href in _buttons(links_of(notebook_page), "colab"):
        _check_colab(href, repository, notebook, colab_branch)


def test_every_launch_link_points_at_the_configured_repository(
    page, links_of, repository, colab_branch
):
    """Also links that are not the buttons (e.g. a badge in a notebook's text)."""
    notebook = repository.notebook_path(page)
    for link in links_of(page):
        if link.href.startswith(f"{repository.binderhub_url}/"):
            _check_binder(link.href, repository, notebook)
        elif link.href.startswith(f"{repository.colab_url}/"):
            _check_colab(link.href, repository, notebook, colab_branch)


def test_repository_button_points_at_the_configured_url(page, links_of, repository):
    buttons = [link.href for link in links_of(page) if REPOSITORY_BUTTON_CLASS in link.classes]
    assert buttons == [repository.url], f"{page.docname}: {buttons}"
