"""A race: two to four initialisations run side by side on the same points, their half-steps
shown in step. Pure: numpy and the core; no clock (times are passed in), no DOM.

Each racer is exactly the single run of its start: the same points (``default_rng([seed, 0])``)
and the same attempt generator (``session.attempt_key(seed, attempt)``) the single view would
use with ``init=<that start>``, made by `session.Session` itself. "In step" means the same
half-step index for every racer: at index i each racer shows its half-step i complete, or its
last one when its run has ended sooner (it holds its final frame).

>>> from kmeans_anim.core.params import Params
>>> race = Race(Params(n=60, k=3, seed=7), ("random", "k-means++"))
>>> _ = race.finish()
>>> [r.init for r in race.racers], race.last_index == max(len(r.run.steps) for r in race.racers) - 1
(['random', 'k-means++'], True)
>>> race.frames(0)[0].step_index, race.frames(10 ** 6)[1].step_index == len(race.racers[1].run.steps) - 1
(0, True)
"""

from __future__ import annotations

import copy
import dataclasses
import math

from . import data
from .params import RACE_MAX, RACE_MIN, Params
from .player import MAX_SPEED, MIN_SPEED, Frame, Timeline
from .session import PIECE, Recording, Session

__all__ = ["Racer", "Race", "RaceClock", "HALF_STEPS_PER_SECOND"]

#: Playback pace at speed 1: two half-steps (one Lloyd iteration) per second, as the single view.
HALF_STEPS_PER_SECOND = 2.0
#: Inertias this close (relative) are a tie: the same minimum reached by two starts differs only
#: by the rounding of the sums.
TIE = 1e-9


@dataclasses.dataclass
class Racer:
    """One start in the race: its initialisation's name, the session that made its run (points
    shared with the others), the run and its timeline."""

    init: str
    session: Session
    run: Recording
    timeline: Timeline

    def index(self, index: int) -> int:
        """The racer's half-step shown at the race's half-step `index` (clamped to its run)."""
        return min(max(int(index), 0), len(self.run.steps) - 1)


class Race:
    """Two to four starts on the same points.

    Parameters
    ----------
    params : Params
        The single view's parameters (seed given: the points); ``init`` is replaced by each
        racer's start.
    names : sequence of str
        The starts (keys of choices.INITS, not "manual"), RACE_MIN to RACE_MAX of them, as
        `params.parse_race` returns them.
    points : ndarray of shape (n, 2), optional
        The visitor's own points (data set "custom").
    """

    def __init__(self, params: Params, names, points=None):
        if not RACE_MIN <= len(names) <= RACE_MAX:
            raise ValueError(f"a race needs {RACE_MIN} to {RACE_MAX} starts, got {len(names)}")
        if params.seed is None:
            raise ValueError("a race needs a seed (the points)")
        self.params = params
        self.names = tuple(names)
        self._given_points = points
        self.racers: list[Racer] = []
        self.points = None

    # -- making the runs -------------------------------------------------------------------

    def start_in_pieces(self, piece: int | None = PIECE):
        """The points (once), then each racer's start, a piece per yield; returns self.
        Raises data.PointsError for points that cannot be clustered (one place)."""
        base = Session()
        yield from base.prepare_in_pieces(self.params, self._given_points)
        self.points = base.points
        for name in self.names:
            # A copy of the prepared session shares its points: each racer is that session
            # with its own start, as GO with init=<name> would make it.
            session = copy.copy(base)
            session.params = dataclasses.replace(base.params, init=name)
            run = yield from session.start_in_pieces(None, piece)
            self.racers.append(Racer(name, session, run, Timeline(run)))
        return self

    def needs(self, index: int) -> list[Racer]:
        """The racers whose runs are not yet computed far enough to show half-step `index`."""
        return [r for r in self.racers if not r.run.finished and len(r.run.steps) <= index]

    def advance_in_pieces(self, index: int, piece: int | None = PIECE):
        """Compute each racer's run until it can show half-step `index` (or has ended), a
        piece per yield."""
        for racer in self.needs(index):
            while not racer.run.finished and len(racer.run.steps) <= index:
                yield from racer.run.advance_in_pieces(piece)
            racer.timeline.refresh()

    def finish(self) -> "Race":
        """Everything at once (CPython callers and tests)."""
        if not self.racers:
            data.run_pieces(self.start_in_pieces(None))
        while not self.finished:
            data.run_pieces(self.advance_in_pieces(self.last_index + 1, None))
        return self

    # -- what is shown ---------------------------------------------------------------------

    @property
    def finished(self) -> bool:
        """Every racer's run is computed to its end."""
        return bool(self.racers) and all(r.run.finished for r in self.racers)

    @property
    def last_index(self) -> int:
        """The race's last half-step so far: the longest run's last (the end once finished)."""
        return max(len(r.run.steps) for r in self.racers) - 1

    def time_of(self, racer: Racer, position: float) -> float:
        """The racer's timeline time (seconds) at race position `position` (half-steps,
        >= 0): half-step i = floor(position) shown complete and, between i and i + 1, the way
        to i + 1 on the racer's own timeline (a glide during an update); the time of its last
        frame once its run has ended."""
        whole = math.floor(position)
        i = racer.index(whole)
        timeline = racer.timeline
        start = timeline.shown_at(i)
        if i < whole or i + 1 >= len(timeline.steps):
            return start
        return start + (position - whole) * (timeline.shown_at(i + 1) - start)

    def frame(self, racer: Racer, position: float) -> Frame:
        """What `racer` shows at race position `position` (see `time_of`)."""
        return racer.timeline.frame_at(self.time_of(racer, position))

    def frames(self, position: float) -> list[Frame]:
        """Each racer's frame at race position `position` (see `frame`)."""
        return [self.frame(r, position) for r in self.racers]

    def results(self) -> list[tuple[str, float, int]]:
        """(start, final inertia, iterations) per racer, in race order; valid once finished."""
        return [(r.init, float(r.run.inertia), int(r.run.n_iter)) for r in self.racers]

    def winners(self) -> list[int]:
        """Indices of the racers that finished lowest (several on a tie); valid once finished."""
        inertias = [r.run.inertia for r in self.racers]
        best = min(inertias)
        return [i for i, value in enumerate(inertias) if value - best <= TIE * max(abs(best), 1e-300)]


