"""The run at a glance: a small chart of the inertia after every half-step, drawn with matplotlib
(Figure + Agg, no pyplot) into RGBA pixels, and the size of each cluster.

The chart grows as the run is shown: it plots the half-steps up to the one on screen, on an x
axis as long as the run, and marks the one on screen. Assignments are dots, updates squares:
every half-step of Lloyd's algorithm lowers the inertia or keeps it, which the chart lets a
class see (a centroid moved by hand may raise it: a diamond).

Like the main figure it is blitted: the axes, ticks and labels are drawn once per run and axis
range (a full draw costs tens of milliseconds in the page), and each half-step only restores
that background and draws the line and the marks.

>>> from types import SimpleNamespace
>>> steps = [SimpleNamespace(kind=k, inertia=v) for k, v in
...          [("init", 90.0), ("assign", 90.0), ("update", 60.0), ("assign", 55.0)]]
>>> chart = InertiaChart(320, 160, dpi=100)
>>> chart.render(steps, current=2, total=4).shape
(160, 320, 4)
"""

from __future__ import annotations

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from .view import THEMES

__all__ = ["InertiaChart", "cluster_sizes"]

LINE = "#1f77b4"
CURRENT = "#d62728"
_MARKS = (("assign", "o"), ("init", "o"), ("update", "s"), ("move", "D"))


def cluster_sizes(labels: np.ndarray, k: int) -> list[int]:
    """Points in each cluster 0..k-1 for `labels` (n,) (-1 = unassigned, not counted)."""
    labels = np.asarray(labels)
    return np.bincount(labels[labels >= 0].astype(np.intp), minlength=k)[:k].tolist()


class InertiaChart:
    """A small figure: inertia (y) after each half-step (x), current half-step marked."""

    def __init__(self, width_px: int = 320, height_px: int = 160, dpi: float = 100.0,
                 theme: str = "light"):
        self.figure = Figure()
        self.canvas = FigureCanvasAgg(self.figure)
        self.ax = ax = self.figure.add_subplot()
        ax.xaxis.set_major_locator(MaxNLocator(nbins=6, integer=True))
        ax.yaxis.set_major_locator(MaxNLocator(nbins=3))
        ax.set_xlabel("half-step", fontsize="x-small")
        ax.tick_params(labelsize="x-small")
        self._line, = ax.plot([], [], color=LINE, linewidth=1.2, animated=True)
        self._marks = {kind: ax.plot([], [], linestyle="none", marker=m, markersize=3.5,
                                     color=LINE, animated=True)[0] for kind, m in _MARKS}
        self._current, = ax.plot([], [], marker="o", markersize=7, markerfacecolor="none",
                                 markeredgecolor=CURRENT, markeredgewidth=1.8, linestyle="none",
                                 animated=True)
        self._background = None
        self._background_key = None
        self._drawing = None          # which background drawing is under way (see below)
        self._pixels = None
        self.theme = theme
        self.resize(width_px, height_px, dpi)

    def resize(self, width_px: int, height_px: int, dpi: float) -> None:
        self.figure.set_dpi(dpi)
        self.figure.set_size_inches((width_px + 1e-3) / dpi, (height_px + 1e-3) / dpi)
        # Fixed margins in inches (room for small tick labels, and above the axes for the
        # "1e7" of large inertias): no layout pass per run.
        w, h = width_px / dpi, height_px / dpi
        self.figure.subplots_adjust(left=0.55 / w, right=1 - 0.12 / w, top=1 - 0.22 / h,
                                    bottom=0.42 / h)
        self._background_key = None

    def _draw_background(self, key) -> None:
        """Axes, ticks and labels for x in [0, total) and the y range of `key`."""
        for _ in self._draw_background_in_pieces(key):
            pass

    def _draw_background_in_pieces(self, key):
        """`_draw_background` in two steps of about equal cost (in the page, 30-50 ms each
        where the whole is 60-90 ms): the figure without its x axis, then the x axis (ticks,
        labels and grid lines) drawn onto it, and the result kept as the background."""
        self._background_key = None  # until both steps are done
        self._drawing = mine = object()
        self._draw_without_x_axis(key)
        yield
        if self._drawing is not mine:
            # Another render drew on the canvas in between: start this one over, at once.
            self._draw_without_x_axis(key)
        self.ax.draw_artist(self.ax.xaxis)
        self._background = self.canvas.copy_from_bbox(self.figure.bbox)
        self._background_key = key

    def _draw_without_x_axis(self, key) -> None:
        total, (lo, hi), theme = key
        t = THEMES[theme]
        ax = self.ax
        self.figure.set_facecolor(t["face"])
        ax.set_facecolor(t["face"])
        ax.set_xlim(-0.5, total - 0.5)
        ax.set_ylim(lo, hi)
        ax.tick_params(colors=t["ink"])
        ax.xaxis.label.set_color(t["ink"])
        for spine in ax.spines.values():
            spine.set_edgecolor(t["grid"])
        ax.grid(True, color=t["grid"], linewidth=0.6)
        ax.xaxis.set_visible(False)
        try:
            self.canvas.draw()
        finally:
            ax.xaxis.set_visible(True)

    def _y_range(self, steps) -> tuple[float, float]:
        """Nice limits around every inertia recorded: they change only when a value leaves
        them, so the background is drawn again rarely while a run is being computed."""
        values = np.array([s.inertia for s in steps], dtype=float)
        values = values[np.isfinite(values)]
        lo, hi = (float(values.min()), float(values.max())) if len(values) else (0.0, 1.0)
        if hi - lo <= 1e-12 * max(abs(hi), 1e-300):
            lo, hi = lo - max(abs(lo) * 0.05, 1e-300), hi + max(abs(hi) * 0.05, 1e-300)
        ticks = MaxNLocator(nbins=3).tick_values(lo, hi)
        return float(ticks[0]), float(ticks[-1])

    def render(self, steps, current: int, total: int | None = None) -> np.ndarray:
        """RGBA pixels (height, width, 4) uint8 of the chart for steps[:current + 1].

        Parameters
        ----------
        steps : sequence of engine.Step
            The run's half-steps (``kind``, ``inertia`` in squared data units).
        current : int
            Index of the half-step on screen.
        total : int, optional
            Length of the x axis in half-steps (the run's length once known); defaults to
            len(steps).
        """
        for _ in self.render_in_pieces(steps, current, total):
            pass
        return self._pixels

    def render_in_pieces(self, steps, current: int, total: int | None = None):
        """`render` as a generator: a step after each half of a background drawn anew (the
        page runs one step per turn of its event loop); the pixels are then in `pixels()`."""
        key = (max(total or len(steps), 2), self._y_range(steps), self.theme)
        if key != self._background_key:
            yield from self._draw_background_in_pieces(key)
        self.canvas.restore_region(self._background)
        shown = steps[: current + 1]
        x = np.arange(len(shown))
        y = np.array([s.inertia for s in shown], dtype=float)
        kinds = np.array([s.kind for s in shown])
        self._line.set_data(x, y)
        self.ax.draw_artist(self._line)
        for kind, artist in self._marks.items():
            chosen = kinds == kind
            artist.set_data(x[chosen], y[chosen])
            self.ax.draw_artist(artist)
        self._current.set_data(x[-1:], y[-1:])
        self.ax.draw_artist(self._current)
        self._pixels = np.asarray(self.canvas.buffer_rgba())

    def pixels(self) -> np.ndarray:
        """RGBA (height, width, 4) uint8 of the last chart rendered (a view of the Agg buffer)."""
        return self._pixels
