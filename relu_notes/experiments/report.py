"""Plain-text tables of experiment summaries, for printing in the book's cells."""


def format_table(rows):
    """Align ``rows`` (dicts with the same keys, e.g. a result's ``summary()``) as a text table.

    The header holds the keys; every value is shown with ``str`` (summaries round their floats),
    numbers right-aligned and everything else left-aligned.
    """
    if not rows:
        return ""
    keys = list(rows[0])
    cells = [[str(r[k]) for k in keys] for r in rows]
    widths = [max(len(k), *(len(c[i]) for c in cells)) for i, k in enumerate(keys)]
    numeric = [all(isinstance(r[k], int | float) for r in rows) for k in keys]

    def line(values):
        return "  ".join(
            v.rjust(w) if num else v.ljust(w)
            for v, w, num in zip(values, widths, numeric, strict=True)
        ).rstrip()

    return "\n".join([line(keys), line(["-" * w for w in widths]), *(line(c) for c in cells)])
