"""Tests for kmeans_anim.player: the timeline schedule, tweening and play/pause/step logic.

Runs are built from stand-in dataclasses with the shape of engine.Step / engine.Run (duck typing),
so these tests do not depend on the engine. Time is passed in explicitly: no sleeps.
"""

from dataclasses import dataclass

import numpy as np
import pytest

from kmeans_anim.core import player as P
from kmeans_anim.core.player import ASSIGN_FRACTION, UPDATE_FRACTION, Player, Timeline


@dataclass(frozen=True)
class Step:
    kind: str
    iteration: int
    labels: np.ndarray
    centroids: np.ndarray
    inertia: float = 0.0
    changed: int = 0
    shift: float = 0.0


@dataclass(frozen=True)
class Run:
    steps: tuple
    labels: np.ndarray
    centroids: np.ndarray
    inertia: float
    n_iter: int
    stop_reason: str


N = 4
C0 = np.array([[0.0, 0.0], [10.0, 0.0]])
C1 = np.array([[1.0, 2.0], [9.0, -2.0]])
C2 = np.array([[2.0, 2.0], [8.0, -4.0]])
L1 = np.array([0, 0, 1, 1])
L2 = np.array([0, 1, 1, 1])
UNASSIGNED = np.full(N, -1)


def two_iteration_run(extra_assign=False, converged_last=False):
    """init, assign 1, update 1, assign 2, update 2 (+ an extra final assign)."""
    c2 = C1 if converged_last else C2
    steps = [
        Step("init", 0, UNASSIGNED, C0),
        Step("assign", 1, L1, C0),
        Step("update", 1, L1, C1),
        Step("assign", 2, L2, C1),
        Step("update", 2, L2, c2),
    ]
    labels = L2
    if extra_assign:
        labels = np.array([1, 1, 1, 0])
        steps.append(Step("assign", 2, labels, c2))
    reason = "converged" if converged_last else ("max_iter" if extra_assign else "tol")
    return Run(tuple(steps), labels, c2, 1.0, 2, reason)


SPI, INIT = 1.0, 0.5
T_ASSIGN1 = INIT
T_UPDATE1 = INIT + ASSIGN_FRACTION * SPI
T_ASSIGN2 = INIT + SPI
T_UPDATE2 = INIT + SPI + ASSIGN_FRACTION * SPI
END = INIT + 2 * SPI


@pytest.fixture
def timeline():
    return Timeline(two_iteration_run(), seconds_per_iteration=SPI, init_seconds=INIT)


def test_fractions_split_an_iteration():
    assert 0 < ASSIGN_FRACTION < 1
    assert ASSIGN_FRACTION + UPDATE_FRACTION == pytest.approx(1.0)


def test_schedule(timeline):
    assert timeline.duration == pytest.approx(END)
    expected = [0.0, T_ASSIGN1, T_UPDATE1, T_ASSIGN2, T_UPDATE2, END]
    assert [timeline.step_start(i) for i in range(6)] == pytest.approx(expected)
    # a half-step is shown complete at the end of its interval; the start at 0
    assert [timeline.shown_at(i) for i in range(5)] == pytest.approx([0.0] + expected[2:])


def test_frame_at_zero_shows_init(timeline):
    f = timeline.frame_at(0.0)
    np.testing.assert_array_equal(f.labels, UNASSIGNED)
    np.testing.assert_array_equal(f.centroids, C0)
    assert (f.iteration, f.step_index, f.done, f.moving) == (0, 0, False, False)


def test_just_after_init_shows_first_assignment(timeline):
    f = timeline.frame_at(T_ASSIGN1 + 1e-6)
    np.testing.assert_array_equal(f.labels, L1)
    np.testing.assert_array_equal(f.centroids, C0)
    assert (f.iteration, f.step_index, f.moving) == (1, 1, False)
    # exactly at the boundary the init is shown complete; the recolour comes just after
    assert timeline.frame_at(T_ASSIGN1).step_index == 0


