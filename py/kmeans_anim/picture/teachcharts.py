"""Which start? How many clusters? The teaching panel's small charts (issue 17), drawn with
matplotlib (Figure + Agg, no pyplot) into RGBA pixels, and the pure data each one plots.

- `starts_chart`: the final inertia of each of N starts as a dot plot (equal inertias stack),
  the best one in red: how much the start matters.
- `elbow_chart`: the inertia of the best start at each K (line, left axis) and the mean
  silhouette (dashed, right axis), the K on screen marked.
- `silhouette_chart`: the silhouette of every point of the run, sorted within its cluster and
  stacked cluster by cluster, with the mean as a dashed line, as in scikit-learn's gallery
  ("Selecting the number of clusters with silhouette analysis on KMeans clustering").

Each is drawn whole when its data changes (a few times per lesson, never per frame), in pieces
(`*_in_pieces`: the figure, the plotting, the drawing; each about 25 ms in CPython, so the page
can paint between them). Text is as large as the page's (``font_px``), as in `chart.py`.

>>> dot_plot([5.0, 5.0, 9.0], columns=4)
([0, 0, 3], [0, 1, 0])
>>> [(b.cluster, b.start, b.values.tolist()) for b in silhouette_bands([0.5, 0.1, 0.9], [1, 0, 1], 2, gap=2)]
[(0, 0, [0.1]), (1, 3, [0.5, 0.9])]
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from ..core.data import run_pieces
from .chart import CURRENT, LINE, TEXT_PT
from .view import CATEGORY10, THEMES

__all__ = ["dot_plot", "SilhouetteBand", "silhouette_bands", "starts_chart", "elbow_chart",
           "silhouette_chart", "starts_chart_in_pieces", "elbow_chart_in_pieces",
           "silhouette_chart_in_pieces"]

SILHOUETTE_LINE = "#2ca02c"


def dot_plot(values, columns: int = 24) -> tuple[list[int], list[int]]:
    """Column and height of each value's dot: the range of `values` cut into `columns` equal
    columns (all in column 0 when they are equal); dots in one column stack up from 0, in order.
    """
    v = np.asarray(values, dtype=np.float64)
    if v.size == 0:
        return [], []
    lo, hi = float(v.min()), float(v.max())
    if hi > lo:
        cols = np.minimum(((v - lo) / (hi - lo) * columns).astype(int), columns - 1)
    else:
        cols = np.zeros(v.size, dtype=int)
    heights, seen = [], {}
    for c in cols.tolist():
        heights.append(seen.get(c, 0))
        seen[c] = heights[-1] + 1
    return cols.tolist(), heights


class SilhouetteBand(NamedTuple):
    """One cluster's band in the silhouette plot: rows start .. start + len(values) - 1."""

    cluster: int
    start: int              # first row of the band (rows count up from 0)
    values: np.ndarray      # its points' silhouettes, increasing


def silhouette_bands(samples, labels, k: int, gap: int = 10) -> list[SilhouetteBand]:
    """The bands of `silhouette_chart`: clusters 0..k-1 that have points, each one's
    silhouettes (`samples` (n,), for points with `labels` (n,)) sorted, `gap` rows apart."""
    s, lab = np.asarray(samples, dtype=np.float64), np.asarray(labels)
    bands, row = [], 0
    for j in range(k):
        values = np.sort(s[lab == j])
        if values.size:
            bands.append(SilhouetteBand(j, row, values))
            row += values.size + gap
    return bands


def _figure(width_px: int, height_px: int, font_px: float, theme: str, margins: dict):
    """A figure of that size in pixels whose text is `font_px` high, themed; (figure, ax)."""
    t = THEMES[theme]
    dpi = font_px * 72.0 / TEXT_PT
    figure = Figure(figsize=((width_px + 1e-3) / dpi, (height_px + 1e-3) / dpi), dpi=dpi)
    FigureCanvasAgg(figure)
    em = font_px
    figure.subplots_adjust(left=margins.get("left", 3.6) * em / width_px,
                           right=1 - margins.get("right", 1.0) * em / width_px,
                           top=1 - margins.get("top", 0.8) * em / height_px,
                           bottom=margins.get("bottom", 2.8) * em / height_px)
    figure.set_facecolor(t["face"])
    ax = figure.add_subplot()
    _style_axes(ax, t)
    return figure, ax


