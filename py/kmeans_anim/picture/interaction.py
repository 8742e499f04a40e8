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

__all__ = ["CENTROID_GRAB_PX", "POINT_GRAB_PX", "CURSOR_STEP", "hit", "nearest_index",
           "toggle_placed", "click_intent", "move_cursor"]

#: A centroid is grabbed within this many CSS pixels of its centre (its marker is ~13 px wide
#: in radius): generous enough for a finger, small enough not to take clicks meant for points.
CENTROID_GRAB_PX = 16.0
#: Shift-click / long press removes the nearest point if it is within this many CSS pixels.
POINT_GRAB_PX = 24.0
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


def click_intent(*, placing: bool, on_centroid: bool, own_points: bool, remove: bool) -> str | None:
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

    Returns
    -------
    "place" (add or remove a placed centroid), "drag" (move a centroid), "add" / "remove" (a
    point of your own), or None (nothing to do).
    """
    if placing:
        return "place"
    if on_centroid:
        return "drag"
    if own_points:
        return "remove" if remove else "add"
    return None


def move_cursor(cursor, key: str, box: PlotBox, big: bool = False):
    """The keyboard cursor (x, y) moved by an arrow key, kept inside the plot's limits."""
    (x0, x1), (y0, y1) = box.xlim, box.ylim
    step = CURSOR_STEP * (10 if big else 1) * (x1 - x0)
    dx, dy = {"ArrowLeft": (-step, 0.0), "ArrowRight": (step, 0.0),
              "ArrowUp": (0.0, step), "ArrowDown": (0.0, -step)}.get(key, (0.0, 0.0))
    return (min(max(cursor[0] + dx, x0), x1), min(max(cursor[1] + dy, y0), y1))
