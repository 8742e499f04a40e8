"""The smoke set in Firefox ESR and WebKitGTK (Safari's engine), each test once per engine:
load to a clickable GO, GO to done, RETRY, step both ways, regions, place by hand, PNG and CSV
downloads, 100,000 points, the single file over file://, and a return visit started from the
memory snapshot. The rest of the suite runs in
Chromium only (tests/e2e); these drive the other two engines over WebDriver (drivers.py).

A console error, an uncaught error or a request off the page's origin fails the test in either
engine. An engine missing on a developer's machine skips its tests with the reason; under CI
(CI=true) it fails them.
Every wait is on a state the page exposes (data-ready, data-status, data-run, the snapshot).
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import struct
from pathlib import Path

import numpy as np
import pytest
from drivers import ENGINES, Browser, missing, png_data_url_bytes

pytestmark = pytest.mark.engines

IN_CI = os.environ.get("CI", "").lower() in ("true", "1", "yes")


@pytest.fixture(scope="module", params=ENGINES)
def engine_browser(request, tmp_path_factory, dist):
    """One browser per engine for this module (pytest groups the tests by engine); closed
    before the rest of the suite runs."""
    reason = missing(request.param)
    if reason:
        if IN_CI:
            pytest.fail(f"{request.param} cannot run, and CI must test every engine: {reason}")
        pytest.skip(f"{request.param} is not on this machine: {reason}")
    browser = Browser(request.param, tmp_path_factory.mktemp(f"downloads-{request.param}"))
    yield browser
    browser.quit()


@pytest.fixture
def engine(engine_browser):
    """The engine's browser; fails the test on any console error or uncaught error it saw, or
    a request of its last page that left the page's origin."""
    engine_browser.clear_errors()
    yield engine_browser
    errors = engine_browser.errors()
    assert not errors, f"errors in the page ({engine_browser.engine}): {errors}"
    off = engine_browser.off_origin()
    assert not off, f"requests left the page's origin ({engine_browser.engine}): {off}"


@pytest.fixture
def started(engine, base_url):
    """The engine's browser on the served page, started (one fresh load per test keeps the
    tests independent; the HTTP cache makes it a warm one)."""
    engine.open(base_url + "?speed=16&seed=11")
    return engine


def run_to_end(b: Browser, button: str = "#go") -> dict:
    run_id = b.press_go(button)
    b.wait_status("done", run_id)
    return b.snapshot()


def canvas_rgb(b: Browser) -> np.ndarray:
    """The plot canvas's pixels (height, width, 3), read through toDataURL."""
    from PIL import Image
    url = b.js("return document.getElementById('plot').toDataURL('image/png')")
    return np.asarray(Image.open(io.BytesIO(png_data_url_bytes(url))).convert("RGB"))


def plot_xy(s: dict, fx: float, fy: float) -> tuple[list[float], tuple[float, float]]:
    """The data point at fractions (fx, fy) of the axes, and where it is in CSS px from the
    canvas's top left (from the snapshot's axes)."""
    (x0, x1), (y0, y1) = s["axes"]["xlim"], s["axes"]["ylim"]
    left, top, width, height = s["axes"]["box"]
    return ([x0 + fx * (x1 - x0), y0 + fy * (y1 - y0)],
            (left + fx * width, top + (1 - fy) * height))


# ------------------------------------------------------------------------------- the runs


def test_go_retry_and_steps_both_ways(started):
    b = started
    first = run_to_end(b)
    assert first["status"] == "done" and first["attempt"] == 0 and first["iteration"] >= 1
    assert len(first["centroids"]) == 3 and len(first["labels"]) == first["n_points"] == 150
    assert b.js("return document.getElementById('go').disabled") is False

    again = run_to_end(b, "#retry")
    assert again["attempt"] == 1 and again["points"] == first["points"]
    assert again["initial_centroids"] != first["initial_centroids"]

    end = again["step_index"]
    b.click("#step-back")
    back = b.snapshot(points=False)
    assert back["step_index"] == end - 1 and back["status"] == "paused"
    b.click("#step-forward")
    forward = b.snapshot(points=False)
    assert forward["step_index"] == end and forward["status"] == "done"
    assert forward["centroids"] == again["centroids"]


def test_regions_shade_the_plot(started):
    b = started
    s = run_to_end(b)
    plain = canvas_rgb(b)
    b.click("#regions")
    assert b.snapshot(points=False)["params"]["regions"] == 1
    shaded = canvas_rgb(b)
    left, top, width, height = (round(v * plain.shape[1] / b.js(
        "return document.getElementById('plot').getBoundingClientRect().width")) for v in s["axes"]["box"])
    box = (slice(top, top + height), slice(left, left + width))
    changed = (np.abs(shaded[box].astype(int) - plain[box].astype(int)).max(axis=-1) > 8).mean()
    assert changed > 0.5, f"only {changed:.0%} of the plot was shaded"
    b.click("#regions")
    assert np.array_equal(canvas_rgb(b), plain)


def test_centroids_placed_by_hand_with_real_clicks(engine, base_url):
    b = engine
    b.open(base_url + "?speed=16&seed=7&k=3&init=manual")
    run_id = b.press_go()
    b.wait_status("placing", run_id)
    s = b.snapshot(points=False)
    assert s["to_place"] == 3 and s["placed"] == []
    targets = [plot_xy(s, *f) for f in ((0.2, 0.3), (0.7, 0.8), (0.5, 0.15))]
    for _, (x, y) in targets:
        b.click_canvas_at(x, y)
    b.wait_status("done")  # the last click starts the run under a new run number
    done = b.snapshot(points=False)
    (x0, x1), width = done["axes"]["xlim"], done["axes"]["box"][2]
    per_px = (x1 - x0) / width
    start = np.array(done["initial_centroids"])
    # WebDriver clicks land on whole CSS pixels: within one and a half pixels of the aim
    assert np.abs(start - np.array([xy for xy, _ in targets])).max() <= 1.5 * per_px


