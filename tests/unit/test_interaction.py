"""interaction: hitting targets in screen pixels, placing centroids, what a click means."""

import numpy as np
import pytest

from kmeans_anim.picture.interaction import (CENTROID_GRAB_PX, click_intent, hit, move_cursor,
                                     nearest_index, toggle_placed)
from kmeans_anim.picture.plotbox import PlotBox

# 1 data unit = 50 CSS px across, 25 CSS px up: hits must be measured on screen, not in units.
BOX = PlotBox((0.0, 10.0), (0.0, 20.0), left=40.0, top=10.0, width=500.0, height=500.0)


def test_hit_measures_in_screen_pixels():
    C = np.array([[5.0, 10.0], [9.0, 2.0]])
    assert hit(C, (5.0, 10.5), BOX, CENTROID_GRAB_PX) == 0          # 12.5 px up
    assert hit(C, (5.4, 10.0), BOX, CENTROID_GRAB_PX) is None       # 20 px across
    assert hit(C, (9.2, 2.2), BOX, CENTROID_GRAB_PX) == 1
    assert hit(np.empty((0, 2)), (1.0, 1.0), BOX, 10) is None


def test_placing_adds_exactly_where_clicked_and_a_second_click_removes():
    placed = toggle_placed([], (2.5, 7.25), BOX)
    assert placed == [(2.5, 7.25)]
    placed = toggle_placed(placed, (8.0, 1.0), BOX)
    assert len(placed) == 2
    placed = toggle_placed(placed, (2.6, 7.3), BOX)                 # on the first one
    assert placed == [(8.0, 1.0)]


@pytest.mark.parametrize("state, intent", [
    (dict(placing=True, on_centroid=True, own_points=True, remove=False), "place"),
    (dict(placing=False, on_centroid=True, own_points=True, remove=True), "drag"),
    (dict(placing=False, on_centroid=False, own_points=True, remove=False), "add"),
    (dict(placing=False, on_centroid=False, own_points=True, remove=True), "remove"),
    (dict(placing=False, on_centroid=False, own_points=False, remove=False), None),
    # explain mode: a point of the run on screen is selected, empty space lets go; with your
    # own points empty space still adds and shift still removes
    (dict(placing=False, on_centroid=False, own_points=False, remove=False, on_point=True, run=True), "select"),
    (dict(placing=False, on_centroid=False, own_points=False, remove=False, run=True), "unselect"),
    (dict(placing=False, on_centroid=False, own_points=True, remove=False, on_point=True, run=True), "select"),
    (dict(placing=False, on_centroid=False, own_points=True, remove=False, run=True), "add"),
    (dict(placing=False, on_centroid=False, own_points=True, remove=True, on_point=True, run=True), "remove"),
    (dict(placing=False, on_centroid=True, own_points=False, remove=False, on_point=True, run=True), "drag"),
])
def test_what_a_press_means(state, intent):
    assert click_intent(**state) == intent


def test_nearest_point_and_cursor_moves_inside_the_plot():
    pts = np.array([[0.0, 0.0], [3.0, 3.0], [9.0, 9.0]])
    assert nearest_index(pts, (2.0, 2.5)) == 1
    assert nearest_index(np.empty((0, 2)), (0, 0)) is None
    assert move_cursor((5.0, 5.0), "ArrowRight", BOX) == pytest.approx((5.1, 5.0))
    assert move_cursor((5.0, 5.0), "ArrowUp", BOX, big=True) == pytest.approx((5.0, 6.0))
    assert move_cursor((9.95, 0.05), "ArrowRight", BOX, big=True) == (10.0, 0.05)
    assert move_cursor((9.95, 0.05), "ArrowDown", BOX, big=True) == (9.95, 0.0)


def test_a_click_selects_a_centroid_first_then_the_nearest_point_near_enough():
    from kmeans_anim.picture.interaction import POINT_PICK_PX, target_at
    box = PlotBox((0.0, 100.0), (0.0, 100.0), left=0.0, top=0.0, width=100.0, height=100.0)  # 1 unit/px
    X = np.array([[10.0, 10.0], [50.0, 52.0], [80.0, 80.0]])
    C = np.array([[50.0, 50.0]])
    assert target_at(X, C, (50.0, 51.0), box) == ("centroid", 0)       # over both: the centroid
    assert target_at(X, C, (80.0 + POINT_PICK_PX - 1, 80.0), box) == ("point", 2)
    assert target_at(X, C, (80.0 + POINT_PICK_PX + 1, 80.0), box) is None
    assert target_at(X, None, (30.0, 30.0), box, point_px=float("inf")) == ("point", 0)
    assert target_at(None, None, (30.0, 30.0), box) is None
