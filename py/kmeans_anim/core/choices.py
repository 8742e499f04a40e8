"""The algorithm's choices the page offers: how the centroids start (`INITS`) and what happens to
a centroid that loses all its points (`EMPTY_RULES`). Each is declared once, with everything
about it: its behaviour (pure numpy), its words (menu title, help text, status sentence) and
its lines in the Copy-as-Python script. The engine, the parameters, the menus, the status
line and the script all read these two registries; nothing else lists the choices.

Imports numpy and the standard library only (the engine imports this module).

To add an initialisation: write its pick function below (see `Init.pick` for the contract) and
add one `Init` to `INITS`, in menu order; tests/unit/test_choices.py checks every field and
runs its script lines. An empty-cluster rule is one `EmptyRule` the same way.

>>> list(INITS)
['random', 'k-means++', 'greedy-k-means++', 'farthest', 'uniform', 'manual']
>>> INITS["farthest"].phrase
'picked farthest apart'
>>> DRAWN_INITS[-1], list(EMPTY_RULES)
('uniform', ['keep', 'farthest', 'random'])
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass

import numpy as np

__all__ = ["Pick", "Init", "EmptyRule", "INITS", "DRAWN_INITS", "MANUAL", "EMPTY_RULES"]

MANUAL = "manual"  # the initialisation "place by hand": GO waits for K clicks on the plot


# --------------------------------------------------------------------------------------------
# Initialisations: how the k starting centroids are picked
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Pick:
    """One pick of a seeding rule ("k-means++", "greedy-k-means++", "farthest"), as
    `engine.init_in_pieces` yields it: the state the rule chose from, and its choice.

    Attributes
    ----------
    number : int
        Which centroid this is, 0..k-1.
    index : int
        The row of X picked as that centroid.
    closest_sq : ndarray of shape (n,), float64, or None
        Every point's squared distance to the nearest centroid picked BEFORE this one (its D^2
        weight), in the frame's squared units: those of ``X * 2**exponent``. None for pick 0,
        which is uniformly random. The rule's own array: do not modify it.
    exponent : int
        s: the distances were taken on ``X * 2**s`` (largest coordinate about 1), so
        ``np.ldexp(closest_sq, -2 * s)`` is in X's squared units (it may underflow to 0 or
        overflow for extreme X; ratios of ``closest_sq`` never do).
    candidates : tuple of int
        "greedy-k-means++" (pick >= 1): the rows drawn by D^2 sampling, in draw order;
        `index` is the one that leaves the smallest potential (the first on ties). () otherwise.
    potentials : ndarray of shape (len(candidates),), float64, or None
        "greedy-k-means++" (pick >= 1): the sum over all points of the squared distance to the
        nearest centroid if that candidate were added (frame's squared units). None otherwise.
    fallback : bool
        True when every D^2 weight was 0 (all points on picked centroids, or so near that the
        square underflowed): "k-means++" then drew uniformly, "farthest" took the first point
        that differs from every picked one.
    """

    number: int
    index: int
    closest_sq: np.ndarray | None
    exponent: int
    candidates: tuple[int, ...] = ()
    potentials: np.ndarray | None = None
    fallback: bool = False


@dataclass(frozen=True)
class Init:
    """One way to start Lloyd's algorithm, as the page offers it.

    Attributes
    ----------
    name : str
        Key in `INITS`, in the page's address (``?init=...``) and in the Python script.
    title : str
        Its entry in the "initialisation" menu.
    phrase : str
        How the status line words it: "start: 3 centroids <phrase>".
    help : str
        The plain sentences under the menu, for a teacher.
    pick : generator function or None
        ``pick(X, k, rng, scaled)``: X (n, d) float64, finite and within ``data.MAX_ABS``; k,
        a whole number with ``1 <= k <= n``; rng, a numpy Generator (the same seed gives the
        same centroids); ``scaled()`` -> ``(X * 2**s, s)``, X times an exact power of two with
        its largest coordinate about 1 (squared distances taken on it neither overflow nor
        underflow; call it only if needed, it costs a pass over X). A generator: it yields a
        `Pick` after each centroid it picks one at a time (none for a rule that picks all at
        once) and returns a new (k, d) float64 array, in the units of X; raises ValueError (words for the visitor) when these
        points cannot give k centroids. None: the centroids are not drawn but given (placed by
        hand); `engine.init_centroids` refuses it.
    script : str or None
        Python lines for the Copy-as-Python script that set ``C0`` (k, 2) from ``X`` (n, 2),
        ``k`` and ``rng`` (the run's numpy Generator) exactly as `pick` does, with numpy as
        ``np``. None when `pick` is None: the script is then given the centroids.
    """

    name: str
    title: str
    phrase: str
    help: str
    pick: Callable[..., Generator[Pick, None, np.ndarray]] | None
    script: str | None


def _pick_random(X, k, rng, scaled):
    """k data points with distinct indices, chosen uniformly without replacement
    (``rng.choice(n, k, replace=False)``, the original notebook's rule). All at once: no
    `Pick` to show."""
    yield from ()
    return X[rng.choice(X.shape[0], k, replace=False)].copy()


def _pick_uniform(X, k, rng, scaled):
    """k points drawn uniformly in the data's axis-aligned bounding box (they need not be data
    points). All at once: no `Pick` to show."""
    yield from ()
    low, high = X.min(axis=0), X.max(axis=0)
    return rng.uniform(low, high, size=(k, X.shape[1]))


def _pick_kmeans_plusplus(X, k, rng, scaled):
    """Arthur & Vassilvitskii's D^2 sampling. The first centre is a uniformly random data point;
    each next one is a data point drawn with probability proportional to its squared distance
    to the nearest centre chosen so far (on the scaled points: the same picks)."""
    Xs, exponent = scaled()
    return X[(yield from _kmeans_plusplus(Xs, k, rng, 1, exponent))]


def _pick_greedy_kmeans_plusplus(X, k, rng, scaled):
    """scikit-learn's default: at each pick after the first, draw ``2 + floor(ln k)``
    candidates by D^2 sampling and keep the one that leaves the smallest potential (sum of
    squared distances to the nearest centre). Arthur & Vassilvitskii tried it but did not
    report it."""
    Xs, exponent = scaled()
    return X[(yield from _kmeans_plusplus(Xs, k, rng, 2 + int(np.log(k)), exponent))]


def _pick_farthest(X, k, rng, scaled):
    """The first centre is a uniformly random data point; each next one is the data point
    farthest from its nearest chosen centre (ties: lowest index). Needs at least k distinct
    points (ValueError otherwise)."""
    Xs, exponent = scaled()
    return X[(yield from _farthest_first(Xs, X, k, rng, exponent))]


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

    Returns picks (k,) intp with picks[0] set, and closest_sq (n,) float64, each point's
    squared distance to it.
    """
    picks = np.zeros(k, dtype=np.intp)
    picks[0] = rng.integers(0, X.shape[0])
    return picks, _sq_dist_to_point(X, X[picks[0]])


def _kmeans_plusplus(X, k, rng, n_trials, exponent):
    """D^2 seeding; with n_trials > 1 this is scikit-learn's greedy variant (`_kmeans_plusplus`).

    A generator yielding a `Pick` after each pick (X is scaled by 2**exponent); returns the
    (k,) indices of the chosen data points.
    """
    picks, closest_sq = _start_from_random_point(X, k, rng)
    yield Pick(0, int(picks[0]), None, exponent)
    for c in range(1, k):
        before = closest_sq  # never modified in place below: a Pick keeps it
        candidates = _d2_sample(closest_sq, rng, n_trials)
        if n_trials == 1:
            best = candidates[0]
            closest_sq = np.minimum(closest_sq, _sq_dist_to_point(X, X[best]))
            shown = ((), None)
        else:
            # Potential after adding each candidate; keep the smallest (first one on ties,
            # like np.argmin in scikit-learn).
            diff = X[None, :, :] - X[candidates][:, None, :]
            cand_sq = np.minimum(closest_sq, np.einsum("tij,tij->ti", diff, diff))
            potentials = cand_sq.sum(axis=1)
            pick = int(np.argmin(potentials))
            best, closest_sq = candidates[pick], cand_sq[pick]
            shown = (tuple(candidates.tolist()), potentials)
        picks[c] = best
        yield Pick(c, int(best), before, exponent, *shown, fallback=not before.any())
    return picks


def _farthest_first(Xs, X, k, rng, exponent):
    """Farthest-first traversal from a uniformly random start; the (k,) indices picked.

    Distances are taken on Xs, X scaled by 2**exponent (see `Init.pick`); equality on X
    itself. A generator yielding a `Pick` after each pick. Raises ValueError when fewer than
    k points differ (found on the way, without sorting all the points to count them).
    """
    picks, closest_sq = _start_from_random_point(Xs, k, rng)
    yield Pick(0, int(picks[0]), None, exponent)
    for c in range(1, k):
        far = int(np.argmax(closest_sq))  # argmax returns the first maximum: lowest index on ties
        fallback = bool(closest_sq[far] == 0)
        if fallback:
            # Every point is on a chosen centre, or so near one that the square underflowed:
            # take the first point that differs from all of them, if there is one.
            differs = np.ones(X.shape[0], dtype=bool)
            for p in picks[:c]:
                differs &= (X != X[p]).any(axis=1)
            if not differs.any():
                raise ValueError(
                    f"'farthest' needs at least k = {k} different points, but the data has "
                    f"only {c}; choose a smaller k or another initialisation"
                )
            far = int(np.argmax(differs))
        picks[c] = far
        yield Pick(c, far, closest_sq, exponent, fallback=fallback)
        # A new array, not in place: the Pick just yielded keeps the old one.
        closest_sq = np.minimum(closest_sq, _sq_dist_to_point(Xs, Xs[far]))
    return picks


# The script's first pick of the seeding rules, as `_start_from_random_point`.
_FIRST_PICK_SCRIPT = '''\
C0 = np.empty((k, 2))
C0[0] = X[rng.integers(0, len(X))]  # a random point first
closest_sq = ((X - C0[0]) ** 2).sum(axis=1)  # squared distance to the nearest pick so far
'''

#: Every initialisation, in menu order.
INITS: dict[str, Init] = {
    i.name: i
    for i in (
        Init(
            "random", "random data points (as in the notebook)",
            "picked at random among the points",
            "K of the points, picked at random (the notebook's way). Simple, but two starting "
            "centroids can land in the same cluster.",
            _pick_random, '''\
C0 = X[rng.choice(len(X), k, replace=False)]  # K different points, at random
'''),
        Init(
            "k-means++", "k-means++", "picked by k-means++",
            "The first centroid is a random point; each next one is a point picked with "
            "probability proportional to its squared distance from the nearest centroid so "
            "far, so the start is spread out.",
            _pick_kmeans_plusplus, _FIRST_PICK_SCRIPT + '''\
for c in range(1, k):
    cumulative = np.cumsum(closest_sq)  # D² sampling: a point picked with odds ~ closest_sq
    best = np.searchsorted(cumulative, rng.random() * cumulative[-1], side="right")
    best = min(best, np.flatnonzero(closest_sq)[-1])  # in case rounding hit the total
    C0[c] = X[best]
    closest_sq = np.minimum(closest_sq, ((X - X[best]) ** 2).sum(axis=1))
'''),
        Init(
            "greedy-k-means++", "greedy k-means++ (scikit-learn)", "picked by greedy k-means++",
            "k-means++, but each pick tries a few candidates (2 + ln K) and keeps the one that "
            "helps most. scikit-learn's default.",
            _pick_greedy_kmeans_plusplus, _FIRST_PICK_SCRIPT + '''\
trials = 2 + int(np.log(k))  # candidates per pick, as in scikit-learn
for c in range(1, k):
    cumulative = np.cumsum(closest_sq)  # D² sampling: candidates picked with odds ~ closest_sq
    candidates = np.searchsorted(cumulative, rng.random(trials) * cumulative[-1], side="right")
    candidates = np.minimum(candidates, np.flatnonzero(closest_sq)[-1])  # rounding hit the total
    cand_sq = np.minimum(closest_sq, ((X[None, :, :] - X[candidates][:, None, :]) ** 2).sum(-1))
    best = cand_sq.sum(axis=1).argmin()  # the candidate that leaves the smallest total
    C0[c] = X[candidates[best]]
    closest_sq = cand_sq[best]
'''),
        Init(
            "farthest", "farthest point", "picked farthest apart",
            "A random first point, then each next centroid is the point farthest from all "
            "centroids so far. Spread out, but drawn to outliers.",
            _pick_farthest, _FIRST_PICK_SCRIPT + '''\
for c in range(1, k):
    far = closest_sq.argmax()  # the point farthest from all picks so far (first on ties)
    C0[c] = X[far]
    closest_sq = np.minimum(closest_sq, ((X - X[far]) ** 2).sum(axis=1))
'''),
        Init(
            "uniform", "uniform in the bounding box", "placed at random in the data's box",
            "K random places inside the box around the data, not necessarily on a point. "
            "Often starts a centroid where there are no points.",
            _pick_uniform, '''\
C0 = rng.uniform(X.min(axis=0), X.max(axis=0), size=(k, 2))  # anywhere in the data's box
'''),
        Init(
            MANUAL, "place by hand (click on the plot)", "placed by hand",
            "You choose: after GO (or RETRY), click K places on the plot for the centroids "
            "(click one again to take it back). The run starts with the K-th.",
            None, None),
    )
}

#: The initialisations `engine.init_centroids` draws (those with a pick function), in menu order.
DRAWN_INITS = tuple(name for name, init in INITS.items() if init.pick is not None)


# --------------------------------------------------------------------------------------------
# Empty-cluster rules: what happens to a centroid that has no points at an update
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EmptyRule:
    """What the update does with a centroid whose cluster got no points.

    Attributes
    ----------
    name : str
        Key in `EMPTY_RULES`, in the page's address (``?empty=...``) and in the script.
    title : str
        Its entry in the "empty cluster" menu.
    help : str
        The plain sentence under the menu.
    done : str
        What the rule did, for the status line: "cluster 2 (orange) has no points: <done>".
        It starts with "its centroid", which the status line turns into "each one's
        centroid" for several clusters.
    relocate : callable or None
        ``relocate(X, labels, centroids, sums, weight, empty, rng) -> relocated``, called
        only when some clusters are empty: X (n, d) the points, labels (n,) their clusters,
        centroids (k, d) the old centroids (none of these modified), sums (k, d) and weight
        (k,) each cluster's coordinate sums and point count (its new centroid is
        sums / weight), empty the (m,) indices of the clusters with weight 0, rng a numpy
        Generator (None unless `uses_rng`). It writes the rows of `sums` and `weight` (of
        the empty clusters, and of any cluster it takes a point from) and returns a tuple of m
        ints: the index of the point each empty centroid moved to, or -1 for "the mean of the
        largest cluster" (see `engine.Step.relocated`). A cluster still without weight
        afterwards goes to the mean of the largest cluster. None: the centroid stays where
        it was.
    uses_rng : bool
        `relocate` draws random numbers: the engine refuses to run the rule without a
        Generator.
    script : str
        Python lines for the Copy-as-Python script that define ``update(labels, C)``: the
        new centroids (k, 2) from the labels (n,) and the old centroids C (k, 2) of the points
        ``X`` (n, 2), as `engine.update` computes them with this rule (``rng`` is the run's
        Generator).
    """

    name: str
    title: str
    help: str
    done: str
    relocate: Callable[..., tuple[int, ...]] | None
    uses_rng: bool
    script: str


def _relocate_farthest(X, labels, centroids, sums, weight, empty, rng):
    """scikit-learn's rule (``_relocate_empty_clusters_dense``): take the m points farthest
    from their old centroid; each empty cluster's centroid becomes one of those points, and
    that point is taken out of its own cluster's mean (its label is not changed). If every
    point sits exactly on its old centroid, or a cluster loses its only point this way, the
    still-empty centroid goes to the mean of the largest cluster."""
    # Same expressions as scikit-learn, so ties among equally far points break the same way.
    distances = ((X - np.take(centroids, labels, axis=0)) ** 2).sum(axis=1)
    if not distances.max() > 0:
        return (-1,) * empty.size  # to the largest cluster's mean
    n_empty = empty.size
    far = np.argpartition(distances, -n_empty)[: -n_empty - 1 : -1]
    # Old clusters are never empty ones, so these subtractions and the writes below touch
    # different rows; subtract.at applies repeats in order, as sklearn's loop does.
    np.subtract.at(sums, labels[far], X[far])
    np.subtract.at(weight, labels[far], 1.0)
    sums[empty] = X[far]
    weight[empty] = 1.0
    return tuple(far.tolist())


def _relocate_random(X, labels, centroids, sums, weight, empty, rng):
    """Each empty centroid moves to a uniformly random data point (distinct points when
    several clusters are empty and there are enough points)."""
    n = X.shape[0]
    picks = rng.choice(n, size=empty.size, replace=empty.size > n)
    sums[empty] = X[picks]
    weight[empty] = 1.0
    return tuple(picks.tolist())


#: Every empty-cluster rule, in menu order.
EMPTY_RULES: dict[str, EmptyRule] = {
    r.name: r
    for r in (
        EmptyRule(
            "keep", "keep the centroid where it is",
            "A centroid that loses all its points stays where it is until points come back.",
            "its centroid stays where it was",
            None, False, '''

def update(labels, C):
    """Each centroid moves to the mean of its points; one without points stays put."""
    new = C.copy()
    for j in np.unique(labels):
        new[j] = X[labels == j].mean(axis=0)
    return new
'''),
        EmptyRule(
            "farthest", "move to the farthest point",
            "It jumps to the point farthest from its own centroid (scikit-learn's rule).",
            "its centroid jumps to the point farthest from its own centroid",
            _relocate_farthest, False, '''

def update(labels, C):
    """Each centroid moves to the mean of its points; one without points takes the point
    farthest from its own centroid, which leaves its cluster (scikit-learn's rule)."""
    counts = np.bincount(labels, minlength=len(C)).astype(float)
    sums = np.zeros_like(C)
    np.add.at(sums, labels, X)
    empty = np.flatnonzero(counts == 0)
    far_sq = ((X - C[labels]) ** 2).sum(axis=1)
    if len(empty) and far_sq.max() > 0:
        far = np.argpartition(far_sq, -len(empty))[: -len(empty) - 1 : -1]  # sklearn's order
        np.subtract.at(sums, labels[far], X[far])
        np.subtract.at(counts, labels[far], 1.0)
        sums[empty], counts[empty] = X[far], 1.0
    new = np.empty_like(C)
    filled = counts > 0
    new[filled] = sums[filled] / counts[filled, None]
    new[~filled] = new[counts.argmax()]  # still empty: the mean of the largest cluster
    return new
'''),
        EmptyRule(
            "random", "move to a random point", "It jumps to a point picked at random.",
            "its centroid jumps to a point picked at random",
            _relocate_random, True, '''

def update(labels, C):
    """Each centroid moves to the mean of its points; one without points, to a random point."""
    new = C.copy()
    for j in np.unique(labels):
        new[j] = X[labels == j].mean(axis=0)
    empty = np.setdiff1d(np.arange(len(C)), labels)
    if len(empty):
        new[empty] = X[rng.choice(len(X), size=len(empty), replace=False)]
    return new
'''),
    )
}
