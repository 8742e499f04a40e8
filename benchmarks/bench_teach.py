#!/usr/bin/env python3
"""Speed of issue 17's computations in pieces: best of N starts, the elbow, the silhouette.

    python3 benchmarks/bench_teach.py [--quick] [--page]

The page computes these between paints: `teach.best_of` and `teach.elbow` are generators that
yield after every piece (a pick of the seeding rule, `teach.PAGE_PIECE` points of a pass of
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
    parser.add_argument("--page", action="store_true",
                        help="also in the page (headless Chromium): best of 10 at 10^4 and 10^5, "
                             "the elbow at 10^4 (--quick: 10^4 only)")
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
                teach.best_of(X, 10, n_init, "greedy-k-means++", seed=1, piece=teach.PAGE_PIECE,
                              **RULES))
            best[n] = result
            iters = sum(s.n_iter for s in result.starts)
            print(row(f"best of {n_init}, n = {n:,}", total, wall, cpu,
                      f"{iters} iterations in all, best attempt {result.best_start.attempt}"),
                  flush=True)
        X = points(10_000)
        _, total, wall, cpu = timed(teach.silhouette_in_pieces(X, best[10_000].labels,
                                                               teach.PAGE_SILHOUETTE_PIECE))
        print(row("silhouette of every point, one clustering, n = 10,000", total, wall, cpu,
                  f"{teach.PAGE_SILHOUETTE_PIECE:,} distances per piece"), flush=True)
        for silhouette in (False, True):
            found, total, wall, cpu = timed(teach.elbow(
                X, range(1, 11), n_init, "greedy-k-means++", seed=1, silhouette=silhouette,
                piece=teach.PAGE_PIECE, **RULES))
            what = "inertia"
            detail = "inertia " + ", ".join(f"{p.inertia:.0f}" for p in found)
            if silhouette:
                what += f" and silhouette (on {teach.SILHOUETTE_SAMPLE:,} points)"
                detail = "silhouette " + ", ".join(
                    "-" if p.silhouette is None else f"{p.silhouette:.3f}" for p in found)
            print(row(f"elbow K = 1..10, best of {n_init} each, {what}, n = 10,000", total,
                      wall, cpu, detail), flush=True)

    if args.page:
        page_figures(args.quick)


# ------------------------------------------------------------------ in the page (--page)

#: The page's address for each case: the same work as above (blobs with 10 true clusters,
#: std 0.8, seed 1, K = 10, greedy k-means++, scikit-learn's rules, 10 starts).
PAGE_QUERY = ("?dataset=blobs&n={n}&k=10&centers=10&std=0.8&seed=1&reseed=0"
              "&init=greedy-k-means%2B%2B&max_iter=300&tol=0.0001&empty=farthest&n_init=10"
              "&speed=16")
#: Every main-thread task of 50 ms or more (Chromium's Long Tasks API), from the click on.
LONG_TASKS = """() => { window.__long = [];
  new PerformanceObserver(list => { for (const e of list.getEntries()) window.__long.push(e.duration); })
    .observe({type: 'longtask'}); }"""


def page_figures(quick: bool) -> None:
    """Best of 10 (n = 10^4, 10^5) and the elbow (n = 10^4) in headless Chromium, through the
    page's buttons: time to the result and the longest piece as the page's teaching panel
    measures them (snapshot ``teach``), and the longest main-thread task while computing
    (Long Tasks API; tasks under 50 ms are not reported, so "< 50 ms" means none)."""
    import threading

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "e2e"))
    import build  # noqa: E402
    from conftest import CHROMIUM_ARGS, chromium_path  # noqa: E402
    from playwright.sync_api import sync_playwright  # noqa: E402

    build.build()
    server = build.make_server(0, "/")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    cases = [("best-of", 10_000), ("elbow", 10_000)] + ([] if quick else [("best-of", 100_000)])
    print()
    print("In the page (headless Chromium, Pyodide):")
    print()
    print("| case | time to result | pieces | longest piece (page's own timing) "
          "| longest main-thread task (Long Tasks API) |")
    print("| --- | --- | --- | --- | --- |")
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            for button, n in cases:
                page = browser.new_page(viewport={"width": 1280, "height": 800})
                page.goto(server.url + PAGE_QUERY.format(n=n))
                page.wait_for_function("document.documentElement.dataset.ready === 'true'",
                                       timeout=180_000)
                page.click("#go")
                page.wait_for_function("document.documentElement.dataset.status === 'done'",
                                       timeout=600_000)
                page.wait_for_selector('#teach[data-silhouette="done"]', state="attached",
                                       timeout=600_000)
                page.evaluate(LONG_TASKS)
                page.click(f"#{button}")
                what = "bestOf" if button == "best-of" else "elbow"
                page.wait_for_function(
                    f"document.getElementById('teach').dataset.{what} === 'done'",
                    timeout=1_800_000)
                t = page.evaluate("window.kmeans.snapshot({points: false}).teach")
                figures = t["best_of" if button == "best-of" else "elbow"]
                longest_task = max(page.evaluate("window.__long"), default=None)
                name = ("best of 10" if button == "best-of" else
                        "elbow K = 1..10, best of 10 each, with silhouette (2,000 points)")
                task = "< 50 ms (none reported)" if longest_task is None else f"{longest_task:.0f} ms"
                print(f"| {name}, n = {n:,} | {figures['took_ms'] / 1e3:.2f} s "
                      f"| {figures['pieces']} | {figures['longest_piece_ms']:.1f} ms | {task} |",
                      flush=True)
                page.close()
            browser.close()
    finally:
        server.shutdown()


if __name__ == "__main__":
    main()
