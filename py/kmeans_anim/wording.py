"""What the page says, in plain words: the status line for each half-step, the end of a run,
and notes about a run. Pure functions of the recorded steps and the parameters (no DOM), so
every sentence is tested in CPython.

>>> from kmeans_anim.params import Params
>>> plural(1, "point"), plural(3, "iteration")
('1 point', '3 iterations')
>>> cluster_name(3)
'cluster 4 (red)'
"""

from __future__ import annotations

__all__ = [
    "INIT_TITLES", "INIT_PHRASES", "EMPTY_TITLES", "COLOUR_NAMES",
    "plural", "cluster_name", "describe_step", "summary", "k_lowered",
]

# Titles of the choices in the "initialisation" and "empty cluster" menus.
INIT_TITLES = {"random": "random data points (as in the notebook)", "k-means++": "k-means++",
               "greedy-k-means++": "greedy k-means++ (scikit-learn)",
               "farthest": "farthest point", "uniform": "uniform in the bounding box",
               "manual": "place by hand (click on the plot)"}
# The same choices as the status line words them ("start: 3 centroids ...").
INIT_PHRASES = {"random": "picked at random among the points",
                "k-means++": "picked by k-means++", "greedy-k-means++": "picked by greedy k-means++",
                "farthest": "picked farthest apart", "uniform": "placed at random in the data's box",
                "manual": "placed by hand"}
EMPTY_TITLES = {"keep": "keep the centroid where it is", "farthest": "move to the farthest point",
                "random": "move to a random point"}
# What the rule did to an empty cluster's centroid, for the status line.
_EMPTY_DONE = {"keep": "its centroid stays where it was",
               "farthest": "its centroid jumps to the point farthest from its own centroid",
               "random": "its centroid jumps to a point picked at random"}
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
    done = _EMPTY_DONE[rule].replace("its centroid", "its centroid" if len(empty) == 1 else "each one's centroid")
    return f" · {names} {verb} no points: {done}"


def describe_step(step, init: str, empty_rule: str, first_assignment: bool) -> str:
    """One line for a teacher: what the half-step on screen did.

    Parameters
    ----------
    step : engine.Step
        ``kind`` ("init", "assign", "update" or "move"), ``centroids`` (k, 2), ``inertia``,
        ``changed`` and ``empty`` (clusters without points; may be absent).
    init : str
        The initialisation used (a key of INIT_PHRASES).
    empty_rule : str
        The empty-cluster rule in force (a key of EMPTY_TITLES).
    first_assignment : bool
        True for the run's first assignment, where every point gets its first cluster.
    """
    empty = tuple(getattr(step, "empty", ()) or ())
    if step.kind == "init":
        return f"start: {plural(len(step.centroids), 'centroid')} {INIT_PHRASES[init]}"
    if step.kind == "move":
        return f"a centroid was moved by hand · inertia {step.inertia:.2f}; the run continues from here"
    if step.kind == "assign":
        what = ("first assignment: every point joins its nearest centroid" if first_assignment
                else f"assignment: {plural(step.changed, 'point')} changed cluster")
        return f"{what}{_empty_clause(empty, None)} · inertia {step.inertia:.2f}"
    return (f"update: centroids move to their clusters' means{_empty_clause(empty, empty_rule)}"
            f" · inertia {step.inertia:.2f}")


def summary(stop_reason: str, max_iter: int, inertia: float, seed: int | None,
            attempt: int = 0, tol: float = 0.0) -> str:
    """The status line at the end of a run: why it stopped, its inertia, and how to see it again."""
    why = {"converged": "converged: no point changed cluster",
           "tol": ("stopped: the centroids moved less than the tolerance" if tol > 0
                   else "stopped: no centroid moved"),
           "max_iter": f"stopped after {plural(max_iter, 'iteration')}, the maximum"}[stop_reason]
    again = "" if seed is None else f" · seed {seed}" + (f", retry {attempt}" if attempt else "")
    return f"{why} · inertia {inertia:.2f}{again}"


def k_lowered(asked: int, distinct: int) -> str:
    """Note shown when K had to be lowered because there are fewer distinct points than K."""
    return (f"K lowered from {asked} to {distinct}: the points hold only {distinct} different "
            f"positions, and each centroid needs its own.")
