"""Browser glue: the page. Wires the controls, the canvas, the pointer, the animator, the
at-a-glance panel and the exports to GO, RETRY and the keyboard, and exposes the page's state
as strict JSON through ``window.kmeans.snapshot()``.

Each browser concern has its own module: web.controls (settings, messages, address),
web.canvas (the plot), web.pointer (clicks, drags, the canvas's keys), web.animator (the
animation loop and status), web.glance (inertia chart, cluster sizes), web.exports (PNG, CSV,
GIF, Python), web.own_points, web.points and web.upload (your own points), web.dom (helpers). They are the only
modules that import js / pyodide; everything they compute without the browser (wording, key
map, pixel <-> data, what a click means, the snapshot, the files) lives in pure modules tested
in CPython.
"""

from __future__ import annotations

import dataclasses
import json

import js
from pyodide.ffi import create_proxy

from ..core import choices, data, params as P, table
from ..picture import fontcache
from ..words import enabled, snapshot, wording

fontcache.prepare()  # before matplotlib is first imported (by .view): no font scan, no stderr
from ..words.keymap import key_action  # noqa: E402
from ..core.session import Session, random_seed  # noqa: E402
from ..picture.view import Style  # noqa: E402
from .animator import Animator  # noqa: E402
from .canvas import Canvas  # noqa: E402
from .controls import CHECKBOXES, CHOICES, NUMBERS, SLIDERS, Controls  # noqa: E402
from .dom import el, focus_of, listen  # noqa: E402
from .explain import Explain, fill_key_help  # noqa: E402
from .exports import Exports  # noqa: E402
from .glance import Glance  # noqa: E402
from .hands import Hands  # noqa: E402
from .own_points import OwnData  # noqa: E402
from .pointer import Pointer  # noqa: E402
from .teachpanel import TeachPanel  # noqa: E402
from .race import RaceView  # noqa: E402

DRAWING = P.OVERLAY_NAMES   # options that only change the picture


