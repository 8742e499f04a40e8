"""Tests for kmeans_anim.view: frame size, colours at known pixels, and the blitting caches.

Pixels are located through the axes' data transform (``KMeansView.data_to_pixel``, which flips
y: Agg's buffer has row 0 at the top). No wall-clock assertions: speed is in benchmarks/.
"""

import numpy as np
import pytest
from matplotlib.colors import to_rgba_array
from matplotlib.layout_engine import PlaceHolderLayoutEngine

from kmeans_anim.picture import view as V
from kmeans_anim.picture.view import CATEGORY10, KMeansView

CAT_RGB = (to_rgba_array(list(CATEGORY10))[:, :3] * 255).round().astype(int)

# Well separated points so that markers never overlap each other or the centroids used below.
X = np.array([[0.0, 0.0], [10.0, 0.0], [0.0, 10.0], [10.0, 10.0], [5.0, 2.0], [2.0, 7.0]])


def rgb_at(img, view, xy):
    col, row = view.data_to_pixel(np.asarray(xy, float))
    return img[int(row), int(col), :3].astype(int)


def is_colour(rgb, hex_or_rgb, tol=3):
    ref = hex_or_rgb if not isinstance(hex_or_rgb, str) else (
        to_rgba_array([hex_or_rgb])[0, :3] * 255).round().astype(int)
    return bool(np.all(np.abs(np.asarray(rgb) - ref) <= tol))


@pytest.fixture(scope="module")
def shared_view():
    v = KMeansView(500, 400, dpi=100)
    v.set_points(X)
    return v


@pytest.fixture
def view():
    v = KMeansView(500, 400, dpi=100)
    v.set_points(X)
    return v


def test_palette():
    assert CATEGORY10 == ('#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd',
                          '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf')


def test_figure_texts(shared_view):
    ax = shared_view.ax
    assert ax.get_title() == "K-Means Clustering"
    assert ax.get_xlabel() == "X1" and ax.get_ylabel() == "X2"


@pytest.mark.parametrize("w, h, dpi", [(1000, 800, 100), (640, 480, 100), (2000, 1600, 200),
                                       (1333, 777, 133.3), (301, 199, 150)])
def test_render_size(w, h, dpi):
    v = KMeansView(w, h, dpi)
    v.set_points(X)
    img = v.render(np.zeros(len(X), int), X[:2])
    assert img.shape == (h, w, 4) and img.dtype == np.uint8
    assert v.size == (w, h)


def test_resize(view):
    view.render(np.zeros(len(X), int), None)
    for w, h, dpi in [(800, 600, 100), (1600, 1200, 200), (500, 400, 100)]:
        view.resize(w, h, dpi)
        img = view.render(np.zeros(len(X), int), None)
        assert img.shape == (h, w, 4)
        assert view.last_render_info["redrawn"] == "full"
    # the point is still where the data transform says after the resizes
    assert is_colour(rgb_at(img, view, X[0]), CATEGORY10[0])


def test_hidpi_point_colour():
    v = KMeansView(1000, 800, dpi=200)
    v.set_points(X)
    img = v.render(np.full(len(X), 3), None)
    for p in X:
        assert is_colour(rgb_at(img, v, p), CATEGORY10[3])


def test_background_is_not_blank(shared_view):
    img = shared_view.render(np.full(len(X), -1), None).copy()
    assert img[..., 3].min() == 255                     # opaque
    x0, y0, x1, y1 = shared_view.ax.bbox.extents
    H = img.shape[0]
    frame = img[int(H - y1):int(H - y0) + 1, int(x0):int(x1) + 1, :3]
    assert (frame.min(axis=-1) < 200).sum() > 100      # spines, grid, markers' edges
    # text outside the axes (title, tick labels) was drawn too
    assert (img[: int(H - y1) - 2, :, :3] < 128).any()


def test_points_take_cluster_colours(view):
    img = view.render(np.zeros(len(X), int), None)
    for p in X:
        assert is_colour(rgb_at(img, view, p), CATEGORY10[0])
    labels = np.arange(len(X))
    img = view.render(labels, None)
    for p, lab in zip(X, labels):
        assert is_colour(rgb_at(img, view, p), CATEGORY10[lab])


def test_labels_beyond_ten_wrap_palette(view):
    img = view.render(np.array([10, 11, 12, 13, 14, 15]), None)
    assert is_colour(rgb_at(img, view, X[1]), CATEGORY10[1])


def test_unassigned_points_are_not_category_colours(view):
    img = view.render(np.full(len(X), -1), None)
    for p in X:
        rgb = rgb_at(img, view, p)
        assert not any(is_colour(rgb, c, tol=20) for c in CAT_RGB)
        assert rgb.min() > 180                                  # light
        assert is_colour(rgb, V.UNASSIGNED_COLOR)
    # with a black edge: a pixel at the marker's rim is dark
    col, row = view.data_to_pixel(X[4])
    radius_px = np.sqrt(V.POINT_SIZE) / 2 * view.figure.dpi / 72
    ring = img[int(row), int(col + radius_px - 1):int(col + radius_px + 2), :3]
    assert ring.min() < 100


def outline_bands(view, img, centre):
    """Pixels of a centroid marker ('o') at data point `centre`, by distance from its middle:
    (fill, light ring, dark rim, just outside), each (m, 3) int, with a margin between them for
    antialiasing. Needs about 200 dpi: at 100 dpi the ring is two pixels wide."""
    col, row = view.data_to_pixel(np.asarray(centre, float))
    pt = view.figure.dpi / 72
    ring, rim = V.CENTROID_RING_WIDTH * pt, V.CENTROID_RIM_WIDTH * pt
    radius = np.sqrt(V.CENTROID_SIZE) / 2 * pt - ring / 2   # the ring is centred on the outline
    reach = int(radius + ring + rim + 6)
    rows, cols = np.mgrid[int(row) - reach:int(row) + reach + 1, int(col) - reach:int(col) + reach + 1]
    r = np.hypot(cols + 0.5 - col, rows + 0.5 - row)   # from each pixel's centre
    pixels = img[rows, cols, :3].astype(int)
    return (pixels[r < radius - 1.5], pixels[(r > radius + 1.2) & (r < radius + ring - 1.2)],
            pixels[(r > radius + ring + 1.2) & (r < radius + ring + rim - 1.2)],
            pixels[(r > radius + ring + rim + 2) & (r < radius + ring + rim + 5)])


