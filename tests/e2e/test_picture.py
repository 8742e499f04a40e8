"""The picture is the algorithm: region shading of the run on screen only, equal scales on both
axes, empty clusters said and drawn as a crossed dashed ring with a legend, a prompt before the
first GO."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import canvas_pixels, data_to_device, press_go, set_controls, snapshot, wait_done

from kmeans_anim.core.params import Params
from kmeans_anim.core.session import Session
from kmeans_anim.picture.view import CATEGORY10, REGION_TINT, THEMES

CAT_RGB = np.array([[int(h[i:i + 2], 16) for i in (1, 3, 5)] for h in CATEGORY10])


def run_to_end(page, button: str = "#go") -> dict:
    return wait_done(page, run_id=press_go(page, button))


def test_region_tint_never_outlives_its_run(warm_page):
    page = warm_page
    # Shading on for a GO and a RETRY, then off ...
    set_controls(page, seed=5, k=5, regions=True)
    run_to_end(page)
    shaded = run_to_end(page, "#retry")
    page.uncheck("#regions")
    after_untick = canvas_pixels(page)
    # ... paints exactly what the same state paints when shading was never on.
    set_controls(page, seed=5, k=5, regions=False)
    run_to_end(page)
    plain = run_to_end(page, "#retry")
    assert plain["final"] == shaded["final"] and plain["attempt"] == shaded["attempt"] == 1
    never = canvas_pixels(page)
    assert np.array_equal(after_untick, never)


def test_shaded_places_take_their_nearest_centroids_colour(warm_page):
    page = warm_page
    set_controls(page, seed=8, k=4, regions=True)
    run_to_end(page)
    s = run_to_end(page, "#retry")  # the second run: the one that used to mix in the first's cells
    img = canvas_pixels(page)
    ratio = img.shape[1] / page.evaluate("document.getElementById('plot').getBoundingClientRect().width")
    points, centroids = np.array(s["points"]), np.array(s["final"]["centroids"])
    (x0, x1), (y0, y1) = s["axes"]["xlim"], s["axes"]["ylim"]
    per_px = (x1 - x0) / (s["axes"]["box"][2] * ratio)  # data units per device pixel
    checked = 0
    for x in np.linspace(x0, x1, 23)[1:-1]:
        for y in np.linspace(y0, y1, 19)[1:-1]:
            d = np.sqrt(((centroids - [x, y]) ** 2).sum(axis=1))
            order = np.argsort(d)
            clear_of_points = np.sqrt(((points - [x, y]) ** 2).sum(axis=1)).min() > 12 * per_px
            clear_of_border = d[order[1]] - d[order[0]] > 8 * per_px
            if not (clear_of_points and clear_of_border and d[order[0]] > 30 * per_px):
                continue
            col, row = data_to_device(s, (x, y), ratio)
            patch = img[int(row) - 1:int(row) + 2, int(col) - 1:int(col) + 2, :3].reshape(-1, 3)
            # the palest pixel of a 3x3 patch: a grid line may cross the others
            rgb = patch[patch.sum(axis=1).argmax()].astype(int)
            expected = np.round(255 + REGION_TINT * (CAT_RGB[order[0]] - 255))
            assert np.abs(rgb - expected).max() <= 6, ((x, y), rgb, expected)
            checked += 1
    assert checked > 40


@pytest.mark.parametrize("dataset", ["blobs", "moons", "anisotropic", "rings"])
def test_one_data_unit_is_as_many_pixels_across_as_up(warm_page, dataset):
    page = warm_page
    set_controls(page, dataset=dataset, seed=3, max_iter="1")
    s = run_to_end(page)
    (x0, x1), (y0, y1) = s["axes"]["xlim"], s["axes"]["ylim"]
    _, _, width, height = s["axes"]["box"]
    assert (x1 - x0) / width == pytest.approx((y1 - y0) / height, rel=1e-6)
    # the notebook's 5:4 figure is kept, and every point is inside the axes
    canvas = page.evaluate("[document.getElementById('plot').width, document.getElementById('plot').height]")
    assert canvas[1] / canvas[0] == pytest.approx(0.8, abs=0.002)
    points = np.array(s["points"])
    assert (points[:, 0] > x0).all() and (points[:, 0] < x1).all()
    assert (points[:, 1] > y0).all() and (points[:, 1] < y1).all()


def first_empty_cluster(settings: dict) -> tuple[int, int, int]:
    """(seed, step index, cluster) of the first run, by seed, whose assignment leaves a cluster
    without points, computed natively with the page's own engine."""
    for seed in range(1, 200):
        run = Session().go(Params(seed=seed, **settings))
        for index, step in enumerate(run.steps):
            if step.kind == "assign":
                empty = sorted(set(range(len(step.centroids))) - set(step.labels.tolist()))
                if empty:
                    return seed, index, empty[0]
    raise AssertionError("no seed gives an empty cluster")


