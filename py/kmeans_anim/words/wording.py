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
        ``kind`` ("init", "assign", "update" or "move"), ``centroids`` (k, 2), ``inertia``,
        ``changed`` and ``empty`` (clusters without points; may be absent).
    init : str
        The initialisation used (a key of choices.INITS).
    empty_rule : str
        The empty-cluster rule in force (a key of choices.EMPTY_RULES).
    first_assignment : bool
        True for the run's first assignment, where every point gets its first cluster.
    """
    empty = tuple(getattr(step, "empty", ()) or ())
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
_FORWARD = {"assign": "recolour points", "update": "move centroids", "move": "redo the hand move"}
#: What pressing ◀ step undoes, by the kind of the half-step on screen.
_BACK = {"assign": "undo recolour", "update": "undo move", "move": "undo hand move"}


def half_step_name(step) -> str:
    """'start', 'moved by hand', 'assignment 2' or 'update 2' for a recorded step."""
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


__all__ += ["PROMPT", "OWN_PROMPT", "PLAY_LABELS", "NO_STEP_BUTTONS", "RUN_FAILED_STATUS",
            "iterations", "status_line", "half_step_announcement", "run_failed", "address_corrected",
            "fullscreen_button", "fullscreen_refused", "points_refused", "cannot_go_on",
            "plot_label", "preview_label", "empty_label", "cursor_at", "centroid_picked",
            "centroid_let_go", "centroid_put_back"]

#: The empty plot's prompt before any run, and with "your own points".
PROMPT = "Press GO to draw points and watch k-means find clusters"
OWN_PROMPT = "Click to add points, or type them in More settings; then press GO"
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


def labelled_table_saved(name: str, rows: int, columns: int) -> str:
    """What "labelled table" saved.

    >>> labelled_table_saved("kmeans-seed5-labelled.csv", 150, 3)[:60]
    'Saved kmeans-seed5-labelled.csv: 150 rows, their 3 columns, '
    """
    return (f"Saved {name}: {rows:,} row{'s' * (rows != 1)}, their {columns} column"
            f"{'s' * (columns != 1)}, then each row's cluster and its distance to the centroid.")


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