def ringed_light_then_dark(light, dark) -> bool:
    """Nearly all of the light band is light and nearly all of the dark band is dark (Agg may
    draw a lone marker half a pixel off)."""
    return bool(np.mean(light.min(axis=1) > 200) > 0.95 and np.mean(dark.max(axis=1) < 60) > 0.95)


def test_centroid_is_filled_and_ringed_light_then_dark():
    view = KMeansView(1000, 800, dpi=200)
    view.set_points(X)
    C = np.array([[3.0, 5.0], [7.0, 5.0]])
    img = view.render(np.zeros(len(X), int), C)
    for i, c in enumerate(C):
        assert is_colour(rgb_at(img, view, c), CATEGORY10[i])
        fill, light, dark, outside = outline_bands(view, img, c)
        assert all(is_colour(px, CATEGORY10[i]) for px in fill)
        assert ringed_light_then_dark(light, dark), i
        assert outside.min() > 200             # background again (white or the light grid)


def test_centroid_only_change_does_not_redraw_points(view):
    labels = np.zeros(len(X), int)
    first = view.render(labels, np.array([[3.0, 5.0]])).copy()
    assert view.last_render_info["redrawn"] == "full"
    second = view.render(labels.copy(), np.array([[7.0, 5.0]])).copy()
    assert view.last_render_info["redrawn"] == "centroids"
    assert not np.array_equal(first, second)
    # the old place is background again, the new one shows the centroid
    assert rgb_at(second, view, (3.0, 5.0)).min() > 200
    assert is_colour(rgb_at(second, view, (7.0, 5.0)), CATEGORY10[0])
    assert is_colour(rgb_at(first, view, (3.0, 5.0)), CATEGORY10[0])
    # the points were restored from the cache, identical
    for p in X:
        assert np.array_equal(rgb_at(first, view, p), rgb_at(second, view, p))


def test_changing_labels_recolours(view):
    C = np.array([[3.0, 5.0], [7.0, 5.0]])
    view.render(np.zeros(len(X), int), C)
    img = view.render(np.array([1, 1, 0, 0, 1, 0]), C)
    assert view.last_render_info["redrawn"] == "points"
    assert is_colour(rgb_at(img, view, X[0]), CATEGORY10[1])
    assert is_colour(rgb_at(img, view, X[2]), CATEGORY10[0])
    view.render(np.array([1, 1, 0, 0, 1, 0]), C)
    assert view.last_render_info["redrawn"] == "centroids"


def test_cached_frame_matches_fresh_full_draw(view):
    """Blitted output equals what a new view draws from scratch for the same state."""
    labels = np.array([0, 1, 2, 0, 1, 2])
    C = np.array([[3.0, 5.0], [7.0, 5.0], [5.0, 8.0]])
    view.render(np.full(len(X), -1), C - 1)
    view.render(labels, C - 0.5)
    blitted = view.render(labels, C).copy()
    fresh_view = KMeansView(500, 400, dpi=100)
    fresh_view.set_points(X)
    fresh = fresh_view.render(labels, C)
    assert np.array_equal(blitted, fresh)


def test_set_points_sets_limits_around_data(view):
    rng = np.random.default_rng(1)
    Y = rng.normal(loc=[100.0, -50.0], scale=[30.0, 8.0], size=(200, 2))
    view.set_points(Y)
    img = view.render(np.zeros(len(Y), int), None)
    assert view.last_render_info["redrawn"] == "full"
    (x0, x1), (y0, y1) = view.ax.get_xlim(), view.ax.get_ylim()
    assert x0 < Y[:, 0].min() and x1 > Y[:, 0].max()
    assert y0 < Y[:, 1].min() and y1 > Y[:, 1].max()
    # about 8% margin on each side of the wider axis (the other one is padded more)
    span = Y[:, 0].max() - Y[:, 0].min()
    assert (Y[:, 0].min() - x0) / span == pytest.approx(V.LIMIT_MARGIN)
    # every point is drawn inside the axes box, with its colour
    bx0, by0, bx1, by1 = view.ax.bbox.extents
    disp = view.ax.transData.transform(Y)
    assert np.all((disp[:, 0] > bx0) & (disp[:, 0] < bx1))
    assert np.all((disp[:, 1] > by0) & (disp[:, 1] < by1))
    hits = sum(is_colour(rgb_at(img, view, p), CATEGORY10[0], tol=40) for p in Y)
    assert hits > 0.6 * len(Y)  # some centres are covered by a neighbour's black edge


@pytest.mark.parametrize("Y", [
    np.array([[0.0, 0.0], [30.0, 1.0], [15.0, 0.5]]),          # wide and flat
    np.array([[0.0, 0.0], [1.0, 40.0], [0.5, 12.0]]),          # tall and thin
    np.array([[1e9, 1e9], [1e9 + 4.0, 1e9 + 1.0]]),           # far from the origin
    np.array([[-1e300, 0.0], [1e300, 1e299]]),                 # huge
    np.array([[0.0, 0.0], [1e-200, 3e-200]]),                  # tiny
], ids=["wide", "tall", "offset", "huge", "tiny"])
@pytest.mark.parametrize("size", [(1000, 800, 100), (390, 312, 300)], ids=["desktop", "phone"])
def test_one_data_unit_is_as_many_pixels_on_both_axes(Y, size):
    v = KMeansView(*size)
    v.set_points(Y)
    img = v.render(np.zeros(len(Y), int), Y[:1])
    box = v.plot_box()
    per_x, per_y = box.units_per_css_px()
    assert per_x == pytest.approx(per_y, rel=1e-6)  # a pixel in 1000 is 1e-3
    # ...and the whole data set is still inside the axes.
    (x0, x1), (y0, y1) = v.ax.get_xlim(), v.ax.get_ylim()
    assert x0 < Y[:, 0].min() and Y[:, 0].max() < x1 and y0 < Y[:, 1].min() and Y[:, 1].max() < y1
    assert np.isfinite(img).all()


