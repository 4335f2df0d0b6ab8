import numpy as np
import pytest

from relu_notes.datasets import load_split
from relu_notes.functional import leaky_relu, rrelu
from relu_notes.mlp import (
    MLP,
    NEARLY_DEAD_BELOW,
    RRELU_STREAM,
    SGD,
    Adam,
    RReLUSlopes,
    Trainer,
    he_gain,
    train,
)

CONFIGS = [
    {"activation": "relu"},
    {"activation": "leaky_relu", "negative_slope": 0.1},
    {"activation": "prelu", "prelu_shared": False},
    {"activation": "prelu", "prelu_shared": True},
]


def _data(seed=0, n=16, d=5, k=3):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n, d)), rng.integers(0, k, n)


def _assert_grads_match_finite_differences(model, grads, loss, h=1e-6):
    """``grads`` (aligned with ``model.parameters()``) against central differences of
    ``loss()``, one parameter element at a time."""
    for p, g in zip(model.parameters(), grads, strict=True):
        assert g.shape == p.shape
        numeric = np.zeros_like(p)
        for idx in np.ndindex(p.shape):
            old = p[idx]
            p[idx] = old + h
            up = loss()
            p[idx] = old - h
            down = loss()
            p[idx] = old
            numeric[idx] = (up - down) / (2 * h)
        np.testing.assert_allclose(g, numeric, rtol=1e-5, atol=1e-8)


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
    _assert_grads_match_finite_differences(model, grads, lambda: model.loss(X, y))


# --- RReLU: random slopes in training mode, one fixed slope in eval mode -------------------------
@pytest.mark.parametrize("variant", ["torch", "xu"])
def test_rrelu_backward_with_fixed_noise_matches_finite_differences(variant):
    X, y = _data()
    model = MLP((5, 7, 6, 3), "rrelu", rrelu_variant=variant, seed=1, bias_init=0.1)
    _, grads = model.loss_and_grads(X, y)  # training mode: draws the slopes
    noise = model.last_noise
    assert [n.shape for n in noise] == [(16, 7), (16, 6)]
    zs = model.forward(X)[1]  # the first layer's z is the same in both modes
    assert np.abs(zs[0]).min() > 1e-4
    # With the slopes held fixed the training loss is a smooth function of the parameters
    # (no kink within the step), and the same noise gives the same gradients again.
    _, again = model.loss_and_grads(X, y, noise=noise)
    for g, g2 in zip(grads, again, strict=True):
        np.testing.assert_array_equal(g, g2)
    _assert_grads_match_finite_differences(model, grads, lambda: model.loss(X, y, noise=noise))
    # Eval mode (training=False): the gradient of the eval-mode loss, with the fixed slope.
    _, eval_grads = model.loss_and_grads(X, y, training=False)
    _assert_grads_match_finite_differences(model, eval_grads, lambda: model.loss(X, y))


@pytest.mark.parametrize("variant", ["torch", "xu"])
def test_rrelu_training_mode_draws_slopes_and_eval_mode_uses_one(variant):
    X, y = _data(n=400)
    model = MLP((5, 64, 3), "rrelu", rrelu_variant=variant, seed=0)
    slopes = RReLUSlopes(variant)
    eval_slope = {"torch": (1 / 8 + 1 / 3) / 2, "xu": 1 / 5.5}[variant]
    assert model.rrelu == slopes and model.rrelu.eval_slope == pytest.approx(eval_slope)
    assert model.gain == pytest.approx(he_gain(eval_slope))
    # eval mode: forward, loss and predictions use the fixed slope and draw nothing
    z = X @ model.weights[0] + model.biases[0]
    hidden = leaky_relu(z, eval_slope)
    if variant == "torch":  # the package's rrelu in eval mode, bit for bit
        np.testing.assert_array_equal(hidden, rrelu(z, 1 / 8, 1 / 3))
    np.testing.assert_allclose(model.forward(X)[0], hidden @ model.weights[1] + model.biases[1])
    state = model.noise_generator.bit_generator.state
    assert model.loss(X, y) == model.loss(X, y)
    assert model.noise_generator.bit_generator.state == state and model.last_noise is None
    # training mode: fresh slopes in [1/8, 1/3] where z <= 0, slope 1 elsewhere, every pass
    first, _ = model.loss_and_grads(X, y)
    noise = model.last_noise[0]
    negative = z <= 0
    np.testing.assert_array_equal(noise[~negative], 1.0)
    assert noise[negative].min() >= 1 / 8 and noise[negative].max() <= 1 / 3
    assert len(np.unique(noise[negative])) == np.count_nonzero(negative)
    second, _ = model.loss_and_grads(X, y)
    assert first != second and not np.array_equal(model.last_noise[0], noise)
    assert model.loss(X, y) != first  # the eval loss is another number


