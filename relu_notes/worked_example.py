r"""One small network worked by hand: forward and backward pass with ReLU, Leaky ReLU and PReLU.

The network (chapter 6) has an input $x \in \mathbb{R}^2$, one hidden layer of two units and one
output:

$$z = W x + b, \qquad a = f(z), \qquad y = v \cdot a + c, \qquad L = \tfrac12 (y - t)^2,$$

with $W$ a $2 \times 2$ matrix (entries $w_{ij}$), $b, v \in \mathbb{R}^2$, $c, t \in \mathbb{R}$
and $f$ applied to each unit:

$$f(z) = \begin{cases} z, & z > 0 \\ \alpha z, & z \le 0 \end{cases} \qquad
f'(z) = \begin{cases} 1, & z > 0 \\ \alpha, & z \le 0 \end{cases}$$

ReLU is $\alpha = 0$, Leaky ReLU a fixed $\alpha$ (``negative_slope``, 0.1 here) and PReLU one
learned $\alpha$ shared by both units (``weight``, initialised at 0.25). As everywhere in the
course, $z = 0$ takes the $\alpha$ branch, so $f'(0) = \alpha$ (0 for ReLU).

The backward pass is the chain rule, one step at a time:

$$\frac{\partial L}{\partial y} = y - t, \quad
\frac{\partial L}{\partial a_i} = \frac{\partial L}{\partial y}\, v_i, \quad
\frac{\partial L}{\partial z_i} = \frac{\partial L}{\partial a_i}\, f'(z_i),$$

$$\frac{\partial L}{\partial w_{ij}} = \frac{\partial L}{\partial z_i}\, x_j, \quad
\frac{\partial L}{\partial b_i} = \frac{\partial L}{\partial z_i}, \quad
\frac{\partial L}{\partial v_i} = \frac{\partial L}{\partial y}\, a_i, \quad
\frac{\partial L}{\partial c} = \frac{\partial L}{\partial y}, \quad
\frac{\partial L}{\partial \alpha} = \sum_{i:\, z_i \le 0} \frac{\partial L}{\partial a_i}\, z_i
\ \text{(PReLU)}.$$

:func:`worked_example` computes every value twice: by these formulas in plain Python floats, and
with NumPy and the package's own functions (:func:`~relu_notes.functional.relu`,
:func:`~relu_notes.functional.leaky_relu_backward`, :func:`~relu_notes.functional.prelu_backward`,
...). It raises ``ArithmeticError`` if the two disagree. :func:`render_steps` and
:func:`render_side_by_side` write the steps as MyST Markdown with the numbers substituted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from relu_notes.functional import (
    ACTIVATION_LABELS,
    ACTIVATIONS,
    leaky_relu,
    leaky_relu_backward,
    prelu,
    prelu_backward,
    relu,
    relu_backward,
)

NEGATIVE_SLOPE = 0.1
"""Leaky ReLU's fixed $\\alpha$ in the example."""

PRELU_INIT = 0.25
"""PReLU's initial $\\alpha$ (He et al., 2015), shared by both hidden units."""

PARTS = ("hidden", "forward", "backward", "parameters")
"""The groups of steps: pre-activations $z$; $a$, $y$, $L$; $\\partial L/\\partial$ of $y$, $a$,
$z$; the gradients of the parameters."""

TOLERANCE = 1e-12
"""Largest difference allowed between the hand formula and the package (absolute and relative)."""


@dataclass(frozen=True)
class Network:
    """The numbers of the example: input ``x``, hidden layer ``w`` (rows = units) and ``b``,
    output layer ``v`` and ``c``, and the target ``target`` ($t$)."""

    x: tuple[float, float]
    w: tuple[tuple[float, float], tuple[float, float]]
    b: tuple[float, float]
    v: tuple[float, float]
    c: float
    target: float


EXAMPLE = Network(
    x=(2.0, 1.0),
    w=((0.5, 1.0), (-1.0, 0.5)),
    b=(-1.0, -0.5),
    v=(2.0, -1.0),
    c=0.5,
    target=2.0,
)
"""The course's example: $z = (1, -2)$, so unit 2 is on the negative side (and no $z$ is 0),
and every number of the three passes has at most three decimals."""


