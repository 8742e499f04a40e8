"""Hands on, through real pointer and keyboard events: place centroids, drag them, click points
in and out, walk the run with the scrubber, see it at a glance."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import canvas_pixels, press_go, set_controls, snapshot, state_after, wait_done, wait_status

from kmeans_anim.core.params import Params
from kmeans_anim.core.session import Session
from kmeans_anim.words.wording import inertia_value


def page_xy(page, s: dict, xy) -> tuple[float, float]:
    """Viewport position (CSS px) of the data point xy, from the snapshot's axes and the
    canvas's place on the page (scrolled into view first: a mouse only reaches what is shown)."""
    page.locator("#plot").scroll_into_view_if_needed()
    rect = page.eval_on_selector("#plot", "c => { const r = c.getBoundingClientRect(); return [r.left, r.top]; }")
    (x0, x1), (y0, y1) = s["axes"]["xlim"], s["axes"]["ylim"]
    left, top, width, height = s["axes"]["box"]
    return (rect[0] + left + (xy[0] - x0) / (x1 - x0) * width,
            rect[1] + top + height - (xy[1] - y0) / (y1 - y0) * height)


def units_per_px(s: dict) -> float:
    (x0, x1), width = s["axes"]["xlim"], s["axes"]["box"][2]
    return (x1 - x0) / width


def data_at(s: dict, fx: float, fy: float):
    """The data point at fractions (fx, fy) of the plot's width and height."""
    (x0, x1), (y0, y1) = s["axes"]["xlim"], s["axes"]["ylim"]
    return x0 + fx * (x1 - x0), y0 + fy * (y1 - y0)


# ------------------------------------------------------------------ placing by hand


def test_centroids_placed_by_hand_start_the_run_where_clicked(warm_page):
    page = warm_page
    set_controls(page, init="manual", seed=7, k="3")
    wait_status(page, "placing", press_go(page))
    s = snapshot(page)
    assert s["to_place"] == 3 and s["placed"] == []
    assert "Click 3 more places" in page.text_content("#hint")
    targets = [data_at(s, 0.2, 0.3), data_at(s, 0.7, 0.8), data_at(s, 0.5, 0.15)]
    page.mouse.click(*page_xy(page, s, targets[0]))
    page.mouse.click(*page_xy(page, s, data_at(s, 0.9, 0.9)))
    assert "Click 1 more place" in page.text_content("#hint")
    page.mouse.click(*page_xy(page, s, data_at(s, 0.9, 0.9)))  # on a placed one: taken back
    assert len(snapshot(page)["placed"]) == 1
    page.mouse.click(*page_xy(page, s, targets[1]))
    page.mouse.click(*page_xy(page, s, targets[2]))
    done = wait_done(page)
    start = np.array(done["initial_centroids"])
    assert np.abs(start - np.array(targets)).max() <= 1.0 * units_per_px(s)  # within one pixel
    assert done["steps"][0]["kind"] == "init" and page.is_hidden("#hint")
    # RETRY: the same points, and K new clicks.
    wait_status(page, "placing", press_go(page, "#retry"))
    assert snapshot(page)["points"] == done["points"]
    for f in (0.3, 0.5, 0.7):
        page.mouse.click(*page_xy(page, s, data_at(s, f, f)))
    again = wait_done(page)
    assert again["attempt"] == 1 and again["initial_centroids"] != done["initial_centroids"]


def test_centroids_can_be_placed_with_the_keyboard(warm_page):
    page = warm_page
    set_controls(page, init="manual", seed=8, k="2")
    wait_status(page, "placing", press_go(page))
    s = snapshot(page)
    page.focus("#plot")
    page.keyboard.press("Enter")                  # at the middle of the plot
    for _ in range(3):
        page.keyboard.press("Shift+ArrowRight")   # 10% of the width each
    page.keyboard.press("Enter")
    done = wait_done(page)
    start = np.array(done["initial_centroids"])
    middle = np.array(data_at(s, 0.5, 0.5))
    width = s["axes"]["xlim"][1] - s["axes"]["xlim"][0]
    np.testing.assert_allclose(start[0], middle, atol=1e-9)
    np.testing.assert_allclose(start[1], middle + [0.3 * width, 0.0], atol=1e-9)


# ------------------------------------------------------------------ dragging a centroid


def drag(page, start, end, steps=12):
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move(*end, steps=steps)   # intermediate moves, as a hand makes them
    page.mouse.up()


