"""The claims table (relu_notes/ledger/claims.yml): each claim once, old ids reachable."""

import pytest

from relu_notes import ledger
from relu_notes.ledger.rules import RULES

OLD_IDS = (
    ["R1", "R2", "R3"]
    + [f"L{i}" for i in range(1, 9)]
    + [f"P{i}" for i in range(1, 10)]
    + [f"T{i}" for i in range(1, 16)]
    + [f"X{i}" for i in range(1, 5)]
)

DUPLICATES = {"R2": "R1", "T2": "L1", "P5": "P1", "T3": "P1", "T15": "P3", "T6": "P4", "X4": "P7"}
"""The duplicates issue 9 lists, folded into one claim each."""

OLD_SECTIONS = {
    "relu-convention",
    "exp-dying",
    "exp-born-dead",
    "leaky-definition",
    "leaky-derivative",
    "leaky-never-zero",
    "exp-alpha-sweep",
    "prelu-derivatives",
    "exp-prelu-alpha",
    "exp-init-gain",
    "exp-overfitting",
    "comparison-definitions",
    "exp-speed",
}
"""The MyST targets the chapters already have (the old ledger's SECTIONS)."""


def test_the_39_old_ids_are_all_reachable():
    assert len(OLD_IDS) == 39
    for old in OLD_IDS:
        assert ledger.resolve(old).id == DUPLICATES.get(old, old)


def test_each_claim_appears_once():
    ids = [c.id for c in ledger.claims()]
    names = ids + [a for c in ledger.claims() for a in c.aliases]
    assert len(names) == len(set(names))
    assert len(ids) == 39 - len(DUPLICATES) + 9 + 1  # nine new claims of issue 9, X5 of issue 10
    assert set(ledger.all_ids()) == set(names)
    with pytest.raises(KeyError, match="no claim"):
        ledger.resolve("Z9")


def test_the_new_claims_of_issue_9_are_there():
    by_id = {c.id: c for c in ledger.claims()}
    natural = [c for c in ledger.claims() if c.result == "natural_dying"]
    assert {"R3", "L3", "N1", "N2", "T4", "T5", "P4", "C4"} <= {c.id for c in natural}
    assert all(c.inputs["at"]["lr"] == "highest" for c in natural)
    assert {by_id[i].inputs["at"]["optimizer"] for i in ("L3", "N1")} == {"adam", "sgd"}
    assert by_id["D1"].inputs["at"] == {"optimizer": "sgd"}
    assert by_id["D2"].inputs["at"] == {"optimizer": "adam"}
    controls = [c for c in ledger.claims() if "leaky_0.25" in c.inputs.values()]
    assert {c.id for c in controls} == {"C1", "C2", "C3", "C4", "P7"}
    assert "leaky_0.25" in by_id["P3"].inputs["fixed"]


def test_fields_sections_and_bases():
    sections = ledger.sections()
    assert OLD_SECTIONS <= set(sections)
    for c in ledger.claims():
        assert c.basis in ledger.BASES and c.rule in RULES, c.id
        assert c.section in sections and sections[c.section]["chapter"] in ledger.chapters()
        assert c.en.strip() and c.origin.strip(), c.id
        if c.origin.startswith(("notes", "the notes")):
            assert c.bn.strip(), f"{c.id}: the notes' Bengali words are missing"
        assert (c.basis == "definition") == (c.rule == "definition"), c.id
        if c.basis != "definition":
            assert c.result, c.id


def test_the_notes_words_are_kept():
    words = " / ".join(c.bn for c in ledger.claims())
    for phrase in (
        "Gradient কখনোই 0 হয় না",
        "Optimal α সব dataset-এর জন্য same না",
        "Extra parameter ⇒ overfitting risk",
        "Very good for deep CNNs",
        "neuron dead হয়ে যেতে পারে (আর শেখে না)",
    ):
        assert phrase in words


def test_definitions_are_the_ones_issue_9_names():
    definitions = {c.id for c in ledger.claims() if c.basis == "definition"}
    assert {"R1", "L1", "L4", "L7", "P2", "T1", "T7", "T8", "T9"} <= definitions
    assert {"T13", "L2", "X2"} <= definitions
    timed = {c.id for c in ledger.claims() if c.basis == "timed"}
    assert timed == {"L5", "P8", "T10", "T11", "T12"}
