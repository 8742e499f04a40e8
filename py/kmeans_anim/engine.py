"""Lloyd's k-means algorithm as pure numpy functions: init, assign, update, inertia.

Everything here imports only numpy and the standard library, because the same file runs in
CPython and inside the page (Pyodide), where scikit-learn and scipy are not shipped.

The numeric core (`CentredPoints`, `nearest_with_sums`, `cluster_inertia`, `assign`, `update`,
`inertia`, `tolerance`) assumes valid input: arrays of float64 with matching shapes and no NaN.
Validation happens once, at the public entry points `init_centroids` and `lloyd`, as in
scikit-learn.

`lloyd` reproduces scikit-learn's ``_kmeans_single_lloyd`` (version 1.6.1) step for step: the same
labels, the same centroids (to rounding), the same number of iterations and the same stopping
rule, so ``KMeans(init=C0, n_init=1, algorithm="lloyd")`` is a test oracle for it. Like
scikit-learn it iterates on centred data, and one pass per iteration (`nearest_with_sums`) gives
the labels, the cluster sums for the update and what the inertia needs.

Example
-------
>>> import numpy as np
>>> from kmeans_anim import engine
>>> X = np.array([[0.0, 0.0], [1.0, 0.0], [5.0, 0.0], [6.0, 0.0]])
>>> run = engine.lloyd(X, initial_centroids=X[:2])
>>> run.centroids.tolist(), run.n_iter, run.stop_reason
([[0.5, 0.0], [5.5, 0.0]], 3, 'converged')
>>> [(s.kind, s.iteration) for s in run.steps][:3]
[('init', 0), ('assign', 1), ('update', 1)]
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np

__all__ = [
    "INIT_METHODS",
    "EMPTY_RULES",
    "STOP_REASONS",
    "Step",
    "Run",
    "init_centroids",
    "CentredPoints",
    "nearest_with_sums",
    "cluster_inertia",
    "assign",
    "update",
    "inertia",
    "tolerance",
    "lloyd",
]

INIT_METHODS = ("random", "k-means++", "greedy-k-means++", "farthest", "uniform")
EMPTY_RULES = ("keep", "farthest", "random")
STOP_REASONS = ("converged", "tol", "max_iter")

# Points per block in `nearest_with_sums`: at most _BLOCK, and at most _BLOCK_DISTANCES / k so
# that the two (k, block) float64 work arrays (1 MB each) stay in a 2 MB L2 cache. Large enough
# that numpy's per-call overhead is small next to the work.
_BLOCK = 65536
_BLOCK_DISTANCES = 131072

# Scratch arrays of `nearest_with_sums`, kept between calls (per thread; see _scratch_arrays).
_scratch = threading.local()


# --------------------------------------------------------------------------------------------
# Initialisation
# --------------------------------------------------------------------------------------------


def init_centroids(X, k: int, method: str, rng: np.random.Generator) -> np.ndarray:
    """Choose k initial centroids for Lloyd's algorithm.

    Parameters
    ----------
    X : array_like of shape (n, d)
        The data points (any units; the page uses plot units).
    k : int
        Number of centroids, ``1 <= k <= n``.
    method : str
        One of `INIT_METHODS`:

        - ``"random"``: k data points with distinct indices, chosen uniformly without
          replacement (``rng.choice(n, k, replace=False)``, the original notebook's rule).
        - ``"k-means++"``: Arthur & Vassilvitskii's D^2 sampling. The first centre is a uniformly
          random data point; each next one is a data point drawn with probability proportional
          to its squared distance to the nearest centre chosen so far.
        - ``"greedy-k-means++"``: scikit-learn's default. At each pick after the first, draw
          ``2 + floor(ln k)`` candidates by D^2 sampling and keep the one that leaves the
          smallest potential (sum of squared distances to the nearest centre).
        - ``"farthest"``: the first centre is a uniformly random data point; each next one is the
          data point farthest from its nearest chosen centre (ties: lowest index). Needs at
          least k distinct points.
        - ``"uniform"``: k points drawn uniformly in the data's axis-aligned bounding box (they
          need not be data points).
    rng : numpy.random.Generator
        Source of randomness; the same seed gives the same centroids.

    Returns
    -------
    centroids : ndarray of shape (k, d), float64

    Raises
    ------
    ValueError
        For an unknown method, a k outside ``1..n``, or (``"farthest"``) fewer than k distinct
        points.

    Notes
    -----
    When every point coincides with a chosen centre (all D^2 weights are zero, e.g. identical
    points), the D^2 methods fall back to a uniform choice instead of dividing by zero.
    """
    X = np.asarray(X, dtype=np.float64)
    if method not in INIT_METHODS:
        raise ValueError(
            f"unknown initialisation method {method!r}; choose one of: {', '.join(INIT_METHODS)}"
        )
    if X.ndim != 2 or X.shape[0] < 1:
        raise ValueError(f"expected a non-empty (n, d) array of points, got shape {X.shape}")
    n = X.shape[0]
    if isinstance(k, bool) or int(k) != k or not 1 <= k <= n:
        raise ValueError(
            f"k must be a whole number between 1 and the number of points ({n}), got {k}"
        )
    k = int(k)

    if method == "random":
        return X[rng.choice(n, k, replace=False)].copy()
    if method == "k-means++":
        return _kmeans_plusplus(X, k, rng, n_trials=1)
    if method == "greedy-k-means++":
        # scikit-learn's choice: Arthur & Vassilvitskii tried this but did not report it.
        return _kmeans_plusplus(X, k, rng, n_trials=2 + int(np.log(k)))
    if method == "farthest":
        n_distinct = np.unique(X, axis=0).shape[0]
        if k > n_distinct:
            raise ValueError(
                f"'farthest' needs at least k = {k} different points, but the data has only "
                f"{n_distinct}; choose a smaller k or another initialisation"
            )
        return _farthest_first(X, k, rng)
    # "uniform"
    low, high = X.min(axis=0), X.max(axis=0)
    return rng.uniform(low, high, size=(k, X.shape[1]))


def _sq_dist_to_point(X, c):
    """Squared distances (n,) from every row of X (n, d) to one point c (d,)."""
    diff = X - c
    return np.einsum("ij,ij->i", diff, diff)


def _d2_sample(closest_sq, rng, size):
    """Draw `size` indices with probability proportional to `closest_sq` (n,), >= 0.

    Falls back to a uniform choice when all weights are zero (every point sits on a centre),
    which would otherwise be a 0/0.
    """
    cumulative = np.cumsum(closest_sq)
    total = cumulative[-1]
    if not total > 0:
        return rng.integers(0, closest_sq.shape[0], size=size)
    # side="right" never returns a zero-weight point: it needs cumulative[i] > r >= cumulative[i-1].
    ids = np.searchsorted(cumulative, rng.random(size) * total, side="right")
    # r can round up to `total`; the last point with positive weight owns that end of the range.
    return np.minimum(ids, np.flatnonzero(closest_sq)[-1])


def _start_from_random_point(X, k, rng):
    """First step of the seeding rules: a uniformly random data point as centroid 0.

    Returns centroids (k, d) float64 with row 0 set, and closest_sq (n,) float64, each point's
    squared distance to it.
    """
    centroids = np.empty((k, X.shape[1]))
    centroids[0] = X[rng.integers(0, X.shape[0])]
    return centroids, _sq_dist_to_point(X, centroids[0])


def _kmeans_plusplus(X, k, rng, n_trials):
    """D^2 seeding; with n_trials > 1 this is scikit-learn's greedy variant (`_kmeans_plusplus`).

    Returns (k, d) float64 centroids, all of them data points.
    """
    centroids, closest_sq = _start_from_random_point(X, k, rng)
    for c in range(1, k):
        candidates = _d2_sample(closest_sq, rng, n_trials)
        if n_trials == 1:
            best = candidates[0]
            closest_sq = np.minimum(closest_sq, _sq_dist_to_point(X, X[best]))
        else:
            # Potential after adding each candidate; keep the smallest (first one on ties,
            # like np.argmin in scikit-learn).
            diff = X[None, :, :] - X[candidates][:, None, :]
            cand_sq = np.minimum(closest_sq, np.einsum("tij,tij->ti", diff, diff))
            pick = int(np.argmin(cand_sq.sum(axis=1)))
            best, closest_sq = candidates[pick], cand_sq[pick]
        centroids[c] = X[best]
    return centroids


def _farthest_first(X, k, rng):
    """Farthest-first traversal from a uniformly random start; (k, d) float64 data points."""
    centroids, closest_sq = _start_from_random_point(X, k, rng)
    for c in range(1, k):
        far = int(np.argmax(closest_sq))  # argmax returns the first maximum: lowest index on ties
        centroids[c] = X[far]
        np.minimum(closest_sq, _sq_dist_to_point(X, X[far]), out=closest_sq)
    return centroids


# --------------------------------------------------------------------------------------------
# The two half-steps of Lloyd's algorithm
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class CentredPoints:
    """The points, moved once so that their mean is the origin, in the layouts Lloyd needs.

    scikit-learn centres the data the same way before iterating: the expansion
    ``|x - c|^2 = |x|^2 - 2 x.c + |c|^2`` used to find the nearest centroid loses precision
    when the points sit far from the origin.

    Attributes
    ----------
    mean : ndarray of shape (d,), float64
        The mean of the original points; add it back to centred centroids.
    rows : ndarray of shape (d + 2, n), float64
        The centred coordinates as rows (contiguous per coordinate), a row of ones and a row of
        squared norms ``|x|^2``: one matrix product with the first d + 1 rows gives distances,
        another with all of them gives each cluster's sums, size and sum of squared norms.
    """

    mean: np.ndarray
    rows: np.ndarray

    @classmethod
    def of(cls, X: np.ndarray) -> "CentredPoints":
        """Centre `X`, an (n, d) float64 array (not modified)."""
        n, d = X.shape
        mean = X.mean(axis=0)
        rows = np.empty((d + 2, n))
        np.subtract(X.T, mean[:, None], out=rows[:d])
        rows[d] = 1.0
        np.einsum("ij,ij->j", rows[:d], rows[:d], out=rows[d + 1])
        return cls(mean, rows)

    @property
    def points(self) -> np.ndarray:
        """``X - mean``, shape (n, d): a view of the coordinate rows, not a copy."""
        return self.rows[:-2].T


def nearest_with_sums(points: CentredPoints,
                      centroids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Assign every point to its nearest centroid and total up each cluster, in one pass.

    Parameters
    ----------
    points : CentredPoints
        The n points, centred.
    centroids : ndarray of shape (k, d), float64
        The centroids, centred the same way (minus ``points.mean``).

    Returns
    -------
    labels : ndarray of shape (n,), intp
        Index of the nearest centroid; on ties the lowest index wins (as in scikit-learn).
    totals : ndarray of shape (k, d + 2), float64
        Row j, over cluster j's points: the sums of the centred coordinates, the number of
        points, the sum of their squared norms (see `cluster_inertia`).

    Notes
    -----
    Per block of points, up to a per-point constant the squared distance to centroid j is
    ``|c_j|^2 - 2 x.c_j`` (scikit-learn's expansion; a tie means equal computed values, as for
    its argmin): one matrix product (``coef @ rows``) gives it for all centroids. The
    column minimum picks the nearest; ``dist == min`` is a one-hot matrix whose product with
    the block's rows gives the cluster totals, and whose product with ``0..k-1`` gives the
    labels. A point exactly as far from two centroids is then counted twice, which the counts
    reveal; only such a block is corrected to keep the lowest index. Everything runs in a
    handful of numpy calls per block, on block-sized arrays that stay in the CPU cache.
    """
    n = points.rows.shape[1]
    k, d = centroids.shape
    coef = np.empty((k, d + 1))
    np.multiply(centroids, -2.0, out=coef[:, :d])
    np.einsum("ij,ij->i", centroids, centroids, out=coef[:, d])
    index = np.arange(k, dtype=np.float64)
    labels = np.empty(n, dtype=np.intp)
    totals = np.zeros((k, d + 2))
    size = min(n, _BLOCK, max(1, _BLOCK_DISTANCES // k))
    for start in range(0, n, size):
        stop = min(start + size, n)
        block = points.rows[:, start:stop]
        dist, best, onehot, label_value, part = _scratch_arrays(k, d, stop - start)
        np.matmul(coef, block[: d + 1], out=dist)
        np.minimum.reduce(dist, axis=0, out=best)
        np.equal(dist, best, out=onehot)
        np.matmul(onehot, block.T, out=part)
        if part[:, d].sum() != stop - start:  # some point is in two columns: a tie
            _keep_lowest_index(onehot)
            np.matmul(onehot, block.T, out=part)
        np.matmul(index, onehot, out=label_value)
        labels[start:stop] = label_value
        totals += part
    return labels, totals


def cluster_inertia(totals: np.ndarray, centroids: np.ndarray) -> float | None:
    """Inertia of labelled points from their cluster totals, or None where that is imprecise.

    Parameters
    ----------
    totals : ndarray of shape (k, d + 2), float64
        As returned by `nearest_with_sums` (centred sums, counts, sums of squared norms).
    centroids : ndarray of shape (k, d), float64
        Any centroids, centred; cluster j's points are measured against row j.

    Returns
    -------
    float or None
        ``sum_j sum_{x in j} |x - c_j|^2 = sum_j (Q_j - 2 c_j.S_j + n_j |c_j|^2)`` in squared
        units, computed in O(k d) instead of a pass over the points. The subtraction loses
        about ``eps * sum_j Q_j / inertia`` of relative precision; when the clusters are so
        tight that this could exceed ~1e-11 (inertia < 1e-5 of the total squared norm, e.g.
        clusters of identical points) it returns None, and the caller measures exactly with
        `inertia`.
    """
    d = centroids.shape[1]
    sums, counts, squares = totals[:, :d], totals[:, d], totals[:, d + 1]
    per_cluster = (squares - 2.0 * np.einsum("ij,ij->i", centroids, sums)
                   + counts * np.einsum("ij,ij->i", centroids, centroids))
    value = float(per_cluster.sum())
    if not value >= 1e-5 * float(squares.sum()):
        return None
    return value


def _keep_lowest_index(onehot):
    """In a (k, m) 0/1 array, keep each column's first 1 only (in place)."""
    taken = np.zeros(onehot.shape[1], dtype=bool)
    for row in onehot:
        row[taken] = 0.0
        taken |= row.astype(bool)


def _scratch_arrays(k, d, size):
    """Work arrays of `nearest_with_sums` for blocks of `size` points, reused between calls.

    Returns dist (k, size), best (size,), onehot (k, size), label_value (size,) and part
    (k, d + 2), all float64. Writing into fresh memory costs page faults, which at n ~ 1e4 take
    longer than the arithmetic. One set per thread and shape (a run uses two at most: full
    blocks and a short last one).
    """
    cache = getattr(_scratch, "arrays", None)
    if cache is None or len(cache) > 4:
        cache = _scratch.arrays = {}
    arrays = cache.get((k, d, size))
    if arrays is None:
        arrays = cache[k, d, size] = (np.empty((k, size)), np.empty(size), np.empty((k, size)),
                                      np.empty(size), np.empty((k, d + 2)))
    return arrays


def assign(X: np.ndarray, centroids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Assign every point to its nearest centroid (the E-step).

    Parameters
    ----------
    X : ndarray of shape (n, d), float64
        The points.
    centroids : ndarray of shape (k, d), float64
        The centroids, same units as X.

    Returns
    -------
    labels : ndarray of shape (n,), intp
        Index of the nearest centroid; on ties the lowest index wins (as in scikit-learn).
    sq_dist : ndarray of shape (n,), float64
        Squared Euclidean distance from each point to that centroid (units of X, squared),
        computed exactly as ``sum_j (x_j - c_j)**2``.

    `lloyd` centres the points once per run and calls `nearest_with_sums`; this function does
    both for one call.
    """
    points = CentredPoints.of(np.asarray(X, dtype=np.float64))
    labels, _ = nearest_with_sums(points, centroids - points.mean)
    diff = X - centroids[labels]
    return labels, np.einsum("ij,ij->i", diff, diff)


def update(X: np.ndarray, labels: np.ndarray, centroids: np.ndarray, empty_rule: str = "keep",
           rng: np.random.Generator | None = None,
           totals: np.ndarray | None = None) -> np.ndarray:
    """Move every centroid to the mean of its points (the M-step).

    Parameters
    ----------
    X : ndarray of shape (n, d), float64
        The points.
    labels : ndarray of shape (n,), int
        Cluster index of each point, in ``0..k-1``. Not modified.
    centroids : ndarray of shape (k, d), float64
        The centroids the labels were assigned to (the "old" centroids). Not modified.
    empty_rule : {"keep", "farthest", "random"}
        What happens to a centroid that has no points:

        - ``"keep"``: it stays where it was.
        - ``"farthest"``: scikit-learn's rule (``_relocate_empty_clusters_dense``). Take the
          n_empty points farthest from their old centroid; each empty cluster's centroid becomes
          one of those points, and that point is taken out of its own cluster's mean (its label
          is not changed). If every point sits exactly on its old centroid, or a cluster loses its
          only point this way, the still-empty centroid goes to the mean of the largest cluster.
        - ``"random"``: it moves to a uniformly random data point (distinct points when several
          clusters are empty). Needs `rng`.
    rng : numpy.random.Generator, optional
        Only used by ``empty_rule="random"``.
    totals : ndarray of shape (k, d + 1) or (k, d + 2), float64, optional
        Each cluster's coordinate sums and count for these labels (then anything), when already
        known (as `nearest_with_sums` returns them); counted here otherwise. Not modified.

    Returns
    -------
    new_centroids : ndarray of shape (k, d), float64
        Never NaN.

    Notes
    -----
    Deviation from scikit-learn 1.6.1: when a cluster is still empty after relocation and the
    largest cluster has a higher index, scikit-learn copies that cluster's *unnormalised* sum
    (a bug in ``_average_centers``, which averages clusters in index order); here it gets the
    largest cluster's mean, which is what scikit-learn's comment says it intends.
    """
    n, d = X.shape
    k = centroids.shape[0]
    if totals is None:
        weight = np.bincount(labels, minlength=k).astype(np.float64)
        sums = np.empty((k, d))
        for j in range(d):
            sums[:, j] = np.bincount(labels, weights=X[:, j], minlength=k)
    else:  # copies: the empty-cluster rules below change them
        sums, weight = totals[:, :d].copy(), totals[:, d].copy()

    empty = np.flatnonzero(weight == 0)
    if empty.size and empty_rule == "farthest":
        # Same expressions as scikit-learn, so ties among equally far points break the same way.
        distances = ((X - centroids[labels]) ** 2).sum(axis=1)
        if distances.max() > 0:
            n_empty = empty.size
            far = np.argpartition(distances, -n_empty)[: -n_empty - 1 : -1]
            # Old clusters are never empty ones, so these subtractions and the writes below
            # touch different rows; subtract.at applies repeats in order, as sklearn's loop does.
            np.subtract.at(sums, labels[far], X[far])
            np.subtract.at(weight, labels[far], 1.0)
            sums[empty] = X[far]
            weight[empty] = 1.0
    elif empty.size and empty_rule == "random":
        picks = rng.choice(n, size=empty.size, replace=empty.size > n)
        sums[empty] = X[picks]
        weight[empty] = 1.0

    new = np.empty((k, d))
    filled = weight > 0
    # Multiply by the reciprocal like scikit-learn's _average_centers, to agree to the last bit
    # more often (a label can flip on a last-bit difference in a near tie).
    new[filled] = sums[filled] * (1.0 / weight[filled])[:, None]
    still_empty = ~filled
    if still_empty.any():
        if empty_rule == "keep":
            new[still_empty] = centroids[still_empty]
        else:
            new[still_empty] = new[np.argmax(weight)]
    return new


def inertia(X: np.ndarray, labels: np.ndarray, centroids: np.ndarray) -> float:
    """Sum of squared distances from each point to its assigned centroid.

    Parameters
    ----------
    X : ndarray of shape (n, d), float64
    labels : ndarray of shape (n,), int
        Cluster index of each point, in ``0..k-1``.
    centroids : ndarray of shape (k, d), float64

    Returns
    -------
    float
        In squared units of X.
    """
    diff = X - centroids[labels]
    return float(np.einsum("ij,ij->", diff, diff))


def tolerance(X: np.ndarray, tol: float) -> float:
    """scikit-learn's absolute tolerance for the centre shift: ``mean(var(X, axis=0)) * tol``.

    Parameters
    ----------
    X : ndarray of shape (n, d), float64
    tol : float
        Relative tolerance, >= 0.

    Returns
    -------
    float
        In squared units of X; exactly 0.0 when ``tol == 0``.
    """
    if tol == 0:
        return 0.0
    return float(np.mean(np.var(X, axis=0)) * tol)


# --------------------------------------------------------------------------------------------
# Recorded run
# --------------------------------------------------------------------------------------------


# eq=False: the generated __eq__ would compare arrays element-wise and fail on `bool(...)`;
# steps and runs compare by identity instead.
@dataclass(frozen=True, eq=False)
class Step:
    """One recorded half-step of Lloyd's algorithm (an animation frame's worth of state).

    Attributes
    ----------
    kind : str
        ``"init"``, ``"assign"`` or ``"update"``.
    iteration : int
        0 for ``"init"``; the Lloyd iteration 1..n_iter otherwise.
    labels : ndarray of shape (n,), intp, read-only
        All -1 for ``"init"`` (nothing assigned yet).
    centroids : ndarray of shape (k, d), float64, read-only
        The centroids in effect after this half-step.
    inertia : float
        Sum of squared distances of the points to their centroid; for ``"init"`` to the
        nearest initial centroid. Always finite.
    changed : int
        ``"assign"``: points whose label differs from the previous assignment (n for the
        first); 0 otherwise.
    shift : float
        ``"update"``: sum over clusters of the squared centroid displacement (scikit-learn's
        ``center_shift_tot``); 0.0 otherwise.
    """

    kind: str
    iteration: int
    labels: np.ndarray
    centroids: np.ndarray
    inertia: float
    changed: int
    shift: float


@dataclass(frozen=True, eq=False)
class Run:
    """A complete run of Lloyd's algorithm.

    Attributes
    ----------
    steps : tuple of Step
        init, assign 1, update 1, assign 2, update 2, ... and, unless the run converged, a final
        assign with the final centroids.
    labels : ndarray of shape (n,), intp
        Final labels.
    centroids : ndarray of shape (k, d), float64
        Final centroids.
    inertia : float
        Final inertia.
    n_iter : int
        Lloyd iterations run (scikit-learn's ``n_iter_``).
    stop_reason : str
        One of `STOP_REASONS`.
    """

    steps: tuple[Step, ...]
    labels: np.ndarray
    centroids: np.ndarray
    inertia: float
    n_iter: int
    stop_reason: str


def _frozen(a):
    """Mark an array made here (never the caller's) read-only: a recorded step cannot change."""
    a.setflags(write=False)
    return a


def lloyd(X, initial_centroids, max_iter: int = 10, tol: float = 0.0, empty_rule: str = "keep",
          rng: np.random.Generator | None = None) -> Run:
    """Run Lloyd's algorithm and record every half-step.

    Each iteration assigns every point to its nearest centroid, then moves every centroid to
    the mean of its points. It stops at the first of:

    - ``"converged"``: the labels equal the previous iteration's labels (never on the first
      iteration). This stop also wins when it happens on iteration `max_iter`.
    - ``"tol"``: the centre shift (sum of squared displacements) is <= ``tolerance(X, tol)``.
      With ``tol=0`` this still stops when no centroid moved at all, as in scikit-learn.
    - ``"max_iter"``: `max_iter` iterations were run.

    The original notebook stops instead when the new centroids equal the old ones. With
    ``tol=0`` that is the same iteration: equal labels give equal means, and on the first
    iteration (no previous labels) an unmoved set of centroids stops through ``"tol"``. (Equal
    means from different labels would need an exact coincidence of sums.)

    Except after ``"converged"``, the labels are assigned once more to the final centroids (as
    scikit-learn does), recorded as an extra ``"assign"`` step with ``iteration = n_iter``.

    Parameters
    ----------
    X : array_like of shape (n, d)
        The points.
    initial_centroids : array_like of shape (k, d)
        The starting centroids, e.g. from `init_centroids`. Not modified.
    max_iter : int, default 10
        Maximum number of iterations, >= 1.
    tol : float, default 0.0
        Relative tolerance on the centre shift, >= 0 (see `tolerance`).
    empty_rule : {"keep", "farthest", "random"}, default "keep"
        What to do with a centroid that loses all its points (see `update`). Use "farthest"
        to match scikit-learn.
    rng : numpy.random.Generator, optional
        Required for ``empty_rule="random"``.

    Returns
    -------
    Run
        The recorded steps and the final state. Every step holds its own read-only arrays; the
        memory is O(n_iter * n), which suits animation sizes.

    Raises
    ------
    ValueError
        For mismatched shapes, non-finite values, unknown `empty_rule`, ``max_iter < 1``,
        ``tol < 0``, or ``empty_rule="random"`` without `rng`.
    """
    X = np.ascontiguousarray(X, dtype=np.float64)
    centroids = np.array(initial_centroids, dtype=np.float64, copy=True)
    if X.ndim != 2 or X.shape[0] < 1:
        raise ValueError(f"expected a non-empty (n, d) array of points, got shape {X.shape}")
    if centroids.ndim != 2 or centroids.shape[0] < 1 or centroids.shape[1] != X.shape[1]:
        raise ValueError(
            f"initial centroids must have shape (k, {X.shape[1]}), got {centroids.shape}"
        )
    if not (np.isfinite(X).all() and np.isfinite(centroids).all()):
        raise ValueError("points and centroids must be finite numbers (no NaN or infinity)")
    if empty_rule not in EMPTY_RULES:
        raise ValueError(
            f"unknown empty-cluster rule {empty_rule!r}; choose one of: {', '.join(EMPTY_RULES)}"
        )
    if isinstance(max_iter, bool) or int(max_iter) != max_iter or max_iter < 1:
        raise ValueError(f"max_iter must be a whole number of at least 1, got {max_iter}")
    if not tol >= 0:
        raise ValueError(f"tol must be zero or positive, got {tol}")
    if empty_rule == "random" and rng is None:
        raise ValueError("empty_rule='random' needs a random generator (rng)")

    n = X.shape[0]
    tol_abs = tolerance(X, tol)
    # Iterate on centred points and centroids, as scikit-learn does (same rounding, and the
    # distance expansion keeps its precision far from the origin); the record is uncentred.
    points = CentredPoints.of(X)
    Xc, mean = points.points, points.mean
    current = centroids - mean

    def recorded(centred):
        return _frozen(centred + mean)

    def measured(labels, totals, centred):
        value = cluster_inertia(totals, centred)
        return inertia(Xc, labels, centred) if value is None else value

    # The init step's inertia needs the first assignment anyway; iteration 1 reuses it.
    labels, totals = nearest_with_sums(points, current)
    assigned_inertia = measured(labels, totals, current)
    steps = [
        Step("init", 0, _frozen(np.full(n, -1, dtype=np.intp)), _frozen(centroids),
             assigned_inertia, 0, 0.0)
    ]

    labels_old = None
    stop_reason = "max_iter"
    for i in range(1, int(max_iter) + 1):
        if i > 1:
            labels, totals = nearest_with_sums(points, current)
            assigned_inertia = measured(labels, totals, current)
        changed = n if labels_old is None else int(np.count_nonzero(labels != labels_old))
        labels = _frozen(labels)
        steps.append(
            Step("assign", i, labels, steps[-1].centroids, assigned_inertia, changed, 0.0)
        )

        new = update(Xc, labels, current, empty_rule, rng, totals)
        # scikit-learn's center_shift_tot: per-cluster Euclidean shift, then the sum of squares.
        shift = float((np.sqrt(((new - current) ** 2).sum(axis=1)) ** 2).sum())
        current = new
        steps.append(Step("update", i, labels, recorded(current),
                          measured(labels, totals, current), 0, shift))

        if changed == 0:  # labels_old is None gives changed == n >= 1, so never on iteration 1
            stop_reason = "converged"
            break
        if shift <= tol_abs:
            stop_reason = "tol"
            break
        labels_old = labels
    n_iter = i

    if stop_reason != "converged":
        # Final E-step so that the labels belong to the final centroids (scikit-learn does it).
        final, totals = nearest_with_sums(points, current)
        changed = int(np.count_nonzero(final != labels))
        steps.append(Step("assign", n_iter, _frozen(final), steps[-1].centroids,
                          measured(final, totals, current), changed, 0.0))

    last = steps[-1]
    return Run(tuple(steps), last.labels, last.centroids, last.inertia, n_iter, stop_reason)
