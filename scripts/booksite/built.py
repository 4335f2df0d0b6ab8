"""Reading the built HTML pages: their article, their text and their links.

The pages are read as text (no browser): the article as the theme writes it
(``<article class="bd-article">``), the text with its tags removed and its entities decoded,
and every ``<a href>`` with the attributes the tests look at.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

TAGS = re.compile(r"<[^>]+>")
ARTICLE = re.compile(r'<article class="bd-article">(.*?)</article>', re.DOTALL)
"""A page's article; group 1 is its content, from the opening tag to the closing one."""
MAIN = '<main id="main-content"'
"""Where the page's main part starts: the header and the sidebar come before it."""


def article(page_html: str) -> str | None:
    """The content of the page's article (``ARTICLE``), or None if it has none."""
    match = ARTICLE.search(page_html)
    return None if match is None else match[1]


def main_text(page_html: str) -> str:
    """The text from ``MAIN`` on (all of it without one): each tag a space, entities decoded."""
    main = page_html.split(MAIN, 1)[-1]
    return html.unescape(TAGS.sub(" ", main))


def words(fragment: str) -> str:
    """The text of an HTML fragment: tags dropped, entities decoded, spaces collapsed to one."""
    return " ".join(html.unescape(TAGS.sub("", fragment)).split())


@dataclass(frozen=True)
class Link:
    href: str
    title: str
    classes: tuple[str, ...]
    hreflang: str = ""


class _LinkParser(HTMLParser):
    """Every ``<a href>`` of a page, with its title, classes and hreflang."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[Link] = []

    def handle_starttag(self, tag, attrs):
        if tag != "a":
            return
        attributes = dict(attrs)
        if attributes.get("href"):
            self.links.append(
                Link(
                    attributes["href"],
                    (attributes.get("title") or "").strip(),
                    tuple((attributes.get("class") or "").split()),
                    attributes.get("hreflang") or "",
                )
            )


def links(page_html: str) -> list[Link]:
    """Every ``<a href>`` of the page, in order."""
    parser = _LinkParser()
    parser.feed(page_html)
    parser.close()
    return parser.links


def read_links(html_file: Path) -> list[Link]:
    """Every ``<a href>`` of the built page ``html_file``, in order."""
    return links(html_file.read_text(encoding="utf-8"))
