"""Draw k-means frames with matplotlib (Figure + Agg, no pyplot) into an RGBA pixel buffer.

The figure copies the bqplot notebook: a scatter titled "K-Means Clustering" with axes "X1" and
"X2", points filled with their cluster's category10 colour and edged in black, and centroids as
big markers in the same colours. A centroid's fill has a double outline (a light ring, then a dark
one) so it reads as a filled marker even over a dense crowd of its own cluster's dots. Beyond the
notebook it can draw the path each centroid has travelled (``trails``), each centroid's region
(``regions``, straight-edged polygons), the centroid of an empty cluster as a dashed ring with a
cross (and a legend in a corner saying what that means), a ring around the points that just
changed cluster, a line from every point to its centroid (``links``), a marker shape per cluster
for colour-blind viewers and a dark theme. One data unit is always as many pixels along x as
along y.

A full Agg redraw of this figure takes tens of milliseconds (a lot more in Pyodide), so frames are
blitted, as in matplotlib's blitting tutorial. There are two cached layers:

1. the *background*: everything except the moving artists (frame, ticks, title, labels, grid),
   captured once after a full draw with the points, regions, trails, centroids and the empty
   cluster legend marked ``animated`` (Axes.draw skips animated artists, except images: the
   figure has none);
2. *background + points*: points change colour only when the labels change (a few times a second
   at most) while centroids move every animation frame, so the points are drawn once per labelling
   and captured (with the empty-cluster legend while a cluster is empty); a common frame only
   restores this layer and draws the k centroids (and trails).

Above RASTER_FROM points the points layer is not a matplotlib scatter: numpy writes each point as
a small dot straight into the Agg buffer (colours averaged and alpha-blended where dots overlap),
which stays fast at a million points. Below it the look is the notebook's.

Everything the moving artists draw is clipped to the axes, so only the axes rectangle is copied
and restored; the pixels outside it are written by the full draw alone.

Example
-------
>>> import numpy as np
>>> from kmeans_anim.picture.view import KMeansView
>>> view = KMeansView(400, 300, dpi=100)
>>> X = np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 0.5]])
>>> view.set_points(X)
>>> rgba = view.render(np.array([0, 0, 1]), np.array([[0.5, 0.5], [2.0, 0.5]]))
>>> rgba.shape, rgba.dtype.name, view.last_render_info["redrawn"]
((300, 400, 4), 'uint8', 'full')
>>> _ = view.render(np.array([0, 0, 1]), np.array([[0.6, 0.5], [2.0, 0.5]]))
>>> view.last_render_info["redrawn"]
'centroids'
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.colors import to_rgba_array
from matplotlib.figure import Figure
from matplotlib.markers import MarkerStyle
from matplotlib.patches import FancyArrowPatch, Rectangle
from matplotlib.transforms import Bbox, IdentityTransform

from .plotbox import PlotBox

__all__ = ["CATEGORY10", "UNASSIGNED_COLOR", "MARKERS", "THEMES", "RASTER_FROM", "EMPTY_LEGEND",
           "Style", "KMeansView", "equal_scale_limits", "label_colors", "undrawable",
           "voronoi_cells"]

#: d3 / bqplot category10 palette; cluster ``i`` is drawn with ``CATEGORY10[i % 10]``.
CATEGORY10: tuple[str, ...] = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
    "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
)
#: Fill of points not yet assigned to a cluster (label -1): light grey, distinct from the palette.
UNASSIGNED_COLOR = "#e6e6e6"
#: With ``Style(shapes=True)`` cluster ``i`` is drawn with ``MARKERS[i % 10]`` (all filled, all
#: told apart by outline alone), so the clusters can be read without telling colours apart.
MARKERS: tuple[str, ...] = ("o", "s", "^", "D", "v", "P", "X", "*", "h", "<")

#: Colours of everything but the clusters, per theme. A centroid's fill is ringed in
#: ``centroid_ring`` (light) and that in ``centroid_rim`` (dark): whatever surrounds the marker,
#: one of the two contrasts with it and with the fill.
THEMES: dict[str, dict[str, str]] = {
    "light": {"face": "#ffffff", "ink": "#222222", "grid": "#e5e5e5", "edge": "#000000",
              "centroid_ring": "#ffffff", "centroid_rim": "#000000", "prompt": "#555555",
              "unassigned": UNASSIGNED_COLOR},
    "dark": {"face": "#17191d", "ink": "#e6e6e6", "grid": "#33373d", "edge": "#000000",
             "centroid_ring": "#f5f5f5", "centroid_rim": "#000000", "prompt": "#b4b4b4",
             "unassigned": "#8d9299"},
}

TITLE = "K-Means Clustering"
# Data limits get this fraction of the data span on each side, so centroids (always inside the
# convex hull of the points) and the point markers never touch the frame.
LIMIT_MARGIN = 0.08
# Marker areas in points^2 (dpi-independent). bqplot's default_size=400 is in px^2 of the marker's
# bounding square; a matplotlib 'o' of s=350 pt^2 at 100 dpi looks the same size.
POINT_SIZE = 36.0
POINT_EDGE_WIDTH = 0.8
CENTROID_SIZE = 350.0
# A centroid's outline (points): a light ring this wide, centred on the marker's outline, then a
# dark rim this wide around the ring. Thin beside the fill, so the marker reads as filled.
CENTROID_RING_WIDTH = 1.4
CENTROID_RIM_WIDTH = 1.6
# The centroid of an empty cluster: a dashed ring this wide (dash, gap in multiples of the line
# width) in the cluster's colour around the background, with a cross (points^2) in the theme's
# ink inside: it contrasts with the background it sits on in either theme.
EMPTY_RING_WIDTH = 3.0
EMPTY_DASHES = (0.0, (1.6, 1.2))
EMPTY_CROSS_SIZE = 80.0
EMPTY_CROSS_WIDTH = 2.0
#: Drawn in a corner of the plot while some cluster has no points.
EMPTY_LEGEND = "dashed ring with \N{MULTIPLICATION SIGN}: a cluster with no points"
TRAIL_WIDTH = 1.5
TRAIL_ALPHA = 0.75
# Ring around a point that changed cluster at the assignment on screen: a marker this much
# bigger than the point, in the theme's ink.
CHANGED_SIZE = 130.0
CHANGED_WIDTH = 1.8
LINK_WIDTH = 0.7
LINK_ALPHA = 0.45
#: Links (point -> centroid lines) are drawn for at most this many points (a fixed sample
#: above it): more lines are a grey mass, and cost a frame each.
MAX_LINKS = 2000
# Strength of a region's tint: light, so points and their black edges stay readable on top.
REGION_TINT = 0.16
# Explain mode: the lines from a selected point to every centroid (the nearest one solid and
# wider), the ring on what is selected, the veil over the points outside a selected centroid's
# cluster, the mark at its mean and the arrow to it.
EXPLAIN_NEAREST_WIDTH = 2.6
EXPLAIN_LINE_WIDTH = 1.3
EXPLAIN_RING_SIZE = 220.0
EXPLAIN_CENTROID_RING_SIZE = 900.0
EXPLAIN_RING_WIDTH = 2.2
EXPLAIN_VEIL_ALPHA = 0.7
EXPLAIN_MEAN_SIZE = 260.0
EXPLAIN_ARROW_WIDTH = 2.2
#: A distance is written halfway along its line if the line is twice this long (pixels at
#: 100 dpi), else this far past the centroid.
EXPLAIN_LABEL_ROOM_PX = 34.0
#: An arrow shorter than this (display pixels) is not drawn: the centroid is at its mean.
EXPLAIN_MIN_ARROW_PX = 4.0

# A pick of the start (``weights``): a point's marker area runs from the first to the second
# multiple of POINT_SIZE as its D² weight runs from 0 to the largest (area proportional to the
# chance), and its fill from the unassigned grey towards the theme's ink by the square root of
# the weight (so that middling chances are seen too, not only the largest).
WEIGHT_AREA = (0.3, 3.0)
#: Shades of the weighted fill in raster mode (dots are too small to change size).
WEIGHT_LEVELS = 16
#: In raster mode, up to this many ringed points (changed, or a greedy pick's candidates) also
#: get the scatter's ring: an inked dot of 1-3 pixels alone is lost in a crowd.
RASTER_RINGS_UP_TO = 50
#: From this many points on, points are dots written by numpy into the buffer (raster mode).
RASTER_FROM = 3000
# Raster dots: opacity of one dot; overlapping dots add up (1 - (1 - a)^count).
RASTER_ALPHA = 0.7
# Pixels of slack around the axes box in the blitted region: the spines straddle its edge.
_BLIT_PAD = 3

# Row i is the fill of label i; the last row (index -1) is the unassigned colour.
_PALETTE = to_rgba_array(list(CATEGORY10) + [UNASSIGNED_COLOR])


@dataclass(frozen=True)
class Style:
    """How the figure looks, for every frame: the theme ("light" or "dark") and whether each
    cluster also gets its own marker shape (for colour-blind viewers)."""

    theme: str = "light"
    shapes: bool = False


def equal_scale_limits(lo, hi, width_px: float, height_px: float):
    """Limits that show the box [lo, hi] (two (2,) arrays, data units) with one data unit as
    many pixels along x as along y, in an axes of width_px x height_px pixels.

    The axis whose scale would be finer is padded equally on both sides, so the box stays
    centred and nothing is cut. Returns ((x0, x1), (y0, y1)).
    """
    (x0, y0), (x1, y1) = np.asarray(lo, float), np.asarray(hi, float)
    if not (width_px > 0 and height_px > 0):
        return (x0, x1), (y0, y1)
    per_px = max((x1 - x0) / width_px, (y1 - y0) / height_px)  # data units per pixel
    cx, cy = 0.5 * x0 + 0.5 * x1, 0.5 * y0 + 0.5 * y1          # halves first: no overflow
    half_w, half_h = 0.5 * per_px * width_px, 0.5 * per_px * height_px
    return (cx - half_w, cx + half_w), (cy - half_h, cy + half_h)


#: Smallest size, relative to the coordinates' magnitude, of a spread the axes can show (a
#: float64 axis resolves about 1e-15 of its values; matplotlib widens narrower limits).
MIN_RELATIVE_SPREAD = 1e-12
#: Smallest coordinate magnitude an axis can show (matplotlib treats smaller limits as zero).
MIN_DRAWN_MAGNITUDE = 1e-280


def column_range(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Smallest and largest value of each column of X (n, d): two (d,) arrays. Column by
    column, because X.min(axis=0) on a C-ordered (n, 2) array is three times slower (40 ms
    at a million points natively)."""
    lo = np.array([X[:, j].min() for j in range(X.shape[1])])
    hi = np.array([X[:, j].max() for j in range(X.shape[1])])
    return lo, hi


