#!/usr/bin/env python3
"""Speed of issue 17's computations in pieces: best of N starts, the elbow, the silhouette.

    python3 benchmarks/bench_teach.py [--quick]

The page computes these between paints: `teach.best_of` and `teach.elbow` are generators that
yield after every piece (a pick of the seeding rule, `session.PIECE` points of a pass of
Lloyd's algorithm, a finished start, `teach.SILHOUETTE_PIECE` distances of the silhouette).
For each case this prints the time to the result (wall clock, and the CPU time of this
thread) and the longest single piece (from one yield to the next: the longest the page's main
thread would be blocked if it painted after every piece), with the median piece and the number
of pieces. Pieces are timed in CPU time of this thread (what the piece costs; on a loaded
machine the wall clock adds the waits for a core) and the longest also in wall-clock time.

Work: blobs (`data.generate("blobs")`, 10 true clusters, std 0.8, seed 1), K = 10 (the page's
largest), greedy k-means++ (scikit-learn's default start) and scikit-learn's rules
(max_iter 300, tol 1e-4, empty clusters to the farthest point): the most work a start can
take. The elbow tries K = 1..10 with the same rules, best of `--n-init` starts per K (10 by
default), without and with the mean silhouette of each K's best (K >= 2, measured on
`teach.SILHOUETTE_SAMPLE` points as scikit-learn's ``sample_size``). The silhouette of every
point of one clustering (the per-cluster silhouette plot) is timed at n = 10^4 on its own.

One core: numpy's BLAS is limited to one thread (threadpoolctl), as in the page, where Pyodide
runs one WebAssembly thread. CPython figures; BENCHMARKS.md measured one Lloyd iteration 3.5-5.5x
slower in the page (4.2x at 10^6 points), so the last column multiplies the longest piece by
4.2 as an estimate of the page's longest block (issue 17's target: <= 100 ms).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "py"))
from kmeans_anim.core import data, teach  # noqa: E402
from machine import cpu_line  # noqa: E402  (benchmarks/machine.py, beside this script)

#: One Lloyd iteration in the page / in CPython at 10^6 points (BENCHMARKS.md, bench_page).
PAGE_FACTOR = 4.2
RULES = dict(max_iter=300, tol=1e-4, empty_rule="farthest")


def timed(pieces):
    """Run a generator of pieces to its end: (its value, seconds in all, wall-clock seconds per
    piece, CPU seconds of this thread per piece), a piece being the work from one yield to the
    next. On a loaded machine a piece's wall-clock time includes the time the process waited
    for a core; its CPU time does not, and is what the piece costs."""
    wall, cpu = [], []
    start = time.perf_counter()
    while True:
        t0, c0 = time.perf_counter(), time.thread_time()
        try:
            next(pieces)
            finished = False
        except StopIteration as done:
            finished, value = True, done.value
        wall.append(time.perf_counter() - t0)
        cpu.append(time.thread_time() - c0)
        if finished:
            return value, time.perf_counter() - start, wall, cpu


def points(n):
    return data.generate("blobs", n, np.random.default_rng([1, 0]), centers=10, std=0.8)[0]


def row(case, total, wall, cpu, detail):
    longest = 1e3 * max(cpu)
    return (f"| {case} | {total:.2f} s | {sum(cpu):.2f} s | {len(wall)} "
            f"| {1e3 * statistics.median(cpu):.1f} ms "
            f"| {longest:.1f} ms | {1e3 * max(wall):.1f} ms | ~{PAGE_FACTOR * longest:.0f} ms "
            f"| {detail} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="10^4 only, best of 3")
    parser.add_argument("--n-init", type=int, default=10)
    args = parser.parse_args()
    n_init = 3 if args.quick else args.n_init
    sizes = (10_000,) if args.quick else (10_000, 100_000)

    print(cpu_line())
    print(f"numpy {np.__version__}, one thread; K = 10, greedy-k-means++, max_iter 300, "
          f"tol 1e-4, empty 'farthest'; page estimate = CPython x {PAGE_FACTOR}")
    print()
    print("| case | time to result (wall clock) | CPU time | pieces | median piece (CPU) "
          "| longest piece (CPU) | longest piece (wall clock) "
          "| page estimate (longest CPU x factor) | detail |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    best = {}
    with threadpool_limits(limits=1):
        for n in sizes:
            X = points(n)
            result, total, wall, cpu = timed(
                teach.best_of(X, 10, n_init, "greedy-k-means++", seed=1, **RULES))
            best[n] = result
            iters = sum(s.n_iter for s in result.starts)
            print(row(f"best of {n_init}, n = {n:,}", total, wall, cpu,
                      f"{iters} iterations in all, best attempt {result.best_start.attempt}"),
                  flush=True)
        X = points(10_000)
        _, total, wall, cpu = timed(teach.silhouette_in_pieces(X, best[10_000].labels))
        print(row("silhouette of every point, one clustering, n = 10,000", total, wall, cpu,
                  f"{teach.SILHOUETTE_PIECE:,} distances per piece"), flush=True)
        for silhouette in (False, True):
            found, total, wall, cpu = timed(teach.elbow(
                X, range(1, 11), n_init, "greedy-k-means++", seed=1, silhouette=silhouette,
                **RULES))
            what = "inertia"
            detail = "inertia " + ", ".join(f"{p.inertia:.0f}" for p in found)
            if silhouette:
                what += f" and silhouette (on {teach.SILHOUETTE_SAMPLE:,} points)"
                detail = "silhouette " + ", ".join(
                    "-" if p.silhouette is None else f"{p.silhouette:.3f}" for p in found)
            print(row(f"elbow K = 1..10, best of {n_init} each, {what}, n = 10,000", total,
                      wall, cpu, detail), flush=True)

if __name__ == "__main__":
    main()
