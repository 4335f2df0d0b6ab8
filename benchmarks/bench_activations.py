"""Benchmark relu_notes' activations against the memory-traffic floor, naive NumPy and torch.

Run:  python benchmarks/bench_activations.py [--repeats 15] [--size 16777216]

Element-wise activations are memory-bound, so each time is shown as a ratio to an operation
with the same memory traffic, measured in the same run:

* a forward pass (read x, write y) against ``x.copy()``;
* a backward pass (read grad and x, write grad_input) against ``g + x``.

NumPy runs these floors, and the naive ``np.where`` forms, on one thread.  relu_notes (on
arrays of at least ``_kernels.PARALLEL`` elements) and torch can use more, so both are timed
with 1 and with 2 threads (``_kernels.threads`` and ``torch.set_num_threads``) and compared at
the same thread count.  All ratios are to the one-thread floors, so with 2 threads they can go
below 1; for scale, the header also times the floors split between 2 threads by hand.

Every round times every candidate once, in the same order, and the table shows the median over
the rounds, so that noise from other processes hits all candidates alike.  This is a script,
not a test: timings are never asserted.
"""

import argparse
import statistics
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

import relu_notes as rn
from relu_notes import _kernels

SLOPES = (0.01, 1.5, -0.3)
NCHW = (16, 64, 128, 128)
THREADS = (1, 2)


@dataclass
class Row:
    """One benchmarked function: its floor and its implementations."""

    floor: str
    ours: Callable
    naive: Callable | None = None
    torch: Callable | None = None
    times: dict = field(default_factory=dict)


def _rows(x, g):
    rows = {
        "relu": Row("copy", lambda: rn.relu(x), lambda: np.where(x > 0, x, 0)),
        "relu_backward": Row("add", lambda: rn.relu_backward(g, x), lambda: np.where(x > 0, g, 0)),
    }
    for a in SLOPES:
        w = np.array([a], x.dtype)
        rows[f"leaky_relu a={a}"] = Row(
            "copy", lambda a=a: rn.leaky_relu(x, a), lambda a=a: np.where(x > 0, x, a * x)
        )
        rows[f"prelu a={a}"] = Row(
            "copy", lambda w=w: rn.prelu(x, w), lambda w=w: np.where(x > 0, x, w * x)
        )
        rows[f"leaky_relu_backward a={a}"] = Row(
            "add",
            lambda a=a: rn.leaky_relu_backward(g, x, a),
            lambda a=a: np.where(x > 0, g, a * g),
        )
        rows[f"prelu_backward a={a}"] = Row(
            "add",
            lambda w=w: rn.prelu_backward(g, x, w),
            lambda w=w: (np.where(x > 0, g, w * g), np.where(x > 0, 0, x * g).sum()),
        )
    if x.size == np.prod(NCHW):
        w4 = _nchw_weights(x.dtype)
        x4, g4 = x.reshape(NCHW), g.reshape(NCHW)
        rows[f"prelu NCHW C={NCHW[1]}"] = Row("copy", lambda: rn.prelu(x4, w4))
        rows[f"prelu_backward NCHW C={NCHW[1]}"] = Row("add", lambda: rn.prelu_backward(g4, x4, w4))
    return rows


def _nchw_weights(dtype):
    return np.random.default_rng(1).uniform(0.05, 0.5, NCHW[1]).astype(dtype)


def _add_torch(rows, x, g, torch):
    """Attach the torch CPU equivalent of every row (same arrays, shared memory)."""
    xt, gt = torch.from_numpy(x), torch.from_numpy(g)
    functional, aten = torch.nn.functional, torch.ops.aten
    rows["relu"].torch = lambda: functional.relu(xt)
    rows["relu_backward"].torch = lambda: aten.threshold_backward(gt, xt, 0)
    for a in SLOPES:
        wt = torch.tensor([a], dtype=xt.dtype)
        rows[f"leaky_relu a={a}"].torch = lambda a=a: functional.leaky_relu(xt, a)
        rows[f"prelu a={a}"].torch = lambda wt=wt: functional.prelu(xt, wt)
        rows[f"leaky_relu_backward a={a}"].torch = lambda a=a: aten.leaky_relu_backward(
            gt, xt, a, False
        )
        rows[f"prelu_backward a={a}"].torch = lambda wt=wt: _torch_prelu_backward(aten, gt, xt, wt)
    if f"prelu NCHW C={NCHW[1]}" in rows:
        x4t, g4t = xt.reshape(NCHW), gt.reshape(NCHW)
        w4t = torch.from_numpy(_nchw_weights(x.dtype))
        rows[f"prelu NCHW C={NCHW[1]}"].torch = lambda: functional.prelu(x4t, w4t)
        rows[f"prelu_backward NCHW C={NCHW[1]}"].torch = lambda: _torch_prelu_backward(
            aten, g4t, x4t, w4t
        )


def _torch_prelu_backward(aten, gt, xt, wt):
    """What autograd runs for F.prelu: the element-wise kernel, then a sum to the weight shape."""
    shape = [1] * xt.dim()
    if wt.numel() > 1:
        shape[1] = wt.numel()
    grad_input, grad_weight = aten._prelu_kernel_backward(gt, xt, wt.reshape(shape))
    return grad_input, grad_weight.sum_to_size(shape).reshape(wt.shape)


