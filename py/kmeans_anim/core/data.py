"""Point sets for the k-means page: blobs like scikit-learn's make_blobs, harder shapes, and
the visitor's own points.

Imports only numpy and the standard library (the module runs in Pyodide, without
scikit-learn). All generators are 2-D, return float64 points in plot units (roughly the square
[-10, 10] x [-10, 10]) and intp true labels, and draw every random number from the
`numpy.random.Generator` they are given, so a seed reproduces a data set.

Example
-------
>>> import numpy as np
>>> from kmeans_anim.core import data
>>> X, y = data.generate("blobs", 10, np.random.default_rng(0), centers=3, std=0.8)
>>> X.shape, np.bincount(y).tolist()
((10, 2), [4, 3, 3])
>>> data.parse_points("x,y\\n1,2\\n3.5;4\\n").tolist()
[[1.0, 2.0], [3.5, 4.0]]
>>> reader = data.PointsReader()          # an upload, fed in slices as it arrives
>>> reader.feed("x,y\\n1,2\\n3."); reader.feed("5;4\\n"); reader.rows
2
>>> reader.close().tolist()
[[1.0, 2.0], [3.5, 4.0]]
"""

from __future__ import annotations

import codecs
import math
import re
import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable

import numpy as np

__all__ = [
    "MAX_ABS",
    "MAX_TYPED_POINTS",
    "MAX_UPLOAD_POINTS",
    "Dataset",
    "DATASETS",
    "PointsError",
    "TooFewPoints",
    "PointsReader",
    "FileDecoder",
    "generate",
    "generate_in_pieces",
    "run_pieces",
    "make_blobs",
    "parse_points",
    "points_from_list",
]

#: Largest coordinate accepted, in absolute value, from the visitor and by the engine. Any
#: squared distance between accepted points is then at most d * (2 * MAX_ABS)**2 = 8e200
#: (d = 2), so squared distances, their sums over any number of points that fits in memory
#: and matplotlib's transforms all stay finite in float64. (Near 1e300 squares overflow;
#: near 1e308 matplotlib itself fails.)
MAX_ABS = 1e100
#: Most points accepted from typed or pasted text (`parse_points`, `points_from_list`).
MAX_TYPED_POINTS = 10_000
#: Most points accepted from an uploaded file (`PointsReader`).
MAX_UPLOAD_POINTS = 1_000_000

# Rows drawn per piece when a data set is made in pieces (a few tens of ms in the page).
_PIECE_ROWS = 250_000

# Scales that bring scikit-learn's unit-sized shapes to the plot's [-10, 10] range.
_MOONS_SCALE = 6.0  # make_moons spans x in [-1, 2], y in [-0.5, 1]
_RINGS_RADIUS = 9.0  # outer circle; the inner one has half this radius (make_circles factor=0.5)

# The shear used by scikit-learn's "Demonstration of k-means assumptions" example, divided by
# sqrt(det) so that it stretches each blob (about 2.5 x 0.4) without shrinking its area.
_ANISO_MAP = np.array([[0.6, -0.6], [-0.4, 0.8]]) / np.sqrt(0.24)
# Per-blob spread and size patterns, cycled when there are more blobs.
_STD_FACTORS = (0.5, 1.0, 2.5)
_SIZE_RATIOS = (1, 3, 8)


# --------------------------------------------------------------------------------------------
# Generators
# --------------------------------------------------------------------------------------------


def make_blobs(n: int, centers, std, rng: np.random.Generator,
               center_box: tuple[float, float] = (-10.0, 10.0)) -> tuple[np.ndarray, np.ndarray]:
    """Isotropic Gaussian blobs in 2-D, with scikit-learn's ``make_blobs`` semantics.

    Parameters
    ----------
    n : int
        Total number of points. Split as evenly as possible: ``n // m`` per blob and one more
        for each of the first ``n % m`` blobs.
    centers : int or array_like of shape (m, 2)
        The number of blobs, with centres drawn uniformly in ``center_box`` squared, or the
        centres themselves (plot units).
    std : float or sequence of m floats
        Standard deviation of each blob, per coordinate (plot units).
    rng : numpy.random.Generator
    center_box : (float, float), default (-10.0, 10.0)
        Range of each coordinate of random centres.

    Returns
    -------
    X : ndarray of shape (n, 2), float64
        The points, rows shuffled (like ``shuffle=True``).
    y : ndarray of shape (n,), intp
        The blob of each point, ``0..m-1``.
    """
    return run_pieces(_make_blobs(n, centers, std, rng, center_box))


def run_pieces(pieces):
    """Run a generator of pieces (see `generate_in_pieces`) to its end; return its value."""
    while True:
        try:
            next(pieces)
        except StopIteration as done:
            return done.value


