"""export/gif: the animated GIF.

GIF frames are decoded with Pillow and checked at point positions found through
KMeansView.data_to_pixel on a view of the same size.
"""

import doctest
import io

import numpy as np
import pytest
from matplotlib.colors import to_rgba_array
from PIL import Image

from kmeans_anim.export import gif
from kmeans_anim.words import wording
from kmeans_anim.export.gif import GifMaker, _bounding_box, animated_gif
from kmeans_anim.core.params import Params
from kmeans_anim.core.player import Timeline
from kmeans_anim.picture.scene import Options, frame_scene
from kmeans_anim.core.session import Session
from kmeans_anim.picture.view import CATEGORY10, THEMES, UNASSIGNED_COLOR, KMeansView, Style


def test_module_example_runs():
    result = doctest.testmod(gif)
    assert result.attempted >= 7 and result.failed == 0


def rgb(colour):
    return tuple((to_rgba_array([colour])[0, :3] * 255).round().astype(int))


def decode_gif(data):
    """[(RGB array, duration ms)] of every frame, as a viewer composes them, and the info."""
    im = Image.open(io.BytesIO(data))
    assert im.format == "GIF"
    frames = []
    for i in range(im.n_frames):
        im.seek(i)
        frames.append((np.array(im.convert("RGB")), im.info["duration"]))
    return frames, im.info


def caption_box(view, run):
    """(rows, cols) slices of the box the GIF's half-step caption covers in `view`'s layout: the
    longest caption of `run` (right-aligned, it holds every shorter one)."""
    longest = max((wording.half_step_label(i, run.steps, True) for i in range(len(run.steps))),
                  key=len)
    plain = view.render(run.labels, run.centroids).copy()
    captioned = view.render(run.labels, run.centroids, caption=longest)
    return _bounding_box((plain != captioned).any(axis=-1))


def clear_points(points, view, centroids, min_gap_px=12.0, centroid_gap_px=22.0, hidden=None):
    """Indices of points whose marker no other point or centroid covers (nor the caption box
    `hidden`, see caption_box), and their pixels."""
    px = view.data_to_pixel(points)
    cpx = view.data_to_pixel(np.concatenate(centroids))
    gaps = np.linalg.norm(px[:, None] - px[None], axis=-1)
    np.fill_diagonal(gaps, np.inf)
    to_centroid = np.linalg.norm(px[:, None] - cpx[None], axis=-1).min(axis=1)
    visible = np.ones(len(points), dtype=bool)
    if hidden is not None:
        rows, cols = hidden
        visible = ~((px[:, 1] >= rows.start - 1) & (px[:, 1] <= rows.stop)
                    & (px[:, 0] >= cols.start - 1) & (px[:, 0] <= cols.stop))
    keep = np.flatnonzero((gaps.min(axis=1) > min_gap_px) & (to_centroid > centroid_gap_px)
                          & visible)
    return keep, px[keep]


def colour_at(frame, pixel):
    col, row = pixel
    return tuple(int(v) for v in frame[int(row), int(col)])


def frame_shown_at(frames, t_ms):
    """Index of the frame on screen t_ms after the start."""
    ends = np.cumsum([d for _, d in frames])
    return int(np.searchsorted(ends, t_ms, side="right"))


@pytest.fixture(scope="module")
def gif_run():
    s = Session()
    run = s.go(Params(n=60, k=10, seed=3, dataset="uniform"))  # spread out: markers apart
    maker = GifMaker(run, s.points, width_px=480, height_px=384)
    progress = list(maker.steps())
    view = KMeansView(480, 384, 100)
    view.set_points(s.points)
    view.render(run.labels, run.centroids)  # lays the view out like the GIF's
    return s, run, maker, progress, decode_gif(maker.result), view


def test_gif_opens_loops_forever_and_lasts_as_long_as_the_run(gif_run):
    s, run, maker, _, (frames, info), _ = gif_run
    assert info["loop"] == 0
    timeline = Timeline(run, 1.0)
    assert len(frames) == len(maker.delays_ms)
    assert [d for _, d in frames] == maker.delays_ms
    total_ms = sum(maker.delays_ms)
    assert abs(total_ms - 1000 * (timeline.duration + 2.0)) <= 5  # + 2 s on the result
    assert min(maker.delays_ms) >= 20  # browsers would play shorter frames at 100 ms
    # Glides are in it (several frames per update) and still pictures are not repeated.
    n_updates = sum(st.kind == "update" for st in run.steps)
    assert len(frames) > len(run.steps) + n_updates
    assert all((a != b).any() for (a, _), (b, _) in zip(frames, frames[1:]))


