"""Loading the page: its stages, every way a download can fail, file://, a strict CSP, the trace."""

from __future__ import annotations

import threading

import pytest
from conftest import READY_TIMEOUT_MS, trace_events

import build
from buildtools.manifest import load_manifest, shipped_file

# Long enough for a loaded machine; the watchdog in boot.js fires only after 120 s, so a message
# seen within this wait came from the fault itself, not from the watchdog.
FAULT_TIMEOUT_MS = 60_000


def open_faulty(browser, base_url, pattern: str, handler):
    """A fresh page whose requests matching `pattern` are answered by `handler`; returns it once
    the page has given up (dataset.ready == 'error')."""
    context = browser.new_context()
    page = context.new_page()
    page.route(pattern, handler)
    page.goto(base_url)
    page.wait_for_function("document.documentElement.dataset.ready === 'error'", timeout=FAULT_TIMEOUT_MS)
    return context, page


def test_loading_screen_names_the_stages_and_real_sizes(open_page, dist):
    page, _ = open_page()
    stages = page.locator("#stages li").all_inner_texts()
    assert len(stages) == 5 and "__" not in " ".join(stages)
    runtime = sum((dist / "pyodide" / f).stat().st_size for f in
                  ("pyodide.mjs", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip"))
    assert f"Pyodide, {runtime / 1e6:.0f} MB" in stages[1]


def test_opened_from_disk_says_how_to_serve(open_page, dist):
    page, _ = open_page(url=(dist / "index.html").as_uri(), wait_ready=False)
    page.wait_for_function("document.documentElement.dataset.ready === 'error'")
    text = page.inner_text("#loading")
    assert "file://" in text and "python3 build.py serve" in text
    assert "kmeans-anim.html" in text  # the file that does open from disk


def test_runtime_download_failure_is_explained(browser, base_url):
    context, page = open_faulty(browser, base_url, "**/pyodide.asm.wasm",
                                lambda route: route.fulfill(status=404, body="missing"))
    text = page.inner_text("#loading")
    assert "could not start" in text.lower()
    assert "pyodide.asm.wasm" in text and "HTTP 404" in text
    assert "python3 build.py" in text
    context.close()


def test_truncated_runtime_is_named_not_waited_for(browser, base_url, dist):
    # Half of the WebAssembly file, served as if complete (an interrupted upload): it fails to
    # compile, which Pyodide only logs before waiting forever.
    half = (dist / "pyodide" / "pyodide.asm.wasm").read_bytes()[:5_000_000]
    context, page = open_faulty(browser, base_url, "**/pyodide.asm.wasm", lambda route: route.fulfill(
        status=200, body=half, headers={"Content-Type": "application/wasm"}))
    text = page.inner_text("#loading")
    assert "pyodide.asm.wasm" in text and "damaged or incomplete" in text
    assert "Still not ready" not in text  # not the watchdog, and no stage blamed
    context.close()


@pytest.mark.parametrize("package", ["numpy", "matplotlib"])
def test_missing_package_file_is_named(browser, base_url, package):
    context, page = open_faulty(browser, base_url, f"**/{package}-*.whl",
                                lambda route: route.fulfill(status=404, body="missing"))
    text = page.inner_text("#loading")
    assert f"Could not download {package}-" in text and ".whl (HTTP 404)" in text
    assert "please report" not in text and "python3 build.py" in text
    context.close()


NO_RESPONSE_STATUS = "delete PerformanceResourceTiming.prototype.responseStatus;"  # as in WebKit


def stages_shown(page) -> list[str]:
    """The loading stages the page has shown active, in order (boot.js marks each one)."""
    return page.evaluate("performance.getEntriesByType('mark').map(m => m.name)"
                         ".filter(n => n.startsWith('kmeans:')).map(n => n.slice(7))")


def page_without_response_status(browser, removed: bool):
    """(context, page) of a browser profile of its own, with resource timing's responseStatus
    removed before any of the page's scripts run if `removed` (as WebKit has none)."""
    context = browser.new_context()
    if removed:
        context.add_init_script(NO_RESPONSE_STATUS)
    return context, context.new_page()


@pytest.mark.parametrize("response_status", [True, False], ids=["chromium", "no-responseStatus"])
def test_every_stage_is_shown_with_or_without_response_status(browser, base_url, response_status):
    context, page = page_without_response_status(browser, not response_status)
    page.goto(base_url)
    page.wait_for_function("document.documentElement.dataset.ready !== undefined", timeout=READY_TIMEOUT_MS)
    assert page.evaluate("document.documentElement.dataset.ready") == "true"
    assert page.evaluate("'responseStatus' in PerformanceResourceTiming.prototype") == response_status
    assert stages_shown(page) == ["scripts", "runtime", "packages", "engine", "draw", "ready"]
    context.close()


def test_the_runtime_goes_first_and_the_wheels_wait_for_it(browser, base_url, dist):
    # The runtime is asked for at once, not at the end of PyScript's chain of modules. On a
    # slow network a wheel asked for while the runtime downloads takes bandwidth from it, and
    # Python can start only once the runtime is in: the wheels must wait. The runtime's
    # WebAssembly is held back here until the page shows a wheel waiting for it.
    context = browser.new_context()
    page = context.new_page()
    runtime = []
    page.route("**/pyodide.asm.wasm", lambda route: runtime.append(route))
    asked = []
    page.on("request", lambda request: asked.append(request.url.rsplit("/", 1)[-1]))
    page.goto(base_url)
    page.wait_for_function("() => window.kmeans.snapshot().held.some(n => n.endsWith('.whl'))",
                           timeout=FAULT_TIMEOUT_MS)
    assert runtime, "the runtime was not asked for"
    assert not [name for name in asked if name.endswith(".whl")], "a wheel went out before the runtime arrived"
    assert "kmeans_anim.zip" not in asked
    runtime[0].continue_()
    page.wait_for_function("document.documentElement.dataset.ready !== undefined", timeout=READY_TIMEOUT_MS)
    assert page.evaluate("document.documentElement.dataset.ready") == "true"
    wheels = sorted(f.name for f in (dist / "pyodide").glob("*.whl"))
    assert sorted({name for name in asked if name.endswith(".whl")}) == wheels
    # Each asked for once: Pyodide's and PyScript's own requests took the responses asked for ahead.
    runtime_files = ["pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json"]
    once = wheels + runtime_files + ["kmeans_anim.zip", "main.py"]
    assert {name: asked.count(name) for name in once} == {name: 1 for name in once}
    # The browser's own clock: the runtime was asked for before PyScript had even read its
    # configuration, and no wheel before the runtime's last byte.
    times = page.evaluate("""() => performance.getEntriesByType('resource').map(
        e => [e.name.split('/').pop(), e.startTime, e.responseEnd])""")
    start = {name: begin for name, begin, _ in times}
    assert all(start[name] < start["pyscript.json"] for name in runtime_files)
    runtime_in = max(end for name, _, end in times if name in ("pyodide.asm.wasm", "python_stdlib.zip"))
    early = [name for name, start, _ in times if name.endswith(".whl") and start < runtime_in]
    assert not early, f"asked for before the runtime had arrived: {early}"
    context.close()


@pytest.mark.parametrize("response_status", [True, False], ids=["chromium", "no-responseStatus"])
def test_a_missing_wheel_is_named_from_its_own_answer(browser, base_url, response_status):
    # numpy's wheel is missing while matplotlib's is held back: the page must name numpy from
    # numpy's own answer, not when the whole package load gives up (which waits for all).
    context, page = page_without_response_status(browser, not response_status)
    held = {}

    def hold(name):
        # numpy's 404 is sent only once matplotlib's request is held: on a busy machine numpy's
        # answer could otherwise come before matplotlib is even asked for.
        def handler(route):
            held[name] = route
            if "numpy" in held and "matplotlib" in held:
                held["numpy"].fulfill(status=404, body="missing")
        return handler
    page.route("**/numpy-*.whl", hold("numpy"))
    page.route("**/matplotlib-*.whl", hold("matplotlib"))
    page.goto(base_url)
    page.wait_for_function("document.documentElement.dataset.ready === 'error'", timeout=FAULT_TIMEOUT_MS)
    text = page.inner_text("#loading")
    assert "Could not download numpy-" in text and ".whl (HTTP 404)" in text
    assert stages_shown(page)[-1] == "packages"   # the stage it failed in was shown
    held["matplotlib"].abort()
    context.close()


def test_damaged_package_file_is_explained(browser, base_url):
    # A wheel whose bytes do not match the lock's hash (a damaged upload, a meddling proxy).
    context, page = open_faulty(browser, base_url, "**/numpy-*.whl",
                                lambda route: route.fulfill(status=200, body=b"not a wheel"))
    text = page.inner_text("#loading")
    assert shipped_file(load_manifest(), "numpy") in text and "does not match the hash" in text
    assert "python3 build.py" in text
    context.close()


@pytest.fixture(scope="module")
def csp_url(dist):
    server = build.make_server(0, csp=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.url
    server.shutdown()


def test_page_runs_under_a_strict_content_security_policy(open_page, csp_url):
    page, problems = open_page("?speed=16&seed=3", url=csp_url, wait_ready=False)
    headers = page.evaluate("async () => Object.fromEntries((await fetch(location.href)).headers)")
    assert headers["content-security-policy"] == "script-src 'self' 'wasm-unsafe-eval'"
    # Playwright's string predicates are themselves eval'd; under this policy only functions work.
    page.wait_for_function("() => document.documentElement.dataset.ready !== undefined",
                           timeout=READY_TIMEOUT_MS)
    assert page.evaluate("() => document.documentElement.dataset.ready") == "true", \
        page.evaluate("() => window.kmeans.snapshot()")
    page.click("#go")
    page.wait_for_function("() => window.kmeans.snapshot().status === 'done'", timeout=60_000)
    s = page.evaluate("() => window.kmeans.snapshot()")
    assert s["final"]["n_iter"] >= 1 and len(s["labels"]) == 150
    # A refused eval is a console error, which the open_page fixture turns into a failure.


def test_trace_reports_what_the_page_imports_and_opens(open_page):
    # The safety net behind the slimming works only if traced pages really report.
    page, _ = open_page("?speed=16")
    page.click("#go")
    page.wait_for_function("window.kmeans.snapshot().status === 'done'", timeout=60_000)
    # The page posts what it notes in batches (a beacon each): until the drawing's font is in,
    # wait for the next batch to have reached the server.
    def font_opened() -> bool:
        return any(kind == "open" and what.endswith("DejaVuSans.ttf") for kind, what in trace_events())

    while not font_opened():
        page.wait_for_event("requestfinished", lambda request: request.url.endswith("/__trace__"),
                            timeout=60_000)
    assert ["import", "matplotlib.backends.backend_agg"] in trace_events()
