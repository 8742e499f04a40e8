"""Browser glue for "Which start?" and "How many clusters?" (issue 17): the attempts list, best
of N, the elbow with the mean silhouette per K, the silhouette plot of the run on screen and
its agreement with the true clusters. Imports js (browser glue only).

The numbers are `core.teach`'s (scikit-learn's, tests/unit/test_teach.py), the list
`core.tries`, the sentences `words.wording`, the charts `picture.teachcharts`. Best of N, the
elbow and the silhouette are generators computed one piece per turn of the event loop (each
piece a pick, `session.PIECE` points of a pass or `teach.SILHOUETTE_PIECE` distances), so the
page keeps painting and answering; a newer request (or new points) makes an older computation
stop at its next piece. The state is on ``<section id="teach" data-best-of data-elbow
data-silhouette>`` (idle, computing, done, failed) and in the snapshot's ``teach``.
"""

from __future__ import annotations

import asyncio
import dataclasses

import js
import numpy as np

from ..core import engine, teach
from ..core.choices import MANUAL
from ..core.params import RANGES
from ..core.teach import BestOf, ElbowPoint, Start
from ..core.tries import Tries
from ..picture import teachcharts
from ..words import wording
from .dom import announce, el, listen, push_rgba

#: The K of the elbow chart (scikit-learn's gallery tries 2..6; the page's K goes to 10).
ELBOW_KS = range(1, 11)


