#!/usr/bin/env python3
"""Time to a clickable GO in each engine: Chromium (Playwright), Firefox ESR and WebKitGTK
(Selenium, tests/e2e/engines/drivers.py), against the same dist/ served from 127.0.0.1.

    python3 benchmarks/bench_engines.py [--runs 3] [--engines chromium,firefox,webkit]

Per engine, runs interleaved, median of --runs:
- cold: a freshly launched browser with an empty profile loads the page; the figure is the
  page's own `kmeans:ready` mark (ms after navigation start, set when GO becomes clickable), so
  every engine is timed by the same clock and the driver's overhead is not counted;
- warm: once the service worker holds the page's files, the same browser loads the page again
  (served by the worker; Python starts as on a cold load, and the page makes its memory snapshot
  once idle);
- snapshot: once that snapshot is made, the page again: Python restored from it (checked);
- GO to done: one run of the default settings at speed 16 (animation included), timed in the
  page from the click's handler to the status `done`.
WebKitGTK has no headless mode: it runs on an Xvfb display (as in the tests). Not a test:
figures only. Run it with the test venv's python (.venv/bin/python).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests" / "e2e"))
sys.path.insert(0, str(ROOT / "tests" / "e2e" / "engines"))
import build  # noqa: E402
import drivers  # noqa: E402
from conftest import CHROMIUM_ARGS, chromium_path  # noqa: E402
from machine import cpu_line  # noqa: E402

READY_MARK = "return performance.getEntriesByName('kmeans:ready')[0].startTime"
KINDS = ("cold", "warm", "snapshot")
# What to wait for after a load of each kind before the next (a JavaScript function body).
BEFORE_NEXT = {"cold": "return document.documentElement.dataset.offline === 'ready'",
               "warm": "return ['made', 'failed'].includes(document.documentElement.dataset.snapshot)"}
SNAPSHOT = "return document.documentElement.dataset.snapshot || null"
# From GO's click (the page's own handler numbers the run) to status done, in the page's clock.
GO_TIMER = """
const go = document.getElementById('go');
window.__goAt = null; window.__doneAt = null;
go.addEventListener('click', () => { window.__goAt = performance.now(); }, {once: true, capture: true});
new MutationObserver((_, observer) => {
  if (window.__goAt !== null && document.documentElement.dataset.status === 'done') {
    window.__doneAt = performance.now(); observer.disconnect(); }
}).observe(document.documentElement, {attributes: true, attributeFilter: ['data-status']});
"""
DONE = "return window.__doneAt === null ? null : window.__doneAt - window.__goAt"


def chromium_visit(url: str) -> dict:
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": drivers.WIDTH, "height": drivers.HEIGHT})
            result = {}
            for kind in KINDS:
                page.goto(url)
                page.wait_for_function("document.documentElement.dataset.ready === 'true'", timeout=180_000)
                result[kind] = page.evaluate(f"() => {{ {READY_MARK} }}") / 1000
                if kind in BEFORE_NEXT:
                    page.wait_for_function(f"() => {{ {BEFORE_NEXT[kind]} }}", timeout=180_000)
            assert page.evaluate(f"() => {{ {SNAPSHOT} }}") == "used", "not started from the snapshot"
            page.evaluate(f"() => {{ {GO_TIMER} }}")
            page.click("#go")
            page.wait_for_function(f"() => {{ {DONE} }}", timeout=180_000)
            result["run"] = page.evaluate(f"() => {{ {DONE} }}") / 1000
            return result
        finally:
            browser.close()


def webdriver_visit(engine: str, url: str) -> dict:
    with tempfile.TemporaryDirectory() as downloads:
        b = drivers.Browser(engine, Path(downloads))
        try:
            result = {}
            for kind in KINDS:
                b.open(url)
                result[kind] = b.js(READY_MARK) / 1000
                if kind in BEFORE_NEXT:
                    b.wait(BEFORE_NEXT[kind], timeout=180)
            assert b.js(SNAPSHOT) == "used", f"{engine}: not started from the snapshot"
            b.js(GO_TIMER)
            b.click("#go")
            result["run"] = b.wait(DONE, timeout=180) / 1000
            assert not b.errors(), b.errors()
            return result
        finally:
            b.quit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--engines", default="chromium,firefox,webkit")
    args = parser.parse_args()
    engines = args.engines.split(",")
    for engine in engines:
        if engine != "chromium" and drivers.missing(engine):
            sys.exit(f"{engine}: {drivers.missing(engine)}")

    build.build()
    server = build.make_server(0, "/")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = server.url + "?speed=16"

    print(cpu_line())
    found = drivers.versions()
    print(f"chromium: {chromium_path()}; firefox: {found.get('firefox')} with {found.get('geckodriver')}; "
          f"webkitgtk: {found.get('webkit')}")
    results: dict[str, list[dict]] = {e: [] for e in engines}
    for run in range(args.runs):  # interleaved, so a busy spell of the machine hits every engine
        for engine in engines:
            r = chromium_visit(url) if engine == "chromium" else webdriver_visit(engine, url)
            results[engine].append(r)
            print(f"  run {run + 1} {engine}: cold {r['cold']:.2f} s, warm {r['warm']:.2f} s, "
                  f"snapshot {r['snapshot']:.2f} s, GO to done {r['run']:.2f} s", flush=True)
    print(f"\ntime to a clickable GO (s, the page's kmeans:ready mark), median of {args.runs}:")
    print(f"{'engine':10} {'cold':>6} {'warm':>6} {'snapshot':>9} {'GO to done':>11}")
    for engine in engines:
        med = {k: statistics.median(r[k] for r in results[engine]) for k in (*KINDS, "run")}
        print(f"{engine:10} {med['cold']:6.2f} {med['warm']:6.2f} {med['snapshot']:9.2f} {med['run']:11.2f}")
    server.shutdown()


if __name__ == "__main__":
    main()
