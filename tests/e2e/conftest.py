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
# Flags a closed network needs (DESIGN.md): no background connections Chromium would try.
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


@pytest.fixture
def open_page(browser, base_url, request):
    """open_page(query="", url=None, **context_options) -> (page, problems); fresh profile each."""
    contexts, all_problems = [], []

    def _open(query: str = "", url: str | None = None, wait_ready: bool = True, **options):
        target = (url or base_url) + query
        context = browser.new_context(**({"viewport": {"width": 1400, "height": 1000}} | options))
        contexts.append(context)
        page = context.new_page()
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
        for context in contexts:
            context.close()


def wait_ready_page(page) -> None:
    page.wait_for_function("document.documentElement.dataset.ready !== undefined",
                           timeout=READY_TIMEOUT_MS)
    state = page.evaluate("document.documentElement.dataset.ready")
    assert state == "true", f"page did not start: {page.evaluate('window.kmeans.snapshot()')}"


def snapshot(page) -> dict:
    return page.evaluate("window.kmeans.snapshot()")


def wait_done(page, run_id: int | None = None, timeout_ms: int = 60_000) -> dict:
    """Wait until the latest (or the given) run has finished animating; return the snapshot."""
    page.wait_for_function(
        "([id]) => { const s = window.kmeans.snapshot();"
        " return s.status === 'done' && (id === null || s.run_id === id); }",
        arg=[run_id], timeout=timeout_ms)
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