def test_plot_box_maps_css_pixels_to_data():
    v = KMeansView(1000, 800, dpi=200)          # a HiDPI canvas: 500 x 400 CSS pixels
    v.set_points(X)
    v.render(np.zeros(len(X), int), None)
    box = v.plot_box(device_pixel_ratio=2.0)
    for p in X:
        col, row = v.data_to_pixel(p)            # device pixels
        css = box.to_css(*p)
        assert css == pytest.approx((col / 2, row / 2), abs=1e-6)
        assert box.to_data(*css) == pytest.approx(tuple(p), abs=1e-9)
    assert 0 < box.left and box.left + box.width < 500 and 0 < box.top and box.top + box.height < 400


@pytest.mark.parametrize("Y", [np.array([[2.0, 3.0]]), np.array([[1.0, 1.0], [1.0, 1.0]]),
                               np.array([[0.0, 0.0], [0.0, 5.0]])],
                         ids=["one-point", "duplicates", "zero-width"])
def test_degenerate_point_sets_have_finite_limits(view, Y):
    view.set_points(Y)
    (x0, x1), (y0, y1) = view.ax.get_xlim(), view.ax.get_ylim()
    assert x0 < Y[:, 0].min() <= Y[:, 0].max() < x1
    assert y0 < Y[:, 1].min() <= Y[:, 1].max() < y1
    img = view.render(np.zeros(len(Y), int), Y[:1])
    assert is_colour(rgb_at(img, view, Y[0]), CATEGORY10[0])


def test_trails_are_drawn_in_cluster_colours(view):
    labels = np.full(len(X), -1)
    C = np.array([[3.0, 4.0], [7.0, 4.0]])
    # each centroid travelled 3 units straight up to its current place
    trails = np.stack([C - [0.0, 3.0], C], axis=1)
    no_trail = view.render(labels, C).copy()
    img = view.render(labels, C, trails=trails)
    assert view.last_render_info["redrawn"] == "centroids"
    for i, c in enumerate(C):
        probe = c - [0.0, 2.5]          # on the trail, below the centroid marker
        assert is_colour(rgb_at(img, view, probe), CATEGORY10[i], tol=80)
        assert rgb_at(no_trail, view, probe).min() > 200
    # one-position trails (nothing travelled yet) draw nothing
    same = view.render(labels, C, trails=C[:, None, :])
    assert np.array_equal(same, no_trail)


def test_one_full_draw_then_only_blits(view, monkeypatch):
    draws = []
    real_draw = view.canvas.draw
    monkeypatch.setattr(view.canvas, "draw", lambda: (draws.append(1), real_draw()))
    rng = np.random.default_rng(0)
    for i in range(20):
        view.render(rng.integers(-1, 3, len(X)), rng.uniform(0, 10, (3, 2)))
    assert len(draws) == 1
    # tight layout was one-shot: no engine re-lays out on draws
    engine = view.figure.get_layout_engine()
    assert engine is None or isinstance(engine, PlaceHolderLayoutEngine)
    view.resize(400, 300, 100)
    view.render(np.zeros(len(X), int), None)
    view.render(np.ones(len(X), int), None)
    assert len(draws) == 2


def test_wrong_label_count_raises(view):
    with pytest.raises(ValueError):
        view.render(np.zeros(len(X) + 1, int), None)


def test_no_forbidden_imports():
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(V))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            names.add(node.module)
    roots = {n.split(".")[0] for n in names if n}
    # ...and the package's own pure modules (relative imports), never the browser glue
    assert roots <= {"__future__", "dataclasses", "numpy", "matplotlib", "plotbox"}
    assert "matplotlib.pyplot" not in names


def test_empty_view_renders_axes_only():
    v = KMeansView(300, 200, dpi=100)
    img = v.render(np.empty(0, dtype=np.intp), None)
    assert img.shape == (200, 300, 4)
    assert v.last_render_info["redrawn"] == "full"


def tint(hex_colour):
    """Expected pixel of a region of this colour over the white background."""
    rgb = to_rgba_array([hex_colour])[0, :3] * 255
    return (255 + V.REGION_TINT * (rgb - 255)).round().astype(int)


def test_regions_tint_each_place_by_its_nearest_centroid(view):
    C = np.array([[0.0, 0.0], [10.0, 10.0]])
    img = view.render(np.array([0, 1, 0, 1, 0, 0]), C, regions=C)
    # Empty places (no point, no grid line): (7, 0.5) is nearer centroid 0 (distance^2 49.25
    # vs 99.25), (3.3, 9) nearer centroid 1 (91.9 vs 45.9).
    assert is_colour(rgb_at(img, view, (7.0, 0.5)), tint(CATEGORY10[0]), tol=6)
    assert is_colour(rgb_at(img, view, (3.3, 9.0)), tint(CATEGORY10[1]), tol=6)
    # Without regions the same place is plain white.
    plain = view.render(np.array([0, 1, 0, 1, 0, 0]), C)
    assert is_colour(rgb_at(plain, view, (7.0, 0.5)), (255, 255, 255))


def test_regions_are_cached_with_the_points_layer(view):
    labels = np.array([0, 1, 0, 1, 0, 0])
    C = np.array([[0.0, 0.0], [10.0, 10.0]])
    view.render(labels, C, regions=C)
    view.render(labels, C + 0.5, regions=C)  # centroids glide, the assignment is the same
    assert view.last_render_info["redrawn"] == "centroids"
    view.render(labels, C + 0.5, regions=C + 0.5)  # a new assignment's centroids
    assert view.last_render_info["redrawn"] == "points"


def test_regions_never_stay_in_the_background(view):
    """Shading on, then a new run (new points or a resize) with shading off: the picture is
    the same as a view that never shaded anything."""
    labels = np.array([0, 1, 0, 1, 0, 0])
    C = np.array([[0.0, 0.0], [10.0, 10.0]])
    view.render(labels, C, regions=C)
    view.set_points(X)                      # GO / RETRY: the full draw is made again
    after_run = view.render(labels, C).copy()
    view.render(labels, C, regions=C)
    view.resize(500, 400, 100)              # a resize is a full draw too
    after_resize = view.render(labels, C).copy()
    never = KMeansView(500, 400, dpi=100)
    never.set_points(X)
    expected = never.render(labels, C)
    assert np.array_equal(after_run, expected)
    assert np.array_equal(after_resize, expected)