class RaceClock:
    """Play / pause / step over a race's shared half-step position, with the clock passed in
    (seconds). The position is in half-steps: 2.5 is halfway from half-step 2 to 3.

    `end` is the last half-step to reach (the race's `last_index`, which grows while runs are
    computed); playback waits there until it grows or the race is finished.
    """

    def __init__(self, speed: float = 1.0):
        self.speed = min(max(float(speed), MIN_SPEED), MAX_SPEED)
        self._pos = 0.0
        self._anchor = 0.0
        self.playing = False

    def position(self, now: float, end: int) -> float:
        """The position at clock time `now`, held at `end` (a play reaching it stays playing:
        the caller stops it when the race is finished). A paused position past `end` (a step
        forward whose half-step is being computed) shows `end` meanwhile."""
        if not self.playing:
            return min(self._pos, float(end))
        t = self._pos + (now - self._anchor) * self.speed * HALF_STEPS_PER_SECOND
        if t >= end:
            self._pos, self._anchor = float(end), now
            return float(end)
        return t

    def index(self, now: float, end: int) -> int:
        """The half-step on screen: the last one reached."""
        return math.floor(self.position(now, end) + 1e-9)

    def play(self, now: float, end: int, finished: bool) -> None:
        """Play on; from the end of a finished race, from its start again."""
        t = self.position(now, end)
        if finished and t >= end:
            t = 0.0
        self._pos, self._anchor, self.playing = t, now, True

    def pause(self, now: float, end: int) -> None:
        self._pos, self._anchor, self.playing = self.position(now, end), now, False

    def seek(self, index: int, now: float) -> None:
        """Pause at half-step `index` (>= 0) shown complete."""
        self._pos, self._anchor, self.playing = float(max(int(index), 0)), now, False

    def step(self, delta: int, now: float, end: int, finished: bool) -> int:
        """Pause at the half-step `delta` (+1 or -1) from the one on screen (from mid-glide,
        +1 is the end of that glide); returns it. Never before 0; forward, never past the end
        of a finished race, and at most one half-step past `end` while runs are computed (the
        caller computes it: `Race.advance_in_pieces`)."""
        position = self.position(now, end)
        index = math.floor(position + 1e-9)
        target = max(index + delta, 0)
        if delta > 0:
            target = min(target, end if finished else end + 1)
        self.seek(target, now)
        return target

    def set_speed(self, speed: float, now: float, end: int) -> None:
        self._pos, self._anchor = self.position(now, end), now
        self.speed = min(max(float(speed), MIN_SPEED), MAX_SPEED)
