"""Browser glue for the plot: the page's <canvas>, sized for devicePixelRatio, painted from a
KMeansView (matplotlib Figure + Agg) with putImageData. Imports js (browser glue only).
"""

from __future__ import annotations

import js
import numpy as np
from pyodide.ffi import create_once_callable

from ..picture.plotbox import PlotBox
from ..picture.view import KMeansView, Style
from ..words import wording
from .dom import el, push_rgba

ASPECT = 0.8  # figure height / width, the notebook's 1000 x 800
# Limits of an empty plot on which points are to be clicked: the generated data sets' box.
EMPTY_BOX = (np.array([-10.0, -10.0]), np.array([10.0, 10.0]))


class Canvas:
    """Owns the <canvas id="plot"> and the view that draws it."""

    def __init__(self) -> None:
        self.element = el("plot")
        self.ctx = self.element.getContext("2d")
        self.view: KMeansView | None = None
        self.ratio = 1.0
        self.points: np.ndarray | None = None
        self._last_key = None       # what the canvas shows, to skip repainting a held frame
        self._resize_pending = False
        self.on_resized = None      # called after a re-layout, to repaint what is on screen
        self.style = Style()
        self.axis_names: tuple[str, str] | None = None   # None: "X1", "X2"

    # ------------------------------------------------------------ size

    def fit(self) -> bool:
        """Size the backing store to the canvas's CSS box times devicePixelRatio; True if the
        size changed (the next paint is then a full draw)."""
        ratio = float(js.window.devicePixelRatio or 1)
        css_width = float(self.element.getBoundingClientRect().width) or 1000.0
        width, height = round(css_width * ratio), round(css_width * ASPECT * ratio)
        # Text and markers follow the figure's size: smaller on a phone (not below 60%:
        # legible), larger on a projector (up to 150%: read from the back row).
        dpi = 100.0 * ratio * min(1.5, max(0.6, css_width / 1000.0))
        if self.view is not None and (self.element.width, self.element.height) == (width, height):
            return False
        self.ratio = ratio
        self.element.width, self.element.height = width, height
        if self.view is None:
            self.view = KMeansView(width, height, dpi=dpi, style=self.style)
            self.view.set_axis_names(self.axis_names)
        else:
            self.view.resize(width, height, dpi=dpi)
        if self.points is not None:
            self.view.set_points(self.points)
        self._last_key = None
        return True

    def request_fit(self, event=None) -> None:
        """Window resized: re-lay out once per paint, however many resize events come."""
        if not self._resize_pending:
            self._resize_pending = True
            js.requestAnimationFrame(create_once_callable(self._fit_now))

    def _fit_now(self, timestamp) -> None:
        self._resize_pending = False
        if self.fit() and self.on_resized is not None:
            self.on_resized()

    # ------------------------------------------------------------ painting

    def set_points(self, points: np.ndarray) -> None:
        self.points = points
        if self.view is None:
            self.fit()
        self.view.set_prompt("")
        self.view.set_points(points)
        self.element.setAttribute("aria-label", wording.plot_label(len(points)))
        self._last_key = None

    def set_axis_names(self, names: tuple[str, str] | None) -> None:
        """The axes' labels from now on (x name, y name); None: "X1", "X2"."""
        self.axis_names = names
        if self.view is not None:
            self.view.set_axis_names(names)
            self._last_key = None

    def shows(self, key) -> bool:
        """True if the canvas already shows the frame painted with this key."""
        return key is not None and key == self._last_key

    def paint(self, labels, centroids, key=None, **overlays) -> None:
        """Render a frame and put it on the canvas; `key` names it (see `shows`). `overlays`
        go to KMeansView.render (trails, regions, empty, changed, links)."""
        self._last_key = key
        push_rgba(self.ctx, self.view.render(labels, centroids, **overlays))

    def preview_points(self, points: np.ndarray, prompt: str = "") -> None:
        """Your own points as they stand, not clustered (before GO, or while clicking them in).
        The plot keeps its limits while the clicked points fit in them, so it does not jump
        under the pointer; an empty set gets the box of the generated data sets."""
        for _ in self.preview_points_in_pieces(points, prompt):
            pass

    def preview_points_in_pieces(self, points: np.ndarray, prompt: str = "", refit: bool = False):
        """`preview_points` as a generator: a step per costly part (new limits, the full draw,
        the raster dots), so that a million uploaded points never block the page long.
        `refit`: the limits fit these points even when they fit in the limits on screen
        (other columns, another scale, a new file: not a point clicked in)."""
        if self.view is None:
            self.fit()
        (x0, x1), (y0, y1) = self.view.ax.get_xlim(), self.view.ax.get_ylim()
        box = (np.array([x0, y0]), np.array([x1, y1]))   # the limits on screen
        inside = not refit and len(points) and self.points is not None and bool(
            ((points >= box[0]) & (points <= box[1])).all())
        self.points = points
        self.view.set_prompt(prompt)
        self.view.set_points(points, box=box if inside else
                             None if len(points) else EMPTY_BOX)
        self.element.setAttribute("aria-label", wording.preview_label(len(points), prompt))
        yield
        yield from self.view.prepare_in_pieces()
        self.paint(np.full(len(points), -1, dtype=np.int8), None)

    def paint_empty(self, prompt: str = "") -> None:
        """Axes without points (before the first GO), with `prompt` in the middle."""
        self.points = None
        self.view.set_prompt(prompt)
        self.element.setAttribute("aria-label", wording.empty_label(prompt))
        self.view.set_points(np.empty((0, 2)))
        self.paint(np.empty(0, dtype=np.intp), None)

    def set_style(self, style: Style) -> None:
        """Theme and marker shapes; the next paint redraws everything."""
        self.style = style
        if self.view is not None:
            self.view.set_style(style)
        self._last_key = None

    def invalidate(self) -> None:
        """Forget what is on screen: the next paint draws even an unchanged frame."""
        self._last_key = None

    def plot_box(self) -> PlotBox:
        return self.view.plot_box(self.ratio)
