"""The rules: results -> measurements (intervals over seeds or repeats) -> a verdict.

A rule is a function ``rule(ctx, results) -> Outcome`` registered in :data:`RULES` under the
name that claims.yml gives it; ``ctx`` carries the claim (its ``inputs`` say which result, arms
and quantity) and the only door to numbers: :meth:`Context.threshold` reads a threshold by the
role the claim gives it, and records that it was read, so the tests can check that every
threshold a rule uses is declared and every declared one is used.

Every measured rule can give ``holds``, ``inconclusive`` and ``does not hold here`` (tests feed
each one synthetic measurements that reach each), and ``holds with caveat`` only when the claim
states a second condition (``second:`` in claims.yml).
"""

from dataclasses import dataclass, field

import numpy as np

from relu_notes.ledger import measures
from relu_notes.ledger.definitions import CHECKS
from relu_notes.ledger.measures import Measurement, bonferroni, interval, label
from relu_notes.ledger.verdicts import (
    DECISIONS,
    DEFINITION,
    FAILS,
    HOLDS,
    INCONCLUSIVE,
    between,
    differs_from,
    greater_than,
    less_than,
    strongest,
    weakest,
    with_second_condition,
)


@dataclass(frozen=True)
class Outcome:
    """A rule's answer: the verdict, the measurements behind it (the first ones are the
    headline) and a short text of what was measured."""

    verdict: str
    measurements: tuple = ()
    note: str = ""


@dataclass
class Context:
    """What a rule may see: its claim, the declared thresholds and the definition functions."""

    claim: object
    table: dict
    functions: object = None
    used: set = field(default_factory=set)

    def threshold(self, role):
        """The value of the threshold the claim names for ``role`` (KeyError if it names none:
        a rule cannot use a number its claim does not declare)."""
        name = self.claim.thresholds[role]
        self.used.add(name)
        return float(self.table[name]["value"])

    def setting(self, name):
        """A threshold applied to every row (``scope: every row``): CONFIDENCE, MIN_SEEDS..."""
        self.used.add(name)
        return float(self.table[name]["value"])

    @property
    def confidence(self):
        return self.setting("CONFIDENCE")

    def enough(self, measurement):
        """Whether ``measurement`` rests on enough seeds (or repeats) for a verdict."""
        minimum = {"seeds": "MIN_SEEDS", "repeats": "MIN_REPEATS"}.get(measurement.kind)
        return minimum is None or measurement.interval.n >= self.setting(minimum)

    def decide(self, measurement, decision, *args, **kwargs):
        """``decision(measurement.interval, *args)``, or ``inconclusive`` when it rests on too
        few seeds or repeats."""
        if not self.enough(measurement):
            return INCONCLUSIVE
        return decision(measurement.interval, *args, **kwargs)

    def values(self, result_name, result, quantity, at, arm=None):
        return measures.per_seed(result_name, result, quantity, at, arm)


RULES = {}
"""Rule name (``rule:`` in claims.yml) -> function ``(ctx, results) -> Outcome``."""


def rule(name):
    def register(function):
        RULES[name] = function
        return function

    return register


def _few(ctx, measurements):
    """A note for measurements with too few seeds or repeats (empty when all are enough)."""
    short = [m for m in measurements if not ctx.enough(m)]
    if not short:
        return ""
    return f"; only {short[0].interval.n} {short[0].kind}: inconclusive by rule"


# ------------------------------------------------------------------------------ definitions
@rule("definition")
def _definition(ctx, results):
    inputs = dict(ctx.claim.inputs)
    check = CHECKS[inputs.pop("check")]
    kwargs = {role: ctx.threshold(role) for role in ctx.claim.thresholds}
    if check.__name__ == "he_gain":
        kwargs["init_gain"] = results.get("init_gain")
    ok, text = check(ctx.functions, **inputs, **kwargs)
    return Outcome(DEFINITION if ok else FAILS, (), text)


# ------------------------------------------------------------------------------ second conditions
def _second_settled(ctx, state, _spec):
    done, runs = measures.settled(state["name"], state["result"], state["at"], state["arms"])
    verdict = HOLDS if done == runs else FAILS
    return verdict, (), f"{done} of {runs} runs met the settling rule"