def _floors(x, g, pool):
    """The floors on one thread, and split in two halves between two threads (for scale)."""

    def halves(operation):
        def run():
            out = np.empty_like(x)
            half = x.size // 2
            other = pool.submit(operation, half, x.size, out)
            operation(0, half, out)
            other.result()
            return out

        return run

    def copy(begin, end, out):
        np.copyto(out[begin:end], x[begin:end])

    def add(begin, end, out):
        np.add(g[begin:end], x[begin:end], out=out[begin:end])

    return {
        "copy": lambda: x.copy(),
        "add": lambda: g + x,
        "copy2": halves(copy),
        "add2": halves(add),
    }


def _milliseconds(fn):
    start = time.perf_counter()
    fn()
    return 1e3 * (time.perf_counter() - start)


def _measure(floors, rows, repeats, torch):
    """Time every floor and every (row, implementation, threads), interleaved: all rounds.

    Returns the median milliseconds of the floors; the rows' medians go to ``row.times``,
    keyed ``"naive"``, ``("ours", threads)`` and ``("torch", threads)``.
    """
    times = {name: [] for name in floors}
    samples = {name: {} for name in rows}
    for _ in range(repeats):
        for name, fn in floors.items():
            times[name].append(_milliseconds(fn))
        for name, row in rows.items():
            if row.naive is not None:
                samples[name].setdefault("naive", []).append(_milliseconds(row.naive))
            for threads in THREADS:
                with _kernels.threads(threads):
                    samples[name].setdefault(("ours", threads), []).append(_milliseconds(row.ours))
                if row.torch is not None:
                    torch.set_num_threads(threads)
                    samples[name].setdefault(("torch", threads), []).append(
                        _milliseconds(row.torch)
                    )
    for name, row in rows.items():
        row.times = {key: statistics.median(values) for key, values in samples[name].items()}
    return {name: statistics.median(values) for name, values in times.items()}


def _header(floors, torch, args):
    print(
        f"relu_notes activation benchmark: {args.size:,} float32 elements, "
        f"median of {args.repeats} interleaved rounds"
    )
    versions = f"numpy {np.__version__}, "
    versions += f"torch {torch.__version__} CPU" if torch else "torch not installed"
    print(versions)
    if args.size < _kernels.PARALLEL:
        print(f"(relu_notes uses 1 thread below {_kernels.PARALLEL:,} elements, so 1 = 2 here)")
    print(
        "floors (NumPy, 1 thread): "
        f"x.copy() {floors['copy']:.1f} ms, g + x {floors['add']:.1f} ms; "
        f"split between 2 threads: {floors['copy2'] / floors['copy']:.2f}x and "
        f"{floors['add2'] / floors['add']:.2f}x of that"
    )
    print("every ratio is time / 1-thread floor (forward rows: x.copy(), backward rows: g + x)")
    if torch:
        print("ours/torch: relu_notes vs torch at the same thread count (< 1: relu_notes faster)")
    print()


def _columns(row, base, torch, threads):
    """The cells of one thread count: relu_notes (and torch) as ratios to the floor."""
    ours = row.times["ours", threads]
    if not torch:
        return f"  | {ours / base:7.2f}x"
    theirs = row.times["torch", threads]
    return f"  | {ours / base:5.2f}x{theirs / base:6.2f}x{ours / theirs:10.2f}x"


def _report(floors, rows, torch, args):
    _header(floors, torch, args)
    title, header = f"{'':<39}", f"{'function':<32}{'naive':>7}"
    for threads in THREADS:
        label = f"{threads} thread" + "s" * (threads > 1)
        title += f"  | {label:^24}" if torch else f"  | {label:>9}"
        header += f"  | {'ours':>6}{'torch':>7}{'ours/torch':>11}" if torch else f"  | {'ours':>9}"
    print(title.rstrip(), header, "-" * len(header), sep="\n")
    slower = []
    for name, row in rows.items():
        base = floors[row.floor]
        naive = row.times.get("naive")
        line = f"{name:<32}" + (f"{naive / base:6.2f}x" if naive else f"{'-':>7}")
        for threads in THREADS:
            line += _columns(row, base, torch, threads)
            if torch and row.times["ours", threads] > row.times["torch", threads]:
                excess = row.times["ours", threads] / row.times["torch", threads] - 1
                slower.append(f"  {name}, {threads} thread(s): {excess:+.0%}")
        print(line)
    print()
    print("naive = np.where(x > 0, x, a * x) and the like, in NumPy (1 thread).")
    if torch:
        print("slower than torch at the same thread count:", *slower or ["  none"], sep="\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15, help="interleaved rounds (median)")
    parser.add_argument("--size", type=int, default=1 << 24, help="float32 elements")
    args = parser.parse_args()
    try:
        import torch
    except ImportError:
        torch = None

    rng = np.random.default_rng(0)
    x = rng.standard_normal(args.size, dtype=np.float32)
    g = rng.standard_normal(args.size, dtype=np.float32)
    rows = _rows(x, g)
    if torch is not None:
        _add_torch(rows, x, g, torch)
        torch_threads = torch.get_num_threads()
    with ThreadPoolExecutor(1) as pool:
        floors = _measure(_floors(x, g, pool), rows, args.repeats, torch)
    if torch is not None:
        torch.set_num_threads(torch_threads)
    _report(floors, rows, torch, args)


if __name__ == "__main__":
    main()
