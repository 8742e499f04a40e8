"""Browser glue: the only module that imports js / pyodide. Wires the DOM to the pure modules.

GO and RETRY build a recorded run (session), a timeline plays it (player), and one asyncio task
draws each animation frame (view) onto the page's canvas with putImageData. A new command
tells the running task to stop and waits for it before starting, so two loops never run at
once; a paused or finished loop sleeps until a control wakes it.
The page's state is readable as JSON through ``window.kmeans.snapshot()``.
"""

from __future__ import annotations

import asyncio
import json
from collections import deque

import js
import numpy as np
from pyodide.ffi import JsException, create_once_callable, create_proxy

from . import data, fontcache, params as P

fontcache.prepare()  # before matplotlib is first imported (by .view): no font scan, no stderr
from .player import Player, Timeline, assignment_centroids  # noqa: E402
from .session import Session, random_seed  # noqa: E402
from .view import KMeansView  # noqa: E402

ASPECT = 0.8          # figure height / width, the notebook's 1000 x 800
SLIDERS = ("n", "k", "std", "centers", "noise")
CHOICES = ("dataset", "init", "empty")
NUMBERS = ("max_iter", "tol", "seed")
CHECKBOXES = ("paths", "regions")   # drawing options, 0/1 in Params
POINTS_KEY = "kmeans-anim:points"  # localStorage: the visitor's own points survive a reload
INIT_TITLES = {"random": "random data points (notebook)", "k-means++": "k-means++",
               "greedy-k-means++": "greedy k-means++ (scikit-learn)",
               "farthest": "farthest point", "uniform": "uniform in the bounding box"}
EMPTY_TITLES = {"keep": "keep the centroid where it is", "farthest": "move to the farthest point",
                "random": "move to a random point"}
FRAME_LOG = 2000      # per-frame draw times kept (of the current run) for benchmarks/bench_page.py


def _el(element_id: str):
    return js.document.getElementById(element_id)


def _stored(key: str) -> str:
    """localStorage[key], or "" where storage is off (a sandboxed embed throws on access)."""
    try:
        return js.localStorage.getItem(key) or ""
    except JsException:
        return ""


def _now() -> float:
    """Monotonic seconds, the player's clock."""
    return js.performance.now() / 1000.0


def _next_animation_frame() -> asyncio.Future:
    """A future resolved at the browser's next paint (never while the tab is hidden)."""
    future = asyncio.get_event_loop().create_future()

    def resolve(timestamp):
        if not future.done():
            future.set_result(timestamp)

    js.requestAnimationFrame(create_once_callable(resolve))
    return future


