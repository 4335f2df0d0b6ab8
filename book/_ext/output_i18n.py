"""Sphinx extension: what a cell computed stays out of the translation; its alt text goes in.

The Bengali edition is made with Sphinx's gettext workflow (``locale/bn/LC_MESSAGES``). Left
alone, that workflow gets a chapter's outputs wrong in three ways:

- a Markdown output (the claims ledger's tables) becomes messages whose numbers change on every
  run, so the catalogue would never be complete;
- the gettext builder keeps only text outputs of a mime bundle (myst-nb's priority list for it),
  so the alt text of a figure, stored in the cell's ``mystnb.image.alt`` metadata, is never
  extracted;
- the static alpha slider is raw HTML, so its ``aria-label`` is never extracted either.

This extension, at read time and before Sphinx's ``Locale`` transform:

1. marks every text node of an output's mime bundle as not translatable (figure captions come
   from the cell's metadata, outside the bundle, and stay translatable);
2. keeps images translatable through their alt text, as Sphinx does for any image;
3. turns raw HTML with ``aria-label="..."`` into :class:`LabelledRaw`, whose labels are messages.

It also gives the gettext builder the html builder's choice of output (``config-inited``), so
the catalogue holds the alt text of exactly the outputs the website shows.
"""

from __future__ import annotations

import html
import re

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms import SphinxTransform
from sphinx.util import logging

logger = logging.getLogger(__name__)

_ARIA_LABEL = re.compile(r'aria-label="([^"]*)"')


class LabelledRaw(nodes.raw, addnodes.translatable):
    """Raw HTML whose ``aria-label`` texts are translatable messages; the markup is not."""

    def preserve_original_messages(self) -> None:
        self.setdefault("original_labels", self.labels())

    def labels(self) -> list[str]:
        return [html.unescape(label) for label in _ARIA_LABEL.findall(self.astext())]

    def extract_original_messages(self) -> list[str]:
        return self.get("original_labels", self.labels())

    def apply_translated_message(self, original_message: str, translated_message: str) -> None:
        def swap(match: re.Match) -> str:
            if html.unescape(match[1]) != original_message:
                return match[0]
            return f'aria-label="{html.escape(translated_message)}"'

        text = _ARIA_LABEL.sub(swap, self.astext())
        if text == self.astext():
            logger.warning("aria-label not translated: %r", original_message[:80], location=self)
        self.rawsource = text
        self.children = [nodes.Text(text)]


class KeepOutputsOutOfCatalogue(SphinxTransform):
    """Outputs are not messages, except alt text (see the module docstring)."""

    default_priority = 15  # before sphinx.transforms.i18n.Locale (20) and the UID transform

    def apply(self, **kwargs) -> None:
        for bundle in self.document.findall(_is_mime_bundle):
            for node in list(bundle.findall(nodes.TextElement)):
                if isinstance(node, nodes.raw) and "html" in node.get("format", "").split():
                    if _ARIA_LABEL.search(node.astext()):
                        labelled = LabelledRaw(node.rawsource, node.astext(), **node.attributes)
                        labelled.source, labelled.line = node.source, node.line
                        node.replace_self(labelled)
                        continue
                node["translatable"] = False


def _is_mime_bundle(node) -> bool:
    return isinstance(node, nodes.container) and node.get("nb_element") == "mime_bundle"


def visit_labelled_raw(translator, node) -> None:
    translator.visit_raw(node)  # writes the (translated) HTML and skips the node


def gettext_sees_what_html_shows(app, config) -> None:
    """``config-inited``: the gettext builder picks each output's mime type as html does."""
    from myst_nb.core.render import get_mime_priority

    html_order = get_mime_priority("html", config.nb_mime_priority_overrides)
    overrides = list(config.nb_mime_priority_overrides)
    overrides += [("gettext", mime, rank) for rank, mime in enumerate(html_order)]
    config.nb_mime_priority_overrides = overrides


def setup(app):
    app.add_node(LabelledRaw, html=(visit_labelled_raw, None))
    app.add_transform(KeepOutputsOutOfCatalogue)
    app.connect("config-inited", gettext_sees_what_html_shows, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