def _style_axes(ax, t) -> None:
    ax.set_facecolor(t["face"])
    ax.tick_params(labelsize=TEXT_PT, colors=t["ink"])
    for spine in ax.spines.values():
        spine.set_color(t["ink"])
    ax.xaxis.label.set_color(t["ink"])
    ax.yaxis.label.set_color(t["ink"])
    ax.yaxis.get_offset_text().set_fontsize(TEXT_PT)
    ax.yaxis.get_offset_text().set_color(t["ink"])


def _pixels(figure) -> np.ndarray:
    figure.canvas.draw()
    return np.asarray(figure.canvas.buffer_rgba()).copy()


def starts_chart(inertias, best: int, width_px: int = 320, height_px: int = 120,
                 font_px: float = 14.0, theme: str = "light") -> np.ndarray:
    """(height_px, width_px, 4) uint8: the final inertia (x) of each start as a dot, equal
    ones stacked, start `best` (an index into `inertias`) in red."""
    return run_pieces(starts_chart_in_pieces(inertias, best, width_px, height_px, font_px, theme))


def starts_chart_in_pieces(inertias, best: int, width_px: int = 320, height_px: int = 120,
                           font_px: float = 14.0, theme: str = "light"):
    """`starts_chart` as a generator of pieces; returns the pixels."""
    figure, ax = _figure(width_px, height_px, font_px, theme,
                         {"left": 1.0, "top": 0.6, "bottom": 3.0})
    yield
    v = np.asarray(inertias, dtype=np.float64)
    columns = 24
    cols, heights = dot_plot(v, columns)
    lo, hi = (float(v.min()), float(v.max())) if v.size else (0.0, 1.0)
    width = (hi - lo) / columns if hi > lo else max(abs(lo), 1.0) * 0.01
    x = lo + (np.asarray(cols) + 0.5) * width if v.size else np.array([])
    colours = [CURRENT if i == best else LINE for i in range(v.size)]
    top = max(max(heights, default=0) + 1, 3)
    # A dot as wide as a column and as high as a row of the stack, at most 0.6 em.
    axes_px = ax.get_position().height * height_px
    diameter_px = min(0.6 * font_px, axes_px / top, ax.get_position().width * width_px / (columns + 2))
    ax.scatter(x, np.asarray(heights) + 0.5, s=(diameter_px * 72.0 / figure.dpi) ** 2,
               c=colours, zorder=3)
    ax.set_ylim(0, top)
    ax.set_xlim(lo - width, lo + (columns + 1) * width if hi > lo else lo + 2 * width)
    ax.set_yticks([])
    ax.xaxis.set_major_locator(MaxNLocator(nbins=4))
    ax.ticklabel_format(axis="x", style="sci", scilimits=(-3, 5))
    ax.xaxis.get_offset_text().set_fontsize(TEXT_PT)
    ax.set_xlabel("final inertia of each start", fontsize=TEXT_PT)
    yield
    return _pixels(figure)


def elbow_chart(ks, inertias, silhouettes, chosen: int | None = None, width_px: int = 320,
                height_px: int = 180, font_px: float = 14.0, theme: str = "light") -> np.ndarray:
    """(height_px, width_px, 4) uint8: inertia of the best start per K (line, left axis, from
    0) and the mean silhouette per K (dashed, right axis, -1..1 clipped to its values; None:
    not measured), the K `chosen` circled."""
    return run_pieces(elbow_chart_in_pieces(ks, inertias, silhouettes, chosen, width_px,
                                            height_px, font_px, theme))


