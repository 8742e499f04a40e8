#!/usr/bin/env python3
"""Return visit with and without the memory snapshot (site/pyodide-snapshot.mjs), measured as
benchmarks/bench_page.py measures its "return visit" line.

    python3 benchmarks/bench_snapshot.py [--runs 3] [--dist DIR]

Per run and arm, a fresh profile: a first visit at bench_page's school-like network (20 Mbit/s,
40 ms round trip) waits until the service worker holds the page's files (<html
data-offline="ready">); a second, served by the worker, until the page has made its snapshot
(<html data-snapshot="made">; only a page the worker serves makes one). Arm "without": the snapshot's
caches are then deleted. The browser is relaunched on that profile for the measured return visit (the
server holds each answer one round trip, as in bench_page): seconds from navigation to a
clickable GO, and what <html data-snapshot> says (the "with" arm must say "used"). Arms are
interleaved; medians are printed, with the stage marks of the last return visit of each arm.
Not a test: figures only.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "e2e"))
sys.path.insert(0, str(ROOT / "benchmarks"))
from bench_page import MARKS, NETWORK, Meter, print_marks, serve  # noqa: E402
from conftest import CHROMIUM_ARGS, chromium_path  # noqa: E402
from machine import cpu_line  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

DROP = ("async () => { for (const n of await caches.keys())"
        " if (n.startsWith('kmeans-anim-snapshot ')) await caches.delete(n); }")


def open_on(p, profile: str):
    context = p.chromium.launch_persistent_context(profile, executable_path=chromium_path(), args=CHROMIUM_ARGS)
    page = context.pages[0] if context.pages else context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", NETWORK)
    return context, page


def run_arm(p, url: str, meter: Meter, keep: bool) -> dict:
    profile = tempfile.mkdtemp(prefix="kmeans-profile-")
    try:
        context, page = open_on(p, profile)
        page.goto(url)
        page.wait_for_function("document.documentElement.dataset.offline === 'ready'", timeout=180_000)
        context.close()
        context, page = open_on(p, profile)  # served by the worker: it makes the snapshot
        page.goto(url)
        page.wait_for_function("['made', 'failed'].includes(document.documentElement.dataset.snapshot)",
                               timeout=180_000)
        assert page.evaluate("document.documentElement.dataset.snapshot") == "made"
        if not keep:
            page.evaluate(DROP)
        context.close()
        context, page = open_on(p, profile)
        meter.hold = NETWORK["latency"] / 1000
        t0 = time.perf_counter()
        page.goto(url)
        page.wait_for_selector("#go:not([disabled])", timeout=180_000)
        seconds = time.perf_counter() - t0
        meter.hold = 0.0
        result = {"seconds": seconds, "marks": page.evaluate(MARKS),
                  "snapshot": page.evaluate("document.documentElement.dataset.snapshot"),
                  "worker": page.evaluate("navigator.serviceWorker.controller !== null")}
        context.close()
        return result
    finally:
        meter.hold = 0.0
        shutil.rmtree(profile, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--dist", type=Path, default=ROOT / "dist")
    args = ap.parse_args()
    meter = Meter()
    server, url = serve(args.dist, meter)
    print(cpu_line())
    arms: dict[str, list[dict]] = {"with": [], "without": []}
    with sync_playwright() as p:
        for _ in range(args.runs):
            for arm in arms:
                r = run_arm(p, url, meter, keep=arm == "with")
                assert r["worker"], "the return visit was not served by the service worker"
                assert (r["snapshot"] == "used") == (arm == "with"), r["snapshot"]
                arms[arm].append(r)
                print(f"  {arm}: {r['seconds']:.2f} s to GO (data-snapshot={r['snapshot']})", flush=True)
    server.shutdown()
    for arm, results in arms.items():
        seconds = [r["seconds"] for r in results]
        print(f"return visit (service worker), {arm} the snapshot: {statistics.median(seconds):.2f} s to GO "
              f"(median of {len(seconds)}: {', '.join(f'{s:.2f}' for s in seconds)})")
        print_marks(f"stages, last return visit {arm} it", results[-1]["marks"])


if __name__ == "__main__":
    main()
