import numpy as np
import pytest

from relu_notes.datasets import load_split
from relu_notes.mlp import MLP, NEARLY_DEAD_BELOW, SGD, Adam, Trainer, he_gain, train

CONFIGS = [
    {"activation": "relu"},
    {"activation": "leaky_relu", "negative_slope": 0.1},
    {"activation": "prelu", "prelu_shared": False},
    {"activation": "prelu", "prelu_shared": True},
]


def _data(seed=0, n=16, d=5, k=3):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n, d)), rng.integers(0, k, n)


@pytest.mark.parametrize("config", CONFIGS)
def test_backward_matches_finite_differences(config):
    X, y = _data()
    model = MLP((5, 7, 6, 3), seed=1, bias_init=0.1, **config)
    if config["activation"] == "prelu":
        for a in model.alphas:  # distinct alphas so a wrong broadcast would show
            a[:] = np.linspace(0.1, 0.4, a.size)
    _, grads = model.loss_and_grads(X, y)
    zs = model.forward(X)[1]
    assert min(np.abs(z).min() for z in zs) > 1e-4  # no kink within the step
    h = 1e-6
    for p, g in zip(model.parameters(), grads, strict=True):
        assert g.shape == p.shape
        numeric = np.zeros_like(p)
        for idx in np.ndindex(p.shape):
            old = p[idx]
            p[idx] = old + h
            up = model.loss(X, y)
            p[idx] = old - h
            down = model.loss(X, y)
            p[idx] = old
            numeric[idx] = (up - down) / (2 * h)
        np.testing.assert_allclose(g, numeric, rtol=1e-5, atol=1e-8)


def test_he_gain_and_initial_weight_scale():
    assert he_gain(0.0) == pytest.approx(np.sqrt(2))
    assert he_gain(0.5) == pytest.approx(np.sqrt(2 / 1.25))
    m = MLP((400, 400, 2), "leaky_relu", negative_slope=0.5, seed=0)
    assert m.gain == pytest.approx(he_gain(0.5))
    assert np.std(m.weights[0]) * np.sqrt(400) == pytest.approx(m.gain, rel=0.02)
    assert MLP((400, 400, 2), "relu", gain=1.0).gain == 1.0
    assert MLP((3, 4, 2), "prelu", prelu_init=0.25).gain == pytest.approx(he_gain(0.25))


def test_parameter_counts_and_flat_views():
    relu = MLP((4, 5, 6, 3), "relu")
    assert relu.n_parameters() == 4 * 5 + 5 + 5 * 6 + 6 + 6 * 3 + 3
    assert MLP((4, 5, 6, 3), "leaky_relu").n_parameters() == relu.n_parameters()
    assert MLP((4, 5, 6, 3), "prelu").n_parameters() == relu.n_parameters() + 11
    assert MLP((4, 5, 6, 3), "prelu", prelu_shared=True).n_parameters() == relu.n_parameters() + 2
    relu.flat[:] = 0.0
    assert all(np.all(p == 0) for p in relu.parameters())
    relu.biases[0] += 1.0
    assert relu.flat.sum() == 5.0


def test_dead_units_definition():
    X, _ = _data()
    m = MLP((5, 8, 3), "relu", seed=0)
    m.biases[0][:3] = -1e3
    m.biases[0][3:] = 1e3
    assert m.dead_mask(X)[0].tolist() == [True] * 3 + [False] * 5
    assert m.dead_fraction(X)[0] == pytest.approx(3 / 8)


def test_dead_relu_units_of_first_layer_never_change():
    split = load_split("wine", seed=0)
    m = MLP((13, 16, 3), "relu", seed=0)
    m.biases[0][:4] = -1e3
    w_before = m.weights[0][:, :4].copy()
    train(m, split.X_train, split.y_train, epochs=5, lr=1e-2)
    np.testing.assert_array_equal(m.weights[0][:, :4], w_before)
    assert np.all(m.biases[0][:4] == -1e3)


def test_leaky_units_with_negative_input_still_get_gradient():
    X, y = _data()
    m = MLP((5, 8, 3), "leaky_relu", negative_slope=0.01, seed=0)
    m.biases[0][:] = -1e3
    _, grads = m.loss_and_grads(X, y)
    assert np.abs(grads[0]).max() > 0


@pytest.mark.parametrize("activation", ["relu", "leaky_relu", "prelu"])
def test_training_learns_and_is_deterministic(activation):
    split = load_split("moons", seed=0)
    kw = {"epochs": 15, "lr": 1e-2, "X_test": split.X_test, "y_test": split.y_test}
    runs = []
    for _ in range(2):
        m = MLP((2, 16, 16, 2), activation, seed=3)
        runs.append(train(m, split.X_train, split.y_train, seed=3, **kw))
    a, b = runs
    np.testing.assert_array_equal(a.loss, b.loss)
    assert a.loss[-1] < 0.5 * a.loss[0]
    assert a.test_acc[-1] > 0.85
    assert a.dead_fraction.shape == (16, 2)
    if activation == "prelu":
        assert len(a.alphas) == 2 and a.alphas[0].shape == (16, 16)
        assert not np.allclose(a.alphas[0][-1], 0.25)


