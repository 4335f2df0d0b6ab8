"""What relu, leaky_relu and prelu cost, as a user meets them: alone on a large array, next to a
plain copy, and inside one training step of a small network.

**Large array.** On one random array (default 4096 x 4096 float32: 16M values, 64 MB, far larger
than the caches, so every pass goes to memory) each activation's forward and backward pass is
timed for three implementations:

* ``"torch"``: PyTorch's built-ins as a training loop calls them, ``F.relu``, ``F.leaky_relu`` and
  ``F.prelu`` on a leaf that requires grad, then ``y.backward(g)`` through autograd (PReLU's weight
  requires grad too, so its backward also sums ``dL/dalpha``). Skipped, and listed as missing in
  :attr:`SpeedResult.implementations`, when torch is not installed.
* ``"textbook"``: the one-line NumPy formulas of :mod:`relu_notes.reference` (``np.where``).
* ``"package"``: :mod:`relu_notes.functional`, whose large arrays run the blocked kernels of
  ``relu_notes._kernels``.

Each is compared with a baseline that moves as much memory: ``x.copy()`` for a forward pass (read
one array, write one) and ``g + x`` for a backward pass (read two, write one), all on the *same*
number of threads: by default 1 (``_kernels.threads(1)`` for the kernels,
``torch.set_num_threads(1)`` for torch, both restored afterwards; NumPy's ufuncs run on one
thread anyway). ``threads=(1, 2)`` also runs everything on 2 threads, where the baselines are
cut in two halves copied (added) by two threads. No result of an operation is freed inside its
timing.

All timings come from one run, in ``repeats`` interleaved rounds, after one warm-up call of
each operation on the first eighth of the rows (it starts the thread pools and torch's dispatch
without the cost of a whole round). In each round, at each thread count, the baselines and then
every implementation's forward and backward pass of every activation are timed once with
``time.perf_counter`` (the order of the implementations rotates from round to round). Each
round gives its own ratios, so intervals over rounds can be given
(:func:`relu_notes.experiments.stats.mean_interval`); the medians are kept too. Seconds vary
from run to run and machine to machine; the *ratios* are what the comparison table and the
ledger use.

**Training step.** One whole step of :class:`relu_notes.mlp.MLP` (``sizes = (64, 64, 64, 10)``,
a batch of 64: forward pass, loss, backward pass and an Adam step, BLAS on one thread as in
:func:`relu_notes.mlp.train`) is timed per activation, ``step_calls`` steps in a row, and so are
the calls the step makes to the activation (3 forward and 3 backward, one per hidden layer, at the
same shapes, through the model's own methods). The activation's *share* of the step is the second
time over the first, one value per round (:meth:`SpeedResult.step_shares`).

The legacy fields (``copy_seconds``, ``forward_seconds``, ``backward_seconds``, ``round_ratios``
and the methods reading them) are the package's kernels against ``x.copy()`` at the first thread
count run (1 by default).
"""

import contextlib
import itertools
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from relu_notes import _kernels
from relu_notes import reference as textbook
from relu_notes.blas import one_blas_thread
from relu_notes.experiments.stats import mean_interval
from relu_notes.functional import (
    ACTIVATIONS,
    leaky_relu,
    leaky_relu_backward,
    prelu,
    prelu_backward,
    relu,
    relu_backward,
)
from relu_notes.mlp import MLP, make_optimizer
from relu_notes.optional import import_torch

IMPLEMENTATIONS = ("torch", "textbook", "package")
PARTS = ("forward", "backward", "total")
BASELINE_OF = {"forward": "copy", "backward": "add"}
"""The baseline of each pass: ``x.copy()`` for the forward pass, ``g + x`` for the backward."""


