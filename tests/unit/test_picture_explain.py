"""picture.explain: what a selected point or centroid shows on a frame (explain mode), checked
against numpy on real runs, half-step by half-step, as the page's Timeline shows them."""

import doctest

import numpy as np
import pytest

from kmeans_anim.core.params import Params
from kmeans_anim.core.player import Timeline
from kmeans_anim.core.session import Session
from kmeans_anim.picture import explain as E
from kmeans_anim.picture.explain import Selection, explain
from kmeans_anim.words.wording import plural
from shared_runs import recolouring  # noqa: F401 -- a fixture


def test_module_example_runs():
    result = doctest.testmod(E)
    assert result.attempted >= 8 and result.failed == 0


def frame(timeline, index):
    return timeline.frame_at(timeline.shown_at(index))


def test_a_point_has_its_distance_to_every_centroid_and_its_cluster(recolouring):
    run, timeline = recolouring
    X = run.points
    for index in range(len(run.steps)):
        f = frame(timeline, index)
        for i in (0, 7, 39):
            e = explain(run, f, Selection("point", i))
            d = np.hypot(*(f.centroids - X[i]).T)
            np.testing.assert_allclose(e.distances, d, rtol=1e-14)
            assert e.nearest == int(np.argmin(d)) and e.cluster == int(f.labels[i])
            assert e.texts[e.nearest] in e.sentence and e.sentence.startswith("The point at")
            if run.steps[index].kind == "assign":       # the assignment's own rule
                assert e.nearest == e.cluster


def test_a_point_an_assignment_moved_says_where_from():
    """Every point the second assignment moved names the cluster it left, and only those."""
    run = Session().go(Params(n=40, k=3, seed=16))
    timeline = Timeline(run)
    f = frame(timeline, 3)
    before = run.steps[2].labels
    moved = np.flatnonzero(f.labels != before)
    assert moved.size
    for i in range(len(run.points)):
        e = explain(run, f, Selection("point", i))
        if i in moved:
            assert e.came_from == before[i] and "At this assignment it moved from" in e.sentence
            assert e.distances[e.cluster] <= e.distances[e.came_from]
        else:
            assert e.came_from is None and "moved from" not in e.sentence
    # The next half-step (an update) no longer says it moved.
    assert explain(run, frame(timeline, 4), Selection("point", int(moved[0]))).came_from is None


def test_after_an_update_a_point_can_be_nearer_another_centroid_than_its_cluster(recolouring):
    run, timeline = recolouring
    f = frame(timeline, 2)                              # update 1: the colours of assignment 1
    X = run.points
    nearer = [i for i in range(len(X))
              if int(np.argmin(np.hypot(*(f.centroids - X[i]).T))) != f.labels[i]]
    assert nearer                                       # what assignment 2 will recolour
    e = explain(run, f, Selection("point", nearer[0]))
    assert e.nearest != e.cluster and "the next one moves it to" in e.sentence


def test_before_the_first_assignment_a_point_is_told_where_it_will_go(recolouring):
    run, timeline = recolouring
    e = explain(run, frame(timeline, 0), Selection("point", 3))
    assert e.cluster == -1 and "The first assignment puts it in" in e.sentence


def test_distances_follow_a_dragged_centroid(recolouring):
    run, timeline = recolouring
    f = frame(timeline, 3)
    held = f.centroids.copy()
    held[0] = run.points[5]
    e = explain(run, f, Selection("point", 5), held)
    assert e.distances[0] == 0.0 and e.nearest == 0
    np.testing.assert_array_equal(e.centroids, held)


def test_a_centroid_has_its_cluster_its_sums_and_mean_and_the_update_agrees(recolouring):
    run, timeline = recolouring
    for index, step in enumerate(run.steps[:-1]):
        if step.kind != "assign":
            continue
        f = frame(timeline, index)
        for j in range(3):
            e = explain(run, f, Selection("centroid", j))
            members = run.points[f.labels == j]
            assert e.count == len(members) and e.members.sum() == len(members)
            np.testing.assert_allclose(e.sums, members.sum(axis=0), rtol=1e-14)
            np.testing.assert_allclose(e.mean, members.mean(axis=0), rtol=1e-14)
            # where the next update puts it, as the engine computed it
            np.testing.assert_allclose(e.mean, run.steps[index + 1].centroids[j], rtol=1e-12, atol=1e-12)
            count = plural(len(members), "point")
            assert f"has {count};" in e.sentence and e.label == f"mean of {count}"
            assert ("The next update moves the centroid there" in e.sentence) != E.at_rest(e.position, e.mean)
            # after that update it stands at its mean
            after = explain(run, frame(timeline, index + 1), Selection("centroid", j))
            assert "The centroid stands there." in after.sentence


def test_mid_glide_the_update_is_moving_it(recolouring):
    run, timeline = recolouring
    t = 0.5 * (timeline.step_start(2) + timeline.step_start(3))
    f = timeline.frame_at(t)
    assert f.moving
    assert "The update is moving the centroid there" in explain(run, f, Selection("centroid", 0)).sentence


def test_no_mean_before_the_first_assignment_or_for_an_empty_cluster(recolouring):
    run, timeline = recolouring
    e = explain(run, frame(timeline, 0), Selection("centroid", 1))
    assert (e.count, e.mean, e.members.any()) == (0, None, False) and "no point is assigned yet" in e.sentence
    f = frame(timeline, 1)
    emptied = type(f)(np.where(f.labels == 2, 0, f.labels), f.centroids, f.iteration,
                      f.step_index, f.done, f.moving)
    e = explain(run, emptied, Selection("centroid", 2))
    assert e.mean is None and "has no points" in e.sentence


def test_nothing_to_explain(recolouring):
    run, timeline = recolouring
    f = frame(timeline, 3)
    assert explain(run, f, None) is None
    assert explain(run, f, Selection("point", 40)) is None       # not a point of this run
    assert explain(run, f, Selection("centroid", 3)) is None     # K = 3
    with pytest.raises(ValueError):
        Selection("region", 0)


def test_the_snapshot_entry_is_plain_json(recolouring):
    import json
    run, timeline = recolouring
    f = frame(timeline, 3)
    for sel in (Selection("point", 2), Selection("centroid", 1)):
        d = explain(run, f, sel).as_dict()
        assert json.loads(json.dumps(d)) == d and d["kind"] == sel.kind and d["index"] == sel.index
