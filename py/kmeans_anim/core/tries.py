"""Which start? The attempts made on the same points and their final inertias (issue 17).

Every finished run of an attempt (GO, each RETRY, each start of "best of N") on the current
points is kept with the parameters it ran with, so the page can list them ("attempt 4: 611.8
- best so far") and show any of them again: attempt ``a`` with those parameters is the same
run (`session.attempt_rng`). The list starts over when the points change (a new array: GO,
your own points edited; RETRY keeps the array).

>>> from kmeans_anim.core.params import Params
>>> import numpy as np
>>> X = np.zeros((3, 2))
>>> tries = Tries()
>>> tries.add(X, Params(k=3, attempt=0), 611.8)
>>> tries.add(X, Params(k=3, attempt=1), 650.0)
>>> tries.add(X, Params(k=3, attempt=2), 540.0)
>>> [(t.attempt, t.best, t.lowest) for t in tries.listed()]
[(0, True, False), (1, False, False), (2, True, True)]
>>> tries.next_attempt(X)
3
>>> tries.add(np.zeros((3, 2)), Params(k=3, attempt=0), 99.0)   # other points: starts over
>>> len(tries.entries)
1
"""

from __future__ import annotations

import dataclasses
from typing import NamedTuple

from .params import Params

#: The parameters that make two runs of the same attempt on the same points the same run.
SAME_RUN = ("k", "init", "empty", "max_iter", "tol")


@dataclasses.dataclass(frozen=True)
class Try:
    """One finished attempt: `params` (attempt included) ran to `inertia` (data units squared)."""

    params: Params
    inertia: float

    @property
    def attempt(self) -> int:
        return self.params.attempt

    def key(self) -> tuple:
        return (self.params.attempt, *(getattr(self.params, name) for name in SAME_RUN))


class Listed(NamedTuple):
    """A row of the list: the try, and whether it is the lowest inertia so far among the tries
    with the same K (the first of equal ones) at its place in the list."""

    attempt: int
    inertia: float
    params: Params
    best: bool        # the lowest at K so far, when it was made
    lowest: bool      # the lowest at K of the whole list


class Tries:
    """The attempts on the current points, in the order they finished."""

    def __init__(self) -> None:
        self.points = None            # the points array they ran on (compared by identity)
        self.entries: list[Try] = []
        self.highest = -1             # the highest attempt used on these points (best of N too)

    def _same_points(self, points) -> bool:
        return points is not None and points is self.points

    def follow(self, points) -> bool:
        """Start over if `points` are not the points of the list; True if it started over."""
        if self._same_points(points):
            return False
        self.points, self.entries, self.highest = points, [], -1
        return True

    def add(self, points, params: Params, inertia: float) -> None:
        """A finished run of attempt ``params.attempt``; a run already listed (the same attempt
        and parameters, shown again) is not listed twice."""
        self.follow(points)
        self.highest = max(self.highest, params.attempt)
        entry = Try(params, float(inertia))
        if all(t.key() != entry.key() for t in self.entries):
            self.entries.append(entry)

    def used(self, points, attempt: int) -> None:
        """Attempts up to `attempt` are taken (best of N used 0..N-1)."""
        self.follow(points)
        self.highest = max(self.highest, int(attempt))

    def next_attempt(self, points) -> int | None:
        """The attempt RETRY runs next on `points`: one past the highest used, so RETRY never
        repeats a start already seen; None when nothing is known of these points."""
        if not self._same_points(points) or self.highest < 0:
            return None
        return self.highest + 1

    def listed(self) -> list[Listed]:
        rows, best_so_far, lowest = [], {}, {}
        for t in self.entries:
            k = t.params.k
            if k not in lowest or t.inertia < lowest[k]:
                lowest[k] = t.inertia
        for t in self.entries:
            k = t.params.k
            best = k not in best_so_far or t.inertia < best_so_far[k]
            if best:
                best_so_far[k] = t.inertia
            rows.append(Listed(t.attempt, t.inertia, t.params, best,
                               t.inertia == lowest[k]))
        return rows
