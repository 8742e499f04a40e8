"""What GO and RETRY do, without the browser: data, initial centroids and a recorded run.

One integer seed fixes everything: the points come from ``default_rng([seed, 0])`` and attempt
``a`` (0 for GO, 1, 2, ... for each RETRY) initialises and runs with ``default_rng([seed, 1, a])``,
so the same seed and attempt give the identical run in CPython and in the page. A run continued
from centroids moved by hand (a branch) draws from ``default_rng([seed, 2, a, b])``, b = 1, 2, ...
for each move.

A run is a `Recording`: the page computes it one iteration at a time between animation frames
(`Recording.advance`), so a million points never freeze the tab; `Session.go` / `retry` compute
it to the end for callers that want the whole run at once. With a seeding rule that picks the
centroids one at a time ("k-means++", "greedy-k-means++", "farthest") the start is shown as
half-steps of its own, one `PickStep` per centroid, in place of the one "init" half-step.

>>> from kmeans_anim.core.params import Params
>>> s = Session()
>>> run = s.go(Params(n=60, k=3, seed=7))
>>> s.points.shape, run.n_iter <= 10, run.finished
((60, 2), True, True)
>>> first = s.initial_centroids.copy()
>>> _ = s.retry()
>>> bool((s.initial_centroids != first).any())
True
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from . import data, engine
from .choices import MANUAL
from .params import CUSTOM, DATA_FIELDS, Params, true_centers, uses

#: Fresh seeds have at most six digits, short enough to read aloud in class; the seed field
#: accepts any seed up to params.SEED_MAX.
FRESH_SEEDS = 1_000_000


#: Points per piece of a pass when a run is computed in pieces (about 25 ms in the page at
#: K = 10: a piece between two frames keeps the animation smooth).
PIECE = 100_000


def attempt_key(seed: int, attempt: int) -> list[int]:
    """The seed sequence of attempt ``attempt``'s generator: ``[seed, 1, attempt]``."""
    return [seed, 1, attempt]


def branch_key(seed: int, attempt: int, branch: int) -> list[int]:
    """The seed sequence of the generator of branch ``branch`` (1, 2, ...: the moves by hand
    in attempt ``attempt``): ``[seed, 2, attempt, branch]``."""
    return [seed, 2, attempt, branch]


def attempt_rng(seed: int, attempt: int) -> np.random.Generator:
    """The generator attempt ``attempt`` (0 for GO, 1, 2, ... for each RETRY) initialises and
    runs with: ``default_rng([seed, 1, attempt])`` (see the module's docstring)."""
    return np.random.default_rng(attempt_key(seed, attempt))


def random_seed() -> int:
    """A fresh seed in 0..999999, from the OS entropy pool."""
    return int(np.random.SeedSequence().entropy % FRESH_SEEDS)


@dataclass(frozen=True, eq=False)
class PickStep:
    """One pick of a seeding rule as a half-step of a `Recording` (kind "pick"): the centroids
    picked so far, the last one just now. It has the fields of an `engine.Step`, so the player,
    the chart and the snapshot take it like any other half-step.

    Attributes
    ----------
    pick : teach.InitStep
        The pick: its row, and every point's D² weight and chance before it.
    of : int
        K, the number of picks of the start.
    labels : ndarray of shape (n,), read-only
        All -1 (nothing is assigned during the start): the "init" step's array, shared.
    centroids : ndarray of shape (pick.number + 1, 2), float64, read-only
        The centroids picked so far, in pick order (a view of the start's centroids).
    inertia : float
        The sum of squared distances of the points to the nearest of those centroids (data
        units squared): the next pick's ΣD², and for the last pick the "init" step's inertia.
    iteration : int
        The iteration before the first (as the "init" step's).
    """

    pick: object
    of: int
    labels: np.ndarray
    centroids: np.ndarray
    inertia: float
    iteration: int
    kind: str = "pick"
    changed: int = 0
    shift: float = 0.0
    empty: tuple[int, ...] = ()
    relocated: tuple[int, ...] = ()