def _second_uncapped(ctx, state, _spec):
    capped = int(getattr(state["result"], "n_capped", lambda: 0)())
    verdict = HOLDS if capped == 0 else FAILS
    return verdict, (), f"{capped} run{'s' * (capped != 1)} hit the step cap"


def _second_greatly(ctx, state, spec):
    fraction = ctx.threshold("greatly")
    get = state["get"]
    m = Measurement(
        label(state["quantity"], spec["arm"], None, state["at"])
        + f" - {fraction:g} x {measures.ARM_LABELS.get(spec['of'], spec['of'])}'s",
        interval(get(spec["arm"]) - fraction * get(spec["of"]), ctx.confidence),
        difference=True,
    )
    verdict = ctx.decide(m, less_than, 0.0)
    return verdict, (m,), f"greatly (at most {fraction:g} of the dead units)"


def _second_compare(ctx, state, spec):
    get = state["get"]
    m = Measurement(
        label(state["quantity"], spec["a"], spec["b"], state["at"]),
        interval(get(spec["a"]) - get(spec["b"]), ctx.confidence),
        difference=True,
    )
    verdict = ctx.decide(m, DECISIONS[spec["direction"]], ctx.threshold(spec["threshold"]))
    word = "fewer" if spec["direction"] == "less_than" else "more"
    return verdict, (m,), f"{spec['a']} {word} than {spec['b']}"


def _second_architecture(ctx, state, spec):
    architecture = getattr(state["result"], "architecture", "mlp")
    verdict = HOLDS if architecture == spec else FAILS
    return verdict, (), f"network: {architecture} (the claim is about a {spec})"


def _second_min_depth(ctx, state, spec):
    depth, needed = state["result"].depth, ctx.threshold(spec)
    verdict = HOLDS if depth >= needed else FAILS
    return verdict, (), f"{depth} conv layers (a deep CNN has at least {needed:g})"


def _second_slower(ctx, state, spec):
    m = state["measurement"]
    verdict = ctx.decide(m, greater_than, ctx.threshold(spec["threshold"]))
    return verdict, (), "PReLU measurably slower than ReLU"


def _second_mode(ctx, state, mode):
    m = Measurement(
        label("depth_trend", None, None, {"mode": mode}),
        interval(state["result"].depth_trend(mode), ctx.confidence),
        difference=True,
    )
    verdict = ctx.decide(m, less_than, ctx.threshold("threshold"))
    return verdict, (m,), f"the {mode} variant agrees"


SECOND = {
    "settled": _second_settled,
    "uncapped": _second_uncapped,
    "greatly": _second_greatly,
    "compare": _second_compare,
    "architecture": _second_architecture,
    "min_depth": _second_min_depth,
    "slower_than_relu": _second_slower,
    "agrees_in_mode": _second_mode,
}
"""Second conditions a claim may state (``second:`` in claims.yml), by kind."""


def _with_second(ctx, state, primary, measurements, note):
    """Apply the claim's stated second conditions: ``holds`` becomes ``holds with caveat``
    unless every one of them holds. Returns the Outcome."""
    results, texts, extra = [], [], []
    for item in ctx.claim.second:
        kind, spec = (item, None) if isinstance(item, str) else next(iter(item.items()))
        verdict, ms, text = SECOND[kind](ctx, state, spec)
        results.append(verdict)
        extra.extend(ms)
        if verdict != HOLDS:
            texts.append(f"not met: {text}")
        else:
            texts.append(text)
    if not results:
        return Outcome(primary, tuple(measurements), note)
    final = with_second_condition(primary, weakest(results))
    return Outcome(final, tuple(measurements) + tuple(extra), note + "; " + "; ".join(texts))


# ------------------------------------------------------------------------------ level, compare
def _state(ctx, results):
    inputs = ctx.claim.inputs
    name = inputs["result"]
    result = results[name]
    at = measures.resolve_at(name, result, inputs.get("at"))
    quantity = inputs["quantity"]
    return {
        "name": name,
        "result": result,
        "at": at,
        "quantity": quantity,
        "get": lambda arm: ctx.values(name, result, quantity, at, arm),
    }


