import dataclasses

import numpy as np
import pytest

from relu_notes.experiments import ledger


@pytest.fixture(scope="module")
def results():
    return ledger.run_all(quick=True)


@pytest.fixture(scope="module")
def rows(results):
    return ledger.build_ledger(results)


def test_every_claim_gets_a_verdict(rows):
    assert len(rows) >= 20
    assert len({r["id"] for r in rows}) == len(rows)
    for r in rows:
        assert r["verdict"] in ledger.VERDICTS, r
        assert r["measured"] and r["claim"] and r["tested_by"] and r["chapter"]


def test_all_table_cells_and_note_lines_present(rows):
    ids = {r["id"] for r in rows}
    assert {f"T{i}" for i in range(1, 16)} <= ids
    for r in rows:
        if not r["id"].startswith("X"):
            assert r["original"], r["id"]
    originals = " ".join(r["original"] for r in rows)
    for phrase in ("Gradient কখনোই 0 হয় না", "Optimal α সব dataset-এর জন্য same না",
                   "Extra parameter ⇒ overfitting risk", "Very good for deep CNNs"):
        assert phrase in originals


def test_missing_results_are_not_measured():
    rows = ledger.build_ledger({})
    by_id = {r["id"]: r for r in rows}
    assert by_id["T4"]["verdict"] == ledger.MISSING
    assert by_id["R1"]["verdict"] == ledger.HOLDS  # measured directly on the functions
    assert by_id["T9"]["verdict"] == ledger.HOLDS


def test_verdicts_follow_the_data(results):
    dying = results["dying"]
    no_dead = dataclasses.replace(dying, dead_fraction=np.zeros_like(dying.dead_fraction),
                                  dead_fraction_layers=np.zeros_like(dying.dead_fraction_layers))
    all_dead = dataclasses.replace(dying, dead_fraction=np.ones_like(dying.dead_fraction),
                                   dead_fraction_layers=np.ones_like(dying.dead_fraction_layers))
    claims = {c.id: c for c in ledger.CLAIMS}
    assert claims["T4"].evaluate({"dying": no_dead})[1] == ledger.FAILS
    assert claims["T4"].evaluate({"dying": all_dead})[1] == ledger.HOLDS
    assert claims["T5"].evaluate({"dying": all_dead})[1] == ledger.FAILS
    assert claims["T6"].evaluate({"dying": no_dead})[1] == ledger.HOLDS

    ov = results["overfitting"]
    gap_up = ov.train_acc.copy()
    test = ov.test_acc.copy()
    test[2, 0] = test[0, 0] - 0.2  # PReLU much worse than ReLU on the smallest set
    worse = dataclasses.replace(ov, train_acc=gap_up, test_acc=test)
    assert claims["P9"].evaluate({"overfitting": worse})[1] == ledger.HOLDS
    assert claims["P7"].evaluate({"overfitting": worse})[1] == ledger.HOLDS
    better = dataclasses.replace(ov, test_acc=np.where(np.arange(3)[:, None, None] == 2,
                                                        ov.train_acc, ov.test_acc))
    assert claims["P9"].evaluate({"overfitting": better})[1] == ledger.FAILS


def test_speed_rule_uses_ratios(results):
    sp = results["speed"]
    claims = {c.id: c for c in ledger.CLAIMS}
    slow = dataclasses.replace(sp, copy_seconds=1.0,
                               forward_seconds={"relu": 1.0, "leaky_relu": 1.0, "prelu": 1.5},
                               backward_seconds={"relu": 1.0, "leaky_relu": 1.0, "prelu": 1.5})
    assert claims["T10"].evaluate({"speed": slow})[1] == ledger.HOLDS
    assert claims["T12"].evaluate({"speed": slow})[1] == ledger.HOLDS
    assert claims["P8"].evaluate({"speed": slow})[1] == ledger.HOLDS
    same = dataclasses.replace(slow, forward_seconds=dict.fromkeys(slow.forward_seconds, 1.0),
                               backward_seconds=dict.fromkeys(slow.forward_seconds, 1.0))
    assert claims["P8"].evaluate({"speed": same})[1] == ledger.FAILS


def test_renderers(rows):
    md = ledger.render_markdown(rows)
    assert md.count("\n") == len(rows) + 1
    assert "| id | claim |" in md
    html = ledger.render_html(rows)
    assert html.count("<tr>") == len(rows) + 1
    assert "verdict-holds" in html
    weird = [dict(rows[0], claim="a < b | c")]
    assert "a &lt; b | c" in ledger.render_html(weird)
    assert "a < b \\| c" in ledger.render_markdown(weird)
    counts = ledger.verdict_counts(rows)
    assert sum(counts.values()) == len(rows)


def test_comparison_table(results):
    table = ledger.comparison_table(results)
    assert [r["feature"] for r in table] == list(ledger.NOTES_TABLE)
    assert all("not measured" not in str(v) for r in table for v in r.values())
    md = ledger.render_comparison_markdown(table)
    assert md.count("\n") == len(table) + 1 and "High →" in md
    assert "not measured" in str(ledger.comparison_table({}))