def _make_blobs(n, centers, std, rng, center_box=(-10.0, 10.0)):
    if np.ndim(centers) == 0:
        centres = rng.uniform(center_box[0], center_box[1], size=(int(centers), 2))
    else:
        centres = np.asarray(centers, dtype=np.float64).reshape(-1, 2)
    m = centres.shape[0]
    sizes = np.full(m, n // m)
    sizes[: n % m] += 1
    return (yield from _blobs(sizes, centres,
                              np.broadcast_to(np.asarray(std, dtype=np.float64), (m,)), rng))


def _normal(rng, loc, scale, rows):
    """rng.normal(loc, scale, size=(rows, 2)) drawn in pieces of at most _PIECE_ROWS rows,
    yielding between them: the same numbers (a Generator draws them one after the other)."""
    out = np.empty((rows, 2))
    for start in range(0, rows, _PIECE_ROWS):
        stop = min(start + _PIECE_ROWS, rows)
        out[start:stop] = rng.normal(loc=loc, scale=scale, size=(stop - start, 2))
        if stop < rows:
            yield
    return out


def _blobs(sizes, centres, stds, rng):
    """Gaussian blobs with given sizes (m,), centres (m, 2) and stds (m,); rows shuffled."""
    X = np.empty((int(sizes.sum()), 2))
    y = np.repeat(np.arange(centres.shape[0], dtype=np.intp), sizes)
    start = 0
    for centre, std, size in zip(centres, stds, sizes):
        X[start : start + size] = yield from _normal(rng, centre, std, int(size))
        start += size
        yield
    return (yield from _shuffled(X, y, rng))


def _shuffled(X, y, rng):
    order = rng.permutation(X.shape[0])
    yield
    # np.take, not X[order]: the same rows, but fancy indexing copies an (n, 2) array row by
    # row and is about 8x slower at a million points.
    return np.take(X, order, axis=0), y[order]


def _noisy(X, y, rng, noise):
    """X plus Gaussian noise of scale `noise` (drawn in pieces), and y."""
    jitter = yield from _normal(rng, 0.0, noise, X.shape[0])
    return X + jitter, y


def _split(n, weights):
    """Split n into len(weights) whole parts proportional to weights (largest remainder)."""
    weights = np.asarray(weights, dtype=np.float64)
    exact = n * weights / weights.sum()
    sizes = np.floor(exact).astype(np.intp)
    # Hand the leftover points to the largest remainders; a stable sort breaks ties by order.
    leftover = n - int(sizes.sum())
    sizes[np.argsort(-(exact - sizes), kind="stable")[:leftover]] += 1
    return sizes


def _cycled(pattern, m):
    return np.resize(np.asarray(pattern, dtype=np.float64), m)


def _gen_blobs(n, rng, centers, std, noise):
    return (yield from _make_blobs(n, centers, std, rng))


def _gen_uniform(n, rng, centers, std, noise):
    return rng.uniform(-10.0, 10.0, size=(n, 2)), np.zeros(n, dtype=np.intp)
    yield  # a generator like the others (one piece)


def _gen_anisotropic(n, rng, centers, std, noise):
    # scikit-learn's demo maps the whole data set, centres included, which squeezes the blobs
    # onto a narrow band; mapping only each point's offset from its centre keeps the centres
    # spread over the plot, as for "blobs" drawn from the same seed.
    centres = rng.uniform(-10.0, 10.0, size=(centers, 2))
    X, y = yield from _make_blobs(n, centres, std, rng)
    yield
    own_centre = np.take(centres, y, axis=0)  # (n, 2); faster than centres[y] (see _shuffled)
    return own_centre + (X - own_centre) @ _ANISO_MAP, y


def _gen_unequal_variance(n, rng, centers, std, noise):
    return (yield from _make_blobs(n, centers, std * _cycled(_STD_FACTORS, centers), rng))


def _gen_unequal_size(n, rng, centers, std, noise):
    centres = rng.uniform(-10.0, 10.0, size=(centers, 2))
    sizes = _split(n, _cycled(_SIZE_RATIOS, centers))
    return (yield from _blobs(sizes, centres, np.full(centers, float(std)), rng))


def _gen_moons(n, rng, centers, std, noise):
    # scikit-learn's make_moons: n // 2 points on the upper moon, the rest on the lower one.
    n_out = n // 2
    n_in = n - n_out
    t_out = np.linspace(0.0, np.pi, n_out)
    t_in = np.linspace(0.0, np.pi, n_in)
    X = np.concatenate([
        np.column_stack([np.cos(t_out), np.sin(t_out)]),
        np.column_stack([1.0 - np.cos(t_in), 0.5 - np.sin(t_in)]),
    ])
    y = np.repeat(np.array([0, 1], dtype=np.intp), [n_out, n_in])
    # Centre the pair on the origin, scale it to the plot, then add noise in plot units.
    X = (X - [0.5, 0.25]) * _MOONS_SCALE
    yield
    X, y = yield from _shuffled(X, y, rng)
    return (yield from _noisy(X, y, rng, noise))


def _gen_rings(n, rng, centers, std, noise):
    # scikit-learn's make_circles(factor=0.5): n // 2 points on the outer circle.
    n_out = n // 2
    n_in = n - n_out
    t_out = np.linspace(0.0, 2.0 * np.pi, n_out, endpoint=False)
    t_in = np.linspace(0.0, 2.0 * np.pi, n_in, endpoint=False)
    radius = np.repeat([_RINGS_RADIUS, 0.5 * _RINGS_RADIUS], [n_out, n_in])
    t = np.concatenate([t_out, t_in])
    X = radius[:, None] * np.column_stack([np.cos(t), np.sin(t)])
    y = np.repeat(np.array([0, 1], dtype=np.intp), [n_out, n_in])
    yield
    X, y = yield from _shuffled(X, y, rng)
    return (yield from _noisy(X, y, rng, noise))


# Smiley geometry (plot units): face outline, eyes (filled discs) and a mouth arc.
_FACE_RADIUS = 9.0
_EYE_CENTRES = ((-3.2, 3.0), (3.2, 3.0))
_EYE_RADIUS = 1.2
_MOUTH_CENTRE = (0.0, 0.5)
_MOUTH_RADIUS = 5.5
_MOUTH_ANGLES = (np.radians(200.0), np.radians(340.0))


def _gen_smiley(n, rng, centers, std, noise):
    # Outline, left eye, right eye, mouth: labels 0, 1, 2, 3.
    sizes = _split(n, (8, 3, 3, 6))
    outline_t = rng.uniform(0.0, 2.0 * np.pi, sizes[0])
    outline = _FACE_RADIUS * np.column_stack([np.cos(outline_t), np.sin(outline_t)])
    eyes = []
    for centre, size in zip(_EYE_CENTRES, sizes[1:3]):
        # sqrt of a uniform radius fills the disc evenly instead of crowding its centre.
        r = _EYE_RADIUS * np.sqrt(rng.uniform(0.0, 1.0, size))
        t = rng.uniform(0.0, 2.0 * np.pi, size)
        eyes.append(np.asarray(centre) + np.column_stack([r * np.cos(t), r * np.sin(t)]))
    mouth_t = rng.uniform(*_MOUTH_ANGLES, sizes[3])
    mouth = np.asarray(_MOUTH_CENTRE) + _MOUTH_RADIUS * np.column_stack(
        [np.cos(mouth_t), np.sin(mouth_t)]
    )
    X = np.concatenate([outline, *eyes, mouth])
    y = np.repeat(np.arange(4, dtype=np.intp), sizes)
    yield
    X, y = yield from _shuffled(X, y, rng)
    return (yield from _noisy(X, y, rng, noise))


# Copy as Python (export/script.py): each generated data set's code, which draws the same
# points from the same generator `rng`; a string.Template ($n, $m, $std, $noise, $sizes,
# $stds: export.script fills them in), given with the data set in DATASETS.
# Gaussian blobs as scikit-learn's make_blobs draws them: random centres, then each blob's
# points, then one shuffle. The sizes and spreads vary with the data set.
_BLOBS = '''\
n, m, std = $n, $m, $std  # points, true clusters, spread
centres = rng.uniform(-10.0, 10.0, size=(m, 2))
$sizes
stds = $stds
X = np.concatenate([rng.normal(c, s, (size, 2)) for c, s, size in zip(centres, stds, sizes)])
'''
_SHUFFLE = "X = X[rng.permutation(n)]\n"
_STRETCH = '''\
y = np.repeat(np.arange(m), sizes)  # the true cluster of each point
order = rng.permutation(n)
X, y = X[order], y[order]
# Stretch and tilt each blob around its centre (area kept: the map's determinant is 1).
stretch = np.array([[0.6, -0.6], [-0.4, 0.8]]) / np.sqrt(0.24)
X = centres[y] + (X - centres[y]) @ stretch
'''
_JITTER = '''\
X = X[rng.permutation(n)]
X = X + rng.normal(scale=noise, size=X.shape)  # jitter
'''
_SCRIPT_UNIFORM = '''\
n = $n
X = rng.uniform(-10.0, 10.0, size=(n, 2))  # no clusters at all
'''
_SCRIPT_MOONS = '''\
n, noise = $n, $noise
n_out = n // 2  # on the upper moon; the rest on the lower one
t_out, t_in = np.linspace(0.0, np.pi, n_out), np.linspace(0.0, np.pi, n - n_out)
X = np.concatenate([np.column_stack([np.cos(t_out), np.sin(t_out)]),
                    np.column_stack([1.0 - np.cos(t_in), 0.5 - np.sin(t_in)])])
X = (X - [0.5, 0.25]) * 6.0  # centred on the origin, scaled to the plot
''' + _JITTER
_SCRIPT_RINGS = '''\
n, noise = $n, $noise
n_out = n // 2  # on the outer ring (radius 9); the rest on the inner one (radius 4.5)
t = np.concatenate([np.linspace(0.0, 2.0 * np.pi, n_out, endpoint=False),
                    np.linspace(0.0, 2.0 * np.pi, n - n_out, endpoint=False)])
radius = np.repeat([9.0, 4.5], [n_out, n - n_out])
X = radius[:, None] * np.column_stack([np.cos(t), np.sin(t)])
''' + _JITTER
_SCRIPT_SMILEY = '''\
n, noise = $n, $noise
sizes = $sizes  # face outline, left eye, right eye, mouth: 8 : 3 : 3 : 6 of n
t = rng.uniform(0.0, 2.0 * np.pi, sizes[0])
parts = [9.0 * np.column_stack([np.cos(t), np.sin(t)])]
for centre, size in zip([(-3.2, 3.0), (3.2, 3.0)], sizes[1:3]):  # filled discs
    r = 1.2 * np.sqrt(rng.uniform(0.0, 1.0, size))
    t = rng.uniform(0.0, 2.0 * np.pi, size)
    parts.append(np.asarray(centre) + np.column_stack([r * np.cos(t), r * np.sin(t)]))
t = rng.uniform(np.radians(200.0), np.radians(340.0), sizes[3])
parts.append(np.asarray((0.0, 0.5)) + 5.5 * np.column_stack([np.cos(t), np.sin(t)]))
X = np.concatenate(parts)
''' + _JITTER


@dataclass(frozen=True)
class Dataset:
    """A named point-set generator, described for the page.

    Attributes
    ----------
    name : str
        Key in `DATASETS` and in the page's URL.
    title : str
        Short label for the UI.
    help : str
        One or two plain sentences for a teacher: what this data shows about k-means.
    params : tuple of str
        Which of ``"centers"`` (true clusters, 1..10), ``"std"`` (blob spread, plot units) and
        ``"noise"`` (Gaussian jitter, plot units) the generator uses; the page hides the rest.
    generate : callable
        ``generate(n, rng, centers, std, noise)``: a generator of pieces (see
        `generate_in_pieces`) that returns (X, y), X (n, 2) float64 and y (n,) intp true
        labels ``0..m-1``. An example (below) takes ``columns=(x, y)`` too, ignores the
        rest, and returns y None when the data has no classes.
    example : Example or None
        For a real data set shipped with the page: its file, columns and source.
    script : str
        For a generated data set: the Copy-as-Python code that draws the same points (a
        string.Template, see export.script); "" for an example (the script embeds its rows).
    """

    name: str
    title: str
    help: str
    params: tuple[str, ...]
    generate: Callable[..., tuple[np.ndarray, np.ndarray]]
    example: Example | None = None
    script: str = ""


@dataclass(frozen=True)
class Example:
    """A small real data set shipped with the page (``core/examples/<file>``, listed with its
    licence in ``core/examples/SOURCES.md``): a header row, numeric columns, and, when
    `classes`, a last column naming each row's true class.

    Attributes
    ----------
    file : str
        The CSV file's name in ``core/examples``.
    columns : tuple of str
        Its numeric columns, in file order; the first two are drawn unless others are chosen.
    classes : bool
        Whether the last column holds each row's class (the truth the page compares with).
    source : str
        Who made the data and where it comes from, shown on the page.
    """

    file: str
    columns: tuple[str, ...]
    classes: bool
    source: str


DATASETS: dict[str, Dataset] = {
    d.name: d
    for d in (
        Dataset(
            "blobs", "Blobs",
            "Round clusters of the same size and spread: the case k-means is made for. "
            "With the right K it usually finds them, but a bad start can still merge two "
            "blobs and split another.",
            ("centers", "std"), _gen_blobs, script=_BLOBS + _SHUFFLE),
        Dataset(
            "uniform", "Uniform (no clusters)",
            "Points spread evenly, with no clusters at all. k-means still cuts them into K "
            "tidy regions: it always finds clusters, even where there are none.",
            (), _gen_uniform, script=_SCRIPT_UNIFORM),
        Dataset(
            "anisotropic", "Stretched blobs",
            "Blobs stretched and tilted the same way. k-means assumes round clusters, so it "
            "cuts across the stretched ones.",
            ("centers", "std"), _gen_anisotropic, script=_BLOBS + _STRETCH),
        Dataset(
            "unequal-variance", "Blobs of different spread",
            "Blobs with different spreads. k-means draws each boundary halfway between two "
            "centroids, so a wide cluster loses its outer points to a tight neighbour.",
            ("centers", "std"), _gen_unequal_variance, script=_BLOBS + _SHUFFLE),
        Dataset(
            "unequal-size", "Blobs of different size",
            "Blobs with very different numbers of points (1 : 3 : 8). k-means minimises the "
            "total squared distance, so it tends to split the big blob and merge small ones.",
            ("centers", "std"), _gen_unequal_size, script=_BLOBS + _SHUFFLE),
        Dataset(
            "moons", "Two moons",
            "Two interleaving half circles. The clusters are not round, so k-means cuts each "
            "moon in two instead of separating them.",
            ("noise",), _gen_moons, script=_SCRIPT_MOONS),
        Dataset(
            "rings", "Rings",
            "A small ring inside a big one. Both share a centre, so no placement of centroids "
            "separates them: k-means slices the rings like a cake.",
            ("noise",), _gen_rings, script=_SCRIPT_RINGS),
        Dataset(
            "smiley", "Smiley face",
            "A face: outline, two eyes and a mouth. The parts differ in shape and size; watch "
            "k-means merge the eyes with bits of the outline and cut the mouth.",
            ("noise",), _gen_smiley, script=_SCRIPT_SMILEY),
    )
}


# --------------------------------------------------------------------------------------------
# Real data sets shipped with the page (core/examples/; sources and licences in SOURCES.md)
# --------------------------------------------------------------------------------------------

EXAMPLES_DIR = Path(__file__).resolve().parent / "examples"


@lru_cache(maxsize=None)
def read_example(file: str) -> tuple[tuple[str, ...], np.ndarray, np.ndarray | None, tuple[str, ...]]:
    """(names, values (r, c) float64, classes (r,) intp or None, class names) of an example
    file: a header, then rows of numbers, with the class's name last when there is one
    (its column name is not in `names`)."""
    lines = (EXAMPLES_DIR / file).read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    rows = [line.split(",") for line in lines[1:] if line]
    classes = None
    class_names: tuple[str, ...] = ()
    if not _is_float(rows[0][-1]):
        class_names = tuple(dict.fromkeys(row[-1] for row in rows))
        classes = np.array([class_names.index(row[-1]) for row in rows], dtype=np.intp)
        header, rows = header[:-1], [row[:-1] for row in rows]
    return tuple(header), np.array(rows, dtype=np.float64), classes, class_names


def _is_float(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


def example_columns(example: Example, columns=("", "")) -> tuple[int, int]:
    """The indices of the columns (x, y) named (both in `example.columns`), else of its
    first two."""
    x, y = columns
    if x in example.columns and y in example.columns:
        return example.columns.index(x), example.columns.index(y)
    return 0, 1


def _example_generator(example: Example):
    def generate(n, rng, centers, std, noise, columns=("", "")):
        """The example's rows as points (n, rng and the rest are not used: real data is
        what it is): X (r, 2) the chosen columns, y the classes (or None)."""
        _, values, classes, _ = read_example(example.file)
        ix, iy = example_columns(example, columns)
        yield
        return values[:, [ix, iy]].copy(), None if classes is None else classes.copy()
    return generate


_EXAMPLES = (
    ("faithful", "Old Faithful geyser",
     "Real data: 272 eruptions of the Old Faithful geyser (Yellowstone), the eruption's length "
     "against the wait before it, in minutes. Two clumps, short-and-soon and long-and-later, "
     "that k-means finds with K = 2 once the columns are scaled alike.",
     Example("faithful.csv", ("eruptions_min", "waiting_min"), False,
             "Härdle (1991), R's datasets::faithful, as shipped by pydataset; measurements of "
             "nature, public domain.")),
    ("iris", "Iris flowers",
     "Real data: 150 iris flowers of 3 species, 4 measurements each (choose two as x and y). "
     "The species are the true classes: setosa stands apart, the other two overlap, so "
     "k-means mixes them.",
     Example("iris.csv", ("petal_length_cm", "petal_width_cm", "sepal_length_cm",
                          "sepal_width_cm"), True,
             "Anderson (1935) and Fisher (1936), the copy scikit-learn ships; public domain.")),
    ("penguins", "Palmer penguins",
     "Real data: 342 penguins of 3 species from Palmer Archipelago, Antarctica (choose two "
     "of 4 measurements). The species are the true classes; bill length against depth "
     "separates them better than either alone.",
     Example("penguins.csv", ("bill_length_mm", "bill_depth_mm", "flipper_length_mm",
                              "body_mass_g"), True,
             "Gorman, Williams and Fraser (2014), Palmer Station LTER, the palmerpenguins "
             "package's copy; CC0.")),
)
DATASETS.update({
    name: Dataset(name, title, f"{help_text} Source: {example.source}", (),
                  _example_generator(example), example)
    for name, title, help_text, example in _EXAMPLES})


def generate(name: str, n: int, rng: np.random.Generator, *, centers: int = 3, std: float = 0.8,
             noise: float = 0.1, columns=("", "")) -> tuple[np.ndarray, np.ndarray]:
    """Generate the data set `name` from `DATASETS`.

    Parameters
    ----------
    name : str
        A key of `DATASETS`.
    n : int
        Number of points, >= 1.
    rng : numpy.random.Generator
    centers : int, default 3
        Number of true clusters (1..10), for the data sets that use it.
    std : float, default 0.8
        Blob standard deviation in plot units, >= 0.
    noise : float, default 0.1
        Standard deviation of the Gaussian jitter in plot units, >= 0.

    Returns
    -------
    X : ndarray of shape (n, 2), float64
    y : ndarray of shape (n,), intp
        True labels ``0..m-1``.

    Raises
    ------
    ValueError
        For an unknown name or a parameter out of range.
    """
    # generate_in_pieces checks the parameters before its first piece
    return run_pieces(generate_in_pieces(name, n, rng, centers=centers, std=std, noise=noise,
                                         columns=columns))


def generate_in_pieces(name: str, n: int, rng: np.random.Generator, *, centers: int = 3,
                       std: float = 0.8, noise: float = 0.1, columns=("", "")):
    """`generate` as a generator that yields between pieces of work (a few tens of
    milliseconds each at a million points in the page) and returns (X, y): the same points,
    since a numpy Generator draws its numbers one after the other however they are asked
    for. The page makes big data sets this way between paints. `columns` (x, y names) picks
    an example's columns (`example_columns`); the generated sets ignore it."""
    if name not in DATASETS:
        raise ValueError(f"unknown data set {name!r}; choose one of: {', '.join(DATASETS)}")
    if isinstance(n, bool) or int(n) != n or n < 1:
        raise ValueError(f"the number of points must be a whole number of at least 1, got {n}")
    if isinstance(centers, bool) or int(centers) != centers or not 1 <= centers <= 10:
        raise ValueError(
            f"the number of true clusters must be a whole number from 1 to 10, got {centers}"
        )
    if not (math.isfinite(std) and std >= 0):
        raise ValueError(f"the cluster spread (std) must be zero or positive, got {std}")
    if not (math.isfinite(noise) and noise >= 0):
        raise ValueError(f"the noise must be zero or positive, got {noise}")
    spec = DATASETS[name]
    if spec.example is not None:
        return (yield from spec.generate(int(n), rng, int(centers), float(std), float(noise),
                                         columns=columns))
    return (yield from spec.generate(int(n), rng, int(centers), float(std), float(noise)))


# --------------------------------------------------------------------------------------------
# The visitor's own points
# --------------------------------------------------------------------------------------------


class PointsError(ValueError):
    """Points the visitor typed or uploaded that cannot be used; the message is for them.

    Attributes
    ----------
    line : int or None
        1-based line (or list item) at fault, or None when the problem is the whole set.
    """

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


# Every character Python counts as whitespace (str.isspace, str.strip and re's \s agree): they
# separate numbers and are stripped from the ends of a line. Of them only "\n" and "\r" (and
# "\r\n") end a line, as a text editor shows it; str.splitlines would also break at \v, \f,
# \x1c-\x1e, \x85, U+2028 and U+2029, and so count lines the visitor cannot see.
_WHITESPACE = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004"
               "\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
_SEPARATORS = re.compile(r"[,;\s]+")
# For the fast path (see PointsReader._fast_rows), on text whose breaks are all "\n":
# every separator and whitespace character but "\n" becomes a space ...
_TO_SPACES = str.maketrans({c: " " for c in _WHITESPACE.replace("\n", "") + ",;"})
# ... and, to see how each line starts, whitespace but "\n" goes and ";" becomes ",".
_SQUEEZED = str.maketrans({**{c: None for c in _WHITESPACE.replace("\n", "")}, ";": ","})
# Blocks at most this many lines long that the fast path refuses are read line by line.
_SLOW_BLOCK_LINES = 32


def _plain(x):
    """1e+100 -> '1e100': a limit as the visitor would type it."""
    return f"{x:.0e}".replace("e+", "e")


def _shown(text, limit=40):
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _number(token):
    """float(token), or None if it is not a number (Python's own spellings included)."""
    try:
        return float(token)
    except ValueError:
        return None


class TooFewPoints(PointsError):
    """Fewer than 2 points: nothing wrong with a line, points are missing (``count`` of them
    were read)."""

    def __init__(self, count: int):
        super().__init__(f"need at least 2 points to cluster, got {count}")
        self.count = count


def _check_count(count):
    if count < 2:
        raise TooFewPoints(count)


def _too_many(max_points):
    return PointsError(f"too many points: the limit is {max_points}; remove some and try again")


#: Byte-order marks and the encodings they announce (UTF-8's first: UTF-16's are shorter).
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
         (codecs.BOM_UTF16_BE, "utf-16-be"))
ENCODING_NAMES = {"utf-8": "UTF-8", "utf-16-le": "UTF-16 (little-endian)",
                  "utf-16-be": "UTF-16 (big-endian)", "latin-1": "Latin-1"}


def _sniff(head: bytes) -> tuple[str, int]:
    """(encoding, length of its byte-order mark) of a file starting with `head`."""
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding, len(bom)
    # Digits, commas and line breaks saved as UTF-16 without a mark: every other byte is zero.
    even, odd = head[0:-1:2], head[1::2]
    if len(head) >= 4 and (odd.count(0) == len(odd)) != (even.count(0) == len(even)):
        return ("utf-16-le" if odd.count(0) == len(odd) else "utf-16-be"), 0
    return "utf-8", 0


#: Bytes at a file's start looked at to tell a binary file (an image, a PDF) from text.
BINARY_SNIFF = 4096
#: Control bytes a text file may hold: tab, line feed, vertical tab, form feed, carriage
#: return, and the end-of-file mark some old editors write.
_TEXT_CONTROLS = frozenset(b"\t\n\x0b\x0c\r\x1a")


def _binary(head: bytes) -> bool:
    """True if `head` (a file's first bytes, after any byte-order mark, not UTF-16) is not
    text: it holds a zero byte, or more than 5 % of it are other control bytes."""
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 0x20 and b not in _TEXT_CONTROLS)
    return controls > 0.05 * max(len(head), 1)