def _decision_args(ctx, inputs):
    args, kwargs = (ctx.threshold("threshold"),), {}
    if "centre" in inputs:
        kwargs["centre"] = float(inputs["centre"])
    return args, kwargs


@rule("level")
def _level(ctx, results):
    """One arm's per-seed quantity against a threshold (``direction``: greater_than,
    less_than or tie_within around ``centre``)."""
    inputs = ctx.claim.inputs
    state = _state(ctx, results)
    arm = inputs.get("arm")
    state["arms"] = (arm,)
    m = Measurement(
        label(state["quantity"], arm, None, state["at"]),
        interval(state["get"](arm), ctx.confidence),
        difference="centre" in inputs,
    )
    args, kwargs = _decision_args(ctx, inputs)
    verdict = ctx.decide(m, DECISIONS[inputs["direction"]], *args, **kwargs)
    return _with_second(ctx, state, verdict, (m,), f"over seeds{_few(ctx, (m,))}")


@rule("compare")
def _compare(ctx, results):
    """Paired difference ``a - b`` over the same seeds against a threshold."""
    inputs = ctx.claim.inputs
    state = _state(ctx, results)
    a, b = inputs["a"], inputs["b"]
    state["arms"] = (a, b)
    m = Measurement(
        label(state["quantity"], a, b, state["at"]),
        interval(state["get"](a) - state["get"](b), ctx.confidence),
        difference=True,
    )
    args, kwargs = _decision_args(ctx, inputs)
    verdict = ctx.decide(m, DECISIONS[inputs["direction"]], *args, **kwargs)
    return _with_second(ctx, state, verdict, (m,), f"paired by seed{_few(ctx, (m,))}")


# ------------------------------------------------------------------------------ PReLU's alphas
@rule("slopes_move")
def _slopes_move(ctx, results):
    """P1: some layer's mean alpha moves away from its start by more than the margin, with the
    same sign on every seed (interval outside start ± margin; Bonferroni over layers)."""
    res = results[ctx.claim.inputs["result"]]
    mode = ctx.claim.inputs["mode"]
    margin = ctx.threshold("margin")
    change = np.asarray(res.layer_means_per_seed(mode), float) - float(res.prelu_init)
    confidence = bonferroni(ctx.confidence, change.shape[1])
    ms = [
        Measurement(
            f"layer {i + 1} mean alpha - {res.prelu_init:g} ({mode})",
            interval(change[:, i], confidence),
            difference=True,
        )
        for i in range(change.shape[1])
    ]
    verdicts = [ctx.decide(m, differs_from, margin) for m in ms]
    headline = max(range(len(ms)), key=lambda i: abs(ms[i].interval.mean))
    moved = sum(v == HOLDS for v in verdicts)
    note = f"{moved} of {len(ms)} layers moved beyond ±{margin:g} on every seed"
    return Outcome(strongest(verdicts), (ms[headline],), note + _few(ctx, ms))


@rule("flexibility")
def _flexibility(ctx, results):
    """P3: learned slopes differ between units, and PReLU is not worse than each fixed leak."""
    inputs = ctx.claim.inputs
    res = results[inputs["result"]]
    spread = Measurement(
        label("unit_spread", None, None, {"mode": inputs["mode"]}),
        interval(res.unit_spread(inputs["mode"]), ctx.confidence),
    )
    verdicts = [ctx.decide(spread, greater_than, ctx.threshold("spread"))]
    ms = [spread]
    margin = ctx.threshold("margin")
    for fixed in inputs["fixed"]:
        m = Measurement(
            label("test_acc", inputs["arm"], fixed),
            interval(res.test_acc(inputs["arm"]) - res.test_acc(fixed), ctx.confidence),
            difference=True,
        )
        ms.append(m)
        verdicts.append(ctx.decide(m, greater_than, -margin))
    note = f"all required: spread > {ctx.threshold('spread'):g}; accuracy not worse by > {margin:g}"
    return Outcome(weakest(verdicts), tuple(ms), note + _few(ctx, ms))