def test_update_tween(timeline):
    tween = UPDATE_FRACTION * SPI
    start = timeline.frame_at(T_UPDATE1 + 1e-6)
    np.testing.assert_allclose(start.centroids, C0, atol=1e-9)
    assert start.moving and start.iteration == 1 and start.step_index == 2
    mid = timeline.frame_at(T_UPDATE1 + tween / 2)
    np.testing.assert_allclose(mid.centroids, (C0 + C1) / 2, atol=1e-12)
    q = timeline.frame_at(T_UPDATE1 + tween / 4).centroids
    lo, hi = np.minimum(C0, C1), np.maximum(C0, C1)
    assert np.all((q > lo) & (q < hi))
    # ease-in: a quarter of the time covers less than a quarter of the way
    assert np.all(np.abs(q - C0) < np.abs(C1 - C0) / 4)
    # the end of the update: centroids at the means, colours unchanged, not moving
    end = timeline.frame_at(T_ASSIGN2)
    np.testing.assert_allclose(end.centroids, C1)
    np.testing.assert_array_equal(end.labels, L1)
    assert (end.step_index, end.moving) == (2, False)
    # the next assignment recolours with the centroids where the update left them
    np.testing.assert_allclose(timeline.frame_at(T_ASSIGN2 + 1e-6).centroids, C1)
    np.testing.assert_array_equal(timeline.frame_at(T_ASSIGN2 + 1e-6).labels, L2)


@pytest.mark.parametrize("p, expected", [(0.0, 0.0), (0.5, 0.5), (1.0, 1.0), (0.25, 0.0625)])
def test_ease_cubic_in_out(p, expected):
    assert P.ease_cubic_in_out(p) == pytest.approx(expected)


def test_ease_is_monotonic_and_symmetric():
    ps = np.linspace(0, 1, 101)
    e = np.array([P.ease_cubic_in_out(p) for p in ps])
    assert np.all(np.diff(e) > 0)
    np.testing.assert_allclose(e + e[::-1], 1.0, atol=1e-12)


@pytest.mark.parametrize("t", [END, END + 0.001, 100.0])
def test_end_is_final_state(timeline, t):
    run = timeline.run
    f = timeline.frame_at(t)
    assert f.done and not f.moving
    np.testing.assert_array_equal(f.labels, run.labels)
    np.testing.assert_array_equal(f.centroids, run.centroids)
    assert f.iteration == run.n_iter
    assert f.step_index == len(run.steps) - 1


def test_negative_time_clamps_to_start(timeline):
    f = timeline.frame_at(-3.0)
    assert f.step_index == 0 and f.iteration == 0 and not f.done


@pytest.mark.parametrize("kwargs", [{}, {"extra_assign": True}, {"converged_last": True}],
                         ids=["tol", "extra-assign", "converged"])
def test_iteration_label_never_decreases_and_ends_at_n_iter(kwargs):
    run = two_iteration_run(**kwargs)
    tl = Timeline(run, seconds_per_iteration=SPI, init_seconds=INIT)
    its = [tl.frame_at(t).iteration for t in np.linspace(0, tl.duration + 0.5, 400)]
    assert its[0] == 0
    assert all(a <= b for a, b in zip(its, its[1:]))
    assert its[-1] == run.n_iter
    steps = [tl.frame_at(t).step_index for t in np.linspace(0, tl.duration, 400)]
    assert all(a <= b for a, b in zip(steps, steps[1:]))


def test_converged_update_holds():
    tl = Timeline(two_iteration_run(converged_last=True), SPI, INIT)
    for t in np.linspace(T_UPDATE2, END - 1e-6, 20):
        f = tl.frame_at(t)
        assert not f.moving
        np.testing.assert_array_equal(f.centroids, C1)


def test_extra_final_assign_is_a_held_recolour():
    run = two_iteration_run(extra_assign=True)
    tl = Timeline(run, SPI, INIT)
    t_extra = END
    assert tl.step_start(5) == pytest.approx(t_extra)
    assert tl.duration == pytest.approx(END + ASSIGN_FRACTION * SPI)
    f = tl.frame_at(t_extra + 0.01)
    np.testing.assert_array_equal(f.labels, run.labels)
    np.testing.assert_allclose(f.centroids, C2)
    assert (f.step_index, f.iteration, f.moving, f.done) == (5, 2, False, False)
    end = tl.frame_at(tl.duration)
    assert end.done
    np.testing.assert_array_equal(end.labels, run.labels)


def test_zero_init_seconds_shows_the_start_only_at_zero():
    tl = Timeline(two_iteration_run(), SPI, init_seconds=0.0)
    assert tl.frame_at(0.0).step_index == 0
    f = tl.frame_at(1e-6)
    assert f.step_index == 1 and f.iteration == 1
    assert [tl.shown_at(i) for i in range(5)] == pytest.approx(
        [0.0, ASSIGN_FRACTION * SPI, SPI, (1 + ASSIGN_FRACTION) * SPI, 2 * SPI])


def test_bad_arguments():
    with pytest.raises(ValueError):
        Timeline(two_iteration_run(), seconds_per_iteration=0)
    with pytest.raises(IndexError):
        Timeline(two_iteration_run()).step_start(7)