def test_gif_first_frame_shows_grey_points_and_last_the_final_clusters(gif_run):
    s, run, _, _, (frames, _), view = gif_run
    first, last = frames[0][0], frames[-1][0]
    keep, pixels = clear_points(s.points, view, [run.steps[0].centroids, run.centroids],
                                hidden=caption_box(view, run))
    assert len(keep) >= 15
    assert {colour_at(first, p) for p in pixels} == {rgb(UNASSIGNED_COLOR)}
    for i, p in zip(keep, pixels):
        assert colour_at(last, p) == rgb(CATEGORY10[run.labels[i]])  # exact: no palette drift
    assert len({run.labels[i] for i in keep}) == 10  # each of the ten colours was checked


def test_gif_shows_each_assignment_at_its_time_on_the_timeline(gif_run):
    s, run, _, _, (frames, _), view = gif_run
    timeline = Timeline(run, 1.0)
    for index, step in enumerate(run.steps):
        if step.kind != "assign":
            continue
        t = timeline.step_start(index) + 0.2  # halfway through the recolour's hold
        frame = frames[frame_shown_at(frames, 1000 * t)][0]
        held = timeline.frame_at(t)
        keep, pixels = clear_points(s.points, view, [held.centroids],
                                    hidden=caption_box(view, run))
        for i, p in zip(keep, pixels):
            assert colour_at(frame, p) == rgb(CATEGORY10[step.labels[i]]), (index, i)


def test_gif_progress_counts_every_frame_before_the_result(gif_run):
    _, _, maker, progress, _, _ = gif_run
    assert progress == [(i, maker.total) for i in range(1, maker.total + 1)]
    assert maker.progress == 1.0 and not maker.thinned and maker.note == ""
    fresh = GifMaker(gif_run[1], gif_run[0].points, width_px=160, height_px=128)
    with pytest.raises(RuntimeError, match="not made yet"):
        fresh.result
    steps = fresh.steps()
    assert next(steps) == (1, fresh.total) and 0 < fresh.progress < 1


def test_gif_of_many_points_shows_a_sample_and_says_so():
    rng = np.random.default_rng(0)
    points = rng.normal(scale=3.0, size=(2000, 2))
    run = Session().go(Params(dataset="custom", k=3, seed=1, max_iter=2), points)
    maker = GifMaker(run, points, width_px=320, height_px=256, max_points=500)
    frames, _ = decode_gif(maker.make())
    assert maker.thinned and maker.points_shown == 500 and maker.points_total == 2000
    assert maker.note == "The GIF shows 500 of 2,000 points, a random sample."
    # The sample keeps the extreme points, so the GIF frames the same area as the page: the
    # leftmost point sits where a view of all the points puts it.
    view = KMeansView(320, 256, 100)
    view.set_points(points)
    view.render(run.labels, run.centroids)
    leftmost = points[points[:, 0].argmin()]
    assert colour_at(frames[0][0], view.data_to_pixel(leftmost)) == rgb(UNASSIGNED_COLOR)
    again = GifMaker(run, points, width_px=320, height_px=256, max_points=500)
    assert again.make() == maker.result  # the sample is seeded


def test_gif_with_paths_and_regions_keeps_point_colours_exact():
    s = Session()
    run = s.go(Params(n=40, k=3, centers=3, seed=5, std=0.5))
    data = animated_gif(run, s.points, width_px=400, height_px=320,
                        options=Options(paths=True, regions=True), fps=6,
                        seconds_per_iteration=0.5)
    frames, _ = decode_gif(data)
    last = frames[-1][0]
    view = KMeansView(400, 320, 100)
    view.set_points(s.points)
    view.render(run.labels, run.centroids)
    keep, pixels = clear_points(s.points, view, [run.centroids], hidden=caption_box(view, run))
    for i, p in zip(keep, pixels):
        assert colour_at(last, p) == rgb(CATEGORY10[run.labels[i]])
    # The plot's background is tinted by the regions: no longer pure white inside the axes.
    (x0, x1), (y0, y1) = view.ax.get_xlim(), view.ax.get_ylim()
    corner = view.data_to_pixel([x0 + 0.02 * (x1 - x0), y0 + 0.02 * (y1 - y0)])
    assert colour_at(last, corner) != (255, 255, 255)


