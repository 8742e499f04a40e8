"""Browser glue for uploaded point files: check the size before reading, then read and parse
the file in slices between paints, so a big file never freezes the tab. Works on the
browser's File object (no js import); the bytes are decoded by data.FileDecoder (UTF-8,
UTF-16 or Latin-1) and read by core.table.TableReader (any delimiter, a header, any number of columns).

The file's text never goes through the page's text box (a box holding megabytes of text is what
used to freeze the tab); it goes slice by slice to the reader.
"""

from __future__ import annotations

import asyncio

from ..core import data
from ..core.table import Table, TableReader
from ..words import wording

#: Largest file read (bytes). A million rows of "x,y" take 20 to 40 MB of text.
MAX_UPLOAD_BYTES = 64_000_000
#: Bytes of the file parsed per turn: small enough that one turn stays well under 100 ms in the
#: page, large enough that a million rows take few turns.
SLICE_BYTES = 512 * 1024
#: A file up to this size keeps its text, to be shown in the text box as written (comments
#: and all) when it holds few enough points to edit there.
MAX_KEPT_TEXT = 1_000_000


class Upload:
    """Reads one chosen file; a newer upload makes an older one stop at its next slice."""

    generation = 0

    def __init__(self, file) -> None:
        Upload.generation += 1
        self.generation = Upload.generation
        self.file = file
        self.name = str(file.name)
        self.size = int(file.size)
        self.text: str | None = None
        # One decoder for the whole file (its encoding read from the first bytes): a character
        # split between two slices is kept whole.
        self.decoder = data.FileDecoder(latin1=True)

    @property
    def superseded(self) -> bool:
        return self.generation != Upload.generation

    async def read(self, progress) -> Table | None:
        """The file as a table (every column); None if a newer upload took over.
        `progress(done_bytes, rows)` is called after each slice. Raises data.PointsError for a
        file that is too big or cannot be read as a table (naming the line). A small file's
        text is kept in `self.text` (else None), so that it can go to the text box as it was
        written.

        The bytes are decoded by data.FileDecoder as before the table reader (UTF-8, UTF-16,
        or Latin-1 from the first byte that is not UTF-8 on)."""
        if self.size > MAX_UPLOAD_BYTES:
            raise data.PointsError(wording.file_too_big(self.name, self.size, MAX_UPLOAD_BYTES))
        reader = TableReader(max_rows=data.MAX_UPLOAD_POINTS)
        kept = [] if self.size <= MAX_KEPT_TEXT else None
        try:
            for start in range(0, self.size, SLICE_BYTES):
                chunk = await self.file.slice(start, start + SLICE_BYTES).arrayBuffer()
                if self.superseded:
                    return None
                text = self.decoder.decode(chunk.to_bytes())
                reader.feed(text)
                if kept is not None:
                    kept.append(text)
                progress(min(start + SLICE_BYTES, self.size), reader.rows)
                await asyncio.sleep(0)  # a turn of the event loop: the page paints, answers clicks
                if self.superseded:
                    return None
            text = self.decoder.decode(b"", final=True)
            reader.feed(text)
            table = reader.close()
        except data.PointsError as error:
            raise self.explain(error) from None
        self.text = None if kept is None else "".join(kept) + text
        return table

    def explain(self, error: data.PointsError) -> data.PointsError:
        """`error` (reading the file, or taking its points), with the first byte that is not
        text named when there was one: the likely cause."""
        return self.decoder.explain(error)
