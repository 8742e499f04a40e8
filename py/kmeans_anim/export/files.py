"""Take a run away: the points as CSV, a Python script that redoes the run, the whole run as an
animated GIF, and the frame on screen as PNG.

Pure functions of the session's data (no browser): the page's glue calls them and hands the
result to a download or the clipboard. Imports numpy, the standard library, matplotlib (through
`view`) and Pillow only.

Example
-------
>>> from kmeans_anim.core.params import Params
>>> from kmeans_anim.core.session import Session
>>> s = Session()
>>> run = s.go(Params(n=40, k=3, seed=7))
>>> csv_text = points_csv(s.points, run.labels, s.true_labels, run.centroids)
>>> csv_text.splitlines()[0], len(csv_text.splitlines())
('x,y,cluster,true_cluster,kind', 44)
>>> script = python_script(s.params, s.seed, s.attempt, final_centroids=run.centroids)
>>> "default_rng([SEED, 0])" in script
True
>>> maker = GifMaker(run, s.points, width_px=320, height_px=256)
>>> for done, total in maker.steps():     # the page awaits between frames here
...     pass
>>> maker.result[:6], maker.thinned
(b'GIF89a', False)
>>> png_bytes(maker.last_rgba)[:4]
b'\\x89PNG'
"""

from __future__ import annotations

import base64
import io
import math
import textwrap
import zlib
from string import Template

import numpy as np
from PIL import GifImagePlugin, Image

from ..core import choices, data
from ..core import params as P
from ..core.player import Timeline
from ..picture.scene import Options, Scene, frame_scene
from ..picture.view import CATEGORY10, THEMES, KMeansView, Style

__all__ = [
    "CSV_HEADER",
    "GIF_MAX_POINTS",
    "GifMaker",
    "SCRIPT_PLAIN_POINTS",
    "animated_gif",
    "png_bytes",
    "points_csv",
    "python_script",
]


# --------------------------------------------------------------------------------------------
# CSV
# --------------------------------------------------------------------------------------------

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


# --------------------------------------------------------------------------------------------
# Copy as Python
# --------------------------------------------------------------------------------------------

#: Up to this many of the visitor's own points, the script lists them as readable x,y lines;
#: more are embedded compressed (zlib + base64), so the script stays a manageable size.
SCRIPT_PLAIN_POINTS = 1000

_SCRIPT_HEAD = Template('''\
"""The k-means run of "K-Means, animated", redone in CPython with numpy only.

$about
"""
${imports}import numpy as np

SEED, ATTEMPT = $seed, $attempt
K, MAX_ITER, TOL = $k_param, $max_iter, $tol
# The result is printed rounded to these many decimals, as the page's result is written in
# the comment at the end: float rounding (the last of ~16 digits) never shows.
XY_DECIMALS, INERTIA_DECIMALS = $xy_decimals, $inertia_decimals

''')

_POINTS_RNG = '''\
# The points come from default_rng([SEED, 0]), as the page draws them.
rng = np.random.default_rng([SEED, 0])
'''

# Gaussian blobs as scikit-learn's make_blobs draws them: random centres, then each blob's
# points, then one shuffle. The sizes and spreads vary with the data set.
_BLOBS = '''\
n, m, std = $n, $m, $std  # points, true clusters, spread
centres = rng.uniform(-10.0, 10.0, size=(m, 2))
$sizes
stds = $stds
X = np.concatenate([rng.normal(c, s, (size, 2)) for c, s, size in zip(centres, stds, sizes)])
'''
_EVEN_SIZES = '''\
sizes = np.full(m, n // m)  # as even as possible: the first n % m blobs get one more
sizes[: n % m] += 1'''
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
_DATASETS = {
    "blobs": _BLOBS + _SHUFFLE,
    "anisotropic": _BLOBS + _STRETCH,
    "unequal-variance": _BLOBS + _SHUFFLE,
    "unequal-size": _BLOBS + _SHUFFLE,
    "uniform": '''\
n = $n
X = rng.uniform(-10.0, 10.0, size=(n, 2))  # no clusters at all
''',
    "moons": '''\
n, noise = $n, $noise
n_out = n // 2  # on the upper moon; the rest on the lower one
t_out, t_in = np.linspace(0.0, np.pi, n_out), np.linspace(0.0, np.pi, n - n_out)
X = np.concatenate([np.column_stack([np.cos(t_out), np.sin(t_out)]),
                    np.column_stack([1.0 - np.cos(t_in), 0.5 - np.sin(t_in)])])
X = (X - [0.5, 0.25]) * 6.0  # centred on the origin, scaled to the plot
''' + _JITTER,
    "rings": '''\
n, noise = $n, $noise
n_out = n // 2  # on the outer ring (radius 9); the rest on the inner one (radius 4.5)
t = np.concatenate([np.linspace(0.0, 2.0 * np.pi, n_out, endpoint=False),
                    np.linspace(0.0, 2.0 * np.pi, n - n_out, endpoint=False)])
radius = np.repeat([9.0, 4.5], [n_out, n - n_out])
X = radius[:, None] * np.column_stack([np.cos(t), np.sin(t)])
''' + _JITTER,
    "smiley": '''\
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
''' + _JITTER,
}