def test_regions_follow_the_current_centroids_after_a_new_run(view):
    labels = np.array([0, 1, 0, 1, 0, 0])
    old = np.array([[0.0, 0.0], [10.0, 10.0]])
    new = np.array([[10.0, 0.0], [0.0, 10.0]])
    view.render(labels, old, regions=old)
    view.set_points(X)
    img = view.render(labels, new, regions=new)
    # (7, 0.5) is nearest new centroid 0 at (10, 0); (3.3, 9) nearest new centroid 1 at (0, 10)
    assert is_colour(rgb_at(img, view, (7.0, 0.5)), tint(CATEGORY10[0]), tol=6)
    assert is_colour(rgb_at(img, view, (3.3, 9.0)), tint(CATEGORY10[1]), tol=6)
    # (2, 1) is nearest new centroid 1? no: 0 is at distance^2 65, 1 at 85 -> colour 0
    assert is_colour(rgb_at(img, view, (2.0, 1.5)), tint(CATEGORY10[0]), tol=6)


def ring_pixels(view, img, centre, radius_px):
    """The pixels (m, 3) on the circle of `radius_px` device pixels around data point `centre`,
    one per degree."""
    col, row = view.data_to_pixel(np.asarray(centre, float))
    angle = np.radians(np.arange(360))
    cols = np.floor(col + radius_px * np.cos(angle)).astype(int)
    rows = np.floor(row + radius_px * np.sin(angle)).astype(int)
    return img[rows, cols, :3].astype(int)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_an_empty_cluster_is_a_crossed_dashed_ring_not_a_filled_centroid(theme):
    v = KMeansView(1000, 800, dpi=200, style=V.Style(theme=theme))
    v.set_points(X)
    C = np.array([[3.0, 5.0], [7.0, 5.0]])
    img = v.render(np.zeros(len(X), int), C, empty=(1,)).copy()
    t = V.THEMES[theme]
    radius_px = np.sqrt(V.CENTROID_SIZE) / 2 * v.figure.dpi / 72
    # The filled one: its colour in the middle, its light ring and dark rim around.
    fill, light, dark, _ = outline_bands(v, img, C[0])
    assert is_colour(rgb_at(img, v, C[0]), CATEGORY10[0])
    assert ringed_light_then_dark(light, dark)
    # The empty one: the cross in the theme's ink in the middle, the background inside ...
    assert is_colour(rgb_at(img, v, C[1]), t["ink"], tol=10)
    inside = ring_pixels(v, img, C[1], radius_px * 0.5)
    assert sum(is_colour(px, t["face"], tol=10) for px in inside) > 0.5 * len(inside)
    assert not any(is_colour(px, CATEGORY10[1], tol=40) for px in inside)
    # ... a ring of its colour with gaps (dashes), and no light ring or dark rim around it.
    on_ring = [is_colour(px, CATEGORY10[1], tol=40) for px in ring_pixels(v, img, C[1], radius_px)]
    assert 0.3 * 360 < sum(on_ring) < 0.85 * 360
    gaps = np.flatnonzero(np.diff(np.array(on_ring + on_ring[:1], int)) == 1)
    assert len(gaps) >= 5                                   # several dashes, not one arc
    _, light, dark, _ = outline_bands(v, img, C[1])
    assert not ringed_light_then_dark(light, dark)
    # When it has points again it is a filled centroid again.
    img = v.render(np.zeros(len(X), int), C, empty=())
    assert is_colour(rgb_at(img, v, C[1]), CATEGORY10[1])


def top_left_corner(view, img):
    """The top left quarter of the axes' top band, where the empty-cluster legend goes."""
    x0, y0, x1, y1 = view.ax.bbox.extents
    H = img.shape[0]
    return img[int(H - y1) + 2:int(H - y1 + 0.12 * (y1 - y0)), int(x0) + 2:int(x0 + 0.6 * (x1 - x0)), :3]


def test_the_empty_cluster_legend_is_drawn_only_while_a_cluster_is_empty():
    assert "no points" in V.EMPTY_LEGEND
    labels = np.array([0, 0, 0, 0, 1, 1])
    C = np.array([[3.0, 5.0], [7.0, 5.0], [5.0, 8.0]])
    never = KMeansView(500, 400, dpi=100)
    never.set_points(X)
    plain = never.render(labels, C).copy()
    v = KMeansView(500, 400, dpi=100)
    v.set_points(X)
    with_empty = v.render(labels, C, empty=(2,)).copy()
    # Text in the theme's ink over a box of the background, in the corner.
    changed = np.any(top_left_corner(v, with_empty) != top_left_corner(never, plain), axis=-1)
    assert changed.sum() > 300
    assert (top_left_corner(v, with_empty).max(axis=-1) < 100).sum() > 100   # dark letters
    # Elsewhere the two frames differ only at the empty cluster's centroid.
    col, row = v.data_to_pixel(C[2])
    differ = np.argwhere(np.any(with_empty != plain, axis=-1))
    far = np.hypot(differ[:, 1] - col, differ[:, 0] - row) > 25
    corner_rows = top_left_corner(v, with_empty).shape[0] + int(v._height - v.ax.bbox.y1) + 2
    assert (differ[far][:, 0] < corner_rows).all()
    # While the cluster stays empty and only the centroids move, the legend stays.
    gliding = v.render(labels, C + 0.05, empty=(2,))
    assert v.last_render_info["redrawn"] == "centroids"
    assert np.array_equal(top_left_corner(v, gliding), top_left_corner(v, with_empty))
    # The cluster has points again: no legend left behind in any cached layer.
    again = v.render(labels, C + 0.1, empty=())
    assert np.array_equal(again, never.render(labels, C + 0.1))


def test_prompt_on_empty_axes_and_gone_with_points():
    v = KMeansView(500, 400, dpi=100)
    blank = v.render(np.empty(0, dtype=np.intp), None).copy()
    v.set_prompt("Press GO to start")
    prompted = v.render(np.empty(0, dtype=np.intp), None).copy()
    x0, y0, x1, y1 = v.ax.bbox.extents
    H = prompted.shape[0]
    middle = (slice(int(H - (y0 + y1) / 2) - 10, int(H - (y0 + y1) / 2) + 10),
              slice(int(x0 + (x1 - x0) * 0.3), int(x0 + (x1 - x0) * 0.7)))
    assert (prompted[middle][..., :3] < 150).any()        # dark text in the middle
    assert not (blank[middle][..., :3] < 150).any()
    v.set_prompt("")
    assert np.array_equal(v.render(np.empty(0, dtype=np.intp), None), blank)


# -- style, rings, links ------------------------------------------------------------------


