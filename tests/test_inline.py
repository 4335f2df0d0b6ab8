"""Computed values in the prose: relu_notes/inline.py, the kernel side in
scripts/booksite/expressions.py and the website's role in book/_ext/inline_values.py."""

import importlib.util
import sys
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest

from relu_notes import inline
from relu_notes.experiments.suite import stored_results
from relu_notes.ledger import verdict_table

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))

from booksite import expressions  # noqa: E402


def cell(source, stored=None):
    """A Markdown cell with ``stored`` ``{expression: result}`` as its user_expressions."""
    md = nbformat.v4.new_markdown_cell(source)
    if stored is not None:
        md.metadata["user_expressions"] = [
            {"expression": e, "result": r} for e, r in stored.items()
        ]
    return md


def ok(text):
    return {"status": "ok", "data": {"text/plain": text}, "metadata": {}}


ERROR = {"status": "error", "ename": "NameError", "evalue": "x", "traceback": []}


def test_shown_reads_as_its_text_without_quotes():
    value = inline.shown(0.4213, ".1%")
    assert repr(value) == str(value) == "42.1%"
    assert repr(inline.shown(3)) == "3"


@pytest.mark.parametrize(
    ("value", "spec", "text"),
    [(-0.0001, ".2f", "0.00"), (-0.0, "", "0.0"), (-0.004, ".1%", "-0.4%"), (-1.5, ".1f", "-1.5")],
)
def test_shown_drops_the_sign_of_a_rounded_zero(value, spec, text):
    assert inline.shown(value, spec) == text


def test_verdict_is_the_ledgers():
    table = verdict_table(stored_results())
    assert inline.verdict("L3") == table["L3"] and repr(inline.verdict("L3")) == table["L3"]
    with pytest.raises(KeyError):
        inline.verdict("Z99")


def test_expressions_are_found_once_in_order():
    text = 'a {eval}`x` b {eval}`verdict("L3")` c {eval}`x` `{eval}`'
    assert inline.expressions(text) == ["x", 'verdict("L3")']


def test_problems_name_missing_error_and_quoted_values():
    md = cell(
        "{eval}`a` {eval}`b` {eval}`c` {eval}`d`", {"a": ok("1.5"), "b": ERROR, "c": ok("'s'")}
    )
    assert inline.stored_text(md) == {"a": "1.5", "b": None, "c": "'s'"}
    found = inline.problems(md)
    assert [p.split(":")[0] for p in found] == ["b", "c", "d"]
    assert not inline.problems(cell("{eval}`a`", {"a": ok("1.5")}))


def test_store_then_stale_sees_a_changed_value():
    nb = nbformat.v4.new_notebook(cells=[cell("{eval}`a` and {eval}`b`"), cell("none")])
    expressions.store(nb, {"a": ok("1"), "b": ok("2")})
    assert "user_expressions" not in nb.cells[1].metadata
    assert expressions.wanted(nb) == ["a", "b"]
    assert expressions.stale(nb, {"a": ok("1"), "b": ok("2")}) == []
    assert expressions.stale(nb, {"a": ok("1"), "b": ok("3")}) == [
        "cell 0: {eval}`b` stored 2, now 3"
    ]
    assert expressions.unreadable(nb) == []
    nb.cells[0].metadata["tags"] = [expressions.VARIES]  # a timing: its value may change
    assert expressions.stale(nb, {"a": ok("1"), "b": ok("3")}) == []


def test_evaluate_asks_a_real_kernel():
    jupyter_client = pytest.importorskip("jupyter_client")
    km, kc = jupyter_client.manager.start_new_kernel(kernel_name="python3")
    try:
        kc.execute_interactive("from relu_notes.inline import shown\nx = shown(0.25, '.0%')")
        found = expressions.evaluate(kc, ["x", "undefined_name"], timeout=30)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    assert found["x"]["data"]["text/plain"] == "25%"
    assert found["undefined_name"]["status"] == "error"


@pytest.fixture(scope="module")
def role_module():
    path = REPO / "book" / "_ext" / "inline_values.py"
    spec = importlib.util.spec_from_file_location("inline_values", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def render(role_module, text, notebook):
    from docutils.core import publish_doctree
    from docutils.parsers.rst import roles

    roles.register_local_role("eval", role_module.eval_role)
    env = SimpleNamespace(docname="chapter", doc2path=lambda name: str(notebook))
    settings = {"env": env, "report_level": 5, "halt_level": 5}
    return publish_doctree(text, settings_overrides=settings)


def test_the_website_role_prints_the_stored_value(role_module, tmp_path):
    from docutils import nodes

    notebook = tmp_path / "chapter.ipynb"
    nb = nbformat.v4.new_notebook(cells=[cell("{eval}`a`", {"a": ok("42.1%")})])
    nbformat.write(nb, notebook)
    doctree = render(role_module, "Dead: :eval:`a`; missing: :eval:`b`.", notebook)
    values = [n.astext() for n in doctree.findall(nodes.inline) if "inline-value" in n["classes"]]
    assert values == ["42.1%"]
    assert [n.astext() for n in doctree.findall(nodes.problematic)] == [":eval:`b`"]


def test_power_of_ten_and_listed_read_as_a_sentence_writes_them():
    assert inline.power_of_ten(3.05e-6) == "3 × 10⁻⁶" and inline.power_of_ten(2e10) == "2 × 10¹⁰"
    assert repr(inline.listed([0.5, -0.25, 2])) == "0.5, -0.25, 2"
    assert inline.listed([]) == ""
