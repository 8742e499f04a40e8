"""What one frame of a run draws: the single rule shared by the page, the PNG and the GIF.

`frame_scene` turns a run, a `player.Frame`, the page's drawing options and the centroid paths
so far (and a centroid being dragged, if any) into a `Scene`: every argument
`view.KMeansView.render` takes. The page's canvas, the PNG download and each frame of the GIF
all draw through it, so an export shows what the page shows. Pure: numpy and `wording` only.

Example
-------
>>> from kmeans_anim.core.params import Params
>>> from kmeans_anim.core.player import Timeline
>>> from kmeans_anim.core.session import Session
>>> s = Session()
>>> run = s.go(Params(n=40, k=3, seed=2))
>>> timeline = Timeline(run)
>>> t = timeline.shown_at(3)                      # the second assignment, shown complete
>>> shown = frame_scene(run, timeline.frame_at(t), Params(changed=1, links=1),
...                     timeline.trails(t), caption=True, playing=True)
>>> shown.caption, shown.links, shown.trails is None, int(shown.changed.sum())
('half-step 4 of 7: assignment 2', True, True, 16)
>>> sorted(shown.render_args())
['caption', 'centroids', 'changed', 'empty', 'explained', 'labels', 'links', 'regions', 'trails', 'weights']
"""

from __future__ import annotations

from dataclasses import dataclass, field, make_dataclass

import numpy as np

from ..words import wording
from ..core.limits import OVERLAYS
from ..core.player import Frame, assignment_centroids
from .explain import explain

__all__ = ["Options", "Scene", "frame_scene", "shown_centroids", "pick_marks"]


#: The drawing options, as the page's check boxes set them: one bool field per overlay of
#: `limits.OVERLAYS` (paths, regions, changed, links), all off by default. Made from that table
#: so a new overlay needs no field here; `params.Params` has the same fields and can be passed
#: wherever an Options is expected.
Options = make_dataclass("Options", [(o.name, bool, field(default=False)) for o in OVERLAYS],
                         frozen=True)


@dataclass(frozen=True)
class Scene:
    """Everything `KMeansView.render` draws for one frame (see its parameters).

    Attributes
    ----------
    labels : ndarray of int, shape (n,)
        Each point's cluster; -1 before the first assignment.
    centroids : ndarray of float, shape (k, 2)
        Where the centroids are drawn, data units (a dragged one where the pointer holds it).
    trails : ndarray of float, shape (k, m, 2), or None
        Positions each centroid has visited, with "paths" on; else None.
    regions : ndarray of float, shape (k, 2), or None
        With "regions" on, the centroids whose nearest-centroid regions tint the plot: those
        that made `labels` (the latest assignment's), or the centroids on screen while one is
        dragged; None when off or before the first assignment.
    empty : tuple of int
        Clusters with no points at the half-step on screen.
    changed : ndarray of bool, shape (n,), or None
        With "changed" on, at an assignment other than the first and not at the end: the
        points whose cluster it changed; at a greedy k-means++ pick, its candidates. None
        otherwise (or when none changed).
    links : bool
        Draw a line from every point to its centroid.
    caption : str
        The half-step in words, drawn inside the plot ("half-step 3 of 9: update 1"), or ""
        (the page shows it beside the plot instead).
    explained : explain.PointShown or explain.CentroidShown or None
        The selected point or centroid explained on this frame (explain mode), or None.
    weights : ndarray of float, shape (n,), or None
        At a pick of the start (see `pick_marks`): every point's D² weight before the pick,
        relative to the largest (0..1), drawn as the points' size and shade. None otherwise.
    """

    labels: np.ndarray
    centroids: np.ndarray
    trails: np.ndarray | None
    regions: np.ndarray | None
    empty: tuple
    changed: np.ndarray | None
    links: bool
    caption: str = ""
    explained: object = None
    weights: np.ndarray | None = None

    def render_args(self) -> dict:
        """The keyword arguments of `KMeansView.render` (and `web.canvas.Canvas.paint`)."""
        return dict(labels=self.labels, centroids=self.centroids, trails=self.trails,
                    regions=self.regions, empty=self.empty, changed=self.changed,
                    links=self.links, caption=self.caption, explained=self.explained,
                    weights=self.weights)