def test_dark_theme_paints_a_dark_figure_with_light_ink():
    v = KMeansView(1000, 800, dpi=200, style=V.Style(theme="dark"))
    v.set_points(X)
    C = np.array([[3.0, 5.0]])
    img = v.render(np.zeros(len(X), int), C)
    face = to_rgba_array([V.THEMES["dark"]["face"]])[0, :3] * 255
    assert is_colour(img[5, 5, :3], face.round().astype(int))            # figure corner
    assert is_colour(rgb_at(img, v, (7.3, 8.6)), face.round().astype(int), tol=12)  # plot area
    assert is_colour(rgb_at(img, v, X[0]), CATEGORY10[0])                 # clusters keep colours
    _, light, dark, _ = outline_bands(v, img, C[0])
    assert ringed_light_then_dark(light, dark)             # a light ring, then a dark rim
    # switching back to light repaints everything light
    v.set_style(V.Style(theme="light"))
    assert v.render(np.zeros(len(X), int), C)[5, 5, :3].min() == 255


def test_shapes_give_each_cluster_its_own_marker(view):
    # Cluster 1 is a square: its corner is filled, where a circle of the same size is not.
    labels = np.array([0, 1, 0, 0, 0, 0])
    corner = np.sqrt(V.POINT_SIZE) / 2 * view.figure.dpi / 72 * 0.8  # inside a square's corner
    plain = view.render(labels, None).copy()
    view.set_style(V.Style(shapes=True))
    shaped = view.render(labels, None)
    col, row = view.data_to_pixel(X[1])
    probe = (int(round(row - corner)), int(round(col + corner)))
    assert is_colour(shaped[probe][:3], CATEGORY10[1], tol=40)
    assert not is_colour(plain[probe][:3], CATEGORY10[1], tol=40)


def test_points_that_changed_cluster_are_ringed(view):
    labels = np.zeros(len(X), int)
    changed = np.array([False, True, False, False, False, False])
    plain = view.render(labels, None).copy()
    ringed = view.render(labels, None, changed=changed)
    assert view.last_render_info["redrawn"] == "points"
    ring_px = np.sqrt(V.CHANGED_SIZE) / 2 * view.figure.dpi / 72
    for i, p in enumerate(X):
        col, row = view.data_to_pixel(p)
        px = ringed[int(round(row)), int(round(col + ring_px)), :3]
        assert (px.max() < 90) == bool(changed[i]), (i, px)  # dark ring only where it changed
    assert np.array_equal(view.render(labels, None, changed=np.zeros(len(X), bool)), plain)


def test_links_join_each_point_to_its_centroid(view):
    labels = np.array([0, 0, 1, 1, 0, 1])
    C = np.array([[5.0, 0.0], [5.0, 10.0]])
    img = view.render(labels, C, links=True).copy()
    none = view.render(labels, C)
    # on the line from point 4 (5, 2) to centroid 0 (5, 0): a few pixels wide strip across it
    col, row = view.data_to_pixel(np.array([5.0, 1.1]))
    strip = (int(row), slice(int(col) - 2, int(col) + 3))
    assert img[strip][:, :3].min() < 215 and none[strip][:, :3].min() > 240


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_a_caption_is_written_bottom_right_and_never_stays_in_a_cached_layer(theme):
    style = V.Style(theme=theme)
    v = KMeansView(500, 400, dpi=100, style=style)
    v.set_points(X)
    labels, C = np.zeros(len(X), int), np.array([[3.0, 5.0]])
    plain = v.render(labels, C).copy()
    first = v.render(labels, C, caption="half-step 1 of 9: start").copy()
    changed = np.argwhere((first != plain).any(axis=-1))
    (top, left), (bottom, right) = changed.min(axis=0), changed.max(axis=0)
    x0, y0, x1, y1 = v.ax.bbox.extents                      # inside the axes, bottom right
    height = v.size[1]                                       # (rows count from the top)
    assert left > (x0 + x1) / 2 and right <= x1 and bottom <= height - y0
    assert top > height - y0 - 40
    ink = (to_rgba_array([V.THEMES[theme]["ink"]])[0, :3] * 255).round().astype(int)
    box = first[top:bottom + 1, left:right + 1, :3].reshape(-1, 3).astype(int)
    assert (np.abs(box - ink).max(axis=1) <= 30).sum() > 50  # written in the theme's ink
    # Another caption replaces it; none leaves the picture as it was; a fresh view agrees.
    last = "half-step 9 of 9: assignment 4"
    second = v.render(labels, C, caption=last).copy()
    fresh = KMeansView(500, 400, dpi=100, style=style)
    fresh.set_points(X)
    assert np.array_equal(second, fresh.render(labels, C, caption=last))
    # Kept with the points: the centroids move on over the same caption.
    moved = np.array([[6.0, 4.0]])
    assert np.array_equal(v.render(labels, moved, caption=last).copy(),
                          fresh.render(labels, moved, caption=last))
    assert v.last_render_info["redrawn"] == "centroids"
    assert np.array_equal(v.render(labels, C), plain)


# -- raster mode (many points) ------------------------------------------------------------


def blobs(n, seed=0):
    rng = np.random.default_rng(seed)
    centres = np.array([[-5.0, 0.0], [5.0, 0.0]])
    labels = rng.integers(0, 2, n)
    return centres[labels] + rng.normal(scale=1.0, size=(n, 2)), labels


def test_below_the_threshold_points_are_a_scatter_above_it_dots():
    small, _ = blobs(V.RASTER_FROM - 1)
    big, _ = blobs(V.RASTER_FROM)
    v = KMeansView(500, 400)
    v.set_points(small)
    assert not v.raster
    v.set_points(big)
    assert v.raster


