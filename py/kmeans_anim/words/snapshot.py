"""The page's state as strict JSON, for tests and tools (``window.kmeans.snapshot()``).

Pure: built from the session, the run and the frame on screen, so its content is tested in
CPython; the browser glue adds what only the DOM knows (the iteration label, the plot's box).
Strict JSON means no NaN or Infinity anywhere: a non-finite number becomes null.

>>> to_json({"inertia": float("inf"), "xs": [1.0, float("nan")]})
'{"inertia": null, "xs": [1.0, null]}'
"""

from __future__ import annotations

import json
import math

import numpy as np

from ..core import params as P
from ..core.player import start_index

__all__ = ["POINTS_IN_FULL", "build", "to_json", "finite", "pick_dict"]

#: Up to this many points the snapshot lists every point and label; above it only when asked
#: for in full (the lists of a million points would take seconds to serialise).
POINTS_IN_FULL = 100_000


def finite(value):
    """`value` with every non-finite float (NaN, ±inf) replaced by None, recursively."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [finite(v) for v in value]
    return value


def to_json(snapshot: dict) -> str:
    """Strict JSON text of a snapshot (json.dumps refuses NaN/Infinity after `finite`)."""
    return json.dumps(finite(snapshot), allow_nan=False)


def _rows(a) -> list | None:
    return None if a is None else np.asarray(a).tolist()


def pick_dict(step) -> dict | None:
    """What a pick of the start (a `session.PickStep`) chose and why, for the snapshot; None
    for any other half-step.

    Keys: "method"; "number" (1..K) and "of" (K); "index", the row of the points picked;
    "probability", its chance of being this pick before it (`teach.InitStep.probability`: 1/n
    for the first pick; D²/ΣD² for k-means++; per draw, for each candidate of greedy
    k-means++; 1 for farthest point); "d2", its squared distance to the nearest centroid
    picked before (data units squared; None for the first pick); "candidates" and
    "potentials" (greedy k-means++; else [] and None); "fallback".
    """
    if step.kind != "pick":
        return None
    pick = step.pick
    d2 = pick.d2
    return {
        "method": pick.method,
        "number": pick.number + 1,
        "of": step.of,
        "index": pick.index,
        "probability": float(pick.probability[pick.index]),
        "d2": None if d2 is None else float(d2[pick.index]),
        "candidates": list(pick.candidates),
        "potentials": _rows(pick.potentials),
        "fallback": pick.fallback,
    }


def build(*, status: str, params: P.Params, session, frame, run_id: int, full: bool = False,
          points: bool = True, **extra) -> dict:
    """The snapshot dict.

    Parameters
    ----------
    status : str
        "ready" (no run yet), "starting", "placing", "running", "paused", "done" or "failed".
    params : Params
        The settings the controls show.
    session : session.Session
        Points (n, 2), true labels (n,), seed, attempt and the run (engine.Run or a growing
        recording with the same fields).
    frame : player.Frame or None
        What is on screen.
    run_id : int
        Counts GO / RETRY presses that started a run.
    full : bool
        List per-point arrays even above POINTS_IN_FULL points.
    points : bool
        False: no per-point arrays at all (a quick look at any size).
    **extra
        Added as they are (the glue's DOM-derived values: "iteration_label", "axes", ...).
    """
    n = 0 if session.points is None else len(session.points)
    per_point = points and (full or n <= POINTS_IN_FULL)
    snap = {
        "status": status,
        "params": P.as_dict(params),
        "seed": session.seed,
        "attempt": session.attempt,
        "run_id": run_id,
        "n_points": n,
        "points": _rows(session.points) if per_point else None,
        "true_labels": _rows(session.true_labels) if per_point else None,
        **extra,
    }
    run = session.run
    if run is None:
        return snap
    steps = list(run.steps)
    start = start_index(steps)
    index = frame.step_index if frame is not None else 0
    snap |= {
        "iteration": frame.iteration if frame is not None else 0,
        "step_index": index,
        "half_step": steps[index].kind,
        "pick": pick_dict(steps[index]),
        "moving": bool(frame.moving) if frame is not None else False,
        "labels": _rows(frame.labels) if frame is not None and per_point else None,
        "centroids": _rows(frame.centroids) if frame is not None else None,
        "initial_centroids": _rows(steps[start].centroids),
        # Where the centroids stood: the start (all k), then after each update or hand move.
        "history": [st.centroids.tolist() for i, st in enumerate(steps)
                    if i == start or i > start and st.kind != "assign"],
        "steps": [{"kind": st.kind, "iteration": st.iteration, "inertia": st.inertia,
                   "changed": st.changed, "shift": st.shift,
                   "empty": list(getattr(st, "empty", ()))} for st in steps],
        "final": None,
    }
    if getattr(run, "finished", True):
        snap["final"] = {"labels": _rows(run.labels) if per_point else None,
                         "centroids": _rows(run.centroids), "inertia": run.inertia,
                         "n_iter": run.n_iter, "stop_reason": run.stop_reason}
    return snap