class TeachPanel:
    """The panel under the run at a glance. `play(params)` shows the run of `params` (same
    points; its attempt, K and rules) as RETRY does."""

    def __init__(self, session, controls, play) -> None:
        self.session, self.controls, self.play = session, controls, play
        self.tries = Tries()
        self.theme = "light"
        self._work = 0           # generation of best of N / elbow: a newer one stops an older
        self._measure = 0        # generation of the silhouette of the run on screen
        self._run_seen = None    # the finished run whose end was recorded
        self.best_of: dict = {"state": "idle"}
        self.elbow: dict = {"state": "idle"}
        self.silhouette: dict = {"state": "idle"}
        self.agreement: dict | None = None
        self._elbow_points: list[ElbowPoint] = []
        self._elbow_params = None

    def start(self) -> None:
        listen(el("best-of"), "click", lambda event: self.start_best_of())
        listen(el("elbow"), "click", lambda event: self.start_elbow())
        listen(el("attempts"), "click", self._on_attempt_click)
        listen(el("elbow-ks"), "click", self._on_k_click)
        listen(el("n_init"), "input", lambda event: self._label_best_of())
        self._label_best_of()
        self._show_attempts()
        self._set_state()

    def set_theme(self, theme: str) -> None:
        self.theme = theme

    # ------------------------------------------------------------ state on the page

    def _set_state(self) -> None:
        section = el("teach").dataset
        section.bestOf = self.best_of["state"]
        section.elbow = self.elbow["state"]
        section.silhouette = self.silhouette["state"]
        section.attempts = str(len(self.tries.entries))

    def snapshot(self) -> dict:
        return {
            "attempts": [{"attempt": r.attempt, "inertia": r.inertia, "k": r.params.k,
                          "init": r.params.init, "best": r.best, "lowest": r.lowest}
                         for r in self.tries.listed()],
            "best_of": self.best_of, "elbow": self.elbow, "silhouette": self.silhouette,
            "agreement": self.agreement,
        }

    def _label_best_of(self) -> None:
        value = str(el("n_init").value or "")
        el("best-of").textContent = f"best of {value}" if value else "best of N"

    def _say(self, element_id: str, text: str) -> None:
        el(element_id).textContent = text

    def _draw(self, element_id: str, draw, *args):
        """Draw a chart of picture.teachcharts (a `*_in_pieces` generator function) onto canvas
        `element_id` at its CSS size times the pixel ratio, its text as large as the page's
        there; a generator of pieces (see `_drive`)."""
        canvas = el(element_id)
        canvas.hidden = False
        ratio = float(js.window.devicePixelRatio or 1)
        box = canvas.getBoundingClientRect()
        width = max(round(float(box.width or 320) * ratio), 80)
        height = max(round(float(box.height or 160) * ratio), 60)
        font = float(str(js.window.getComputedStyle(canvas).fontSize).removesuffix("px"))
        canvas.width, canvas.height = width, height
        rgba = yield from draw(*args, width_px=width, height_px=height, font_px=font * ratio,
                               theme=self.theme)
        push_rgba(canvas.getContext("2d"), rgba)

    # ------------------------------------------------------------ the run on screen

    def on_shown(self, run, step_index: int) -> None:
        """The glance showed half-step `step_index` of `run` (once per half-step): new points
        start the panel over; the end of a run is listed and measured once."""
        s = self.session
        if self.tries.follow(s.points):
            self._points_changed()
        if run is not s.run or not run.finished or run is self._run_seen:
            return
        self._run_seen = run
        if s.branches == 0 and s.params.init != MANUAL:
            self.tries.add(s.points, s.params, run.inertia)
            self._show_attempts()
        self._measure_run(run)
        if s.params.best_of and self.best_of["state"] == "idle" and s.params.init != MANUAL:
            # A run that is the best of N (a link): its N starts drawn beside it.
            self._work += 1
            asyncio.ensure_future(self._best_of(
                dataclasses.replace(s.params, n_init=s.params.best_of), self._work, play=False))

    def _points_changed(self) -> None:
        self._work += 1
        self._measure += 1
        self.best_of, self.elbow = {"state": "idle"}, {"state": "idle"}
        self.silhouette, self.agreement = {"state": "idle"}, None
        self._elbow_points, self._elbow_params = [], None
        for name in ("starts-chart", "elbow-chart", "silhouette-chart", "confusion"):
            el(name).hidden = True
        for name in ("best-of-note", "elbow-note", "silhouette-note", "agreement-note"):
            self._say(name, "")
        el("elbow-ks").replaceChildren()
        self._set_state()

    def _show_attempts(self) -> None:
        rows = self.tries.listed()
        listing = el("attempts")
        listing.replaceChildren()
        self._say("attempts-help", wording.ATTEMPTS_EMPTY if not rows else "")
        show_k = len({r.params.k for r in rows}) > 1
        show_init = len({r.params.init for r in rows}) > 1
        current = self.session.attempt
        for r in rows:
            item = js.document.createElement("li")
            button = js.document.createElement("button")
            button.type = "button"
            button.className = "plain attempt" + (" lowest" if r.lowest else "")
            button.textContent = wording.attempt_row(r, show_k, show_init)
            button.title = wording.attempt_button_title(r)
            button.dataset.attempt = str(r.attempt)
            button.dataset.k = str(r.params.k)
            button.dataset.init = r.params.init
            button.dataset.inertia = repr(r.inertia)
            if r.attempt == current and r.params.k == self.session.params.k:
                button.setAttribute("aria-current", "true")
            item.append(button)
            listing.append(item)
        self._set_state()

    def _on_attempt_click(self, event) -> None:
        button = event.target.closest("button[data-attempt]")
        if button is None:
            return
        attempt, k = int(button.dataset.attempt), int(button.dataset.k)
        init = str(button.dataset.init)
        for r in self.tries.listed():
            if r.attempt == attempt and r.params.k == k and r.params.init == init:
                self.play(dataclasses.replace(r.params, best_of=0))
                return

    def _measure_run(self, run) -> None:
        """The silhouette of the run on screen (in pieces), and its agreement with the true
        clusters when the data set has them."""
        s = self.session
        labels = np.asarray(run.labels)
        k = len(run.centroids)
        truth = s.true_labels
        if truth is not None and len(truth) == len(labels):
            c = teach.contingency_table(truth, labels)
            ari = teach.adjusted_rand_index(truth, labels)
            self.agreement = {"ari": ari, "table": c.table.tolist(),
                              "truth_classes": c.truth_classes.tolist(),
                              "label_classes": c.label_classes.tolist()}
            self._say("agreement-note", wording.agreement_words(ari, len(c.truth_classes)))
            self._show_confusion(c, k)
        else:
            self.agreement = None
            self._say("agreement-note", "")
            el("confusion").hidden = True
        self._measure += 1
        self.silhouette = {"state": "computing"}
        self._set_state()
        asyncio.ensure_future(self._silhouette(s.points, labels, k, s.seed, self._measure))

    def _show_confusion(self, c, k: int) -> None:
        table = el("confusion")
        table.replaceChildren()
        caption = js.document.createElement("caption")
        caption.textContent = wording.confusion_caption(len(c.truth_classes), k)
        table.append(caption)
        head = js.document.createElement("tr")
        head.append(js.document.createElement("th"))
        for j in c.label_classes.tolist():
            th = js.document.createElement("th")
            th.scope = "col"
            th.textContent = str(int(j) + 1)
            head.append(th)
        table.append(head)
        for r, t in enumerate(c.truth_classes.tolist()):
            tr = js.document.createElement("tr")
            th = js.document.createElement("th")
            th.scope = "row"
            th.textContent = f"true {int(t) + 1}"
            tr.append(th)
            for count in c.table[r].tolist():
                td = js.document.createElement("td")
                td.textContent = f"{count:,}"
                tr.append(td)
            table.append(tr)
        table.hidden = False

    async def _silhouette(self, points, labels, k: int, seed: int, generation: int) -> None:
        n = len(points)
        chosen, sampled = slice(None), None
        if n > teach.SILHOUETTE_SAMPLE:
            chosen = np.random.RandomState(seed).permutation(n)[:teach.SILHOUETTE_SAMPLE]
            sampled = (teach.SILHOUETTE_SAMPLE, n, seed)
        X, lab = points[chosen], labels[chosen]
        if not 2 <= np.unique(lab).shape[0] <= len(lab) - 1:
            self.silhouette = {"state": "done", "mean": None}
            self._say("silhouette-note", wording.SILHOUETTE_NONE)
            el("silhouette-chart").hidden = True
            self._set_state()
            return
        self.silhouette = {"state": "computing"}
        self._set_state()
        samples, took = await self._drive(
            teach.silhouette_in_pieces(X, lab, teach.PAGE_SILHOUETTE_PIECE),
                                          lambda: generation == self._measure)
        if samples is None:
            return
        mean = float(np.mean(samples))
        self.silhouette = {"state": "done", "mean": mean,
                           "sample_size": None if sampled is None else sampled[0],
                           "n": n, **took}
        self._say("silhouette-note", wording.silhouette_words(mean, sampled))
        await self._drive(
            self._draw("silhouette-chart", teachcharts.silhouette_chart_in_pieces, samples, lab,
                       k, mean), lambda: generation == self._measure)
        self._set_state()

    # ------------------------------------------------------------ computing in pieces

    async def _drive(self, pieces, current, on_item=None):
        """Run a generator of pieces, one per turn of the event loop: (its value, timings) or
        (None, None) once `current()` is false (a newer request took over). `on_item` gets
        every value it yields other than None."""
        started = js.performance.now()
        longest, count = 0.0, 0
        while True:
            t0 = js.performance.now()
            try:
                item = next(pieces)
            except StopIteration as done:
                took = {"took_ms": js.performance.now() - started,
                        "longest_piece_ms": max(longest, js.performance.now() - t0),
                        "pieces": count + 1}
                return done.value, took
            longest = max(longest, js.performance.now() - t0)
            count += 1
            more = on_item(item) if item is not None and on_item is not None else None
            await asyncio.sleep(0)
            if not current():
                pieces.close()
                return None, None
            # on_item may hand back pieces of its own (a chart drawn): a turn each too.
            for _ in more or ():
                await asyncio.sleep(0)
                if not current():
                    pieces.close()
                    return None, None

    def _request(self):
        """The parameters a best of N or an elbow runs with (the controls': K, start, rules,
        starts), or None after saying why there is nothing to run."""
        s = self.session
        if s.points is None:
            self.controls.show_message(wording.TEACH_NEEDS_POINTS, about_run=True)
            return None
        params = self.controls.read()
        if params.init == MANUAL:
            self.controls.show_message(wording.TEACH_NEEDS_DRAWN_START, about_run=True)
            return None
        return params

    async def _compute(self, pieces, generation: int, points, on_item, name: str, note: str):
        """Drive a teaching computation (`pieces`) to its end: (its result, timings), or
        (None, None) when it failed (said in `note`), a newer request of the panel took over,
        or other points (GO) came meanwhile: then its results are not theirs."""
        try:
            result, took = await self._drive(pieces, lambda: generation == self._work, on_item)
        except Exception as error:  # noqa: BLE001 -- said, and the page goes on
            self._failed(name, note, error)
            return None, None
        if result is None or self.session.points is not points:
            return None, None
        return result, took

    def start_best_of(self) -> None:
        self._launch(self._best_of)

    def _launch(self, job) -> None:
        """Start `job(params, generation)` (best of N, the elbow) as the panel's newest request,
        unless there is nothing to run it on (said)."""
        params = self._request()
        if params is None:
            return
        self._work += 1
        asyncio.ensure_future(job(params, self._work))

    async def _best_of(self, params, generation: int, play: bool = True) -> None:
        s = self.session
        points, n = s.points, params.n_init
        k = engine.count_distinct(points, params.k)
        found: list[Start] = []
        self.best_of = {"state": "computing", "n": n, "k": k, "inertias": [], "attempts": []}
        self._set_state()
        self._say("best-of-note", wording.best_of_progress(0, n))

        def started(item) -> None:
            if isinstance(item, Start):
                found.append(item)
                self.best_of["inertias"].append(item.inertia)
                self.best_of["attempts"].append(item.attempt)
                self._say("best-of-note", wording.best_of_progress(len(found), n))

        result, took = await self._compute(
            teach.best_of(points, k, n, params.init, s.seed, max_iter=params.max_iter,
                          tol=params.tol, empty_rule=params.empty, piece=teach.PAGE_PIECE),
            generation, points, started, "best_of", "best-of-note")
        if result is None:
            return
        result: BestOf
        best = result.best_start
        self.best_of.update(state="done", best_attempt=best.attempt, best_inertia=best.inertia,
                            **took)
        self._say("best-of-note", wording.best_of_result(
            best.attempt, best.inertia, float(result.inertias.max()), n, play))
        announce(el("best-of-note").textContent)  # the progress before it is not read out
        await self._drive(self._draw("starts-chart", teachcharts.starts_chart_in_pieces,
                                     result.inertias, result.best), lambda: True)
        base = dataclasses.replace(params, k=k, best_of=0)
        for start in result.starts:
            self.tries.add(points, dataclasses.replace(base, attempt=start.attempt), start.inertia)
        self._show_attempts()
        if play:
            self.play(dataclasses.replace(base, attempt=best.attempt, best_of=n))

    def start_elbow(self) -> None:
        self._launch(self._elbow)

    async def _elbow(self, params, generation: int) -> None:
        s = self.session
        points, n_init = s.points, params.n_init
        ks = list(ELBOW_KS)
        sampled = None
        if len(points) > teach.SILHOUETTE_SAMPLE:
            sampled = (teach.SILHOUETTE_SAMPLE, len(points), s.seed)
        self.elbow = {"state": "computing", "n_init": n_init, "ks": [], "inertias": [],
                      "silhouettes": [], "best_attempts": [],
                      "sample_size": None if sampled is None else sampled[0]}
        self._elbow_points, self._elbow_params = [], params
        el("elbow-ks").replaceChildren()
        self._set_state()
        counted = {"k": ks[0], "start": 0}
        self._say("elbow-note", wording.elbow_progress(ks[0], len(ks), 0, n_init))

        def found(item):
            if isinstance(item, Start):
                counted["k"], counted["start"] = item.k, counted["start"] + 1
                self._say("elbow-note", wording.elbow_progress(
                    item.k, len(ks), min(counted["start"], n_init - 1), n_init))
            elif isinstance(item, ElbowPoint):
                counted["start"] = 0
                self._elbow_points.append(item)
                e = self.elbow
                e["ks"].append(item.k)
                e["inertias"].append(item.inertia)
                e["silhouettes"].append(item.silhouette)
                e["best_attempts"].append(item.result.best_start.attempt)
                return self._draw("elbow-chart", teachcharts.elbow_chart_in_pieces, e["ks"],
                                  e["inertias"], e["silhouettes"], self.session.params.k)
            return None

        result, took = await self._compute(
            teach.elbow(points, ks, n_init, params.init, s.seed, max_iter=params.max_iter,
                        tol=params.tol, empty_rule=params.empty, piece=teach.PAGE_PIECE),
            generation, points, found, "elbow", "elbow-note")
        if result is None:
            return
        self.elbow.update(state="done", **took)
        scored = [(p.silhouette, p.k) for p in result if p.silhouette is not None]
        best_k = max(scored)[1] if scored else None
        self._say("elbow-note", wording.elbow_done(best_k, n_init, sampled))
        announce(el("elbow-note").textContent)  # the progress before it is not read out
        self._show_k_buttons()
        self._set_state()

    def _show_k_buttons(self) -> None:
        box = el("elbow-ks")
        box.replaceChildren()
        k_range = RANGES["k"]
        for p in self._elbow_points:
            if not k_range.lo <= p.k <= k_range.hi:
                continue  # K = 1 is drawn, not run: the page's K starts at 2
            button = js.document.createElement("button")
            button.type = "button"
            button.className = "plain k-choice"
            button.textContent = str(p.k)
            button.title = wording.elbow_row(p.k, p.inertia, p.silhouette)
            button.setAttribute("aria-label", f"Run {wording.elbow_row(p.k, p.inertia, p.silhouette)}")
            button.dataset.k = str(p.k)
            box.append(button)

    def _on_k_click(self, event) -> None:
        button = event.target.closest("button[data-k]")
        if button is None or self._elbow_params is None or self.tries.points is not self.session.points:
            return
        k = int(button.dataset.k)
        point = next(p for p in self._elbow_points if p.k == k)
        self.controls.write(dataclasses.replace(self.controls.params, k=k))
        e = self.elbow
        asyncio.ensure_future(self._drive(
            self._draw("elbow-chart", teachcharts.elbow_chart_in_pieces, e["ks"], e["inertias"],
                       e["silhouettes"], k), lambda: True))
        self.play(dataclasses.replace(self._elbow_params, k=k,
                                      attempt=point.result.best_start.attempt,
                                      best_of=self.elbow["n_init"]))

    def _failed(self, name: str, note: str, error) -> None:
        getattr(self, name)["state"] = "failed"
        self._say(note, wording.teach_failed(error))
        self._set_state()
        js.console.warn(f"k-means {name} failed: {error!r}")
