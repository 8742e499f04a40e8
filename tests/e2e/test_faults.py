"""One faulty file at a time, served by tests/e2e/faults.py: 404, 500, truncated, stalled or of
the wrong type, for each class of file the page loads. A cosmetic file never stops the page; any
other is named, at once when it arrives broken and within 10 s when it stops arriving (never by
the 120 s watchdog naming a stage). Also: advice that does not mislead (a Content-Security-
Policy, Trusted Types, the single file).

The stalled cases wait, by design, for the page's 8 s stall detection: one per file class."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import PageProblems, wait_done, wait_ready_page
from faults import FaultServer
from test_loading import FAULT_TIMEOUT_MS

DIST = Path(__file__).resolve().parents[2] / "dist"
NUMPY = next((DIST / "pyodide").glob("numpy-*.whl"), DIST / "pyodide" / "numpy.whl").relative_to(DIST).as_posix()

# What a page that gave up must never say instead of naming the file.
NOT_NAMED = ("Still not ready", "Unexpected end of input", "exit(1)", "Cannot set properties")


def open_with(browser, path: str, fault: str | None = None, policy: str | None = None):
    """(server, context, page, problems): the page served with `path` faulty (or none)."""
    server = FaultServer(path, fault, policy=policy)
    url = server.__enter__()
    context = browser.new_context()
    page = context.new_page()
    problems = PageProblems(page, url)
    page.goto(url, wait_until="commit")  # a stalled script holds the load event forever
    return server, context, page, problems


@pytest.fixture
def faulty(browser):
    """faulty(path, fault, policy=None) -> (page, problems); everything closed after the test,
    and any request off the page's origin fails it."""
    opened = []

    def _open(path: str, fault: str | None, policy: str | None = None):
        server, context, page, problems = open_with(browser, path, fault, policy)
        opened.append((server, context, problems))
        return page, problems

    yield _open
    for server, context, problems in opened:
        context.close()
        server.__exit__(None, None, None)
        assert not problems.off_origin, problems.off_origin


# The HTML's own words are shown (by CSS, after 8 s). Checked from the moment the response
# starts: the element may not be parsed yet, which is "not shown", not an error.
BOOT_WAIT_SHOWN = """() => {
    const words = document.getElementById('boot-wait');
    return words !== null && getComputedStyle(words).visibility === 'visible';
}"""


def given_up(page) -> str:
    """Wait until the page has given up; return what its loading box says."""
    # Checked from the moment the response starts (open_with waits only for the commit): on a
    # busy machine the document may have no <html> element yet, which is "not given up yet".
    page.wait_for_function("() => document.documentElement?.dataset.ready === 'error'",
                           timeout=FAULT_TIMEOUT_MS)
    box = page.locator("#failure")
    assert box.is_visible()
    return box.inner_text()


def assert_named(text: str, path: str) -> None:
    name = path.split("/")[-1]
    assert name in text or (name == "core.js" and "PyScript" in text), text
    assert not any(words in text for words in NOT_NAMED), text


# ------------------------------------------------------------------ cosmetic files: never fatal
@pytest.mark.parametrize("path, fault", [
    ("style.css", "404"), ("style.css", "500"), ("style.css", "truncated"), ("style.css", "wrong-type"),
    ("favicon.svg", "404"), ("pyscript/core.css", "500"),
])
def test_a_failing_cosmetic_file_never_stops_the_page(faulty, path, fault):
    page, problems = faulty(path, fault)
    problems.expect_errors("Failed to load resource", "Refused to apply style")
    wait_ready_page(page)
    page.click("#go")
    done = wait_done(page)
    assert done["final"]["n_iter"] >= 1
    note = page.locator("#load-note")
    assert note.is_visible() and path.split("/")[-1] in note.inner_text()
    assert page.locator("#loading").is_hidden()
    assert not problems.unexpected(), problems.unexpected()


# ------------------------------------------------------------------ every other file is named
FATAL = [
    ("start-pyscript.js", "404"), ("pyscript/core.js", "404"), ("pyodide/pyodide.asm.js", "404"),
    (NUMPY, "404"), ("kmeans_anim.zip", "404"), ("pyodide/pyodide-lock.json", "404"),
    ("start-pyscript.js", "500"), ("pyscript/core.js", "500"), ("pyodide/pyodide.asm.wasm", "500"),
    (NUMPY, "500"), ("main.py", "500"), ("pyscript.json", "500"),
    ("start-pyscript.js", "truncated"), ("pyscript/core.js", "truncated"),
    ("pyodide/pyodide.asm.js", "truncated"), (NUMPY, "truncated"), ("main.py", "truncated"),
    ("kmeans_anim.zip", "truncated"), ("pyscript.json", "truncated"), ("pyodide/pyodide-lock.json", "truncated"),
    ("start-pyscript.js", "wrong-type"), ("pyscript/core.js", "wrong-type"),
    ("pyodide/pyodide.asm.wasm", "wrong-type"), ("pyodide/pyodide.asm.js", "wrong-type"),
]


