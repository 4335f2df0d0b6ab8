"""The notes' comparison table, filled in with what one network measured.

Every measured row comes from the same network: the natural-training runs of
:mod:`relu_notes.experiments.natural_dying` (64-64 hidden units on the UCI digits) at Adam's
highest learning rate, the setting the ledger judges the dead-neuron claims in (fixed before the
runs, not chosen for its result). The parameter counts are those of that network. Only the speed
row comes from elsewhere: timings of the activations alone (:mod:`relu_notes.experiments.speed`).
"""

import numpy as np

from relu_notes.experiments.arms import ARMS, arm
from relu_notes.functional import ACTIVATION_LABELS, ACTIVATIONS
from relu_notes.ledger.claims import claims
from relu_notes.ledger.render import markdown_table

NOTES_TABLE = {
    "Negative slope": ("0", "Fixed (0.01)", "Learnable"),
    "Dead neuron": ("High", "Low", "Very low"),
    "Parameters": ("None", "None", "Extra α"),
    "Speed": ("Very fast", "Very fast", "Fast"),
    "Flexibility": ("Low", "Medium", "High"),
}
"""The notes' table: feature -> (ReLU, Leaky ReLU, PReLU)."""

NOTES_COLUMNS = tuple(ACTIVATION_LABELS[name] for name in ACTIVATIONS)
"""The notes' three columns."""

SPEED_OF = {"relu": "relu", "leaky_0.01": "leaky_relu", "leaky_0.25": "leaky_relu"}


def _extra_parameters(sizes):
    counts = {a.name: a.model(sizes, seed=0).n_parameters() for a in ARMS}
    return {name: count - counts["relu"] for name, count in counts.items()}


def _slope(a):
    if a.activation == "prelu":
        return f"starts at {a.slope:g}, learned"
    return "0" if a.slope == 0 else f"{a.slope:g}, fixed"


def _knobs(a, extra):
    if a.activation == "prelu":
        return f"{extra} learned (one per hidden unit)"
    return "none" if a.slope == 0 else "1, set by hand"


def dead_shares(natural, optimizer="adam"):
    """``{arm name: share of dead units at the end, one per seed}`` at the optimiser's highest
    learning rate: the row "Dead neuron" of :func:`comparison_table`."""
    rate = natural.lrs[optimizer][-1]
    return {
        name: np.asarray(natural.final_dead(optimizer, rate, name), dtype=float)
        for name in natural.arms
    }


def _dead(values):
    return f"{values.mean():.1%} (seeds {values.min():.1%} to {values.max():.1%})"


def comparison_table(natural, speed=None, optimizer="adam"):
    """Rows ``{"feature", "timed", <arm name>: measured text}`` for every arm of ``ARMS``."""
    sizes = (64, *natural.hidden, 10)
    dead = dead_shares(natural, optimizer)
    extra = _extra_parameters(sizes)
    rows = {
        "Negative slope": {a.name: _slope(a) for a in ARMS},
        "Dead neuron": {a.name: _dead(dead[a.name]) for a in ARMS},
        "Parameters": {a.name: f"+{extra[a.name]}" for a in ARMS},
        "Speed": {
            a.name: (
                f"{speed.total_ratio(SPEED_OF.get(a.name, 'prelu')):.1f}x a copy"
                if speed is not None
                else "not measured"
            )
            for a in ARMS
        },
        "Flexibility": {a.name: _knobs(a, extra[a.name]) for a in ARMS},
    }
    return [{"feature": f, "timed": f == "Speed", **cells} for f, cells in rows.items()]


def notes_table_claims():
    """``{(feature, column): claim id}`` for the cells of the notes' table that a ledger claim
    quotes: a claim whose notes' words end in "Feature | Column | value" (``claims.yml``)."""
    found = {}
    for c in claims():
        quote = [part.strip() for part in c.bn.split(" / ")[-1].split("|")]
        if len(quote) == 3 and quote[0] in NOTES_TABLE and quote[1] in NOTES_COLUMNS:
            found[(quote[0], quote[1])] = c.id
    return found


def render_notes_table(verdicts=None):
    """The notes' table as Markdown (ReLU, Leaky ReLU, PReLU).

    With ``verdicts`` (``{claim id: verdict}``, e.g. :func:`relu_notes.ledger.verdict_table`), a
    cell that a claim quotes also shows that claim's verdict: "High: *holds*".
    """
    quoted = notes_table_claims() if verdicts is not None else {}
    rows = []
    for feature, cells in NOTES_TABLE.items():
        shown = []
        for column, value in zip(NOTES_COLUMNS, cells, strict=True):
            claim = quoted.get((feature, column))
            shown.append(f"{value}: *{verdicts[claim]}*" if claim else value)
        rows.append((feature, *shown))
    return markdown_table(("Feature", *NOTES_COLUMNS), rows)


def render_comparison(rows, timed=None):
    """The measured table as Markdown, one column per arm; ``timed`` selects the Speed row
    (True), the other rows (False) or all (None)."""
    header = ("Feature", *(arm(a.name).label for a in ARMS))
    body = [
        (row["feature"], *(row[a.name] for a in ARMS))
        for row in rows
        if timed is None or row["timed"] == timed
    ]
    return markdown_table(header, body)