@dataclass
class SpeedResult:
    """Median seconds per call; ratios are relative to ``copy_seconds`` (legacy fields), or to
    the baselines of :attr:`round_seconds` (see the module docstring)."""

    shape: tuple
    dtype: str
    repeats: int
    copy_seconds: float
    forward_seconds: dict
    backward_seconds: dict
    round_ratios: dict
    """``{activation: [(forward + backward) / copy of each round]}``: the package's kernels at
    ``threads[0]`` threads."""
    threads: tuple = (1,)
    """Thread counts run (the first is that of the legacy fields)."""
    implementations: tuple = ("package",)
    """Implementations timed: ``"torch"`` is missing when torch is not installed."""
    torch_version: str | None = None
    round_seconds: dict = field(default_factory=dict)
    """``{threads: {"baseline": {"copy": [...], "add": [...]},
    implementation: {activation: {"forward": [...], "backward": [...]}}}}``, one value per round."""
    step_sizes: tuple = ()
    step_batch: int = 0
    step_calls: int = 0
    step_round_seconds: dict = field(default_factory=dict)
    """``{activation: {"step": [...], "activation": [...]}}``: seconds of one training step and
    of the activation calls in one step, one value per round."""

    # ----------------------------------------------------------------- legacy: package vs copy
    def total_ratios(self, activation):
        """One (forward + backward) / copy ratio per round (``repeats`` values): the package's
        kernels at ``threads[0]`` threads (what the ledger's speed rules read)."""
        return np.asarray(self.round_ratios[activation], dtype=float)

    def forward_ratio(self, activation):
        return self.forward_seconds[activation] / self.copy_seconds

    def total_ratio(self, activation):
        """(forward + backward) time divided by one copy."""
        fb = self.forward_seconds[activation] + self.backward_seconds[activation]
        return fb / self.copy_seconds

    def summary(self):
        return [
            {
                "activation": a,
                "forward_ms": round(1e3 * self.forward_seconds[a], 3),
                "backward_ms": round(1e3 * self.backward_seconds[a], 3),
                "forward_x_copy": round(self.forward_ratio(a), 2),
                "fwd_bwd_x_copy": round(self.total_ratio(a), 2),
            }
            for a in self.forward_seconds
        ]

    # ----------------------------------------------------------------- implementations
    def _rounds(self, threads):
        threads = self.threads[0] if threads is None else int(threads)
        if threads not in self.round_seconds:
            raise LookupError(f"not run on {threads} threads (run: {self.threads})")
        return self.round_seconds[threads]

    def implementation_ratios(self, implementation, activation, part="total", threads=None):
        """Per round: the implementation's time over its baseline's, at ``threads`` threads
        (default: the first run).

        ``part="forward"``: forward / ``x.copy()``; ``"backward"``: backward / ``g + x``;
        ``"total"``: (forward + backward) / (copy + add).
        """
        if implementation not in self.implementations:
            why = " (torch is not installed)" if implementation == "torch" else ""
            raise LookupError(f"{implementation!r} was not timed{why}")
        if part not in PARTS:
            raise ValueError(f"part must be one of {PARTS}, got {part!r}")
        rounds = self._rounds(threads)
        seconds, base = rounds[implementation][activation], rounds["baseline"]
        parts = ("forward", "backward") if part == "total" else (part,)
        numerator = sum(np.asarray(seconds[p], dtype=float) for p in parts)
        denominator = sum(np.asarray(base[BASELINE_OF[p]], dtype=float) for p in parts)
        return numerator / denominator

    def implementation_interval(
        self, implementation, activation, part="total", threads=None, confidence=0.95
    ):
        """Mean of :meth:`implementation_ratios` with its t interval over rounds."""
        ratios = self.implementation_ratios(implementation, activation, part, threads)
        return mean_interval(ratios, confidence)

    def implementation_summary(self, threads=None, confidence=0.95):
        """Rows ``{implementation, activation, forward_x_copy, backward_x_add, total_x_baseline,
        total_ci}``: mean ratios over rounds (see :meth:`implementation_ratios`), the total with
        its t interval ``(low, high)``."""
        rows = []
        for impl in self.implementations:
            for act in ACTIVATIONS:
                total = self.implementation_interval(impl, act, "total", threads, confidence)
                forward, backward = (
                    float(np.mean(self.implementation_ratios(impl, act, part, threads)))
                    for part in ("forward", "backward")
                )
                rows.append(
                    {
                        "implementation": impl,
                        "activation": act,
                        "forward_x_copy": round(forward, 2),
                        "backward_x_add": round(backward, 2),
                        "total_x_baseline": round(total.mean, 2),
                        "total_ci": (round(total.low, 2), round(total.high, 2)),
                    }
                )
        return rows

    # ----------------------------------------------------------------- training step
    def step_shares(self, activation):
        """Per round: the activation's forward + backward calls over one whole training step."""
        rounds = self.step_round_seconds[activation]
        return np.asarray(rounds["activation"], dtype=float) / np.asarray(rounds["step"], float)

    def step_share(self, activation):
        """Mean over rounds of :meth:`step_shares` (a fraction of the step time)."""
        return float(np.mean(self.step_shares(activation)))

    def step_summary(self, confidence=0.95):
        """Rows ``{activation, step_ms, activation_ms, share, share_ci}`` (medians in ms)."""
        rows = []
        for act, rounds in self.step_round_seconds.items():
            share = mean_interval(self.step_shares(act), confidence)
            rows.append(
                {
                    "activation": act,
                    "step_ms": round(1e3 * float(np.median(rounds["step"])), 3),
                    "activation_ms": round(1e3 * float(np.median(rounds["activation"])), 3),
                    "share": round(share.mean, 3),
                    "share_ci": (round(share.low, 3), round(share.high, 3)),
                }
            )
        return rows