def test_rrelu_variants_draw_different_slope_distributions():
    X = -np.ones((2000, 1))  # every pre-activation of the one-unit layer is negative
    samples = {}
    for variant in ("torch", "xu"):
        model = MLP((1, 1, 2), "rrelu", rrelu_variant=variant, seed=0, bias_init=0.0)
        model.weights[0][:] = 1.0
        model.loss_and_grads(X, np.zeros(2000, int))
        samples[variant] = model.last_noise[0].ravel()
    # torch: r ~ U(1/8, 1/3), mean 0.229; Xu: r = 1/a, a ~ U(3, 8), mean ln(8/3)/5 = 0.196
    assert samples["torch"].mean() == pytest.approx((1 / 8 + 1 / 3) / 2, abs=0.005)
    assert samples["xu"].mean() == pytest.approx(np.log(8 / 3) / 5, abs=0.005)
    # P(r < 0.2): Xu's a > 5 has probability 3/5; torch's (0.2 - 1/8) / (1/3 - 1/8) = 0.36
    assert np.mean(samples["xu"] < 0.2) == pytest.approx(0.6, abs=0.03)
    assert np.mean(samples["torch"] < 0.2) == pytest.approx(0.36, abs=0.03)


def test_rrelu_torch_variant_uses_the_package_rrelu_and_the_model_stream():
    X, y = _data()
    model = MLP((5, 7, 3), "rrelu", seed=3)
    model.loss_and_grads(X, y)
    z = X @ model.weights[0] + model.biases[0]
    _, expected = rrelu(z, 1 / 8, 1 / 3, training=True, generator=np.random.default_rng((3, 1)))
    assert RRELU_STREAM == 1
    np.testing.assert_array_equal(model.last_noise[0], expected)
    np.testing.assert_array_equal(
        model.forward(X)[0], MLP((5, 7, 3), "rrelu", seed=3).forward(X)[0]
    )
    # a generator passed in is used instead of the model's own (which then does not move)
    state = model.noise_generator.bit_generator.state
    model.loss_and_grads(X, y, generator=np.random.default_rng(9))
    _, from_nine = rrelu(z, 1 / 8, 1 / 3, training=True, generator=np.random.default_rng(9))
    np.testing.assert_array_equal(model.last_noise[0], from_nine)
    assert model.noise_generator.bit_generator.state == state


@pytest.mark.parametrize("variant", ["torch", "xu"])
def test_rrelu_training_learns_and_is_deterministic(variant):
    split = load_split("moons", seed=0)
    kw = {"epochs": 15, "lr": 1e-2, "X_test": split.X_test, "y_test": split.y_test, "seed": 3}
    runs, models = [], []
    for seed in (3, 3, 4):
        models.append(MLP((2, 16, 16, 2), "rrelu", rrelu_variant=variant, seed=seed))
        runs.append(train(models[-1], split.X_train, split.y_train, **kw))
    np.testing.assert_array_equal(runs[0].loss, runs[1].loss)
    np.testing.assert_array_equal(models[0].flat, models[1].flat)
    assert not np.array_equal(runs[0].loss, runs[2].loss)
    assert runs[0].loss[-1] < 0.5 * runs[0].loss[0] and runs[0].test_acc[-1] > 0.85
    # records are in eval mode: the recorded loss is the model's (eval) loss
    assert runs[0].loss[-1] == pytest.approx(models[0].loss(split.X_train, split.y_train))


def test_rrelu_trainer_continues_where_it_stopped():
    split = load_split("iris", seed=0)
    kw = {"lr": 5e-2, "seed": 4}
    whole = train(MLP((4, 8, 3), "rrelu", seed=2), split.X_train, split.y_train, epochs=4, **kw)
    trainer = Trainer(MLP((4, 8, 3), "rrelu", seed=2), split.X_train, split.y_train, **kw)
    trainer.run(1)
    trainer.run(3)
    np.testing.assert_array_equal(trainer.history().loss, whole.loss)


def test_rrelu_invalid_arguments():
    with pytest.raises(ValueError, match="rrelu_variant"):
        MLP((2, 3, 2), "rrelu", rrelu_variant="uniform")
    with pytest.raises(ValueError, match="lower"):
        MLP((2, 3, 2), "rrelu", rrelu_lower=0.0)
    X, y = _data(d=2, k=2)
    with pytest.raises(ValueError, match="noise"):
        MLP((2, 3, 2), "leaky_relu").loss(X, y, noise=[np.ones((16, 3))])
    leaky = MLP((2, 3, 2), "leaky_relu")
    leaky.loss_and_grads(X, y)
    assert leaky.rrelu is None and leaky.noise_generator is None and leaky.last_noise is None


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
