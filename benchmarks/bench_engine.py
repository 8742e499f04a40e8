#!/usr/bin/env python3
"""Speed of one Lloyd iteration: our numpy engine against scikit-learn's compiled one.

    python3 benchmarks/bench_engine.py [--repeats-scale 1.0]

What is timed, on the same data and the same centroids for both:

- ours: ``engine.assign(X, C)`` then ``engine.update(X, labels, C, "farthest")``: labels,
  cluster sums, the (here idle) empty-cluster check and the new centroids. This is the work of
  one iteration of ``engine.lloyd``, which adds one inertia pass and a copy of the labels per
  iteration for the recording.
- scikit-learn: ``sklearn.cluster._k_means_lloyd.lloyd_iter_chunked_dense``, the function
  ``KMeans(algorithm="lloyd")`` calls once per iteration (labels, sums, empty-cluster
  relocation, averaging, centre shift), called directly so that neither side pays for input
  validation, data centring or the final inertia. It runs with OpenMP threads; it is timed both
  with the thread count ``KMeans`` would use and with ``n_threads=1``, since numpy (and Pyodide
  in the page) runs ours on one core.

The centroids are not moved between repeats, so every repeat does identical work. Data: blobs
(``data.make_blobs``, one blob per centroid, std 1, centres in [-10, 10]^2), d = 2, initial
centroids k random data points. Reported: median milliseconds per iteration and the ratio
ours / scikit-learn (below 1.5 is the target).

Environment: ``OPENBLAS_CORETYPE`` / ``OPENBLAS_L2_SIZE`` (and ``OMP_NUM_THREADS``) may be set on
this machine; they can change BLAS kernels and thread counts, so their values are printed with
the figures. Timings on shared virtual machines are noisy (the load average is printed; OpenMP's
threads suffer most when another process holds a core); compare figures from one quiet run.
Runs in about 15 seconds.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import sklearn
from sklearn.cluster._k_means_lloyd import lloyd_iter_chunked_dense
from sklearn.utils._openmp_helpers import _openmp_effective_n_threads
from threadpoolctl import threadpool_info

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "py"))
from kmeans_anim import data, engine  # noqa: E402

SIZES = (10_000, 100_000, 1_000_000)
KS = (3, 10)
# Repeats per size: enough for a stable median, bounded total time.
REPEATS = {10_000: 500, 100_000: 100, 1_000_000: 25}


def median_ms(fns, repeats):
    """Median milliseconds per call of each function in `fns`, a dict name -> callable.

    The calls are interleaved (a, b, c, a, b, c, ...) so that a burst of load from elsewhere on
    the machine hits every contender alike instead of one of them.
    """
    times = {name: [] for name in fns}
    for name, fn in fns.items():
        fn()  # warm-up: first-touch page faults, thread start-up
    for _ in range(repeats):
        for name, fn in fns.items():
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    return {name: 1e3 * statistics.median(t) for name, t in times.items()}


def ours(X, C):
    labels, _ = engine.assign(X, C)
    return labels, engine.update(X, labels, C, "farthest")


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
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    pools = ", ".join(f"{p['internal_api']} {p.get('version') or '?'} x{p['num_threads']}"
                      for p in threadpool_info())
    env = ", ".join(f"{v}={os.environ.get(v, '(unset)')}"
                    for v in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OMP_NUM_THREADS"))
    load = "n/a"
    if hasattr(os, "getloadavg"):
        load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return [
        f"machine: {cpu}; {os.cpu_count()} logical CPUs, {usable} usable; load average {load}",
        f"python {platform.python_version()}, numpy {np.__version__}, "
        f"scikit-learn {sklearn.__version__}",
        f"thread pools (threadpoolctl): {pools}",
        f"scikit-learn OpenMP threads for KMeans: {_openmp_effective_n_threads()}",
        f"env: {env}",
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats-scale", type=float, default=1.0,
                        help="multiply the number of repeats (e.g. 0.2 for a quick look)")
    args = parser.parse_args()

    print("\n".join(machine()))
    n_threads = _openmp_effective_n_threads()
    header = (f"{'n':>9} {'k':>3} | {'ours ms':>8} | {'sklearn ms':>10} {'ratio':>6} | "
              f"{'sklearn 1 thr':>13} {'ratio':>6}")
    print()
    print("median ms per Lloyd iteration (assign + update), d = 2; ratio = ours / sklearn")
    print(header)
    print("-" * len(header))
    rng = np.random.default_rng(0)
    for n in SIZES:
        repeats = max(3, round(REPEATS[n] * args.repeats_scale))
        for k in KS:
            X, _ = data.make_blobs(n, k, 1.0, rng)
            X = np.ascontiguousarray(X)
            C = engine.init_centroids(X, k, "random", rng)

            # Same answer first: a fast wrong iteration would be no figure at all.
            our_labels, our_centres = ours(X, C)
            sk_labels, sk_centres = sklearn_iteration(X, C, n_threads)()
            assert np.array_equal(our_labels, sk_labels), "labels differ from scikit-learn"
            assert np.allclose(our_centres, sk_centres, rtol=0, atol=1e-9), "centroids differ"

            t = median_ms({
                "ours": lambda: ours(X, C),
                "sklearn": sklearn_iteration(X, C, n_threads),
                # n_threads=1 runs the OpenMP loop on one thread; its BLAS calls are on
                # 256-row chunks, too small for OpenBLAS to thread.
                "sklearn 1 thread": sklearn_iteration(X, C, 1),
            }, repeats)
            t_ours, t_sk, t_sk1 = t["ours"], t["sklearn"], t["sklearn 1 thread"]
            print(f"{n:>9} {k:>3} | {t_ours:8.2f} | {t_sk:10.2f} {t_ours / t_sk:6.2f} | "
                  f"{t_sk1:13.2f} {t_ours / t_sk1:6.2f}")


if __name__ == "__main__":
    main()
