"""Browser glue for the animation: one asyncio task plays a recorded run frame by frame onto the
canvas, and the play / step buttons, the "Iterations" label and the status line follow it.
Imports js (browser glue only).

A new run tells the running task to stop and waits for it before starting, so two loops never
run at once; a paused or finished loop sleeps until a control wakes it. A failure while making
or drawing a run is shown in plain words and ends that run only: the next GO works.
"""

from __future__ import annotations

import asyncio
from collections import deque

import js

from . import wording
from .player import Player, Timeline, assignment_centroids
from .web_dom import el, next_animation_frame, now

FRAME_LOG = 2000  # per-frame draw times kept (of the current run) for benchmarks/bench_page.py
PLAY_LABELS = {"running": "pause", "paused": "play", "done": "replay"}


class Animator:
    """Plays runs on the canvas. `make_run` callables come from the page (GO / RETRY)."""

    def __init__(self, canvas, controls, session) -> None:
        self.canvas, self.controls, self.session = canvas, controls, session
        self.player: Player | None = None
        self.frame = None
        self.task: asyncio.Task | None = None
        self.status = "ready"
        self.run_id = 0
        self.loops_running = 0
        self.max_loops_running = 0
        self.frame_ms: deque[float] = deque(maxlen=FRAME_LOG)
        self.wake = asyncio.Event()
        self.paused_by_hiding = False
        self._shown_step = None
        self._iteration_shown = None

    # ------------------------------------------------------------ runs

    def launch(self, make_run, autoplay: bool = True) -> None:
        """Start a new run once the running one (if any) has stopped.

        `make_run()` returns an engine.Run (computed by the session), or None when the page has
        already said why there is nothing to run. Stopping is cooperative: bumping run_id makes
        the running loop return at its next frame. (Task.cancel() would do, but Pyodide 0.27's
        WebLoop logs every cancelled task as an error.)
        """
        self.run_id += 1
        self.wake.set()  # an idle loop (paused or finished) wakes up and sees it is superseded
        self.status = "starting"
        self.task = asyncio.ensure_future(self._play_after(self.task, make_run, self.run_id, autoplay))

    async def _play_after(self, previous, make_run, run_id: int, autoplay: bool) -> None:
        if previous is not None:
            await previous
        if run_id != self.run_id:
            return  # superseded by a later click while waiting
        self.loops_running += 1
        self.max_loops_running = max(self.max_loops_running, self.loops_running)
        try:
            run = make_run()
            if run is None:
                self.status = "ready" if self.player is None else self._player_status()
                return
            self._start(run, autoplay)
            await self._loop(run, run_id)
        except Exception as error:  # noqa: BLE001 -- any failure is shown, and ends this run only
            self._fail(error)
        finally:
            self.loops_running -= 1

    def _start(self, run, autoplay: bool) -> None:
        self.canvas.set_points(self.session.points)
        self.player = Player(Timeline(run), speed=self.session.params.speed)
        if autoplay:
            self.player.play(now())
        self._shown_step = None
        self.frame_ms.clear()  # per run: what benchmarks/bench_page.py reads
        for name in ("retry", "play", "step-back", "step-forward"):
            el(name).disabled = False
        el("status").textContent = ""

    async def _loop(self, run, run_id: int) -> None:
        while run_id == self.run_id:
            self.frame = self.player.frame(now())
            self.draw()
            self._show_state(run)
            if self.frame.done or not self.player.playing:
                # Nothing moves: sleep until a control (play, step) or a new run wakes us.
                self.wake.clear()
                await self.wake.wait()
            else:
                await next_animation_frame()

    def _fail(self, error: Exception) -> None:
        """A run could not be made or drawn: say so; the page stays usable."""
        self.status = "failed"
        self.player = None
        self.frame = None
        self.controls.show_message(
            f"This run could not be shown: {error}. Nothing else is affected: change the settings "
            f"or the points, and press GO again.", about_run=True)
        el("status").textContent = "the run failed (see the message above)"
        js.console.warn(f"k-means run failed: {error!r}")

    # ------------------------------------------------------------ drawing

    def draw(self) -> None:
        """Paint the frame on screen (skipped when nothing changed since the last paint)."""
        frame, run = self.frame, self.session.run
        key = (self.run_id, frame.step_index, frame.moving and frame.centroids.tobytes())
        t0 = js.performance.now()
        step = run.steps[frame.step_index]
        painted = self.canvas.paint(
            frame.labels, frame.centroids, key=key,
            trails=self.player.trails(now()) if self.controls.params.paths else None,
            regions=(assignment_centroids(run, frame.step_index)
                     if self.controls.params.regions else None),
            empty=tuple(getattr(step, "empty", ())))
        if painted:
            self.frame_ms.append(js.performance.now() - t0)
        if frame.iteration != self._iteration_shown:  # a DOM write only when the count changes
            self._iteration_shown = frame.iteration
            el("iter").textContent = f"Iterations: {frame.iteration or ''}"

    def repaint(self) -> None:
        """Overlays switched or the canvas re-laid out: paint the frame on screen again."""
        self.canvas.invalidate()
        if self.frame is not None and self.player is not None:
            self.draw()

    def _player_status(self) -> str:
        return "done" if self.frame.done else "running" if self.player.playing else "paused"

    def _show_state(self, run) -> None:
        """Play button label and the status line: the half-step on screen, or the outcome."""
        status = self._player_status()
        shown = (status == "done", self.frame.step_index)
        if status != self.status:
            self.status = status
            el("play").textContent = PLAY_LABELS[status]
        if shown != self._shown_step:  # once per half-step, not per frame
            self._shown_step = shown
            el("status").textContent = self._status_line(run)

    def _status_line(self, run) -> str:
        p, s = self.session.params, self.session
        if self.frame.done:
            return wording.summary(run.stop_reason, p.max_iter, run.inertia, s.seed, s.attempt)
        index = self.frame.step_index
        step = run.steps[index]
        first = step.kind == "assign" and all(st.kind != "assign" for st in run.steps[:index])
        text = wording.describe_step(step, p.init, p.empty, first)
        if index == 0 and not self.player.playing:
            text += " · press play (space) to run"
        return text

    # ------------------------------------------------------------ controls

    def control(self, action: str) -> None:
        """play/pause ("toggle"), "step_back" or "step_forward" over the current run."""
        if self.player is None or self.status in ("starting", "failed"):
            return
        getattr(self.player, action)(now())
        # Show the result at once (the loop may be asleep until the wake below is seen).
        self.frame = self.player.frame(now())
        self.draw()
        self._show_state(self.session.run)
        self.wake.set()

    def set_speed(self, speed: float) -> None:
        if self.player is not None:
            self.player.set_speed(speed, now())

    def on_visibility(self, event) -> None:
        # requestAnimationFrame stops in a hidden tab; pause the clock so the run resumes where
        # the visitor left it instead of jumping to the end (and stays paused if they paused it).
        if self.player is None:
            return
        if js.document.hidden and self.status == "running":
            self.player.pause(now())
            self.paused_by_hiding = True
        elif not js.document.hidden and self.paused_by_hiding:
            self.paused_by_hiding = False
            self.control("play")
