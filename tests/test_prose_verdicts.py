"""Verdict words in the chapters' prose come from the ledger, never typed by hand.

A chapter states a verdict with the marker ``{eval}`verdict("ID")``` (an inline expression that
shows the ledger's verdict for claim ID; see relu_notes/inline.py). This test
scans every Markdown cell of book/*.ipynb and fails on a verdict phrase ("holds", "does not
hold", "inconclusive", "holds with caveat", "true by definition", "not tested"; any case, whole
words) typed within relu_notes.ledger.prose.WINDOW characters of a claim id, of a claim's words
or of the word "claim" (see relu_notes/ledger/prose.py).
"""

from pathlib import Path

import pytest

from relu_notes import ledger
from relu_notes.ledger import prose

BOOK = Path(__file__).resolve().parents[1] / "book"
NOTEBOOKS = sorted(BOOK.glob("*.ipynb"))


def _key(offence):
    return (offence.phrase.lower(), offence.mention.lower())


def _found(path):
    return prose.scan_notebook(path)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_verdict_is_typed_by_hand(path):
    offences = _found(path)
    assert not offences, "\n".join(
        f"cell {o.cell}: {o.phrase!r} near {o.mention!r}: ...{o.context}..." for o in offences
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_marker_names_a_claim(path):
    for _, source in prose.markdown_cells(path):
        for claim_id in prose.marker_ids(source):
            ledger.resolve(claim_id)  # KeyError: no such claim or alias


# ---------------------------------------------------------------- the scanner itself
@pytest.mark.parametrize(
    "text",
    [
        "So P4 holds in this setting.",
        "T10 does **not** hold? No: T10 *does not hold here*.",
        "The claim **holds with a caveat**: the best alpha depends on the dataset.",
        "Both claims do not hold in this setting.",
        'So "a ReLU neuron can die and stop learning" holds, and ...',
        "Optimal $\\alpha$ সব dataset-এর জন্য same না: inconclusive with three seeds.",
        "The table says Leaky ReLU greatly reduces the dead neuron problem, which holds.",
        "X1 is TRUE BY DEFINITION? No, L2 is true by definition.",
    ],
)
def test_typed_verdicts_are_found(text):
    assert prose.typed_verdicts(text)


@pytest.mark.parametrize(
    "text",
    [
        'So the notes\' claim is {eval}`verdict("P4")` in this setting.',
        "Leaky ReLU greatly reduces the dead-neuron problem: {eval}`verdict('L3')`.",
        "The weights hold the memory of training; the network holds 3466 parameters.",
        "PReLU `holds` a learned slope (code is not prose): see ```P4 holds```.",
        "A dead unit holds on to nothing. " + "x " * 100 + "Far away: claim P4.",
    ],
)
def test_marked_or_unrelated_text_passes(text):
    assert not prose.typed_verdicts(text)


def test_a_typed_word_next_to_a_marker_is_still_typed():
    assert prose.typed_verdicts('{eval}`verdict("P4")` for Adam, and it holds for SGD too.')
    assert prose.marker_ids('a {eval}`verdict("P4")` b {eval}` verdict( "T6" ) `') == ["P4", "T6"]
