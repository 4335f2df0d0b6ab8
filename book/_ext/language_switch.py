"""Sphinx extension: every page links to the same page in the book's other editions.

The English edition is the site's root and each other edition lives in a folder named after its
language (``bn/``; see scripts/build_book.py). ``edition_languages`` in ``_config.yml`` lists
the editions, ``{language: (its own name, "this page in that language")}``. On each page:

- a button in the article header (``_templates/language-switch.html``), before the theme's own
  buttons, links to the twin page: ``book/02_leaky_relu.html`` <-> ``bn/book/02_leaky_relu.html``;
- ``<link rel="alternate" hreflang="...">`` in the head names the twin for search engines.

Sphinx writes ``<html lang="...">`` from the ``language`` setting of each edition's build.
"""

from __future__ import annotations

from pathlib import Path

ROOT_LANGUAGE = "en"


def edition_root(language: str | None) -> str:
    """The folder of an edition in the site: ``""`` for English, ``"bn/"`` for Bengali."""
    return "" if language in (None, ROOT_LANGUAGE) else f"{language}/"


def site_root(pagename: str, language: str | None) -> str:
    """The relative URL from ``pagename`` in the ``language`` edition to the site's root."""
    return "../" * (pagename.count("/") + edition_root(language).count("/"))


def twin_href(pagename: str, here: str, there: str) -> str:
    """Relative URL from ``pagename`` in the ``here`` edition to the same page in ``there``."""
    return site_root(pagename, here) + edition_root(there) + pagename + ".html"


def add_twins(app, pagename, templatename, context, doctree) -> None:
    """``html-page-context``: the links from this page to its twins."""
    here = app.config.language or ROOT_LANGUAGE
    twins = [
        {
            "language": language,
            "name": name,
            "title": title,
            "href": twin_href(pagename, here, language),
        }
        for language, (name, title) in app.config.edition_languages.items()
        if language != here
    ]
    context["edition_twins"] = twins
    links = "".join(
        f'<link rel="alternate" hreflang="{t["language"]}" href="{t["href"]}" />\n' for t in twins
    )
    context["metatags"] = context.get("metatags", "") + links


def add_switch_to_header(app, config) -> None:
    """``config-inited``: put the switch before the article header's buttons."""
    config.templates_path.append(str(Path(__file__).resolve().parents[1] / "_templates"))
    options = config.html_theme_options
    end = options.get("article_header_end", ["article-header-buttons.html"])
    if isinstance(end, str):
        end = [end]
    options["article_header_end"] = ["language-switch.html", *end]


def setup(app):
    app.add_config_value("edition_languages", {}, "html", types=[dict])
    app.connect("config-inited", add_switch_to_header)
    app.connect("html-page-context", add_twins)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
