"""export: the CSV download, "Copy as Python", the animated GIF and the PNG of a frame.

The copied script is run in a fresh CPython process and must print the centroids this process
computes with Session for the same settings. GIF frames are decoded with Pillow and checked at
point positions found through KMeansView.data_to_pixel on a view of the same size.
"""

import ast
import contextlib
import csv
import doctest
import io
import os
import subprocess
import sys

import numpy as np
import pytest
from matplotlib.colors import to_rgba_array
from PIL import Image

from kmeans_anim.export import files as export
from kmeans_anim.words import wording
from kmeans_anim.export.files import (CSV_HEADER, GifMaker, animated_gif, png_bytes, points_csv,
                                python_script)
from kmeans_anim.core.params import Params
from kmeans_anim.core.player import Timeline
from kmeans_anim.picture.scene import Options, frame_scene
from kmeans_anim.core.session import Session
from kmeans_anim.picture.view import CATEGORY10, THEMES, UNASSIGNED_COLOR, KMeansView, Style


def test_module_example_runs():
    result = doctest.testmod(export)
    assert result.attempted >= 8 and result.failed == 0


# --------------------------------------------------------------------------------------------
# CSV
# --------------------------------------------------------------------------------------------

# Edge cases of the float text: the longest forms (24 and 23 characters), subnormals, -0.0,
# the switch between positional and exponent forms (1e-4 and 1e16).
AWKWARD = [0.1, -0.0, 1e-300, 5e-324, 1.7976931348623157e308, -2.2250738585072014e-308,
           -1.2345678901234567e-300, -0.00012345678901234567, 0.0001, 9.999999999999999e-05,
           123456789.12345679, 1e16, 9999999999999998.0, 0.30000000000000004, -7.0, 2.5e-310]


@pytest.fixture(scope="module")
def finished():
    s = Session()
    run = s.go(Params(n=120, k=4, seed=11))
    return s, run


def read_rows(text):
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_has_one_row_per_point_then_one_per_centroid(finished):
    s, run = finished
    text = points_csv(s.points, run.labels, s.true_labels, run.centroids)
    lines = text.splitlines()
    assert lines[0] == CSV_HEADER == "x,y,cluster,true_cluster,kind"
    assert len(lines) == 1 + 120 + 4 and text.endswith("\n")
    rows = read_rows(text)
    assert [r["kind"] for r in rows] == ["point"] * 120 + ["centroid"] * 4
    for row, (x, y), label, truth in zip(rows, s.points, run.labels, s.true_labels):
        assert (float(row["x"]), float(row["y"])) == (x, y)  # exact, not approximately
        assert row["cluster"] == str(label) and row["true_cluster"] == str(truth)
    for j, (row, (x, y)) in enumerate(zip(rows[120:], run.centroids)):
        assert (float(row["x"]), float(row["y"]), row["cluster"], row["true_cluster"]) == (
            x, y, str(j), "")


def test_csv_numbers_round_trip_exactly_and_read_like_repr():
    X = np.array(AWKWARD).reshape(-1, 2)
    text = points_csv(X, np.arange(len(X)))
    rows = read_rows(text)
    assert [r["x"] for r in rows] == [repr(v) for v in X[:, 0].tolist()]
    assert [r["y"] for r in rows] == [repr(v) for v in X[:, 1].tolist()]
    back = np.array([[float(r["x"]), float(r["y"])] for r in rows])
    assert back.tobytes() == X.tobytes()  # bit for bit, -0.0 included


def test_csv_leaves_unknown_fields_empty():
    # Before the first assignment (label -1) and for the visitor's own points (no truth).
    X = np.array([[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]])
    rows = read_rows(points_csv(X, np.array([-1, 1, -1], dtype=np.int8)))
    assert [r["cluster"] for r in rows] == ["", "1", ""]
    assert [r["true_cluster"] for r in rows] == ["", "", ""]
    assert len(rows[0]) == 5 and all(r["kind"] == "point" for r in rows)


