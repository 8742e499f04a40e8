"""Offline use. The served page: its service worker (site/sw.js) keeps the build's files, the
page then opens with no network, and a new build replaces them. The single file
(dist/kmeans-anim.html): opened from disk, alone, with no network, and with no worker."""

from __future__ import annotations

import shutil
import threading
import urllib.request

import numpy as np
import pytest
import build
from buildtools import SITE
from buildtools.worker import write_worker
from conftest import (READY_TIMEOUT_MS, VIEWPORT, PageProblems, canvas_pixels, snapshot, wait_done,
                      wait_ready_page, wait_status)

from test_page import assert_consistent


@pytest.fixture
def lone_copy(dist, tmp_path):
    """The file copied alone into an empty folder, as after a download or onto a USB stick."""
    folder = tmp_path / "usb-stick"
    folder.mkdir()
    shutil.copyfile(dist / "kmeans-anim.html", folder / "K-Means offline.html")
    return folder / "K-Means offline.html"


def test_single_file_runs_go_retry_and_steps_from_disk(open_page, lone_copy):
    page, _ = open_page("?speed=16&seed=7", url=lone_copy.as_uri(), wait_ready=False,
                        viewport={"width": 1400, "height": 1000})
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    wait_ready_page(page)
    assert page.is_hidden("#offline-download")  # no point offering the file it already is
    page.click("#go")
    first = wait_done(page)
    assert_consistent(first)
    assert first["seed"] == 7
    page.click("#retry")
    second = wait_done(page, run_id=first["run_id"] + 1)
    assert second["points"] == first["points"] and second["attempt"] == first["attempt"] + 1
    assert_consistent(second)
    page.click("#step-back")  # from the end: pauses on the last half-step
    paused = snapshot(page)
    assert paused["status"] == "paused"
    page.click("#step-back")
    stepped = snapshot(page)
    assert stepped["status"] == "paused" and stepped["step_index"] == paused["step_index"] - 1
    assert any(np.allclose(stepped["centroids"], h) for h in stepped["history"])
    # Nothing but the file itself and the data:/blob: URLs it makes.
    page_url = page.url.split("?")[0]
    assert all(u.split("?")[0] == page_url or u.startswith(("data:", "blob:")) for u in requests), requests


def test_served_page_offers_the_single_file(open_page, base_url, dist):
    page, _ = open_page()
    link = page.locator("#offline-download a")
    assert link.is_visible() and link.inner_text() == "Download for offline use"
    assert link.get_attribute("download") is not None
    href = page.evaluate("document.querySelector('#offline-download a').href")
    with urllib.request.urlopen(href) as r:
        assert r.status == 200 and r.read() == (dist / "kmeans-anim.html").read_bytes()


def test_single_file_says_it_unpacks_and_that_its_address_is_this_computers(open_page, lone_copy):
    page, _ = open_page("?speed=16&seed=7&k=4", url=lone_copy.as_uri(), own_profile=True,
                        viewport={"width": 1400, "height": 1000})
    stages = page.locator("#stages li").all_inner_texts()
    assert len(stages) == 5 and not any(word in stage for stage in stages
                                        for word in ("Downloading", "Loading")), stages
    assert stages[1].startswith("Unpacking the Python runtime") and stages[2].startswith("Unpacking numpy")
    assert "nothing is downloaded" in stages[0]
    wait_status(page, "paused")  # the run of the address
    page.click("#copy-link")
    page.wait_for_function("document.getElementById('message').textContent.includes('this computer')")
    said = page.text_content("#message")
    assert "the run on screen (K = 4, seed 7)" in said and "file://" in said
    assert "This address only works on this computer" in said
    assert "send the file K-Means offline.html too, and add ?k=4&seed=7&speed=16 to its address" in said


# ---------------------------------------------------------------- the served page's worker
# Predicates are functions, not strings: under the page's strict policy a string is eval'd.
READY = "() => document.documentElement.dataset.ready !== undefined"
KEPT = "() => document.documentElement.dataset.offline === 'ready'"
# With no network the test server's trace beacon (./__trace__, tests only) cannot be sent.
NO_NETWORK = "net::ERR_INTERNET_DISCONNECTED"


