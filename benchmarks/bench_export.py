"""How long the exports take in CPython (Pyodide is roughly 1.5-3x slower).

Prints, median of --repeat runs:
  (a) CSV of 1,000,000 points (points_csv), next to a row-by-row csv.writer over repr as the
      like-for-like baseline (same text, checked equal);
  (b) an animated GIF of a 10-iteration run at 300 points (640 x 512, 12 fps), the same with
      every drawing option on (and shapes, dark theme), and a run on 1,000,000 points thinned
      to GIF_MAX_POINTS;
  (c) "Copy as Python" for 300 generated points and for 100,000 own points (embedded
      compressed), and the PNG of a 2x frame (2000 x 1600).

Usage:  python3 benchmarks/bench_export.py [--repeat N] [--skip-big]
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import platform
import statistics
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "py"))

from kmeans_anim.core import engine  # noqa: E402
from kmeans_anim.export.csv_file import points_csv  # noqa: E402
from kmeans_anim.export.gif import GIF_MAX_POINTS, GifMaker  # noqa: E402
from kmeans_anim.export.png import png_bytes  # noqa: E402
from kmeans_anim.export.script import python_script  # noqa: E402
from kmeans_anim.core.params import Params  # noqa: E402
from kmeans_anim.core.session import Session  # noqa: E402
from kmeans_anim.picture.view import KMeansView, Style  # noqa: E402


def timed(fn, repeat: int):
    """(median seconds, last result) of `repeat` calls."""
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def csv_by_rows(points, labels, truth, centroids) -> str:
    """The same CSV, one csv.writer row at a time (the obvious way; the baseline)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["x", "y", "cluster", "true_cluster", "kind"])
    for (x, y), c, t in zip(points.tolist(), labels.tolist(), truth.tolist()):
        writer.writerow([repr(x), repr(y), "" if c < 0 else c, "" if t < 0 else t, "point"])
    for j, (x, y) in enumerate(centroids.tolist()):
        writer.writerow([repr(x), repr(y), j, "", "centroid"])
    return out.getvalue()


def ten_iteration_run():
    """A run at 300 points that takes exactly 10 Lloyd iterations (seed found by search)."""
    s = Session()
    run = s.go(Params(n=300, k=4, seed=5))
    assert run.n_iter == 10, run.n_iter
    return s, run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-big", action="store_true", help="skip the 1,000,000-point cases")
    args = parser.parse_args()
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, numpy {np.__version__}")

    s, run = ten_iteration_run()

    # (b) GIF at 300 points.
    def gif():
        maker = GifMaker(run, s.points)
        return maker, maker.make()

    seconds, (maker, data) = timed(gif, args.repeat)
    print(f"GIF, 10 iterations, 300 points, 640x512 @ 12 fps: {seconds:.2f} s "
          f"({maker.total} frames drawn, {len(maker.delays_ms)} written, "
          f"{len(data) / 1024:.0f} KB, {sum(maker.delays_ms) / 1000:.1f} s long)")

    # (b') the same GIF as the page makes it with every drawing option on, shapes, dark theme.
    everything = Params(paths=1, regions=1, changed=1, links=1)

    def gif_everything():
        maker = GifMaker(run, s.points, options=everything, style=Style("dark", shapes=True))
        return maker, maker.make()

    seconds, (maker, data) = timed(gif_everything, args.repeat)
    print(f"  the same with paths, regions, rings, lines, shapes, dark: {seconds:.2f} s "
          f"({maker.total} frames, {len(data) / 1024:.0f} KB)")

    if not args.skip_big:
        rng = np.random.default_rng(0)
        n = 1_000_000
        centres = rng.uniform(-10, 10, size=(5, 2))
        X = centres[rng.integers(0, 5, n)] + rng.normal(size=(n, 2))
        truth = rng.integers(0, 5, n)
        big = engine.lloyd(X, X[:5].copy(), max_iter=10)

        # (a) CSV of a million points.
        seconds, text = timed(lambda: points_csv(X, big.labels, truth, big.centroids),
                              args.repeat)
        print(f"CSV, {n:,} points: {seconds:.2f} s ({len(text) / 1e6:.0f} MB of text)")
        seconds_rows, baseline = timed(lambda: csv_by_rows(X, big.labels, truth, big.centroids),
                                       1)
        assert baseline == text, "the vectorised CSV differs from csv.writer's"
        print(f"  row-by-row csv.writer, same text: {seconds_rows:.2f} s "
              f"(vectorised is {seconds_rows / seconds:.1f}x faster)")

        seconds, big_maker = timed(lambda: GifMaker(big, X), 1)
        t0 = time.perf_counter()
        big_data = big_maker.make()
        seconds += time.perf_counter() - t0
        print(f"GIF, {big.n_iter} iterations, {n:,} points shown as "
              f"{big_maker.points_shown:,} (GIF_MAX_POINTS = {GIF_MAX_POINTS:,}): {seconds:.2f} s"
              f" ({big_maker.total} frames, {len(big_data) / 1024:.0f} KB)")

    # (c) Copy as Python and PNG.
    seconds, source = timed(lambda: python_script(s.params, s.seed, s.attempt,
                                                  final_centroids=run.centroids), args.repeat)
    print(f"Copy as Python, generated data: {seconds * 1000:.1f} ms, "
          f"{len(source.splitlines())} lines")
    own = np.round(np.random.default_rng(1).normal(scale=4.0, size=(100_000, 2)), 3)
    seconds, source = timed(lambda: python_script(Params(dataset="custom"), 1, 0, own),
                            args.repeat)
    print(f"Copy as Python, 100,000 own points (compressed): {seconds:.2f} s, "
          f"{len(source) / 1e6:.1f} MB")

    view = KMeansView(2000, 1600, 200)
    view.set_points(s.points)
    frame = view.render(run.labels, run.centroids)
    seconds, png = timed(lambda: png_bytes(frame), args.repeat)
    print(f"PNG of a 2000x1600 frame: {seconds * 1000:.0f} ms, {len(png) / 1024:.0f} KB")


if __name__ == "__main__":
    main()
