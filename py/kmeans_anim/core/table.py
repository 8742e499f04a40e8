"""The visitor's own data as it really comes: a table of any number of columns, read from CSV
text or file bytes in slices, of which two numeric columns become the points.

Imports only numpy and the standard library (it runs in Pyodide and in CPython alike).

What is understood (see `TableReader` for the exact rules): UTF-8, UTF-16 and Latin-1 bytes
(`data.FileDecoder`); the delimiter, sniffed from the first lines (comma, semicolon, tab, or
runs of spaces); decimal commas when the delimiter is not a comma (``1,5;2,3``); a header
row, whose names are kept; quoted cells (``"a,b"``, with ``""`` for a quote inside); blank
and ``#`` lines.
Every column is kept (numbers as float64 arrays, text as strings), so that an export can write
the table back; the caller picks x and y (by default the first two numeric columns), and
chooses whether rows whose x or y is not a number stop the reading (the line is named) or are
skipped (counted, the first lines named).

Example
-------
>>> from kmeans_anim.core import table
>>> t = table.read_table("id;x;y\\na;1,5;2\\nb;3;4,25\\n")
>>> t.names, t.numeric
(['id', 'x', 'y'], [False, True, True])
>>> print(t.describe())
3 columns separated by semicolons, with decimal commas; a header row: id, x, y
>>> t.points().X.tolist()
[[1.5, 2.0], [3.0, 4.25]]
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass, field
from itertools import repeat

import numpy as np

from .data import MAX_ABS, MAX_UPLOAD_POINTS, FileDecoder, LineJoiner, PointsError, TooFewPoints, _plain, _shown

__all__ = ["DELIMITER_WORDS", "MISSING", "SCALES", "Points", "Table", "TableReader", "read_table",
           "read_bytes", "scaled", "scaled_name", "unscaled", "text_with_point", "text_without_point"]

#: How each delimiter is named to the visitor (" " stands for runs of whitespace).
DELIMITER_WORDS = {",": "commas", ";": "semicolons", "\t": "tabs", " ": "spaces"}
# Tried in this order; on a tie (as many numbers read) the first wins: a tab or a semicolon
# beats a comma, which may be a decimal comma inside the cells.
_CANDIDATES = ("\t", ";", ",", " ")
#: Cells that mean "no value" (pandas' default NA spellings): they never make a column text.
MISSING = frozenset({
    "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
    "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null"})

#: Content lines (not blank, not comments) looked at to sniff the delimiter and the header.
SNIFF_LINES = 50
#: ... or this much text, whichever comes first (a file of very long lines).
SNIFF_CHARS = 1 << 16
# Blocks at most this many lines long that the bulk path refuses are read line by line.
_SLOW_BLOCK_LINES = 32
# A text column remembers its distinct cells up to this many, so that repeated labels
# ("setosa" 50 times) are one string in memory.
_INTERNED = 100_000
# How many skipped or refused lines are named.
_NAMED_LINES = 5
# Text held back for a quoted cell that spans a slice boundary is read anyway beyond this
# many characters (a stray quote must not hold the whole file).
_MAX_HELD = 1 << 22


def _is_number(cell: str) -> bool:
    try:
        float(cell)
        return True
    except ValueError:
        return False


def _trimmed(fields: list[str]) -> int:
    """Number of fields once empty ones at the end are dropped (a trailing delimiter)."""
    n = len(fields)
    while n and not fields[n - 1].strip():
        n -= 1
    return n


def _split(lines: list[str], delimiter: str) -> list[list[str]]:
    """The cells of each line (no line breaks inside), quotes understood when there are any."""
    text = "".join(lines)
    if delimiter == " ":
        if '"' not in text:
            return [line.split() for line in lines]
        lines = [" ".join(line.split()) for line in lines]
    elif '"' not in text:
        return [line.split(delimiter) for line in lines]
    return list(csv.reader(lines, delimiter=delimiter, skipinitialspace=True))


@dataclass
class Points:
    """Two columns of a `Table` as points.

    Attributes
    ----------
    X : ndarray of shape (m, 2), float64
        Finite, at most `MAX_ABS` in absolute value; m >= 2.
    rows : ndarray of shape (m,), intp
        The table row of each point (an index into the table's columns).
    names : (str, str)
        The x and y column names, for the axes.
    skipped : int
        Rows left out: x or y not a usable number, or a line with too many cells.
    skipped_lines : list of int
        The first (up to 5) of those lines, 1-based as a text editor shows them.
    """

    X: np.ndarray
    rows: np.ndarray
    names: tuple[str, str]
    skipped: int = 0
    skipped_lines: list[int] = field(default_factory=list)

    def words(self) -> str:
        """'' or e.g. 'skipped 3 rows whose x or y is not a number: lines 7, 12 and 15'."""
        if not self.skipped:
            return ""
        shown = [f"{n:,}" for n in self.skipped_lines]
        more = self.skipped - len(shown)
        if more:
            where = ", ".join(shown) + f" and {more:,} more"
        elif len(shown) > 1:
            where = ", ".join(shown[:-1]) + " and " + shown[-1]
        else:
            where = shown[0]
        rows = "row" if self.skipped == 1 else "rows"
        return (f"skipped {self.skipped:,} {rows} whose {self.names[0]} or {self.names[1]} is "
                f"not a number: line{'s' if self.skipped > 1 else ''} {where}")


@dataclass
class Table:
    """A table read by `TableReader`: every column of the file, in file order.

    Attributes
    ----------
    names : list of str
        Column names: the header's cells, or "column 1", "column 2", ... (also for an empty
        header cell).
    header : bool
        Whether the first content line was a header row.
    delimiter : str
        ",", ";", "\\t", or " " for runs of whitespace.
    decimal_comma : bool
        Whether a number with a decimal comma was read (possible when the delimiter is not a
        comma; a point is read as well).
    columns : list of (ndarray of shape (n,) float64, or list of n str)
        A numeric column holds each cell's value, NaN where the cell is not a number; a text
        column holds its cells (stripped of surrounding whitespace, quotes undone).
    odd : list of dict
        For each float column, ``{row: text}`` for every cell that is not a finite number
        (empty, NaN, "n/a", "inf", any text), so that its text is never lost; {} for a text
        column.
    numeric : list of bool
        Whether each column holds numbers: a float column with at least one number and no
        more text cells than numbers (missing cells such as "" or "NA" do not count).
    lines : ndarray of shape (n,), int32
        The 1-based line of each row.
    refused : int
        Lines left out of the table: more cells than the columns (not counting empty cells
        at the end of the line).
    refused_first : list of (int, str)
        The first (up to 5) of them: (line, message).
    encoding : str or None
        The bytes' encoding (a key of data.ENCODING_NAMES) when read from bytes.
    """

    names: list[str]
    header: bool
    delimiter: str
    decimal_comma: bool
    columns: list
    odd: list[dict]
    numeric: list[bool]
    lines: np.ndarray
    refused: int = 0
    refused_first: list[tuple[int, str]] = field(default_factory=list)
    encoding: str | None = None

    @property
    def n_rows(self) -> int:
        return int(self.lines.shape[0])

    def describe(self) -> str:
        """How the file was read, in words, e.g. '3 columns separated by semicolons, with
        decimal commas; a header row: id, x, y'."""
        k = len(self.names)
        words = (f"{k} columns separated by {DELIMITER_WORDS[self.delimiter]}" if k > 1
                 else "one column")
        if self.decimal_comma:
            words += ", with decimal commas"
        if self.header:
            words += "; a header row: " + ", ".join(self.names)
        return words

    def index(self, key) -> int:
        """The column index for a name or an index (int); PointsError if there is none."""
        if isinstance(key, (int, np.integer)) and not isinstance(key, bool):
            if 0 <= key < len(self.names):
                return int(key)
        elif key in self.names:
            return self.names.index(key)
        raise PointsError(f"there is no column {key!r}; the columns are: "
                          + ", ".join(self.names))

    def default_xy(self) -> tuple[int, int]:
        """The first two numeric columns (indices). PointsError if there are fewer."""
        numeric = [j for j, is_numeric in enumerate(self.numeric) if is_numeric]
        if len(numeric) >= 2:
            return numeric[0], numeric[1]
        k = len(self.names)
        if k == 1:
            raise PointsError(
                f"found one column only ({self.names[0]}): put two numbers on each line, "
                "separated by a comma, a semicolon, a tab or spaces")
        held = ("none holds" if not numeric else f"only {self.names[numeric[0]]} holds")
        raise PointsError(f"two columns of numbers are needed; of the {k} columns "
                          f"({', '.join(self.names)}), {held} numbers")

    def points(self, x=None, y=None, skip: bool = False) -> Points:
        """Columns x and y (names or indices, both or neither: `default_xy`) as points.

        With ``skip=False`` the first row whose x or y is not a finite number within
        `MAX_ABS`, or the first refused line, raises PointsError naming its line. With
        ``skip=True`` those rows are left out, and counted in the result.

        Raises
        ------
        PointsError
            For a text column, a bad line (``skip=False``), or fewer than 2 points
            (`data.TooFewPoints`).
        """
        if (x is None) != (y is None):
            raise ValueError("give both x and y, or neither")
        if not self.n_rows:
            if self.refused_first and not skip:
                line, message = self.refused_first[0]
                raise PointsError(message, line=line)
            raise TooFewPoints(0)
        ix, iy = self.default_xy() if x is None else (self.index(x), self.index(y))
        for j in (ix, iy):
            if not isinstance(self.columns[j], np.ndarray):
                raise PointsError(f"column {self.names[j]} holds text, not numbers; choose "
                                  "one of: " + ", ".join(
                                      n for n, is_num in zip(self.names, self.numeric) if is_num))
        x, y = self.columns[ix], self.columns[iy]
        # NaN and infinity fail these too; comparisons make no float temporaries (a 10^6-row
        # table: 8 MB each, whose first touch is most of the time)
        good = (x >= -MAX_ABS) & (x <= MAX_ABS) & (y >= -MAX_ABS) & (y <= MAX_ABS)
        bad = np.flatnonzero(~good)
        if not skip:
            found = [(int(self.lines[bad[0]]), self._bad_cell(bad[0], ix, iy))] if bad.size else []
            found += self.refused_first[:1]
            if found:
                line, message = min(found)
                raise PointsError(message, line=line)
        rows = np.flatnonzero(good)
        if rows.size < 2:
            raise TooFewPoints(int(rows.size))
        X = np.column_stack([np.take(x, rows), np.take(y, rows)] if bad.size else [x, y])
        first = sorted(self.lines[bad[:_NAMED_LINES]].tolist()
                       + [line for line, _ in self.refused_first])[:_NAMED_LINES]
        return Points(X, rows, (self.names[ix], self.names[iy]),
                      int(bad.size) + self.refused, first)

    def _bad_cell(self, row, ix, iy) -> str:
        """The message for table row `row`, whose x or y is not usable."""
        line = int(self.lines[row])
        for j in (ix, iy):
            value = self.columns[j][row]
            text = self.odd[j].get(int(row))
            if text == "":
                return f"line {line}: the {self.names[j]} cell is empty"
            if text is not None and math.isinf(value):
                return (f"line {line}: {_shown(text)!r} ({self.names[j]}) is not an ordinary "
                        "number; use finite numbers like 1.5 or -3")
            if text is not None:
                return f"line {line}: {_shown(text)!r} ({self.names[j]}) is not a number"
            if abs(value) > MAX_ABS:
                return (f"line {line}: {self.names[j]} {value:g} is too far from zero; use "
                        f"numbers between -{_plain(MAX_ABS)} and {_plain(MAX_ABS)}")
        raise AssertionError("row has usable numbers")  # pragma: no cover

    def column_texts(self, j: int) -> list[str]:
        """Column j as text, one str per row, for writing the table back: a number as the
        shortest text that reads back to the same float (repr), any other cell as it was."""
        column = self.columns[j]
        if not isinstance(column, np.ndarray):
            return list(column)
        texts = list(map(repr, column.tolist()))
        for row, text in self.odd[j].items():
            texts[row] = text
        return texts


