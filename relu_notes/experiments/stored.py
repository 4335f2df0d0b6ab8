"""Stored results: experiments too slow for a chapter are run once and read from a data file.

A chapter must run top to bottom in seconds, but some experiments (the learning-rate sweep of
natural dying: four arms, five seeds, ten rates, each run until it settles) take minutes. Their
results live in ``relu_notes/results/<name>.json``, next to the settings that made them and
the environment they ran in. Chapters call :func:`load`; ``make test`` runs
``scripts/refresh_results.py --check``, which runs each experiment again with the stored
settings and fails when a number moved by more than :data:`TOLERANCE`, or when the stored
settings are not the experiment's current defaults (a stale file).

Runs on another CPU may take other BLAS code paths, so the numbers need not agree to the bit:
:data:`TOLERANCE` is the largest difference accepted. Counts and flags (epochs run, settled,
diverged) must match exactly: a run that settles at another epoch is another result, and the
check says so. ``--write`` refreshes the files.
"""

import inspect
import json
import math
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from relu_notes.experiments.serial import plain

FORMAT = 1
"""Version of the file layout; a file of another version is stale."""

TOLERANCE = 0.02
"""Largest accepted difference between a stored and a fresh number (fractions and accuracies
lie in [0, 1], so 0.02 is two percentage points: about one test example of a few hundred)."""


@dataclass(frozen=True)
class Stored:
    """One stored experiment: its runner and the result class that reads its dictionary."""

    name: str
    run: object
    result_type: type

    @property
    def path(self):
        return Path(str(resources.files("relu_notes") / "results" / f"{self.name}.json"))

    def default_settings(self):
        """The runner's keyword defaults: what a chapter's call without arguments runs."""
        parameters = inspect.signature(self.run).parameters.values()
        return {p.name: plain(p.default) for p in parameters if p.default is not p.empty}


def save(entry, result, environment):
    """Write ``result`` (made with the runner's defaults) and its provenance to the file."""
    document = {
        "format": FORMAT,
        "experiment": entry.name,
        "settings": entry.default_settings(),
        "environment": environment,
        "result": result.to_dict(),
    }
    entry.path.parent.mkdir(parents=True, exist_ok=True)
    entry.path.write_text(json.dumps(document, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def read(entry):
    """The stored document (a dict), or None when there is no file."""
    if not entry.path.exists():
        return None
    return json.loads(entry.path.read_text(encoding="utf-8"))


def load(entry):
    """The stored result of ``entry`` as a result object (raises if missing or stale)."""
    problems = staleness(entry, read(entry))
    if problems:
        raise RuntimeError(f"stored results of {entry.name} are not usable: {problems[0]}")
    return entry.result_type.from_dict(read(entry)["result"])


def staleness(entry, document):
    """Why the stored document cannot stand for the current code (empty when it can)."""
    if document is None:
        return [f"{entry.path.name} does not exist: run scripts/refresh_results.py --write"]
    problems = []
    if document.get("format") != FORMAT:
        problems.append(f"file format {document.get('format')} is not {FORMAT}")
    if document.get("settings") != entry.default_settings():
        problems.append(
            "the stored settings are not the runner's defaults any more: "
            f"stored {document.get('settings')}, defaults {entry.default_settings()}"
        )
    return problems


def differences(stored, fresh, tolerance=TOLERANCE, where="result"):
    """Places where two result dictionaries differ: numbers by more than ``tolerance``,
    anything else (keys, lengths, strings) at all. Empty when they agree."""
    if isinstance(stored, dict) and isinstance(fresh, dict):
        if stored.keys() != fresh.keys():
            return [f"{where}: keys {sorted(stored)} != {sorted(fresh)}"]
        return [
            d
            for key in stored
            for d in differences(stored[key], fresh[key], tolerance, f"{where}.{key}")
        ]
    if isinstance(stored, list) and isinstance(fresh, list):
        if len(stored) != len(fresh):
            return [f"{where}: length {len(stored)} != {len(fresh)}"]
        return [
            d
            for i, (s, f) in enumerate(zip(stored, fresh, strict=True))
            for d in differences(s, f, tolerance, f"{where}[{i}]")
        ]
    if isinstance(stored, bool) or isinstance(fresh, bool):  # a flag, not the number 0 or 1
        same = type(stored) is type(fresh) and stored == fresh
        return [] if same else [f"{where}: stored {stored!r}, fresh {fresh!r}"]
    if _number(stored) and _number(fresh):
        if _same_number(stored, fresh, tolerance):
            return []
        return [f"{where}: stored {stored}, fresh {fresh} (tolerance {tolerance})"]
    return [] if stored == fresh else [f"{where}: stored {stored!r}, fresh {fresh!r}"]


def _number(value):
    return isinstance(value, int | float) and not isinstance(value, bool)


def _same_number(a, b, tolerance):
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return abs(a - b) <= tolerance


def largest_difference(stored, fresh):
    """The largest difference between numbers at the same place of two result dictionaries
    (the parts where the two have the same layout); 0.0 when no number differs."""
    if isinstance(stored, dict) and isinstance(fresh, dict):
        pairs = [(stored[k], fresh[k]) for k in stored.keys() & fresh.keys()]
    elif isinstance(stored, list) and isinstance(fresh, list) and len(stored) == len(fresh):
        pairs = list(zip(stored, fresh, strict=True))
    elif _number(stored) and _number(fresh) and not (math.isnan(stored) or math.isnan(fresh)):
        return abs(stored - fresh)
    else:
        return 0.0
    return max((largest_difference(s, f) for s, f in pairs), default=0.0)


def entries():
    """The stored experiments: every experiment whose result is not a timing.

    The natural-dying sweep takes about a minute, so chapters read it from its file; the others
    run live in their chapters too. The ledger (and the verdicts in the chapters' prose) reads
    all of them from the files, so the site states the verdicts of the checked, stored runs.
    """
    from relu_notes.experiments import suite

    return [
        Stored(name, suite.RUNNERS[name], result_type)
        for name, result_type in suite.RESULT_TYPES.items()
        if name not in suite.TIMED
    ]


def entry(name):
    """The stored experiment called ``name``."""
    for candidate in entries():
        if candidate.name == name:
            return candidate
    raise ValueError(f"no stored experiment {name!r}")