@dataclass(frozen=True)
class WorkedExample:
    """Every value of one forward and backward pass (``grad_*`` is $\\partial L/\\partial$ of it).

    ``grad_alpha`` is None unless ``activation`` is ``"prelu"`` (only PReLU learns $\\alpha$).
    """

    activation: str
    alpha: float
    network: Network
    z: tuple[float, float]
    a: tuple[float, float]
    y: float
    loss: float
    grad_y: float
    grad_a: tuple[float, float]
    grad_z: tuple[float, float]
    grad_w: tuple[tuple[float, float], tuple[float, float]]
    grad_b: tuple[float, float]
    grad_v: tuple[float, float]
    grad_c: float
    grad_alpha: float | None

    @property
    def name(self) -> str:
        """The activation's name in prose ("Leaky ReLU")."""
        return ACTIVATION_LABELS[self.activation]

    @property
    def parameter_gradients(self) -> dict[str, float]:
        """``{"w11": dL/dw11, ..., "b1": ..., "v1": ..., "c": ...}``, and ``"alpha"`` for PReLU:
        one entry per trained number."""
        found = {f"w{i + 1}{j + 1}": self.grad_w[i][j] for i in range(2) for j in range(2)}
        found |= {f"b{i + 1}": self.grad_b[i] for i in range(2)}
        found |= {f"v{i + 1}": self.grad_v[i] for i in range(2)}
        found["c"] = self.grad_c
        if self.grad_alpha is not None:
            found["alpha"] = self.grad_alpha
        return found


@dataclass(frozen=True)
class Step:
    r"""One line of the hand computation: ``symbol = formula = substituted = value``.

    ``symbol`` and ``formula`` are LaTeX in the symbols (``"z_2"``, ``"w_{21} x_1 + ..."``),
    ``substituted`` the same formula with the numbers, empty when the formula is a single
    known number (as in $\partial L/\partial b_1 = \partial L/\partial z_1$).
    """

    part: str
    symbol: str
    formula: str
    substituted: str
    value: float | None

    def markdown(self) -> str:
        """The whole step as inline math, e.g. ``$z_2 = ... = (-1)(2) + ... = -2$``."""
        sides = [self.symbol, self.formula, self.substituted, number(self.value)]
        return "$" + " = ".join(side for side in sides if side) + "$"

    def computation(self) -> str:
        """The substituted formula and its value, e.g. ``$(0.1)(-2) = -0.2$``."""
        if self.value is None:
            return "—"
        sides = [self.substituted, number(self.value)]
        return "$" + " = ".join(side for side in sides if side) + "$"


def number(value: float | None) -> str:
    """A value as a student writes it: at most 6 significant digits, no trailing zeros, and
    ``-0`` written ``0`` (``number(-0.07000000000000001) == "-0.07"``)."""
    if value is None:
        return ""
    text = format(value, ".6g")
    return "0" if float(text) == 0 else text


def worked_example(
    activation: str = "relu",
    network: Network = EXAMPLE,
    *,
    negative_slope: float = NEGATIVE_SLOPE,
    weight: float = PRELU_INIT,
) -> WorkedExample:
    """The forward and backward pass of ``network`` with ``activation``, checked twice.

    Parameters
    ----------
    activation : {"relu", "leaky_relu", "prelu"}
    network : Network, default :data:`EXAMPLE`
    negative_slope : float, default 0.1
        Leaky ReLU's fixed $\\alpha$ (ignored otherwise).
    weight : float, default 0.25
        PReLU's current $\\alpha$ (ignored otherwise).

    Raises
    ------
    ValueError
        For an unknown activation.
    ArithmeticError
        If the hand formula and the package's functions give different values.
    """
    alpha = _slope(activation, negative_slope, weight)
    hand = _by_hand(network, alpha, learned=activation == "prelu")
    _check(hand, _by_package(network, activation, alpha))
    tidy = {key: _without_signed_zero(value) for key, value in hand.items()}
    return WorkedExample(activation=activation, alpha=alpha, network=network, **tidy)


def worked_examples(network: Network = EXAMPLE) -> dict[str, WorkedExample]:
    """:func:`worked_example` for ReLU, Leaky ReLU and PReLU, keyed as :data:`ACTIVATIONS`."""
    return {activation: worked_example(activation, network) for activation in ACTIVATIONS}


def _without_signed_zero(value):
    """``-0.0`` (from $\\alpha z$ with $\\alpha = 0$) as ``0.0``, inside tuples too."""
    if isinstance(value, tuple):
        return tuple(_without_signed_zero(item) for item in value)
    return None if value is None else value + 0.0


def _slope(activation, negative_slope, weight):
    slopes = {"relu": 0.0, "leaky_relu": negative_slope, "prelu": weight}
    if activation not in slopes:
        raise ValueError(f"activation must be one of {ACTIVATIONS}, not {activation!r}")
    return float(slopes[activation])


