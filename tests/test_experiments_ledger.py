import dataclasses
from pathlib import Path

import numpy as np
import pytest

from relu_notes.experiments import ledger


@pytest.fixture(scope="module")
def rows(quick_results):
    return ledger.build_ledger(quick_results)


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
    for phrase in (
        "Gradient কখনোই 0 হয় না",
        "Optimal α সব dataset-এর জন্য same না",
        "Extra parameter ⇒ overfitting risk",
        "Very good for deep CNNs",
    ):
        assert phrase in originals


def test_missing_results_are_not_measured():
    rows = ledger.build_ledger({})
    by_id = {r["id"]: r for r in rows}
    assert by_id["T4"]["verdict"] == ledger.MISSING
    assert by_id["R1"]["verdict"] == ledger.HOLDS  # measured directly on the functions
    assert by_id["T9"]["verdict"] == ledger.HOLDS


def test_verdicts_follow_the_data(quick_results):
    dying = quick_results["dying"]
    no_dead = dataclasses.replace(
        dying,
        dead_fraction=np.zeros_like(dying.dead_fraction),
        dead_fraction_layers=np.zeros_like(dying.dead_fraction_layers),
    )
    all_dead = dataclasses.replace(
        dying,
        dead_fraction=np.ones_like(dying.dead_fraction),
        dead_fraction_layers=np.ones_like(dying.dead_fraction_layers),
    )
    claims = {c.id: c for c in ledger.CLAIMS}
    assert claims["T4"].evaluate({"dying": no_dead})[1] == ledger.FAILS
    assert claims["T4"].evaluate({"dying": all_dead})[1] == ledger.HOLDS
    assert claims["T5"].evaluate({"dying": all_dead})[1] == ledger.FAILS
    assert claims["T6"].evaluate({"dying": no_dead})[1] == ledger.HOLDS

    ov = quick_results["overfitting"]
    gap_up = ov.train_acc.copy()
    test = ov.test_acc.copy()
    test[2, 0] = test[0, 0] - 0.2  # PReLU much worse than ReLU on the smallest set
    worse = dataclasses.replace(ov, train_acc=gap_up, test_acc=test)
    assert claims["P9"].evaluate({"overfitting": worse})[1] == ledger.HOLDS
    assert claims["P7"].evaluate({"overfitting": worse})[1] == ledger.HOLDS
    better = dataclasses.replace(
        ov, test_acc=np.where(np.arange(3)[:, None, None] == 2, ov.train_acc, ov.test_acc)
    )
    assert claims["P9"].evaluate({"overfitting": better})[1] == ledger.FAILS


def test_speed_rule_uses_ratios(quick_results):
    sp = quick_results["speed"]
    claims = {c.id: c for c in ledger.CLAIMS}
    slow = dataclasses.replace(
        sp,
        copy_seconds=1.0,
        forward_seconds={"relu": 1.0, "leaky_relu": 1.0, "prelu": 1.5},
        backward_seconds={"relu": 1.0, "leaky_relu": 1.0, "prelu": 1.5},
    )
    assert claims["T10"].evaluate({"speed": slow})[1] == ledger.HOLDS
    assert claims["T12"].evaluate({"speed": slow})[1] == ledger.HOLDS
    assert claims["P8"].evaluate({"speed": slow})[1] == ledger.HOLDS
    same = dataclasses.replace(
        slow,
        forward_seconds=dict.fromkeys(slow.forward_seconds, 1.0),
        backward_seconds=dict.fromkeys(slow.forward_seconds, 1.0),
    )
    assert claims["P8"].evaluate({"speed": same})[1] == ledger.FAILS


