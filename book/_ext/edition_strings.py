"""Sphinx extension: the Bengali edition's own strings for Sphinx and the theme.

Sphinx's Bengali catalogue leaves some messages empty. Python falls back to English for an
empty message, but Sphinx's JavaScript (``Documentation.gettext``) shows the empty string, so the
search page of the Bengali edition said nothing after a search. And the book theme's Bengali
catalogue has no "Contents" (the title of each page's table of contents).

``locale/<language>/LC_MESSAGES/sphinx.po`` holds those strings. Sphinx reads that catalogue
before its own, so ``sphinx.locale._`` returns them; this extension also

- sets the theme's ``toc_title`` to the translation of "Contents" (``config-inited``);
- rewrites ``_static/translations.js`` after the build: an empty message takes its translation
  from Sphinx's catalogues, or is dropped so that the English shows (``build-finished``).
"""

from __future__ import annotations

import json
from pathlib import Path

from sphinx.locale import _


def translate_toc_title(app, config) -> None:
    """``config-inited``: the theme's "Contents" in the build's language (Sphinx's catalogues,
    ours first, are ready by then)."""
    if config.language and config.language != "en":
        config.html_theme_options["toc_title"] = str(_("Contents"))


def fill_js_translations(app, exception) -> None:
    if exception or app.builder.format != "html" or app.config.language in (None, "en"):
        return
    path = Path(app.outdir, "_static", "translations.js")
    if not path.is_file():
        return
    text = path.read_text(encoding="utf-8")
    start, end = text.index("(") + 1, text.rindex(")")
    catalogue = json.loads(text[start:end])  # Documentation.addTranslations({...});
    messages = {}
    for key, value in catalogue["messages"].items():
        if value in ("", [], None):
            value = str(_(key))  # ours, or the English key itself
        if value != key:
            messages[key] = value
    catalogue["messages"] = messages
    body = json.dumps(catalogue, ensure_ascii=False, indent=4)
    path.write_text(text[:start] + body + text[end:], encoding="utf-8")


def setup(app):
    app.connect("config-inited", translate_toc_title)
    app.connect("build-finished", fill_js_translations)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
