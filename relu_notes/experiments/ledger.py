"""The claims ledger: every claim of the source notes, the experiment that tests it, the
measured result and a verdict computed by an explicit rule.

Usage from a notebook cell::

    from relu_notes.experiments import ledger
    results = ledger.run_all()              # every experiment at default settings
    rows = ledger.build_ledger(results)     # list of dicts, one per claim
    print(ledger.render_markdown(rows))     # a MyST table with links into the book

``results`` maps experiment names (:data:`EXPERIMENTS`) to the result objects returned by the
``run_*`` functions. A claim whose experiment is missing from ``results`` gets the verdict
``"not measured"``. Every verdict is one of :data:`VERDICTS` and comes from the thresholds
written next to each rule below, never from a stored answer.
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from relu_notes.experiments import (
    alpha_sweep,
    born_dead,
    dying,
    init_gain,
    overfitting,
    prelu_alpha,
    speed,
)
from relu_notes.experiments.stats import standard_error
from relu_notes.functional import (
    leaky_relu,
    leaky_relu_backward,
    prelu,
    prelu_backward,
    relu,
    relu_backward,
)
from relu_notes.gradcheck import elementwise_derivative
from relu_notes.mlp import MLP

HOLDS, CAVEAT, FAILS, MISSING = "holds", "holds with caveat", "does not hold here", "not measured"
VERDICTS = (HOLDS, CAVEAT, FAILS)

EXPERIMENTS = (
    "dying",
    "born_dead",
    "alpha_sweep",
    "prelu_alpha",
    "overfitting",
    "init_gain",
    "speed",
)

CHAPTERS = {
    "why": "1 Why ReLU dies",
    "leaky": "2 Leaky ReLU",
    "prelu": "3 PReLU",
    "compare": "4 ReLU vs Leaky ReLU vs PReLU",
}
"""Chapter titles of the course book (``book/0N_*.ipynb``)."""

SECTIONS = {
    "relu-convention": ("why", "The convention at x = 0"),
    "exp-dying": ("why", "Experiment: dying ReLU in training"),
    "exp-born-dead": ("why", "Experiment: born dead at initialisation"),
    "leaky-definition": ("leaky", "Definition"),
    "leaky-derivative": ("leaky", "Derivative"),
    "leaky-never-zero": ("leaky", "Is the gradient really never 0?"),
    "exp-alpha-sweep": ("leaky", "Experiment: alpha sweep"),
    "prelu-derivatives": ("prelu", "Derivatives with respect to x and alpha"),
    "exp-prelu-alpha": ("prelu", "Experiment: PReLU's learned alpha"),
    "exp-init-gain": ("prelu", "Experiment: initialisation gain"),
    "exp-overfitting": ("prelu", "Experiment: overfitting with few examples"),
    "comparison-definitions": ("compare", "The rows that follow from the definitions"),
    "exp-speed": ("compare", "Experiment: speed"),
}
"""Book sections whose cells test claims: MyST target label -> (chapter key, section title).