def shown_centroids(frame: Frame, drag=None) -> np.ndarray:
    """The frame's centroids (k, 2), with centroid i at (x, y) while `drag` = (i, (x, y)) is
    in progress (a copy then; the frame's array otherwise)."""
    centroids = frame.centroids
    if drag is not None:
        centroids = np.array(centroids, dtype=float)
        centroids[drag[0]] = drag[1]
    return centroids


def _changed(run, frame: Frame):
    """Points the assignment on screen moved to another cluster, (n,) bool, or None: only at
    an assignment that follows labelled points (not the first one) and not at the end."""
    step = run.steps[frame.step_index]
    if step.kind != "assign" or frame.step_index == 0 or frame.done or not step.changed:
        return None
    before = np.asarray(run.steps[frame.step_index - 1].labels)
    if not (before >= 0).any():
        return None
    return np.asarray(step.labels) != before


def pick_marks(step, n: int):
    """What a pick of the start draws beyond its centroids: (weights, rings).

    weights: (n,) float, every point's D² weight before the pick over the largest one (for
    "farthest point", its score), or None for the first pick and when every weight is 0 (a
    uniform choice: nothing to tell apart). rings: (n,) bool, the candidates of a greedy
    k-means++ pick, or None. Both None for any other half-step.
    """
    if step.kind != "pick":
        return None, None
    pick = step.pick
    weights = rings = None
    d2 = pick.d2
    if d2 is not None and not pick.fallback:
        weights = d2 / d2.max()
    if pick.candidates:
        rings = np.zeros(n, dtype=bool)
        rings[list(pick.candidates)] = True
    return weights, rings


def frame_scene(run, frame: Frame, options, trails=None, drag=None, *, caption: bool = False,
                playing: bool = False, selection=None) -> Scene:
    """What `frame` of `run` draws with the drawing `options`.

    Parameters
    ----------
    run : session.Recording or engine.Run
        The run on screen (``steps``; ``finished``, if absent taken as True).
    frame : player.Frame
        The instant shown (labels, centroids, half-step index, done, moving).
    options : Options or params.Params
        Reads ``paths``, ``regions``, ``changed`` and ``links`` (truthy: on).
    trails : ndarray of float, shape (k, m, 2), optional
        The centroid paths up to this instant (`player.Timeline.trails`); drawn only with
        ``paths`` on (with it off a caller may pass None and skip computing them).
    drag : (int, (float, float)), optional
        A centroid being dragged and where the pointer holds it (data units): it is drawn
        there, and the regions (if on) are those of the centroids as drawn.
    caption : bool
        Name the half-step inside the picture (the exports); the page leaves it out.
    playing : bool
        The run is playing (the GIF always is): a glide is then not called "moving", as the
        page's scrubber label does only when paused mid-glide.
    selection : explain.Selection, optional
        A point or centroid the visitor selected (explain mode): explained on this frame,
        with the centroids as drawn (`explain.explain`).

    Returns
    -------
    Scene
    """
    step = run.steps[frame.step_index]
    centroids = shown_centroids(frame, drag)
    regions = None
    if options.regions:
        regions = centroids if drag is not None else assignment_centroids(run, frame.step_index)
    weights, candidates = pick_marks(step, len(frame.labels))
    label = ""
    if caption:
        label = wording.half_step_label(frame.step_index, run.steps,
                                        bool(getattr(run, "finished", True)),
                                        frame.moving and not playing)
    return Scene(
        labels=frame.labels,
        centroids=centroids,
        trails=trails if options.paths else None,
        regions=regions,
        empty=tuple(getattr(step, "empty", ())),
        # At a greedy pick the candidates are ringed, as changed points are at an assignment.
        changed=candidates if candidates is not None else
        _changed(run, frame) if options.changed else None,
        links=bool(options.links),
        caption=label,
        explained=explain(run, frame, selection, centroids),
        weights=weights,
    )
