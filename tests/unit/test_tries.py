"""tries: the attempts on the current points, as the teaching panel lists them (issue 17)."""

import numpy as np

from kmeans_anim.core.params import Params
from kmeans_anim.core.session import Session
from kmeans_anim.core.tries import Tries


def test_best_so_far_is_the_lowest_at_its_k_when_it_was_made():
    X = np.zeros((4, 2))
    tries = Tries()
    for attempt, k, inertia in [(0, 3, 50.0), (1, 3, 60.0), (2, 4, 70.0), (3, 3, 40.0), (4, 4, 65.0)]:
        tries.add(X, Params(k=k, attempt=attempt), inertia)
    rows = tries.listed()
    assert [(r.attempt, r.best) for r in rows] == [(0, True), (1, False), (2, True), (3, True), (4, True)]
    assert [r.attempt for r in rows if r.lowest] == [3, 4]


def test_a_run_shown_again_is_listed_once_and_retry_goes_past_every_attempt_used():
    X = np.zeros((4, 2))
    tries = Tries()
    tries.add(X, Params(k=3, attempt=0), 5.0)
    tries.add(X, Params(k=3, attempt=0, best_of=10), 5.0)   # the same run, shown as a best of 10
    tries.add(X, Params(k=3, attempt=0, init="k-means++"), 4.0)  # another start: another run
    assert len(tries.entries) == 2
    tries.used(X, 9)
    assert tries.next_attempt(X) == 10
    assert tries.next_attempt(X.copy()) is None   # other points: nothing known


def test_the_list_starts_over_with_new_points_and_follows_the_session():
    s = Session()
    tries = Tries()
    run = s.go(Params(n=60, k=3, seed=4))
    tries.add(s.points, s.params, run.inertia)
    run = s.retry()
    tries.add(s.points, s.params, run.inertia)     # RETRY keeps the points array
    assert [r.attempt for r in tries.listed()] == [0, 1]
    s.next_attempt(attempt=tries.next_attempt(s.points))
    assert s.attempt == 2
    s.go(Params(n=60, k=3, seed=4))                # GO: a new array, the same numbers
    assert tries.follow(s.points) and tries.entries == []