_NEAREST = '''

def nearest(C):
    """Each point's nearest centroid; an exact tie goes to the lowest index, as in the page."""
    return ((X[:, None, :] - C[None, :, :]) ** 2).sum(axis=-1).argmin(axis=1)


'''

_RUN_RNG = '''
# The run: attempt a starts from default_rng([SEED, 1, a]).
rng = np.random.default_rng([SEED, 1, ATTEMPT])
k = min(K, len(np.unique(X, axis=0)))  # the page lowers K to the number of different points
''' + _NEAREST

_GIVEN_START = Template('''
# The run starts from the centroids $why; an empty cluster's random rule
# (if needed) draws from default_rng($key).
rng = np.random.default_rng($key)
C0 = np.array([
$rows])
k = len(C0)
''')

# Between the start and _LLOYD come the initialisation's lines (choices.Init.script: they set
# C0) and the empty-cluster rule's update function (choices.EmptyRule.script).
_LLOYD = '''

tol = np.mean(np.var(X, axis=0)) * TOL  # the tolerance in squared data units
C, labels_old, converged = C0.copy(), None, False
for iteration in range(1, MAX_ITER + 1):
    labels = nearest(C)
    C_new = update(labels, C)
    shift = ((C_new - C) ** 2).sum()  # how far the centroids moved, squared
    C = C_new
    if labels_old is not None and (labels == labels_old).all():
        converged = True  # no point changed cluster
        break
    if shift <= tol:
        break
    labels_old = labels
if not converged:
    labels = nearest(C)  # the final labels belong to the final centroids


def rounded(value, decimals):
    """`value` with `decimals` decimals ("+ 0.0": a rounded -0.0 is written 0)."""
    return f"{round(value, decimals) + 0.0:.{decimals}f}"


for x, y in C.tolist():
    print(rounded(x, XY_DECIMALS), rounded(y, XY_DECIMALS))
print("inertia", rounded(float(((X - C[labels]) ** 2).sum()), INERTIA_DECIMALS))

# To compare with scikit-learn (not needed here): it runs the same Lloyd iterations from C0,
# with the same stopping rules; its empty-cluster rule is this script's "farthest".
#   from sklearn.cluster import KMeans
#   km = KMeans(k, init=C0, n_init=1, algorithm="lloyd", max_iter=MAX_ITER, tol=TOL).fit(X)
#   print(km.cluster_centers_)
'''


#: Significant digits of the largest number the script's result can hold, for the
#: coordinates and the inertia: the page and numpy sum in different orders, so digits beyond
#: about the 15th differ.
_XY_DIGITS, _INERTIA_DIGITS = 12, 11
#: About the largest coordinate of a generated data set (blobs' centres lie in [-10, 10]).
_GENERATED_SCALE = 10.0


def _decimals(magnitude: float, digits: int) -> int:
    """Decimals (0..17) that show `digits` significant digits of a number as large as
    `magnitude` (> 0; anything else gives `digits`)."""
    if not (magnitude > 0 and math.isfinite(magnitude)):
        return digits
    return min(max(digits - 1 - math.floor(math.log10(magnitude)), 0), 17)


def _rounded(value: float, decimals: int) -> str:
    """The script's `rounded`: `value` with `decimals` decimals, -0 written 0."""
    return f"{round(float(value), decimals) + 0.0:.{decimals}f}"


