"""Sphinx extension: a translation that Sphinx could not put in the page is a warning.

Sphinx's ``Locale`` transform skips a translated message without a word when the translation
does not parse into the same kind of node as the English. The classic case is a numbered
heading: ``# 1. Why ReLU dies`` is a heading, but its translation ``1. ReLU কেন ...`` parses as
an ordered list, so the page keeps the English title (write ``1\\. ReLU কেন ...``). This
transform runs right after ``Locale`` in a translated build and warns for every message that
has a translation different from the English but was left untranslated in the page, so the
``-W`` build fails instead of showing English.
"""

from __future__ import annotations

from os import path

from sphinx import addnodes
from sphinx.locale import init as init_locale
from sphinx.transforms import SphinxTransform
from sphinx.util import logging
from sphinx.util.i18n import docname_to_domain
from sphinx.util.nodes import extract_messages

logger = logging.getLogger(__name__)


class TranslationApplied(SphinxTransform):
    default_priority = 21  # right after sphinx.transforms.i18n.Locale (20)

    def apply(self, **kwargs) -> None:
        language = self.config.language
        if not language or language == "en" or self.app.builder.name == "gettext":
            return
        domain = docname_to_domain(self.env.docname, self.config.gettext_compact)
        dirs = [path.join(self.env.srcdir, d) for d in self.config.locale_dirs]
        catalog, has_catalog = init_locale(dirs, language, domain)
        if not has_catalog:
            return
        for node, message in extract_messages(self.document):
            if node.get("translated") or isinstance(node, addnodes.translatable):
                continue
            translation = catalog.gettext(message)
            if translation.strip() and translation != message:
                logger.warning(
                    "translation not applied (it parses unlike the English): %r",
                    message[:80],
                    location=node,
                    type="i18n",
                    subtype="not_applied",
                )


def setup(app):
    app.add_transform(TranslationApplied)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
