"""chart: the inertia chart grows with the run and marks the half-step on screen, shares its y
axis between the runs on the same points, writes as large as the page; cluster sizes."""

from types import SimpleNamespace

import numpy as np
import pytest
from matplotlib.text import Text

from kmeans_anim.picture.chart import CURRENT, LINE, InertiaChart, cluster_sizes, nice_top
from kmeans_anim.core.params import Params
from kmeans_anim.core.session import Session


def hex_rgb(h):
    return np.array([int(h[i:i + 2], 16) for i in (1, 3, 5)])


def count_colour(img, hex_colour, tol=30):
    return int((np.abs(img[..., :3].astype(int) - hex_rgb(hex_colour)).max(axis=-1) <= tol).sum())


@pytest.fixture(scope="module")
def run():
    return Session().go(Params(n=150, k=4, seed=3, max_iter=10))


def test_the_chart_grows_as_the_run_is_shown(run):
    chart = InertiaChart(320, 140)
    early = count_colour(chart.render(run.steps, 1, len(run.steps)).copy(), LINE)
    late = count_colour(chart.render(run.steps, len(run.steps) - 1, len(run.steps)).copy(), LINE)
    assert late > early > 0


def marker_at(img, axis):
    """Mean column (axis=0) or row (axis=1) of the current half-step's ring."""
    found = np.nonzero((np.abs(img[..., :3].astype(int) - hex_rgb(CURRENT)).max(axis=-1) <= 40).any(axis=axis))[0]
    assert len(found), "no current-step marker"
    return found.mean()


def test_the_current_half_step_is_marked_where_it_is(run):
    chart = InertiaChart(320, 140)
    a = chart.render(run.steps, 2, len(run.steps)).copy()
    b = chart.render(run.steps, 5, len(run.steps)).copy()
    assert marker_at(b, axis=0) > marker_at(a, axis=0)


def steps_of(*inertias):
    kinds = ["init"] + ["assign", "update"] * len(inertias)
    return [SimpleNamespace(kind=kind, inertia=float(v)) for kind, v in zip(kinds, inertias)]


# Two attempts on the same points: a good one and one stuck in a worse local minimum.
GOOD = steps_of(900, 900, 300, 200, 200)
WORSE = steps_of(600, 600, 450, 420, 420)


def ylim(chart):
    return tuple(float(v) for v in chart.ax.get_ylim())


@pytest.mark.parametrize("first, then", [(GOOD, WORSE), (WORSE, GOOD)], ids=["good-first", "worse-first"])
def test_runs_on_the_same_points_share_the_y_axis_so_a_worse_minimum_ends_higher(first, then):
    points = np.zeros((10, 2))
    chart = InertiaChart(320, 160)
    chart.render(first, len(first) - 1, points=points)
    chart.render(then, len(then) - 1, points=points)
    # From 0 to a round number above every inertia either run reached; it only grows.
    assert ylim(chart) == (0.0, nice_top(900)) == (0.0, 1000.0)
    good = chart.render(GOOD, len(GOOD) - 1, points=points).copy()
    assert ylim(chart) == (0.0, 1000.0)
    worse = chart.render(WORSE, len(WORSE) - 1, points=points).copy()
    assert ylim(chart) == (0.0, 1000.0)
    assert marker_at(worse, axis=1) < marker_at(good, axis=1)  # its last mark is higher up


def test_new_points_start_the_y_axis_anew():
    chart = InertiaChart(320, 160)
    chart.render(GOOD, 4, points=np.zeros((10, 2)))
    assert ylim(chart) == (0.0, 1000.0)
    small = steps_of(40, 40, 12)
    chart.render(small, 2, points=np.zeros((10, 2)))  # equal values, another array: new points
    assert ylim(chart) == (0.0, nice_top(40)) == (0.0, 50.0)


def test_retry_and_a_moved_centroid_keep_the_points_a_new_go_does_not():
    # The contract the page's chart keys its y axis on (web.glance passes run.points).
    session = Session()
    first = session.go(Params(n=150, k=4, seed=3, max_iter=10))
    again = session.retry()
    assert again.points is first.points is session.points
    step = again.steps[2]
    moved = session.branch(2, step.centroids + 0.5, step.labels, step.iteration)
    assert moved.points is first.points
    assert session.go(Params(n=150, k=4, seed=4, max_iter=10)).points is not first.points


