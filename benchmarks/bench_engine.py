#!/usr/bin/env python3
"""Speed of one Lloyd iteration: our numpy engine against scikit-learn's compiled one.

    python3 benchmarks/bench_engine.py [--repeats-scale 1.0]

Table 1, one iteration, on the same centred data and the same centroids for both:

- ours: ``engine.nearest_with_sums`` then ``engine.update(..., "farthest", totals=...)``:
  labels, cluster sums and sizes, the (here idle) empty-cluster check and the new centroids.
  This is the work of one iteration of ``engine.lloyd`` without the recording (each
  half-step's inertia from the cluster totals, the changed-label count, copies), which
  scikit-learn does not do.
- scikit-learn: ``sklearn.cluster._k_means_lloyd.lloyd_iter_chunked_dense``, the function
  ``KMeans(algorithm="lloyd")`` calls once per iteration (labels, sums, empty-cluster
  relocation, averaging, centre shift), called directly so that neither side pays for input
  validation, data centring or the final inertia. It runs with OpenMP threads; it is timed both
  with the thread count ``KMeans`` would use and with ``n_threads=1``. Ours is numpy on one
  Python thread (numpy's BLAS may use its own threads for the matrix products).

The centroids are not moved between repeats, so every repeat does identical work.

Table 2, whole runs: ``engine.lloyd`` (validation, centring, every half-step recorded with its
inertia) against ``KMeans(init=C0, n_init=1, algorithm="lloyd", tol=0, max_iter=20).fit``,
both from the same initial centroids to the same end; milliseconds per iteration = run time /
iterations.

Data: blobs (``data.make_blobs``, one blob per centroid, std 1, centres in [-10, 10]^2), d = 2,
initial centroids k random data points. Reported: median milliseconds and the ratio
ours / scikit-learn (the issue's target: at most 1.5 for the iteration).

Timing: each contender runs a batch of repeats in a row, batches take turns over several
rounds, with a short pause before each batch. Interleaving single calls instead lets one
contender's idle threads (OpenMP's and OpenBLAS's spin a while before they sleep) steal a core
from the next, which made the figures swing by 2x on this two-core machine.

Table 3, computing a run in pieces (what the page does between frames): ``LloydStepper``
construction (centring, scaling, the first assignment) and each ``advance()`` (one iteration,
plus the final assignment on the last), median and longest milliseconds, K = 10.

Table 4, memory of a recorded run at n = 10^6, K = 10 (tracemalloc, which sees numpy's
buffers): what the run keeps (its steps: one int8 label array per iteration, centroids) and
the peak while computing it, beyond the input points (16 MB). max_iter 10 on blobs and 300 on
uniform points (which take many iterations to settle), tol 0. The last column is computed from
the measured one: what the run would keep with 8-byte (intp) labels, as before. Also the K cap of a GO at 10^6
points: ``engine.count_distinct`` against the ``np.unique`` it replaced.

With ``--against REV`` (a git revision), Table 0 first compares this engine with the engine
at REV on the same data, interleaved the same way: one assignment pass (`nearest_with_sums`)
and whole recorded runs (`lloyd`), the FASTEST call of each (on a shared machine whose speed
drifts from minute to minute, the minimum is what the code costs; the median is what the
neighbours allowed). That ratio is the figure to trust for "no slower than before".

Environment: ``OPENBLAS_CORETYPE`` / ``OPENBLAS_L2_SIZE`` (and ``OMP_NUM_THREADS``) may be set on
this machine; they can change BLAS kernels and thread counts, so their values are printed with
the figures. Timings on shared virtual machines are noisy (the load average is printed; OpenMP's
threads suffer most when another process holds a core); compare figures from one quiet run.
Runs in about a minute.
"""

from __future__ import annotations

import argparse
import importlib
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np
import sklearn
from sklearn.cluster import KMeans
from sklearn.cluster._k_means_lloyd import lloyd_iter_chunked_dense
from sklearn.utils._openmp_helpers import _openmp_effective_n_threads
from threadpoolctl import threadpool_info

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "py"))
from kmeans_anim.core import data, engine  # noqa: E402
from machine import cpu_line  # noqa: E402  (benchmarks/machine.py, beside this script)

