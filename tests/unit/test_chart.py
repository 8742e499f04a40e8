"""chart: the inertia chart grows with the run and marks the half-step on screen; cluster sizes."""

from types import SimpleNamespace

import numpy as np
import pytest

from kmeans_anim.chart import CURRENT, LINE, InertiaChart, cluster_sizes
from kmeans_anim.params import Params
from kmeans_anim.session import Session


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


def test_the_current_half_step_is_marked_where_it_is(run):
    chart = InertiaChart(320, 140)
    a = chart.render(run.steps, 2, len(run.steps)).copy()
    b = chart.render(run.steps, 5, len(run.steps)).copy()

    def marker_x(img):
        cols = np.nonzero((np.abs(img[..., :3].astype(int) - hex_rgb(CURRENT)).max(axis=-1) <= 40).any(axis=0))[0]
        assert len(cols), "no current-step marker"
        return cols.mean()

    assert marker_x(b) > marker_x(a)


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
