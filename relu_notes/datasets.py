"""Small datasets for the experiments: four real ones shipped with the package, two synthetic.

Real datasets (``iris``, ``wine``, ``breast_cancer``, ``digits``) are read from CSV files in
``relu_notes/data/`` (copied from scikit-learn's bundled copies of the UCI originals; see
``relu_notes/data/README.md`` for provenance and licences). Nothing is downloaded at run time.

Synthetic datasets (``moons``, ``spirals``) are generated with a seeded NumPy ``Generator``,
so the same seed always gives the same points.

All loaders return ``(X, y)`` with ``X`` float64 of shape ``(n_samples, n_features)`` and ``y``
int64 class labels ``0 .. n_classes - 1``.
"""

from dataclasses import dataclass
from pathlib import Path

import numpy as np

DATA_DIR = Path(__file__).resolve().parent / "data"

_REAL_FILES = {
    "iris": "iris.csv",
    "wine": "wine_data.csv",
    "breast_cancer": "breast_cancer.csv",
    "digits": "digits.csv.gz",
}
_HEADER = {"iris": True, "wine": True, "breast_cancer": True, "digits": False}

REAL_DATASETS = tuple(_REAL_FILES)
SYNTHETIC_DATASETS = ("moons", "spirals")
DATASETS = REAL_DATASETS + SYNTHETIC_DATASETS


def _load_real(name):
    path = DATA_DIR / _REAL_FILES[name]
    table = np.loadtxt(path, delimiter=",", skiprows=1 if _HEADER[name] else 0)
    return table[:, :-1].astype(np.float64), table[:, -1].astype(np.int64)


def make_moons(n_samples=400, noise=0.2, seed=0):
    """Two interleaving half circles in 2-D, with Gaussian noise of std ``noise``.

    Class 0 lies on the upper half circle of radius 1 centred at (0, 0); class 1 on the lower
    half circle centred at (1, 0.5). Returns ``(X, y)``, classes as balanced as ``n_samples``
    allows.
    """
    rng = np.random.default_rng(seed)
    n0 = n_samples // 2
    n1 = n_samples - n0
    t0 = np.linspace(0.0, np.pi, n0)
    t1 = np.linspace(0.0, np.pi, n1)
    upper = np.column_stack([np.cos(t0), np.sin(t0)])
    lower = np.column_stack([1.0 - np.cos(t1), 0.5 - np.sin(t1)])
    X = np.vstack([upper, lower]) + noise * rng.standard_normal((n_samples, 2))
    y = np.concatenate([np.zeros(n0, np.int64), np.ones(n1, np.int64)])
    order = rng.permutation(n_samples)
    return X[order], y[order]


def make_spirals(n_samples=400, n_classes=2, turns=1.5, noise=0.15, seed=0):
    """``n_classes`` interleaved Archimedean spirals in 2-D.

    Point ``i`` of class ``k`` sits at radius ``r = t`` and angle
    ``theta = 2 pi turns t + 2 pi k / n_classes`` with ``t`` evenly spaced in ``[0.05, 1]``,
    plus Gaussian noise of std ``noise`` (radians) on the angle.
    """
    rng = np.random.default_rng(seed)
    counts = np.full(n_classes, n_samples // n_classes)
    counts[: n_samples % n_classes] += 1
    parts, labels = [], []
    for k, n in enumerate(counts):
        t = np.linspace(0.05, 1.0, n)
        theta = 2 * np.pi * turns * t + 2 * np.pi * k / n_classes
        theta = theta + noise * rng.standard_normal(n)
        parts.append(np.column_stack([t * np.cos(theta), t * np.sin(theta)]))
        labels.append(np.full(n, k, np.int64))
    X, y = np.vstack(parts), np.concatenate(labels)
    order = rng.permutation(n_samples)
    return X[order], y[order]


def load_dataset(name, *, seed=0, n_samples=400, noise=None):
    """Return ``(X, y)`` for one of :data:`DATASETS`.

    ``seed``, ``n_samples`` and ``noise`` are used only by the synthetic datasets (``noise=None``
    means each generator's default).
    """
    if name in _REAL_FILES:
        return _load_real(name)
    kwargs = {"n_samples": n_samples, "seed": seed}
    if noise is not None:
        kwargs["noise"] = noise
    if name == "moons":
        return make_moons(**kwargs)
    if name == "spirals":
        return make_spirals(**kwargs)
    raise ValueError(f"unknown dataset {name!r}; choose one of {DATASETS}")


@dataclass(frozen=True)
class Split:
    """A train/test split; features standardized with the *training* mean and std."""

    X_train: np.ndarray
    X_test: np.ndarray
    y_train: np.ndarray
    y_test: np.ndarray

    @property
    def n_features(self):
        return self.X_train.shape[1]

    @property
    def n_classes(self):
        return int(max(self.y_train.max(), self.y_test.max())) + 1


def train_test_split(X, y, *, test_fraction=0.3, seed=0, standardize=True):
    """Stratified, seeded split of ``(X, y)``; returns a :class:`Split`.

    Each class contributes ``round(test_fraction * n_class)`` examples (at least one, when the
    class has two or more) to the test set. With ``standardize=True`` every feature is shifted
    and scaled by the training set's mean and standard deviation (features with zero training
    std are only centred), so no test-set statistics leak into training.
    """
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.int64)
    rng = np.random.default_rng(seed)
    test_idx = []
    for k in np.unique(y):
        idx = rng.permutation(np.flatnonzero(y == k))
        n_test = int(round(test_fraction * idx.size))
        if idx.size >= 2:
            n_test = min(max(n_test, 1), idx.size - 1)
        test_idx.append(idx[:n_test])
    test_mask = np.zeros(y.size, bool)
    test_mask[np.concatenate(test_idx)] = True
    train_idx = rng.permutation(np.flatnonzero(~test_mask))
    test_idx = rng.permutation(np.flatnonzero(test_mask))
    X_train, X_test = X[train_idx], X[test_idx]
    if standardize:
        mean = X_train.mean(axis=0)
        std = X_train.std(axis=0)
        std = np.where(std > 0, std, 1.0)
        X_train = (X_train - mean) / std
        X_test = (X_test - mean) / std
    return Split(X_train, X_test, y[train_idx], y[test_idx])


def load_split(name, *, test_fraction=0.3, seed=0, standardize=True, **dataset_kwargs):
    """``train_test_split(*load_dataset(name), ...)`` in one call.

    The split uses ``seed``; a synthetic dataset is generated with the same ``seed`` unless
    ``dataset_kwargs`` sets its own.
    """
    dataset_kwargs.setdefault("seed", seed)
    X, y = load_dataset(name, **dataset_kwargs)
    return train_test_split(X, y, test_fraction=test_fraction, seed=seed, standardize=standardize)


def subsample(split, n_train, *, seed=0):
    """Keep a stratified random subset of ``n_train`` training examples (test set unchanged).

    Every class keeps at least one example, so ``n_train`` must be at least the number of
    classes. Standardization of ``split`` is kept as is.
    """
    y = split.y_train
    classes = np.unique(y)
    if n_train < classes.size or n_train > y.size:
        raise ValueError(f"n_train must be in [{classes.size}, {y.size}], got {n_train}")
    rng = np.random.default_rng(seed)
    first = np.array([rng.choice(np.flatnonzero(y == k)) for k in classes])
    rest = rng.permutation(np.setdiff1d(np.arange(y.size), first))[: n_train - classes.size]
    keep = rng.permutation(np.concatenate([first, rest]))
    return Split(split.X_train[keep], split.X_test, y[keep], split.y_test)
