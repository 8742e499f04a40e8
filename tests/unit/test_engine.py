"""Tests for kmeans_anim.engine: hand-computed toy cases, then scikit-learn as the oracle."""

import math
import warnings
from fractions import Fraction

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.cluster import KMeans
from sklearn.exceptions import ConvergenceWarning
from threadpoolctl import threadpool_limits

from kmeans_anim.core import choices, data, engine


@pytest.fixture(scope="module", autouse=True)
def _one_thread():
    # Hundreds of tiny fits: OpenMP/BLAS thread start-up would cost more than the work.
    with threadpool_limits(limits=1):
        yield


def sk_fit(X, C0, tol, max_iter):
    with warnings.catch_warnings():
        # "Number of distinct clusters found smaller than n_clusters" on the degenerate cases.
        warnings.simplefilter("ignore", ConvergenceWarning)
        return KMeans(n_clusters=len(C0), init=C0, n_init=1, algorithm="lloyd", tol=tol,
                      max_iter=max_iter).fit(X)


def assert_same_as_sklearn(run, km):
    assert_array_equal(run.labels, km.labels_)
    assert_allclose(run.centroids, km.cluster_centers_, rtol=0, atol=1e-9)
    assert run.inertia == pytest.approx(km.inertia_, rel=1e-9, abs=1e-12)
    assert run.n_iter == km.n_iter_


# Four points on a line (y = 0): x = 0, 1, 5, 6.
LINE = np.array([[0.0, 0.0], [1.0, 0.0], [5.0, 0.0], [6.0, 0.0]])


# --------------------------------------------------------------------------------------------
# assign
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "X, C, labels, sq_dist",
    [
        pytest.param([[0, 0], [3, 4]], [[0, 0], [3, 0]], [0, 1], [0, 16], id="plain"),
        pytest.param([[0, 0]], [[-1, 0], [1, 0]], [0], [1], id="tie-two-lowest-wins"),
        pytest.param([[0, 0]], [[5, 5], [0, 1], [1, 0], [0, -1]], [1], [1], id="tie-later-indices"),
        pytest.param([[2, 2], [2, 2]], [[2, 2], [2, 2]], [0, 0], [0, 0], id="duplicate-centroids"),
        pytest.param([[1e8 + 1, 0]], [[1e8, 0], [1e8 + 3, 0]], [0], [1], id="far-from-origin"),
    ],
)
def test_assign_hand_cases(X, C, labels, sq_dist):
    got_labels, got_sq = engine.assign(np.array(X, float), np.array(C, float))
    assert got_labels.dtype == np.intp
    assert_array_equal(got_labels, labels)
    assert_array_equal(got_sq, sq_dist)


@pytest.mark.parametrize(
    "d, k", [(1, 6), (2, 6), (3, 6), (2, 1), (2, 300)],
    ids=["d1", "d2", "d3", "k1", "k300-wider-label-type"],
)
def test_assign_blocks_match_brute_force(monkeypatch, d, k):
    # Tiny blocks force several full blocks and a short last one.
    monkeypatch.setattr(engine, "_BLOCK", 7)
    rng = np.random.default_rng(5)
    X = rng.normal(size=(53, d))
    C = rng.normal(size=(k, d))
    brute = ((X[:, None, :] - C[None, :, :]) ** 2).sum(axis=2)
    labels, sq = engine.assign(X, C)
    if k > 256:
        assert labels.max() > 255  # the case needs labels that do not fit in a byte
    assert_array_equal(labels, brute.argmin(axis=1))
    assert_allclose(sq, brute.min(axis=1), rtol=1e-15)


def brute_totals(Xc, labels, k):
    """Per-cluster centred sums, counts and sums of squared norms, by bincount."""
    cols = [np.bincount(labels, weights=Xc[:, j], minlength=k) for j in range(Xc.shape[1])]
    cols.append(np.bincount(labels, minlength=k).astype(float))
    cols.append(np.bincount(labels, weights=(Xc**2).sum(axis=1), minlength=k))
    return np.column_stack(cols)


@pytest.mark.parametrize("d, k", [(1, 4), (2, 1), (2, 6), (3, 5)])
def test_nearest_with_sums_matches_brute_force_over_blocks(monkeypatch, d, k):
    monkeypatch.setattr(engine, "_BLOCK", 16)  # 6 full blocks and a short one
    rng = np.random.default_rng(11)
    X = rng.normal(loc=50.0, size=(101, d))
    C = X[rng.choice(101, k, replace=False)] + 0.1
    points = engine.CentredPoints.of(X)
    assert_allclose(points.points.mean(axis=0), 0.0, atol=1e-12)
    labels, totals = engine.nearest_with_sums(points, points.centre(C))
    brute = ((X[:, None, :] - C[None, :, :]) ** 2).sum(axis=2).argmin(axis=1)
    assert_array_equal(labels, brute)
    assert_allclose(totals, brute_totals(points.points, brute, k), rtol=1e-12, atol=1e-9)


def test_nearest_with_sums_ties_in_a_later_block_count_once(monkeypatch):
    monkeypatch.setattr(engine, "_BLOCK", 4)
    # Centroids 0 and 2 coincide; point (0, 0) is as far from centroid 1 as from 3. (Ties are
    # settled on the centroids as given: centring and scaling round them.)
    C = np.array([[5.0, 5.0], [0.0, 1.0], [5.0, 5.0], [0.0, -1.0]])
    X = np.array([[9, 9], [8, 8], [0, 3], [0, -3], [6, 6], [0, 0], [5, 4], [0, 0], [1, 1]], float)
    points = engine.CentredPoints.of(X)
    labels, totals = engine.nearest_with_sums(points, points.centre(C), shown=C)
    assert_array_equal(labels, [0, 0, 1, 3, 0, 1, 0, 1, 1])
    assert_array_equal(totals[:, 2], [4, 4, 0, 1])  # each point counted once
    assert_allclose(totals, brute_totals(points.points, labels, 4), atol=1e-12)


def test_cluster_inertia_equals_the_exact_sum_or_declines():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(500, 2)) + rng.choice([-20.0, 20.0], size=(500, 1))
    points = engine.CentredPoints.of(X)
    C = points.points[:4] * 0.9
    labels, totals = engine.nearest_with_sums(points, C)
    exact = engine.inertia(points.points, labels, C)
    assert engine.cluster_inertia(totals, C) == pytest.approx(exact, rel=1e-12)
    # Clusters of identical points: the true inertia is 0, which the expansion cannot give
    # reliably (it cancels to rounding noise), so it declines and lloyd measures exactly.
    Y = np.repeat([[1e3, 1e3 + 0.1], [-7.3, 2.9]], 50, axis=0)
    points = engine.CentredPoints.of(Y)
    C = points.points[[0, 50]]
    labels, totals = engine.nearest_with_sums(points, C)
    assert engine.cluster_inertia(totals, C) is None
    run = engine.lloyd(Y, Y[[0, 50]])
    # Exact: 0, or the square of the centroid's rounding (~1e-25), not the ~1e-8 the expansion
    # would leave at |x|^2 ~ 1e6.
    assert all(0.0 <= s.inertia < 1e-20 for s in run.steps)


