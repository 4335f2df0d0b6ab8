"""The ledger page: table columns, timed rows apart, counts, environment."""

import numpy as np

from relu_notes import ledger
from relu_notes.ledger import environment
from relu_notes.ledger import synthetic as syn


def rows():
    return ledger.build(syn.random_results(np.random.default_rng(5)))


def test_table_columns_and_rows():
    table = ledger.render_table(rows())
    lines = table.splitlines()
    assert lines[0] == (
        "| claim (the notes' words) | basis | seeds | effect with 95% interval | verdict |"
    )
    body = lines[2:]
    assert len(body) == sum(c.basis != "timed" for c in ledger.claims())
    assert all(line.count(" | ") == 4 for line in body)  # "|" inside cells is escaped
    p4 = next(line for line in body if line.startswith("| **P4** (also T6)"))
    assert "*Dead neuron প্রায় পুরোপুরি solve" in p4 and "](#exp-natural-dying)" in p4
    assert "| measured | 5 seeds |" in p4 and "[" in p4


def test_timed_rows_sit_apart():
    all_rows = rows()
    timed = ledger.render_table(all_rows, timed=True).splitlines()[2:]
    assert len(timed) == 5 and all("| timed |" in line for line in timed)
    assert "| timed |" not in ledger.render_table(all_rows)
    assert len(ledger.render_table(all_rows, timed=None).splitlines()) == 2 + len(all_rows)


def test_rows_render_without_links():
    table = ledger.render_table(rows(), links=False)
    assert "](#" not in table and "1 · Experiment: dying in natural training" in table


def test_counts_keep_definitions_and_timed_apart():
    all_rows = rows()
    counts = ledger.counts(all_rows)
    assert sum(counts["definition"].values()) == 12
    assert sum(counts["timed"].values()) == 5
    assert sum(counts["measured"].values()) == len(all_rows) - 17
    assert counts["measured"]["true by definition"] == 0
    text = ledger.render_counts(all_rows)
    assert text.splitlines()[0] == "| verdict | measured | definitions (apart) | timed (apart) |"
    assert text.splitlines()[-1] == f"| total | {len(all_rows) - 17} | 12 | 5 |"


def test_missing_results_render_as_not_tested():
    text = ledger.render_counts(ledger.build({}))
    assert "| not tested | 25 | 0 | 5 |" in text


def test_vocabulary_table_lists_the_six_verdicts():
    lines = ledger.render_vocabulary().splitlines()[2:]
    assert [line.split(" | ")[0].strip("| ") for line in lines] == list(ledger.VERDICTS)


def test_environment(tmp_path):
    env = environment.environment()
    assert set(env) == {"commit", "python", "numpy", "blas", "cpu", "machine"}
    assert env["numpy"] == np.__version__ and env["cpu"]
    assert env["commit"] == "unknown" or len(env["commit"].split("+")[0]) == 40
    for lib in env["blas"]:
        assert {"internal_api", "version", "architecture", "num_threads"} == set(lib)
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text("processor\t: 0\nmodel name\t: Test CPU @ 1GHz\n")
    assert environment.cpu_model(cpuinfo) == "Test CPU @ 1GHz"
    assert environment.cpu_model(tmp_path / "absent")  # falls back to platform
    text = ledger.render_environment(
        {
            "commit": "abc",
            "numpy": "2.4",
            "blas": [
                {
                    "internal_api": "openblas",
                    "version": "0.3",
                    "architecture": "Haswell",
                    "num_threads": 2,
                }
            ],
        }
    )
    assert "| commit | `abc` |" in text and "openblas 0.3 (Haswell, 2 threads)" in text
    assert "| CPU | unknown |" in text
    assert text.startswith("| Setting | Value |\n")  # a header a reader can read


def test_commit_is_unknown_outside_git(monkeypatch):
    import subprocess

    def no_git(*args, **kwargs):
        raise FileNotFoundError("git")

    monkeypatch.setattr(subprocess, "run", no_git)
    assert environment.commit() == "unknown"
