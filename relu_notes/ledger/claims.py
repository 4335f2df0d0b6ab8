"""The claims and thresholds, read from ``claims.yml`` and ``thresholds.yml`` next to this file.

The files are the single source: a claim's words, section, basis, rule and inputs live in
``claims.yml``; every number a rule may use lives in ``thresholds.yml`` with its unit, a
one-line reason and the list of its changes. This module reads and validates them once.
"""

from dataclasses import dataclass, field
from functools import cache
from importlib import resources

BASES = ("definition", "measured", "timed")
"""How a claim is decided: from a definition or formula (checked on a grid), by a seeded
measurement, or by wall-clock timings (outside the measured tally)."""


@dataclass(frozen=True)
class Claim:
    """One claim of the ledger (fields as in ``claims.yml``)."""

    id: str
    en: str
    bn: str
    origin: str
    section: str
    basis: str
    rule: str
    inputs: dict = field(default_factory=dict)
    thresholds: dict = field(default_factory=dict)
    second: tuple = ()
    note: str = ""
    aliases: tuple = ()

    @property
    def result(self):
        """The result (key of ``results``) the claim needs, or None for definitions."""
        return self.inputs.get("result")


def _load_yaml(name):
    import yaml  # a dependency of the book (requirements.txt); imported only when needed

    text = resources.files("relu_notes.ledger").joinpath(name).read_text(encoding="utf-8")
    return yaml.safe_load(text)


@cache
def _claims_file():
    return _load_yaml("claims.yml")


@cache
def thresholds_file():
    """The parsed ``thresholds.yml``: ``{"thresholds": {name: {value, unit, reason, ...}},
    "changes": [{date, threshold, from, to, reason}, ...]}``."""
    return _load_yaml("thresholds.yml")


def thresholds():
    """``{name: {"value", "unit", "reason"[, "scope"]}}`` for every declared threshold."""
    return thresholds_file()["thresholds"]


def changes():
    """The recorded threshold changes, oldest first."""
    return list(thresholds_file().get("changes") or [])


def _claim(entry):
    entry = dict(entry)
    entry["aliases"] = tuple(entry.get("aliases") or ())
    entry["second"] = tuple(entry.get("second") or ())
    entry["inputs"] = dict(entry.get("inputs") or {})
    entry["thresholds"] = dict(entry.get("thresholds") or {})
    entry["note"] = " ".join(str(entry.get("note") or "").split())
    entry["bn"] = entry.get("bn") or ""
    return Claim(**entry)


@cache
def claims():
    """Every claim, in the order of ``claims.yml`` (each distinct claim once)."""
    loaded = tuple(_claim(e) for e in _claims_file()["claims"])
    _validate(loaded)
    return loaded


def sections():
    """``{label: {"chapter": key, "title": ...}}``: the book sections that test claims; every
    label is a ``(label)=`` MyST target in a chapter."""
    return _claims_file()["sections"]


def chapters():
    """``{key: title}`` of the chapters the sections belong to."""
    return _claims_file()["chapters"]


@cache
def _index():
    index = {}
    for c in claims():
        for name in (c.id, *c.aliases):
            index[name] = c
    return index


def resolve(claim_id):
    """The claim called ``claim_id`` or folded into one under that alias (``"T6"`` -> P4)."""
    try:
        return _index()[claim_id]
    except KeyError:
        raise KeyError(f"no claim or alias {claim_id!r} in the ledger") from None


def all_ids():
    """Every id and alias the ledger answers to."""
    return tuple(_index())


def _validate(loaded):
    from relu_notes.ledger.rules import RULES

    seen, declared = set(), thresholds()
    for c in loaded:
        for name in (c.id, *c.aliases):
            if name in seen:
                raise ValueError(f"claim id {name} appears twice in claims.yml")
            seen.add(name)
        problems = [
            f"basis {c.basis!r}" * (c.basis not in BASES),
            f"rule {c.rule!r}" * (c.rule not in RULES),
            f"section {c.section!r}" * (c.section not in sections()),
            *(f"threshold {t!r}" for t in c.thresholds.values() if t not in declared),
        ]
        problems = [p for p in problems if p]
        if problems:
            raise ValueError(f"claim {c.id} in claims.yml: unknown {', '.join(problems)}")
