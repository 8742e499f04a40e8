"""wording: every sentence the status line and the notes use, as a teacher would read it."""

from types import SimpleNamespace

import numpy as np
import pytest

from kmeans_anim import wording as W


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