def _by_hand(network, alpha, learned):
    """Every value by the formulas of the module docstring, in plain Python floats."""
    x, w, b, v, c = network.x, network.w, network.b, network.v, network.c
    z = tuple(w[i][0] * x[0] + w[i][1] * x[1] + b[i] for i in range(2))
    a = tuple(zi if zi > 0 else alpha * zi for zi in z)
    y = v[0] * a[0] + v[1] * a[1] + c
    grad_y = y - network.target
    grad_a = tuple(grad_y * vi for vi in v)
    grad_z = tuple(ga if zi > 0 else alpha * ga for ga, zi in zip(grad_a, z, strict=True))
    return {
        "z": z,
        "a": a,
        "y": y,
        "loss": 0.5 * grad_y**2,
        "grad_y": grad_y,
        "grad_a": grad_a,
        "grad_z": grad_z,
        "grad_w": tuple(tuple(gz * xj for xj in x) for gz in grad_z),
        "grad_b": grad_z,
        "grad_v": tuple(grad_y * ai for ai in a),
        "grad_c": grad_y,
        "grad_alpha": (
            sum(ga * zi for ga, zi in zip(grad_a, z, strict=True) if zi <= 0) if learned else None
        ),
    }


def _by_package(network, activation, alpha):
    """The same values with NumPy and :mod:`relu_notes.functional`."""
    x, w, b, v = (np.array(value) for value in (network.x, network.w, network.b, network.v))
    z = w @ x + b
    weight = np.array([alpha])
    forward = {
        "relu": lambda: relu(z),
        "leaky_relu": lambda: leaky_relu(z, alpha),
        "prelu": lambda: prelu(z, weight),
    }
    a = forward[activation]()
    y = float(v @ a) + network.c
    grad_y = y - network.target
    grad_a = grad_y * v
    grad_alpha = None
    if activation == "relu":
        grad_z = relu_backward(grad_a, z)
    elif activation == "leaky_relu":
        grad_z = leaky_relu_backward(grad_a, z, alpha)
    else:
        grad_z, grad_weight = prelu_backward(grad_a, z, weight)
        grad_alpha = float(grad_weight[0])
    return {
        "z": z,
        "a": a,
        "y": y,
        "loss": 0.5 * grad_y**2,
        "grad_y": grad_y,
        "grad_a": grad_a,
        "grad_z": grad_z,
        "grad_w": np.outer(grad_z, x),
        "grad_b": grad_z,
        "grad_v": grad_y * a,
        "grad_c": grad_y,
        "grad_alpha": grad_alpha,
    }


def _check(hand, package):
    """Raise ``ArithmeticError`` naming the first value where ``hand`` and ``package`` differ."""
    for key, expected in hand.items():
        found = package[key]
        if (expected is None) != (found is None):
            raise ArithmeticError(f"{key}: by hand {expected}, by the package {found}")
        if expected is None:
            continue
        if not np.allclose(expected, found, rtol=TOLERANCE, atol=TOLERANCE):
            raise ArithmeticError(f"{key}: by hand {expected}, by the package {found}")


# --- the steps as Markdown ----------------------------------------------------------------


def _factor(value):
    """A number inside a product: always in parentheses, as in ``(-1)(2)``."""
    return f"({number(value)})"


def _term(value):
    """A number added or subtracted: in parentheses only when negative."""
    return _factor(value) if value < 0 else number(value)


def _d(symbol):
    return rf"\partial L/\partial {symbol}"


def _forward_steps(result):
    net, z, a = result.network, result.z, result.a
    lines = []
    for i in range(2):
        unit = i + 1
        formula = f"w_{{{unit}1}} x_1 + w_{{{unit}2}} x_2 + b_{unit}"
        values = f"{_factor(net.w[i][0])}{_factor(net.x[0])} + "
        values += f"{_factor(net.w[i][1])}{_factor(net.x[1])} + {_term(net.b[i])}"
        lines.append(Step("hidden", f"z_{unit}", formula, values, z[i]))
    for i in range(2):
        unit = i + 1
        if z[i] > 0:
            lines.append(Step("forward", f"a_{unit}", f"z_{unit}", "", a[i]))
        else:
            substituted = f"{_factor(result.alpha)}{_factor(z[i])}"
            lines.append(Step("forward", f"a_{unit}", rf"\alpha z_{unit}", substituted, a[i]))
    substituted = f"{_factor(net.v[0])}{_factor(a[0])} + {_factor(net.v[1])}{_factor(a[1])}"
    substituted += f" + {_term(net.c)}"
    lines.append(Step("forward", "y", "v_1 a_1 + v_2 a_2 + c", substituted, result.y))
    substituted = rf"\tfrac12 ({number(result.y)} - {_term(net.target)})^2"
    lines.append(Step("forward", "L", r"\tfrac12 (y - t)^2", substituted, result.loss))
    return lines