@pytest.mark.parametrize("n", [V.RASTER_FROM, 50_000, 400_000])
def test_raster_points_are_their_clusters_colour_where_they_lie(n):
    Xb, labels = blobs(n)
    v = KMeansView(600, 480)
    v.set_points(Xb)
    img = v.render(labels, None)
    # at each blob's centre the dots pile up: the pixel is the cluster's colour, opaque
    for j, centre in enumerate([(-5.0, 0.0), (5.0, 0.0)]):
        col, row = v.data_to_pixel(np.array(centre))
        patch = img[int(row) - 2:int(row) + 3, int(col) - 2:int(col) + 3, :3].reshape(-1, 3)
        assert sum(is_colour(px, CATEGORY10[j], tol=25) for px in patch) >= 12
    # far from both blobs the background shows
    assert rgb_at(img, v, (0.0, 4.5)).min() > 200
    # recolouring follows the labels, and centroid-only frames restore the cached layer
    img2 = v.render(1 - labels, np.array([[0.0, 0.0]]))
    col, row = v.data_to_pixel(np.array([-5.0, 0.0]))
    assert is_colour(img2[int(row), int(col), :3], CATEGORY10[1], tol=25)
    v.render(1 - labels, np.array([[0.5, 0.0]]))
    assert v.last_render_info["redrawn"] == "centroids"


def test_a_single_raster_dot_is_seen_and_blended():
    Xb, labels = blobs(V.RASTER_FROM)
    Xb[0] = [0.0, 4.0]               # one lonely point, away from the blobs
    labels[0] = 3                    # red
    v = KMeansView(600, 480)
    v.set_points(Xb)
    img = v.render(labels, None)
    px = rgb_at(img, v, Xb[0]).astype(float)
    red = to_rgba_array([CATEGORY10[3]])[0, :3] * 255
    expected = 255 + (red - 255) * V.RASTER_ALPHA   # one dot over white
    assert np.abs(px - expected).max() <= 2


def test_raster_dots_sit_on_the_region_shading():
    Xb, labels = blobs(V.RASTER_FROM)
    v = KMeansView(600, 480)
    v.set_points(Xb)
    C = np.array([[-5.0, 0.0], [5.0, 0.0]])
    img = v.render(labels, C, regions=C)
    assert is_colour(rgb_at(img, v, (-1.0, 4.5)), tint(CATEGORY10[0]), tol=6)
    assert is_colour(rgb_at(img, v, (1.0, 4.5)), tint(CATEGORY10[1]), tol=6)


@pytest.mark.parametrize("n", [300, V.RASTER_FROM])
def test_a_render_prepared_in_pieces_paints_the_same_pixels(n):
    # The page prepares the layout, the axes and the raster dots a piece per turn; what it
    # then paints must be what one render paints.
    Xb, labels = blobs(n)
    C = np.array([[-5.0, 0.0], [5.0, 0.0], [0.0, 5.0]])
    whole = KMeansView(600, 480)
    whole.set_points(Xb)
    expected = whole.render(labels, C).copy()
    pieced = KMeansView(600, 480)
    pieced.set_points(Xb)
    steps = list(pieced.prepare_in_pieces())
    assert len(steps) == (3 if n >= V.RASTER_FROM else 2)   # layout, axes (, dots)
    assert np.array_equal(pieced.render(labels, C), expected)
    assert list(pieced.prepare_in_pieces()) == []            # nothing left to prepare


def test_column_range_is_the_columns_min_and_max():
    X = np.random.default_rng(5).normal(size=(1000, 2)) * [1.0, 1e6]
    lo, hi = V.column_range(X)
    assert np.array_equal(lo, X.min(axis=0)) and np.array_equal(hi, X.max(axis=0))


@pytest.mark.parametrize("Y, words", [
    (np.array([[0.0, 0.0], [1e-300, 2e-300]]), "too small"),
    (np.array([[1e15, 0.0], [1e15 + 0.5, 0.0]]), "offset"),
], ids=["near-zero", "offset"])
def test_points_the_axes_cannot_draw_apart_are_said(Y, words):
    assert words in V.undrawable(Y)


@pytest.mark.parametrize("Y", [np.array([[0.0, 0.0], [1e-200, 3e-200]]),
                               np.array([[1e9, 0.0], [1e9 + 1.0, 2.0]]),
                               np.array([[-1e100, 0.0], [1e100, 5e99]]),
                               np.array([[3.0, 3.0], [3.0, 3.0]])],
                         ids=["tiny", "offset", "huge", "one-place"])
def test_points_the_axes_can_draw_pass(Y):
    assert V.undrawable(Y) is None
    v = KMeansView(400, 320)
    v.set_points(Y)
    v.render(np.zeros(len(Y), int), None)
    (x0, x1), _ = v.ax.get_xlim(), v.ax.get_ylim()
    assert x0 < Y[:, 0].min() <= Y[:, 0].max() < x1
    if np.ptp(Y[:, 0]) > 0:  # limits hug the data: not widened by matplotlib
        assert x1 - x0 < 10 * np.ptp(Y[:, 0])


def test_points_added_within_the_same_limits_keep_the_background(view):
    box = (np.array([-1.0, -1.0]), np.array([11.0, 11.0]))
    view.set_points(X, box=box)
    view.render(np.zeros(len(X), int), None)
    more = np.vstack([X, [[4.0, 4.0]]])
    view.set_points(more, box=box)                  # a point clicked in: same limits
    img = view.render(np.zeros(len(more), int), None)
    assert view.last_render_info["redrawn"] == "points"
    assert is_colour(rgb_at(img, view, (4.0, 4.0)), CATEGORY10[0])
    view.set_points(more)                           # limits from the data: a new layout
    view.render(np.zeros(len(more), int), None)
    assert view.last_render_info["redrawn"] == "full"


# -- centroids over many points, region borders ---------------------------------------------


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_a_centroid_over_a_dense_crowd_of_its_own_colour_is_filled_and_outlined(theme):
    # 200,000 points of cluster 0 around its centroid: the dots around the marker are solid
    # cluster colour. The marker still shows its fill, ringed light then dark, so it reads as
    # a filled centroid (with a plain edge in the cluster's colour it would read as a ring).
    rng = np.random.default_rng(0)
    Xd = rng.normal(scale=1.0, size=(200_000, 2))
    labels = np.zeros(len(Xd), int)
    v = KMeansView(1000, 800, dpi=200, style=V.Style(theme=theme))
    v.set_points(Xd)
    assert v.raster
    img = v.render(labels, np.array([[0.0, 0.0]]))
    fill, light, dark, outside = outline_bands(v, img, (0.0, 0.0))
    crowd = np.mean([is_colour(px, CATEGORY10[0], tol=25) for px in outside])
    assert crowd > 0.9                                     # a dense crowd of its own colour
    assert is_colour(rgb_at(img, v, (0.0, 0.0)), CATEGORY10[0])
    assert all(is_colour(px, CATEGORY10[0]) for px in fill)
    assert ringed_light_then_dark(light, dark)


