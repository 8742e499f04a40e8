"""Browser glue for "your own points": the text box (kept across reloads and visits) and
uploaded files (read in slices, never through the text box). Imports js.

Which points GO uses: the text box, unless a file was uploaded since the box was last edited.
A file small enough to edit (data.MAX_TYPED_POINTS rows) is written into the box, so it can be
changed and is kept like typed points; a bigger one is used as it is, for this visit.

Both are read as a table (core.table: any delimiter, decimal commas, a header, any number of
columns); two of its numeric columns are the points: those chosen in the "x" and "y" menus
(shown when there are more than two), by default the first two. Rows whose x or y is not a
number stop the reading (the line is named) unless "skip rows that are not numbers" is ticked.
"""

from __future__ import annotations

import numpy as np

import js

from ..core import data, params as P
from ..core import table as tables
from ..core.table import Points, Table, read_table
from ..words import wording
from .dom import el, listen, store, stored
from .upload import Upload

#: Where the visitor's own points are kept: in localStorage, the latest of any tab (a new
#: visit opens them), and in sessionStorage, this tab's own (its reload brings them back even
#: when another tab has saved other points since).
POINTS_KEY = "kmeans-anim:points"
#: This tab's big upload, used but too big to keep (sessionStorage: "name\nrows", "" for
#: none): a reload says so and asks for the file again, instead of finding no points.
UPLOAD_KEY = "kmeans-anim:upload-not-kept"
#: The plot shows the typed points as they are typed up to this much text (about the 10,000
#: points a text box is for); beyond it they are read at GO only, so typing stays quick.
MAX_PREVIEW_CHARS = 400_000


def points_text(points: np.ndarray) -> str:
    """One "x,y" line per point; repr keeps every float exactly."""
    return "\n".join(f"{x!r},{y!r}" for x, y in points.tolist()) + "\n"


