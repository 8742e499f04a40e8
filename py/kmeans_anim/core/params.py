"""The page's parameters: one frozen dataclass, its limits, validation, URL query <-> params.

Every value that reaches the engine passes through :func:`validate`, which never raises: an
out-of-range number is clamped (and snapped to its slider step), a malformed one falls back to
the default, an unknown choice to the default choice, and each correction comes back as a
plain-words message for the page to show.

>>> p, notes = from_query("?n=2000000&k=4&std=abc")
>>> (p.n, p.k, p.std)
(1000000, 4, 0.8)
>>> notes[0]
'points: 2000000 is above the maximum 1000000; using 1000000.'
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

from . import choices, data, table
# The limits live in limits.py (standard library only: the build writes them into the page's
# HTML); they are re-exported here, where the parameters are looked up.
from .limits import OVERLAY_NAMES, OVERLAYS, POINTS_SLIDER, RANGES, SEED_MAX, Range  # noqa: F401


@dataclass(frozen=True)
class Params:
    """What GO and RETRY run with. Defaults are the notebook's."""

    n: int = 150                 # number of points
    k: int = 3                   # number of clusters K
    std: float = 0.8             # cluster standard deviation (data units)
    seed: int | None = None      # the seed of the points and the run; None: none chosen yet
    reseed: int = 1              # 1: GO draws a fresh seed; 0: GO keeps `seed` (same points)
    attempt: int = 0             # which start on these points: 0 for GO, +1 for each RETRY
    dataset: str = "blobs"       # a key of data.DATASETS
    centers: int = 0             # true clusters in the data; 0 = same as K (the notebook's rule)
    noise: float = 0.5           # noise for moons, rings and smiley (data units)
    init: str = "random"         # a key of choices.INITS
    empty: str = "keep"          # a key of choices.EMPTY_RULES
    max_iter: int = 10           # Lloyd iterations at most
    tol: float = 0.0             # centroid-shift tolerance relative to the data variance
    speed: float = 1.0           # animation speed: 1 = one Lloyd iteration per second
    # The overlays (limits.OVERLAYS declares them; tests/unit/test_limits.py checks these match).
    paths: int = 0               # 1: draw the path each centroid has travelled
    regions: int = 0             # 1: tint each centroid's region (the points nearest to it)
    changed: int = 1             # 1: ring the points that changed cluster at an assignment
    links: int = 0               # 1: a line from every point to its centroid
    shapes: int = 0              # 1: a marker shape per cluster too (colour-blind safe)
    theme: str = "auto"          # "auto" (the system's light or dark), "light" or "dark"
    # Your own table (issue 18; TABLE_FIELDS below): which two columns are the points, what
    # is done with rows that are not numbers, and the scale k-means measures distances in.
    x: str = ""                  # the column drawn across (a header name); "": the first numeric one
    y: str = ""                  # the column drawn up; "": the second numeric one
    skip: int = 0                # 1: rows whose x or y is not a number are left out; 0: named, refused
    scale: str = "none"          # a key of table.SCALES: "none", "z" (standardised) or "minmax"
    # Which start? How many clusters? (issue 17; web/teachpanel.py, core/teach.py)
    n_init: int = 10             # starts of "best of N" and of each K of the elbow
    best_of: int = 0             # N >= 1: the run is the best of attempts 0..N-1 (teach.best_of);
                                 # 0: it is one attempt (GO, a RETRY)


INT_FIELDS = {"n", "k", "seed", "reseed", "attempt", "centers", "max_iter", *OVERLAY_NAMES, "shapes",
              "n_init", "best_of"}
CUSTOM = "custom"  # the data set "your own points": typed or uploaded, not generated
THEMES = ("auto", "light", "dark")
#: Each menu the page fills (value -> title, in menu order) and the help text under it
#: (value -> plain words), from the registries data.DATASETS, choices.INITS and
#: choices.EMPTY_RULES. The "colours" menu (THEMES) is listed in the HTML.
TITLES: dict[str, dict[str, str]] = {
    "dataset": {**{name: spec.title for name, spec in data.DATASETS.items()},
                CUSTOM: "Your own points"},
    "init": {name: init.title for name, init in choices.INITS.items()},
    "empty": {name: rule.title for name, rule in choices.EMPTY_RULES.items()},
}
HELP: dict[str, dict[str, str]] = {
    "dataset": {**{name: spec.help for name, spec in data.DATASETS.items()},
                CUSTOM: "Type or paste one point per line as x,y (or upload a CSV file). "
                        "Blank lines and lines starting with # are ignored."},
    "init": {name: init.help for name, init in choices.INITS.items()},
    "empty": {name: rule.help for name, rule in choices.EMPTY_RULES.items()},
}
#: The values each choice accepts, with its label for messages.
CHOICES: dict[str, tuple[str, tuple[str, ...]]] = {
    "dataset": ("data set", tuple(TITLES["dataset"])),
    "init": ("initialisation", tuple(choices.INITS)),
    "empty": ("empty-cluster rule", tuple(choices.EMPTY_RULES)),
    "theme": ("colours", THEMES),
}
DEFAULTS = Params()

