"""Which start? How many clusters? (issue 17) through real clicks and keys: the attempts list,
an attempt shown again, best of N, the elbow and a K chosen on it, the silhouette and the
agreement with the true clusters. Every number is compared with core.teach computed in CPython
on the snapshot's points (and so with scikit-learn's, tests/unit/test_teach.py), or with
scikit-learn itself."""

from __future__ import annotations

import numpy as np
from conftest import press_go, set_controls, snapshot, wait_done
from sklearn.metrics import adjusted_rand_score, silhouette_score
from sklearn.metrics.cluster import contingency_matrix

from kmeans_anim.core import teach
from kmeans_anim.core.data import run_pieces
from kmeans_anim.words.wording import inertia_words

TIMEOUT_MS = 120_000


def wait_teach(page, what: str, state: str = "done") -> None:
    """Wait until <section id="teach" data-...> says `state` for `what` (best-of, elbow,
    silhouette)."""
    page.wait_for_selector(f'#teach[data-{what}="{state}"]', state="attached", timeout=TIMEOUT_MS)


def wait_run(page, attempt: int, k: int | None = None, best_of: int = 0) -> dict:
    """Wait until the run on screen is attempt `attempt` (at K `k`, the best of `best_of`
    starts or one attempt) and done; its snapshot."""
    page.wait_for_function(
        "([a, k, b]) => { const s = window.kmeans.snapshot({points: false});"
        " return s.attempt === a && s.status === 'done' && (k === null || s.params.k === k)"
        " && s.params.best_of === b; }",
        arg=[attempt, k, best_of], timeout=TIMEOUT_MS)
    return snapshot(page)


def set_starts(page, n: int) -> None:
    page.fill("#n_init", str(n))
    page.dispatch_event("#n_init", "change")


def rules(s: dict) -> dict:
    p = s["params"]
    return dict(max_iter=p["max_iter"], tol=p["tol"], empty_rule=p["empty"])


def test_every_retry_is_listed_and_one_is_shown_again(warm_page):
    page = warm_page
    set_controls(page, seed=31, k="4", speed="16")
    finals = {0: wait_done(page, press_go(page))}
    for attempt in (1, 2, 3):
        finals[attempt] = wait_done(page, press_go(page, "#retry"))
        assert finals[attempt]["attempt"] == attempt
    page.wait_for_selector('#teach[data-attempts="4"]', state="attached", timeout=TIMEOUT_MS)
    rows = page.eval_on_selector_all(
        "#attempts button", "bs => bs.map(b => [+b.dataset.attempt, +b.dataset.inertia, b.textContent])")
    assert [r[0] for r in rows] == [0, 1, 2, 3]
    best = np.inf
    for attempt, inertia, text in rows:
        assert inertia == finals[attempt]["final"]["inertia"]  # the snapshot's, to the last bit
        assert text.startswith(f"attempt {attempt}: {inertia_words(inertia)}")
        assert text.endswith("best so far") == (inertia < best)
        best = min(best, inertia)
    # Attempt 1 again, by keyboard: its picture comes back (the same final centroids).
    page.focus('#attempts button[data-attempt="1"]')
    page.keyboard.press("Enter")
    again = wait_run(page, 1)
    assert again["final"]["centroids"] == finals[1]["final"]["centroids"]
    assert again["points"] == finals[0]["points"]
    # RETRY after it brings a start not seen yet; the list keeps one row per attempt.
    assert wait_done(page, press_go(page, "#retry"))["attempt"] == 4
    page.wait_for_selector('#teach[data-attempts="5"]', state="attached", timeout=TIMEOUT_MS)
    # New points: the list starts over.
    set_controls(page, seed=32, k="4", speed="16")
    wait_done(page, press_go(page))
    page.wait_for_selector('#teach[data-attempts="1"]', state="attached", timeout=TIMEOUT_MS)


