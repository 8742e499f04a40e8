"""Every viewer, measured in the laid-out page: a projector (1920 x 1080) sees the whole plot and
every drawing option at once and a chart written as large as the page; a phone (390 x 844, and
844 x 390 sideways) gets 44 px targets, no sideways scroll, the hint under the plot, no focus
ring after a finger's drag; no menu cuts its choices at any width from 320 to 1920 px."""

from __future__ import annotations

import io
from collections import Counter

import numpy as np
import pytest
from conftest import (PageProblems, canvas_pixels, set_controls, snapshot, wait_done,
                      wait_ready_page, wait_status)
from kmeans_anim.core.limits import OVERLAY_NAMES
from PIL import Image
from scipy import ndimage

VIEWERS = {
    "projector": dict(viewport={"width": 1920, "height": 1080}),
    "laptop": dict(viewport={"width": 1366, "height": 768}),
    "phone": dict(viewport={"width": 390, "height": 844}, device_scale_factor=3, is_mobile=True,
                  has_touch=True),
    "phone-sideways": dict(viewport={"width": 844, "height": 390}, device_scale_factor=2,
                           is_mobile=True, has_touch=True),
}
DRAWING_OPTIONS = (*(f"#{name}" for name in OVERLAY_NAMES), "#shapes")


@pytest.fixture(scope="module")
def _viewer_pages(browser, base_url):
    opened: dict[str, tuple] = {}

    def get(name: str):
        if name not in opened:
            context = browser.new_context(**VIEWERS[name])
            page = context.new_page()
            problems = PageProblems(page, base_url)
            page.goto(base_url + "?speed=16")
            wait_ready_page(page)
            opened[name] = (context, page, problems)
        return opened[name][1:]

    yield get
    for context, _, _ in opened.values():
        context.close()


@pytest.fixture
def viewer(_viewer_pages):
    """viewer(name) -> a started page on that screen (see VIEWERS), shared by this module's
    tests; fails the test that caused a console error or an off-origin request."""
    used = []

    def get(name: str):
        page, problems = _viewer_pages(name)
        problems.errors.clear()
        problems.expected.clear()
        used.append(problems)
        return page

    yield get
    for problems in used:
        assert not problems.unexpected(), f"errors in the page: {problems.unexpected()}"
        assert not problems.off_origin, f"requests left the page's origin: {problems.off_origin}"


def box(page, selector: str) -> dict:
    b = page.locator(selector).bounding_box()
    assert b is not None, f"{selector} is not shown"
    return b


def inside_viewport(page, b: dict) -> bool:
    width, height = page.evaluate("[innerWidth, innerHeight]")
    return b["x"] >= 0 and b["y"] >= 0 and b["x"] + b["width"] <= width and b["y"] + b["height"] <= height


