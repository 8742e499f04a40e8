"""The race: a link names two to four starts, which run side by side on the same points, one
play / step control driving every panel; each racer's inertia is the one CPython's engine gets
on the snapshot's points with the single view's seeds; a bad race address is corrected in
plain words; leaving the race returns to the single view of the same points."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import snapshot, state_after, wait_status

from kmeans_anim.core import engine
from kmeans_anim.core.session import attempt_key
from kmeans_anim.words import wording

RACE = "?seed=2024&k=5&std=1.6&max_iter=30&speed=16&race=random,k-means%2B%2B"


def wait_race(page, status: str) -> dict:
    page.wait_for_function("s => document.documentElement.dataset.race === s", arg=status,
                           timeout=60_000)
    return snapshot(page)["race"]


#: The starts the page shows one centroid at a time: a half-step per pick before Lloyd's steps.
PICKED_ONE_AT_A_TIME = ("k-means++", "greedy-k-means++", "farthest")


def expected_runs(race: dict, params: dict) -> dict:
    """Each racer's run computed in CPython on the snapshot's points, with the seed of the
    single view's attempt (session.attempt_key) and that racer's start: (the engine's Run, the
    inertia of every half-step as the page shows it)."""
    X = np.array(race["points"], dtype=float)
    k = min(params["k"], engine.count_distinct(X, params["k"]))
    runs = {}
    for name in race["names"]:
        rng = np.random.default_rng(attempt_key(race["seed"], race["attempt"]))
        start = engine.init_centroids(X, k, name, rng)
        run = engine.lloyd(X, start, params["max_iter"], params["tol"], params["empty"], rng)
        inertias = [step.inertia for step in run.steps]
        if name in PICKED_ONE_AT_A_TIME:
            # each pick: the points' squared distances to the nearest centroid picked so far
            picks = [float(((X[:, None] - start[None, :c + 1]) ** 2).sum(axis=2).min(axis=1).sum())
                     for c in range(len(start))]
            inertias = picks + inertias[1:]
        runs[name] = (run, inertias)
    return runs


def check_in_step(race: dict, runs: dict) -> None:
    """Every racer shows the race's half-step (or its last), with the engine's inertia there."""
    for racer in race["racers"]:
        _, inertias = runs[racer["init"]]
        assert racer["steps"] == len(inertias)
        assert racer["step_index"] == min(race["step"], len(inertias) - 1)
        assert racer["inertia"] == pytest.approx(inertias[racer["step_index"]], rel=1e-9)


def test_a_race_link_runs_the_starts_in_step_with_the_engines_numbers(open_page):
    page, _ = open_page(RACE)
    race = wait_race(page, "done")
    s = snapshot(page)
    assert race["names"] == ["random", "k-means++"] and race["seed"] == 2024
    assert page.is_hidden("#plot") and page.is_visible("#race-panel-1") and page.is_hidden("#race-panel-2")
    runs = expected_runs(race, s["params"])
    check_in_step(race, runs)
    assert race["step"] == race["last"] == max(len(inertias) for _, inertias in runs.values()) - 1
    results = [(name, runs[name][0].inertia, runs[name][0].n_iter) for name in race["names"]]
    lowest = min(r[1] for r in results)
    winners = [i for i, r in enumerate(results) if r[1] - lowest <= 1e-9 * lowest]
    assert race["verdict"] == wording.race_verdict(results, winners)
    assert page.text_content("#race-verdict") == race["verdict"]
    for i, name in enumerate(race["names"]):
        heading = page.text_content(f"#race-title-{i}")
        assert heading.startswith(wording.racer_name(name)) and f"{runs[name][0].inertia:.2f}" in heading

    # One control for all: the step buttons and the arrows move every racer together.
    page.click("#race-back")
    race = snapshot(page)["race"]
    assert race["status"] == "paused" and race["step"] == race["last"] - 1
    check_in_step(race, runs)
    for _ in range(race["step"]):
        page.keyboard.press("ArrowLeft")
    race = snapshot(page)["race"]
    assert race["step"] == 0 and page.is_disabled("#race-back")
    check_in_step(race, runs)
    for expected in (1, 2, 3):
        page.keyboard.press("ArrowRight")
        race = snapshot(page)["race"]
        assert race["step"] == expected
        check_in_step(race, runs)
        assert page.text_content("#race-verdict") == wording.race_status(expected, race["last"] + 1, True, False)
    # Space plays every racer on from there, to the same end.
    assert state_after(page, lambda: page.keyboard.press(" "), event="keydown")["race"]["status"] == "running"
    race = wait_race(page, "done")
    check_in_step(race, runs)
    # The address names the race: a copied link opens it again.
    query = page.evaluate("location.search")
    assert "race=random,k-means%2B%2B" in query and "seed=2024" in query


def test_a_race_of_four_from_a_link_without_a_seed_names_its_points(open_page):
    page, _ = open_page("?speed=16&race=uniform,farthest,greedy-k-means%2B%2B,random")
    race = wait_race(page, "done")
    assert race["names"] == ["uniform", "farthest", "greedy-k-means++", "random"]
    assert all(page.is_visible(f"#race-panel-{i}") for i in range(4))
    check_in_step(race, expected_runs(race, snapshot(page)["params"]))
    assert f"seed={race['seed']}" in page.evaluate("location.search")


@pytest.mark.parametrize("query, notes, racing", [
    ("?race=random,manual,bogus", ["place by hand cannot race", "'bogus' is not an initialisation",
                                   "a race needs 2 to 4 different starts"], False),
    ("?speed=16&race=random,k-means%2B%2B,farthest,uniform,greedy-k-means%2B%2B",
     ["at most 4 starts race at once; dropping greedy-k-means++"], True),
])
def test_a_bad_race_address_is_corrected_in_plain_words(open_page, query, notes, racing):
    page, _ = open_page(query)
    message = page.text_content("#message")
    assert page.is_visible("#message") and message.startswith("Some settings in the address were changed")
    for note in notes:
        assert note in message
    if racing:
        assert len(wait_race(page, "done")["names"]) == 4
    else:
        assert page.is_hidden("#race") and page.is_visible("#plot")
        assert "race" not in snapshot(page)


def test_leaving_the_race_returns_to_the_single_view_and_the_button_races_it_again(open_page):
    page, _ = open_page(RACE)
    race = wait_race(page, "done")
    assert page.locator(".race-panel.winner").count() >= 1   # the lowest is marked at the end
    page.click("#race-leave")
    assert page.is_hidden("#race") and page.is_visible("#plot")
    assert page.evaluate("document.documentElement.dataset.race") is None
    wait_status(page, "paused")
    s = snapshot(page)
    assert "race" not in s and s["seed"] == race["seed"] and s["points"] == race["points"]
    assert "race=" not in page.evaluate("location.search")
    # The keyboard drives the single view again.
    page.keyboard.press("ArrowRight")
    assert snapshot(page)["step_index"] == 1
    # The race button races the starts on the points on screen.
    page.click("#race-open")
    again = wait_race(page, "done")
    assert again["names"] == ["random", "k-means++"] and again["points"] == race["points"]
    assert [r["final_inertia"] for r in again["racers"]] == [r["final_inertia"] for r in race["racers"]]
    assert "race=random,k-means%2B%2B" in page.evaluate("location.search")