def test_numpy_reads_the_csv_without_tricks(tmp_path, finished):
    s, run = finished
    path = tmp_path / "points.csv"
    path.write_text(points_csv(s.points, run.labels, s.true_labels, run.centroids))
    xy = np.loadtxt(path, delimiter=",", skiprows=1, usecols=(0, 1))
    kind = np.loadtxt(path, delimiter=",", skiprows=1, usecols=4, dtype=str)
    np.testing.assert_array_equal(xy[kind == "point"], s.points)
    np.testing.assert_array_equal(xy[kind == "centroid"], run.centroids)
    table = np.genfromtxt(path, delimiter=",", names=True, dtype=None, encoding="utf-8")
    points = table[table["kind"] == "point"]
    np.testing.assert_array_equal(points["cluster"], run.labels)
    np.testing.assert_array_equal(points["true_cluster"], s.true_labels)


def test_csv_refuses_mismatched_shapes():
    with pytest.raises(ValueError, match="labels"):
        points_csv(np.zeros((3, 2)), [0, 1])
    with pytest.raises(ValueError, match="points"):
        points_csv(np.zeros((3, 3)), [0, 1, 2])
    with pytest.raises(ValueError, match="true_labels"):
        points_csv(np.zeros((3, 2)), [0, 1, 2], true_labels=[0])


def test_csv_of_many_points_matches_a_row_by_row_csv_writer():
    # The vectorised formatter must write what the csv module writes from repr, row by row,
    # across block boundaries (65536 rows per block).
    rng = np.random.default_rng(3)
    n = 70_000
    X = rng.normal(scale=10.0 ** rng.integers(-300, 300, size=(n, 1)), size=(n, 2))
    labels = rng.integers(-1, 10, n)
    truth = rng.integers(0, 10, n)
    expected = io.StringIO()
    writer = csv.writer(expected, lineterminator="\n")
    writer.writerow(CSV_HEADER.split(","))
    for (x, y), c, t in zip(X.tolist(), labels.tolist(), truth.tolist()):
        writer.writerow([repr(x), repr(y), "" if c < 0 else c, t, "point"])
    assert points_csv(X, labels, truth) == expected.getvalue()


# --------------------------------------------------------------------------------------------
# Copy as Python
# --------------------------------------------------------------------------------------------

def own_points(n, seed):
    """The visitor's own points: irregular floats, as clicks or a pasted file give."""
    rng = np.random.default_rng(seed)
    return np.round(rng.normal(scale=4.0, size=(n, 2)) + rng.integers(-8, 9, size=(n, 1)), 3)


# Three places, ten points: K = 5 is lowered to 3, and a random start can put two centroids on
# the same place, which leaves the second one empty (ties go to the lowest index).
STACKED = np.repeat([[0.0, 0.0], [5.0, 1.0], [2.0, 8.0]], [4, 3, 3], axis=0)

