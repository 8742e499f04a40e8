"""Browser glue for the animation: one asyncio task plays a run frame by frame onto the canvas
while it is still being computed, and the play / step buttons, the scrubber, the "Iterations"
label, the status line and the at-a-glance panel follow it. Imports js (browser glue only).

A new run tells the running task to stop and waits for it before starting, so two loops never
run at once; a paused or finished loop sleeps until a control wakes it. The run is computed one
iteration per turn (session.Recording.advance) while nothing moves on screen, or when playback
is about to catch up with it, so a million points never freeze the page. A failure while making,
computing or drawing a run is said in plain words and ends that run only: the next GO works.
"""

from __future__ import annotations

import asyncio
import inspect
import js
import numpy as np

from ..words import enabled, wording
from ..core.player import Player, Timeline
from ..picture.scene import frame_scene, shown_centroids
from .dom import drive, el, next_animation_frame, now
from .readout import Readout
from .telemetry import Telemetry

#: Compute ahead while playback is less than this many iterations behind the last computed step.
LOOKAHEAD_ITERATIONS = 1.0


class Animator:
    """Plays runs on the canvas. `make_run` callables come from the page (GO / RETRY)."""

    def __init__(self, canvas, controls, session, glance) -> None:
        self.canvas, self.controls, self.session, self.glance = canvas, controls, session, glance
        self.player: Player | None = None
        self.frame = None
        self.task: asyncio.Task | None = None
        self.run_id = 0
        self._glance_due = False      # the half-step changed: the chart and sizes follow
        self._pieces = None           # (run, generator) of the iteration being computed
        self._status = ""
        self.status = "ready"
        self.telemetry = Telemetry()  # what the benchmarks read (through the snapshot)
        self.wake = asyncio.Event()
        self.paused_by_hiding = False
        self.reduced_motion = False   # the viewer asked for no glides (prefers-reduced-motion)
        self.drag = None              # (centroid index, (x, y)) while a centroid is dragged
        self.selection = None         # explain mode's point or centroid (picture.explain.Selection)
        self.on_explained = None      # called with what each painted frame explained (web.explain)
        self._shown_step = None
        self._glance_key = None       # what the chart last showed (see _show_state)
        self.readout = Readout()      # the words beside the plot

    @property
    def status(self) -> str:
        """ready, starting, placing, running, paused, done or failed."""
        return self._status

    @status.setter
    def status(self, value: str) -> None:
        # Mirrored on <html data-status data-run>: a cheap signal for tests and tools to wait
        # on, instead of reading the whole snapshot again and again.
        self._status = value
        root = js.document.documentElement
        root.dataset.status, root.dataset.run = value, str(self.run_id)

    # ------------------------------------------------------------ runs

    def launch(self, make_run, autoplay: bool = True) -> None:
        """Start a new run once the running one (if any) has stopped.

        `make_run()` returns a session.Recording (only its start computed), or None when the
        page has already said why there is nothing to run. Stopping is cooperative: bumping
        run_id makes the running loop return at its next turn. (Task.cancel() would do, but
        Pyodide 0.27's WebLoop logs every cancelled task as an error.)
        """
        self.stop()
        self.status = "starting"
        self.task = asyncio.ensure_future(self._play_after(self.task, make_run, self.run_id, autoplay))

    def stop(self) -> None:
        """Make the running loop (if any) return at its next turn."""
        self.run_id += 1
        self.wake.set()  # an idle loop (paused or finished) wakes up and sees it is superseded

    async def _play_after(self, previous, make_run, run_id: int, autoplay: bool) -> None:
        if previous is not None:
            await previous
        if run_id != self.run_id:
            return  # superseded by a later click while waiting
        self.telemetry.loop_started()
        try:
            run = make_run()
            if inspect.isgenerator(run):  # computed in pieces: a turn of the event loop each
                run = await self._drive(run, run_id)
                if run_id != self.run_id:
                    return
            if run is None:  # nothing new to run (said why, or centroids to place)
                if self.player is not None and self.session.run is not None:
                    if self.status == "starting":
                        self.status = self._player_status()
                    await self._loop(run_id)  # the run on screen stays playable
                elif self.status == "starting":
                    self.clear(stop=False)    # its points are gone: nothing to show
                return
            self._start(run)
            # The first paint of new points (axes with new limits, where a million dots lie)
            # is prepared a piece per turn, so the page never blocks for the sum of them; the
            # clock starts after it, so the run is seen from its start.
            await asyncio.sleep(0)
            if run_id == self.run_id:
                await self._drive(self.canvas.view.prepare_in_pieces(), run_id)
            if run_id == self.run_id:
                # The plot's first frame, then the chart and sizes (their axes cost as much as a
                # frame, far more in Safari's engine), and only then the clock: the panel never
                # lags the run's start.
                self.draw()
                self._glance_key = self._glance_key_now(done=False)
                await self._drive(self.glance.show_in_pieces(run, self.frame.step_index,
                                                             self.frame.labels), run_id)
            if run_id != self.run_id:
                return
            if autoplay and self.player.position(now()) == 0.0:  # not paused/stepped meanwhile
                self.player.play(now())
            await self._loop(run_id)
        except Exception as error:  # noqa: BLE001 -- any failure is shown, and ends this run only
            self._fail(error)
        finally:
            self.telemetry.loop_ended()

    async def _drive(self, pieces, run_id: int):
        """`dom.drive` for run `run_id`: None once a newer run has taken over."""
        return await drive(pieces, lambda: run_id == self.run_id)

    def _start(self, run, at_step: int = 0) -> None:
        """Make `run` the one on screen, paused at half-step `at_step` (the frame is set at once,
        so the snapshot tells the new run even before its first paint)."""
        if self.player is None or self.canvas.points is not self.session.points:
            self.canvas.set_points(self.session.points)
        timeline = Timeline(run, seconds_per_iteration=1.0, glide=not self.reduced_motion)
        self.player = Player(timeline, speed=self.controls.params.speed)
        self.player.seek_step(at_step, now())
        self.frame = self.player.frame(now())
        self._shown_step = self._glance_key = None
        self.telemetry.new_run()
        self.controls.show_enabled("run")
        el("status").textContent = ""
        self.glance.show_panel(True)

    async def _loop(self, run_id: int) -> None:
        while run_id == self.run_id:
            run = self.session.run
            self.frame = self.player.frame(now())
            self.draw()
            self._show_state()
            if self._glance_due:
                # The chart in turns of its own: the frame just drawn is shown first.
                self._glance_due = False
                pieces = self.glance.show_in_pieces(run, self.frame.step_index, self.frame.labels)
                await asyncio.sleep(0)
                if run_id == self.run_id:
                    await self._drive(pieces, run_id)
            elif not run.finished and self._should_compute():
                self._compute_piece(run)
                # one turn of the event loop: clicks are answered before the next piece
                await asyncio.sleep(0)
            elif self.frame.done or not self.player.playing and run.finished:
                # Nothing moves, nothing to compute: sleep until a control or a new run wakes us.
                self.wake.clear()
                await self.wake.wait()
            elif self.player.playing:
                await next_animation_frame()
            else:
                await asyncio.sleep(0)

    def _compute_piece(self, run) -> None:
        """One piece of the next iteration (a part of a pass over the points)."""
        if self._pieces is None or self._pieces[0] is not run:
            self._pieces = (run, run.advance_in_pieces())
        t0 = js.performance.now()
        try:
            next(self._pieces[1])
            finished = False
        except StopIteration:
            self._pieces = None
            self.player.timeline.refresh()
            self._shown_step = None  # the scrubber and the chart grow
            finished = True
        self.telemetry.computed(js.performance.now() - t0, finished)

    def _should_compute(self) -> bool:
        """Compute the next iteration now? Yes while nothing glides (a held frame has time to
        spare) or when playback is about to reach the end of what is computed."""
        ahead = self.player.timeline.duration - self.player.position(now())
        return (not self.frame.moving or self.player.waiting
                or ahead < LOOKAHEAD_ITERATIONS * self.player.timeline.seconds_per_iteration)

    def _fail(self, error: Exception) -> None:
        """A run could not be made, computed or drawn: say so; the page stays usable."""
        self.status = "failed"
        self.player = None
        self.frame = None
        self.controls.show_message(wording.run_failed(error), about_run=True)
        el("status").textContent = wording.RUN_FAILED_STATUS
        js.console.warn(f"k-means run failed: {error!r}")

    def branch(self, centroids: np.ndarray, playing: bool) -> None:
        """Centroids moved by hand: the run goes on from them as Lloyd's algorithm (a new
        branch: the steps up to the one on screen are kept, the old future is dropped), shown
        at the move, playing if `playing` or if the run on screen had ended (a move after the
        end is a question: what happens from here?)."""
        frame = self.frame
        self.session.branch(frame.step_index, centroids, frame.labels, frame.iteration)
        self.player = Player(Timeline(self.session.run, seconds_per_iteration=1.0,
                                      glide=not self.reduced_motion),
                             speed=self.controls.params.speed)
        self.player.seek_step(frame.step_index + 1, now())
        if playing or frame.done:
            self.player.play(now())
        self._glance_key = None  # a new branch: the chart shows its steps
        self._show_now()

    def clear(self, stop: bool = True) -> None:
        """No run on screen any more (the points changed, or centroids are being placed);
        `stop`: the running loop is told to stop (not from inside it)."""
        if stop:
            self.stop()
        self.player = None
        self.frame = None
        self.drag = None
        self.selection = None
        if self.on_explained is not None:
            self.on_explained(None)
        self.status = "ready"
        self.controls.show_enabled(enabled.without_run(self.controls.stage))
        self.readout.clear()
        self.glance.show_panel(False)

    # ------------------------------------------------------------ drawing

    def shown_centroids(self) -> np.ndarray:
        """The centroids on screen: the frame's, with a dragged one where the pointer holds it."""
        return shown_centroids(self.frame, self.drag)

    def scene(self, caption: bool = False):
        """What the frame on screen draws (scene.frame_scene: the rule the PNG and the GIF
        follow too); `caption`: with the half-step in words inside the picture (the exports;
        the page shows it beside)."""
        p = self.controls.params
        # The paths only when drawn: asking the player moves its clock (see Player.position).
        trails = self.player.trails(now()) if p.paths else None
        return frame_scene(self.session.run, self.frame, p, trails, self.drag, caption=caption,
                           playing=self.player.playing, selection=self.selection)

    def overlays(self, caption: bool = False) -> dict:
        """Everything KMeansView.render draws for the frame on screen, labels and centroids
        included (see `scene`)."""
        return self.scene(caption).render_args()

    def draw(self) -> None:
        """Paint the frame on screen (skipped when nothing changed since the last paint)."""
        frame = self.frame
        centroids = self.shown_centroids()
        key = (id(self.session.run), frame.step_index,
               (frame.moving or self.drag is not None) and centroids.tobytes(), self.selection)
        if not self.canvas.shows(key):  # a held frame is not painted again
            t0 = js.performance.now()
            scene = self.scene()
            self.canvas.paint(key=key, **scene.render_args())
            if self.on_explained is not None:
                self.on_explained(scene.explained)
            self.telemetry.painted(t0, js.performance.now() - t0, frame.step_index,
                                   self.session.run.steps[frame.step_index].kind, frame.moving)
        self.readout.iteration(frame.iteration)

    def repaint(self) -> None:
        """Overlays switched or the canvas re-laid out: paint the frame on screen again."""
        self.canvas.invalidate()
        if self.frame is not None and self.player is not None:
            self.draw()

    def _player_status(self) -> str:
        return "done" if self.frame.done else "running" if self.player.playing else "paused"

    def _show_state(self) -> None:
        """Play label, the words beside the plot (Readout) and the at-a-glance panel, once per
        half-step (and once more when a pause stops a glide half-way)."""
        status = self._player_status()
        shown = (status == "done", self.frame.step_index, len(self.session.run.steps),
                 self.frame.moving and not self.player.playing, self.player.playing)
        if status != self.status:
            self.status = status
            el("play").textContent = wording.PLAY_LABELS[status]
        if shown != self._shown_step:  # once per half-step (or new steps), not per frame
            self._shown_step = shown
            self.readout.half_step(self.session, self.frame, self.player, self.shown_centroids(),
                                   done=shown[0])
            # The chart follows the half-step on screen and the end of the computing, not each
            # iteration computed ahead: its axes would be drawn again every time (tens of ms).
            glance_key = self._glance_key_now(done=shown[0])
            if glance_key != self._glance_key:
                self._glance_key = glance_key
                self._glance_due = True

    def _glance_key_now(self, done: bool) -> tuple:
        """What the chart shows for the frame on screen: the run, its end, the half-step and
        whether the run is computed to its end (the x axis then knows its length)."""
        run = self.session.run
        return (id(run), done, self.frame.step_index, run.finished)

    def show_glance(self) -> None:
        self._glance_due = False
        self.glance.show(self.session.run, self.frame.step_index, self.frame.labels)

    # ------------------------------------------------------------ controls

    def control(self, action: str) -> None:
        """play/pause ("toggle"), "step_back", "step_forward" or "restart" over the run."""
        if self.player is None or self.status in ("starting", "failed"):
            return
        if action == "restart":
            self.player.seek(0.0, now())
            self.player.play(now())
        else:
            getattr(self.player, action)(now())
        self._show_now()

    def seek_step(self, index: int) -> None:
        """Show half-step `index` (the scrubber), paused."""
        if self.player is None or self.status in ("starting", "failed"):
            return
        self.player.seek_step(index, now())
        self._show_now()

    def _show_now(self) -> None:
        # Show the result at once (the loop may be asleep until the wake below is seen).
        self.frame = self.player.frame(now())
        self.draw()
        self._show_state()
        if self._glance_due:
            self.show_glance()
        self.wake.set()

    def set_speed(self, speed: float) -> None:
        if self.player is not None:
            self.player.set_speed(speed, now())

    def set_reduced_motion(self, reduced: bool) -> None:
        self.reduced_motion = bool(reduced)
        if self.player is not None:
            self.player.timeline.glide = not reduced

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
            self.control("toggle")