# ---------------------------------------------------------------- your own table (issue 18)
#: The table fields: which columns of your own table are the points (x, y: column names,
#: "" for the first two numeric ones), whether bad rows are skipped (0/1), the scale.
TABLE_FIELDS = ("x", "y", "skip", "scale")
#: Column names longer than this are cut (a name is a header cell, not a document).
MAX_COLUMN_NAME = 100
TITLES["scale"] = {name: title for name, (title, _) in table.SCALES.items()}
HELP["scale"] = {name: words for name, (_, words) in table.SCALES.items()}
CHOICES["scale"] = ("scale", tuple(table.SCALES))


def _validate_table(raw: dict[str, object], values: dict[str, object], notes: list[str]) -> None:
    """The x, y and skip fields of `raw` into `values` (scale is a choice, checked with the
    others): a column name is kept as given (stripped, cut to MAX_COLUMN_NAME characters);
    skip is 0 or 1, anything else clamped to the nearer (a non-number: 0). Corrections go to
    `notes`."""
    for name in ("x", "y"):
        text = "" if raw.get(name) is None else str(raw[name]).strip()
        if len(text) > MAX_COLUMN_NAME:
            notes.append(f"{name} column: a name of {len(text):,} characters is too long; "
                         f"using its first {MAX_COLUMN_NAME}.")
            text = text[:MAX_COLUMN_NAME]
        if text:
            values[name] = text
    if raw.get("skip") in (None, ""):
        return
    text = str(raw["skip"]).strip()
    try:
        number = float(text)
        if number != number:
            raise ValueError
    except ValueError:
        notes.append(f"skip rows: {text[:40]!r} is not 0 or 1; using 0.")
        return
    fixed = 1 if number >= 0.5 else 0
    if number != fixed:
        notes.append(f"skip rows: {format_number(number) if math.isfinite(number) else text[:40]}"
                     f" is not 0 or 1; using {fixed}.")
    values["skip"] = fixed
# ---------------------------------------------------------------- (end of your own table)


def format_number(x: float) -> str:
    """Shortest plain form of a number, as controls and URLs show it: 0.8, 150, 1e-05; whole
    numbers in full up to 16 digits (a seed such as 4294967295 is shown as typed)."""
    if abs(x) < 1e16 and x == int(x):
        return str(int(x))
    return f"{x:g}"


def validate(raw: dict[str, object]) -> tuple[Params, list[str]]:
    """Build Params from loosely typed values (strings from the URL or the DOM).

    Unknown keys are ignored; missing keys take the default. Returns the params and the list of
    corrections made, in plain words. Never raises.
    """
    values: dict[str, object] = {}
    notes: list[str] = []
    for name, rng in RANGES.items():
        if name not in raw or raw[name] in (None, ""):
            continue
        text = str(raw[name]).strip()
        try:
            number = float(text)
            # A number written in digits beyond float range (1e400) reads as infinity: it is
            # clamped like any huge number. The words inf, infinity and nan are not numbers.
            if number != number or (math.isinf(number) and not any(c.isdigit() for c in text)):
                raise ValueError
        except ValueError:
            default = getattr(DEFAULTS, name)
            shown = "a random seed" if default is None else format_number(default)
            notes.append(f"{rng.label}: {text[:40]!r} is not a number; using {shown}.")
            continue
        fixed = rng.snap(number)
        shown = format_number(number) if math.isfinite(number) else text[:40]
        if number > rng.hi:
            notes.append(f"{rng.label}: {shown} is above the maximum {format_number(rng.hi)}; using {format_number(fixed)}.")
        elif number < rng.lo:
            notes.append(f"{rng.label}: {shown} is below the minimum {format_number(rng.lo)}; using {format_number(fixed)}.")
        elif abs(fixed - number) > 1e-9:
            notes.append(f"{rng.label}: {format_number(number)} is not a multiple of {format_number(rng.step)}; using {format_number(fixed)}.")
        values[name] = int(round(fixed)) if name in INT_FIELDS else float(fixed)
    for name, (label, options) in CHOICES.items():
        if name not in raw or raw[name] in (None, ""):
            continue
        text = str(raw[name]).strip()
        if text in options:
            values[name] = text
        else:
            notes.append(f"{label}: {text[:40]!r} is not one of {', '.join(options)}; "
                         f"using {getattr(DEFAULTS, name)}.")
    _validate_table(raw, values, notes)
    if "reseed" not in values:
        # A link with a seed shows those points: GO keeps them unless the link says otherwise.
        values["reseed"] = int(values.get("seed") is None)
    elif values.get("seed") is None:
        values["reseed"] = 1  # no seed to keep
    return dataclasses.replace(DEFAULTS, **values), notes


