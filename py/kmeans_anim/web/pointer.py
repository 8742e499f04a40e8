"""Browser glue for touching the plot: pointer events (mouse, touch and pen alike) and the keys
of the focused canvas, turned into the page's commands: place a centroid, drag one, add or
remove a point of your own. Imports js (browser glue only); what a press means is decided by
the pure module interaction.

Keyboard path (the canvas takes the focus with Tab): while placing centroids, the arrows move
a cursor and Enter places (or takes back) a centroid there; with a run on screen, the keys
1..9 and 0 pick a centroid, the arrows move it, Enter lets it go (the run goes on from there)
and Escape puts it back. Explain mode's keys are web.explain's, taken before these.

A press on a centroid drags it; let go without moving it (PRESS_SLOP_PX), it selects it for
explain mode instead. A press on a point of the run on screen selects it (with "your own
points", a press on empty space still adds a point, a touch held long still removes one).
"""

from __future__ import annotations

import js
import numpy as np
from pyodide.ffi import create_once_callable, to_js

from ..picture import interaction as I
from ..words import wording
from .dom import announce, el, listen

#: A touch held this long without moving removes the nearest point (your own points).
LONG_PRESS_MS = 550
#: A touch that moves more than this many CSS pixels is not a press.
PRESS_SLOP_PX = 8.0


