"""The run at a glance: a small chart of the inertia after every half-step, drawn with matplotlib
(Figure + Agg, no pyplot) into RGBA pixels, and the size of each cluster.

The chart grows as the run is shown: it plots the half-steps up to the one on screen, on an x
axis as long as the run, and marks the one on screen. Assignments are dots, updates squares:
every half-step of Lloyd's algorithm lowers the inertia or keeps it, which the chart lets a
class see (a centroid moved by hand may raise it: a diamond).

A start picked one centroid at a time begins with its picks (triangles): the sum of squared
distances to the centroids picked so far, falling pick by pick. The first picks' sums can be
many times the run's, so they do not set the y axis: those above its top are drawn at the top
edge (the line runs off the chart to them).

The y axis is shared by every run on the same points, so attempts can be compared by eye (a
worse local minimum ends visibly higher). Its rule: it runs from 0 to a round number above the
largest inertia of any run drawn on these points (the same points = the same array, as RETRY
and a moved centroid keep it); that top only grows while the points stay, and starts again
from the run on screen when the points change (GO, your own points edited). From 0, heights
are proportional to inertias: twice as high is twice the inertia.

Every text is as large as the page's (``font_px``); lines, marks and margins scale with it, as
em-based CSS does.

Like the main figure it is blitted: the axes, ticks and labels are drawn once per run and axis
range (a full draw costs tens of milliseconds in the page), and each half-step only restores
that background and draws the line and the marks.

>>> from types import SimpleNamespace
>>> steps = [SimpleNamespace(kind=k, inertia=v) for k, v in
...          [("init", 90.0), ("assign", 90.0), ("update", 60.0), ("assign", 55.0)]]
>>> chart = InertiaChart(320, 160, font_px=14)
>>> chart.render(steps, current=2, total=4).shape
(160, 320, 4)
>>> [float(y) for y in chart.ax.get_ylim()]  # from 0 to a round number above the inertias
[0.0, 100.0]
"""

from __future__ import annotations

import math
import sys

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from ..core.player import start_index
from .view import THEMES

__all__ = ["InertiaChart", "cluster_sizes", "nice_top"]

LINE = "#1f77b4"
CURRENT = "#d62728"
_MARKS = (("assign", "o"), ("init", "o"), ("update", "s"), ("move", "D"), ("pick", "^"))
#: Every text of the chart is drawn at this many points; the figure's dpi makes it font_px.
TEXT_PT = 10.0
#: Room around the axes, in ems of that text: the y tick labels (at most four characters: the
#: y axis writes 1e4 and above with a multiplier) and the multiplier above, the x tick labels
#: and "half-step" below.
MARGINS_EM = {"left": 3.4, "right": 0.9, "top": 1.4, "bottom": 3.2}
_ROUND = (1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)


def cluster_sizes(labels: np.ndarray, k: int) -> list[int]:
    """Points in each cluster 0..k-1 for `labels` (n,) (-1 = unassigned, not counted)."""
    labels = np.asarray(labels)
    return np.bincount(labels[labels >= 0].astype(np.intp), minlength=k)[:k].tolist()


def nice_top(peak: float) -> float:
    """The top of the y axis for inertias up to `peak` (>= 0): the smallest round number (1, 1.2,
    1.5, 2, 2.5, 3, 4, 5, 6 or 8 times a power of ten) at least 5 % above it, so the highest
    mark stays off the frame; 1.0 when `peak` is 0 (or not a number).

    >>> nice_top(973.6), nice_top(2400.0), nice_top(0.0)
    (1200.0, 3000.0, 1.0)
    """
    if not peak > 0:
        return 1.0
    target = min(peak * 1.05, sys.float_info.max)
    power = 10.0 ** math.floor(math.log10(target))
    for step in _ROUND:
        if step * power >= target:
            return min(step * power, sys.float_info.max)
    return target  # a power of ten too small for a float (subnormal peaks)


