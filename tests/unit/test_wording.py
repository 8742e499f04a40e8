"""wording: every sentence the status line and the notes use, as a teacher would read it."""

from types import SimpleNamespace

import numpy as np
import pytest

from kmeans_anim.words import wording as W


def step(kind, changed=0, inertia=12.345, empty=(), k=3):
    return SimpleNamespace(kind=kind, changed=changed, inertia=inertia, empty=empty,
                           centroids=np.zeros((k, 2)))


def test_start_names_the_rule_without_nested_brackets():
    text = W.describe_step(step("init"), "random", "keep", False)
    assert text == "start: 3 centroids picked at random among the points"
    assert text.count("(") == 0
    assert W.describe_step(step("init", k=1), "k-means++", "keep", False) == "start: 1 centroid picked by k-means++"


def test_first_assignment_does_not_claim_points_changed_cluster():
    text = W.describe_step(step("assign", changed=150), "random", "keep", first_assignment=True)
    assert "changed" not in text and "every point joins its nearest centroid" in text
    assert text.endswith("inertia 12.35")


@pytest.mark.parametrize("changed, words", [(0, "0 points changed"), (1, "1 point changed"),
                                            (7, "7 points changed")])
def test_later_assignments_count_the_points_that_moved(changed, words):
    assert words in W.describe_step(step("assign", changed=changed), "random", "keep", False)


def test_an_empty_cluster_is_named_at_the_assignment_and_the_rule_at_the_update():
    assign = W.describe_step(step("assign", changed=4, empty=(3,)), "random", "keep", False)
    assert "cluster 4 (red) has no points" in assign
    for rule, words in [("keep", "stays where it was"), ("farthest", "farthest"),
                        ("random", "a point picked at random")]:
        update = W.describe_step(step("update", empty=(3,)), "random", rule, False)
        assert "cluster 4 (red) has no points" in update and words in update
    both = W.describe_step(step("update", empty=(0, 9)), "random", "keep", False)
    assert "cluster 1 (blue) and cluster 10 (cyan) have no points" in both


def test_no_empty_cluster_no_words_about_it():
    assert "no points" not in W.describe_step(step("update"), "random", "keep", False)


@pytest.mark.parametrize("reason, max_iter, words", [
    ("converged", 10, "converged: no point changed cluster"),
    ("tol", 10, "moved less than the tolerance"),
    ("max_iter", 1, "stopped after 1 iteration, the maximum"),
    ("max_iter", 10, "stopped after 10 iterations, the maximum"),
])
def test_summary_says_why_it_stopped(reason, max_iter, words):
    text = W.summary(reason, max_iter, 3.14159, seed=123456, attempt=0, tol=0.01)
    assert words in text and "inertia 3.14" in text and text.endswith("seed 123456")


def test_after_a_hand_move_the_maximum_counts_from_the_move():
    text = W.summary("max_iter", 2, 3.0, seed=1, moved=True)
    assert text.startswith("stopped after 2 iterations since the last hand move, the maximum")


def test_summary_names_the_retry():
    assert W.summary("converged", 10, 1.0, seed=42, attempt=2).endswith("seed 42, retry 2")


def test_k_lowered_uses_real_numbers_and_plurals():
    assert W.k_lowered(5, 2) == ("K lowered from 5 to 2: the points hold only 2 different positions, "
                                 "and each centroid needs its own.")


def test_cluster_names_wrap_the_palette_like_the_colours():
    assert W.cluster_name(0) == "cluster 1 (blue)" and W.cluster_name(10) == "cluster 11 (blue)"


def test_a_stop_without_tolerance_says_nothing_moved():
    assert "no centroid moved" in W.summary("tol", 10, 1.0, seed=1, tol=0.0)
    assert "less than the tolerance" in W.summary("tol", 10, 1.0, seed=1, tol=0.01)


