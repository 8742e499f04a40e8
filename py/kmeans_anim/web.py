"""Browser glue: the page. Wires the controls, the canvas and the animator to GO, RETRY and the
keyboard, and exposes the page's state as strict JSON through ``window.kmeans.snapshot()``.

Each browser concern has its own module: web_controls (settings, messages, address),
web_canvas (the plot), web_animator (the animation loop and status), web_dom (helpers). They
are the only modules that import js / pyodide; everything they compute without the browser
(wording, key map, pixel <-> data, the snapshot) lives in pure modules tested in CPython.
"""

from __future__ import annotations

import dataclasses

import js
from pyodide.ffi import create_proxy

from . import data, fontcache, params as P, snapshot, wording

fontcache.prepare()  # before matplotlib is first imported (by .view): no font scan, no stderr
from .keymap import key_action  # noqa: E402
from .session import Session, random_seed  # noqa: E402
from .view import undrawable  # noqa: E402
from .web_animator import Animator  # noqa: E402
from .web_canvas import Canvas  # noqa: E402
from .web_controls import CHECKBOXES, CHOICES, NUMBERS, SLIDERS, Controls  # noqa: E402
from .web_dom import el, focus_of, listen  # noqa: E402
from .web_points import OwnPoints  # noqa: E402

PROMPT = "Press GO to draw points and watch k-means find clusters"


