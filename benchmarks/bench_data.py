#!/usr/bin/env python3
"""Speed of the data module natively: reading uploads, and generating data sets at 10^6 points.

    python3 benchmarks/bench_data.py [--repeats 5]

Table 1, reading CSV text (``x,y`` per line, 6 decimals, a header line, "\\n" breaks) of
10^4, 10^5 and 10^6 rows: rows per second for

- ``parse_points``: the whole text at once (what typed text uses);
- ``PointsReader``: the text fed in 1 MB slices, as the page feeds an upload between frames;
  also the median and the longest time of one ``feed`` (the page's main-thread block per
  slice, natively) and of ``close``.

Table 2, the same 10^5 rows spelled in ways the bulk reader leaves to the line-by-line one:
numbers with underscores (every block goes line by line), one bad line at the end (the
blocks before it in bulk, then halving down to it), a comment line every 100 lines.

Table 3, ``data.generate(name, 10^6, ...)`` for every data set, milliseconds.

The page runs the same code in Pyodide (WebAssembly, one thread), about 2-4x slower than
CPython: the issue's target is 100,000 rows per second there, so natively about 300,000 or
more, and no single feed longer than about 50 ms natively (200 ms in the page). Median of
`--repeats` runs; the machine line is printed first.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "py"))
from kmeans_anim.core import data  # noqa: E402
from machine import cpu_line  # noqa: E402  (benchmarks/machine.py, beside this script)

SIZES = (10_000, 100_000, 1_000_000)
SLICE = 1 << 20  # characters per feed (1 MB of ASCII)


def machine():
    return f"{cpu_line()}\npython {platform.python_version()}, numpy {np.__version__}"


def csv_text(n, rng, spell="{:.6f}", low=-1000.0, high=1000.0):
    X = rng.uniform(low, high, size=(n, 2))
    return "x,y\n" + "".join(f"{spell.format(a)},{spell.format(b)}\n" for a, b in X.tolist())


def read_in_slices(text):
    """Feed `text` in SLICE pieces; (points or None after a PointsError, seconds per feed,
    seconds of close)."""
    reader = data.PointsReader(max_points=data.MAX_UPLOAD_POINTS)
    feeds = []
    try:
        for start in range(0, len(text), SLICE):
            piece = text[start : start + SLICE]
            t0 = time.perf_counter()
            try:
                reader.feed(piece)
            finally:
                feeds.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        X = reader.close()
    except data.PointsError:
        return None, feeds, 0.0
    return X, feeds, time.perf_counter() - t0


def timed(fn, repeats):
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return result, statistics.median(times)


def reading_table(repeats):
    rng = np.random.default_rng(0)
    print()
    print("Table 1: reading CSV text; rows/s (median); feeds of 1 MB: median / longest ms")
    header = (f"{'rows':>9} {'MB':>6} | {'parse_points rows/s':>19} | {'reader rows/s':>13} "
              f"{'feed p50 ms':>11} {'feed max ms':>11} {'close ms':>8}")
    print(header)
    print("-" * len(header))
    for n in SIZES:
        text = csv_text(n, rng)
        X, t_parse = timed(lambda: data.parse_points(text, max_points=n), repeats)
        assert X.shape == (n, 2)
        feeds, closes, totals = [], [], []
        for _ in range(repeats):
            t0 = time.perf_counter()
            Y, per_feed, close = read_in_slices(text)
            totals.append(time.perf_counter() - t0)
            feeds += per_feed
            closes.append(close)
        assert np.array_equal(X, Y)
        print(f"{n:>9} {len(text) / 1e6:6.1f} | {n / t_parse:19,.0f} | "
              f"{n / statistics.median(totals):13,.0f} {1e3 * statistics.median(feeds):11.1f} "
              f"{1e3 * max(feeds):11.1f} {1e3 * statistics.median(closes):8.1f}")


def odd_spellings_table(repeats):
    rng = np.random.default_rng(1)
    n = 100_000
    plain = csv_text(n, rng)
    lines = plain.split("\n")
    cases = {
        "plain (bulk)": plain,
        "underscores (line by line)": csv_text(n, rng, spell="{:_.6f}", low=1e3, high=1e6),
        "one bad line at the end": plain + "1,oops\n",
        "a comment every 100 lines": "\n".join(
            line if i % 100 else "# note" for i, line in enumerate(lines)),
    }
    print()
    print(f"Table 2: {n:,} rows spelled differently; PointsReader in 1 MB feeds")
    header = f"{'text':>28} | {'rows/s':>10} {'feed max ms':>11}"
    print(header)
    print("-" * len(header))
    for name, text in cases.items():
        totals, longest = [], 0.0
        for _ in range(repeats):
            t0 = time.perf_counter()
            _, per_feed, _ = read_in_slices(text)
            totals.append(time.perf_counter() - t0)
            longest = max(longest, *per_feed)
        print(f"{name:>28} | {n / statistics.median(totals):10,.0f} {1e3 * longest:11.1f}")


def generator_table(repeats):
    n = 1_000_000
    print()
    print(f"Table 3: data.generate(name, {n:,}, centers=10), ms (median)")
    for name in data.DATASETS:
        (X, y), t = timed(lambda: data.generate(name, n, np.random.default_rng(0), centers=10),
                          repeats)
        assert X.shape == (n, 2) and y.shape == (n,)
        print(f"{name:>18}  {1e3 * t:7.1f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    print(machine())
    reading_table(args.repeats)
    odd_spellings_table(max(1, args.repeats // 2))
    generator_table(args.repeats)


if __name__ == "__main__":
    main()
