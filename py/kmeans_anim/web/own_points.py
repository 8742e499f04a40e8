"""Browser glue for "your own points" on the plot: the preview of the points as they stand,
the run on screen dropped when they change, typing (shown once it pauses), an upload's preview
in pieces, other columns or skip-rows, clear, clicks that add and remove points, and the
points GO uses. Imports js. The text box, the file and the table are web.points.OwnPoints;
web.page only wires this class to the page's listeners, the pointer and GO.
"""

from __future__ import annotations

import asyncio

import js
from pyodide.ffi import create_once_callable

from dataclasses import dataclass

import numpy as np

from ..core import data, params as P
from ..core import table as tables
from ..core.table import Table
from ..picture import interaction
from ..picture.view import AXIS_NAMES, undrawable
from ..words import wording
from .dom import el
from .points import OwnPoints

TYPING_PAUSE_MS = 250  # typed points are shown on the plot once typing pauses this long


@dataclass
class OwnRun:
    """Your own points as the run on screen was made from them (for the exports).

    Attributes
    ----------
    original : ndarray of shape (m, 2), float64
        The points as read, in their columns' units (k-means saw them scaled as params say).
    names : (str, str)
        The x and y column names ("X1", "X2" for plain x,y lines).
    table : Table or None
        The table they were taken from, when each point is a row of it (not when points were
        clicked into a big upload since).
    rows : ndarray of shape (m,), intp, or None
        With `table`: the table row of each point.
    """

    original: np.ndarray
    names: tuple[str, str]
    table: Table | None = None
    rows: np.ndarray | None = None