def pixel_centres_in_data(view, img):
    """Data coordinates (H, W, 2) of every buffer pixel's centre."""
    H, W = img.shape[:2]
    cols, rows = np.meshgrid(np.arange(W) + 0.5, np.arange(H) + 0.5)
    display = np.column_stack([cols.ravel(), H - rows.ravel()])
    return view.ax.transData.inverted().transform(display).reshape(H, W, 2)


def test_region_borders_are_straight_to_the_pixel():
    # Two centroids whose bisector is a slanted line. At 200 dpi a region shaded in 2 CSS px
    # cells (4 device px) would be a staircase: pixels up to ~3 px from the line in the wrong
    # colour. The border must switch colour within 1.5 px of the exact bisector.
    v = KMeansView(1000, 800, dpi=200)
    v.set_points(X)
    labels = np.array([0, 1, 0, 1, 0, 0])
    C = np.array([[2.0, 3.0], [8.0, 6.0]])
    plain = v.render(labels, None).copy()
    img = v.render(labels, None, regions=C).copy()
    centres = pixel_centres_in_data(v, img)
    # Signed distance (device px) of each pixel centre from the bisector; > 0: nearer C[1].
    normal = C[1] - C[0]
    units = (centres - 0.5 * (C[0] + C[1])) @ normal / np.linalg.norm(normal)
    px_per_unit = v.ax.transData.transform([1.0, 0.0])[0] - v.ax.transData.transform([0.0, 0.0])[0]
    signed = units * px_per_unit
    x0, y0, x1, y1 = v.ax.bbox.extents
    H = img.shape[0]
    inner = np.zeros(img.shape[:2], bool)
    inner[int(H - y1) + 3:int(H - y0) - 3, int(x0) + 3:int(x1) - 3] = True
    # Only pixels that are blank without regions: no point, grid line, tick or frame.
    blank = inner & np.all(plain[..., :3] == 255, axis=-1)
    expected = np.where(signed[..., None] > 0, tint(CATEGORY10[1]), tint(CATEGORY10[0]))
    off = np.abs(img[..., :3].astype(int) - expected).max(axis=-1) > 3
    checked = blank & (np.abs(signed) > 1.5)
    assert not (off & checked).any(), np.argwhere(off & checked)[:5]
    # The check covers the border's whole length on both sides, not just far-away pixels.
    assert (checked & (np.abs(signed) < 3) & (signed > 0)).sum() > 500
    assert (checked & (np.abs(signed) < 3) & (signed < 0)).sum() > 500


def inside_convex(polygon, points):
    """Whether each of points (m, 2) is inside (or on) the convex polygon (p, 2)."""
    edges = np.roll(polygon, -1, axis=0) - polygon
    rel = points[:, None, :] - polygon[None, :, :]
    cross = edges[None, :, 0] * rel[..., 1] - edges[None, :, 1] * rel[..., 0]
    return np.all(cross >= -1e-9, axis=1) | np.all(cross <= 1e-9, axis=1)


@pytest.mark.parametrize("k", [2, 6, 10])
def test_voronoi_cells_hold_exactly_the_places_nearest_their_site(k):
    rng = np.random.default_rng(k)
    sites = rng.uniform(0, 100, (k, 2))
    box = (-20.0, -10.0, 130.0, 90.0)
    cells = V.voronoi_cells(sites, box)
    assert len(cells) == k
    areas = [0.5 * abs(np.sum(c[:, 0] * np.roll(c[:, 1], -1) - np.roll(c[:, 0], -1) * c[:, 1]))
             for c in cells]
    assert sum(areas) == pytest.approx(150.0 * 100.0)        # they tile the box
    probes = rng.uniform([-20.0, -10.0], [130.0, 90.0], (4000, 2))
    d = ((probes[:, None, :] - sites[None]) ** 2).sum(axis=-1)
    nearest = d.argmin(axis=1)
    gap = np.sort(d, axis=1)[:, 1] - d.min(axis=1)
    clear = gap > 1e-6                                         # not on a border
    for i, cell in enumerate(cells):
        assert np.array_equal(inside_convex(cell, probes[clear]), nearest[clear] == i)


def test_voronoi_cells_give_a_tie_to_the_lower_index():
    # Site 2 is where site 0 is: the engine assigns their points to 0, so 2 has no cell.
    cells = V.voronoi_cells(np.array([[0.0, 0.0], [4.0, 0.0], [0.0, 0.0]]), (-5.0, -5.0, 5.0, 5.0))
    assert len(cells[2]) == 0
    assert sorted(map(tuple, cells[0])) == sorted([(-5.0, -5.0), (2.0, -5.0), (2.0, 5.0), (-5.0, 5.0)])
    assert sorted(map(tuple, cells[1])) == sorted([(2.0, -5.0), (5.0, -5.0), (5.0, 5.0), (2.0, 5.0)])
    # One site (or all in one place): the whole box is the first one's.
    box = (0.0, 0.0, 1.0, 1.0)
    assert len(V.voronoi_cells(np.array([[0.5, 0.5]]), box)[0]) == 4
    assert [len(c) for c in V.voronoi_cells(np.full((3, 2), 7.0), box)] == [4, 0, 0]


def test_regions_skip_a_centroid_on_top_of_another():
    # Centroid 2 sits on centroid 0: region 0 keeps its colour (no tint of 2 over it).
    C = np.array([[0.0, 0.0], [10.0, 10.0], [0.0, 0.0]])
    v = KMeansView(500, 400, dpi=100)
    v.set_points(X)
    img = v.render(np.array([0, 1, 0, 1, 0, 0]), C, regions=C)
    assert is_colour(rgb_at(img, v, (7.0, 0.5)), tint(CATEGORY10[0]), tol=3)


# ------------------------------------------------------------------ explain mode


def _point_shown(i, C, labels):
    from kmeans_anim.picture.explain import PointShown
    d = np.hypot(*(C - X[i]).T)
    return PointShown(i, X[i].copy(), C, d, int(np.argmin(d)), int(labels[i]), None,
                      tuple(f"{v:.3g}" for v in d), "")