@rule("depth_trend")
def _depth_trend(ctx, results):
    """X3: per seed, Spearman(layer index, mean alpha) lies below the threshold (0)."""
    inputs = ctx.claim.inputs
    res = results[inputs["result"]]
    m = Measurement(
        label("depth_trend", None, None, {"mode": inputs["mode"]}),
        interval(res.depth_trend(inputs["mode"]), ctx.confidence),
        difference=True,
    )
    verdict = ctx.decide(m, less_than, ctx.threshold("threshold"))
    state = {"result": res}
    return _with_second(ctx, state, verdict, (m,), f"over seeds{_few(ctx, (m,))}")


# ------------------------------------------------------------------------------ the alpha sweep
def _paired_acc(res, dataset, a, b, confidence):
    return interval(
        np.asarray(res.test_acc(dataset, a)) - np.asarray(res.test_acc(dataset, b)), confidence
    )


@rule("not_worse_everywhere")
def _not_worse_everywhere(ctx, results):
    """L6: on every dataset, ``alpha`` is not worse than ``baseline`` by more than the margin."""
    inputs = ctx.claim.inputs
    res = results[inputs["result"]]
    margin = ctx.threshold("margin")
    alpha, base = float(inputs["alpha"]), float(inputs["baseline"])
    ms = [
        Measurement(
            f"{d}: test acc alpha {alpha:g} - alpha {base:g}",
            _paired_acc(res, d, alpha, base, ctx.confidence),
            difference=True,
        )
        for d in res.datasets
    ]
    verdicts = [ctx.decide(m, greater_than, -margin) for m in ms]
    return Outcome(
        weakest(verdicts), tuple(ms), f"non-inferiority margin {margin:g}{_few(ctx, ms)}"
    )


def _shortfalls(ctx, res):
    """``{alpha: [Measurement per dataset]}``: best alpha's accuracy minus this alpha's."""
    confidence = bonferroni(ctx.confidence, len(res.datasets))
    best = {d: res.best_alpha(d) for d in res.datasets}
    return best, {
        a: [
            Measurement(
                f"{d}: best ({best[d]:g}) - alpha {a:g}",
                _paired_acc(res, d, best[d], a, confidence),
                difference=True,
            )
            for d in res.datasets
        ]
        for a in res.alphas
    }


@rule("optimum_differs")
def _optimum_differs(ctx, results):
    """L8: holds if every alpha loses more than the margin to the best on some dataset; does
    not hold if some alpha is within the margin of the best on every dataset."""
    res = results[ctx.claim.inputs["result"]]
    margin = ctx.threshold("margin")
    best, shortfalls = _shortfalls(ctx, res)
    per_alpha = {
        a: strongest([ctx.decide(m, greater_than, margin) for m in ms])
        for a, ms in shortfalls.items()
    }
    compromise = min(shortfalls, key=lambda a: max(m.interval.mean for m in shortfalls[a]))
    note = "best alpha: " + ", ".join(f"{d} {a:g}" for d, a in best.items())
    note += f"; closest to serving all: alpha {compromise:g}"
    ms = shortfalls[compromise]
    return Outcome(weakest(list(per_alpha.values())), tuple(ms), note + _few(ctx, ms))


@rule("knob_matters")
def _knob_matters(ctx, results):
    """T14: on some dataset the worst alpha is worse than the best by more than the margin."""
    res = results[ctx.claim.inputs["result"]]
    margin = ctx.threshold("margin")
    confidence = bonferroni(ctx.confidence, len(res.datasets))
    ms = []
    for d in res.datasets:
        means = [float(np.mean(res.test_acc(d, a))) for a in res.alphas]
        best, worst = res.best_alpha(d), res.alphas[int(np.argmin(means))]
        ms.append(
            Measurement(
                f"{d}: best ({best:g}) - worst ({worst:g})",
                _paired_acc(res, d, best, worst, confidence),
                difference=True,
            )
        )
    verdict = strongest([ctx.decide(m, greater_than, margin) for m in ms])
    return Outcome(verdict, tuple(ms), f"a knob that matters: some gap > {margin:g}{_few(ctx, ms)}")


