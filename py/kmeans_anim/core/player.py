"""The animation timeline of a recorded k-means run: what to show at time t; play/pause/step.

Nothing here touches the DOM or reads a clock: times are passed in (seconds), so every frame is a
pure function of them and the tests need no sleeps.

Schedule of a run (``run.steps`` = init, assign 1, update 1, assign 2, update 2, ...)::

    init      |-- init_seconds --|  points unassigned, initial centroids
    (or pick 1 .. pick K, each init_seconds: a seeding rule's picks, one centroid each)
    assign i  |-- 40% --|           points recoloured at once, centroids still at the old places
    update i            |-- 60% --| centroids glide from old to new (cubic ease-in-out)

A final extra "assign" (re-assignment after a max_iter/tol stop) is a recolour held for 40% of an
iteration. An update that moves nothing (convergence) holds for its 60%.

The picture at time t is what has happened *by* t: step i owns the interval (start, end], so at
the end of an assignment the points wear their new colours with the centroids where they were,
and at the end of an update the centroids stand at their clusters' means with the colours
unchanged. Pausing, stepping and the scrubber use those ends (`Timeline.shown_at`): a paused
half-step always shows what its label says. Only the start (t = 0) belongs to the first step.

Example
-------
>>> from kmeans_anim.core.player import Timeline, Player
>>> timeline = Timeline(run, seconds_per_iteration=1.0)          # doctest: +SKIP
>>> player = Player(timeline); player.play(now=0.0)              # doctest: +SKIP
>>> frame = player.frame(now=0.75)   # labels, centroids, iteration, done, moving   # doctest: +SKIP
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

import numpy as np

__all__ = [
    "ASSIGN_FRACTION", "UPDATE_FRACTION", "MIN_SPEED", "MAX_SPEED",
    "Frame", "Timeline", "Player", "ease_cubic_in_out", "assignment_centroids", "start_index",
]

# Share of an iteration during which a fresh assignment is held still before the centroids move:
# the eye needs a moment to see which points changed colour before something else moves.
ASSIGN_FRACTION = 0.4
# The rest of the iteration is the centroid glide. With 1 s per iteration that is 0.6 s, close
# to the notebook's 1 s bqplot transition while leaving the recolour its own beat.
UPDATE_FRACTION = 1.0 - ASSIGN_FRACTION
MIN_SPEED, MAX_SPEED = 0.25, 16.0
# Times closer than this are the same instant (float sums of step durations).
_EPS = 1e-9
# Steps after which the centroids stand somewhere new (their trails bend there).
_MOVES = ("update", "move")


def ease_cubic_in_out(p):
    """d3's ``easeCubicInOut`` (bqplot's default transition) on progress ``p`` in [0, 1]."""
    p = 2.0 * p
    if p <= 1.0:
        return 0.5 * p * p * p
    p -= 2.0
    return 0.5 * (p * p * p + 2.0)


def start_index(steps) -> int:
    """Index of the half-step that shows the whole start (all k initial centroids): the last
    of the picks a run begins with ("pick" steps, see `session.PickStep`), else 0."""
    index = 0
    while index + 1 < len(steps) and steps[index].kind == steps[index + 1].kind == "pick":
        index += 1
    return index


def assignment_centroids(run, step_index: int):
    """The centroids that produced the labels shown at half-step `step_index`: those of the
    latest "assign" step at or before it, as a (k, 2) array; None before the first assignment.

    While centroids glide after an update, the points keep the colours this assignment gave
    them, so its nearest-centroid regions are the ones that explain the picture.
    """
    for step in reversed(run.steps[: step_index + 1]):
        if step.kind == "assign":
            return step.centroids
    return None


@dataclass(frozen=True)
class Frame:
    """What to draw at one instant.

    Attributes
    ----------
    labels : ndarray of int, shape (n,)
        Labels to show; all -1 before the first assignment.
    centroids : ndarray of float, shape (k, 2)
        Centroid positions to show (interpolated during a glide).
    iteration : int
        Value for the "Iterations: N" label: 0 before the first assignment, then the Lloyd
        iteration being shown.
    step_index : int
        Index in ``run.steps`` of the latest half-step reached.
    done : bool
        True at and after the end of the timeline.
    moving : bool
        True while centroids are gliding: only then does the caller need to redraw every
        animation frame.
    """

    labels: np.ndarray
    centroids: np.ndarray
    iteration: int
    step_index: int
    done: bool
    moving: bool


class Timeline:
    """When each half-step of a recorded run is shown, and the frame at any time.

    Parameters
    ----------
    run : engine.Run (or anything with ``steps``, ``labels``, ``centroids``, ``n_iter``)
        ``steps[0]`` is the "init" step (or the first of k "pick" steps, which show the
        centroids picked so far, (c, 2)); each step has ``kind``, ``iteration``, ``labels`` (n,)
        and ``centroids`` (k, 2) in effect after it.
    seconds_per_iteration : float
        Length of one Lloyd iteration (assign + update).
    init_seconds : float
        How long the initial centroids are shown over unassigned points (each pick, for a
        start picked one centroid at a time).
    """

    def __init__(self, run, seconds_per_iteration: float = 1.0, init_seconds: float = 0.5,
                 glide: bool = True):
        if not seconds_per_iteration > 0 or not init_seconds >= 0:
            raise ValueError("seconds_per_iteration must be > 0 and init_seconds >= 0")
        if not run.steps:
            raise ValueError("run has no steps")
        self.run = run
        self.seconds_per_iteration = float(seconds_per_iteration)
        self.init_seconds = float(init_seconds)
        #: False for viewers who asked for reduced motion: centroids jump at each update
        #: instead of gliding (the update's time is kept, so the rhythm is the same).
        self.glide = bool(glide)
        self.refresh()

    def refresh(self) -> None:
        """Take in the steps a run still being computed has recorded since the last call
        (cheap: O(steps)). A finished run's timeline ends with its final frame; an
        unfinished one holds its last step's end until more steps come."""
        steps = tuple(self.run.steps)
        self.steps = steps
        self.finished = bool(getattr(self.run, "finished", True))
        lengths = [self._length(step) for step in steps]
        self._starts = np.concatenate([[0.0], np.cumsum(lengths)])
        self._starts_list = self._starts[:-1].tolist()    # for bisect
        #: Length in seconds of the steps recorded so far.
        self.duration = float(self._starts[-1])
        # Positions for trails: the initial centroids (all k: the last pick's), then each
        # update's (or hand move's) end point; _moves_before[i] = how many of those end at or
        # before the start of step i.
        moves = [step.kind in _MOVES for step in steps]
        self._visited = np.stack(
            [np.asarray(steps[start_index(steps)].centroids, float)]
            + [np.asarray(s.centroids, float) for s, m in zip(steps, moves) if m])
        self._moves_before = np.cumsum([0] + moves)

    def _length(self, step) -> float:
        if step.kind in ("init", "move", "pick"):
            return self.init_seconds
        if step.kind == "assign":
            return ASSIGN_FRACTION * self.seconds_per_iteration
        if step.kind == "update":
            return UPDATE_FRACTION * self.seconds_per_iteration
        raise ValueError(f"unknown step kind {step.kind!r}")

    def step_start(self, index: int) -> float:
        """Time at which ``steps[index]`` begins (``index == len(steps)`` gives the duration)."""
        if not 0 <= index <= len(self.steps):
            raise IndexError(index)
        return float(self._starts[index])

    def shown_at(self, index: int) -> float:
        """The time at which half-step ``index`` is shown complete: 0 for the start (the init
        step), else the end of its interval. Where a pause or a step lands."""
        if not 0 <= index < len(self.steps):
            raise IndexError(index)
        return 0.0 if index == 0 else float(self._starts[index + 1])

    def step_at(self, t: float) -> int:
        """Index of the half-step whose picture is shown at time ``t`` (clamped)."""
        if t >= self.duration - _EPS:
            return len(self.steps) - 1
        return self._locate(max(float(t), 0.0))[0]

    def _locate(self, t: float) -> tuple[int, float]:
        """(index of the step shown at t, progress 0..1 within it); t inside [0, duration).
        Step i owns (start_i, end_i]; t = 0 belongs to the init step."""
        index = bisect.bisect_left(self._starts_list, t - _EPS) - 1
        index = max(index, 0)
        start, end = self._starts[index], self._starts[index + 1]
        progress = (t - start) / (end - start) if end > start else 1.0
        return index, min(max(progress, 0.0), 1.0)

    def _glide(self, index: int, progress: float) -> tuple[np.ndarray, bool]:
        """Centroids shown during update step ``index`` at ``progress``, and whether moving."""
        old = np.asarray(self.steps[index - 1].centroids, float)
        new = np.asarray(self.steps[index].centroids, float)
        if not self.glide:
            return new, False
        if progress >= 1.0 or np.array_equal(old, new):
            return new if progress >= 1.0 else old, False
        return old + (new - old) * ease_cubic_in_out(progress), True

    def frame_at(self, t: float) -> Frame:
        """The frame at time ``t`` (clamped to [0, duration])."""
        t = float(t)
        if t >= self.duration - _EPS:
            # The end of what is recorded: the final frame, or a hold until more is computed.
            last = self.steps[-1]
            return Frame(np.asarray(last.labels), np.asarray(last.centroids, float),
                         int(last.iteration), len(self.steps) - 1, self.finished, False)
        index, progress = self._locate(max(t, 0.0))
        step = self.steps[index]
        moving = False
        if step.kind == "update" and index > 0:
            centroids, moving = self._glide(index, progress)
        else:
            centroids = np.asarray(step.centroids, float)
        return Frame(np.asarray(step.labels), centroids, int(step.iteration), index, False, moving)

    def trails(self, t: float) -> np.ndarray:
        """Positions each centroid has visited up to time ``t``, shape (k, m, 2), m >= 1.

        The initial position, each update's end point reached so far, then the current position
        when a glide is under way. Pass it to ``KMeansView.render(trails=...)``.
        """
        t = float(t)
        if t >= self.duration - _EPS:
            return self._visited.transpose(1, 0, 2)
        index, progress = self._locate(max(t, 0.0))
        moving = False
        if self.steps[index].kind == "update" and index > 0:
            current, moving = self._glide(index, progress)
        # The step on screen has moved the centroids to its end point unless it is still gliding.
        done_moves = int(self._moves_before[index]) + (self.steps[index].kind in _MOVES and not moving)
        path = self._visited[: 1 + done_moves]
        if moving:
            path = np.concatenate([path, current[None]])
        return path.transpose(1, 0, 2)