def run_steps():
    kinds = [("init", 0), ("assign", 1), ("update", 1), ("assign", 2), ("update", 2)]
    return [SimpleNamespace(kind=k, iteration=i) for k, i in kinds]


@pytest.mark.parametrize("index, finished, moving, label", [
    (0, True, False, "half-step 1 of 5: start"),
    (2, True, False, "half-step 3 of 5: update 1"),
    (4, True, True, "half-step 5 of 5: update 2, moving"),
    (3, False, False, "half-step 4 of 5 so far: assignment 2"),
])
def test_the_scrubber_label_names_the_half_step_on_screen(index, finished, moving, label):
    assert W.half_step_label(index, run_steps(), finished, moving) == label


@pytest.mark.parametrize("index, moving, finished, buttons", [
    (0, False, True, ("◀ at the start", "recolour points ▶")),
    (1, False, True, ("◀ undo recolour", "move centroids ▶")),
    (2, True, True, ("◀ undo move", "move centroids ▶")),     # paused mid-glide: ▶ completes it
    (2, False, True, ("◀ undo move", "recolour points ▶")),
    (4, False, True, ("◀ undo move", "end of run ▶")),
    (4, False, False, ("◀ undo move", "computing… ▶")),
], ids=["start", "assigned", "mid-glide", "moved", "end", "computing"])
def test_the_step_buttons_name_what_the_next_press_does(index, moving, finished, buttons):
    assert W.step_buttons(run_steps(), index, moving, finished) == buttons


def test_a_hand_move_is_named_on_both_buttons():
    steps = run_steps()[:3] + [SimpleNamespace(kind="move", iteration=1)] + run_steps()[3:]
    assert W.step_buttons(steps, 2, False, True)[1] == "redo the hand move ▶"
    assert W.step_buttons(steps, 3, False, True)[0] == "◀ undo hand move"
    assert W.half_step_label(3, steps, True) == "half-step 4 of 6: moved by hand"


def test_the_plot_description_says_where_each_centroid_is_and_how_big_its_cluster_is():
    centroids = np.array([[1.0, 2.0], [-3.25, 0.5]])
    text = W.plot_description(centroids, np.array([0, 0, 1, 0]))
    assert text == ("4 points in 2 clusters. centroid 1 (blue) at (1, 2) with 3 points; "
                    "centroid 2 (orange) at (-3.25, 0.5) with 1 point.")
    start = W.plot_description(centroids, np.array([-1, -1, -1]))
    assert start.startswith("3 points, not yet assigned. centroid 1 (blue) at (1, 2)")


def test_the_placing_hint_gives_the_keyboard_path_too():
    assert W.placing_hint(1).startswith("Click 1 more place for the centroid ")
    assert "keys: Tab to the plot, arrows, Enter" in W.placing_hint(3)
    assert "3 more places" in W.placing_hint(3)


def test_a_move_by_hand_states_only_what_it_did():
    text = W.describe_step(step("move", inertia=3.0), "random", "keep", False)
    assert text == "a centroid was moved by hand · inertia 3.00"


def test_copy_link_names_the_run_on_screen_and_what_is_not_in_it():
    from kmeans_anim.core import params as P
    run, settings = P.Params(k=4, seed=2024), P.Params(k=6, seed=2024, init="k-means++")
    text = W.link_message("http://h/?k=4&seed=2024", copied=True, run=W.run_title(run),
                          changes=W.settings_changes(settings, P.changed_since(run, settings)))
    assert text.startswith("Link to the run on screen (K = 4, seed 2024) copied: http://h/?k=4&seed=2024")
    assert "Your changes since (K = 6, initialisation = k-means++) are not in it: press GO" in text
    assert W.run_title(P.Params(k=3, seed=5, attempt=2)) == "K = 3, seed 5, retry 2"
    plain = W.link_message("http://h/", copied=False)
    assert plain == "Copy this link to these settings: http://h/"
    extra = W.link_message("u", copied=True, run="K = 3, seed 1", moved=True, own_points=True)
    assert "moved by hand are not in it" in extra and "own points are not in it" in extra