class InertiaChart:
    """A small figure: inertia (y) after each half-step (x), current half-step marked.

    Parameters
    ----------
    width_px, height_px : int
        Size of the picture in pixels (CSS pixels times the device's pixel ratio).
    font_px : float
        Height of its text in the same pixels: the page's font size times that ratio.
    theme : {"light", "dark"}
    """

    def __init__(self, width_px: int = 320, height_px: int = 160, font_px: float = 14.0,
                 theme: str = "light"):
        self.figure = Figure()
        self.canvas = FigureCanvasAgg(self.figure)
        self.ax = ax = self.figure.add_subplot()
        ax.xaxis.set_major_locator(MaxNLocator(nbins=6, integer=True))
        ax.yaxis.set_major_locator(MaxNLocator(nbins=3))
        ax.ticklabel_format(axis="y", style="sci", scilimits=(-3, 4))
        ax.set_xlabel("half-step", fontsize=TEXT_PT)
        ax.tick_params(labelsize=TEXT_PT)
        ax.yaxis.get_offset_text().set_fontsize(TEXT_PT)
        self._line, = ax.plot([], [], color=LINE, linewidth=1.2, animated=True)
        # Marks are not clipped: one on the top edge (a pick above it) shows whole.
        self._marks = {kind: ax.plot([], [], linestyle="none", marker=m, markersize=3.5,
                                     color=LINE, animated=True, clip_on=False)[0]
                       for kind, m in _MARKS}
        self._current, = ax.plot([], [], marker="o", markersize=7, markerfacecolor="none",
                                 markeredgecolor=CURRENT, markeredgewidth=1.8, linestyle="none",
                                 animated=True, clip_on=False)
        self._background = None
        self._background_key = None
        self._drawing = None          # which background drawing is under way (see below)
        self._pixels = None
        self._points = None           # the points of the runs the y axis is shared by
        self._top = None              # the y axis's top for them (see the module's docstring)
        self.theme = theme
        self.resize(width_px, height_px, font_px)

    def resize(self, width_px: int, height_px: int, font_px: float) -> None:
        """A new size in pixels, and text `font_px` pixels high."""
        # TEXT_PT points are font_px pixels: everything sized in points (text, lines, marks)
        # scales with the page's text.
        dpi = font_px * 72.0 / TEXT_PT
        self.figure.set_dpi(dpi)
        self.figure.set_size_inches((width_px + 1e-3) / dpi, (height_px + 1e-3) / dpi)
        # Fixed margins in ems: no layout pass per run.
        m = {side: em * font_px for side, em in MARGINS_EM.items()}
        self.figure.subplots_adjust(left=m["left"] / width_px, right=1 - m["right"] / width_px,
                                    top=1 - m["top"] / height_px,
                                    bottom=m["bottom"] / height_px)
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
        ax.yaxis.get_offset_text().set_color(t["ink"])
        for spine in ax.spines.values():
            spine.set_edgecolor(t["grid"])
        ax.grid(True, color=t["grid"], linewidth=0.6)
        ax.xaxis.set_visible(False)
        try:
            self.canvas.draw()
        finally:
            ax.xaxis.set_visible(True)

    def _y_range(self, steps, points) -> tuple[float, float]:
        """(0, top): the top shared by the runs on `points` (see the module's docstring). It
        changes only when an inertia rises above it, so the background is drawn again rarely
        while a run is being computed."""
        if points is not self._points:
            self._points, self._top = points, None
        # From the start on: the picks before the last (one centroid, two, ...) leave far more.
        values = np.array([s.inertia for s in steps[start_index(steps):]], dtype=float)
        values = values[np.isfinite(values)]
        peak = float(values.max()) if len(values) else 0.0
        if self._top is None or peak > self._top:
            self._top = nice_top(peak)
        return 0.0, self._top

    def render(self, steps, current: int, total: int | None = None,
               points: object = None) -> np.ndarray:
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
        points : object, optional
            What the run ran on (the page gives the points array itself): runs given the same
            object (``is``) share the y axis; another object starts it anew.
        """
        for _ in self.render_in_pieces(steps, current, total, points):
            pass
        return self._pixels

    def render_in_pieces(self, steps, current: int, total: int | None = None,
                         points: object = None):
        """`render` as a generator: a step after each half of a background drawn anew (the
        page runs one step per turn of its event loop); the pixels are then in `pixels()`."""
        key = (max(total or len(steps), 2), self._y_range(steps, points), self.theme)
        if key != self._background_key:
            yield from self._draw_background_in_pieces(key)
        self.canvas.restore_region(self._background)
        shown = steps[: current + 1]
        x = np.arange(len(shown))
        y = np.array([s.inertia for s in shown], dtype=float)
        kinds = np.array([s.kind for s in shown])
        self._line.set_data(x, y)
        self.ax.draw_artist(self._line)
        marked = np.minimum(y, key[1][1])  # a pick above the top: its mark on the top edge
        for kind, artist in self._marks.items():
            chosen = kinds == kind
            artist.set_data(x[chosen], marked[chosen])
            self.ax.draw_artist(artist)
        self._current.set_data(x[-1:], marked[-1:])
        self.ax.draw_artist(self._current)
        self._pixels = np.asarray(self.canvas.buffer_rgba())

    def pixels(self) -> np.ndarray:
        """RGBA (height, width, 4) uint8 of the last chart rendered (a view of the Agg buffer)."""
        return self._pixels
