"""The fenced blocks of a MyST Markdown cell, for the scripts that read chapters' prose.

A block opens with ``:::{name} argument`` or ```` ```{name} argument ```` (or a plain code fence
```` ```python ````), has its ``:option: value`` lines first, and closes with the same fence.
:func:`split` walks a cell's lines once and yields plain lines and :class:`Block` objects;
nested blocks stay inside ``body`` for the caller to split again.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_OPEN = re.compile(r"^(?P<fence>:{3,}|`{3,})\s*(?:\{(?P<name>[\w:-]+)\})?\s*(?P<argument>.*)$")
_OPTION = re.compile(r"^:[\w-]+:")


@dataclass(frozen=True)
class Block:
    """One fenced block: ``name`` is empty for a plain code fence (``argument`` its language)."""

    fence: str
    name: str
    argument: str
    options: tuple[str, ...]
    body: list[str]

    def option(self, key: str) -> str | None:
        """The value of ``:key:`` (``""`` for a flag), or None when the block does not set it."""
        for line in self.options:
            if line.startswith(f":{key}:"):
                return line[len(key) + 2 :].strip()
        return None


def split(lines: list[str]) -> Iterator[str | Block]:
    """Each line outside a block as it is, each block as a :class:`Block`."""
    index = 0
    while index < len(lines):
        match = _OPEN.match(lines[index].strip())
        index += 1
        if not match:
            yield lines[index - 1]
            continue
        fence, body = match["fence"], []
        while index < len(lines) and lines[index].strip() != fence:
            body.append(lines[index])
            index += 1
        index += 1  # the closing fence
        options = []
        while body and _OPTION.match(body[0].strip()):
            options.append(body.pop(0).strip())
        yield Block(fence, match["name"] or "", match["argument"], tuple(options), body)
