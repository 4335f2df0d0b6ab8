"""Stored results: staleness and tolerance checks (with a tiny fake experiment)."""

import json
import math
from dataclasses import dataclass

import pytest

from relu_notes.experiments import stored


@dataclass
class _Result:
    values: list

    def to_dict(self):
        return {"values": self.values}

    @classmethod
    def from_dict(cls, data):
        return cls(data["values"])


def _run(*, n=3, seeds=(0, 1)):
    return _Result([0.1 * i for i in range(n)])


@pytest.fixture
def entry(tmp_path, monkeypatch):
    entry = stored.Stored("fake", _run, _Result)
    monkeypatch.setattr(stored.Stored, "path", property(lambda self: tmp_path / "fake.json"))
    return entry


def test_saved_results_load_back(entry):
    stored.save(entry, _run(), {"cpu": "test"})
    assert stored.staleness(entry, stored.read(entry)) == []
    assert stored.load(entry).values == _run().values
    document = json.loads(entry.path.read_text())
    assert document["settings"] == {"n": 3, "seeds": [0, 1]}


def test_missing_file_is_stale(entry):
    assert "does not exist" in stored.staleness(entry, None)[0]
    with pytest.raises(RuntimeError, match="not usable"):
        stored.load(entry)


def test_changed_defaults_make_the_file_stale(entry):
    stored.save(entry, _run(), {})
    document = stored.read(entry)
    document["settings"]["n"] = 4
    assert "not the runner's defaults" in stored.staleness(entry, document)[0]
    document = stored.read(entry)
    document["format"] = stored.FORMAT + 1
    assert "file format" in stored.staleness(entry, document)[0]


def test_differences_within_and_beyond_tolerance():
    a = {"x": [0.5, 0.25], "name": "relu", "n": 3}
    assert stored.differences(a, {"x": [0.51, 0.25], "name": "relu", "n": 3}) == []
    (problem,) = stored.differences(a, {"x": [0.53, 0.25], "name": "relu", "n": 3})
    assert problem.startswith("result.x[0]")
    assert stored.differences(a, {"x": [0.5], "name": "relu", "n": 3})  # length
    assert stored.differences(a, {"x": [0.5, 0.25], "name": "prelu", "n": 3})  # text
    assert stored.differences(a, {"x": [0.5, 0.25], "name": "relu"})  # keys


def test_nan_matches_only_nan():
    assert stored.differences([math.nan], [math.nan]) == []
    assert stored.differences([math.nan], [0.0])
    assert stored.differences([True], [1])  # a flag is not a number


def test_largest_difference():
    a = {"x": [0.5, 0.25], "y": 1.0}
    assert stored.largest_difference(a, {"x": [0.53, 0.25], "y": 1.01}) == pytest.approx(0.03)
    assert stored.largest_difference(a, a) == 0.0
    assert stored.largest_difference([1.0], [1.0, 2.0]) == 0.0  # other layout: not compared
