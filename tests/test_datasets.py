import hashlib
import re
from pathlib import Path

import numpy as np
import pytest

from relu_notes import datasets
from relu_notes.datasets import (
    DATA_DIR,
    DATASETS,
    load_dataset,
    load_split,
    make_moons,
    make_spirals,
    subsample,
    train_test_split,
)

EXPECTED = {
    "iris": (150, 4, 3),
    "wine": (178, 13, 3),
    "breast_cancer": (569, 30, 2),
    "digits": (1797, 64, 10),
    "moons": (400, 2, 2),
    "spirals": (400, 2, 2),
}


@pytest.mark.parametrize("name", DATASETS)
def test_shapes_labels_and_finite(name):
    X, y = load_dataset(name)
    n, d, k = EXPECTED[name]
    assert X.shape == (n, d) and X.dtype == np.float64
    assert y.shape == (n,) and y.dtype == np.int64
    assert set(np.unique(y)) == set(range(k))
    assert np.all(np.isfinite(X))


def test_known_values_of_real_files():
    X, y = load_dataset("iris")
    np.testing.assert_allclose(X[0], [5.1, 3.5, 1.4, 0.2])
    assert np.bincount(y).tolist() == [50, 50, 50]
    X, y = load_dataset("digits")
    assert X.min() == 0 and X.max() == 16
    assert np.bincount(load_dataset("breast_cancer")[1]).tolist() == [212, 357]


def test_data_readme_lists_every_file_with_its_sha256():
    readme = (DATA_DIR / "README.md").read_text(encoding="utf-8")
    files = [p for p in DATA_DIR.iterdir() if p.name != "README.md"]
    assert files
    for path in files:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        assert digest in readme, path.name
    assert sum(p.stat().st_size for p in files) < 300_000


def test_package_never_imports_sklearn():
    root = Path(datasets.__file__).parent
    pattern = re.compile(r"^\s*(import|from)\s+sklearn", re.MULTILINE)
    for path in root.rglob("*.py"):
        assert not pattern.search(path.read_text(encoding="utf-8")), path


@pytest.mark.parametrize("make", [make_moons, make_spirals])
def test_synthetic_generators_are_seeded(make):
    a, b, c = make(seed=3), make(seed=3), make(seed=4)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    assert not np.array_equal(a[0], c[0])
    assert np.bincount(make(n_samples=101)[1]).tolist() in ([50, 51], [51, 50])


def test_spirals_multiclass_and_noise_free_radius():
    X, y = make_spirals(n_samples=300, n_classes=3, noise=0.0)
    assert np.bincount(y).tolist() == [100, 100, 100]
    r = np.hypot(X[:, 0], X[:, 1])
    assert r.min() >= 0.05 - 1e-12 and r.max() <= 1 + 1e-12


def test_unknown_dataset_raises():
    with pytest.raises(ValueError, match="unknown dataset"):
        load_dataset("mnist")


def test_split_is_stratified_standardized_and_seeded():
    X, y = load_dataset("wine")
    s = train_test_split(X, y, test_fraction=0.3, seed=1)
    assert s.X_train.shape[0] + s.X_test.shape[0] == X.shape[0]
    counts = np.bincount(y)
    np.testing.assert_array_equal(np.bincount(s.y_test), np.round(0.3 * counts).astype(int))
    np.testing.assert_allclose(s.X_train.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(s.X_train.std(axis=0), 1, atol=1e-12)
    assert abs(s.X_test.mean()) > 1e-6  # test set uses training statistics
    t = train_test_split(X, y, test_fraction=0.3, seed=1)
    np.testing.assert_array_equal(s.X_test, t.X_test)
    u = train_test_split(X, y, test_fraction=0.3, seed=2)
    assert not np.array_equal(s.y_test, u.y_test)
    assert s.n_features == 13 and s.n_classes == 3


def test_split_rows_are_a_partition_of_the_data():
    X, y = load_dataset("iris")
    s = train_test_split(X, y, seed=0, standardize=False)
    rows = np.vstack([s.X_train, s.X_test])
    assert sorted(map(tuple, rows)) == sorted(map(tuple, X))


def test_constant_feature_is_only_centred():
    X = np.column_stack([np.ones(10), np.arange(10.0)])
    y = np.array([0, 1] * 5)
    s = train_test_split(X, y, seed=0)
    assert np.all(s.X_train[:, 0] == 0) and np.all(np.isfinite(s.X_test))


def test_load_split_and_subsample():
    full = load_split("digits", seed=0)
    part = subsample(full, 25, seed=0)
    assert part.X_train.shape == (25, 64)
    assert set(np.unique(part.y_train)) == set(range(10))
    np.testing.assert_array_equal(part.X_test, full.X_test)
    np.testing.assert_array_equal(subsample(full, 25, seed=0).y_train, part.y_train)
    with pytest.raises(ValueError):
        subsample(full, 5)
