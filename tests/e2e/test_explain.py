"""Why here? (explain mode), through real pointer, touch and keyboard events: a point's distances
to every centroid and the sentence, a point an assignment moved, a centroid's mean and where the
update takes it, the selection following the steps, the ways out, the keyboard path."""

from __future__ import annotations

import re

import numpy as np
from conftest import press_go, set_controls, wait_done

from kmeans_anim.words.wording import COLOUR_NAMES

CENTROID_CLEAR_PX = 30.0   # a point this far from every centroid is clicked, not the centroid


def page_xy(page, s: dict, xy) -> tuple[float, float]:
    """Viewport position (CSS px) of the data point xy (the plot scrolled into view first)."""
    page.locator("#plot").scroll_into_view_if_needed()
    left, top = page.eval_on_selector("#plot", "c => [c.getBoundingClientRect().left, c.getBoundingClientRect().top]")
    (x0, x1), (y0, y1) = s["axes"]["xlim"], s["axes"]["ylim"]
    bl, bt, bw, bh = s["axes"]["box"]
    return (left + bl + (xy[0] - x0) / (x1 - x0) * bw, top + bt + bh - (xy[1] - y0) / (y1 - y0) * bh)


def px_per_unit(s: dict) -> float:
    return s["axes"]["box"][2] / (s["axes"]["xlim"][1] - s["axes"]["xlim"][0])


def clickable_points(s: dict, among=None) -> list[int]:
    """Points a click lands on unambiguously: far from every centroid, no other point within
    3 px (of the given indices, all by default)."""
    X, C = np.array(s["points"]), np.array(s["centroids"])
    scale = px_per_unit(s)
    found = []
    for i in (range(len(X)) if among is None else among):
        others = np.delete(X, i, axis=0)
        if (np.hypot(*(C - X[i]).T).min() * scale > CENTROID_CLEAR_PX
                and np.hypot(*(others - X[i]).T).min() * scale > 3):
            found.append(int(i))
    return found


def selection(page, check: str = "s.selection !== null") -> dict:
    """The snapshot once the page's selection satisfies `check` (a JS expression on s)."""
    return page.wait_for_function(
        f"() => {{ const s = window.kmeans.snapshot(); return ({check}) ? s : null; }}").json_value()


def go_to_step(page, index: int) -> dict:
    """Show half-step `index` with the scrubber's keys (Home, then → index times)."""
    page.focus("#scrubber")
    page.keyboard.press("Home")
    for _ in range(index):
        page.keyboard.press("ArrowRight")
    return page.wait_for_function(
        f"() => {{ const s = window.kmeans.snapshot(); return s.step_index === {index} && "
        f"s.status !== 'running' ? s : null; }}").json_value()


