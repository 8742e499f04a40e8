"""The race (core/race.py, the race block of core/params.py, picture/race.py, its wording):
the address names 2 to 4 starts and corrects anything else in plain words; each racer is the
single run of its start; every racer shows the same half-step; the verdict says who finished
lower and in how many iterations."""

from __future__ import annotations

import dataclasses
import doctest

import numpy as np
import pytest

from kmeans_anim.core import choices, params as P, race as race_module
from kmeans_anim.core.params import Params
from kmeans_anim.core.player import Timeline
from kmeans_anim.core.race import HALF_STEPS_PER_SECOND, Race, RaceClock
from kmeans_anim.core.session import Session
from kmeans_anim.picture import race as picture_race
from kmeans_anim.picture.scene import frame_scene
from kmeans_anim.words import wording


def test_doctests():
    for module in (race_module, picture_race):
        result = doctest.testmod(module)
        assert result.failed == 0 and result.attempted > 0, module.__name__


# ---------------------------------------------------------------- the address


@pytest.mark.parametrize("query, names", [
    ("?race=random,k-means%2B%2B", ("random", "k-means++")),
    ("?race=random,k-means++", ("random", "k-means++")),          # "+" typed raw reads as spaces
    ("?race=Farthest, uniform ,greedy-k-means%2B%2B", ("farthest", "uniform", "greedy-k-means++")),
    ("?seed=7&race=random,farthest,uniform,k-means%2B%2B", ("random", "farthest", "uniform", "k-means++")),
    ("?seed=7", ()),
])
def test_the_address_names_the_race(query, names):
    assert P.race_from_query(query) == (names, [])


@pytest.mark.parametrize("query, names, note", [
    ("?race=random,kmeans,farthest", ("random", "farthest"),
     "race: 'kmeans' is not an initialisation (random, k-means++, greedy-k-means++, farthest, uniform); left out."),
    ("?race=random,manual,farthest", ("random", "farthest"),
     "race: place by hand cannot race (its centroids are clicked in, one run at a time); left out."),
    ("?race=random,random,farthest", ("random", "farthest"), "race: random is named twice; it races once."),
    ("?race=random,k-means%2B%2B,farthest,uniform,greedy-k-means%2B%2B",
     ("random", "k-means++", "farthest", "uniform"),
     "race: at most 4 starts race at once; dropping greedy-k-means++."),
])
def test_a_bad_race_is_corrected_in_plain_words(query, names, note):
    got, notes = P.race_from_query(query)
    assert got == names and notes == [note]


@pytest.mark.parametrize("value", ["random", "random,manual", "nonsense,,", ""])
def test_fewer_than_two_starts_is_no_race_and_says_so(value):
    names, notes = P.race_from_query("?race=" + value)
    assert names == ()
    assert notes[-1] == ("race: a race needs 2 to 4 different starts (for example "
                         "race=random,k-means%2B%2B); showing the single view.")


def test_a_race_given_twice_counts_the_last_and_says_so():
    names, notes = P.race_from_query("?race=random,farthest&race=uniform,k-means%2B%2B")
    assert names == ("uniform", "k-means++")
    assert notes == ["race: given 2 times in the address; using the last, uniform,k-means++."]


def test_place_by_hand_is_the_only_start_that_cannot_race():
    assert P.RACE_INITS == tuple(name for name in choices.INITS if name != choices.MANUAL)
    assert len(P.RACE_INITS) >= P.RACE_MAX


@pytest.mark.parametrize("params", [Params(seed=7, reseed=0), Params(seed=7, k=5, dataset="moons"), Params()])
def test_the_race_address_round_trips(params):
    names = ("k-means++", "random", "greedy-k-means++")
    query = P.race_query(params, names)
    assert "race=k-means%2B%2B,random,greedy-k-means%2B%2B" in query
    assert P.race_from_query(query) == (names, [])
    assert P.from_query(query) == (params, [])      # the other keys read as without a race
    assert P.race_query(params, ()) == P.to_query(params)


# ---------------------------------------------------------------- the runs

BASE = Params(n=120, k=4, seed=11, std=1.5, max_iter=20)


