"""What the book should contain, read from ``_toc.yml`` and ``_config.yml``.

Nothing here looks at the built HTML: these are the expectations the built site is checked
against (which pages exist, which are chapters, where their launch buttons must point).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import editions

SOURCE_SUFFIXES = (".ipynb", ".md", ".rst")
BENGALI = re.compile("[\u0980-\u09ff]")
COLAB_GUARD = re.compile(r"""^if\s+["']google\.colab["']\s+in\s+sys\.modules\s*:""", re.MULTILINE)
"""The guard of a notebook's Colab install cell: ``if "google.colab" in sys.modules:``."""
_GITHUB = re.compile(r"^https://github\.com/(?P<owner>[\w.-]+)/(?P<repo>[\w.-]+?)(?:\.git)?/?$")


@dataclass(frozen=True)
class Page:
    """One entry of ``_toc.yml``.

    ``docname`` is the toc path without suffix (``book/01_why_relu_dies``); ``source`` the file
    it is built from. A *chapter* is a notebook page other than the root page.
    """

    docname: str
    source: Path
    is_root: bool
    edition: str = "en"
    """The language of the edition: English at the site's root, any other in ``<language>/``."""

    @property
    def key(self) -> str:
        """The page's path in the site without suffix: ``bn/book/intro`` in the Bengali edition."""
        return editions.prefix(self.edition) + self.docname

    @property
    def html(self) -> str:
        return f"{self.key}.html"

    @property
    def is_notebook(self) -> bool:
        return self.source.suffix == ".ipynb"

    @property
    def is_chapter(self) -> bool:
        return self.is_notebook and not self.is_root

    def source_text(self) -> str:
        """The markdown/code text of the source (notebook JSON included as is)."""
        return self.source.read_text(encoding="utf-8")

    def has_bengali(self) -> bool:
        return self.edition == "bn" or BENGALI.search(self.source_text()) is not None

    def has_display_math(self) -> bool:
        text = self.source_text()
        return "$$" in text or "\\begin{equation" in text or "```{math}" in text


@dataclass(frozen=True)
class Repository:
    """The GitHub repository and branch the launch buttons must point at.

    ``url`` and ``branch`` are ``repository.url`` and ``repository.branch`` of ``_config.yml``
    as written there; ``owner`` and ``name`` are read from the url. ``colab_branch`` is
    ``launch_buttons.colab_branch``, the branch CI publishes the Colab copies to (``""`` when
    unset, as book/_ext/colab_launch.py reads it). No launch URL is built here: the browser
    tests read the built pages' links and compare them with these values.
    """

    url: str
    owner: str
    name: str
    branch: str
    path_to_book: str
    binderhub_url: str
    colab_url: str
    colab_branch: str

    def notebook_path(self, page: Page) -> str:
        """The page's notebook as a path in the repository (``path_to_book`` prefixed)."""
        prefix = f"{self.path_to_book.strip('/')}/" if self.path_to_book.strip("/") else ""
        return f"{prefix}{page.docname}.ipynb"


def _toc_files(entries: list[dict]) -> list[str]:
    files: list[str] = []
    for entry in entries:
        if "file" in entry:
            files.append(entry["file"])
        for key in ("parts", "chapters", "sections"):
            files.extend(_toc_files(entry.get(key, [])))
    return files


def _resolve_source(book_root: Path, docname: str) -> Path:
    for suffix in SOURCE_SUFFIXES:
        candidate = book_root / f"{docname}{suffix}"
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"_toc.yml lists {docname!r} but no {SOURCE_SUFFIXES} file exists")


def read_pages(book_root: Path, edition: str = "en") -> list[Page]:
    """Every page of ``_toc.yml`` (root first, then in reading order) in one edition."""
    toc = yaml.safe_load((book_root / "_toc.yml").read_text(encoding="utf-8"))
    root = _strip_suffix(toc["root"])
    docnames = [root] + [_strip_suffix(f) for f in _toc_files([toc])]
    return [Page(d, _resolve_source(book_root, d), d == root, edition) for d in docnames]


def _strip_suffix(name: str) -> str:
    for suffix in SOURCE_SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def read_repository(book_root: Path) -> Repository:
    """The launch-button settings of ``_config.yml`` (Jupyter Book defaults where unset)."""
    config = yaml.safe_load((book_root / "_config.yml").read_text(encoding="utf-8"))
    repository = config.get("repository") or {}
    match = _GITHUB.match(str(repository.get("url", "")).strip())
    if match is None:
        raise ValueError(f"repository.url is not a https://github.com/OWNER/REPO URL: {repository}")
    launch = config.get("launch_buttons") or {}
    return Repository(
        url=repository["url"].strip(),
        owner=match["owner"],
        name=match["repo"],
        branch=str(repository.get("branch", "main")),
        path_to_book=str(repository.get("path_to_book", "") or ""),
        binderhub_url=str(launch.get("binderhub_url", "")).strip("/"),
        colab_url=str(launch.get("colab_url", "")).strip("/"),
        colab_branch=str(launch.get("colab_branch") or "").strip(),
    )
