#!/usr/bin/env python3
"""Soak of return visits started from the memory snapshot (site/pyodide-snapshot.mjs).

    python3 benchmarks/bench_snapshot_soak.py [--visits 300] [--go-every 5] [--relaunch-every 50] [--out DIR]

dist/ served under the page's strict policy. A first visit waits until the service worker holds
the page's files, a second (served by the worker) until the page has made its snapshot (<html
data-snapshot="made">); then every visit opens the page in a fresh
tab of the same Chromium profile (bench_crash_soak.Browser: Chromium's stderr and minidumps kept
in DIR), with its own seed, and waits until it is ready. Every --go-every-th visit also presses
GO and waits until the run is done. Chromium is relaunched every --relaunch-every visits (a
visitor coming back starts a new browser), and whenever it dies.

Per visit the outcome is: ok (ready, started from the snapshot); no-snapshot (ready, but started
without it: <html data-snapshot> other than "used"); crash (Playwright's "crash" event: the
tab's renderer died, or the browser died); timeout; error (any other failure, a console error, a
page error, a request off the page's origin). Every wait is on a state the page exposes.
Exits 1 if any visit crashed. Not a test: figures only.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "e2e"))
sys.path.insert(0, str(ROOT / "benchmarks"))
import build  # noqa: E402
from bench_crash_soak import Browser, minidumps, stderr_reasons, watched  # noqa: E402
from conftest import PageProblems, wait_status  # noqa: E402
from machine import cpu_line  # noqa: E402
from playwright.sync_api import Error as PlaywrightError  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

READY = "() => document.documentElement.dataset.ready !== undefined"
MADE = "() => ['made', 'failed'].includes(document.documentElement.dataset.snapshot)"
WAIT_MS = 120_000


def one_visit(browser: Browser, url: str, go: bool) -> dict:
    page = browser.ensure().new_page()
    problems = PageProblems(page, url.split("?")[0])
    record = {"url": url, "outcome": "ok", "text": "", "go": go}

    def visit():
        page.goto(url)
        page.wait_for_function(READY, timeout=WAIT_MS)
        record["ready_ms"] = page.evaluate("performance.getEntriesByName('kmeans:ready')[0]?.startTime")
        ready, used = page.evaluate("[document.documentElement.dataset.ready,"
                                    " document.documentElement.dataset.snapshot]")
        if ready != "true":
            raise AssertionError(f"page failed: {page.evaluate('window.kmeans.snapshot()')}")
        if used != "used":
            record["outcome"] = "no-snapshot"
            record["text"] = json.dumps(page.evaluate("window.kmeansSnapshot.status"))
        if go:
            wait_status(page, "paused", timeout_ms=WAIT_MS)  # the run of the address
            run = page.evaluate("window.kmeans.snapshot({points: false}).run_id")
            page.click("#go")
            wait_status(page, "done", run + 1, timeout_ms=WAIT_MS)
    watched(browser, page, problems, record, visit, passing=("ok", "no-snapshot"))
    try:
        page.close()
    except PlaywrightError:
        pass
    return record


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--visits", type=int, default=300)
    ap.add_argument("--go-every", type=int, default=5)
    ap.add_argument("--relaunch-every", type=int, default=50)
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--dist", type=Path, default=ROOT / "dist", help="the built page to serve")
    args = ap.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="kmeans-snapshot-soak-"))
    out.mkdir(parents=True, exist_ok=True)
    server = build.make_server(0, "/", directory=args.dist, csp=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    started = time.time()
    print(cpu_line())
    print(f"dist: {args.dist}; records in {out}")
    total: collections.Counter = collections.Counter()
    with sync_playwright() as p, (out / "visits.jsonl").open("w") as log:
        browser = Browser(p, out, [])
        page = browser.ensure().new_page()  # the first visit: the worker keeps the files
        page.goto(server.url + "?speed=16&seed=1")
        page.wait_for_function(READY, timeout=WAIT_MS)
        page.wait_for_function("() => document.documentElement.dataset.offline === 'ready'", timeout=WAIT_MS)
        page.close()
        page = browser.ensure().new_page()  # the second, served by the worker: it makes one
        page.goto(server.url + "?speed=16&seed=1")
        page.wait_for_function(READY, timeout=WAIT_MS)
        page.wait_for_function(MADE, timeout=WAIT_MS)
        made = page.evaluate("window.kmeansSnapshot.status")
        page.close()
        print(f"first visit made the snapshot: {made}")
        for i in range(args.visits):
            if i and i % args.relaunch_every == 0:
                browser.close()
                browser.context = None
            record = one_visit(browser, server.url + f"?speed=16&seed={i + 2}&k={3 + i % 5}",
                               go=i % args.go_every == 0)
            total[record["outcome"]] += 1
            log.write(json.dumps(record) + "\n")
            log.flush()
            if record["outcome"] != "ok":
                print(f"  visit {i + 1}: {record['outcome']} {record['text'][:300]}", flush=True)
            if (i + 1) % 25 == 0:
                print(f"  {i + 1} visits: {dict(total)}", flush=True)
        browser.close()
    server.shutdown()
    ready = [json.loads(line).get("ready_ms") for line in (out / "visits.jsonl").read_text().splitlines()]
    ready = sorted(r for r in ready if r)
    minutes = (time.time() - started) / 60
    print(f"\n{args.visits} return visits in {minutes:.1f} min, {browser.launches} browser launches")
    print(f"outcomes: {dict(total)}")
    print(f"renderer crashes: {total['crash']}")
    if ready:
        print(f"ready (ms from navigation): median {ready[len(ready) // 2]:.0f}, "
              f"p90 {ready[int(len(ready) * 0.9)]:.0f}, max {ready[-1]:.0f}")
    for reason, n in stderr_reasons(browser.stderr).most_common(8):
        print(f"  stderr x{n}: {reason[:200]}")
    dumps = minidumps(out, started)
    print(f"minidumps: {len(dumps)}")
    return 1 if total["crash"] else 0


if __name__ == "__main__":
    sys.exit(main())