def test_trails(timeline):
    tr = timeline.trails(0.0)
    assert tr.shape == (2, 1, 2)
    np.testing.assert_array_equal(tr[:, 0], C0)
    mid = timeline.trails(T_UPDATE1 + UPDATE_FRACTION * SPI / 2)
    assert mid.shape == (2, 2, 2)
    np.testing.assert_allclose(mid[:, 1], (C0 + C1) / 2)
    after1 = timeline.trails(T_ASSIGN2 + 0.01)
    assert after1.shape == (2, 2, 2)
    np.testing.assert_allclose(after1[:, 1], C1)
    end = timeline.trails(END)
    assert end.shape == (2, 3, 2)
    np.testing.assert_allclose(end[:, 2], C2)


# -- Player ------------------------------------------------------------------------------------


@pytest.fixture
def player(timeline):
    return Player(timeline)


def test_player_starts_paused_at_zero(player):
    assert not player.playing
    assert player.position(now=50.0) == 0.0
    assert player.frame(now=50.0).step_index == 0


def test_play_advances_with_the_clock(player):
    player.play(now=100.0)
    assert player.playing
    assert player.position(now=100.7) == pytest.approx(0.7)
    assert player.frame(now=100.7).step_index == 1


def test_pause_freezes_and_play_resumes(player):
    player.play(now=10.0)
    player.pause(now=10.3)
    assert not player.playing
    assert player.position(now=20.0) == pytest.approx(0.3)
    player.play(now=30.0)
    assert player.position(now=30.2) == pytest.approx(0.5)
    player.toggle(now=30.2)
    assert not player.playing and player.position(99.0) == pytest.approx(0.5)
    player.toggle(now=40.0)
    assert player.playing and player.position(40.1) == pytest.approx(0.6)


def test_playing_stops_at_end_and_play_restarts(player):
    player.play(now=0.0)
    assert player.done(now=END + 5)
    assert not player.playing
    assert player.position(now=END + 10) == pytest.approx(END)
    assert player.frame(now=END + 10).done
    player.play(now=100.0)
    assert player.position(now=100.1) == pytest.approx(0.1)


def test_step_forward_and_back_land_where_half_steps_are_complete(player, timeline):
    stops = [timeline.shown_at(i) for i in range(len(timeline.steps))]
    player.play(now=0.0)
    player.step_forward(now=0.1)            # from 0.1 -> the first assignment, done
    assert not player.playing
    assert player.position(now=5.0) == pytest.approx(stops[1])
    seen = [player.position(5.0)]
    for _ in range(10):
        player.step_forward(now=5.0)
        seen.append(player.position(5.0))
    assert seen == pytest.approx(stops[1:] + [END] * (11 - len(stops[1:])))
    assert player.done(now=5.0)
    player.step_back(now=5.0)    # the end shows the last half-step: back to the one before
    assert player.position(5.0) == pytest.approx(stops[-2])
    player.seek(T_UPDATE1 + 0.1, now=5.0)    # mid-update: back goes to the assignment before it
    player.step_back(now=5.0)
    assert player.position(5.0) == pytest.approx(T_UPDATE1)
    assert player.frame(5.0).step_index == 1
    player.seek(T_UPDATE1 + 0.1, now=5.0)    # mid-update: forward goes to its end
    player.step_forward(now=5.0)
    assert player.frame(5.0).step_index == 2 and not player.frame(5.0).moving
    player.seek(T_ASSIGN2 + 0.1, now=5.0)    # paused in a recolour's hold: it is complete already
    player.step_forward(now=5.0)
    assert player.frame(5.0).step_index == 4 and not player.frame(5.0).moving
    for _ in range(10):
        player.step_back(now=5.0)
    assert player.position(5.0) == 0.0


def test_speed_two_halves_wall_time(timeline):
    p = Player(timeline, speed=2.0)
    p.play(now=0.0)
    assert p.position(now=0.5) == pytest.approx(1.0)
    assert p.done(now=END / 2)
    assert not Player(timeline, speed=2.0).done(now=END / 2 - 0.01)


def test_set_speed_keeps_position(player):
    player.play(now=0.0)
    player.set_speed(4.0, now=0.2)
    assert player.position(now=0.2) == pytest.approx(0.2)
    assert player.position(now=0.3) == pytest.approx(0.6)
    assert player.speed == 4.0
    with pytest.raises(ValueError):
        player.set_speed(17.0, now=0.3)
    with pytest.raises(ValueError):
        Player(player.timeline, speed=0.1)