class Page:
    """The page's state and its event handlers."""

    def __init__(self) -> None:
        self.canvas = _el("plot")
        self.ctx = self.canvas.getContext("2d")
        self.session = Session()
        self.view: KMeansView | None = None
        self.player: Player | None = None
        self.frame = None
        self.task: asyncio.Task | None = None
        self.status = "ready"
        self.run_id = 0
        self.loops_running = 0
        self.max_loops_running = 0
        self.frame_ms: deque[float] = deque(maxlen=FRAME_LOG)
        self.iteration_shown = None
        self.last_drawn = None
        self.message_about_run = False
        self.wake = asyncio.Event()
        self.paused_by_hiding = False
        self.shown_step = None
        self.resize_pending = False
        self._keep = []  # event-handler proxies, alive as long as the page

    # ------------------------------------------------------------ set-up

    def start(self) -> None:
        self._fill_choices()
        params, notes = P.from_query(str(js.location.search))
        self._write_controls(params)
        if notes:
            self.show_message("Some settings in the address were changed: " + " ".join(notes))
        _el("points-text").value = _stored(POINTS_KEY)
        self._listen(js.window, "resize", self._on_resize)
        self._listen(js.document, "visibilitychange", self._on_visibility)
        for name in SLIDERS:
            self._listen(_el(name), "input", self._on_control)
        for name in (*CHOICES, *NUMBERS, *CHECKBOXES, "reseed", "speed"):
            self._listen(_el(name), "change", self._on_control)
        self._listen(_el("seed"), "input", self._on_seed_typed)
        self._listen(_el("new-seed"), "click", self._on_new_seed)
        self._listen(_el("speed"), "change", self._on_speed)
        for name in CHECKBOXES:
            self._listen(_el(name), "change", self._on_overlay)
        self._listen(_el("points-text"), "input", self._on_points_typed)
        self._listen(_el("points-file"), "change", self._on_points_file)
        self._listen(_el("play"), "click", lambda event: self._control_player("toggle"))
        self._listen(_el("step-back"), "click", lambda event: self._control_player("step_back"))
        self._listen(_el("step-forward"), "click", lambda event: self._control_player("step_forward"))
        self._listen(js.document, "keydown", self._on_key)
        self._listen(_el("go"), "click", lambda event: self.go())
        self._listen(_el("retry"), "click", lambda event: self.retry())
        self._fit_canvas()
        self._draw_empty()
        js.window.kmeans.source = create_proxy(self.snapshot_json)
        for name in (*SLIDERS, *CHOICES, *NUMBERS, *CHECKBOXES, "reseed", "new-seed", "speed", "go"):
            _el(name).disabled = False
        self._sync_controls()

    def _listen(self, target, event: str, handler) -> None:
        proxy = create_proxy(handler)
        self._keep.append(proxy)
        target.addEventListener(event, proxy)

    def _fill_choices(self) -> None:
        for name, titles in (("dataset", P.DATASET_TITLES), ("init", INIT_TITLES),
                             ("empty", EMPTY_TITLES)):
            select = _el(name)
            for value, title in titles.items():
                option = js.document.createElement("option")
                option.value, option.textContent = value, title
                select.append(option)

    # ------------------------------------------------------------ controls

    def _write_controls(self, params: P.Params) -> None:
        """Show `params` in the controls (at start, and after a correction)."""
        for name in (*SLIDERS, "max_iter", "tol", "speed"):
            _el(name).value = P.format_number(getattr(params, name))
        for name in CHOICES:
            _el(name).value = getattr(params, name)
        _el("reseed").checked = params.seed is None
        _el("seed").value = "" if params.seed is None else str(params.seed)
        for name in CHECKBOXES:
            _el(name).checked = bool(getattr(params, name))
        self.params = params
        self._sync_controls()

    def _read_controls(self) -> P.Params:
        """Params from the controls; out-of-range typed values are corrected, shown and said."""
        raw = {name: _el(name).value for name in (*SLIDERS, *CHOICES, "max_iter", "tol", "speed")}
        raw |= {name: "1" if _el(name).checked else "0" for name in CHECKBOXES}
        raw["seed"] = "" if _el("reseed").checked else _el("seed").value
        params, notes = P.validate(raw)
        if notes:
            self.show_message(" ".join(notes))
            self._write_controls(params)
        return params

    def _sync_controls(self) -> None:
        """Values beside sliders, help texts, and which controls the data set listens to."""
        p = self.params
        _el("n-value").textContent = str(p.n)
        _el("k-value").textContent = str(p.k)
        _el("std-value").textContent = f"{p.std:.2f}"
        _el("centers-value").textContent = str(p.centers) if p.centers else "= K"
        _el("noise-value").textContent = f"{p.noise:.2f}"
        _el("dataset-help").textContent = P.DATASET_HELP[p.dataset]
        _el("init-help").textContent = P.INIT_HELP[p.init]
        _el("empty-help").textContent = P.EMPTY_HELP[p.empty]
        used = P.uses(p)
        for name in ("n", "centers", "std", "noise"):
            _el(name).disabled = name not in used
            _el(name).closest(".slider").classList.toggle("unused", name not in used)
        _el("custom-box").hidden = p.dataset != P.CUSTOM

    def _on_control(self, event) -> None:
        self.params = self._read_controls()
        self._sync_controls()
        # Keep the settings in the address so a reload or a shared link restores them.
        try:
            js.history.replaceState(None, "", P.to_query(self.params) or js.location.pathname)
        except JsException:
            pass  # a sandboxed embed may refuse it; the settings still apply

    def _on_seed_typed(self, event) -> None:
        _el("reseed").checked = False  # a typed seed is meant to be used

    def _on_new_seed(self, event) -> None:
        _el("seed").value = str(random_seed())
        _el("reseed").checked = False
        self._on_control(event)

    def _on_speed(self, event) -> None:
        if self.player is not None:
            self.player.set_speed(self.params.speed, _now())

    def _on_overlay(self, event) -> None:
        """Paths or regions switched on or off: repaint the frame on screen."""
        self.last_drawn = None
        if self.frame is not None:
            self._draw(self.frame)

    def _on_points_typed(self, event) -> None:
        try:
            js.localStorage.setItem(POINTS_KEY, _el("points-text").value)
        except JsException:
            pass  # storage off (private mode, sandboxed embed, full): the text stays on the page

    async def _on_points_file(self, event) -> None:
        files = _el("points-file").files
        if files.length:
            text = await files.item(0).text()
            _el("points-text").value = text
            self._on_points_typed(event)

    def show_message(self, text: str, about_run: bool = False) -> None:
        """Show (or, with "", hide) the message box. `about_run` marks messages about one GO or
        RETRY (bad points, lowered K), which the next GO or RETRY clears; notes about corrected
        settings stay until replaced."""
        box = _el("message")
        box.textContent = text
        box.hidden = not text
        self.message_about_run = about_run

    def _clear_run_message(self) -> None:
        if self.message_about_run:
            self.show_message("")

    def _custom_points(self) -> np.ndarray | None:
        """The visitor's points, or None (with a message naming the bad line) if unusable."""
        try:
            return data.parse_points(str(_el("points-text").value))
        except data.PointsError as error:
            self.show_message(f"Your points cannot be used: {error}. Nothing was changed; "
                              f"fix the text and press GO again.", about_run=True)
            return None

    def go(self) -> None:
        self._clear_run_message()
        self.params = self._read_controls()
        points = None
        if self.params.dataset == P.CUSTOM:
            points = self._custom_points()
            if points is None:
                return
        params = self.params
        self._launch(lambda: self._after_go(self.session.go(params, points)))

    def _after_go(self, run):
        if _el("reseed").checked:
            _el("seed").value = str(self.session.seed)  # shown, so a good run can be kept
        return self._note_k(run)

    def _note_k(self, run):
        """Say so when K had to be lowered (fewer distinct points than K); return the run."""
        k = len(run.centroids)
        if k < self.session.params.k:
            self.show_message(f"K lowered to {k}: there are only {k} distinct points.", about_run=True)
        return run

    def retry(self) -> None:
        if self.session.points is None:
            return
        self._clear_run_message()
        params = self._read_controls()
        self._launch(lambda: self._note_k(self.session.retry(params)))

    # ------------------------------------------------------------ animation

    def _launch(self, make_run) -> None:
        """Start a new animation once the running one (if any) has stopped.

        Stopping is cooperative: bumping run_id makes the running loop return at its next frame.
        (Task.cancel() would do, but Pyodide 0.27's WebLoop logs every cancelled task as an error.)
        """
        self.run_id += 1
        self.wake.set()  # an idle loop (paused or finished) wakes up and sees it is superseded
        self.status = "starting"
        self.task = asyncio.ensure_future(self._play_after(self.task, make_run, self.run_id))

    async def _play_after(self, previous, make_run, run_id: int) -> None:
        if previous is not None:
            await previous
        if run_id != self.run_id:
            return  # superseded by a later click while waiting
        run = make_run()
        if self.view is None:
            self._fit_canvas()
        self.view.set_points(self.session.points)
        self.player = Player(Timeline(run), speed=self.session.params.speed)
        self.player.play(_now())
        self.last_drawn = None
        self.shown_step = None
        self.frame_ms.clear()  # per run: what benchmarks/bench_page.py reads
        self.status = "running"
        _el("play").textContent = "pause"
        for name in ("retry", "play", "step-back", "step-forward"):
            _el(name).disabled = False
        _el("status").textContent = ""
        self.loops_running += 1
        self.max_loops_running = max(self.max_loops_running, self.loops_running)
        try:
            while run_id == self.run_id:
                self.frame = self.player.frame(_now())
                self._draw(self.frame)
                self._show_state(run)
                if self.frame.done or not self.player.playing:
                    # Nothing moves: sleep until a control (play, step) or a new run wakes us.
                    self.wake.clear()
                    await self.wake.wait()
                else:
                    await _next_animation_frame()
        finally:
            self.loops_running -= 1

    def _show_state(self, run) -> None:
        """Play button label and the status line: the half-step on screen, or the outcome."""
        status = "done" if self.frame.done else "running" if self.player.playing else "paused"
        shown = (status == "done", self.frame.step_index)
        if status != self.status:
            self.status = status
            _el("play").textContent = {"running": "pause", "paused": "play", "done": "replay"}[status]
        if shown != self.shown_step:  # once per half-step, not per frame
            self.shown_step = shown
            _el("status").textContent = (self._summary(run) if status == "done"
                                         else self._describe(run.steps[self.frame.step_index]))

    def _describe(self, step) -> str:
        """One line for a teacher: what the half-step on screen did."""
        if step.kind == "init":
            return f"start: {len(step.centroids)} centroids ({INIT_TITLES[self.session.params.init]})"
        if step.kind == "assign":
            return (f"assignment: {step.changed} point{'s' * (step.changed != 1)} changed "
                    f"cluster · inertia {step.inertia:.2f}")
        return f"update: centroids move to their clusters' means · inertia {step.inertia:.2f}"

    def _summary(self, run) -> str:
        why = {"converged": "converged: no point changed cluster",
               "tol": "stopped: centroids moved less than the tolerance",
               "max_iter": f"stopped after the maximum of {self.session.params.max_iter} iterations"}
        return f"{why[run.stop_reason]} · inertia {run.inertia:.2f} · seed {self.session.seed}"

    def _draw(self, frame) -> None:
        key = (frame.step_index, frame.moving and frame.centroids.tobytes())
        if key == self.last_drawn:
            return  # a held frame: nothing moved, nothing to paint
        self.last_drawn = key
        t0 = js.performance.now()
        trails = self.player.trails(_now()) if self.params.paths else None
        regions = (assignment_centroids(self.session.run, frame.step_index)
                   if self.params.regions else None)
        rgba = self.view.render(frame.labels, frame.centroids, trails=trails, regions=regions)
        self._push(rgba)
        self.frame_ms.append(js.performance.now() - t0)
        if frame.iteration != self.iteration_shown:  # a DOM write only when the count changes
            self.iteration_shown = frame.iteration
            _el("iter").textContent = f"Iterations: {frame.iteration or ''}"

    def _push(self, rgba: np.ndarray) -> None:
        """Copy an (H, W, 4) uint8 RGBA array onto the canvas without a Python-side copy."""
        height, width = rgba.shape[:2]
        proxy = create_proxy(rgba)
        buffer = proxy.getBuffer("u8clamped")
        try:
            self.ctx.putImageData(js.ImageData.new(buffer.data, width, height), 0, 0)
        finally:
            buffer.release()
            proxy.destroy()

    def _draw_empty(self) -> None:
        self._push(self.view.render(np.empty(0, dtype=np.intp), None))

    # ------------------------------------------------------------ window events

    def _fit_canvas(self) -> None:
        """Size the canvas backing store to its CSS box times devicePixelRatio."""
        ratio = float(js.window.devicePixelRatio or 1)
        css_width = float(self.canvas.getBoundingClientRect().width) or 1000.0
        width, height = round(css_width * ratio), round(css_width * ASPECT * ratio)
        # Text and markers shrink with a narrow figure (a phone), but not below 60%: legible.
        dpi = 100.0 * ratio * min(1.0, max(0.6, css_width / 1000.0))
        if self.view is not None and (self.canvas.width, self.canvas.height) == (width, height):
            return
        self.canvas.width, self.canvas.height = width, height
        if self.view is None:
            self.view = KMeansView(width, height, dpi=dpi)
        else:
            self.view.resize(width, height, dpi=dpi)
        if self.session.points is not None:
            self.view.set_points(self.session.points)
        self.last_drawn = None

    def _on_resize(self, event) -> None:
        # A window drag fires many resize events; re-lay out the figure once per paint.
        if not self.resize_pending:
            self.resize_pending = True
            js.requestAnimationFrame(create_once_callable(self._resize_now))

    def _resize_now(self, timestamp) -> None:
        self.resize_pending = False
        self._fit_canvas()
        if self.frame is not None:
            self._draw(self.frame)
        elif self.session.points is None:
            self._draw_empty()

    def _control_player(self, action: str) -> None:
        """play/pause ("toggle"), "step_back" or "step_forward" over the current run."""
        if self.player is None or self.status == "starting":
            return
        getattr(self.player, action)(_now())
        # Show the result at once (the loop may be asleep until the wake below is seen).
        self.frame = self.player.frame(_now())
        self._draw(self.frame)
        self._show_state(self.session.run)
        self.wake.set()

    def _on_key(self, event) -> None:
        # Space plays/pauses, arrows step half-steps; not while typing in or moving a control.
        if str(event.target.tagName) in ("INPUT", "SELECT", "TEXTAREA", "BUTTON") or event.ctrlKey or event.metaKey:
            return
        action = {" ": "toggle", "ArrowLeft": "step_back", "ArrowRight": "step_forward"}.get(str(event.key))
        if action and self.player is not None:
            event.preventDefault()
            self._control_player(action)

    def _on_visibility(self, event) -> None:
        # requestAnimationFrame stops in a hidden tab; pause the clock so the run resumes where
        # the visitor left it instead of jumping to the end (and stays paused if they paused it).
        if self.player is None:
            return
        if js.document.hidden and self.status == "running":
            self.player.pause(_now())
            self.paused_by_hiding = True
        elif not js.document.hidden and self.paused_by_hiding:
            self.paused_by_hiding = False
            self._control_player("play")

    # ------------------------------------------------------------ snapshot

    def snapshot(self) -> dict:
        s, run, frame = self.session, self.session.run, self.frame
        snap = {
            "status": self.status,
            "params": P.as_dict(self.params),
            "seed": s.seed,
            "attempt": s.attempt,
            "run_id": self.run_id,
            "max_concurrent_loops": self.max_loops_running,
            "iteration_label": str(_el("iter").textContent),
            "points": None if s.points is None else s.points.tolist(),
            "true_labels": None if s.true_labels is None else s.true_labels.tolist(),
            "frame_ms": [round(x, 2) for x in self.frame_ms],
        }
        if run is not None:
            snap |= {
                "iteration": frame.iteration if frame is not None else 0,
                "step_index": frame.step_index if frame is not None else 0,
                "labels": frame.labels.tolist() if frame is not None else None,
                "centroids": frame.centroids.tolist() if frame is not None else None,
                "initial_centroids": s.initial_centroids.tolist(),
                "history": [st.centroids.tolist() for st in run.steps if st.kind != "assign"],
                "steps": [{"kind": st.kind, "iteration": st.iteration, "inertia": st.inertia,
                           "changed": st.changed, "shift": st.shift} for st in run.steps],
                "final": {"labels": run.labels.tolist(), "centroids": run.centroids.tolist(),
                          "inertia": run.inertia, "n_iter": run.n_iter,
                          "stop_reason": run.stop_reason},
            }
        return snap

    def snapshot_json(self) -> str:
        return json.dumps(self.snapshot())


PAGE: Page | None = None


async def start() -> None:
    """Build the page once the runtime is up; called by site/main.py."""
    global PAGE
    js.kmeansBoot.showStage("draw")
    PAGE = Page()
    PAGE.start()
    js.kmeansBoot.ready()