def pick_steps(picks, start: engine.Step) -> list[PickStep]:
    """The half-steps of a start picked one centroid at a time.

    `picks`: the k `teach.InitStep` of the start, in order; `start`: the stepper's "init" step
    (its centroids are those picks' points, (k, 2)). The last pick shows what `start` shows.
    """
    steps = []
    for c, pick in enumerate(picks):
        if c + 1 < len(picks):
            # After this pick every point is at its next pick's D² from the nearest centroid.
            after = picks[c + 1].pick
            inertia = float(np.ldexp(after.closest_sq.sum(), -2 * after.exponent))
        else:
            inertia = start.inertia
        steps.append(PickStep(pick, len(picks), start.labels, start.centroids[: c + 1], inertia,
                              start.iteration))
    return steps


class Recording:
    """A run of Lloyd's algorithm as the page shows it: the half-steps recorded so far, and
    more on demand.

    It has the fields of an `engine.Run` (``steps``, ``labels``, ``centroids``, ``inertia``,
    ``n_iter``, ``stop_reason``: the last four valid once ``finished``), so the player, the
    snapshot and the exports take either.

    Parameters
    ----------
    stepper : engine.LloydStepper
        Computes the iterations; its first step is the start.
    prefix : sequence of engine.Step
        For a branch: the steps of the run it continues, up to the one on screen when a
        centroid was moved by hand. Its own first step is then recorded as a "move".
    points : ndarray of shape (n, 2), optional
        The session's points the run is on, kept as ``points``: every run on the same points
        (RETRY, a branch) holds this very array, so ``a.points is b.points`` tells that two
        runs are comparable (the inertia chart shares its y axis between them).
    move_inertia : float, optional
        For a branch: the inertia of what the move shows (the moved centroids with the colours
        the points still wear), instead of the stepper's (each point to its nearest centroid,
        which is the next assignment's).
    picks : sequence of teach.InitStep, optional
        The picks of the start, one per centroid (a seeding rule's): they are recorded as
        `PickStep` half-steps in place of the stepper's "init" step.
    """

    def __init__(self, stepper: engine.LloydStepper, prefix=(), points=None,
                 move_inertia: float | None = None, picks=()):
        self._stepper = stepper
        self.points = points
        first = [stepper.steps[0]]
        if prefix:
            first = [dataclasses.replace(first[0], kind="move")]
            if move_inertia is not None:
                first = [dataclasses.replace(first[0], inertia=move_inertia)]
        elif picks:
            first = pick_steps(picks, first[0])
        self.steps: list = [*prefix, *first, *stepper.steps[1:]]

    @property
    def finished(self) -> bool:
        return self._stepper.finished

    def advance(self) -> list:
        """Compute one more iteration (about one pass over the points); return its steps."""
        return data.run_pieces(self.advance_in_pieces(None))

    def advance_in_pieces(self, piece: int | None = PIECE):
        """`advance` as a generator that yields after every `piece` points of a pass, so the
        page paints and answers clicks meanwhile; returns the new steps."""
        new = yield from self._stepper.advance_in_pieces(piece)
        self.steps.extend(new)
        return new

    def finish(self) -> "Recording":
        while not self.finished:
            self.advance()
        return self

    @property
    def stop_reason(self) -> str | None:
        return self._stepper.stop_reason

    @property
    def labels(self) -> np.ndarray:
        return self.steps[-1].labels

    @property
    def centroids(self) -> np.ndarray:
        return self.steps[-1].centroids

    @property
    def inertia(self) -> float:
        return self.steps[-1].inertia

    @property
    def n_iter(self) -> int:
        """The last iteration's number (a branch goes on counting the run it continues)."""
        return self.steps[-1].iteration


def _one_place() -> data.PointsError:
    return data.PointsError("all the points sit at the same place; k-means needs at least "
                            "2 different points")


def _check_distinct(points: np.ndarray) -> None:
    """Raise data.PointsError unless the points (n, 2) hold at least 2 different positions."""
    # count_distinct stops at 2: two passes over the points, not a sort of them all.
    if engine.count_distinct(points, 2) < 2:
        raise _one_place()