def _points_block(points: np.ndarray) -> tuple[str, str]:
    """(imports, code) that define X as the visitor's points, exactly."""
    lines = _xy_rows(points, ["\n"], np.zeros(len(points), dtype=np.intp))
    count = f"{len(points)} point{'s' * (len(points) != 1)}"
    if len(points) <= SCRIPT_PLAIN_POINTS:
        return "import io\n\n", (
            f"# Your own {count}, one x,y per line (every digit kept: the same floats).\n"
            f'POINTS = """\n{lines}"""\n'
            'X = np.loadtxt(io.StringIO(POINTS), delimiter=",").reshape(-1, 2)\n')
    # Level 6: as small as level 9 for such text, in a third of the time.
    packed = base64.b64encode(zlib.compress(lines.encode("ascii"), 6)).decode("ascii")
    wrapped = "\n".join(packed[i:i + 76] for i in range(0, len(packed), 76))
    return "import base64\nimport io\nimport zlib\n\n", (
        f"# Your own {count}, one x,y per line as in a CSV file, embedded compressed\n"
        "# (zlib, then base64) to keep this script small. Every digit is kept.\n"
        f'POINTS = zlib.decompress(base64.b64decode("""\n{wrapped}\n""")).decode()\n'
        'X = np.loadtxt(io.StringIO(POINTS), delimiter=",").reshape(-1, 2)\n')


def _generated_points_code(params: P.Params) -> str:
    """Code that draws the data set of `params` as `session.Session.go` does."""
    name, m = params.dataset, P.true_centers(params)
    values = {"n": params.n, "m": m, "std": repr(float(params.std)),
              "noise": repr(float(params.noise)), "sizes": _EVEN_SIZES,
              "stds": "np.full(m, std)"}
    if name == "unequal-variance":
        values["stds"] = "std * np.resize([0.5, 1.0, 2.5], m)  # spreads cycle 1/2 : 1 : 5/2"
    elif name in ("unequal-size", "smiley"):
        # The generator splits n in fixed proportions (largest remainders); the parts are the
        # sizes of its true clusters, which the script states as plain numbers.
        _, truth = data.generate(name, params.n, np.random.default_rng(0), centers=m)
        sizes = np.bincount(truth, minlength=m if name == "unequal-size" else 4).tolist()
        values["sizes"] = (f"sizes = {sizes}  # 1 : 3 : 8 cycled, of n"
                           if name == "unequal-size" else str(sizes))
    return _POINTS_RNG + Template(_DATASETS[name]).substitute(values)


def _data_line(params: P.Params, n_points: int) -> str:
    if params.dataset == P.CUSTOM:
        return f"Data: your own {n_points} points, embedded below."
    used = P.uses(params)
    parts = [f"{params.n} points"]
    if "centers" in used:
        parts.append(f"{P.true_centers(params)} true clusters")
    if "std" in used:
        parts.append(f"spread (std) {params.std!r}")
    if "noise" in used:
        parts.append(f"noise {params.noise!r}")
    return f'Data: "{P.TITLES["dataset"][params.dataset]}", {", ".join(parts)}.'