class FileDecoder:
    """The bytes of an uploaded points file -> its text, slice by slice (a character cut
    between two slices is kept whole).

    The encoding is chosen from the first bytes: a byte-order mark (UTF-8, UTF-16
    little- or big-endian; the mark is dropped), else UTF-16 without a mark when every other
    one of the first bytes is zero (numbers saved as UTF-16), else UTF-8. Bytes that are not
    text in that encoding become U+FFFD, so a stray accent in a comment does no harm; the
    first one is remembered (`bad`) so that `explain` can name it if the points cannot be read.
    A compressed file (a spreadsheet such as .xlsx, or a .zip) or another binary file (a zero
    byte, or many control bytes, in its first BINARY_SNIFF bytes) raises PointsError at once.

    With ``latin1=True`` (the table reader), a file without a mark whose bytes stop being
    UTF-8 is read as Latin-1 from its first byte that is not UTF-8 on (`encoding` becomes
    "latin-1" and `bad` stays None): every byte is a Latin-1 character, and a Latin-1 file's
    bytes before its first accent are ASCII, which both encodings read alike.

    Attributes
    ----------
    encoding : str or None
        A key of ENCODING_NAMES, once chosen.
    bad : tuple of (int, int) or None
        (1-based byte position in the file, byte value) of the first byte that is not text.

    Examples
    --------
    >>> decoder = FileDecoder()
    >>> raw = "x,y\\n1,2\\n".encode("utf-16")
    >>> decoder.decode(raw[:5]) + decoder.decode(raw[5:], final=True)
    'x,y\\n1,2\\n'
    """

    SNIFF_BYTES = 64  # bytes looked at before choosing the encoding

    def __init__(self, latin1: bool = False) -> None:
        self.latin1 = latin1
        self.encoding: str | None = None
        self.bad: tuple[int, int] | None = None
        self._head = b""
        self._decoder = None
        self._done = 0  # bytes of the file handed to the decoder so far

    def decode(self, chunk: bytes, final: bool = False) -> str:
        """The text of the next slice (str; "" while the first bytes are gathered)."""
        if self._decoder is None:
            self._head += bytes(chunk)
            if len(self._head) < self.SNIFF_BYTES and not final:
                return ""
            chunk, self._head = self._head, b""
            if chunk.startswith(b"PK\x03\x04"):
                raise PointsError("it is a compressed file (a spreadsheet such as .xlsx or "
                                  ".ods, or a .zip), not text; save it as CSV and upload that")
            self.encoding, skip = _sniff(chunk)
            if not self.encoding.startswith("utf-16") and _binary(chunk[skip:skip + BINARY_SNIFF]):
                raise PointsError("it is not a text file (it looks like an image, a PDF or "
                                  "another binary file); upload the points as CSV or text")
            chunk, self._done = chunk[skip:], skip
            self._decoder = codecs.getincrementaldecoder(self.encoding)("strict")
        chunk = bytes(chunk)
        if self.bad is None and self.encoding != "latin-1":  # (every byte is Latin-1)
            pending = len(self._decoder.buffer)  # bytes of a cut character, kept from before
            try:
                text = self._decoder.decode(chunk, final)
                self._done += len(chunk)
                return text
            except UnicodeDecodeError as error:
                data = error.object
                if self.latin1 and self.encoding == "utf-8":
                    # the decoder's state is as before the call: `data` is its kept bytes
                    # and this chunk; the part before the error is whole UTF-8 characters
                    self.encoding = "latin-1"
                    self._decoder = codecs.getincrementaldecoder("latin-1")()
                    self._done += len(chunk)
                    return data[:error.start].decode("utf-8") + data[error.start:].decode(
                        "latin-1")
                self.bad = (self._done - pending + error.start + 1, data[error.start])
                self._decoder.errors = "replace"  # the decoder's state is as before the call
        text = self._decoder.decode(chunk, final)
        self._done += len(chunk)
        return text

    def explain(self, error: PointsError) -> PointsError:
        """`error` (from reading the text), with the bytes that are not text named when
        there were some: they are the likely cause."""
        if self.bad is None:
            return error
        name = ENCODING_NAMES[self.encoding]
        position, byte = self.bad
        return PointsError(
            f"{error}. The file is not {name} text: byte {position:,} (0x{byte:02X}) is not a "
            f"character in {name}; save the file as CSV text in UTF-8 or UTF-16", line=error.line)