class Pointer:
    """Pointer and key input on the plot of `canvas` (web.canvas.Canvas); the centroid held
    (`drag`) is the animator's (web.animator.Animator). The page's commands come as callables:
    `placing()` (centroids are being placed by hand), `centroid_at(xy)` (index or None),
    `editable()` (clicks add and remove your own points), `place(xy)`, `add_point(xy)`,
    `remove_point(xy)`, `drop_centroid(index, xy, playing)`, and explain mode's
    `point_at(xy)` (("point", i) or None) and `select(target or None)`; xy in data units."""

    def __init__(self, canvas, animator, *, placing, centroid_at, editable, place, add_point,
                 remove_point, drop_centroid, point_at, select) -> None:
        self.plot, self.animator = canvas, animator
        self.placing, self.centroid_at, self.editable = placing, centroid_at, editable
        self.place, self.add_point, self.remove_point = place, add_point, remove_point
        self.drop_centroid, self.point_at, self.select = drop_centroid, point_at, select
        self.canvas = canvas.element
        self.dragging = None        # (pointer id, centroid index, was playing, css x, css y)
        self.travelled = False      # the drag went further than PRESS_SLOP_PX: not a click
        self.pressed = None         # (pointer id, css x, css y, target) of a touch that may turn long
        self.long_timer = None
        self.cursor = None          # keyboard cursor (x, y) in data units, or None
        self.selected = None        # (centroid index, was playing) picked with a number key

    def start(self) -> None:
        for event, handler in (("pointerdown", self._down), ("pointermove", self._move),
                               ("pointerup", self._up), ("pointercancel", self._cancel),
                               ("keydown", self._key), ("blur", self._blur),
                               ("contextmenu", lambda e: e.preventDefault())):
            listen(self.canvas, event, handler)

    # ------------------------------------------------------------ positions

    def _css(self, event) -> tuple[float, float]:
        rect = self.canvas.getBoundingClientRect()
        return float(event.clientX) - float(rect.left), float(event.clientY) - float(rect.top)

    def _data(self, event):
        """(data x, data y), or None outside the plot area."""
        box = self.plot.plot_box()
        css = self._css(event)
        return box.to_data(*css) if box.contains(*css) else None

    def _clamped(self, event):
        """Data position of the event, held inside the plot (a drag may overshoot)."""
        box = self.plot.plot_box()
        x, y = box.to_data(*self._css(event))
        (x0, x1), (y0, y1) = box.xlim, box.ylim
        return min(max(x, x0), x1), min(max(y, y0), y1)

    # ------------------------------------------------------------ pointer

    def _down(self, event) -> None:
        if event.pointerType == "mouse" and event.button != 0:
            return
        xy = self._data(event)
        if xy is None:
            return
        animator = self.animator
        centroid = self.centroid_at(xy)
        point = self.point_at(xy) if centroid is None else None
        intent = I.click_intent(placing=self.placing(), on_centroid=centroid is not None,
                                own_points=self.editable(), remove=bool(event.shiftKey),
                                on_point=point is not None, run=animator.frame is not None)
        if intent is None or intent == "unselect" and self.animator.selection is None:
            # Empty space with nothing to let go: on another data set the page says how to add
            # points (add_point does, off your own points).
            self.add_point(xy)
            return
        event.preventDefault()  # no text selection, no focus scroll: the plot stays under the hand
        # The keys work on the plot after a press, but no focus ring is drawn for a finger or a
        # mouse (a script's focus() would show it if the keyboard was used last).
        self.canvas.focus(to_js({"preventScroll": True, "focusVisible": False},
                                dict_converter=js.Object.fromEntries))
        if intent == "place":
            self.place(xy)
        elif intent == "drag":
            # The centroid stays put until the pointer travels: a click selects it instead.
            self.canvas.setPointerCapture(event.pointerId)
            self.dragging = (event.pointerId, centroid, animator.player.playing, *self._css(event))
            self.travelled = False
            animator.player.pause(js.performance.now() / 1000.0)
            animator.drag = (centroid, tuple(animator.frame.centroids[centroid]))
            animator.repaint()
        elif intent == "remove":
            self.remove_point(xy)
        elif intent == "unselect":
            self.select(None)
        elif event.pointerType == "touch" and self.editable():
            # "add" (or "select"), unless the finger stays: then "remove".
            self.pressed = (event.pointerId, *self._css(event), point)
            self.long_timer = js.setTimeout(create_once_callable(lambda: self._long_press(xy)),
                                            LONG_PRESS_MS)
        elif intent == "select":
            self.select(point)
        else:
            self.add_point(xy)

    def _long_press(self, xy) -> None:
        if self.pressed is not None:
            self.pressed = None
            self.remove_point(xy)

    def _move(self, event) -> None:
        if self.dragging is not None and event.pointerId == self.dragging[0]:
            x, y = self._css(event)
            if np.hypot(x - self.dragging[3], y - self.dragging[4]) > PRESS_SLOP_PX:
                self.travelled = True
            if self.travelled:
                self.animator.drag = (self.dragging[1], self._clamped(event))
                self.animator.repaint()
        elif self.pressed is not None and event.pointerId == self.pressed[0]:
            x, y = self._css(event)
            if np.hypot(x - self.pressed[1], y - self.pressed[2]) > PRESS_SLOP_PX:
                self._forget_press()

    def _up(self, event) -> None:
        if self.dragging is not None and event.pointerId == self.dragging[0]:
            index, playing = self.dragging[1:3]
            self.dragging = None
            if not self.travelled:   # a click on the centroid: explain it (the run stays paused)
                self.animator.drag = None
                self.select(("centroid", index))
                return
            self.drop_centroid(index, self._clamped(event), playing)
        elif self.pressed is not None and event.pointerId == self.pressed[0]:
            xy, point = self._data(event), self.pressed[3]
            self._forget_press()
            if point is not None:
                self.select(point)
            elif xy is not None:
                self.add_point(xy)

    def _cancel(self, event) -> None:
        if self.dragging is not None and event.pointerId == self.dragging[0]:
            self.dragging = None
            self.animator.drag = None
            self.animator.repaint()
        self._forget_press()

    def _forget_press(self) -> None:
        self.pressed = None
        if self.long_timer is not None:
            js.clearTimeout(self.long_timer)
            self.long_timer = None

    # ------------------------------------------------------------ keyboard

    def _key(self, event) -> None:
        key = str(event.key)
        if event.ctrlKey or event.metaKey or event.altKey:
            return
        big = bool(event.shiftKey)
        box = self.plot.plot_box()
        if self.placing():
            if self.cursor is None:
                self.cursor = ((box.xlim[0] + box.xlim[1]) / 2, (box.ylim[0] + box.ylim[1]) / 2)
            if key.startswith("Arrow"):
                self.cursor = I.move_cursor(self.cursor, key, box, big)
                announce(wording.cursor_at(self.cursor))
            elif key in ("Enter", " "):
                self.place(self.cursor)
                if not self.placing():  # the last one: the run starts, the cursor's job is done
                    self.cursor = None
            else:
                return
            self._handled(event)
            return
        animator = self.animator
        if animator.frame is None or animator.player is None:
            return
        digits = "1234567890"
        k = len(animator.frame.centroids)
        if key in digits and digits.index(key) < k:
            if self.selected is None:
                self.selected = (digits.index(key), animator.player.playing)
                animator.player.pause(js.performance.now() / 1000.0)
            else:
                self.selected = (digits.index(key), self.selected[1])
            self.cursor = tuple(animator.frame.centroids[self.selected[0]])
            animator.drag = (self.selected[0], self.cursor)
            announce(wording.centroid_picked(self.selected[0], self.cursor))
        elif self.selected is not None and key.startswith("Arrow"):
            self.cursor = I.move_cursor(self.cursor, key, box, big)
            animator.drag = (self.selected[0], self.cursor)
            announce(wording.centroid_at(self.selected[0], self.cursor))
        elif self.selected is not None and key == "Enter":
            index, playing = self.selected
            self.selected = None
            announce(wording.centroid_let_go(index, self.cursor))
            self.drop_centroid(index, self.cursor, playing)
            self.cursor = None
        elif self.selected is not None and key == "Escape":
            index = self.selected[0]
            announce(wording.centroid_put_back(index, animator.frame.centroids[index]))
            self.selected, self.cursor = None, None
            animator.drag = None
        else:
            return
        animator.repaint()
        self._handled(event)

    def _handled(self, event) -> None:
        event.preventDefault()
        event.stopPropagation()  # the page's own keys (space, arrows) do not see it
        self.show_cursor()

    def _blur(self, event) -> None:
        if self.selected is not None:
            self.selected = None
            self.animator.drag = None
            self.animator.repaint()
        self.cursor = None
        self.show_cursor()

    def show_cursor(self) -> None:
        """Draw the keyboard cursor (a cross over the canvas) where it is, or hide it."""
        show_cross(self.plot, self.cursor)


def show_cross(plot, xy) -> None:
    """The keyboard's cross (#cursor) over the plot of `plot` (web.canvas.Canvas) at xy (data
    units), or hidden (None)."""
    mark = el("cursor")
    if xy is None:
        mark.hidden = True
        return
    x, y = plot.plot_box().to_css(*xy)
    mark.style.left, mark.style.top = f"{x}px", f"{y}px"
    mark.hidden = False
