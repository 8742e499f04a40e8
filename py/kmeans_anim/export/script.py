"""Copy as Python: a script that redoes the run in CPython with numpy only.

A pure function of the session's data (no browser): the page's glue puts the text on the
clipboard. Imports numpy and the standard library only; the visitor's own points are written
as the CSV's x,y lines (`csv_file`).

Example
-------
>>> from kmeans_anim.core.params import Params
>>> from kmeans_anim.core.session import Session
>>> s = Session()
>>> run = s.go(Params(n=40, k=3, seed=7))
>>> script = python_script(s.params, s.seed, s.attempt, final_centroids=run.centroids)
>>> "default_rng([SEED, 0])" in script
True
"""

from __future__ import annotations

import base64
import math
import textwrap
import zlib
from string import Template

import numpy as np

from ..core import choices, data, table
from ..core import params as P
from .csv_file import _xy_rows

__all__ = ["SCRIPT_PLAIN_POINTS", "python_script"]


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

_EVEN_SIZES = '''\
sizes = np.full(m, n // m)  # as even as possible: the first n % m blobs get one more
sizes[: n % m] += 1'''
_POINTS_RNG = '''\
# The points come from default_rng([SEED, 0]), as the page draws them.
rng = np.random.default_rng([SEED, 0])
'''


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
'''

_PRINT = '''

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


