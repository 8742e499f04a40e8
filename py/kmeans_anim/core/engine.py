"""Lloyd's k-means algorithm as pure numpy functions: init, assign, update, inertia.

Everything here imports only numpy and the standard library (and `data.MAX_ABS`), because the
same file runs in CPython and inside the page (Pyodide), where scikit-learn and scipy are not
shipped.

The numeric core (`CentredPoints`, `nearest_with_sums`, `cluster_inertia`, `assign`, `update`,
`inertia`, `tolerance`) assumes valid input: arrays of float64 with matching shapes and no NaN.
Validation happens once, at the public entry points `init_centroids`, `LloydStepper` and
`lloyd`, as in scikit-learn.

`lloyd` reproduces scikit-learn's ``_kmeans_single_lloyd`` (version 1.6.1) step for step: the same
labels, the same centroids (to rounding), the same number of iterations and the same stopping
rule, so ``KMeans(init=C0, n_init=1, algorithm="lloyd")`` is a test oracle for it. Like
scikit-learn it iterates on centred data, and one pass per iteration (`nearest_with_sums`) gives
the labels, the cluster sums for the update and what the inertia needs. `LloydStepper` computes
the same run one iteration at a time, so the page can draw between iterations.

Any finite coordinates work, tiny (1e-300) or large (up to ``data.MAX_ABS`` = 1e100): the
centred points are also scaled by an exact power of two so that their largest coordinate is
about 1 (squares neither overflow nor underflow, and every result is bit for bit what it would
be unscaled on ordinary data), and a point nearly as close to two centroids is settled from
its coordinate differences, so labels are always the truly nearest recorded centroid.

Example
-------
>>> import numpy as np
>>> from kmeans_anim.core import engine
>>> X = np.array([[0.0, 0.0], [1.0, 0.0], [5.0, 0.0], [6.0, 0.0]])
>>> run = engine.lloyd(X, initial_centroids=X[:2])
>>> run.centroids.tolist(), run.n_iter, run.stop_reason
([[0.5, 0.0], [5.5, 0.0]], 3, 'converged')
>>> [(s.kind, s.iteration) for s in run.steps][:3]
[('init', 0), ('assign', 1), ('update', 1)]
>>> stepper = engine.LloydStepper(X, X[:2])        # the same run, one iteration per call
>>> while not stepper.finished:
...     new_steps = stepper.advance()
>>> stepper.run().n_iter
3
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass

import numpy as np

from .choices import DRAWN_INITS, EMPTY_RULES, INITS, Pick
from .data import MAX_ABS, run_pieces

__all__ = [
    "STOP_REASONS",
    "Step",
    "Run",
    "LloydStepper",
    "Pick",
    "init_centroids",
    "init_in_pieces",
    "count_distinct",
    "label_dtype",
    "CentredPoints",
    "nearest_with_sums",
    "cluster_inertia",
    "assign",
    "update",
    "inertia",
    "tolerance",
    "lloyd",
]

STOP_REASONS = ("converged", "tol", "max_iter")

# Points per block in `nearest_with_sums`: at most _BLOCK, and at most _BLOCK_DISTANCES / k so
# that the two (k, block) float64 work arrays (1 MB each) stay in a 2 MB L2 cache. Large enough
# that numpy's per-call overhead is small next to the work.
_BLOCK = 65536
_BLOCK_DISTANCES = 131072

# Unit roundoff of float64: a rounded result is within a factor (1 +- _UNIT) of the exact one.
_UNIT = 2.0**-53
# A sum of squares below this may have lost digits to underflow (a square below 2**-1022 does).
_UNDERFLOW_RISK = 2.0**-900

# Scratch arrays of `nearest_with_sums`, kept between calls (per thread; see _scratch_arrays).
_scratch = threading.local()


# --------------------------------------------------------------------------------------------
# Exact powers of two, label types, validation
# --------------------------------------------------------------------------------------------


def _exponent_for(magnitude: float) -> int:
    """The s for which ``magnitude * 2**s`` lies in [0.5, 1); 0 for a magnitude of 0."""
    return 0 if magnitude == 0 else -math.frexp(magnitude)[1]


def _times_power_of_two(a, s: int, out=None):
    """``a * 2**s``, exactly (unless the result is subnormal). Multiplying is 5x faster than
    np.ldexp; ldexp is only needed when 2**s itself is not a normal float64."""
    if -1022 <= s <= 1023:
        return np.multiply(a, 2.0**s, out=out)
    return np.ldexp(a, s, out=out)


def label_dtype(k: int) -> np.dtype:
    """The smallest signed integer type holding the labels -1..k-1: int8 up to k = 128.

    Recorded labels use it: a run at a million points keeps one byte per point and iteration.
    """
    for dtype, largest in _LABEL_TYPES:
        if k - 1 <= largest:
            return dtype
    return np.dtype(np.int64)


# (dtype, largest value) from the smallest up; np.iinfo is slow enough to matter per call.
_LABEL_TYPES = tuple((np.dtype(t), int(np.iinfo(t).max)) for t in (np.int8, np.int16, np.int32))


def _checked_points(X, name="points"):
    """X as a float64 (n, d) array, n >= 1, finite and within MAX_ABS; ValueError otherwise."""
    X = np.ascontiguousarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[0] < 1:
        raise ValueError(f"expected a non-empty (n, d) array of {name}, got shape {X.shape}")
    if X.size:
        largest = max(float(X.max()), -float(X.min()))
        if not largest <= MAX_ABS:
            if not np.isfinite(X).all():
                raise ValueError(
                    f"{name} must be finite numbers (no NaN or infinity)")
            raise ValueError(
                f"{name} must lie between -{MAX_ABS:g} and {MAX_ABS:g} (data.MAX_ABS); "
                f"one coordinate is {largest:g} away from 0")
    return X


# --------------------------------------------------------------------------------------------
# Initialisation
# --------------------------------------------------------------------------------------------


def init_centroids(X, k: int, method: str, rng: np.random.Generator) -> np.ndarray:
    """Choose k initial centroids for Lloyd's algorithm.

    Parameters
    ----------
    X : array_like of shape (n, d)
        The data points (any units; the page uses plot units), finite, within MAX_ABS.
    k : int
        Number of centroids, ``1 <= k <= n``.
    method : str
        One of `choices.DRAWN_INITS` (the initialisations with a pick function); that
        function's docstring, in `choices`, says how it picks.
    rng : numpy.random.Generator
        Source of randomness; the same seed gives the same centroids.

    Returns
    -------
    centroids : ndarray of shape (k, d), float64

    Raises
    ------
    ValueError
        For an unknown method, a k outside ``1..n``, points that are not finite or beyond
        MAX_ABS, or (``"farthest"``) fewer than k distinct points.

    Notes
    -----
    The squared distances of the D^2 methods are taken on the points scaled by an exact power
    of two (largest coordinate about 1), so that they neither overflow nor underflow; the
    picks are the same as unscaled wherever unscaled arithmetic is exact enough. When every
    point coincides with a chosen centre (all D^2 weights are zero, e.g. identical points),
    the D^2 methods fall back to a uniform choice instead of dividing by zero.

    `init_in_pieces` computes the same centroids one pick at a time, showing each pick.
    """
    return run_pieces(init_in_pieces(X, k, method, rng))


def init_in_pieces(X, k: int, method: str, rng: np.random.Generator):
    """`init_centroids` as a generator: the same centroids from the same rng, bit for bit.

    For "k-means++", "greedy-k-means++" and "farthest" it yields one `Pick` per centroid,
    after computing it (k yields; each costs O(n d), greedy O(n d (2 + ln k))). "random" and
    "uniform" yield nothing. It returns the centroids, an ndarray of shape (k, d), float64.
    Arguments and errors as `init_centroids` (raised at the first ``next``).
    """
    if method not in DRAWN_INITS:
        raise ValueError(
            f"unknown initialisation method {method!r}; choose one of: {', '.join(DRAWN_INITS)}"
        )
    X = _checked_points(X)
    n = X.shape[0]
    if isinstance(k, bool) or int(k) != k or not 1 <= k <= n:
        raise ValueError(
            f"k must be a whole number between 1 and the number of points ({n}), got {k}"
        )

    def scaled():
        # X * 2**s: the same picks as on X (every product and sum scales exactly), without
        # overflow or underflow whatever the magnitude of X. Returns (X * 2**s, s).
        exponent = _exponent_for(max(float(X.max()), -float(X.min())))
        return _times_power_of_two(X, exponent), exponent

    return (yield from INITS[method].pick(X, int(k), rng, scaled))


def count_distinct(X, at_most: int) -> int:
    """Number of different rows of X (n, d), counting no further than `at_most`.

    ``min(at_most, len(np.unique(X, axis=0)))`` in O(at_most * n) time instead of a sort
    (np.unique takes about a second at a million points; this a few ms per row found).
    """
    X = np.ascontiguousarray(X, dtype=np.float64)
    if X.shape[1] == 2:
        # One complex number per point: one comparison per row, 10x faster (-0.0 == 0.0 still).
        X = X.view(np.complex128)[:, 0]
    unseen = np.ones(X.shape[0], dtype=bool)
    count = 0
    while count < at_most:
        first = int(np.argmax(unseen))
        if not unseen[first]:
            break
        count += 1
        differs = X != X[first]
        unseen &= differs if differs.ndim == 1 else differs.any(axis=1)
    return count


# --------------------------------------------------------------------------------------------
# The two half-steps of Lloyd's algorithm
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class CentredPoints:
    """The points moved so that their mean is the origin and scaled by 2**exponent, in the
    layouts Lloyd needs.

    scikit-learn centres the data the same way before iterating: the expansion
    ``|x - c|^2 = |x|^2 - 2 x.c + |c|^2`` used to find the nearest centroid loses precision
    when the points sit far from the origin. The exact power of two brings the largest
    centred coordinate (of the points and of the centroids given to `of`) into [0.5, 1), so
    squared distances neither overflow (points near 1e100) nor underflow (points near 1e-300),
    and changes no rounding: in this frame every result is the unscaled one times a power of 2.

    Attributes
    ----------
    original : ndarray of shape (n, d), float64
        The points as given (not a copy): near ties are settled on them.
    mean : ndarray of shape (d,), float64
        The mean of the original points.
    exponent : int
        s: coordinates here are ``(x - mean) * 2**s``. Squared units scale by ``4**s``.
    rows : ndarray of shape (d + 2, n), float64
        The centred, scaled coordinates as rows (contiguous per coordinate), a row of ones and
        a row of squared norms ``|x|^2``: one matrix product with the first d + 1 rows gives
        distances, another with all of them gives each cluster's sums, size and sum of
        squared norms.
    max_sq_norm : float
        The largest squared norm (bounds the rounding error of the expansion).
    """

    original: np.ndarray
    mean: np.ndarray
    exponent: int
    rows: np.ndarray
    max_sq_norm: float

    @classmethod
    def of(cls, X: np.ndarray, centroids: np.ndarray | None = None) -> "CentredPoints":
        """Centre and scale `X`, an (n, d) float64 array (not modified).

        `centroids` (k, d), if given, are taken into account for the scale, so that they too
        have centred coordinates below 1 in absolute value (as their means then always do).
        """
        n, d = X.shape
        mean = X.mean(axis=0)
        rows = np.empty((d + 2, n))
        coords = rows[:d]
        np.subtract(X.T, mean[:, None], out=coords)
        magnitude = max(float(coords.max()), -float(coords.min()))
        if centroids is not None:
            magnitude = max(magnitude, float(np.abs(centroids - mean).max()))
        exponent = _exponent_for(magnitude)
        if exponent:
            _times_power_of_two(coords, exponent, out=coords)
        rows[d] = 1.0
        np.einsum("ij,ij->j", coords, coords, out=rows[d + 1])
        return cls(X, mean, exponent, rows, float(rows[d + 1].max()))

    @property
    def points(self) -> np.ndarray:
        """``(X - mean) * 2**exponent``, shape (n, d): a view of the coordinate rows."""
        return self.rows[:-2].T

    def centre(self, C: np.ndarray) -> np.ndarray:
        """Points or centroids C (k, d) in this frame: ``(C - mean) * 2**exponent``."""
        return _times_power_of_two(np.asarray(C, dtype=np.float64) - self.mean, self.exponent)

    def uncentre(self, C: np.ndarray) -> np.ndarray:
        """Back from this frame to the original units: ``C * 2**-exponent + mean``."""
        return _times_power_of_two(C, -self.exponent) + self.mean

    def unscale_squared(self, value: float) -> float:
        """A squared quantity (inertia, shift) of this frame in the original squared units."""
        return math.ldexp(value, -2 * self.exponent)


def nearest_with_sums(points: CentredPoints, centroids: np.ndarray,
                      shown: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Assign every point to its nearest centroid and total up each cluster, in one pass.

    Parameters
    ----------
    points : CentredPoints
        The n points, centred and scaled.
    centroids : ndarray of shape (k, d), float64
        The centroids in the same frame (``points.centre(C)``).
    shown : ndarray of shape (k, d), float64, optional
        The same centroids in the original units, as recorded and drawn (C itself, which
        ``points.centre`` rounds); ``points.uncentre(centroids)`` if not given. Labels are
        the nearest of these to the original points.

    Returns
    -------
    labels : ndarray of shape (n,), `label_dtype(k)` (int8 for k <= 128)
        Index of the nearest centroid; on ties the lowest index wins (as in scikit-learn).
    totals : ndarray of shape (k, d + 2), float64
        Row j, over cluster j's points: the sums of the coordinates (in the frame), the number
        of points, the sum of their squared norms (see `cluster_inertia`).

    Notes
    -----
    Per block of points, up to a per-point constant the squared distance to centroid j is
    ``|c_j|^2 - 2 x.c_j`` (scikit-learn's expansion): one matrix product (``coef @ rows``)
    gives it for all centroids, and the column minimum picks the nearest. That expansion, and
    the rounding of the frame itself, err by up to ``bound`` (a few units of rounding of
    ``|c|^2 + |x| |c|``, and of the original coordinates in the frame), so every centroid
    within ``bound`` of the minimum could be the nearest: ``dist <= min + bound`` is a
    one-hot matrix whose product with the block's rows gives the cluster totals and whose
    product with ``0..k-1`` gives the labels. A point with two candidates (an exact or near
    tie, which the counts reveal) is settled by its distances to them computed from the
    original coordinates (`_exact_nearest`; ties to the lowest index), so labels are the true
    nearest of the `shown` centroids, even for clusters of nearly identical points. On
    ordinary data no point comes that close to a tie and the labels are scikit-learn's.
    Everything runs in a handful of numpy calls per block, on block-sized arrays that stay in
    the CPU cache.
    """
    return run_pieces(_nearest_in_pieces(points, centroids, shown, None))


