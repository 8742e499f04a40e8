#!/usr/bin/env python3
"""Page figures, side by side with the naive PyScript port of the notebook, in one run.

    python3 benchmarks/bench_page.py [--runs 3] [--anchor ../shared/anchors/naive_pyscript]

Prints, for our dist/ and for the naive anchor page (assembled with its own setup.sh):
- cold load: seconds from navigation to a clickable GO, each run in a freshly launched headless
  Chromium (empty profile, no HTTP cache), median of --runs, runs interleaved;
- redraw per frame at 300 points (K=5, std 1.5, 5 runs each): ours is every painted animation
  frame's render + putImageData, timed in the page (held frames, where nothing moves, are not
  painted and not counted); the anchor's is its per-iteration pyplot redraw + display().

Both pages are served from 127.0.0.1 by the same server code. Not a test: figures only.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "e2e"))
import build  # noqa: E402
from conftest import CHROMIUM_ARGS, chromium_path  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402


RUNS_FOR_FRAMES = 5  # GO presses per page for the frame-time figures


def serve(directory: Path) -> tuple[object, str]:
    server = build.make_server(0, "/", directory=directory)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, server.url


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def cold_load(p, url: str) -> float:
    browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
    try:
        page = browser.new_page()
        t0 = time.perf_counter()
        page.goto(url)
        page.wait_for_selector("#go:not([disabled])", timeout=180_000)
        return time.perf_counter() - t0
    finally:
        browser.close()


def ours_frames(p, url: str) -> list[float]:
    browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(url + "?n=300&k=5&std=1.5&seed=1&max_iter=30")
        page.wait_for_selector("#go:not([disabled])", timeout=180_000)
        frames: list[float] = []
        for _ in range(RUNS_FOR_FRAMES):
            page.click("#go")
            page.wait_for_function("window.kmeans.snapshot().status === 'done'", timeout=120_000)
            frames += page.evaluate("window.kmeans.snapshot().frame_ms")  # this run's frames
        return frames
    finally:
        browser.close()


def anchor_frames(p, url: str) -> list[float]:
    browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
    try:
        page = browser.new_page()
        page.goto(url)
        page.wait_for_selector("#go:not([disabled])", timeout=180_000)
        # Same data parameters as ours; its FRAME_MS accumulates over runs.
        page.evaluate("""() => { const set = (id, v) => document.getElementById(id).value = v;
                                 set('n', '300'); set('k', '5'); set('std', '1.5'); }""")
        page.evaluate("window.STEP_S = 0.05")
        for _ in range(RUNS_FOR_FRAMES):
            page.evaluate("window.DONE = false")
            page.click("#go")
            page.wait_for_function("window.DONE === true", timeout=120_000)
        return [float(v) for v in page.evaluate("window.FRAME_MS").split(",")]
    finally:
        browser.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--anchor", type=Path, default=ROOT.parent / "shared" / "anchors" / "naive_pyscript")
    args = ap.parse_args()

    dist = build.build()
    anchor_dir = Path(tempfile.mkdtemp(prefix="anchor-naive-"))
    subprocess.run(["bash", str(args.anchor / "setup.sh"), str(anchor_dir)], check=True,
                   stdout=subprocess.DEVNULL)
    ours_server, ours_url = serve(dist)
    anchor_server, anchor_url = serve(anchor_dir)
    loads: dict[str, list[float]] = {"ours": [], "naive": []}
    with sync_playwright() as p:
        for _ in range(args.runs):
            loads["ours"].append(cold_load(p, ours_url))
            loads["naive"].append(cold_load(p, anchor_url))
        frames = {"ours": ours_frames(p, ours_url), "naive": anchor_frames(p, anchor_url)}
    ours_server.shutdown()
    anchor_server.shutdown()

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.system()}; "
          f"Chromium {subprocess.run([chromium_path() or 'chromium', '--version'], capture_output=True, text=True).stdout.strip()}")
    print(f"{'':10} {'cold load to clickable GO (s)':>36} {'frame p50 (ms)':>15} {'frame p95 (ms)':>15} {'frames':>7}")
    for name in ("ours", "naive"):
        runs = ", ".join(f"{x:.2f}" for x in loads[name])
        print(f"{name:10} {statistics.median(loads[name]):8.2f}  [{runs:>24}] "
              f"{pct(frames[name], .5):15.1f} {pct(frames[name], .95):15.1f} {len(frames[name]):7d}")
    ratio = statistics.median(loads["ours"]) / statistics.median(loads["naive"])
    print(f"cold load ratio ours/naive: {ratio:.2f}  (target <= 0.6)")
    print(f"frame p95 ours: {pct(frames['ours'], .95):.1f} ms (target <= 30 ms at 300 points)")


if __name__ == "__main__":
    main()