def test_lloyd_recorded_inertia_is_the_exact_sum():
    rng = np.random.default_rng(8)
    X, _ = data.make_blobs(400, 4, 0.7, rng)
    run = engine.lloyd(X + 1e4, X[:5] + 1e4, max_iter=6)  # far from the origin, 5 clusters
    for step in run.steps[1:]:
        exact = engine.inertia(X + 1e4, step.labels, step.centroids)
        assert step.inertia == pytest.approx(exact, rel=1e-10)


# --------------------------------------------------------------------------------------------
# update, inertia, tolerance
# --------------------------------------------------------------------------------------------


def test_update_means():
    X = np.array([[0.0, 0.0], [2.0, 0.0], [10.0, 4.0], [12.0, 8.0]])
    new = engine.update(X, np.array([0, 0, 1, 1]), np.zeros((2, 2)))
    assert_array_equal(new, [[1.0, 0.0], [11.0, 6.0]])


def test_update_keep_leaves_empty_centroid_in_place():
    X = np.array([[0.0, 0.0], [2.0, 0.0]])
    C = np.array([[5.0, 5.0], [-3.0, 7.0]])
    new = engine.update(X, np.array([0, 0]), C, empty_rule="keep")
    assert_array_equal(new, [[1.0, 0.0], [-3.0, 7.0]])


def test_update_farthest_one_empty():
    # Distances to the OLD centre (1, 0): 1, 1, 81, so (10, 0) moves to the empty cluster and
    # leaves cluster 0's mean: (0 + 2) / 2.
    X = np.array([[0.0, 0.0], [2.0, 0.0], [10.0, 0.0]])
    labels = np.array([0, 0, 0])
    C = np.array([[1.0, 0.0], [50.0, 50.0]])
    new = engine.update(X, labels, C, empty_rule="farthest")
    assert_array_equal(new, [[1.0, 0.0], [10.0, 0.0]])
    assert_array_equal(labels, [0, 0, 0])  # labels are not changed


def test_update_farthest_two_empty_in_order():
    # Distances 0, 1, 100, 49: the farthest point goes to the lower empty index.
    X = np.array([[0.0, 0.0], [1.0, 0.0], [10.0, 0.0], [-7.0, 0.0]])
    C = np.array([[0.0, 0.0], [99.0, 0.0], [-99.0, 0.0]])
    new = engine.update(X, np.zeros(4, dtype=np.intp), C, empty_rule="farthest")
    assert_array_equal(new, [[0.5, 0.0], [10.0, 0.0], [-7.0, 0.0]])


@pytest.mark.parametrize(
    "X, C, labels, expected",
    [
        # Every point on its old centroid: nothing to relocate, the empty centroid joins the
        # largest cluster's mean (index 0 here, as in scikit-learn).
        pytest.param([[1, 1], [1, 1], [3, 3]], [[1, 1], [7, 7], [3, 3]], [0, 0, 2],
                     [[1, 1], [1, 1], [3, 3]], id="largest-before"),
        # Largest cluster after the empty one: scikit-learn 1.6.1 would copy its raw sum (a bug);
        # we use its mean.
        pytest.param([[3, 3], [5, 5], [5, 5]], [[3, 3], [9, 9], [5, 5]], [0, 2, 2],
                     [[3, 3], [5, 5], [5, 5]], id="largest-after"),
    ],
)
def test_update_farthest_nothing_to_relocate(X, C, labels, expected):
    new = engine.update(np.array(X, float), np.array(labels), np.array(C, float), "farthest")
    assert_array_equal(new, expected)


def test_update_farthest_emptying_a_singleton_uses_largest_cluster():
    # Cluster 1's only point (20, 0) is the farthest from its old centre (0, 0): it moves to
    # empty cluster 2, which leaves cluster 1 empty; it goes to the largest cluster's mean.
    X = np.array([[0.0, 0.0], [1.0, 0.0], [2.0, 0.0], [20.0, 0.0]])
    C = np.array([[1.0, 0.0], [0.0, 0.0], [-50.0, 0.0]])
    new = engine.update(X, np.array([0, 0, 0, 1]), C, "farthest")
    assert_array_equal(new, [[1.0, 0.0], [1.0, 0.0], [20.0, 0.0]])


def test_update_random_moves_empty_centroid_to_a_data_point():
    rng_data = np.random.default_rng(0)
    X = rng_data.normal(size=(40, 2))
    labels = np.where(X[:, 0] > 0, 0, 2)  # cluster 1 and 3 empty
    C = np.zeros((4, 2))
    new = engine.update(X, labels, C, "random", rng=np.random.default_rng(7))
    again = engine.update(X, labels, C, "random", rng=np.random.default_rng(7))
    assert_array_equal(new, again)
    assert_allclose(new[0], X[labels == 0].mean(axis=0), rtol=1e-14)
    assert_allclose(new[2], X[labels == 2].mean(axis=0), rtol=1e-14)
    for j in (1, 3):
        assert (X == new[j]).all(axis=1).any(), f"centroid {j} is not a data point"
    assert not np.array_equal(new[1], new[3])  # several empties get different points


def test_inertia_hand():
    X = np.array([[0.0, 0.0], [3.0, 4.0], [1.0, 1.0]])
    C = np.array([[0.0, 0.0], [0.0, 0.0], [1.0, 2.0]])
    assert engine.inertia(X, np.array([0, 1, 2]), C) == 0 + 25 + 1


@pytest.mark.parametrize("tol, expected", [(0.0, 0.0), (0.1, 0.25), (1.0, 2.5)],
                         ids=["zero", "tenth", "one"])
def test_tolerance_hand(tol, expected):
    # var(x) = 1, var(y) = 4, mean 2.5
    X = np.array([[0.0, 0.0], [2.0, 4.0]])
    assert engine.tolerance(X, tol) == pytest.approx(expected, rel=1e-15)


# --------------------------------------------------------------------------------------------
# lloyd on a hand case
# --------------------------------------------------------------------------------------------


def test_lloyd_hand_case_converges():
    # From centroids 0 and 1: labels [0,1,1,1] -> centroids 0, 4 -> labels [0,0,1,1]
    # -> centroids 0.5, 5.5 -> same labels: converged at iteration 3.
    run = engine.lloyd(LINE, LINE[:2], max_iter=10)
    kinds = [(s.kind, s.iteration) for s in run.steps]
    assert kinds == [("init", 0), ("assign", 1), ("update", 1), ("assign", 2), ("update", 2),
                     ("assign", 3), ("update", 3)]
    init, a1, u1, a2, u2, a3, u3 = run.steps
    assert_array_equal(init.labels, [-1, -1, -1, -1])
    assert init.inertia == 0 + 0 + 16 + 25
    assert_array_equal(a1.labels, [0, 1, 1, 1])
    assert (a1.inertia, a1.changed, a1.shift) == (41.0, 4, 0.0)
    assert_array_equal(u1.centroids[:, 0], [0.0, 4.0])
    assert (u1.inertia, u1.changed, u1.shift) == (0 + 9 + 1 + 4, 0, 9.0)
    assert_array_equal(a2.labels, [0, 0, 1, 1])
    assert (a2.inertia, a2.changed) == (6.0, 1)
    assert_array_equal(u2.centroids[:, 0], [0.5, 5.5])
    assert (u2.inertia, u2.shift) == (1.0, 0.5**2 + 1.5**2)
    assert (a3.changed, u3.shift) == (0, 0.0)
    assert (run.n_iter, run.stop_reason, run.inertia) == (3, "converged", 1.0)
    assert_array_equal(run.labels, [0, 0, 1, 1])
    assert_array_equal(run.centroids, [[0.5, 0.0], [5.5, 0.0]])