def _nearest_in_pieces(points: CentredPoints, centroids: np.ndarray,
                       shown: np.ndarray | None, piece: int | None):
    """`nearest_with_sums` as a generator that yields after every `piece` points or so (never,
    if None) and returns (labels, totals): the page computes a pass over a million points in
    pieces, with a paint or a click answered between them."""
    n = points.rows.shape[1]
    k, d = centroids.shape
    coef = np.empty((k, d + 1))
    np.multiply(centroids, -2.0, out=coef[:, :d])
    np.einsum("ij,ij->i", centroids, centroids, out=coef[:, d])
    if shown is None:
        shown = points.uncentre(centroids)
    c_size = math.sqrt(float(coef[:, d].max()))
    x_size = math.sqrt(points.max_sq_norm)
    # How far apart two computed distances can be from the order of the true ones, a factor
    # 2 to spare: each of the d + 1 products and sums of the expansion rounds, on terms at
    # most |c|^2 and 2 |x| |c|; and each coordinate in the frame is off the original one
    # (x - mean rounded; a shown centroid is rounded from, or to, the frame's) by one unit of
    # rounding of |x|, |c| or |shown|, which moves a squared distance by 2 |x - c| times that.
    shown_size = math.sqrt(d) * math.ldexp(float(np.abs(shown).max()), points.exponent)
    bound = 8 * _UNIT * ((d + 2) * (c_size**2 + c_size * x_size)
                         + math.sqrt(d) * (x_size + c_size) * (x_size + c_size + shown_size))
    index = np.arange(k, dtype=np.float64)
    labels = np.empty(n, dtype=label_dtype(k))
    totals = np.zeros((k, d + 2))
    size = min(n, _BLOCK, max(1, _BLOCK_DISTANCES // k))
    since_pause = 0
    for start in range(0, n, size):
        if piece is not None and since_pause >= piece:
            since_pause = 0
            yield
        since_pause += size
        stop = min(start + size, n)
        block = points.rows[:, start:stop]
        dist, best, onehot, label_value, part = _scratch_arrays(k, d, stop - start)
        np.matmul(coef, block[: d + 1], out=dist)
        np.minimum.reduce(dist, axis=0, out=best)
        best += bound
        np.less_equal(dist, best, out=onehot)
        np.matmul(onehot, block.T, out=part)
        if part[:, d].sum() != stop - start:  # some point has two candidates
            _settle_ties(onehot, points.original[start:stop], shown)
            np.matmul(onehot, block.T, out=part)
        np.matmul(index, onehot, out=label_value)
        labels[start:stop] = label_value
        totals += part
    return labels, totals


def _settle_ties(onehot, X, centroids):
    """Keep one candidate per column of the (k, m) 0/1 `onehot`: the exactly nearest centroid.

    X (m, d) are the block's points, centroids (k, d) in the same units. In place.
    """
    tied = np.flatnonzero(onehot.sum(axis=0) > 1)
    candidates = onehot[:, tied].T > 0
    nearest = _exact_nearest(X[tied], centroids, candidates)
    onehot[:, tied] = 0.0
    onehot[nearest, tied] = 1.0


def _exact_nearest(x, centroids, candidates):
    """Index of the nearest candidate centroid of each point, from the differences themselves.

    x (m, d) points, centroids (k, d) in the same units (at most 2 * MAX_ABS apart),
    candidates (m, k) bool with at least one True per row. Returns (m,) intp; ties go to the
    lowest index.

    Candidates are compared in turn with the best so far, b, through
    ``|x - b|^2 - |x - j|^2 = sum_i (j_i - b_i) ((x_i - b_i) + (x_i - j_i))``, whose terms
    vanish exactly where b and j share a coordinate, so that a coordinate that is equal for
    both cannot drown the others (equal x = 1e90 and y 1e-90 apart: a sum of squares would
    round the y terms away). Both factors are scaled by powers of two to a largest entry of
    about 1, so the products neither overflow nor underflow. The answer is exact up to one
    rounding of each coordinate difference.
    """
    m, k = candidates.shape
    best = np.argmax(candidates, axis=1)                                # the first candidate
    for j in range(1, k):
        rows = np.flatnonzero(candidates[:, j] & (best < j))
        if rows.size == 0:
            continue
        b = best[rows]
        towards = _unit_rows(centroids[j] - centroids[b])               # (r, d): b -> j
        around = _unit_rows((x[rows] - centroids[b]) + (x[rows] - centroids[j]))
        # |x - b|^2 - |x - j|^2 > 0: centroid j is nearer than the best so far.
        gain = np.einsum("ij,ij->i", towards, around)
        best[rows[gain > 0]] = j
    return best


def _unit_rows(a):
    """Each row of the (r, d) array `a` times the power of two that brings its largest entry
    into [0.5, 1) (rows of zeros stay zero): the sign of a row's dot product is kept."""
    return np.ldexp(a, -np.frexp(np.abs(a).max(axis=1))[1][:, None])


def cluster_inertia(totals: np.ndarray, centroids: np.ndarray) -> float | None:
    """Inertia of labelled points from their cluster totals, or None where that is imprecise.

    Parameters
    ----------
    totals : ndarray of shape (k, d + 2), float64
        As returned by `nearest_with_sums` (sums, counts, sums of squared norms).
    centroids : ndarray of shape (k, d), float64
        Any centroids, in the same frame; cluster j's points are measured against row j.

    Returns
    -------
    float or None
        ``sum_j sum_{x in j} |x - c_j|^2 = sum_j (Q_j - 2 c_j.S_j + n_j |c_j|^2)`` in squared
        units of the frame, computed in O(k d) instead of a pass over the points. The
        subtraction loses about ``eps * sum_j Q_j / inertia`` of relative precision; when the
        clusters are so tight that this could exceed ~1e-11 (inertia < 1e-5 of the total
        squared norm, e.g. clusters of identical points) it returns None, and the caller
        measures exactly (`inertia`).
    """
    d = centroids.shape[1]
    sums, counts, squares = totals[:, :d], totals[:, d], totals[:, d + 1]
    per_cluster = (squares - 2.0 * np.einsum("ij,ij->i", centroids, sums)
                   + counts * np.einsum("ij,ij->i", centroids, centroids))
    value = float(per_cluster.sum())
    if not value >= 1e-5 * float(squares.sum()):
        return None
    return value


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
        computed exactly as ``sum_j (x_j - c_j)**2`` (0 where that underflows).

    `lloyd` centres the points once per run and calls `nearest_with_sums`; this function does
    both for one call.
    """
    X = np.asarray(X, dtype=np.float64)
    centroids = np.asarray(centroids, dtype=np.float64)
    points = CentredPoints.of(X, centroids)
    labels, _ = nearest_with_sums(points, points.centre(centroids), centroids)
    labels = labels.astype(np.intp)
    diff = X - np.take(centroids, labels, axis=0)
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
    empty_rule : str
        What happens to a centroid that has no points: a key of `choices.EMPTY_RULES`, whose
        relocate function says what it does (none: it stays where it was). ``"farthest"`` is
        scikit-learn's rule.
    rng : numpy.random.Generator, optional
        Only used by the rules that draw random numbers (``"random"``).
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
    return _update(X, labels, centroids, empty_rule, rng, totals)[0]


def _update(X, labels, centroids, empty_rule, rng, totals):
    """`update`, also returning the empty clusters and where the rule moved them.

    Returns (new_centroids (k, d), empty (tuple of cluster indices without points),
    relocated (tuple, see `Step`)).
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
    relocate = EMPTY_RULES[empty_rule].relocate
    relocated = ()
    if empty.size and relocate is not None:
        relocated = relocate(X, labels, centroids, sums, weight, empty, rng)

    new = np.empty((k, d))
    filled = weight > 0
    # Multiply by the reciprocal like scikit-learn's _average_centers, to agree to the last bit
    # more often (a label can flip on a last-bit difference in a near tie).
    new[filled] = sums[filled] * (1.0 / weight[filled])[:, None]
    still_empty = ~filled
    if still_empty.any():
        if relocate is None:  # the rule keeps an empty cluster's centroid where it was
            new[still_empty] = centroids[still_empty]
        else:
            new[still_empty] = new[np.argmax(weight)]
    return new, tuple(empty.tolist()), relocated


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
        In squared units of X. A point whose squared distance is so small that it may have
        underflowed (a tight cluster beside far larger coordinates) is measured again with
        its difference scaled by a power of two, so that it still counts.
    """
    diff = X - np.take(centroids, labels, axis=0)
    sq = np.einsum("ij,ij->i", diff, diff)
    small = np.flatnonzero(sq < _UNDERFLOW_RISK)
    if small.size == 0:
        return float(sq.sum())
    tiny = diff[small]
    _, exponent = np.frexp(np.abs(tiny).max(axis=1))
    tiny = np.ldexp(tiny, -exponent[:, None])
    sq[small] = 0.0
    return float(sq.sum()) + float(
        np.ldexp(np.einsum("ij,ij->i", tiny, tiny), 2 * exponent).sum())


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
        The Lloyd iteration; for ``"init"`` the one before the first (0 for a fresh run,
        ``first_iteration - 1`` for a `LloydStepper`).
    labels : ndarray of shape (n,), `label_dtype(k)` (int8 for k <= 128), read-only
        ``"init"``: all -1 (nothing assigned yet), or the ``previous_labels`` of a continued
        run. ``"update"`` carries the labels of its ``"assign"`` (the same array).
    centroids : ndarray of shape (k, d), float64, read-only
        The centroids in effect after this half-step.
    inertia : float
        Sum of squared distances of the points to their centroid; for ``"init"`` to the
        nearest initial centroid. Always finite.
    changed : int
        ``"assign"``: points whose label differs from the previous assignment (n for the
        first, or the count against ``previous_labels``); 0 otherwise.
    shift : float
        ``"update"``: sum over clusters of the squared centroid displacement (scikit-learn's
        ``center_shift_tot``); 0.0 otherwise.
    empty : tuple of int
        ``"assign"``: the clusters that got no point, in increasing order. ``"update"``: the
        same tuple as its ``"assign"``: the clusters the empty-cluster rule acted on (with
        "keep" their centroids stayed put). ``()`` for ``"init"``.
    relocated : tuple of int
        ``"update"`` with the "farthest" or "random" rule and empty clusters: one entry per
        cluster in ``empty``, the index of the data point its centroid moved to (equal to it up
        to the rounding of centring the points and back), or -1 when
        it went to the mean of the largest cluster ("farthest" when every point sits on its
        centroid). With "farthest", a cluster whose only point was taken this way also goes to
        the mean of the largest cluster, unlisted. ``()`` otherwise.
    """

    kind: str
    iteration: int
    labels: np.ndarray
    centroids: np.ndarray
    inertia: float
    changed: int
    shift: float
    empty: tuple[int, ...] = ()
    relocated: tuple[int, ...] = ()


@dataclass(frozen=True, eq=False)
class Run:
    """A complete run of Lloyd's algorithm.

    Attributes
    ----------
    steps : tuple of Step
        init, assign 1, update 1, assign 2, update 2, ... and, unless the run converged, a final
        assign with the final centroids.
    labels : ndarray of shape (n,), `label_dtype(k)`
        Final labels.
    centroids : ndarray of shape (k, d), float64
        Final centroids.
    inertia : float
        Final inertia.
    n_iter : int
        Lloyd iterations run (scikit-learn's ``n_iter_``); with a `first_iteration` offset
        the last step's iteration is ``first_iteration + n_iter - 1``.
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


class LloydStepper:
    """Lloyd's algorithm computed one iteration at a time, recording every half-step.

    Each iteration assigns every point to its nearest centroid, then moves every centroid to
    the mean of its points. The run stops at the first of:

    - ``"converged"``: the labels equal the previous iteration's labels of this run (never on
      the first iteration). This stop also wins when it happens on iteration `max_iter`.
    - ``"tol"``: the centre shift (sum of squared displacements) is <= ``tolerance(X, tol)``.
      With ``tol=0`` this stops when no centroid moved at all, as in scikit-learn.
    - ``"max_iter"``: `max_iter` iterations were run.

    The original notebook stops instead when the new centroids equal the old ones. With
    ``tol=0`` that is the same iteration: equal labels give equal means, and on the first
    iteration (no previous labels) an unmoved set of centroids stops through ``"tol"``. (Equal
    means from different labels would need an exact coincidence of sums.)

    Except after ``"converged"``, the labels are assigned once more to the final centroids (as
    scikit-learn does), recorded as an extra ``"assign"`` step of the last iteration.

    Parameters
    ----------
    X : array_like of shape (n, d)
        The points, finite, within ``data.MAX_ABS``.
    initial_centroids : array_like of shape (k, d)
        The starting centroids, e.g. from `init_centroids`, or moved by hand; finite, within
        MAX_ABS. Not modified.
    max_iter : int, default 10
        Maximum number of iterations of this stepper, >= 1.
    tol : float, default 0.0
        Relative tolerance on the centre shift, >= 0 (see `tolerance`).
    empty_rule : str, default "keep"
        What to do with a centroid that loses all its points: a key of
        `choices.EMPTY_RULES` (see `update`). Use "farthest" to match scikit-learn.
    rng : numpy.random.Generator, optional
        Required for a rule that draws random numbers (``"random"``).
    previous_labels : array_like of shape (n,), int in -1..k-1, optional
        The labels the points showed before this run, when it continues an earlier one (the
        visitor moved centroids by hand). The init step shows them, and the first
        assignment's ``changed`` counts the points whose label differs from them instead of
        all n. They do not make a first-iteration stop "converged": they were assigned to
        other centroids (those before the move), so equal labels there prove no fixed point.
        If nothing changes, the first update moves the centroids back to the means, and the
        next iteration stops as "converged" with 0 changed (or the first stops on "tol" if no
        centroid moves).
    first_iteration : int, default 1
        The number of the first iteration, for a run that continues counting an earlier one;
        the init step gets ``first_iteration - 1``. `max_iter` still counts from 1.
    start_later : bool, default False
        Leave the init step (and the assignment it needs) to `start_in_pieces`, so that a
        caller that must stay responsive (the page) computes it in pieces; `steps` is empty
        until then.

    Attributes
    ----------
    steps : list of Step
        Recorded so far; ``steps[0]`` is the "init" step.
    finished : bool
    stop_reason : str or None
        One of `STOP_REASONS` once finished.
    n_iter : int
        Iterations computed so far.

    Raises
    ------
    ValueError
        For mismatched shapes, values that are not finite or beyond MAX_ABS, unknown
        `empty_rule`, ``max_iter < 1``, ``tol < 0``, ``empty_rule="random"`` without `rng`,
        or `previous_labels` of the wrong shape or range.

    Notes
    -----
    Construction costs one pass to centre the points and one assignment (the init step's
    inertia needs it; iteration 1 uses it), O(n k) like a third of an iteration. Each
    `advance` costs one iteration: an assignment pass and the update, plus one more
    assignment when the run stops other than "converged". Memory: the points as given (not
    copied if they are a C-contiguous float64 array), their centred rows ((d + 2) n floats),
    and in the record one label array (n bytes for k <= 128) per iteration.
    """

    def __init__(self, X, initial_centroids, max_iter: int = 10, tol: float = 0.0,
                 empty_rule: str = "keep", rng: np.random.Generator | None = None, *,
                 previous_labels=None, first_iteration: int = 1, start_later: bool = False):
        X = _checked_points(X)
        centroids = np.array(_checked_points(initial_centroids, "centroids"), copy=True)
        n, d = X.shape
        k = centroids.shape[0]
        if centroids.shape[1] != d:
            raise ValueError(f"initial centroids must have shape (k, {d}), got {centroids.shape}")
        if empty_rule not in EMPTY_RULES:
            raise ValueError(f"unknown empty-cluster rule {empty_rule!r}; "
                             f"choose one of: {', '.join(EMPTY_RULES)}")
        if isinstance(max_iter, bool) or int(max_iter) != max_iter or max_iter < 1:
            raise ValueError(f"max_iter must be a whole number of at least 1, got {max_iter}")
        if not tol >= 0:
            raise ValueError(f"tol must be zero or positive, got {tol}")
        if EMPTY_RULES[empty_rule].uses_rng and rng is None:
            raise ValueError(f"empty_rule={empty_rule!r} needs a random generator (rng)")
        if isinstance(first_iteration, bool) or int(first_iteration) != first_iteration:
            raise ValueError(f"first_iteration must be a whole number, got {first_iteration}")
        if previous_labels is not None:
            previous_labels = np.asarray(previous_labels)
            if (previous_labels.shape != (n,) or previous_labels.dtype.kind not in "iu"
                    or previous_labels.min() < -1 or previous_labels.max() >= k):
                raise ValueError(
                    f"previous_labels must be {n} whole numbers from -1 to {k - 1}")
            previous_labels = previous_labels.astype(label_dtype(k))

        # Iterate on centred, scaled points and centroids, as scikit-learn iterates on centred
        # ones (same rounding: the power of two changes none), and record in the caller's units.
        points = CentredPoints.of(X, centroids)
        # Every coordinate in the frame is below 1, so no squared distance exceeds 4 d, and no
        # inertia 4 n d (times 4**-s in the caller's units: below 2**1024 means finite).
        if math.log2(4.0 * n * d) - 2 * points.exponent >= 1024:
            raise ValueError("the points are too many and too far apart for their squared "
                             "distances to add up in float64")
        self._points = points
        self._max_iter = int(max_iter)
        self._first = int(first_iteration)
        self._empty_rule = empty_rule
        self._rng = rng
        # The tolerance in the frame's squared units: X * 2**s has variance var(X) * 4**s.
        self._tol = 0.0 if tol == 0 else tolerance(
            _times_power_of_two(X, points.exponent), tol)
        self._current = points.centre(centroids)
        self._labels_old = previous_labels
        self._shown_centred = (None, None)  # (recorded centroids, the same in the frame)
        self.n_iter = 0
        self.finished = False
        self.stop_reason: str | None = None
        self._start = (centroids, previous_labels)
        self._assigned = None
        self.steps: list[Step] = []
        if not start_later:
            run_pieces(self.start_in_pieces(None))

    def start_in_pieces(self, piece: int | None = 100_000):
        """Record the init step (with `start_later=True`), as a generator that yields after
        every `piece` points of the assignment it needs (see `advance_in_pieces`)."""
        centroids, previous_labels = self._start
        n, k = self._points.rows.shape[1], centroids.shape[0]
        # The init step's inertia needs the first assignment anyway; iteration 1 reuses it.
        self._assigned = yield from self._assignment_in_pieces(centroids, piece)
        labels = (np.full(n, -1, dtype=label_dtype(k)) if previous_labels is None
                  else previous_labels.copy())
        self.steps.append(Step("init", self._first - 1, _frozen(labels), _frozen(centroids),
                               self._assigned[2], 0, 0.0))

    def _assignment(self, shown):
        """Labels (frozen), totals and inertia for the current centroids, which are recorded
        as `shown` (original units)."""
        return run_pieces(self._assignment_in_pieces(shown, None))

    def _assignment_in_pieces(self, shown, piece):
        labels, totals = yield from _nearest_in_pieces(self._points, self._current, shown, piece)
        return _frozen(labels), totals, self._measured(labels, totals, shown)

    def _measured(self, labels, totals, shown):
        """The inertia of the points with these labels around the `shown` centroids (the
        recorded ones), in the original units: from the cluster totals, measured in the
        frame against ``centre(shown)`` (so the rounding of `shown` counts, relative to the
        frame's scale), or by a pass over the original points when that is imprecise."""
        if self._shown_centred[0] is not shown:  # an update's centroids serve the next assign
            self._shown_centred = (shown, self._points.centre(shown))
        value = cluster_inertia(totals, self._shown_centred[1])
        if value is None:
            return inertia(self._points.original, labels, shown)
        return self._points.unscale_squared(value)

    def advance(self) -> list[Step]:
        """Compute the next iteration; return the steps it recorded ([] once finished).

        Those are its "assign" and "update", and the final "assign" when the run stops
        other than by convergence.
        """
        return run_pieces(self.advance_in_pieces(None))

    def advance_in_pieces(self, piece: int | None = 100_000):
        """`advance` as a generator: it yields after every `piece` points or so of each pass
        over the points, and returns the new steps. Nothing is recorded until it returns;
        drop it during its first pass (a new GO) and the stepper is as it was; dropped later
        (during the final assignment of a stopping run), it must not be used again."""
        if self.finished:
            return []
        points, d = self._points, self._current.shape[1]
        if self._assigned is None:
            self._assigned = yield from self._assignment_in_pieces(self.steps[-1].centroids, piece)
        self.n_iter += 1
        number = self._first + self.n_iter - 1
        labels, totals, assigned_inertia = self._assigned
        self._assigned = None
        n = labels.shape[0]
        changed = (n if self._labels_old is None
                   else int(np.count_nonzero(labels != self._labels_old)))
        new, empty, relocated = _update(points.points, labels, self._current, self._empty_rule,
                                        self._rng, totals)
        # scikit-learn's center_shift_tot: per-cluster Euclidean shift, then the sum of squares.
        shift = float((np.sqrt(((new - self._current) ** 2).sum(axis=1)) ** 2).sum())
        # With tol 0 the test is "nothing moved", exactly: a shift so small that its square
        # underflows is still a move.
        still = ((shift == 0 and np.array_equal(new, self._current)) if self._tol == 0
                 else shift <= self._tol)
        self._current = new
        assigned = Step("assign", number, labels, self.steps[-1].centroids, assigned_inertia,
                        changed, 0.0, empty)
        shown = _frozen(points.uncentre(new))
        updated = Step("update", number, labels, shown, self._measured(labels, totals, shown),
                       0, points.unscale_squared(shift), empty, relocated)
        new_steps = [assigned, updated]

        if changed == 0 and self.n_iter > 1:
            self.stop_reason = "converged"
        elif still:
            self.stop_reason = "tol"
        elif self.n_iter == self._max_iter:
            self.stop_reason = "max_iter"
        if self.stop_reason is not None:
            if self.stop_reason != "converged":
                # Final E-step so that the labels belong to the final centroids (scikit-learn
                # does it).
                final, totals, final_inertia = yield from self._assignment_in_pieces(
                    updated.centroids, piece)
                new_steps.append(Step(
                    "assign", number, final, updated.centroids, final_inertia,
                    int(np.count_nonzero(final != labels)), 0.0,
                    tuple(np.flatnonzero(totals[:, d] == 0).tolist())))
        self._labels_old = labels
        self.steps.extend(new_steps)
        # Only now: a caller stepping through the pieces sees `finished` once all is recorded.
        self.finished = self.stop_reason is not None
        return new_steps

    def run(self) -> Run:
        """The recorded run; only once `finished` (RuntimeError before)."""
        if not self.finished:
            raise RuntimeError("the run is not finished: call advance() until it is")
        last = self.steps[-1]
        return Run(tuple(self.steps), last.labels, last.centroids, last.inertia, self.n_iter,
                   self.stop_reason)


def lloyd(X, initial_centroids, max_iter: int = 10, tol: float = 0.0, empty_rule: str = "keep",
          rng: np.random.Generator | None = None) -> Run:
    """Run Lloyd's algorithm to the end and record every half-step.

    The same as stepping a `LloydStepper` (see there for the stopping rules, parameters and
    errors) until it finishes.

    Returns
    -------
    Run
        The recorded steps and the final state. Every step holds its own read-only arrays; the
        memory is one label array (n bytes for k <= 128) per iteration.
    """
    stepper = LloydStepper(X, initial_centroids, max_iter, tol, empty_rule, rng)
    while not stepper.finished:
        stepper.advance()
    return stepper.run()
