"""scene: what a frame draws, the one rule the page, the PNG and the GIF share.

Each test builds a real run (Session) and asks for the scene at a half-step as the page's
Timeline shows it: complete at the half-step's end (`Timeline.shown_at`), or mid-glide.
"""

import ast
import doctest
import inspect
import pathlib

import numpy as np
import pytest

from kmeans_anim.picture import scene as S
from kmeans_anim.core.params import Params
from kmeans_anim.core.player import Timeline
from kmeans_anim.picture.scene import Options, frame_scene
from kmeans_anim.core.session import Session
from kmeans_anim.picture.view import KMeansView
from shared_runs import recolouring  # noqa: F401 -- a fixture

ALL = Options(paths=True, regions=True, changed=True, links=True)
NONE = Options()


def test_module_example_runs():
    result = doctest.testmod(S)
    assert result.attempted >= 8 and result.failed == 0


def at_step(timeline, index, options=ALL, **kwargs):
    """The scene of half-step `index` shown complete."""
    t = timeline.shown_at(index)
    return frame_scene(timeline.run, timeline.frame_at(t), options, timeline.trails(t), **kwargs)


def mid_glide(timeline, index):
    """The time halfway through update `index`'s glide."""
    return 0.5 * (timeline.step_start(index) + timeline.step_start(index + 1))


def test_rings_only_at_assignments_after_the_first_and_before_the_end(recolouring):
    run, timeline = recolouring
    ringed = []
    for index, step in enumerate(run.steps[:-1]):
        shown = at_step(timeline, index)
        if shown.changed is not None:
            ringed.append(index)
            before = run.steps[index - 1].labels
            np.testing.assert_array_equal(shown.changed, step.labels != before)
    assert ringed == [i for i, st in enumerate(run.steps)
                      if st.kind == "assign" and i > 1 and st.changed > 0]
    assert ringed and 1 not in ringed                 # the first assignment colours everyone
    end = timeline.frame_at(timeline.duration)
    assert end.done and frame_scene(run, end, ALL).changed is None
    assert all(at_step(timeline, i, Options(paths=True, regions=True, links=True)).changed
               is None for i in range(len(run.steps)))  # the option off: never


def test_the_last_assignment_is_ringed_until_the_run_ends():
    # A run stopped by max_iter ends with a re-assignment: shown paused before the end it is
    # ringed; the final frame (done) is not.
    s = Session()
    run = s.go(Params(n=200, k=6, seed=8, max_iter=2))
    assert run.stop_reason == "max_iter" and run.steps[-1].kind == "assign"
    assert run.steps[-1].changed == 12
    timeline = Timeline(run)
    last = len(run.steps) - 1
    before_end = timeline.frame_at(timeline.step_start(last) + 0.1)
    assert before_end.step_index == last and not before_end.done
    assert frame_scene(run, before_end, ALL).changed.sum() == 12
    assert frame_scene(run, timeline.frame_at(timeline.duration), ALL).changed is None


def test_regions_are_those_of_the_assignment_that_coloured_the_points(recolouring):
    run, timeline = recolouring
    assert at_step(timeline, 0).regions is None         # nothing assigned yet
    for index, step in enumerate(run.steps[1:], start=1):
        assignment = max(i for i in range(index + 1) if run.steps[i].kind == "assign")
        np.testing.assert_array_equal(at_step(timeline, index).regions,
                                      run.steps[assignment].centroids)
        assert at_step(timeline, index, Options(changed=True)).regions is None
    # Mid-glide the centroids move on, the regions stay those of the colours on screen.
    t = mid_glide(timeline, 2)
    frame = timeline.frame_at(t)
    assert frame.moving
    shown = frame_scene(run, frame, ALL)
    np.testing.assert_array_equal(shown.regions, run.steps[1].centroids)
    assert not np.array_equal(shown.centroids, shown.regions)


def test_a_dragged_centroid_is_drawn_under_the_pointer_and_its_regions_follow(recolouring):
    run, timeline = recolouring
    frame = timeline.frame_at(timeline.shown_at(4))
    kept = frame.centroids.copy()
    shown = frame_scene(run, frame, ALL, drag=(1, (7.5, -2.25)))
    np.testing.assert_array_equal(shown.centroids[1], [7.5, -2.25])
    others = [0, 2]
    np.testing.assert_array_equal(shown.centroids[others], kept[others])
    np.testing.assert_array_equal(shown.regions, shown.centroids)
    np.testing.assert_array_equal(frame.centroids, kept)           # the frame is untouched
    np.testing.assert_array_equal(S.shown_centroids(frame, (1, (7.5, -2.25))), shown.centroids)
    assert S.shown_centroids(frame) is frame.centroids


