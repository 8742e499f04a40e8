"""The points (and centroids) of a run as CSV text, for "download CSV".

Pure functions of the session's data (no browser): the page's glue hands the text to a
download. Imports numpy and the standard library only.

Example
-------
>>> from kmeans_anim.core.params import Params
>>> from kmeans_anim.core.session import Session
>>> s = Session()
>>> run = s.go(Params(n=40, k=3, seed=7))
>>> csv_text = points_csv(s.points, run.labels, s.true_labels, run.centroids)
>>> csv_text.splitlines()[0], len(csv_text.splitlines())
('x,y,cluster,true_cluster,kind', 44)
"""

from __future__ import annotations

import csv
import io

import numpy as np

__all__ = ["CSV_HEADER", "labelled_table_csv", "points_csv"]


#: First line of :func:`points_csv`.
CSV_HEADER = "x,y,cluster,true_cluster,kind"
# Rows formatted per block: bounds the temporary (rows, width) byte array at a few MB.
_CSV_BLOCK = 65536
# The longest shortest-round-trip text of a float64: sign, 17 digits, point, "e-308"
# ("-1.2345678901234567e-308"); the positional form numpy and repr use for 1e-4 <= |x| < 1e16
# is shorter ("-0.00012345678901234567" has 23 characters).
_FLOAT_WIDTH = 24


def _float_columns(values: np.ndarray) -> np.ndarray:
    """Shortest round-trip text of each float64 in `values` (n,), as (n, _FLOAT_WIDTH) ASCII
    bytes padded with NULs. numpy's conversion gives the same digits as Python's repr,
    vectorised (repr over a list takes about twice as long)."""
    text = np.ascontiguousarray(values, dtype=np.float64).astype(f"S{_FLOAT_WIDTH}")
    return text.view(np.uint8).reshape(-1, _FLOAT_WIDTH)


def _int_text(value: int) -> str:
    return "" if value < 0 else str(value)


def _xy_rows(points: np.ndarray, tails: list[str], which: np.ndarray) -> str:
    """Text lines ``x,y<tail>``: each point's coordinates, then ``tails[which[i]]``.

    points (n, 2) float64; tails, a few short ASCII strings (ending with the newline); which
    (n,) int. Formatted a block of rows at a time as fixed-width byte columns padded with NUL;
    dropping every NUL then leaves each field with its own characters (ASCII has no NUL).
    """
    width = max(map(len, tails))
    tail_bytes = np.array(tails, dtype=f"S{width}").view(np.uint8).reshape(-1, width)
    comma = np.full((1, 1), ord(","), dtype=np.uint8)
    parts = []
    for start in range(0, len(points), _CSV_BLOCK):
        block = slice(start, start + _CSV_BLOCK)
        xs, ys = _float_columns(points[block, 0]), _float_columns(points[block, 1])
        rows = np.hstack([xs, np.broadcast_to(comma, (len(xs), 1)), ys, tail_bytes[which[block]]])
        parts.append(rows[rows != 0].tobytes().decode("ascii"))
    return "".join(parts)


def points_csv(points, labels, true_labels=None, centroids=None) -> str:
    """The points (and centroids) as CSV text, one row per point, for "download CSV".

    Format (comma separated, ``\\n`` line ends, one header line)::

        x,y,cluster,true_cluster,kind
        1.8786,-0.25,0,2,point          one row per point, in the page's order
        -3.5,7.0,,,point                cluster empty: not assigned yet (label -1)
        ...                             true_cluster empty: unknown (your own points)
        2.0625,-0.5,0,,centroid         then one row per centroid: cluster = its index

    Numbers are written with Python's ``repr`` digits, so ``float(text)`` gives back the
    exact float64. Every row has the same five columns and no quoting, so a spreadsheet opens
    it as one table (filter on ``kind``), ``csv.DictReader`` reads it as it is, and numpy
    reads it with::

        xy = np.loadtxt(path, delimiter=",", skiprows=1, usecols=(0, 1))      # (n + k, 2)
        kind = np.loadtxt(path, delimiter=",", skiprows=1, usecols=4, dtype=str)
        table = np.genfromtxt(path, delimiter=",", names=True, dtype=None, encoding="utf-8")

    Parameters
    ----------
    points : array_like of shape (n, 2)
        Point coordinates, data units.
    labels : array_like of int, shape (n,)
        Cluster of each point; -1 (not assigned yet) is written as an empty field. Any
        integer dtype.
    true_labels : array_like of int, shape (n,), optional
        The generator's cluster of each point; None (the visitor's own points) leaves the
        column empty.
    centroids : array_like of shape (k, 2), optional
        Centroid ``j`` is written as a row with cluster ``j``, after the points.

    Returns
    -------
    str
        The CSV text, ending with a newline.

    Raises
    ------
    ValueError
        If the shapes do not match.
    """
    points = np.asarray(points, dtype=np.float64)
    if points.ndim != 2 or points.shape[1] != 2:
        raise ValueError(f"points must have shape (n, 2), got {points.shape}")
    n = len(points)
    labels = np.asarray(labels).astype(np.intp).reshape(-1)
    if labels.shape != (n,):
        raise ValueError(f"labels must have shape ({n},), got {labels.shape}")
    if true_labels is None:
        truth = np.full(n, -1, dtype=np.intp)
    else:
        truth = np.asarray(true_labels).astype(np.intp).reshape(-1)
        if truth.shape != (n,):
            raise ValueError(f"true_labels must have shape ({n},), got {truth.shape}")
    parts = [CSV_HEADER + "\n"]
    if n:
        # Few distinct (cluster, true cluster) pairs: format each once, then index.
        n_clusters = max(int(labels.max()), -1) + 2     # values -1 .. max
        n_truths = max(int(truth.max()), -1) + 2
        tails = [f",{_int_text(c)},{_int_text(t)},point\n"
                 for c in range(-1, n_clusters - 1) for t in range(-1, n_truths - 1)]
        which = (np.maximum(labels, -1) + 1) * n_truths + (np.maximum(truth, -1) + 1)
        parts.append(_xy_rows(points, tails, which))
    if centroids is not None:
        centroids = np.asarray(centroids, dtype=np.float64).reshape(-1, 2)
        parts.extend(f"{x!r},{y!r},{j},,centroid\n"
                     for j, (x, y) in enumerate(centroids.tolist()))
    return "".join(parts)


