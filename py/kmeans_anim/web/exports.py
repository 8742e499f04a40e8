"""Browser glue for "Save and share": the frame as PNG (twice the screen's resolution), the points
and centroids as CSV, the whole run as an animated GIF (made in the page, in pieces, with a
progress bar) and the run as a Python script on the clipboard. Imports js (browser glue only);
the files themselves are made by the pure package export.
"""

from __future__ import annotations

import asyncio
import dataclasses

import js
import numpy as np
from pyodide.ffi import create_once_callable, to_js

from ..core import params as P
from ..core.table import scaled_name
from ..export.csv_file import labelled_table_csv, points_csv
from ..export.gif import GifMaker
from ..export.png import png_bytes
from ..export.script import python_script
from ..picture.view import AXIS_NAMES, KMeansView
from ..words import wording
from .dom import el


def download(data: bytes | str, name: str, mime: str) -> None:
    """Offer `data` as a file download named `name` (a Blob URL, revoked once used)."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    array = to_js(memoryview(raw))
    blob = js.Blob.new([array], to_js({"type": mime}, dict_converter=js.Object.fromEntries))
    url = js.URL.createObjectURL(blob)
    link = js.document.createElement("a")
    link.href, link.download = url, name
    js.document.body.append(link)
    link.click()
    link.remove()
    js.setTimeout(create_once_callable(lambda: js.URL.revokeObjectURL(url)), 10_000)


class Exports:
    """The four buttons of "Save and share", over the run of `session` (core.session.Session)
    as `animator` (web.animator.Animator) shows it on `canvas` (web.canvas.Canvas); `params()`
    gives the settings the controls show, `making_gif(bool)` is told when a GIF starts and ends
    (its button is off meanwhile)."""

    def __init__(self, session, animator, canvas, *, params, making_gif, own_run) -> None:
        self.session, self.animator, self.canvas = session, animator, canvas
        self.params, self.making_gif = params, making_gif
        self.own_run = own_run  # () -> web.own_points.OwnRun of the run on screen, or None
        self.busy = False

    def _name(self, ext: str) -> str:
        s = self.session
        attempt = f"-retry{s.attempt}" if s.attempt else ""
        return f"kmeans-seed{s.seed}{attempt}.{ext}"

    def _note(self, text: str) -> None:
        el("export-note").textContent = text

    def _frame(self):
        """(labels, centroids) on screen."""
        frame = self.animator.frame
        return frame.labels, frame.centroids

    def png(self, event=None) -> None:
        """The frame on screen, drawn again at twice the canvas's resolution, with its
        half-step in words."""
        if self.animator.frame is None:
            return
        canvas, animator = self.canvas, self.animator
        width, height = canvas.view.size
        big = KMeansView(2 * width, 2 * height, dpi=2 * canvas.view.figure.dpi, style=canvas.view.style)
        big.set_points(self.session.points)
        big.set_axis_names(canvas.axis_names)  # the columns named on the page's plot
        # What the page draws (scene.frame_scene), named by its half-step as the page names it.
        rgba = big.render(**animator.overlays(caption=True))
        download(png_bytes(rgba), self._name("png"), "image/png")
        self._note(wording.png_saved(self._name("png"), 2 * width, 2 * height))

    def csv(self, event=None) -> None:
        """Every point with its cluster on screen (and its true cluster), then the centroids."""
        if self.animator.frame is None:
            return
        s = self.session
        labels, centroids = self._frame()
        text = points_csv(s.points, labels, s.true_labels, centroids)
        download(text, self._name("csv"), "text/csv")
        self._note(wording.csv_saved(self._name("csv"), len(s.points), len(centroids)))

    def labelled_table(self, event=None) -> None:
        """The table the points came from, every column as read, plus each row's cluster on
        screen and its distance to the centroid (and the scaled columns k-means saw). For a
        generated data set: its x and y (and true cluster)."""
        if self.animator.frame is None:
            return
        s = self.session
        labels, centroids = self._frame()
        own = self.own_run() if s.params.dataset == P.CUSTOM else None
        if own is not None and own.table is not None:
            t = own.table
            names, rows = t.names, own.rows
            columns = [t.column_texts(j) for j in range(len(names))]
        else:
            points = s.points if own is None else own.original
            names = list(AXIS_NAMES if own is None else own.names)
            columns = [list(map(repr, points[:, j].tolist())) for j in (0, 1)]
            if own is None and s.true_labels is not None:
                names.append("true_cluster")
                columns.append(list(map(str, s.true_labels.tolist())))
            rows = np.arange(len(points))
        scale = s.params.scale if own is not None else "none"
        seen_names = None if scale == "none" else tuple(scaled_name(n, scale) for n in own.names)
        text = labelled_table_csv(names, columns, rows, s.points, labels, centroids, seen_names)
        name = self._name("csv").replace(".csv", "-labelled.csv")
        download(text, name, "text/csv")
        self._note(wording.labelled_table_saved(name, len(columns[0]), len(names)))

    async def gif(self, event=None) -> None:
        """The whole run as an animated GIF, made frame by frame between paints."""
        if self.busy or self.session.run is None:
            return
        self.busy = True
        bar = el("export-progress")
        self.making_gif(True)
        bar.hidden, bar.value = False, 0
        try:
            run = self.session.run
            while not run.finished:  # the GIF shows the whole run: compute the rest first
                self._note(wording.GIF_COMPUTING)
                run.advance()
                await asyncio.sleep(0)
            p = self.params()
            # The page's drawing options and look, so the GIF shows what the page shows.
            maker = GifMaker(run, self.session.points, options=p,
                             style=self.canvas.view.style)
            for done, total in maker.steps():
                bar.value = done / max(total, 1)
                self._note(wording.gif_progress(done, total))
                await asyncio.sleep(0)
            download(maker.result, self._name("gif"), "image/gif")
            self._note(wording.gif_saved(self._name("gif"), maker.note if maker.thinned else None))
        except Exception as error:  # noqa: BLE001 -- said, the page goes on
            self._note(wording.export_failed("GIF", error))
        finally:
            self.busy = False
            self.making_gif(False)
            bar.hidden = True

    async def python(self, event=None) -> None:
        """A script that rebuilds these points and this run, copied to the clipboard."""
        s = self.session
        if s.run is None:
            return
        params, points, columns = s.params, None, None
        if params.dataset == P.CUSTOM:
            own = self.own_run()
            if own is None:  # (not expected) the points as k-means saw them, scaled already
                points, params = s.points, dataclasses.replace(params, scale="none")
            else:  # as read, in their columns' units: the script scales them as the page did
                points, columns = own.original, own.names
        # Centroids placed or moved by hand, or None: the script draws them as the page did.
        start, key, why = s.given_start() or (None, None, "placed by hand")
        finished = s.run.finished
        try:
            script = python_script(params, s.seed, s.attempt, points=points, columns=columns,
                                   final_centroids=s.run.centroids if finished else None,
                                   final_inertia=s.run.inertia if finished else None,
                                   start=start, rng_key=key, start_why=why,
                                   best_of=s.params.best_of if start is None else 0)
        except Exception as error:  # noqa: BLE001 -- said, the page goes on
            self._note(wording.export_failed("Python script", error))
            return
        try:
            await js.navigator.clipboard.writeText(script)
            self._note(wording.script_copied(script.count("\n")))
        except Exception:  # noqa: BLE001 -- no clipboard here: offer the file instead
            download(script, self._name("py"), "text/x-python")
            self._note(wording.script_saved(self._name("py")))
