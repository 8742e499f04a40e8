#!/usr/bin/env python3
"""Speed and memory of the table reader (kmeans_anim.table) at 10^6 rows x 5 columns, one core.

    python3 benchmarks/bench_table.py [--rows 1000000] [--repeats 3] [--page]

Each file is fed as its bytes in 512 KB slices (web.upload.SLICE_BYTES), as the page feeds
an upload between frames: `TableReader.feed_bytes` decodes (data.FileDecoder) and reads the
complete lines of each slice. Printed per file: its size, rows per second over the whole
read (feeds, close, then `Table.points()` for the first two numeric columns), the median and
the longest single feed (the page's main-thread block per slice, natively), the longest
close and `points` (each one block of the page too), and the peak memory traced while
reading (tracemalloc, a separate run: tracing slows it down).
Rows/s and the longest feed are given in wall time and in this process's CPU time: on a
shared, loaded machine the wall figures include waiting for a core.

The files, with a header row:

- ``comma, 5 numbers``: ``x1,...,x5``, numbers with 6 significant digits;
- ``semicolon, decimal commas, 4 numbers + label``: ``1,5;...;setosa`` (a text column);
- ``tab, 5 numbers, trailing tab``: a spreadsheet paste;
- ``comma, 5 numbers, quoted``: every cell in double quotes (the csv module's path);
- ``comma, 5 numbers, 1% empty cells``: a column block with an empty cell is read cell by cell.

With ``--page`` each file is also uploaded into the built page (dist/, served on 127.0.0.1,
headless Chromium) with "your own points" chosen and "skip rows that are not numbers" ticked: rows per second from the upload to the
"points read" message, and the longest main-thread task the browser reported meanwhile
(PerformanceObserver "longtask", which lists tasks over 50 ms), i.e. the longest time the page
could not answer a click while reading.

The page runs the same code in Pyodide (WebAssembly, one thread), about 2-4x slower than
CPython: the issue's target is 100,000 rows per second there, so natively about 300,000 or
more, and no single feed longer than about 50 ms natively (200 ms in the page).
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "py"))
from kmeans_anim.core import table  # noqa: E402
from machine import cpu_line  # noqa: E402  (benchmarks/machine.py, beside this script)

SLICE_BYTES = 512 * 1024  # as web.upload.SLICE_BYTES
LABELS = ("setosa", "versicolor", "virginica")


def files(n, rng):
    """{name: bytes} of n rows each (numbers 'like 123.456' with 6 significant digits)."""
    X = rng.normal(0.0, 100.0, size=(n, 5))
    rows = ["%.6g,%.6g,%.6g,%.6g,%.6g" % tuple(r) for r in X.tolist()]
    header = "x1,x2,x3,x4,x5\n"
    out = {"comma, 5 numbers": header + "\n".join(rows) + "\n"}
    labels = [LABELS[i % 3] for i in range(n)]
    out["semicolon, decimal commas, 4 numbers + label"] = "x1;x2;x3;x4;label\n" + "".join(
        "%s;%s\n" % (r.rsplit(",", 1)[0].replace(",", ";").replace(".", ","), label)
        for r, label in zip(rows, labels))
    out["tab, 5 numbers, trailing tab"] = header.replace(",", "\t") + "".join(
        r.replace(",", "\t") + "\t\n" for r in rows)
    out["comma, 5 numbers, quoted"] = header + "".join(
        '"' + r.replace(",", '","') + '"\n' for r in rows)
    holes = rng.random(n) < 0.01
    out["comma, 5 numbers, 1% empty cells"] = header + "".join(
        ("," + r.split(",", 1)[1] if hole else r) + "\n"
        for r, hole in zip(rows, holes))
    return {name: text.encode() for name, text in out.items()}


def read(raw):
    """(table, points, (wall, cpu) seconds per feed, (close, points) CPU seconds,
    total (wall, cpu))."""
    t_start, c_start = time.perf_counter(), time.process_time()
    reader = table.TableReader()
    feeds = []
    for start in range(0, len(raw), SLICE_BYTES):
        t0, c0 = time.perf_counter(), time.process_time()
        reader.feed_bytes(raw[start:start + SLICE_BYTES])
        feeds.append((time.perf_counter() - t0, time.process_time() - c0))
    c0 = time.process_time()
    t = reader.close()
    c1 = time.process_time()
    points = t.points(skip=True)
    close = (c1 - c0, time.process_time() - c1)
    return (t, points, feeds, close,
            (time.perf_counter() - t_start, time.process_time() - c_start))


# Installed before the page's own scripts: every long task from the start, with its end time.
_LONG_TASKS = """
window.__longTasks = [];
new PerformanceObserver(list => { for (const e of list.getEntries())
  window.__longTasks.push([e.startTime, e.duration]); }).observe({type: "longtask", buffered: true});