class Session:
    """The current points and the latest run. GO replaces both; RETRY replaces the run only."""

    def __init__(self) -> None:
        self.params: Params | None = None   # what the current points and run were made with
        self.seed: int | None = None
        self.attempt = 0
        self.branches = 0                             # moves by hand in this attempt
        self.points: np.ndarray | None = None        # (n, 2) float64
        self.true_labels: np.ndarray | None = None   # (n,) int; None for the visitor's points
        self.initial_centroids: np.ndarray | None = None  # (k, 2)
        self.run: Recording | None = None

    # -- the whole run at once (CPython callers, tests) --------------------------------------

    def go(self, params: Params, points: np.ndarray | None = None,
           centroids: np.ndarray | None = None) -> Recording:
        """Points from params.seed (a new random seed if None), then the run of params.attempt
        (0 for a GO; a link to a RETRY names a later attempt), computed to the end.

        For the data set "custom", `points` (n, 2) are the visitor's own. For the start
        "manual", `centroids` (k, 2) are the ones placed by hand. Raises data.PointsError if all
        the points sit at one place (nothing to cluster).
        """
        self.prepare(params, points)
        return self.start(centroids).finish()

    def retry(self, params: Params | None = None, centroids: np.ndarray | None = None) -> Recording:
        """Same points, the next attempt: new initial centroids (and K/init/rules from params)."""
        self.next_attempt(params)
        return self.start(centroids).finish()

    # -- step by step (the page) ------------------------------------------------------------

    def prepare(self, params: Params, points: np.ndarray | None = None) -> None:
        """GO's first half: the points (and the attempt of params), no run yet."""
        data.run_pieces(self.prepare_in_pieces(params, points))

    def prepare_in_pieces(self, params: Params, points: np.ndarray | None = None):
        """`prepare` as a generator that yields between pieces of the data set's making."""
        seed = random_seed() if params.seed is None else params.seed
        if params.dataset == CUSTOM:
            if points is None:
                raise ValueError("the data set 'your own points' needs points")
            points, true_labels = np.array(points, dtype=float), None
        else:
            points, true_labels = yield from data.generate_in_pieces(
                params.dataset, params.n, np.random.default_rng([seed, 0]),
                centers=true_centers(params), std=params.std, noise=params.noise,
                columns=(params.x, params.y))  # an example data set's columns
        # Refused before anything is replaced: a GO refused leaves the points and the run on
        # screen as they were ("nothing was changed" is true).
        _check_distinct(points)
        # The params describe the run on screen exactly (a link to it, Copy as Python): the
        # seed drawn here is in them.
        self.params, self.seed = dataclasses.replace(params, seed=seed), seed
        self.points, self.true_labels = points, true_labels
        self.attempt = params.attempt
        self.run = None
        self.initial_centroids = None

    def next_attempt(self, params: Params | None = None, attempt: int | None = None) -> None:
        """RETRY's first half: same points, the next attempt (or attempt `attempt`: one shown
        again, the best of N), no run yet."""
        if self.points is None:
            raise RuntimeError("RETRY needs points: press GO first")
        self.attempt = self.attempt + 1 if attempt is None else int(attempt)
        # K, the start and the rules may change; the points do not, nor the params that made them.
        params = params or self.params
        kept = {name: getattr(self.params, name) for name in DATA_FIELDS}
        if "centers" in uses(self.params) and params.k != self.params.k:
            kept["centers"] = true_centers(self.params)  # "as many as K" was the old K
        self.params = dataclasses.replace(params, **kept, attempt=self.attempt)
        self.run = None
        self.initial_centroids = None

    def k(self) -> int:
        """K for a run on these points: the K asked for, lowered to the number of different
        points (each centroid needs its own). Raises data.PointsError for a single place."""
        # count_distinct stops at K: a sort of all the points, as np.unique does, takes a
        # second at a million.
        k = engine.count_distinct(self.points, self.params.k)
        if k < 2:
            raise _one_place()
        return k

    def start(self, centroids: np.ndarray | None = None) -> Recording:
        """A run of the current attempt, of which only the start is computed.

        `centroids` (k, 2): placed by hand (required for the start "manual", ignored
        otherwise).
        """
        return data.run_pieces(self.start_in_pieces(centroids, None))

    def start_in_pieces(self, centroids: np.ndarray | None = None, piece: int | None = PIECE):
        """`start` as a generator that yields after every `piece` points of the assignment
        the start needs, and returns the Recording."""
        # teach imports this module (for attempt_rng and PIECE): imported here, not above.
        from . import teach  # noqa: PLC0415

        p = self.params
        rng = attempt_rng(self.seed, self.attempt)
        picks = []
        if p.init == MANUAL:
            if centroids is None:
                raise ValueError("the start 'place by hand' needs the centroids placed")
            start = np.array(centroids, dtype=float).reshape(-1, 2)
        elif p.init in teach.SEEDING_METHODS:
            # The same code and generator as engine.init_centroids, one pick per piece; each
            # pick is kept to be shown as a half-step.
            pieces = teach.init_steps_in_pieces(self.points, self.k(), p.init, rng)
            while True:
                try:
                    picks.append(next(pieces))
                except StopIteration as done:
                    start = done.value
                    break
                yield
        else:
            start = engine.init_centroids(self.points, self.k(), p.init, rng)
        stepper = engine.LloydStepper(self.points, start, max_iter=p.max_iter, tol=p.tol,
                                      empty_rule=p.empty, rng=rng, start_later=True)
        yield from stepper.start_in_pieces(piece)
        self.initial_centroids = start
        self.branches = 0
        self.run = Recording(stepper, points=self.points, picks=picks)
        return self.run

    def branch(self, step_index: int, centroids: np.ndarray, labels: np.ndarray,
               iteration: int) -> Recording:
        """Continue the run from centroids moved by hand while half-step `step_index` was on
        screen, showing `labels` (n,) at iteration `iteration`: the steps up to it are kept
        (stepping back still works), the rest is Lloyd's algorithm from the new centroids.

        Refused (ValueError) while a pick of the start is on screen: the run needs all K."""
        shown = self.run.steps[step_index]
        if shown.kind == "pick" and shown.pick.number + 1 < shown.of:
            raise ValueError(f"the centroids can be moved once all {shown.of} are picked; "
                             f"step on to the last pick or later")
        self.branches += 1
        p = self.params
        rng = np.random.default_rng(branch_key(self.seed, self.attempt, self.branches))
        stepper = engine.LloydStepper(self.points, centroids, max_iter=p.max_iter, tol=p.tol,
                                      empty_rule=p.empty, rng=rng, previous_labels=labels,
                                      first_iteration=iteration + 1)
        shown = None  # the inertia of the picture after the move (see Recording)
        if len(labels) and (np.asarray(labels) >= 0).all():
            shown = engine.inertia(self.points, labels, np.asarray(centroids, dtype=float))
        self.run = Recording(stepper, prefix=self.run.steps[: step_index + 1], points=self.points,
                             move_inertia=shown if shown is not None and np.isfinite(shown) else None)
        return self.run

    def given_start(self) -> tuple[np.ndarray, list[int], str] | None:
        """The centroids the run on screen started from when they were not drawn from the
        attempt's generator, for "Copy as Python": (centroids (k, 2), the seed sequence of the
        generator the run draws from after them, how they came to be in words), or None.

        Centroids moved by hand during the run (the last move: the run on screen continues from
        it, drawing from `branch_key`) come before centroids placed by hand (the start
        "manual", drawing from `attempt_key`).
        """
        if self.run is None:
            return None
        if self.branches:
            move = next(st for st in reversed(self.run.steps) if st.kind == "move")
            return (move.centroids, branch_key(self.seed, self.attempt, self.branches),
                    "as you moved them by hand during the run")
        if self.params.init == MANUAL:
            return (self.initial_centroids, attempt_key(self.seed, self.attempt),
                    "placed by hand")
        return None