def test_seek_clamps(player):
    player.seek(-4.0, now=1.0)
    assert player.position(now=2.0) == 0.0
    player.seek(1e6, now=1.0)
    assert player.position(now=2.0) == pytest.approx(END)
    assert player.done(now=2.0)
    player.seek(1.0, now=3.0)
    assert player.frame(now=3.0).step_index == timeline_index_at(player.timeline, 1.0)


def timeline_index_at(tl, t):
    return max(i for i in range(len(tl.steps)) if tl.step_start(i) <= t)


def test_seek_while_playing_keeps_playing(player):
    player.play(now=0.0)
    player.seek(1.0, now=0.5)
    assert player.playing
    assert player.position(now=0.7) == pytest.approx(1.2)


def test_assignment_centroids_are_those_that_made_the_labels_on_screen():
    run = two_iteration_run()
    assert P.assignment_centroids(run, 0) is None  # init: nothing assigned yet
    np.testing.assert_array_equal(P.assignment_centroids(run, 1), C0)  # assign 1 used C0
    np.testing.assert_array_equal(P.assignment_centroids(run, 2), C0)  # gliding to C1: still L1
    np.testing.assert_array_equal(P.assignment_centroids(run, 3), C1)  # assign 2 used C1
    np.testing.assert_array_equal(P.assignment_centroids(run, 4), C1)


class Growing:
    """A run still being computed: steps arrive in pieces (like session.Recording)."""

    def __init__(self, run, shown):
        self._all, self.shown = run.steps, shown

    @property
    def steps(self):
        return self._all[: self.shown]

    @property
    def finished(self):
        return self.shown == len(self._all)


def test_a_run_being_computed_waits_at_its_end_then_goes_on():
    run = Growing(two_iteration_run(), 3)        # init, assign 1, update 1 so far
    timeline = Timeline(run, seconds_per_iteration=SPI, init_seconds=INIT)
    player = Player(timeline)
    player.play(0.0)
    frame = player.frame(T_ASSIGN2 + 0.3)          # past what is recorded
    assert not frame.done and frame.step_index == 2 and player.playing and player.waiting
    np.testing.assert_array_equal(frame.centroids, C1)
    # the clock did not run ahead while waiting: the next step starts where playback resumes
    run.shown = 5
    timeline.refresh()
    later = player.frame(T_ASSIGN2 + 0.3 + 0.1)
    assert later.step_index == 3 and not later.done
    assert player.frame(10.0).done and not player.playing


def test_reduced_motion_jumps_instead_of_gliding():
    timeline = Timeline(two_iteration_run(), seconds_per_iteration=SPI, init_seconds=INIT, glide=False)
    frame = timeline.frame_at(T_UPDATE1 + 0.01)
    assert frame.step_index == 2 and not frame.moving
    np.testing.assert_array_equal(frame.centroids, C1)   # already at the new place


def test_a_move_by_hand_is_held_and_bends_the_trails():
    moved = C1 + [[0.5, 0.5], [0.0, 0.0]]
    steps = two_iteration_run().steps[:3] + (
        Step("move", 1, L1, moved), Step("assign", 2, L2, moved), Step("update", 2, L2, C2))
    run = Run(steps, L2, C2, 1.0, 2, "tol")
    timeline = Timeline(run, seconds_per_iteration=SPI, init_seconds=INIT)
    start = timeline.step_start(3)
    assert timeline.step_start(4) - start == pytest.approx(INIT)
    frame = timeline.frame_at(start + 0.1)
    assert frame.step_index == 3 and not frame.moving
    np.testing.assert_array_equal(frame.centroids, moved)
    trail = timeline.trails(timeline.duration)
    np.testing.assert_array_equal(trail[:, 2], moved)     # C0, C1, the move, C2
    assert trail.shape[1] == 4


def test_the_last_frame_counts_iterations_of_a_branch_from_its_steps():
    steps = two_iteration_run().steps[:3] + (Step("move", 1, L1, C1), Step("assign", 2, L2, C1),
                                              Step("update", 2, L2, C2))
    run = Run(steps, L2, C2, 1.0, 1, "tol")  # the branch's own n_iter is 1
    assert Timeline(run).frame_at(99.0).iteration == 2


def test_a_step_back_from_the_end_shows_the_previous_half_step(timeline):
    player = Player(timeline)
    player.seek(timeline.duration, 0.0)
    last = player.frame(0.0)
    assert last.done
    player.step_back(0.0)
    frame = player.frame(0.0)
    assert frame.step_index == last.step_index - 1 and not frame.done


