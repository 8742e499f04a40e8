"""Every viewer (dark mode, reduced motion, a projector, colour-blind shapes) and taking the run
away (PNG, CSV, GIF, Copy as Python), checked in the files themselves."""

from __future__ import annotations

import csv
import io
import subprocess
import sys

import numpy as np
from conftest import canvas_pixels, centroids_every_frame, press_go, set_controls, snapshot, wait_done
from PIL import Image


def test_dark_mode_follows_the_system_figure_included(open_page):
    page, _ = open_page("?speed=16&seed=3", color_scheme="dark")
    body = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert body == "rgb(23, 25, 29)"
    s = wait_done(page, run_id=press_go(page))
    img = canvas_pixels(page)
    assert img[4, 4, :3].max() < 40                       # the figure is dark too
    assert s["params"]["theme"] == "auto"
    page.select_option("#theme", "light")                 # the page's own setting wins
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(255, 255, 255)"
    assert canvas_pixels(page)[4, 4, :3].min() == 255


def test_reduced_motion_jumps_instead_of_gliding(open_page):
    page, _ = open_page("?seed=11", reduced_motion="reduce")
    samples = [np.array(c) for c in centroids_every_frame(page, press_go(page))]
    history = [np.array(h) for h in snapshot(page)["history"]]
    assert len(history) >= 3 and samples
    assert all(any(np.allclose(c, h) for h in history) for c in samples), "a centroid glided"


def test_a_projector_gets_a_big_figure_and_big_text(open_page):
    page, _ = open_page(viewport={"width": 1920, "height": 1080})
    height = page.evaluate("document.getElementById('plot').getBoundingClientRect().height")
    assert height >= 1000                                  # fills the height, no 800 px cap
    assert page.evaluate("document.documentElement.scrollWidth") <= 1920
    for selector in ("#status", "#iter", "#go", ".controls label"):
        size = page.eval_on_selector(selector, "e => parseFloat(getComputedStyle(e).fontSize)")
        assert size >= 18, (selector, size)
    page.click("#fullscreen")
    # The button is renamed by the page's fullscreenchange handler, after the browser's switch.
    page.wait_for_function("document.fullscreenElement !== null && "
                           "document.getElementById('fullscreen').textContent === 'exit full screen'")
    page.click("#fullscreen")
    page.wait_for_function("document.fullscreenElement === null && "
                           "document.getElementById('fullscreen').textContent === 'full screen'")


def test_shapes_for_colour_blind_viewers_change_the_markers(warm_page):
    page = warm_page
    set_controls(page, seed=15, k="5")
    wait_done(page, run_id=press_go(page))
    plain = canvas_pixels(page)
    page.check("#shapes")
    shaped = canvas_pixels(page)
    assert snapshot(page)["params"]["shapes"] == 1
    assert (np.abs(shaped.astype(int) - plain.astype(int)).max(axis=-1) > 60).sum() > 300
    page.uncheck("#shapes")
    assert np.array_equal(canvas_pixels(page), plain)


def open_save(page):
    if not page.evaluate("document.getElementById('save').open"):
        page.click("#save > summary")


def test_png_is_the_frame_at_twice_the_resolution(warm_page, tmp_path):
    page = warm_page
    set_controls(page, seed=16, k="3")
    s = wait_done(page, run_id=press_go(page))
    open_save(page)
    with page.expect_download() as info:
        page.click("#save-png")
    path = tmp_path / "frame.png"
    info.value.save_as(path)
    assert info.value.suggested_filename == f"kmeans-seed{s['seed']}.png"
    image = np.asarray(Image.open(path).convert("RGB"))
    width, height = page.evaluate("[document.getElementById('plot').width, document.getElementById('plot').height]")
    assert image.shape[:2] == (2 * height, 2 * width)
    # each centroid is where the page shows it, in its colour
    ratio = 2 * width / page.evaluate("document.getElementById('plot').getBoundingClientRect().width")
    (x0, x1), (y0, y1) = s["axes"]["xlim"], s["axes"]["ylim"]
    left, top, w, h = s["axes"]["box"]
    palette = [(31, 119, 180), (255, 127, 14), (44, 160, 44)]
    for j, (x, y) in enumerate(s["centroids"]):
        col = (left + (x - x0) / (x1 - x0) * w) * ratio
        row = (top + h - (y - y0) / (y1 - y0) * h) * ratio
        assert np.abs(image[int(row), int(col)].astype(int) - palette[j]).max() <= 3
    # The PNG names its half-step in the plot's bottom right corner; the page's canvas (which
    # shows it beside the plot) has no such text there.
    corner = (slice(int((top + h - 22) * ratio), int((top + h - 4) * ratio)),
              slice(int((left + w / 2) * ratio), int((left + w - 4) * ratio)))
    canvas = np.repeat(np.repeat(canvas_pixels(page)[..., :3], 2, axis=0), 2, axis=1)
    dark_in_png = (image[corner].max(axis=-1) < 100).sum()
    dark_on_page = (canvas[corner].max(axis=-1) < 100).sum()
    assert dark_in_png > 4 * dark_on_page + 100, (dark_in_png, dark_on_page)