"""


def in_page(raws: dict, tmp: Path) -> None:
    """Upload each file into the built page; print rows/s and the longest main-thread task."""
    root = Path(__file__).resolve().parents[1]
    sys.path.insert(0, str(root))
    sys.path.insert(0, str(root / "tests" / "e2e"))
    import threading

    import build
    from conftest import CHROMIUM_ARGS, chromium_path
    from playwright.sync_api import sync_playwright

    server = build.make_server(0, "/", directory=root / "dist")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print("\nIn the page (Pyodide, headless Chromium): upload to 'points read'\n")
    print("| file | rows/s (wall) | longest main-thread task ms | tasks over 50 ms |")
    print("| --- | ---: | ---: | ---: |")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        for name, raw in raws.items():
            path = tmp / "upload.csv"
            path.write_bytes(raw)
            page = browser.new_page()
            page.add_init_script(_LONG_TASKS)
            page.goto(server.url)
            page.wait_for_selector("html[data-ready='true']", timeout=300_000)
            page.select_option("#dataset", "custom")
            page.check("#skip-bad")  # as `read` takes the points: rows with an empty cell skipped
            start = page.evaluate("performance.now()")
            t0 = time.perf_counter()
            page.set_input_files("#points-file", str(path))
            page.wait_for_function("document.getElementById('message').textContent"
                                   ".includes('points read from')", timeout=600_000)
            wall = time.perf_counter() - t0
            tasks = [d for t, d in page.evaluate("window.__longTasks") if t >= start]
            rows = raw.count(b"\n") - 1
            print(f"| {name} | {rows / wall:,.0f} | {max(tasks, default=0):.0f} | {len(tasks)} |")
            page.close()
        browser.close()
    server.shutdown()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--page", action="store_true", help="also upload each file into the page")
    args = parser.parse_args()
    n = args.rows
    print(f"{cpu_line()}\npython {platform.python_version()}, numpy {np.__version__}")
    print(f"\n{n:,} rows x 5 columns, fed as bytes in {SLICE_BYTES // 1024} KB slices; "
          f"rows/s and totals are medians of {args.repeats}, feed max is the longest of all")
    print()
    print("| file | MB | rows/s (wall) | rows/s (CPU) | feed median ms | feed max ms (wall) "
          "| feed max ms (CPU) | close ms (CPU) | points ms (CPU) | peak MB (traced) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, raw in files(n, np.random.default_rng(0)).items():
        walls, cpus, feeds, closes = [], [], [], []
        for _ in range(args.repeats):
            t, points, per_feed, close, (wall, cpu) = read(raw)
            walls.append(wall)
            cpus.append(cpu)
            feeds += per_feed
            closes.append(close)
        assert t.n_rows == n and len(t.names) == 5, (t.n_rows, t.names)
        assert points.X.shape[0] == n - points.skipped
        tracemalloc.start()
        read(raw)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(f"| {name} | {len(raw) / 1e6:.1f} | {n / statistics.median(walls):,.0f} | "
              f"{n / statistics.median(cpus):,.0f} | "
              f"{1e3 * statistics.median(w for w, _ in feeds):.1f} | "
              f"{1e3 * max(w for w, _ in feeds):.1f} | {1e3 * max(c for _, c in feeds):.1f} | "
              f"{1e3 * max(c for c, _ in closes):.1f} | {1e3 * max(p for _, p in closes):.1f} | "
              f"{peak / 1e6:.0f} |")
    if args.page:
        import tempfile
        with tempfile.TemporaryDirectory() as tmp:
            in_page(files(n, np.random.default_rng(0)), Path(tmp))


if __name__ == "__main__":
    main()
