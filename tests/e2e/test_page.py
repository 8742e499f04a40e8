"""The page at parity with the notebook, driven in headless Chromium against dist/."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import (animation_frames, canvas_colours, centroids_every_frame, press_go, set_controls,
                      snapshot, wait_done, wait_playing)

FAST = "?speed=16"  # 4x animation: same frames and steps, less waiting


def nearest(points: np.ndarray, centroids: np.ndarray) -> np.ndarray:
    d = ((points[:, None, :] - centroids[None, :, :]) ** 2).sum(axis=2)
    return d.argmin(axis=1)


def assert_consistent(s: dict) -> None:
    """What a finished run must satisfy, read back from the page."""
    points = np.array(s["points"])
    labels = np.array(s["labels"])
    centroids = np.array(s["centroids"])
    assert labels.shape == (s["params"]["n"],)
    assert centroids.shape == (s["params"]["k"], 2)
    assert np.isfinite(centroids).all()
    # Every point is coloured by its nearest centroid.
    np.testing.assert_array_equal(labels, nearest(points, centroids))
    if s["final"]["stop_reason"] == "converged":
        # ... and every centroid sits at the mean of its cluster.
        for j in range(len(centroids)):
            if (labels == j).any():
                np.testing.assert_allclose(centroids[j], points[labels == j].mean(axis=0), atol=1e-9)
    assert s["iteration"] == s["final"]["n_iter"]
    assert s["iteration_label"] == f"Iterations: {s['final']['n_iter']}"
    assert 1 <= s["final"]["n_iter"] <= s["params"]["max_iter"]


SLIDERS = [("n", "20", "300", "10", "150", "150"), ("k", "2", "10", "1", "3", "3"),
           ("std", "0.5", "3", "0.1", "0.8", "0.80")]


def test_first_sight_is_the_notebooks(open_page):
    page, _ = open_page()
    for control, lo, hi, step, value, shown in SLIDERS:
        slider = page.locator(f"#{control}")
        assert [slider.get_attribute(a) for a in ("min", "max", "step")] == [lo, hi, step]
        assert slider.input_value() == value and slider.is_enabled()
        assert page.text_content(f"#{control}-value") == shown
    assert page.is_enabled("#go") and page.text_content("#go") == "GO"
    assert page.is_disabled("#retry") and page.text_content("#retry") == "RETRY"
    assert page.text_content("#iter").strip() == "Iterations:"
    s = snapshot(page)
    assert s["status"] == "ready" and s["points"] is None
    assert page.is_hidden("#loading")
    # Moving a slider updates the number shown beside it and the parameters used.
    for control, lo, hi, step, value, shown in SLIDERS:
        page.locator(f"#{control}").fill(hi)
        assert page.text_content(f"#{control}-value") == (f"{float(hi):.2f}" if control == "std" else hi)
        assert snapshot(page)["params"][control] == float(hi)


def test_python_runs_without_a_second_webassembly_stack(warm_page):
    # boot.js hides JSPI before Pyodide starts: with it, Chromium's GWP-ASan sampler crashed
    # the tab (benchmarks/bench_crash_soak.py). The page still runs a whole run without it.
    page = warm_page
    assert page.evaluate("['Suspending', 'Suspender', 'promising']"
                         ".filter((name) => name in WebAssembly)") == []
    set_controls(page, seed=3, k="3")
    assert wait_done(page, run_id=press_go(page))["final"]["n_iter"] >= 1


def test_go_animates_lloyd_to_a_consistent_end(warm_page):
    page = warm_page
    set_controls(page, seed=11)
    s = wait_done(page, run_id=press_go(page))
    assert_consistent(s)
    points, true_labels = np.array(s["points"]), np.array(s["true_labels"])
    assert points.shape == (150, 2)
    # K blobs split as evenly as possible (make_blobs), centres within [-10, 10]^2 plus spread.
    assert sorted(np.bincount(true_labels)) == [50, 50, 50]
    # The initial centroids are K distinct data points.
    init = np.array(s["initial_centroids"])
    assert len({tuple(c) for c in init}) == 3
    assert all((points == c).all(axis=1).any() for c in init)
    # History: initial centroids then one entry per update step.
    assert len(s["history"]) == 1 + s["final"]["n_iter"]
    assert page.is_enabled("#retry")


def test_canvas_shows_the_clusters_in_category10(warm_page):
    set_controls(warm_page, seed=3)
    wait_done(warm_page, run_id=press_go(warm_page))
    colours = canvas_colours(warm_page)
    for rgb in ("31,119,180", "255,127,14", "44,160,44"):  # category10: blue, orange, green
        assert colours.get(rgb, 0) > 200, f"cluster colour {rgb} barely on the canvas"


def test_retry_keeps_points_and_changes_initial_centroids(warm_page):
    page = warm_page
    set_controls(page, seed=5)
    first = wait_done(page, run_id=press_go(page))
    second = wait_done(page, run_id=press_go(page, "#retry"))
    assert second["points"] == first["points"]
    assert second["initial_centroids"] != first["initial_centroids"]
    assert second["attempt"] == first["attempt"] + 1
    assert_consistent(second)


def test_repeated_go_mid_run_never_runs_two_loops(warm_page):
    page = warm_page
    set_controls(page, speed="0.5")
    first = snapshot(page)["run_id"] + 1
    for i in range(5):
        run_id = press_go(page)
        if i % 2 == 0 and i < 4:  # the next GO stops a playing run; the others, a starting one
            wait_playing(page, run_id)
    assert run_id == first + 4
    s = wait_done(page, run_id=first + 4, timeout_ms=90_000)
    assert s["max_concurrent_loops"] == 1
    assert_consistent(s)


def test_centroids_glide_between_positions(warm_page):
    page = warm_page
    set_controls(page, seed=11, speed="1")
    run_id = press_go(page)
    samples = [np.array(c) for c in centroids_every_frame(page, run_id)]
    s = snapshot(page)
    history = [np.array(h) for h in s["history"]]
    assert len(history) >= 2, "the run needs at least one move to show motion"
    between = [c for c in samples
               if not any(np.allclose(c, h) for h in history)]
    assert between, "centroids jumped from position to position without in-between frames"


def test_page_works_under_a_sub_path(open_page, sub_path_url):
    page, problems = open_page(FAST, url=sub_path_url)
    assert_consistent(wait_done(page, run_id=press_go(page)))


def test_bad_url_parameters_are_clamped_with_a_message(open_page):
    page, _ = open_page("?n=5000000&k=abc&std=0.05")
    assert page.input_value("#n-number") == "1000000"
    assert page.input_value("#k") == "3"
    assert page.input_value("#std") == "0.5"
    message = page.text_content("#message")
    assert page.is_visible("#message")
    assert "points: 5000000 is above the maximum 1000000" in message
    assert "'abc' is not a number" in message


def test_no_python_stderr_or_error_box_in_the_page(warm_page):
    set_controls(warm_page)
    wait_done(warm_page, run_id=press_go(warm_page))
    # PyScript paints Python stderr and tracebacks into the page; none may appear.
    assert warm_page.locator(".py-error, py-terminal").count() == 0
    assert "Traceback" not in warm_page.inner_text("body")
    assert "font cache" not in warm_page.inner_text("body")


def test_a_phone_gets_a_sharp_figure_that_fits_and_works(open_page):
    page, _ = open_page(FAST, viewport={"width": 390, "height": 844}, device_scale_factor=3)
    size = page.evaluate("""() => { const c = document.getElementById('plot');
        const r = c.getBoundingClientRect(); return [c.width, c.height, r.width, r.height]; }""")
    assert size[0] == round(size[2] * 3) and size[1] == round(size[2] * 0.8 * 3)  # HiDPI backing
    assert size[2] <= 390
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scroll
    s = wait_done(page, run_id=press_go(page))  # still usable
    assert_consistent(s)
    assert page.is_enabled("#retry")


def test_pause_freezes_and_steps_walk_half_steps(warm_page):
    page = warm_page
    set_controls(page, seed=11, speed="0.5")
    run_id = press_go(page)
    wait_playing(page, run_id, step_index=1)
    page.click("#play")  # pause
    paused = snapshot(page)
    assert paused["status"] == "paused" and page.text_content("#play") == "play"
    animation_frames(page, 30)
    still = snapshot(page)
    assert still["centroids"] == paused["centroids"] and still["step_index"] == paused["step_index"]
    kinds = {"init": "start", "assign": "assignment", "update": "update"}
    step = paused["steps"][paused["step_index"]]
    assert kinds[step["kind"]] in page.text_content("#status").split(":")[0]  # says what is shown
    page.click("#step-forward")
    after = snapshot(page)
    step = after["steps"][after["step_index"]]
    assert kinds[step["kind"]] in page.text_content("#status").split(":")[0]
    assert after["step_index"] == paused["step_index"] + 1 and after["status"] == "paused"
    # A step lands on a half-step: the shown centroids are a recorded position, not a blend.
    assert any(np.allclose(after["centroids"], h) for h in after["history"])
    page.click("#step-back")
    page.click("#step-back")
    assert snapshot(page)["step_index"] == paused["step_index"] - 1
    # Keyboard: space plays, and the run finishes consistently.
    page.evaluate("document.activeElement.blur()")  # keys go to the page, not a button
    page.select_option("#speed", "16")
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press(" ")
    s = wait_done(page, run_id=run_id)
    assert_consistent(s)
    assert page.text_content("#play") == "replay"
    page.keyboard.press("ArrowLeft")  # stepping back from the end still works
    assert snapshot(page)["status"] == "paused"