class Page:
    """The page's parts and its commands."""

    def __init__(self) -> None:
        self.session = Session()
        self.controls = Controls()
        self.canvas = Canvas()
        self.animator = Animator(self.canvas, self.controls, self.session)
        self.own_points = OwnPoints(self.controls)
        self.canvas.on_resized = self._repaint

    # ------------------------------------------------------------ set-up

    def start(self) -> None:
        c = self.controls
        c.fill_choices()
        params, notes = P.from_query(str(js.location.search))
        c.write(params)
        if notes:
            c.show_message("Some settings in the address were changed: " + " ".join(notes))
        self.own_points.start()
        handlers = [
            (js.window, "resize", self.canvas.request_fit),
            (js.document, "visibilitychange", self.animator.on_visibility),
            (js.document, "keydown", self._on_key),
            (js.document, "keyup", self._on_key_up),
            *[(el(name), "input", self._on_control) for name in SLIDERS],
            *[(el(name), "change", self._on_control) for name in (*CHOICES, *NUMBERS, *CHECKBOXES, "speed")],
            *[(el(name), "change", self._on_overlay) for name in ("paths", "regions")],
            (el("seed"), "input", self._on_seed_typed),
            (el("new-seed"), "click", self._on_new_seed),
            (el("speed"), "change", lambda event: self.animator.set_speed(c.params.speed)),
            (el("points-text"), "input", self.own_points.on_typed),
            (el("points-file"), "change", self.own_points.on_file),
            (el("play"), "click", lambda event: self.animator.control("toggle")),
            (el("step-back"), "click", lambda event: self.animator.control("step_back")),
            (el("step-forward"), "click", lambda event: self.animator.control("step_forward")),
            (el("go"), "click", lambda event: self.go()),
            (el("retry"), "click", lambda event: self.retry()),
            (el("copy-link"), "click", self._on_copy_link),
        ]
        for target, event, handler in handlers:
            listen(target, event, handler)
        self.canvas.fit()
        self.canvas.paint_empty(PROMPT)
        js.window.kmeans.source = create_proxy(self.snapshot_json)
        c.enable()
        c.sync()
        if params.seed is not None:
            self._show_linked_run(params)

    def _show_linked_run(self, params: P.Params) -> None:
        """An address that names a seed shows those points and that run, ready to play."""
        points = None
        if params.dataset == P.CUSTOM:
            points = self._custom_points()
            if points is None:
                return
        self.animator.launch(lambda: self._made(lambda: self.session.go(params, points)),
                             autoplay=False)

    # ------------------------------------------------------------ settings

    def _on_control(self, event) -> None:
        self.controls.read()
        self.controls.sync()
        self.controls.update_address()

    def _on_overlay(self, event) -> None:
        """Paths or regions switched on or off: repaint the frame on screen."""
        self._repaint()

    def _repaint(self) -> None:
        if self.animator.frame is not None:
            self.animator.repaint()
        elif self.session.points is None:
            self.canvas.paint_empty(PROMPT)

    def _on_seed_typed(self, event) -> None:
        el("reseed").checked = False  # a typed seed is meant to be used

    def _on_new_seed(self, event) -> None:
        el("seed").value = str(random_seed())
        el("reseed").checked = False
        self._on_control(event)

    async def _on_copy_link(self, event) -> None:
        url = str(js.location.href)
        try:
            await js.navigator.clipboard.writeText(url)
            self.controls.show_message(f"Link copied: {url}", about_run=True)
        except Exception:  # noqa: BLE001 -- no clipboard (insecure origin, permission refused)
            self.controls.show_message(f"Copy this link: {url}", about_run=True)

    # ------------------------------------------------------------ your own points

    def _custom_points(self):
        """The visitor's points, or None (with a message naming the bad line) if unusable."""
        try:
            points = self.own_points.points()
        except data.PointsError as error:
            self._refuse_points(error)
            return None
        problem = undrawable(points)
        if problem:
            self._refuse_points(problem)
            return None
        return points

    def _refuse_points(self, error: Exception) -> None:
        self.controls.show_message(f"Your points cannot be used: {error}. Nothing was changed; "
                                   f"fix them and press GO again.", about_run=True)

    # ------------------------------------------------------------ GO and RETRY

    def go(self) -> None:
        """New points (a new seed unless the seed is kept), then a run from attempt 0."""
        self.controls.clear_run_message()
        params = self.controls.read()
        fresh = params.seed is None or params.reseed
        params = dataclasses.replace(params, seed=random_seed() if fresh else params.seed, attempt=0)
        points = None
        if params.dataset == P.CUSTOM:
            points = self._custom_points()
            if points is None:
                return
        self.animator.launch(lambda: self._made(lambda: self.session.go(params, points)))

    def retry(self) -> None:
        """Same points, the next attempt: new starting centroids."""
        if self.session.points is None:
            return
        self.controls.clear_run_message()
        params = self.controls.read()
        self.animator.launch(lambda: self._made(lambda: self.session.retry(params)))

    def _made(self, make):
        """Make a run; say why not for points that cannot be clustered, note a lowered K and
        name the run in the seed field and the address. Returns the run or None."""
        try:
            run = make()
        except data.PointsError as error:
            self._refuse_points(error)
            return None
        k, asked = len(run.centroids), self.session.params.k
        if k < asked:
            self.controls.show_message(wording.k_lowered(asked, k), about_run=True)
        self.controls.show_run(self.session.seed, self.session.attempt)
        return run

    # ------------------------------------------------------------ keyboard

    def _on_key(self, event) -> None:
        action = key_action(str(event.key), focus_of(event.target), bool(event.ctrlKey),
                            bool(event.metaKey), bool(event.altKey))
        if action and self.animator.player is not None:
            event.preventDefault()  # no page scroll, and no press of the focused button
            self.animator.control(action)

    def _on_key_up(self, event) -> None:
        # A button (or <summary>) is pressed by space when the key comes up: space plays/pauses
        # instead, so that default is cancelled too.
        if key_action(str(event.key), focus_of(event.target)) and self.animator.player is not None:
            event.preventDefault()

    # ------------------------------------------------------------ snapshot

    def snapshot(self, full: bool = False) -> dict:
        a = self.animator
        box = self.canvas.plot_box() if self.canvas.view is not None else None
        return snapshot.build(
            status=a.status, params=self.controls.params, session=self.session, frame=a.frame,
            run_id=a.run_id, full=full,
            max_concurrent_loops=a.max_loops_running,
            iteration_label=str(el("iter").textContent),
            frame_ms=[round(x, 2) for x in a.frame_ms],
            axes=None if box is None else box.as_dict(),
        )

    def snapshot_json(self, full=False) -> str:
        return snapshot.to_json(self.snapshot(bool(full)))


PAGE: Page | None = None


async def start() -> None:
    """Build the page once the runtime is up; called by site/main.py."""
    global PAGE
    js.kmeansBoot.showStage("draw")
    PAGE = Page()
    PAGE.start()
    js.kmeansBoot.ready()