# Each case: (params, own points or None, what it must exercise). "empty" asserts that some
# assignment left a cluster without points, so the empty-cluster rule really ran; "merged",
# that an update put two centroids on one place; "stop", the stop reason; "k", a lowered K.
SCRIPT_CASES = {
    "blobs-random-keep": (Params(n=150, k=3, seed=3), None, {}),
    "blobs-kmeans++-attempt2": (Params(n=200, k=4, seed=8, init="k-means++", attempt=2), None,
                                {}),
    "blobs-uniform-keep-empty": (Params(n=200, k=10, centers=3, seed=1, init="uniform"), None,
                                 {"empty": True}),
    "uniform-greedy-tol": (Params(n=300, k=6, seed=5, init="greedy-k-means++", tol=1e-3,
                                  max_iter=300, dataset="uniform"), None, {"stop": "tol"}),
    "anisotropic-farthest-max_iter2": (Params(n=240, k=3, seed=17, init="farthest",
                                              dataset="anisotropic", max_iter=2), None,
                                       {"stop": "max_iter"}),
    "unequal-variance-uniform-farthest": (Params(n=200, k=10, centers=3, seed=1,
                                                 init="uniform", empty="farthest",
                                                 dataset="unequal-variance"), None,
                                          {"empty": True}),
    "unequal-size-uniform-random": (Params(n=200, k=10, centers=3, seed=2, init="uniform",
                                           empty="random", dataset="unequal-size"), None,
                                    {"empty": True}),
    "unequal-size-random-farthest-k10": (Params(n=200, k=10, centers=3, seed=21,
                                                empty="farthest", dataset="unequal-size"),
                                         None, {"empty": True}),
    # A centroid that took the only point of another cluster leaves that one empty: it goes
    # to the mean of the largest cluster, on top of that cluster's centroid.
    "blobs-uniform-farthest-still-empty": (Params(n=200, k=10, centers=3, seed=27,
                                                  init="uniform", empty="farthest"), None,
                                           {"empty": True, "merged": True}),
    "moons-uniform-farthest": (Params(n=200, k=10, seed=2, init="uniform", empty="farthest",
                                      dataset="moons", noise=0.3), None, {"empty": True}),
    "rings-kmeans++-random-attempt5": (Params(n=300, k=5, seed=14, init="k-means++",
                                              empty="random", dataset="rings", attempt=5),
                                       None, {}),
    "smiley-uniform-random": (Params(n=200, k=10, seed=11, init="uniform", empty="random",
                                     dataset="smiley"), None, {"empty": True}),
    "smiley-greedy-tol": (Params(n=300, k=4, seed=6, init="greedy-k-means++", tol=1e-4,
                                 max_iter=50, dataset="smiley"), None, {}),
    "custom-greedy-farthest": (Params(dataset="custom", k=6, seed=4, init="greedy-k-means++",
                                      empty="farthest"), own_points(80, 1), {}),
    "custom-stacked-random-keep": (Params(dataset="custom", k=5, seed=2), STACKED,
                                   {"k": 3, "empty": True}),
    "custom-stacked-random-farthest": (Params(dataset="custom", k=5, seed=2, empty="farthest"),
                                       STACKED, {"k": 3, "empty": True}),
    "custom-stacked-random-random": (Params(dataset="custom", k=5, seed=2, empty="random"),
                                     STACKED, {"k": 3, "empty": True}),
    "custom-many-compressed-kmeans++": (Params(dataset="custom", k=7, seed=9,
                                               init="k-means++", max_iter=40),
                                        own_points(3000, 2), {}),
}


def had_empty_cluster(run):
    k = len(run.centroids)
    return any((np.bincount(np.asarray(st.labels), minlength=k) == 0).any()
               for st in run.steps if st.kind == "assign")


def script_output(source, tmp_path):
    """What the script prints, run in a fresh CPython."""
    path = tmp_path / "kmeans_run.py"
    path.write_text(source)
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    done = subprocess.run([sys.executable, str(path)], capture_output=True, text=True,
                          cwd=tmp_path, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def run_script(source, tmp_path):
    """The centroids (k, 2) the script prints (its "x y" lines; the last line is the inertia)."""
    lines = script_output(source, tmp_path).splitlines()
    assert lines[-1].startswith("inertia ")
    return np.array([[float(v) for v in line.split()] for line in lines[:-1]])


def page_result_comment(source):
    """The lines of the comment that states the page's result, without their "#   "."""
    lines = source.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("# The page ended with"))
    return [line[4:] for line in lines[start + 1:] if line.startswith("#   ")]


@pytest.mark.parametrize("case", list(SCRIPT_CASES), ids=list(SCRIPT_CASES))
def test_copied_script_prints_the_pages_final_centroids(case, tmp_path):
    params, points, expect = SCRIPT_CASES[case]
    s = Session()
    run = s.go(params, points)
    # The case really exercises what its name says.
    if "empty" in expect:
        assert had_empty_cluster(run) == expect["empty"]
    if "stop" in expect:
        assert run.stop_reason == expect["stop"]
    if "merged" in expect:
        assert any(len(np.unique(st.centroids, axis=0)) < len(st.centroids)
                   for st in run.steps if st.kind == "update")
    assert len(run.centroids) == expect.get("k", params.k)

    source = python_script(params, s.seed, s.attempt, points, final_centroids=run.centroids,
                           final_inertia=run.inertia)
    printed = script_output(source, tmp_path)
    # The script prints what its comment says the page ended with, digit for digit.
    assert printed.splitlines() == page_result_comment(source)
    centroids = np.array([[float(v) for v in line.split()] for line in printed.splitlines()[:-1]])
    assert centroids.shape == run.centroids.shape
    np.testing.assert_allclose(centroids, run.centroids, rtol=1e-9, atol=1e-9)
    inertia = printed.splitlines()[-1].split()[1]         # within half its last decimal
    assert abs(float(inertia) - run.inertia) <= 0.51 * 10.0 ** -len(inertia.partition(".")[2])