BRANCHED = two_iteration_run().steps[:3] + (Step("move", 1, L1, C2), Step("assign", 2, L2, C2),
                                           Step("update", 2, L2, C1))


@pytest.mark.parametrize("steps", [two_iteration_run().steps, two_iteration_run(extra_assign=True).steps,
                                   BRANCHED], ids=["tol", "extra-assign", "branched"])
@pytest.mark.parametrize("glide", [True, False], ids=["glide", "reduced-motion"])
def test_every_stop_shows_its_half_step_complete(steps, glide):
    """Paused on half-step i: the labels and centroids are exactly that step's (an assignment's
    new colours with the old centroids; an update's means with the colours unchanged)."""
    tl = Timeline(Run(steps, steps[-1].labels, steps[-1].centroids, 1.0, 2, "tol"), glide=glide)
    for i, step in enumerate(steps):
        f = tl.frame_at(tl.shown_at(i))
        assert f.step_index == i and not f.moving and tl.step_at(tl.shown_at(i)) == i
        np.testing.assert_array_equal(f.labels, step.labels)
        np.testing.assert_array_equal(f.centroids, step.centroids)


def test_a_trail_reaches_an_update_s_end_when_the_update_is_shown_complete(timeline):
    path = timeline.trails(timeline.shown_at(2))    # update 1 complete
    np.testing.assert_allclose(path[:, -1], C1)
    assert path.shape[1] == 2
    mid = timeline.trails(T_UPDATE1 + UPDATE_FRACTION * SPI / 2)  # gliding: start + where it is
    assert mid.shape[1] == 2
    np.testing.assert_allclose(mid[:, -1], (C0 + C1) / 2, atol=1e-12)


def test_seek_step_pauses_on_a_half_step_complete(timeline):
    player = Player(timeline)
    player.play(0.0)
    player.seek_step(2, 0.1)
    assert not player.playing
    f = player.frame(3.0)
    assert f.step_index == 2 and not f.moving
    np.testing.assert_allclose(f.centroids, C1)
    player.seek_step(99, 3.0)
    assert player.frame(3.0).step_index == len(timeline.steps) - 1


# --------------------------------------------------------------------------------------------
# A start picked one centroid at a time: a half-step per pick before the first assignment
# --------------------------------------------------------------------------------------------


def picked_run():
    """pick 1 of 2, pick 2 of 2 (all of C0), then the two iterations of two_iteration_run."""
    rest = two_iteration_run().steps[1:]
    picks = (Step("pick", 0, UNASSIGNED, C0[:1]), Step("pick", 0, UNASSIGNED, C0))
    return Run(picks + rest, L2, C2, 1.0, 2, "tol")


def test_start_index_is_the_last_pick_or_the_first_step():
    assert P.start_index(picked_run().steps) == 1
    assert P.start_index(two_iteration_run().steps) == 0


def test_each_pick_is_a_half_step_of_its_own_held_like_the_start():
    tl = Timeline(picked_run(), seconds_per_iteration=SPI, init_seconds=INIT)
    assert tl.duration == pytest.approx(END + INIT)
    assert [tl.step_start(i) for i in range(3)] == pytest.approx([0.0, INIT, 2 * INIT])
    first, second = tl.frame_at(tl.shown_at(0)), tl.frame_at(tl.shown_at(1))
    assert (first.step_index, first.iteration, first.moving) == (0, 0, False)
    np.testing.assert_array_equal(first.centroids, C0[:1])    # the one centroid picked so far
    assert second.step_index == 1
    np.testing.assert_array_equal(second.centroids, C0)
    np.testing.assert_array_equal(second.labels, UNASSIGNED)
    assert tl.frame_at(tl.shown_at(2)).step_index == 2       # the first assignment


def test_stepping_walks_through_the_picks_one_by_one():
    player = Player(Timeline(picked_run(), seconds_per_iteration=SPI, init_seconds=INIT))
    seen = [player.frame(0.0).step_index]
    for _ in range(3):
        player.step_forward(0.0)
        seen.append(player.frame(0.0).step_index)
    assert seen == [0, 1, 2, 3]
    for _ in range(3):
        player.step_back(0.0)
    assert player.frame(0.0).step_index == 0
    player.seek_step(1, 0.0)
    assert player.frame(0.0).step_index == 1 and not player.playing


def test_trails_start_from_all_the_picked_centroids():
    tl = Timeline(picked_run(), seconds_per_iteration=SPI, init_seconds=INIT)
    np.testing.assert_array_equal(tl.trails(0.0), C0[:, None, :])
    np.testing.assert_array_equal(tl.trails(tl.duration), np.stack([C0, C1, C2], axis=1))
