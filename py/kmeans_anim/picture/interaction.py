"""What a click, a drag or a key means on the plot, as pure functions of positions in data units
and the plot's box (pixels <-> data). The browser glue feeds pointer and key events in and acts
on the answers; nothing here touches the DOM.

Targets are hit in CSS pixels, not data units, so grabbing works the same at any zoom:

>>> from kmeans_anim.picture.plotbox import PlotBox
>>> box = PlotBox((0.0, 10.0), (0.0, 10.0), left=0.0, top=0.0, width=500.0, height=500.0)
>>> import numpy as np
>>> hit(np.array([[5.0, 5.0], [8.0, 8.0]]), (5.1, 5.0), box, radius_px=10)
0
>>> hit(np.array([[5.0, 5.0]]), (6.0, 5.0), box, radius_px=10) is None   # 50 px away
True
"""

from __future__ import annotations

import numpy as np

from .plotbox import PlotBox

__all__ = ["CENTROID_GRAB_PX", "POINT_GRAB_PX", "POINT_PICK_PX", "CURSOR_STEP", "hit",
           "nearest_index", "toggle_placed", "click_intent", "move_cursor", "target_at"]

#: A centroid is grabbed within this many CSS pixels of its centre (its marker is ~13 px wide
#: in radius): generous enough for a finger, small enough not to take clicks meant for points.
CENTROID_GRAB_PX = 16.0
#: Shift-click / long press removes the nearest point if it is within this many CSS pixels.
POINT_GRAB_PX = 24.0
#: A click or tap selects (explain mode) the nearest point within this many CSS pixels: a
#: finger's width across, small enough that a tap beside the points is "empty space" (which
#: adds a point of your own).
POINT_PICK_PX = 12.0
#: Keyboard cursor step as a fraction of the plot's width (shift: ten times as much).
CURSOR_STEP = 0.01


def _distances_px(xy: np.ndarray, target, box: PlotBox) -> np.ndarray:
    ux, uy = box.units_per_css_px()
    d = (np.asarray(xy, float).reshape(-1, 2) - np.asarray(target, float)) / (ux, uy)
    return np.sqrt((d ** 2).sum(axis=1))


def hit(xy: np.ndarray, target, box: PlotBox, radius_px: float) -> int | None:
    """Index of the row of `xy` (m, 2, data units) nearest to `target` (data units) if it lies
    within `radius_px` CSS pixels of it, else None (ties: the lower index)."""
    if xy is None or len(xy) == 0:
        return None
    d = _distances_px(xy, target, box)
    i = int(np.argmin(d))
    return i if d[i] <= radius_px else None


def nearest_index(xy: np.ndarray, target) -> int | None:
    """Index of the row of `xy` (m, 2) nearest to `target` in data units (None if m == 0)."""
    if xy is None or len(xy) == 0:
        return None
    return int(np.argmin(((np.asarray(xy, float) - np.asarray(target, float)) ** 2).sum(axis=1)))


def toggle_placed(placed: list, target, box: PlotBox) -> list:
    """Placing centroids by hand: a click on a placed centroid removes it, elsewhere places a
    new one exactly where clicked. Returns the new list of (x, y)."""
    i = hit(np.array(placed).reshape(-1, 2), target, box, CENTROID_GRAB_PX)
    if i is not None:
        return placed[:i] + placed[i + 1:]
    return placed + [(float(target[0]), float(target[1]))]


def click_intent(*, placing: bool, on_centroid: bool, own_points: bool, remove: bool,
                 on_point: bool = False, run: bool = False) -> str | None:
    """What a press on the plot does.

    Parameters
    ----------
    placing : bool
        The page waits for centroids placed by hand.
    on_centroid : bool
        The press is on a centroid of the run on screen.
    own_points : bool
        The data set is the visitor's own points (clicks edit them).
    remove : bool
        Shift was held, or a touch was held long.
    on_point : bool
        The press is on a point of the run on screen (within `POINT_PICK_PX`).
    run : bool
        A run is on screen.

    Returns
    -------
    "place" (add or remove a placed centroid), "drag" (move a centroid; let go without moving,
    it selects the centroid instead), "add" / "remove" (a point of your own), "select" (explain
    the point), "unselect" (empty space: let the selection go), or None (nothing to do).

    >>> click_intent(placing=False, on_centroid=False, own_points=True, remove=False, on_point=True, run=True)
    'select'
    >>> click_intent(placing=False, on_centroid=False, own_points=True, remove=False, run=True)
    'add'
    """
    if placing:
        return "place"
    if on_centroid:
        return "drag"
    if own_points and remove:
        return "remove"
    if on_point:
        return "select"
    if own_points:
        return "add"
    return "unselect" if run else None


def move_cursor(cursor, key: str, box: PlotBox, big: bool = False):
    """The keyboard cursor (x, y) moved by an arrow key, kept inside the plot's limits."""
    (x0, x1), (y0, y1) = box.xlim, box.ylim
    step = CURSOR_STEP * (10 if big else 1) * (x1 - x0)
    dx, dy = {"ArrowLeft": (-step, 0.0), "ArrowRight": (step, 0.0),
              "ArrowUp": (0.0, step), "ArrowDown": (0.0, -step)}.get(key, (0.0, 0.0))
    return (min(max(cursor[0] + dx, x0), x1), min(max(cursor[1] + dy, y0), y1))


def target_at(points, centroids, xy, box: PlotBox, point_px: float = POINT_PICK_PX):
    """What a click (or the keyboard cursor) at `xy` (data units) selects in explain mode:
    ("centroid", j) within `CENTROID_GRAB_PX` of centroid j, else ("point", i) for the nearest
    point if within `point_px` CSS pixels (the keyboard cursor passes infinity: always the
    nearest), else None. `points` (n, 2) and `centroids` (k, 2) in data units; either may be
    None.

    >>> from kmeans_anim.picture.plotbox import PlotBox
    >>> box = PlotBox((0.0, 10.0), (0.0, 10.0), left=0.0, top=0.0, width=500.0, height=500.0)
    >>> X, C = np.array([[1.0, 1.0], [3.0, 3.0]]), np.array([[5.0, 5.0]])
    >>> target_at(X, C, (5.1, 5.0), box), target_at(X, C, (3.1, 3.0), box), target_at(X, C, (8.0, 1.0), box)
    (('centroid', 0), ('point', 1), None)
    >>> target_at(X, C, (8.0, 1.0), box, point_px=float("inf"))
    ('point', 1)
    """
    j = hit(centroids, xy, box, CENTROID_GRAB_PX) if centroids is not None else None
    if j is not None:
        return "centroid", j
    i = hit(points, xy, box, point_px) if points is not None else None
    return None if i is None else ("point", i)
