"""Browser glue for "your own points": the text box (kept across reloads and visits) and
uploaded files (read in slices, never through the text box). Imports js.

Which points GO uses: the text box, unless a file was uploaded since the box was last edited.
A file small enough to edit (data.MAX_TYPED_POINTS rows) is written into the box, so it can be
changed and is kept like typed points; a bigger one is used as it is, for this visit.
"""

from __future__ import annotations

import numpy as np

import js

from ..core import data, params as P
from ..words import wording
from .dom import el, listen, store, stored
from .upload import Upload

#: Where the visitor's own points are kept: in localStorage, the latest of any tab (a new
#: visit opens them), and in sessionStorage, this tab's own (its reload brings them back even
#: when another tab has saved other points since).
POINTS_KEY = "kmeans-anim:points"
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
        self.uploaded: tuple[str, np.ndarray] | None = None   # (file name, (n, 2) points)
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
                data.points_in_text(text, max_points=data.MAX_UPLOAD_POINTS)
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
        self._keep_text()
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
            points = await upload.read(progress)
        except data.PointsError as error:
            self.controls.show_message(wording.file_refused(upload.name, error), about_run=True)
            return False
        finally:
            el("points-file").value = ""  # choosing the same file again reads it again
        if points is None:
            return False  # a newer upload took over
        if len(points) <= data.MAX_TYPED_POINTS:
            el("points-text").value = upload.text if upload.text is not None else points_text(points)
            self.using_upload = False
            kept = self._keep_text(upload=True)
        else:
            self.uploaded, self.using_upload = (upload.name, points), True
            kept = wording.UPLOAD_NOT_KEPT
        self.controls.show_message(wording.file_read(len(points), upload.name, kept), about_run=True)
        self._say_source()
        return True

    def _say_source(self) -> None:
        line = el("points-source")
        uploaded = None
        if self.using_upload and self.uploaded is not None:
            name, points = self.uploaded
            uploaded = (name, len(points))
        line.textContent = wording.points_source(uploaded, self.not_kept, self.other_tab)
        line.hidden = not line.textContent

    def points(self) -> np.ndarray:
        """The points GO should use; raises data.PointsError (with the line) if unusable."""
        if self.using_upload and self.uploaded is not None:
            return self.uploaded[1]
        return data.parse_points(str(el("points-text").value), max_points=data.MAX_TYPED_POINTS)

    def previewable(self) -> bool:
        """Few enough points to read again at every key press (a text box of typed points)."""
        if self.using_upload and self.uploaded is not None:
            return True
        return len(str(el("points-text").value)) <= MAX_PREVIEW_CHARS

    def current(self) -> np.ndarray:
        """The points as they stand, even zero or one of them (a set being built by clicking);
        raises data.PointsError (with the line) for a malformed line."""
        if self.using_upload and self.uploaded is not None:
            return self.uploaded[1]
        return data.points_in_text(str(el("points-text").value), max_points=data.MAX_UPLOAD_POINTS)

    # ------------------------------------------------------------ editing by clicking

    def add(self, point) -> None:
        """A point clicked onto the plot joins the set (a line of the text box)."""
        if self.using_upload and self.uploaded is not None:
            name, points = self.uploaded
            self.uploaded = (name, np.vstack([points, np.asarray(point, float)[None]]))
        else:
            el("points-text").value = data.text_with_point(str(el("points-text").value), point)
            self._keep_text()
        self._say_source()

    def remove(self, point) -> None:
        """The point `point` (one of the set) leaves it (its line of the text box goes)."""
        if self.using_upload and self.uploaded is not None:
            name, points = self.uploaded
            index = int(np.flatnonzero((points == np.asarray(point, float)).all(axis=1))[-1])
            self.uploaded = (name, np.delete(points, index, axis=0))
        else:
            el("points-text").value = data.text_without_point(str(el("points-text").value), point)
            self._keep_text()
        self._say_source()

    def clear(self, event=None) -> None:
        """No points at all (the file of a big upload is no longer used either)."""
        self.using_upload, self.uploaded = False, None
        el("points-text").value = ""
        self._keep_text()
        self._say_source()
