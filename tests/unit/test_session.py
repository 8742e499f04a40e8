"""session: what GO and RETRY do, reproducibly from one seed."""

import numpy as np
import pytest

from kmeans_anim.core.params import Params
from kmeans_anim.core.data import PointsError
from kmeans_anim.core.session import Session, random_seed


def test_go_makes_n_points_in_k_blobs_and_k_distinct_data_points_as_start():
    s = Session()
    run = s.go(Params(n=150, k=4, seed=1))
    assert s.points.shape == (150, 2)
    assert sorted(np.bincount(s.true_labels)) == [37, 37, 38, 38]
    assert len(np.unique(s.initial_centroids, axis=0)) == 4
    assert all((s.points == c).all(axis=1).any() for c in s.initial_centroids)
    assert run.steps[0].kind == "init"
    np.testing.assert_array_equal(run.steps[0].centroids, s.initial_centroids)


def test_same_seed_gives_the_identical_run():
    a, b = Session(), Session()
    ra, rb = a.go(Params(seed=123)), b.go(Params(seed=123))
    np.testing.assert_array_equal(a.points, b.points)
    assert len(ra.steps) == len(rb.steps)
    for x, y in zip(ra.steps, rb.steps):
        np.testing.assert_array_equal(x.centroids, y.centroids)
        np.testing.assert_array_equal(x.labels, y.labels)


def test_go_without_a_seed_draws_fresh_points_each_time():
    s = Session()
    s.go(Params())
    first_points, first_seed = s.points.copy(), s.seed
    s.go(Params())
    assert s.seed != first_seed
    assert not np.array_equal(s.points, first_points)


def test_retry_keeps_points_and_draws_new_starting_centroids():
    s = Session()
    s.go(Params(n=200, k=5, seed=9))
    points, start = s.points.copy(), s.initial_centroids.copy()
    s.retry()
    np.testing.assert_array_equal(s.points, points)
    assert s.attempt == 1
    assert not np.array_equal(s.initial_centroids, start)
    # ...and RETRY is reproducible too: attempt 1 of seed 9 is always the same.
    again = Session()
    again.go(Params(n=200, k=5, seed=9))
    again.retry()
    np.testing.assert_array_equal(again.initial_centroids, s.initial_centroids)


def test_retry_before_go_is_refused():
    with pytest.raises(RuntimeError, match="GO first"):
        Session().retry()


def test_points_all_at_one_place_are_refused_in_words():
    with pytest.raises(PointsError, match="same place"):
        Session().go(Params(dataset="custom", k=2, seed=1), np.ones((5, 2)))


def test_go_with_an_attempt_shows_that_retry_of_the_seed():
    direct = Session()
    direct.go(Params(n=100, k=4, seed=31, attempt=3))
    stepped = Session()
    stepped.go(Params(n=100, k=4, seed=31))
    for _ in range(3):
        stepped.retry()
    assert direct.attempt == stepped.attempt == 3
    np.testing.assert_array_equal(direct.initial_centroids, stepped.initial_centroids)
    np.testing.assert_array_equal(direct.run.labels, stepped.run.labels)


def test_fresh_seeds_have_six_digits_at_most():
    seeds = {random_seed() for _ in range(200)}
    assert all(0 <= s < 1_000_000 for s in seeds) and len(seeds) > 150


def test_k_is_lowered_to_the_number_of_distinct_points():
    points = np.array([[1.0, 1.0]] * 10 + [[4.0, 2.0]] * 7 + [[0.0, 5.0]] * 3)
    run = Session().go(Params(k=5, seed=3, dataset="custom", init="farthest"), points)
    assert run.centroids.shape == (3, 2)
    # One centroid on each distinct point (up to the rounding of centring the points).
    found = run.centroids[np.lexsort(run.centroids.T[::-1])]
    np.testing.assert_allclose(found, np.unique(points, axis=0), rtol=0, atol=1e-12)


def test_a_run_computed_step_by_step_is_the_run_computed_at_once():
    whole = Session().go(Params(n=200, k=4, seed=8, max_iter=30))
    s = Session()
    s.prepare(Params(n=200, k=4, seed=8, max_iter=30))
    rec = s.start()
    assert len(rec.steps) == 1 and not rec.finished       # only the start is computed
    while not rec.finished:
        assert rec.advance()
    assert [st.kind for st in rec.steps] == [st.kind for st in whole.steps]
    np.testing.assert_array_equal(rec.labels, whole.labels)
    np.testing.assert_array_equal(rec.centroids, whole.centroids)
    assert (rec.n_iter, rec.stop_reason, rec.inertia) == (whole.n_iter, whole.stop_reason, whole.inertia)