@pytest.mark.parametrize("path, fault", FATAL)
def test_a_broken_file_is_named_at_once(faulty, path, fault):
    page, _ = faulty(path, fault)
    text = given_up(page)
    assert_named(text, path)
    if fault == "wrong-type":
        assert "application/octet-stream" in text or "a type browsers do not run" in text
        assert "build.py" not in text  # the server's types, not the copy, need fixing
    else:
        assert "python3 build.py" in text


@pytest.mark.parametrize("fault", ["404", "truncated"])
def test_without_boot_js_the_html_says_so(faulty, fault):
    page, _ = faulty("boot.js", fault)
    page.wait_for_function(BOOT_WAIT_SHOWN, timeout=FAULT_TIMEOUT_MS)
    assert "boot.js" in page.inner_text("#boot-wait")
    assert page.evaluate("() => window.kmeans === undefined")  # the scripts really never ran


# ------------------------------------------------------------------ stalled: one per file class
@pytest.mark.parametrize("path", ["pyscript/core.js", "pyodide/pyodide.asm.wasm", NUMPY, "main.py",
                                  "pyscript.json"])
def test_a_stalled_file_is_named_not_left_to_the_watchdog(faulty, path):
    page, _ = faulty(path, "stalled")
    text = given_up(page)
    assert_named(text, path)
    assert "stopped arriving" in text


@pytest.mark.parametrize("path", ["pyscript/core.js", NUMPY])
def test_a_stall_that_ends_is_withdrawn_and_the_page_starts(browser, path):
    """A slow network, not a dead one: the file is named while it is stuck, and when the rest
    arrives the message goes and the page starts as if nothing had happened."""
    server, context, page, problems = open_with(browser, path, "slow")
    try:
        text = given_up(page)
        assert_named(text, path)
        assert "reload" in text.lower() and "carries on by itself" in text
        server.released.set()
        # The rest arrives: the failure is withdrawn (loading again), then the page starts.
        page.wait_for_function("document.documentElement.dataset.ready !== 'error'",
                               timeout=FAULT_TIMEOUT_MS)
        wait_ready_page(page)
        assert page.locator("#failure").count() == 0
        assert page.locator("#loading").is_hidden()
        page.click("#go")
        assert wait_done(page)["final"]["n_iter"] >= 1
        assert not problems.unexpected(), problems.unexpected()
    finally:
        context.close()
        server.__exit__(None, None, None)


def test_a_stalled_stylesheet_is_dropped_and_the_page_works(faulty):
    page, problems = faulty("style.css", "stalled")
    wait_ready_page(page)
    page.locator("#load-note").wait_for()
    assert "style.css stopped arriving" in page.inner_text("#load-note")
    page.click("#go")
    assert wait_done(page)["final"]["n_iter"] >= 1
    assert not problems.unexpected(), problems.unexpected()


def test_a_stalled_boot_js_leaves_the_html_words(faulty):
    page, _ = faulty("boot.js", "stalled")
    page.wait_for_function(BOOT_WAIT_SHOWN, timeout=FAULT_TIMEOUT_MS)
    assert "did not arrive or could not run" in page.inner_text("#boot-wait")


# ------------------------------------------------------------------ advice that does not mislead
def test_a_policy_without_wasm_unsafe_eval_is_named_as_the_policy(faulty):
    page, _ = faulty("", None, policy="script-src 'self'")
    text = given_up(page)
    assert "Content-Security-Policy" in text and "'wasm-unsafe-eval'" in text
    assert "damaged" not in text and "build.py" not in text


def test_under_trusted_types_the_failure_is_still_said(faulty):
    page, _ = faulty("", None, policy="script-src 'self' 'wasm-unsafe-eval'; require-trusted-types-for 'script'")
    text = given_up(page)
    assert "Trusted Types" in text


def damaged_single_file(dist: Path, folder: Path, old: str, new: str) -> Path:
    page = (dist / "kmeans-anim.html").read_text()
    assert old in page
    dest = folder / "kmeans-anim.html"
    dest.write_text(page.replace(old, new, 1))
    return dest


@pytest.mark.parametrize("damage", ["loader", "payload"])
def test_a_damaged_single_file_says_download_it_again(open_page, dist, tmp_path, damage):
    old, new = {"loader": ("window.kmeansOffline = {", "window.kmeansOffline = {{"),
                "payload": ('data-embedded="kmeans_anim.zip">', 'data-embedded="kmeans_anim.zip">!!')}[damage]
    single = damaged_single_file(dist, tmp_path, old, new)
    page, problems = open_page(url=single.as_uri(), wait_ready=False)
    problems.expect_errors("SyntaxError", "Unexpected token", "Failed to fetch", "failed to start",
                           "ERR_INVALID_URL")  # the damaged data: URL
    text = given_up(page)
    assert "download it again" in text
    assert "Open kmeans-anim.html" not in text and "build.py" not in text and "dist/" not in text
