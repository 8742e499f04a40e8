"""What GO and RETRY do, without the browser: data, initial centroids and a recorded run.

One integer seed fixes everything: the points come from ``default_rng([seed, 0])`` and attempt
``a`` (0 for GO, 1, 2, ... for each RETRY) initialises and runs with ``default_rng([seed, 1, a])``,
so the same seed and attempt give the identical run in CPython and in the page.

>>> from kmeans_anim.params import Params
>>> s = Session()
>>> run = s.go(Params(n=60, k=3, seed=7))
>>> s.points.shape, run.n_iter <= 10
((60, 2), True)
>>> first = s.initial_centroids.copy()
>>> _ = s.retry()
>>> bool((s.initial_centroids != first).any())
True
"""

from __future__ import annotations

import numpy as np

from . import data, engine
from .params import CUSTOM, Params, true_centers


#: Fresh seeds have at most six digits, short enough to read aloud in class; the seed field
#: accepts any seed up to params.SEED_MAX.
FRESH_SEEDS = 1_000_000


def random_seed() -> int:
    """A fresh seed in 0..999999, from the OS entropy pool."""
    return int(np.random.SeedSequence().entropy % FRESH_SEEDS)


class Session:
    """The current points and the latest run. GO replaces both; RETRY replaces the run only."""

    def __init__(self) -> None:
        self.params: Params | None = None
        self.seed: int | None = None
        self.attempt = 0
        self.points: np.ndarray | None = None        # (n, 2) float64
        self.true_labels: np.ndarray | None = None   # (n,) int, 0 for user points
        self.initial_centroids: np.ndarray | None = None  # (k, 2)
        self.run: engine.Run | None = None

    def go(self, params: Params, points: np.ndarray | None = None) -> engine.Run:
        """Points from params.seed (a new random seed if None), then the run of params.attempt
        (0 for a GO; a link to a RETRY names a later attempt).

        For the data set "custom", `points` (n, 2) are the visitor's own and have no true labels.
        Raises data.PointsError if all the points sit at one place (nothing to cluster).
        """
        self.params = params
        self.seed = random_seed() if params.seed is None else params.seed
        rng = np.random.default_rng([self.seed, 0])
        if params.dataset == CUSTOM:
            if points is None:
                raise ValueError("the data set 'your own points' needs points")
            self.points = np.array(points, dtype=float)
            self.true_labels = np.zeros(len(self.points), dtype=np.intp)
        else:
            self.points, self.true_labels = data.generate(
                params.dataset, params.n, rng,
                centers=true_centers(params), std=params.std, noise=params.noise)
        self.attempt = params.attempt
        return self._run()

    def retry(self, params: Params | None = None) -> engine.Run:
        """Same points, the next attempt: new initial centroids (and K/init/rules from params)."""
        if self.points is None:
            raise RuntimeError("RETRY needs points: press GO first")
        if params is not None:
            self.params = params
        self.attempt += 1
        return self._run()

    def _run(self) -> engine.Run:
        p = self.params
        rng = np.random.default_rng([self.seed, 1, self.attempt])
        # K cannot exceed the number of different points (count_distinct stops at K: a sort
        # of all the points, as np.unique does, takes a second at a million).
        k = engine.count_distinct(self.points, p.k)
        if k < 2:
            raise data.PointsError("all the points sit at the same place; k-means needs at least "
                                   "2 different points")
        self.initial_centroids = engine.init_centroids(self.points, k, p.init, rng)
        self.run = engine.lloyd(self.points, self.initial_centroids, max_iter=p.max_iter,
                                tol=p.tol, empty_rule=p.empty, rng=rng)
        return self.run