def test_lloyd_hand_case_stops_on_tol_with_final_assign():
    # tolerance = mean(var) * tol = (6.5 + 0) / 2 * 1.0 = 3.25: shift 9 goes on, 2.5 stops.
    run = engine.lloyd(LINE, LINE[:2], max_iter=10, tol=1.0)
    assert [(s.kind, s.iteration) for s in run.steps][-3:] == [
        ("assign", 2), ("update", 2), ("assign", 2)]
    assert (run.n_iter, run.stop_reason) == (2, "tol")
    assert (run.steps[-1].changed, run.inertia) == (0, 1.0)


def test_lloyd_hand_case_max_iter_reassigns_to_final_centroids():
    run = engine.lloyd(LINE, LINE[:2], max_iter=1)
    assert [s.kind for s in run.steps] == ["init", "assign", "update", "assign"]
    assert (run.n_iter, run.stop_reason) == (1, "max_iter")
    final = run.steps[-1]
    assert_array_equal(final.labels, [0, 0, 1, 1])  # assigned to centroids 0 and 4
    assert (final.iteration, final.changed, final.inertia) == (1, 1, 6.0)
    assert_array_equal(run.labels, final.labels)
    assert run.inertia == 6.0


def test_lloyd_tol_zero_stops_when_nothing_moves():
    # The initial centroids already are the means: scikit-learn stops on center_shift 0 <= 0.
    C0 = np.array([[0.5, 0.0], [5.5, 0.0]])
    run = engine.lloyd(LINE, C0, max_iter=10, tol=0.0)
    assert (run.n_iter, run.stop_reason) == (1, "tol")
    assert_same_as_sklearn(run, sk_fit(LINE, C0, tol=0.0, max_iter=10))


def notebook_kmeans(X, centroids, max_iter=10):
    """The original bqplot notebook's loop, without the drawing.

    Returns (iterations run, whether the centroids stopped changing, last centroids).
    """
    K = len(centroids)
    for i in range(max_iter):
        clusters = np.argmin(np.linalg.norm(X.reshape(len(X), 1, 2) - centroids, axis=2), axis=1)
        new_centroids = np.array([X[clusters == k].mean(axis=0) for k in range(K)])
        if np.all(centroids == new_centroids):
            return i + 1, True, centroids
        centroids = new_centroids
    return max_iter, False, centroids


@pytest.mark.parametrize("seed", range(30), ids=lambda s: f"seed{s}")
def test_lloyd_stops_where_the_notebook_stops(seed):
    rng = np.random.default_rng(seed)
    X, _ = data.generate("blobs", 150, rng, centers=4, std=2.0)
    C0 = engine.init_centroids(X, 4, "random", rng)
    run = engine.lloyd(X, C0, max_iter=10, tol=0.0)
    if any(np.bincount(s.labels, minlength=4).min() == 0 for s in run.steps[1:]):
        pytest.skip("an empty cluster: the notebook's mean is NaN there")
    iterations, converged, centroids = notebook_kmeans(X, C0, max_iter=10)
    assert run.n_iter == iterations
    if converged:
        assert run.stop_reason == ("tol" if iterations == 1 else "converged")
    else:
        assert run.stop_reason == "max_iter"
    # The notebook's last centroids are the ones our last update produced.
    last_update = [s for s in run.steps if s.kind == "update"][-1]
    assert_allclose(last_update.centroids, centroids, rtol=0, atol=1e-12)


def test_lloyd_keep_never_nan_and_keeps_unused_centroid():
    C0 = np.array([[0.0, 0.0], [6.0, 0.0], [100.0, 100.0]])
    run = engine.lloyd(LINE, C0, max_iter=5, empty_rule="keep")
    for step in run.steps:
        assert np.isfinite(step.centroids).all() and math.isfinite(step.inertia)
    assert_array_equal(run.centroids[2], [100.0, 100.0])
    assert run.stop_reason == "converged"


def test_lloyd_steps_are_read_only_snapshots():
    X = LINE.copy()
    C0 = LINE[:2].copy()
    run = engine.lloyd(X, C0, max_iter=10)
    C0[:] = 99.0  # changing the caller's arrays afterwards must not change the record
    X[:] = 99.0
    assert_array_equal(run.steps[0].centroids, LINE[:2])
    for step in run.steps:
        assert not step.labels.flags.writeable and not step.centroids.flags.writeable
        assert not np.shares_memory(step.centroids, C0)
    # Iterations with different centroids hold different arrays.
    assert not np.shares_memory(run.steps[2].centroids, run.steps[4].centroids)
    assert_array_equal(run.steps[2].centroids[:, 0], [0.0, 4.0])


@pytest.mark.parametrize(
    "kwargs, message",
    [
        pytest.param(dict(empty_rule="nearest"), "empty-cluster rule", id="rule"),
        pytest.param(dict(empty_rule="random"), "rng", id="random-needs-rng"),
        pytest.param(dict(max_iter=0), "max_iter", id="max-iter"),
        pytest.param(dict(tol=-1.0), "tol", id="tol"),
        pytest.param(dict(initial_centroids=np.zeros((2, 3))), "shape", id="centroid-shape"),
        pytest.param(dict(initial_centroids=np.array([[np.nan, 0.0]])), "finite", id="nan"),
    ],
)
def test_lloyd_rejects_bad_arguments(kwargs, message):
    args = dict(X=LINE, initial_centroids=LINE[:2]) | kwargs
    with pytest.raises(ValueError, match=message):
        engine.lloyd(**args)


# --------------------------------------------------------------------------------------------
# init_centroids
# --------------------------------------------------------------------------------------------

BLOB_X, _ = data.generate("blobs", 200, np.random.default_rng(11), centers=4, std=1.0)


@pytest.mark.parametrize("method", choices.DRAWN_INITS)
@pytest.mark.parametrize("k", [1, 4, 9], ids=lambda k: f"k{k}")
def test_init_shape_and_reproducible(method, k):
    C = engine.init_centroids(BLOB_X, k, method, np.random.default_rng(3))
    assert C.shape == (k, 2) and C.dtype == np.float64 and np.isfinite(C).all()
    assert_array_equal(C, engine.init_centroids(BLOB_X, k, method, np.random.default_rng(3)))
    if k > 1:
        assert not np.array_equal(C, engine.init_centroids(BLOB_X, k, method,
                                                           np.random.default_rng(4)))


