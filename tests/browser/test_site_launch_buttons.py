"""Binder and Colab buttons on every notebook page point at the repository of _config.yml."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

SEGMENT = r"[A-Za-z0-9_.-]+"
BINDER_PATH = re.compile(rf"^/v2/gh/(?P<owner>{SEGMENT})/(?P<repo>{SEGMENT})/(?P<branch>[^?#]+)$")
URLPATH = re.compile(r"^(?P<ui>tree|lab/tree)/(?P<path>.+\.ipynb)$")
COLAB_PATH = re.compile(
    rf"^/github/(?P<owner>{SEGMENT})/(?P<repo>{SEGMENT})/blob/(?P<branch>[^/]+)/(?P<path>.+\.ipynb)$"
)


def test_buttons_point_at_configured_repository(notebook_page, visits, repository):
    links = visits(notebook_page).launch_links
    expected = {repository.binder_url(notebook_page), repository.colab_url_for(notebook_page)}
    assert set(links) == expected


def test_binder_url_is_well_formed(notebook_page, repository, book_root):
    url = urlsplit(repository.binder_url(notebook_page))
    assert (url.scheme, url.netloc) == ("https", "mybinder.org")
    match = BINDER_PATH.match(url.path)
    assert match is not None, url.path
    assert (match["owner"], match["repo"], match["branch"]) == (
        repository.owner,
        repository.name,
        repository.branch,
    )
    (urlpath,) = parse_qs(url.query)["urlpath"]
    target = URLPATH.match(urlpath)
    assert target is not None, urlpath
    assert target["path"] == repository.notebook_path(notebook_page)
    assert (book_root / target["path"]).is_file(), f"{target['path']} is not in the repository"


def test_colab_url_is_well_formed(notebook_page, repository, book_root):
    url = urlsplit(repository.colab_url_for(notebook_page))
    assert (url.scheme, url.netloc) == ("https", "colab.research.google.com")
    match = COLAB_PATH.match(url.path)
    assert match is not None, url.path
    assert (match["owner"], match["repo"], match["branch"]) == (
        repository.owner,
        repository.name,
        repository.branch,
    )
    assert (book_root / match["path"]).is_file(), f"{match['path']} is not in the repository"