class LineJoiner:
    """Slices of text in, whole lines out: the part of the text that cut a line in two waits
    for the next slice. Byte-order marks at the very start are dropped, and "\r\n" or "\r"
    line breaks become "\n", even when a "\r\n" is cut between two slices."""

    def __init__(self):
        self.pending = ""          # the text after the last line break (a line not yet ended)
        self._at_start = True      # nothing but byte-order marks seen so far
        self._after_cr = False     # the text read so far ends with "\r": drop a "\n" next

    def feed(self, text: str) -> str:
        """The lines this slice completes, each ended by "\n" ("" when it ends none)."""
        if self._at_start:
            text = text.lstrip("\ufeff")
            self._at_start = not text
        if self._after_cr and text:
            self._after_cr = False
            if text[0] == "\n":  # the "\n" of a "\r\n" cut between two slices
                text = text[1:]
        cut = max(text.rfind("\n"), text.rfind("\r"))  # the pending text has no break
        if cut < 0:
            self.pending += text
            return ""
        complete = self.pending + text[: cut + 1]
        self.pending = text[cut + 1 :]
        self._after_cr = complete[-1] == "\r" and not self.pending
        return complete.replace("\r\n", "\n").replace("\r", "\n")

    def rest(self) -> str:
        """The last line, not ended by a break ("" if none); the joiner is then empty."""
        text, self.pending = self.pending, ""
        return text