Each label is a ``(label)=`` target in the chapter notebook, so the ledger links to the cell
that runs the test (a broken label fails the book's ``-W -n`` build)."""

TIMED = frozenset({"speed"})
"""Experiments whose results depend on wall-clock timings (they differ from run to run)."""

# Thresholds used by the rules (fractions are of hidden units, accuracies in [0, 1]).
DEAD_HIGH = 0.10  # "high" dead fraction at the end of the dying experiment
DEAD_LOW = 0.05  # "low"
DEAD_VERY_LOW = 0.01  # "very low"
# Forward (read x, write y) + backward (read x and grad, write grad_in) move about 2.5 copies'
# worth of memory; within twice that counts as "very fast".
VERY_FAST_COPIES = 5.0
SLIGHTLY_MORE = 2.0  # PReLU at most this many times ReLU's cost = "slightly" more computation
STABLE_DECADES = 1.0  # |log10(q_L / q_1)| below this = variance stable through depth


@dataclass(frozen=True)
class Claim:
    """One claim; ``evaluate(results) -> (measured text, verdict)``.

    ``tested_by`` names the package functions the verdict uses (``run_<name>`` means the
    experiment ``results[<name>]``); ``section`` is a key of :data:`SECTIONS`, where the book
    runs that test.
    """

    id: str
    text_en: str
    text_bn: str
    tested_by: tuple
    section: str
    evaluate: Callable

    @property
    def needs(self):
        """The experiments (keys of ``results``) the verdict depends on."""
        return tuple(f.removeprefix("run_") for f in self.tested_by if f.startswith("run_"))

    @property
    def timed(self):
        """True when the verdict depends on timings (see :data:`TIMED`)."""
        return bool(TIMED.intersection(self.needs))


# ---------------------------------------------------------------- measurements on the functions
_GRID = np.linspace(-3.0, 3.0, 601)  # includes x = 0


def _relu_negative(_):
    out = relu(_GRID[_GRID < 0])
    grad = relu_backward(np.ones_like(_GRID), _GRID)
    ok = np.all(out == 0) and np.all(grad[_GRID <= 0] == 0)
    return (
        f"max |relu(x)| for x<0: {np.abs(out).max():.1g}; relu'(x) for x<=0: "
        f"{np.unique(grad[_GRID <= 0])[0]:.1g}",
        HOLDS if ok else FAILS,
    )


def _leaky_definition(_):
    y = leaky_relu(_GRID)  # default negative_slope
    slope_neg = float(np.median((y[_GRID < 0]) / _GRID[_GRID < 0]))
    ok = np.allclose(y[_GRID > 0], _GRID[_GRID > 0]) and np.isclose(slope_neg, 0.01)
    return f"default slope on x<0: {slope_neg:.3g}; identity on x>0", HOLDS if ok else FAILS


def _leaky_grad_never_zero(_):
    g = leaky_relu_backward(np.ones_like(_GRID), _GRID)
    mn = float(np.min(np.abs(g)))
    verdict = HOLDS if mn > 0 else FAILS
    return f"min |d leaky_relu/dx| over [-3, 3] incl. x=0: {mn:.3g} (= alpha)", verdict


def _derivative_matches(name):
    def evaluate(_):
        alpha = 0.2
        x = _GRID[np.abs(_GRID) > 1e-3]  # finite differences are undefined at the kink
        if name == "leaky":
            an = leaky_relu_backward(np.ones_like(x), x, alpha)
            fd = elementwise_derivative(lambda t: leaky_relu(t, alpha), x)
            err = float(np.max(np.abs(an - fd)))
            extra = ""
        else:
            w = np.array([alpha])
            an, gw = prelu_backward(np.ones_like(x), x, w)
            fd = elementwise_derivative(lambda t: prelu(t, w), x)
            fd_w = float(np.sum(elementwise_derivative(lambda a: prelu(x, np.array([a])), alpha)))
            err = float(max(np.max(np.abs(an - fd)), abs(float(gw.sum()) - fd_w)))
            extra = " and dL/dalpha"
        vals = np.unique(np.round(an, 6))
        return (
            f"hand-written backward{extra} vs finite differences: max error {err:.1g}; "
            f"values {vals.tolist()}",
            HOLDS if err < 1e-5 else FAILS,
        )

    return evaluate


def _param_counts(sizes=(64, 32, 32, 10)):
    return {a: MLP(sizes, a).n_parameters() for a in ("relu", "leaky_relu", "prelu")} | {
        "prelu_shared": MLP(sizes, "prelu", prelu_shared=True).n_parameters()
    }


# ---------------------------------------------------------------- rules on experiment results
def _need(*names):
    def wrap(rule):
        def evaluate(results):
            if any(n not in results for n in names):
                return f"run {', '.join(names)} first", MISSING
            return rule(*(results[n] for n in names))

        return evaluate

    return wrap


@_need("dying", "born_dead")
def _relu_can_die(dying, born):
    after = dying.dead_after_shift("relu")
    final = dying.final_dead("relu")
    layer1 = dying.final_dead("relu", layer=0)
    w = born.widths.index(2) if 2 in born.widths else 0
    deep = float(born.p_dead[w, -1])
    text = (
        f"after a bias shift {after:.0%} of ReLU units dead, {final:.0%} still dead at the "
        f"end (layer 1: {layer1:.0%}); born dead at width {born.widths[w]}, depth "
        f"{born.depths[-1]}: {deep:.0%}"
    )
    if final >= DEAD_HIGH and layer1 > 0:
        return text, HOLDS
    if after >= DEAD_HIGH:
        return text + "; most revive as lower layers change", CAVEAT
    return text, FAILS


@_need("dying")
def _leaky_reduces_dead(dying):
    r, lk = dying.final_dead("relu"), dying.final_dead("leaky_relu")
    text = f"final dead fraction: ReLU {r:.1%}, Leaky ReLU {lk:.1%}"
    if lk <= DEAD_LOW and lk <= 0.5 * r:
        return text, HOLDS
    return text, CAVEAT if lk < r else FAILS


def _dead_cell(activation, level):
    @_need("dying")
    def rule(dying):
        d = dying.final_dead(activation)
        acc = dying.final_test_acc(activation)
        text = f"{d:.1%} dead at the end (test acc {acc:.2f})"
        if level == "high":
            return text, HOLDS if d >= DEAD_HIGH else FAILS
        if level == "low":
            return text, HOLDS if d <= DEAD_LOW else FAILS
        if d > DEAD_VERY_LOW:
            return text, FAILS
        lk = dying.final_dead("leaky_relu")
        if d > lk:
            return text + f"; not lower than Leaky ReLU's {lk:.1%}", CAVEAT
        return text, HOLDS

    return rule


def _very_fast_verdict(ratio, relu_ratio):
    """ "Very fast": within VERY_FAST_COPIES copies *and* within 1.5x ReLU; one of the two is a
    caveat, neither fails (either alone is a defensible reading of the notes' word)."""
    met = (ratio <= VERY_FAST_COPIES) + (ratio <= 1.5 * relu_ratio)
    return (FAILS, CAVEAT, HOLDS)[met]


@_need("speed")
def _leaky_fast(speed):
    r, lk = speed.total_ratio("relu"), speed.total_ratio("leaky_relu")
    return f"fwd+bwd = {lk:.1f} copies (ReLU {r:.1f})", _very_fast_verdict(lk, r)


def _speed_cell(activation, label):
    @_need("speed")
    def rule(speed):
        ratio = speed.total_ratio(activation)
        base = speed.total_ratio("relu")
        text = f"fwd+bwd = {ratio:.1f} copies ({ratio / base:.2f}x ReLU)"
        if label == "very fast":
            return text, _very_fast_verdict(ratio, base)
        # "fast": slower than the "very fast" ones but within SLIGHTLY_MORE x ReLU
        if ratio <= SLIGHTLY_MORE * base:
            return text, HOLDS if ratio > base else CAVEAT
        return text, FAILS

    return rule


@_need("alpha_sweep")
def _leaky_keeps_relu_advantages(sweep):
    """Leaky ReLU (0.01) is not worse than ReLU by more than the sweep's noise tolerance."""
    a0, a1 = sweep.alphas.index(0.0), sweep.alphas.index(0.01)
    diff = sweep.mean[:, a1] - sweep.mean[:, a0]
    tol = np.maximum(2 * np.hypot(sweep.sem[:, a0], sweep.sem[:, a1]), 1.0 / np.array(sweep.n_test))
    text = "test acc (alpha 0.01 - ReLU): " + ", ".join(
        f"{d} {x:+.3f}" for d, x in zip(sweep.datasets, diff, strict=True)
    )
    return text, HOLDS if np.all(diff >= -tol) else FAILS


def _alpha_manual(_):
    counts = _param_counts()
    ok = counts["leaky_relu"] == counts["relu"]
    return (
        f"trainable parameters of a 64-32-32-10 MLP: ReLU {counts['relu']}, Leaky ReLU "
        f"{counts['leaky_relu']} (alpha is a hyperparameter)",
        HOLDS if ok else FAILS,
    )


@_need("alpha_sweep")
def _optimal_alpha_differs(sweep):
    best = {d: sweep.best_alpha(d) for d in sweep.datasets}
    common = sweep.common_alphas()
    text = "best alpha: " + ", ".join(f"{d} {a:g}" for d, a in best.items())
    if not common:
        return text + "; no alpha is within noise of the best on every dataset", HOLDS
    if len(set(best.values())) > 1:
        return (
            text + f"; but alphas {list(common)} are within seed noise of the best on every dataset"
        ), CAVEAT
    return text + "; the same alpha is best everywhere", FAILS


@_need("prelu_alpha")
def _prelu_learns_alpha(res):
    moved = max(float(np.max(np.abs(res.final_alphas(m) - res.prelu_init))) for m in res.modes)
    means = {m: res.layer_means(m) for m in res.modes}
    text = (
        f"alphas start at {res.prelu_init:g}; largest change {moved:.2f}; final layer means "
        + "; ".join(f"{m} {np.round(v, 2).tolist()}" for m, v in means.items())
    )
    return text, HOLDS if moved > 0.01 else FAILS


@_need("prelu_alpha")
def _prelu_flexible(res):
    spread = float(np.std(np.concatenate(res.alpha_final[0][0])))
    range_layers = float(np.ptp(res.layer_means(res.modes[0])))
    text = (
        f"{res.modes[0]} alphas: std over units {spread:.3f}, range of layer means "
        f"{range_layers:.3f}"
    )
    return text, HOLDS if spread > 0.02 and range_layers > 0.02 else FAILS


@_need("prelu_alpha")
def _prelu_deep(res):
    best = float(res.test_acc.mean(axis=1).max())
    relu_acc = float(res.relu_test_acc.mean())
    n = len(res.hidden)
    text = (
        f"{n}-hidden-layer MLP (not a CNN) on {res.dataset}: PReLU {best:.3f} vs ReLU "
        f"{relu_acc:.3f} test acc"
    )
    if best >= relu_acc:
        return text + "; a deep MLP stands in for a deep CNN", CAVEAT
    return text, FAILS


@_need("prelu_alpha")
def _he_early_layers(res):
    parts, holds = [], []
    for m in res.modes:
        rho = res.depth_trend(m)
        means = res.layer_means(m)
        parts.append(f"{m}: first {means[0]:.2f}, last {means[-1]:.2f}, Spearman {rho:+.2f}")
        holds.append(rho <= -0.5 and means[0] > means[-1])
    verdict = HOLDS if all(holds) else CAVEAT if any(holds) else FAILS
    return "; ".join(parts), verdict


@_need("overfitting")
def _prelu_overfits(res):
    diff, se = res.gap_difference("prelu")
    n = res.train_sizes[0]
    text = f"train-test gap at n={n}: PReLU - ReLU = {diff:+.3f} (s.e. {se:.3f})"
    if diff > max(2 * se, 0.01):
        return text, HOLDS
    if diff > 0:
        return text + " (within noise)", CAVEAT
    return text, FAILS


@_need("overfitting")
def _prelu_small_data(res):
    a, b = res.activations.index("prelu"), res.activations.index("relu")
    d = res.test_acc[a, 0] - res.test_acc[b, 0]
    se = float(standard_error(d))
    mean = float(d.mean())
    text = f"test acc at n={res.train_sizes[0]}: PReLU - ReLU = {mean:+.3f} (s.e. {se:.3f})"
    if mean < -max(2 * se, 0.01):
        return text, HOLDS
    if mean < 0:
        return text + " (within noise)", CAVEAT
    return text, FAILS


@_need("speed")
def _prelu_more_compute(speed):
    ratio = speed.total_ratio("prelu") / speed.total_ratio("relu")
    text = f"PReLU fwd+bwd = {ratio:.2f}x ReLU"
    if 1.0 < ratio <= SLIGHTLY_MORE:
        return text, HOLDS
    if ratio > SLIGHTLY_MORE:
        return text + " (more than slightly)", CAVEAT
    return text, FAILS


def _param_cell(activation):
    def rule(_):
        counts = _param_counts()
        extra = counts[activation] - counts["relu"]
        if activation == "prelu":
            shared = counts["prelu_shared"] - counts["relu"]
            return (
                f"+{extra} alphas channel-wise, +{shared} shared (64-32-32-10 MLP)",
                HOLDS if extra > 0 and shared > 0 else FAILS,
            )
        return f"+{extra} parameters", HOLDS if extra == 0 else FAILS

    return rule


def _slope_cell(activation):
    def rule(results):
        if activation == "relu":
            s = float(np.median(relu(_GRID[_GRID < 0]) / _GRID[_GRID < 0]))
            return f"measured slope on x<0: {s:g}", HOLDS if s == 0 else FAILS
        if activation == "leaky_relu":
            return _leaky_definition(results)
        return _prelu_learns_alpha(results)

    return rule


def _flex_cell(activation):
    def rule(results):
        if activation == "relu":
            return "no knob on the negative side (slope fixed at 0)", HOLDS
        if activation == "leaky_relu":
            if "alpha_sweep" not in results:
                return "run alpha_sweep first", MISSING
            sweep = results["alpha_sweep"]
            rng = sweep.mean.max(axis=1) - sweep.mean.min(axis=1)
            text = "one hand-set knob; accuracy range over alpha: " + ", ".join(
                f"{d} {r:.3f}" for d, r in zip(sweep.datasets, rng, strict=True)
            )
            return text, HOLDS if rng.max() > 0.02 else CAVEAT
        return _prelu_flexible(results)

    return rule


@_need("born_dead")
def _lu_born_dead(born):
    w = born.widths.index(1) if 1 in born.widths else 0
    inside = np.all(
        (born.ci_high >= born.theory_lower - 1e-12) & (born.ci_low <= born.theory_upper + 1e-12)
    )
    increasing = np.all(np.diff(born.p_dead, axis=1) >= 0)
    text = (
        f"P(born dead) at depth {born.depths[-1]}: "
        + ", ".join(
            f"width {n}: {p:.2f}" for n, p in zip(born.widths, born.p_dead[:, -1], strict=True)
        )
        + f"; width {born.widths[w]} exact {born.theory_lower[w, -1]:.3f}; MC inside bounds: "
        f"{bool(inside)}; Leaky ReLU constant: {born.p_constant_leaky.max():.0%}"
    )
    return text, HOLDS if inside and increasing else FAILS


@_need("init_gain")
def _he_gain(res):
    decades = np.abs(np.log10(res.measured[:, -1]))
    matched = [i for i, c in enumerate(res.configs) if np.isclose(res.per_layer_ratio(i), 1)]
    wrong = [i for i in range(len(res.configs)) if i not in matched]
    stable = all(decades[i] < STABLE_DECADES for i in matched)
    unstable = all(decades[i] >= 2 for i in wrong)
    text = "; ".join(
        f"{c[0]}: q_L/q_1 = {res.measured[i, -1]:.3g}" for i, c in enumerate(res.configs)
    )
    return text, HOLDS if stable and unstable else FAILS


CLAIMS = (
    Claim(
        "R1",
        "ReLU outputs 0 for every negative input.",
        "x<0 ⇒ output = 0",
        ("relu",),
        "relu-convention",
        _relu_negative,
    ),
    Claim(
        "R2",
        "ReLU's gradient is 0 for negative input.",
        "gradient = 0",
        ("relu_backward",),
        "relu-convention",
        _relu_negative,
    ),
    Claim(
        "R3",
        "A ReLU neuron can die and stop learning.",
        "neuron dead হয়ে যেতে পারে (আর শেখে না)",
        ("run_dying", "run_born_dead"),
        "exp-dying",
        _relu_can_die,
    ),
    Claim(
        "L1",
        "Leaky ReLU gives negative inputs a small slope, usually alpha = 0.01.",
        "Leaky ReLU negative input-এর জন্য ছোট একটা slope দেয়। ... সাধারণত α = 0.01",
        ("leaky_relu",),
        "leaky-definition",
        _leaky_definition,
    ),
    Claim(
        "L2",
        "Leaky ReLU's gradient is never 0.",
        "Gradient কখনোই 0 হয় না",
        ("leaky_relu_backward",),
        "leaky-never-zero",
        _leaky_grad_never_zero,
    ),
    Claim(
        "L3",
        "Leaky ReLU greatly reduces the dead neuron problem.",
        "Dead neuron সমস্যা অনেক কমে যায় / Dead ReLU সমস্যা কমায়",
        ("run_dying",),
        "exp-dying",
        _leaky_reduces_dead,
    ),
    Claim(
        "L4",
        "Leaky ReLU's derivative is 1 for x > 0 and alpha for x < 0.",
        "d/dx = 1 (x>0), α (x<0)",
        ("leaky_relu_backward",),
        "leaky-derivative",
        _derivative_matches("leaky"),
    ),
    Claim(
        "L5",
        "Leaky ReLU is simple and fast.",
        "Simple & fast",
        ("run_speed",),
        "exp-speed",
        _leaky_fast,
    ),
    Claim(
        "L6",
        "Leaky ReLU keeps almost all of ReLU's advantages.",
        "ReLU-এর প্রায় সব সুবিধা বজায় রাখে",
        ("run_alpha_sweep",),
        "exp-alpha-sweep",
        _leaky_keeps_relu_advantages,
    ),
    Claim(
        "L7",
        "Leaky ReLU's alpha must be set by hand.",
        "α manually set করতে হয়",
        ("MLP.n_parameters",),
        "comparison-definitions",
        _alpha_manual,
    ),
    Claim(
        "L8",
        "The optimal alpha is not the same for every dataset.",
        "Optimal α সব dataset-এর জন্য same না",
        ("run_alpha_sweep",),
        "exp-alpha-sweep",
        _optimal_alpha_differs,
    ),
    Claim(
        "P1",
        "In PReLU alpha is not fixed: the network learns it.",
        "PReLU-তে α fixed না, network নিজেই শেখে।",
        ("run_prelu_alpha",),
        "exp-prelu-alpha",
        _prelu_learns_alpha,
    ),
    Claim(
        "P2",
        "PReLU's derivative is 1 for x > 0 and alpha for x < 0, and alpha itself is updated "
        "by its own gradient.",
        "α নিজেও gradient দিয়ে update হয়।",
        ("prelu_backward",),
        "prelu-derivatives",
        _derivative_matches("prelu"),
    ),
    Claim(
        "P3",
        "PReLU is more flexible than Leaky ReLU: the model decides how much negative "
        "signal to let through.",
        "Model নিজেই ঠিক করে নেয় ... বেশি flexible than Leaky ReLU",
        ("run_prelu_alpha",),
        "exp-prelu-alpha",
        _prelu_flexible,
    ),
    Claim(
        "P4",
        "PReLU almost fully solves dead neurons.",
        "Dead neuron প্রায় পুরোপুরি solve",
        ("run_dying",),
        "exp-dying",
        _dead_cell("prelu", "very low"),
    ),
    Claim(
        "P5",
        "PReLU is adaptive (data-driven).",
        "Adaptive (data-driven)",
        ("run_prelu_alpha",),
        "exp-prelu-alpha",
        _prelu_learns_alpha,
    ),
    Claim(
        "P6",
        "PReLU is very good for deep CNNs.",
        "Very good for deep CNNs",
        ("run_prelu_alpha",),
        "exp-prelu-alpha",
        _prelu_deep,
    ),
    Claim(
        "P7",
        "PReLU's extra parameters mean a risk of overfitting.",
        "Extra parameter ⇒ overfitting risk",
        ("run_overfitting",),
        "exp-overfitting",
        _prelu_overfits,
    ),
    Claim(
        "P8",
        "PReLU needs slightly more computation.",
        "Slightly more computation",
        ("run_speed",),
        "exp-speed",
        _prelu_more_compute,
    ),
    Claim(
        "P9",
        "PReLU may be worse on small datasets.",
        "Small datasets-এ ভালো নাও হতে পারে",
        ("run_overfitting",),
        "exp-overfitting",
        _prelu_small_data,
    ),
    Claim(
        "T1",
        "Table, negative slope: ReLU 0.",
        "Negative slope | ReLU | 0",
        ("relu",),
        "comparison-definitions",
        _slope_cell("relu"),
    ),
    Claim(
        "T2",
        "Table, negative slope: Leaky ReLU fixed (0.01).",
        "Negative slope | Leaky ReLU | Fixed (0.01)",
        ("leaky_relu",),
        "comparison-definitions",
        _slope_cell("leaky_relu"),
    ),
    Claim(
        "T3",
        "Table, negative slope: PReLU learnable.",
        "Negative slope | PReLU | Learnable",
        ("run_prelu_alpha",),
        "exp-prelu-alpha",
        _slope_cell("prelu"),
    ),
    Claim(
        "T4",
        "Table, dead neurons: ReLU high.",
        "Dead neuron | ReLU | ✘ High",
        ("run_dying",),
        "exp-dying",
        _dead_cell("relu", "high"),
    ),
    Claim(
        "T5",
        "Table, dead neurons: Leaky ReLU low.",
        "Dead neuron | Leaky ReLU | ⚠ Low",
        ("run_dying",),
        "exp-dying",
        _dead_cell("leaky_relu", "low"),
    ),
    Claim(
        "T6",
        "Table, dead neurons: PReLU very low.",
        "Dead neuron | PReLU | ✔ Very low",
        ("run_dying",),
        "exp-dying",
        _dead_cell("prelu", "very low"),
    ),
    Claim(
        "T7",
        "Table, parameters: ReLU none.",
        "Parameters | ReLU | None",
        ("MLP.n_parameters",),
        "comparison-definitions",
        _param_cell("relu"),
    ),
    Claim(
        "T8",
        "Table, parameters: Leaky ReLU none.",
        "Parameters | Leaky ReLU | None",
        ("MLP.n_parameters",),
        "comparison-definitions",
        _param_cell("leaky_relu"),
    ),
    Claim(
        "T9",
        "Table, parameters: PReLU extra alpha.",
        "Parameters | PReLU | Extra α",
        ("MLP.n_parameters",),
        "comparison-definitions",
        _param_cell("prelu"),
    ),
    Claim(
        "T10",
        "Table, speed: ReLU very fast.",
        "Speed | ReLU | Very fast",
        ("run_speed",),
        "exp-speed",
        _speed_cell("relu", "very fast"),
    ),
    Claim(
        "T11",
        "Table, speed: Leaky ReLU very fast.",
        "Speed | Leaky ReLU | Very fast",
        ("run_speed",),
        "exp-speed",
        _speed_cell("leaky_relu", "very fast"),
    ),
    Claim(
        "T12",
        "Table, speed: PReLU fast.",
        "Speed | PReLU | Fast",
        ("run_speed",),
        "exp-speed",
        _speed_cell("prelu", "fast"),
    ),
    Claim(
        "T13",
        "Table, flexibility: ReLU low.",
        "Flexibility | ReLU | Low",
        ("relu",),
        "comparison-definitions",
        _flex_cell("relu"),
    ),
    Claim(
        "T14",
        "Table, flexibility: Leaky ReLU medium.",
        "Flexibility | Leaky ReLU | Medium",
        ("run_alpha_sweep",),
        "exp-alpha-sweep",
        _flex_cell("leaky_relu"),
    ),
    Claim(
        "T15",
        "Table, flexibility: PReLU high.",
        "Flexibility | PReLU | High",
        ("run_prelu_alpha",),
        "exp-prelu-alpha",
        _flex_cell("prelu"),
    ),
    Claim(
        "X1",
        "Lu et al. 2019: a deep ReLU net of fixed width is born dead with probability "
        "-> 1 as depth grows (symmetric init).",
        "",
        ("run_born_dead",),
        "exp-born-dead",
        _lu_born_dead,
    ),
    Claim(
        "X2",
        "He et al. 2015: the gain sqrt(2/(1+alpha^2)) keeps activation variance "
        "stable through depth; a wrong gain does not.",
        "",
        ("run_init_gain",),
        "exp-init-gain",
        _he_gain,
    ),
    Claim(
        "X3",
        "He et al. 2015: early layers learn larger PReLU coefficients than deep ones.",
        "",
        ("run_prelu_alpha",),
        "exp-prelu-alpha",
        _he_early_layers,
    ),
    Claim(
        "X4",
        "Xu et al. 2015: PReLU overfits more on small data.",
        "",
        ("run_overfitting",),
        "exp-overfitting",
        _prelu_overfits,
    ),
)


def build_ledger(results, claims=CLAIMS):
    """Evaluate every claim on ``results`` (dict: experiment name -> result object).

    Returns a list of dicts with keys ``id, claim, original, chapter, section, label, where,
    tested_by, measured, verdict, timed``; ``where`` is a MyST link to the section that tests
    the claim, ``timed`` says whether the verdict depends on timings.
    """
    rows = []
    for c in claims:
        measured, verdict = c.evaluate(results)
        chapter_key, section = SECTIONS[c.section]
        chapter = CHAPTERS[chapter_key]
        rows.append(
            {
                "id": c.id,
                "claim": c.text_en,
                "original": c.text_bn,
                "chapter": chapter,
                "section": section,
                "label": c.section,
                "where": f"[{chapter.split()[0]} · {section}](#{c.section})",
                "tested_by": ", ".join(c.tested_by),
                "measured": measured,
                "verdict": verdict,
                "timed": c.timed,
            }
        )
    return rows


def select(rows, timed=None):
    """The rows whose ``timed`` flag equals ``timed`` (all rows when ``timed`` is None)."""
    return [r for r in rows if timed is None or r["timed"] == timed]


def verdict_counts(rows):
    """``{verdict: count}`` over the rows."""
    counts = {}
    for r in rows:
        counts[r["verdict"]] = counts.get(r["verdict"], 0) + 1
    return counts


def _cell(value):
    return str(value).replace("|", "\\|").replace("\n", " ")


def _book_cell(row, column):
    """Cell text of the book's ledger: claim with the notes' words, link with the tester."""
    if column == "claim":
        original = f" *{row['original']}*" if row["original"] else ""
        return f"{row['claim']}{original}"
    if column == "where":
        tested = ", ".join(f"`{f}`" for f in row["tested_by"].split(", "))
        return f"{row['where']} ({tested})"
    if column == "verdict":
        verdict = row["verdict"] if row["verdict"] == HOLDS else f"**{row['verdict']}**"
        return f"{verdict} (timed)" if row["timed"] else verdict
    return row[column]


BOOK_COLUMNS = {
    "id": "id",
    "claim": "claim (the notes' words)",
    "where": "tested in",
    "measured": "measured",
    "verdict": "verdict",
}
"""Columns of the ledger as the book shows it: row key -> header."""


def render_markdown(rows):
    """The ledger as a MyST markdown table (columns :data:`BOOK_COLUMNS`; ``|`` is escaped).

    Claims carry the notes' original words in italics, ``tested in`` links to the book section
    that runs the test (with the package functions used), verdicts other than "holds" are bold
    and verdicts that depend on timings are marked "(timed)".
    """
    lines = ["| " + " | ".join(BOOK_COLUMNS.values()) + " |", "|" + "---|" * len(BOOK_COLUMNS)]
    for r in rows:
        lines.append("| " + " | ".join(_cell(_book_cell(r, c)) for c in BOOK_COLUMNS) + " |")
    return "\n".join(lines)


NOTES_TABLE = {
    "Negative slope": ("0", "Fixed (0.01)", "Learnable"),
    "Dead neuron": ("High", "Low", "Very low"),
    "Parameters": ("None", "None", "Extra α"),
    "Speed": ("Very fast", "Very fast", "Fast"),
    "Flexibility": ("Low", "Medium", "High"),
}


def comparison_table(results):
    """The notes' table filled in with measured values: list of dicts (one per feature).

    Keys: ``feature``, ``timed`` (True for the Speed row, measured by timings), then for each of
    ``relu``, ``leaky_relu``, ``prelu`` the notes' entry (``<act>_notes``) and the measured
    value (``<act>_measured``).
    """
    acts = ("relu", "leaky_relu", "prelu")
    counts = _param_counts()
    measured = {"Parameters": [f"+{counts[a] - counts['relu']} (64-32-32-10 MLP)" for a in acts]}
    if "prelu_alpha" in results:
        res = results["prelu_alpha"]
        vals = res.final_alphas(res.modes[0])
        measured["Negative slope"] = [
            "0",
            "0.01 (hand-set)",
            f"learned {vals.min():.2f}..{vals.max():.2f}",
        ]
        measured["Flexibility"] = [
            "0 knobs",
            "1 hand-set knob",
            f"{vals.size // len(res.seeds)} learned (one per hidden unit)",
        ]
    if "dying" in results:
        d = results["dying"]
        measured["Dead neuron"] = [f"{d.final_dead(a):.1%} dead" for a in acts]
    if "speed" in results:
        s = results["speed"]
        measured["Speed"] = [f"{s.total_ratio(a):.1f}x copy" for a in acts]
    rows = []
    for feature, notes in NOTES_TABLE.items():
        row = {"feature": feature, "timed": feature == "Speed"}
        for a, n, m in zip(acts, notes, measured.get(feature, ["not measured"] * 3), strict=True):
            row[f"{a}_notes"] = n
            row[f"{a}_measured"] = m
        rows.append(row)
    return rows


def render_comparison_markdown(rows, column="measured", timed=None):
    """Markdown table in the layout of the notes' table, one column per activation.

    ``column``: ``"notes"`` (the notes' entries), ``"measured"`` or ``"both"`` (cells
    ``notes → measured``); ``timed`` as in :func:`select` (the Speed row is the timed one).
    """
    lines = ["| Feature | ReLU | Leaky ReLU | PReLU |", "|---|---|---|---|"]
    for r in select(rows, timed):
        cells = []
        for a in ("relu", "leaky_relu", "prelu"):
            notes, measured = r[f"{a}_notes"], r[f"{a}_measured"]
            cells.append(
                {"notes": notes, "measured": measured}.get(column, f"{notes} → {measured}")
            )
        lines.append(f"| {r['feature']} | " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(lines)


QUICK = {
    "dying": {"hidden": (32, 32), "epochs_after": 6, "seeds": (0,)},
    "born_dead": {"widths": (1, 2), "depths": (1, 2, 4, 8), "n_trials": 500},
    "alpha_sweep": {
        "datasets": ("moons", "wine"),
        "alphas": (0.0, 0.01, 0.5),
        "seeds": (0, 1),
        "epochs": 8,
    },
    "prelu_alpha": {"hidden": (16, 16, 16), "seeds": (0,), "epochs": 3},
    "overfitting": {"train_sizes": (20, 200), "seeds": (0, 1), "steps": 40},
    "init_gain": {"depth": 8, "width": 64, "n_samples": 64},
    "speed": {"shape": (256, 64), "repeats": 3},
}
"""Small settings (about a second in total) for tests and quick previews; not for verdicts."""

RUNNERS = {
    "dying": dying.run_dying,
    "born_dead": born_dead.run_born_dead,
    "alpha_sweep": alpha_sweep.run_alpha_sweep,
    "prelu_alpha": prelu_alpha.run_prelu_alpha,
    "overfitting": overfitting.run_overfitting,
    "init_gain": init_gain.run_init_gain,
    "speed": speed.run_speed,
}


def run_all(quick=False, **overrides):
    """Run every experiment; returns the ``results`` dict for :func:`build_ledger`.

    Default settings unless ``quick=True`` (:data:`QUICK`); ``overrides[name]`` is a dict of
    keyword arguments that replaces the settings of one experiment.
    """
    settings = QUICK if quick else {}
    return {
        name: RUNNERS[name](**overrides.get(name, settings.get(name, {}))) for name in EXPERIMENTS
    }