class OwnPoints:
    """The text box, the file input and the line that says which points are in use."""

    def __init__(self, controls) -> None:
        self.controls = controls
        self.uploaded: tuple[str, Table] | None = None   # (file name, its table)
        #: The points taken from the uploaded table ((n, 2), with the points clicked in or
        #: out since); None: to be taken again (the columns chosen changed).
        self.upload_points: np.ndarray | None = None
        #: The columns last taken as points (their names, the rows skipped), and their table.
        self.picked: Points | None = None
        self.table: Table | None = None
        self.read_as = ""   # how the table in use was read, in words ("" for plain x,y lines)
        self.using_upload = False
        self.not_kept: str | None = None   # why the box's points are not kept (None: kept)
        #: What another tab did since this one saved: "saved" other points, "removed" them
        #: (it could not keep its own), or None.
        self.other_tab: str | None = None

    def start(self) -> None:
        """The box as this tab left it (a reload), else as the last tab left it (a new visit).
        The text comes back exactly as it was, comments and all; a line that cannot be read
        (left half-typed) is named at once, not only at GO."""
        own, latest = stored(POINTS_KEY, "sessionStorage"), stored(POINTS_KEY)
        text = own if own is not None else latest or ""
        self.other_tab = "saved" if own is not None and latest is not None and own != latest else None
        el("points-text").value = text
        listen(js.window, "storage", self._on_storage)
        self._say_source()
        if text and self.controls.params.dataset == P.CUSTOM:
            try:
                self.current()
            except data.PointsError as error:
                shown = el("message")
                before = "" if shown.hidden else str(shown.textContent) + " "  # notes stay
                self.controls.show_message(wording.points_back_but(before, error))

    def _on_storage(self, event) -> None:
        """Another tab of this site saved (or cleared) its points: this tab keeps its own, and
        says so."""
        if event.key != POINTS_KEY or event.newValue == el("points-text").value:
            return
        self.other_tab = "removed" if event.newValue is None else "saved"
        self._say_source()

    def on_typed(self, event) -> None:
        self.using_upload = False
        self._remember_upload()
        self._keep_text()
        self._say_source()

    def _remember_upload(self, name: str = "", rows: int = 0) -> None:
        """Note (or, with no name, forget) a big upload in use that a reload cannot bring back."""
        store(UPLOAD_KEY, f"{name}\n{rows}" if name else "", "sessionStorage")

    def upload_lost(self) -> tuple[str, int] | None:
        """(file name, rows) of this tab's big upload when a reload lost it (no upload in
        use now, the box holding no points of its own), else None."""
        if self.using_upload or str(el("points-text").value).strip():
            return None
        saved = stored(UPLOAD_KEY, "sessionStorage")
        if not saved:
            return None
        name, _, rows = saved.partition("\n")
        return name, int(rows or 0)

    def start_from(self, points: np.ndarray) -> None:
        """The box holds `points` (one x,y line each) and is kept; no upload in use."""
        self.using_upload, self.uploaded, self.upload_points = False, None, None
        self.table, self.picked, self.read_as = None, None, ""
        el("points-text").value = points_text(points)
        self._remember_upload()
        self._keep_text(upload=True)
        self._say_source()

    def _keep_text(self, upload: bool = False) -> str:
        """Save the box for a reload and for the next visit; returns what was kept, in words
        (see wording.points_kept)."""
        text = str(el("points-text").value)
        reload, next_visit = store(POINTS_KEY, text, "sessionStorage"), store(POINTS_KEY, text)
        kept = wording.points_kept(next_visit, reload, upload)
        self.not_kept = None if next_visit is None else kept
        if next_visit is None:
            self.other_tab = None  # this tab's points are now the latest
        elif not upload:
            self.controls.show_message(wording.points_stay(kept))
        return kept

    async def on_file(self, event) -> bool:
        """Read the chosen file into your points; True if they changed (False: nothing chosen,
        the file refused (said why), or a newer upload took over)."""
        files = el("points-file").files
        if not files.length:
            return False
        upload = Upload(files.item(0))
        self.controls.show_message(wording.reading_file(upload.name, upload.size), about_run=True)

        def progress(done: int, rows: int) -> None:
            self.controls.show_message(wording.reading_progress(
                upload.name, 100 * done // max(upload.size, 1), rows), about_run=True)

        try:
            table = await upload.read(progress)
            picked = None if table is None else self._pick(table, show=False)
        except data.PointsError as error:
            error = upload.explain(error)
            self.controls.show_message(wording.file_refused(upload.name, error), about_run=True)
            return False
        finally:
            el("points-file").value = ""  # choosing the same file again reads it again
        if table is None:
            return False  # a newer upload took over
        self._show_columns(table, picked)
        if table.n_rows <= data.MAX_TYPED_POINTS:
            el("points-text").value = upload.text if upload.text is not None else points_text(picked.X)
            self.using_upload, self.uploaded, self.upload_points = False, None, None
            self._remember_upload()
            kept = self._keep_text(upload=True)
        else:
            self.uploaded, self.upload_points, self.using_upload = (upload.name, table), picked.X, True
            self._remember_upload(upload.name, table.n_rows)
            kept = wording.UPLOAD_NOT_KEPT
        self.controls.show_message(wording.file_read(len(picked.X), upload.name, kept, self.read_as),
                                   about_run=True)
        self._say_source()
        return True

    # ------------------------------------------------------------ the table's columns

    def _pick(self, table: Table, show: bool = True, params: P.Params | None = None) -> Points:
        """Columns x and y of `table` as points: those the settings name (params x, y) when
        the table has both as numeric columns, else its first two numeric columns; rows that
        are not numbers skipped when the settings say so (params skip). `show`: the menus and
        the line under the box show this table (else the caller does it once the points are
        taken). `params`: whose x, y and skip (default: the settings). Raises
        data.PointsError."""
        p = params or self.controls.params
        names = [n for n, numeric in zip(table.names, table.numeric) if numeric]
        chosen = p.x and p.y and {p.x, p.y} <= set(names)
        x, y = (table.names.index(p.x), table.names.index(p.y)) if chosen else (None, None)
        try:
            picked = table.points(x, y, skip=bool(p.skip))
        except data.PointsError:
            if show:
                self._show_columns(table, None)
            raise
        if show:
            self._show_columns(table, picked)
        return picked

    def _show_columns(self, table: Table, picked: Points | None) -> None:
        """The menus list the table's numeric columns (shown when there are more than two),
        the chosen ones selected; the line under the box says how the table was read."""
        self.table, self.picked = table, picked
        names = [n for n, numeric in zip(table.names, table.numeric) if numeric]
        row = el("columns")
        row.hidden = len(names) <= 2
        p = self.controls.params
        chosen = picked.names if picked is not None else (p.x, p.y)
        for axis, menu in enumerate((el("x-column"), el("y-column"))):
            if [str(option.value) for option in menu.options] != names:
                menu.replaceChildren()
                for name in names:
                    option = js.document.createElement("option")
                    option.value = option.textContent = name
                    menu.appendChild(option)
            if chosen is not None and chosen[axis] in names:
                menu.value = chosen[axis]
        plain = (not table.header and len(table.names) == 2 and table.delimiter == ","
                 and (picked is None or not picked.skipped))
        missing = [name for name in (p.x, p.y) if name and name not in names]
        self.read_as = " ".join(filter(None, (
            "" if plain else wording.table_read_as(
                table.n_rows, table.describe(), "" if picked is None else picked.words()),
            wording.columns_missing(missing, picked.names) if missing and picked else "")))
        self._say_source()

    def on_columns(self, event=None) -> None:
        """A column menu or the "skip rows" box changed (the settings have read it): the
        points are to be taken again from the table kept (an upload's, or the box's text),
        with no new upload."""
        self.upload_points = None

    def axis_names(self) -> tuple[str, str] | None:
        """The names of the columns last taken as points, when the table named them (a
        header) or had more than two columns; None: the plot's usual "X1", "X2"."""
        table, picked = self.table, self.picked
        if table is None or picked is None or not (table.header or len(table.names) > 2):
            return None
        return picked.names

    def _say_source(self) -> None:
        line = el("points-source")
        uploaded = None
        if self.using_upload and self.uploaded is not None:
            name, table = self.uploaded
            uploaded = (name, table.n_rows if self.upload_points is None else len(self.upload_points))
        line.textContent = " ".join(filter(None, (
            self.read_as, wording.points_source(uploaded, self.not_kept, self.other_tab))))
        line.hidden = not line.textContent

    def _uploaded_points(self, params: P.Params | None = None) -> np.ndarray:
        if self.upload_points is None or params is not None:
            self.upload_points = self._pick(self.uploaded[1], params=params).X
        return self.upload_points

    def points(self, params: P.Params | None = None) -> np.ndarray:
        """The points GO should use (the columns of `params`, default: the settings), not
        scaled; raises data.PointsError (with the line) if unusable."""
        if self.using_upload and self.uploaded is not None:
            return self._uploaded_points(params)
        text = str(el("points-text").value)
        return self._pick(read_table(text, max_rows=data.MAX_TYPED_POINTS), params=params).X

    def previewable(self) -> bool:
        """Few enough points to read again at every key press (a text box of typed points)."""
        if self.using_upload and self.uploaded is not None:
            return True
        return len(str(el("points-text").value)) <= MAX_PREVIEW_CHARS

    def current(self) -> np.ndarray:
        """The points as they stand, even zero or one of them (a set being built by clicking);
        raises data.PointsError (with the line) for a malformed line."""
        if self.using_upload and self.uploaded is not None:
            return self._uploaded_points()
        text = str(el("points-text").value)
        try:
            return self._pick(read_table(text, max_rows=data.MAX_UPLOAD_POINTS)).X
        except data.TooFewPoints:
            # zero or one point so far (plain x,y lines, as clicking writes them)
            return data.points_in_text(text, max_points=data.MAX_UPLOAD_POINTS)

    # ------------------------------------------------------------ editing by clicking

    def _box_read(self, text: str) -> tuple[Table, Points] | None:
        """The box's text as a table and its points (a clicked point is written in the
        table's own shape: its delimiter, its columns); None when it is not such a table yet
        (under two points: plain x,y lines are written)."""
        try:
            table = read_table(text, max_rows=data.MAX_UPLOAD_POINTS)
            return table, self._pick(table, show=False)
        except data.PointsError:
            return None

    def add(self, point) -> None:
        """A point clicked onto the plot joins the set (a line of the text box)."""
        if self.using_upload and self.uploaded is not None:
            self.upload_points = np.vstack([self._uploaded_points(), np.asarray(point, float)[None]])
        else:
            text = str(el("points-text").value)
            read = self._box_read(text)
            el("points-text").value = (data.text_with_point(text, point) if read is None else
                                       tables.text_with_point(text, read[0], read[1].names, point))
            self._keep_text()
        self._say_source()

    def remove(self, point) -> None:
        """The point `point` (one of the set) leaves it (its line of the text box goes)."""
        if self.using_upload and self.uploaded is not None:
            points = self._uploaded_points()
            index = int(np.flatnonzero((points == np.asarray(point, float)).all(axis=1))[-1])
            self.upload_points = np.delete(points, index, axis=0)
        else:
            text = str(el("points-text").value)
            read = self._box_read(text)
            el("points-text").value = (data.text_without_point(text, point) if read is None else
                                       tables.text_without_point(text, *read, point))
            self._keep_text()
        self._say_source()

    def clear(self, event=None) -> None:
        """No points at all (the file of a big upload is no longer used either)."""
        self.using_upload, self.uploaded, self.upload_points = False, None, None
        self.table, self.picked, self.read_as = None, None, ""
        el("columns").hidden = True
        el("points-text").value = ""
        self._remember_upload()
        self._keep_text()
        self._say_source()