def labelled_table_csv(names, columns, rows, seen, labels, centroids, seen_names=None) -> str:
    """A table of your own with each row's cluster, for "save the labelled table": every
    original column as it was read, then (when k-means saw the points scaled) the two
    scaled columns, then ``cluster`` and ``distance`` (to its centroid, in the units k-means
    measured: scaled when scaled).

    Rows that are not points (skipped: x or y not a number) keep their cells, with the
    added ones empty; so do points not assigned yet (label -1). Cells are quoted only when
    they hold a comma, a quote or a line break (the csv module's minimal quoting).

    Parameters
    ----------
    names : list of str
        The table's column names (c of them).
    columns : list of (list of str)
        Each column's cells as text, one per table row (r rows), e.g. `Table.column_texts`.
    rows : array_like of int, shape (m,)
        The table row of each point.
    seen : array_like of shape (m, 2)
        The points as k-means saw them (scaled or not).
    labels : array_like of int, shape (m,)
        Each point's cluster; -1: not assigned yet.
    centroids : array_like of shape (k, 2)
        The centroids on screen, in the units of `seen`.
    seen_names : (str, str), optional
        Names of the scaled columns, written after the original ones; None: not scaled
        (the original columns already hold what k-means saw).

    Returns
    -------
    str
        CSV text with a header line, ``\n`` line ends.

    >>> print(labelled_table_csv(["id", "x", "y"], [["a", "b", "c"], ["0.0", "1.0", "x"],
    ...       ["0.0", "3.0", "2.0"]], [0, 1], [[0.0, 0.0], [1.0, 3.0]], [0, 1],
    ...       [[0.0, 0.0], [1.0, 2.0]]), end="")
    id,x,y,cluster,distance
    a,0.0,0.0,0,0.0
    b,1.0,3.0,1,1.0
    c,x,2.0,,
    """
    seen = np.asarray(seen, dtype=np.float64).reshape(-1, 2)
    labels = np.asarray(labels).astype(np.intp).reshape(-1)
    rows = np.asarray(rows).astype(np.intp).reshape(-1)
    centroids = np.asarray(centroids, dtype=np.float64).reshape(-1, 2)
    if not (len(rows) == len(labels) == len(seen)):
        raise ValueError(f"rows, seen and labels must have one entry per point, got "
                         f"{len(rows)}, {len(seen)} and {len(labels)}")
    n_rows = len(columns[0]) if columns else 0
    assigned = labels >= 0
    everywhere = np.ones(len(rows), dtype=bool)

    def cells(values: np.ndarray, where: np.ndarray) -> list[str]:
        """One cell per table row: repr of the value of each point in `where`, else ""."""
        column = [""] * n_rows
        for row, value in zip(rows[where].tolist(), values[where].tolist()):
            column[row] = repr(value)
        return column

    distance = np.zeros(len(seen))
    distance[assigned] = np.linalg.norm(seen[assigned] - centroids[labels[assigned]], axis=1)
    extra = ([] if seen_names is None else
             [cells(seen[:, 0], everywhere), cells(seen[:, 1], everywhere)])
    extra += [cells(labels, assigned), cells(distance, assigned)]
    header = list(names) + (list(seen_names) if seen_names is not None else [])
    header += ["cluster" if "cluster" not in names else "kmeans_cluster",
               "distance" if "distance" not in names else "kmeans_distance"]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(zip(*columns, *extra))
    return out.getvalue()