SIZES = (10_000, 100_000, 1_000_000)
KS = (3, 10)
# Repeats per batch for each size (ROUNDS batches per contender): a stable median, about a
# minute in all.
REPEATS = {10_000: 100, 100_000: 20, 1_000_000: 4}
ROUNDS = 5
RUN_MAX_ITER = 20
RUN_REPEATS = {10_000: 10, 100_000: 3, 1_000_000: 1}


def median_ms(fns, repeats, rounds=ROUNDS, statistic=statistics.median):
    """Median milliseconds per call of each function in `fns`, a dict name -> callable
    (or another `statistic` of the calls' times, e.g. min).

    Each round runs every contender in turn: a pause of 50 ms (idle worker threads go to
    sleep), one warm-up call, then `repeats` timed calls. Rounds spread a burst of load from
    elsewhere on the machine over all contenders.
    """
    times = {name: [] for name in fns}
    for _ in range(rounds):
        for name, fn in fns.items():
            time.sleep(0.05)
            fn()
            for _ in range(repeats):
                start = time.perf_counter()
                fn()
                times[name].append(time.perf_counter() - start)
    return {name: 1e3 * statistic(t) for name, t in times.items()}


def our_iteration(points, C):
    """One iteration of ours on centred points and centred centroids C."""
    def run():
        labels, totals = engine.nearest_with_sums(points, C)
        return labels, engine.update(points.points, labels, C, "farthest", totals=totals)

    return run


def sklearn_iteration(X, C, n_threads):
    """One scikit-learn Lloyd iteration with preallocated buffers, as _kmeans_single_lloyd has."""
    n, k = X.shape[0], C.shape[0]
    weights = np.ones(n)
    centers_new = np.zeros_like(C)
    weight_in_clusters = np.zeros(k)
    labels = np.full(n, -1, dtype=np.int32)
    center_shift = np.zeros(k)

    def run():
        lloyd_iter_chunked_dense(X, weights, C, centers_new, weight_in_clusters, labels,
                                 center_shift, n_threads)
        return labels, centers_new

    return run