@pytest.fixture
def fresh(browser):
    """fresh(url) -> (context, page, problems): a new profile (no worker, no cache), the page
    opened at `url` and ready. Fails the test on console errors, page errors and requests off
    the page's origin."""
    opened = []

    def _open(url: str):
        context = browser.new_context(viewport=VIEWPORT)
        page = context.new_page()
        problems = PageProblems(page, "/".join(url.split("/")[:3]) + "/")
        opened.append((context, problems))
        page.goto(url)
        ready(page)
        return context, page, problems

    yield _open
    for context, problems in opened:
        context.close()
        assert not problems.unexpected(), f"errors in the page: {problems.unexpected()}"
        assert not problems.off_origin, f"requests left the page's origin: {problems.off_origin}"


def ready(page) -> None:
    page.wait_for_function(READY, timeout=READY_TIMEOUT_MS)
    assert page.evaluate("() => document.documentElement.dataset.ready") == "true", \
        page.evaluate("() => window.kmeans.snapshot()")


def kept(page) -> list[str]:
    """Wait until a service worker holds the page's files; return the names of its caches (the
    memory snapshot's, site/pyodide-snapshot.mjs, are not the worker's)."""
    page.wait_for_function(KEPT, timeout=READY_TIMEOUT_MS)
    return [n for n in page.evaluate("() => caches.keys()") if not n.startswith("kmeans-anim-snapshot ")]


def test_after_one_visit_the_page_opens_and_runs_offline(fresh, sub_path_url):
    context, page, problems = fresh(sub_path_url + "?speed=16&seed=5&k=4")
    wait_status(page, "paused")  # the run of the address
    first = snapshot(page)
    names = kept(page)
    assert len(names) == 1 and sub_path_url in names[0]  # one cache, of this page's folder
    context.set_offline(True)
    problems.expect_errors(NO_NETWORK)
    page.reload()
    ready(page)
    assert page.evaluate("() => navigator.serviceWorker.controller !== null")
    wait_status(page, "paused")
    again = snapshot(page)
    assert again["points"] == first["points"] and again["seed"] == 5
    page.click("#go")
    done = wait_done(page, again["run_id"] + 1)
    assert_consistent(done)
    assert done["params"]["k"] == 4


