"""Sphinx extension: the ``{verdict}`` role prints a claim's verdict from the ledger.

A chapter never types a verdict word next to a claim; it writes the marker, in MyST::

    Leaky ReLU greatly reduces the dead-neuron problem: {verdict}`L3`.

and the page shows the verdict that :func:`relu_notes.ledger.verdict_table` computes from the stored
results when the book is built ("holds", "inconclusive", ...; aliases such as ``T6`` work). The
marker is the same in every language, so a translation keeps it unchanged, and
tests/test_prose_verdicts.py fails on a verdict phrase typed near a claim id or a claim's
words anywhere else.

Configuration (``_config.yml``)::

    sphinx:
      local_extensions:
        ledger_role: book/_ext
      config:
        ledger_results_loader: "relu_notes.experiments.stored:load_results"

``ledger_results_loader`` is ``"module:function"``: a function without arguments returning the
``results`` dict (result name -> result object) the ledger evaluates. It is called once per
build. Without it, definitions still get their verdicts, every measured claim reads "not
tested", and the build warns once (so a ``-W`` build fails until the loader is set). An unknown
claim id is a warning too.
"""

import importlib

from docutils import nodes
from sphinx.util import logging

logger = logging.getLogger(__name__)

_CACHE = {}


def load_results(loader):
    """The results dict from ``"module:function"`` (``{}`` for an empty string)."""
    if not loader:
        return {}
    module, _, function = loader.partition(":")
    return getattr(importlib.import_module(module), function)()


def loaded_verdicts(loader):
    """``{claim id or alias: verdict}``, computed once per loader string."""
    if loader not in _CACHE:
        from relu_notes.ledger import verdict_table as table

        _CACHE[loader] = table(load_results(loader))
    return _CACHE[loader]


def verdict_node(claim_id, table):
    """The inline node a ``{verdict}`` role renders to, or None for an unknown id."""
    if claim_id not in table:
        return None
    verdict = table[claim_id]
    slug = verdict.replace(" ", "-")
    return nodes.inline(verdict, verdict, classes=["ledger-verdict", f"ledger-verdict-{slug}"])


def verdict_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """``{verdict}`P4``` -> the verdict of claim P4 (see the module docstring)."""
    claim_id = text.strip()
    config = inliner.document.settings.env.config
    node = verdict_node(claim_id, loaded_verdicts(config.ledger_results_loader))
    if node is None:
        message = inliner.reporter.warning(
            f"{{verdict}}: no claim or alias {claim_id!r} in relu_notes/ledger/claims.yml",
            line=lineno,
        )
        problem = inliner.problematic(rawtext, rawtext, message)
        return [problem], [message]
    return [node], []


def _warn_without_loader(app, config):
    if not config.ledger_results_loader:
        logger.warning(
            "ledger_role: ledger_results_loader is not set, so every measured claim's "
            "{verdict} reads 'not tested'"
        )


def setup(app):
    app.add_config_value("ledger_results_loader", "", "env")
    app.add_role("verdict", verdict_role)
    app.connect("config-inited", _warn_without_loader)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
