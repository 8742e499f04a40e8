"""Bad input never jams the page and nothing the visitor did is lost: failures inside a run,
strict JSON, odd values in the address, bad or huge files, points too long to keep."""

from __future__ import annotations

import json
import os

import numpy as np
import pytest
from conftest import (message, press_go, set_controls, snapshot, wait_done, wait_settled,
                      wait_status)

from kmeans_anim.core import data


def use_own_points(page, text: str) -> None:
    set_controls(page, dataset="custom", k="2", seed=1)
    page.fill("#points-text", text)  # fill fires "input", as typing does


def test_a_failure_inside_a_run_is_said_and_the_next_go_works(warm_page):
    page = warm_page
    set_controls(page, seed=21)
    # The canvas refuses to paint (as when a phone runs out of graphics memory).
    page.evaluate("""() => { const p = CanvasRenderingContext2D.prototype;
        window.__put = p.putImageData;
        p.putImageData = function () { throw new Error('simulated canvas failure'); }; }""")
    run_id = press_go(page)
    wait_status(page, "failed", run_id)
    assert "could not be shown" in message(page) and "simulated canvas failure" in message(page)
    assert "failed" in page.text_content("#status")
    page.evaluate("() => { CanvasRenderingContext2D.prototype.putImageData = window.__put; }")
    s = wait_done(page, run_id=press_go(page))
    assert s["final"]["n_iter"] >= 1 and message(page) == ""
    assert page.is_enabled("#retry")
    wait_done(page, run_id=press_go(page, "#retry"))


def test_the_snapshot_is_strict_json_in_every_state(warm_page):
    page = warm_page
    seen = set()

    def check():
        text = page.evaluate("window.kmeans.source()")
        json.loads(text, parse_constant=lambda c: pytest.fail(f"{c} in the snapshot"))
        seen.add(json.loads(text)["status"])

    check()  # whatever the page holds now
    set_controls(page, seed=4, speed="0.25")
    wait_status(page, "running", press_go(page))
    check()
    page.click("#play")
    check()
    page.select_option("#speed", "16")
    page.click("#play")
    wait_done(page)
    check()
    assert {"running", "paused", "done"} <= seen


def test_a_speed_from_the_address_is_shown_and_used(open_page):
    page, _ = open_page("?speed=3&seed=2")
    assert page.input_value("#speed") == "3"
    assert "3×" in page.locator("#speed option:checked").text_content()
    assert not page.is_visible("#message")  # a valid speed needs no note
    s = wait_done(page, run_id=press_go(page))
    assert s["params"]["speed"] == 3.0
    page2, _ = open_page("?speed=1.1")
    assert page2.input_value("#speed") == "1"
    assert "speed: 1.1 is not a multiple of 0.25; using 1." in page2.text_content("#message")


def test_numbers_in_notes_read_as_the_visitor_typed_them(open_page):
    page, _ = open_page("?seed=4294967296&max_iter=1")
    assert "seed: 4294967296 is above the maximum 4294967295; using 4294967295." in page.text_content("#message")
    s = wait_done(page, run_id=press_go(page))
    if s["final"]["stop_reason"] == "max_iter":
        assert "stopped after 1 iteration, the maximum" in page.text_content("#status")


def test_line_numbers_count_the_lines_the_visitor_sees(warm_page):
    page = warm_page
    use_own_points(page, "1,2\f3,4\nfoo,1\n")
    wait_settled(page, press_go(page))
    assert "line 1" in message(page) and "line 3" not in message(page)
    assert page.input_value("#points-text") == "1,2\f3,4\nfoo,1\n"  # kept for fixing


def test_k_is_lowered_in_plain_words(warm_page):
    page = warm_page
    use_own_points(page, "0,0\n0,0\n5,5\n5,5\n")
    page.locator("#k").fill("4")
    s = wait_done(page, run_id=press_go(page))
    assert len(s["final"]["centroids"]) == 2
    assert "K lowered from 4 to 2" in message(page) and "1 distinct" not in message(page)
    use_own_points(page, "3,3\n3,3\n3,3\n")
    wait_settled(page, press_go(page))  # refused once the points are read, after the click
    assert "same place" in message(page)


@pytest.mark.parametrize("text, line", [("0,0\n1e308,1\n2,2\n", 2), ("0,0\n1,1\n-2e305,5\n", 3)])
def test_points_too_large_to_compute_with_are_refused_with_their_line(warm_page, text, line):
    page = warm_page
    use_own_points(page, text)
    wait_settled(page, press_go(page))
    assert f"line {line}" in message(page)


