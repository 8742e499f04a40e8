"""Lloyd's k-means algorithm as pure numpy functions: init, assign, update, inertia.

Everything here imports only numpy and the standard library, because the same file runs in
CPython and inside the page (Pyodide), where scikit-learn and scipy are not shipped.

The numeric core (`assign`, `update`, `inertia`, `tolerance`) assumes valid input: arrays of
float64 with matching shapes and no NaN. Validation happens once, at the public entry points
`init_centroids` and `lloyd`, as in scikit-learn.

`lloyd` reproduces scikit-learn's ``_kmeans_single_lloyd`` (version 1.6.1) step for step: the same
labels, the same centroids (to rounding), the same number of iterations and the same stopping
rule, so ``KMeans(init=C0, n_init=1, algorithm="lloyd")`` is a test oracle for it.

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
    "assign",
    "update",
    "inertia",
    "tolerance",
    "lloyd",
]

INIT_METHODS = ("random", "k-means++", "greedy-k-means++", "farthest", "uniform")
EMPTY_RULES = ("keep", "farthest", "random")
STOP_REASONS = ("converged", "tol", "max_iter")

# Points handled per block in `assign`. Large enough that numpy's per-call overhead is small,
# small enough that the few block-sized temporaries stay in the CPU cache for n = 1e6.
_BLOCK = 32768

# Scratch arrays of `assign`, kept between calls (one set per thread). Writing into freshly
# allocated memory costs page faults, which at n ~ 1e4 take longer than the arithmetic.
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
        Squared Euclidean distance from each point to that centroid (units of X, squared).

    Notes
    -----
    The choice of centroid uses scikit-learn's formulation: up to a per-point constant, the
    squared distance to centroid j is ``|c_j|^2 - 2 x.c_j``, which one matrix product per
    block gives for all centroids at once (here with a row of ones appended to the points, so
    the product also adds ``|c_j|^2``). A tie means equal computed values, as for
    scikit-learn's argmin. To keep the precision of that expansion when the data sit far from
    the origin, points and centroids are first shifted by the mean of the centroids (scikit-learn
    shifts by the mean of the data). ``sq_dist`` is then computed exactly, as
    ``sum_j (x_j - c_j)**2``, for the chosen centroid only. The loop keeps only block-sized
    temporaries, so they stay in cache.
    """
    n, d = X.shape
    k = centroids.shape[0]
    labels = np.empty(n, dtype=np.intp)
    sq_dist = np.empty(n, dtype=np.float64)
    size = min(n, _BLOCK)
    # Labels of a block in the narrowest unsigned type that holds k - 1 (uint8 up to k = 256):
    # the label operations per centroid then move 8x less memory than with intp.
    label_type = np.min_scalar_type(k - 1)
    cols, dist, closer, block_label, candidate, gathered = _scratch_arrays(d, k, size, label_type)
    shift = centroids.mean(axis=0)
    shifted = centroids - shift
    # Row j of `coef` times a point's column (x - shift, 1) is |c_j|^2 - 2 x.c_j (shifted).
    coef = np.empty((k, d + 1))
    np.multiply(shifted, -2.0, out=coef[:, :d])
    np.einsum("ij,ij->i", shifted, shifted, out=coef[:, d])
    for start in range(0, n, size):
        stop = min(start + size, n)
        m = stop - start
        if m == size:
            block_cols, block_dist = cols, dist
        else:  # short last block: contiguous arrays of its own size for the matrix product
            block_cols, block_dist = np.empty((d + 1, m)), np.empty((k, m))
            block_cols[d] = 1.0
        best_label = block_label[:m]
        if k == 1:
            best_label.fill(0)
        else:
            np.subtract(X[start:stop].T, shift[:, None], out=block_cols[:d])
            np.matmul(coef, block_cols, out=block_dist)
            best = block_dist[0]  # overwritten in place: row 0 becomes the running minimum
            best_label.fill(0)
            for j in range(1, k):
                row = block_dist[j]
                # Strictly smaller only, so an earlier (lower) index keeps a tie.
                np.less(row, best, out=closer[:m])
                np.minimum(best, row, out=best)
                # j exceeds every label seen so far, so max(label, j * closer) sets j exactly
                # where closer is true: cheaper than a masked assignment.
                np.multiply(closer[:m], label_type.type(j), out=candidate[:m])
                np.maximum(best_label, candidate[:m], out=best_label)
        block_labels = labels[start:stop]
        block_labels[:] = best_label
        # Exact squared distance to the chosen centroid, coordinate by coordinate: gather the
        # chosen centroids as rows (mode="clip" skips the error path; labels are in range).
        diff = gathered[:m]
        np.take(centroids, block_labels, axis=0, out=diff, mode="clip")
        np.subtract(X[start:stop], diff, out=diff)
        np.multiply(diff, diff, out=diff)
        out = sq_dist[start:stop]
        np.copyto(out, diff[:, 0])
        for j in range(1, d):
            np.add(out, diff[:, j], out=out)
    return labels, sq_dist


