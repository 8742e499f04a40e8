"""snapshot: the page's state as strict JSON, with the keys tests and tools rely on."""

import json
from types import SimpleNamespace

import numpy as np
import pytest

from kmeans_anim.words import snapshot as S
from kmeans_anim.core.params import Params
from kmeans_anim.core.player import Player, Timeline
from kmeans_anim.core.session import Session


def strict(text):
    return json.loads(text, parse_constant=lambda c: pytest.fail(f"{c} in strict JSON"))


def test_non_finite_numbers_become_null():
    snap = {"a": float("inf"), "b": [float("-inf"), 1.5, {"c": float("nan")}], "d": "x", "e": 3}
    assert strict(S.to_json(snap)) == {"a": None, "b": [None, 1.5, {"c": None}], "d": "x", "e": 3}


def test_before_any_run_the_snapshot_says_ready_with_no_points():
    snap = S.build(status="ready", params=Params(), session=Session(), frame=None, run_id=0)
    assert strict(S.to_json(snap))["points"] is None and snap["status"] == "ready"
    assert "final" not in snap


def test_after_a_run_every_key_is_there_and_consistent():
    session = Session()
    run = session.go(Params(n=60, k=3, seed=2))
    frame = Player(Timeline(run)).frame(0.0)
    snap = strict(S.to_json(S.build(status="paused", params=session.params, session=session,
                                     frame=frame, run_id=1, iteration_label="Iterations: ")))
    for key in ("status", "params", "seed", "attempt", "run_id", "points", "true_labels", "iteration",
                "step_index", "moving", "labels", "centroids", "initial_centroids", "history", "steps", "final",
                "iteration_label", "n_points"):
        assert key in snap, key
    assert len(snap["points"]) == 60 and snap["n_points"] == 60
    assert snap["final"]["n_iter"] == run.n_iter
    assert len(snap["history"]) == 1 + sum(st.kind == "update" for st in run.steps)
    assert all("empty" in st for st in snap["steps"])


def test_per_point_lists_are_left_out_above_the_limit_unless_asked(monkeypatch):
    monkeypatch.setattr(S, "POINTS_IN_FULL", 50)
    session = Session()
    run = session.go(Params(n=60, k=3, seed=2))
    frame = Player(Timeline(run)).frame(0.0)
    short = S.build(status="done", params=session.params, session=session, frame=frame, run_id=1)
    assert short["points"] is None and short["labels"] is None and short["final"]["labels"] is None
    assert short["n_points"] == 60 and short["final"]["centroids"] is not None
    full = S.build(status="done", params=session.params, session=session, frame=frame, run_id=1, full=True)
    assert len(full["points"]) == 60 and len(full["final"]["labels"]) == 60


def test_a_run_still_being_computed_has_no_final_yet():
    session = Session()
    run = session.go(Params(n=30, k=2, seed=1))
    session.run = SimpleNamespace(steps=run.steps[:3], finished=False)
    frame = Player(Timeline(run)).frame(0.0)
    snap = S.build(status="running", params=session.params, session=session, frame=frame, run_id=1)
    assert snap["final"] is None and len(snap["steps"]) == 3


def test_a_quick_look_leaves_every_per_point_list_out():
    session = Session()
    run = session.go(Params(n=60, k=3, seed=2))
    frame = Player(Timeline(run)).frame(0.0)
    quick = S.build(status="done", params=session.params, session=session, frame=frame, run_id=1,
                    points=False)
    assert quick["points"] is None and quick["labels"] is None and quick["true_labels"] is None
    assert quick["final"]["labels"] is None and quick["final"]["n_iter"] == run.n_iter


def test_at_a_pick_the_snapshot_says_which_pick_and_its_chance():
    session = Session()
    run = session.go(Params(n=70, k=3, seed=4, init="k-means++"))
    timeline = Timeline(run)
    player = Player(timeline)
    X = session.points
    for c in range(3):
        player.seek_step(c, 0.0)
        snap = strict(S.to_json(S.build(status="paused", params=session.params, session=session,
                                         frame=player.frame(0.0), run_id=1)))
        pick = snap["pick"]
        assert snap["half_step"] == "pick" and snap["step_index"] == c
        assert (pick["method"], pick["number"], pick["of"]) == ("k-means++", c + 1, 3)
        assert len(snap["centroids"]) == c + 1
        assert snap["centroids"][-1] == X[pick["index"]].tolist()
        if c == 0:
            assert pick["probability"] == pytest.approx(1 / 70) and pick["d2"] is None
        else:
            before = np.array(snap["centroids"][:-1])
            d2 = ((X[:, None] - before[None]) ** 2).sum(axis=2).min(axis=1)
            assert pick["d2"] == pytest.approx(d2[pick["index"]], rel=1e-12)
            assert pick["probability"] == pytest.approx(d2[pick["index"]] / d2.sum(), rel=1e-12)
        assert pick["candidates"] == [] and pick["potentials"] is None
    # The start is the last pick's centroids; the history begins there.
    assert snap["initial_centroids"] == session.initial_centroids.tolist()
    assert snap["history"][0] == session.initial_centroids.tolist()
    assert len(snap["history"]) == 1 + sum(st.kind == "update" for st in run.steps)
    assert [st["kind"] for st in snap["steps"][:4]] == ["pick", "pick", "pick", "assign"]
    player.seek_step(3, 0.0)
    snap = S.build(status="paused", params=session.params, session=session,
                   frame=player.frame(0.0), run_id=1)
    assert snap["half_step"] == "assign" and snap["pick"] is None


def test_a_greedy_pick_lists_its_candidates():
    session = Session()
    run = session.go(Params(n=70, k=4, seed=4, init="greedy-k-means++"))
    player = Player(Timeline(run))
    player.seek_step(2, 0.0)
    pick = S.build(status="paused", params=session.params, session=session,
                   frame=player.frame(0.0), run_id=1)["pick"]
    assert len(pick["candidates"]) == 3 and pick["index"] in pick["candidates"]
    assert pick["index"] == pick["candidates"][int(np.argmin(pick["potentials"]))]
