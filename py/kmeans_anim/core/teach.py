"""The numbers behind teaching k-means (issue 17): why a point joined its cluster, where a
centroid goes next, how a seeding rule picks, how good a clustering is, which start and which
K are best.

numpy and the standard library only (plus the package's pure `data`, `engine`, `session`): it
runs in CPython and in the page. It computes numbers, never words: `wording` phrases them.

Every measure equals scikit-learn's on the same input (tests/unit/test_teach.py):
`silhouette_samples` / `silhouette_score`, `adjusted_rand_index` (``adjusted_rand_score``),
`contingency_table` (``contingency_matrix``), and the inertia of every start of `best_of`
(``KMeans(init=<its initial centroids>, n_init=1, algorithm="lloyd")``).

Seeds
-----
A start is an *attempt* of `session`: attempt ``a`` on the points of seed ``seed`` initialises
and runs with ``attempt_rng(seed, a) = numpy.random.default_rng([seed, 1, a])``, the generator
`session.Session` gives that attempt (GO is attempt 0, each RETRY the next). `best_of` tries
attempts ``first_attempt .. first_attempt + n_init - 1`` with the page's K, initialisation and
rules, so the best start is replayed, linked (``seed=..&attempt=a&k=K``) and copied as Python
like any RETRY: no new seed rule. `elbow` uses the same attempts for every K (attempt ``a`` at
K is the run of ``k=K&attempt=a``).

Responsiveness
--------------
The long computations are generators that yield between pieces (see `data.run_pieces`), so the
page can paint between them: `best_of` and `elbow` after every pick of a seeding rule, every
Lloyd iteration and every `session.PIECE` points or so of its passes, every finished start;
the silhouette after every `SILHOUETTE_PIECE` distances.

>>> import numpy as np
>>> X = np.array([[0.0, 0.0], [1.0, 0.0], [5.0, 0.0], [6.0, 0.0]])
>>> e = explain_point(X, np.array([[0.5, 0.0], [5.5, 0.0]]), 2, previous_labels=[0, 0, 0, 1])
>>> e.nearest, e.distances.tolist(), e.previous, e.changed
(1, [4.5, 0.5], 0, True)
>>> explain_centroid(X, [0, 0, 1, 1], 1).mean.tolist()
[5.5, 0.0]
>>> round(silhouette_score(X, [0, 0, 1, 1]), 4), adjusted_rand_index([0, 0, 1, 1], [1, 1, 0, 0])
(0.798, 1.0)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from . import engine
from .data import run_pieces
from .session import PIECE, attempt_rng

__all__ = [
    "attempt_rng",
    "PointExplanation",
    "PointSentence",
    "explain_point",
    "point_sentence",
    "CentroidExplanation",
    "explain_centroid",
    "InitStep",
    "kmeanspp_steps",
    "init_steps_in_pieces",
    "SILHOUETTE_PIECE",
    "silhouette_in_pieces",
    "silhouette_samples",
    "silhouette_score",
    "silhouette_score_in_pieces",
    "SILHOUETTE_SAMPLE",
    "Contingency",
    "contingency_table",
    "adjusted_rand_index",
    "Start",
    "BestOf",
    "best_of",
    "ElbowPoint",
    "elbow",
]

#: The seeding rules whose picks `kmeanspp_steps` shows (the others draw all k at once).
SEEDING_METHODS = ("k-means++", "greedy-k-means++", "farthest")

#: Distances per piece of the silhouette: a block of rows against all n points, two (rows, n)
#: float64 work arrays of 8 MB each (16 MB at most, whatever n). At n = 10^4 a piece is 104 rows,
#: 3-10 ms in CPython (see benchmarks/bench_teach.py).
SILHOUETTE_PIECE = 2**20

#: Pieces the page's teaching panel computes in (web/teachpanel.py), half the animation's: at
#: 10^5 points and K = 10 a piece of `session.PIECE` points cost about 27 ms in CPython, over
#: 100 ms in the page (BENCHMARKS.md, "The teaching numbers"); halved, about half that.
PAGE_PIECE = PIECE // 2
PAGE_SILHOUETTE_PIECE = SILHOUETTE_PIECE // 2

#: Points the elbow's mean silhouette is measured on (scikit-learn's ``sample_size``): the
#: silhouette needs n² distances, 10^8 at n = 10^4 (seconds in the page, per K); 2,000 points
#: take 4 * 10^6. All the points when there are no more than this.
SILHOUETTE_SAMPLE = 2000


# --------------------------------------------------------------------------------------------
# Why here? A point and its distances; a centroid and its mean
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class PointExplanation:
    """Why point `index` belongs to cluster `nearest`.

    Attributes
    ----------
    index : int
        The row of the points.
    distances : ndarray of shape (k,), float64
        Euclidean distance from the point to every centroid, in data units.
    nearest : int
        The centroid it is assigned to: the nearest, the lowest index on exact ties (as the
        engine assigns, `engine.assign`).
    tied : tuple of int
        Other centroids exactly as near as `nearest` (they lost the tie by index).
    previous : int or None
        Its cluster at the previous assignment (None if it had none: the first assignment).
    changed : bool
        True when `previous` is a different cluster: the point moved at this assignment.
    """

    index: int
    distances: np.ndarray
    nearest: int
    tied: tuple[int, ...]
    previous: int | None
    changed: bool


def explain_point(points, centroids, i: int, previous_labels=None) -> PointExplanation:
    """Distances from point `i` to every centroid, its nearest, and where it came from.

    Parameters
    ----------
    points : array_like of shape (n, d)
        The data points (data units).
    centroids : array_like of shape (k, d)
        The centroids the point is assigned to. At an "assign" half-step these are the step's
        centroids (those before the update that follows).
    i : int
        The point, ``0 <= i < n``.
    previous_labels : array_like of shape (n,), int, optional
        The labels before this assignment (the previous "assign" step's; -1 for none).
    """
    x = np.asarray(points, dtype=np.float64)[i]
    C = np.asarray(centroids, dtype=np.float64)
    diff = C - x
    sq = np.einsum("ij,ij->i", diff, diff)
    nearest = int(engine.assign(x[None, :], C)[0][0])
    tied = tuple(int(j) for j in np.flatnonzero(sq == sq[nearest]) if j != nearest)
    previous = None
    if previous_labels is not None and int(previous_labels[i]) >= 0:
        previous = int(previous_labels[i])
    return PointExplanation(int(i), np.sqrt(sq), nearest, tied, previous,
                            previous is not None and previous != nearest)


class PointSentence(NamedTuple):
    """What the sentence about a point says ("closest to centroid 2: 1.31 (centroid 1: 2.84,
    centroid 3: 4.10)", and when it moved, from where): numbers only, `wording` makes words.

    Clusters are 0-based indices here (the page may show them from 1); distances in data units.
    """

    nearest: int                                  # the centroid it joins
    distance: float                               # its distance to that centroid
    others: tuple[tuple[int, float], ...]         # (centroid, distance) for the rest, by index
    came_from: int | None                         # the cluster it left, if it changed cluster
    came_from_distance: float | None              # its distance to that cluster's centroid


def point_sentence(e: PointExplanation) -> PointSentence:
    """The data of the sentence explaining `e` (see `PointSentence`)."""
    d = e.distances
    others = tuple((j, float(d[j])) for j in range(d.shape[0]) if j != e.nearest)
    came_from = e.previous if e.changed else None
    return PointSentence(e.nearest, float(d[e.nearest]), others, came_from,
                         None if came_from is None else float(d[came_from]))


@dataclass(frozen=True, eq=False)
class CentroidExplanation:
    """The mean a centroid moves to at the next update, as the computation it is.

    Attributes
    ----------
    cluster : int
    count : int
        n, the points in the cluster (>= 1).
    sums : ndarray of shape (d,), float64
        Σx, Σy (, ...) over those points, data units.
    mean : ndarray of shape (d,), float64
        ``sums / count``: where the next update puts the centroid (equal to the engine's update
        up to rounding; with the empty-cluster rule "farthest" and an empty cluster elsewhere,
        the engine may first take this cluster's farthest point away from it).
    members : ndarray of shape (count,), intp
        The rows of the points in the cluster, increasing.
    position : ndarray of shape (d,), float64, or None
        Where the centroid is now (if the centroids were given).
    move : ndarray of shape (d,), float64, or None
        ``mean - position``: the arrow of the next update (data units).
    """

    cluster: int
    count: int
    sums: np.ndarray
    mean: np.ndarray
    members: np.ndarray
    position: np.ndarray | None = None
    move: np.ndarray | None = None


def explain_centroid(points, labels, j: int, centroids=None) -> CentroidExplanation | None:
    """Cluster `j`'s size, coordinate sums and mean; None when it has no points.

    Parameters
    ----------
    points : array_like of shape (n, d)
    labels : array_like of shape (n,), int
        The assignment whose mean is wanted (an "assign" step's labels).
    j : int
        The cluster, ``0 <= j < k``.
    centroids : array_like of shape (k, d), optional
        The centroids now, for `position` and `move`.
    """
    X = np.asarray(points, dtype=np.float64)
    members = np.flatnonzero(np.asarray(labels) == j)
    if members.size == 0:
        return None
    sums = X[members].sum(axis=0)
    mean = sums / members.size
    position = move = None
    if centroids is not None:
        position = np.array(centroids, dtype=np.float64)[j]
        move = mean - position
    return CentroidExplanation(int(j), int(members.size), sums, mean, members, position, move)


# --------------------------------------------------------------------------------------------
# Watch the start: the picks of a seeding rule
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class InitStep:
    """One pick of a seeding rule, with every point's chance before it.

    Attributes
    ----------
    method : str
        One of `SEEDING_METHODS`.
    number : int
        Which centroid, 0..k-1.
    index : int
        The row of the points picked.
    centroid : ndarray of shape (d,), float64
        That point (the new centroid).
    candidates : tuple of int
        "greedy-k-means++", picks >= 1: the rows drawn by D² sampling; `index` is the one that
        leaves the smallest potential. () otherwise.
    potentials : ndarray of shape (len(candidates),), float64, or None
        The potential (sum of squared distances to the nearest centroid) if each candidate
        were added, data units squared.
    fallback : bool
        Every D² weight was 0 (see `engine.Pick`).
    n : int
        The number of points the pick was made among.
    pick : engine.Pick
        The engine's record, from which the arrays below are computed on demand.

    The properties `d2` and `probability` cost O(n) per call: the step keeps only the engine's
    weights (k arrays of n floats for a whole start).
    """

    method: str
    number: int
    index: int
    centroid: np.ndarray
    candidates: tuple[int, ...]
    potentials: np.ndarray | None
    fallback: bool
    n: int
    pick: engine.Pick

    @property
    def d2(self) -> np.ndarray | None:
        """(n,) float64: every point's squared distance to the nearest centroid picked before,
        data units squared (its D² weight, or for "farthest" its score); None for pick 0."""
        p = self.pick
        return None if p.closest_sq is None else np.ldexp(p.closest_sq, -2 * p.exponent)

    @property
    def probability(self) -> np.ndarray:
        """(n,) float64, summing to 1: every point's chance of being this pick, before it.

        Pick 0, and a D² draw whose weights are all 0: uniform, 1/n. "k-means++": D²(x) / ΣD².
        "greedy-k-means++": the chance of each point to be drawn as each candidate (the pick
        is then the best candidate). "farthest": 1 for the point picked (the farthest, first on
        ties), 0 for the rest: there is no chance involved.
        """
        weights, n = self.pick.closest_sq, self.n
        if weights is None or (self.fallback and self.method != "farthest"):
            return np.full(n, 1.0 / n)
        if self.method == "farthest":
            one = np.zeros(n)
            one[self.index] = 1.0
            return one
        # Ratios of the engine's own weights (scaled by a power of two: the same ratios).
        return weights / weights.sum()



def init_steps_in_pieces(points, k: int, method: str, rng: np.random.Generator):
    """`kmeanspp_steps` as a generator: yields each `InitStep` as soon as it is picked, and
    returns the initial centroids (k, d), bit for bit ``engine.init_centroids(points, k,
    method, rng)``; the rng is left as that call leaves it (the run continues with it)."""
    if method not in SEEDING_METHODS:
        raise ValueError(f"the picks can be shown for {', '.join(SEEDING_METHODS)}, "
                         f"not {method!r}")
    X = np.asarray(points, dtype=np.float64)
    pieces = engine.init_in_pieces(X, k, method, rng)
    while True:
        try:
            p = next(pieces)
        except StopIteration as done:
            return done.value
        potentials = None
        if p.potentials is not None:
            potentials = np.ldexp(p.potentials, -2 * p.exponent)
        yield InitStep(method, p.number, p.index, X[p.index].copy(), p.candidates, potentials,
                       p.fallback, X.shape[0], p)


def kmeanspp_steps(points, k: int, method: str, rng: np.random.Generator) -> list[InitStep]:
    """The picks of a seeding rule, each with every point's D² weight and chance before it.

    Parameters
    ----------
    points : array_like of shape (n, d)
    k : int
        ``1 <= k <= n``.
    method : {"k-means++", "greedy-k-means++", "farthest"}
    rng : numpy.random.Generator
        As for `engine.init_centroids`; for the page's attempt ``a``, ``attempt_rng(seed, a)``.

    Returns
    -------
    list of k InitStep
        ``points[[s.index for s in steps]]`` is exactly ``engine.init_centroids(points, k,
        method, rng)`` for a generator in the same state: both run the same code
        (`engine.init_in_pieces`).
    """
    steps = []
    pieces = init_steps_in_pieces(points, k, method, rng)
    while True:
        try:
            steps.append(next(pieces))
        except StopIteration:
            return steps


# --------------------------------------------------------------------------------------------
# How good: silhouette, contingency table, adjusted Rand index
# --------------------------------------------------------------------------------------------


def _codes(labels) -> tuple[np.ndarray, np.ndarray]:
    """(classes (m,) sorted, codes (n,) intp in 0..m-1) of any labels."""
    classes, codes = np.unique(np.asarray(labels), return_inverse=True)
    return classes, codes.reshape(-1).astype(np.intp, copy=False)


def silhouette_in_pieces(points, labels, piece: int = SILHOUETTE_PIECE):
    """`silhouette_samples` as a generator: yields after every block of rows whose distances
    to all n points number about `piece` (at least one row), and returns the samples (n,).

    Memory: two (rows, n) float64 arrays, ``16 * piece`` bytes (16 MB by default), never n x n.
    Time: n² distances (10^8 at n = 10^4).
    """
    X = np.asarray(points, dtype=np.float64)
    classes, codes = _codes(labels)
    n, m = X.shape[0], classes.shape[0]
    if codes.shape[0] != n:
        raise ValueError(f"expected {n} labels, one per point, got {codes.shape[0]}")
    if not 2 <= m <= n - 1:
        raise ValueError(f"the silhouette needs between 2 and n - 1 = {n - 1} clusters with "
                         f"points; these labels have {m}")
    # The silhouette is a ratio of distances: scale by an exact power of two (largest
    # coordinate about 1) so that no square overflows or underflows, with the same result.
    largest = float(np.abs(X).max())
    X = np.ldexp(X, -math.frexp(largest)[1]) if largest > 0 else X
    sizes = np.bincount(codes, minlength=m)
    # Columns sorted by cluster: each cluster's distances are then one contiguous slice,
    # summed by np.add.reduceat (no (n, m) one-hot matrix).
    order = np.argsort(codes, kind="stable")
    columns = np.ascontiguousarray(X[order].T)      # (d, n)
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    rows_per_piece = max(1, piece // n)
    own = np.empty(n)      # sum of distances to the own cluster (the point itself adds 0)
    other = np.empty(n)    # smallest mean distance to another cluster
    dist = np.empty((rows_per_piece, n))
    work = np.empty((rows_per_piece, n))
    for first in range(0, n, rows_per_piece):
        rows = slice(first, min(n, first + rows_per_piece))
        r = rows.stop - rows.start
        D, T = dist[:r], work[:r]
        np.subtract.outer(X[rows, 0], columns[0], out=D)
        np.multiply(D, D, out=D)
        for j in range(1, X.shape[1]):
            np.subtract.outer(X[rows, j], columns[j], out=T)
            np.multiply(T, T, out=T)
            D += T
        np.sqrt(D, out=D)
        sums = np.add.reduceat(D, starts, axis=1)    # (r, m)
        mine = codes[rows]
        at = np.arange(r)
        own[rows] = sums[at, mine]
        sums /= sizes
        sums[at, mine] = np.inf
        other[rows] = sums.min(axis=1)
        yield
    # As scikit-learn: a = own / (n_c - 1), s = (b - a) / max(a, b); 0/0 (a cluster of one
    # point, or a = b = 0 among duplicates) becomes 0.
    with np.errstate(divide="ignore", invalid="ignore"):
        own /= sizes[codes] - 1
        s = (other - own) / np.maximum(own, other)
    return np.nan_to_num(s)


def silhouette_samples(points, labels) -> np.ndarray:
    """Silhouette coefficient of every point, as ``sklearn.metrics.silhouette_samples``.

    Parameters
    ----------
    points : array_like of shape (n, d)
        Euclidean distances, any units (the coefficient has none).
    labels : array_like of shape (n,)
        Any labels; between 2 and n - 1 different ones (ValueError otherwise).

    Returns
    -------
    ndarray of shape (n,), float64, in [-1, 1]
        ``(b - a) / max(a, b)``: a the mean distance to the other points of its cluster, b the
        smallest mean distance to the points of another cluster; 0 for a cluster of size 1.
        Computed in pieces of `SILHOUETTE_PIECE` distances (see `silhouette_in_pieces`).
    """
    return run_pieces(silhouette_in_pieces(points, labels))


def silhouette_score(points, labels, sample_size: int | None = None,
                     random_state: int = 0) -> float:
    """Mean silhouette coefficient, as ``sklearn.metrics.silhouette_score(points, labels,
    sample_size=sample_size, random_state=random_state)``.

    With `sample_size`, only those points are measured (among themselves), drawn as
    scikit-learn draws them: the first `sample_size` of
    ``numpy.random.RandomState(random_state).permutation(n)``. ValueError when the points
    measured hold fewer than 2 or more than (their number - 1) clusters.
    """
    return run_pieces(silhouette_score_in_pieces(points, labels, sample_size, random_state))


def silhouette_score_in_pieces(points, labels, sample_size: int | None = None,
                               random_state: int = 0):
    """`silhouette_score` as a generator (pieces of `silhouette_in_pieces`); returns it."""
    X, labels = np.asarray(points, dtype=np.float64), np.asarray(labels)
    if sample_size is not None:
        chosen = np.random.RandomState(random_state).permutation(X.shape[0])[:sample_size]
        X, labels = X[chosen], labels[chosen]
    samples = yield from silhouette_in_pieces(X, labels)
    return float(np.mean(samples))


class Contingency(NamedTuple):
    """A table of counts: ``table[r, c]`` points have true class ``truth_classes[r]`` and
    cluster ``label_classes[c]``."""

    table: np.ndarray           # (r, c) int64, as sklearn.metrics.cluster.contingency_matrix
    truth_classes: np.ndarray   # (r,) the true classes, sorted
    label_classes: np.ndarray   # (c,) the clusters that have points, sorted


def contingency_table(truth, labels) -> Contingency:
    """How many points of each true class fell in each cluster (the confusion table).

    Parameters
    ----------
    truth, labels : array_like of shape (n,)
        True classes and cluster labels of the same points, any values.
    """
    truth_classes, t = _codes(truth)
    label_classes, c = _codes(labels)
    if t.shape != c.shape:
        raise ValueError(f"expected as many labels as true classes, got {c.shape[0]} and "
                         f"{t.shape[0]}")
    r, m = truth_classes.shape[0], label_classes.shape[0]
    table = np.bincount(t * m + c, minlength=r * m).astype(np.int64).reshape(r, m)
    return Contingency(table, truth_classes, label_classes)


def adjusted_rand_index(truth, labels) -> float:
    """Adjusted Rand index of a clustering against the true classes, as
    ``sklearn.metrics.adjusted_rand_score``: 1 for the same partition (whatever the names),
    about 0 for a random one, negative when worse than chance.

    Counted over pairs of points from the contingency table, in Python integers (exact at any
    n), with scikit-learn's expression for the ratio.
    """
    table = contingency_table(truth, labels).table
    n = int(table.sum())
    sum_squares = int((table * table).sum())
    rows, cols = table.sum(axis=1), table.sum(axis=0)
    tp = sum_squares - n                      # pairs together in both
    fp = int(cols @ cols) - sum_squares       # together in the clustering only
    fn = int(rows @ rows) - sum_squares       # together in the truth only
    tn = n * n - fp - fn - sum_squares
    if fn == 0 and fp == 0:
        return 1.0
    return 2.0 * (tp * tn - fn * fp) / ((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn))


# --------------------------------------------------------------------------------------------
# Which start? How many clusters? Best of N, elbow
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Start:
    """One finished start (attempt) of Lloyd's algorithm.

    Attributes
    ----------
    attempt : int
        Its rng is ``attempt_rng(seed, attempt)``; the page's run of that attempt is this one.
    k : int
    initial_centroids : ndarray of shape (k, d), float64
    centroids : ndarray of shape (k, d), float64
        Final centroids.
    inertia : float
        Final inertia, data units squared.
    n_iter : int
        Lloyd iterations (scikit-learn's ``n_iter_``).
    stop_reason : str
        One of `engine.STOP_REASONS`.
    """

    attempt: int
    k: int
    initial_centroids: np.ndarray
    centroids: np.ndarray
    inertia: float
    n_iter: int
    stop_reason: str


@dataclass(frozen=True, eq=False)
class BestOf:
    """N starts at one K, and the best of them.

    Attributes
    ----------
    k : int
    starts : tuple of Start
        In the order computed (increasing attempt).
    best : int
        Index into `starts` of the best, chosen as scikit-learn's ``KMeans(n_init=N)`` does:
        the first start, replaced by a later one only if its inertia is strictly lower and its
        clustering is not the same one relabelled (rounding can make the same partition
        differ in the last digit).
    labels : ndarray of shape (n,), `engine.label_dtype(k)`
        The final labels of the best start.
    """

    k: int
    starts: tuple[Start, ...]
    best: int
    labels: np.ndarray

    @property
    def best_start(self) -> Start:
        return self.starts[self.best]

    @property
    def inertias(self) -> np.ndarray:
        """(N,) float64: the final inertia of every start (their distribution)."""
        return np.array([s.inertia for s in self.starts])


def _same_clustering(labels1: np.ndarray, labels2: np.ndarray, k: int) -> bool:
    """scikit-learn's ``_is_same_clustering``: True when every cluster of labels1 falls within
    a single cluster of labels2 (labels (n,) in 0..k-1)."""
    pairs = np.unique(labels1.astype(np.int64) * k + labels2)
    return np.unique(pairs // k).shape[0] == pairs.shape[0]


def best_of(points, k: int, n_init: int = 10, init: str = "greedy-k-means++", seed: int = 0,
            *, first_attempt: int = 0, max_iter: int = 10, tol: float = 0.0,
            empty_rule: str = "keep", piece: int | None = PIECE):
    """Best of `n_init` starts, as a generator, computed as the page runs each attempt.

    Parameters
    ----------
    points : array_like of shape (n, d)
        The session's points.
    k : int
        Clusters, as `session.Session.k` gives it (at most the number of different points).
    n_init : int
        Number of starts, >= 1 (scikit-learn's ``n_init``; the page's default is 10).
    init : str
        One of `choices.DRAWN_INITS` ("manual" has no random starts).
    seed : int
        The seed of the points; start i is attempt ``first_attempt + i`` (module's Seeds).
    max_iter, tol, empty_rule
        The run's rules, as `engine.LloydStepper` takes them (the page's parameters; use
        300, 1e-4, "farthest" for scikit-learn's defaults).
    piece : int or None
        Points per piece of each pass over the points (None: whole passes).

    Yields
    ------
    None after every piece (a pick of the seeding rule, `piece` points of a pass, an
    iteration), and a `Start` after every finished start.

    Returns
    -------
    BestOf
    """
    if isinstance(n_init, bool) or int(n_init) != n_init or n_init < 1:
        raise ValueError(f"the number of starts must be a whole number of at least 1, "
                         f"got {n_init}")
    X = np.asarray(points, dtype=np.float64)
    starts, best, best_labels = [], 0, None
    for attempt in range(first_attempt, first_attempt + int(n_init)):
        rng = attempt_rng(seed, attempt)
        pieces = engine.init_in_pieces(X, k, init, rng)
        initial = yield from _silent(pieces)
        stepper = engine.LloydStepper(X, initial, max_iter=max_iter, tol=tol,
                                      empty_rule=empty_rule, rng=rng, start_later=True)
        yield from stepper.start_in_pieces(piece)
        while not stepper.finished:
            yield from stepper.advance_in_pieces(piece)  # pauses inside a pass only
            yield
        run = stepper.run()
        start = Start(attempt, int(k), initial, run.centroids, run.inertia, run.n_iter,
                      run.stop_reason)
        # scikit-learn's rule (KMeans.fit): strictly lower, and not the same partition.
        if best_labels is None or (start.inertia < starts[best].inertia
                                   and not _same_clustering(run.labels, best_labels, k)):
            best, best_labels = len(starts), run.labels
        starts.append(start)
        yield start
    return BestOf(int(k), tuple(starts), best, best_labels)


def _silent(pieces):
    """Run a generator of pieces, yielding None for each of its yields; return its value."""
    while True:
        try:
            next(pieces)
        except StopIteration as done:
            return done.value
        yield


@dataclass(frozen=True, eq=False)
class ElbowPoint:
    """One K of the elbow chart.

    Attributes
    ----------
    k : int
    result : BestOf
        Its starts and the best of them.
    inertia : float
        The best start's final inertia, data units squared.
    silhouette : float or None
        Mean silhouette of the best start's labels, ``silhouette_score(points, labels,
        sample_size, seed)`` with the elbow's `silhouette_sample` (scikit-learn's
        ``silhouette_score`` with the same ``sample_size`` and ``random_state``); None for
        K = 1, when not asked for, or when undefined on the points measured (fewer than 2 or
        more than their number - 1 clusters).
    """

    k: int
    result: BestOf
    inertia: float
    silhouette: float | None


def elbow(points, ks=range(1, 11), n_init: int = 10, init: str = "greedy-k-means++",
          seed: int = 0, *, silhouette: bool = True,
          silhouette_sample: int | None = SILHOUETTE_SAMPLE, first_attempt: int = 0,
          max_iter: int = 10, tol: float = 0.0, empty_rule: str = "keep",
          piece: int | None = PIECE):
    """Inertia (and mean silhouette) of the best of `n_init` starts for each K, as a generator.

    Arguments as `best_of`; `ks` are the K to try, in order. A K above the number of different
    points is left out (each centroid needs its own point). The starts of every K are the same
    attempts, so the best start at K is the page's run of ``k=K&attempt=a``. The silhouette is
    measured on `silhouette_sample` points (None: all; see `SILHOUETTE_SAMPLE`), the same
    points for every K (drawn from `seed`).

    Yields
    ------
    None after every piece (of a start or of the silhouette), a `Start` after every start, an
    `ElbowPoint` after every K.

    Returns
    -------
    list of ElbowPoint
        In the order of `ks`.
    """
    X = np.asarray(points, dtype=np.float64)
    ks = [int(k) for k in ks]
    distinct = engine.count_distinct(X, max(ks)) if ks else 0
    # The points the silhouette is measured on, as silhouette_score(sample_size, seed) draws.
    measured = slice(None)
    if silhouette_sample is not None and silhouette_sample < X.shape[0]:
        measured = np.random.RandomState(seed).permutation(X.shape[0])[:silhouette_sample]
    found = []
    for k in ks:
        if k > distinct:
            continue
        result = yield from best_of(X, k, n_init, init, seed, first_attempt=first_attempt,
                                    max_iter=max_iter, tol=tol, empty_rule=empty_rule,
                                    piece=piece)
        score = None
        labels = result.labels[measured]
        if silhouette and 2 <= np.unique(labels).shape[0] <= labels.shape[0] - 1:
            score = yield from silhouette_score_in_pieces(X[measured], labels)
        point = ElbowPoint(k, result, result.best_start.inertia, score)
        found.append(point)
        yield point
    return found