@pytest.mark.parametrize("params", [BASE, dataclasses.replace(BASE, attempt=2, empty="random", dataset="moons")])
def test_each_racer_is_the_single_run_of_its_start(params):
    names = ("random", "k-means++", "farthest", "uniform")
    race = Race(params, names).finish()
    for racer in race.racers:
        single = Session().go(dataclasses.replace(params, init=racer.init))
        assert np.array_equal(racer.session.points, single.points)
        assert len(racer.run.steps) == len(single.steps)
        for mine, theirs in zip(racer.run.steps, single.steps):
            assert mine.kind == theirs.kind and mine.inertia == theirs.inertia
            assert np.array_equal(mine.labels, theirs.labels)
            assert np.array_equal(mine.centroids, theirs.centroids)
    assert all(r.session.points is race.points for r in race.racers)   # made once, shared


def test_own_points_race_too():
    points = np.random.default_rng(5).normal(size=(80, 2))
    params = Params(dataset=P.CUSTOM, seed=3, k=3)
    race = Race(params, ("random", "k-means++"), points).finish()
    single = Session()
    run = single.go(dataclasses.replace(params, init="k-means++"), points)
    assert race.racers[1].run.inertia == run.inertia and np.array_equal(race.points, points)


def test_a_race_needs_two_to_four_starts_and_a_seed():
    with pytest.raises(ValueError):
        Race(BASE, ("random",))
    with pytest.raises(ValueError):
        Race(BASE, ("random",) * 5)
    with pytest.raises(ValueError):
        Race(Params(), ("random", "farthest"))


def test_runs_are_computed_only_as_far_as_the_half_step_shown():
    race = Race(dataclasses.replace(BASE, n=400, max_iter=50), ("random", "uniform"))
    for _ in race.start_in_pieces():
        pass
    assert all(len(r.run.steps) == 1 for r in race.racers) and race.needs(1)
    for _ in race.advance_in_pieces(3):
        pass
    assert not race.needs(3)
    assert all(r.run.finished or len(r.run.steps) <= 5 for r in race.racers)


# ---------------------------------------------------------------- in step


def test_every_racer_shows_the_same_half_step_and_a_finished_one_holds_its_last():
    race = Race(BASE, ("random", "k-means++", "farthest")).finish()
    lengths = [len(r.run.steps) for r in race.racers]
    assert race.last_index == max(lengths) - 1
    for index in range(race.last_index + 3):
        for racer, frame, length in zip(race.racers, race.frames(index), lengths):
            shown = min(index, length - 1)
            assert frame.step_index == shown
            step = racer.run.steps[shown]
            assert np.array_equal(frame.labels, step.labels)
            assert np.array_equal(frame.centroids, step.centroids)
            assert frame.done == (shown == length - 1)
            assert not frame.moving


def test_between_two_half_steps_an_update_glides_on_the_racers_own_timeline():
    race = Race(BASE, ("random", "k-means++")).finish()
    racer = race.racers[0]
    # Half-step 2 is the first update: from 1.5 the centroids are halfway along their glide.
    frame = race.frame(racer, 1.5)
    timeline = Timeline(racer.run)
    t = 0.5 * (timeline.shown_at(1) + timeline.shown_at(2))
    assert frame.step_index == 2 and frame.moving
    assert np.array_equal(frame.centroids, timeline.frame_at(t).centroids)


def test_the_race_panels_draw_what_the_single_view_draws_for_that_run():
    race = Race(BASE, ("random", "farthest")).finish()
    options = Params(paths=1, regions=1, changed=1)
    scenes = picture_race.race_scenes(race, 3, options)
    for racer, scene in zip(race.racers, scenes):
        timeline = Timeline(racer.run)
        t = timeline.shown_at(racer.index(3))
        single = frame_scene(racer.run, timeline.frame_at(t), options, timeline.trails(t), playing=True)
        for name, value in single.render_args().items():
            mine = scene.render_args()[name]
            assert (mine is None and value is None) or np.array_equal(mine, value), name


# ---------------------------------------------------------------- one control for all