def test_a_link_from_disk_says_it_only_works_here_and_offers_the_settings():
    text = W.link_message("file:///home/me/kmeans-anim.html?k=4&seed=1", copied=True,
                          run="K = 4, seed 1", file_name="kmeans-anim.html", query="?k=4&seed=1")
    assert "only works on this computer" in text
    assert "send the file kmeans-anim.html too, and add ?k=4&seed=1 to its address" in text
    assert W.file_name("/home/me/K-Means%20offline.html") == "K-Means offline.html"


def test_settings_are_named_with_their_labels_and_titles():
    from kmeans_anim.core import params as P
    s = P.Params(n=1000, std=1.5, dataset="moons", empty="farthest", tol=1e-05, seed=42)
    assert (W.settings_changes(s, ["n", "std", "dataset", "empty", "tol", "seed"])
            == "points = 1000, cluster std = 1.5, data set = Two moons, "
               "empty-cluster rule = move to the farthest point, tolerance = 1e-05, seed = 42")
    assert "K = 6" in W.changes_kept("K = 6")
    assert W.settings_changes(P.Params(), ["centers"]) == "true clusters = as many as K"


@pytest.mark.parametrize("count, start", [(0, "You have no points yet: k-means needs at least 2."),
                                          (1, "You have 1 point: k-means needs at least 2.")])
def test_too_few_points_says_how_to_add_them(count, start):
    text = W.too_few_points(count)
    assert text.startswith(start)
    for way in ("clicking on the plot", "typing or pasting", "uploading a CSV file", "press GO"):
        assert way in text
    assert "got 0" not in text


def test_the_status_line_says_how_to_go_on_from_where_the_run_stands():
    run = SimpleNamespace(steps=[step("init"), step("assign", changed=5), step("update"),
                                 step("move")], stop_reason="converged", inertia=1.5)
    p = SimpleNamespace(init="random", empty="keep", max_iter=300, tol=1e-4)
    line = lambda index, **kw: W.status_line(run, index, False, p, 7, 0, **{  # noqa: E731
        "moved": False, "waiting": False, "playing": False, **kw})
    assert line(0).endswith(" · press play (space) to run")
    assert not line(0, playing=True).endswith("to run")
    assert line(1, waiting=True).endswith(" · computing the next iteration…")
    assert line(3).endswith("press play (space) or step ▶ to go on from here")
    assert line(3, playing=True).endswith(" · the run goes on from here")
    assert W.status_line(run, 3, True, p, 7, 0, moved=False, waiting=False, playing=False) == \
        W.summary("converged", 300, 1.5, 7, 0, tol=1e-4, moved=False)


def test_the_keyboard_and_the_screen_reader_hear_where_a_centroid_is():
    assert W.cursor_at((1.23456, -2)) == "cursor at (1.23, -2)"
    assert W.centroid_put_back(1, (0.5, 0.25)) == "centroid 2 (orange) at (0.5, 0.25): put back"
    assert W.half_step_announcement(0, True, "start") == "half-step 1, moving. start"
    assert W.iterations(None) == "Iterations: " and W.iterations(3) == "Iterations: 3"


def test_file_sizes_and_the_points_source_line_read_as_a_person_would_say_them():
    assert (W.size_words(820), W.size_words(3_420_000), W.size_words(64_000_000)) == \
        ("820 bytes", "3.4 MB", "64 MB")
    assert W.points_source(("big.csv", 200_000), None, None).startswith(
        "Using the 200,000 points of big.csv: too many to show in the box")
    assert W.points_source(None, None, None) == ""
    assert W.points_source(None, "kept for this tab only", "removed").startswith(
        "These points are kept for this tab only. Another tab could not keep its points")


# ------------------------------------------------------------------ the line under the exports