def test_csv_holds_every_point_and_the_centroids_on_screen(warm_page, tmp_path):
    page = warm_page
    set_controls(page, seed=17, k="4")
    s = wait_done(page, run_id=press_go(page))
    open_save(page)
    with page.expect_download() as info:
        page.click("#save-csv")
    rows = list(csv.DictReader(io.StringIO(info.value.path().read_text())))
    points = [r for r in rows if r["kind"] == "point"]
    centroids = [r for r in rows if r["kind"] == "centroid"]
    assert len(points) == s["n_points"] and len(centroids) == 4
    assert [[float(r["x"]), float(r["y"])] for r in points] == s["points"]
    assert [int(r["cluster"]) for r in points] == s["labels"]
    assert [int(r["true_cluster"]) for r in points] == s["true_labels"]
    assert [[float(r["x"]), float(r["y"])] for r in centroids] == s["centroids"]


def test_gif_of_the_whole_run_is_made_with_progress(warm_page, tmp_path):
    page = warm_page
    set_controls(page, seed=18, k="3")
    s = wait_done(page, run_id=press_go(page))
    open_save(page)
    page.evaluate("""() => { window.__notes = []; new MutationObserver(() =>
        window.__notes.push(document.getElementById('export-note').textContent))
        .observe(document.getElementById('export-note'), {childList: true, characterData: true, subtree: true}); }""")
    # The page's look goes into the GIF: lines to centroids, shapes, the dark theme.
    page.check("#links")
    page.check("#shapes")
    page.select_option("#theme", "dark")
    try:
        with page.expect_download(timeout=120_000) as info:
            page.click("#save-gif")
        notes = page.evaluate("window.__notes")
        assert any("%" in n for n in notes), notes       # progress was shown while it was made
        gif = Image.open(info.value.path())
        assert gif.format == "GIF" and gif.n_frames > 2 * s["final"]["n_iter"]
        assert gif.info.get("loop") == 0                  # loops forever
        assert gif.convert("RGB").getpixel((3, 3)) == (23, 25, 29)  # the dark figure
        page.wait_for_function(
            "document.getElementById('export-note').textContent.startsWith('Saved')")
    finally:
        page.uncheck("#links")
        page.uncheck("#shapes")
        page.select_option("#theme", "auto")


def test_copy_as_python_runs_in_cpython_and_prints_the_same_centroids(open_page, tmp_path):
    page, _ = open_page("?speed=16&seed=19&k=4&init=k-means%2B%2B&empty=farthest", own_profile=True)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    s = wait_done(page, run_id=press_go(page))
    open_save(page)
    page.click("#copy-python")
    page.wait_for_function("document.getElementById('export-note').textContent.includes('clipboard')")
    script = page.evaluate("navigator.clipboard.readText()")
    path = tmp_path / "kmeans_run.py"
    path.write_text(script)
    done = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    # It prints what its last comment says the page ended with, digit for digit.
    lines, out = script.splitlines(), done.stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("# The page ended with"))
    assert out == [line[4:] for line in lines[start + 1:]]
    printed = np.array([[float(v) for v in line.split()] for line in out[:-1]])
    np.testing.assert_allclose(printed, s["final"]["centroids"], rtol=1e-9, atol=1e-9)
    label, inertia = out[-1].split()
    assert label == "inertia"
    assert abs(float(inertia) - s["final"]["inertia"]) <= 1e-6 * s["final"]["inertia"]