@pytest.mark.parametrize("method", ["random", "k-means++", "greedy-k-means++", "farthest"])
def test_init_picks_distinct_data_points(method):
    C = engine.init_centroids(BLOB_X, 9, method, np.random.default_rng(0))
    is_row = (BLOB_X[None, :, :] == C[:, None, :]).all(axis=2)
    assert is_row.any(axis=1).all(), "every centroid is a data point"
    assert np.unique(C, axis=0).shape[0] == 9


def test_init_random_is_the_notebook_rule():
    C = engine.init_centroids(BLOB_X, 5, "random", np.random.default_rng(42))
    idx = np.random.default_rng(42).choice(len(BLOB_X), 5, replace=False)
    assert_array_equal(C, BLOB_X[idx])


def test_init_uniform_inside_bounding_box():
    C = engine.init_centroids(BLOB_X, 200, "uniform", np.random.default_rng(0))
    low, high = BLOB_X.min(axis=0), BLOB_X.max(axis=0)
    assert ((C >= low) & (C <= high)).all()
    # and it covers the box rather than clustering in a corner
    assert (C.min(axis=0) < low + 0.1 * (high - low)).all()
    assert (C.max(axis=0) > high - 0.1 * (high - low)).all()


def test_init_farthest_hand_case():
    # Points x = 0, 1, 10 on a line. Whatever the random first pick, the next ones follow.
    X = np.array([[0.0, 0.0], [1.0, 0.0], [10.0, 0.0]])
    expected = {0.0: [0.0, 10.0, 1.0], 1.0: [1.0, 10.0, 0.0], 10.0: [10.0, 0.0, 1.0]}
    seen = set()
    for seed in range(30):
        C = engine.init_centroids(X, 3, "farthest", np.random.default_rng(seed))
        assert_array_equal(C[:, 0], expected[C[0, 0]])
        seen.add(C[0, 0])
    assert seen == set(expected)  # every first pick happened


def test_init_farthest_tie_goes_to_lowest_index():
    # From (0, 0) both others are at distance 1: index 1 wins.
    X = np.array([[0.0, 0.0], [-1.0, 0.0], [1.0, 0.0]])
    for seed in range(30):
        C = engine.init_centroids(X, 2, "farthest", np.random.default_rng(seed))
        if C[0, 0] == 0.0:
            assert_array_equal(C[1], [-1.0, 0.0])
            return
    pytest.fail("no seed started at (0, 0)")


@pytest.mark.parametrize("method", ["k-means++", "greedy-k-means++", "random", "uniform"])
def test_init_identical_points_no_nan(method):
    X = np.full((5, 2), 3.0)
    with np.errstate(all="raise"):  # a 0/0 would raise here instead of giving NaN
        C = engine.init_centroids(X, 3, method, np.random.default_rng(0))
    assert_array_equal(C, np.full((3, 2), 3.0))


@pytest.mark.parametrize(
    "X, k, method, message",
    [
        pytest.param(BLOB_X, 3, "kmeans++", "unknown initialisation", id="unknown-method"),
        pytest.param(BLOB_X, 0, "random", "between 1", id="k-zero"),
        pytest.param(BLOB_X[:3], 4, "random", "between 1", id="k-above-n"),
        pytest.param(np.array([[1.0, 1.0]] * 4 + [[2.0, 2.0]]), 3, "farthest", "different points",
                     id="farthest-duplicates"),
    ],
)
def test_init_rejects(X, k, method, message):
    with pytest.raises(ValueError, match=message):
        engine.init_centroids(X, k, method, np.random.default_rng(0))


# Four points: a=(0,0), b=(1,0), c=(0,2), d=(3,0). Squared distances by hand:
SQUARE_X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 2.0], [3.0, 0.0]])
SQUARE_D2 = np.array([[0, 1, 4, 9], [1, 0, 5, 4], [4, 5, 0, 13], [9, 4, 13, 0]], dtype=float)


def _pick_indices(C):
    return [int(np.flatnonzero((SQUARE_X == c).all(axis=1))[0]) for c in C]


def test_kmeans_plusplus_second_pick_follows_d2_weights():
    n_runs = 20_000
    rng = np.random.default_rng(2024)
    picks = np.array([_pick_indices(engine.init_centroids(SQUARE_X, 2, "k-means++", rng))
                      for _ in range(n_runs)])
    first_counts = np.bincount(picks[:, 0], minlength=4)
    # Tolerance: 5 binomial standard deviations of a frequency, sqrt(p (1 - p) / N). A correct
    # sampler exceeds it with probability < 1e-6 per cell (and the seed is fixed).
    assert np.abs(first_counts / n_runs - 0.25).max() <= 5 * math.sqrt(0.25 * 0.75 / n_runs)
    for first in range(4):
        second = picks[picks[:, 0] == first, 1]
        p = SQUARE_D2[first] / SQUARE_D2[first].sum()
        freq = np.bincount(second, minlength=4) / second.size
        assert freq[first] == 0  # a point already chosen has weight 0
        bound = 5 * np.sqrt(p * (1 - p) / second.size) + 1e-12
        assert (np.abs(freq - p) <= bound).all(), (first, freq, p)


def test_greedy_kmeans_plusplus_keeps_the_best_of_two_candidates():
    # k = 2 gives 2 + floor(ln 2) = 2 candidates drawn by D^2 weight. From a the potentials
    # after adding b, c, d are 8, 10, 5 (best d, then b, then c) and the D^2 weights are
    # 1/14, 4/14, 9/14. The pick is d unless neither candidate is d, and so on:
    # P(d) = 1 - (5/14)^2, P(b) = (5/14)^2 - (4/14)^2, P(c) = (4/14)^2.
    expected = np.array([0, 25 - 16, 16, 196 - 25]) / 196
    n_runs = 20_000
    rng = np.random.default_rng(7)
    picks = np.array([_pick_indices(engine.init_centroids(SQUARE_X, 2, "greedy-k-means++", rng))
                      for _ in range(n_runs)])
    second = picks[picks[:, 0] == 0, 1]
    freq = np.bincount(second, minlength=4) / second.size
    # Same 5-sigma binomial tolerance as above.
    assert (np.abs(freq - expected) <= 5 * np.sqrt(expected * (1 - expected) / second.size)
            + 1e-12).all(), freq


def test_seeding_quality_on_blobs():
    X, _ = data.generate("blobs", 300, np.random.default_rng(1), centers=6, std=0.8)
    seeds = range(100)
    initial = {m: [] for m in ("random", "k-means++", "greedy-k-means++")}
    final = {m: [] for m in initial}
    for method in initial:
        for seed in seeds:
            C0 = engine.init_centroids(X, 6, method, np.random.default_rng(seed))
            initial[method].append(engine.assign(X, C0)[1].sum())
            final[method].append(engine.lloyd(X, C0, max_iter=300).inertia)
    mean = {m: np.mean(v) for m, v in initial.items()}
    assert mean["greedy-k-means++"] < mean["k-means++"] < mean["random"]
    assert np.mean(final["greedy-k-means++"]) < np.mean(final["random"])
    assert np.mean(final["k-means++"]) < np.mean(final["random"])


# --------------------------------------------------------------------------------------------
# scikit-learn as the oracle
# --------------------------------------------------------------------------------------------


