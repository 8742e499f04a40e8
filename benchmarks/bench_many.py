#!/usr/bin/env python3
"""Many points in the page: frame rate, recolour frames, main-thread blocks, first frame after GO,
one Lloyd iteration in the page against CPython, and the tab's memory.

    python3 benchmarks/bench_many.py [--sizes 10000,100000,1000000] [--k 10]

For each size, a fresh headless Chromium opens dist/ at ?n=N&k=K&seed=3&speed=1 (blobs), waits
until the page is ready, then presses GO once and waits for the end of the run. From the page's
own log of painted frames (snapshot "paint_log": start, draw ms, half-step, its kind, gliding)
and a PerformanceObserver for long tasks it prints:

- frames/s while centroids glide: painted frames of the "update" half-steps whose centroids move,
  per second of those glides (the browser offers 60 animation frames a second at most);
- the frame that recolours points: draw time of the first frame of each "assign" half-step
  (every point redrawn in its new colour), median and max;
- the longest main-thread block from the GO click to the end of the run (long tasks, > 50 ms);
- the first frame after GO: from the click to the end of the first painted frame of the run;
- one Lloyd iteration (assignment + update, as the page computes it, in pieces), median over
  the run's iterations, in the page (Pyodide, WebAssembly) and in CPython with the same engine on
  the same points, one thread each (OPENBLAS_NUM_THREADS=1): the ratio is the WebAssembly cost;
- the tab's memory: peak resident memory of the page's renderer process, sampled every 0.2 s
  from /proc while the page loads and runs.

Then an upload (--upload-rows, default 1,000,000 rows of "x,y" with 6 decimals): from the file
input's change event to the page's "N points read" message, in the page's clock; rows per
second; the longest main-thread block meanwhile.

Not a test: figures only.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "e2e"))
sys.path.insert(0, str(ROOT / "benchmarks"))
import build  # noqa: E402
from conftest import CHROMIUM_ARGS, chromium_path  # noqa: E402
from machine import cpu_line  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

LONG_TASKS = """() => { window.__long = [];
  new PerformanceObserver(list => { for (const e of list.getEntries())
      window.__long.push([e.startTime, e.duration]); }).observe({type: 'longtask'}); }"""
CLICK_GO = "() => { window.__go = performance.now(); document.getElementById('go').click(); }"

CPYTHON = """
import json, sys, time
sys.path.insert(0, {py!r})
from kmeans_anim.core import data, params as P, session as S
params, _ = P.from_query({query!r})
s = S.Session()
s.prepare(params)
run = data.run_pieces(s.start_in_pieces())
times = []
while not run.finished:
    t0 = time.perf_counter()
    data.run_pieces(run.advance_in_pieces())
    times.append((time.perf_counter() - t0) * 1000)
