"""End-to-end fixtures: build dist/, serve it on 127.0.0.1, drive headless Chromium.

Every test fails on a console error, an uncaught page error or a request that leaves the page's
origin, unless it declares the errors it provokes with ``expect_errors``.
"""

from __future__ import annotations

import os
import shutil
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
import build  # noqa: E402

from playwright import sync_api as playwright_sync  # noqa: E402  (a missing install must fail, not skip)

SUB_PATH = "/some/sub/path/kmeans/"
# Flags a closed network needs (docs/DESIGN.md, "Testing and CI"): no background connections Chromium would try.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"]
READY_TIMEOUT_MS = 120_000


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(str(item.fspath)).is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def dist() -> Path:
    return build.build()


def _serve(prefix: str):
    server = build.make_server(0, prefix)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, server.url


@pytest.fixture(scope="session")
def base_url(dist) -> str:
    server, url = _serve("/")
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def sub_path_url(dist) -> str:
    server, url = _serve(SUB_PATH)
    yield url
    server.shutdown()


def chromium_path() -> str | None:
    """Debian's chromium (or $CHROMIUM); None lets Playwright use its own browser."""
    return os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser():
    with playwright_sync.sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield b
        b.close()


class PageProblems:
    """Console errors, page errors and off-origin requests seen by one page."""

    def __init__(self, page, origin: str):
        self.errors: list[str] = []
        self.off_origin: list[str] = []
        self.expected: list[str] = []
        page.on("console", lambda m: m.type == "error" and self.errors.append(f"console: {m.text}"))
        page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        page.on("request", lambda r: r.url.startswith((origin, "data:", "blob:"))
                or self.off_origin.append(r.url))

    def expect_errors(self, *fragments: str) -> None:
        """Declare console errors this test provokes on purpose (matched by substring)."""
        self.expected.extend(fragments)

    def unexpected(self) -> list[str]:
        return [e for e in self.errors if not any(f in e for f in self.expected)]


VIEWPORT = {"width": 1400, "height": 1000}


@pytest.fixture(scope="session")
def shared_context(browser):
    """One browser profile for the tests that do not need their own: its HTTP cache makes
    every page load after the first a warm one (the runtime is not downloaded again)."""
    context = browser.new_context(viewport=VIEWPORT)
    yield context
    context.close()


@pytest.fixture
def open_page(browser, shared_context, base_url):
    """open_page(query="", url=None, wait_ready=True, own_profile=False, **context_options)
    -> (page, problems). Pages share one profile (cache, localStorage) unless `own_profile` is
    set or context options (viewport, device_scale_factor, ...) are given."""
    contexts, pages, all_problems = [], [], []

    def _open(query: str = "", url: str | None = None, wait_ready: bool = True,
              own_profile: bool = False, **options):
        target = (url or base_url) + query
        if own_profile or options:
            context = browser.new_context(**({"viewport": VIEWPORT} | options))
            contexts.append(context)
        else:
            context = shared_context
        page = context.new_page()
        pages.append(page)
        origin = "/".join(target.split("/")[:3]) + "/"
        problems = PageProblems(page, origin if target.startswith("http") else "file://")
        all_problems.append(problems)
        page.goto(target)
        if wait_ready:
            wait_ready_page(page)
        return page, problems

    yield _open
    try:
        for problems in all_problems:
            assert not problems.unexpected(), f"errors in the page: {problems.unexpected()}"
            assert not problems.off_origin, f"requests left the page's origin: {problems.off_origin}"
    finally:
        for page in pages:
            page.close()
        for context in contexts:
            context.close()


@pytest.fixture(scope="module")
def _module_page(shared_context, base_url):
    page = shared_context.new_page()
    problems = PageProblems(page, base_url)
    page.goto(base_url + "?speed=16")
    wait_ready_page(page)
    yield page, problems
    page.close()


@pytest.fixture
def warm_page(_module_page):
    """A started page shared by the tests of one module (start-up is not what they test):
    each test sets what it needs through the controls. Fails the test that caused a console
    error, a page error or a request off the page's origin."""
    page, problems = _module_page
    problems.errors.clear()
    problems.expected.clear()
    yield page
    assert not problems.unexpected(), f"errors in the page: {problems.unexpected()}"
    assert not problems.off_origin, f"requests left the page's origin: {problems.off_origin}"


