"""Why here? (explain mode): what a selected point or centroid shows on the frame on screen.

A `Selection` names a point (a row of the points) or a centroid (a cluster index). `explain`
turns it, with the run and the frame shown, into what the picture draws and the page says:

- a point: a line to every centroid on screen with its distance written, the nearest marked,
  and the sentence "... closest to centroid 2 (orange): 1.31 (centroid 1: 2.84, centroid 3:
  4.10)"; at an assignment that moved it, from which cluster and why (`core.teach.explain_point`);
- a centroid: its cluster's points highlighted, its mean as the computation it is (n points,
  Σx / n, Σy / n) and an arrow from where it is to that mean (`core.teach.explain_centroid`).

The explanation is recomputed for every frame (the selection follows the frames as the user
steps); distances are to the centroids *as drawn* (gliding, or held by a drag). Pure: numpy,
`core.teach` and `wording`.

>>> import numpy as np
>>> from kmeans_anim.core.params import Params
>>> from kmeans_anim.core.player import Timeline
>>> from kmeans_anim.core.session import Session
>>> run = Session().go(Params(n=40, k=3, seed=2))
>>> frame = Timeline(run).frame_at(Timeline(run).shown_at(1))     # the first assignment
>>> e = explain(run, frame, Selection("point", 5))
>>> e.nearest == int(frame.labels[5]), e.sentence.startswith("The point at")
(True, True)
>>> c = explain(run, frame, Selection("centroid", 0))
>>> c.count == int((frame.labels == 0).sum()), bool(np.allclose(c.mean, run.steps[2].centroids[0]))
(True, True)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..core import teach
from ..words import wording

__all__ = ["Selection", "PointShown", "CentroidShown", "explain", "at_rest"]

#: A centroid within this fraction of the coordinates' magnitude of its mean stands at it (the
#: engine's update and this mean may differ in the last bits).
AT_MEAN = 1e-9


@dataclass(frozen=True)
class Selection:
    """What the visitor asked about: ``kind`` "point" (``index``: a row of the points) or
    "centroid" (``index``: a cluster, 0-based)."""

    kind: str
    index: int

    def __post_init__(self):
        if self.kind not in ("point", "centroid"):
            raise ValueError(f"a selection is a point or a centroid, not {self.kind!r}")


@dataclass(frozen=True, eq=False)
class PointShown:
    """A selected point on one frame.

    Attributes
    ----------
    index : int
        Its row of the points.
    xy : ndarray (2,)
        Where it is, data units.
    centroids : ndarray (k, 2)
        The centroids as drawn, the ends of its lines.
    distances : ndarray (k,)
        Its distance to each, data units.
    nearest : int
        The nearest centroid (the lowest index on exact ties).
    cluster : int
        The cluster it is drawn in (-1: not assigned yet).
    came_from : int or None
        At an assignment that moved it: the cluster it left.
    texts : tuple of str
        Each distance as written (on its line and in the sentence).
    sentence : str
    """

    index: int
    xy: np.ndarray
    centroids: np.ndarray
    distances: np.ndarray
    nearest: int
    cluster: int
    came_from: int | None
    texts: tuple
    sentence: str
    kind = "point"

    def as_dict(self) -> dict:
        """The snapshot's ``selection``."""
        return {"kind": "point", "index": self.index, "xy": self.xy.tolist(),
                "distances": self.distances.tolist(), "nearest": self.nearest,
                "cluster": self.cluster, "came_from": self.came_from,
                "sentence": self.sentence}


@dataclass(frozen=True, eq=False)
class CentroidShown:
    """A selected centroid on one frame.

    Attributes
    ----------
    index : int
        The cluster.
    position : ndarray (2,)
        Where the centroid is drawn, data units.
    members : ndarray (n,) bool
        Its cluster's points (highlighted).
    count : int
        n, their number (0: an empty cluster, or none assigned yet).
    sums, mean : ndarray (2,) or None
        Σx, Σy over them and ``sums / count`` (None when count is 0).
    label : str
        Written beside the mean on the plot ("mean of 34 points"; "" with no mean).
    sentence : str
    """

    index: int
    position: np.ndarray
    members: np.ndarray
    count: int
    sums: np.ndarray | None
    mean: np.ndarray | None
    label: str
    sentence: str
    kind = "centroid"

    def as_dict(self) -> dict:
        """The snapshot's ``selection``."""
        return {"kind": "centroid", "index": self.index, "position": self.position.tolist(),
                "count": self.count,
                "sums": None if self.sums is None else self.sums.tolist(),
                "mean": None if self.mean is None else self.mean.tolist(),
                "sentence": self.sentence}