def test_huge_and_tiny_coordinates_run_honestly(warm_page):
    page = warm_page
    big = data.MAX_ABS / 4
    rng = np.random.default_rng(0)
    centres = np.array([[-big, -big], [big, big]])
    points = np.concatenate([c + rng.normal(scale=big / 20, size=(30, 2)) for c in centres])
    use_own_points(page, "\n".join(f"{x!r},{y!r}" for x, y in points.tolist()))
    s = wait_done(page, run_id=press_go(page))
    final = s["final"]
    assert final["inertia"] is not None and np.isfinite(final["inertia"])
    assert final["stop_reason"] == "converged"  # tol is 0: only "no label changed" is honest
    assert sorted(np.bincount(final["labels"])) == [30, 30]
    assert "inf" not in page.text_content("#status")
    tiny = points / big * 1e-200
    use_own_points(page, "\n".join(f"{x!r},{y!r}" for x, y in tiny.tolist()))
    s = wait_done(page, run_id=press_go(page))
    assert sorted(np.bincount(s["final"]["labels"])) == [30, 30]
    x0, x1 = s["axes"]["xlim"]
    assert 1e-201 < x1 - x0 < 1e-198  # drawn at their own scale, not squashed into a dot
    # Too small for any axis: refused in words, not drawn as one dot.
    use_own_points(page, "\n".join(f"{x!r},{y!r}" for x, y in (points / big * 1e-300).tolist()))
    wait_settled(page, press_go(page))
    assert "too small for the plot" in message(page)


def test_points_too_long_to_keep_are_said_and_stay_on_the_page(open_page):
    page, _ = open_page(own_profile=True)
    # The origin's storage is nearly full (on a shared host, other pages use it too): filled
    # to within 64 KB of its quota, so 100,000 characters of points do not fit.
    page.evaluate("""() => { let kept = '';
        for (const size of [1 << 20, 1 << 16]) {
            const piece = 'x'.repeat(size);
            try { for (;;) { localStorage.setItem('someone-else', kept + piece); kept += piece; } }
            catch (error) { localStorage.setItem('someone-else', kept); } } }""")
    set_controls(page, dataset="custom")
    text = "".join(f"{i % 137}.25,{i % 71}.5\n" for i in range(9_000))
    page.evaluate("""text => { const box = document.getElementById('points-text');
        box.value = text; box.dispatchEvent(new Event('input', {bubbles: true})); }""", text)
    assert "not for your next visit" in message(page) and "already full" in message(page)
    assert "not for your next visit" in page.text_content("#points-source")  # and stays said
    assert page.input_value("#points-text") == text            # nothing lost on the page
    s = wait_done(page, run_id=press_go(page))
    assert s["n_points"] == 9_000


def test_a_file_too_big_is_refused_before_it_is_read(warm_page, tmp_path):
    page = warm_page
    use_own_points(page, "1,1\n2,2\n9,9\n")
    big = tmp_path / "huge.csv"
    with open(big, "wb") as f:
        f.truncate(100 * 1024 * 1024)  # sparse: 100 MB on paper, nothing to write
    page.set_input_files("#points-file", str(big))
    page.wait_for_function("document.getElementById('message').textContent.includes('huge.csv')")
    page.wait_for_function("document.getElementById('message').textContent.includes('cannot be used')")
    assert "104.9 MB" in message(page) and "up to 64 MB" in message(page)
    assert page.input_value("#points-text") == "1,1\n2,2\n9,9\n"  # nothing lost


def test_a_binary_file_is_refused_and_nothing_is_lost(warm_page, tmp_path):
    page = warm_page
    use_own_points(page, "1,1\n2,2\n9,9\n")
    junk = tmp_path / "photo.csv"
    junk.write_bytes(os.urandom(1_000_000))
    page.set_input_files("#points-file", str(junk))
    page.wait_for_function("document.getElementById('message').textContent.includes('cannot be used')")
    assert "photo.csv cannot be used: it is not a text file" in message(page)
    assert page.input_value("#points-text") == "1,1\n2,2\n9,9\n"
    s = wait_done(page, run_id=press_go(page))
    assert s["n_points"] == 3


def test_a_big_upload_is_read_in_slices_and_used_without_the_text_box(warm_page, tmp_path):
    page = warm_page
    use_own_points(page, "1,1\n2,2\n9,9\n")
    rng = np.random.default_rng(5)
    points = np.concatenate([rng.normal(c, 1.0, size=(12_000, 2)) for c in ([0, 0], [8, 3])])
    file = tmp_path / "survey.csv"
    file.write_text("x,y\n" + "\n".join(f"{x:.6f},{y:.6f}" for x, y in points) + "\n")
    page.evaluate("""() => { window.__said = []; new MutationObserver(() =>
        window.__said.push(document.getElementById('message').textContent))
        .observe(document.getElementById('message'), {childList: true, characterData: true, subtree: true}); }""")
    page.set_input_files("#points-file", str(file))
    page.wait_for_function("document.getElementById('message').textContent.includes('24,000 points read')")
    said = page.evaluate("window.__said")
    assert any("%" in m for m in said), said  # progress was shown while reading
    assert page.input_value("#points-text") == "1,1\n2,2\n9,9\n"  # the file never went into the box
    assert "survey.csv" in page.text_content("#points-source")
    s = wait_done(page, run_id=press_go(page), timeout_ms=120_000)
    assert s["n_points"] == 24_000
    np.testing.assert_allclose(np.array(s["points"]), np.round(points, 6), atol=1e-9)
    # Editing the box goes back to the typed points.
    page.fill("#points-text", "1,1\n2,2\n9,9\n")
    page.wait_for_function("!document.getElementById('points-source').textContent.includes('survey.csv')")
    assert wait_done(page, run_id=press_go(page))["n_points"] == 3