def test_copied_script_after_retries_redoes_the_retry_on_screen(tmp_path):
    # The page's RETRY counts attempts in the session; the script must follow that count.
    s = Session()
    s.go(Params(n=150, k=4, seed=77, init="k-means++"))
    s.retry()
    run = s.retry()
    printed = run_script(python_script(s.params, s.seed, s.attempt), tmp_path)
    np.testing.assert_allclose(printed, run.centroids, rtol=1e-9, atol=1e-9)


# Words only one data set's code contains.
DATASET_MARKS = {"uniform": "no clusters", "anisotropic": "stretch",
                 "unequal-variance": "[0.5, 1.0, 2.5]", "unequal-size": "1 : 3 : 8",
                 "moons": "moon", "rings": "ring", "smiley": "mouth"}


@pytest.mark.parametrize("dataset", ["blobs", *DATASET_MARKS])
def test_copied_script_is_short_and_holds_only_the_chosen_code(dataset):
    for init, empty in [("random", "keep"), ("greedy-k-means++", "farthest")]:
        source = python_script(Params(dataset=dataset, init=init, empty=empty), 5, 0)
        lines = source.splitlines()
        assert len(lines) <= (85 if (init, empty) == ("random", "keep") else 110)
        assert max(map(len, lines)) <= 99
        code = "\n".join(line for line in lines[10:] if not line.lstrip().startswith("#"))
        # One generator, one initialisation and one empty-cluster rule; not the others.
        for name, mark in DATASET_MARKS.items():
            assert (mark in source.split('"""')[2]) == (name == dataset), (name, mark)
        assert ("cumsum" in code) == (init != "random")
        assert ("argpartition" in code) == (empty == "farthest")


def test_copied_script_imports_only_numpy_and_the_standard_library():
    sources = [python_script(Params(), 1, 0),
               python_script(Params(dataset="custom"), 1, 0, own_points(10, 0)),
               python_script(Params(dataset="custom"), 1, 0, own_points(5000, 0))]
    for source in sources:
        imported = set()
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Import):
                imported |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                imported.add(node.module)
        assert imported <= {"numpy", "io", "base64", "zlib"}, imported


def test_copied_script_says_what_it_redoes_and_how_to_check_with_scikit_learn():
    source = python_script(Params(n=200, k=4, init="k-means++", empty="farthest", tol=1e-4,
                                  max_iter=25), 4321, 3)
    docstring = ast.get_docstring(ast.parse(source))
    for words in ("Seed 4321, attempt 3", '"Blobs", 200 points, 4 true clusters',
                  'start "k-means++"', 'empty-cluster rule "farthest"', "at most 25",
                  "tolerance 0.0001"):
        assert words in " ".join(docstring.split()), words
    assert 'KMeans(k, init=C0, n_init=1, algorithm="lloyd"' in source


def script_points(source):
    """The X a script builds (run here, its printing captured)."""
    namespace = {"__name__": "__main__"}
    with contextlib.redirect_stdout(io.StringIO()):
        exec(compile(source, "kmeans_run.py", "exec"), namespace)
    return namespace["X"]


def test_own_points_are_embedded_readably_when_few_and_compressed_when_many():
    few = np.concatenate([own_points(10, 3), np.array(AWKWARD[:4]).reshape(2, 2)])
    source = python_script(Params(dataset="custom"), 1, 0, few)
    assert f"{float(few[5, 0])!r},{float(few[5, 1])!r}" in source.splitlines()
    assert script_points(source).tobytes() == few.tobytes()  # every bit of every number
    many = np.random.default_rng(4).normal(size=(5000, 2))
    source = python_script(Params(dataset="custom"), 1, 0, many)
    as_text = points_csv(many, np.zeros(len(many), int))
    assert "compressed" in source and len(source) < 0.7 * len(as_text)
    assert script_points(source).tobytes() == many.tobytes()