def undrawable(X: np.ndarray) -> str | None:
    """Why the points X (n, 2) cannot be drawn faithfully, in plain words, or None if they can.

    The axes cannot show a spread much finer than float64 resolves at the coordinates'
    magnitude, nor magnitudes near the smallest float64: such points would all be drawn in one
    place, a picture that lies.
    """
    X = np.asarray(X, dtype=float).reshape(-1, 2)
    if len(X) < 2:
        return None
    lo, hi = column_range(X)
    spread = float((hi - lo).max())
    magnitude = float(np.maximum(np.abs(lo), np.abs(hi)).max())
    if spread == 0.0:
        return None  # one place: drawn as it is
    if magnitude < MIN_DRAWN_MAGNITUDE:
        return (f"the points are all within {magnitude:.1e} of zero, too small for the plot to "
                f"draw; multiply them by a power of ten")
    if spread < MIN_RELATIVE_SPREAD * magnitude:
        return (f"the points differ by at most {spread:.1e} while being as large as "
                f"{magnitude:.1e}: too little for the plot to draw them apart; subtract a common "
                f"offset from them")
    return None


def label_colors(labels: np.ndarray, unassigned: str = UNASSIGNED_COLOR) -> np.ndarray:
    """RGBA fills (n, 4) float for integer ``labels`` (n,); -1 gives the unassigned colour."""
    labels = np.asarray(labels)
    index = np.where(labels < 0, len(CATEGORY10), labels % len(CATEGORY10))
    palette = _PALETTE if unassigned == UNASSIGNED_COLOR else to_rgba_array(
        list(CATEGORY10) + [unassigned])
    return palette[index]


def _clip(polygon: np.ndarray, normal: np.ndarray, offset: float) -> np.ndarray:
    """The part of the convex polygon (m, 2) (vertices in order) where ``x @ normal <= offset``:
    one Sutherland-Hodgman step. Returns its vertices (m', 2) in the same order; m' = 0 if
    nothing is left."""
    side = polygon @ normal - offset
    inside = side <= 0
    if inside.all() or not len(polygon):
        return polygon
    after, side_after = np.roll(polygon, -1, axis=0), np.roll(side, -1)
    crosses = inside != np.roll(inside, -1)            # edge k -> k+1 crosses the line
    t = np.divide(side, side - side_after, out=np.zeros_like(side), where=crosses)
    crossing = polygon + t[:, None] * (after - polygon)
    # Vertex k (if kept), then where edge k -> k+1 crosses the line (if it does).
    return np.stack([polygon, crossing], axis=1)[np.stack([inside, crosses], axis=1)]