# --------------------------------------------------------------------------- timing
def _timed(fn):
    """``(seconds, result)``: the result is freed by the caller, outside the timing."""
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def _numpy_pair(forward, backward):
    """A function timing ``forward()`` then ``backward()``: ``(forward s, backward s)``."""

    def run():
        t_forward, _y = _timed(forward)
        t_backward, _grads = _timed(backward)
        return t_forward, t_backward  # the outputs are freed now, after the timings

    return run


def _torch_pair(fn, x, g, params):
    """A function timing ``y = fn(leaf, *params)`` and ``y.backward(g)`` on fresh leaves."""

    def run():
        leaf = x.detach().requires_grad_()
        leaves = [p.detach().requires_grad_() for p in params]
        t_forward, y = _timed(lambda: fn(leaf, *leaves))
        t_backward, _ = _timed(lambda: y.backward(g))
        return t_forward, t_backward  # y and the gradients are freed now, after the timings

    return run


def _pairs(implementation, x, g, weight, negative_slope, torch):
    """``{activation: pair timer}`` of one implementation."""
    if implementation == "package":
        return {
            "relu": _numpy_pair(lambda: relu(x), lambda: relu_backward(g, x)),
            "leaky_relu": _numpy_pair(
                lambda: leaky_relu(x, negative_slope),
                lambda: leaky_relu_backward(g, x, negative_slope),
            ),
            "prelu": _numpy_pair(lambda: prelu(x, weight), lambda: prelu_backward(g, x, weight)),
        }
    if implementation == "textbook":
        return {
            "relu": _numpy_pair(
                lambda: textbook.relu_reference(x),
                lambda: textbook.relu_backward_reference(g, x),
            ),
            "leaky_relu": _numpy_pair(
                lambda: textbook.leaky_relu_reference(x, negative_slope),
                lambda: textbook.leaky_relu_backward_reference(g, x, negative_slope),
            ),
            "prelu": _numpy_pair(
                lambda: textbook.prelu_reference(x, weight),
                lambda: textbook.prelu_backward_reference(g, x, weight),
            ),
        }
    functional = torch.nn.functional
    xt, gt, wt = (torch.from_numpy(a) for a in (x, g, weight))
    return {
        "relu": _torch_pair(functional.relu, xt, gt, ()),
        "leaky_relu": _torch_pair(lambda a: functional.leaky_relu(a, negative_slope), xt, gt, ()),
        "prelu": _torch_pair(functional.prelu, xt, gt, (wt,)),
    }