def machine():
    pools = ", ".join(f"{p['internal_api']} {p.get('version') or '?'} x{p['num_threads']}"
                      for p in threadpool_info())
    env = ", ".join(f"{v}={os.environ.get(v, '(unset)')}"
                    for v in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OMP_NUM_THREADS"))
    return [
        cpu_line(),
        f"python {platform.python_version()}, numpy {np.__version__}, "
        f"scikit-learn {sklearn.__version__}",
        f"thread pools (threadpoolctl): {pools}",
        f"scikit-learn OpenMP threads for KMeans: {_openmp_effective_n_threads()}",
        f"env: {env}",
    ]


def iteration_table(cases, repeats_scale, n_threads):
    header = (f"{'n':>9} {'k':>3} | {'ours ms':>8} | {'sklearn ms':>10} {'ratio':>6} | "
              f"{'sklearn 1 thr':>13} {'ratio':>6}")
    print()
    print("Table 1: median ms per Lloyd iteration (labels + sums + new centroids), d = 2; "
          "ratio = ours / sklearn")
    print(header)
    print("-" * len(header))
    for n, k, X, C in cases:
        points = engine.CentredPoints.of(X, C)
        # Both in our frame (centred, scaled by a power of two); scikit-learn's Cython loop
        # takes C-contiguous rows only.
        Xc, Cc = np.ascontiguousarray(points.points), points.centre(C)
        ours = our_iteration(points, Cc)
        # Same answer first: a fast wrong iteration would be no figure at all.
        our_labels, our_centres = ours()
        sk_labels, sk_centres = sklearn_iteration(Xc, Cc, n_threads)()
        assert np.array_equal(our_labels, sk_labels), "labels differ from scikit-learn"
        assert np.allclose(our_centres, sk_centres, rtol=0, atol=1e-9), "centroids differ"

        t = median_ms({
            "ours": ours,
            "sklearn": sklearn_iteration(Xc, Cc, n_threads),
            # n_threads=1 runs the OpenMP loop on one thread; its BLAS calls are on
            # 256-row chunks, too small for OpenBLAS to thread.
            "sklearn 1 thread": sklearn_iteration(Xc, Cc, 1),
        }, max(1, round(REPEATS[n] * repeats_scale)))
        t_ours, t_sk, t_sk1 = t["ours"], t["sklearn"], t["sklearn 1 thread"]
        print(f"{n:>9} {k:>3} | {t_ours:8.2f} | {t_sk:10.2f} {t_ours / t_sk:6.2f} | "
              f"{t_sk1:13.2f} {t_ours / t_sk1:6.2f}")


def run_table(cases, repeats_scale):
    header = (f"{'n':>9} {'k':>3} {'iter':>4} | {'ours ms/iter':>12} | {'sklearn ms/iter':>15} "
              f"{'ratio':>6}")
    print()
    print(f"Table 2: whole runs, max_iter {RUN_MAX_ITER}, tol 0: engine.lloyd (recording every "
          "half-step) vs KMeans.fit; median ms per iteration")
    print(header)
    print("-" * len(header))
    for n, k, X, C in cases:
        run = engine.lloyd(X, C, max_iter=RUN_MAX_ITER, tol=0.0, empty_rule="farthest")
        km = KMeans(k, init=C, n_init=1, algorithm="lloyd", tol=0.0, max_iter=RUN_MAX_ITER)
        km.fit(X)
        assert run.n_iter == km.n_iter_, "iteration counts differ from scikit-learn"
        t = median_ms({
            "ours": lambda: engine.lloyd(X, C, max_iter=RUN_MAX_ITER, tol=0.0,
                                         empty_rule="farthest"),
            "sklearn": lambda: km.fit(X),
        }, max(1, round(RUN_REPEATS[n] * repeats_scale)))
        per_ours, per_sk = t["ours"] / run.n_iter, t["sklearn"] / run.n_iter
        print(f"{n:>9} {k:>3} {run.n_iter:>4} | {per_ours:12.2f} | {per_sk:15.2f} "
              f"{per_ours / per_sk:6.2f}")


def stepper_table(cases):
    print()
    print("Table 3: LloydStepper, K = 10, max_iter 20, tol 0: construction and advance(), ms")
    header = f"{'n':>9} {'k':>3} | {'construct p50':>13} {'max':>7} | {'advance p50':>11} {'max':>7}"
    print(header)
    print("-" * len(header))
    for n, k, X, C in cases:
        if k != 10 or n < 100_000:
            continue
        builds, advances = [], []
        for _ in range(3):
            time.sleep(0.05)
            t0 = time.perf_counter()
            stepper = engine.LloydStepper(X, C, max_iter=RUN_MAX_ITER, empty_rule="farthest")
            builds.append(time.perf_counter() - t0)
            while not stepper.finished:
                t0 = time.perf_counter()
                stepper.advance()
                advances.append(time.perf_counter() - t0)
        print(f"{n:>9} {k:>3} | {1e3 * statistics.median(builds):13.1f} {1e3 * max(builds):7.1f}"
              f" | {1e3 * statistics.median(advances):11.1f} {1e3 * max(advances):7.1f}")


def memory_table():
    n, k = 1_000_000, 10
    rng = np.random.default_rng(3)
    print()
    print(f"Table 4: memory of a recorded run, n = {n:,}, K = {k}, tol 0 (tracemalloc)")
    header = (f"{'data':>8} {'max_iter':>8} {'n_iter':>6} | {'run keeps MB':>12} "
              f"{'labels MB':>9} {'peak MB':>8} | {'keeps, intp labels MB':>21}")
    print(header)
    print("-" * len(header))
    for name, max_iter in (("blobs", 10), ("uniform", 300)):
        X, _ = data.generate(name, n, rng, centers=k)
        C = engine.init_centroids(X, k, "random", rng)
        tracemalloc.start()
        base = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        run = engine.lloyd(X, C, max_iter=max_iter, tol=0.0)
        current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        arrays = {id(s.labels): s.labels.nbytes for s in run.steps}
        labels = sum(arrays.values())
        intp = labels * np.dtype(np.intp).itemsize // run.labels.itemsize
        print(f"{name:>8} {max_iter:>8} {run.n_iter:>6} | {(current - base) / 1e6:12.1f} "
              f"{labels / 1e6:9.1f} {(peak - base) / 1e6:8.1f} | "
              f"{(current - base - labels + intp) / 1e6:21.1f}")
        del run
    X, _ = data.generate("blobs", n, rng, centers=k)
    X[n // 2 :] = X[: n - n // 2]  # repeated points, as an upload may have
    t_ours = median_ms({"ours": lambda: engine.count_distinct(X, k)}, 1, rounds=3)["ours"]
    t_unique = median_ms({"unique": lambda: np.unique(X, axis=0)}, 1, rounds=3)["unique"]
    print(f"K cap at {n:,} points: count_distinct(X, {k}) {t_ours:.1f} ms, "
          f"len(np.unique(X, axis=0)) {t_unique:.1f} ms")


def engine_at(rev):
    """The engine module as it was at git revision `rev`, imported from a temporary copy of
    the package (today's other modules, that revision's engine.py)."""
    root = Path(__file__).resolve().parents[1]
    # engine.py moved into core/ with the layered layout; older revisions have it at the top.
    for path in ("py/kmeans_anim/core/engine.py", "py/kmeans_anim/engine.py"):
        shown = subprocess.run(["git", "-C", str(root), "show", f"{rev}:{path}"],
                               capture_output=True, text=True)
        if shown.returncode == 0:
            break
    else:
        raise SystemExit(f"no engine.py at revision {rev}")
    folder = Path(tempfile.mkdtemp(prefix="engine-at-rev-"))
    package = folder / "kmeans_anim_at_rev"
    shutil.copytree(root / "py" / "kmeans_anim", package)
    # That revision's engine in today's core/ (an old flat engine.py imports `from . import
    # data`: core/ has data too).
    (package / "core" / "engine.py").write_text(shown.stdout)
    sys.path.insert(0, str(folder))
    return importlib.import_module("kmeans_anim_at_rev.core.engine")


def revision_table(cases, rev, repeats_scale):
    old = engine_at(rev)
    print()
    print(f"Table 0: this engine against the engine at {rev}, same data; fastest call, ms "
          "(ratio = this / then)")
    header = (f"{'n':>9} {'k':>3} | {'assign then':>11} {'now':>7} {'ratio':>6} | "
              f"{'run/iter then':>13} {'now':>7} {'ratio':>6}")
    print(header)
    print("-" * len(header))
    for n, k, X, C in cases:
        then_points, now_points = old.CentredPoints.of(X), engine.CentredPoints.of(X, C)
        then_c, now_c = C - then_points.mean, now_points.centre(C)
        t = median_ms({
            "then": lambda: old.nearest_with_sums(then_points, then_c),
            "now": lambda: engine.nearest_with_sums(now_points, now_c, C),
        }, max(1, round(REPEATS[n] * repeats_scale)), statistic=min)
        then_run = old.lloyd(X, C, max_iter=RUN_MAX_ITER, empty_rule="farthest")
        now_run = engine.lloyd(X, C, max_iter=RUN_MAX_ITER, empty_rule="farthest")
        assert np.array_equal(then_run.labels, now_run.labels), "the engines disagree"
        r = median_ms({
            "then": lambda: old.lloyd(X, C, max_iter=RUN_MAX_ITER, empty_rule="farthest"),
            "now": lambda: engine.lloyd(X, C, max_iter=RUN_MAX_ITER, empty_rule="farthest"),
        }, max(1, round(RUN_REPEATS[n] * repeats_scale)), statistic=min)
        it = now_run.n_iter
        print(f"{n:>9} {k:>3} | {t['then']:11.2f} {t['now']:7.2f} {t['now'] / t['then']:6.2f} | "
              f"{r['then'] / it:13.2f} {r['now'] / it:7.2f} {r['now'] / r['then']:6.2f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats-scale", type=float, default=1.0,
                        help="multiply the number of repeats (e.g. 0.2 for a quick look)")
    parser.add_argument("--against", metavar="REV",
                        help="also compare with the engine at this git revision (Table 0)")
    parser.add_argument("--only-against", action="store_true",
                        help="with --against: print Table 0 only")
    args = parser.parse_args()

    print("\n".join(machine()))
    rng = np.random.default_rng(0)
    cases = []
    for n in SIZES:
        for k in KS:
            X, _ = data.make_blobs(n, k, 1.0, rng)
            X = np.ascontiguousarray(X)
            cases.append((n, k, X, engine.init_centroids(X, k, "random", rng)))
    if args.against:
        revision_table(cases, args.against, args.repeats_scale)
        if args.only_against:
            return
    iteration_table(cases, args.repeats_scale, _openmp_effective_n_threads())
    run_table(cases, args.repeats_scale)
    stepper_table(cases)
    memory_table()


if __name__ == "__main__":
    main()