def wait_ready_page(page) -> None:
    page.wait_for_function("document.documentElement.dataset.ready !== undefined",
                           timeout=READY_TIMEOUT_MS)
    state = page.evaluate("document.documentElement.dataset.ready")
    assert state == "true", f"page did not start: {page.evaluate('window.kmeans.snapshot()')}"


def snapshot(page) -> dict:
    return page.evaluate("window.kmeans.snapshot()")


def message(page) -> str:
    """The message box's text ("" when it is hidden)."""
    return page.text_content("#message") if page.is_visible("#message") else ""


def wait_message(page, fragment: str) -> str:
    """Wait until the message box says `fragment`; its whole text."""
    page.wait_for_function("f => document.getElementById('message').textContent.includes(f)",
                           arg=fragment)
    return message(page)


def press_go(page, button: str = "#go") -> int:
    """Click GO (or RETRY) and return the run_id of the run it starts (the click handler
    numbers the run before it returns; <html data-run> shows it)."""
    page.click(button)
    return int(page.evaluate("document.documentElement.dataset.run"))


def wait_status(page, status: str, run_id: int | None = None, timeout_ms: int = 60_000) -> None:
    """Wait until the page's status (mirrored on <html data-status data-run>) is `status`, for
    the latest run or the given one. Cheap to poll, unlike the snapshot."""
    page.wait_for_function(
        "([status, id]) => { const d = document.documentElement.dataset;"
        " return d.status === status && (id === null || d.run === String(id)); }",
        arg=[status, run_id], timeout=timeout_ms)


def wait_settled(page, run_id: int, timeout_ms: int = 60_000) -> None:
    """Wait until GO (or RETRY) number `run_id` has been made or refused: the page has written
    what it says about it (a refusal, a lowered K) and its status is no longer "starting"."""
    page.wait_for_function(
        "id => { const d = document.documentElement.dataset;"
        " return d.run !== String(id) || d.status !== 'starting'; }",
        arg=run_id, timeout=timeout_ms)


def wait_playing(page, run_id: int, step_index: int = 0, timeout_ms: int = 60_000) -> dict:
    """Wait until run `run_id` plays, at half-step `step_index` or later; return the snapshot
    (without the points) that saw it. Its frame is this run's: while a new run starts, the
    snapshot still shows the previous run's frame."""
    return page.wait_for_function(
        "([id, index]) => { const s = window.kmeans.snapshot({points: false});"
        " return s.run_id === id && s.status === 'running' && s.step_index >= index ? s : null; }",
        arg=[run_id, step_index], timeout=timeout_ms).json_value()


def state_after(page, action, selector: str | None = None, event: str = "click") -> dict:
    """Do `action()` (a click, a key press) and return the snapshot (without the points) taken
    by the page right after its own handler of `event` on `selector` (None: the document) has
    run: the state the action made, before the animation moves on, however busy the machine."""
    page.evaluate(
        "([selector, event]) => { window.__after = null;"
        " const target = selector ? document.querySelector(selector) : document;"
        " target.addEventListener(event, () => {"
        " window.__after = window.kmeans.snapshot({points: false}); }, {once: true}); }",
        [selector, event])
    action()
    return page.evaluate("window.__after")


def animation_frames(page, count: int) -> None:
    """Let the page paint `count` animation frames (a paused picture must not change)."""
    page.evaluate("count => new Promise(resolve => { const next = n => n ? "
                  "requestAnimationFrame(() => next(n - 1)) : resolve(); next(count); })", count)


def centroids_every_frame(page, run_id: int, timeout_ms: int = 60_000) -> list:
    """The centroids on screen at every animation frame of run `run_id`, until it is done: the
    page samples them itself, so a busy test process misses no frame."""
    page.evaluate(
        "id => { const seen = window.__centroids = []; const look = () => {"
        " const s = window.kmeans.snapshot({points: false});"
        " if (s.run_id === id && s.status !== 'starting' && s.centroids) seen.push(s.centroids);"
        " if (s.run_id === id && s.status === 'done') return; requestAnimationFrame(look); };"
        " look(); }", run_id)
    wait_done(page, run_id, timeout_ms)
    return page.evaluate("window.__centroids")


def wait_done(page, run_id: int | None = None, timeout_ms: int = 60_000) -> dict:
    """Wait until the latest (or the given) run has finished animating; return the snapshot."""
    wait_status(page, "done", run_id, timeout_ms)
    return snapshot(page)


