"""Browser glue for what the page says in words about the frame on screen: the "Iterations"
count, the status line, the scrubber with its label, the step buttons' names, the screen-reader
announcement and the plot's text description. Imports js (browser glue only).

The sentences themselves are words/wording.py's; this module only decides when each element is
written: once per half-step shown (the caller's rule), the count only when it changes, the
announcement once per half-step whatever else is redrawn.
"""

from __future__ import annotations

from ..words import wording
from .dom import announce, el


class Readout:
    """The words beside the plot, kept in step with the frame on screen."""

    def __init__(self) -> None:
        self._iteration = None  # the count last written
        self._announced = None  # (run, half-step, done, paused mid-glide) last announced

    def iteration(self, iteration: int | None) -> None:
        """The "Iterations" count (a DOM write only when it changes: it is called per frame)."""
        if iteration != self._iteration:
            self._iteration = iteration
            el("iter").textContent = wording.iterations(iteration)

    def half_step(self, session, frame, player, centroids, done: bool) -> None:
        """Status line, scrubber, step buttons, announcement and description for `frame` of
        `session.run` as `player` shows it; `centroids`: (K, 2) float, as drawn (a dragged
        centroid where the pointer holds it)."""
        run = session.run
        paused_moving = frame.moving and not player.playing
        line = wording.status_line(run, frame.step_index, frame.done, session.params, session.seed,
                                   session.attempt, moved=session.branches > 0,
                                   waiting=player.waiting, playing=player.playing)
        el("status").textContent = line
        self.scrubber(run, frame, paused_moving)
        spoken = (id(run), frame.step_index, done, paused_moving)
        if spoken != self._announced:
            self._announced = spoken
            announce(wording.half_step_announcement(frame.step_index, paused_moving, line))
            el("plot-description").textContent = wording.plot_description(centroids, frame.labels)

    def scrubber(self, run, frame, paused_moving: bool) -> None:
        """The scrubber, its label and the step buttons for `frame` (`run` None: no run on
        screen, nothing named)."""
        scrubber, back, forward = el("scrubber"), el("step-back"), el("step-forward")
        if run is None:
            scrubber.max, scrubber.value = 0, 0
            scrubber.removeAttribute("aria-valuetext")
            el("scrub-label").textContent = ""
            back.textContent, forward.textContent = wording.NO_STEP_BUTTONS
            return
        index = frame.step_index
        scrubber.max = len(run.steps) - 1
        scrubber.value = index
        label = wording.half_step_label(index, run.steps, run.finished, paused_moving)
        el("scrub-label").textContent = label
        scrubber.setAttribute("aria-valuetext", label)
        back.textContent, forward.textContent = wording.step_buttons(
            run.steps, index, frame.moving, run.finished)

    def clear(self) -> None:
        """No run on screen: nothing counted, said or named."""
        el("status").textContent = ""
        self._iteration = None
        el("iter").textContent = wording.iterations(None)
        self._announced = None
        el("plot-description").textContent = ""
        self.scrubber(None, None, False)