# ------------------------------------------------------------------------------ born dead
def _inside_bounds(ctx, res):
    """``(cells checked, cells whose Wilson interval misses the closed-form bounds)``."""
    lower, upper = np.asarray(res.theory_lower, float), np.asarray(res.theory_upper, float)
    finite = np.isfinite(lower) & np.isfinite(upper)
    confidence = bonferroni(ctx.confidence, int(finite.sum()))
    misses = []
    for i, j in zip(*np.nonzero(finite), strict=True):
        iv = measures.wilson(
            round(float(res.p_dead[i, j]) * res.n_trials), res.n_trials, confidence
        )
        if iv.high < lower[i, j] - 1e-12 or iv.low > upper[i, j] + 1e-12:
            misses.append(f"width {res.widths[i]} depth {res.depths[j]}")
    return int(finite.sum()), misses


@rule("born_dead")
def _born_dead(ctx, results):
    """X1: the Monte Carlo agrees with the closed-form bounds everywhere, and most of the
    narrowest nets are born dead at the deepest depth."""
    res = results[ctx.claim.inputs["result"]]
    checked, misses = _inside_bounds(ctx, res)
    i, j = int(np.argmin(res.widths)), int(np.argmax(res.depths))
    p = float(res.p_dead[i, j])
    m = Measurement(
        f"P(born dead), width {res.widths[i]}, depth {res.depths[j]}",
        measures.wilson(round(p * res.n_trials), res.n_trials, ctx.confidence),
        kind="trials",
    )
    majority = ctx.decide(m, greater_than, ctx.threshold("threshold"))
    if checked == 0:
        agreement, text = INCONCLUSIVE, "no closed form to compare with (biases)"
    elif misses:
        agreement, text = FAILS, f"outside the bounds at {', '.join(misses[:3])}"
    else:
        agreement, text = HOLDS, f"all {checked} estimates inside the closed-form bounds"
    return Outcome(weakest([agreement, majority]), (m,), text)


# ------------------------------------------------------------------------------ timed
def _ratios(speed, activation):
    """Forward + backward time over copy time, one value per repeat; a result with only a
    median (``total_ratio``) gives one value, hence no interval."""
    if hasattr(speed, "total_ratios"):
        return np.asarray(speed.total_ratios(activation), dtype=float)
    return np.array([float(speed.total_ratio(activation))])


def _big_enough(ctx, speed):
    elements = int(np.prod(speed.shape))
    return elements >= ctx.threshold("size"), elements


@rule("speed_copies")
def _speed_copies(ctx, results):
    """T10, T11: forward + backward within VERY_FAST_COPIES copies of the array."""
    speed = results[ctx.claim.inputs["result"]]
    act = ctx.claim.inputs["activation"]
    m = Measurement(
        f"{measures.ARM_LABELS[act]} fwd+bwd, in copies",
        interval(_ratios(speed, act), ctx.confidence),
        kind="repeats",
    )
    verdict = ctx.decide(m, less_than, ctx.threshold("threshold"))
    big, elements = _big_enough(ctx, speed)
    if not big:
        return Outcome(INCONCLUSIVE, (m,), f"array of {elements} elements fits in cache")
    return Outcome(verdict, (m,), f"array of {elements} elements{_few(ctx, (m,))}")


@rule("speed_quotient")
def _speed_quotient(ctx, results):
    """L5, T12, P8: the activation's time over ReLU's, paired by repeat."""
    inputs = ctx.claim.inputs
    speed = results[inputs["result"]]
    act = inputs["activation"]
    with np.errstate(divide="ignore", invalid="ignore"):  # a zero time gives no number
        quotient = _ratios(speed, act) / _ratios(speed, "relu")
    m = Measurement(
        f"{measures.ARM_LABELS[act]} / ReLU time",
        interval(quotient, ctx.confidence),
        kind="repeats",
    )
    big, elements = _big_enough(ctx, speed)
    if inputs["direction"] == "between":
        verdict = ctx.decide(m, between, ctx.threshold("low"), ctx.threshold("threshold"))
    else:
        verdict = ctx.decide(m, less_than, ctx.threshold("threshold"))
    state = {"result": speed, "measurement": m}
    outcome = _with_second(ctx, state, verdict, (m,), f"paired by repeat{_few(ctx, (m,))}")
    if not big:
        return Outcome(INCONCLUSIVE, (m,), f"array of {elements} elements fits in cache")
    return outcome