# Best of N: the start and Lloyd's iterations above, as a function of the attempt, run for
# attempts 0..N-1; the lowest final inertia is kept (issue 17, teach.best_of).
_BEST_OF_HEAD = Template('''
BEST_OF = $best_of  # starts: attempts 0..BEST_OF-1, the lowest final inertia kept


def start(ATTEMPT):
    """Attempt ATTEMPT from its own generator: (final centroids, labels, inertia)."""
''')
_BEST_OF_TAIL = '''    return C, labels, float(((X - C[labels]) ** 2).sum())


# As the page and scikit-learn's KMeans(n_init=BEST_OF) choose: the first start, replaced only
# by a later one with a strictly lower inertia that is not the same clustering relabelled.
def same_clustering(a, b):
    return len(np.unique(a * (b.max() + 1) + b)) == len(np.unique(a))


results = [start(attempt) for attempt in range(BEST_OF)]
best = 0
for attempt, (_, labels, inertia) in enumerate(results):
    if inertia < results[best][2] and not same_clustering(labels, results[best][1]):
        best = attempt
C, labels, _ = results[best]
print("best of", BEST_OF, "starts: attempt", best)
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


def _points_block(points: np.ndarray, whose: str = "Your own") -> tuple[str, str]:
    """(imports, code) that define X as the visitor's points (or an example's rows),
    exactly."""
    lines = _xy_rows(points, ["\n"], np.zeros(len(points), dtype=np.intp))
    count = f"{len(points)} point{'s' * (len(points) != 1)}"
    if len(points) <= SCRIPT_PLAIN_POINTS:
        return "import io\n\n", (
            f"# {whose} {count}, one x,y per line (every digit kept: the same floats).\n"
            f'POINTS = """\n{lines}"""\n'
            'X = np.loadtxt(io.StringIO(POINTS), delimiter=",").reshape(-1, 2)\n')
    # Level 6: as small as level 9 for such text, in a third of the time.
    packed = base64.b64encode(zlib.compress(lines.encode("ascii"), 6)).decode("ascii")
    wrapped = "\n".join(packed[i:i + 76] for i in range(0, len(packed), 76))
    return "import base64\nimport io\nimport zlib\n\n", (
        f"# {whose} {count}, one x,y per line as in a CSV file, embedded compressed\n"
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
    return _POINTS_RNG + Template(data.DATASETS[name].script).substitute(values)


def _scale_code(scale: str) -> str:
    """Code that scales X as the page scaled your own points before k-means ("" for none)."""
    if scale == "none":
        return ""
    return (f"# Scaled {table.SCALES[scale][0]}, as the page scaled them: k-means measures "
            "distances.\n" + table.SCALE_CODE[scale])


def _data_line(params: P.Params, n_points: int, columns=None) -> str:
    spec = data.DATASETS.get(params.dataset)
    if spec is not None and spec.example is not None:
        return (f'Data: "{spec.title}", {n_points} rows, columns {columns[0]} and {columns[1]}, '
                f"embedded below. Source: {spec.example.source}")
    if params.dataset == P.CUSTOM:
        named = "" if columns is None else f" (columns {columns[0]} and {columns[1]})"
        scaled = "" if params.scale == "none" else f", scaled {table.SCALES[params.scale][0]}"
        return f"Data: your own {n_points} points{named}, embedded below{scaled}."
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
                  start_why: str = "placed by hand", final_inertia=None, columns=None,
                  best_of: int = 0) -> str:
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
        The visitor's own points as they were read (not scaled: the script scales them as
        ``params.scale`` says, with `table.SCALE_CODE`); required when
        ``params.dataset == "custom"``, ignored otherwise. Up to `SCRIPT_PLAIN_POINTS` they
        are listed as text; more are embedded compressed.
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
    columns : (str, str), optional
        The names of your own points' columns, said in the script's docstring.
    best_of : int
        N >= 1: the run is the best of attempts 0..N-1 (`teach.best_of`; `attempt` is the
        best): the script runs them all and keeps the best, as the page did. Not with `start`.

    Returns
    -------
    str
        Python source, ending with a newline.

    Raises
    ------
    ValueError
        For the custom data set without points.
    """
    example = None if params.dataset == P.CUSTOM else data.DATASETS[params.dataset].example
    if example is not None:  # real data: its rows are embedded, as your own points are
        points, _ = data.generate(params.dataset, 1, np.random.default_rng(0),
                                  columns=(params.x, params.y))
        columns = tuple(example.columns[j] for j in data.example_columns(
            example, (params.x, params.y)))
        imports, data_code = _points_block(points, "The data set's")
        n_points = len(points)
    elif params.dataset == P.CUSTOM:
        if points is None:
            raise ValueError("the data set 'your own points' needs points")
        points = np.asarray(points, dtype=np.float64).reshape(-1, 2)
        imports, data_code = _points_block(points)
        data_code += _scale_code(params.scale)
        n_points = len(points)
    else:
        imports, data_code, n_points = "\n", _generated_points_code(params), params.n
    scale = (float(np.abs(table.scaled(points, params.scale)).max(initial=0.0))
             if params.dataset == P.CUSTOM
             else float(np.abs(points).max()) if example is not None else _GENERATED_SCALE)
    xy_decimals = _decimals(scale, _XY_DIGITS)
    # The inertia is at most the points' squared distances across the data's box.
    inertia_decimals = _decimals(n_points * (2.0 * scale) ** 2, _INERTIA_DIGITS)
    about = (f"Seed {int(seed)}, attempt {int(attempt)} (0 is the run GO shows; RETRY number a "
             f"is attempt a). {_data_line(params, n_points, columns)} K = {params.k}, start "
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
    run_code += choices.EMPTY_RULES[params.empty].script + _LLOYD
    if best_of and start is None:
        body = textwrap.indent(run_code, "    ").replace("\n    \n", "\n\n")
        run_code = (_BEST_OF_HEAD.substitute(best_of=int(best_of)) + body
                    + _BEST_OF_TAIL)
    script = head + data_code + run_code + _PRINT
    if final_centroids is not None:
        rows = np.asarray(final_centroids, dtype=np.float64).reshape(-1, 2).tolist()
        lines = [f"{_rounded(x, xy_decimals)} {_rounded(y, xy_decimals)}" for x, y in rows]
        if final_inertia is not None:
            lines.append(f"inertia {_rounded(final_inertia, inertia_decimals)}")
        what = "these centroids" + (" and this inertia" if final_inertia is not None else "")
        script += (f"\n# The page ended with {what}, written as this script prints them:\n"
                   + "".join(f"#   {line}\n" for line in lines))
    return script