def python_script(params: P.Params, seed: int, attempt: int, points=None,
                  final_centroids=None, start=None, rng_key=None,
                  start_why: str = "placed by hand", final_inertia=None) -> str:
    """A short, self-contained CPython script (numpy only) that redoes the page's run.

    It draws the same points from the seed as the page (``default_rng([seed, 0])`` and the
    data set's generator), or embeds the visitor's own points; picks the starting centroids
    and runs Lloyd's algorithm from ``default_rng([seed, 1, attempt])`` with the same rules as
    `engine.lloyd`; and prints the final centroids, one ``x y`` line per cluster in the page's
    order, then ``inertia v``, rounded to a fixed number of decimals (12 significant digits
    of the data's largest coordinates, 11 of the largest inertia these points can have). The
    page's result, when given, ends the script as a comment in the same format, so the two
    compare digit by digit. Only the code the chosen settings need is included: one
    generator, one initialisation, one empty-cluster rule.

    Parameters
    ----------
    params : Params
        The run's settings (dataset, n, k, std, noise, centers, init, empty, max_iter, tol).
        ``params.seed`` and ``params.attempt`` are ignored in favour of the next two.
    seed : int
        The session's seed (``Session.seed``).
    attempt : int
        The session's attempt (0 for GO, then 1, 2, ... for each RETRY).
    points : array_like of shape (n, 2), optional
        The visitor's own points; required when ``params.dataset == "custom"``, ignored
        otherwise. Up to `SCRIPT_PLAIN_POINTS` they are listed as text; more are embedded
        compressed.
    final_centroids : array_like of shape (k, 2), optional
        The centroids the page ended with, appended as a comment (in the printed format) so
        that a reader can compare them with the printed ones.
    start : array_like of shape (k, 2), optional
        Starting centroids given rather than drawn: placed by hand, or moved by hand during a
        run (the run on screen then continues from them). Written into the script.
    rng_key : sequence of int, optional
        With `start`: the seed sequence of the run's random generator (what the empty-cluster
        rule "random" draws from), e.g. ``[seed, 1, attempt]``.
    start_why : str
        With `start`: how the centroids came to be, for the script's comment.
    final_inertia : float, optional
        With `final_centroids`: the inertia the page ended with, in the same comment.

    Returns
    -------
    str
        Python source, ending with a newline.

    Raises
    ------
    ValueError
        For the custom data set without points.
    """
    if params.dataset == P.CUSTOM:
        if points is None:
            raise ValueError("the data set 'your own points' needs points")
        points = np.asarray(points, dtype=np.float64).reshape(-1, 2)
        imports, data_code = _points_block(points)
        n_points = len(points)
    else:
        imports, data_code, n_points = "\n", _generated_points_code(params), params.n
    scale = (float(np.abs(points).max(initial=0.0)) if params.dataset == P.CUSTOM
             else _GENERATED_SCALE)
    xy_decimals = _decimals(scale, _XY_DIGITS)
    # The inertia is at most the points' squared distances across the data's box.
    inertia_decimals = _decimals(n_points * (2.0 * scale) ** 2, _INERTIA_DIGITS)
    about = (f"Seed {int(seed)}, attempt {int(attempt)} (0 is the run GO shows; RETRY number a "
             f"is attempt a). {_data_line(params, n_points)} K = {params.k}, start "
             f'"{params.init}", empty-cluster rule "{params.empty}", at most {params.max_iter} '
             f"iterations, tolerance {float(params.tol)!r}. Prints the final centroids, one "
             f'"x y" pair per line, cluster 0 first, as the page shows them, then the '
             f'inertia.')
    head = _SCRIPT_HEAD.substitute(
        seed=int(seed), attempt=int(attempt), about=textwrap.fill(about, 92),
        k_param=params.k, max_iter=params.max_iter, tol=repr(float(params.tol)),
        imports=imports, xy_decimals=xy_decimals, inertia_decimals=inertia_decimals)
    if start is None:
        init_code = choices.INITS[params.init].script
        if init_code is None:
            raise ValueError(f"the start {params.init!r} needs the starting centroids (start=)")
        run_code = _RUN_RNG + init_code
    else:
        rows = "".join(f"    [{x!r}, {y!r}],\n" for x, y in
                       np.asarray(start, dtype=np.float64).reshape(-1, 2).tolist())
        run_code = _GIVEN_START.substitute(why=start_why, key=list(rng_key), rows=rows) + _NEAREST
    script = head + data_code + run_code + choices.EMPTY_RULES[params.empty].script + _LLOYD
    if final_centroids is not None:
        rows = np.asarray(final_centroids, dtype=np.float64).reshape(-1, 2).tolist()
        lines = [f"{_rounded(x, xy_decimals)} {_rounded(y, xy_decimals)}" for x, y in rows]
        if final_inertia is not None:
            lines.append(f"inertia {_rounded(final_inertia, inertia_decimals)}")
        what = "these centroids" + (" and this inertia" if final_inertia is not None else "")
        script += (f"\n# The page ended with {what}, written as this script prints them:\n"
                   + "".join(f"#   {line}\n" for line in lines))
    return script


# --------------------------------------------------------------------------------------------
# Animated GIF
# --------------------------------------------------------------------------------------------

#: Above this many points a GIF shows a seeded random sample of them. Every recolouring redraws
#: all the markers (about 20 microseconds each natively, more in the page), and at 640 x 512
#: 5,000 markers already cover the clusters: 20,000 made a 10-iteration GIF take 3.6x as long
#: and look the same (benchmarks/bench_export.py). Typed points (5,000 at most) are never thinned.
GIF_MAX_POINTS = 5_000
# Browsers show a GIF frame delay under 2 centiseconds as 10 cs: every frame lasts >= 2 cs.
_MIN_DELAY_CS = 2
# Palette index kept free: it marks "unchanged from the previous frame" in delta frames.
_TRANSPARENT = 255