def _backward_steps(result):
    net = result.network
    substituted = f"{number(result.y)} - {_term(net.target)}"
    lines = [Step("backward", _d("y"), "y - t", substituted, result.grad_y)]
    for i in range(2):
        unit = i + 1
        substituted = f"{_factor(result.grad_y)}{_factor(net.v[i])}"
        formula = f"({_d('y')})\\, v_{unit}"
        lines.append(Step("backward", _d(f"a_{unit}"), formula, substituted, result.grad_a[i]))
    for i in range(2):
        unit = i + 1
        if result.z[i] > 0:
            formula, substituted = _d(f"a_{unit}"), ""
        else:
            formula = rf"\alpha\, {_d(f'a_{unit}')}"
            substituted = f"{_factor(result.alpha)}{_factor(result.grad_a[i])}"
        lines.append(Step("backward", _d(f"z_{unit}"), formula, substituted, result.grad_z[i]))
    return lines


def _parameter_steps(result):
    net, lines = result.network, []
    for i in range(2):
        for j in range(2):
            symbol = _d(f"w_{{{i + 1}{j + 1}}}")
            formula = f"({_d(f'z_{i + 1}')})\\, x_{j + 1}"
            substituted = f"{_factor(result.grad_z[i])}{_factor(net.x[j])}"
            lines.append(Step("parameters", symbol, formula, substituted, result.grad_w[i][j]))
    for i in range(2):
        lines.append(Step("parameters", _d(f"b_{i + 1}"), _d(f"z_{i + 1}"), "", result.grad_b[i]))
    for i in range(2):
        formula = f"({_d('y')})\\, a_{i + 1}"
        substituted = f"{_factor(result.grad_y)}{_factor(result.a[i])}"
        lines.append(Step("parameters", _d(f"v_{i + 1}"), formula, substituted, result.grad_v[i]))
    lines.append(Step("parameters", _d("c"), _d("y"), "", result.grad_c))
    negative = [i for i in range(2) if result.z[i] <= 0]
    formula = " + ".join(f"({_d(f'a_{i + 1}')})\\, z_{i + 1}" for i in negative) or "0"
    substituted = " + ".join(f"{_factor(result.grad_a[i])}{_factor(result.z[i])}" for i in negative)
    lines.append(Step("parameters", _d(r"\alpha"), formula, substituted, result.grad_alpha))
    return lines


def steps(result: WorkedExample, parts: Iterable[str] = PARTS) -> list[Step]:
    """The steps of ``result`` in the order a student writes them, only those of ``parts``
    (see :data:`PARTS`). The $\\partial L/\\partial\\alpha$ step has value None except for
    PReLU."""
    parts = _parts(parts)
    found = _forward_steps(result) + _backward_steps(result) + _parameter_steps(result)
    return [step for step in found if step.part in parts]


def _parts(parts):
    parts = (parts,) if isinstance(parts, str) else tuple(parts)
    unknown = set(parts) - set(PARTS)
    if unknown:
        raise ValueError(f"parts must be among {PARTS}, not {sorted(unknown)}")
    return parts


def render_steps(result: WorkedExample, parts: Iterable[str] = PARTS) -> str:
    """The steps as a Markdown list, one full equation a line, e.g.
    ``- $z_2 = w_{21} x_1 + w_{22} x_2 + b_2 = (-1)(2) + (0.5)(1) + (-0.5) = -2$``.
    Steps without a value (``∂L/∂α`` of a fixed slope) are left out."""
    return "\n".join(
        f"- {step.markdown()}" for step in steps(result, parts) if step.value is not None
    )


def render_side_by_side(results: Mapping[str, WorkedExample], parts: Iterable[str]) -> str:
    """A Markdown table: one row per step (the formula), one column per activation (the numbers
    substituted and the value). All ``results`` must be of the same network."""
    results = list(results.values())
    networks = {result.network for result in results}
    if len(networks) != 1:
        raise ValueError("the results must all be of the same network")
    columns = [steps(result, parts) for result in results]
    header = ["Step"] + [f"{r.name} ($\\alpha = {number(r.alpha)}$)" for r in results]
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    for row in zip(*columns, strict=True):
        first = row[0]
        cells = [f"${first.symbol} = {first.formula}$"] + [step.computation() for step in row]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def render_network(network: Network = EXAMPLE) -> str:
    """The network's numbers as one Markdown paragraph of math."""
    (w11, w12), (w21, w22) = network.w
    return (
        f"$$x = \\begin{{pmatrix}} {number(network.x[0])} \\\\ {number(network.x[1])}"
        f" \\end{{pmatrix}}, \\quad W = \\begin{{pmatrix}} {number(w11)} & {number(w12)} \\\\ "
        f"{number(w21)} & {number(w22)} \\end{{pmatrix}}, \\quad b = \\begin{{pmatrix}} "
        f"{number(network.b[0])} \\\\ {number(network.b[1])} \\end{{pmatrix}}, \\quad "
        f"v = \\begin{{pmatrix}} {number(network.v[0])} \\\\ {number(network.v[1])} "
        f"\\end{{pmatrix}}, \\quad c = {number(network.c)}, \\quad t = "
        f"{number(network.target)}$$"
    )
