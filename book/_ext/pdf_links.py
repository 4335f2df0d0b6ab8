"""Sphinx extension: the first page of each edition links the PDFs of both editions.

``scripts/build_pdfs.py`` prints, after the HTML build, the whole book and the exam sheet of
each edition into the site's ``pdf/`` folder, named by :func:`pdf_name`. On the root page, the
section labelled ``(print-pdfs)=`` gets a list of links to those four files. The list exists
only on the website: the notebook's own text, which Jupyter shows, names no file. The link texts
are Sphinx messages, translated in ``locale/<language>/LC_MESSAGES/sphinx.po``.
"""

from __future__ import annotations

from docutils import nodes
from language_switch import site_root
from sphinx.locale import _
from sphinx.transforms import SphinxTransform

LABEL = "print-pdfs"
KINDS = ("book", "exam-sheet")
PDF_FOLDER = "pdf"
"""The folder of the PDFs, at the root of the site."""


def pdf_name(kind: str, language: str) -> str:
    """``relu-notes-book-en.pdf``, ``relu-notes-exam-sheet-bn.pdf``, ..."""
    return f"relu-notes-{kind}-{language}.pdf"


def link_text(kind: str, language: str) -> str:
    texts = {
        ("book", "en"): _("The whole book, in English (PDF)"),
        ("book", "bn"): _("The whole book, in Bengali (PDF)"),
        ("exam-sheet", "en"): _("The exam sheet, in English (PDF)"),
        ("exam-sheet", "bn"): _("The exam sheet, in Bengali (PDF)"),
    }
    return str(texts[(kind, language)])


class AddPdfLinks(SphinxTransform):
    default_priority = 500  # after the translation (Locale, 20): the link texts are final

    def apply(self, **kwargs) -> None:
        if self.env.docname != self.config.root_doc:
            return
        root = site_root(self.env.docname, self.config.language)
        for section in self.document.findall(nodes.section):
            if LABEL not in section["ids"]:
                continue
            items = nodes.bullet_list(classes=["pdf-downloads"])
            for language in self.config.edition_languages:
                for kind in KINDS:
                    url = f"{root}{PDF_FOLDER}/{pdf_name(kind, language)}"
                    text = link_text(kind, language)
                    link = nodes.reference(text, text, refuri=url, classes=["pdf-download"])
                    items += nodes.list_item("", nodes.paragraph("", "", link))
            section += items


def setup(app):
    app.setup_extension("language_switch")  # edition_languages, site_root
    app.add_transform(AddPdfLinks)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