def _pixels(rgba: np.ndarray) -> np.ndarray:
    """An (h, w, 4) uint8 RGBA frame as (h, w) uint32, one number per pixel (red in the low
    byte): comparing and sorting pixels is then one operation each, not four."""
    return np.ascontiguousarray(rgba).view("<u4")[..., 0]


def _hex_rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))


class _Palette:
    """255 colours for every frame of a GIF, with the plot's flat colours kept exact.

    The category10 colours, the theme's unassigned grey, background and ink, white and black
    come first and unchanged; the rest are median-cut colours of reference frames
    (antialiased edges, text, region tints). Each pixel maps to its nearest palette colour, so
    the exact colours map to themselves.
    """

    def __init__(self, references: list[np.ndarray], theme: str = "light"):
        look = THEMES[theme]
        flat = [*CATEGORY10, look["unassigned"], look["face"], look["ink"], "#ffffff", "#000000"]
        exact = list(dict.fromkeys(_hex_rgb(c.lower()) for c in flat))  # each colour once
        sample = Image.fromarray(np.concatenate(references, axis=0))
        quantised = sample.quantize(colors=_TRANSPARENT - len(exact),
                                    method=Image.Quantize.MEDIANCUT)
        extra = np.array(quantised.getpalette()[: 3 * (_TRANSPARENT - len(exact))],
                         dtype=np.uint8).reshape(-1, 3)
        colours = np.concatenate([np.array(exact, dtype=np.uint8), extra])
        #: Index of the figure's background (what a viewer shows before frame 1).
        self.background = exact.index(_hex_rgb(look["face"].lower()))
        #: (256, 3) uint8: the GIF's colour table (the last entry is the transparent index).
        self.table = np.zeros((256, 3), dtype=np.uint8)
        self.table[: len(colours)] = colours
        self._colours = colours.astype(np.int32)

    def indices(self, pixels: np.ndarray) -> np.ndarray:
        """Palette index (uint8) of each pixel, same shape as `pixels` (uint32, see _pixels)."""
        unique, inverse = np.unique(pixels & 0xFFFFFF, return_inverse=True)  # alpha dropped
        rgb = np.column_stack([unique & 255, (unique >> 8) & 255, unique >> 16]).astype(np.int32)
        distance = ((rgb[:, None, :] - self._colours[None, :, :]) ** 2).sum(axis=-1)
        return distance.argmin(axis=1).astype(np.uint8)[inverse].reshape(pixels.shape)


def _bounding_box(mask: np.ndarray):
    """(rows, cols) slices of the smallest rectangle holding every True of `mask` (h, w), or
    None if there is none."""
    rows, cols = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
    if not len(rows):
        return None
    return slice(int(rows[0]), int(rows[-1]) + 1), slice(int(cols[0]), int(cols[-1]) + 1)


def _sample_points(points: np.ndarray, max_points: int, seed: int) -> np.ndarray:
    """Indices (sorted) of at most `max_points` points: a seeded random sample that keeps the
    leftmost, rightmost, lowest and highest points, so the plot's limits stay those of the
    whole set."""
    n = len(points)
    if n <= max_points:
        return np.arange(n)
    extremes = np.unique([points[:, 0].argmin(), points[:, 0].argmax(),
                          points[:, 1].argmin(), points[:, 1].argmax()])
    others = np.setdiff1d(np.arange(n), extremes, assume_unique=True)
    rng = np.random.default_rng(seed)
    picked = rng.choice(others, size=max_points - len(extremes), replace=False)
    return np.sort(np.concatenate([extremes, picked]))