def test_centroids_placed_by_hand_start_the_run_where_they_were_placed():
    placed = np.array([[-5.0, 0.0], [5.0, 0.0], [0.0, 5.0]])
    s = Session()
    run = s.go(Params(n=90, k=3, seed=2, init="manual"), centroids=placed)
    np.testing.assert_array_equal(run.steps[0].centroids, placed)
    np.testing.assert_array_equal(s.initial_centroids, placed)
    with pytest.raises(ValueError, match="placed"):
        s.retry()  # a manual start without the centroids placed


def test_a_centroid_moved_by_hand_branches_the_run():
    s = Session()
    run = s.go(Params(n=150, k=3, seed=5))
    shown = 4                                   # an update step on screen
    step = run.steps[shown]
    moved = step.centroids.copy()
    moved[1] = moved[0] + [1.0, 1.0]          # beside another: points change cluster
    branch = s.branch(shown, moved, step.labels, step.iteration)
    assert s.run is branch and not branch.finished
    # the past is kept, then the move, then Lloyd's algorithm from the moved centroids
    assert branch.steps[: shown + 1] == list(run.steps[: shown + 1])
    move = branch.steps[shown + 1]
    assert move.kind == "move" and move.iteration == step.iteration
    np.testing.assert_array_equal(move.centroids, moved)
    np.testing.assert_array_equal(move.labels, step.labels)
    # its inertia is that of the picture: the moved centroids with the colours still shown
    drawn = ((s.points - moved[step.labels]) ** 2).sum()
    assert move.inertia == pytest.approx(drawn, rel=1e-12)
    branch.finish()
    first = branch.steps[shown + 2]
    assert first.kind == "assign" and first.iteration == step.iteration + 1
    d = ((s.points[:, None, :] - moved[None]) ** 2).sum(axis=2)
    np.testing.assert_array_equal(first.labels, d.argmin(axis=1))
    assert first.changed == int(np.count_nonzero(first.labels != step.labels))
    assert first.changed > 0 and first.inertia < move.inertia  # the recolour lowers it
    assert branch.n_iter == branch.steps[-1].iteration > step.iteration


def test_own_points_have_no_true_clusters():
    s = Session()
    s.go(Params(dataset="custom", k=2, seed=1), np.array([[0.0, 0.0], [1.0, 1.0], [5.0, 5.0]]))
    assert s.true_labels is None


def test_the_params_describe_the_run_on_screen_for_a_link():
    s = Session()
    s.go(Params(n=60, k=3))                        # no seed: one is drawn
    assert s.params.seed == s.seed is not None and s.params.attempt == 0
    # RETRY with other settings: K applies, the points (and what made them) stay.
    s.retry(Params(n=200, k=4, std=2.0, dataset="moons", seed=99))
    assert (s.params.k, s.params.attempt) == (4, 1)
    assert (s.params.n, s.params.std, s.params.dataset, s.params.seed) == (60, 0.8, "blobs", s.seed)
    again = Session()
    again.go(s.params)                             # the link's params make the same run
    np.testing.assert_array_equal(again.points, s.points)
    np.testing.assert_array_equal(again.run.centroids, s.run.centroids)


def test_a_retry_with_another_k_keeps_the_blobs_the_points_were_drawn_with():
    s = Session()
    s.go(Params(n=90, k=3, seed=5))                # blobs: as many true clusters as K
    s.retry(Params(n=90, k=5, seed=5))
    assert (s.params.k, s.params.centers) == (5, 3)
    again = Session()
    again.go(s.params)
    np.testing.assert_array_equal(again.points, s.points)
    np.testing.assert_array_equal(again.run.centroids, s.run.centroids)


def test_a_go_refused_for_points_at_one_place_changes_nothing():
    session = Session()
    session.go(Params(dataset="custom", k=2, seed=1), np.array([[0.0, 0.0], [1.0, 1.0], [5.0, 5.0]]))
    before = (session.params, session.points.copy(), session.run, session.attempt)
    with pytest.raises(PointsError, match="same place"):
        session.prepare(Params(dataset="custom", k=2, seed=2), np.full((4, 2), 3.0))
    assert session.params == before[0] and session.run is before[2] and session.attempt == before[3]
    assert np.array_equal(session.points, before[1])


