"""The settings beyond the notebook: each one changes what the page runs, identically to CPython."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import canvas_colours, snapshot, wait_done

from kmeans_anim.core import choices
from kmeans_anim.core.params import Params
from kmeans_anim.core.session import Session

# Each case is set through the page's own controls, then the page's run is compared with the same
# parameters run natively: the seed fixes the data and the run in CPython and in the page alike.
CASES = [
    dict(dataset="moons", k=2, init="k-means++", noise="0.4"),
    dict(dataset="rings", k=4, init="greedy-k-means++"),
    dict(dataset="anisotropic", k=3, init="farthest", centers="3"),
    dict(dataset="unequal-size", k=3, init="random", std="1.5"),
    dict(dataset="smiley", k=4, init="uniform", max_iter="3"),
    dict(dataset="blobs", k=6, init="uniform", empty="keep", max_iter="30"),
    dict(dataset="blobs", k=6, init="uniform", empty="farthest", max_iter="30"),
    dict(dataset="blobs", k=4, init="random", empty="random", centers="7", tol="0.01", max_iter="300"),
    dict(dataset="uniform", k=5, init="k-means++"),
]
IDS = ["moons-kpp", "rings-greedy", "aniso-farthest", "unequal-size", "smiley-uniform-max3",
       "empty-keep", "empty-farthest", "empty-random-tol", "uniform"]


def apply(page, case: dict, seed: int) -> None:
    page.select_option("#dataset", case["dataset"])
    page.locator("#k").fill(str(case["k"]))
    for slider, default in (("centers", "0"), ("std", "0.8"), ("noise", "0.5")):
        if page.is_enabled(f"#{slider}"):
            page.locator(f"#{slider}").fill(case.get(slider, default))
    page.select_option("#init", case["init"])
    page.select_option("#empty", case.get("empty", "keep"))
    page.fill("#max_iter", case.get("max_iter", "10"))
    page.dispatch_event("#max_iter", "change")
    page.fill("#tol", case.get("tol", "0"))
    page.dispatch_event("#tol", "change")
    page.fill("#seed", str(seed))
    page.dispatch_event("#seed", "change")


@pytest.fixture(scope="module")
def settings_page(browser, base_url):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    errors = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(base_url + "?speed=16")
    page.wait_for_function("document.documentElement.dataset.ready === 'true'", timeout=120_000)
    yield page
    context.close()
    assert not errors, errors


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_each_setting_runs_in_the_page_as_in_cpython(settings_page, case):
    page, seed = settings_page, 1000 + CASES.index(case)
    apply(page, case, seed)
    assert not page.is_checked("#reseed")  # a typed seed is kept
    before = snapshot(page)["run_id"]
    page.click("#go")
    s = wait_done(page, run_id=before + 1)
    p = s["params"]
    for key in ("dataset", "init", "empty"):
        assert p[key] == case.get(key, "keep")
    assert p["k"] == case["k"] and p["seed"] == seed and s["seed"] == seed
    assert p["max_iter"] == int(case.get("max_iter", 10))

    expected = Session()
    run = expected.go(Params(**{k: v for k, v in p.items()}))
    # Same random numbers; sin/cos/log of wasm's libm may differ from glibc's in the last bit.
    np.testing.assert_allclose(np.array(s["points"]), expected.points, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(np.array(s["true_labels"]), expected.true_labels)
    np.testing.assert_allclose(np.array(s["initial_centroids"]), expected.initial_centroids, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(np.array(s["final"]["labels"]), run.labels)
    np.testing.assert_allclose(np.array(s["final"]["centroids"]), run.centroids, rtol=0, atol=1e-9)
    assert s["final"]["n_iter"] == run.n_iter and s["final"]["stop_reason"] == run.stop_reason
    assert np.isfinite(np.array(s["centroids"])).all()


def test_empty_cluster_rules_really_differ_in_the_page(settings_page):
    finals = {}
    for rule in ("keep", "farthest"):
        apply(settings_page, dict(dataset="blobs", k=6, init="uniform", empty=rule, max_iter="30"), 3)
        before = snapshot(settings_page)["run_id"]
        settings_page.click("#go")
        finals[rule] = wait_done(settings_page, run_id=before + 1)["final"]["centroids"]
    assert not np.allclose(finals["keep"], finals["farthest"])


def test_menus_list_every_registered_choice_and_its_help_follows(settings_page):
    # The initialisation and empty-cluster menus are the registries, in order, and each
    # choice shows its own help text.
    for menu, registry in (("init", choices.INITS), ("empty", choices.EMPTY_RULES)):
        options = settings_page.eval_on_selector_all(
            f"#{menu} option", "options => options.map(o => [o.value, o.textContent])")
        assert options == [[name, entry.title] for name, entry in registry.items()]
        for name, entry in registry.items():
            settings_page.select_option(f"#{menu}", name)
            assert settings_page.text_content(f"#{menu}-help") == entry.help
        settings_page.select_option(f"#{menu}", getattr(Params(), menu))
    settings_page.select_option("#dataset", "rings")
    assert "ring" in settings_page.text_content("#dataset-help").lower()
    assert settings_page.is_disabled("#std") and settings_page.is_enabled("#noise")
    settings_page.select_option("#dataset", "blobs")
    assert settings_page.is_enabled("#std") and settings_page.is_disabled("#noise")


def test_same_seed_in_two_page_loads_gives_the_identical_run(open_page):
    runs = []
    for _ in range(2):
        page, _ = open_page("?speed=16&seed=77&k=4&init=k-means%2B%2B")
        page.click("#go")
        runs.append(wait_done(page))
    a, b = runs
    for key in ("points", "initial_centroids", "history", "steps", "final"):
        assert a[key] == b[key], key


def test_new_seed_button_and_fresh_seed_per_go(open_page):
    page, _ = open_page("?speed=16")
    assert page.is_checked("#reseed") and page.input_value("#seed") == ""
    page.click("#go")
    first = wait_done(page)
    assert page.input_value("#seed") == str(first["seed"])  # the seed used is shown
    page.click("#go")
    second = wait_done(page, run_id=2)
    assert second["seed"] != first["seed"] and second["points"] != first["points"]
    page.click("#new-seed")
    chosen = page.input_value("#seed")
    assert chosen.isdigit() and not page.is_checked("#reseed")
    page.click("#go")
    assert wait_done(page, run_id=3)["seed"] == int(chosen)


def test_own_points_refused_with_line_number_then_used(open_page):
    page, _ = open_page("?speed=16")
    page.select_option("#dataset", "custom")
    assert page.is_visible("#points-text") and page.is_disabled("#n")
    bad = "x,y\n0,0\n1,oops\n5,5\n6,5\n"
    page.fill("#points-text", bad)
    page.click("#go")
    page.wait_for_selector("#message:not([hidden])")
    message = page.text_content("#message")
    assert "line 3" in message, message
    assert snapshot(page)["run_id"] == 0  # nothing ran
    assert page.input_value("#points-text") == bad  # nothing the visitor typed is lost
    good = "x,y\n0,0\n0,1\n1,0\n9,9\n9,8\n8,9\n"
    page.fill("#points-text", good)
    page.locator("#k").fill("2")
    page.click("#go")
    s = wait_done(page, run_id=1)
    assert s["points"] == [[0, 0], [0, 1], [1, 0], [9, 9], [9, 8], [8, 9]], s["points"]
    # Any converged run on them is a fixed point of Lloyd's steps (which one depends on the
    # random start: [3, 3] or a local minimum such as [2, 4]).
    points, labels = np.array(s["points"], dtype=float), np.array(s["final"]["labels"])
    centroids = np.array(s["final"]["centroids"])
    assert centroids.shape == (2, 2) and s["final"]["stop_reason"] == "converged"
    for j in range(2):
        np.testing.assert_allclose(centroids[j], points[labels == j].mean(axis=0))
    # The typed points survive a reload.
    page.reload()
    page.wait_for_function("document.documentElement.dataset.ready === 'true'", timeout=120_000)
    assert page.input_value("#points-text") == good


def test_own_points_from_an_uploaded_file(open_page, tmp_path):
    page, _ = open_page("?speed=16&k=2")
    page.select_option("#dataset", "custom")
    csv = tmp_path / "mine.csv"
    csv.write_text("1,1\n1,2\n2,1\n10,10\n10,11\n11,10\n")
    page.set_input_files("#points-file", str(csv))
    page.wait_for_function("document.getElementById('points-text').value.includes('10,11')")
    page.click("#go")
    assert len(wait_done(page)["points"]) == 6


def test_typed_out_of_range_values_are_corrected_visibly(open_page):
    page, _ = open_page()
    page.fill("#max_iter", "5000")
    page.dispatch_event("#max_iter", "change")
    assert page.input_value("#max_iter") == "300"
    assert "max iterations: 5000 is above the maximum 300" in page.text_content("#message")


def test_k_above_the_number_of_distinct_points_is_lowered_with_a_message(open_page):
    page, _ = open_page("?speed=16&k=5")
    page.select_option("#dataset", "custom")
    page.fill("#points-text", "0,0\n0,0\n1,1\n1,1\n5,5\n")
    page.click("#go")
    s = wait_done(page)
    assert len(s["final"]["centroids"]) == 3
    assert "K lowered from 5 to 3" in page.text_content("#message")


def test_regions_tint_the_plot_and_follow_the_assignment(open_page):
    page, _ = open_page("?speed=16&seed=11")
    page.check("#regions")
    assert snapshot(page)["params"]["regions"] == 1
    page.click("#go")
    wait_done(page)
    colours = canvas_colours(page)
    # Light tints of blue, orange and green (16% of the colour over white) cover large areas.
    for rgb in ((31, 119, 180), (255, 127, 14), (44, 160, 44)):
        expected = [round(255 + 0.16 * (c - 255)) for c in rgb]
        near = sum(n for key, n in colours.items()
                   if all(abs(int(v) - e) <= 3 for v, e in zip(key.split(","), expected)))
        assert near > 5000, f"region tint of {rgb} barely on the canvas"
    # Switching it off repaints without the tints.
    page.uncheck("#regions")
    assert snapshot(page)["params"]["regions"] == 0


def test_page_works_where_storage_is_refused(browser, base_url):
    # Some embeds and privacy modes throw on any localStorage access.
    context = browser.new_context()
    context.add_init_script("""Object.defineProperty(window, 'localStorage', {
        get() { throw new DOMException('Access is denied', 'SecurityError'); } });""")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.goto(base_url + "?speed=16&k=2")
    page.wait_for_function("document.documentElement.dataset.ready !== undefined", timeout=120_000)
    assert page.evaluate("document.documentElement.dataset.ready") == "true"
    page.select_option("#dataset", "custom")
    page.fill("#points-text", "0,0\n0,1\n5,5\n5,6\n")
    page.click("#go")
    assert len(wait_done(page)["points"]) == 4
    assert not errors, errors
    context.close()