class GifMaker:
    """An animated GIF of a whole recorded run, made one frame per step so that a page can
    show progress and give the browser a turn between frames.

    The frames follow `player.Timeline`: the initial centroids over grey points, each
    assignment held still, each centroid glide at `fps` frames per second, and the final
    clusters held for `end_seconds` before the GIF loops (forever). A picture that stays the
    same is one frame with a longer delay, not repeated frames, and each frame after the first
    stores only the rectangle that changed.

    Parameters
    ----------
    run : engine.Run
        The recorded run (``steps``, ``labels``, ``centroids``, ``n_iter``).
    points : array_like of shape (n, 2)
        The points the run clustered, data units.
    width_px, height_px : int
        Size of the GIF in pixels (16..4096).
    dpi : float
        Text and marker scale: 100 draws them at the page's CSS size.
    seconds_per_iteration : float
        Length of one Lloyd iteration (assign + glide), seconds, 0.1..20; the page's
        ``1 / speed``.
    init_seconds, end_seconds : float
        How long the starting centroids and the final clusters are shown, seconds (>= 0).
    fps : int
        Frames per second of the centroid glides, 1..30 (more would give frames shorter than
        browsers play).
    max_points : int
        Above this many points, the GIF shows a seeded random sample of `max_points` of them
        (see `thinned` and `note`).
    options : scene.Options or params.Params
        The drawing options (paths, regions, changed, links), as the page's check boxes set
        them: every frame draws what `scene.frame_scene` says, as the page and the PNG do.
    style : view.Style
        Theme and marker shapes, the page's.
    caption : bool
        Name the half-step in every frame ("half-step 3 of 9: update 1").
    seed : int
        Seed of the sample of points.

    Attributes
    ----------
    total : int
        Frames to draw (the progress denominator).
    done : int
        Frames drawn so far.
    points_total, points_shown : int
        Points in the run and points drawn in the GIF.
    thinned : bool
        True when the GIF shows a sample of the points.
    note : str
        Plain words for the page when thinned ("The GIF shows 5,000 of 1,000,000 points, a
        random sample."), else "".
    delays_ms : list of int
        Delay of each frame written (multiples of 10 ms), filled in as frames are written.
    result : bytes
        The GIF file, once `steps` has run to its end (or after `make`).
    last_rgba : ndarray of uint8, shape (height_px, width_px, 4)
        The last frame drawn (a copy), e.g. to check it or save it with `png_bytes`.
    """

    def __init__(self, run, points, *, width_px: int = 640, height_px: int = 512,
                 dpi: float = 100.0, seconds_per_iteration: float = 1.0,
                 init_seconds: float = 0.5, end_seconds: float = 2.0, fps: int = 12,
                 max_points: int = GIF_MAX_POINTS, options=Options(), style: Style = Style(),
                 caption: bool = True, seed: int = 0):
        if not (16 <= int(width_px) <= 4096 and 16 <= int(height_px) <= 4096):
            raise ValueError(f"GIF size must be 16..4096 pixels each way, got "
                             f"{width_px}x{height_px}")
        if not 1 <= int(fps) <= 30:
            raise ValueError(f"fps must be 1..30, got {fps}")
        if not 0.1 <= seconds_per_iteration <= 20:
            raise ValueError(f"seconds_per_iteration must be 0.1..20, got {seconds_per_iteration}")
        if not (init_seconds >= 0 and end_seconds >= 0):
            raise ValueError("init_seconds and end_seconds must be >= 0")
        if int(max_points) < 4:
            raise ValueError(f"max_points must be at least 4, got {max_points}")
        points = np.asarray(points, dtype=np.float64).reshape(-1, 2)
        self.run = run
        self.timeline = Timeline(run, seconds_per_iteration, init_seconds)
        self.fps = int(fps)
        self.end_seconds = float(end_seconds)
        self.options, self.caption = options, bool(caption)
        self._shown = _sample_points(points, int(max_points), seed)
        self.points_total, self.points_shown = len(points), len(self._shown)
        self.thinned = self.points_shown < self.points_total
        self.note = (f"The GIF shows {self.points_shown:,} of {self.points_total:,} points, "
                     "a random sample." if self.thinned else "")
        self._view = KMeansView(width_px, height_px, dpi, style=style)
        self._view.set_points(points[self._shown])
        self._frames = self._plan()
        self.total = len(self._frames)
        self.done = 0
        self.delays_ms: list[int] = []
        self.last_rgba: np.ndarray | None = None
        self._result: bytes | None = None

    # -- the plan: which picture, from when to when ---------------------------------------

    def _sample_times(self) -> list[tuple[float, float]]:
        """(from when, picture of when) in seconds: the picture may change at every
        half-step's start and `fps` times through each glide. Step i owns (start, end] on the
        timeline, so each piece shows the picture at its own end: a half-step's frame shows it
        complete, as the page does when paused there."""
        tl, times = self.timeline, []
        for i, step in enumerate(tl.steps):
            start, end = tl.step_start(i), tl.step_start(i + 1)
            if end - start <= 1e-9:
                continue
            glides = (step.kind == "update" and i > 0
                      and not np.array_equal(tl.steps[i - 1].centroids, step.centroids))
            count = max(1, math.ceil((end - start) * self.fps - 1e-9)) if glides else 1
            times.extend((start + (end - start) * j / count, start + (end - start) * (j + 1) / count)
                         for j in range(count))
        times.append((tl.duration, tl.duration))  # the final picture, held for end_seconds
        return times

    def scene_at(self, t: float) -> Scene:
        """What the frame at time t draws (the run playing, as the page would show it)."""
        return frame_scene(self.run, self.timeline.frame_at(t), self.options,
                           self.timeline.trails(t), caption=self.caption, playing=True)

    def _plan(self) -> list[tuple[Scene, int]]:
        """[(scene, delay in centiseconds)] with equal neighbours merged.

        Delays come from times rounded to whole centiseconds (GIF's unit), so the total stays
        within 5 ms of the timeline; a frame that would last under 2 cs is left out (its
        time goes to the frame before).
        """
        times = self._sample_times()
        ends_cs = [round(start * 100) for start, _ in times[1:]]
        ends_cs.append(round((self.timeline.duration + self.end_seconds) * 100))
        plan: list[list] = []
        start_cs = 0
        for (_, t), end_cs in zip(times, ends_cs):
            state = self.scene_at(t)
            if plan and (_same_scene(plan[-1][0], state) or end_cs - start_cs < _MIN_DELAY_CS):
                plan[-1][1] = end_cs - plan[-1][2]
            else:
                plan.append([state, end_cs - start_cs, start_cs])
            start_cs = end_cs
        return [(state, delay) for state, delay, _ in plan]

    # -- drawing and encoding -------------------------------------------------------------

    @property
    def scenes(self) -> list[Scene]:
        """The scene of each frame, in order (`total` of them)."""
        return [scene for scene, _ in self._frames]

    def _render(self, scene: Scene) -> np.ndarray:
        args = scene.render_args()
        # The points shown (all of them, or a sample): their labels and rings.
        args["labels"] = np.asarray(scene.labels)[self._shown]
        if scene.changed is not None:
            args["changed"] = scene.changed[self._shown]
        return self._view.render(**args).copy()

    def steps(self):
        """Draw and encode the frames one at a time.

        Yields
        ------
        (done, total) : tuple of int
            After each frame; `result` is set once the generator is exhausted.
        """
        if self._result is not None:
            return
        if self.done:
            raise RuntimeError("this GIF is being made already: use one steps() at a time")
        # The palette comes from the first and the last picture: between them they hold every
        # colour the run shows (grey points, every cluster, the region tints, the trails).
        first = self._render(self._frames[0][0])
        last = self._render(self._frames[-1][0])
        palette = _Palette([first[..., :3], last[..., :3]], self._view.style.theme)
        width, height = self._view.size
        out = io.BytesIO()
        out.write(_gif_header(width, height, palette.table, palette.background))
        previous = pending = None  # pending: the last frame, until its delay is known
        for state, delay in self._frames:
            rgba = self._render(state)
            pixels = _pixels(rgba)
            if previous is None:
                shown = palette.indices(pixels)  # palette index of every pixel on show
                pending = [shown.copy(), (0, 0), delay, False]
            else:
                changed = pixels != previous
                box = _bounding_box(changed)
                if box is None:  # drawn differently, looks the same: one longer frame
                    pending[2] += delay
                else:
                    self._write(out, *pending)
                    # Only the rectangle that changed is stored, and in it every pixel whose
                    # palette index stays is transparent (the frame below shows through):
                    # runs of one index compress far better than the picture would.
                    moved = changed[box]
                    index = palette.indices(pixels[box][moved])
                    delta = np.full(moved.shape, _TRANSPARENT, dtype=np.uint8)
                    delta[moved] = np.where(index == shown[box][moved], _TRANSPARENT, index)
                    shown[box][moved] = index
                    pending = [delta, (box[1].start, box[0].start), delay, True]
            previous = pixels
            self.last_rgba = rgba
            self.done += 1
            yield self.done, self.total
        self._write(out, *pending)
        out.write(b";")  # the GIF trailer
        self._result = out.getvalue()

    def _write(self, out, indices: np.ndarray, offset, delay_cs: int, transparent: bool) -> None:
        """Append one frame: palette indices (h, w) uint8 at offset (left, top), shown for
        delay_cs centiseconds on top of the previous frame."""
        self.delays_ms.append(10 * delay_cs)
        out.write(_gif_frame(indices, offset, delay_cs, transparent))

    @property
    def progress(self) -> float:
        """Fraction of the frames drawn, 0..1."""
        return self.done / self.total

    @property
    def result(self) -> bytes:
        if self._result is None:
            raise RuntimeError("the GIF is not made yet: run steps() to its end first")
        return self._result

    def make(self) -> bytes:
        """Draw every frame at once and return the GIF bytes."""
        for _ in self.steps():
            pass
        return self.result