def test_sgd_momentum_and_record_every():
    split = load_split("iris", seed=0)
    m = MLP((4, 8, 3), "relu", seed=0)
    h = train(
        m,
        split.X_train,
        split.y_train,
        epochs=10,
        optimizer="sgd",
        lr=0.05,
        momentum=0.9,
        record_every=4,
    )
    assert h.epoch.tolist() == [0, 4, 8, 10]
    assert np.isnan(h.test_acc).all()
    assert h.loss[-1] < h.loss[0]
    assert h.dead_fraction_total.shape == (4,)


def test_optimizer_steps():
    p = np.array([1.0, -2.0])
    SGD([p], lr=0.1, momentum=0.5).step([np.array([1.0, 1.0])])
    np.testing.assert_allclose(p, [0.9, -2.1])
    q = np.array([1.0])
    Adam([q], lr=0.1).step([np.array([123.0])])
    np.testing.assert_allclose(q, [0.9], rtol=1e-6)  # first Adam step has size lr


def test_invalid_arguments():
    with pytest.raises(ValueError):
        MLP((2, 3, 2), "tanh")
    with pytest.raises(ValueError):
        MLP((2, 2), "relu")
    with pytest.raises(ValueError):
        train(MLP((2, 3, 2)), np.zeros((4, 2)), np.zeros(4, int), optimizer="rmsprop")


def _threshold_net(biases):
    """One input, one hidden unit per bias (weight 1): unit j is active where x > -biases[j]."""
    m = MLP((1, len(biases), 2), "relu", seed=0)
    m.weights[0][:] = 1.0
    m.biases[0][:] = biases
    return m


def test_active_fraction_and_nearly_dead_on_a_hand_made_net():
    X = np.arange(200.0).reshape(-1, 1)  # x = 0, 1, ..., 199
    # active on x > 198.5 (1 example), x > 197.5 (2), x > 99.5 (100), never, always
    m = _threshold_net([-198.5, -197.5, -99.5, -500.0, 1.0])
    np.testing.assert_array_equal(m.active_fraction(X)[0], [0.005, 0.01, 0.5, 0.0, 1.0])
    assert NEARLY_DEAD_BELOW == 0.01
    # 1 of 200 is below 1%; 2 of 200 is exactly 1%, not below; the dead unit counts too
    assert m.nearly_dead_mask(X)[0].tolist() == [True, False, False, True, False]
    assert m.nearly_dead_fraction(X)[0] == pytest.approx(2 / 5)
    assert m.dead_fraction(X)[0] == pytest.approx(1 / 5)
    assert m.nearly_dead_fraction(X, below=0.02)[0] == pytest.approx(3 / 5)


def test_history_records_the_graded_measure():
    X = np.arange(200.0).reshape(-1, 1)
    y = (X[:, 0] > 100).astype(int)
    m = MLP((1, 5, 4, 2), "relu", seed=0)
    m.weights[0][:] = 1.0
    m.biases[0][:] = [-198.5, -197.5, -99.5, -500.0, 1.0]
    h = train(m, X, y, epochs=2, lr=0.0, optimizer="sgd", momentum=0.0)  # lr 0: nothing moves
    assert h.nearly_dead_fraction.shape == (3, 2)
    np.testing.assert_allclose(h.nearly_dead_fraction[:, 0], 2 / 5)
    np.testing.assert_allclose(h.dead_fraction[:, 0], 1 / 5)
    np.testing.assert_allclose(h.nearly_dead_fraction[-1], m.nearly_dead_fraction(X))
    assert len(h.active_fraction) == 2 and h.active_fraction[0].shape == (3, 5)
    np.testing.assert_array_equal(h.active_fraction[0][-1], [0.005, 0.01, 0.5, 0.0, 1.0])
    total = h.nearly_dead_fraction @ np.array([5, 4]) / 9
    np.testing.assert_allclose(h.nearly_dead_fraction_total, total)
    assert np.all(h.nearly_dead_fraction_total >= h.dead_fraction_total)


def test_trainer_continues_where_it_stopped():
    split = load_split("iris", seed=0)
    kw = {"lr": 5e-2, "seed": 4, "optimizer": "sgd", "momentum": 0.9}
    whole = train(MLP((4, 8, 8, 3), "prelu", seed=2), split.X_train, split.y_train, epochs=6, **kw)
    trainer = Trainer(MLP((4, 8, 8, 3), "prelu", seed=2), split.X_train, split.y_train, **kw)
    trainer.run(2)
    trainer.run(4)
    parts = trainer.history()
    assert trainer.epochs_done == 6
    assert parts.epoch.tolist() == whole.epoch.tolist() == list(range(7))
    for name in ("loss", "dead_fraction", "nearly_dead_fraction"):
        np.testing.assert_array_equal(getattr(parts, name), getattr(whole, name))
    np.testing.assert_array_equal(parts.alphas[1], whole.alphas[1])
