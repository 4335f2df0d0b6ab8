"""The checks behind the claims that follow from definitions and formulas.

Each check evaluates the package's own functions on a grid (or counts a network's parameters)
and returns ``(ok, text)``. The ledger turns ``ok`` into ``true by definition`` and a failed
check into ``does not hold here``: a definition can still be implemented wrongly, and the
checks can fail (the tests hand them broken functions). The functions come from a namespace
(:func:`package_functions`), so a test can swap one for a broken version.
"""

import inspect
from types import SimpleNamespace

import numpy as np

GRID = np.linspace(-3.0, 3.0, 601)
"""The grid of inputs: 601 points on [-3, 3], including x = 0."""

SIZES = (64, 32, 32, 10)
"""The network whose parameters the parameter claims count (as in chapter 4)."""

_LEAKY_TEST_SLOPE = 0.2  # a slope far from the default, so a wrong slope cannot pass


def package_functions():
    """The package functions the checks use, in a namespace a test may replace parts of."""
    from relu_notes import functional
    from relu_notes.gradcheck import elementwise_derivative
    from relu_notes.mlp import MLP, he_gain

    names = ("relu", "relu_backward", "leaky_relu", "leaky_relu_backward", "prelu")
    return SimpleNamespace(
        **{n: getattr(functional, n) for n in names},
        prelu_backward=functional.prelu_backward,
        elementwise_derivative=elementwise_derivative,
        MLP=MLP,
        he_gain=he_gain,
    )


def relu_negative(fns, **_):
    """R1: relu(x) = 0 and relu'(x) = 0 for x < 0; identity and slope 1 for x > 0."""
    neg, pos = GRID[GRID < 0], GRID[GRID > 0]
    out, grad = fns.relu(GRID), fns.relu_backward(np.ones_like(GRID), GRID)
    ok = (
        np.all(out[GRID < 0] == 0)
        and np.all(grad[GRID < 0] == 0)
        and np.allclose(out[GRID > 0], pos)
        and np.all(grad[GRID > 0] == 1)
    )
    text = (
        f"on {neg.size} grid points x < 0: max |relu(x)| = {np.abs(out[GRID < 0]).max():.1g}, "
        f"max |relu'(x)| = {np.abs(grad[GRID < 0]).max():.1g}"
    )
    return bool(ok), text


def relu_slope_zero(fns, **_):
    """T1: the slope of relu on the negative side is 0."""
    neg = GRID[GRID < 0]
    slope = float(np.median(fns.relu(neg) / neg))
    return slope == 0.0, f"measured slope on x < 0: {slope:g}"


def leaky_default(fns, **_):
    """L1: leaky_relu's default slope on x < 0 is 0.01, and it is the identity on x > 0."""
    neg, pos = GRID[GRID < 0], GRID[GRID > 0]
    slope = float(np.median(fns.leaky_relu(neg) / neg))
    ok = np.isclose(slope, 0.01) and np.allclose(fns.leaky_relu(pos), pos)
    return bool(ok), f"default slope on x < 0: {slope:.3g} (fixed); identity on x > 0"


def _zero_gradient_cases(fns):
    """Where Leaky ReLU's backward pass returns exactly 0 (the claim says never)."""
    cases = []
    if np.any(fns.leaky_relu_backward(np.ones_like(GRID), GRID, 0.0)[GRID <= 0] == 0):
        cases.append("alpha = 0 (then it is ReLU)")
    tiny = np.array([np.finfo(np.float32).smallest_subnormal], dtype=np.float32)
    if fns.leaky_relu_backward(tiny, np.array([-1.0], dtype=np.float32), 0.01)[0] == 0:
        cases.append("alpha * g underflows (float32, g = 1.4e-45, alpha = 0.01)")
    if fns.leaky_relu_backward(np.zeros(1), np.array([-1.0]), 0.01)[0] == 0:
        cases.append("upstream gradient g = 0")
    return cases


def leaky_never_zero(fns, **_):
    """L2 as stated ("never 0"): false if any everyday case gives an exact 0. The precise claim
    (alpha != 0, a normal upstream gradient: the local slope is never 0) is reported too."""
    slopes = (-0.5, -0.01, 0.01, 0.2, 1.5)
    local = [fns.leaky_relu_backward(np.ones_like(GRID), GRID, a) for a in slopes]
    local_ok = all(np.all(g != 0) for g in local)
    cases = _zero_gradient_cases(fns)
    precise = f"for alpha != 0 the local slope is never 0 on the grid: {local_ok}"
    if cases:
        return False, "false as stated: exactly 0 for " + "; ".join(cases) + f". {precise}"
    return local_ok, f"no exact 0 found; {precise}"


def _max_fd_error(fns, analytic, function, x):
    return float(np.max(np.abs(analytic - fns.elementwise_derivative(function, x))))


