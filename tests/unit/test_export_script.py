"""export/script: "Copy as Python".

The copied script is run in a fresh CPython process and must print the centroids this process
computes with Session for the same settings.
"""

import ast
import contextlib
import doctest
import io
import os
import subprocess
import sys

import numpy as np
import pytest
from test_export_csv import AWKWARD

from kmeans_anim.export import script as script_module
from kmeans_anim.export.csv_file import points_csv
from kmeans_anim.export.script import python_script
from kmeans_anim.core.params import Params
from kmeans_anim.core.session import Session


def test_module_example_runs():
    result = doctest.testmod(script_module)
    assert result.attempted >= 6 and result.failed == 0


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
    "iris-petals-kmeans++": (Params(dataset="iris", k=3, seed=3, init="k-means++"), None, {}),
    "penguins-bills-random": (Params(dataset="penguins", k=3, seed=12), None, {}),
    "faithful-sepals-ignored-greedy": (Params(dataset="faithful", k=2, seed=5, x="sepal",
                                              init="greedy-k-means++"), None, {}),
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


def test_the_script_of_a_start_placed_by_hand_redoes_that_run(tmp_path):
    placed = np.array([[-6.0, 1.0], [0.5, 0.5], [7.0, -3.0]])
    params = Params(n=120, k=3, seed=17, init="manual", empty="random", max_iter=20)
    session = Session()
    run = session.go(params, centroids=placed)
    script = python_script(params, session.seed, 0, start=placed,
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
    script = python_script(params, session.seed, session.attempt, start=moved,
                                  rng_key=[session.seed, 2, session.attempt, session.branches],
                                  start_why="as you moved them by hand")
    np.testing.assert_allclose(run_script(script, tmp_path), branch.centroids, rtol=1e-9, atol=1e-9)


def test_a_start_placed_by_hand_cannot_be_scripted_without_the_centroids():
    with pytest.raises(ValueError, match="start"):
        python_script(Params(init="manual"), 1, 0)


def test_the_script_of_the_sessions_given_start_redoes_the_run_on_screen(tmp_path):
    # What web/exports.Exports.python passes: Session.given_start after two moves by hand.
    params = Params(n=150, k=4, seed=31, empty="random", max_iter=15)
    session = Session()
    run = session.go(params)
    for shown in (2, 4):
        step = run.steps[shown]
        moved = step.centroids.copy()
        moved[0] += [2.5, -1.5]
        run = session.branch(shown, moved, step.labels, step.iteration).finish()
    assert had_empty_cluster(run)  # the rule "random" drew from the branch's generator
    start, key, why = session.given_start()
    script = python_script(session.params, session.seed, session.attempt, start=start,
                           rng_key=key, start_why=why)
    assert "as you moved them by hand" in script
    np.testing.assert_allclose(run_script(script, tmp_path), run.centroids, rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("scale", ["z", "minmax"])
def test_scaled_own_points_the_script_scales_them_as_the_page_did(scale, tmp_path):
    # The page runs k-means on the scaled points; the script embeds the points as read (in
    # their columns' units) and scales them with the same formula: the same centroids.
    from kmeans_anim.core.table import scaled
    raw = own_points(60, 5) * [1000.0, 0.01]
    params = Params(dataset="custom", k=3, seed=8, scale=scale)
    s = Session()
    run = s.go(params, scaled(raw, scale))
    source = python_script(params, s.seed, s.attempt, raw, final_centroids=run.centroids,
                           final_inertia=run.inertia, columns=("income", "ratio"))
    assert "(columns income and ratio)" in source and "# Scaled " in source
    assert script_output(source, tmp_path).splitlines() == page_result_comment(source)


@pytest.mark.parametrize("init", ["random", "greedy-k-means++"])
def test_the_script_of_a_best_of_n_runs_the_n_starts_and_keeps_the_best(init, tmp_path):
    from kmeans_anim.core import teach
    from kmeans_anim.core.data import run_pieces
    params = Params(n=300, k=8, centers=5, seed=11, init=init, empty="farthest")
    s = Session()
    s.prepare(params)
    best = run_pieces(teach.best_of(s.points, 8, 10, init, 11, max_iter=params.max_iter,
                                    tol=params.tol, empty_rule="farthest"))
    start = best.best_start
    source = python_script(params, 11, start.attempt, final_centroids=start.centroids,
                           final_inertia=start.inertia, best_of=10)
    printed = script_output(source, tmp_path).splitlines()
    assert printed[0] == f"best of 10 starts: attempt {start.attempt}"
    assert printed[1:] == page_result_comment(source)


def test_an_example_script_embeds_its_rows_and_names_its_columns_and_source():
    source = python_script(Params(dataset="iris", x="sepal_length_cm", y="sepal_width_cm"), 1, 0)
    assert "columns sepal_length_cm and sepal_width_cm" in source.replace("\n", " ")
    assert "Fisher (1936)" in source and "The data set's 150 points" in source
    assert "default_rng([SEED, 0])" not in source
