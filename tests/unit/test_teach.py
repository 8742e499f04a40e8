"""Tests for kmeans_anim.teach: hand cases, the engine's own runs, and scikit-learn as the oracle
for every measure (silhouette, adjusted Rand index, contingency table, inertia per start)."""

import doctest
import re
import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.cluster import KMeans
from sklearn.cluster._k_means_common import _is_same_clustering
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import adjusted_rand_score
from sklearn.metrics import silhouette_samples as sk_silhouette_samples
from sklearn.metrics import silhouette_score as sk_silhouette_score
from sklearn.metrics.cluster import contingency_matrix
from threadpoolctl import threadpool_limits

from kmeans_anim.core import data, engine, teach
from kmeans_anim.core.params import Params
from kmeans_anim.core.session import Session


@pytest.fixture(scope="module", autouse=True)
def _one_thread():
    # Many small fits: OpenMP/BLAS thread start-up would cost more than the work.
    with threadpool_limits(limits=1):
        yield


def blobs(n=300, seed=1, centers=4):
    return data.generate("blobs", n, np.random.default_rng([seed, 0]), centers=centers, std=0.8)


def moons(n=300, seed=2):
    return data.generate("moons", n, np.random.default_rng([seed, 0]), noise=0.1)


# Three tight groups far apart and one lone point: with K = 4 the lone point is a cluster of
# its own (a singleton).
GROUPS = np.concatenate([
    np.repeat([[0.0, 0.0], [10.0, 0.0], [0.0, 10.0]], 8, axis=0)
    + np.random.default_rng(4).normal(scale=0.1, size=(24, 2)),
    [[30.0, 30.0]],
])
# The same with exact copies: a random start on two copies of one place leaves a cluster empty.
COPIES = np.concatenate([np.repeat([[0.0, 0.0], [10.0, 0.0], [0.0, 10.0]], 8, axis=0),
                         [[30.0, 30.0]]])


def test_doctests():
    result = doctest.testmod(teach)
    assert result.failed == 0 and result.attempted > 0


# --------------------------------------------------------------------------------------------
# explain_point, point_sentence
# --------------------------------------------------------------------------------------------


LINE = np.array([[0.0, 0.0], [1.0, 0.0], [5.0, 0.0], [6.0, 0.0]])


def test_explain_point_distances_nearest_and_where_it_came_from():
    C = np.array([[0.0, 3.0], [4.0, 0.0], [9.0, 3.0]])
    e = teach.explain_point(LINE, C, 2, previous_labels=[0, 0, 0, 1])
    assert_allclose(e.distances, [np.hypot(5, 3), 1.0, 5.0], rtol=1e-15)
    assert (e.index, e.nearest, e.tied, e.previous, e.changed) == (2, 1, (), 0, True)
    s = teach.point_sentence(e)
    assert s == (1, 1.0, ((0, float(np.hypot(5, 3))), (2, 5.0)), 0, float(np.hypot(5, 3)))
    # The first assignment: no previous cluster; a point that stays: not changed.
    assert teach.explain_point(LINE, C, 2).previous is None
    assert not teach.explain_point(LINE, C, 2, previous_labels=[-1, -1, -1, -1]).changed
    stays = teach.explain_point(LINE, C, 3, previous_labels=[0, 0, 0, 1])
    assert (stays.changed, teach.point_sentence(stays).came_from) == (False, None)