def leaky_derivative(fns, tolerance, **_):
    """L4: the hand-written backward pass matches finite differences (slopes 1 and alpha)."""
    x = GRID[np.abs(GRID) > 1e-3]  # a central difference is not a derivative at the kink
    a = _LEAKY_TEST_SLOPE
    analytic = fns.leaky_relu_backward(np.ones_like(x), x, a)
    err = _max_fd_error(fns, analytic, lambda t: fns.leaky_relu(t, a), x)
    values = sorted({float(v) for v in np.round(analytic, 6)})
    return err < tolerance, f"backward vs finite differences (alpha {a}): max error {err:.1g}; " + (
        f"values {values}"
    )


def prelu_derivative(fns, tolerance, **_):
    """P2: dPReLU/dx and dL/dalpha match finite differences."""
    x = GRID[np.abs(GRID) > 1e-3]
    w = np.array([_LEAKY_TEST_SLOPE])
    grad_x, grad_w = fns.prelu_backward(np.ones_like(x), x, w)
    err_x = _max_fd_error(fns, grad_x, lambda t: fns.prelu(t, w), x)
    fd_w = float(np.sum(fns.elementwise_derivative(lambda a: fns.prelu(x, np.array([a])), w[0])))
    err = max(err_x, abs(float(np.sum(grad_w)) - fd_w))
    return err < tolerance, f"dy/dx and dL/dalpha vs finite differences: max error {err:.1g}"


def _counts(fns):
    def count(activation, **kwargs):
        return fns.MLP(SIZES, activation, **kwargs).n_parameters()

    return {
        "linear": sum((m + 1) * n for m, n in zip(SIZES[:-1], SIZES[1:], strict=True)),
        "relu": count("relu"),
        "leaky_relu": count("leaky_relu"),
        "prelu": count("prelu"),
        "prelu_shared": count("prelu", prelu_shared=True),
    }


def alpha_not_parameter(fns, **_):
    """L7: Leaky ReLU's alpha is not a trainable parameter (same count as ReLU)."""
    c = _counts(fns)
    ok = c["leaky_relu"] == c["relu"] == c["linear"]
    return ok, (
        f"trainable parameters of a {'-'.join(map(str, SIZES))} MLP: ReLU {c['relu']}, "
        f"Leaky ReLU {c['leaky_relu']}: alpha is a hyperparameter, set by hand"
    )


def extra_parameters(fns, activation, **_):
    """T7-T9: extra parameters over the linear layers' weights and biases (ReLU and Leaky ReLU
    none, PReLU one alpha per unit or per layer)."""
    c = _counts(fns)
    extra = c[activation] - c["linear"]
    if activation != "prelu":
        return extra == 0, f"+{extra} parameters over the layers' weights and biases"
    shared = c["prelu_shared"] - c["linear"]
    units, layers = sum(SIZES[1:-1]), len(SIZES) - 2
    ok = extra == units and shared == layers
    return ok, f"+{extra} alphas channel-wise (one per unit), +{shared} shared (one per layer)"


def relu_no_knob(fns, **_):
    """T13: ReLU has no knob on the negative side: no slope argument, slope 0, no parameter."""
    arguments = set(inspect.signature(fns.relu).parameters) - {"x", "out"}
    zero_slope, _ = relu_slope_zero(fns)
    c = _counts(fns)
    ok = not arguments and zero_slope and c["relu"] == c["linear"]
    return ok, (
        f"relu's arguments besides x: {sorted(arguments) or 'none'}; negative slope 0: "
        f"{zero_slope}; extra parameters: {c['relu'] - c['linear']}"
    )


def he_gain(fns, stable, init_gain=None, **_):
    """X2: g^2 (1 + a^2) / 2 = 1 for the He gain g (and not for a mismatched gain); when the
    init_gain simulation is given, it follows the formula within ``stable`` decades."""
    slopes = np.linspace(-1.0, 1.0, 41)
    factor = np.array([fns.he_gain(a) ** 2 * (1 + a**2) / 2 for a in slopes])
    wrong = fns.he_gain(0.0) ** 2 * (1 + 0.5**2) / 2
    ok = bool(np.allclose(factor, 1.0, rtol=0, atol=1e-12) and not np.isclose(wrong, 1.0))
    text = (
        f"per-layer factor g^2(1+a^2)/2 with the He gain: {factor.min():.3f}..{factor.max():.3f} "
        f"over 41 slopes; ReLU gain at a = 0.5: {wrong:.3f}"
    )
    if init_gain is not None:
        decades = np.abs(np.log10(init_gain.measured[:, -1] / init_gain.analytic[:, -1]))
        ok = ok and bool(np.all(decades < stable))
        text += f"; simulation vs formula at depth {init_gain.measured.shape[1]}: "
        text += f"{decades.max():.2f} decades at most"
    return ok, text


CHECKS = {
    f.__name__: f
    for f in (
        relu_negative,
        relu_slope_zero,
        leaky_default,
        leaky_never_zero,
        leaky_derivative,
        prelu_derivative,
        alpha_not_parameter,
        extra_parameters,
        relu_no_knob,
        he_gain,
    )
}
"""The definition checks by name (``inputs: {check: <name>}`` in claims.yml)."""
