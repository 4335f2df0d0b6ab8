"""Results as plain JSON data and back, for the versioned files of stored results.

A result dataclass that inherits :class:`PlainDict` gets :meth:`~PlainDict.to_dict` (lists,
floats, ints, strings and dicts only) and :meth:`~PlainDict.from_dict`, which rebuilds an equal
result: fields annotated ``np.ndarray`` come back as arrays, ``tuple`` fields as tuples.
"""

from dataclasses import fields

import numpy as np


def plain(value):
    """``value`` as plain JSON types: arrays and tuples become (nested) lists."""
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def _deep_tuple(value):
    return tuple(_deep_tuple(v) for v in value) if isinstance(value, list | tuple) else value


def _restore(kind, value):
    if kind is np.ndarray:
        return np.asarray(value)
    if kind is tuple:
        return _deep_tuple(value)
    return value


class PlainDict:
    """Mixin for a result dataclass: :meth:`to_dict` gives plain JSON types (lists, floats,
    ints, strings, dicts), :meth:`from_dict` rebuilds an equal result (fields annotated
    ``np.ndarray`` come back as arrays, ``tuple`` fields as tuples)."""

    def to_dict(self):
        return {f.name: plain(getattr(self, f.name)) for f in fields(self)}

    @classmethod
    def from_dict(cls, data):
        return cls(**{f.name: _restore(f.type, data[f.name]) for f in fields(cls)})


def nested_arrays(nested):
    """Per mode, per seed, per layer: lists of 1-D float arrays back from plain nested lists
    (as the learned alphas are stored, one array per layer)."""
    return [
        [[np.asarray(layer, dtype=float) for layer in seed] for seed in mode] for mode in nested
    ]