def hex_rgb(colour: str) -> np.ndarray:
    return np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)])


def legend_ink(page, s: dict, img) -> int:
    """How many pixels of the theme's ink lie in the top left corner of the axes (where the
    empty-cluster legend goes; the frame itself, in ink too, is left out)."""
    ratio = img.shape[1] / page.evaluate("document.getElementById('plot').getBoundingClientRect().width")
    left, top, width, height = (v * ratio for v in s["axes"]["box"])
    theme = next(t for t in THEMES.values() if np.abs(img[2, 2, :3] - hex_rgb(t["face"])).max() <= 2)
    corner = img[int(top) + 3:int(top + 0.1 * height), int(left) + 3:int(left + 0.6 * width), :3]
    return int((np.abs(corner.astype(int) - hex_rgb(theme["ink"])).max(axis=-1) <= 12).sum())


def test_an_empty_cluster_is_said_and_drawn_as_a_crossed_dashed_ring(warm_page):
    page = warm_page
    settings = dict(dataset="blobs", k=6, init="uniform", empty="keep", max_iter=30)
    seed, index, cluster = first_empty_cluster(settings)
    set_controls(page, **{k: str(v) for k, v in settings.items()}, seed=seed)
    s = run_to_end(page)
    assert cluster in s["steps"][index]["empty"]
    page.evaluate("document.activeElement.blur()")
    while snapshot(page)["step_index"] > index:
        page.keyboard.press("ArrowLeft")
    s = snapshot(page)
    assert s["step_index"] == index and s["status"] == "paused"
    status = page.text_content("#status")
    assert f"cluster {cluster + 1} (" in status and "has no points" in status, status
    img = canvas_pixels(page)
    ratio = img.shape[1] / page.evaluate("document.getElementById('plot').getBoundingClientRect().width")
    col, row = data_to_device(s, s["centroids"][cluster], ratio)
    centre = img[int(round(row)), int(round(col)), :3].astype(int)
    # Not filled with its colour: the cross in the middle of the dashed ring.
    assert np.abs(centre - CAT_RGB[cluster]).max() > 60, f"an empty cluster's centroid is filled: {centre}"
    # a filled centroid next to it, for contrast: some cluster that has points is filled
    full = next(j for j in range(6) if j not in s["steps"][index]["empty"])
    col, row = data_to_device(s, s["centroids"][full], ratio)
    assert np.abs(img[int(round(row)), int(round(col)), :3].astype(int) - CAT_RGB[full]).max() <= 3
    # The legend says what the mark means while a cluster is empty, and only then: one
    # half-step back no cluster is empty (this is the run's first empty one), and forth again.
    with_empty = legend_ink(page, s, img)
    assert with_empty > 100, with_empty
    page.keyboard.press("ArrowLeft")
    page.wait_for_function("i => window.kmeans.snapshot().step_index === i", arg=index - 1)
    before = snapshot(page)
    assert before["steps"][index - 1]["empty"] == [] and before["status"] == "paused"
    assert legend_ink(page, before, canvas_pixels(page)) < 0.1 * with_empty
    page.keyboard.press("ArrowRight")
    page.wait_for_function("i => window.kmeans.snapshot().step_index === i", arg=index)
    assert legend_ink(page, s, canvas_pixels(page)) == with_empty


def test_first_sight_is_a_prompt_not_an_empty_frame(open_page):
    page, _ = open_page()
    s = snapshot(page)
    assert s["status"] == "ready" and s["points"] is None
    img = canvas_pixels(page)
    left, top, width, height = s["axes"]["box"]
    ratio = img.shape[1] / page.evaluate("document.getElementById('plot').getBoundingClientRect().width")
    middle = img[int((top + height * 0.45) * ratio):int((top + height * 0.55) * ratio),
                 int((left + width * 0.2) * ratio):int((left + width * 0.8) * ratio), :3]
    assert (middle.max(axis=-1) < 140).sum() > 200, "no prompt text in the middle of the plot"
    assert "GO" in page.evaluate("document.getElementById('plot').getAttribute('aria-label')")