def _scratch_arrays(d, k, size, label_type):
    """Work arrays for `assign` for blocks of `size` points, reused between calls.

    Returns cols (d + 1, size) float64 (a block's shifted coordinates, contiguous per
    coordinate, then a row of ones), dist (k, size) float64, closer (size,) bool, block_label
    and candidate (size,) of `label_type`, gathered (size, d) float64.
    """
    arrays = getattr(_scratch, "arrays", None)
    if (arrays is None or arrays[0].shape != (d + 1, size) or arrays[1].shape[0] != k
            or arrays[3].dtype != label_type):
        cols = np.empty((d + 1, size))
        cols[d] = 1.0
        arrays = (cols, np.empty((k, size)), np.empty(size, dtype=bool),
                  np.empty(size, dtype=label_type), np.empty(size, dtype=label_type),
                  np.empty((size, d)))
        _scratch.arrays = arrays
    return arrays


def update(X: np.ndarray, labels: np.ndarray, centroids: np.ndarray, empty_rule: str = "keep",
           rng: np.random.Generator | None = None) -> np.ndarray:
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
    weight = np.bincount(labels, minlength=k).astype(np.float64)
    sums = np.empty((k, d))
    for j in range(d):
        sums[:, j] = np.bincount(labels, weights=X[:, j], minlength=k)

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
    # The init step's inertia needs the first assignment anyway; iteration 1 reuses it.
    labels, sq_dist = assign(X, centroids)
    steps = [
        Step("init", 0, _frozen(np.full(n, -1, dtype=np.intp)), _frozen(centroids),
             float(sq_dist.sum()), 0, 0.0)
    ]

    labels_old = None
    stop_reason = "max_iter"
    for i in range(1, int(max_iter) + 1):
        if i > 1:
            labels, sq_dist = assign(X, centroids)
        changed = n if labels_old is None else int(np.count_nonzero(labels != labels_old))
        labels = _frozen(labels)
        steps.append(
            Step("assign", i, labels, steps[-1].centroids, float(sq_dist.sum()), changed, 0.0)
        )

        new = update(X, labels, centroids, empty_rule, rng)
        # scikit-learn's center_shift_tot: per-cluster Euclidean shift, then the sum of squares.
        shift = float((np.sqrt(((new - centroids) ** 2).sum(axis=1)) ** 2).sum())
        centroids = _frozen(new)
        steps.append(Step("update", i, labels, centroids, inertia(X, labels, centroids), 0, shift))

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
        final, sq_dist = assign(X, centroids)
        changed = int(np.count_nonzero(final != labels))
        steps.append(
            Step("assign", n_iter, _frozen(final), centroids, float(sq_dist.sum()), changed, 0.0)
        )

    last = steps[-1]
    return Run(tuple(steps), last.labels, last.centroids, last.inertia, n_iter, stop_reason)