def at_rest(position, mean) -> bool:
    """True when a centroid at `position` stands at `mean` (both (2,), data units) up to the
    last bits of the coordinates."""
    scale = max(float(np.abs(position).max()), float(np.abs(mean).max()), 1e-300)
    return float(np.hypot(*(np.asarray(mean) - position))) <= AT_MEAN * scale


def explain(run, frame, selection: Selection | None, centroids=None, points=None):
    """What `selection` shows on `frame` of `run`: a `PointShown`, a `CentroidShown`, or None
    (nothing selected, no points known, or an index the run does not have).

    Parameters
    ----------
    run : session.Recording
        ``steps`` and ``points`` (n, 2) (or pass `points`).
    frame : player.Frame
        The instant on screen (labels, centroids, step_index, moving, done).
    selection : Selection or None
    centroids : ndarray (k, 2), optional
        The centroids as drawn (a dragged one where it is held); default the frame's.
    points : ndarray (n, 2), optional
        Default ``run.points``.
    """
    if selection is None:
        return None
    points = getattr(run, "points", None) if points is None else points
    if points is None:
        return None
    centroids = np.asarray(frame.centroids if centroids is None else centroids, dtype=float)
    step = run.steps[frame.step_index]
    labels = np.asarray(frame.labels)
    if selection.kind == "point":
        if not 0 <= selection.index < len(points):
            return None
        return _point(run, frame, step, points, centroids, labels, selection.index)
    if not 0 <= selection.index < len(centroids):
        return None
    return _centroid(frame, step, points, centroids, labels, selection.index)


def _point(run, frame, step, points, centroids, labels, i: int) -> PointShown:
    previous = None
    if step.kind == "assign" and frame.step_index > 0:
        previous = run.steps[frame.step_index - 1].labels
    e = teach.explain_point(points, centroids, i, previous_labels=previous)
    cluster = int(labels[i])
    nearest = e.nearest
    # At an assignment the label is the engine's nearest; a tie it broke by rounding differently
    # (it centres the points first) is still a tie: the label stands.
    if (step.kind == "assign" and 0 <= cluster < len(centroids) and cluster != nearest
            and e.distances[cluster] <= e.distances[nearest] * (1 + 1e-9)):
        nearest = cluster
    came_from = e.previous if e.previous is not None and e.previous != cluster else None
    texts = wording.distance_texts(e.distances, nearest)
    sentence = wording.point_explanation(points[i], nearest, texts, cluster, came_from,
                                         step.kind)
    return PointShown(int(i), np.array(points[i], dtype=float), centroids, e.distances,
                      int(nearest), cluster, came_from, texts, sentence)


def _centroid(frame, step, points, centroids, labels, j: int) -> CentroidShown:
    members = labels == j
    position = centroids[j].copy()
    e = teach.explain_centroid(points, labels, j, centroids)
    if e is None:
        sentence = wording.centroid_explanation(j, position, assigned=bool((labels >= 0).any()))
        return CentroidShown(int(j), position, members, 0, None, None, "", sentence)
    rest = at_rest(position, e.mean)
    how = ("rest" if rest else "next" if step.kind == "assign" and not frame.done
           else "stopped" if step.kind == "assign" else "moving" if frame.moving else "away")
    sentence = wording.centroid_explanation(j, position, assigned=True, count=e.count,
                                            sums=e.sums, mean=e.mean, how=how,
                                            distance=float(np.hypot(*e.move)))
    return CentroidShown(int(j), position, members, e.count, e.sums, e.mean,
                         wording.mean_label(e.count), sentence)