def test_final_centroids_comment_matches_what_the_script_prints(tmp_path):
    s = Session()
    run = s.go(Params(n=100, k=3, seed=2024))
    source = python_script(s.params, s.seed, s.attempt, final_centroids=run.centroids,
                           final_inertia=run.inertia)
    assert "XY_DECIMALS, INERTIA_DECIMALS = 10, 6" in source  # 12 digits of |x| ~ 10
    comment = page_result_comment(source)
    assert comment == [f"{x:.10f} {y:.10f}" for x, y in run.centroids] + [
        f"inertia {run.inertia:.6f}"]
    assert script_output(source, tmp_path).splitlines() == comment
    # Without the inertia (an older caller) the comment has the centroids only.
    source = python_script(s.params, s.seed, s.attempt, final_centroids=run.centroids)
    assert page_result_comment(source) == comment[:-1]


@pytest.mark.parametrize("scale, decimals", [(1e-3, 14), (0.5, 12), (10.0, 10), (7e4, 7),
                                             (1e9, 2), (1e14, 0)])
def test_the_script_rounds_own_points_to_twelve_digits_of_their_scale(scale, decimals):
    points = own_points(40, 7) * scale / 20.0
    points[0, 0] = scale                                   # the largest coordinate
    source = python_script(Params(dataset="custom", k=3), 1, 0, points)
    assert f"XY_DECIMALS, INERTIA_DECIMALS = {decimals}, " in source


def test_custom_script_without_points_is_refused():
    with pytest.raises(ValueError, match="needs points"):
        python_script(Params(dataset="custom"), 1, 0)


# --------------------------------------------------------------------------------------------
# Animated GIF
# --------------------------------------------------------------------------------------------

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
    return export._bounding_box((plain != captioned).any(axis=-1))


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


# --------------------------------------------------------------------------------------------
# PNG
# --------------------------------------------------------------------------------------------

def test_png_round_trips_a_rendered_frame():
    s = Session()
    run = s.go(Params(n=50, k=3, seed=3))
    view = KMeansView(600, 480, 200)  # a 2x frame of a 300 x 240 canvas
    view.set_points(s.points)
    rgba = view.render(run.labels, run.centroids)  # a view of the Agg buffer, as the page has
    data = png_bytes(rgba)
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG" and image.mode == "RGBA" and image.size == (600, 480)
    np.testing.assert_array_equal(np.array(image), rgba)


def test_png_refuses_what_is_not_an_rgba_frame():
    for bad in (np.zeros((4, 4, 3), np.uint8), np.zeros((4, 4, 4), np.float64),
                np.zeros((0, 4, 4), np.uint8)):
        with pytest.raises(ValueError, match="RGBA"):
            png_bytes(bad)


def test_the_script_of_a_start_placed_by_hand_redoes_that_run(tmp_path):
    placed = np.array([[-6.0, 1.0], [0.5, 0.5], [7.0, -3.0]])
    params = Params(n=120, k=3, seed=17, init="manual", empty="random", max_iter=20)
    session = Session()
    run = session.go(params, centroids=placed)
    script = export.python_script(params, session.seed, 0, start=placed,
                                  rng_key=[session.seed, 1, 0])
    assert "placed by hand" in script
    np.testing.assert_allclose(run_script(script, tmp_path), run.centroids, rtol=1e-9, atol=1e-9)


def test_the_script_of_a_run_moved_by_hand_redoes_the_branch(tmp_path):
    params = Params(n=150, k=4, seed=23, empty="random", max_iter=15)
    session = Session()
    run = session.go(params)
    step = run.steps[2]
    moved = step.centroids.copy()
    moved[0] += [2.5, -1.5]
    branch = session.branch(2, moved, step.labels, step.iteration).finish()
    script = export.python_script(params, session.seed, session.attempt, start=moved,
                                  rng_key=[session.seed, 2, session.attempt, session.branches],
                                  start_why="as you moved them by hand")
    np.testing.assert_allclose(run_script(script, tmp_path), branch.centroids, rtol=1e-9, atol=1e-9)


def test_a_start_placed_by_hand_cannot_be_scripted_without_the_centroids():
    with pytest.raises(ValueError, match="start"):
        export.python_script(Params(init="manual"), 1, 0)