def _same_scene(a: Scene, b: Scene) -> bool:
    """Do two scenes draw the same picture? (np.array_equal also answers for None.)"""
    return (a.empty == b.empty and a.links == b.links and a.caption == b.caption
            and all(np.array_equal(getattr(a, key), getattr(b, key))
                    for key in ("labels", "centroids", "trails", "regions", "changed")))


def _gif_header(width: int, height: int, table: np.ndarray, background: int) -> bytes:
    """GIF89a header: logical screen, a 256-colour global table and "loop forever"."""
    screen = (width.to_bytes(2, "little") + height.to_bytes(2, "little")
              # global table present, 8 bits per primary, 2 ** (7 + 1) entries
              + bytes([0b1111_0111, background, 0]))
    loop = b"!\xff\x0bNETSCAPE2.0\x03\x01" + (0).to_bytes(2, "little") + b"\x00"
    return b"GIF89a" + screen + table.astype(np.uint8).tobytes() + loop


def _gif_frame(indices: np.ndarray, offset, delay_cs: int, transparent: bool) -> bytes:
    """One GIF frame (control extension, image descriptor, LZW data) drawn over the previous
    frame ("do not dispose"), its transparent index letting the previous pixels show."""
    height, width = indices.shape
    image = Image.frombytes("P", (width, height), np.ascontiguousarray(indices).tobytes())
    options = {"duration": 10 * delay_cs, "disposal": 1}
    if transparent:
        options["transparency"] = _TRANSPARENT
    # Pillow's own frame writer (LZW-compressed data); the file around it is written here,
    # one frame at a time, so a page never waits for one long encoding at the end.
    return b"".join(GifImagePlugin.getdata(image, tuple(offset), **options))