class OwnData:
    """Your own points on the page: `controls` (web.controls.Controls), `canvas`
    (web.canvas.Canvas), `animator` (web.animator.Animator); `placing()` says whether
    centroids are being placed by hand, `stop_placing()` ends that, `shown_points()` gives
    the points of the run on screen (None: no run)."""

    def __init__(self, controls, canvas, animator, *, placing, stop_placing, shown_points) -> None:
        self.controls, self.canvas, self.animator = controls, canvas, animator
        self.placing, self.stop_placing = placing, stop_placing
        self.shown_points = shown_points  # () -> the points of the run on screen, or None
        self.box = OwnPoints(controls)
        self._previews = 0  # counts previews: a newer one makes older ones stop
        self._typing_timer = None
        self.run: OwnRun | None = None   # the points of the run on screen, when your own

    def start(self) -> None:
        self.box.start()
        lost = self.box.upload_lost() if self.editable() else None
        if lost is not None:
            self.controls.show_message(wording.upload_not_back(*lost), about_run=True)

    def listeners(self) -> list:
        """(element id, event, handler) for the page's one list of listeners."""
        return [
            ("dataset", "change", self._on_dataset),
            ("points-text", "input", self._on_typed),
            ("points-file", "change", self._on_file),
            *[(name, "change", self._on_columns)
              for name in ("x-column", "y-column", "skip-bad", "scale")],
            ("clear-points", "click", self._on_clear),
        ]

    def editable(self) -> bool:
        """Clicks on the plot add and remove points: the data set is your own points."""
        return self.controls.params.dataset == P.CUSTOM

    def _on_dataset(self, event) -> None:
        """"Your own points" chosen (the settings have read it): the run on screen (other
        points) goes, and the page says what the points start from: the points shown, when
        the box is empty (copied into it), else the box's (or a big upload's) points."""
        if not self.editable():
            self.controls.set_data_count(None)
            return
        shown = self.shown_points()
        if (shown is not None and not self.box.using_upload and len(shown) <= data.MAX_TYPED_POINTS
                and not str(el("points-text").value).strip()):
            self.box.start_from(shown)
            said = wording.own_points_start(len(shown), "shown")
        else:
            try:
                count = len(self.box.current())
            except data.PointsError:
                count = None
            said = wording.own_points_start(count, "upload" if self.box.using_upload else "box")
        self.controls.show_message(said, about_run=True)
        self.changed(refit=True)

    # ------------------------------------------------------------ the preview

    def show(self, refit: bool = False) -> bool:
        """With "your own points" and no run on screen, show them as they stand (so clicks
        add to a picture); True if shown. `refit`: the limits fit these points (other
        columns), else they stay while the points fit in them (a point clicked in)."""
        pieces = self._preview(refit)
        return data.run_pieces(pieces) if pieces is not None else False

    def _preview(self, refit: bool = False):
        """The preview of `show` as a generator of pieces (returns True when shown), or None
        when there is nothing to show."""
        if not self.editable() or self.animator.frame is not None or self.placing():
            return None
        if not self.box.previewable():
            self.controls.set_data_count(None)
            return None  # too much text to read at every key press: GO reads it
        try:
            points = self.box.current()
        except data.PointsError:
            self.controls.set_data_count(None)
            return None  # a bad line: GO will say which
        self.controls.set_data_count(len(points))  # the count beside the (greyed) points slider
        if undrawable(points):
            return None  # GO will say why

        def pieces():
            prompt = wording.OWN_PROMPT if len(points) < 2 else ""
            self.canvas.set_axis_names(self.axis_names())
            shown = tables.scaled(points, self.controls.params.scale)  # what k-means sees
            yield from self.canvas.preview_points_in_pieces(shown, prompt, refit=refit)
            return True
        return pieces()

    def changed(self, refit: bool = False) -> None:
        """The set changed: the run on screen was made on other points, so it goes."""
        self._previews += 1  # an upload's preview still in the making is out of date
        self._drop_run_on_screen()
        self.show(refit)

    def _drop_run_on_screen(self) -> None:
        if self.animator.frame is not None or self.placing():
            self.animator.clear()
            self.stop_placing()
            self.controls.forget_run()

    # ------------------------------------------------------------ typing, files, columns

    def _on_typed(self, event) -> None:
        self.box.on_typed(event)
        # Typing is a key press at a time: show the points once the typing pauses.
        self.cancel_typing()
        self._typing_timer = js.setTimeout(create_once_callable(self._typing_paused), TYPING_PAUSE_MS)

    def cancel_typing(self) -> None:
        """No late preview of typed points (GO reads them now)."""
        if self._typing_timer is not None:
            js.clearTimeout(self._typing_timer)
            self._typing_timer = None

    def _typing_paused(self) -> None:
        self._typing_timer = None
        self.changed()

    async def _on_file(self, event) -> None:
        if not await self.box.on_file(event):
            return  # refused ("nothing was changed": the run on screen stays) or superseded
        # An upload may hold a million points: the preview is made a piece per turn of the
        # event loop (the "points read" message shows first, the page keeps answering).
        self._previews += 1
        generation = self._previews
        await asyncio.sleep(0)
        if generation != self._previews:
            return
        self._drop_run_on_screen()
        pieces = self._preview(refit=True)
        for _ in pieces or ():
            await asyncio.sleep(0)
            if generation != self._previews or self.animator.status != "ready":
                pieces.close()  # a newer upload, or GO, took over
                return

    def _on_columns(self, event) -> None:
        """Other columns chosen, or "skip rows" ticked (the settings have read it): the
        points are taken again from the table kept and shown (a run on other points goes);
        a problem is said at once."""
        c = self.controls
        c.read()  # the settings hold the columns, skip and scale
        c.sync()
        c.update_address()
        if not self.editable():
            self._show_example_columns(c.params)
            return
        self.box.on_columns(event)
        try:
            self.box.current()
        except data.TooFewPoints as error:
            self.controls.show_message(wording.too_few_points(error.count), about_run=True)
        except data.PointsError as error:
            self.refuse(error)
        self.changed(refit=True)

    def _show_example_columns(self, params: P.Params) -> None:
        """An example data set's other columns chosen: its points in them, named on the axes,
        in place of a run on the columns before (GO runs them)."""
        spec = data.DATASETS.get(params.dataset)
        if spec is None or spec.example is None:
            return  # a generated data set has no columns to choose
        X, _ = data.run_pieces(data.generate_in_pieces(
            params.dataset, params.n, None, columns=(params.x, params.y)))
        self._drop_run_on_screen()
        self.canvas.set_axis_names(self.axis_names_of(params))
        data.run_pieces(self.canvas.preview_points_in_pieces(X, refit=True))
        el("status").textContent = wording.PRESS_GO_COLUMNS  # beside the plot, not over its points

    def _on_clear(self, event) -> None:
        self.box.clear()
        self.changed()

    # ------------------------------------------------------------ clicks

    def add_point(self, xy) -> None:
        """A point clicked at xy (the plot's units: scaled as the settings say) joins the
        set, in its columns' units; on another data set, the page says how to add points."""
        if not self.editable():
            self.controls.show_message(wording.TAP_HOW, about_run=True)
            return
        scale = self.controls.params.scale
        if scale != "none":
            try:
                xy = tables.unscaled(xy, self.box.current(), scale)
            except data.PointsError as error:
                self.refuse(error)
                return
        self.box.add(xy)
        self.changed()

    def remove_point(self, xy) -> None:
        """Remove the point nearest to xy (on the plot as shown), if one is near enough."""
        if not self.editable():
            self.controls.show_message(wording.TAP_HOW, about_run=True)
            return
        try:
            points = self.box.current()
        except data.PointsError as error:
            self.refuse(error)
            return
        shown = tables.scaled(points, self.controls.params.scale)
        index = interaction.hit(shown, xy, self.canvas.plot_box(), interaction.POINT_GRAB_PX)
        if index is None:
            return
        self.box.remove(points[index])
        self.changed()

    # ------------------------------------------------------------ GO

    def points(self, params: P.Params):
        """The points a run of `params` uses (its columns; not yet scaled), or None (with a
        message naming the bad line) if unusable."""
        try:
            points = self.box.points(params)
        except data.TooFewPoints as error:  # not a fault to fix: points to add, and how
            lost = self.box.upload_lost() if error.count == 0 else None
            self.controls.show_message(wording.too_few_points(error.count) if lost is None
                                       else wording.upload_not_back(*lost), about_run=True)
            return None
        except data.PointsError as error:
            self.refuse(error)
            return None
        problem = undrawable(points)
        if problem:
            self.refuse(problem)
            return None
        return points

    def prepare_in_pieces(self, session, params: P.Params, points):
        """`session.prepare_in_pieces` for a run of `params`: with your own `points` (from
        `points`), scaled as params say; once prepared, `run` holds them as read (None for
        another data set)."""
        if params.dataset != P.CUSTOM:
            yield from session.prepare_in_pieces(params)
            self.run = None
            return
        yield from session.prepare_in_pieces(params, tables.scaled(points, params.scale))
        self.controls.set_data_count(len(points))
        box, picked = self.box, self.box.picked
        whole = (picked is not None and box.table is not None and picked.X.shape == points.shape
                 and np.array_equal(picked.X, points))
        self.run = OwnRun(points, AXIS_NAMES if picked is None else picked.names,
                          box.table if whole else None, picked.rows if whole else None)

    def axis_names_of(self, params: P.Params) -> tuple[str, str] | None:
        """The axes' names for a run of `params`: your own columns (scaled as it says), an
        example data set's chosen columns, or None ("X1", "X2") for a generated set."""
        if params.dataset == P.CUSTOM:
            return self.axis_names(params.scale)
        example = data.DATASETS[params.dataset].example
        if example is None:
            return None
        ix, iy = data.example_columns(example, (params.x, params.y))
        return example.columns[ix], example.columns[iy]

    def axis_names(self, scale: str | None = None) -> tuple[str, str] | None:
        """The axes' names for your own points (their columns, scaled as `scale` says,
        default: the settings); None: the plot's usual "X1", "X2"."""
        scale = self.controls.params.scale if scale is None else scale
        names = self.box.axis_names()
        if scale == "none":
            return names
        return tuple(tables.scaled_name(name, scale) for name in names or AXIS_NAMES)

    def refuse(self, error) -> None:
        self.controls.show_message(wording.points_refused(error), about_run=True)