def test_given_start_names_the_centroids_placed_or_moved_by_hand_and_their_generator():
    # "Copy as Python" writes these into the script: a drawn start is None (the script draws
    # it too); placed by hand, the attempt's generator; moved by hand, the last move's.
    s = Session()
    assert s.given_start() is None                 # no run yet
    s.go(Params(n=90, k=3, seed=8))
    assert s.given_start() is None
    placed = np.array([[-5.0, 0.0], [5.0, 0.0], [0.0, 5.0]])
    s.go(Params(n=90, k=3, seed=8, init="manual", attempt=2), centroids=placed)
    start, key, why = s.given_start()
    np.testing.assert_array_equal(start, placed)
    assert key == [8, 1, 2] and why == "placed by hand"
    run = s.run
    for shown in (2, 4):                           # two moves: the run goes on from the last
        step = run.steps[shown]
        moved = step.centroids + [0.5, -0.5]
        run = s.branch(shown, moved, step.labels, step.iteration).finish()
    start, key, why = s.given_start()
    np.testing.assert_array_equal(start, moved)
    assert key == [8, 2, 2, 2] and why == "as you moved them by hand during the run"
    s.retry(Params(n=90, k=3, seed=8))             # a new attempt draws its start again
    assert s.given_start() is None


# --------------------------------------------------------------------------------------------
# Watch the start: a seeding rule's picks are half-steps of their own
# --------------------------------------------------------------------------------------------

SEEDING = ("k-means++", "greedy-k-means++", "farthest")


def run_from_engine_start(s: Session):
    """The run as it was made before the picks were shown: engine.init_centroids, then Lloyd,
    from the attempt's generator."""
    from kmeans_anim.core import engine
    from kmeans_anim.core.session import attempt_rng
    p = s.params
    rng = attempt_rng(s.seed, s.attempt)
    start = engine.init_centroids(s.points, s.k(), p.init, rng)
    stepper = engine.LloydStepper(s.points, start, max_iter=p.max_iter, tol=p.tol,
                                  empty_rule=p.empty, rng=rng)
    while not stepper.finished:
        stepper.advance()
    return stepper.run()


@pytest.mark.parametrize("init", SEEDING)
def test_a_seeding_rule_starts_with_one_pick_half_step_per_centroid(init):
    s = Session()
    run = s.go(Params(n=200, k=5, seed=42, init=init, empty="random"))
    kinds = [st.kind for st in run.steps]
    assert kinds[:6] == ["pick"] * 5 + ["assign"] and "init" not in kinds
    picks = run.steps[:5]
    assert ([(st.pick.number, st.of, st.pick.method) for st in picks]
            == [(c, 5, init) for c in range(5)])
    for c, st in enumerate(picks):
        # The centroids picked so far: the start's first c + 1, each the point picked.
        np.testing.assert_array_equal(st.centroids, s.initial_centroids[: c + 1])
        np.testing.assert_array_equal(st.centroids[-1], s.points[st.pick.index])
        assert (st.labels == -1).all() and st.iteration == 0
        # Its inertia: every point to the nearest centroid picked so far.
        d2 = ((s.points[:, None] - st.centroids[None]) ** 2).sum(axis=2).min(axis=1)
        assert st.inertia == pytest.approx(d2.sum(), rel=1e-9)
    # The same centroids, labels and inertias as before the picks were shown (same generator).
    before = run_from_engine_start(s)
    np.testing.assert_array_equal(s.initial_centroids, before.steps[0].centroids)
    assert picks[-1].inertia == before.steps[0].inertia
    assert len(run.steps) == len(before.steps) + 4
    for mine, theirs in zip(run.steps[5:], before.steps[1:]):
        assert mine.kind == theirs.kind
        np.testing.assert_array_equal(mine.centroids, theirs.centroids)
        np.testing.assert_array_equal(mine.labels, theirs.labels)


@pytest.mark.parametrize("init", ["random", "uniform"])
def test_other_starts_keep_their_one_init_half_step(init):
    s = Session()
    run = s.go(Params(n=100, k=3, seed=5, init=init))
    kinds = [st.kind for st in run.steps]
    assert kinds[0] == "init" and kinds[1] == "assign" and "pick" not in kinds


def test_the_start_is_computed_a_pick_per_piece():
    s = Session()
    s.prepare(Params(n=300, k=4, seed=9, init="k-means++"))
    pieces = s.start_in_pieces(piece=None)
    count = 0
    while True:
        try:
            next(pieces)
            count += 1
        except StopIteration as done:
            run = done.value
            break
    assert count >= 4 and [st.kind for st in run.steps[:4]] == ["pick"] * 4


def test_a_centroid_cannot_be_moved_before_all_are_picked():
    s = Session()
    run = s.go(Params(n=100, k=3, seed=3, init="k-means++"))
    early = run.steps[1]
    with pytest.raises(ValueError, match="once all 3 are picked"):
        s.branch(1, early.centroids + 0.5, early.labels, early.iteration)
    assert s.run is run and s.branches == 0
    # From the last pick (all three on screen) a move goes on as from a start.
    last = run.steps[2]
    moved = last.centroids + 0.5
    branch = s.branch(2, moved, last.labels, last.iteration)
    assert [st.kind for st in branch.steps[:4]] == ["pick", "pick", "pick", "move"]
    np.testing.assert_array_equal(branch.steps[3].centroids, moved)