class PointsReader:
    """Read "your own points" from CSV-like text that arrives in slices (an upload).

    The rules (the same as `parse_points`): one point per line as ``x,y``; a semicolon or any
    whitespace also separates the two numbers, and runs of separators count as one. A line
    ends at "\\r\\n", "\\n" or "\\r" only, so line numbers are the ones a text editor shows.
    Blank lines and lines whose first character other than whitespace is ``#`` are ignored.
    The first remaining line is skipped if it holds no numbers at all (a header such as
    ``x,y``). Numbers are anything Python's ``float`` reads, finite and at most `MAX_ABS` in
    absolute value. Byte-order marks at the very start are ignored.

    Feed the text in slices of any size, cut anywhere (inside a line or between "\\r" and
    "\\n"), then close. Each slice is read when it arrives, so an error is raised by the `feed`
    that completes the bad line. Well-formed lines are read in bulk by numpy's C parser;
    a block of lines it refuses is halved until the blocks are a few lines long, which are
    then read one by one to find and word the error. An upload with odd but valid lines
    (numbers with underscores or non-ASCII digits, lines that start with a comma) is read
    correctly, only more slowly.

    Parameters
    ----------
    max_points : int, default MAX_UPLOAD_POINTS
        More points than this raise PointsError (line None).

    Attributes
    ----------
    rows : int
        Points read so far.
    lines : int
        Complete lines read so far.

    Raises
    ------
    PointsError
        From `feed` or `close`, naming the line for a malformed one (not exactly two numbers,
        not finite, or beyond `MAX_ABS`), with ``line=None`` for too many points (`feed`) or
        fewer than 2 (`close`). Once raised, every later call raises the same error.

    Examples
    --------
    >>> reader = PointsReader(max_points=1000)
    >>> for piece in ("x;y\\r", "\\n1;2\\r\\n3 4", "\\n"):
    ...     reader.feed(piece)
    >>> reader.close().tolist()
    [[1.0, 2.0], [3.0, 4.0]]
    """

    def __init__(self, max_points: int = MAX_UPLOAD_POINTS):
        self.max_points = int(max_points)
        self.rows = 0
        self.lines = 0
        self._parts: list[np.ndarray] = []  # (m, 2) float64 blocks, in line order
        self._lines = LineJoiner()
        self._seen_content = False  # a line other than blank or comment has been read
        self._error: PointsError | None = None
        self._closed = False

    def feed(self, text: str) -> None:
        """Read the next slice of the text (str, any length)."""
        self._check_open()
        complete = self._lines.feed(text)
        if complete:
            self._guarded(complete)

    def close(self) -> np.ndarray:
        """Read the last line and return the points, shape (n, 2) float64, all finite.

        ``2 <= n <= max_points``. Calling `close` again returns the same points.
        """
        if not self._closed:
            self._check_open()
            last = self._lines.rest()
            if last:
                self._guarded(last + "\n")
            try:
                _check_count(self.rows)
            except PointsError as error:
                self._error = error
                raise
            self._closed = True
            self._parts = [np.concatenate(self._parts)]
        return self._parts[0]

    def _check_open(self):
        if self._error is not None:
            raise self._error
        if self._closed:
            raise ValueError("this reader is closed; start a new PointsReader")

    def _guarded(self, text):
        try:
            self._read(text)
        except PointsError as error:
            self._error = error
            raise

    def _read(self, text):
        """Read complete lines: `text` ends with "\\n", its only line break."""
        start = 0
        # The header rule needs the first line with content: read line by line up to it.
        while not self._seen_content and start < len(text):
            end = text.index("\n", start) + 1
            self._slow(text[start:end])
            start = end
        if start < len(text):
            self._block(text[start:] if start else text)

    def _block(self, text):
        """Read complete lines after the first content line: in bulk, halving on refusal."""
        if self._fast(text):
            return
        if text.count("\n") <= _SLOW_BLOCK_LINES:
            self._slow(text)
            return
        # Cut after the first break from the middle on, or, if that is the final one, after
        # the one before it: both halves then hold whole lines and are shorter.
        middle = text.index("\n", len(text) // 2) + 1
        if middle == len(text):
            middle = text.rindex("\n", 0, len(text) - 1) + 1
        self._block(text[:middle])
        self._block(text[middle:])

    def _fast(self, text):
        """Read complete lines in bulk with numpy's C parser; False (nothing read) if unsure.

        Valid only after the first content line (no header rule). numpy's parser reads a
        subset of what ``float`` reads (no underscores, ASCII only) with the same correctly
        rounded result; whatever it refuses, or any value that is not finite or beyond
        MAX_ABS, leaves the block to the exact line-by-line reading.
        """
        spaced = text.translate(_TO_SPACES)
        if not spaced.isascii():
            return False
        squeezed = text.translate(_SQUEEZED)
        # A line starting with a separator ("," or ";" after any whitespace) may be valid
        # (",1,2") or hold separators only (an error): both are left to the exact reading.
        if squeezed.startswith(",") or "\n," in squeezed:
            return False
        lines = spaced.split("\n")
        lines.pop()  # after the final "\n"
        if squeezed.startswith("#") or "\n#" in squeezed:  # comment lines: leave them out
            lines = [line for line, bare in zip(lines, squeezed.split("\n"))
                     if not bare.startswith("#")]
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # "input contained no data" for blank blocks
                values = np.loadtxt(lines, dtype=np.float64, comments=None, ndmin=2)
        except ValueError:
            return False
        if values.size == 0:
            values = values.reshape(0, 2)
        elif values.shape[1] != 2 or not max(values.max(), -values.min()) <= MAX_ABS:
            return False  # (a NaN fails the comparison too)
        if self.rows + values.shape[0] > self.max_points:
            raise _too_many(self.max_points)
        self._parts.append(values)
        self.rows += values.shape[0]
        self.lines += text.count("\n")
        return True

    def _slow(self, text):
        """Read complete lines one by one, raising PointsError at the first bad one."""
        rows = []
        room = self.max_points - self.rows
        for raw in text.split("\n")[:-1]:
            self.lines += 1
            values = self._line_values(raw, self.lines)
            if values is None:
                continue
            if len(rows) == room:
                raise _too_many(self.max_points)
            rows.append(values)
        if rows:
            self._parts.append(np.array(rows, dtype=np.float64))
            self.rows += len(rows)

    def _line_values(self, raw, number):
        """The two numbers of one line, or None for a blank, comment or header line."""
        line = raw.strip()
        if not line or line.startswith("#"):
            return None
        tokens = [t for t in _SEPARATORS.split(line) if t]
        values = [_number(t) for t in tokens]
        first, self._seen_content = not self._seen_content, True
        if first and all(v is None for v in values):
            return None  # header
        if len(tokens) != 2:
            raise PointsError(
                f"line {number}: expected two numbers separated by a comma, got {_shown(line)!r}",
                line=number,
            )
        for token, value in zip(tokens, values):
            if value is None:
                raise PointsError(
                    f"line {number}: expected two numbers separated by a comma, "
                    f"but {_shown(token)!r} is not a number",
                    line=number,
                )
            if not math.isfinite(value):
                raise PointsError(
                    f"line {number}: {_shown(token)!r} is not an ordinary number; "
                    "use finite numbers like 1.5 or -3",
                    line=number,
                )
            if abs(value) > MAX_ABS:
                raise PointsError(
                    f"line {number}: {_shown(token)!r} is too far from zero; "
                    f"use numbers between -{_plain(MAX_ABS)} and {_plain(MAX_ABS)}",
                    line=number,
                )
        return values


def parse_points(text: str, max_points: int = MAX_TYPED_POINTS) -> np.ndarray:
    """Read "your own points" from CSV-like text, all at once.

    The rules are those of `PointsReader` (which does the reading): one ``x,y`` per line,
    comma, semicolon or whitespace between the numbers, blank and ``#`` lines ignored, an
    optional header line, lines counted as a text editor shows them.

    Parameters
    ----------
    text : str
    max_points : int, default MAX_TYPED_POINTS

    Returns
    -------
    ndarray of shape (n, 2), float64
        ``2 <= n <= max_points``, all finite and at most `MAX_ABS` in absolute value.

    Raises
    ------
    PointsError
        Naming the line for a malformed line (not exactly two numbers, NaN/infinity, or beyond
        MAX_ABS), and with ``line=None`` for fewer than 2 or more than `max_points` points.
    """
    reader = PointsReader(max_points)
    reader.feed(text)
    return reader.close()


def points_from_list(values, max_points: int = MAX_TYPED_POINTS) -> np.ndarray:
    """Points given as a list of ``[x, y]`` pairs (e.g. parsed from JSON).

    Parameters
    ----------
    values : sequence of sequences of two numbers
    max_points : int, default MAX_TYPED_POINTS

    Returns
    -------
    ndarray of shape (n, 2), float64
        ``2 <= n <= max_points``, all finite and at most `MAX_ABS` in absolute value.

    Raises
    ------
    PointsError
        With ``line = index + 1`` for an item that is not a pair of finite numbers within
        MAX_ABS (booleans and strings are refused), and ``line=None`` for fewer than 2 or more
        than `max_points` points.
    """
    rows = []
    for index, item in enumerate(values):
        number = index + 1
        try:
            pair = list(item)
        except TypeError:
            pair = None
        if pair is None or len(pair) != 2 or not all(_is_real(v) for v in pair):
            raise PointsError(
                f"point {number}: expected a pair of numbers [x, y], got {_shown(repr(item))}",
                line=number,
            )
        x, y = float(pair[0]), float(pair[1])
        if not (math.isfinite(x) and math.isfinite(y)):
            raise PointsError(
                f"point {number}: {_shown(repr(item))} is not made of ordinary numbers; "
                "use finite numbers like 1.5 or -3",
                line=number,
            )
        if max(abs(x), abs(y)) > MAX_ABS:
            raise PointsError(
                f"point {number}: {_shown(repr(item))} is too far from zero; "
                f"use numbers between -{_plain(MAX_ABS)} and {_plain(MAX_ABS)}",
                line=number,
            )
        if len(rows) == max_points:
            raise _too_many(max_points)
        rows.append((x, y))
    _check_count(len(rows))
    return np.array(rows, dtype=np.float64).reshape(-1, 2)


def _is_real(v):
    # bool is an int subclass but True/False are not coordinates; numpy scalars are accepted.
    is_number = isinstance(v, (int, float, np.integer, np.floating))
    return is_number and not isinstance(v, (bool, np.bool_))


# --------------------------------------------------------------------------------------------
# Editing the visitor's points by clicking: the text box stays in step
# --------------------------------------------------------------------------------------------


def points_in_text(text: str, max_points: int = MAX_TYPED_POINTS) -> np.ndarray:
    """The points of "your own points" text, (n, 2) float64, with n from 0 up: as
    `parse_points` reads them, but zero or one point is not an error (a set being built by
    clicking). Raises PointsError (naming the line) for a malformed line."""
    reader = PointsReader(max_points)
    reader.feed(text)
    try:
        return reader.close()
    except PointsError as error:
        if error.line is None and reader.rows < 2:
            return np.concatenate(reader._parts) if reader._parts else np.empty((0, 2))
        raise


def text_with_point(text: str, point) -> str:
    """`text` with the point (x, y) appended on a line of its own, every digit kept."""
    x, y = (float(v) for v in point)
    if text and not text.endswith(("\n", "\r")):
        text += "\n"
    return f"{text}{x!r},{y!r}\n"


def text_without_point(text: str, point) -> str:
    """`text` without the last line that holds exactly the point (x, y); other lines,
    comments and blank lines are kept as they are. Unchanged if no line holds it."""
    x, y = (float(v) for v in point)
    lines = re.split(r"(\r\n|\r|\n)", text)   # lines and their line breaks, alternating
    reader = PointsReader()
    found = None
    for i in range(0, len(lines), 2):
        try:
            values = reader._line_values(lines[i], i // 2 + 1)
        except PointsError:
            continue
        if values is not None and values[0] == x and values[1] == y:
            found = i
    if found is None:
        return text
    del lines[found:found + 2]
    return "".join(lines)