print(json.dumps(times))
"""


def snapshot(page) -> dict:
    return page.evaluate("window.kmeans.snapshot({points: false})")


def status(page) -> str:
    return page.evaluate("document.documentElement.dataset.status")


def rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            return next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))
    except (OSError, StopIteration):
        return 0


def renderers(profile: str) -> list[int]:
    """pids of the renderer processes of the browser started on `profile`."""
    browsers, children = set(), {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            # children rewrite their command line as one string: search it whole
            cmd = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ")
            ppid = int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        if profile.encode() in cmd and b"--type=" not in cmd:
            browsers.add(int(entry))
        children.setdefault(ppid, []).append((int(entry), cmd))
    found, todo = [], list(browsers)
    while todo:
        for pid, cmd in children.get(todo.pop(), []):
            todo.append(pid)
            if b"--type=renderer" in cmd and b"--top-chrome-webui" not in cmd:
                found.append(pid)
    return found


class MemorySampler(threading.Thread):
    """Peak RSS (kB) of the largest renderer process of one browser (the page's: the others
    are idle spares), sampled every 0.2 s."""

    def __init__(self, profile: str) -> None:
        super().__init__(daemon=True)
        self.profile, self.peak_kb, self.running = profile, 0, True

    def run(self) -> None:
        while self.running:
            sizes = [rss_kb(pid) for pid in renderers(self.profile)]
            self.peak_kb = max([self.peak_kb, *sizes])
            time.sleep(0.2)


def measure(p, url: str, n: int, k: int) -> dict:
    profile = tempfile.mkdtemp(prefix="kmeans-bench-many-")
    sampler = MemorySampler(profile)
    sampler.start()
    context = p.chromium.launch_persistent_context(
        profile, executable_path=chromium_path(), args=CHROMIUM_ARGS,
        viewport={"width": 1400, "height": 1000})
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{url}?n={n}&k={k}&seed=3&speed=1")
        page.wait_for_function("document.documentElement.dataset.ready === 'true'", timeout=300_000)
        # a link with a seed opens ready to play: wait until that run is ready (paused)
        page.wait_for_function("['paused', 'done'].includes(document.documentElement.dataset.status)",
                               timeout=300_000, polling=200)
        page.evaluate(LONG_TASKS)
        run_before = page.evaluate("document.documentElement.dataset.run")
        page.evaluate(CLICK_GO)
        page.wait_for_function(f"document.documentElement.dataset.run !== '{run_before}'",
                               timeout=300_000, polling=20)
        page.wait_for_function("document.documentElement.dataset.status === 'done'",
                               timeout=600_000, polling=200)
        snap = snapshot(page)
        go_at = page.evaluate("window.__go")
        long_tasks = [d for start, d in page.evaluate("window.__long") if start >= go_at - 1]
        if errors:
            raise RuntimeError(f"page errors at n={n}: {errors}")
    finally:
        context.close()
        sampler.running = False
        sampler.join()
    log = snap["paint_log"]
    glides: dict[int, list[float]] = {}
    for start, _ms, step, kind, moving in log:
        if kind == "update" and moving:
            glides.setdefault(step, []).append(start)
    frames = sum(len(t) - 1 for t in glides.values() if len(t) > 1)
    seconds = sum(t[-1] - t[0] for t in glides.values() if len(t) > 1) / 1000
    first_of = {}
    for start, ms, step, kind, _moving in log:
        first_of.setdefault(step, (start, ms, kind))
    recolour = [ms for _start, ms, kind in first_of.values() if kind == "assign"]
    first_start, first_ms = log[0][0], log[0][1]
    return {
        "n": n, "k": k, "iterations": snap["final"]["n_iter"] if snap.get("final") else None,
        "glide_fps": frames / seconds if seconds else float("nan"),
        "glide_frames": frames,
        "recolour_median": statistics.median(recolour), "recolour_max": max(recolour),
        "longest_block": max(long_tasks, default=0.0), "long_tasks": len(long_tasks),
        "first_frame": first_start + first_ms - go_at,
        "page_iteration": statistics.median(snap["iteration_ms"]),
        "peak_rss_mb": sampler.peak_kb / 1024,
    }


WATCH_UPLOAD = """() => { window.__upload = {};
  document.getElementById('points-file').addEventListener('change',
      () => { window.__upload.start = performance.now(); }, {capture: true});
  new MutationObserver(() => {
      if (document.getElementById('message').textContent.includes('points read from'))
          window.__upload.end = window.__upload.end || performance.now(); })
    .observe(document.getElementById('message'), {childList: true, subtree: true,
                                                   characterData: true}); }"""


def measure_upload(p, url: str, rows: int) -> dict:
    """Seconds and rows/s of reading an uploaded CSV of `rows` rows in the page."""
    folder = Path(tempfile.mkdtemp(prefix="kmeans-upload-"))
    path = folder / "points.csv"
    points = np.random.default_rng(0).normal(size=(rows, 2)) * 10
    np.savetxt(path, points, fmt="%.6f", delimiter=",")
    browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{url}?dataset=custom")
        page.wait_for_function("document.documentElement.dataset.ready === 'true'", timeout=300_000)
        page.evaluate(LONG_TASKS)
        page.evaluate(WATCH_UPLOAD)
        page.set_input_files("#points-file", str(path))
        page.wait_for_function("window.__upload.end !== undefined", timeout=600_000, polling=100)
        upload = page.evaluate("window.__upload")
        blocks = [d for start, d in page.evaluate("window.__long") if start >= upload["start"] - 1]
    finally:
        browser.close()
    seconds = (upload["end"] - upload["start"]) / 1000
    return {"rows": rows, "mb": path.stat().st_size / 1e6, "seconds": seconds,
            "rows_per_s": rows / seconds, "longest_block": max(blocks, default=0.0)}


def block(row: dict) -> str:
    """The longest block in words: the browser reports only tasks over 50 ms."""
    if not row["long_tasks"]:
        return "< 50 ms (no long task)"
    return f"{row['longest_block']:.0f} ms ({row['long_tasks']} long tasks)"


def cpython_iteration(n: int, k: int) -> float:
    """Median ms of one iteration (assignment + update, in the page's pieces) in CPython."""
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    code = CPYTHON.format(py=str(ROOT / "py"), query=f"n={n}&k={k}&seed=3")
    out = subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True,
                         text=True).stdout
    return statistics.median(json.loads(out))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--k", type=int, default=10)
    ap.add_argument("--upload-rows", type=int, default=1_000_000, help="0: no upload figure")
    args = ap.parse_args()
    build.build()
    print(cpu_line())
    server = build.make_server(0, "/")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    rows = []
    with sync_playwright() as p:
        for n in (int(s) for s in args.sizes.split(",")):
            row = measure(p, server.url, n, args.k)
            row["cpython_iteration"] = cpython_iteration(n, args.k)
            rows.append(row)
            print(f"  n={n:,}: done ({row['iterations']} iterations)", flush=True)
        upload = measure_upload(p, server.url, args.upload_rows) if args.upload_rows else None
    server.shutdown()
    print(f"\nK = {args.k}, blobs, seed 3, speed 1x, 1400x1000 viewport, headless Chromium")
    print("| points | frames/s while centroids glide | frame that recolours points (median / max) "
          "| longest main-thread block | first frame after GO | one iteration: page / CPython "
          "(ratio) | tab memory (renderer RSS peak) |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for r in rows:
        print(f"| {r['n']:,} | {r['glide_fps']:.1f} ({r['glide_frames']} frames) "
              f"| {r['recolour_median']:.0f} / {r['recolour_max']:.0f} ms "
              f"| {block(r)} "
              f"| {r['first_frame']:.0f} ms "
              f"| {r['page_iteration']:.0f} / {r['cpython_iteration']:.0f} ms "
              f"({r['page_iteration'] / r['cpython_iteration']:.1f}x) "
              f"| {r['peak_rss_mb']:.0f} MB |")
    if upload:
        print(f"\nupload of {upload['rows']:,} rows ({upload['mb']:.1f} MB CSV): read in "
              f"{upload['seconds']:.1f} s = {upload['rows_per_s']:,.0f} rows/s in the page; longest "
              f"main-thread block meanwhile {upload['longest_block']:.0f} ms")


if __name__ == "__main__":
    main()
