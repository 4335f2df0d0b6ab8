"""relu_notes.experiments.comparison: the notes' table, and the same table with its verdicts."""

from relu_notes.experiments.comparison import (
    NOTES_COLUMNS,
    NOTES_TABLE,
    notes_table_claims,
    render_notes_table,
)
from relu_notes.ledger.claims import claims


def test_every_claim_that_quotes_a_table_cell_is_found():
    quoted = notes_table_claims()
    by_id = {c.id: c for c in claims()}
    for (feature, column), claim_id in quoted.items():
        value = NOTES_TABLE[feature][NOTES_COLUMNS.index(column)]
        assert value.split()[-1] in by_id[claim_id].bn, (feature, column, claim_id)
    # The dead-neuron row and the speed row are claims in every column.
    for feature in ("Dead neuron", "Speed"):
        assert all((feature, column) in quoted for column in NOTES_COLUMNS)


def test_table_shows_each_cells_own_verdict():
    quoted = notes_table_claims()
    verdicts = {claim_id: f"verdict-{claim_id}" for claim_id in quoted.values()}
    lines = render_notes_table(verdicts).splitlines()
    assert lines[0] == "| Feature | ReLU | Leaky ReLU | PReLU |"
    rows = {
        line.split(" | ")[0].strip("| "): line.strip("| ").split(" | ")[1:] for line in lines[2:]
    }
    for (feature, column), claim_id in quoted.items():
        value = NOTES_TABLE[feature][NOTES_COLUMNS.index(column)]
        assert rows[feature][NOTES_COLUMNS.index(column)] == f"{value}: *verdict-{claim_id}*"
    unquoted = [(f, c) for f in NOTES_TABLE for c in NOTES_COLUMNS if (f, c) not in quoted]
    for feature, column in unquoted:
        assert "*" not in rows[feature][NOTES_COLUMNS.index(column)]


def test_table_without_verdicts_is_the_notes_table():
    assert "*" not in render_notes_table()
    assert render_notes_table().count("\n") == len(NOTES_TABLE) + 1