def elbow_chart_in_pieces(ks, inertias, silhouettes, chosen: int | None = None,
                          width_px: int = 320, height_px: int = 180, font_px: float = 14.0,
                          theme: str = "light"):
    """`elbow_chart` as a generator of pieces; returns the pixels."""
    t = THEMES[theme]
    figure, ax = _figure(width_px, height_px, font_px, theme, {"left": 4.6, "right": 4.4, "top": 1.5})
    yield
    ks = list(ks)
    ax.plot(ks, inertias, color=LINE, marker="o", markersize=0.35 * font_px, linewidth=1.4)
    ax.set_ylim(0, max(max(inertias, default=1.0) * 1.08, 1e-12))
    ax.set_xlim(0.5, max(ks, default=1) + 0.5)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=10))
    ax.yaxis.set_major_locator(MaxNLocator(nbins=3))
    ax.ticklabel_format(axis="y", style="sci", scilimits=(-3, 4))
    ax.set_xlabel("K", fontsize=TEXT_PT)
    ax.set_ylabel("inertia", fontsize=TEXT_PT, color=LINE)
    if chosen in ks:
        i = ks.index(chosen)
        ax.plot([chosen], [inertias[i]], marker="o", markersize=0.8 * font_px,
                markerfacecolor="none", markeredgecolor=CURRENT, markeredgewidth=2)
    measured = [(k, s) for k, s in zip(ks, silhouettes) if s is not None]
    yield
    if measured:
        twin = ax.twinx()
        _style_axes(twin, t)
        mk, ms = zip(*measured)
        twin.plot(mk, ms, color=SILHOUETTE_LINE, linestyle="--", marker="s",
                  markersize=0.3 * font_px, linewidth=1.2)
        twin.set_ylim(min(0.0, min(ms)) - 0.05, 1.0)
        twin.yaxis.set_major_locator(MaxNLocator(nbins=3))
        twin.set_ylabel("silhouette", fontsize=TEXT_PT, color=SILHOUETTE_LINE)
        yield
    return _pixels(figure)


def silhouette_chart(samples, labels, k: int, mean: float, width_px: int = 320,
                     height_px: int = 200, font_px: float = 14.0,
                     theme: str = "light") -> np.ndarray:
    """(height_px, width_px, 4) uint8: scikit-learn's silhouette plot of one clustering: per
    cluster its points' silhouettes (x) sorted, as a filled band, clusters stacked bottom-up
    with their number beside, the mean (`mean`) as a dashed red line."""
    return run_pieces(silhouette_chart_in_pieces(samples, labels, k, mean, width_px, height_px,
                                                 font_px, theme))


def silhouette_chart_in_pieces(samples, labels, k: int, mean: float, width_px: int = 320,
                               height_px: int = 200, font_px: float = 14.0,
                               theme: str = "light"):
    """`silhouette_chart` as a generator of pieces; returns the pixels."""
    t = THEMES[theme]
    figure, ax = _figure(width_px, height_px, font_px, theme, {"left": 1.6, "bottom": 3.0})
    yield
    n = len(samples)
    bands = silhouette_bands(samples, labels, k, gap=max(1, n // 40))
    for band in bands:
        rows = np.arange(band.start, band.start + band.values.size)
        colour = CATEGORY10[band.cluster % len(CATEGORY10)]
        ax.fill_betweenx(rows, 0, band.values, facecolor=colour, edgecolor=colour, alpha=0.8)
        ax.text(-0.02, band.start + 0.5 * band.values.size, str(band.cluster + 1),
                fontsize=TEXT_PT, color=t["ink"], ha="right", va="center",
                transform=ax.get_yaxis_transform())
    top = bands[-1].start + bands[-1].values.size if bands else 1
    ax.set_ylim(0, top)
    lowest = min((float(b.values[0]) for b in bands), default=0.0)
    ax.set_xlim(min(-0.1, lowest - 0.05), 1.0)
    ax.axvline(mean, color=CURRENT, linestyle="--", linewidth=1.4)
    ax.set_yticks([])
    ax.xaxis.set_major_locator(MaxNLocator(nbins=5))
    ax.set_xlabel("silhouette of each point", fontsize=TEXT_PT)
    yield
    return _pixels(figure)