@pytest.mark.parametrize(
    ("leaky_seconds", "copy_seconds", "verdict"),
    [
        (1.2, 1.0, ledger.HOLDS),  # 2.4 copies, 1.2x ReLU
        (1.8, 1.0, ledger.CAVEAT),  # 3.6 copies (very fast) but 1.8x ReLU
        (1.2, 0.3, ledger.CAVEAT),  # 1.2x ReLU but 8 copies
        (1.8, 0.3, ledger.FAILS),  # 12 copies and 1.8x ReLU
    ],
)
def test_very_fast_rule_is_graded(quick_results, leaky_seconds, copy_seconds, verdict):
    claims = {c.id: c for c in ledger.CLAIMS}
    timed = dataclasses.replace(
        quick_results["speed"],
        copy_seconds=copy_seconds,
        forward_seconds={"relu": 1.0, "leaky_relu": leaky_seconds, "prelu": 2.0},
        backward_seconds={"relu": 1.0, "leaky_relu": leaky_seconds, "prelu": 2.0},
    )
    assert claims["T11"].evaluate({"speed": timed})[1] == verdict
    assert claims["L5"].evaluate({"speed": timed})[1] == verdict


def test_renderers(rows):
    md = ledger.render_markdown(rows)
    assert md.count("\n") == len(rows) + 1
    assert md.startswith("| id | claim (the notes' words) | tested in |")
    first = md.splitlines()[2]
    assert "(#relu-convention)" in first and "`relu`" in first
    weird = [dict(rows[0], claim="a < b | c", verdict=ledger.FAILS)]
    line = ledger.render_markdown(weird).splitlines()[2]
    assert "a < b \\| c" in line and f"**{ledger.FAILS}**" in line
    timed = [dict(rows[0], verdict=ledger.HOLDS, timed=True)]
    assert ledger.render_markdown(timed).endswith(f"| {ledger.HOLDS} (timed) |")
    counts = ledger.verdict_counts(rows)
    assert sum(counts.values()) == len(rows)


def test_every_claim_points_to_a_labelled_book_section(rows):
    book = Path(__file__).resolve().parents[1] / "book"
    targets = "".join(p.read_text(encoding="utf-8") for p in book.glob("*.ipynb"))
    for label, (chapter, _) in ledger.SECTIONS.items():
        assert chapter in ledger.CHAPTERS
        assert f"({label})=" in targets, label
    for r in rows:
        assert r["label"] in ledger.SECTIONS and f"(#{r['label']})" in r["where"]


def test_needs_lists_every_experiment_a_verdict_uses(quick_results):
    for claim in ledger.CLAIMS:
        only = {name: quick_results[name] for name in claim.needs}
        assert claim.evaluate(only) == claim.evaluate(quick_results), claim.id
        for name in claim.needs:
            missing = {k: v for k, v in quick_results.items() if k != name}
            assert claim.evaluate(missing)[1] == ledger.MISSING, (claim.id, name)


def test_only_timed_rows_depend_on_timings(quick_results, rows):
    sp = quick_results["speed"]
    other = dataclasses.replace(
        sp,
        copy_seconds=sp.copy_seconds * 7,
        backward_seconds={"relu": 1.0, "leaky_relu": 2.0, "prelu": 3.0},
    )
    again = ledger.build_ledger(dict(quick_results, speed=other))
    assert ledger.select(again, timed=False) == ledger.select(rows, timed=False)
    assert ledger.select(again, timed=True) != ledger.select(rows, timed=True)
    assert {r["id"] for r in ledger.select(rows, timed=True)} == {"L5", "P8", "T10", "T11", "T12"}
    assert ledger.select(rows) == rows


def test_comparison_table(quick_results):
    table = ledger.comparison_table(quick_results)
    assert [r["feature"] for r in table] == list(ledger.NOTES_TABLE)
    assert all("not measured" not in str(v) for r in table for v in r.values())
    assert [r["feature"] for r in table if r["timed"]] == ["Speed"]
    both = ledger.render_comparison_markdown(table, column="both")
    assert both.count("\n") == len(table) + 1 and "High →" in both
    notes = ledger.render_comparison_markdown(table, column="notes", timed=False)
    assert "Very fast" not in notes and "| Dead neuron | High | Low | Very low |" in notes
    measured = ledger.render_comparison_markdown(table, timed=True)
    assert measured.count("\n") == 2 and "x copy" in measured
    assert "not measured" in str(ledger.comparison_table({}))
