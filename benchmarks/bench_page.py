#!/usr/bin/env python3
"""Page figures, side by side with the naive PyScript port of the notebook, in one run.

    python3 benchmarks/bench_page.py [--runs 3] [--anchor ../shared/anchors/naive_pyscript]

Prints, for our dist/ and for the naive anchor page (assembled with its own setup.sh):
- bytes: every file of a cold load to a clickable GO plus one run, raw and as sent (the server
  gzips compressible types, as static hosts do), read from the browser's resource timing; and
  the size of dist/ and of the single file;
- cold load: seconds from navigation to a clickable GO, each run in a freshly launched headless
  Chromium (empty profile, no HTTP cache), median of --runs, runs interleaved;
- first and return visit (ours) at a school-like network, 20 Mbit/s with a 40 ms round trip
  (Chromium's network emulation, CDP Network.emulateNetworkConditions, on the page): the first
  visit in an empty profile (seconds to a clickable GO, bytes the browser received until then,
  then what the server sent while the service worker installed), then two visits in the browser
  relaunched on that profile, both served by the service worker: the second visit (Python starts
  as on a first visit; once idle the page makes its memory snapshot) and the return visit (Python
  restored from that snapshot), seconds to a clickable GO. The
  worker's own requests are not the page's, so the emulation does not slow them: the server
  holds each answer one round trip during the return visit (the page's request, the only one
  that reaches it, then takes its round trip);
- the single file dist/kmeans-anim.html copied alone to an empty folder, opened over file://
  in a fresh browser;
- where the time goes: boot.js's stage marks for one cold load and the last first, second and
  return visit;
- redraw per frame at 300 points (K=5, std 1.5, 5 runs each): ours is every painted animation
  frame's render + putImageData, timed in the page (held frames, where nothing moves, are not
  painted and not counted); the anchor's is its per-iteration pyplot redraw + display().

Both pages are served from 127.0.0.1 by the same server code. Not a test: figures only.
"""

from __future__ import annotations

import argparse
import functools
import os
import platform
import shutil
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


# A school-like network: 20 Mbit/s each way, 40 ms round trip (CDP's latency is per request).
NETWORK = {"offline": False, "latency": 40, "downloadThroughput": 20e6 / 8, "uploadThroughput": 20e6 / 8}


class Meter:
    """What the server sends (bodies, bytes) and how long it holds each answer (seconds)."""

    def __init__(self) -> None:
        self.sent = 0
        self.hold = 0.0
        self.lock = threading.Lock()


def serve(directory: Path, meter: Meter | None = None) -> tuple[object, str]:
    server = build.make_server(0, "/", directory=directory)
    if meter:
        handler = server.RequestHandlerClass  # functools.partial(class, directory=...)

        class Metered(handler.func):
            def send_head(self):
                if meter.hold:
                    time.sleep(meter.hold)  # the network's round trip, for requests CDP does not see
                body = super().send_head()
                if body is not None:
                    with meter.lock:
                        meter.sent += len(body.getbuffer()) if hasattr(body, "getbuffer") else 0
                return body

        server.RequestHandlerClass = functools.partial(Metered, *handler.args, **handler.keywords)
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


MARKS = "() => performance.getEntriesByType('mark').map(m => [m.name.replace('kmeans:', ''), m.startTime])"
RESOURCES = ("() => [performance.getEntriesByType('navigation')[0], ...performance.getEntriesByType('resource')]"
             ".map(r => [r.name, r.transferSize, r.decodedBodySize])")


SNAPSHOT = "() => document.documentElement.dataset.snapshot || null"


