"""The {verdict} role (book/_ext/ledger_role.py) prints a claim's verdict from the ledger."""

import importlib.util
import sys
import types
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

pytest.importorskip("sphinx")
from docutils import nodes  # noqa: E402
from docutils.core import publish_doctree  # noqa: E402
from docutils.parsers.rst import roles  # noqa: E402

from relu_notes import ledger  # noqa: E402
from relu_notes.ledger import synthetic as syn  # noqa: E402

EXTENSION = Path(__file__).resolve().parents[1] / "book" / "_ext" / "ledger_role.py"


@pytest.fixture(scope="module")
def role():
    spec = importlib.util.spec_from_file_location("ledger_role", EXTENSION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture()
def loader(monkeypatch):
    """A ``module:function`` loader of synthetic results (every T4 seed 30% dead)."""

    def draw(key):
        return np.full(5, 0.3) if key[0] == "natural_dying" else np.full(5, 0.5)

    module = types.ModuleType("fake_stored_results")
    module.load_results = lambda: syn.fake_results(draw)
    monkeypatch.setitem(sys.modules, "fake_stored_results", module)
    return "fake_stored_results:load_results"


def render(role, text, loader):
    roles.register_local_role("verdict", role.verdict_role)
    env = SimpleNamespace(config=SimpleNamespace(ledger_results_loader=loader))
    doctree = publish_doctree(
        text, settings_overrides={"env": env, "report_level": 5, "halt_level": 5}
    )
    return doctree


def test_the_role_prints_the_ledgers_verdict(role, loader):
    doctree = render(
        role, "ReLU's dead fraction is high: :verdict:`T4`; alias :verdict:`T6`.", loader
    )
    inline = [n for n in doctree.findall(nodes.inline) if "ledger-verdict" in n["classes"]]
    texts = [n.astext() for n in inline]
    expected = ledger.verdict_table(role.load_results(loader))
    assert texts == [expected["T4"], expected["T6"]] and texts[0] == ledger.HOLDS
    assert "ledger-verdict-holds" in inline[0]["classes"]


def test_an_unknown_id_is_reported(role, loader):
    doctree = render(role, "Nothing: :verdict:`Z9`.", loader)
    assert any(n.tagname == "problematic" for n in doctree.findall())
    assert role.verdict_node("Z9", {"T4": "holds"}) is None


def test_without_a_loader_definitions_still_resolve(role):
    table = role.loaded_verdicts("")
    assert table["T7"] == ledger.DEFINITION and table["T4"] == ledger.NOT_TESTED
    assert table["L2"] == ledger.FAILS  # false as stated, as chapter 2 says