class Page:
    """The page's parts and its commands."""

    def __init__(self) -> None:
        self.session = Session()
        self.controls = Controls()
        self.canvas = Canvas()
        self.glance = Glance()
        self.animator = Animator(self.canvas, self.controls, self.session, self.glance)
        self.hands = Hands(self.canvas, self.animator, self.session, self.controls)
        self.own = OwnData(self.controls, self.canvas, self.animator,
                           placing=lambda: self.hands.placing, stop_placing=self.hands.cancel,
                           shown_points=lambda: self.session.points if self.animator.frame else None)
        self.explain = Explain(self.canvas, self.animator, self.session)
        self.teach = TeachPanel(self.session, self.controls, self.play_params)
        self.glance.on_shown = self.teach.on_shown
        self.pointer = Pointer(self.canvas, self.animator,
                               placing=lambda: self.hands.placing,
                               centroid_at=self.hands.centroid_at, editable=self.own.editable,
                               place=self.hands.place, add_point=self.own.add_point,
                               remove_point=self.own.remove_point, drop_centroid=self.hands.drop_centroid,
                               point_at=self.explain.target, select=self.explain.select)
        self.exports = Exports(self.session, self.animator, self.canvas,
                               params=lambda: self.controls.params,
                               making_gif=lambda on: self.controls.show_enabled(making_gif=on),
                               own_run=lambda: self.own.run)
        #: The axes' names for the run GO (or a link) makes: the chosen columns of your own
        #: table, or None ("X1", "X2").
        self._axis_names: tuple[str, str] | None = None
        self.canvas.on_resized = self._repaint
        self.race = RaceView(self.controls, style=lambda: self.canvas.style, on_leave=self._left_race)
        self._dark_query = js.window.matchMedia("(prefers-color-scheme: dark)")
        self._motion_query = js.window.matchMedia("(prefers-reduced-motion: reduce)")

    # ------------------------------------------------------------ set-up

    def start(self) -> None:
        c, a, x = self.controls, self.animator, self.exports
        c.fill_choices()
        params, notes = P.from_query(str(js.location.search))
        race, race_notes = P.race_from_query(str(js.location.search))
        notes += race_notes
        c.write(params)
        if notes:
            c.show_message(wording.address_corrected(notes))
        # A reload of this tab: settings changed since the run of the address come back.
        restored = c.restored_settings(params) if params.seed is not None else None
        if restored is not None:
            c.write(restored)
            c.show_message(wording.changes_kept(
                wording.settings_changes(restored, P.changed_since(params, restored))), about_run=True)
        self.own.start()
        handlers = [
            (js.window, "resize", self.canvas.request_fit),
            (js.window, "resize", lambda event: self.race.request_fit()),
            (js.document, "visibilitychange", a.on_visibility),
            (js.document, "visibilitychange", self.race.on_visibility),
            (js.document, "keydown", self._on_key),
            (js.document, "keyup", self._on_key_up),
            (js.document, "fullscreenchange", self._on_fullscreen_change),
            (self._dark_query, "change", lambda event: self._apply_style()),
            (self._motion_query, "change", lambda event: a.set_reduced_motion(self._motion_query.matches)),
            *[(el(name), "input", self._on_control) for name in SLIDERS],
            *[(el(name), "change", self._on_control)
              for name in (*CHOICES, *NUMBERS, *CHECKBOXES, "speed", "n-number")],
            *[(el(name), "change", lambda event: self._repaint()) for name in DRAWING],
            *[(el(name), "change", lambda event: self._apply_style()) for name in ("shapes", "theme")],
            (el("seed"), "input", self._on_seed_typed),
            (el("new-seed"), "click", self._on_new_seed),
            (el("speed"), "change", lambda event: a.set_speed(c.params.speed)),
            (el("speed"), "change", lambda event: self.race.set_speed(c.params.speed)),
            (el("play"), "click", lambda event: a.control("toggle")),
            (el("step-back"), "click", lambda event: a.control("step_back")),
            (el("step-forward"), "click", lambda event: a.control("step_forward")),
            (el("restart"), "click", lambda event: a.control("restart")),
            (el("scrubber"), "input", lambda event: a.seek_step(int(el("scrubber").value))),
            (el("go"), "click", lambda event: self.go()),
            (el("retry"), "click", lambda event: self.retry()),
            (el("copy-link"), "click", self._on_copy_link),
            (el("race-open"), "click", lambda event: self._race_from_controls()),
            (el("fullscreen"), "click", self._on_fullscreen),
            *[(el(button), "click", getattr(x, method)) for button, method in enabled.EXPORTS.items()],
            *[(el(name), event, handler) for name, event, handler in self.own.listeners()],
        ]
        for target, event, handler in handlers:
            listen(target, event, handler)
        self.explain.start()  # first: its keys on the plot come before the pointer's
        self.pointer.start()
        fill_key_help()
        self.teach.start()
        self.race.start()
        a.set_reduced_motion(self._motion_query.matches)
        self._apply_style()
        self.canvas.fit()
        self._show_empty()
        js.window.kmeans.source = create_proxy(self.snapshot_json)
        c.show_enabled("ready")
        c.sync()
        if race:
            self._open_race(params, race)
        elif params.seed is not None:
            self._show_linked_run(params, keep_settings=restored is not None)

    def _open_race(self, params: P.Params, names) -> None:
        """The race of `names` (web.race) on the points of `params`, instead of the single view."""
        points = None
        if params.dataset == P.CUSTOM:
            points = self.own.points(params)
            if points is None:
                return
            points = table.scaled(points, params.scale)  # what k-means sees, as in the single view
        self.animator.clear()
        self.race.open(params, names, points)

    def _race_from_controls(self) -> None:
        """The race button: the settings, on the points on screen (else the settings' points)."""
        params, shown = self.controls.read(), self.controls.shown
        if shown is not None:
            params = dataclasses.replace(params, **{name: getattr(shown, name) for name in P.DATA_FIELDS})
        elif params.reseed:
            params = dataclasses.replace(params, seed=None)
        self._open_race(dataclasses.replace(params, attempt=0), P.RACE_DEFAULT)

    def _left_race(self, params: P.Params) -> None:
        """The race was left: the single view of its points, ready to play."""
        self.controls.update_address()
        self._show_linked_run(dataclasses.replace(self.controls.params, seed=params.seed),
                              keep_settings=False)

    def _show_linked_run(self, params: P.Params, keep_settings: bool) -> None:
        """An address that names a seed shows those points and that run, ready to play
        (`keep_settings`: beside the settings the controls show, restored after a reload)."""
        points = None
        if params.dataset == P.CUSTOM:
            points = self.own.points(params)  # the columns the address names
            if points is None:
                return
        self._axis_names = self.own.axis_names_of(params)
        self._begin(lambda: self.own.prepare_in_pieces(self.session, params, points),
                    autoplay=False, keep_settings=keep_settings)

    def _show_empty(self) -> None:
        """Before any run: the prompt, or the visitor's own points as they stand."""
        if not self.own.show():
            self.canvas.paint_empty(wording.PROMPT)

    # ------------------------------------------------------------ settings and looks

    def _on_control(self, event) -> None:
        if event is not None and event.target.id == "n":
            el("n-number").value = el("n").value      # the slider sets the number of points
        self.controls.read()
        self.controls.sync()
        self.controls.update_address()

    def _repaint(self) -> None:
        self.race.repaint()
        if self.hands.placing:
            self.hands.paint()
        elif self.animator.frame is not None:
            self.animator.repaint()
        elif not self.own.show():
            self.canvas.paint_empty(wording.PROMPT)

    def _apply_style(self) -> None:
        """Colours (the system's, or the page's setting) and marker shapes, page and figure."""
        p = self.controls.params
        dark = p.theme == "dark" or (p.theme == "auto" and bool(self._dark_query.matches))
        theme = "dark" if dark else "light"
        root = js.document.documentElement
        if p.theme == "auto":
            root.removeAttribute("data-theme")
        else:
            root.setAttribute("data-theme", p.theme)
        style = Style(theme=theme, shapes=bool(p.shapes))
        if style != self.canvas.style:
            self.canvas.set_style(style)
            self.glance.set_theme(theme)
            self.teach.set_theme(theme)
            if self.canvas.view is not None:
                self._repaint()
                if self.animator.frame is not None:
                    self.animator.show_glance()

    def _on_seed_typed(self, event) -> None:
        el("reseed").checked = False  # a typed seed is meant to be used

    def _on_new_seed(self, event) -> None:
        el("seed").value = str(random_seed())
        el("reseed").checked = False
        self._on_control(event)

    async def _on_copy_link(self, event) -> None:
        """Copy the link of the run on screen (what the address names), saying which run it
        is and what it does not carry: settings changed since, moves by hand, own points, and
        from disk, that the address is this computer's."""
        c = self.controls
        link = c.link()
        query = c.link_query()
        url = str(js.location.href).split("#")[0].split("?")[0] + query
        on_disk = str(js.location.protocol) == "file:"
        try:
            await js.navigator.clipboard.writeText(url)
            copied = True
        except Exception:  # noqa: BLE001 -- no clipboard (insecure origin, permission refused)
            copied = False
        shown = c.shown
        c.show_message(wording.link_message(
            url, copied=copied,
            run=None if shown is None else wording.run_title(shown),
            changes=wording.settings_changes(c.params, c.changed_since_run()),
            moved=shown is not None and self.session.branches > 0,
            own_points=link.dataset == P.CUSTOM,
            file_name=wording.file_name(str(js.location.pathname)) if on_disk else None,
            query=query), about_run=True)

    async def _on_fullscreen(self, event) -> None:
        try:
            if js.document.fullscreenElement:
                await js.document.exitFullscreen()
            else:
                await js.document.documentElement.requestFullscreen()
        except Exception as error:  # noqa: BLE001 -- refused (an embed without permission)
            self.controls.show_message(wording.fullscreen_refused(error), about_run=True)

    def _on_fullscreen_change(self, event) -> None:
        el("fullscreen").textContent = wording.fullscreen_button(bool(js.document.fullscreenElement))
        self.canvas.request_fit()

    # ------------------------------------------------------------ GO and RETRY

    def go(self) -> None:
        """New points (a new seed unless the seed is kept), then a run from attempt 0."""
        self.race.leave(show_single=False)
        self.controls.clear_run_message()
        params = self.controls.read()
        fresh = params.seed is None or params.reseed
        params = dataclasses.replace(params, seed=random_seed() if fresh else params.seed, attempt=0)
        points = None
        if params.dataset == P.CUSTOM:
            points = self.own.points(params)
            if points is None:
                return
        self._axis_names = self.own.axis_names_of(params)
        self._begin(lambda: self.own.prepare_in_pieces(self.session, params, points))

    def retry(self) -> None:
        """Same points, the next attempt: new starting centroids."""
        if self.session.points is None:
            return
        self.race.leave(show_single=False)
        self.controls.clear_run_message()
        params = self.controls.read()

        # One past the highest attempt seen on these points (after a best of N, or an
        # attempt shown again, RETRY still brings a start not seen yet).
        attempt = self.teach.tries.next_attempt(self.session.points)

        def next_attempt():
            self.session.next_attempt(params, attempt)
            yield
        self._begin(next_attempt)

    def play_params(self, params: P.Params) -> None:
        """Same points, the run of `params` (its attempt, K, start and rules): an attempt
        shown again, the best of N starts, a K chosen on the elbow (web.teachpanel)."""
        if self.session.points is None:
            return
        self.controls.clear_run_message()

        def chosen_attempt():
            self.session.next_attempt(params, params.attempt)
            yield
        self._begin(chosen_attempt)

    def _begin(self, prepare, autoplay: bool = True, keep_settings: bool = False) -> None:
        """Start GO (or RETRY, or a linked run): `prepare` is a generator function that makes
        the points (or the next attempt) in pieces; then the run, or first the wait for the
        centroids to be placed by hand. `keep_settings`: see Controls.show_run."""
        self.own.cancel_typing()  # the typed points are read now; no late preview
        self.hands.cancel()
        self.animator.launch(lambda: self._make_run(prepare, keep_settings), autoplay=autoplay)

    def _make_run(self, prepare, keep_settings: bool = False):
        """The run of a GO or RETRY, made in pieces (a generator the animator drives between
        paints): returns the Recording, or None when there is nothing to run yet (points
        refused, said; or centroids to place by hand)."""
        try:
            yield from prepare()
            yield
            k = self.session.k()
        except data.PointsError as error:
            self.own.refuse(error)
            return None
        self.controls.show_run(self.session.params, keep_settings)
        self.canvas.set_axis_names(self._axis_names)
        if k < self.session.params.k:
            self.controls.show_message(wording.k_lowered(self.session.params.k, k), about_run=True)
        if self.session.params.init == choices.MANUAL:
            self.animator.clear(stop=False)
            self.hands.begin(k)
            return None
        return (yield from self.session.start_in_pieces())

    # ------------------------------------------------------------ keyboard

    def _on_key(self, event) -> None:
        action = key_action(str(event.key), focus_of(event.target), bool(event.ctrlKey),
                            bool(event.metaKey), bool(event.altKey))
        if action and self.race.active:
            event.preventDefault()
            self.race.control(action)
        elif action and self.animator.player is not None:
            event.preventDefault()  # no page scroll, and no press of the focused button
            self.animator.control(action)

    def _on_key_up(self, event) -> None:
        # A button (or <summary>) is pressed by space when the key comes up: space plays/pauses
        # instead, so that default is cancelled too.
        if key_action(str(event.key), focus_of(event.target)) and (
                self.animator.player is not None or self.race.active):
            event.preventDefault()

    # ------------------------------------------------------------ snapshot

    def snapshot(self, full: bool = False, points: bool = True) -> dict:
        a = self.animator
        box = self.canvas.plot_box() if self.canvas.view is not None else None
        extra = self.hands.snapshot()
        if a.drag is not None:
            extra["dragging"] = int(a.drag[0])  # the centroid held by the pointer or the keys
        extra["selection"] = self.explain.snapshot()  # explain mode (None: nothing selected)
        if self.race.active:
            extra["race"] = self.race.snapshot(full=full, points=points)
        return snapshot.build(
            status=a.status, params=self.controls.params, session=self.session, frame=a.frame,
            run_id=a.run_id, full=full, points=points,
            iteration_label=str(el("iter").textContent),
            **a.telemetry.snapshot_fields(),
            axes=None if box is None else box.as_dict(),
            axis_names=None if self.canvas.view is None else list(self.canvas.view.axis_names),
            teach=self.teach.snapshot(),
            **extra,
        )

    def snapshot_json(self, options: str = "{}") -> str:
        """The snapshot as strict JSON; options (JSON): {"full": true} lists every point
        even above snapshot.POINTS_IN_FULL, {"points": false} lists none."""
        chosen = json.loads(options or "{}")
        return snapshot.to_json(self.snapshot(full=bool(chosen.get("full")),
                                              points=chosen.get("points", True) is not False))


PAGE: Page | None = None


async def start() -> None:
    """Build the page once the runtime is up; called by site/main.py."""
    global PAGE
    js.kmeansBoot.showStage("draw")
    PAGE = Page()
    PAGE.start()
    js.kmeansBoot.ready()
