"""Browser glue for "Why here?" (explain mode): what is selected, the sentence under the plot,
the keyboard's cross. Imports js (browser glue only); what a selection shows is computed by the
pure picture.explain (through scene.frame_scene, so the canvas and the PNG draw it), what a
click or a key means by picture.interaction and words.keymap.

- A click or tap on a point (or a click on a centroid without dragging it, see web.pointer)
  selects it; a run playing is paused (the explanation is of one frame; play goes on with it,
  the selection following the frames). A click on empty space lets it go (with "your own
  points", a tap there still adds a point).
- Keys on the focused plot (words.keymap.explain_key): "e" puts out a cross on the selection or
  the plot's middle; the arrows move it and select the point nearest to it (or the centroid
  under it), 1..9 and 0 select a centroid; "e" or Enter puts the cross away, keeping the
  selection, so ← → step the run and it follows. Escape, wherever the focus is (not in a text
  field or a menu), lets the selection go.
- The sentence is shown in #explain, a polite live region: a screen reader hears it when it
  changes (not every animation frame of a glide while playing: it waits for the glide's end).
"""

from __future__ import annotations

import js

from ..picture import interaction as I
from ..picture.explain import Selection
from ..words import wording
from ..words.keymap import KEY_HELP, explain_key, typing
from .dom import el, focus_of, listen
from .pointer import show_cross


class Explain:
    """The selection of the run on screen and its sentence. `animator` (web.animator.Animator)
    draws it (its `selection`; it calls `show` with what each painted frame explained);
    `canvas` (web.canvas.Canvas) gives the plot's box; `session` the points."""

    def __init__(self, canvas, animator, session) -> None:
        self.plot, self.animator, self.session = canvas, animator, session
        self.cursor = None          # the keyboard's cross (x, y), data units, while it is out
        self.shown = None           # what the last painted frame explained (picture.explain)
        self._points = None         # the points the selection was made on
        self._text = None           # the sentence on the page

    def start(self) -> None:
        """Listen to the plot's keys (before web.pointer's own: this must be called first, so
        the keys of explain mode are taken before they mean something else) and to Escape."""
        self.animator.on_explained = self.show
        listen(self.plot.element, "keydown", self._key)
        listen(self.plot.element, "blur", self._blur)
        listen(js.document, "keydown", self._escape)

    @property
    def selection(self) -> Selection | None:
        return self.animator.selection

    # ------------------------------------------------------------ selecting

    def target(self, xy):
        """("point", i) for the point of the run on screen under a click at xy (data units),
        or None (no run, or no point near enough)."""
        a = self.animator
        if a.frame is None or self.session.points is None:
            return None
        return I.target_at(self.session.points, None, xy, self.plot.plot_box())

    def select(self, target, keep_cursor: bool = False) -> None:
        """Select `target` (("point", i) or ("centroid", j)), pausing a run that plays; None
        lets the selection go."""
        a = self.animator
        if not keep_cursor:
            self._put_cursor(None)
        if target is None:
            self.clear()
            return
        a.selection = Selection(*target)
        self._points = self.session.points
        if a.player is not None and a.player.playing:
            a.control("toggle")     # pauses, and paints the frame with the selection
        else:
            a.repaint()

    def clear(self) -> None:
        """No selection (Escape, a click on empty space, a new run on other points)."""
        self._put_cursor(None)
        if self.animator.selection is None:
            return
        self.animator.selection = None
        self.animator.repaint()
        self.show(None)

    def show(self, explained) -> None:
        """What the frame just painted explained (None: nothing): the sentence follows, unless
        a glide is playing (it would change every frame); a selection the run on screen cannot
        show (other points, fewer centroids) is let go."""
        a = self.animator
        if a.selection is not None and (explained is None or self.session.points is not self._points):
            self.clear()
            return
        self.shown = explained
        box = el("explain")
        if explained is None:
            box.hidden, box.textContent, self._text = True, "", None
            return
        if a.frame is not None and a.frame.moving and a.player is not None and a.player.playing:
            return
        text = explained.sentence
        if self.cursor is not None:
            text = wording.explain_cursor(text)
        if text != self._text:
            self._text = text
            box.textContent = text
            box.hidden = False

    def snapshot(self) -> dict | None:
        """The snapshot's ``selection``: what the frame on screen explains, and whether the
        keyboard's cross is out; None with nothing selected."""
        if self.animator.selection is None or self.shown is None:
            return None
        return {**self.shown.as_dict(), "cursor": self.cursor is not None}

    # ------------------------------------------------------------ keys

    def _key(self, event) -> None:
        a = self.animator
        if event.ctrlKey or event.metaKey or event.altKey:
            return
        if a.frame is None or a.player is None or a.drag is not None:
            return  # nothing to explain, or a centroid is being moved (its keys: web.pointer)
        act = explain_key(str(event.key), self.cursor is not None)
        if act is None:
            return
        action, argument = act
        box = self.plot.plot_box()
        points, centroids = self.session.points, a.shown_centroids()
        if action == "clear":
            if a.selection is None and self.cursor is None:
                return
            self.clear()
        elif action == "done":
            self._put_cursor(None)
            if self.shown is not None:
                self.show(self.shown)
        elif action == "centroid":
            if argument >= len(centroids):
                return
            self._put_cursor(tuple(centroids[argument]))
            self.select(("centroid", argument), keep_cursor=True)
        else:
            if action == "start":
                shown = self.shown
                xy = (shown.xy if getattr(shown, "kind", None) == "point" else
                      shown.position if shown is not None else
                      ((box.xlim[0] + box.xlim[1]) / 2, (box.ylim[0] + box.ylim[1]) / 2))
                cursor = (float(xy[0]), float(xy[1]))
            else:
                cursor = I.move_cursor(self.cursor, argument, box, bool(event.shiftKey))
            self._put_cursor(cursor)
            self.select(I.target_at(points, centroids, cursor, box, point_px=float("inf")),
                        keep_cursor=True)
        event.preventDefault()
        event.stopImmediatePropagation()  # web.pointer's keys and the page's do not see it

    def _escape(self, event) -> None:
        if str(event.key) == "Escape" and self.animator.selection is not None \
                and not typing(focus_of(event.target)):
            self.clear()

    def _blur(self, event) -> None:
        self._put_cursor(None)

    def _put_cursor(self, xy) -> None:
        """Show the keyboard's cross at xy (data units), or hide it (None)."""
        self.cursor = xy
        show_cross(self.plot, xy)


def fill_key_help() -> None:
    """The page's keys (words.keymap.KEY_HELP) as the help's list #keys: <dt> keys, <dd> what."""
    keys = el("keys")
    if keys is None:
        return
    keys.replaceChildren()
    for what_keys, what in KEY_HELP:
        term, meaning = js.document.createElement("dt"), js.document.createElement("dd")
        term.textContent, meaning.textContent = what_keys, what
        keys.append(term)
        keys.append(meaning)