def visit(p, url: str, profile: str | None = None, run: bool = False, network: bool = False,
          worker: Meter | None = None, keep_snapshot: bool = False) -> dict:
    """One visit in a freshly launched browser (on `profile` if given, else an empty one): seconds
    to a clickable GO, the stage marks, bytes received until then (`received`), whether a service
    worker served the page (`served_by_worker`), and (with `run`, after one GO) every file's
    bytes. `network`: at NETWORK's speed. `worker` (the server's meter): then wait until the
    service worker holds the page's files; `sent_for_worker` is what the server sent meanwhile.
    `keep_snapshot`: then wait until the page has made its memory snapshot for the next visit
    (site/pyodide-snapshot.mjs; `snapshot` is <html data-snapshot> at GO, `made` after)."""
    if profile:
        context = p.chromium.launch_persistent_context(profile, executable_path=chromium_path(),
                                                       args=CHROMIUM_ARGS)
        browser = None
    else:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        context = browser.new_context()
    try:
        page = context.pages[0] if context.pages else context.new_page()
        received = []
        cdp = context.new_cdp_session(page)
        cdp.on("Network.loadingFinished", lambda e: received.append(e["encodedDataLength"]))
        cdp.send("Network.enable")
        if network:
            cdp.send("Network.emulateNetworkConditions", NETWORK)
        t0 = time.perf_counter()
        page.goto(url)
        page.wait_for_selector("#go:not([disabled])", timeout=180_000)
        seconds = time.perf_counter() - t0
        result = {"seconds": seconds, "marks": page.evaluate(MARKS), "received": sum(received),
                  "served_by_worker": page.evaluate("navigator.serviceWorker.controller !== null"),
                  "snapshot": page.evaluate(SNAPSHOT)}
        if worker:
            sent = worker.sent
            page.wait_for_function("document.documentElement.dataset.offline === 'ready'", timeout=180_000)
            result["sent_for_worker"] = worker.sent - sent
        if keep_snapshot:
            page.wait_for_function(f"() => ['made', 'failed'].includes(({SNAPSHOT})())", timeout=180_000)
            result["made"] = page.evaluate(SNAPSHOT)
        if run:
            page.click("#go")
            page.wait_for_function("() => window.kmeans.snapshot().status === 'done'", timeout=120_000)
            result["files"] = page.evaluate(RESOURCES)
        return result
    finally:
        context.close()
        if browser:
            browser.close()


def print_bytes(files: list, dist: Path) -> None:
    """Per file: raw bytes and bytes sent (the compressed body plus headers), then totals."""
    print("\ncold load to a clickable GO + one run, per file (from the browser's resource timing):")
    print(f"  {'file':58} {'raw':>11} {'sent':>11}")
    raw_total = sent_total = 0
    for name, sent, raw in sorted(files, key=lambda f: -f[1]):
        short = name.split("/", 3)[-1] or "index.html"
        print(f"  {short[:58]:58} {raw:11,d} {sent:11,d}")
        raw_total, sent_total = raw_total + raw, sent_total + sent
    print(f"  {'total (' + str(len(files)) + ' requests)':58} {raw_total:11,d} {sent_total:11,d}"
          f"   = {raw_total / 1e6:.1f} MB raw, {sent_total / 1e6:.1f} MB sent")
    single = dist / "kmeans-anim.html"
    site = sum(f.stat().st_size for f in dist.rglob("*") if f.is_file() and f != single)
    print(f"dist/: {site / 1e6:.1f} MB of site files + {single.stat().st_size / 1e6:.1f} MB single file "
          f"(kmeans-anim.html)")