def test_paths_only_with_the_option_on(recolouring):
    run, timeline = recolouring
    t = mid_glide(timeline, 4)
    trails = timeline.trails(t)
    frame = timeline.frame_at(t)
    np.testing.assert_array_equal(frame_scene(run, frame, Options(paths=True), trails).trails,
                                  trails)
    assert frame_scene(run, frame, Options(regions=True, changed=True, links=True),
                       trails).trails is None
    assert frame_scene(run, frame, ALL, trails).links and not frame_scene(run, frame, NONE).links


def test_empty_clusters_are_those_of_the_half_step_on_screen():
    s = Session()
    run = s.go(Params(n=200, k=10, centers=3, seed=1, init="uniform"))
    timeline = Timeline(run)
    seen = set()
    for index, step in enumerate(run.steps):
        shown = at_step(timeline, index, NONE)
        assert shown.empty == tuple(step.empty)
        seen.add(shown.empty)
    assert () in seen and len(seen) > 1                  # some half-steps had empty clusters


def test_the_caption_names_the_half_step_as_the_scrubber_does(recolouring):
    run, timeline = recolouring
    total = len(run.steps)
    assert at_step(timeline, 0).caption == ""            # the page shows it beside the plot
    assert at_step(timeline, 0, caption=True).caption == f"half-step 1 of {total}: start"
    assert at_step(timeline, 2, caption=True).caption == f"half-step 3 of {total}: update 1"
    t = mid_glide(timeline, 4)
    frame = timeline.frame_at(t)
    assert frame_scene(run, frame, NONE, caption=True).caption == (
        f"half-step 5 of {total}: update 2, moving")     # paused mid-glide
    assert frame_scene(run, frame, NONE, caption=True, playing=True).caption == (
        f"half-step 5 of {total}: update 2")


def test_a_run_still_being_computed_says_so_far():
    s = Session()
    s.prepare(Params(n=60, k=3, seed=5))
    run = s.start()
    run.advance()                                        # one iteration computed of several
    assert not run.finished
    timeline = Timeline(run)
    assert at_step(timeline, 2, caption=True).caption == (
        f"half-step 3 of {len(run.steps)} so far: update 1")


def test_params_carry_the_options_and_render_args_name_every_render_parameter(recolouring):
    run, timeline = recolouring
    args = at_step(timeline, 3, Params(paths=1, regions=0, changed=1, links=0)).render_args()
    assert args["trails"] is not None and args["regions"] is None
    assert args["changed"] is not None and args["links"] is False
    accepted = set(inspect.signature(KMeansView.render).parameters) - {"self"}
    assert set(args) == accepted


def test_no_browser_imports():
    source = pathlib.Path(S.__file__).read_text()
    roots = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            roots.add(node.module.split(".")[0])
    assert roots <= {"__future__", "dataclasses", "numpy"}, roots


def test_a_selection_is_explained_on_the_frame_with_the_centroids_as_drawn(recolouring):
    from kmeans_anim.picture.explain import Selection
    run, timeline = recolouring
    assert at_step(timeline, 3).explained is None                 # nothing selected
    shown = at_step(timeline, 3, selection=Selection("point", 4))
    assert shown.explained.index == 4 and shown.render_args()["explained"] is shown.explained
    np.testing.assert_array_equal(shown.explained.centroids, shown.centroids)
    held = at_step(timeline, 3, drag=(0, (0.0, 0.0)), selection=Selection("point", 4))
    np.testing.assert_array_equal(held.explained.centroids[0], [0.0, 0.0])   # follows a drag
    c = at_step(timeline, 3, selection=Selection("centroid", 1))
    assert c.explained.count == int((c.labels == 1).sum())
    # the picture draws it: the PNG of that frame (the exports' path) differs from without
    view = KMeansView(400, 320)
    view.set_points(run.points)
    plain = view.render(**at_step(timeline, 3).render_args()).copy()
    assert not np.array_equal(view.render(**c.render_args()), plain)


@pytest.mark.parametrize("init", ["k-means++", "greedy-k-means++", "farthest"])
def test_a_pick_draws_every_point_s_weight_and_a_greedy_pick_rings_its_candidates(init):
    s = Session()
    run = s.go(Params(n=50, k=3, seed=8, init=init))
    timeline = Timeline(run)
    first = at_step(timeline, 0, NONE)
    assert first.weights is None and first.changed is None   # a uniform choice: nothing to show
    for c in (1, 2):
        shown = at_step(timeline, c, NONE)
        before = run.steps[c].centroids[:-1]
        d2 = ((s.points[:, None] - before[None]) ** 2).sum(axis=2).min(axis=1)
        np.testing.assert_allclose(shown.weights, d2 / d2.max(), rtol=1e-9, atol=1e-12)
        candidates = run.steps[c].pick.candidates
        if init == "greedy-k-means++":
            assert np.flatnonzero(shown.changed).tolist() == sorted(set(candidates))
        else:
            assert shown.changed is None
        assert (shown.labels == -1).all() and len(shown.centroids) == c + 1
    assert at_step(timeline, 3, ALL).weights is None        # the first assignment