def test_best_of_n_plays_the_best_start_and_the_address_names_it(warm_page):
    page = warm_page
    set_controls(page, seed=44, k="6", init="k-means++", speed="16")
    set_starts(page, 6)
    first = wait_done(page, press_go(page))
    page.click("#best-of")
    wait_teach(page, "best-of")
    s = snapshot(page)["teach"]["best_of"]
    X = np.array(first["points"])
    expected = run_pieces(teach.best_of(X, 6, 6, "k-means++", 44, **rules(first)))
    assert s["attempts"] == list(range(6))
    np.testing.assert_allclose(s["inertias"], expected.inertias, rtol=1e-12)
    assert s["best_attempt"] == expected.best_start.attempt
    shown = wait_run(page, expected.best_start.attempt, best_of=6)
    np.testing.assert_allclose(shown["final"]["centroids"], expected.best_start.centroids,
                               rtol=1e-12, atol=1e-12)
    assert shown["params"]["best_of"] == 6
    assert "best_of=6" in page.evaluate("location.search")
    assert page.is_visible("#starts-chart")
    assert f"attempt {expected.best_start.attempt}" in page.text_content("#best-of-note")
    # The six starts are in the list too.
    page.wait_for_selector('#teach[data-attempts="6"]', state="attached", timeout=TIMEOUT_MS)


def test_the_elbow_and_a_k_chosen_on_it(warm_page):
    page = warm_page
    set_controls(page, seed=5, k="3", init="greedy-k-means++", speed="16")
    set_starts(page, 3)
    first = wait_done(page, press_go(page))
    page.click("#elbow")
    wait_teach(page, "elbow")
    e = snapshot(page)["teach"]["elbow"]
    X = np.array(first["points"])
    expected = run_pieces(teach.elbow(X, range(1, 11), 3, "greedy-k-means++", 5, **rules(first)))
    assert e["ks"] == [p.k for p in expected]
    np.testing.assert_allclose(e["inertias"], [p.inertia for p in expected], rtol=1e-12)
    assert e["silhouettes"][0] is None
    np.testing.assert_allclose(e["silhouettes"][1:], [p.silhouette for p in expected[1:]],
                               rtol=1e-9)
    assert e["best_attempts"] == [p.result.best_start.attempt for p in expected]
    assert page.is_visible("#elbow-chart")
    # K = 4 by keyboard: the K control follows and the best start at K = 4 plays.
    page.focus('#elbow-ks button[data-k="4"]')
    page.keyboard.press("Enter")
    four = expected[3]
    shown = wait_run(page, four.result.best_start.attempt, 4, best_of=3)
    assert page.input_value("#k") == "4"
    assert shown["final"]["inertia"] == four.inertia or np.isclose(
        shown["final"]["inertia"], four.inertia, rtol=1e-12)


def test_silhouette_and_agreement_with_the_true_clusters(warm_page):
    page = warm_page
    set_controls(page, seed=12, k="3", centers="4", speed="16")
    run_id = press_go(page)
    done = wait_done(page, run_id)
    wait_teach(page, "silhouette")
    t = snapshot(page)["teach"]
    truth, labels = np.array(done["true_labels"]), np.array(done["final"]["labels"])
    assert np.isclose(t["agreement"]["ari"], adjusted_rand_score(truth, labels), rtol=0, atol=1e-12)
    assert t["agreement"]["table"] == contingency_matrix(truth, labels).tolist()
    assert np.isclose(t["silhouette"]["mean"], silhouette_score(np.array(done["points"]), labels),
                      rtol=1e-9)
    assert t["silhouette"]["sample_size"] is None  # 150 points: every one measured
    assert page.is_visible("#confusion") and page.is_visible("#silhouette-chart")
    assert "adjusted Rand index" in page.text_content("#agreement-note")
    rows = page.eval_on_selector_all("#confusion tr", "rs => rs.length")
    assert rows == 1 + 4  # a head and one row per true cluster


def test_a_link_to_a_best_of_n_shows_that_run_and_draws_its_starts_again(open_page):
    # The address of the best of 6 starts on the points of seed 44 (K = 6, k-means++).
    from kmeans_anim.core.params import Params
    from kmeans_anim.core.session import Session
    s = Session()
    s.prepare(Params(k=6, seed=44, init="k-means++"))
    expected = run_pieces(teach.best_of(s.points, 6, 6, "k-means++", 44, max_iter=10, tol=0.0,
                                        empty_rule="keep"))
    a = expected.best_start.attempt
    page, _ = open_page(f"?k=6&seed=44&init=k-means%2B%2B&attempt={a}&best_of=6&speed=16")
    wait_teach(page, "best-of")
    t = snapshot(page)
    assert t["attempt"] == a and t["teach"]["best_of"]["best_attempt"] == a
    np.testing.assert_allclose(t["teach"]["best_of"]["inertias"], expected.inertias, rtol=1e-12)
    assert page.is_visible("#starts-chart")
    assert "Playing" not in page.text_content("#best-of-note")   # the link's run stays on screen