def _oracle_configs(count=240):
    rng = np.random.default_rng(20240601)
    # The generated data sets (the real examples have exact ties: duplicate rows).
    names = [name for name, spec in data.DATASETS.items() if spec.example is None]
    configs = []
    for i in range(count):
        configs.append(dict(
            seed=i,
            dataset=names[i % len(names)],
            n=int(rng.integers(20, 301)),
            k=int(rng.integers(2, 11)),
            centers=int(rng.integers(1, 11)),
            method=choices.DRAWN_INITS[(i // len(names)) % len(choices.DRAWN_INITS)],
            # 1e-2 besides the usual 0 and 1e-4, so that some runs stop on the tolerance.
            tol=(0.0, 1e-4, 1e-2)[i % 3],
            max_iter=(10, 300)[(i // 2) % 2],
        ))
    return configs


ORACLE_CONFIGS = _oracle_configs()


def _config_id(c):
    return (f"{c['seed']:03d}-{c['dataset']}-n{c['n']}-k{c['k']}-{c['method']}"
            f"-tol{c['tol']:g}-it{c['max_iter']}")


@pytest.mark.parametrize("config", ORACLE_CONFIGS, ids=_config_id)
def test_lloyd_matches_sklearn(config):
    c = config
    rng = np.random.default_rng(c["seed"])
    X, _ = data.generate(c["dataset"], c["n"], rng, centers=c["centers"], std=1.0, noise=0.5)
    C0 = engine.init_centroids(X, c["k"], c["method"], rng)
    run = engine.lloyd(X, C0, max_iter=c["max_iter"], tol=c["tol"], empty_rule="farthest")
    assert_same_as_sklearn(run, sk_fit(X, C0, c["tol"], c["max_iter"]))
    if run.stop_reason == "converged":
        assert run.steps[-1].kind == "update"
    else:
        assert run.steps[-1].kind == "assign" and run.steps[-1].iteration == run.n_iter


def test_oracle_configs_cover_the_interesting_cases():
    # The sweep is only worth something if it exercises every stop and some empty clusters.
    reasons, empties = set(), 0
    for c in ORACLE_CONFIGS:
        rng = np.random.default_rng(c["seed"])
        X, _ = data.generate(c["dataset"], c["n"], rng, centers=c["centers"], std=1.0, noise=0.5)
        C0 = engine.init_centroids(X, c["k"], c["method"], rng)
        run = engine.lloyd(X, C0, max_iter=c["max_iter"], tol=c["tol"], empty_rule="farthest")
        reasons.add(run.stop_reason)
        for step in run.steps[1:]:  # each half-step names its empty clusters
            counts = np.bincount(step.labels, minlength=c["k"])
            assert step.empty == tuple(np.flatnonzero(counts == 0))
        empties += any(s.empty for s in run.steps if s.kind == "assign")
    assert reasons == set(engine.STOP_REASONS)
    assert empties >= 3


def _blob_pair():
    rng = np.random.default_rng(3)
    return np.concatenate([rng.normal(size=(30, 2)), rng.normal(size=(30, 2)) + [8.0, 0.0]])


@pytest.mark.parametrize(
    "X, C0",
    [
        pytest.param(_blob_pair(), [[0, 0], [8, 0], [100, 100]], id="one-far-centroid"),
        pytest.param(_blob_pair(), [[0, 0], [8, 0], [100, 100], [-100, 50]], id="two-far"),
        pytest.param(_blob_pair(), [[0, 0], [8, 0], [100, 100], [-100, 50], [0, -90]],
                     id="three-far"),
        pytest.param(_blob_pair(), [[0, 0], [0, 0], [8, 0]], id="duplicate-centroid"),
        pytest.param(np.array([[1, 1], [1, 1], [3, 3]], float), [[1, 1], [7, 7], [3, 3]],
                     id="duplicate-points"),
    ],
)
@pytest.mark.parametrize("tol", [0.0, 1e-4], ids=["tol0", "tol1e-4"])
def test_empty_clusters_farthest_matches_sklearn(X, C0, tol):
    C0 = np.array(C0, dtype=float)
    run = engine.lloyd(X, C0, max_iter=300, tol=tol, empty_rule="farthest")
    # The case really produces an empty cluster in the first assignment.
    assert np.bincount(run.steps[1].labels, minlength=len(C0)).min() == 0
    assert_same_as_sklearn(run, sk_fit(X, C0, tol, 300))


def test_lloyd_three_features_matches_sklearn():
    rng = np.random.default_rng(9)
    X = rng.normal(size=(120, 3)) + rng.integers(0, 3, size=(120, 1)) * 4.0
    C0 = engine.init_centroids(X, 4, "k-means++", rng)
    run = engine.lloyd(X, C0, max_iter=300, tol=1e-4, empty_rule="farthest")
    assert_same_as_sklearn(run, sk_fit(X, C0, 1e-4, 300))


def test_lloyd_large_k_labels_need_two_bytes():
    rng = np.random.default_rng(4)
    X = rng.normal(size=(2000, 2))
    C0 = X[:300]
    run = engine.lloyd(X, C0, max_iter=3)
    assert run.labels.dtype == np.int16
    brute = ((X[:, None, :] - run.steps[-2].centroids[None]) ** 2).sum(axis=2).argmin(axis=1)
    assert_array_equal(run.labels, brute)


# --------------------------------------------------------------------------------------------
# Recorded labels are compact
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "k, dtype",
    [(1, np.int8), (2, np.int8), (128, np.int8), (129, np.int16), (32768, np.int16),
     (32769, np.int32)],
)
def test_label_dtype_is_the_smallest_that_holds_minus_one_to_k_minus_one(k, dtype):
    assert engine.label_dtype(k) == dtype
    info = np.iinfo(engine.label_dtype(k))
    assert info.min <= -1 and k - 1 <= info.max


def test_recorded_labels_are_one_byte_per_point_for_small_k():
    X, _ = data.generate("blobs", 500, np.random.default_rng(1), centers=4)
    run = engine.lloyd(X, X[:4], max_iter=10)
    for step in run.steps:
        assert step.labels.dtype == np.int8 and step.labels.nbytes == 500
    # Everything that reads labels as integers still works: bincount, indexing, tolist.
    assert np.bincount(run.labels, minlength=4).sum() == 500
    assert_array_equal(run.centroids[run.labels], run.centroids[run.labels.astype(np.intp)])
    assert all(type(v) is int for v in run.steps[0].labels.tolist()[:3])


# --------------------------------------------------------------------------------------------
# Extreme coordinates: tiny, huge, mixed scales, clusters of nearly identical points
# --------------------------------------------------------------------------------------------


def exact_sq_dist(x, c):
    """|x - c|^2 of two float vectors, exactly (Fractions)."""
    return sum((Fraction(float(a)) - Fraction(float(b))) ** 2 for a, b in zip(x, c))


def exact_nearest(X, C):
    """For each point, the index of its truly nearest centroid (lowest on ties)."""
    labels = []
    for x in X:
        d = [exact_sq_dist(x, c) for c in C]
        labels.append(d.index(min(d)))
    return np.array(labels)


def assert_honest(X, run, max_iter):
    """Everything a run records is true of the points and centroids it records."""
    steps = run.steps
    for i, step in enumerate(steps):
        assert np.isfinite(step.centroids).all()
        assert math.isfinite(step.inertia) and step.inertia >= 0
        assert math.isfinite(step.shift) and step.shift >= 0
        if step.kind == "init":
            continue
        if step.kind == "assign":
            truth = exact_nearest(X, step.centroids)
            assert_array_equal(step.labels, truth, err_msg=f"step {i}")
            counts = np.bincount(step.labels, minlength=len(step.centroids))
            assert step.empty == tuple(np.flatnonzero(counts == 0))
        exact = sum(exact_sq_dist(x, step.centroids[j]) for x, j in zip(X, step.labels))
        assert step.inertia == pytest.approx(float(exact), rel=1e-9, abs=0.0), f"step {i}"
    updates = [s for s in steps if s.kind == "update"]
    assigns = [s for s in steps if s.kind == "assign"]
    if run.stop_reason == "converged":
        assert run.n_iter >= 2 and assigns[-1].changed == 0
        assert_array_equal(assigns[-1].labels, assigns[-2].labels)
    elif run.stop_reason == "tol":  # tol=0 here: the last update moved nothing at all
        before = steps[steps.index(updates[-1]) - 1].centroids
        assert_array_equal(updates[-1].centroids, before)
    else:
        assert run.n_iter == max_iter


def _blob_set(n=48, centers=4, seed=0):
    X, _ = data.generate("blobs", n, np.random.default_rng(seed), centers=centers, std=1.5)
    return X


def _extreme_sets():
    rng = np.random.default_rng(7)
    blobs = _blob_set()
    three = np.repeat([[1e15, 1e15], [1e15 + 0.125, 1e15], [1e15, 1e15 + 1000.0]], 12, axis=0)
    tight = rng.normal(scale=1e-50, size=(24, 2))
    return {
        "tiny-1e-300": blobs * 1e-300,
        "huge-5e98": blobs * 5e98,
        "within-1e-200-of-0": rng.uniform(-1e-200, 1e-200, size=(40, 2)),
        # x in units of 1e50, y in units of 1e-50: y decides only between equal x.
        "mixed-axes": np.column_stack([np.repeat([-1e50, 0.0, 3e50], 16),
                                       rng.normal(scale=1e-50, size=48)]),
        "identical-points-at-1e15": three,
        # Within 1e-12 of 1e15: in float64 that is one point; relative to it, +-1000.
        "within-1e-12-of-1e15": 1e15 + rng.uniform(-1e-12, 1e-12, size=(20, 2)),
        "within-1e-12-relative-of-1e15": 1e15 * (1 + rng.uniform(-1e-12, 1e-12, size=(40, 2))),
        "tight-cluster-beside-1e99": np.concatenate(
            [tight, np.repeat([[1e99, 0.0], [-1e99, 0.0]], 6, axis=0)]),
    }


EXTREME_SETS = _extreme_sets()


@pytest.mark.parametrize("name", EXTREME_SETS)
@pytest.mark.parametrize("method, empty_rule", [("random", "keep"), ("k-means++", "farthest"),
                                                ("farthest", "random"), ("uniform", "keep")])
def test_lloyd_on_extreme_coordinates_records_only_what_is_true(name, method, empty_rule):
    X = EXTREME_SETS[name]
    rng = np.random.default_rng(3)
    k = min(4, engine.count_distinct(X, 4))
    C0 = engine.init_centroids(X, k, method, rng)
    run = engine.lloyd(X, C0, max_iter=20, tol=0.0, empty_rule=empty_rule, rng=rng)
    assert_honest(X, run, max_iter=20)


@pytest.mark.parametrize("power", [-1000, -996, -300, 300, 328], ids=lambda p: f"2^{p}")
@pytest.mark.parametrize("tol", [0.0, 1e-4], ids=["tol0", "tol1e-4"])
def test_lloyd_scaled_by_a_power_of_two_is_the_same_run_bit_for_bit(power, tol):
    # 2^-1000 ~ 1e-301 and 2^328 ~ 5e98: tiny and huge data, and the run is identical
    # (centroids, inertia and shift scaled exactly), stop reason included.
    X = _blob_set(n=300, centers=5, seed=1)
    C0 = engine.init_centroids(X, 5, "k-means++", np.random.default_rng(2))
    ref = engine.lloyd(X, C0, max_iter=50, tol=tol, empty_rule="farthest")
    f = 2.0**power if power > -1000 else np.ldexp(1.0, power)
    run = engine.lloyd(X * f, C0 * f, max_iter=50, tol=tol, empty_rule="farthest")
    assert (run.n_iter, run.stop_reason) == (ref.n_iter, ref.stop_reason)
    assert len(run.steps) == len(ref.steps)
    for a, b in zip(run.steps, ref.steps):
        assert_array_equal(a.labels, b.labels)
        assert_array_equal(a.centroids, b.centroids * f)
        assert (a.inertia, a.shift) == (b.inertia * f * f, b.shift * f * f)
        assert (a.changed, a.empty, a.relocated) == (b.changed, b.empty, b.relocated)


@pytest.mark.parametrize("scale", [1e-300, 1e-200, 3e98], ids=lambda s: f"{s:g}")
def test_lloyd_on_rescaled_data_stops_for_the_same_reason(scale):
    # Not a power of two: the rounding differs, the run must not. With tol 0, tiny data used
    # to stop at once "because nothing moved" (the squared shift underflowed).
    X = _blob_set(n=200, centers=4, seed=5)
    C0 = X[:4]
    ref = engine.lloyd(X, C0, max_iter=30, tol=0.0)
    run = engine.lloyd(X * scale, C0 * scale, max_iter=30, tol=0.0)
    assert (run.n_iter, run.stop_reason) == (ref.n_iter, ref.stop_reason)
    assert ref.n_iter > 2
    assert_array_equal(run.labels, ref.labels)
    assert_allclose(run.centroids / scale, ref.centroids, rtol=1e-12)


def test_assign_settles_near_ties_by_exact_distance():
    # Equal x (1e90) for all: only y (1e-90 apart) decides, far below what |x|^2 - 2x.c + |c|^2
    # can resolve next to x^2 ~ 1e180.
    rng = np.random.default_rng(0)
    X = np.column_stack([np.full(30, 1e90), rng.normal(scale=1e-90, size=30)])
    C = np.column_stack([np.full(3, 1e90), [-1e-90, 0.0, 1.3e-90]])
    X = np.concatenate([X, [[2e90, 0.0], [-1e90, 1.0]]])
    labels, sq = engine.assign(X, C)
    assert_array_equal(labels, exact_nearest(X, C))
    assert len(set(labels[:30].tolist())) == 3


@pytest.mark.parametrize("bad", [1e101, -1e300, 1.7976931348623157e308],
                         ids=["1e101", "-1e300", "max-float"])
def test_engine_refuses_coordinates_beyond_max_abs(bad):
    X = np.array([[0.0, 0.0], [1.0, 1.0], [bad, 0.0]])
    with pytest.raises(ValueError, match="between -1e\\+100 and 1e\\+100"):
        engine.lloyd(X, X[:2])
    with pytest.raises(ValueError, match="between -1e\\+100 and 1e\\+100"):
        engine.init_centroids(X, 2, "k-means++", np.random.default_rng(0))
    with pytest.raises(ValueError, match="between -1e\\+100 and 1e\\+100"):
        engine.lloyd(X[:2], np.array([[bad, 0.0]]))
    with pytest.raises(ValueError, match="finite"):
        engine.init_centroids(np.array([[0.0, np.nan], [1.0, 1.0]]), 1, "random",
                              np.random.default_rng(0))


def test_engine_accepts_max_abs_itself():
    X = np.array([[-data.MAX_ABS, -data.MAX_ABS], [data.MAX_ABS, data.MAX_ABS], [0.0, 0.0]])
    run = engine.lloyd(X, X[:2], max_iter=10)
    assert_honest(X, run, max_iter=10)
    # (0, 0) joins the first corner: centroids (-M/2, -M/2) and (M, M), inertia 4 (M/2)^2.
    assert_array_equal(run.centroids, [[-data.MAX_ABS / 2] * 2, [data.MAX_ABS] * 2])
    assert run.inertia == pytest.approx(data.MAX_ABS**2, rel=1e-15)


@pytest.mark.parametrize("method", ["k-means++", "greedy-k-means++", "farthest"])
def test_init_on_tiny_data_picks_as_on_ordinary_data(method):
    # The D^2 weights of points near 1e-301 underflowed to zero, so the picks became uniform
    # (k-means++) or repeated one point (farthest).
    X = _blob_set(n=120, centers=5, seed=9)
    f = np.ldexp(1.0, -1000)
    picks = engine.init_centroids(X, 5, method, np.random.default_rng(4))
    tiny = engine.init_centroids(X * f, 5, method, np.random.default_rng(4))
    assert_array_equal(tiny, picks * f)


def test_init_farthest_counts_distinct_points_without_sorting():
    X = np.array([[1.0, 1.0]] * 50 + [[2.0, 2.0]] * 30 + [[5.0, 0.0]])
    C = engine.init_centroids(X, 3, "farthest", np.random.default_rng(0))
    assert np.unique(C, axis=0).shape[0] == 3
    with pytest.raises(ValueError, match="only 3"):
        engine.init_centroids(X, 4, "farthest", np.random.default_rng(0))


@pytest.mark.parametrize(
    "X, at_most, expected",
    [
        pytest.param([[1, 1], [1, 1], [2, 1], [1, 1], [1, 2]], 10, 3, id="three"),
        pytest.param([[1, 1], [1, 1], [2, 1], [1, 1], [1, 2]], 2, 2, id="capped"),
        pytest.param([[0.0, -0.0], [-0.0, 0.0]], 5, 1, id="signed-zeros-equal"),
        pytest.param([[7, 7]], 3, 1, id="one"),
        pytest.param([[1, 2, 3], [1, 2, 3], [1, 2, 4], [0, 2, 3]], 9, 3, id="three-dims"),
    ],
)
def test_count_distinct(X, at_most, expected):
    X = np.array(X, float)
    assert engine.count_distinct(X, at_most) == expected
    assert expected == min(at_most, len(np.unique(X, axis=0)))


# --------------------------------------------------------------------------------------------
# Empty clusters are recorded
# --------------------------------------------------------------------------------------------


def test_keep_rule_records_the_empty_cluster_and_leaves_it():
    C0 = np.array([[0.0, 0.0], [6.0, 0.0], [100.0, 100.0]])
    run = engine.lloyd(LINE, C0, max_iter=5, empty_rule="keep")
    assert (run.steps[0].empty, run.steps[0].relocated) == ((), ())
    for step in run.steps[1:]:
        assert step.empty == (2,) and step.relocated == ()


def test_farthest_rule_records_which_point_the_centroid_took():
    # All three points go to centroid 0 (at (1, 0)); the farthest from it, index 2, is taken.
    X = np.array([[0.0, 0.0], [2.0, 0.0], [10.0, 0.0]])
    run = engine.lloyd(X, [[1.0, 0.0], [50.0, 50.0]], max_iter=5, empty_rule="farthest")
    a1, u1 = run.steps[1], run.steps[2]
    assert (a1.empty, a1.relocated) == ((1,), ())
    assert (u1.empty, u1.relocated) == ((1,), (2,))
    assert_array_equal(u1.centroids[1], X[2])
    assert run.steps[3].empty == ()  # the next assignment gives it a point


def test_farthest_rule_with_every_point_on_its_centroid_goes_to_the_largest_mean():
    X = np.array([[1.0, 1.0], [1.0, 1.0], [3.0, 3.0]])
    run = engine.lloyd(X, [[1.0, 1.0], [7.0, 7.0], [3.0, 3.0]], empty_rule="farthest")
    assert (run.steps[2].empty, run.steps[2].relocated) == ((1,), (-1,))
    assert_array_equal(run.steps[2].centroids[1], [1.0, 1.0])


def test_random_rule_records_the_points_taken():
    X = _blob_pair()
    C0 = np.array([[0.0, 0.0], [8.0, 0.0], [100.0, 100.0], [-100.0, 50.0]])
    run = engine.lloyd(X, C0, max_iter=1, empty_rule="random", rng=np.random.default_rng(1))
    update = run.steps[2]
    assert update.empty == (2, 3) and len(update.relocated) == 2
    for j, i in zip(update.empty, update.relocated):
        assert_allclose(update.centroids[j], X[i], rtol=1e-14)  # (centring rounds)
    final = run.steps[3]  # the final assignment records its own empty clusters
    assert final.empty == tuple(np.flatnonzero(np.bincount(final.labels, minlength=4) == 0))


# --------------------------------------------------------------------------------------------
# LloydStepper: the same run, in pieces
# --------------------------------------------------------------------------------------------


def assert_same_steps(a, b):
    assert len(a) == len(b)
    for x, y in zip(a, b):
        assert (x.kind, x.iteration, x.inertia, x.changed, x.shift, x.empty, x.relocated) == \
               (y.kind, y.iteration, y.inertia, y.changed, y.shift, y.empty, y.relocated)
        assert_array_equal(x.labels, y.labels)
        assert_array_equal(x.centroids, y.centroids)


@pytest.mark.parametrize("empty_rule", choices.EMPTY_RULES)
def test_stepper_records_the_run_lloyd_records(empty_rule):
    X = _blob_pair()
    C0 = np.array([[0.0, 0.0], [0.5, 0.0], [100.0, 100.0], [8.0, 1.0]])
    expected = engine.lloyd(X, C0, max_iter=30, tol=1e-4, empty_rule=empty_rule,
                            rng=np.random.default_rng(5))
    stepper = engine.LloydStepper(X, C0, max_iter=30, tol=1e-4, empty_rule=empty_rule,
                                  rng=np.random.default_rng(5))
    assert len(stepper.steps) == 1 and stepper.steps[0].kind == "init"
    pieces = []
    while not stepper.finished:
        new = stepper.advance()
        assert new == stepper.steps[-len(new):] and len(new) in (2, 3)
        pieces.append(new)
    assert stepper.advance() == []
    run = stepper.run()
    assert_same_steps(run.steps, expected.steps)
    assert (run.n_iter, run.stop_reason, run.inertia) == \
           (expected.n_iter, expected.stop_reason, expected.inertia)
    assert len(pieces) == run.n_iter and stepper.stop_reason == run.stop_reason


def test_stepper_construction_does_one_assignment_and_no_iteration(monkeypatch):
    calls = []
    original = engine._nearest_in_pieces   # every assignment pass goes through it
    monkeypatch.setattr(engine, "_nearest_in_pieces",
                        lambda *a, **kw: calls.append(1) or original(*a, **kw))
    stepper = engine.LloydStepper(LINE, LINE[:2], max_iter=10)
    assert (len(calls), len(stepper.steps), stepper.n_iter, stepper.finished) == (1, 1, 0, False)
    with pytest.raises(RuntimeError, match="not finished"):
        stepper.run()
    stepper.advance()  # iteration 1 reuses that assignment
    assert len(calls) == 1


def test_stepper_continues_after_a_centroid_is_dragged():
    # The hand case converges at centroids 0.5 and 5.5 with labels [0, 0, 1, 1]. Drag the
    # first centroid a little: nothing changes cluster, the update moves it back, and the
    # next iteration confirms: converged at iteration 2 of the continuation.
    done = engine.lloyd(LINE, LINE[:2], max_iter=10)
    dragged = done.centroids.copy()
    dragged[0, 0] = 0.75
    stepper = engine.LloydStepper(LINE, dragged, max_iter=10, previous_labels=done.labels,
                                  first_iteration=done.n_iter + 1)
    init = stepper.steps[0]
    assert (init.iteration, init.labels.tolist()) == (3, [0, 0, 1, 1])
    a1, u1 = stepper.advance()
    assert (a1.iteration, a1.changed) == (4, 0)  # counted against the labels shown before
    assert not stepper.finished  # equal labels from other centroids prove no fixed point
    assert_array_equal(u1.centroids, done.centroids)
    stepper.advance()
    run = stepper.run()
    assert (run.n_iter, run.stop_reason, run.steps[-1].iteration) == (2, "converged", 5)


def test_stepper_previous_labels_count_changes_from_unassigned_points():
    stepper = engine.LloydStepper(LINE, LINE[:2], previous_labels=np.full(4, -1))
    assert stepper.advance()[0].changed == 4


def test_stepper_after_a_drag_that_changes_clusters():
    done = engine.lloyd(LINE, LINE[:2], max_iter=10)
    dragged = np.array([[0.0, 0.0], [1.2, 0.0]])  # the second centroid dragged next to x = 1
    stepper = engine.LloydStepper(LINE, dragged, previous_labels=done.labels)
    a1 = stepper.advance()[0]
    assert a1.labels.tolist() == [0, 1, 1, 1] and a1.changed == 1


@pytest.mark.parametrize(
    "kwargs, message",
    [
        pytest.param(dict(previous_labels=[0, 1, 2, 0]), "from -1 to 1", id="label-too-big"),
        pytest.param(dict(previous_labels=[0, 1, 1]), "4 whole numbers", id="too-few"),
        pytest.param(dict(previous_labels=[0.0, 1.0, 1.0, 0.0]), "whole", id="floats"),
        pytest.param(dict(first_iteration=1.5), "first_iteration", id="first-iteration"),
    ],
)
def test_stepper_rejects_bad_continuation(kwargs, message):
    with pytest.raises(ValueError, match=message):
        engine.LloydStepper(LINE, LINE[:2], **kwargs)


# --------------------------------------------------------------------------------------------
# The oracle at large n, through the stepper
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "dataset, n, k, method, tol, max_iter",
    [
        ("blobs", 100_000, 5, "random", 1e-4, 300),
        ("unequal-variance", 100_000, 8, "k-means++", 0.0, 40),
        ("uniform", 100_000, 10, "greedy-k-means++", 0.0, 25),
        ("blobs", 1_000_000, 10, "random", 0.0, 15),
    ],
    ids=lambda v: str(v),
)
def test_stepper_matches_sklearn_at_large_n(dataset, n, k, method, tol, max_iter):
    rng = np.random.default_rng(n + k)
    X, _ = data.generate(dataset, n, rng, centers=k, std=1.0)
    C0 = engine.init_centroids(X, k, method, rng)
    stepper = engine.LloydStepper(X, C0, max_iter=max_iter, tol=tol, empty_rule="farthest")
    while not stepper.finished:
        stepper.advance()
    run = stepper.run()
    assert run.n_iter > 3  # a run worth the name
    assert_same_as_sklearn(run, sk_fit(X, C0, tol, max_iter))


# -- computed in pieces (the page stays responsive at a million points) --------------------


def test_a_run_computed_in_pieces_is_the_run_computed_at_once():
    rng = np.random.default_rng(11)
    X = np.concatenate([rng.normal(c, 1.0, size=(40_000, 2)) for c in ([0, 0], [6, 1], [2, 7])])
    C0 = X[rng.choice(len(X), 4, replace=False)]
    whole = engine.lloyd(X, C0, max_iter=20)
    stepper = engine.LloydStepper(X, C0, max_iter=20, start_later=True)
    assert stepper.steps == []
    pauses = 0
    start = stepper.start_in_pieces(piece=25_000)
    while True:
        try:
            next(start)
            pauses += 1
        except StopIteration:
            break
    assert pauses >= 3 and len(stepper.steps) == 1
    while not stepper.finished:
        pieces = stepper.advance_in_pieces(piece=25_000)
        while True:
            try:
                next(pieces)
                pauses += 1
                assert not stepper.finished  # finished only once every step is recorded
            except StopIteration as done:
                assert done.value == stepper.steps[-len(done.value):]
                break
    run = stepper.run()
    # blocks of 32,768 points: three pauses in each of the n_iter + 1 passes
    assert pauses == 3 * (run.n_iter + 1)
    assert [s.kind for s in run.steps] == [s.kind for s in whole.steps]
    np.testing.assert_array_equal(run.labels, whole.labels)
    np.testing.assert_array_equal(run.centroids, whole.centroids)
    assert run.inertia == whole.inertia and run.stop_reason == whole.stop_reason


def test_a_pass_dropped_halfway_leaves_the_stepper_as_it_was():
    rng = np.random.default_rng(12)
    X = rng.normal(size=(60_000, 2))
    C0 = X[:3].copy()
    stepper = engine.LloydStepper(X, C0, max_iter=5)
    stepper.advance()
    before = (len(stepper.steps), stepper.n_iter)
    pieces = stepper.advance_in_pieces(piece=10_000)
    next(pieces)
    pieces.close()                                 # a new GO drops it
    assert (len(stepper.steps), stepper.n_iter) == before
    reference = engine.LloydStepper(X, C0, max_iter=5)
    reference.advance()
    np.testing.assert_array_equal(stepper.advance()[0].labels, reference.advance()[0].labels)