def _baselines(x, g, count, pool):
    """``{"copy": fn, "add": fn}``: ``x.copy()`` and ``g + x`` on ``count`` threads."""
    if count == 1:
        return {"copy": x.copy, "add": lambda: g + x}
    flat_x, flat_g = x.reshape(-1), g.reshape(-1)
    cuts = [flat_x.size * i // count for i in range(count + 1)]
    parts = [slice(a, b) for a, b in itertools.pairwise(cuts)]

    def in_parts(work):
        out = np.empty_like(flat_x)
        futures = [pool.submit(work, out, part) for part in parts[1:]]
        work(out, parts[0])
        for future in futures:
            future.result()
        return out

    return {
        "copy": lambda: in_parts(lambda out, p: np.copyto(out[p], flat_x[p])),
        "add": lambda: in_parts(lambda out, p: np.add(flat_g[p], flat_x[p], out=out[p])),
    }


@contextlib.contextmanager
def _running_on(count, torch):
    """The kernels (and torch, if given) on ``count`` threads; the old settings come back."""
    saved = torch.get_num_threads() if torch is not None else None
    try:
        if torch is not None:
            torch.set_num_threads(count)
        with _kernels.threads(count):
            yield
    finally:
        if torch is not None:
            torch.set_num_threads(saved)


# --------------------------------------------------------------------------- training step
def _step_timers(activation, sizes, batch, negative_slope, seed):
    """``(step, activation_calls)``: one training step, and the activation calls it makes."""
    rng = np.random.default_rng(seed)
    model = MLP(sizes, activation, negative_slope=negative_slope, seed=seed)
    opt = make_optimizer(model, "adam", lr=1e-3)
    X = rng.standard_normal((batch, sizes[0]))
    y = rng.integers(0, sizes[-1], batch)
    _, zs = model.forward(X)
    grads = [rng.standard_normal(z.shape) for z in zs]

    def step():
        _, g = model.loss_and_grads(X, y)
        opt.step([model.flat_grad(g)])

    def activation_calls():
        for layer, (z, g) in enumerate(zip(zs, grads, strict=True)):
            model._act(z, layer)
            model._act_backward(g, z, layer)

    return step, activation_calls


@one_blas_thread
def _time_steps(timers, calls):
    """``{activation: (seconds per step, seconds of its activation calls per step)}``."""
    seconds = {}
    for act, (step, activation_calls) in timers.items():
        per = []
        for fn in (step, activation_calls):
            start = time.perf_counter()
            for _ in range(calls):
                fn()
            per.append((time.perf_counter() - start) / calls)
        seconds[act] = tuple(per)
    return seconds


# --------------------------------------------------------------------------- the experiment
def _round(timers, order, record):
    """Time every baseline and pair once, in ``order`` of implementations."""
    for name, fn in timers["baseline"].items():
        seconds, out = _timed(fn)
        del out
        record["baseline"][name].append(seconds)
    for impl in order:
        for act in ACTIVATIONS:
            t_forward, t_backward = timers[impl][act]()
            record[impl][act]["forward"].append(t_forward)
            record[impl][act]["backward"].append(t_backward)


def _warm_up(timers):
    for name, fn in timers.items():
        if name == "baseline":
            for baseline in fn.values():
                baseline()
        else:
            for pair in fn.values():
                pair()


def _legacy(record):
    """The legacy fields from the package's rounds at the first thread count."""
    copies = np.array(record["baseline"]["copy"])
    package = record["package"]
    fwd = {a: np.array(package[a]["forward"]) for a in ACTIVATIONS}
    bwd = {a: np.array(package[a]["backward"]) for a in ACTIVATIONS}
    return {
        "copy_seconds": float(np.median(copies)),
        "forward_seconds": {a: float(np.median(fwd[a])) for a in ACTIVATIONS},
        "backward_seconds": {a: float(np.median(bwd[a])) for a in ACTIVATIONS},
        "round_ratios": {a: ((fwd[a] + bwd[a]) / copies).tolist() for a in ACTIVATIONS},
    }


def _implementations(requested, torch):
    requested = tuple(requested)
    if "package" not in requested:
        raise ValueError("the package's kernels must be timed: they give the legacy fields")
    unknown = set(requested) - set(IMPLEMENTATIONS)
    if unknown:
        raise ValueError(f"unknown implementations {sorted(unknown)}; known: {IMPLEMENTATIONS}")
    return tuple(i for i in IMPLEMENTATIONS if i in requested and (i != "torch" or torch))


def run_speed(
    shape=(4096, 4096),
    *,
    dtype="float32",
    repeats=7,
    negative_slope=0.01,
    seed=0,
    threads=(1,),
    implementations=IMPLEMENTATIONS,
    step_sizes=(64, 64, 64, 10),
    step_batch=64,
    step_calls=30,
):
    """Time the activations' forward and backward passes (torch, textbook, package) against
    ``x.copy()`` and ``g + x``, and their share of a training step; returns a SpeedResult.

    PReLU uses channel-wise weights (``shape[1]`` values, axis 1), as in ``torch.nn.PReLU``
    with ``num_parameters = C``. The default 16M float32 elements (64 MB) are far larger than
    the caches, so the copy is memory-bound, as in ``benchmarks/bench_activations.py``; on
    cache-sized arrays the copy is so fast that fixed per-call costs dominate the ratios.
    ``threads``: the thread counts to run at (see the module docstring); ``implementations``:
    those to time (``"torch"`` is skipped when torch is not installed; ``"package"`` is
    required). ``step_calls`` training steps (and as many sets of activation calls) are timed
    per round and activation; ``step_calls=0`` skips the training step.
    """
    torch = import_torch() if "torch" in implementations else None
    impls = _implementations(implementations, torch)
    torch = torch if "torch" in impls else None
    threads = tuple(int(t) for t in threads)
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape).astype(dtype)
    grad = rng.standard_normal(shape).astype(dtype)
    weight = np.full(shape[1], 0.25, dtype=dtype)
    rows = max(1, x.shape[0] // 8)  # warm-up on an eighth of the array (2M values by default)

    def timers_of(a, g, count, pool):
        pairs = {impl: _pairs(impl, a, g, weight, negative_slope, torch) for impl in impls}
        return {"baseline": _baselines(a, g, count, pool)} | pairs

    steps = {
        act: _step_timers(act, step_sizes, step_batch, negative_slope, seed) for act in ACTIVATIONS
    }
    record = {
        count: {"baseline": {"copy": [], "add": []}}
        | {impl: {a: {"forward": [], "backward": []} for a in ACTIVATIONS} for impl in impls}
        for count in threads
    }
    step_record = {act: {"step": [], "activation": []} for act in ACTIVATIONS}
    with ThreadPoolExecutor(max(threads) - 1 or 1) as pool:
        timers = {c: timers_of(x, grad, c, pool) for c in threads}
        for count in threads:
            with _running_on(count, torch):
                _warm_up(timers_of(x[:rows], grad[:rows], count, pool))
        if step_calls:
            _time_steps(steps, 3)  # warm-up
        for r in range(repeats):
            order = impls[r % len(impls) :] + impls[: r % len(impls)]
            for count in threads:
                with _running_on(count, torch):
                    _round(timers[count], order, record[count])
            if step_calls:
                for act, (step, calls) in _time_steps(steps, step_calls).items():
                    step_record[act]["step"].append(step)
                    step_record[act]["activation"].append(calls)
    return SpeedResult(
        shape=tuple(shape),
        dtype=str(np.dtype(dtype)),
        repeats=int(repeats),
        **_legacy(record[threads[0]]),
        threads=threads,
        implementations=impls,
        torch_version=None if torch is None else str(torch.__version__),
        round_seconds=record,
        step_sizes=tuple(step_sizes),
        step_batch=int(step_batch),
        step_calls=int(step_calls),
        step_round_seconds=step_record if step_calls else {},
    )