def animated_gif(run, points, **options) -> bytes:
    """The GIF of a whole run in one call: ``GifMaker(run, points, **options).make()``.

    Parameters
    ----------
    run : engine.Run
    points : array_like of shape (n, 2)
    **options
        Keyword arguments of `GifMaker` (width_px, height_px, seconds_per_iteration, fps,
        max_points, options, style, caption, ...).

    Returns
    -------
    bytes
        An animated GIF that loops forever.
    """
    return GifMaker(run, points, **options).make()


# --------------------------------------------------------------------------------------------
# PNG
# --------------------------------------------------------------------------------------------


def png_bytes(rgba) -> bytes:
    """Encode a frame as PNG, e.g. ``KMeansView.render(...)`` at twice the screen size.

    Parameters
    ----------
    rgba : array_like of uint8, shape (height, width, 4)
        RGBA pixels, rows top to bottom (a view of the Agg buffer is fine: it is read once).

    Returns
    -------
    bytes
        The PNG file (RGBA, 8 bits per channel).

    Raises
    ------
    ValueError
        If the array is not (h, w, 4) uint8 with h, w >= 1.
    """
    rgba = np.asarray(rgba)
    if rgba.ndim != 3 or rgba.shape[2] != 4 or rgba.dtype != np.uint8 or 0 in rgba.shape:
        raise ValueError(f"expected an (h, w, 4) uint8 RGBA array, got {rgba.dtype} "
                         f"{rgba.shape}")
    out = io.BytesIO()
    Image.frombytes("RGBA", (rgba.shape[1], rgba.shape[0]),
                    np.ascontiguousarray(rgba).tobytes()).save(out, format="PNG")
    return out.getvalue()
