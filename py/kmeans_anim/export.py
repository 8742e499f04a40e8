"""Take a run away: the points as CSV, and a Python script that redoes the run.

Pure functions of the session's data (no browser): the page's glue calls them and hands the
result to a download or the clipboard. Imports numpy and the standard library.

Example
-------
>>> from kmeans_anim.params import Params
>>> from kmeans_anim.session import Session
>>> s = Session()
>>> run = s.go(Params(n=40, k=3, seed=7))
>>> csv_text = points_csv(s.points, run.labels, s.true_labels, run.centroids)
>>> csv_text.splitlines()[0], len(csv_text.splitlines())
('x,y,cluster,true_cluster,kind', 44)
>>> script = python_script(s.params, s.seed, s.attempt, final_centroids=run.centroids)
>>> "default_rng([SEED, 0])" in script
True
"""

from __future__ import annotations

import base64
import textwrap
import zlib
from string import Template

import numpy as np

from . import data
from . import params as P

__all__ = [
    "CSV_HEADER",
    "SCRIPT_PLAIN_POINTS",
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

_RUN_RNG = '''
# The run: attempt a starts from default_rng([SEED, 1, a]).
rng = np.random.default_rng([SEED, 1, ATTEMPT])
k = min(K, len(np.unique(X, axis=0)))  # the page lowers K to the number of different points


def nearest(C):
    """Each point's nearest centroid; an exact tie goes to the lowest index. (The page's faster
    arithmetic rounds differently: for a point exactly halfway between two centroids, e.g.
    on a grid of whole numbers, it may pick the other one, and the runs then part ways.)"""
    return ((X[:, None, :] - C[None, :, :]) ** 2).sum(axis=-1).argmin(axis=1)


'''

_FIRST_PICK = '''\
C0 = np.empty((k, 2))
C0[0] = X[rng.integers(0, len(X))]  # a random point first
closest_sq = ((X - C0[0]) ** 2).sum(axis=1)  # squared distance to the nearest pick so far
'''
_INITS = {
    "random": '''\
C0 = X[rng.choice(len(X), k, replace=False)]  # K different points, at random
''',
    "uniform": '''\
C0 = rng.uniform(X.min(axis=0), X.max(axis=0), size=(k, 2))  # anywhere in the data's box
''',
    "k-means++": _FIRST_PICK + '''\
for c in range(1, k):
    cumulative = np.cumsum(closest_sq)  # D² sampling: a point picked with odds ~ closest_sq
    best = np.searchsorted(cumulative, rng.random() * cumulative[-1], side="right")
    best = min(best, np.flatnonzero(closest_sq)[-1])  # in case rounding hit the total
    C0[c] = X[best]
    closest_sq = np.minimum(closest_sq, ((X - X[best]) ** 2).sum(axis=1))
''',
    "greedy-k-means++": _FIRST_PICK + '''\
trials = 2 + int(np.log(k))  # candidates per pick, as in scikit-learn
for c in range(1, k):
    cumulative = np.cumsum(closest_sq)  # D² sampling: candidates picked with odds ~ closest_sq
    candidates = np.searchsorted(cumulative, rng.random(trials) * cumulative[-1], side="right")
    candidates = np.minimum(candidates, np.flatnonzero(closest_sq)[-1])  # rounding hit the total
    cand_sq = np.minimum(closest_sq, ((X[None, :, :] - X[candidates][:, None, :]) ** 2).sum(-1))
    best = cand_sq.sum(axis=1).argmin()  # the candidate that leaves the smallest total
    C0[c] = X[candidates[best]]
    closest_sq = cand_sq[best]
''',
    "farthest": _FIRST_PICK + '''\
for c in range(1, k):
    far = closest_sq.argmax()  # the point farthest from all picks so far (first on ties)
    C0[c] = X[far]
    closest_sq = np.minimum(closest_sq, ((X - X[far]) ** 2).sum(axis=1))
''',
}

_UPDATES = {
    "keep": '''

def update(labels, C):
    """Each centroid moves to the mean of its points; one without points stays put."""
    new = C.copy()
    for j in np.unique(labels):
        new[j] = X[labels == j].mean(axis=0)
    return new
''',
    "random": '''

def update(labels, C):
    """Each centroid moves to the mean of its points; one without points, to a random point."""
    new = C.copy()
    for j in np.unique(labels):
        new[j] = X[labels == j].mean(axis=0)
    empty = np.setdiff1d(np.arange(len(C)), labels)
    if len(empty):
        new[empty] = X[rng.choice(len(X), size=len(empty), replace=False)]
    return new
''',
    "farthest": '''

def update(labels, C):
    """Each centroid moves to the mean of its points; one without points takes the point
    farthest from its own centroid, which leaves its cluster (scikit-learn's rule)."""
    counts = np.bincount(labels, minlength=len(C)).astype(float)
    sums = np.zeros_like(C)
    np.add.at(sums, labels, X)
    empty = np.flatnonzero(counts == 0)
    far_sq = ((X - C[labels]) ** 2).sum(axis=1)
    if len(empty) and far_sq.max() > 0:
        far = np.argpartition(far_sq, -len(empty))[: -len(empty) - 1 : -1]  # sklearn's order
        np.subtract.at(sums, labels[far], X[far])
        np.subtract.at(counts, labels[far], 1.0)
        sums[empty], counts[empty] = X[far], 1.0
    new = np.empty_like(C)
    filled = counts > 0
    new[filled] = sums[filled] / counts[filled, None]
    new[~filled] = new[counts.argmax()]  # still empty: the mean of the largest cluster
    return new
''',
}

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

for x, y in C.tolist():
    print(x, y)

# To compare with scikit-learn (not needed here): it runs the same Lloyd iterations from C0,
# with the same stopping rules; its empty-cluster rule is this script's "farthest".
#   from sklearn.cluster import KMeans
#   km = KMeans(k, init=C0, n_init=1, algorithm="lloyd", max_iter=MAX_ITER, tol=TOL).fit(X)
#   print(km.cluster_centers_)
'''


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
    return f'Data: "{P.DATASET_TITLES[params.dataset]}", {", ".join(parts)}.'


def python_script(params: P.Params, seed: int, attempt: int, points=None,
                  final_centroids=None) -> str:
    """A short, self-contained CPython script (numpy only) that redoes the page's run.

    It draws the same points from the seed as the page (``default_rng([seed, 0])`` and the
    data set's generator), or embeds the visitor's own points; picks the starting centroids
    and runs Lloyd's algorithm from ``default_rng([seed, 1, attempt])`` with the same rules as
    `engine.lloyd`; and prints the final centroids, one ``x y`` line per cluster in the page's
    order, with every digit (Python's repr). Only the code the chosen settings need is
    included: one generator, one initialisation, one empty-cluster rule.

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
        The centroids the page ended with, appended as a comment so that a reader can compare
        them with the printed ones.

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
    about = (f"Seed {int(seed)}, attempt {int(attempt)} (0 is the run GO shows; RETRY number a "
             f"is attempt a). {_data_line(params, n_points)} K = {params.k}, start "
             f'"{params.init}", empty-cluster rule "{params.empty}", at most {params.max_iter} '
             f"iterations, tolerance {float(params.tol)!r}. Prints the final centroids, one "
             f'"x y" pair per line, cluster 0 first, as the page shows them.')
    head = _SCRIPT_HEAD.substitute(
        seed=int(seed), attempt=int(attempt), about=textwrap.fill(about, 92),
        k_param=params.k, max_iter=params.max_iter, tol=repr(float(params.tol)),
        imports=imports)
    script = (head + data_code + _RUN_RNG + _INITS[params.init] + _UPDATES[params.empty]
              + _LLOYD)
    if final_centroids is not None:
        rows = np.asarray(final_centroids, dtype=np.float64).reshape(-1, 2).tolist()
        script += "\n# The page ended with these centroids:\n" + "".join(
            f"#   {x!r} {y!r}\n" for x, y in rows)
    return script
