"""Every half-step shows what it says: walked with the step buttons from the start of seeded
runs, each paused half-step's picture (the snapshot and the canvas) is checked against Lloyd's
algorithm recomputed here from the run's first centroids; paused mid-glide, the label says so;
after a hand move, the numbers are those of the picture; nothing stale is left on screen; a
screen reader hears each half-step once."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import (canvas_pixels, data_to_device, press_go, set_controls, snapshot,
                      wait_done, wait_status)
from test_hands_on import drag, page_xy, units_per_px

from kmeans_anim.words.wording import inertia_value

# A centroid's marker (and its outline) lies within this many CSS px of its centre.
CENTROID_REACH_PX = 24


def lloyd_states(points: np.ndarray, initial: np.ndarray, kinds: list[str]):
    """(labels, centroids) after each recorded half-step, recomputed from the first centroids
    with the plain textbook rules (nearest centroid, lowest index on a tie; mean of the
    cluster; an empty cluster keeps its centroid)."""
    labels = np.full(len(points), -1)
    centroids = initial.copy()
    states = [(labels, centroids)]
    for kind in kinds[1:]:
        if kind == "assign":
            d = ((points[:, None, :] - centroids[None]) ** 2).sum(axis=2)
            labels = d.argmin(axis=1)
        elif kind == "update":
            centroids = centroids.copy()
            for j in range(len(centroids)):
                if (labels == j).any():
                    centroids[j] = points[labels == j].mean(axis=0)
        else:
            raise AssertionError(f"unexpected half-step {kind!r} in a run nobody touched")
        states.append((labels, centroids))
    return states


def wait_branch_done(page) -> dict:
    """Wait until the run on screen has a hand move, has gone on from it and has ended."""
    page.wait_for_function("""() => { const s = window.kmeans.snapshot({points: false});
        const move = s.steps ? s.steps.map(st => st.kind).lastIndexOf('move') : -1;
        return s.status === 'done' && move >= 0 && move < s.steps.length - 1; }""")
    return snapshot(page)


def finish_run(page, **controls) -> dict:
    """A seeded run with only the points and centroids drawn (no rings, lines, regions or
    paths), played to its end at 16x; returns the snapshot of the end."""
    set_controls(page, **controls)
    page.set_checked("#changed", False)
    page.set_checked("#links", False)
    run_id = press_go(page)
    return wait_done(page, run_id=run_id)


def pause_at_start(page) -> None:
    page.focus("#scrubber")
    page.keyboard.press("Home")
    page.wait_for_function("window.kmeans.snapshot().step_index === 0")
    wait_status(page, "paused")


def changed_pixels(before: np.ndarray, after: np.ndarray) -> np.ndarray:
    """(row, col) of the canvas pixels that differ between two pictures."""
    return np.argwhere(np.abs(before[..., :3].astype(int) - after[..., :3].astype(int)).max(axis=2) > 8)


def near_any(pixels: np.ndarray, centres, reach: float) -> np.ndarray:
    """For each (row, col) pixel: lies within `reach` device pixels of one of the (col, row) centres."""
    centres = np.asarray(centres, float).reshape(-1, 2)
    d = np.hypot(pixels[:, 1, None] - centres[None, :, 0], pixels[:, 0, None] - centres[None, :, 1])
    return (d <= reach).any(axis=1)


@pytest.mark.parametrize("controls", [
    dict(dataset="blobs", k="4", seed=647075),
    dict(dataset="moons", k="3", seed=2024),
    dict(dataset="blobs", k="5", seed=31, init="k-means++"),
], ids=["blobs-random", "moons", "blobs-k-means++"])
def test_stepping_shows_each_half_step_as_lloyd_computes_it(warm_page, controls):
    page = warm_page
    end = finish_run(page, **controls)
    kinds = [st["kind"] for st in end["steps"]]
    # A k-means++ start is shown pick by pick (tests/e2e/test_init_steps.py): Lloyd's
    # algorithm starts at the last pick, which shows all the initial centroids.
    start = kinds.count("pick") - 1 if kinds[0] == "pick" else 0
    states = [None] * start + lloyd_states(np.array(end["points"]),
                                           np.array(end["initial_centroids"]), kinds[start:])
    pause_at_start(page)
    for index in range(1, start + 1):
        page.click("#step-forward")
        page.wait_for_function(f"window.kmeans.snapshot().step_index === {index}")
    ratio = page.evaluate("window.devicePixelRatio")
    picture = canvas_pixels(page)
    names = {"assign": "assignment", "update": "update"}
    for index in range(start + 1, len(kinds)):
        kind, iteration = kinds[index], end["steps"][index]["iteration"]
        assert page.text_content("#step-forward") == (
            "recolour points ▶" if kind == "assign" else "move centroids ▶")
        page.click("#step-forward")
        page.wait_for_function(f"window.kmeans.snapshot().step_index === {index}")
        s = snapshot(page)
        labels, centroids = states[index]
        assert s["status"] == ("done" if index == len(kinds) - 1 else "paused") and not s["moving"]
        np.testing.assert_array_equal(s["labels"], labels, err_msg=f"half-step {index + 1}")
        np.testing.assert_allclose(s["centroids"], centroids, rtol=1e-9, atol=1e-9,
                                   err_msg=f"half-step {index + 1}")
        label = f"half-step {index + 1} of {len(kinds)}: {names[kind]} {iteration}"
        assert page.text_content("#scrub-label") == label
        assert page.get_attribute("#scrubber", "aria-valuetext") == label
        status = page.text_content("#status")
        if index == len(kinds) - 1:   # the end: why the run stopped
            assert status.startswith(("converged", "stopped"))
        else:
            assert status.split(":")[0].endswith(names[kind]) or (
                index == start + 1 and status.startswith("first assignment"))
        before, picture = picture, canvas_pixels(page)
        if kind == "update":
            # The centroids moved on screen, and nothing else did: every changed pixel lies
            # near a centroid's old or new place.
            old, new = states[index - 1][1], centroids
            centres = [data_to_device(s, c, ratio) for c in (*old, *new)]
            changed = changed_pixels(before, picture)
            assert near_any(changed, centres, CENTROID_REACH_PX * ratio).all(), f"half-step {index + 1}"
            moved = np.hypot(*(np.array([data_to_device(s, c, ratio) for c in new])
                               - np.array([data_to_device(s, c, ratio) for c in old])).T)
            if moved.max() > 2:
                assert len(changed) > 0, f"half-step {index + 1}: the update drew nothing new"
    assert page.text_content("#step-forward") == "end of run ▶"


def catch_mid_glide(page, update_index: int) -> dict:
    """Play from the assignment before update `update_index` at the slowest speed and pause
    while its centroids glide. A pause lands wherever the clock is, so on a very busy machine
    the glide may end first: then try again (the page's state decides, not a timer)."""
    page.select_option("#speed", "0.25")
    for _ in range(6):
        page.focus("#scrubber")
        page.fill("#scrubber", str(update_index - 1))
        page.dispatch_event("#scrubber", "input")
        page.wait_for_function(f"window.kmeans.snapshot().step_index === {update_index - 1}")
        page.evaluate("document.activeElement.blur()")
        page.keyboard.press(" ")
        page.wait_for_function(f"window.kmeans.snapshot().step_index >= {update_index}")
        page.keyboard.press(" ")
        wait_status(page, "paused")
        s = snapshot(page)
        if s["moving"] and s["step_index"] == update_index:
            return s
    raise AssertionError("the glide was never caught under way (six tries)")


def test_paused_mid_glide_the_label_says_moving_and_the_steps_go_to_its_ends(warm_page):
    page = warm_page
    end = finish_run(page, dataset="blobs", k="4", seed=647075)
    update = [st["kind"] for st in end["steps"]].index("update")
    s = catch_mid_glide(page, update)
    label = page.text_content("#scrub-label")
    assert label.endswith(f"update {end['steps'][update]['iteration']}, moving")
    assert page.text_content("#step-forward") == "move centroids ▶"
    assert page.text_content("#step-back") == "◀ undo move"
    glide_from, glide_to = np.array(end["history"][0]), np.array(end["history"][1])
    # Under way: at neither end (a pause may land a hair before the end: exact comparison).
    assert not np.array_equal(s["centroids"], glide_from) and not np.array_equal(s["centroids"], glide_to)
    page.click("#step-forward")                       # ▶ completes the glide
    page.wait_for_function("!window.kmeans.snapshot().moving")
    after = snapshot(page)
    assert after["step_index"] == update
    np.testing.assert_allclose(after["centroids"], glide_to, rtol=1e-12)
    assert not page.text_content("#scrub-label").endswith("moving")
    catch_mid_glide(page, update)
    page.click("#step-back")                          # ◀ goes back to the assignment
    page.wait_for_function(f"window.kmeans.snapshot().step_index === {update - 1}")
    back = snapshot(page)
    np.testing.assert_allclose(back["centroids"], glide_from, rtol=1e-12)
    assert page.text_content("#scrub-label").endswith("assignment 1")
    page.select_option("#speed", "16")


def test_after_a_drag_the_numbers_are_those_of_the_picture(warm_page):
    page = warm_page
    end = finish_run(page, dataset="blobs", k="3", seed=77)
    update = [st["kind"] for st in end["steps"]].index("update")
    page.focus("#scrubber")
    page.fill("#scrubber", str(update))
    page.dispatch_event("#scrubber", "input")
    page.wait_for_function(f"window.kmeans.snapshot().step_index === {update}")
    s = snapshot(page)
    centroids = np.array(s["centroids"])
    target = centroids[1] * 0.5 + centroids[0] * 0.5      # between two clusters
    drag(page, page_xy(page, s, centroids[1]), page_xy(page, s, target))
    page.wait_for_function("window.kmeans.snapshot().steps.some(st => st.kind === 'move')")
    moved = snapshot(page)
    assert moved["steps"][moved["step_index"]]["kind"] == "move" and moved["status"] == "paused"
    points, labels = np.array(moved["points"]), np.array(moved["labels"])
    assert labels.tolist() == s["labels"]                 # the colours are still the old ones
    drawn = float(((points - np.array(moved["centroids"])[labels]) ** 2).sum())
    assert moved["steps"][moved["step_index"]]["inertia"] == pytest.approx(drawn, rel=1e-9)
    status = page.text_content("#status")
    assert f"inertia {drawn:.2f}" in status and "press play" in status
    assert page.text_content("#inertia-value") == inertia_value(drawn)


def test_a_centroid_dragged_after_the_end_plays_on_as_it_says(warm_page):
    page = warm_page
    end = finish_run(page, dataset="blobs", k="3", seed=78)
    centroids = np.array(end["centroids"])
    target = centroids[0] * 0.5 + centroids[2] * 0.5
    drag(page, page_xy(page, end, centroids[0]), page_xy(page, end, target))
    done = wait_branch_done(page)   # it went on from the move by itself, as it said
    assert done["steps"][-1]["kind"] in ("assign", "update")


def test_nothing_stale_when_placing_by_hand_and_after(warm_page):
    page = warm_page
    finish_run(page, dataset="blobs", k="3", seed=5)
    assert page.text_content("#scrub-label") != ""
    set_controls(page, init="manual", seed=6, k="2")
    wait_status(page, "placing", press_go(page))
    assert page.text_content("#scrub-label") == ""        # no half-step of the old run
    assert "keys: Tab to the plot, arrows, Enter" in page.text_content("#hint")
    page.focus("#plot")
    page.keyboard.press("Enter")
    assert page.is_visible("#cursor")
    page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("Enter")                           # the last one: the run starts
    wait_done(page)
    assert page.is_hidden("#cursor")                       # the cross went with the placing
    set_controls(page, init="random")


def test_a_refused_upload_leaves_the_run_on_screen(warm_page, tmp_path):
    page = warm_page
    set_controls(page, dataset="custom", k="2", seed=3)
    page.fill("#points-text", "0,0\n1,1\n5,5\n6,5\n5,6")
    page.dispatch_event("#points-text", "input")
    run_id = press_go(page)
    before = wait_done(page, run_id=run_id)
    bad = tmp_path / "bad.csv"
    bad.write_text("1,2\n3,oops\n")
    page.set_input_files("#points-file", str(bad))
    page.wait_for_function("document.getElementById('message').textContent.includes('cannot be used')")
    assert "Nothing was changed" in page.text_content("#message")
    after = snapshot(page)
    assert after["status"] == "done" and after["run_id"] == before["run_id"]
    assert after["labels"] == before["labels"] and after["centroids"] == before["centroids"]
    set_controls(page, dataset="blobs")


def test_a_screen_reader_hears_each_half_step_once_and_the_plot_is_described(warm_page):
    page = warm_page
    set_controls(page, dataset="blobs", k="4", seed=647075)
    page.evaluate("""() => {
        window.heard = [];
        new MutationObserver(() => window.heard.push(document.getElementById('announce').textContent))
            .observe(document.getElementById('announce'), {childList: true, characterData: true, subtree: true});
    }""")
    run_id = press_go(page)
    end = wait_done(page, run_id=run_id)
    heard = page.evaluate("window.heard")
    # One sentence per half-step shown while playing, and the end: never the same twice.
    assert len(heard) <= len(end["steps"]) + 1
    assert all(a != b for a, b in zip(heard, heard[1:]))
    assert heard[-1].split(". ", 1)[1].startswith(("converged", "stopped"))
    assert page.get_attribute("#status", "aria-live") is None
    description = page.text_content("#plot-description")
    sizes = np.bincount(np.array(end["labels"]), minlength=4)
    for j, size in enumerate(sizes):
        assert f"centroid {j + 1} (" in description and f"with {size} point" in description
    assert page.get_attribute("#plot", "aria-describedby") == "plot-description"


def test_a_centroid_picked_and_moved_by_keyboard_is_announced(warm_page):
    page = warm_page
    end = finish_run(page, dataset="blobs", k="3", seed=9)
    page.focus("#plot")
    page.keyboard.press("2")
    picked = page.text_content("#announce")
    x, y = np.array(end["centroids"])[1]
    assert picked.startswith(f"centroid 2 (orange) at ({x:.3g}, {y:.3g}) picked")
    page.keyboard.press("Shift+ArrowUp")
    said = page.text_content("#announce")
    assert said.startswith(f"centroid 2 (orange) at ({x:.3g}, ") and said != picked
    assert not said.endswith(f"{y:.3g})")
    page.keyboard.press("Escape")
    assert page.text_content("#announce").endswith("put back")


def test_after_a_hand_move_the_count_and_the_status_agree(warm_page):
    page = warm_page
    end = finish_run(page, dataset="blobs", k="4", seed=647075, max_iter="2")
    assert page.text_content("#status").startswith("stopped after 2 iterations, the maximum")
    centroids = np.array(end["centroids"])
    target = centroids[0] * 0.5 + centroids[1] * 0.5
    drag(page, page_xy(page, end, centroids[0]), page_xy(page, end, target))
    done = wait_branch_done(page)
    last = done["steps"][-1]["iteration"]
    assert page.text_content("#iter") == f"Iterations: {last}" and last == done["final"]["n_iter"]
    if done["final"]["stop_reason"] == "max_iter":
        assert page.text_content("#status").startswith(
            "stopped after 2 iterations since the last hand move, the maximum")
    set_controls(page, max_iter="10")


def test_no_half_step_is_named_once_the_run_is_gone(warm_page):
    page = warm_page
    finish_run(page, dataset="blobs", k="3", seed=12)
    assert page.text_content("#scrub-label").startswith("half-step")
    page.select_option("#dataset", "custom")
    page.locator("#points-text").fill("")
    page.dispatch_event("#points-text", "input")           # your own points, none yet: the run goes
    page.wait_for_function("document.documentElement.dataset.status === 'ready'")
    assert page.text_content("#scrub-label") == ""
    assert page.get_attribute("#scrubber", "aria-valuetext") is None
    assert page.text_content("#plot-description") == ""
    assert page.is_disabled("#step-forward") and page.text_content("#step-forward") == "step ▶"
    set_controls(page, dataset="blobs")