def voronoi_cells(sites: np.ndarray, box) -> list[np.ndarray]:
    """Each site's nearest-site region (Voronoi cell) within a rectangle, as a convex polygon.

    Parameters
    ----------
    sites : array of float, shape (k, 2)
        The centroids, in any units whose two axes have the same scale (e.g. display pixels).
    box : (x0, y0, x1, y1)
        The rectangle, in the same units.

    Returns
    -------
    list of k arrays of float, shape (m_i, 2)
        Cell i's vertices in order: the rectangle cut by the half-planes
        ``|x - sites[i]|^2 <= |x - sites[j]|^2`` for every j != i (the perpendicular bisectors).
        A site at the same place as an earlier one has an empty cell (m_i = 0): the lower index
        keeps a tie, as the engine's assignment does.
    """
    x0, y0, x1, y1 = box
    rectangle = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], dtype=float)
    sites = np.asarray(sites, dtype=float).reshape(-1, 2)
    cells = []
    for i, site in enumerate(sites):
        cell = rectangle
        for j, other in enumerate(sites):
            normal = other - site
            if j == i:
                continue
            if not normal.any():                 # the same place: the lower index keeps it
                if j < i:
                    cell = rectangle[:0]
                    break
                continue
            # Nearer to site than to other  <=>  (x - midpoint) @ (other - site) <= 0.
            cell = _clip(cell, normal, normal @ (0.5 * site + 0.5 * other))
            if not len(cell):
                break
        cells.append(cell)
    return cells


def _marker_path(marker: str):
    style = MarkerStyle(marker)
    return style.get_path().transformed(style.get_transform())


_MARKER_PATHS = [_marker_path(m) for m in MARKERS]


class _Dots:
    """The pixels the raster points cover, for one layout: what stays the same while the
    labels change (which pixels, how many dots on each) is worked out once.

    Parameters
    ----------
    local : ndarray of intp, shape (m,)
        Pixels of the dots in the rectangle `box`, read row by row.
    owner : ndarray of intp, shape (m,)
        The point each of those pixels belongs to.
    box : (left, top, width, height)
        The rectangle (the axes) in buffer pixels.
    """

    def __init__(self, local, owner, box):
        self.local, self.owner, self.box = local, owner, box
        left, top, width, height = box
        count = np.bincount(local, minlength=width * height)
        self.touched = np.flatnonzero(count)
        # One dot is clearly seen, crowds turn solid: opacity 1 - (1 - a)^count.
        self.alpha = (1.0 - (1.0 - RASTER_ALPHA) ** count[self.touched])[:, None]
        self.rows, self.cols = np.divmod(self.touched, width)
        self._top_colour = np.empty(width * height, np.int8)
        self._flat, self._flat_width = None, None

    def blend(self, buffer, colour_of, palette) -> None:
        """Blend the dots into buffer (H, W, 4) uint8, C-contiguous: point i in
        palette[colour_of[i]] (palette (c, 3), 0..255). A pixel under several dots takes the
        colour of the last one drawn. O(m): two scatters and a few gathers, no sort, however
        many points."""
        if len(self.local) == 0:
            return
        if not buffer.flags.c_contiguous:  # reshape would copy, and the writes would be lost
            raise ValueError("blend needs a C-contiguous buffer")
        left, top, width, height = self.box
        full_width = buffer.shape[1]
        if self._flat_width != full_width:  # the touched pixels' indices in the whole buffer
            self._flat = ((top + self.rows) * full_width + left + self.cols).astype(np.intp)
            self._flat_width = full_width
        self._top_colour[self.local] = colour_of[self.owner]  # later dots overwrite earlier ones
        # Whole RGBA pixels as one uint32 each: 1-D gathers and scatters, contiguous arithmetic
        # (a third of the time of (rows, cols, :3) indexing; the same pixels, bit for bit).
        opaque = np.concatenate([palette, np.full((len(palette), 1), 255.0)], axis=1)
        mixed = np.take(opaque, self._top_colour[self.touched], axis=0)   # (t, 4) float64
        pixels = buffer.reshape(-1).view(np.uint32)
        under = pixels[self._flat].view(np.uint8).reshape(-1, 4).astype(np.float64)
        mixed -= under
        mixed *= self.alpha
        mixed += under
        pixels[self._flat] = np.round(mixed, out=mixed).astype(np.uint8).reshape(-1).view(np.uint32)


#: The axes' labels in the notebook, kept for generated data and headerless points.
AXIS_NAMES = ("X1", "X2")