def test_explain_point_exact_tie_goes_to_the_lowest_index_and_names_the_others():
    C = np.array([[5.0, 5.0], [-1.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    e = teach.explain_point(LINE, C, 0)
    assert (e.nearest, e.tied) == (1, (2, 3))


def test_explain_point_agrees_with_every_assignment_of_a_run():
    X, _ = moons(200)
    run = engine.lloyd(X, engine.init_centroids(X, 5, "random", np.random.default_rng(3)))
    previous = run.steps[0].labels
    for step in run.steps[1:]:
        if step.kind != "assign":
            continue
        for i in range(0, X.shape[0], 7):
            e = teach.explain_point(X, step.centroids, i, previous_labels=previous)
            assert e.nearest == step.labels[i]
            assert_allclose(e.distances, np.linalg.norm(X[i] - step.centroids, axis=1),
                            rtol=1e-14)
            assert e.changed == (previous[i] >= 0 and previous[i] != step.labels[i])
        previous = step.labels


# --------------------------------------------------------------------------------------------
# explain_centroid
# --------------------------------------------------------------------------------------------


def test_explain_centroid_is_the_next_update():
    X, _ = blobs(400)
    run = engine.lloyd(X, engine.init_centroids(X, 4, "random", np.random.default_rng(5)))
    assign, update = run.steps[1], run.steps[2]
    for j in range(4):
        e = teach.explain_centroid(X, assign.labels, j, assign.centroids)
        members = np.flatnonzero(assign.labels == j)
        assert e.count == members.size
        assert_array_equal(e.members, members)
        assert_allclose(e.sums, X[members].sum(axis=0), rtol=1e-13)
        assert_allclose(e.mean, update.centroids[j], rtol=0, atol=1e-12)
        assert_allclose(e.move, update.centroids[j] - assign.centroids[j], rtol=0, atol=1e-12)


def test_explain_centroid_empty_and_singleton_clusters():
    labels = np.array([0, 0, 2, 2])
    assert teach.explain_centroid(LINE, labels, 1) is None
    one = teach.explain_centroid(LINE, np.array([0, 0, 0, 1]), 1)
    assert (one.count, one.sums.tolist(), one.mean.tolist()) == (1, [6.0, 0.0], [6.0, 0.0])
    assert one.position is None and one.move is None


# --------------------------------------------------------------------------------------------
# kmeanspp_steps
# --------------------------------------------------------------------------------------------


def independent_d2(X, picked):
    """Squared distance of every point to the nearest of the picked rows, directly."""
    return ((X[:, None, :] - X[picked][None, :, :]) ** 2).sum(axis=2).min(axis=1)


POINT_SETS = {
    "blobs": blobs(500)[0],
    "moons": moons(400)[0],
    "far-from-origin": blobs(300, seed=3)[0] * 1e3 + 1e6,
    "groups": GROUPS,
    "copies": COPIES,
}


@pytest.mark.parametrize("method", teach.SEEDING_METHODS)
@pytest.mark.parametrize("name", POINT_SETS)
@pytest.mark.parametrize("k", [1, 2, 4, 10])
def test_kmeanspp_steps_pick_what_init_centroids_picks(method, name, k):
    X = POINT_SETS[name]
    for seed in range(3):
        rng_a, rng_b = teach.attempt_rng(seed, 2), teach.attempt_rng(seed, 2)
        try:
            expected = engine.init_centroids(X, k, method, rng_b)
        except ValueError as refused:  # "farthest" on too few different points
            with pytest.raises(ValueError, match=re.escape(str(refused))):
                teach.kmeanspp_steps(X, k, method, rng_a)
            continue
        steps = teach.kmeanspp_steps(X, k, method, rng_a)
        assert [s.number for s in steps] == list(range(k))
        got = X[[s.index for s in steps]]
        assert got.tobytes() == expected.tobytes()
        assert np.array([s.centroid for s in steps]).tobytes() == expected.tobytes()
        # The run goes on with the generator where the start left it.
        assert rng_a.random() == rng_b.random()


@pytest.mark.parametrize("method", teach.SEEDING_METHODS)
@pytest.mark.parametrize("name", ["blobs", "moons", "far-from-origin"])
def test_pick_probabilities_are_the_d2_formula(method, name):
    X = POINT_SETS[name]
    n = X.shape[0]
    steps = teach.kmeanspp_steps(X, 6, method, np.random.default_rng(11))
    first = steps[0]
    assert first.d2 is None and not first.candidates
    assert_array_equal(first.probability, np.full(n, 1 / n))
    for c, step in enumerate(steps[1:], start=1):
        d2 = independent_d2(X, [s.index for s in steps[:c]])
        assert_allclose(step.d2, d2, rtol=1e-9, atol=1e-9 * d2.max())
        p = step.probability
        assert p.sum() == pytest.approx(1.0, rel=1e-12)
        if method == "farthest":
            assert step.index == int(np.argmax(d2))
            assert_array_equal(p, np.eye(n)[step.index])
        else:
            assert_allclose(p, d2 / d2.sum(), rtol=1e-9, atol=1e-15)
            assert p[step.index] > 0
        if method == "greedy-k-means++":
            assert len(step.candidates) == 2 + int(np.log(6)) and step.index in step.candidates
            potentials = [np.minimum(d2, ((X - X[i]) ** 2).sum(axis=1)).sum()
                          for i in step.candidates]
            assert_allclose(step.potentials, potentials, rtol=1e-9)
            assert step.index == step.candidates[int(np.argmin(step.potentials))]
        else:
            assert step.candidates == () and step.potentials is None


@pytest.mark.parametrize("method", teach.SEEDING_METHODS)
def test_pick_when_every_point_sits_on_a_centroid(method):
    # Two different places, K = 3: the third pick has only zero weights.
    X = np.repeat([[0.0, 0.0], [1.0, 1.0]], 5, axis=0)
    if method == "farthest":
        with pytest.raises(ValueError, match="at least k = 3 different points"):
            teach.kmeanspp_steps(X, 3, method, np.random.default_rng(0))
        return
    steps = teach.kmeanspp_steps(X, 3, method, np.random.default_rng(0))
    assert [s.fallback for s in steps] == [False, False, True]
    assert_array_equal(steps[2].d2, np.zeros(10))
    assert_array_equal(steps[2].probability, np.full(10, 0.1))


def test_kmeanspp_steps_refuses_rules_without_picks():
    with pytest.raises(ValueError, match="not 'random'"):
        teach.kmeanspp_steps(LINE, 2, "random", np.random.default_rng(0))


# --------------------------------------------------------------------------------------------
# silhouette
# --------------------------------------------------------------------------------------------


def fitted_labels(X, k, seed=0):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return KMeans(k, n_init=1, random_state=seed).fit(X).labels_


SILHOUETTE_CASES = {
    "blobs": (blobs(600)[0], fitted_labels(blobs(600)[0], 4)),
    "moons": (moons(500)[0], fitted_labels(moons(500)[0], 2)),
    "moons-truth": moons(500),
    "singleton": (GROUPS, np.r_[np.repeat([0, 1, 2], 8), 3]),
    "odd-labels": (LINE, np.array([7, 7, -3, 7])),      # any values; -3 alone
    "duplicates": (np.repeat([[1.0, 1.0], [2.0, 2.0]], 3, axis=0), np.array([0, 1, 0, 1, 0, 1])),
    "1-d": (np.random.default_rng(7).normal(size=(50, 1)), np.arange(50) % 3),
    "3-d": (np.random.default_rng(8).normal(size=(80, 3)), np.arange(80) % 4),
    "tiny-coordinates": (blobs(200)[0] * 1e-300, fitted_labels(blobs(200)[0], 4)),
}


@pytest.mark.parametrize("name", SILHOUETTE_CASES)
def test_silhouette_equals_sklearn(name):
    X, labels = SILHOUETTE_CASES[name]
    expected = sk_silhouette_samples(X * (1e300 if name == "tiny-coordinates" else 1), labels)
    got = teach.silhouette_samples(X, labels)
    assert_allclose(got, expected, rtol=1e-9, atol=1e-12)
    assert teach.silhouette_score(X, labels) == pytest.approx(np.mean(expected), abs=1e-12)
    if name == "blobs":
        assert teach.silhouette_score(X, labels) == pytest.approx(sk_silhouette_score(X, labels),
                                                                 rel=1e-12)


@pytest.mark.parametrize("sample_size, random_state", [(100, 0), (250, 12345), (600, 7)])
def test_silhouette_score_on_a_sample_equals_sklearn(sample_size, random_state):
    X, labels = SILHOUETTE_CASES["blobs"]
    expected = sk_silhouette_score(X, labels, sample_size=sample_size, random_state=random_state)
    assert teach.silhouette_score(X, labels, sample_size, random_state) == pytest.approx(
        expected, rel=1e-12)


def test_silhouette_of_a_singleton_is_zero():
    X, labels = SILHOUETTE_CASES["singleton"]
    assert teach.silhouette_samples(X, labels)[-1] == 0.0


def test_silhouette_in_pieces_never_holds_more_than_a_piece():
    X, labels = SILHOUETTE_CASES["blobs"]
    n = X.shape[0]
    pieces = teach.silhouette_in_pieces(X, labels, piece=7 * n + 5)  # 7 rows per piece
    yields = 0
    while True:
        try:
            next(pieces)
            yields += 1
        except StopIteration as done:
            samples = done.value
            break
    assert yields == -(-n // 7)
    assert_allclose(samples, teach.silhouette_samples(X, labels), rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize("labels", [[0, 0, 0, 0], [0, 1, 2, 3]])
def test_silhouette_refuses_one_cluster_or_one_per_point(labels):
    with pytest.raises(ValueError, match="between 2 and n - 1 = 3 clusters"):
        teach.silhouette_samples(LINE, labels)


# --------------------------------------------------------------------------------------------
# contingency table, adjusted Rand index
# --------------------------------------------------------------------------------------------


def label_pairs():
    rng = np.random.default_rng(9)
    truth = rng.integers(0, 4, size=500)
    X, moon_truth = moons(400)
    return {
        "random": (truth, rng.integers(0, 5, size=500)),
        "same-renamed": (truth, (truth + 2) % 4 * 10),
        "one-cluster": (truth, np.zeros(500, int)),
        "each-alone": (truth[:50], np.arange(50)),
        "kmeans-on-moons": (moon_truth, fitted_labels(X, 2)),
        "worse-than-chance": (np.array([0, 0, 1, 1]), np.array([0, 1, 0, 1])),
        "strings": (np.array(["a", "b", "a", "c"]), np.array([3, 3, 1, 1])),
    }


@pytest.mark.parametrize("name", label_pairs())
def test_contingency_table_and_adjusted_rand_index_equal_sklearn(name):
    truth, labels = label_pairs()[name]
    table, rows, cols = teach.contingency_table(truth, labels)
    assert_array_equal(table, contingency_matrix(truth, labels))
    assert table.dtype == np.int64
    assert_array_equal(rows, np.unique(truth))
    assert_array_equal(cols, np.unique(labels))
    assert teach.adjusted_rand_index(truth, labels) == adjusted_rand_score(truth, labels)


def test_adjusted_rand_index_at_a_million_points_does_not_overflow():
    rng = np.random.default_rng(10)
    truth = rng.integers(0, 3, size=1_000_000)
    labels = np.where(rng.random(1_000_000) < 0.9, truth, rng.integers(0, 3, size=1_000_000))
    assert teach.adjusted_rand_index(truth, labels) == adjusted_rand_score(truth, labels)


# --------------------------------------------------------------------------------------------
# best_of, elbow
# --------------------------------------------------------------------------------------------

SKLEARN_RULES = dict(max_iter=300, tol=1e-4, empty_rule="farthest")


def sk_fit(X, C0):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return KMeans(len(C0), init=C0, n_init=1, algorithm="lloyd", tol=1e-4,
                      max_iter=300).fit(X)


def drain(pieces):
    """Run a generator to its end: (what it yielded other than None, its value)."""
    yielded = []
    while True:
        try:
            item = next(pieces)
        except StopIteration as done:
            return yielded, done.value
        if item is not None:
            yielded.append(item)


def sklearn_best(fits):
    """Index of the fit KMeans(n_init=N).fit would keep (its loop, with its helper)."""
    best = None
    for i, km in enumerate(fits):
        if best is None or (km.inertia_ < fits[best].inertia_ and not _is_same_clustering(
                km.labels_.astype(np.int32), fits[best].labels_.astype(np.int32),
                km.n_clusters)):
            best = i
    return best


@pytest.mark.parametrize("name, init, k", [
    ("blobs", "greedy-k-means++", 4),
    ("blobs", "random", 6),
    ("moons", "k-means++", 3),
    ("moons", "farthest", 5),
    ("groups", "random", 4),
    ("groups", "uniform", 4),
    ("copies", "random", 4),
])
def test_best_of_every_start_equals_sklearn_from_the_same_centroids(name, init, k):
    X = POINT_SETS[name]
    yielded, result = drain(teach.best_of(X, k, 8, init, seed=21, first_attempt=3,
                                          **SKLEARN_RULES))
    assert [s.attempt for s in yielded] == list(range(3, 11))
    assert tuple(yielded) == result.starts
    fits = []
    for start in result.starts:
        C0 = engine.init_centroids(X, k, init, teach.attempt_rng(21, start.attempt))
        assert_array_equal(start.initial_centroids, C0)
        km = sk_fit(X, C0)
        assert start.inertia == pytest.approx(km.inertia_, rel=1e-9)
        assert start.n_iter == km.n_iter_
        assert_allclose(start.centroids, km.cluster_centers_, rtol=0, atol=1e-9)
        fits.append(km)
    assert result.best == sklearn_best(fits)
    assert_array_equal(result.labels, fits[result.best].labels_)
    assert_array_equal(result.inertias, [s.inertia for s in result.starts])
    if name == "copies":
        # The case of an empty cluster: some start began with two centroids at one place.
        assert any(len(np.unique(s.initial_centroids, axis=0)) < k for s in result.starts)


def test_best_of_the_best_start_is_the_page_run_of_its_attempt():
    params = Params(n=500, k=4, seed=77, dataset="blobs", init="k-means++", max_iter=50,
                    tol=0.0, empty="keep")
    session = Session()
    session.prepare(params)
    _, result = drain(teach.best_of(session.points, 4, 6, "k-means++", seed=77, max_iter=50))
    best = result.best_start
    run = Session().go(Params(**{**params.__dict__, "attempt": best.attempt}))
    assert run.inertia == best.inertia
    assert_array_equal(run.centroids, best.centroids)
    assert_array_equal(run.labels, result.labels)


def test_best_of_keeps_the_first_of_equal_inertias():
    # Two places, K = 2: every start ends in the same partition with the same inertia.
    X = np.repeat([[0.0, 0.0], [4.0, 0.0]], 10, axis=0)
    _, result = drain(teach.best_of(X, 2, 5, "k-means++", seed=1, max_iter=20))
    assert len(set(result.inertias.tolist())) == 1 and result.best == 0


def test_best_of_yields_between_picks_passes_and_starts():
    X = blobs(100_000)[0]
    pieces = teach.best_of(X, 3, 2, "greedy-k-means++", seed=2, piece=1000, **SKLEARN_RULES)
    kinds = []
    while True:
        try:
            kinds.append(type(next(pieces)).__name__)
        except StopIteration as done:
            result = done.value
            break
    assert kinds.count("Start") == 2 and kinds[-1] == "Start"
    # At least: a pause after each of the 3 picks, inside the start's pass, inside and after
    # each iteration (the engine pauses between its blocks of points).
    at_least = sum(3 + 1 + 2 * s.n_iter for s in result.starts)
    assert kinds.count("NoneType") >= at_least


def test_best_of_refuses_no_starts():
    with pytest.raises(ValueError, match="at least 1"):
        next(teach.best_of(LINE, 2, 0))


def test_elbow_inertia_and_silhouette_per_k_equal_sklearn():
    X = POINT_SETS["blobs"]
    yielded, points = drain(teach.elbow(X, range(1, 7), 3, "greedy-k-means++", seed=5,
                                        **SKLEARN_RULES))
    assert [p.k for p in points] == list(range(1, 7))
    assert [p for p in yielded if isinstance(p, teach.ElbowPoint)] == points
    assert sum(isinstance(p, teach.Start) for p in yielded) == 6 * 3
    for p in points:
        fits = [sk_fit(X, s.initial_centroids) for s in p.result.starts]
        for start, km in zip(p.result.starts, fits):
            assert start.inertia == pytest.approx(km.inertia_, rel=1e-9)
        assert p.result.best == sklearn_best(fits)
        assert p.inertia == p.result.best_start.inertia
        if p.k == 1:
            assert p.silhouette is None
        else:
            assert p.silhouette == pytest.approx(
                sk_silhouette_score(X, fits[p.result.best].labels_), abs=1e-12)
    # Inertia falls with K (the elbow is visible): blobs of 4 centres.
    inertias = [p.inertia for p in points]
    assert inertias == sorted(inertias, reverse=True)


def test_elbow_silhouette_on_a_sample_equals_sklearn_sample_size():
    X = POINT_SETS["moons"]
    _, points = drain(teach.elbow(X, [2, 3, 5], 2, "k-means++", seed=31, silhouette_sample=150,
                                  **SKLEARN_RULES))
    for p in points:
        expected = sk_silhouette_score(X, p.result.labels, sample_size=150, random_state=31)
        assert p.silhouette == pytest.approx(expected, rel=1e-12)


def test_elbow_leaves_out_k_above_the_distinct_points():
    X = np.repeat([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]], 4, axis=0)
    _, points = drain(teach.elbow(X, range(1, 6), 2, "farthest", seed=0, silhouette=False))
    assert [p.k for p in points] == [1, 2, 3]
    assert all(p.silhouette is None for p in points)
    assert points[-1].inertia == 0.0
