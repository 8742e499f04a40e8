"""Browser glue for the race (issue 17): two to four starts side by side on the same points,
one play / step control for all, a panel per racer (its start, its inertia) and a line saying
which finished lower. Imports js (browser glue only).

The numbers are core.race (the runs, the shared half-step position), the pictures
picture.race (one KMeansView per racer through scene.frame_scene), the words words.wording;
this module only owns the <section id="race"> and its loop. While a race is on screen, the
single view's plot is hidden and the address names the race (``race=``), so a copied link
opens it; leaving returns to the single view.
"""

from __future__ import annotations

import asyncio
import dataclasses

import js
import numpy as np

from ..core import params as P
from ..core.race import Race, RaceClock
from ..core.session import random_seed
from ..picture.race import RacePanels
from ..words import wording
from ..words.snapshot import POINTS_IN_FULL
from .dom import announce, drive, el, listen, next_animation_frame, now, push_rgba

ASPECT = 0.8  # a panel's height / width, as the single plot


class RaceView:
    """The race on the page: open, leave, the controls, the loop that draws it.

    `controls` is web.controls.Controls (the settings, the message box, the address);
    `style()` gives the figure's view.Style; `on_leave()` shows the single view again.
    """

    def __init__(self, controls, style, on_leave) -> None:
        self.controls, self._style, self._on_leave = controls, style, on_leave
        self.race: Race | None = None
        self.clock = RaceClock()
        self.panels: RacePanels | None = None
        self.status = ""           # "", starting, running, paused, done, failed
        self._run_id = 0           # a newer open (or a leave) makes the running loop return
        self._wake = asyncio.Event()
        self._shown = None         # what the panels last showed (see _draw): skip a held frame
        self._ratio = 1.0
        self._paused_by_hiding = False

    @property
    def active(self) -> bool:
        """A race is on screen (or being made)."""
        return self.race is not None

    def start(self) -> None:
        for name, action in (("race-play", "toggle"), ("race-back", "step_back"),
                             ("race-forward", "step_forward"), ("race-restart", "restart")):
            listen(el(name), "click", lambda event, action=action: self.control(action))
        listen(el("race-leave"), "click", lambda event: self.leave())

    # ------------------------------------------------------------ open and leave

    def open(self, params: P.Params, names, points=None) -> None:
        """Show the race of `names` on the points of `params` (its seed; a fresh one if None)."""
        if params.seed is None:
            params = dataclasses.replace(params, seed=random_seed())
        self._run_id += 1
        self._wake.set()                 # a paused loop of an earlier race wakes and returns
        self.race = Race(params, names, points)
        self.clock = RaceClock(params.speed)
        self.panels = None
        self._shown = None
        self.controls.race_names = tuple(names)
        self.controls.show_run(params)   # the seed field and the address name the race's points
        el("figure").classList.add("racing")
        el("race").hidden = False
        for i in range(P.RACE_MAX):
            el(f"race-panel-{i}").hidden = i >= len(names)
            el(f"race-title-{i}").textContent = wording.racer_name(names[i]) if i < len(names) else ""
        el("race-panels").dataset.count = str(len(names))
        self._set_status("starting")
        el("race-verdict").textContent = wording.RACE_STARTING
        asyncio.ensure_future(self._play(self._run_id))

    def leave(self, show_single: bool = True) -> None:
        """Back to the single view: with `show_single`, the race's points ready to play (else
        the caller shows what comes next, a GO)."""
        if self.race is None:
            return
        params = self.race.params
        self._run_id += 1
        self._wake.set()
        self.race = self.panels = None
        self.controls.race_names = ()
        el("figure").classList.remove("racing")
        el("race").hidden = True
        self._set_status("")
        if show_single:
            self._on_leave(params)
        else:
            self.controls.update_address()

    def _set_status(self, status: str) -> None:
        self.status = status
        root = js.document.documentElement
        if status:
            root.dataset.race = status
        else:
            root.removeAttribute("data-race")

    # ------------------------------------------------------------ controls

    def control(self, action: str) -> None:
        """"toggle" (play / pause), "step_back", "step_forward" or "restart", for every racer."""
        if self.race is None or self.status in ("starting", "failed"):
            return
        t, end, finished = now(), self.race.last_index, self.race.finished
        if action == "toggle":
            if self.clock.playing:
                self.clock.pause(t, end)
            else:
                self.clock.play(t, end, finished)
        elif action == "restart":
            self.clock.seek(0, t)
            self.clock.play(t, end, finished)
        else:
            self.clock.step(1 if action == "step_forward" else -1, t, end, finished)
        self._draw()
        self._wake.set()

    def on_visibility(self, event=None) -> None:
        """A hidden tab paints nothing: the race pauses there and plays on when seen again
        (unless it was paused before), as the single view does."""
        if self.race is None:
            return
        if js.document.hidden and self.clock.playing:
            self.clock.pause(now(), self.race.last_index)
            self._paused_by_hiding = True
        elif not js.document.hidden and self._paused_by_hiding:
            self._paused_by_hiding = False
            self.control("toggle")

    def set_speed(self, speed: float) -> None:
        if self.race is not None:
            self.clock.set_speed(speed, now(), self.race.last_index)

    def repaint(self) -> None:
        """Draw again (new colours, drawing options or size)."""
        if self.panels is not None:
            self.panels.set_style(self._style())
            self._shown = None
            self._fit()
            self._draw()

    # ------------------------------------------------------------ the loop

    async def _drive(self, pieces, run_id: int):
        """`dom.drive` for run `run_id`: None once a newer run has taken over."""
        return await drive(pieces, lambda: run_id == self._run_id)

    async def _play(self, run_id: int) -> None:
        race = self.race
        try:
            await self._drive(race.start_in_pieces(), run_id)
            if run_id != self._run_id:
                return
            # Viewers who asked for reduced motion see the centroids jump, as in the single view.
            still = bool(js.window.matchMedia("(prefers-reduced-motion: reduce)").matches)
            for racer in race.racers:
                racer.timeline.glide = not still
            self.panels = RacePanels(len(race.names), self._style())
            self._fit()
            self.panels.set_points(race.points)
            for i, racer in enumerate(race.racers):
                el(f"race-plot-{i}").setAttribute("aria-label",
                                                  wording.race_label(racer.init, len(race.points)))
            await self._drive(self.panels.prepare_in_pieces(), run_id)
            if run_id != self._run_id:
                return
            self.clock.play(now(), race.last_index, race.finished)
            self._set_status("running")
            while run_id == self._run_id:
                await self._turn(run_id)
        except Exception as error:  # noqa: BLE001 -- points refused or any failure: said, race only
            if run_id == self._run_id:
                self._fail(error)

    async def _turn(self, run_id: int) -> None:
        """One turn of the loop: compute what the next half-step needs, draw, then wait for
        the next paint (playing) or a control (paused, done)."""
        race, clock = self.race, self.clock
        t = now()
        index = clock.index(t, race.last_index)
        # Playing, or stepped past what is computed: the next half-step of every racer first.
        wanted = index + 1 if clock.playing else clock.index(t, race.last_index + 1)
        if race.needs(wanted):
            await self._drive(race.advance_in_pieces(wanted), run_id)
            if run_id != self._run_id:
                return
        if clock.playing and race.finished and clock.position(now(), race.last_index) >= race.last_index:
            clock.pause(now(), race.last_index)
        self._draw()
        if clock.playing:
            await next_animation_frame()
        elif not race.needs(clock.index(now(), race.last_index + 1)) or race.finished:
            self._wake.clear()
            await self._wake.wait()

    def _fail(self, error: Exception) -> None:
        self._set_status("failed")
        el("race-verdict").textContent = wording.race_refused(error)

    # ------------------------------------------------------------ drawing

    def _fit(self) -> None:
        """Size each panel's backing store to its CSS box times devicePixelRatio (as
        web.canvas.Canvas.fit does for the single plot)."""
        ratio = float(js.window.devicePixelRatio or 1)
        css_width = float(el("race-plot-0").getBoundingClientRect().width) or 400.0
        width, height = max(round(css_width * ratio), 1), max(round(css_width * ASPECT * ratio), 1)
        dpi = 100.0 * ratio * min(1.2, max(0.6, css_width / 640.0))
        self._ratio = ratio
        for i in range(len(self.panels.views)):
            canvas = el(f"race-plot-{i}")
            canvas.width, canvas.height = width, height
        self.panels.resize(width, height, dpi)
        if self.race is not None and self.race.points is not None:
            self.panels.set_points(self.race.points)

    def request_fit(self) -> None:
        """The window was resized."""
        if self.panels is not None:
            width = round(float(el("race-plot-0").getBoundingClientRect().width) * self._ratio)
            if width != int(el("race-plot-0").width):
                self.repaint()

    def _draw(self) -> None:
        race, panels = self.race, self.panels
        if race is None or panels is None or not race.racers:
            return
        t = now()
        end = race.last_index
        position = self.clock.position(t, end)
        index = self.clock.index(t, end)
        key = (position, end, race.finished, self.clock.playing)
        if key == self._shown:
            return
        self._shown = key
        pictures = panels.render(race, position, self.controls.params)
        for i, (racer, rgba) in enumerate(zip(race.racers, pictures)):
            push_rgba(el(f"race-plot-{i}").getContext("2d"), rgba)
            step = racer.run.steps[racer.index(index)]
            done = racer.run.finished and racer.index(index) == len(racer.run.steps) - 1
            el(f"race-title-{i}").textContent = wording.racer_heading(
                racer.init, step.inertia, step.iteration, done)
        at_end = race.finished and index >= end
        winners = race.winners() if at_end else []
        for i in range(len(race.racers)):
            el(f"race-panel-{i}").classList.toggle("winner", i in winners)
        if at_end:
            verdict = wording.race_verdict(race.results(), race.winners())
        else:
            verdict = wording.race_status(index, end + 1, race.finished, self.clock.playing)
        if el("race-verdict").textContent != verdict:
            el("race-verdict").textContent = verdict
            if not self.clock.playing:
                announce(verdict)
        el("race-play").textContent = "pause" if self.clock.playing else "play"
        el("race-back").disabled = index <= 0
        el("race-forward").disabled = at_end
        status = "running" if self.clock.playing else ("done" if at_end else "paused")
        if status != self.status:
            self._set_status(status)

    # ------------------------------------------------------------ snapshot

    def snapshot(self, full: bool = False, points: bool = True) -> dict:
        """The race as plain numbers for window.kmeans.snapshot(): its starts, status, the
        shared half-step, each racer's half-step, iteration, inertia and centroids on screen,
        the verdict, and the points (as the single view's snapshot: unless `points` is False,
        and above snapshot.POINTS_IN_FULL only when `full`)."""
        race = self.race
        state = {"names": list(race.names), "status": self.status, "seed": race.params.seed,
                 "attempt": race.params.attempt, "verdict": str(el("race-verdict").textContent),
                 "racers": []}
        if not race.racers:
            return state
        t = now()
        end = race.last_index
        index = self.clock.index(t, end)
        state |= {"step": index, "last": end, "finished": race.finished}
        for racer, frame in zip(race.racers, race.frames(self.clock.position(t, end))):
            step = racer.run.steps[racer.index(index)]
            state["racers"].append({
                "init": racer.init, "step_index": racer.index(index),
                "iteration": int(step.iteration), "inertia": float(step.inertia),
                "steps": len(racer.run.steps), "finished": racer.run.finished,
                "n_iter": int(racer.run.n_iter) if racer.run.finished else None,
                "final_inertia": float(racer.run.inertia) if racer.run.finished else None,
                "centroids": np.asarray(frame.centroids).tolist(),
            })
        if points and (full or len(race.points) <= POINTS_IN_FULL):
            state["points"] = np.asarray(race.points).tolist()
        return state
