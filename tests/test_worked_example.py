"""The worked example of chapter 6: right numbers, honest Markdown, and a good choice of numbers.

The values are checked three ways: against torch autograd on the same network (skipped without
torch), against central finite differences of the loss (no torch needed), and by the module's own
comparison of the hand formula with relu_notes.functional (which must raise when they differ).
"""

import dataclasses
import re

import numpy as np
import pytest

from relu_notes import worked_example as we

ACTIVATIONS = we.ACTIVATIONS
SLOPES = {"relu": 0.0, "leaky_relu": we.NEGATIVE_SLOPE, "prelu": we.PRELU_INIT}


@pytest.fixture(scope="module")
def results():
    return we.worked_examples()


def _params(network, alpha):
    """The network's parameters as float64 arrays, in a dict (alpha included)."""
    return {
        "w": np.array(network.w, dtype=float),
        "b": np.array(network.b, dtype=float),
        "v": np.array(network.v, dtype=float),
        "c": np.array(network.c, dtype=float),
        "alpha": np.array(alpha, dtype=float),
    }


def _loss(network, params):
    """L written independently of the module: f(z) = max(z, 0) + alpha * min(z, 0)."""
    z = params["w"] @ np.array(network.x) + params["b"]
    a = np.maximum(z, 0) + params["alpha"] * np.minimum(z, 0)
    y = params["v"] @ a + params["c"]
    return 0.5 * float(y - network.target) ** 2


def _gradients(result):
    """The module's gradients under the names of :func:`_params`."""
    return {
        "w": np.array(result.grad_w),
        "b": np.array(result.grad_b),
        "v": np.array(result.grad_v),
        "c": np.array(result.grad_c),
    }


# ------------------------------------------------------------------ against torch autograd
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_values_agree_with_torch_autograd(results, activation):
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    result, net = results[activation], results[activation].network

    def tensor(value):
        return torch.tensor(value, dtype=torch.float64, requires_grad=True)

    w, b, v, c = tensor(net.w), tensor(net.b), tensor(net.v), tensor(net.c)
    alpha = tensor([SLOPES[activation]])
    x = torch.tensor(net.x, dtype=torch.float64)
    z = w @ x + b
    z.retain_grad()
    if activation == "relu":
        a = F.relu(z)
    elif activation == "leaky_relu":
        a = F.leaky_relu(z, SLOPES[activation])
    else:
        a = F.prelu(z, alpha)
    a.retain_grad()
    y = v @ a + c
    y.retain_grad()
    loss = (y - net.target) ** 2 / 2
    loss.backward()

    def close(found, tensor_value):
        np.testing.assert_allclose(found, tensor_value.detach().numpy(), rtol=1e-12, atol=1e-12)

    for found, expected in [
        (result.z, z),
        (result.a, a),
        (result.y, y),
        (result.loss, loss),
        (result.grad_y, y.grad),
        (result.grad_a, a.grad),
        (result.grad_z, z.grad),
        (result.grad_w, w.grad),
        (result.grad_b, b.grad),
        (result.grad_v, v.grad),
        (result.grad_c, c.grad),
    ]:
        close(found, expected)
    if activation == "prelu":
        close(result.grad_alpha, alpha.grad[0])
    else:
        assert result.grad_alpha is None


# ------------------------------------------------------------------ against finite differences
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_gradients_agree_with_finite_differences(results, activation):
    result, step = results[activation], 1e-6
    params = _params(result.network, result.alpha)
    expected = _gradients(result)
    if activation == "prelu":
        expected["alpha"] = np.array(result.grad_alpha)
    assert _loss(result.network, params) == pytest.approx(result.loss, rel=1e-12)
    for name, grad in expected.items():
        numeric = np.zeros_like(params[name])
        for index in np.ndindex(params[name].shape):
            up = {key: value.copy() for key, value in params.items()}
            down = {key: value.copy() for key, value in params.items()}
            up[name][index] += step
            down[name][index] -= step
            numeric[index] = (_loss(result.network, up) - _loss(result.network, down)) / (2 * step)
        np.testing.assert_allclose(grad, numeric, atol=1e-7, err_msg=f"{activation}: {name}")


def test_prelu_alpha_gradient_is_the_sum_over_negative_units(results):
    result = results["prelu"]
    expected = sum(g * z for g, z in zip(result.grad_a, result.z, strict=True) if z <= 0)
    assert result.grad_alpha == expected
    assert result.grad_alpha != 0


def test_the_example_values_by_hand(results):
    """A few values worked out on paper, so that a wrong example network is noticed."""
    assert results["relu"].z == (1.0, -2.0)
    assert [r.y for r in results.values()] == pytest.approx([2.5, 2.7, 3.0])
    assert [r.grad_z[1] for r in results.values()] == pytest.approx([0.0, -0.07, -0.25])
    assert results["prelu"].grad_alpha == pytest.approx(2.0)


