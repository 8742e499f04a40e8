"""Watch the start: a k-means++, greedy k-means++ or farthest-point start is shown pick by pick,
each pick a half-step of its own (the step buttons, the keys, the scrubber and the chart reach
it); what the status line says of each pick is checked against the formula recomputed here from
the snapshot's points and the picks before it. A random start keeps its one half-step."""

from __future__ import annotations

import re

import numpy as np
import pytest
from conftest import canvas_pixels, data_to_device, press_go, set_controls, snapshot, wait_done

from kmeans_anim.core.params import Params
from kmeans_anim.core.session import Session
from kmeans_anim.words.wording import inertia_value

K = 4


def d2_to(points: np.ndarray, centroids) -> np.ndarray:
    """Every point's squared distance to the nearest of `centroids` (m, 2)."""
    c = np.asarray(centroids, float).reshape(-1, 2)
    return ((points[:, None, :] - c[None]) ** 2).sum(axis=2).min(axis=1)


def finished_start(page, init: str, seed: int, **controls) -> dict:
    """A seeded run with `init`, played to its end, then paused at its first half-step."""
    set_controls(page, dataset="blobs", k=str(K), seed=seed, init=init, **controls)
    page.set_checked("#changed", False)
    end = wait_done(page, run_id=press_go(page))
    page.focus("#scrubber")
    page.keyboard.press("Home")
    page.wait_for_function("() => { const s = window.kmeans.snapshot({points: false});"
                           " return s.step_index === 0 && s.status === 'paused'; }")
    return end


def shown(page, index: int) -> dict:
    """Wait until half-step `index` is on screen and its words are written; its snapshot."""
    page.wait_for_function(
        "i => window.kmeans.snapshot({points: false}).step_index === i"
        " && document.getElementById('scrub-label').textContent.startsWith(`half-step ${i + 1} `)",
        arg=index)
    return snapshot(page)


def said_probability(status: str) -> float:
    return float(re.search(r"(?:picked|drawn) with probability ([0-9.]+)", status).group(1))


def test_a_k_means_plus_plus_start_steps_pick_by_pick_with_buttons_and_keys(warm_page):
    page = warm_page
    end = finished_start(page, "k-means++", seed=2024)
    total = len(end["steps"])
    assert [st["kind"] for st in end["steps"][:K + 1]] == ["pick"] * K + ["assign"]
    points = np.array(end["points"])
    n = len(points)
    assert page.get_attribute("#scrubber", "max") == str(total - 1)    # the picks are on it
    for c in range(K):
        if c == 1:
            page.click("#step-forward")                                  # a button
        elif c > 1:
            page.keyboard.press("ArrowRight")                            # the keyboard
        s = shown(page, c)
        pick, status = s["pick"], page.text_content("#status")
        assert s["half_step"] == "pick" and s["status"] == "paused"
        assert (pick["method"], pick["number"], pick["of"]) == ("k-means++", c + 1, K)
        assert page.text_content("#scrub-label") == f"half-step {c + 1} of {total}: pick {c + 1} of {K}"
        centroids = np.array(s["centroids"])
        assert len(centroids) == c + 1 and (centroids[-1] == points[pick["index"]]).all()
        assert all(label == -1 for label in s["labels"])
        if c == 0:
            assert status == (f"pick 1 of {K}: a point at random (each of the {n} points with "
                              f"probability {1 / n:.2g}) · press play (space) to run")
            assert pick["probability"] == pytest.approx(1 / n, rel=1e-12)
        else:
            d2 = d2_to(points, centroids[:-1])                           # the picks before it
            expected = d2[pick["index"]] / d2.sum()
            assert pick["probability"] == pytest.approx(expected, rel=1e-9)
            assert status.startswith(f"pick {c + 1} of {K}: picked with probability ")
            # Two significant digits in the sentence.
            assert said_probability(status) == pytest.approx(expected, rel=0.05)
            assert f"({d2[pick['index']]:.3g} / " in status
        # The chart's value follows the picks: the sum of squared distances after this pick.
        after = d2_to(points, centroids).sum()
        assert page.text_content("#inertia-value") == inertia_value(after)
        back, forward = page.text_content("#step-back"), page.text_content("#step-forward")
        assert back == ("◀ at the start" if c == 0 else "◀ undo pick")
        assert forward == ("pick a centroid ▶" if c < K - 1 else "recolour points ▶")
    page.keyboard.press("ArrowRight")                                    # past the last pick
    s = shown(page, K)
    assert s["half_step"] == "assign" and s["pick"] is None
    assert page.text_content("#status").startswith("first assignment")
    page.keyboard.press("ArrowLeft")                                     # and back to it
    s = shown(page, K - 1)
    assert s["pick"]["number"] == K and page.text_content("#step-back") == "◀ undo pick"
    # The start and the run are those CPython makes from the same seed (same generator).
    expected = Session()
    run = expected.go(Params(**s["params"]))
    np.testing.assert_allclose(s["initial_centroids"], expected.initial_centroids, rtol=0,
                               atol=1e-12)
    np.testing.assert_array_equal(end["final"]["labels"], run.labels)