def from_query(query: str) -> tuple[Params, list[str]]:
    """Params from a URL query string such as ``"?n=200&k=4&seed=7"``."""
    pairs = parse_qsl(query.lstrip("?"), keep_blank_values=True)
    given: dict[str, list[str]] = {}
    for name, value in pairs:
        given.setdefault(name, []).append(value)
    # A key given twice (?k=3&k=7): the last one counts, and the dropped ones are said.
    repeated = [repeated_note(name, values) for name, values in given.items()
                if len(values) > 1 and (name in RANGES or name in CHOICES or name in TABLE_FIELDS)]
    params, notes = validate({name: values[-1] for name, values in given.items()})
    return params, repeated + notes


def repeated_note(name: str, values: list[str]) -> str:
    """The note for a key the address gives more than once; the last value is used.

    >>> repeated_note("k", ["3", "7"])
    'K: given 2 times in the address; using the last, 7, and dropping 3.'
    """
    label = (RANGES[name].label if name in RANGES else CHOICES[name][0] if name in CHOICES
             else f"{name} column" if name in ("x", "y") else "skip rows")
    shown = [value.strip()[:40] or "an empty value" for value in values]
    return (f"{label}: given {len(values)} times in the address; using the last, {shown[-1]}, "
            f"and dropping {' and '.join(shown[:-1])}.")


def to_query(params: Params) -> str:
    """The shortest query string (with leading ``?``, or ``""``) that reproduces `params`."""
    changed = {f.name: getattr(params, f.name) for f in dataclasses.fields(params)
               if getattr(params, f.name) != getattr(DEFAULTS, f.name)}
    # reseed's default follows the seed (see validate): say it only when it differs from that.
    changed.pop("reseed", None)
    if params.reseed != int(params.seed is None):
        changed["reseed"] = params.reseed
    if not changed:
        return ""
    return "?" + urlencode({k: format_number(v) if isinstance(v, float) else v for k, v in changed.items()})


#: The parameters that make the points (with the seed): RETRY keeps the points, so it keeps
#: these too.
DATA_FIELDS = ("dataset", "n", "std", "centers", "noise", "seed", *TABLE_FIELDS)
#: The parameters of a run: its points, what GO or RETRY computed it with, and which attempt it
#: is. The others (speed, drawing options, colours, reseed) only say how a run is shown or what
#: the next GO does, and apply at once.
RUN_FIELDS = (*DATA_FIELDS, "k", "init", "empty", "max_iter", "tol", "attempt", "best_of")


def link_params(run: Params, settings: Params) -> Params:
    """What a link to the run on screen carries: the run fields of `run` (the params the run
    was made with, seed and attempt included) and the rest of `settings` (the controls: how
    the run is shown now).

    >>> link_params(Params(k=4, seed=7), Params(k=6, seed=7, speed=2.0)) == Params(k=4, seed=7, speed=2.0)
    True
    """
    return dataclasses.replace(settings, **{name: getattr(run, name) for name in RUN_FIELDS})


def changed_since(run: Params, settings: Params) -> list[str]:
    """The run fields that `settings` (the controls) changed since `run`, in RUN_FIELDS order:
    what the next GO would run differently. The seed counts only when GO uses it (reseed off:
    with reseed on, GO draws a fresh seed whatever the field shows); the attempt (and the best of N it was
    chosen from) is not a control.

    >>> changed_since(Params(k=4, seed=7), Params(k=6, n=200, seed=7))
    ['n', 'k']
    """
    return [name for name in RUN_FIELDS
            if name not in ("attempt", "best_of") and (name != "seed" or not settings.reseed)
            and getattr(run, name) != getattr(settings, name)]