class KMeansView:
    """Owns a matplotlib Figure + FigureCanvasAgg sized in device pixels; renders frames to RGBA.

    Parameters
    ----------
    width_px, height_px : int
        Size of the output buffer in device pixels.
    dpi : float
        Dots per inch: use ``100 * devicePixelRatio`` so that text, markers and line widths keep
        their CSS size on HiDPI screens (the figure is then ``width_px / dpi`` inches wide).
    style : Style, optional
        Theme and marker shapes; change later with :meth:`set_style`.

    Notes
    -----
    Call :meth:`set_points` once per data set, then :meth:`render` every frame. The first render
    after construction, :meth:`resize`, :meth:`set_points` or :meth:`set_style` performs the one
    full draw (layout included); later renders only blit.
    """

    def __init__(self, width_px: int = 1000, height_px: int = 800, dpi: float = 100.0,
                 style: Style = Style()):
        self.figure = Figure()
        self.canvas = FigureCanvasAgg(self.figure)
        self.ax = ax = self.figure.add_subplot()
        ax.set_title(TITLE, fontsize="x-large")
        ax.set_xlabel(AXIS_NAMES[0])
        ax.set_ylabel(AXIS_NAMES[1])
        ax.set_axisbelow(True)
        ax.set_autoscale_on(False)
        ax.set_xlim(-1.0, 1.0)
        ax.set_ylim(-1.0, 1.0)

        self._X = np.empty((0, 2))
        self._data_box = (np.array([-1.0, -1.0]), np.array([1.0, 1.0]))  # set_points sets it
        # Moving artists are created once and only updated; ``animated`` keeps them out of
        # the full draw so the cached background holds none of them.
        # Fills are set per frame with set_facecolors; the scatters are built with an explicit
        # facecolor, not ``c``, so that no colormap mapping overrides them at draw time.
        self._points = ax.scatter(
            [], [], s=POINT_SIZE, facecolors=UNASSIGNED_COLOR, edgecolors="black",
            linewidths=POINT_EDGE_WIDTH, zorder=2, animated=True,
        )
        self._changed = ax.scatter(
            [], [], s=CHANGED_SIZE, facecolors="none", linewidths=CHANGED_WIDTH, zorder=2.2,
            animated=True,
        )
        self._links = LineCollection([], linewidths=LINK_WIDTH, alpha=LINK_ALPHA, zorder=2.5,
                                     animated=True)
        ax.add_collection(self._links, autolim=False)
        self._trails = LineCollection(
            [], linewidths=TRAIL_WIDTH, alpha=TRAIL_ALPHA, zorder=3, animated=True,
            capstyle="round", joinstyle="round",
        )
        ax.add_collection(self._trails, autolim=False)
        # Nearest-centroid regions: polygons in display pixels (see voronoi_cells) under the
        # points, antialiased, so their borders are straight lines at any size.
        self._regions = PolyCollection([], closed=True, transform=IdentityTransform(),
                                       linewidths=0, edgecolors="none", antialiaseds=True,
                                       zorder=1, animated=True)
        ax.add_collection(self._regions, autolim=False)
        # A centroid is two passes over the same marker: a stroke in the dark rim colour wide
        # enough to show CENTROID_RIM_WIDTH beyond the light ring (strokes are centred on the
        # outline), then the fill edged with the light ring.
        self._centroid_rims = ax.scatter(
            [], [], s=CENTROID_SIZE, marker="o", zorder=4, animated=True,
            linewidths=CENTROID_RING_WIDTH + 2 * CENTROID_RIM_WIDTH,
        )
        self._centroids = ax.scatter(
            [], [], s=CENTROID_SIZE, facecolors=CATEGORY10[0], marker="o",
            linewidths=CENTROID_RING_WIDTH, zorder=4.1, animated=True,
        )
        # The cross inside the dashed ring of an empty cluster's centroid.
        self._empty_crosses = ax.scatter(
            [], [], s=EMPTY_CROSS_SIZE, marker="x", linewidths=EMPTY_CROSS_WIDTH, zorder=4.2,
            animated=True,
        )
        self._centroid_style = None    # (k, empty clusters) the centroid look is set for
        # Says what the dashed ring means, in the top left corner, while a cluster is empty.
        # Animated: drawn with the points layer, whose key says whether it shows, never kept
        # in the background.
        self._empty_legend = ax.text(
            0.015, 0.985, EMPTY_LEGEND, transform=ax.transAxes, ha="left", va="top",
            fontsize="medium", zorder=3.9, animated=True,
            bbox={"boxstyle": "round,pad=0.35", "linewidth": 0.8, "alpha": 0.9},
        )
        # A line of text in the middle of the empty axes (before the first GO); static, so it
        # is part of the background when shown.
        self._prompt = ax.text(0.5, 0.5, "", transform=ax.transAxes, ha="center", va="center",
                               fontsize="large", wrap=True)
        # The half-step in words for the exported pictures, bottom right inside the axes (the
        # empty-cluster legend holds the top left; a narrow plot has no room for both at the
        # top). Drawn over the points layer and kept as a layer of its own (a text in a box
        # costs ms to draw, too much for every frame): _captioned is the points layer
        # `_captioned_on` with the caption `_caption` shows.
        self._caption = ax.text(
            0.985, 0.015, "", transform=ax.transAxes, ha="right", va="bottom",
            fontsize="medium", zorder=5, animated=True, clip_on=True,
            bbox={"boxstyle": "round,pad=0.3", "linewidth": 0.8, "alpha": 0.85},
        )
        self._captioned = self._captioned_on = None
        # Explain mode (see render's `explained`): per-frame artists, but the veil and the
        # selected cluster's points, which are drawn with the points layer.
        self._explain_lines = LineCollection([], zorder=3.5, animated=True, capstyle="round")
        ax.add_collection(self._explain_lines, autolim=False)
        self._explain_ring = ax.scatter([], [], s=EXPLAIN_RING_SIZE, facecolors="none",
                                        linewidths=EXPLAIN_RING_WIDTH, zorder=4.3, animated=True)
        self._explain_mean = ax.scatter([], [], s=EXPLAIN_MEAN_SIZE, marker="X",
                                        linewidths=1.2, zorder=4.4, animated=True)
        self._explain_arrow = FancyArrowPatch((0, 0), (1, 1), arrowstyle="-|>",
                                              mutation_scale=20, linewidth=EXPLAIN_ARROW_WIDTH,
                                              zorder=4.35, animated=True, shrinkA=0, shrinkB=6)
        ax.add_patch(self._explain_arrow)
        self._explain_veil = Rectangle((0, 0), 1, 1, transform=ax.transAxes, linewidth=0,
                                       zorder=2.4, animated=True)
        ax.add_patch(self._explain_veil)
        self._explain_members = ax.scatter([], [], s=POINT_SIZE, linewidths=POINT_EDGE_WIDTH,
                                           zorder=2.5, animated=True)
        self._explain_texts = []       # one label per centroid, made as needed

        self._background = None        # layer 1: axes without moving artists
        self._with_points = None       # layer 2: background + points for _points_key
        self._points_key = None        # (labels, regions, changed, legend, weights) it shows
        self._region: Bbox | None = None
        self._raster = None            # raster mode: the points' pixel footprints (see _raster_index)
        self._link_sample = None       # indices of the points whose links are drawn
        self._layout_dirty = True
        #: What the last :meth:`render` redrew: ``{"redrawn": "full" | "points" | "centroids"}``.
        self.last_render_info: dict = {}
        self.style = Style()
        self.set_style(style)
        self.resize(width_px, height_px, dpi)

    # -- configuration --------------------------------------------------------------------

    @property
    def size(self) -> tuple[int, int]:
        """(width_px, height_px) of the buffer :meth:`render` returns."""
        return self._width, self._height

    @property
    def raster(self) -> bool:
        """True when the points are drawn as numpy-written dots (RASTER_FROM points or more)."""
        return len(self._X) >= RASTER_FROM

    def resize(self, width_px: int, height_px: int, dpi: float) -> None:
        """Set the buffer size in device pixels and the dpi; the next render re-lays out."""
        width_px, height_px, dpi = int(width_px), int(height_px), float(dpi)
        if width_px < 1 or height_px < 1 or not dpi > 0:
            raise ValueError(f"bad size {width_px}x{height_px} @ {dpi} dpi")
        self._width, self._height = width_px, height_px
        self.figure.set_dpi(dpi)
        # Agg truncates the figure's pixel size to int; a hair over the exact inches keeps
        # float rounding (e.g. 999.9999) from losing a row or column.
        self.figure.set_size_inches((width_px + 1e-3) / dpi, (height_px + 1e-3) / dpi)
        self._layout_dirty = True
        self._invalidate()

    def set_style(self, style: Style) -> None:
        """Switch theme and marker shapes; the next render redraws everything."""
        if style.theme not in THEMES:
            raise ValueError(f"unknown theme {style.theme!r}; choose one of {', '.join(THEMES)}")
        self.style = style
        t = THEMES[style.theme]
        self.figure.set_facecolor(t["face"])
        ax = self.ax
        ax.set_facecolor(t["face"])
        ax.title.set_color(t["ink"])
        ax.xaxis.label.set_color(t["ink"])
        ax.yaxis.label.set_color(t["ink"])
        ax.tick_params(colors=t["ink"], which="both")
        for spine in ax.spines.values():
            spine.set_edgecolor(t["ink"])
        ax.grid(True, color=t["grid"], linewidth=0.8)
        self._prompt.set_color(t["prompt"])
        self._empty_legend.set_color(t["ink"])
        self._empty_legend.get_bbox_patch().set(facecolor=t["face"], edgecolor=t["grid"])
        self._points.set_edgecolor(t["edge"])
        self._changed.set_edgecolor(t["ink"])
        self._caption.set_color(t["ink"])
        self._caption.get_bbox_patch().set(facecolor=t["face"], edgecolor=t["grid"])
        self._explain_ring.set_edgecolor(t["ink"])
        self._explain_mean.set_facecolor(t["ink"])
        self._explain_mean.set_edgecolor(t["face"])
        self._explain_arrow.set_color(t["ink"])
        self._explain_veil.set_facecolor(t["face"])
        self._explain_veil.set_alpha(EXPLAIN_VEIL_ALPHA)
        self._explain_members.set_edgecolor(t["edge"])
        for text in self._explain_texts:
            self._style_explain_text(text)
        self._centroid_style = None
        self._invalidate()

    def set_points(self, X: np.ndarray, box=None) -> None:
        """Show the data set ``X`` (n, 2). The limits cover its extent plus a margin (or the
        given `box` = (lo, hi), two (2,) corners in data units), and are padded at layout time
        so that one data unit is as many pixels along x as along y."""
        X = np.array(X, dtype=float, copy=True).reshape(-1, 2)
        self._X = X
        self._points.set_offsets(X if not self.raster else np.empty((0, 2)))
        before = self._data_box
        if box is not None:
            self._data_box = (np.asarray(box[0], float), np.asarray(box[1], float))
        elif len(X):
            lo, hi = column_range(X)
            span = hi - lo
            span = np.where(span > 0, span, np.maximum(np.abs(lo), 1.0))
            self._data_box = (lo - LIMIT_MARGIN * span, hi + LIMIT_MARGIN * span)
        else:
            self._data_box = (np.array([-1.0, -1.0]), np.array([1.0, 1.0]))
        self._set_limits(*equal_scale_limits(*self._data_box, self.ax.bbox.width, self.ax.bbox.height))
        # A fixed sample of points keeps its links (the same ones every frame).
        self._link_sample = (None if len(X) <= MAX_LINKS else
                             np.sort(np.random.default_rng(0).choice(len(X), MAX_LINKS, replace=False)))
        if all(np.array_equal(a, b) for a, b in zip(before, self._data_box)) and not self._layout_dirty:
            # Same limits (a point clicked in): the background and the layout still hold.
            self._with_points = self._points_key = self._raster = None
            return
        # New limits mean new tick labels, whose widths the layout depends on.
        self._layout_dirty = True
        self._invalidate()

    def set_axis_names(self, names: tuple[str, str] | None) -> None:
        """Label the axes (x name, y name), e.g. the chosen columns of an uploaded table;
        None: the notebook's "X1" and "X2"."""
        x, y = names or AXIS_NAMES
        if (x, y) != (self.ax.get_xlabel(), self.ax.get_ylabel()):
            self.ax.set_xlabel(x)
            self.ax.set_ylabel(y)
            self._layout_dirty = True  # a longer name takes more room
            self._invalidate()

    @property
    def axis_names(self) -> tuple[str, str]:
        """The axes' labels as drawn."""
        return str(self.ax.get_xlabel()), str(self.ax.get_ylabel())

    def set_prompt(self, text: str) -> None:
        """Show `text` in the middle of the axes (e.g. "Press GO ..."); "" hides it."""
        if text != self._prompt.get_text():
            self._prompt.set_text(text)
            self._invalidate()

    def _set_limits(self, xlim, ylim) -> None:
        self.ax.set_xlim(*xlim)
        self.ax.set_ylim(*ylim)

    def _invalidate(self) -> None:
        self._background = None
        self._with_points = None
        self._points_key = None
        self._raster = None

    # -- drawing --------------------------------------------------------------------------

    def _full_draw(self) -> None:
        """The one full draw: layout (if needed) and the background layer."""
        self._lay_out()
        self._draw_background()

    def _lay_out(self) -> None:
        """Fit the axes to the tick labels, if the limits changed since the last layout."""
        if self._layout_dirty:
            # One-shot tight layout: it sets subplot params and leaves no layout engine
            # attached, so nothing is re-laid out on later draws. The equal-scale limits depend
            # on the axes box and the box on the tick labels, so lay out, fit, and again: the
            # second fit makes the scales equal for the box that stays.
            for _ in range(2):
                self.figure.tight_layout(pad=0.6)
                self._set_limits(*equal_scale_limits(*self._data_box, self.ax.bbox.width,
                                                     self.ax.bbox.height))
            self._layout_dirty = False

    def _draw_background(self) -> None:
        """Draw the figure without the moving artists and keep it as the background layer."""
        # Every moving artist is animated and none is an image (Axes.draw draws images even
        # when animated, matplotlib 3.8): the cached background holds none of them.
        self.canvas.draw()
        fig_box = self.figure.bbox
        x0, y0, x1, y1 = self.ax.bbox.padded(_BLIT_PAD).extents
        self._region = Bbox.from_extents(
            max(x0, 0), max(y0, 0), min(x1, fig_box.x1), min(y1, fig_box.y1))
        self._background = self.canvas.copy_from_bbox(self._region)

    def prepare_in_pieces(self):
        """The costly parts of the next render done ahead, one per step of this generator: the
        layout and the full draw (axes, ticks) if due, then where the raster dots lie. The browser
        glue runs one step per turn of the event loop, so a million points never block the page
        for the sum of them; `render` then only blends and blits."""
        if self._background is None:
            if self._layout_dirty:
                self._lay_out()
                yield
            self._draw_background()
            yield
        if self.raster and self._raster is None:
            self._raster_index()
            yield

    def render(self, labels, centroids, trails=None, regions=None, empty=(), changed=None,
               links: bool = False, caption: str = "", explained=None,
               weights=None) -> np.ndarray:
        """Draw one frame and return its pixels.

        Parameters
        ----------
        labels : array of int, shape (n,)
            Cluster of each point given to :meth:`set_points`; -1 = not yet assigned.
        centroids : array of float, shape (k, 2), or None
            Centroid positions; centroid ``i`` takes the colour of cluster ``i``.
        trails : array of float, shape (k, m, 2), optional
            Past positions of each centroid, drawn as thin lines in the cluster's colour.
        regions : array of float, shape (k, 2), optional
            Centroids whose nearest-centroid regions (Voronoi cells) tint the plot, region
            ``i`` in a light shade of cluster ``i``'s colour. Pass the centroids that made
            ``labels``, so each point sits in the region of its own colour. Drawn with the
            points layer, so it costs nothing while only the centroids move.
        empty : sequence of int, optional
            Clusters that have no points: their centroids are drawn as a dashed ring in the
            cluster's colour around the background with a cross inside, and a legend in the
            top left corner says what that mark means, so an empty cluster is seen, not only
            said.
        changed : array of bool, shape (n,), optional
            Points that changed cluster at the assignment on screen: ringed in the theme's ink.
        links : bool
            Draw a thin line from every point (at most MAX_LINKS of them) to its centroid.
        caption : str
            A line of text in the bottom right corner inside the axes, on a box of the
            background's colour (e.g. the half-step shown), over the points and under the
            centroids; "" draws none.
        explained : explain.PointShown or explain.CentroidShown, optional
            Explain mode (picture/explain.py). A point: ringed, with a line to every centroid
            (the nearest solid and wider) and its distance written on it. A centroid: the
            points outside its cluster veiled, the centroid ringed, its mean marked with an X
            and labelled, and an arrow from the centroid to the mean.
        weights : array of float, shape (n,), optional
            At a pick of the start: each point's chance of being picked relative to the
            likeliest (0..1). A point's marker grows with it (area from WEIGHT_AREA[0] to
            WEIGHT_AREA[1] times the usual) and its fill goes from the unassigned grey towards
            the theme's ink; raster dots only change shade. Drawn with the points layer.

        Returns
        -------
        numpy.ndarray of uint8, shape (height_px, width_px, 4)
            RGBA rows top to bottom. It is a view of the Agg buffer: valid only until the next
            call to ``render`` / ``resize`` (copy it to keep it).
        """
        labels = np.asarray(labels)
        if labels.shape != (len(self._X),):
            raise ValueError(f"labels shape {labels.shape} != ({len(self._X)},)")
        canvas = self.canvas
        redrawn = "centroids"
        if self._background is None:
            self._full_draw()
            redrawn = "full"
        regions = None if regions is None else np.asarray(regions, dtype=float).reshape(-1, 2)
        changed = None if changed is None or not np.any(changed) else np.asarray(changed, bool)
        if centroids is not None:
            centroids = np.asarray(centroids, dtype=float).reshape(-1, 2)
            empty = tuple(sorted({int(j) for j in empty if 0 <= j < len(centroids)}))
        else:
            empty = ()
        weights = None if weights is None else np.asarray(weights, dtype=float)
        # The legend changes with the assignment, as the points do: it is drawn with them; so
        # do the D² weights of a pick and the highlight of a selected centroid's cluster.
        highlight = explained.members if getattr(explained, "kind", None) == "centroid" else None
        key = (labels, regions, changed, bool(empty), weights, highlight)
        if self._with_points is not None and self._same_points_layer(key):
            canvas.restore_region(self._with_points)
        else:
            canvas.restore_region(self._background)
            self._draw_points_layer(*key)
            self._with_points = canvas.copy_from_bbox(self._region)
            self._points_key = tuple(a.copy() if isinstance(a, np.ndarray) else a for a in key)
            if redrawn != "full":
                redrawn = "points"

        if caption:
            if self._captioned_on is self._with_points and self._caption.get_text() == caption:
                canvas.restore_region(self._captioned)
            else:
                self._caption.set_text(caption)
                self.ax.draw_artist(self._caption)
                self._captioned = canvas.copy_from_bbox(self._region)
                self._captioned_on = self._with_points
        if centroids is not None:
            if links and len(self._X):
                self._draw_links(labels, centroids)
        if trails is not None:
            trails = np.asarray(trails, dtype=float)
            if trails.ndim == 3 and trails.shape[1] >= 2:
                self._trails.set_segments(trails)
                self._trails.set_colors(_PALETTE[np.arange(len(trails)) % len(CATEGORY10)])
                self.ax.draw_artist(self._trails)
        if centroids is not None:
            if (len(centroids), empty) != self._centroid_style:
                self._style_centroids(len(centroids), empty)
                self._centroid_style = (len(centroids), empty)
            for artist in (self._centroid_rims, self._centroids):
                artist.set_offsets(centroids)
                self.ax.draw_artist(artist)
            if empty:
                self._empty_crosses.set_offsets(centroids[list(empty)])
                self.ax.draw_artist(self._empty_crosses)
        if explained is not None:
            self._draw_explained(explained)

        self.last_render_info = {"redrawn": redrawn}
        return np.asarray(canvas.buffer_rgba())

    def _same_points_layer(self, key) -> bool:
        # np.array_equal also answers for None (equal only to None), so one test covers "off".
        return all(np.array_equal(a, b) for a, b in zip(key, self._points_key))

    def _weighted_fills(self, weights) -> np.ndarray:
        """RGBA fills (n, 4) for D² weights (n,) in 0..1: the unassigned grey towards the ink."""
        theme = THEMES[self.style.theme]
        grey, ink = to_rgba_array([theme["unassigned"], theme["ink"]])
        shade = np.sqrt(np.clip(weights, 0.0, 1.0))[:, None]
        return grey + (ink - grey) * shade

    def _draw_points_layer(self, labels, regions, changed, legend, weights=None,
                            highlight=None) -> None:
        """Regions (if any), then the points (sized and shaded by `weights`, (n,) in 0..1, at a
        pick), then the rings of changed points, then (with `highlight`, (n,) bool) a veil and
        the highlighted points again over it, then the
        empty-cluster legend (if `legend`), onto the restored background."""
        if regions is not None and len(regions):
            self._draw_regions(regions)
        if self.raster:
            self._raster_points(labels, changed, weights)
        else:
            if weights is None:
                self._points.set_sizes([POINT_SIZE])
                self._points.set_facecolors(
                    label_colors(labels, THEMES[self.style.theme]["unassigned"]))
            else:
                low, high = WEIGHT_AREA
                self._points.set_sizes(POINT_SIZE * (low + (high - low) * np.clip(weights, 0, 1)))
                self._points.set_facecolors(self._weighted_fills(weights))
            if self.style.shapes:
                self._points.set_paths([_MARKER_PATHS[i] for i in (np.maximum(labels, 0) % len(MARKERS))])
            else:
                self._points.set_paths([_MARKER_PATHS[0]])
            self.ax.draw_artist(self._points)
            if changed is not None:
                self._changed.set_offsets(self._X[changed])
                self.ax.draw_artist(self._changed)
        if highlight is not None:
            self._draw_highlight(labels, np.asarray(highlight, bool))
        if legend:
            self.ax.draw_artist(self._empty_legend)

    def _draw_regions(self, regions) -> None:
        """Tint each centroid's nearest-centroid region (regions (k, 2), data units) in a light,
        see-through shade of its cluster's colour, so the grid still shows."""
        # In display pixels: one data unit is as many pixels along x as along y, so nearest
        # stays nearest, and the numbers stay moderate whatever the data's magnitude. The box
        # is a pixel wider than the axes, so the antialiased edges fall outside the clip.
        cells = voronoi_cells(self.ax.transData.transform(regions),
                              self.ax.bbox.padded(1).extents)
        drawn = [i for i, cell in enumerate(cells) if len(cell) >= 3]
        tints = _PALETTE[np.array(drawn, dtype=np.intp) % len(CATEGORY10)].copy()
        tints[:, 3] = REGION_TINT
        self._regions.set_verts([cells[i] for i in drawn])
        self._regions.set_facecolors(tints)
        self.ax.draw_artist(self._regions)

    def _draw_highlight(self, labels, members) -> None:
        """A selected centroid's cluster: the other points veiled, its own drawn again on top."""
        self.ax.draw_artist(self._explain_veil)
        if not members.any():
            return
        if self.raster:
            dots = self._raster_index()
            buffer = np.asarray(self.canvas.buffer_rgba())
            palette = np.round(to_rgba_array(list(CATEGORY10) + [THEMES[self.style.theme]["unassigned"]])
                               [:, :3] * 255)
            colour_of = np.where(labels < 0, len(CATEGORY10), labels % len(CATEGORY10)).astype(np.int8)
            kept = members[dots.owner]
            _Dots(dots.local[kept], dots.owner[kept], dots.box).blend(buffer, colour_of, palette)
            return
        shown = self._explain_members
        shown.set_offsets(self._X[members])
        shown.set_facecolors(label_colors(labels[members], THEMES[self.style.theme]["unassigned"]))
        paths = ([_MARKER_PATHS[i] for i in (np.maximum(labels[members], 0) % len(MARKERS))]
                 if self.style.shapes else [_MARKER_PATHS[0]])
        shown.set_paths(paths)
        self.ax.draw_artist(shown)

    def _style_explain_text(self, text) -> None:
        t = THEMES[self.style.theme]
        text.set_color(t["ink"])
        text.get_bbox_patch().set(facecolor=t["face"], alpha=0.88)

    def _explain_text(self, i: int):
        """The i-th label of explain mode (made once, reused every frame)."""
        while len(self._explain_texts) <= i:
            text = self.ax.text(0, 0, "", ha="center", va="center", fontsize="medium",
                                zorder=5, animated=True, clip_on=True,
                                bbox={"boxstyle": "round,pad=0.25", "linewidth": 1.2})
            self._style_explain_text(text)
            self._explain_texts.append(text)
        return self._explain_texts[i]

    def _draw_explained(self, e) -> None:
        """Explain mode's per-frame part (see render's `explained`)."""
        ax = self.ax
        if e.kind == "point":
            k = len(e.centroids)
            lines = np.stack([np.broadcast_to(e.xy, (k, 2)), e.centroids], axis=1)
            nearest = np.arange(k) == e.nearest
            self._explain_lines.set_segments(lines)
            self._explain_lines.set_colors(_PALETTE[np.arange(k) % len(CATEGORY10)])
            self._explain_lines.set_linewidths(np.where(nearest, EXPLAIN_NEAREST_WIDTH,
                                                        EXPLAIN_LINE_WIDTH))
            self._explain_lines.set_linestyles(["solid" if n else (0, (4, 3)) for n in nearest])
            ax.draw_artist(self._explain_lines)
            self._explain_ring.set_sizes([EXPLAIN_RING_SIZE])
            self._explain_ring.set_offsets([e.xy])
            ax.draw_artist(self._explain_ring)
            ends = ax.transData.transform(np.vstack([e.xy[None, :], e.centroids]))
            room = EXPLAIN_LABEL_ROOM_PX * self.figure.dpi / 100.0
            for j in range(k):
                # Halfway along the line, in the centroid's colour, the nearest in bold; a line
                # too short to hold it has it just past its centroid instead.
                text = self._explain_text(j)
                along = ends[j + 1] - ends[0]
                length = np.hypot(*along)
                at = 0.5 * (ends[0] + ends[j + 1])
                if length < 2 * room:
                    direction = along / length if length > 0 else np.array([0.0, 1.0])
                    at = ends[j + 1] + direction * room
                text.set_position(ax.transData.inverted().transform(at))
                text.set_horizontalalignment("center")
                text.set_verticalalignment("center")
                text.set_text(e.texts[j])
                text.set_fontweight("bold" if nearest[j] else "normal")
                text.get_bbox_patch().set_edgecolor(CATEGORY10[j % len(CATEGORY10)])
                text.get_bbox_patch().set_linewidth(2.4 if nearest[j] else 1.0)
                ax.draw_artist(text)
            return
        self._explain_ring.set_sizes([EXPLAIN_CENTROID_RING_SIZE])
        self._explain_ring.set_offsets([e.position])
        ax.draw_artist(self._explain_ring)
        if e.mean is None:
            return
        start, end = ax.transData.transform([e.position, e.mean])
        if np.hypot(*(end - start)) >= EXPLAIN_MIN_ARROW_PX * self.figure.dpi / 100.0:
            self._explain_arrow.set_positions(tuple(e.position), tuple(e.mean))
            ax.draw_artist(self._explain_arrow)
        self._explain_mean.set_offsets([e.mean])
        ax.draw_artist(self._explain_mean)
        text = self._explain_text(0)
        # Beside the mark, on the side away from the centroid (below it when they coincide),
        # anchored by its near corner so the box never covers the mark.
        away = end - start
        away = away / np.hypot(*away) if np.hypot(*away) > 0 else np.array([0.0, -1.0])
        offset = away * 14.0 * self.figure.dpi / 72.0
        text.set_position(ax.transData.inverted().transform(end + offset))
        text.set_horizontalalignment("left" if away[0] > 0.3 else "right" if away[0] < -0.3 else "center")
        text.set_verticalalignment("bottom" if away[1] > 0.3 else "top" if away[1] < -0.3 else "center")
        text.set_text(e.label)
        text.set_fontweight("bold")
        text.get_bbox_patch().set_edgecolor(CATEGORY10[e.index % len(CATEGORY10)])
        text.get_bbox_patch().set_linewidth(1.6)
        ax.draw_artist(text)

    # -- raster mode ----------------------------------------------------------------------

    def _raster_index(self):
        """Where every point's dot lies, computed once per layout (the labels only change the
        colours, not which pixels are covered).

        Returns a _Dots for all the points. A dot is a square of side 1 to 3 CSS pixels:
        smaller as the points get denser, so a million points stay points.
        """
        if self._raster is None:
            n = len(self._X)
            side = 3 if n <= 30_000 else 2 if n <= 300_000 else 1
            side = max(1, int(round(side * self.figure.dpi / 100.0)))
            offsets = np.arange(side) - (side - 1) // 2
            dc, dr = (a.ravel() for a in np.meshgrid(offsets, offsets))
            col, row = self.data_to_pixel(self._X).T
            x0, y0, x1, y1 = self.ax.bbox.extents
            left, top = int(np.ceil(x0)), int(np.ceil(self._height - y1))
            width, height = int(x1) - left, int(self._height - y0) - top
            cols = np.floor(col).astype(np.int64)[:, None] + dc[None, :] - left   # (n, side^2)
            rows = np.floor(row).astype(np.int64)[:, None] + dr[None, :] - top
            inside = (cols >= 0) & (cols < width) & (rows >= 0) & (rows < height)
            owner = np.broadcast_to(np.arange(n)[:, None], cols.shape)[inside]
            # intp, not int64: np.bincount refuses int64 indices where intp is 32 bits (wasm32).
            local = (rows[inside] * width + cols[inside]).astype(np.intp)
            self._raster = _Dots(local, owner.astype(np.intp), (left, top, width, height))
        return self._raster

    def _raster_points(self, labels, changed, weights=None) -> None:
        """Write the points as dots straight into the Agg buffer (see _Dots.blend)."""
        dots = self._raster_index()
        buffer = np.asarray(self.canvas.buffer_rgba())
        theme = THEMES[self.style.theme]
        palette = np.round(to_rgba_array(list(CATEGORY10) + [theme["unassigned"], theme["ink"]])
                           [:, :3] * 255)
        colour_of = np.where(labels < 0, len(CATEGORY10), labels % len(CATEGORY10)).astype(np.int8)
        if weights is not None:
            # WEIGHT_LEVELS shades after the palette's own colours, by weight.
            shades = self._weighted_fills(np.linspace(0.0, 1.0, WEIGHT_LEVELS))
            palette = np.concatenate([palette, np.round(shades[:, :3] * 255)])
            level = np.round(np.clip(weights, 0, 1) * (WEIGHT_LEVELS - 1)).astype(np.int8)
            colour_of = (len(CATEGORY10) + 2 + level).astype(np.int8)
        dots.blend(buffer, colour_of, palette)
        if changed is not None:
            ringed = changed[dots.owner]
            ink = np.full(len(changed), len(CATEGORY10) + 1, np.int8)
            _Dots(dots.local[ringed], dots.owner[ringed], dots.box).blend(buffer, ink, palette)
            if np.count_nonzero(changed) <= RASTER_RINGS_UP_TO:
                self._changed.set_offsets(self._X[changed])
                self.ax.draw_artist(self._changed)

    # -- per-frame artists ----------------------------------------------------------------

    def _draw_links(self, labels, centroids) -> None:
        """A line from each point (or each sampled point) to its current centroid."""
        chosen = slice(None) if self._link_sample is None else self._link_sample
        X, lab = self._X[chosen], labels[chosen]
        assigned = (lab >= 0) & (lab < len(centroids))
        if not assigned.any():
            return
        X, lab = X[assigned], lab[assigned]
        self._links.set_segments(np.stack([X, centroids[lab]], axis=1))
        self._links.set_colors(_PALETTE[lab % len(CATEGORY10)])
        self.ax.draw_artist(self._links)

    def _style_centroids(self, k: int, empty: tuple[int, ...]) -> None:
        """Centroid i: filled with cluster i's colour (and its marker, with shapes), ringed
        light, then dark. If cluster i is empty (`empty`: sorted indices < k): no rim, the
        background inside a dashed ring in its colour, and a cross in the theme's ink (the
        crosses' offsets are set per frame, in the order of `empty`)."""
        colours = _PALETTE[np.arange(k) % len(CATEGORY10)]
        theme = THEMES[self.style.theme]
        empty = list(empty)
        faces = colours.copy()
        faces[empty] = to_rgba_array([theme["face"]])
        edges = np.tile(to_rgba_array([theme["centroid_ring"]]), (k, 1))
        edges[empty] = colours[empty]
        widths = np.full(k, CENTROID_RING_WIDTH)
        widths[empty] = EMPTY_RING_WIDTH
        self._centroids.set_facecolors(faces)
        self._centroids.set_edgecolors(edges)
        self._centroids.set_linewidths(widths)
        self._centroids.set_linestyles([EMPTY_DASHES if i in empty else "solid" for i in range(k)])
        rims = np.tile(to_rgba_array([theme["centroid_rim"]]), (k, 1))
        rims[empty] = 0.0                                 # transparent: no rim when empty
        self._centroid_rims.set_facecolors(rims)
        self._centroid_rims.set_edgecolors(rims)
        self._empty_crosses.set_facecolors("none")
        self._empty_crosses.set_edgecolors(theme["ink"])
        paths = [_MARKER_PATHS[i % len(MARKERS)] for i in (range(k) if self.style.shapes else [0])]
        self._centroids.set_paths(paths)
        self._centroid_rims.set_paths(paths)

    def plot_box(self, device_pixel_ratio: float = 1.0) -> PlotBox:
        """The axes' data limits and rectangle in CSS pixels (device pixels / ratio), top-left
        origin: what pointer events and tests need to turn a position into data units. Valid
        after the first :meth:`render` since :meth:`set_points` or :meth:`resize`."""
        x0, y0, x1, y1 = self.ax.bbox.extents
        r = float(device_pixel_ratio)
        return PlotBox(self.ax.get_xlim(), self.ax.get_ylim(), x0 / r, (self._height - y1) / r,
                       (x1 - x0) / r, (y1 - y0) / r)

    # -- helpers for tests and tools ------------------------------------------------------

    def data_to_pixel(self, xy) -> np.ndarray:
        """(col, row) buffer indices (float, row 0 at the top) of data points ``xy`` (..., 2)."""
        disp = self.ax.transData.transform(np.asarray(xy, dtype=float).reshape(-1, 2))
        out = np.column_stack([disp[:, 0], self._height - disp[:, 1]])
        return out.reshape(np.shape(xy))