class Player:
    """Play / pause / step over a Timeline with an externally supplied clock (seconds, monotonic).

    The position advances at ``speed`` timeline seconds per clock second while playing. Reaching
    the end stops playback (``playing`` turns False at the first query that sees it).
    """

    def __init__(self, timeline: Timeline, speed: float = 1.0):
        self.timeline = timeline
        self._speed = self._check_speed(speed)
        self._pos = 0.0          # timeline time at clock time _anchor
        self._anchor = 0.0
        self._playing = False

    @staticmethod
    def _check_speed(speed: float) -> float:
        speed = float(speed)
        if not MIN_SPEED <= speed <= MAX_SPEED:
            raise ValueError(f"speed must be in [{MIN_SPEED}, {MAX_SPEED}], got {speed}")
        return speed

    @property
    def playing(self) -> bool:
        return self._playing

    @property
    def speed(self) -> float:
        return self._speed

    def _clamp(self, t: float) -> float:
        return min(max(float(t), 0.0), self.timeline.duration)

    def position(self, now: float) -> float:
        """Timeline time at clock time ``now``; playback stops once it reaches the end of a
        finished run, and waits at the end of what is recorded of an unfinished one (the
        clock does not run ahead meanwhile, so play resumes smoothly when steps arrive)."""
        if not self._playing:
            return self._pos
        t = self._pos + (now - self._anchor) * self._speed
        if t >= self.timeline.duration:
            self._pos, self._anchor = self.timeline.duration, now
            self._playing = not self.timeline.finished
            return self._pos
        return max(t, 0.0)

    @property
    def waiting(self) -> bool:
        """Playing, but at the end of what is recorded so far (more steps are being computed)."""
        return self._playing and self._pos >= self.timeline.duration - _EPS

    def _rebase(self, t: float, now: float) -> None:
        self._pos, self._anchor = self._clamp(t), now

    def play(self, now: float) -> None:
        """Start or resume from the current position; at the end of a finished run, start
        again from 0."""
        t = self.position(now)
        if t >= self.timeline.duration and self.timeline.finished:
            t = 0.0
        self._rebase(t, now)
        self._playing = self.timeline.duration > 0

    def pause(self, now: float) -> None:
        self._rebase(self.position(now), now)
        self._playing = False

    def toggle(self, now: float) -> None:
        if self._playing:
            self.pause(now)
        else:
            self.play(now)

    def step_forward(self, now: float) -> None:
        """Pause where the next half-step is shown complete: the end of the glide on screen if
        the centroids are moving, else the half-step after the one shown (or the end)."""
        frame = self.frame(now)
        index = frame.step_index + (0 if frame.moving else 1)
        steps = self.timeline.steps
        self._rebase(self.timeline.shown_at(index) if index < len(steps) else self.timeline.duration, now)
        self._playing = False

    def step_back(self, now: float) -> None:
        """Pause where the half-step before the one on screen is shown complete (or at 0).
        From mid-glide that is the assignment before the glide; from the end, the half-step
        before the last."""
        index = max(self.frame(now).step_index - 1, 0)
        self._rebase(self.timeline.shown_at(index), now)
        self._playing = False

    def seek_step(self, index: int, now: float) -> None:
        """Pause at half-step ``index`` shown complete (clamped to the steps recorded)."""
        index = min(max(int(index), 0), len(self.timeline.steps) - 1)
        self._rebase(self.timeline.shown_at(index), now)
        self._playing = False

    def seek(self, t: float, now: float) -> None:
        """Jump to timeline time ``t`` (clamped); playing or paused state is kept."""
        self._rebase(t, now)
        self.position(now)  # stops playback if t is the end

    def set_speed(self, speed: float, now: float) -> None:
        """Change the speed (0.25..4) without moving the current position."""
        speed = self._check_speed(speed)
        self._rebase(self.position(now), now)
        self._speed = speed

    def frame(self, now: float) -> Frame:
        return self.timeline.frame_at(self.position(now))

    def trails(self, now: float) -> np.ndarray:
        return self.timeline.trails(self.position(now))

    def done(self, now: float) -> bool:
        return self.timeline.finished and self.position(now) >= self.timeline.duration
