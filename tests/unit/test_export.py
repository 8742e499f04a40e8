"""export: the CSV download and "Copy as Python".

The copied script is run in a fresh CPython process and must print the centroids this process
computes with Session for the same settings.
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

from kmeans_anim import export
from kmeans_anim.export import CSV_HEADER, points_csv, python_script
from kmeans_anim.params import Params
from kmeans_anim.session import Session


def test_module_example_runs():
    result = doctest.testmod(export)
    assert result.attempted >= 7 and result.failed == 0


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


def run_script(source, tmp_path):
    path = tmp_path / "kmeans_run.py"
    path.write_text(source)
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    done = subprocess.run([sys.executable, str(path)], capture_output=True, text=True,
                          cwd=tmp_path, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    return np.array([[float(v) for v in line.split()] for line in done.stdout.splitlines()])


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

    printed = run_script(python_script(params, s.seed, s.attempt, points), tmp_path)
    assert printed.shape == run.centroids.shape
    np.testing.assert_allclose(printed, run.centroids, rtol=1e-9, atol=1e-9)


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
        assert len(lines) <= (80 if (init, empty) == ("random", "keep") else 100)
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
    source = python_script(s.params, s.seed, s.attempt, final_centroids=run.centroids)
    shown = [[float(v) for v in line[1:].split()] for line in source.splitlines()
             if line.startswith("#   ") and not line.startswith("#   from")
             and "(" not in line]
    np.testing.assert_array_equal(shown, run.centroids)
    np.testing.assert_allclose(run_script(source, tmp_path), shown, rtol=1e-9, atol=1e-9)


def test_custom_script_without_points_is_refused():
    with pytest.raises(ValueError, match="needs points"):
        python_script(Params(dataset="custom"), 1, 0)