class TableReader:
    """Read a table from CSV-like text (or file bytes) that arrives in slices (an upload).

    The rules:

    - Lines end at "\\r\\n", "\\n" or "\\r" (line numbers are those a text editor shows). Blank
      lines and lines whose first character other than whitespace is ``#`` are ignored.
      Byte-order marks at the very start are ignored.
    - The delimiter is sniffed from the first `SNIFF_LINES` content lines: of tab, semicolon,
      comma and runs of whitespace, those that cut (nearly) every line into the same number
      (>= 2) of cells (empty cells at a line's end may be there or not), the one that yields
      most numbers (on a tie, in that order). With a tab
      or semicolon (or spaces), a comma inside a number is its decimal comma ("1,5" is 1.5).
    - Cells are stripped of surrounding whitespace. A cell that starts with a double quote
      runs to the closing quote, delimiters and line breaks included; ``""`` inside it is one
      quote.
    - The first content line is a header row when one of its cells is not a number in a
      column whose cells below it are mostly numbers (or, with no such column, when none of
      its cells is a number), and it holds no more numbers than other words.
    - The number of columns is the most common number of cells in the first lines (not
      counting empty cells at the end of a line: a spreadsheet paste's trailing tab). A
      shorter line has empty cells at its end; a longer one, unless what is beyond is empty,
      is refused (left out, its line kept for `Table.points`).
    - Columns whose first rows hold no more text than numbers hold float64 (cells that are
      not numbers are NaN, their text kept in `Table.odd`); the others hold text. Numbers
      are what Python's ``float`` reads.

    Feed text with `feed` (or bytes with `feed_bytes`, decoded by `data.FileDecoder`: UTF-8,
    UTF-16 with or without a mark, else Latin-1) in slices of any size, cut anywhere; then
    `close` returns the `Table`. Each feed reads the complete lines it has (after the first
    `SNIFF_LINES`), so its time is proportional to its slice: well-formed lines go in bulk
    through ``str.split`` and ``float`` column by column; a block of lines that does not fit
    that (blank or comment lines, uneven lines) is halved until it does or is a few lines
    long, then read line by line.

    Parameters
    ----------
    max_rows : int, default data.MAX_UPLOAD_POINTS
        More rows than this raise PointsError (line None) from `feed` or `close`.

    Attributes
    ----------
    rows : int
        Rows read so far (the header not counted).
    lines : int
        Complete lines read so far.

    Examples
    --------
    >>> reader = TableReader()
    >>> for piece in ("x\\ty\\tlabel\\r\\n1\\t2\\ta", "\\r\\n3\\t4\\tb\\r\\n"):
    ...     reader.feed(piece)
    >>> t = reader.close()
    >>> t.names, t.columns[2], t.points().X.tolist()
    (['x', 'y', 'label'], ['a', 'b'], [[1.0, 2.0], [3.0, 4.0]])
    """

    def __init__(self, max_rows: int = MAX_UPLOAD_POINTS):
        self.max_rows = int(max_rows)
        self.rows = 0
        self.lines = 0
        self._lines = LineJoiner()  # whole lines out of the slices
        self._held = ""         # complete lines held back: a quoted cell may go on, or sniffing
        self._decoder: FileDecoder | None = None
        self._error: PointsError | None = None
        self._table: Table | None = None
        # set by _sniff
        self._delimiter: str | None = None
        self._decimal_comma = False
        self._seen_decimal_comma = False
        self._header: list[str] | None = None
        self._k = 0
        self._floats: list[bool] = []
        # per column: float64 blocks, or one list of str; odd cells; interned text; counts
        self._parts: list[list] = []
        self._odd: list[dict] = []
        self._interned: list[dict] = []
        self._numbers: list[int] = []
        self._texts: list[int] = []
        self._line_parts: list[np.ndarray] = []
        self._refused = 0
        self._refused_first: list[tuple[int, str]] = []

    # ---------------------------------------------------------------- slices of text / bytes

    def feed(self, text: str) -> None:
        """Read the next slice of the text (str, any length)."""
        self._check_open()
        complete = self._lines.feed(text)
        if complete:
            self._guarded(complete, final=False)

    def feed_bytes(self, chunk: bytes) -> None:
        """Read the next slice of a file's bytes (see `data.FileDecoder`, Latin-1 allowed)."""
        self._check_open()
        if self._decoder is None:
            self._decoder = FileDecoder(latin1=True)
        try:
            text = self._decoder.decode(chunk)
        except PointsError as error:
            self._error = error
            raise
        self.feed(text)

    def close(self) -> Table:
        """Read what is left and return the table. Calling it again returns the same table.

        Raises PointsError for too many rows, or for a file with no line of content.
        """
        if self._table is not None:
            return self._table
        self._check_open()
        if self._decoder is not None:
            try:
                text = self._decoder.decode(b"", final=True)
            except PointsError as error:
                self._error = error
                raise
            self.feed(text)
        text = self._lines.rest()
        self._guarded(text + "\n" if text else "", final=True)
        try:
            self._table = self._finish()
        except PointsError as error:
            self._error = error
            raise
        return self._table

    def _check_open(self):
        if self._error is not None:
            raise self._error
        if self._table is not None:
            raise ValueError("this reader is closed; start a new TableReader")

    def _guarded(self, text, final):
        try:
            self._take(text, final)
        except PointsError as error:
            if self._decoder is not None:
                error = self._decoder.explain(error)
            self._error = error
            raise error from None

    def _take(self, text, final):
        """Complete lines ("\\n" their only break, ending with one), or "" at the end."""
        text = self._held + text
        self._held = ""
        if self._delimiter is None:
            if not final and text.count("\n") < 2 * SNIFF_LINES and len(text) < SNIFF_CHARS:
                self._held = text
                return
            text = self._sniff(text)
            if text is None:
                return
        if not final and '"' in text:
            text = self._hold_open_quote(text)
        if text:
            self._block(text)

    def _hold_open_quote(self, text):
        """The lines of `text` before a quoted cell still open at its end (the rest is held
        for the next slice): an odd number of quotes so far means a cell is still open."""
        lines = text.split("\n")
        lines.pop()
        parity, cut = 0, 0
        for i, count in enumerate(map(str.count, lines, repeat('"'))):
            parity ^= count & 1
            if not parity:
                cut = i + 1
        if cut == len(lines) or len(text) > _MAX_HELD:
            return text
        kept = "".join(line + "\n" for line in lines[:cut])
        self._held = text[len(kept):]
        return kept

    # ------------------------------------------------------------------------------ sniffing

    def _sniff(self, text):
        """Choose delimiter, header and columns from the first lines of `text`; read the lines
        up to the header; return the rest (None if there is no content line yet)."""
        lines = text.split("\n")
        lines.pop()
        content = [i for i, line in enumerate(lines)
                   if line.strip() and not line.lstrip().startswith("#")][:SNIFF_LINES]
        if not content:
            if text:
                self.lines += len(lines)
            return None
        sample = [lines[i] for i in content]
        best = None
        for rank, d in enumerate(_CANDIDATES):
            rows = _split(sample, d)
            widths = [_trimmed(r) for r in rows]
            body = list(zip(widths, map(len, rows)))[1:] or [(widths[0], len(rows[0]))]
            # The widest that (nearly) every line fits: as many cells, or fewer with the
            # rest empty (an empty last cell), or more with the extra ones empty (a trailing
            # delimiter). A line wider than all the others is refused, not a column.
            width = next((w for w in sorted(set(widths), reverse=True)
                          if sum(t <= w <= n for t, n in body) >= 0.8 * len(body)), 0)
            if width < 2:
                continue
            comma = d != ","
            numbers = sum(_is_number(c.replace(",", ".") if comma else c)
                          for r, w in zip(rows, widths) if w <= width <= len(r)
                          for c in r[:width])
            if best is None or numbers > best[0]:
                best = (numbers, d, rows, width)
        if best is None:
            best = (0, ",", _split(sample, ","), 1)
        _, d, rows, width = best
        self._delimiter, self._decimal_comma = d, d != ","
        first = rows[0]
        self._k = k = max(width, _trimmed(first))
        # What each column holds below the first line: numbers against text.
        numbers, texts = [0] * k, [0] * k
        for row in rows[1:]:
            for j, cell in enumerate(row[:k]):
                cell = cell.strip()
                if cell in MISSING:
                    continue
                if _is_number(cell.replace(",", ".") if self._decimal_comma else cell):
                    numbers[j] += 1
                else:
                    texts[j] += 1
        first_kinds = [None if c.strip() in MISSING else self._is_value(c) for c in first[:k]]
        mostly = [n > t for n, t in zip(numbers, texts)]
        if any(mostly):
            header = any(m and kind is False for m, kind in zip(mostly, first_kinds))
        else:
            header = not any(first_kinds)
        # Names, not numbers: a first line with more numbers than words is a row of data with
        # a bad cell ("1,2\f3,4"), whose line the reader then names, not a header.
        header = header and sum(k is True for k in first_kinds) <= sum(k is False for k in first_kinds)
        if not header:
            for j, kind in enumerate(first_kinds):
                numbers[j] += kind is True
                texts[j] += kind is False
        self._floats = [n >= t for n, t in zip(numbers, texts)]
        self._parts = [[] for _ in range(k)]
        self._odd = [{} for _ in range(k)]
        self._interned = [{} for _ in range(k)]
        self._numbers, self._texts = [0] * k, [0] * k
        if not header:
            self.lines += content[0]
            return "".join(line + "\n" for line in lines[content[0]:])
        self._header = [c.strip() for c in first[:k]] + [""] * (k - len(first))
        at = content[0] + 1  # (a header cell with a line break inside quotes is not read)
        self.lines += at
        return "".join(line + "\n" for line in lines[at:])

    def _is_value(self, cell):
        cell = cell.strip()
        return _is_number(cell.replace(",", ".") if self._decimal_comma else cell)

    # ------------------------------------------------------------------------------ reading

    def _block(self, text):
        """Read complete lines: in bulk, halving on refusal, line by line when small."""
        if '"' not in text and "#" not in text and self._bulk(text):
            return
        count = text.count("\n")
        if count <= _SLOW_BLOCK_LINES or '"' in text:
            self._slow(text)
            return
        # Cut after the first break from the middle on, or, if that is the final one, after
        # the one before it: both halves then hold whole lines and are shorter.
        middle = text.index("\n", len(text) // 2) + 1
        if middle == len(text):
            middle = text.rindex("\n", 0, len(text) - 1) + 1
        self._block(text[:middle])
        self._block(text[middle:])

    def _bulk(self, text):
        """Read lines that all hold the same number of cells, k or more with the extra ones
        empty (a trailing delimiter), with one split of the whole text; False (nothing read)
        otherwise. No quotes and no comments; blank lines are allowed with spaces."""
        d, k = self._delimiter, self._k
        lines = text.split("\n")
        lines.pop()
        first = self.lines + 1
        if d == " ":
            widths = set(map(len, map(str.split, lines)))
            if widths - {0, k}:
                return False
            if 0 in widths:
                numbers = [first + i for i, line in enumerate(lines) if line.strip()]
            else:
                numbers = np.arange(first, first + len(lines), dtype=np.int32)
            cells = text.split()
            numeric = cells
        else:
            widths = set(map(str.count, lines, repeat(d)))
            if len(widths) != 1 or widths.pop() + 1 < k:
                return False
            width = text.count(d) // len(lines) + 1 if lines else k
            numbers = np.arange(first, first + len(lines), dtype=np.int32)
            cells = text.replace("\n", d).split(d)
            cells.pop()  # after the final "\n"
            numeric = cells
            if any("".join(cells[j::width]).strip() for j in range(k, width)):
                return False
        if self._decimal_comma and "," in text:
            numeric = text.replace(",", ".")
            numeric = numeric.split() if d == " " else numeric.replace("\n", d).split(d)[:-1]
        width = k if d == " " else width
        self._store([cells[j::width] for j in range(k)], [numeric[j::width] for j in range(k)],
                    numbers, "," in text)
        self.lines += len(lines)
        return True

    def _slow(self, text):
        """Read lines one by one: blank and comment lines skipped, short lines padded, long
        ones refused (counted, the first named)."""
        d, k = self._delimiter, self._k
        lines = text.split("\n")
        lines.pop()
        first = self.lines + 1
        if '"' in text:
            # each line with its break: a quoted cell that spans lines keeps it
            given = [(" ".join(line.split()) if d == " " else line) + "\n" for line in lines]
            rows = list(csv.reader(given, delimiter=d, skipinitialspace=True))
            starts = range(first, first + len(lines))
            if len(rows) < len(lines):  # some row spans lines: where does each start?
                rows, starts, done = [], [], 0
                reader = csv.reader(given, delimiter=d, skipinitialspace=True)
                for row in reader:
                    starts.append(first + done)
                    rows.append(row)
                    done = reader.line_num
        else:
            rows, starts = _split(lines, d), range(first, first + len(lines))
        if set(map(len, rows)) == {k} and "#" not in text:
            kept, numbers = rows, list(starts)  # even lines in quotes: nothing to check
        else:
            kept, numbers = self._checked(rows, starts, lines, first)
        self.lines += len(lines)
        if kept:
            columns = [list(column) for column in zip(*kept)]
            if self._decimal_comma:
                numeric = [[c.replace(",", ".") for c in column] if is_float else column
                           for column, is_float in zip(columns, self._floats)]
            else:
                numeric = columns
            self._store(columns, numeric, numbers, "," in text)

    def _checked(self, rows, starts, lines, first):
        """The rows to keep and their lines: blank and comment lines skipped, short rows
        padded, long ones refused."""
        k = self._k
        kept, numbers = [], []
        for row, start in zip(rows, starts):
            width = len(row)
            if width == 0 or (width == 1 and not row[0].strip()):
                continue  # blank line
            if row[0].lstrip().startswith("#") and lines[start - first].lstrip().startswith("#"):
                continue  # comment line
            if width != k:
                if width < k:
                    row = row + [""] * (k - width)
                elif _trimmed(row) <= k:
                    row = row[:k]
                else:
                    self._refuse(start, lines[start - first], _trimmed(row))
                    continue
            kept.append(row)
            numbers.append(start)
        return kept, numbers

    def _refuse(self, line, text, width):
        self._refused += 1
        if len(self._refused_first) < _NAMED_LINES:
            d = self._delimiter
            self._refused_first.append((line, (
                f"line {line}: expected {self._k} cells separated by {DELIMITER_WORDS[d]} "
                f"(like the lines above), got {width}: {_shown(text.strip())!r}")))

    def _store(self, columns, numeric, numbers, commas):
        """Append rows: `columns` the cells of each column (lists of str), `numeric` the same
        with decimal commas made points, `numbers` their 1-based lines."""
        m = len(numbers)
        if self.rows + m > self.max_rows:
            raise PointsError(f"too many rows: the limit is {self.max_rows:,}; remove some "
                              "and try again")
        base = self.rows
        for j, is_float in enumerate(self._floats):
            if not is_float:
                interned = self._interned[j]
                cells = list(map(str.strip, columns[j]))
                if len(interned) < _INTERNED:
                    cells = list(map(interned.setdefault, cells, cells))
                self._parts[j].extend(cells)
                continue
            cells = numeric[j]
            try:
                values = np.fromiter(map(float, cells), np.float64, m)
            except ValueError:
                values = _floats(cells)
            self._parts[j].append(values)
            odd = np.flatnonzero(~np.isfinite(values))
            texts = 0
            for i in odd.tolist():
                text = columns[j][i].strip()
                self._odd[j][base + i] = text
                texts += text not in MISSING and not _is_number(numeric[j][i])
            self._texts[j] += texts
            self._numbers[j] += m - odd.size
            if commas and self._decimal_comma and not self._seen_decimal_comma:
                self._seen_decimal_comma = "," in "".join(columns[j])
        self._line_parts.append(np.asarray(numbers, dtype=np.int32))
        self.rows += m

    def _finish(self):
        if self._delimiter is None:
            raise TooFewPoints(0)
        k = self._k
        names = [name or f"column {j + 1}" for j, name in
                 enumerate(self._header or [""] * k)]
        columns = []
        for j, is_float in enumerate(self._floats):
            if is_float:
                parts = self._parts[j]
                columns.append(np.concatenate(parts) if parts else np.empty(0))
            else:
                columns.append(self._parts[j])
        numeric = [is_float and self._numbers[j] > 0 and self._texts[j] <= self._numbers[j]
                   for j, is_float in enumerate(self._floats)]
        lines = (np.concatenate(self._line_parts) if self._line_parts
                 else np.empty(0, dtype=np.int32))
        return Table(names, self._header is not None, self._delimiter,
                     self._seen_decimal_comma, columns, self._odd, numeric, lines,
                     self._refused, self._refused_first,
                     None if self._decoder is None else self._decoder.encoding)


def _floats(cells):
    """float of each cell, NaN where it is not a number: (len(cells),) float64."""
    try:  # empty cells are the usual reason: "nan" is quicker than a try per cell
        return np.fromiter(map(float, [c or "nan" for c in cells]), np.float64, len(cells))
    except ValueError:
        return np.array([_float_or_nan(c) for c in cells], dtype=np.float64)


def _float_or_nan(cell):
    try:
        return float(cell)
    except ValueError:
        return math.nan


def read_table(text: str, max_rows: int = MAX_UPLOAD_POINTS) -> Table:
    """`TableReader` on the whole text at once."""
    reader = TableReader(max_rows)
    reader.feed(text)
    return reader.close()


def read_bytes(raw: bytes, max_rows: int = MAX_UPLOAD_POINTS,
               slice_bytes: int = 512 * 1024) -> Table:
    """`TableReader` on a file's bytes, fed in slices of `slice_bytes` as an upload is."""
    reader = TableReader(max_rows)
    for start in range(0, len(raw), slice_bytes):
        reader.feed_bytes(raw[start:start + slice_bytes])
    if not raw:
        reader.feed_bytes(b"")
    return reader.close()


def text_with_point(text: str, table: Table, names: tuple[str, str], point) -> str:
    """`text` (read as `table`) with a row for the point (x, y) at its end: x and y in the
    columns named `names`, written as the table writes its numbers (its delimiter, a decimal
    comma if it has them, every digit kept), the other cells empty ("NA" when spaces
    separate the cells, which an empty cell would shift).

    >>> t = read_table("id;x;y\\na;1,5;2\\n")
    >>> text_with_point("id;x;y\\na;1,5;2\\n", t, ("x", "y"), (0.25, -3.0))
    'id;x;y\\na;1,5;2\\n;0,25;-3,0\\n'
    """
    cells = ["NA" if table.delimiter == " " else ""] * len(table.names)
    for name, value in zip(names, point):
        cell = repr(float(value))
        cells[table.index(name)] = cell.replace(".", ",") if table.decimal_comma else cell
    if text and not text.endswith(("\n", "\r")):
        text += "\n"
    return text + table.delimiter.join(cells) + "\n"


def text_without_point(text: str, table: Table, points: Points, point) -> str:
    """`text` (read as `table`, `points` taken from it) without the line of the last row
    whose point is exactly (x, y); the other lines kept as they are. Unchanged if no row
    holds it.

    >>> t = read_table("a\\tb\\tc\\n1\\t2\\t3\\n4\\t5\\t6\\n")
    >>> text_without_point("a\\tb\\tc\\n1\\t2\\t3\\n4\\t5\\t6\\n", t, t.points(), (1, 2))
    'a\\tb\\tc\\n4\\t5\\t6\\n'
    """
    hits = np.flatnonzero((points.X == np.asarray(point, float)).all(axis=1))
    if not hits.size:
        return text
    line = int(table.lines[points.rows[hits[-1]]])
    parts = re.split(r"(\r\n|\r|\n)", text)   # lines and their line breaks, alternating
    del parts[2 * (line - 1):2 * line]
    return "".join(parts)


# --------------------------------------------------------------------------------------------
# Scale: k-means measures straight-line distances, so a column in thousands outweighs one in
# tenths. The points k-means sees are the chosen columns scaled one of these ways.
# --------------------------------------------------------------------------------------------

#: name (the address's scale=) -> (menu title, help sentence).
SCALES = {
    "none": ("as they are", "k-means measures distances, so a column with bigger numbers "
             "counts for more; here each column counts in its own units."),
    "z": ("standardised (z-score)", "k-means measures distances, so a column with bigger "
          "numbers counts for more; here each column becomes (value - mean) / standard "
          "deviation, so both count alike."),
    "minmax": ("min-max (0 to 1)", "k-means measures distances, so a column with bigger "
               "numbers counts for more; here each column is squeezed into 0 to 1 "
               "(value - min) / (max - min), so both count alike."),
}
#: What an axis name says about its scale ("" for none).
_SCALED_AXIS = {"none": "", "z": " (standardised)", "minmax": " (min-max)"}


def scaled(X: np.ndarray, how: str) -> np.ndarray:
    """The points k-means sees: X (m, 2) float64 scaled column by column, a new (m, 2)
    float64 array (X itself for "none" or fewer than 2 points). A column with a single value (no spread) is
    centred (z) or set to 0 (min-max), never divided by zero.

    >>> scaled(np.array([[0.0, 10.0], [2.0, 30.0]]), "z").tolist()
    [[-1.0, -1.0], [1.0, 1.0]]
    >>> scaled(np.array([[0.0, 10.0], [2.0, 30.0], [1.0, 20.0]]), "minmax").tolist()
    [[0.0, 0.0], [1.0, 1.0], [0.5, 0.5]]
    """
    if how not in SCALES:
        raise ValueError(f"unknown scale {how!r}; choose one of: {', '.join(SCALES)}")
    if how == "none" or len(X) < 2:
        return X
    X = np.asarray(X, dtype=np.float64)
    if how == "z":
        spread = X.std(axis=0)
        return (X - X.mean(axis=0)) / np.where(spread > 0, spread, 1.0)
    low, span = X.min(axis=0), np.ptp(X, axis=0)
    return (X - low) / np.where(span > 0, span, 1.0)


#: The same formulas as `scaled`, as Copy as Python writes them (tests/unit/test_table.py
#: runs them against `scaled`: the same floats).
SCALE_CODE = {
    "z": ("spread = X.std(axis=0)\n"
          "X = (X - X.mean(axis=0)) / np.where(spread > 0, spread, 1.0)\n"),
    "minmax": ("low, span = X.min(axis=0), np.ptp(X, axis=0)\n"
               "X = (X - low) / np.where(span > 0, span, 1.0)\n"),
}


def unscaled(point, X: np.ndarray, how: str) -> np.ndarray:
    """The point (2,) of the scaled plot of X (m, 2), back in X's own units: where a point
    clicked onto the scaled plot goes among X's rows. X itself is for the scale's spread
    and centre (m >= 2; with fewer, or "none", the point is returned as it is).

    >>> unscaled([1.0, 0.5], np.array([[0.0, 10.0], [2.0, 30.0]]), "minmax").tolist()
    [2.0, 20.0]
    """
    point = np.asarray(point, dtype=np.float64)
    if how == "none" or len(X) < 2:
        return point
    if how == "z":
        spread = X.std(axis=0)
        return point * np.where(spread > 0, spread, 1.0) + X.mean(axis=0)
    span = np.ptp(X, axis=0)
    return point * np.where(span > 0, span, 1.0) + X.min(axis=0)


def scaled_name(name: str, how: str) -> str:
    """An axis name as scaled ("length" -> "length (standardised)")."""
    return name + _SCALED_AXIS[how]