@pytest.fixture
def own_dist(dist, tmp_path):
    """A copy of dist/ (without the single file) served under the page's strict policy, so a
    test can publish a new build of it: (folder, url)."""
    folder = tmp_path / "site"
    shutil.copytree(dist, folder, ignore=shutil.ignore_patterns("kmeans-anim.html"))
    server = build.make_server(0, "/", directory=folder, csp=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield folder, server.url
    server.shutdown()


def publish_new_build(folder) -> str:
    """Change the page and one of its files (same size: boot.js knows every file's size), and
    write the worker again as the build does; return the new build's digest."""
    index = folder / "index.html"
    index.write_text(index.read_text().replace("<title>K-Means", "<title>K-MEANS"))
    style = folder / "style.css"
    text = style.read_text()
    assert text.startswith("/*"), "the test marks style.css in its first comment"
    style.write_text("/*NEW" + text[5:])
    shutil.copyfile(SITE / "sw.js", folder / "sw.js")
    return write_worker(folder)


def test_a_new_build_replaces_the_kept_files(fresh, own_dist):
    folder, url = own_dist
    context, page, problems = fresh(url)
    old = kept(page)
    assert len(old) == 1
    new_build = publish_new_build(folder)
    # The page comes from the network: the new page at once, with its own files.
    page.reload()
    ready(page)
    assert page.title().startswith("K-MEANS")
    # The new worker keeps the new build and deletes the old one's cache.
    page.evaluate("() => { const look = () => caches.keys().then(names => {"
                  " window.__caches = names.filter(n => !n.startsWith('kmeans-anim-snapshot '));"
                  " requestAnimationFrame(look); }); look(); }")
    page.wait_for_function("build => window.__caches && window.__caches.length === 1 &&"
                           " window.__caches[0].endsWith(' ' + build)", arg=new_build,
                           timeout=READY_TIMEOUT_MS)
    context.set_offline(True)
    problems.expect_errors(NO_NETWORK)
    page.reload()
    ready(page)
    assert page.title().startswith("K-MEANS")
    assert page.evaluate("() => fetch('./style.css').then(r => r.text())").startswith("/*NEW")
    page.click("#go")
    assert_consistent(wait_done(page))


# ---------------------------------------------------------------- the memory snapshot
SNAPSHOT = "() => document.documentElement.dataset.snapshot"


def wait_snapshot(page, *states: str) -> str:
    """Wait until <html data-snapshot> is one of `states`; return it."""
    page.wait_for_function(f"states => states.includes(({SNAPSHOT})())", arg=list(states),
                           timeout=READY_TIMEOUT_MS)
    return page.evaluate(SNAPSHOT)


def seeded_run_pixels(page):
    wait_status(page, "paused")  # the run of the address
    run = snapshot(page)["run_id"]
    page.click("#go")
    result = wait_done(page, run + 1)
    assert_consistent(result)
    return result, canvas_pixels(page)


def test_a_return_visit_from_the_memory_snapshot_draws_the_same_pixels(fresh, own_dist):
    folder, url = own_dist
    context, page, problems = second_visit(fresh, url + "?speed=16&seed=5&k=4")
    assert page.evaluate(SNAPSHOT) in ("waiting", "making", "made")  # it started without one
    plain, plain_pixels = seeded_run_pixels(page)
    assert wait_snapshot(page, "made", "failed") == "made", page.evaluate("() => window.kmeansSnapshot.status")
    page.reload()
    ready(page)
    assert page.evaluate(SNAPSHOT) == "used", page.evaluate("() => window.kmeansSnapshot.status")
    again, again_pixels = seeded_run_pixels(page)
    assert again["points"] == plain["points"] and again["centroids"] == plain["centroids"]
    assert again_pixels.shape == plain_pixels.shape and (again_pixels == plain_pixels).all()


def test_a_snapshot_that_does_not_match_is_dropped_and_the_page_starts_without_it(fresh, own_dist):
    folder, url = own_dist
    context, page, problems = second_visit(fresh, url + "?speed=16&seed=5&k=4")
    assert wait_snapshot(page, "made", "failed") == "made"
    # The function table it recorded is one entry longer than any restore can make it.
    page.evaluate("""async () => {
        for (const name of await caches.keys()) {
            if (!name.startsWith('kmeans-anim-snapshot ')) continue;
            const cache = await caches.open(name);
            const key = (await cache.keys()).find(r => r.url.endsWith('/meta'));
            const meta = await (await cache.match(key)).json();
            meta.tableLength += 1;
            await cache.put(key, new Response(JSON.stringify(meta)));
        }
    }""")
    page.reload()
    ready(page)
    assert page.evaluate(SNAPSHOT) == "dropped"
    assert "function table" in page.evaluate("() => window.kmeansSnapshot.status.error")
    assert not [n for n in page.evaluate("() => caches.keys()") if n.startswith("kmeans-anim-snapshot ")]
    wait_status(page, "paused")
    run = snapshot(page)["run_id"]
    page.click("#go")
    assert_consistent(wait_done(page, run + 1))


def second_visit(fresh, url):
    """A first visit (the worker is not serving it: it makes no snapshot), then the page served
    by the worker, which makes its snapshot once ready and idle: (context, page, problems)."""
    context, page, problems = fresh(url)
    kept(page)
    assert page.evaluate(SNAPSHOT) is None
    page.reload()
    ready(page)
    return context, page, problems


def test_a_snapshot_is_made_from_the_workers_files_even_offline(fresh, own_dist):
    folder, url = own_dist
    context, page, problems = second_visit(fresh, url)
    wait_snapshot(page, "making", "made", "failed")
    context.set_offline(True)
    problems.expect_errors(NO_NETWORK)
    assert wait_snapshot(page, "made", "failed") == "made"
    page.reload()
    ready(page)
    assert page.evaluate(SNAPSHOT) == "used"


def test_single_file_registers_no_worker(browser, base_url):
    """Served over http like any file (uploaded to a web host): it still keeps nothing."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.add_init_script("(() => { const sw = navigator.serviceWorker; if (sw) sw.register ="
                             " (...args) => { window.__registered = args; return new Promise(() => {}); }; })()")
        page.goto(base_url + "kmeans-anim.html")
        ready(page)  # boot.js registers (or not) as it sets data-ready
        assert page.evaluate("() => window.__registered === undefined")
        assert page.evaluate("() => document.documentElement.dataset.offline") is None
    finally:
        context.close()
