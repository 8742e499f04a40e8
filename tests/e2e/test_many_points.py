"""Many points: 100,000 through GO, a step back and RETRY; a million shown and kept usable."""

from __future__ import annotations

import numpy as np
from conftest import press_go, snapshot, wait_done, wait_status

BIG = 120_000  # ms: computing and drawing a hundred thousand points in the page


def test_a_hundred_thousand_points_go_step_back_and_retry(open_page):
    page, _ = open_page("?n=100000&k=5&seed=3&speed=16")
    wait_status(page, "paused", timeout_ms=BIG)          # the linked run, ready to play
    assert page.text_content("#n-value") == "100,000"
    assert page.input_value("#n") == "300"                # the notebook's slider, at its end
    s = wait_done(page, run_id=press_go(page), timeout_ms=BIG)
    points = np.array(s["points"])
    assert points.shape == (100_000, 2) and len(s["labels"]) == 100_000   # keys kept at 100k
    centroids = np.array(s["final"]["centroids"])
    nearest = ((points[:, None, :] - centroids[None]) ** 2).sum(axis=2).argmin(axis=1)
    assert (nearest == np.array(s["final"]["labels"])).mean() > 0.9999  # ties aside
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("ArrowLeft")
    back = snapshot(page)
    assert back["status"] == "paused" and back["step_index"] == len(s["steps"]) - 2
    retried = wait_done(page, run_id=press_go(page, "#retry"), timeout_ms=BIG)
    assert retried["attempt"] == 1 and retried["points"] == s["points"]
    assert retried["initial_centroids"] != s["initial_centroids"]


def test_a_million_points_are_shown_and_the_snapshot_stays_light(open_page):
    page, _ = open_page("?n=1000000&k=10&seed=4&max_iter=2", own_profile=True)
    wait_status(page, "paused", timeout_ms=BIG)
    s = page.evaluate("window.kmeans.snapshot()")
    assert s["n_points"] == 1_000_000 and s["points"] is None and s["labels"] is None
    assert s["centroids"] is not None and len(s["initial_centroids"]) == 10
    assert page.is_enabled("#go") and page.is_enabled("#play")
    page.click("#play")
    done = wait_done(page, timeout_ms=BIG * 2)
    assert done["final"]["n_iter"] <= 2 and done["final"]["labels"] is None