def test_export_sentences_name_the_file_and_its_contents():
    assert W.png_saved("kmeans-seed7.png", 1280, 960) == "Saved kmeans-seed7.png (1280 × 960 pixels)."
    assert W.csv_saved("a.csv", 12345, 3) == "Saved a.csv: 12,345 points and 3 centroids."
    assert W.script_saved("a.py") == "Saved a.py (the clipboard is not available here)."
    assert "12 lines" in W.script_copied(12)


def test_gif_progress_is_a_whole_percentage_even_before_the_frames_are_counted():
    assert W.gif_progress(3, 4) == "Making the GIF: 75%"
    assert W.gif_progress(0, 0) == "Making the GIF: 0%"


def test_a_gif_says_why_frames_were_left_out_only_when_they_were():
    assert W.gif_saved("a.gif", None) == "Saved a.gif."
    assert W.gif_saved("a.gif", "Every 2nd frame.") == "Saved a.gif. Every 2nd frame."


def test_a_failed_export_says_which_and_why():
    assert W.export_failed("GIF", ValueError("no frames")) == "The GIF could not be made: no frames."


def test_the_inertia_beside_the_chart_is_written_as_the_teaching_panel_writes_it():
    assert W.inertia_value(611.8349) == "inertia 611.8"
    assert W.inertia_value(27_412.3) == "inertia 27,412"   # no exponent for a start's pick


# ------------------------------------------------------------------ why here? (explain mode)


@pytest.mark.parametrize("value, digits, text", [
    (1.3071, 3, "1.31"), (4.1, 3, "4.10"), (14.0, 3, "14.0"), (1234.6, 3, "1235"),
    (0.000123456, 3, "0.000123"), (2.5e7, 3, "2.5e+07"), (-211.06, 4, "-211.1"), (0.0, 3, "0"),
])
def test_numbers_are_written_with_their_significant_digits(value, digits, text):
    assert W.number(value, digits) == text


def test_distances_get_the_digits_that_tell_the_nearest_apart():
    assert W.distance_texts([1.3071, 2.8412, 4.1], 0) == ("1.31", "2.84", "4.10")
    near = W.distance_texts([2.000004, 2.000001], 1)
    assert near[0] != near[1] and float(near[1]) < float(near[0])
    assert W.distance_texts([1.5, 1.5], 0) == ("1.50", "1.50")   # an exact tie reads as one


def test_a_point_sentence_says_the_nearest_the_others_and_why():
    texts = ("2.84", "1.31", "4.10")
    base = "The point at (1.00, 2.00) is closest to centroid 2 (orange): 1.31 (centroid 1: 2.84, centroid 3: 4.10)."
    assert W.point_explanation((1, 2), 1, texts, 1, None, "assign") == base + " So it is in cluster 2 (orange)."
    assert W.point_explanation((1, 2), 1, texts, -1, None, "init").endswith(
        "The first assignment puts it in cluster 2 (orange).")
    assert W.point_explanation((1, 2), 1, texts, -1, None, "pick").endswith(
        "The start is still being picked: the first assignment comes after the last pick.")
    assert "It is still in cluster 1 (blue): the centroids moved since the assignment, and the next one " \
           "moves it to cluster 2 (orange)." in W.point_explanation((1, 2), 1, texts, 0, None, "update")
    moved = W.point_explanation((1, 2), 1, texts, 1, 0, "assign")
    assert moved.endswith("At this assignment it moved from cluster 1 (blue) to cluster 2 (orange): "
                          "centroid 2 is now nearer (1.31) than centroid 1 (2.84).")