def print_marks(label: str, marks: list) -> None:
    stages = "  ".join(f"{name} {ms / 1000:.2f}" for name, ms in marks)
    print(f"  {label:6} (s from navigation): {stages}")


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
    ap.add_argument("--no-frames", dest="frames", action="store_false", help="load figures only")
    args = ap.parse_args()

    dist = build.build()
    anchor_dir = Path(tempfile.mkdtemp(prefix="anchor-naive-"))
    subprocess.run(["bash", str(args.anchor / "setup.sh"), str(anchor_dir)], check=True,
                   stdout=subprocess.DEVNULL)
    lone = Path(tempfile.mkdtemp(prefix="kmeans-offline-")) / "kmeans-anim.html"
    shutil.copyfile(dist / "kmeans-anim.html", lone)
    meter = Meter()
    ours_server, ours_url = serve(dist, meter)
    anchor_server, anchor_url = serve(anchor_dir)
    loads: dict[str, list[float]] = {"ours": [], "file": [], "naive": [], "first": [], "second": [],
                                     "return": []}
    received: list[int] = []  # bytes of a first visit at NETWORK, to a clickable GO
    installed: list[int] = []  # bytes the server sent afterwards, while the worker installed
    with sync_playwright() as p:
        first = visit(p, ours_url, run=True)  # also fills the server's gzip cache
        for _ in range(args.runs):
            loads["ours"].append(visit(p, ours_url)["seconds"])
            loads["naive"].append(cold_load(p, anchor_url))
            loads["file"].append(visit(p, lone.as_uri())["seconds"])
            profile = tempfile.mkdtemp(prefix="kmeans-profile-")
            arrival = visit(p, ours_url, profile, network=True, worker=meter)
            loads["first"].append(arrival["seconds"])
            received.append(arrival["received"])
            installed.append(arrival["sent_for_worker"])
            meter.hold = NETWORK["latency"] / 1000
            # The second visit is the worker's first: it starts Python as a first visit does and
            # makes the memory snapshot once idle; every later visit starts from it.
            second = visit(p, ours_url, profile, network=True, keep_snapshot=True)
            assert second["served_by_worker"], "the second visit was not served by the service worker"
            assert second["made"] == "made", f"the second visit made no memory snapshot ({second['made']})"
            warm = visit(p, ours_url, profile, network=True)
            meter.hold = 0.0
            assert warm["served_by_worker"], "the return visit was not served by the service worker"
            assert warm["snapshot"] == "used", f"the return visit did not start from the snapshot ({warm['snapshot']})"
            loads["second"].append(second["seconds"])
            loads["return"].append(warm["seconds"])
            shutil.rmtree(profile, ignore_errors=True)
        cold = visit(p, ours_url)
        frames = {"ours": ours_frames(p, ours_url), "naive": anchor_frames(p, anchor_url)} if args.frames else None
    ours_server.shutdown()
    anchor_server.shutdown()

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.system()}, load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}; Chromium "
          f"{subprocess.run([chromium_path() or 'chromium', '--version'], capture_output=True, text=True).stdout.strip()}")
    print_bytes(first["files"], dist)
    print(f"\ntime to a clickable GO (s), median of {args.runs} [runs]:")
    labels = {"ours": "served, cold", "file": "single file, file://", "naive": "naive port, cold",
              "first": "first visit, 20 Mbit/s", "second": "second visit, 20 Mbit/s",
              "return": "return visit, 20 Mbit/s"}
    for name, label in labels.items():
        runs = ", ".join(f"{x:.2f}" for x in loads[name])
        print(f"  {label:22} {statistics.median(loads[name]):6.2f}  [{runs}]")
    med = {k: statistics.median(v) for k, v in loads.items()}
    print(f"cold load ratio ours/naive: {med['ours'] / med['naive']:.2f}  (target <= 0.4)")
    print(f"single file over file:// / served cold: {med['file'] / med['ours']:.2f}  (target <= 2)")
    print(f"at 20 Mbit/s, 40 ms round trip (Chromium's network emulation):")
    print(f"  first visit: {med['first']:.2f} s to GO (target <= 6 s), "
          f"{statistics.median(received) / 1e6:.2f} MB received to GO (target <= 10 MB) "
          f"[{', '.join(f'{b / 1e6:.2f}' for b in received)}]; then the service worker's install: "
          f"{statistics.median(installed) / 1e3:.0f} kB sent by the server")
    print(f"  second visit (service worker, no snapshot yet): {med['second']:.2f} s to GO")
    print(f"  return visit (service worker, memory snapshot): {med['return']:.2f} s to GO "
          f"(target <= 1.5 s, stretch 1.0 s)")
    print("where the time goes (boot.js stage marks):")
    print_marks("cold", cold["marks"])
    print_marks("first", arrival["marks"])
    print_marks("second", second["marks"])
    print_marks("return", warm["marks"])
    if frames:
        print(f"\n{'':10} {'frame p50 (ms)':>15} {'frame p95 (ms)':>15} {'frames':>7}")
        for name in ("ours", "naive"):
            print(f"{name:10} {pct(frames[name], .5):15.1f} {pct(frames[name], .95):15.1f} {len(frames[name]):7d}")
        print(f"frame p95 ours: {pct(frames['ours'], .95):.1f} ms (target <= 30 ms at 300 points)")


if __name__ == "__main__":
    main()
