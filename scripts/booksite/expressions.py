"""Evaluate a chapter's inline expressions (``{eval}`name```) in its kernel and store them.

After a chapter's code cells ran in a kernel, :func:`evaluate` asks that kernel for the value of
every ``{eval}`` expression in one ``execute_request`` with ``user_expressions`` (the Jupyter
messaging protocol's field for exactly this). :func:`store` writes the answers into each Markdown
cell's ``user_expressions`` metadata, the format jupyterlab-myst reads; :func:`stale` compares
them with what is stored. See :mod:`relu_notes.inline` for how a chapter uses them.
"""

from __future__ import annotations

from relu_notes.inline import expressions, problems, stored_text


def keyed(wanted: list[str]) -> dict[str, str]:
    """``{key: expression}`` with keys that are valid names (``e0``, ``e1``, ...): the
    ``user_expressions`` of a request."""
    return {f"e{index}": expression for index, expression in enumerate(wanted)}


def by_expression(keys: dict[str, str], found: dict[str, dict]) -> dict[str, dict]:
    """The kernel's answers ``found`` (by key) as ``{expression: result}``."""
    return {expression: found[key] for key, expression in keys.items()}


def evaluate(kernel_client, wanted: list[str], timeout: float = 60.0) -> dict[str, dict]:
    """``{expression: result}`` from the kernel (``result`` as in an ``execute_reply``)."""
    if not wanted:
        return {}
    keys = keyed(wanted)
    msg_id = kernel_client.execute("", silent=True, store_history=False, user_expressions=keys)
    while True:
        reply = kernel_client.get_shell_msg(timeout=timeout)
        if reply["parent_header"].get("msg_id") == msg_id:
            break
    return by_expression(keys, reply["content"].get("user_expressions", {}))


def _markdown(nb):
    return [cell for cell in nb.cells if cell.cell_type == "markdown"]


def wanted(nb) -> list[str]:
    """Every ``{eval}`` expression of the notebook, each once."""
    return list(dict.fromkeys(e for cell in _markdown(nb) for e in expressions(cell.source)))


def store(nb, results: dict[str, dict]) -> None:
    """Write ``results`` into the ``user_expressions`` metadata of each Markdown cell."""
    for cell in _markdown(nb):
        found = [{"expression": e, "result": results[e]} for e in expressions(cell.source)]
        if found:
            cell.metadata["user_expressions"] = found
        else:
            cell.metadata.pop("user_expressions", None)


VARIES = "nbval-ignore-output"
"""The tag of a Markdown cell whose values legitimately change from run to run (timings): as for
a code cell, nbval's tag. Its values must still evaluate; they are not compared."""


def stale(nb, results: dict[str, dict]) -> list[str]:
    """Where a stored value differs from a fresh result (one line each; empty when current)."""
    lines = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown" or VARIES in cell.metadata.get("tags", []):
            continue
        stored = stored_text(cell)
        for expression in expressions(cell.source):
            result = results[expression]
            fresh = result.get("data", {}).get("text/plain") if result["status"] == "ok" else None
            if expression not in stored or stored[expression] != fresh:
                was = stored.get(expression, "nothing")
                lines.append(f"cell {index}: {{eval}}`{expression}` stored {was}, now {fresh}")
    return lines


def unreadable(nb) -> list[str]:
    """Every inline expression a reader would see instead of its value (empty when none)."""
    return [
        f"cell {i}: {p}"
        for i, cell in enumerate(nb.cells)
        if cell.cell_type == "markdown"
        for p in problems(cell)
    ]