def grab_while_playing(page, run_id: int, index: int, after_step: int) -> dict:
    """Press the mouse on centroid `index` of run `run_id` while it plays, at an assignment
    after half-step `after_step` (the centroids rest then); return the snapshot that placed the
    press. A busy machine may let the centroid glide away before the press lands: then the
    press is let go and made again at a later assignment."""
    for _ in range(10):
        s = page.wait_for_function(
            "([id, after]) => { const s = window.kmeans.snapshot({points: false});"
            " return s.run_id === id && s.status === 'running' && s.step_index > after"
            " && s.steps[s.step_index].kind === 'assign' ? s : null; }",
            arg=[run_id, after_step]).json_value()
        page.mouse.move(*page_xy(page, s, s["centroids"][index]))
        if state_after(page, page.mouse.down, "#plot", "pointerdown").get("dragging") == index:
            return s
        # Missed: a click, which selected what it hit (explain mode) and so paused the run.
        if state_after(page, page.mouse.up, "#plot", "pointerup").get("selection") is not None:
            page.wait_for_function("document.documentElement.dataset.status === 'paused'")
            page.keyboard.press("Escape")
            page.click("#play")
        after_step = s["step_index"]
    raise AssertionError("the centroid was never under the pointer while at rest")


def test_a_centroid_dragged_while_playing_branches_the_run(warm_page):
    page = warm_page
    set_controls(page, seed=31, k="4", speed="0.25", max_iter="30")
    run_id = press_go(page)
    s = grab_while_playing(page, run_id, 0, after_step=2)
    held = np.array(s["centroids"])
    target = held[0] + [8 * units_per_px(s) * 10, -5 * units_per_px(s) * 10]
    page.mouse.move(*page_xy(page, s, target), steps=12)  # intermediate moves, as a hand makes them
    after = state_after(page, page.mouse.up, "#plot", "pointerup")
    kinds = [st["kind"] for st in after["steps"]]
    move_at = kinds.index("move")
    assert after["status"] == "running"                     # it was playing: it plays on
    assert "moved by hand" in page.text_content("#status") or snapshot(page)["step_index"] > move_at
    page.select_option("#speed", "16")
    done = wait_done(page, run_id=run_id)
    moved = np.array(done["history"][[k for k in kinds if k != "assign"].index("move")])
    assert np.abs(moved[0] - target).max() <= 1.5 * units_per_px(s)
    # The branch is Lloyd's algorithm from where it was dropped, exactly as CPython computes it.
    session = Session()
    session.go(Params(**done["params"]))
    shown = done["steps"][move_at - 1]
    prefix_run = session.run
    labels = prefix_run.steps[move_at - 1].labels
    expected = session.branch(move_at - 1, moved, labels, shown["iteration"]).finish()
    np.testing.assert_allclose(done["final"]["centroids"], expected.centroids, atol=1e-9)
    # Stepping back still reaches the steps before the move.
    page.evaluate("document.activeElement.blur()")
    while snapshot(page)["step_index"] >= move_at:
        page.keyboard.press("ArrowLeft")
    assert snapshot(page)["steps"][snapshot(page)["step_index"]]["kind"] != "move"


def test_a_centroid_moved_with_the_keyboard_while_paused(warm_page):
    page = warm_page
    set_controls(page, seed=32, k="3")
    wait_done(page, run_id=press_go(page))
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("ArrowLeft")                 # paused before the end
    wait_status(page, "paused")
    s = snapshot(page)
    page.focus("#plot")
    page.keyboard.press("2")                         # centroid 2 (index 1)
    for _ in range(4):
        page.keyboard.press("ArrowUp")               # 1% of the width each
    page.keyboard.press("Enter")
    after = snapshot(page)
    move = next(st for st in after["steps"] if st["kind"] == "move")
    assert move is not None and after["status"] == "paused"
    width = s["axes"]["xlim"][1] - s["axes"]["xlim"][0]
    moved = np.array(after["centroids"])
    np.testing.assert_allclose(moved[1], np.array(s["centroids"][1]) + [0.0, 0.04 * width], atol=1e-9)
    np.testing.assert_allclose(moved[0], s["centroids"][0], atol=0)
    assert "moved by hand" in page.text_content("#status")


# ------------------------------------------------------------------ your own points by clicking


def test_own_points_are_clicked_in_and_out_and_the_box_follows(warm_page):
    page = warm_page
    set_controls(page, dataset="custom", k="2", seed=1)
    page.click("#clear-points")
    assert page.input_value("#points-text") == ""
    s = snapshot(page)
    clicks = [data_at(s, fx, fy) for fx, fy in
              [(0.2, 0.2), (0.25, 0.22), (0.22, 0.3), (0.8, 0.8), (0.75, 0.82), (0.78, 0.7)]]
    for xy in clicks:
        page.mouse.click(*page_xy(page, s, xy))
    lines = page.input_value("#points-text").strip().splitlines()
    assert len(lines) == 6
    typed = np.array([[float(v) for v in line.split(",")] for line in lines])
    assert np.abs(typed - np.array(clicks)).max() <= 1.0 * units_per_px(s)
    # shift-click next to a point removes that one
    page.keyboard.down("Shift")
    page.mouse.click(*page_xy(page, s, (clicks[3][0] + 3 * units_per_px(s), clicks[3][1])))
    page.keyboard.up("Shift")
    left = page.input_value("#points-text").strip().splitlines()
    assert len(left) == 5 and lines[3] not in left
    s = wait_done(page, run_id=press_go(page))
    assert s["n_points"] == 5 and sorted(np.bincount(s["final"]["labels"])) == [2, 3]


