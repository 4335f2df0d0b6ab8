"""Benchmark relu_notes' activations against the memory-traffic floor, naive NumPy and torch.

Run:  python benchmarks/bench_activations.py [--repeats 15] [--size 16777216]

Element-wise activations are memory-bound, so each function is timed as a ratio to an operation
with the same memory traffic, measured in the same run:

* a forward pass (read x, write y) against ``x.copy()``;
* a backward pass (read grad and x, write grad_input) against ``g + x``.

The floors run on one thread, as NumPy does; relu_notes splits arrays of at least
``_kernels.PARALLEL`` elements between ``_kernels.THREADS`` threads (the header says how many),
and torch is timed with 1 thread and with one per CPU.

Every round times every candidate once, in the same order, and the table shows the median over
the rounds, so that noise from other processes hits all candidates alike.  This is a script, not
a test: timings are never asserted.
"""

import argparse
import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

import relu_notes as rn
from relu_notes import _kernels

SLOPES = (0.01, 1.5, -0.3)
FORWARD_TARGET = 1.3
NCHW = (16, 64, 128, 128)


@dataclass
class Row:
    """One benchmarked function: its floor, its target ratio and the three implementations."""

    floor: str
    target: float
    ours: Callable
    naive: Callable | None = None
    torch: Callable | None = None


def _rows(x, g, torch):
    rows = {
        "relu": Row("copy", FORWARD_TARGET, lambda: rn.relu(x), lambda: np.where(x > 0, x, 0)),
        "relu_backward": Row(
            "add", 1.5, lambda: rn.relu_backward(g, x), lambda: np.where(x > 0, g, 0)
        ),
    }
    for a in SLOPES:
        w = np.array([a], x.dtype)
        rows[f"leaky_relu a={a}"] = Row(
            "copy",
            FORWARD_TARGET,
            lambda a=a: rn.leaky_relu(x, a),
            lambda a=a: np.where(x > 0, x, a * x),
        )
        rows[f"prelu a={a}"] = Row(
            "copy",
            FORWARD_TARGET,
            lambda w=w: rn.prelu(x, w),
            lambda w=w: np.where(x > 0, x, w * x),
        )
        rows[f"leaky_relu_backward a={a}"] = Row(
            "add",
            1.5,
            lambda a=a: rn.leaky_relu_backward(g, x, a),
            lambda a=a: np.where(x > 0, g, a * g),
        )
        rows[f"prelu_backward a={a}"] = Row(
            "add",
            2.0,
            lambda w=w: rn.prelu_backward(g, x, w),
            lambda w=w: (np.where(x > 0, g, w * g), np.where(x > 0, 0, x * g).sum()),
        )
    w4 = np.random.default_rng(1).uniform(0.05, 0.5, NCHW[1]).astype(x.dtype)
    if x.size == np.prod(NCHW):
        x4, g4 = x.reshape(NCHW), g.reshape(NCHW)
        rows[f"prelu NCHW C={NCHW[1]}"] = Row("copy", FORWARD_TARGET, lambda: rn.prelu(x4, w4))
        rows[f"prelu_backward NCHW C={NCHW[1]}"] = Row(
            "add", 2.0, lambda: rn.prelu_backward(g4, x4, w4)
        )
    if torch is not None:
        _add_torch(rows, x, g, w4, torch)
    return rows


def _add_torch(rows, x, g, w4, torch):
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
        x4t, g4t, w4t = xt.reshape(NCHW), gt.reshape(NCHW), torch.from_numpy(w4)
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


def _seconds(fn):
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _measure(floors, rows, repeats, torch, thread_counts):
    """Milliseconds of every floor and every (row, implementation), interleaved: all rounds.

    torch is timed once per round with each thread count (keys ``(row, "torch", threads)``).
    """
    times = {}
    for _ in range(repeats):
        for name, fn in floors.items():
            times.setdefault(name, []).append(1e3 * _seconds(fn))
        for name, row in rows.items():
            for label in ("ours", "naive"):
                fn = getattr(row, label)
                if fn is not None:
                    times.setdefault((name, label), []).append(1e3 * _seconds(fn))
            for threads in thread_counts if row.torch else ():
                torch.set_num_threads(threads)
                times.setdefault((name, "torch", threads), []).append(1e3 * _seconds(row.torch))
    return times


def _report(times, rows, torch, thread_counts, args):
    median = {key: statistics.median(values) for key, values in times.items()}
    best = {key: min(values) for key, values in times.items()}
    print(
        f"relu_notes activation benchmark: {args.size:,} float32 elements, "
        f"median of {args.repeats} interleaved rounds"
    )
    threads = _kernels.THREADS if args.size >= _kernels.PARALLEL else 1
    print(
        f"relu_notes used {threads} worker thread(s) (THREADS={_kernels.THREADS}, arrays of at "
        f"least {_kernels.PARALLEL:,} elements); the floors run on 1 thread"
    )
    versions = f"numpy {np.__version__}; "
    if torch is None:
        versions += "torch not installed"
    else:
        threads = " and ".join(str(t) for t in thread_counts)
        versions += f"torch {torch.__version__} CPU, timed with {threads} thread(s)"
    print(versions)
    print(
        f"floors, median (fastest round): x.copy() {median['copy']:.1f} ({best['copy']:.1f}) ms, "
        f"g + x {median['add']:.1f} ({best['add']:.1f}) ms"
    )
    print()
    header = f"{'function':<29}{'ms':>6}{'ratio':>7}{'target':>7}{'met':>5}{'best':>7}{'naive':>8}"
    for threads in thread_counts:
        header += f"{f'torch{threads} ms':>11}{f'vs torch{threads}':>12}"
    print(header)
    print("-" * len(header))
    for name, row in rows.items():
        base, ours = median[row.floor], median[name, "ours"]
        line = f"{name:<29}{ours:6.1f}{ours / base:6.2f}x{row.target:6.1f}x"
        line += f"{'yes' if ours <= row.target * base else 'NO':>5}"
        line += f"{best[name, 'ours'] / best[row.floor]:6.2f}x"
        naive = median.get((name, "naive"))
        line += f"{naive / base:7.2f}x" if naive else f"{'-':>8}"
        for threads in thread_counts:
            theirs = median[name, "torch", threads]
            line += f"{theirs:11.1f}{ours / theirs:11.2f}x"
        print(line)
    print()
    print("ratio = median time / median floor (forward rows: x.copy(), backward rows: g + x);")
    print("met compares that ratio with the target; best = fastest round / fastest floor round,")
    print("less sensitive to other processes; naive = median of np.where(x > 0, x, a * x) and the")
    print("like / median floor; vs torchN = relu_notes median / torch median with N threads")
    print("(below 1.00x relu_notes is faster).")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15, help="interleaved rounds (median)")
    parser.add_argument("--size", type=int, default=1 << 24, help="float32 elements")
    args = parser.parse_args()
    try:
        import torch
    except ImportError:
        torch = None
    # torch's default is one thread per core; importing relu_notes first (as the chapters do)
    # caps it at one, so both are shown.
    thread_counts = sorted({1, os.cpu_count() or 1}) if torch else []

    rng = np.random.default_rng(0)
    x = rng.standard_normal(args.size, dtype=np.float32)
    g = rng.standard_normal(args.size, dtype=np.float32)
    floors = {"copy": lambda: x.copy(), "add": lambda: g + x}
    rows = _rows(x, g, torch)
    times = _measure(floors, rows, args.repeats, torch, thread_counts)
    _report(times, rows, torch, thread_counts, args)


if __name__ == "__main__":
    main()
