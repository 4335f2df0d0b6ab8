"""Thresholds are declared in one file (relu_notes/ledger/thresholds.yml), with a unit, a reason
and a change list, and the rules use exactly the declared ones."""

import numpy as np
import pytest

from relu_notes import ledger
from relu_notes.ledger import synthetic as syn

EVERY_ROW = {name for name, t in ledger.thresholds().items() if t.get("scope") == "every row"}


@pytest.fixture(scope="module")
def used_by_claim():
    """``{claim id: threshold names read}`` over definitions and 100 random scenarios."""
    rng = np.random.default_rng(2)
    scenarios = [syn.random_results(rng) for _ in range(100)]
    used = {}
    for c in ledger.claims():
        names = set()
        for results in scenarios if c.result else [{}]:
            ledger.evaluate(c, results, used=names)
        used[c.id] = names
    return used


def test_every_threshold_has_a_value_a_unit_and_a_reason():
    for name, t in ledger.thresholds().items():
        assert name.isupper() and isinstance(t["value"], int | float), name
        assert t["unit"].strip() and len(t["reason"].split()) >= 5, name
    assert EVERY_ROW == {"CONFIDENCE", "MIN_SEEDS", "MIN_REPEATS"}
    assert ledger.thresholds()["MIN_SEEDS"]["value"] >= 5


@pytest.mark.parametrize("claim", ledger.claims(), ids=lambda c: c.id)
def test_a_rule_reads_exactly_the_thresholds_its_claim_declares(claim, used_by_claim):
    declared = set(claim.thresholds.values())
    assert declared <= set(ledger.thresholds())
    assert used_by_claim[claim.id] - EVERY_ROW == declared


def test_every_declared_threshold_is_used(used_by_claim):
    used = set().union(*used_by_claim.values())
    assert used == set(ledger.thresholds())


def test_a_rule_cannot_read_an_undeclared_threshold():
    from relu_notes.ledger.rules import Context

    ctx = Context(ledger.resolve("T4"), ledger.thresholds())
    assert ctx.threshold("threshold") == ledger.thresholds()["DEAD_HIGH"]["value"]
    with pytest.raises(KeyError):
        ctx.threshold("margin")


def test_the_change_list_records_the_moves_issue_9_reports():
    changes = ledger.changes()
    for c in changes:
        assert {"date", "threshold", "from", "to", "reason"} <= set(c)
        assert len(c["date"]) == 10 and c["reason"].strip()
    moved = {(c["threshold"], c["from"], c["to"]) for c in changes}
    assert ("VERY_FAST_COPIES", "4", "5") in moved
    assert any("caveat" in c["to"] and "does not hold" in c["from"] for c in changes)
    assert any("1M" in c["from"] and "16M" in c["to"] for c in changes)
    post_hoc = [c for c in changes if "after" in c["reason"] and "seen" in c["reason"]]
    assert len(post_hoc) >= 3  # recorded honestly as moved after the results were seen
    dates = [c["date"] for c in changes]
    assert dates == sorted(dates)


def test_the_page_prints_thresholds_and_changes():
    table = ledger.render_thresholds()
    assert table.splitlines()[0] == "| threshold | value | unit | reason | used by |"
    assert len(table.splitlines()) == 2 + len(ledger.thresholds())
    assert "| `DEAD_HIGH` | 0.1 | fraction of hidden units |" in table and "T4" in table
    assert "| `MIN_SEEDS` | 5 | seeds |" in table and "every row" in table
    changes = ledger.render_changes()
    assert changes.splitlines()[0] == "| date | threshold | from | to | reason |"
    assert "| 2026-11-29 | VERY_FAST_COPIES | 4 | 5 |" in changes