@pytest.mark.parametrize("how, words", [
    ("rest", "The centroid stands there."),
    ("next", "The next update moves the centroid there, 2.92 away."),
    ("moving", "The update is moving the centroid there, 2.92 to go."),
    ("stopped", "An update would move the centroid there, 2.92 away, but the run has stopped."),
    ("away", "The centroid is 2.92 away from it; the next assignment may change its points first."),
])
def test_a_centroid_sentence_is_the_mean_computed(how, words):
    text = W.centroid_explanation(2, (1, 2), True, 4, (10.0, -2.0), (2.5, -0.5), how, 2.92)
    assert text.startswith("Centroid 3 (green) at (1.00, 2.00): its cluster has 4 points; their mean is "
                           "(Σx / n, Σy / n) = (10.00 / 4, -2.000 / 4) = (2.50, -0.500).")
    assert text.endswith(words)
    assert "no point is assigned yet" in W.centroid_explanation(0, (1, 2), False)
    assert "has no points" in W.centroid_explanation(0, (1, 2), True)
    assert W.mean_label(1) == "mean of 1 point"


# ------------------------------------------------------------------ the picks of the start


def picked(init, k=4, seed=7):
    from kmeans_anim.core.params import Params
    from kmeans_anim.core.session import Session
    s = Session()
    run = s.go(Params(n=80, k=k, seed=seed, init=init))
    return s, run


def d2_before(points, centroids):
    return ((points[:, None] - centroids[None]) ** 2).sum(axis=2).min(axis=1)


@pytest.mark.parametrize("init", ["k-means++", "greedy-k-means++", "farthest"])
def test_the_first_pick_is_a_point_at_random(init):
    _, run = picked(init)
    assert W.describe_step(run.steps[0], init, "keep", False) == (
        "pick 1 of 4: a point at random (each of the 80 points with probability 0.013)")
    assert W.half_step_name(run.steps[0]) == "pick 1 of 4"


def test_a_k_means_plus_plus_pick_says_its_chance_and_where_it_comes_from():
    s, run = picked("k-means++")
    for c in range(1, 4):
        step = run.steps[c]
        d2 = d2_before(s.points, step.centroids[:-1])
        p = d2[step.pick.index] / d2.sum()
        text = W.describe_step(step, "k-means++", "keep", False)
        assert text.startswith(f"pick {c + 1} of 4: picked with probability {W.chance(p)}, its "
                               f"squared distance to the nearest centroid over their sum (")
        assert f"({d2[step.pick.index]:.3g} / " in text
        assert text.endswith("); bolder points were likelier")


def test_a_greedy_pick_says_which_candidate_won_and_why():
    s, run = picked("greedy-k-means++")
    step = run.steps[2]
    won = step.pick.candidates.index(step.pick.index)
    text = W.describe_step(step, "greedy-k-means++", "keep", False)
    assert text.startswith(f"pick 3 of 4: 3 candidates drawn by their squared distance "
                           f"(ringed); candidate {won + 1} (drawn with probability ")
    assert (f"wins: it leaves the smallest sum of squared distances, "
            f"{W._number(min(step.pick.potentials))} (others: ") in text


def test_a_farthest_pick_says_its_distance():
    s, run = picked("farthest")
    step = run.steps[1]
    far = np.sqrt(d2_before(s.points, step.centroids[:1]).max())
    assert W.describe_step(step, "farthest", "keep", False) == (
        f"pick 2 of 4: the farthest point from the centroids so far, at distance {far:.3g}")


@pytest.mark.parametrize("init, words", [
    ("k-means++", "so a point at random"),
    ("greedy-k-means++", "so a point at random"),
])
def test_a_pick_when_every_point_sits_on_a_centroid(init, words):
    # Two places, K = 3 (the engine's own rules; the page lowers K to the places first).
    from kmeans_anim.core import teach
    X = np.repeat([[0.0, 0.0], [1.0, 1.0]], 5, axis=0)
    third = teach.kmeanspp_steps(X, 3, init, np.random.default_rng(0))[2]
    assert third.fallback
    text = W.describe_step(SimpleNamespace(kind="pick", pick=third, of=3), init, "keep", False)
    assert text == f"pick 3 of 3: every point sits on a centroid already, {words}"


