"""What the page says, in plain words: the status line for each half-step, the end of a run,
and notes about a run. Pure functions of the recorded steps and the parameters (no DOM), so
every sentence is tested in CPython.

>>> from kmeans_anim.core.params import Params
>>> plural(1, "point"), plural(3, "iteration")
('1 point', '3 iterations')
>>> cluster_name(3)
'cluster 4 (red)'
"""

from __future__ import annotations

import numpy as np

from ..core.choices import EMPTY_RULES, INITS

__all__ = [
    "COLOUR_NAMES",
    "plural", "cluster_name", "describe_step", "summary", "k_lowered",
    "half_step_name", "half_step_label", "step_buttons", "centroid_at", "plot_description",
    "describe_pick", "chance",
    "placing_hint", "too_few_points", "storage_full", "points_kept",
]

#: Names of the category10 colours, in palette order (cluster i is COLOUR_NAMES[i % 10]).
COLOUR_NAMES = ("blue", "orange", "green", "red", "purple", "brown", "pink", "grey", "olive", "cyan")


def plural(count: int, noun: str) -> str:
    """'1 point', '2 points' (nouns here take a plain -s)."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def cluster_name(index: int) -> str:
    """How the page names cluster `index` (0-based): counted from 1, with its colour."""
    return f"cluster {index + 1} ({COLOUR_NAMES[index % len(COLOUR_NAMES)]})"


def inertia_value(inertia: float) -> str:
    """The inertia beside the chart, written as the teaching panel writes it (inertia_words)."""
    return f"inertia {inertia_words(inertia)}"


def _empty_clause(empty, rule: str | None) -> str:
    """' · cluster 2 (orange) has no points: its centroid stays where it was', or ''."""
    if not empty:
        return ""
    names = " and ".join(cluster_name(j) for j in empty)
    verb = "has" if len(empty) == 1 else "have"
    if rule is None:  # the assignment half-step: the rule acts at the update
        return f" · {names} {verb} no points"
    done = EMPTY_RULES[rule].done.replace("its centroid", "its centroid" if len(empty) == 1 else "each one's centroid")
    return f" · {names} {verb} no points: {done}"


def describe_step(step, init: str, empty_rule: str, first_assignment: bool) -> str:
    """One line for a teacher: what the half-step on screen did.

    Parameters
    ----------
    step : engine.Step
        ``kind`` ("init", "pick", "assign", "update" or "move"), ``centroids`` (k, 2), ``inertia``,
        ``changed`` and ``empty`` (clusters without points; may be absent).
    init : str
        The initialisation used (a key of choices.INITS).
    empty_rule : str
        The empty-cluster rule in force (a key of choices.EMPTY_RULES).
    first_assignment : bool
        True for the run's first assignment, where every point gets its first cluster.
    """
    empty = tuple(getattr(step, "empty", ()) or ())
    if step.kind == "pick":
        return describe_pick(step)
    if step.kind == "init":
        return f"start: {plural(len(step.centroids), 'centroid')} {INITS[init].phrase}"
    if step.kind == "move":
        return f"a centroid was moved by hand · inertia {step.inertia:.2f}"
    if step.kind == "assign":
        what = ("first assignment: every point joins its nearest centroid" if first_assignment
                else f"assignment: {plural(step.changed, 'point')} changed cluster")
        return f"{what}{_empty_clause(empty, None)} · inertia {step.inertia:.2f}"
    return (f"update: centroids move to their clusters' means{_empty_clause(empty, empty_rule)}"
            f" · inertia {step.inertia:.2f}")


def chance(p: float) -> str:
    """A probability in plain digits, two significant ones: '0.083', '0.002', '0.000012', '1'.

    >>> chance(1 / 12), chance(1 / 500), chance(1.2e-5), chance(1.0)
    ('0.083', '0.002', '0.000012', '1')
    """
    return np.format_float_positional(float(p), precision=2, unique=True, fractional=False,
                                      trim="-")


def _number(x: float) -> str:
    """'3.14', '652', '13,091': three significant digits, or whole with thousands marked."""
    return f"{x:,.0f}" if 1e3 <= abs(x) < 1e15 else f"{x:.3g}"


def describe_pick(step) -> str:
    """The status line at a pick of a seeding rule (a `session.PickStep`): which pick, and
    why this point: its chance (k-means++), the candidate that won (greedy k-means++) or its
    distance (farthest point).

    `step.pick` is a `teach.InitStep` (``method``, ``number`` 0-based, ``index``, ``n``,
    ``d2``, ``probability``, ``candidates``, ``potentials``, ``fallback``); `step.of` is K.
    """
    pick = step.pick
    head = f"pick {pick.number + 1} of {step.of}"
    if pick.number == 0:
        return (f"{head}: a point at random (each of the {plural(pick.n, 'point')} with "
                f"probability {chance(1 / pick.n)})")
    if pick.fallback:
        if pick.method == "farthest":
            return (f"{head}: every point sits on a centroid already, so the first point that "
                    f"differs from them")
        return f"{head}: every point sits on a centroid already, so a point at random"
    d2 = pick.d2
    if pick.method == "farthest":
        return (f"{head}: the farthest point from the centroids so far, at distance "
                f"{_number(np.sqrt(d2[pick.index]))}")
    p = chance(pick.probability[pick.index])
    if pick.method == "greedy-k-means++":
        won = pick.candidates.index(pick.index)
        others = ", ".join(_number(v) for j, v in enumerate(pick.potentials) if j != won)
        return (f"{head}: {len(pick.candidates)} candidates drawn by their squared distance "
                f"(ringed); candidate {won + 1} (drawn with probability {p}) wins: it leaves "
                f"the smallest sum of squared distances, {_number(pick.potentials[won])} "
                f"(others: {others})")
    return (f"{head}: picked with probability {p}, its squared distance to the nearest "
            f"centroid over their sum ({_number(d2[pick.index])} / {_number(d2.sum())}); "
            f"bolder points were likelier")


def summary(stop_reason: str, max_iter: int, inertia: float, seed: int | None,
            attempt: int = 0, tol: float = 0.0, moved: bool = False) -> str:
    """The status line at the end of a run: why it stopped, its inertia, and how to see it again.

    `moved`: a centroid was moved by hand during the run; the maximum number of iterations then
    counts from the last move (each move starts Lloyd's algorithm afresh), while the run's
    iteration counter goes on from where the move happened.
    """
    since = " since the last hand move" if moved else ""
    why = {"converged": "converged: no point changed cluster",
           "tol": ("stopped: the centroids moved less than the tolerance" if tol > 0
                   else "stopped: no centroid moved"),
           "max_iter": f"stopped after {plural(max_iter, 'iteration')}{since}, the maximum"}[stop_reason]
    again = "" if seed is None else f" · seed {seed}" + (f", retry {attempt}" if attempt else "")
    return f"{why} · inertia {inertia:.2f}{again}"


def k_lowered(asked: int, distinct: int) -> str:
    """Note shown when K had to be lowered because there are fewer distinct points than K."""
    return (f"K lowered from {asked} to {distinct}: the points hold only {distinct} different "
            f"positions, and each centroid needs its own.")


def too_few_points(count: int) -> str:
    """What GO says with "your own points" and fewer than 2 of them: how to add some.

    >>> too_few_points(1)[:43]
    'You have 1 point: k-means needs at least 2.'
    """
    have = "no points yet" if count == 0 else plural(count, "point")
    return (f"You have {have}: k-means needs at least 2. Add them by clicking on the plot, by "
            f"typing or pasting x,y lines in the box under More settings, or by uploading a CSV "
            f"file there; then press GO.")


#: Characters a browser keeps per site in localStorage (or sessionStorage), about: 5 MiB of
#: UTF-16 in Chromium and Firefox, keys counted.
STORAGE_CHARS = 5_242_880


def storage_full(needed: int, others: int) -> str:
    """Why `needed` characters could not be stored when other data of the site takes `others`
    (the page's own older copy already removed): the data already there, or the text's length.

    >>> storage_full(117, 5_242_700)
    "the browser's storage for this site is already full (5,242,700 characters of other data), so even 117 more do not fit"
    """
    if others >= needed:
        return (f"the browser's storage for this site is already full ({others:,} characters of "
                f"other data), so even {needed:,} more do not fit")
    return (f"too long for this browser's storage ({needed:,} characters; it keeps about "
            f"{STORAGE_CHARS / 1e6:.0f} million for this site)")


def points_kept(next_visit: str | None, reload: str | None, upload: bool = False) -> str:
    """Whether your own points are kept, after a save to localStorage (for the next visit) and
    to sessionStorage (for a reload of this tab): `next_visit` and `reload` are the problems
    (None: kept). `upload`: the points came from a file (a reload that lost them would ask for it
    again).

    >>> points_kept(None, None)
    'kept for your next visit'
    """
    if next_visit is None:
        return "kept for your next visit"
    if reload is None:
        return f"kept if you reload this tab, but not for your next visit: {next_visit}"
    again = "will ask for the file again" if upload else "will not bring them back"
    return f"not kept for your next visit, nor for a reload: {next_visit}; a reload {again}"


# ------------------------------------------------------------------ the half-step on screen

#: What pressing step ▶ does next, by the kind of the half-step it goes to.
_FORWARD = {"assign": "recolour points", "update": "move centroids", "move": "redo the hand move",
            "pick": "pick a centroid"}
#: What pressing ◀ step undoes, by the kind of the half-step on screen.
_BACK = {"assign": "undo recolour", "update": "undo move", "move": "undo hand move",
         "pick": "undo pick"}


def half_step_name(step) -> str:
    """'start', 'pick 2 of 4', 'moved by hand', 'assignment 2' or 'update 2' for a recorded
    step."""
    if step.kind == "pick":
        return f"pick {step.pick.number + 1} of {step.of}"
    return {"init": "start", "move": "moved by hand", "assign": f"assignment {step.iteration}",
            "update": f"update {step.iteration}"}[step.kind]


def half_step_label(index: int, steps, finished: bool, moving: bool = False) -> str:
    """The scrubber's label (and its aria-valuetext): 'half-step 3 of 7: update 1'.

    `index` is the half-step on screen in `steps`; `finished` False says the total is still
    growing ('of 7 so far'); `moving` True (paused mid-glide) adds ', moving'.
    """
    total = f"{len(steps)}" if finished else f"{len(steps)} so far"
    what = half_step_name(steps[index]) + (", moving" if moving else "")
    return f"half-step {index + 1} of {total}: {what}"


def step_buttons(steps, index: int, moving: bool, finished: bool) -> tuple[str, str]:
    """(◀ text, ▶ text): what each step button does from half-step `index` of `steps`.

    ▶ completes a glide under way ('move centroids'), else shows the next half-step; ◀ undoes
    the half-step on screen. At either end the button says there is nothing that way.
    """
    current = steps[index].kind
    back = "◀ " + (_BACK[current] if index > 0 or moving else "at the start")
    target = index if moving else index + 1
    if target < len(steps):
        forward = _FORWARD[steps[target].kind] + " ▶"
    else:
        forward = ("end of run" if finished else "computing…") + " ▶"
    return back, forward


def _xy(point) -> str:
    return f"({point[0]:.3g}, {point[1]:.3g})"


def centroid_at(index: int, point) -> str:
    """'centroid 2 (orange) at (1.5, -0.25)': a centroid and where it stands, in data units."""
    return f"centroid {index + 1} ({COLOUR_NAMES[index % len(COLOUR_NAMES)]}) at {_xy(point)}"


def plot_description(centroids, labels) -> str:
    """The plot in words for a screen reader: how many points, and each centroid with where it
    stands and how many points its cluster has (centroids (k, 2); labels (n,), -1 unassigned)."""
    labels = np.asarray(labels)
    n = len(labels)
    if centroids is None or len(centroids) == 0:
        return f"{plural(n, 'point')}, no centroids yet."
    counts = np.bincount(labels[labels >= 0].astype(np.intp), minlength=len(centroids))
    if (labels < 0).all():
        parts = [centroid_at(j, c) for j, c in enumerate(centroids)]
        return f"{plural(n, 'point')}, not yet assigned. " + "; ".join(parts) + "."
    parts = [f"{centroid_at(j, c)} with {plural(int(counts[j]), 'point')}"
             for j, c in enumerate(centroids)]
    return f"{plural(n, 'point')} in {plural(len(centroids), 'cluster')}. " + "; ".join(parts) + "."


def placing_hint(left: int) -> str:
    """The hint while centroids are placed by hand, `left` of them still to place: by pointer
    and by keyboard."""
    places, centroids = ("place", "centroid") if left == 1 else ("places", "centroids")
    return (f"Click {left} more {places} for the {centroids} (click one again to undo) · keys: "
            f"Tab to the plot, arrows, Enter")


__all__ += ["run_title", "settings_changes", "link_message", "changes_kept", "file_name"]


def run_title(run) -> str:
    """How a message names a run (params.Params with its seed): 'K = 4, seed 2024, retry 1'."""
    retry = f", retry {run.attempt}" if run.attempt else ""
    return f"K = {run.k}, seed {run.seed}{retry}"


def _setting_value(name: str, value) -> str:
    from ..core import params as P  # noqa: PLC0415 -- params brings the engine; only links need it
    titles = P.TITLES.get(name)
    if titles is not None:
        return titles.get(value, str(value))
    if name == "centers" and value == 0:
        return "as many as K"
    return "none" if value is None else P.format_number(value)


def settings_changes(settings, names) -> str:
    """The settings `names` (fields of params.Params) as they stand in `settings`, in words:
    'K = 6, data set = Two moons'."""
    from ..core import params as P  # noqa: PLC0415 -- as above
    labels = {**{name: rng.label for name, rng in P.RANGES.items()},
              **{name: label for name, (label, _) in P.CHOICES.items()}}
    return ", ".join(f"{labels[name]} = {_setting_value(name, getattr(settings, name))}"
                     for name in names)


def link_message(url: str, *, copied: bool, run: str | None = None, changes: str = "",
                 moved: bool = False, own_points: bool = False, file_name: str | None = None,
                 query: str = "") -> str:
    """What copy link says: which run (or settings) the link names, and what it does not carry.

    Parameters
    ----------
    url : str
        The link.
    copied : bool
        True if it is on the clipboard; False: the visitor copies it from the message.
    run : str or None
        The run on screen in words (`run_title`); None before any run: the link names settings.
    changes : str
        Settings changed since that run, in words (`settings_changes`); "" if none.
    moved : bool
        Centroids of the run on screen were moved by hand (a link cannot carry that).
    own_points : bool
        The run is on the visitor's own points (kept in this browser, not in the link).
    file_name : str or None
        The page was opened from disk, as this file: the address names a file on this computer.
    query : str
        The link's settings (``?k=4&seed=...``), offered when the address itself is local.
    """
    what = "these settings" if run is None else f"the run on screen ({run})"
    text = f"Link to {what} copied: {url}" if copied else f"Copy this link to {what}: {url}"
    if changes:
        text += f" · Your changes since ({changes}) are not in it: press GO to run them."
    if moved:
        text += " · The centroids you moved by hand are not in it: it opens the run as it was made."
    if own_points:
        text += " · Your own points are not in it: they are kept in this browser only."
    if file_name is not None:
        text += (" · This address only works on this computer: it names a file on this disk. "
                 f"To share it, send the file {file_name} too")
        text += f", and add {query} to its address." if query else "."
    return text


def changes_kept(changes: str) -> str:
    """Said after a reload that restored settings changed since the run on screen."""
    return (f"Your changes since this run ({changes}) are kept in the controls: press GO to run "
            f"them. The address names the run on screen.")


def file_name(path: str) -> str:
    """The file an address's path names, as its owner sees it in a folder:
    '/home/me/K-Means%20offline.html' -> 'K-Means offline.html'."""
    from urllib.parse import unquote  # noqa: PLC0415 -- kept beside its only use
    return unquote(path.rstrip("/").rsplit("/", 1)[-1])


__all__ += ["PROMPT", "OWN_PROMPT", "PRESS_GO_COLUMNS", "PLAY_LABELS", "NO_STEP_BUTTONS", "RUN_FAILED_STATUS",
            "iterations", "status_line", "half_step_announcement", "run_failed", "address_corrected",
            "fullscreen_button", "fullscreen_refused", "points_refused", "cannot_go_on",
            "plot_label", "preview_label", "empty_label", "cursor_at", "centroid_picked",
            "centroid_let_go", "centroid_put_back"]

#: The empty plot's prompt before any run, and with "your own points".
PROMPT = "Press GO to draw points and watch k-means find clusters"
OWN_PROMPT = "Click to add points, or type them in More settings; then press GO"
PRESS_GO_COLUMNS = "The points in the columns chosen: press GO to cluster them."
#: The play button's label for the run's status.
PLAY_LABELS = {"running": "pause", "paused": "play", "done": "replay"}
#: The step buttons with no run on screen.
NO_STEP_BUTTONS = ("◀ step", "step ▶")
RUN_FAILED_STATUS = "the run failed (see the message above)"


def iterations(count: int | None) -> str:
    """The iterations label: 'Iterations: 3' ('Iterations: ' before the first)."""
    return f"Iterations: {count or ''}"


def status_line(run, index: int, done: bool, params, seed: int | None, attempt: int,
                moved: bool, waiting: bool, playing: bool) -> str:
    """The status line under the plot for half-step `index` of `run` (the summary once `done`);
    `moved`: centroids were moved by hand; `waiting`: playback waits for the next iteration."""
    if done:
        return summary(run.stop_reason, params.max_iter, run.inertia, seed, attempt,
                       tol=params.tol, moved=moved)
    step = run.steps[index]
    first = step.kind == "assign" and all(st.kind != "assign" for st in run.steps[:index])
    text = describe_step(step, params.init, params.empty, first)
    if waiting:
        text += " · computing the next iteration…"
    elif step.kind == "move":
        text += (" · the run goes on from here" if playing
                 else " · press play (space) or step ▶ to go on from here")
    elif index == 0 and not playing:
        text += " · press play (space) to run"
    return text


def half_step_announcement(index: int, moving: bool, line: str) -> str:
    """What a screen reader hears at half-step `index` (0-based), paused mid-glide if `moving`."""
    return f"half-step {index + 1}{', moving' if moving else ''}. {line}"


def run_failed(error) -> str:
    return (f"This run could not be shown: {error}. Nothing else is affected: change the settings "
            f"or the points, and press GO again.")


def address_corrected(notes) -> str:
    return "Some settings in the address were changed: " + " ".join(notes)


def fullscreen_button(on: bool) -> str:
    return "exit full screen" if on else "full screen"


def fullscreen_refused(error) -> str:
    return f"Full screen is not allowed here: {error}."


def points_refused(error) -> str:
    return f"Your points cannot be used: {error}. Nothing was changed; fix them and press GO again."


def cannot_go_on(error) -> str:
    """A centroid dropped where the run cannot go on from (e.g. beyond the limits)."""
    return f"The run cannot go on from there: {error}."


def plot_label(count: int) -> str:
    """The canvas's accessible name with a run's `count` points on it."""
    return f"Scatter plot of {count} points, coloured by cluster, with the centroids as large circles"


def preview_label(count: int, prompt: str) -> str:
    return f"Your {count} points, not clustered yet. {prompt}"


def empty_label(prompt: str) -> str:
    return f"Empty plot. {prompt}."


def cursor_at(point) -> str:
    """The keyboard cursor while placing centroids, in data units."""
    return f"cursor at {_xy(point)}"


def centroid_picked(index: int, point) -> str:
    return f"{centroid_at(index, point)} picked: the arrows move it, Enter lets it go, Escape puts it back"


def centroid_let_go(index: int, point) -> str:
    return f"{centroid_at(index, point)}: let go"


def centroid_put_back(index: int, point) -> str:
    return f"{centroid_at(index, point)}: put back"


__all__ += ["size_words", "file_too_big", "points_back_but", "points_stay", "reading_file",
            "reading_progress", "file_refused", "file_read", "UPLOAD_NOT_KEPT", "points_source",
            "table_read_as"]

#: Where a large upload's points are kept (see points_kept for those the box keeps).
UPLOAD_NOT_KEPT = "used for this visit only (too many to keep): a reload will ask for the file again"


def size_words(size: float) -> str:
    """'820 bytes', '3.4 MB', '64 MB' (decimal megabytes, as file managers show them)."""
    if size < 1e5:
        return f"{size:.0f} bytes"
    return f"{size / 1e6:.1f}".removesuffix(".0") + " MB"


def file_too_big(name: str, size: int, limit: int) -> str:
    return (f"{name} is {size_words(size)}; files up to {size_words(limit)} can be read "
            f"(about a million points)")


def points_back_but(before: str, error) -> str:
    """Your points came back (a reload) with a bad line; `before`: the notes already shown."""
    return f"{before}Your points are back as you left them, but {error}. Fix that line, then press GO."


def points_stay(kept: str) -> str:
    return f"Your points stay on this page; they are {kept}."


def reading_file(name: str, size: int) -> str:
    return f"Reading {name} ({size_words(size)})…"


def reading_progress(name: str, percent: int, rows: int) -> str:
    return f"Reading {name}: {percent}% · {rows:,} points so far"


def file_refused(name: str, error) -> str:
    return f"{name} cannot be used: {error}. Nothing was changed; your points are as they were."


def file_read(count: int, name: str, kept: str, read_as: str = "") -> str:
    """`read_as`: how the file was read (table_read_as), said after the count."""
    return (f"{count:,} points read from {name}, {kept}. {read_as + ' ' if read_as else ''}"
            "Press GO to cluster them.")


def table_read_as(rows: int, how: str, skipped: str = "") -> str:
    """How a table of points was read, in plain words: `how` from Table.describe, `skipped`
    from Points.words ("" if none).

    >>> table_read_as(150, "3 columns separated by commas; a header row: id, x, y")
    'Read as 150 rows of 3 columns separated by commas; a header row: id, x, y.'
    >>> table_read_as(1, "2 columns separated by tabs", "skipped 1 row whose x or y is not a number: line 3")
    'Read as 1 row of 2 columns separated by tabs; skipped 1 row whose x or y is not a number: line 3.'
    """
    words = f"Read as {rows:,} row{'' if rows == 1 else 's'} of {how}"
    return words + (f"; {skipped}." if skipped else ".")


def columns_missing(missing: list[str], using: tuple[str, str]) -> str:
    """The settings (a link, a reload) name columns this table does not have as numbers.

    >>> columns_missing(["petal"], ("a", "b"))
    "This table has no column of numbers named 'petal'; using a and b."
    """
    names = " or ".join(repr(name) for name in missing)
    return f"This table has no column of numbers named {names}; using {using[0]} and {using[1]}."


def points_source(uploaded: tuple[str, int] | None, not_kept: str | None,
                  other_tab: str | None) -> str:
    """The line under the points box: whose points GO uses and where they are kept.
    `uploaded`: (file name, count) when a large upload is used instead of the box; `not_kept`:
    how the box's points are kept when not for the next visit (points_kept); `other_tab`:
    "saved" or "removed" when another tab changed the points saved last."""
    if uploaded is not None:
        name, count = uploaded
        return (f"Using the {count:,} points of {name}: too many to show in the box, so they "
                f"are kept for this visit only. Editing the box uses the box's points instead.")
    words = []
    if not_kept is not None:
        words.append(f"These points are {not_kept}.")
    if other_tab == "saved":
        words.append("Another tab saved other points since: this tab keeps its own (a "
                     "reload of this tab brings them back), and a new visit opens the "
                     "points saved last.")
    elif other_tab == "removed":
        words.append("Another tab could not keep its points, so a new visit opens none; "
                     "this tab keeps its own (a reload of this tab brings them back).")
    return " ".join(words)


# ------------------------------------------------------------------ exports (the line under them)

__all__ += ["png_saved", "csv_saved", "GIF_COMPUTING", "gif_progress", "gif_saved",
            "export_failed", "script_copied", "script_saved", "labelled_table_saved", "inertia_value",
            "columns_missing"]

def png_saved(name: str, width: int, height: int) -> str:
    """`width` × `height`: the PNG's size in pixels."""
    return f"Saved {name} ({width} × {height} pixels)."


def csv_saved(name: str, points: int, centroids: int) -> str:
    return f"Saved {name}: {points:,} points and {centroids} centroids."


GIF_COMPUTING = "Making the GIF: computing the rest of the run…"


def gif_progress(done: int, total: int) -> str:
    """`done` of `total` frames made, as a whole percentage (never past 100)."""
    return f"Making the GIF: {100 * done // max(total, 1)}%"


def gif_saved(name: str, thinned_note: str | None) -> str:
    """`thinned_note`: why some frames were left out, or None when the GIF has them all."""
    return f"Saved {name}." + (f" {thinned_note}" if thinned_note else "")


def export_failed(what: str, error) -> str:
    """`what`: "GIF" or "Python script"."""
    return f"The {what} could not be made: {error}."


def script_copied(lines: int) -> str:
    return (f"A Python script of {lines} lines is on the clipboard: "
            f"paste it into a file and run it with python3 (numpy needed).")


def script_saved(name: str) -> str:
    return f"Saved {name} (the clipboard is not available here)."


def labelled_table_saved(name: str, rows: int, columns: int) -> str:
    """What "labelled table" saved.

    >>> labelled_table_saved("kmeans-seed5-labelled.csv", 150, 3)[:60]
    'Saved kmeans-seed5-labelled.csv: 150 rows, their 3 columns, '
    """
    return (f"Saved {name}: {rows:,} row{'s' * (rows != 1)}, their {columns} column"
            f"{'s' * (columns != 1)}, then each row's cluster and its distance to the centroid.")


# ------------------------------------------------------------------ why here? (explain mode)

__all__ += ["number", "distance_texts", "point_explanation", "centroid_explanation",
            "mean_label", "EXPLAIN_CLEARED", "explain_cursor"]

#: Said when the selection is let go (Escape, or a click on empty space).
EXPLAIN_CLEARED = "Nothing selected."


def number(value: float, digits: int = 3) -> str:
    """`value` with at least `digits` significant digits (trailing zeros kept: 4.10 reads as
    precise as 2.84 beside it), in plain decimals between 1e-4 and 1e6 (no exponent for
    everyday numbers), else in scientific notation.

    >>> number(1.3071), number(4.1), number(1234.6), number(0.000123456), number(2.5e7)
    ('1.31', '4.10', '1235', '0.000123', '2.5e+07')
    """
    value = float(value)
    if value == 0.0 or not np.isfinite(value):
        return f"{value:g}"
    magnitude = int(np.floor(np.log10(abs(value))))
    if not -4 <= magnitude < 6:
        return f"{value:.{digits}g}"
    return f"{value:.{max(digits - magnitude - 1, 0)}f}"


def _coords(point) -> str:
    """'(-0.727, -6.80)': a position as explain mode writes it (see `number`)."""
    return f"({number(point[0])}, {number(point[1])})"


def distance_texts(distances, nearest: int) -> tuple[str, ...]:
    """Each distance as written: 3 significant digits, more (up to 9) when the nearest would
    otherwise read the same as a farther one (a point almost halfway between two centroids).

    >>> distance_texts([1.3071, 2.8412, 4.1], 0)
    ('1.31', '2.84', '4.10')
    >>> distance_texts([1.30712, 1.30745], 0)
    ('1.3071', '1.3075')
    """
    d = [float(v) for v in distances]
    for digits in range(3, 10):
        texts = tuple(number(v, digits) for v in d)
        if all(texts[j] != texts[nearest] for j in range(len(d)) if d[j] != d[nearest]):
            return texts
    return texts


def point_explanation(xy, nearest: int, texts, cluster: int, came_from: int | None,
                      kind: str) -> str:
    """Why the point at `xy` is where it is: its nearest centroid and every distance (`texts`,
    as `distance_texts` writes them), then what that means on the half-step of kind `kind`
    ("init", "pick", "assign", "update", "move") where it is drawn in `cluster` (-1: none yet), and,
    when an assignment just moved it, from `came_from`.

    >>> point_explanation((1, 2), 1, ("2.84", "1.31", "4.10"), 1, 0, "assign")
    'The point at (1.00, 2.00) is closest to centroid 2 (orange): 1.31 (centroid 1: 2.84, centroid 3: 4.10). At this assignment it moved from cluster 1 (blue) to cluster 2 (orange): centroid 2 is now nearer (1.31) than centroid 1 (2.84).'
    """
    name = f"centroid {nearest + 1} ({COLOUR_NAMES[nearest % len(COLOUR_NAMES)]})"
    others = ", ".join(f"centroid {j + 1}: {t}" for j, t in enumerate(texts) if j != nearest)
    text = f"The point at {_coords(xy)} is closest to {name}: {texts[nearest]} ({others})."
    if cluster < 0 and kind == "pick":
        return text + " The start is still being picked: the first assignment comes after the last pick."
    if cluster < 0:
        return text + f" The first assignment puts it in {cluster_name(nearest)}."
    if came_from is not None:
        return (text + f" At this assignment it moved from {cluster_name(came_from)} to "
                f"{cluster_name(cluster)}: centroid {cluster + 1} is now nearer "
                f"({texts[cluster]}) than centroid {came_from + 1} ({texts[came_from]}).")
    if cluster != nearest:
        return (text + f" It is still in {cluster_name(cluster)}: the centroids moved since "
                f"the assignment, and the next one moves it to {cluster_name(nearest)}.")
    if kind == "assign":
        return text + f" So it is in {cluster_name(cluster)}."
    return text + f" It is in {cluster_name(cluster)}."


def mean_label(count: int) -> str:
    """Written beside a selected centroid's mean on the plot."""
    return f"mean of {plural(count, 'point')}"


def centroid_explanation(index: int, position, assigned: bool, count: int = 0, sums=None,
                         mean=None, how: str = "rest", distance: float = 0.0) -> str:
    """A centroid and the mean of its cluster as the computation it is: n points, Σx / n,
    Σy / n with the numbers, and where the centroid stands against it. `assigned`: some point
    has a cluster (False before the first assignment); `how`: "rest" (it stands at the mean),
    "next" (the next update moves it there), "moving" (an update is moving it there),
    "stopped" (the run ended before that update), "away" (moved by hand: the next assignment
    comes first); `distance` from it to the mean, data units.

    >>> centroid_explanation(0, (1, 2), True, 4, (10.0, -2.0), (2.5, -0.5), "next", 2.92)
    'Centroid 1 (blue) at (1.00, 2.00): its cluster has 4 points; their mean is (Σx / n, Σy / n) = (10.00 / 4, -2.000 / 4) = (2.50, -0.500). The next update moves the centroid there, 2.92 away.'
    """
    head = f"Centroid {index + 1} ({COLOUR_NAMES[index % len(COLOUR_NAMES)]}) at {_coords(position)}"
    if not assigned:
        return f"{head}: no point is assigned yet; the first assignment gives it the points nearest to it."
    if count == 0:
        return f"{head}: its cluster has no points, so there is no mean to move it to."
    sx, sy = (number(v, 4) for v in sums)
    mean_text = _coords(mean)
    text = (f"{head}: its cluster has {plural(count, 'point')}; their mean is (Σx / n, Σy / n) = "
            f"({sx} / {count}, {sy} / {count}) = {mean_text}.")
    far = number(distance)
    return text + {
        "rest": " The centroid stands there.",
        "next": f" The next update moves the centroid there, {far} away.",
        "moving": f" The update is moving the centroid there, {far} to go.",
        "stopped": f" An update would move the centroid there, {far} away, but the run has stopped.",
        "away": f" The centroid is {far} away from it; the next assignment may change its points first.",
    }[how]


def explain_cursor(text: str) -> str:
    """Said as the explain cursor (keyboard) moves: the explanation, and how to go on."""
    return f"{text} (arrows: another point, 1-9: a centroid, Enter: done, Escape: clear)"


# --------------------------------------------------------------------------------------------
# Which start? How many clusters? (issue 17: web/teachpanel.py shows these)
# --------------------------------------------------------------------------------------------

def inertia_words(value: float) -> str:
    """An inertia as the teaching panel writes it: four significant digits (611.8), whole
    numbers with thousands separators from 10,000 on (101,123), an exponent only beyond 10^12."""
    if 1e4 <= abs(value) < 1e12:
        return f"{value:,.0f}"
    return f"{value:.4g}"


def attempt_row(row, show_k: bool = False, show_init: bool = False) -> str:
    """One row of the attempts list ("attempt 4: 611.8 — best so far"); `row` is a
    `tries.Listed`. K and the start are named when the list holds more than one of them."""
    what = []
    if show_k:
        what.append(f"K = {row.params.k}")
    if show_init:
        what.append(INITS[row.params.init].title)
    named = f" ({', '.join(what)})" if what else ""
    best = " — best so far" if row.best else ""
    return f"attempt {row.attempt}{named}: {inertia_words(row.inertia)}{best}"


def attempt_button_title(row) -> str:
    return f"Show attempt {row.attempt} again (final inertia {inertia_words(row.inertia)})"


ATTEMPTS_EMPTY = "Each run on these points is listed here with its final inertia (lower is better)."
TEACH_NEEDS_POINTS = "Press GO first: these work on the points of a run."
TEACH_NEEDS_DRAWN_START = ("Best of N and the elbow draw their starts at random: choose an "
                           "initialisation other than \"place by hand\".")


def best_of_progress(done: int, n: int) -> str:
    return f"Best of {n}: start {done + 1} of {n}…" if done < n else f"Best of {n}: done"


def best_of_result(attempt: int, best: float, worst: float, n: int, playing: bool = True) -> str:
    """What best of N found: the best attempt, its inertia, the spread of the N."""
    return (f"Best of {plural(n, 'start')}: attempt {attempt}, inertia {inertia_words(best)} "
            f"(the worst: {inertia_words(worst)})." + (" Playing the best." if playing else ""))


def elbow_progress(k: int, ks: int, start: int, n: int) -> str:
    return f"How many clusters: K = {k} ({k} of {ks}), start {start + 1} of {n}…"


def elbow_row(k: int, inertia: float, silhouette: float | None) -> str:
    """One K of the elbow, as its button says it."""
    sil = "" if silhouette is None else f", silhouette {silhouette:.3f}"
    return f"K = {k}: inertia {inertia_words(inertia)}{sil}"


def elbow_done(best_k: int | None, n_init: int, sampled: tuple[int, int, int] | None) -> str:
    """Under the elbow chart: how to read it, and on how many points the silhouette was
    measured (`sampled`: (sample size, n, seed) when a sample)."""
    text = (f"Each K: the best of {plural(n_init, 'start')}. The inertia always falls as K "
            f"grows: look for the bend (the elbow).")
    if best_k is not None:
        text += f" The mean silhouette (higher is better) is highest at K = {best_k}."
    if sampled is not None:
        size, n, seed = sampled
        text += (f" Silhouette measured on {size:,} of the {n:,} points, drawn with seed "
                 f"{seed} (as scikit-learn's sample_size).")
    return text + " Choose a K to run it."


def silhouette_words(mean: float, sampled: tuple[int, int, int] | None) -> str:
    text = (f"Silhouette of this run: mean {mean:.3f} (1: each point far nearer its own "
            f"cluster than the next; 0: on a border; below 0: nearer another cluster).")
    if sampled is not None:
        size, n, seed = sampled
        text += f" Measured on {size:,} of the {n:,} points, drawn with seed {seed}."
    return text


SILHOUETTE_NONE = "The silhouette needs at least 2 clusters with points."


def agreement_words(ari: float, true_k: int) -> str:
    """The adjusted Rand index of the run against the data set's true clusters."""
    return (f"Against the {plural(true_k, 'true cluster')}: adjusted Rand index {ari:.3f} "
            f"(1: the same clusters; about 0: no better than chance).")


def confusion_caption(true_k: int, k: int) -> str:
    return f"Points of each true cluster (rows, {true_k}) in each cluster found (columns, {k})"


def teach_failed(error) -> str:
    return f"That could not be computed: {error}"


# --------------------------------------------------------------------------------------------
# The race (issue 17): starts side by side on the same points
# --------------------------------------------------------------------------------------------

__all__ += ["racer_name", "racer_heading", "race_progress", "race_verdict", "race_label",
            "race_refused", "RACE_STARTING", "race_status"]

RACE_STARTING = "computing the starts…"


def racer_name(init: str) -> str:
    """A racer's name: its initialisation's menu title without the aside in brackets
    ('random data points', 'greedy k-means++')."""
    return INITS[init].title.split(" (")[0]


def racer_heading(init: str, inertia: float, iteration: int, done: bool) -> str:
    """A racer's panel title: 'k-means++ · inertia 61.23 · iteration 3' (', done' at its end;
    'start' before the first assignment)."""
    when = "start" if iteration == 0 else f"iteration {iteration}"
    return f"{racer_name(init)} · inertia {inertia:.2f} · {when}" + (", done" if done else "")


def race_progress(index: int, total: int, finished: bool) -> str:
    """Where the race is: 'half-step 3 of 15' ('of 15 so far' while runs are computed)."""
    return f"half-step {index + 1} of {total}" + ("" if finished else " so far")


def race_verdict(results, winners) -> str:
    """The line under a finished race: which start finished lower and in how many iterations,
    then the others. `results`: (init, final inertia, iterations) per racer; `winners`: the
    indices of the lowest (several on a tie).

    >>> race_verdict([("random", 98.7, 7), ("k-means++", 61.2, 4)], [1])
    'k-means++ finished lower: inertia 61.20 in 4 iterations (random data points: 98.70 in 7 iterations).'
    """
    def said(i):
        init, inertia, n_iter = results[i]
        return f"{racer_name(init)}: {inertia:.2f} in {plural(n_iter, 'iteration')}"

    others = [said(i) for i in range(len(results)) if i not in winners]
    rest = f" ({'; '.join(others)})" if others else ""
    if len(winners) == 1:
        init, inertia, n_iter = results[winners[0]]
        lowest = "lower" if len(results) == 2 else "lowest"
        return (f"{racer_name(init)} finished {lowest}: inertia {inertia:.2f} in "
                f"{plural(n_iter, 'iteration')}{rest}.")
    names = _and([racer_name(results[i][0]) for i in winners])
    iterations = _and([str(results[i][2]) for i in winners])
    return (f"{names} finished equally low: inertia {results[winners[0]][1]:.2f} "
            f"in {iterations} iterations{rest}.")


def _and(words: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def race_status(index: int, total: int, finished: bool, playing: bool) -> str:
    """The race's line before its end: 'racing · half-step 3 of 15' or 'paused · …'."""
    return f"{'racing' if playing else 'paused'} · {race_progress(index, total, finished)}"


def race_label(init: str, n: int) -> str:
    """A racer's canvas for a screen reader."""
    return f"The {plural(n, 'point')} clustered from the start {racer_name(init)}"


def race_refused(error) -> str:
    return f"The race could not start: {error}. Leave the race to go on."


# ---------------------------------------------------------------- your own points: starting, tapping

#: A tap on the plot with another data set than "your own points".
TAP_HOW = ('Tapping adds points only to your own: choose "Your own points" as the data set '
           "(More settings), then tap the plot to add a point, or shift-click (hold a finger) "
           "on one to remove it.")


def own_points_start(count: int | None, source: str) -> str:
    """What choosing "your own points" starts from. `source`: "shown" (the points of the run
    on screen, copied into the box), "box" (the box's points, `count` of them, None if the
    box holds a line that cannot be read) or "upload" (a big upload used for this visit).

    >>> own_points_start(0, "box")[:41]
    'Your own points start empty: tap the plot'
    >>> own_points_start(150, "shown")[:48]
    'Your own points start from the 150 points shown,'
    """
    how = "tap the plot to add a point, shift-click (hold a finger) on one to remove it"
    if source == "shown":
        return (f"Your own points start from the {count:,} points shown, now in the box: "
                f"{how}, or edit the box.")
    if source == "upload":
        return f"Your own points are the {count:,} points of your upload: {how}."
    if count is None:
        return "Your own points are in the box, but a line there cannot be read; press GO to see which."
    if count == 0:
        return (f"Your own points start empty: {how}; or type, paste or upload them "
                "(More settings).")
    return f"Your own points are the {plural(count, 'point')} in the box, as you left them: {how}."


def upload_not_back(name: str, rows: int) -> str:
    """A reload after an upload too big to keep: what is missing and what to do.

    >>> upload_not_back("big.csv", 200000)[:60]
    'Your points came from big.csv (200,000 rows): too big for th'
    """
    return (f"Your points came from {name} ({rows:,} rows): too big for this browser to keep "
            "across a reload. Upload the file again to see them and this run.")
