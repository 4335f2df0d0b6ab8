"""Sphinx extension: search in the Bengali edition keeps Bengali words whole.

Sphinx splits text into words at every character that is not a letter, a digit or ``_``, in
Python when it builds the index and in JavaScript when a reader types a query. Bengali vowel
signs and the virama are *marks*, not letters, so মৃত ("dead") is cut into ম and ত, and a query
for it matches every page with either letter.

This registers a search language ``bn`` whose words also take marks (and the zero-width
joiners of Bengali conjuncts), on both sides: :attr:`SearchBengali._word_re` for the index and
:attr:`SearchBengali.js_splitter_code` for the query. Bengali has no stemmer here: a word is
found as written, and Sphinx's search also matches it inside longer indexed words.
"""

from __future__ import annotations

import re

from sphinx.search import SearchLanguage

WORD_CHARACTERS = r"\w\u0980-\u09FF\u200C\u200D"
"""Word characters of the index: letters, digits, ``_``, the Bengali block and the joiners."""


class SearchBengali(SearchLanguage):
    lang = "bn"
    language_name = "Bengali"
    _word_re = re.compile(f"[{WORD_CHARACTERS}]+")
    js_splitter_code = r"""
function splitQuery(query) {
  return query
    .split(/[^\p{Letter}\p{Mark}\p{Number}_\u200C\u200D]+/gu)
    .filter((term) => term);
}
"""


def setup(app):
    app.add_search_language(SearchBengali)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