def uses(params: Params) -> set[str]:
    """Which of the data parameters ("n", "centers", "std", "noise") the data set listens to."""
    if params.dataset == CUSTOM or data.DATASETS[params.dataset].example is not None:
        return set()  # (real data: as many points as it has)
    return {"n", *data.DATASETS[params.dataset].params}


def true_centers(params: Params) -> int:
    """Number of true clusters the data is drawn with (0 means: follow K)."""
    return params.centers or params.k


def as_dict(params: Params) -> dict[str, object]:
    return dataclasses.asdict(params)


# --------------------------------------------------------------------------------------------
# The race (issue 17): 2 to 4 starts side by side on the same points, named by the address as
# ``?race=random,k-means%2B%2B`` beside the usual parameters (seed, K, ...). Not a Params field:
# a race is a way of showing runs, each racer's run is the single run of its start (`init`).
# --------------------------------------------------------------------------------------------

RACE_KEY = "race"
#: How many starts a race holds: side by side needs two, a 2 x 2 grid holds four.
RACE_MIN, RACE_MAX = 2, 4
#: The starts that can race: every initialisation the engine draws ("place by hand" waits for
#: clicks, one run at a time).
RACE_INITS = tuple(name for name in choices.INITS if name != choices.MANUAL)
#: The race the page's "race" button opens: the notebook's start against the usual better one.
RACE_DEFAULT = ("random", "k-means++")


def _race_name(text: str) -> str | None:
    """The initialisation a name in a race address means, or None. Lenient where a hand-typed
    link differs: case, and "+" read as a space by query decoding (``k-means++`` unescaped)."""
    for candidate in (text, text.replace(" ", "+")):
        candidate = candidate.strip().lower()
        if candidate in choices.INITS:
            return candidate
    return None


def parse_race(text: str) -> tuple[tuple[str, ...], list[str]]:
    """The starts of a race from its address value (comma-separated initialisation names) and
    the corrections made, in plain words. Never raises. Unknown names, "place by hand" and
    repeats are left out, starts beyond RACE_MAX dropped; fewer than RACE_MIN starts left means
    no race (an empty tuple).

    >>> parse_race("random,k-means++")
    (('random', 'k-means++'), [])
    >>> names, notes = parse_race("random,kmeans,farthest")
    >>> names, notes[0]
    (('random', 'farthest'), "race: 'kmeans' is not an initialisation (random, k-means++, greedy-k-means++, farthest, uniform); left out.")
    """
    names: list[str] = []
    notes: list[str] = []
    for raw in str(text).split(","):
        if not raw.strip():
            continue
        name = _race_name(raw)
        if name is None:
            notes.append(f"race: {raw.strip()[:40]!r} is not an initialisation "
                         f"({', '.join(RACE_INITS)}); left out.")
        elif name == choices.MANUAL:
            notes.append("race: place by hand cannot race (its centroids are clicked in, "
                         "one run at a time); left out.")
        elif name in names:
            notes.append(f"race: {name} is named twice; it races once.")
        else:
            names.append(name)
    if len(names) > RACE_MAX:
        notes.append(f"race: at most {RACE_MAX} starts race at once; dropping "
                     f"{', '.join(names[RACE_MAX:])}.")
        names = names[:RACE_MAX]
    if len(names) < RACE_MIN:
        notes.append(f"race: a race needs {RACE_MIN} to {RACE_MAX} different starts "
                     f"(for example race=random,k-means%2B%2B); showing the single view.")
        names = []
    return tuple(names), notes


def race_from_query(query: str) -> tuple[tuple[str, ...], list[str]]:
    """The race an address names (``()``: none) and the corrections made. A race given twice
    counts the last one, as every key does."""
    values = [value for name, value in parse_qsl(query.lstrip("?"), keep_blank_values=True)
              if name == RACE_KEY]
    if not values:
        return (), []
    names, notes = parse_race(values[-1])
    if len(values) > 1:
        notes.insert(0, f"race: given {len(values)} times in the address; using the last, "
                        f"{values[-1].strip()[:40] or 'an empty value'}.")
    return names, notes


def race_query(params: Params, names) -> str:
    """The address of a race: `to_query(params)` with ``race=`` the starts, commas kept
    readable (``?seed=7&race=random,k-means%2B%2B``); just `to_query(params)` without a race.

    >>> race_query(Params(seed=7, reseed=0), ("random", "k-means++"))
    '?seed=7&race=random,k-means%2B%2B'
    """
    query = to_query(params)
    if not names:
        return query
    from urllib.parse import quote
    race = ",".join(quote(name, safe="") for name in names)
    return f"{query}&{RACE_KEY}={race}" if query else f"?{RACE_KEY}={race}"
