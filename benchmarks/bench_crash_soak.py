#!/usr/bin/env python3
"""Crash soak: hundreds of page loads over the heavy paths, with Chromium's crash reasons kept.

    python3 benchmarks/bench_crash_soak.py [--loads 500] [--seed 1] [--only SCENARIO,...]
                                           [--chromium-arg=--some-flag ...] [--hide-jspi] [--out DIR]
    python3 benchmarks/bench_crash_soak.py --read-dumps ~/.config/chromium/Crash\\ Reports

One headless Chromium (Debian's, as the suite uses) lives for the whole soak, on one profile,
and every load is a fresh tab that is closed afterwards: a browser process that outlives many
page loads, with a warm HTTP cache, is what visitors and the e2e suite (its shared context) have.
The loads cycle through CYCLE (10^5 points through the address, regions on, centroids dragged
with the mouse, runs cancelled by GO / RETRY / a data-set change, odd addresses), each with its
own seed. Every wait is on a state the page exposes (<html data-ready data-status data-run>,
window.kmeans.snapshot()), as in tests/e2e.

Per load it records the scenario, the address and the outcome: ok; crash (Playwright's "crash"
event: the tab's renderer died); timeout; error (any other failure, a console error, a page
error or a request that left the page's origin). At the end it prints loads, crashes, errors and
timeouts per scenario, the lines of Chromium's stderr that name a crash or a failed check, and
the minidumps written meanwhile (signal, crashing instruction, the stack it ran on, process
type). Every 50 loads: the renderer's and the browser's resident memory (from /proc) and the
tab's JS heap.

Chromium runs with --enable-logging=stderr --v=0 --enable-crash-reporter --crash-dumps-dir=DIR/dumps;
its stderr goes to DIR/chromium-stderr.log through a two-line wrapper script. Debian's Chromium
writes minidumps even without those flags, and ignores --crash-dumps-dir: crashpad writes to
$CHROME_CONFIG_HOME/chromium/Crash Reports/pending (by default ~/.config/chromium/...), so the
browser gets CHROME_CONFIG_HOME=DIR/config and the dumps stay with this soak. Every record is
in DIR/loads.jsonl. --read-dumps summarises the minidumps already in a folder (a suite run's).

--hide-jspi is the control for the crash this soak was written to find (issue 15): a renderer
SIGSEGV in Chromium's frame-pointer unwinder, which GWP-ASan runs on a sampled allocation and
which scans past the end of the WebAssembly (JSPI) stack Pyodide runs Python on. Forced GWP-ASan
sampling (--chromium-arg=--enable-features=GwpAsanMalloc:ProcessSamplingProbability/1.0/...)
makes it frequent; hiding WebAssembly.Suspending from the page makes Pyodide run Python on the
main stack, where the unwinder knows the stack's end.

Exits 1 if any load crashed. Not a test: figures only.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import random
import re
import statistics
import struct
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "py"))
sys.path.insert(0, str(ROOT / "tests" / "e2e"))
sys.path.insert(0, str(ROOT / "benchmarks"))
import build  # noqa: E402
from bench_many import renderers, rss_kb  # noqa: E402
from bench_page import serve  # noqa: E402
from conftest import (CHROMIUM_ARGS, VIEWPORT, PageProblems, chromium_path, press_go,  # noqa: E402
                      wait_ready_page, wait_status)
from machine import cpu_line  # noqa: E402
from playwright.sync_api import Error as PlaywrightError  # noqa: E402
from playwright.sync_api import TimeoutError as PlaywrightTimeout  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402
from test_hands_on import drag, grab_while_playing, page_xy, units_per_px  # noqa: E402

BIG = 180_000    # ms: making or running 10^5 points in the page on a busy machine
HUGE = 400_000   # ms: a run of 10^6 points (?n=1e400 is clamped to the largest n)
LOGGING_ARGS = ["--enable-logging=stderr", "--v=0", "--enable-crash-reporter"]
# The control for the crash: without WebAssembly.Suspending, Pyodide does not use JSPI.
HIDE_JSPI = "delete WebAssembly.Suspending; delete WebAssembly.Suspender; delete WebAssembly.promising;"
# What a line of Chromium's stderr says when something died or a check failed.
CRASH_WORDS = re.compile(r"FATAL|Check failed|\bOOM\b|[Cc]rash|[Rr]enderer|Out of memory")


# ------------------------------------------------------------------ scenarios
# Each takes (page, base_url, rng, seed) and returns the address it opened; it raises on
# failure. The page is fresh: nothing is shared with the previous load but the profile.

def open_at(page, url: str) -> str:
    page.goto(url)
    wait_ready_page(page)
    return url


def wait_done(page, run_id: int | None = None, timeout_ms: int = 60_000) -> dict:
    """Wait until the latest (or the given) run is done; its snapshot without the points (the
    suite's wait_done lists up to 10^5 points: megabytes of JSON a soak does not need)."""
    wait_status(page, "done", run_id, timeout_ms)
    return page.evaluate("window.kmeans.snapshot({points: false})")


def assert_moved(s: dict) -> None:
    assert "move" in [step["kind"] for step in s["steps"]], "the drag moved no centroid"


def plain_go(page, base, rng, seed):
    """The default page: GO, the run to its end."""
    url = open_at(page, f"{base}?speed=16&seed={seed}")
    wait_done(page, press_go(page))
    return url


def big_go(page, base, rng, seed):
    """10^5 points through the address: the linked run is made, then GO makes and plays another."""
    url = open_at(page, f"{base}?n=100000&k=5&seed={seed}&speed=16")
    wait_status(page, "paused", timeout_ms=BIG)
    wait_done(page, press_go(page), timeout_ms=BIG)
    return url


def big_regions(page, base, rng, seed):
    """10^5 points with each centroid's region shaded: the linked run played to its end."""
    url = open_at(page, f"{base}?n=100000&k=6&seed={seed}&regions=1&paths=1&speed=16")
    wait_status(page, "paused", timeout_ms=BIG)
    page.click("#play")
    wait_done(page, timeout_ms=BIG)
    return url


def drag_playing(page, base, rng, seed):
    """Regions on; a centroid grabbed while the run plays, dragged with the mouse, dropped."""
    url = open_at(page, f"{base}?k=4&seed={seed}&regions=1&paths=1&speed=0.25&max_iter=30")
    run_id = press_go(page)
    index = rng.randrange(4)
    s = grab_while_playing(page, run_id, index, after_step=2)
    held = s["centroids"][index]
    # 20-40 px each way: a press let go nearer than the drag threshold is a click, which
    # selects the centroid and pauses the run (explain mode), and the run would never end.
    far = [rng.choice((-1, 1)) * rng.uniform(20, 40) * units_per_px(s) for _ in range(2)]
    page.mouse.move(*page_xy(page, s, (held[0] + far[0], held[1] + far[1])), steps=12)
    page.mouse.up()
    page.select_option("#speed", "16")
    assert_moved(wait_done(page, run_id))
    return url


def big_drag_paused(page, base, rng, seed):
    """10^5 points, regions on: a centroid of the paused linked run dragged, then played."""
    url = open_at(page, f"{base}?n=100000&k=5&seed={seed}&regions=1&speed=16")
    wait_status(page, "paused", timeout_ms=BIG)
    s = page.evaluate("window.kmeans.snapshot({points: false})")
    start = page_xy(page, s, s["centroids"][rng.randrange(5)])
    drag(page, start, (start[0] + rng.uniform(-60, 60), start[1] + rng.uniform(-60, 60)))
    page.click("#play")
    assert_moved(wait_done(page, timeout_ms=BIG))
    return url


def cancelled(page, base, rng, seed):
    """10^5 points: GO, then GO, RETRY and a data-set change while each run is still being
    made or played, then a last GO played to its end."""
    url = open_at(page, f"{base}?n=100000&k=5&seed={seed}&speed=16")
    wait_status(page, "paused", timeout_ms=BIG)
    for action in ("#go", "#retry", "dataset", "#go"):
        run_id = press_go(page, "#go" if action == "dataset" else action)
        if rng.random() < 0.5:   # while it plays, else at once (while it is being made)
            wait_status(page, "running", run_id, timeout_ms=BIG)
        if action == "dataset":
            page.select_option("#dataset", rng.choice(["moons", "rings", "uniform", "blobs"]))
    wait_done(page, run_id, timeout_ms=HUGE)
    return url


ODD_ADDRESSES = ["?k=%", "?n=1e400&max_iter=2&speed=16", "?k=3&k=7&speed=16", "?seed=%ZZ&n=abc",
                 "?dataset=%E0%A4%A&std=nan", "?k=-1&std=1e999&speed=16", "?n=%&k=%&seed=%",
                 "?speed=0&max_iter=1e400&tol=-1"]


def odd_address(page, base, rng, seed):
    """An address a person could mistype or a tool could mangle, then GO to the end."""
    url = open_at(page, base + ODD_ADDRESSES[rng.randrange(len(ODD_ADDRESSES))])
    page.select_option("#speed", "16")
    wait_done(page, press_go(page), timeout_ms=HUGE)
    return url


# One cycle of 25 loads: mostly the light loads a visitor makes (a 10^5-point load costs four of
# them on a busy 2-core machine), the heavy ones often enough to count: 500 loads hold 60 loads of
# 10^5 points (20 with regions on and a drag, 20 that cancel three runs each) and 40 drags
# while playing.
CYCLE = [plain_go, odd_address, drag_playing, odd_address, big_go, plain_go, odd_address, plain_go,
         cancelled, odd_address, plain_go, odd_address, plain_go, odd_address, drag_playing,
         plain_go, odd_address, big_drag_paused, plain_go, odd_address, plain_go, odd_address,
         plain_go, odd_address, plain_go]
SCENARIOS = {f.__name__: f for f in (*CYCLE, big_regions)}


# ------------------------------------------------------------------ the browser

class Browser:
    """One Chromium on one profile, relaunched only if it dies, with its stderr kept."""

    def __init__(self, p, out: Path, extra_args: list[str], hide_jspi: bool = False):
        self.p, self.out = p, out
        self.profile = str(out / "profile")
        self.dumps = out / "dumps"
        self.stderr = out / "chromium-stderr.log"
        wrapper = out / "chromium-logged.sh"
        wrapper.write_text(f'#!/bin/sh\nexec "{chromium_path()}" "$@" 2>>"{self.stderr}"\n')
        wrapper.chmod(0o755)
        self.args = [*CHROMIUM_ARGS, *LOGGING_ARGS, f"--crash-dumps-dir={self.dumps}", *extra_args]
        self.env = {**os.environ, "CHROME_CONFIG_HOME": str(out / "config")}
        self.wrapper, self.context, self.launches = str(wrapper), None, 0
        self.hide_jspi = hide_jspi

    def ensure(self):
        if self.context is None or not self.context.browser or not self.context.browser.is_connected():
            if self.context is not None:
                try:
                    self.context.close()
                except PlaywrightError:
                    pass
            self.context = self.p.chromium.launch_persistent_context(
                self.profile, executable_path=self.wrapper, args=self.args, env=self.env,
                viewport=VIEWPORT)
            if self.hide_jspi:   # Pyodide then never runs Python on a secondary (JSPI) stack
                self.context.add_init_script(HIDE_JSPI)
            self.launches += 1
        return self.context

    def close(self):
        if self.context is not None:
            self.context.close()

    def memory(self, page) -> dict:
        """Resident MB of the largest renderer and of the browser process; the tab's JS heap."""
        pids = renderers(self.profile)
        browser_pids = [pid for pid in map(int, filter(str.isdigit, os.listdir("/proc")))
                        if _is_browser(pid, self.profile)]
        heap = page.evaluate("performance.memory ? performance.memory.usedJSHeapSize : 0")
        return {"renderer_mb": max([rss_kb(pid) for pid in pids], default=0) / 1024,
                "browser_mb": sum(rss_kb(pid) for pid in browser_pids) / 1024,
                "js_heap_mb": heap / 2**20, "renderers": len(pids)}


def _is_browser(pid: int, profile: str) -> bool:
    try:
        cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
    except OSError:
        return False
    return profile.encode() in cmd and b"--type=" not in cmd


# ------------------------------------------------------------------ one load

def watched(browser: Browser, page, problems, record: dict, action, passing=("ok",)) -> dict:
    """Run `action()` (a visit of `page`) and settle `record`'s "outcome": "timeout", "error" (an
    exception, or a console error, page error or off-origin request `problems` saw while the
    outcome was one of `passing`), "crash" (the tab's renderer or the browser died); and its
    "seconds". Shared by this soak and bench_snapshot_soak.py."""
    crashed = []
    page.on("crash", lambda _page: crashed.append(time.time()))
    t0 = time.perf_counter()
    try:
        action()
    except PlaywrightTimeout as e:
        record["outcome"], record["text"] = "timeout", str(e).splitlines()[0]
    except (PlaywrightError, AssertionError, KeyError, TypeError) as e:
        record["outcome"], record["text"] = "error", (str(e).splitlines() or [repr(e)])[0]
    record["seconds"] = time.perf_counter() - t0
    if crashed:
        record["outcome"] = "crash"
    elif record["outcome"] in passing and (problems.errors or problems.off_origin):
        record["outcome"] = "error"
        record["text"] = "; ".join(problems.errors + [f"off origin: {u}" for u in problems.off_origin])
    if not browser.context.browser or not browser.context.browser.is_connected():
        record["outcome"], record["text"] = "crash", "the browser process died"
    return record


def one_load(browser: Browser, base: str, scenario, rng, seed: int) -> dict:
    context = browser.ensure()
    page = context.new_page()
    problems = PageProblems(page, base.split("?")[0].rsplit("/", 1)[0] + "/")
    record = {"scenario": scenario.__name__, "seed": seed, "url": None, "outcome": "ok", "text": ""}

    def visit():
        record["url"] = scenario(page, base, rng, seed)
    watched(browser, page, problems, record, visit)
    record["url"] = record["url"] or page.url
    record["page"] = page
    return record


# ------------------------------------------------------------------ what Chromium left

SIGNALS = {4: "SIGILL", 5: "SIGTRAP", 6: "SIGABRT", 7: "SIGBUS", 8: "SIGFPE", 11: "SIGSEGV"}


def minidump_summary(path: Path) -> str:
    """Signal, faulting address, crashing instruction (module+offset), the stack mapping the
    crashing thread ran on, and crashpad's process type of one minidump (no symbols needed)."""
    b = path.read_bytes()
    if b[:4] != b"MDMP":
        return "not a minidump"
    count, directory = struct.unpack_from("<II", b, 8)
    streams = dict((t, at) for t, _size, at in
                   (struct.unpack_from("<III", b, directory + 12 * i) for i in range(count)))

    def string(at: int, codec: str) -> str:
        length, = struct.unpack_from("<I", b, at)
        return b[at + 4:at + 4 + length].decode(codec, "replace")

    modules = []
    if 4 in streams:   # module list: base, size, name
        n, = struct.unpack_from("<I", b, streams[4])
        for i in range(n):
            at = streams[4] + 4 + 108 * i
            base, size = struct.unpack_from("<QI", b, at)
            modules.append((base, size, string(struct.unpack_from("<I", b, at + 20)[0], "utf-16-le")))

    def where(address: int) -> str:
        return next((f"{name.rsplit('/', 1)[-1]}+{address - base:#x}" for base, size, name in modules
                     if base <= address < base + size), f"{address:#x} (in no module)")

    annotations = {}
    if 0x43500001 in streams:   # crashpad info: the process's annotations (ptype, pid, ...)
        at = streams[0x43500001]

        def read_dict(size: int, at: int, step: int, layout: str) -> None:
            for i in range(struct.unpack_from("<I", b, at)[0] if size else 0):
                fields = struct.unpack_from(layout, b, at + 4 + step * i)
                annotations[string(fields[0], "utf-8")] = string(fields[-1], "utf-8")

        read_dict(*struct.unpack_from("<II", b, at + 36), 8, "<II")   # simple annotations
        mod_size, mod_list = struct.unpack_from("<II", b, at + 44)
        for i in range(struct.unpack_from("<I", b, mod_list)[0] if mod_size else 0):
            info = struct.unpack_from("<III", b, mod_list + 4 + 12 * i)[2]
            read_dict(*struct.unpack_from("<II", b, info + 12), 8, "<II")      # per module
            read_dict(*struct.unpack_from("<II", b, info + 20), 12, "<IHHI")   # crash keys
    parts = [f"ptype={annotations.get('ptype', 'browser')}"]
    if 6 in streams:   # exception: thread, signal, si_code, fault address; context: rip, rsp
        at = streams[6]
        code, flags, _record, fault = struct.unpack_from("<IIQQ", b, at + 8)
        _csize, context = struct.unpack_from("<II", b, at + 160)
        rip, = struct.unpack_from("<Q", b, context + 248)
        rsp, = struct.unpack_from("<Q", b, context + 152)
        parts.append(f"{SIGNALS.get(code, code)} si_code={flags} fault={fault:#x} pc={where(rip)}")
        if 5 in streams:   # the captured stack of the crashing thread: from rsp to its mapping's end
            n, = struct.unpack_from("<I", b, streams[5])
            for i in range(n):
                start, size, _data = struct.unpack_from("<QII", b, streams[5] + 4 + 16 * i)
                if start <= rsp < start + size:
                    parts.append(f"stack {rsp:#x}..{start + size:#x} ({start + size - rsp} bytes"
                                 f"{', fault at its end' if fault == start + size else ''})")
    for key in ("gwp-asan-malloc", "gwp-asan-partitionalloc", "loaded-origin-0", "oom_size"):
        if key in annotations:
            parts.append(f"{key}={annotations[key]}")
    return "; ".join(parts)


def minidumps(out: Path, since: float) -> list[Path]:
    """Minidumps written since `since` where this soak's browser puts them."""
    found = [*out.glob("config/**/*.dmp"), *out.glob("dumps/**/*.dmp")]
    return sorted((p for p in found if p.stat().st_mtime >= since), key=lambda p: p.stat().st_mtime)


def stderr_reasons(path: Path) -> collections.Counter:
    """The crash-naming lines of Chromium's stderr, without their pid:tid:time prefix."""
    lines = path.read_text(errors="replace").splitlines() if path.exists() else []
    return collections.Counter(re.sub(r"^\[[\d:/.]+:", "[", line) for line in lines
                               if CRASH_WORDS.search(line))


# ------------------------------------------------------------------ main

def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--loads", type=int, default=500)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--only", default="", help="comma-separated scenario names (default: the cycle)")
    ap.add_argument("--chromium-arg", action="append", default=[],
                    help="one more Chromium flag (repeatable), e.g. --chromium-arg=--disable-features=X")
    ap.add_argument("--hide-jspi", action="store_true",
                    help="hide WebAssembly.Suspending from the page (a control: Pyodide without JSPI)")
    ap.add_argument("--read-dumps", type=Path, default=None,
                    help="only summarise the minidumps under this folder, then exit")
    ap.add_argument("--out", type=Path, default=None, help="folder for the logs (default: a new temp one)")
    args = ap.parse_args()
    if args.read_dumps:
        for dump in sorted(args.read_dumps.glob("**/*.dmp"), key=lambda p: p.stat().st_mtime):
            stamp = time.strftime("%Y-%m-%d %H:%M", time.localtime(dump.stat().st_mtime))
            print(f"{stamp} {dump.name}: {minidump_summary(dump)}")
        return 0
    cycle = [SCENARIOS[name] for name in args.only.split(",")] if args.only else CYCLE
    out = args.out or Path(tempfile.mkdtemp(prefix="kmeans-crash-soak-"))
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.seed)
    dist = build.build()
    server, base = serve(dist)
    print(cpu_line())
    print(f"Chromium {chromium_path()} {' '.join(LOGGING_ARGS + args.chromium_arg)}"
          f"{' (JSPI hidden from the page)' if args.hide_jspi else ''}; logs in {out}", flush=True)
    records: list[dict] = []
    started = time.time()
    with sync_playwright() as p, (out / "loads.jsonl").open("w") as log:
        browser = Browser(p, out, args.chromium_arg, args.hide_jspi)
        for i in range(args.loads):
            scenario = cycle[i % len(cycle)]
            record = one_load(browser, base, scenario, rng, rng.randrange(1, 1_000_000))
            page = record.pop("page")
            record["load"] = i + 1
            if (i + 1) % 50 == 0 and record["outcome"] != "crash":
                try:
                    record["memory"] = browser.memory(page)
                except PlaywrightError:
                    pass
            try:
                page.close()
            except PlaywrightError:
                pass
            records.append(record)
            log.write(json.dumps(record) + "\n")
            log.flush()
            if record["outcome"] != "ok":
                print(f"  load {i + 1} {record['scenario']}: {record['outcome']} {record['text'][:200]}"
                      f"  [{record['url'].split('?', 1)[-1]}]", flush=True)
            if "memory" in record:
                m = record["memory"]
                print(f"  after {i + 1} loads ({(time.time() - started) / 60:.1f} min): renderer "
                      f"{m['renderer_mb']:.0f} MB, browser {m['browser_mb']:.0f} MB, JS heap "
                      f"{m['js_heap_mb']:.1f} MB, {m['renderers']} renderer processes", flush=True)
        browser.close()
    server.shutdown()
    minutes = (time.time() - started) / 60

    print(f"\n{args.loads} loads in {minutes:.1f} min (seed {args.seed}, {browser.launches} browser "
          f"launch{'es' if browser.launches > 1 else ''})")
    print(f"{'scenario':18} {'loads':>6} {'ok':>5} {'crash':>6} {'error':>6} {'timeout':>8} {'median s':>9}")
    for name in dict.fromkeys(r["scenario"] for r in records):
        rs = [r for r in records if r["scenario"] == name]
        counts = collections.Counter(r["outcome"] for r in rs)
        print(f"{name:18} {len(rs):6d} {counts['ok']:5d} {counts['crash']:6d} {counts['error']:6d} "
              f"{counts['timeout']:8d} {statistics.median(r['seconds'] for r in rs):9.1f}")
    total = collections.Counter(r["outcome"] for r in records)
    print(f"{'all':18} {len(records):6d} {total['ok']:5d} {total['crash']:6d} {total['error']:6d} "
          f"{total['timeout']:8d}")
    reasons = stderr_reasons(browser.stderr)
    print(f"\nChromium stderr lines naming a crash or a failed check ({browser.stderr}): "
          f"{sum(reasons.values())}")
    for line, n in reasons.most_common(20):
        print(f"  {n:4d} x {line[:220]}")
    dumps = minidumps(out, started)
    print(f"minidumps written: {len(dumps)}")
    for dump in dumps:
        print(f"  {dump.name}: {minidump_summary(dump)}")
    return 1 if total["crash"] else 0


if __name__ == "__main__":
    sys.exit(main())