@pytest.mark.parametrize("peak, top", [(973.6, 1200.0), (2400.0, 3000.0), (95.0, 100.0), (1.3e6, 1.5e6),
                                       (0.0, 1.0), (1e-300, 1.2e-300), (1.7e308, 1.7976931348623157e308)])
def test_the_top_is_a_round_number_above_the_peak(peak, top):
    assert nice_top(peak) == pytest.approx(top, rel=1e-12)
    assert nice_top(peak) >= peak


@pytest.mark.parametrize("font_px", [14.0, 18.0, 54.0])
def test_every_text_is_drawn_as_large_as_the_page_asks(run, font_px):
    # 54 = 18 px on a screen of 3 device pixels per CSS pixel (a phone).
    chart = InertiaChart(round(22 * font_px), round(11 * font_px), font_px=font_px)
    chart.render(run.steps, len(run.steps) - 1, len(run.steps))
    texts = [t for t in chart.figure.findobj(Text) if t.get_text() and t.get_visible()]
    assert len(texts) >= 5                                    # tick labels and "half-step"
    assert {round(t.get_fontsize() * chart.figure.dpi / 72, 6) for t in texts} == {font_px}


def test_large_inertias_keep_short_labels_under_a_multiplier():
    chart = InertiaChart(320, 160)
    chart.render(steps_of(1.3e6, 1.3e6, 4e5), 2)
    chart.canvas.draw()  # the labels are formatted at draw time
    labels = [t.get_text() for t in chart.ax.get_yticklabels() if t.get_text()]
    assert labels and max(len(t) for t in labels) <= 4, labels
    assert chart.ax.yaxis.get_offset_text().get_text() == "1e6"


def test_the_chart_drawn_in_two_turns_is_the_chart_drawn_at_once(run):
    # The page draws a new background in two turns (figure, then the x axis); an interleaved
    # render in between must not leave its line in the background.
    whole = InertiaChart(320, 140).render(run.steps, 4, len(run.steps)).copy()
    chart = InertiaChart(320, 140)
    pieces = chart.render_in_pieces(run.steps, 4, len(run.steps))
    assert next(pieces, "done") is None                       # half-way: a turn for the page
    assert next(pieces, "done") == "done"
    assert np.array_equal(chart.pixels(), whole)
    interleaved = InertiaChart(320, 140)
    pieces = interleaved.render_in_pieces(run.steps, 4, len(run.steps))
    next(pieces)
    interleaved.render(run.steps, len(run.steps) - 1, len(run.steps))  # a step key in between
    for _ in pieces:
        pass
    assert np.array_equal(interleaved.pixels(), whole)
    assert list(interleaved.render_in_pieces(run.steps, 4, len(run.steps))) == []  # cached now
    assert np.array_equal(interleaved.pixels(), whole)


def test_one_step_and_flat_runs_draw_without_errors():
    steps = [SimpleNamespace(kind="init", inertia=5.0)]
    img = InertiaChart(200, 100).render(steps, 0)
    assert img.shape == (100, 200, 4)
    flat = [SimpleNamespace(kind=k, inertia=0.0) for k in ("init", "assign", "update")]
    assert InertiaChart(200, 100, theme="dark").render(flat, 2).shape == (100, 200, 4)


def test_cluster_sizes_count_assigned_points_only():
    assert cluster_sizes(np.array([0, 2, 2, -1, 2], dtype=np.int8), 4) == [1, 0, 3, 0]
    assert cluster_sizes(np.full(3, -1), 2) == [0, 0]


def test_the_picks_of_the_start_fall_to_the_run_and_do_not_set_the_y_axis():
    picks = [SimpleNamespace(kind="pick", inertia=v) for v in (9000.0, 2500.0, 700.0)]
    steps = picks + [SimpleNamespace(kind=k, inertia=v) for k, v in
                     [("assign", 700.0), ("update", 400.0), ("assign", 380.0)]]
    chart = InertiaChart(320, 160)
    first = chart.render(steps, 0, len(steps), points=np.zeros((3, 2))).copy()
    # From the start on (the last pick) the run sets the axis; the first picks lie above it.
    assert ylim(chart) == (0.0, nice_top(700.0))
    # The first pick's mark sits on the top edge, at the left: seen, not lost off the chart.
    top = chart.ax.transAxes.transform((0.0, 1.0))[1]
    assert abs((chart.figure.bbox.height - marker_at(first, axis=1)) - top) < 4
    last = chart.render(steps, len(steps) - 1, len(steps), points=np.zeros((3, 2))).copy()
    assert marker_at(last, axis=0) > marker_at(first, axis=0)