# ------------------------------------------------------------------------------- the files


def downloaded(b: Browser, name: str) -> Path:
    """Wait until the browser has finished writing `name` into its download folder."""
    path = b.downloads / name
    from selenium.webdriver.support.ui import WebDriverWait
    WebDriverWait(b.driver, 60, poll_frequency=0.1).until(
        lambda _: path.exists() and path.stat().st_size > 0
        and not any(p.name.startswith(name) and p != path for p in b.downloads.iterdir()),
        message=f"{b.engine}: {name} never arrived in {b.downloads}: {sorted(p.name for p in b.downloads.iterdir())}")
    return path


def test_png_and_csv_downloads(started):
    b = started
    s = run_to_end(b)
    for old in b.downloads.iterdir():
        old.unlink()
    b.click("#save > summary")
    b.click("#save-png")
    name = f"kmeans-seed{s['seed']}.png"
    png = downloaded(b, name).read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    # The size the page says it saved: twice the canvas's backing store at the click (opening
    # "Save and share" may bring a scroll bar, and the canvas then fits the narrower page).
    assert f"Saved {name} ({width} × {height} pixels)." == b.text("#export-note")
    assert width >= 1000 and abs(width / height - 1.25) < 0.01

    b.click("#save-csv")
    rows = list(csv.DictReader(io.StringIO(downloaded(b, f"kmeans-seed{s['seed']}.csv").read_text())))
    points = [r for r in rows if r["kind"] == "point"]
    centroids = [r for r in rows if r["kind"] == "centroid"]
    assert len(points) == s["n_points"] and len(centroids) == len(s["centroids"])
    assert [[float(r["x"]), float(r["y"])] for r in points] == s["points"]
    assert [int(r["cluster"]) for r in points] == s["labels"]


# ------------------------------------------------------------------------------- big and alone


def test_hundred_thousand_points(engine, base_url):
    b = engine
    b.open(base_url + "?n=100000&k=5&seed=3&speed=16")
    s = run_to_end(b)
    assert s["n_points"] == 100_000 and len(s["labels"]) == 100_000 and len(s["centroids"]) == 5


def test_single_file_over_file_url(engine, dist, tmp_path):
    b = engine
    alone = tmp_path / "K-Means offline.html"
    shutil.copyfile(dist / "kmeans-anim.html", alone)
    b.open(alone.as_uri() + "?seed=5&speed=16")
    s = run_to_end(b)
    assert s["status"] == "done" and s["n_points"] == 150 and s["seed"] == 5


SNAPSHOT_STATE = "return document.documentElement.dataset.snapshot || null"
SNAPSHOT_STATUS = "return JSON.stringify(window.kmeansSnapshot.status)"
DROP_SNAPSHOTS = ("return caches.keys().then(names => Promise.all(names.filter(n => "
                  "n.startsWith('kmeans-anim-snapshot ')).map(n => caches.delete(n))))")


def test_a_return_visit_starts_from_the_memory_snapshot(engine, base_url):
    """Python restored from the snapshot this browser made (site/pyodide-snapshot.mjs) reruns a
    seeded run exactly as a Python started from scratch did."""
    b = engine
    url = base_url + "?seed=4&k=4&speed=16"
    b.open(url)
    b.wait("return document.documentElement.dataset.offline === 'ready'")
    b.js(DROP_SNAPSHOTS)  # one an earlier test's pages made: the next start is from scratch
    b.open(url)  # served by the worker: it makes a snapshot once nobody uses the page
    assert b.js("return navigator.serviceWorker.controller !== null")
    assert b.js(SNAPSHOT_STATE) in ("waiting", "making"), b.js(SNAPSHOT_STATUS)
    plain = run_to_end(b)
    made = b.wait("const s = document.documentElement.dataset.snapshot; "
                  "return ['made', 'failed'].includes(s) && s", timeout=180)
    assert made == "made", b.js(SNAPSHOT_STATUS)
    b.open(url)
    assert b.js(SNAPSHOT_STATE) == "used", b.js(SNAPSHOT_STATUS)
    again = run_to_end(b)
    assert again["points"] == plain["points"] and again["labels"] == plain["labels"]
    assert again["centroids"] == plain["centroids"] and again["final"] == plain["final"]


# ------------------------------------------------------------------------------- the net itself


def test_an_error_in_the_page_would_fail_the_test(started):
    """The error net works in this engine: a console.error, an uncaught error and an unhandled
    rejection made in the page all reach `errors()` (which the `engine` fixture asserts empty)."""
    b = started
    b.js("console.error('smoke: console'); setTimeout(() => { throw new Error('smoke: thrown'); });"
         " Promise.reject(new Error('smoke: rejected'));")
    from selenium.webdriver.support.ui import WebDriverWait
    seen = WebDriverWait(b.driver, 30, poll_frequency=0.1).until(
        lambda _: (lambda e: e if sum("smoke:" in x for x in e) >= 3 else None)(b.errors()),
        message=f"{b.engine}: the error net missed some of three errors: {b.errors()}")
    assert any("smoke: console" in e for e in seen) and any("smoke: thrown" in e for e in seen)
    assert any("smoke: rejected" in e for e in seen)
    b.clear_errors()