def numbers(text: str) -> list[float]:
    return [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?(?:e[+-]\d+)?", text)]


def written(value: float, shown: str) -> bool:
    """`shown` is `value` as written: equal to within half a unit of its last digit."""
    decimals = len(shown.split(".")[1]) if "." in shown else 0
    return abs(float(shown) - value) <= 0.5 * 10.0 ** -decimals + 1e-12


def check_point_sentence(text: str, xy, centroids, cluster: int) -> np.ndarray:
    """The sentence names the nearest centroid and every distance as numpy has them; returns
    the distances."""
    d = np.hypot(*(np.asarray(centroids) - xy).T)
    nearest = int(np.argmin(d))
    m = re.search(r"closest to centroid (\d+) \((\w+)\): (\S+) \(([^)]*)\)", text)
    assert m, text
    assert int(m[1]) == nearest + 1 and m[2] == COLOUR_NAMES[nearest]
    assert written(d[nearest], m[3]), (d, text)
    others = dict(re.findall(r"centroid (\d+): ([-\d.e+]+)", m[4]))
    assert sorted(int(j) for j in others) == [j + 1 for j in range(len(d)) if j != nearest]
    for j, shown in others.items():
        assert written(d[int(j) - 1], shown), (d, text)
    assert nearest == cluster or "still in" in text
    return d


# ------------------------------------------------------------------ a point


def test_a_clicked_point_is_explained_with_its_distances(warm_page):
    page = warm_page
    set_controls(page, seed=11, k="3")
    s = wait_done(page, press_go(page))
    i = clickable_points(s)[0]
    X = np.array(s["points"])
    before = page.evaluate("document.getElementById('plot').toDataURL()")
    page.mouse.click(*page_xy(page, s, X[i]))
    shot = selection(page)
    sel = shot["selection"]
    assert (sel["kind"], sel["index"], shot["status"]) == ("point", i, "done")
    text = page.text_content("#explain")
    assert page.is_visible("#explain") and text == sel["sentence"]
    assert page.get_attribute("#explain", "aria-live") == "polite"
    d = check_point_sentence(text, X[i], shot["centroids"], shot["labels"][i])
    np.testing.assert_allclose(sel["distances"], d, rtol=1e-12)
    assert sel["nearest"] == int(np.argmin(d)) == shot["labels"][i]
    assert page.evaluate("document.getElementById('plot').toDataURL()") != before  # lines drawn
    # Escape lets it go: the sentence goes too.
    page.keyboard.press("Escape")
    selection(page, "s.selection === null")
    assert page.is_hidden("#explain")


def test_a_click_while_playing_pauses_and_the_selection_follows_the_steps(warm_page):
    page = warm_page
    set_controls(page, seed=12, k="4", speed="0.25", max_iter="30")
    run_id = press_go(page)
    s = page.wait_for_function(
        f"() => {{ const s = window.kmeans.snapshot(); return s.run_id === {run_id} && "
        "s.status === 'running' && s.axes ? s : null; }").json_value()
    i = clickable_points(s)[0]
    page.mouse.click(*page_xy(page, s, s["points"][i]))
    shot = selection(page)
    assert shot["status"] == "paused"       # a click while playing pauses first
    assert shot["selection"]["kind"] in ("point", "centroid")  # a centroid may have glided there
    step = shot["step_index"]
    # The arrows step (the focus is on the plot, explain mode's cross is not out): the selection
    # is recomputed for the frame shown.
    page.keyboard.press("ArrowRight")
    after = selection(page, f"s.step_index === {step + 1} && s.selection !== null && !s.moving")
    if after["selection"]["kind"] == "point":
        j = after["selection"]["index"]
        check_point_sentence(page.text_content("#explain"), after["points"][j],
                             after["centroids"], after["labels"][j])
    page.keyboard.press("Escape")
    selection(page, "s.selection === null")


def test_a_point_an_assignment_moved_says_from_where_and_why(warm_page):
    page = warm_page
    set_controls(page, seed=5, k="4", std="2.0", max_iter="30")
    done = wait_done(page, press_go(page))
    moved_at = [t for t, st in enumerate(done["steps"])
                if st["kind"] == "assign" and t > 1 and st["changed"] > 0]
    assert moved_at, "this seed's run must move points after its first assignment"
    t = moved_at[0]
    previous = np.array(go_to_step(page, t - 1)["labels"])
    s = go_to_step(page, t)
    labels = np.array(s["labels"])
    changed = np.flatnonzero(labels != previous)
    candidates = clickable_points(s, among=changed)
    assert candidates, "a moved point must be clickable"
    i = candidates[0]
    page.mouse.click(*page_xy(page, s, s["points"][i]))
    sel = selection(page, f"s.selection !== null && s.selection.index === {i}")["selection"]
    text = page.text_content("#explain")
    old, new = int(previous[i]), int(labels[i])
    assert sel["came_from"] == old and sel["cluster"] == new
    d = check_point_sentence(text, s["points"][i], s["centroids"], new)
    m = re.search(r"At this assignment it moved from cluster (\d+) \((\w+)\) to cluster (\d+) "
                  r"\((\w+)\): centroid (\d+) is now nearer \((\S+)\) than centroid (\d+) "
                  r"\((\S+)\)\.", text)
    assert m, text
    assert (int(m[1]), m[2], int(m[3]), m[4]) == (old + 1, COLOUR_NAMES[old], new + 1, COLOUR_NAMES[new])
    assert (int(m[5]), int(m[7])) == (new + 1, old + 1)
    assert written(d[new], m[6]) and written(d[old], m[8]) and d[new] <= d[old]
    # A click on empty space lets it go.
    X = np.array(s["points"])
    (x0, x1), (y0, y1) = s["axes"]["xlim"], s["axes"]["ylim"]
    grid = np.array([(x, y) for x in np.linspace(x0, x1, 40)[1:-1] for y in np.linspace(y0, y1, 40)[1:-1]])
    far = np.array([np.hypot(*(np.vstack([X, s["centroids"]]) - g).T).min() for g in grid])
    page.mouse.click(*page_xy(page, s, grid[int(np.argmax(far))]))
    selection(page, "s.selection === null")
    assert page.is_hidden("#explain")


# ------------------------------------------------------------------ a centroid


def test_a_clicked_centroid_shows_its_mean_and_where_the_update_takes_it(warm_page):
    page = warm_page
    set_controls(page, seed=21, k="3", max_iter="30")
    done = wait_done(page, press_go(page))
    t = 1                                   # the first assignment: the update moves them all
    s = go_to_step(page, t)
    j = 1
    page.mouse.click(*page_xy(page, s, s["centroids"][j]))   # down and up without moving
    shot = selection(page, "s.selection !== null && s.selection.kind === 'centroid'")
    sel = shot["selection"]
    X, labels = np.array(s["points"]), np.array(s["labels"])
    members = X[labels == j]
    assert sel["index"] == j and sel["count"] == len(members)
    np.testing.assert_allclose(sel["sums"], members.sum(axis=0), rtol=1e-12)
    np.testing.assert_allclose(sel["mean"], members.mean(axis=0), rtol=1e-12, atol=1e-12)
    assert [st["kind"] for st in shot["steps"]] == [st["kind"] for st in done["steps"]]  # no branch
    text = page.text_content("#explain")
    m = re.search(r"its cluster has (\d+) points; their mean is \(Σx / n, Σy / n\) = "
                  r"\((\S+) / (\d+), (\S+) / (\d+)\) = \((\S+), (\S+)\)\. The next update moves "
                  r"the centroid there, (\S+) away\.", text)
    assert m, text
    assert int(m[1]) == int(m[3]) == int(m[5]) == len(members)
    sx, sy = members.sum(axis=0)
    mx, my = members.mean(axis=0)
    assert written(sx, m[2]) and written(sy, m[4]) and written(mx, m[6]) and written(my, m[7])
    assert written(np.hypot(mx - s["centroids"][j][0], my - s["centroids"][j][1]), m[8])
    # The arrow's end is where the next update puts it: step there; it stands at its mean.
    page.keyboard.press("ArrowRight")
    after = selection(page, f"s.step_index === {t + 1} && !s.moving && s.selection !== null")
    np.testing.assert_allclose(after["centroids"][j], members.mean(axis=0), rtol=1e-9, atol=1e-9)
    assert after["selection"]["kind"] == "centroid"
    assert "The centroid stands there." in page.text_content("#explain")


# ------------------------------------------------------------------ keyboard and touch


def test_the_keyboard_path_selects_points_and_centroids(warm_page):
    page = warm_page
    assert "Tab to the plot, then e" in page.text_content("#keys")
    set_controls(page, seed=13, k="3")
    s = wait_done(page, press_go(page))
    page.focus("#plot")
    page.keyboard.press("e")
    X = np.array(s["points"])
    (x0, x1), (y0, y1) = s["axes"]["xlim"], s["axes"]["ylim"]
    middle = np.array([(x0 + x1) / 2, (y0 + y1) / 2])
    shot = selection(page)
    sel = shot["selection"]
    assert sel["cursor"] and page.is_visible("#cursor")
    if sel["kind"] == "point":               # the middle may hold a centroid: then it is that
        assert sel["index"] == int(np.argmin(np.hypot(*(X - middle).T)))
    assert "arrows: another point" in page.text_content("#explain")
    page.keyboard.press("Shift+ArrowRight")  # a tenth of the width to the right
    cursor = middle + [0.1 * (x1 - x0), 0]
    nearest = int(np.argmin(np.hypot(*(X - cursor).T)))
    C = np.array(s["centroids"])
    on_centroid = np.hypot(*(C - cursor).T).min() * px_per_unit(s) <= 16
    if not on_centroid:
        selection(page, f"s.selection.kind === 'point' && s.selection.index === {nearest}")
    page.keyboard.press("2")                 # centroid 2
    selection(page, "s.selection.kind === 'centroid' && s.selection.index === 1")
    page.keyboard.press("Enter")             # the cross goes, the selection stays
    shot = selection(page, "s.selection.cursor === false")
    assert page.is_hidden("#cursor")
    step = shot["step_index"]
    page.keyboard.press("ArrowLeft")         # the arrows step the run again: it follows
    back = selection(page, f"s.step_index === {step - 1} && s.selection !== null")
    assert back["selection"]["index"] == 1 and back["status"] == "paused"
    page.keyboard.press("Escape")
    selection(page, "s.selection === null")


def test_a_tap_on_a_phone_selects_a_point(open_page):
    page, _ = open_page("?speed=16", viewport={"width": 390, "height": 844},
                        device_scale_factor=3, is_mobile=True, has_touch=True)
    set_controls(page, seed=14, k="3")
    page.tap("#go")
    s = wait_done(page)
    i = clickable_points(s)[0]
    page.touchscreen.tap(*page_xy(page, s, s["points"][i]))
    sel = selection(page)["selection"]
    assert (sel["kind"], sel["index"]) == ("point", i)
    # The sentence is under the plot, inside the screen's width.
    box, plot = page.locator("#explain").bounding_box(), page.locator("#plot").bounding_box()
    assert box["y"] >= plot["y"] + plot["height"] - 0.5 and box["x"] >= 0 and box["x"] + box["width"] <= 390