# ------------------------------------------------------------------ the module's own check
@pytest.mark.parametrize(
    ("activation", "broken"),
    [("relu", "relu_backward"), ("leaky_relu", "leaky_relu"), ("prelu", "prelu_backward")],
)
def test_a_disagreement_with_the_package_raises(monkeypatch, activation, broken):
    original = getattr(we, broken)

    def wrong(*args, **kwargs):
        value = original(*args, **kwargs)
        if isinstance(value, tuple):
            return value[0] * 1.5, value[1]
        return value * 1.5 + 0.25

    monkeypatch.setattr(we, broken, wrong)
    with pytest.raises(ArithmeticError):
        we.worked_example(activation)


def test_an_unknown_activation_is_refused():
    with pytest.raises(ValueError, match="activation"):
        we.worked_example("gelu")


def test_the_convention_at_zero_takes_the_alpha_branch():
    """A network with z_2 = 0 exactly: f'(0) = alpha, and the package agrees."""
    net = dataclasses.replace(we.EXAMPLE, b=(-1.0, 1.5))
    for activation in ACTIVATIONS:
        result = we.worked_example(activation, net)
        assert result.z[1] == 0
        assert result.grad_z[1] == pytest.approx(result.alpha * result.grad_a[1])


# ------------------------------------------------------------------ the chosen numbers
def test_one_pre_activation_is_negative_and_none_is_zero(results):
    z = results["relu"].z
    assert min(z) < 0 < max(z)
    assert all(value != 0 for value in z)
    # Far from the corner, so the finite differences above never cross it.
    assert min(abs(value) for value in z) >= 0.5


def test_every_number_is_a_short_decimal(results):
    for result in results.values():
        for field in dataclasses.fields(result):
            values = np.ravel(np.array(getattr(result, field.name), dtype=object))
            for value in values:
                if isinstance(value, float):
                    assert value == pytest.approx(round(value, 3), abs=1e-12), field.name


def test_relu_kills_the_negative_unit_and_the_others_let_it_whisper(results):
    assert results["relu"].a[1] == 0 and results["relu"].grad_w[1] == (0.0, 0.0)
    for activation in ("leaky_relu", "prelu"):
        assert results[activation].a[1] < 0
        assert all(value != 0 for value in results[activation].grad_w[1])


# ------------------------------------------------------------------ the Markdown
def _numbers(text):
    return set(re.findall(r"-?\d+(?:\.\d+)?", text))


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_steps_contain_the_computed_numbers(results, activation):
    result = results[activation]
    text = we.render_steps(result)
    assert "$z_2 = w_{21} x_1 + w_{22} x_2 + b_2 = (-1)(2) + (0.5)(1) + (-0.5) = -2$" in text
    shown = _numbers(text)
    for value in [
        *result.z,
        *result.a,
        result.y,
        result.loss,
        result.grad_y,
        *result.grad_a,
        *result.grad_z,
        *np.ravel(result.grad_w),
        *result.grad_v,
    ]:
        assert we.number(value) in shown, (activation, value)
    assert ("\\partial L/\\partial \\alpha" in text) == (activation == "prelu")


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_every_step_is_true_arithmetic(results, activation):
    """Each substituted product and sum, evaluated again, gives the value written after it."""
    for step in we.steps(results[activation]):
        if not step.substituted or step.value is None or "tfrac" in step.substituted:
            continue
        expression = step.substituted.replace(")(", ")*(")
        assert eval(expression, {}) == pytest.approx(step.value, abs=1e-12), step.markdown()


def test_the_side_by_side_table_has_one_column_per_activation(results):
    table = we.render_side_by_side(results, ["forward", "parameters"])
    lines = table.splitlines()
    assert all(line.count(" | ") == len(ACTIVATIONS) for line in lines)
    assert "Leaky ReLU ($\\alpha = 0.1$)" in lines[0]
    assert "$(0.1)(-2) = -0.2$" in table and "$(0.25)(-2) = -0.5$" in table
    assert "| — | — | $(-1)(-2) = 2$ |" in table
    with pytest.raises(ValueError, match="parts"):
        we.render_side_by_side(results, ["sideways"])


def test_number_reads_like_a_student_writes():
    assert we.number(0.1 * -0.7) == "-0.07"
    assert we.number(-0.0) == "0"
    assert we.number(3.0) == "3"
    assert we.number(None) == ""


def test_the_network_renders_with_its_numbers():
    text = we.render_network()
    assert text.startswith("$$") and text.endswith("$$")
    assert "W = \\begin{pmatrix} 0.5 & 1 \\\\ -1 & 0.5 \\end{pmatrix}" in text
    assert "t = 2$$" in text


def test_parameter_gradients_name_every_trained_number(results):
    relu = results["relu"].parameter_gradients
    assert list(relu) == ["w11", "w12", "w21", "w22", "b1", "b2", "v1", "v2", "c"]
    assert [name for name, value in relu.items() if value == 0] == ["w21", "w22", "b2", "v2"]
    assert results["prelu"].parameter_gradients["alpha"] == results["prelu"].grad_alpha
    assert all(results["leaky_relu"].parameter_gradients.values())