def test_the_clock_plays_two_half_steps_a_second_at_speed_one_and_stops_at_the_end():
    clock = RaceClock(speed=2.0)
    clock.play(now=10.0, end=8, finished=True)
    assert clock.position(10.5, 8) == pytest.approx(0.5 * 2.0 * HALF_STEPS_PER_SECOND)
    assert clock.index(10.5, 8) == 2
    assert clock.position(100.0, 8) == 8
    clock.play(now=101.0, end=8, finished=True)      # play at the end of a finished race: again
    assert clock.position(101.0, 8) == 0


def test_steps_pause_on_whole_half_steps_within_the_race():
    clock = RaceClock()
    assert clock.step(-1, now=0.0, end=6, finished=True) == 0       # not before the start
    assert [clock.step(1, now=0.0, end=6, finished=True) for _ in range(8)] == [1, 2, 3, 4, 5, 6, 6, 6]
    assert not clock.playing
    assert clock.step(-1, now=0.0, end=6, finished=True) == 5
    # Runs still computed: one half-step past what is computed, shown once computed.
    clock.seek(4, now=0.0)
    assert clock.step(1, now=0.0, end=4, finished=False) == 5
    assert clock.position(0.0, 4) == 4 and clock.position(0.0, 7) == 5
    # From mid-glide, forward is the end of that glide.
    clock.seek(1, now=0.0)
    clock.play(now=0.0, end=6, finished=True)
    assert clock.position(0.3, 6) == pytest.approx(1.6)
    assert clock.step(1, now=0.3, end=6, finished=True) == 2 and clock.position(5.0, 6) == 2


# ---------------------------------------------------------------- words


def test_the_verdict_names_who_finished_lower_and_in_how_many_iterations():
    results = [("random", 98.7, 7), ("k-means++", 61.2, 4)]
    assert wording.race_verdict(results, [1]) == (
        "k-means++ finished lower: inertia 61.20 in 4 iterations "
        "(random data points: 98.70 in 7 iterations).")
    three = results + [("farthest", 70.0, 1)]
    assert wording.race_verdict(three, [1]).startswith("k-means++ finished lowest: inertia 61.20")
    assert "farthest point: 70.00 in 1 iteration)" in wording.race_verdict(three, [1])
    assert wording.race_verdict(three[:1] + [("k-means++", 9.0, 4), ("farthest", 9.0, 3)], [1, 2]) == (
        "k-means++ and farthest point finished equally low: inertia 9.00 in 4 and 3 iterations "
        "(random data points: 98.70 in 7 iterations).")
    four = [("random", 5.0, 2), ("k-means++", 5.0, 4), ("farthest", 5.0, 3), ("uniform", 6.0, 1)]
    assert wording.race_verdict(four, [0, 1, 2]).startswith(
        "random data points, k-means++ and farthest point finished equally low: inertia 5.00 in 2, 4 and 3 iterations")
    tie = [("random", 61.2, 5), ("k-means++", 61.2, 4)]
    assert wording.race_verdict(tie, [0, 1]) == (
        "random data points and k-means++ finished equally low: inertia 61.20 in 5 and 4 iterations.")


def test_the_winners_of_a_race_and_ties():
    race = Race(BASE, ("random", "k-means++", "farthest")).finish()
    inertias = [r.run.inertia for r in race.racers]
    assert race.winners() == [i for i, v in enumerate(inertias) if v == min(inertias)]
    assert race.results() == [(r.init, r.run.inertia, r.run.n_iter) for r in race.racers]
    # The same start twice over the same points cannot differ: both win.
    same = Race(BASE, ("random", "farthest")).finish()
    same.racers[1] = dataclasses.replace(same.racers[1], run=same.racers[0].run)
    assert same.winners() == [0, 1]


def test_a_panel_heading_names_the_start_its_inertia_and_iteration():
    assert wording.racer_heading("k-means++", 61.234, 3, False) == "k-means++ · inertia 61.23 · iteration 3"
    assert wording.racer_heading("random", 7.0, 0, False) == "random data points · inertia 7.00 · start"
    assert wording.racer_heading("greedy-k-means++", 1.0, 5, True).endswith("iteration 5, done")
    assert wording.race_status(2, 9, False, True) == "racing · half-step 3 of 9 so far"
    assert wording.race_status(8, 9, True, False) == "paused · half-step 9 of 9"
