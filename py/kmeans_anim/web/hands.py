"""Browser glue for centroids moved by hand: placing the K starting centroids with clicks (the
start "place by hand"), and letting go of a dragged centroid (the run goes on from there as a
new branch). Imports js (browser glue only); what a click means is picture/interaction.py's.
"""

from __future__ import annotations

import numpy as np

from ..picture import interaction
from ..words import wording
from .dom import el, now


class Hands:
    """The centroids placed so far while placing, and the drop of a dragged one."""

    def __init__(self, canvas, animator, session, controls) -> None:
        self.canvas, self.animator, self.session, self.controls = canvas, animator, session, controls
        self.placed: list | None = None  # centroids placed so far, (x, y) in data units; None: not placing
        self.k = 0                       # how many to place

    @property
    def placing(self) -> bool:
        return self.placed is not None

    def begin(self, k: int) -> None:
        """Wait for `k` clicks on the session's points (no run on screen)."""
        self.placed, self.k = [], k
        self.canvas.set_points(self.session.points)
        self.paint()

    def cancel(self) -> None:
        """Stop placing (a new GO, or the points changed): the hint goes."""
        self.placed = None
        el("hint").hidden = True

    def paint(self) -> None:
        """The points, unassigned, with the centroids placed so far and how many are left."""
        placed = np.array(self.placed, dtype=float).reshape(-1, 2)
        self.canvas.paint(np.full(len(self.session.points), -1, dtype=np.int8),
                          placed if len(placed) else None)
        hint = el("hint")
        hint.textContent = wording.placing_hint(self.k - len(self.placed))
        hint.hidden = False
        self.animator.status = "placing"

    def place(self, xy) -> None:
        """A click while placing: a centroid there, or one taken back; the K-th starts the run."""
        self.placed = interaction.toggle_placed(self.placed, xy, self.canvas.plot_box())
        if len(self.placed) < self.k:
            self.paint()
            return
        centroids = np.array(self.placed, dtype=float)
        self.cancel()
        self.animator.launch(lambda: self.session.start_in_pieces(centroids))

    def centroid_at(self, xy) -> int | None:
        """Index of the centroid on screen under the data position xy (None if none)."""
        if self.animator.frame is None or self.placing:
            return None
        return interaction.hit(self.animator.frame.centroids, xy, self.canvas.plot_box(),
                               interaction.CENTROID_GRAB_PX)

    def drop_centroid(self, index: int, xy, playing: bool) -> None:
        """A centroid let go at xy: the run goes on from there (a new branch)."""
        a = self.animator
        a.drag = None
        centroids = a.frame.centroids.copy()
        centroids[index] = xy
        if np.array_equal(centroids, a.frame.centroids):
            if playing:
                a.player.play(now())
            a.repaint()
            return
        try:
            a.branch(centroids, playing)
        except Exception as error:  # noqa: BLE001 -- e.g. a centroid dragged beyond MAX_ABS
            self.controls.show_message(wording.cannot_go_on(error), about_run=True)
            a.repaint()

    def snapshot(self) -> dict:
        """What the page's snapshot says of placing: the centroids placed and how many in all."""
        if not self.placing:
            return {}
        return {"placed": [list(map(float, c)) for c in self.placed], "to_place": self.k}