def test_a_pick_draws_the_likelier_points_bolder(warm_page):
    page = warm_page
    finished_start(page, "k-means++", seed=31)
    page.click("#step-forward")
    s = shown(page, 1)
    points, centroids = np.array(s["points"]), np.array(s["centroids"])
    ratio = page.evaluate("window.devicePixelRatio")
    picture = canvas_pixels(page)
    d2 = d2_to(points, centroids[:1])
    # Points clear of the centroids' markers and of every other point's.
    pixels = np.array([data_to_device(s, p, ratio) for p in points])
    gaps = np.hypot(*(pixels[:, None] - pixels[None]).transpose(2, 0, 1))
    np.fill_diagonal(gaps, np.inf)
    to_centroids = np.hypot(*(pixels[:, None] - np.array(
        [data_to_device(s, c, ratio) for c in centroids])[None]).transpose(2, 0, 1)).min(axis=1)
    clear = (gaps.min(axis=1) > 14 * ratio) & (to_centroids > 30 * ratio)
    likely = max(np.flatnonzero(clear), key=lambda i: d2[i])
    unlikely = min(np.flatnonzero(clear), key=lambda i: d2[i])
    assert d2[likely] > 4 * d2[unlikely]

    def brightness(i):
        col, row = pixels[i]
        return picture[int(row), int(col), :3].astype(int).sum()

    assert brightness(likely) < brightness(unlikely) - 100              # darker in the light theme
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    shown(page, K)                                                       # the first assignment
    assert all(label >= 0 for label in snapshot(page)["labels"])


@pytest.mark.parametrize("init", ["greedy-k-means++", "farthest"])
def test_greedy_and_farthest_picks_say_why_this_point(warm_page, init):
    page = warm_page
    end = finished_start(page, init, seed=7)
    points = np.array(end["points"])
    page.focus("#scrubber")
    for c in range(1, K):
        page.keyboard.press("ArrowRight")                                # the scrubber's keys
        s = shown(page, c)
        pick, status = s["pick"], page.text_content("#status")
        before = np.array(s["centroids"][:-1])
        d2 = d2_to(points, before)
        if init == "farthest":
            assert pick["index"] == int(np.argmax(d2))
            assert status == (f"pick {c + 1} of {K}: the farthest point from the centroids so "
                              f"far, at distance {np.sqrt(d2.max()):.3g}")
        else:
            potentials = [np.minimum(d2, d2_to(points, points[i])).sum() for i in pick["candidates"]]
            np.testing.assert_allclose(pick["potentials"], potentials, rtol=1e-9)
            won = int(np.argmin(potentials))
            assert pick["index"] == pick["candidates"][won]
            assert status.startswith(f"pick {c + 1} of {K}: {len(potentials)} candidates drawn "
                                     f"by their squared distance (ringed); candidate {won + 1} ")
            assert said_probability(status) == pytest.approx(d2[pick["index"]] / d2.sum(), rel=0.05)
            assert "it leaves the smallest sum of squared distances" in status


def test_a_random_start_is_still_one_half_step(warm_page):
    page = warm_page
    end = finished_start(page, "random", seed=2024)
    kinds = [st["kind"] for st in end["steps"]]
    assert kinds[:2] == ["init", "assign"] and "pick" not in kinds
    s = snapshot(page)
    assert s["half_step"] == "init" and s["pick"] is None and len(s["centroids"]) == K
    assert page.text_content("#status").startswith(f"start: {K} centroids picked at random")
    assert page.text_content("#step-forward") == "recolour points ▶"
    page.keyboard.press("ArrowRight")
    assert shown(page, 1)["half_step"] == "assign"