def nearest_in_table(rgba, table):
    """Each pixel of rgba (h, w, 4) as the nearest of the colours `table` (c, 3), as the GIF's
    encoder maps it (the first of equally near colours)."""
    rgb = rgba[..., :3].reshape(-1, 3).astype(np.int64)
    unique, inverse = np.unique(rgb, axis=0, return_inverse=True)
    distance = ((unique[:, None, :] - table[None, :, :].astype(np.int64)) ** 2).sum(axis=-1)
    return table[distance.argmin(axis=1)][inverse.reshape(-1)].reshape(rgba.shape[:2] + (3,))


def test_a_gif_frame_is_the_picture_the_page_and_the_png_draw_of_that_instant():
    # Every overlay on, marker shapes and the dark theme: what the GIF shows at each moment is
    # KMeansView's render of scene.frame_scene for the picture of that moment (the rule the
    # page and the PNG follow), with the half-step named in it, up to the GIF's palette.
    s = Session()
    run = s.go(Params(n=80, k=4, seed=16))
    options = Params(paths=1, regions=1, changed=1, links=1)
    style = Style(theme="dark", shapes=True)
    maker = GifMaker(run, s.points, width_px=400, height_px=320, options=options, style=style,
                     fps=4)
    frames, _ = decode_gif(maker.make())
    table = np.array(Image.open(io.BytesIO(maker.result)).getpalette()[:3 * 255]).reshape(-1, 3)
    timeline = Timeline(run)
    view = KMeansView(400, 320, 100, style=style)
    view.set_points(s.points)
    seen = {"rings": 0, "glides": 0}
    for start, when in maker._sample_times():  # (from when, picture of when), seconds
        shown = frames[frame_shown_at(frames, 1000 * start + 6)][0]
        frame = timeline.frame_at(when)
        expected = frame_scene(run, frame, options, timeline.trails(when), caption=True,
                               playing=True)
        assert expected.caption == wording.half_step_label(frame.step_index, run.steps, True)
        assert expected.links and expected.trails is not None
        rgba = view.render(**expected.render_args())
        np.testing.assert_array_equal(shown, nearest_in_table(rgba, table), err_msg=str(when))
        seen["rings"] += expected.changed is not None
        seen["glides"] += bool(frame.moving)
    assert seen["rings"] >= 2 and seen["glides"] >= 4, seen
    # The dark theme, the rings and the caption are really drawn: the figure's background, and
    # a picture without the rings or without the caption would differ.
    ringed = next(j for j, shown in enumerate(maker.scenes) if shown.changed is not None)
    assert tuple(frames[ringed][0][3, 3]) == rgb(THEMES["dark"]["face"])
    args = maker.scenes[ringed].render_args()
    for left_out in ({"changed": None}, {"caption": ""}):
        other = nearest_in_table(view.render(**{**args, **left_out}), table)
        assert (other != frames[ringed][0]).any(), left_out


def test_gif_options_out_of_range_are_refused():
    s = Session()
    run = s.go(Params(n=30, k=2, seed=1))
    for bad in ({"fps": 0}, {"fps": 60}, {"seconds_per_iteration": 0.0},
                {"width_px": 4}, {"max_points": 1}):
        with pytest.raises(ValueError):
            GifMaker(run, s.points, **bad)


def test_a_gif_of_a_k_means_plus_plus_start_shows_each_pick_with_its_weights():
    rng = np.random.default_rng(2)
    points = rng.normal(scale=3.0, size=(900, 2))
    run = Session().go(Params(dataset="custom", k=3, seed=1, max_iter=2, init="k-means++"),
                       points)
    maker = GifMaker(run, points, width_px=320, height_px=256, max_points=300)
    picks = [scene for scene in maker.scenes if scene.weights is not None]
    # Picks 2 and 3 draw the weights (pick 1 is uniform), on the sampled points too.
    assert len(picks) == 2 and all(len(scene.centroids) in (2, 3) for scene in picks)
    frames, _ = decode_gif(maker.make())
    assert len(frames) == maker.total
