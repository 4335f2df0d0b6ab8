from relu_notes.experiments.report import format_table


def test_format_table_aligns_columns():
    rows = [
        {"activation": "relu", "dead": 0.25, "tied": (0.0, 0.1)},
        {"activation": "leaky_relu", "dead": 0.0, "tied": ()},
    ]
    lines = format_table(rows).splitlines()
    assert lines[0].split() == ["activation", "dead", "tied"]
    assert set(lines[1].replace(" ", "")) == {"-"}
    assert lines[2].startswith("relu        ") and "(0.0, 0.1)" in lines[2]
    assert lines[2].index("0.25") + 4 == lines[3].index("0.0") + 3  # numbers right-aligned
    assert len(lines[1]) == max(len(line) for line in lines)


def test_format_table_empty():
    assert format_table([]) == ""