def test_step_buttons_and_scrubber_name_the_picks():
    _, run = picked("k-means++", k=3)
    steps, finished = run.steps, True
    assert W.step_buttons(steps, 0, False, finished) == ("◀ at the start", "pick a centroid ▶")
    assert W.step_buttons(steps, 1, False, finished) == ("◀ undo pick", "pick a centroid ▶")
    assert W.step_buttons(steps, 2, False, finished) == ("◀ undo pick", "recolour points ▶")
    assert W.half_step_label(1, steps, finished) == f"half-step 2 of {len(steps)}: pick 2 of 3"


def test_after_the_picks_the_first_assignment_is_called_first():
    s, run = picked("k-means++", k=3)
    line = W.status_line(run, 3, False, s.params, s.seed, 0, moved=False, waiting=False,
                         playing=False)
    assert line.startswith("first assignment: every point joins its nearest centroid")
    line = W.status_line(run, 0, False, s.params, s.seed, 0, moved=False, waiting=False,
                         playing=False)
    assert line.startswith("pick 1 of 3: ") and line.endswith(" · press play (space) to run")


@pytest.mark.parametrize("p, text", [(1 / 12, "0.083"), (0.08, "0.08"), (1 / 500, "0.002"),
                                     (1.234e-5, "0.000012"), (1.0, "1"), (0.5, "0.5")])
def test_a_chance_is_written_in_plain_digits(p, text):
    assert W.chance(p) == text


# ------------------------------------------------------------------ which start? how many?

def test_attempt_rows_say_the_inertia_and_best_so_far():
    from kmeans_anim.core.params import Params
    from kmeans_anim.core.tries import Tries
    tries = Tries()
    X = np.zeros((2, 2))
    tries.add(X, Params(k=3, attempt=3), 650.0)
    tries.add(X, Params(k=3, attempt=4, init="k-means++"), 611.84)
    first, second = tries.listed()
    assert W.attempt_row(second) == "attempt 4: 611.8 — best so far"
    assert W.attempt_row(first, show_k=True) == "attempt 3 (K = 3): 650 — best so far"
    assert W.attempt_row(second, show_init=True) == "attempt 4 (k-means++): 611.8 — best so far"
    assert "611.8" in W.attempt_button_title(second)
    assert [W.inertia_words(v) for v in (0.01234, 9999.4, 101123.4, 3e13)] == [
        "0.01234", "9999", "101,123", "3e+13"]


def test_best_of_and_elbow_sentences():
    assert W.best_of_progress(2, 10) == "Best of 10: start 3 of 10…"
    assert W.best_of_result(7, 540.21, 701.3, 10) == (
        "Best of 10 starts: attempt 7, inertia 540.2 (the worst: 701.3). Playing the best.")
    assert W.best_of_result(7, 540.21, 701.3, 10, playing=False).endswith("(the worst: 701.3).")
    assert W.elbow_row(3, 611.84, 0.52349) == "K = 3: inertia 611.8, silhouette 0.523"
    assert W.elbow_row(1, 2000.0, None) == "K = 1: inertia 2000"
    done = W.elbow_done(3, 10, (2000, 10000, 42))
    assert "highest at K = 3" in done and "2,000 of the 10,000 points" in done and "seed 42" in done
    assert "sample" not in W.elbow_done(None, 10, None)


def test_silhouette_and_agreement_sentences():
    assert W.silhouette_words(0.7571, None).startswith("Silhouette of this run: mean 0.757 ")
    assert "1,500 of the 5,000 points, drawn with seed 9" in W.silhouette_words(0.5, (1500, 5000, 9))
    assert W.agreement_words(0.97412, 4).startswith(
        "Against the 4 true clusters: adjusted Rand index 0.974")
    assert W.agreement_words(1.0, 1).startswith("Against the 1 true cluster:")
