"""session: what GO and RETRY do, reproducibly from one seed."""

import numpy as np
import pytest

from kmeans_anim.params import Params
from kmeans_anim.data import PointsError
from kmeans_anim.session import Session, random_seed


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
