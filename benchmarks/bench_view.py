"""Frame times of kmeans_anim.view.KMeansView (CPython; Pyodide is roughly 1.5-3x slower).

Prints median and p95 milliseconds per frame for
  (a) centroid-only frames: centroids (and their trails) move, labels unchanged — the common frame
      of a glide;
  (b) label-change frames: points recoloured, centroids drawn;
  (c) a full redraw baseline: ``canvas.draw()`` of the whole figure with everything visible;
at 300 points, for 1000x800 @ 100 dpi and 2000x1600 @ 200 dpi (devicePixelRatio 2). With
--regions every frame also shades each centroid's region (redrawn with the points in (b)).

Usage:  python3 benchmarks/bench_view.py [--frames N] [--points N] [--k K] [--regions]
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "py"))

from kmeans_anim.picture.view import KMeansView, label_colors  # noqa: E402


def stats(samples_s: list[float]) -> tuple[float, float]:
    ms = np.asarray(samples_s) * 1000.0
    return float(np.median(ms)), float(np.percentile(ms, 95))


def timed(fn, n: int) -> list[float]:
    out = []
    for i in range(n):
        t0 = time.perf_counter()
        fn(i)
        out.append(time.perf_counter() - t0)
    return out


def bench(width: int, height: int, dpi: float, n_points: int, k: int, frames: int,
          regions: bool = False) -> dict:
    rng = np.random.default_rng(42)
    centers = rng.uniform(-10, 10, (k, 2))
    X = centers[rng.integers(0, k, n_points)] + rng.normal(scale=1.5, size=(n_points, 2))
    view = KMeansView(width, height, dpi)
    view.set_points(X)

    labels = [rng.integers(0, k, n_points) for _ in range(frames + 1)]
    start = X[rng.choice(n_points, k, replace=False)]
    end = centers
    path = [start + (end - start) * (i / frames) for i in range(frames)]
    trails_at = [np.stack([start, p], axis=1) for p in path]

    t0 = time.perf_counter()
    view.render(labels[0], start, regions=start if regions else None)
    first = time.perf_counter() - t0

    def centroid_frame(i):
        view.render(labels[0], path[i], trails=trails_at[i], regions=start if regions else None)
        assert view.last_render_info["redrawn"] == "centroids"

    def label_frame(i):
        view.render(labels[i + 1], path[i], trails=trails_at[i],
                    regions=path[i] if regions else None)
        assert view.last_render_info["redrawn"] in ("points", "full")

    centroid_frame(0)  # warm-up
    a = timed(centroid_frame, frames)
    b = timed(label_frame, frames)

    # Baseline: what a naive redraw costs — every artist visible, whole figure drawn.
    for art in (view._points, view._centroids, view._trails):
        art.set_animated(False)

    def full_frame(i):
        view._points.set_facecolors(label_colors(labels[i]))
        view._centroids.set_offsets(path[i])
        view.canvas.draw()
        np.asarray(view.canvas.buffer_rgba())

    c = timed(full_frame, max(10, frames // 4))
    return {"first (layout + full draw)": (first * 1000, first * 1000),
            "(a) centroid-only": stats(a), "(b) label change": stats(b),
            "(c) full redraw baseline": stats(c)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--frames", type=int, default=200)
    ap.add_argument("--points", type=int, default=300)
    ap.add_argument("--k", type=int, default=5)
    ap.add_argument("--regions", action="store_true", help="shade each centroid's region")
    args = ap.parse_args()
    import matplotlib
    print(f"Python {platform.python_version()} ({platform.python_implementation()}), "
          f"numpy {np.__version__}, matplotlib {matplotlib.__version__}, "
          f"{os.cpu_count()} CPUs, {platform.machine()}")
    print(f"{args.points} points, k={args.k}, {args.frames} frames per case"
          + (", regions on" if args.regions else ""))
    for w, h, dpi in [(1000, 800, 100.0), (2000, 1600, 200.0)]:
        res = bench(w, h, dpi, args.points, args.k, args.frames, args.regions)
        print(f"\n{w}x{h} @ {dpi:g} dpi")
        print(f"  {'case':30s} {'median ms':>10s} {'p95 ms':>10s}")
        for name, (med, p95) in res.items():
            print(f"  {name:30s} {med:10.2f} {p95:10.2f}")


if __name__ == "__main__":
    main()