def test_a_selected_point_has_a_line_to_every_centroid_the_nearest_wider(view):
    labels = np.array([0, 0, 1, 1, 0, 1])
    C = np.array([[2.0, 0.0], [2.0, 10.0]])
    plain = view.render(labels, C).copy()
    shown = view.render(labels, C, explained=_point_shown(4, C, labels)).copy()
    assert view.last_render_info["redrawn"] == "centroids"  # per frame: the points layer holds
    # point 4 (5, 2): its lines to (2, 0) and to (2, 10), each in its centroid's colour, a quarter
    # of the way along (the distance is written halfway)
    for j in (0, 1):
        col, row = view.data_to_pixel(X[4] + 0.25 * (C[j] - X[4]))

        def coloured(img):
            patch = img[int(row) - 2:int(row) + 3, int(col) - 2:int(col) + 3, :3].reshape(-1, 3)
            return any(is_colour(px, CATEGORY10[j], tol=60) for px in patch)
        assert coloured(shown) and not coloured(plain), j
    # the distances are written: the halfway boxes differ from the plain frame
    col, row = view.data_to_pixel(0.5 * (X[4] + C[1]))
    assert not np.array_equal(shown[int(row) - 3:int(row) + 4, int(col) - 8:int(col) + 9],
                              plain[int(row) - 3:int(row) + 4, int(col) - 8:int(col) + 9])
    # and gone when nothing is selected
    assert np.array_equal(view.render(labels, C), plain)


@pytest.mark.parametrize("n", [len(X), V.RASTER_FROM])
def test_a_selected_centroid_veils_the_other_clusters_and_points_to_its_mean(n):
    from kmeans_anim.picture.explain import CentroidShown
    points, labels = (X, np.array([0, 0, 1, 1, 0, 1])) if n == len(X) else blobs(n)
    v = KMeansView(500, 400)
    v.set_points(points)
    C = np.array([[0.0, 5.0], [10.0, 5.0]]) if n == len(X) else np.array([[-6.0, 1.0], [6.0, 1.0]])
    plain = v.render(labels, C).copy()
    members = labels == 0
    mean = points[members].mean(axis=0)
    e = CentroidShown(0, C[0], members, int(members.sum()), points[members].sum(axis=0), mean,
                      "mean", "")
    shown = v.render(labels, C, explained=e).copy()
    assert v.last_render_info["redrawn"] == "points"        # the veil lives in the points layer
    other = points[~members][0] if n == len(X) else np.array([5.0, 0.0])
    own = points[members][0] if n == len(X) else np.array([-5.0, -1.2])  # clear of the mean's mark
    # another cluster's point is much paler; the cluster's own keeps (about) its colour
    def paler(xy):
        return int(rgb_at(shown, v, xy).astype(int).sum() - rgb_at(plain, v, xy).astype(int).sum())
    assert paler(other) > 60 and paler(own) < paler(other) / 3
    # an arrow in the theme's ink from the centroid to the mean: dark on the way
    way = C[0] + 0.6 * (mean - C[0])
    col, row = v.data_to_pixel(way)
    assert shown[int(row) - 2:int(row) + 3, int(col) - 2:int(col) + 3, :3].min() < 80
    # let go: the plain frame again (the veil never stays in a cached layer)
    assert np.array_equal(v.render(labels, C), plain)


def ink_distance(rgb, theme="light"):
    ink = (to_rgba_array([V.THEMES[theme]["ink"]])[0, :3] * 255).round()
    return float(np.abs(np.asarray(rgb, float) - ink).sum())


def filled_pixels(img, view, xy, radius):
    """Pixels within `radius` of a point's centre that are not the background (white)."""
    col, row = view.data_to_pixel(np.asarray(xy, float))
    rows, cols = slice(int(row) - radius, int(row) + radius + 1), slice(int(col) - radius,
                                                                       int(col) + radius + 1)
    patch = img[rows, cols, :3]
    return int((patch.astype(int).min(axis=2) < 240).sum())


def test_a_pick_s_weights_make_likely_points_larger_and_bolder(view):
    unassigned = np.full(len(X), -1)
    weights = np.array([0.0, 1.0, 0.5, 0.0, 0.0, 0.0])
    plain = view.render(unassigned, None).copy()
    img = view.render(unassigned, None, weights=weights).copy()
    assert view.last_render_info["redrawn"] == "points"       # the weights are the points layer
    # The likeliest point (weight 1) is larger and nearer the ink than before; one of weight 0
    # is smaller and keeps the grey; one of 0.5 lies between.
    assert filled_pixels(img, view, X[1], 12) > filled_pixels(plain, view, X[1], 12)
    assert filled_pixels(img, view, X[0], 12) < filled_pixels(plain, view, X[0], 12)
    shade = [ink_distance(rgb_at(img, view, X[i])) for i in (1, 2, 0)]
    assert shade[0] < shade[1] < shade[2]
    assert is_colour(rgb_at(img, view, X[0]), V.UNASSIGNED_COLOR)
    # Without weights again: the usual look, pixel for pixel.
    assert np.array_equal(view.render(unassigned, None), plain)


def test_raster_dots_are_shaded_by_their_weight():
    Xb, _ = blobs(V.RASTER_FROM)
    v = KMeansView(600, 480)
    v.set_points(Xb)
    unassigned = np.full(len(Xb), -1)
    weights = (Xb[:, 0] > 0).astype(float)                   # the right blob likely, the left not
    img = v.render(unassigned, None, weights=weights)
    left, right = (rgb_at(img, v, (x, 0.0)) for x in (-5.0, 5.0))
    assert ink_distance(right) < 60 < ink_distance(left)


def test_a_few_ringed_raster_points_get_a_ring_a_crowd_only_inked_dots():
    Xb, labels = blobs(V.RASTER_FROM)
    v = KMeansView(600, 480)
    v.set_points(Xb)
    plain = v.render(labels, None).copy()
    few = np.zeros(len(Xb), bool)
    few[np.argmax(Xb[:, 1])] = True                          # the topmost point: room around it
    ringed = v.render(labels, None, changed=few).copy()
    col, row = v.data_to_pixel(Xb[few][0])
    radius = int(np.sqrt(V.CHANGED_SIZE) / 2 * v.figure.dpi / 72) + 2
    window = (slice(int(row) - radius, int(row) + radius + 1),
              slice(int(col) - radius, int(col) + radius + 1))
    differs = (ringed[window][..., :3] != plain[window][..., :3]).any(axis=-1)
    assert differs.sum() > 20                                 # a ring, not one dot