def overlap(a: dict, b: dict) -> bool:
    return (a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"]
            and a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"])


def tap_go(page, button: str = "#go") -> int:
    """GO (or RETRY) tapped on a touch screen, clicked elsewhere; the run_id it starts."""
    if page.evaluate("navigator.maxTouchPoints > 0"):
        page.tap(button)
    else:
        page.click(button)
    return int(page.evaluate("document.documentElement.dataset.run"))


def label_of(selector: str) -> str:
    return f"label.check:has({selector})"


# ------------------------------------------------------------------ a projector


def test_a_projector_shows_the_whole_plot_and_every_drawing_option_at_once(viewer):
    page = viewer("projector")
    set_controls(page, seed=2024, k="4")
    page.evaluate("scrollTo(0, 0)")                       # the page as it opens

    def all_in_view():
        plot = box(page, "#plot")
        assert inside_viewport(page, plot) and plot["height"] >= 1000
        for option in DRAWING_OPTIONS:
            assert inside_viewport(page, box(page, label_of(option))), option
            assert inside_viewport(page, box(page, option)), option
            assert not overlap(box(page, label_of(option)), plot), option

    all_in_view()
    b = box(page, label_of("#regions"))
    page.mouse.click(b["x"] + b["width"] - 4, b["y"] + b["height"] / 2)  # on its words
    b = box(page, "#go")
    page.mouse.click(b["x"] + b["width"] / 2, b["y"] + b["height"] / 2)
    wait_done(page, run_id=int(page.evaluate("document.documentElement.dataset.run")))
    assert snapshot(page)["params"]["regions"] == 1
    assert page.evaluate("scrollY") == 0                  # nothing scrolled the plot away
    all_in_view()
    page.set_checked("#regions", False)


def ink_heights(img: np.ndarray) -> Counter:
    """How many glyph-like blobs of each height (px) a picture holds: connected dark grey
    pixels (text and tick marks are #222 on white; the chart's blue line and red ring are not
    grey)."""
    rgb = img[..., :3].astype(int)
    grey = (rgb.max(axis=-1) - rgb.min(axis=-1) < 24) & (rgb.max(axis=-1) < 130)
    labelled, _ = ndimage.label(grey)
    return Counter(s[0].stop - s[0].start for s in ndimage.find_objects(labelled))


def digit_height(img: np.ndarray) -> int:
    """The height of the digits in a picture of text: its most common glyph height."""
    heights = Counter({h: n for h, n in ink_heights(img).items() if h >= 4})
    assert heights, "no text found"
    return heights.most_common(1)[0][0]


@pytest.mark.parametrize("name", ["projector", "laptop", "phone"])
def test_the_inertia_chart_writes_as_large_as_the_page(viewer, name):
    page = viewer(name)
    set_controls(page, seed=2024, k="4")
    wait_done(page, run_id=tap_go(page))
    page.wait_for_function("document.getElementById('inertia-value').textContent !== ''")
    font = page.eval_on_selector("#inertia", "c => parseFloat(getComputedStyle(c).fontSize)")
    # The panel's text: the number beside the "points" slider (18 px on a projector).
    page_font = page.eval_on_selector("#n-value", "e => parseFloat(getComputedStyle(e).fontSize)")
    assert font == page_font
    assert float(page.get_attribute("#inertia", "data-text-px")) == font
    # Measured: the chart's digits (canvas pixels) are as tall as the page's digits of that
    # number, both in device pixels.
    chart = digit_height(canvas_pixels(page, "#inertia"))
    number = page.locator("#n-value")
    number.scroll_into_view_if_needed()
    beside = digit_height(np.asarray(Image.open(io.BytesIO(number.screenshot())).convert("RGB")))
    ratio = page.evaluate("devicePixelRatio")
    assert abs(chart - beside) <= ratio, (chart, beside)


# ------------------------------------------------------------------ a phone


FINGER_TARGETS = ("#go", "#retry", "#step-back", "#play", "#step-forward", "#restart",
                  "#copy-link", "#fullscreen", "#save-png", "#save-csv", "#save-table", "#save-gif",
                  "#copy-python", "#save > summary", "#more > summary",
                  "#best-of", "#elbow", "#attempts button",
                  *(label_of(o) for o in (*DRAWING_OPTIONS, "#reseed")))


@pytest.mark.parametrize("name", ["phone", "phone-sideways"])
def test_every_target_a_finger_needs_is_44_px_square(viewer, name):
    page = viewer(name)
    set_controls(page, seed=5, k="3")
    wait_done(page, run_id=tap_go(page))
    if not page.evaluate("document.getElementById('save').open"):
        page.tap("#save > summary")
    for selector in FINGER_TARGETS:
        b = box(page, selector)
        assert b["width"] >= 44 and b["height"] >= 44, (selector, b)
    # A check box's words are its target: a tap at their far end toggles it.
    label = page.locator(label_of("#links"))
    label.scroll_into_view_if_needed()
    b = box(page, label_of("#links"))
    page.touchscreen.tap(b["x"] + b["width"] - 6, b["y"] + b["height"] - 6)
    assert page.is_checked("#links") and snapshot(page)["params"]["links"] == 1
    page.touchscreen.tap(b["x"] + b["width"] - 6, b["y"] + b["height"] - 6)
    assert not page.is_checked("#links")


@pytest.mark.parametrize("name", ["phone", "phone-sideways"])
def test_a_phone_never_scrolls_sideways(viewer, name):
    page = viewer(name)
    set_controls(page, seed=6, k="10")                   # ten cluster sizes, the longest panel
    wait_done(page, run_id=tap_go(page))
    for details in ("#save", "#more"):
        if not page.evaluate(f"document.querySelector('{details}').open"):
            page.tap(f"{details} > summary")
    assert page.evaluate("document.scrollingElement.scrollWidth <= innerWidth")
    wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(e => e.getClientRects().length && e.getBoundingClientRect().right > innerWidth + 0.5)
        .map(e => e.id || e.className || e.tagName)""")
    assert wide == []


def test_sideways_the_plot_and_go_are_both_in_view_and_apart(viewer):
    page = viewer("phone-sideways")
    set_controls(page, seed=7, k="3")
    page.evaluate("scrollTo(0, 0)")
    wait_done(page, run_id=tap_go(page))
    assert page.evaluate("scrollY") == 0                 # GO was tapped where it stood
    plot = box(page, "#plot")
    assert inside_viewport(page, plot) and plot["width"] >= 380
    assert inside_viewport(page, box(page, "#go"))
    shown = page.evaluate("""() => [...document.querySelectorAll('.controls *')]
        .filter(e => e.getClientRects().length).map(e => {
            const r = e.getBoundingClientRect();
            return {x: r.x, y: r.y, width: r.width, height: r.height, what: e.id || e.tagName}; })""")
    assert [e["what"] for e in shown if overlap(e, plot)] == []


@pytest.mark.parametrize("name", ["phone", "phone-sideways", "projector"])
def test_the_hint_for_placing_by_hand_sits_under_the_plot(viewer, name):
    page = viewer(name)
    set_controls(page, init="manual", seed=8, k="3")
    wait_status(page, "placing", tap_go(page))
    hint, plot = box(page, "#hint"), box(page, "#plot")
    assert "Click 3 more places" in page.text_content("#hint")
    assert not overlap(hint, plot) and hint["y"] >= plot["y"] + plot["height"] - 0.5
    if name != "phone":                                   # the plot is as high as the screen
        page.evaluate("scrollTo(0, 0)")
        assert inside_viewport(page, box(page, "#hint")) and inside_viewport(page, box(page, "#plot"))
    set_controls(page, init="random")


def touch_drag(page, start, end, steps: int = 6) -> None:
    """A finger pressed at `start`, moved to `end` and lifted (viewport CSS px), as the
    touchscreen sends it (CDP Input.dispatchTouchEvent)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": start[0], "y": start[1]}]})
    for i in range(1, steps + 1):
        x = start[0] + (end[0] - start[0]) * i / steps
        y = start[1] + (end[1] - start[1]) * i / steps
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    cdp.detach()


def test_a_finger_dragging_a_centroid_leaves_no_focus_ring(viewer):
    page = viewer("phone")
    set_controls(page, seed=9, k="3")
    s = wait_done(page, run_id=tap_go(page))
    # The keyboard was used last (a focus ring on a button): a script's focus() would inherit it.
    page.focus("#restart")
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.matches(':focus-visible')")
    page.locator("#plot").scroll_into_view_if_needed()
    left, top = page.eval_on_selector("#plot", "c => [c.getBoundingClientRect().left, c.getBoundingClientRect().top]")
    (x0, x1), (y0, y1) = s["axes"]["xlim"], s["axes"]["ylim"]
    bl, bt, bw, bh = s["axes"]["box"]
    cx, cy = s["centroids"][0]
    start = (left + bl + (cx - x0) / (x1 - x0) * bw, top + bt + bh - (cy - y0) / (y1 - y0) * bh)
    touch_drag(page, start, (start[0] + 30, start[1] + 20))
    # The drag took the centroid: the run goes on from a move by hand (where it ends, Lloyd's
    # algorithm may bring the centroid back to where it was).
    page.wait_for_function("window.kmeans.snapshot({points: false}).steps.some(st => st.kind === 'move')")
    assert page.evaluate("document.activeElement.id") == "plot"   # the plot's keys work now
    assert not page.evaluate("document.getElementById('plot').matches(':focus-visible')")
    assert page.eval_on_selector("#plot", "c => getComputedStyle(c).outlineStyle") == "none"
    # The keyboard still gets its ring on the plot.
    page.focus("#fullscreen")
    page.keyboard.press("Shift+Tab")
    for _ in range(40):
        if page.evaluate("document.activeElement.id") == "plot":
            break
        page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.getElementById('plot').matches(':focus-visible')")


# ------------------------------------------------------------------ menus


def test_no_menu_cuts_its_choices_at_any_width(viewer):
    page = viewer("laptop")
    cut = {}
    for width in (320, 390, 600, 700, 701, 900, 1024, 1280, 1366, 1440, 1600, 1920):
        page.set_viewport_size({"width": width, "height": 1000})
        # Each menu against the width its longest choice needs (its max-content width).
        short = page.evaluate("""() => [...document.querySelectorAll('select')].map(s => {
            const have = s.getBoundingClientRect().width;
            const old = s.style.width;
            s.style.width = 'max-content';
            const need = s.getBoundingClientRect().width;
            s.style.width = old;
            return [s.id, have, need];
        }).filter(([, have, need]) => need > have + 0.5)""")
        if short:
            cut[width] = short
    page.set_viewport_size(VIEWERS["laptop"]["viewport"])
    assert cut == {}