def test_a_long_touch_removes_a_point(open_page):
    page, _ = open_page("?speed=16&dataset=custom&k=2", has_touch=True, own_profile=True)
    page.click("#clear-points")
    s = snapshot(page)
    spot = page_xy(page, s, data_at(s, 0.5, 0.5))
    page.touchscreen.tap(*spot)                      # a tap adds a point
    assert len(page.input_value("#points-text").strip().splitlines()) == 1
    touch = """([x, y, kind]) => document.getElementById('plot').dispatchEvent(new PointerEvent(kind,
        {pointerId: 7, pointerType: 'touch', clientX: x + 2, clientY: y, bubbles: true, isPrimary: true}))"""
    page.evaluate(touch, [*spot, "pointerdown"])
    # The finger stays: once held long enough, the point goes (the page's own timer) ...
    page.wait_for_function("document.getElementById('points-text').value.trim() === ''")
    page.evaluate(touch, [*spot, "pointerup"])
    assert page.input_value("#points-text").strip() == ""  # ... and lifting it adds none


# ------------------------------------------------------------------ the run at a glance


def test_the_scrubber_walks_every_half_step_from_the_keyboard(warm_page):
    page = warm_page
    set_controls(page, seed=12, k="4")
    s = wait_done(page, run_id=press_go(page))
    scrubber = page.locator("#scrubber")
    assert scrubber.get_attribute("max") == str(len(s["steps"]) - 1)
    assert "of" in scrubber.get_attribute("aria-valuetext")
    scrubber.focus()
    page.keyboard.press("Home")
    assert snapshot(page)["step_index"] == 0 and snapshot(page)["status"] == "paused"
    assert page.text_content("#scrub-label").startswith(f"half-step 1 of {len(s['steps'])}: start")
    page.keyboard.press("ArrowRight")
    assert snapshot(page)["step_index"] == 1
    assert "assignment 1" in page.text_content("#scrub-label")
    page.keyboard.press("End")
    assert snapshot(page)["step_index"] == len(s["steps"]) - 1
    page.select_option("#speed", "0.25")
    r = state_after(page, lambda: page.click("#restart"), "#restart")
    assert r["step_index"] <= 1 and r["status"] == "running"
    page.select_option("#speed", "16")
    wait_done(page)


def test_inertia_chart_grows_and_cluster_sizes_add_up(warm_page):
    page = warm_page
    set_controls(page, seed=13, k="4")
    s = wait_done(page, run_id=press_go(page))
    assert page.is_visible("#glance")
    # The chart and the sizes are drawn in turns after the frame: wait for them to show the end.
    expected = np.bincount(s["final"]["labels"], minlength=4).tolist()
    page.wait_for_function(
        "([sizes, inertia]) => document.getElementById('inertia-value').textContent === inertia"
        " && [...document.querySelectorAll('#sizes .count')].map(e => e.textContent).join('|') === sizes",
        arg=["|".join(f"{n:,}" for n in expected), inertia_value(s['final']['inertia'])])
    sizes = [int(t.replace(",", "")) for t in page.locator("#sizes .count").all_text_contents()]
    assert len(sizes) == 4 and sum(sizes) == s["n_points"]
    end = canvas_pixels(page, "#inertia")
    page.locator("#scrubber").focus()
    page.keyboard.press("Home")
    page.keyboard.press("ArrowRight")
    early = canvas_pixels(page, "#inertia")
    line = np.array([31, 119, 180])
    count = lambda img: int((np.abs(img[..., :3].astype(int) - line).max(axis=-1) < 40).sum())  # noqa: E731
    assert count(end) > count(early) > 0


def test_changed_points_are_ringed_and_links_drawn_on_request(warm_page):
    page = warm_page
    set_controls(page, seed=14, k="4")
    s = wait_done(page, run_id=press_go(page))
    # the second assignment: some points changed cluster
    second = [i for i, st in enumerate(s["steps"]) if st["kind"] == "assign"][1]
    assert s["steps"][second]["changed"] > 0
    page.locator("#scrubber").focus()
    page.keyboard.press("Home")
    for _ in range(second):
        page.keyboard.press("ArrowRight")
    ringed = canvas_pixels(page)
    page.uncheck("#changed")
    plain = canvas_pixels(page)
    assert (np.abs(ringed.astype(int) - plain.astype(int)).max(axis=-1) > 60).sum() > 20
    page.check("#links")
    linked = canvas_pixels(page)
    assert (np.abs(linked.astype(int) - plain.astype(int)).max(axis=-1) > 20).sum() > 500
    page.uncheck("#links")
    page.check("#changed")
