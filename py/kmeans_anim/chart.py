"""The run at a glance: a small chart of the inertia after every half-step, drawn with matplotlib
(Figure + Agg, no pyplot) into RGBA pixels, and the size of each cluster.

The chart grows as the run is shown: it plots the half-steps up to the one on screen, on an x
axis as long as the run, and marks the one on screen. Assignments are dots, updates squares:
every update lowers the inertia or keeps it, and so does every assignment (Lloyd's algorithm
never raises it), which the chart lets a class see.

>>> from types import SimpleNamespace
>>> steps = [SimpleNamespace(kind=k, inertia=v) for k, v in
...          [("init", 90.0), ("assign", 90.0), ("update", 60.0), ("assign", 55.0)]]
>>> chart = InertiaChart(320, 140, dpi=100)
>>> chart.render(steps, current=2, total=4).shape
(140, 320, 4)
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
        self.ax = self.figure.add_subplot()
        self.theme = theme
        self.resize(width_px, height_px, dpi)

    def resize(self, width_px: int, height_px: int, dpi: float) -> None:
        self.figure.set_dpi(dpi)
        self.figure.set_size_inches((width_px + 1e-3) / dpi, (height_px + 1e-3) / dpi)
        # Fixed margins in inches (room for small tick labels): no layout pass per frame.
        w, h = width_px / dpi, height_px / dpi
        self.figure.subplots_adjust(left=0.55 / w, right=1 - 0.12 / w, top=1 - 0.3 / h,
                                    bottom=0.42 / h)

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
        t = THEMES[self.theme]
        ax, fig = self.ax, self.figure
        ax.clear()
        fig.set_facecolor(t["face"])
        ax.set_facecolor(t["face"])
        total = max(total or len(steps), 2)
        shown = steps[: current + 1]
        x = np.arange(len(shown))
        y = np.array([s.inertia for s in shown], dtype=float)
        ax.plot(x, y, color=LINE, linewidth=1.2)
        kinds = np.array([s.kind for s in shown])
        for kind, marker in (("assign", "o"), ("update", "s"), ("init", "o"), ("move", "D")):
            sel = kinds == kind
            if sel.any():
                ax.plot(x[sel], y[sel], linestyle="none", marker=marker, markersize=3.5,
                        color=LINE)
        ax.plot([x[-1]], [y[-1]], marker="o", markersize=7, markerfacecolor="none",
                markeredgecolor=CURRENT, markeredgewidth=1.8, linestyle="none")
        ax.set_xlim(-0.5, total - 0.5)
        ax.xaxis.set_major_locator(MaxNLocator(nbins=6, integer=True))
        ax.yaxis.set_major_locator(MaxNLocator(nbins=3))
        all_y = np.array([s.inertia for s in steps], dtype=float)
        lo, hi = float(np.nanmin(all_y)), float(np.nanmax(all_y))
        pad = (hi - lo) * 0.08 or abs(hi) * 0.05 or 1.0
        ax.set_ylim(lo - pad, hi + pad)
        ax.set_title(f"inertia {y[-1]:.4g}", fontsize="small", color=t["ink"], loc="left")
        ax.tick_params(labelsize="x-small", colors=t["ink"])
        ax.set_xlabel("half-step", fontsize="x-small",
                      color=t["ink"])
        for spine in ax.spines.values():
            spine.set_edgecolor(t["grid"])
        ax.grid(True, color=t["grid"], linewidth=0.6)
        self.canvas.draw()
        return np.asarray(self.canvas.buffer_rgba())