def canvas_colours(page) -> dict[str, int]:
    """How many canvas pixels have each "r,g,b" colour."""
    return page.evaluate("""() => {
        const c = document.getElementById('plot');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        const seen = {};
        for (let i = 0; i < d.length; i += 4) {
            const key = d[i] + ',' + d[i + 1] + ',' + d[i + 2];
            seen[key] = (seen[key] || 0) + 1;
        }
        return seen;
    }""")


# What a fresh page shows in each control (the notebook's defaults; speed 4x for short waits).
CONTROL_DEFAULTS = dict(dataset="blobs", n="150", k="3", std="0.8", centers="0", noise="0.5",
                        init="random", empty="keep", max_iter="10", tol="0", seed=None,
                        reseed=True, speed="16", paths=False, regions=False)


def set_controls(page, **values) -> None:
    """Set every setting through the page's own controls, as a visitor would: the defaults
    (CONTROL_DEFAULTS) updated with `values`. seed=None leaves the seed to GO."""
    v = CONTROL_DEFAULTS | values
    page.select_option("#dataset", v["dataset"])  # first: it decides which sliders apply
    for slider in ("n", "k", "std", "centers", "noise"):
        if page.is_enabled(f"#{slider}"):
            page.locator(f"#{slider}").fill(str(v[slider]))
    page.select_option("#init", v["init"])
    page.select_option("#empty", v["empty"])
    page.select_option("#speed", str(v["speed"]))
    for field in ("max_iter", "tol"):
        page.fill(f"#{field}", str(v[field]))
        page.dispatch_event(f"#{field}", "change")
    if v["seed"] is not None:
        page.fill("#seed", str(v["seed"]))
        page.dispatch_event("#seed", "change")
        v["reseed"] = values.get("reseed", False)
    page.set_checked("#reseed", bool(v["reseed"]))
    page.set_checked("#paths", bool(v["paths"]))
    page.set_checked("#regions", bool(v["regions"]))


def canvas_pixels(page, selector: str = "#plot"):
    """A canvas's RGBA pixels as a numpy array (height, width, 4), sent as a PNG."""
    import base64
    import io

    import numpy as np
    from PIL import Image
    url = page.eval_on_selector(selector, "c => c.toDataURL('image/png')")
    image = Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1])))
    return np.asarray(image.convert("RGBA"))


def data_to_device(s: dict, xy, ratio: float = 1.0):
    """Canvas pixel (col, row) in device pixels of the data point xy, from the snapshot's axes."""
    (x0, x1), (y0, y1) = s["axes"]["xlim"], s["axes"]["ylim"]
    left, top, width, height = s["axes"]["box"]
    col = left + (xy[0] - x0) / (x1 - x0) * width
    row = top + height - (xy[1] - y0) / (y1 - y0) * height
    return col * ratio, row * ratio


# ---------------------------------------------------------------- the slimming's safety net
# The build leaves out of the shipped archives what the page never uses (buildtools/slim.py)
# and lists it in dist/build-info.json. Every server the suite starts asks the page for its
# import/open trace (make_server reads $KMEANS_TRACE_FILE); after the whole session, any use of
# a removed file, found or not, fails the run.
import json  # noqa: E402
import tempfile  # noqa: E402

from buildtools.slim import touched_removed  # noqa: E402

TRACE_FILE = Path(tempfile.gettempdir()) / f"kmeans-trace-{os.getpid()}.jsonl"


def pytest_configure(config):
    """Only a test session traces (benchmarks import this module too and must not)."""
    TRACE_FILE.unlink(missing_ok=True)
    os.environ["KMEANS_TRACE_FILE"] = str(TRACE_FILE)


def trace_events() -> list[list[str]]:
    """Every [kind, what] the traced pages have posted so far in this session."""
    lines = TRACE_FILE.read_text().splitlines() if TRACE_FILE.exists() else []
    return [event for line in lines if line.strip() for event in json.loads(line)]


def removed_by_slimming(dist: Path) -> dict[str, list[str]]:
    merged: dict[str, list[str]] = {"files": [], "modules": [], "dirs": []}
    for archive in json.loads((dist / "build-info.json").read_text())["archives"].values():
        for key in merged:
            merged[key] += archive.get("removed", {}).get(key, [])
    return merged


@pytest.fixture(scope="session", autouse=True)
def slimmed_files_are_never_used(dist):
    yield
    touched = touched_removed(trace_events(), removed_by_slimming(dist))
    assert not touched, ("the page used files the build leaves out of the shipped archives; keep "
                         f"them (buildtools/slim.py): {touched}")
