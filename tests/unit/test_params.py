"""params: validation never raises, clamps with plain-words notes, and round-trips the URL."""

import dataclasses

import pytest

from kmeans_anim.core import params as P


def test_defaults_are_the_notebooks():
    p = P.Params()
    assert (p.n, p.k, p.std, p.max_iter, p.init, p.empty) == (150, 3, 0.8, 10, "random", "keep")


@pytest.mark.parametrize("raw, field, expected, note", [
    ({"n": "2000000"}, "n", 1_000_000, "points: 2000000 is above the maximum 1000000; using 1000000."),
    ({"n": "3"}, "n", 20, "points: 3 is below the minimum 20; using 20."),
    ({"n": "155.5"}, "n", 156, "points: 155.5 is not a multiple of 1; using 156."),
    ({"k": "1"}, "k", 2, "K: 1 is below the minimum 2; using 2."),
    ({"k": "2.6"}, "k", 3, "K: 2.6 is not a multiple of 1; using 3."),
    ({"std": "0.84"}, "std", 0.8, "cluster std: 0.84 is not a multiple of 0.1; using 0.8."),
    ({"std": "9"}, "std", 3.0, "cluster std: 9 is above the maximum 3; using 3."),
    ({"k": "abc"}, "k", 3, "K: 'abc' is not a number; using 3."),
    ({"std": "nan"}, "std", 0.8, "cluster std: 'nan' is not a number; using 0.8."),
    ({"n": "inf"}, "n", 150, "points: 'inf' is not a number; using 150."),
    ({"seed": "-4"}, "seed", 0, "seed: -4 is below the minimum 0; using 0."),
    ({"seed": "x"}, "seed", None, "seed: 'x' is not a number; using a random seed."),
    ({"init": "best"}, "init", "random", None),
    ({"dataset": "<script>"}, "dataset", "blobs", None),
], ids=["n-high", "n-low", "n-off-step", "k-low", "k-fraction", "std-off-step", "std-high",
        "k-text", "std-nan", "n-inf", "seed-negative", "seed-text", "init-unknown", "dataset-unknown"])
def test_bad_values_are_corrected_with_a_note(raw, field, expected, note):
    p, notes = P.validate(raw)
    assert getattr(p, field) == expected
    assert len(notes) == 1
    if note:
        assert notes[0] == note
    else:
        assert "is not one of" in notes[0]


def test_good_values_pass_without_notes_and_with_the_right_types():
    p, notes = P.validate({"n": "200", "k": "7", "std": "1.3", "seed": "42", "init": "k-means++",
                           "max_iter": "300", "speed": "2", "unknown": "ignored"})
    assert notes == []
    assert (p.n, p.k, p.std, p.seed, p.init, p.max_iter, p.speed) == (200, 7, 1.3, 42, "k-means++", 300, 2.0)
    assert isinstance(p.n, int) and isinstance(p.seed, int) and isinstance(p.std, float)


def test_empty_values_keep_defaults():
    assert P.validate({"n": "", "seed": None}) == (P.Params(), [])


def test_query_round_trip_keeps_only_changes():
    p = dataclasses.replace(P.Params(), n=60, std=1.5, seed=9, init="farthest")
    q = P.to_query(p)
    assert q.startswith("?") and "k=" not in q
    assert P.from_query(q) == (p, [])
    assert P.to_query(P.Params()) == ""


def test_huge_and_malformed_query_never_raises():
    p, notes = P.from_query("?n=1e400&k=%00&std=--1&&=&seed=99999999999999999999")
    assert p.n == 1_000_000 and p.k == 3 and p.std == 0.8 and p.seed == P.SEED_MAX  # 1e400: huge
    assert len(notes) == 4


def test_true_centers_follow_k_unless_set():
    assert P.true_centers(P.Params(k=5)) == 5
    assert P.true_centers(P.Params(k=5, centers=2)) == 2


def test_whole_numbers_are_shown_in_full_in_notes():
    p, notes = P.validate({"seed": "4294967296"})
    assert p.seed == P.SEED_MAX
    assert notes == ["seed: 4294967296 is above the maximum 4294967295; using 4294967295."]
    assert P.format_number(123456.0) == "123456" and P.format_number(0.25) == "0.25"


@pytest.mark.parametrize("query, seed, reseed", [
    ("", None, 1),                 # nothing chosen: GO draws a seed
    ("?seed=42", 42, 0),           # a shared seed is kept by GO
    ("?seed=42&reseed=1", 42, 1),  # the seed on screen, but GO draws a new one
    ("?reseed=0", None, 1),        # nothing to keep
])
def test_reseed_follows_the_seed_unless_the_address_says_otherwise(query, seed, reseed):
    p, notes = P.from_query(query)
    assert (p.seed, p.reseed, notes) == (seed, reseed, [])


@pytest.mark.parametrize("p", [
    P.Params(seed=123456, reseed=1, attempt=2),
    P.Params(seed=7, reseed=0),
    P.Params(seed=0, reseed=1, attempt=0, k=5),
], ids=["reseed-with-retry", "fixed", "seed-zero"])
def test_the_address_round_trips_the_run_on_screen(p):
    q = P.to_query(p)
    assert "seed=" in q
    assert P.from_query(q) == (p, [])


def test_a_link_names_the_run_and_shows_it_as_the_controls_say():
    run = P.Params(k=4, n=200, seed=2024, attempt=1, init="k-means++")
    settings = P.Params(k=6, n=300, seed=2024, attempt=1, speed=2.0, regions=1, theme="dark")
    link = P.link_params(run, settings)
    assert (link.k, link.n, link.seed, link.attempt, link.init) == (4, 200, 2024, 1, "k-means++")
    assert (link.speed, link.regions, link.theme) == (2.0, 1, "dark")
    assert P.from_query(P.to_query(link)) == (link, [])


@pytest.mark.parametrize("settings, changed", [
    (P.Params(k=4, seed=7, reseed=0), []),
    (P.Params(k=6, seed=7, reseed=0), ["k"]),
    (P.Params(k=4, seed=8, reseed=0), ["seed"]),           # a typed seed GO will use
    (P.Params(k=4, seed=8, reseed=1), []),                 # GO draws a fresh seed anyway
    (P.Params(k=4, seed=7, reseed=0, attempt=3), []),      # the attempt is not a control
    (P.Params(k=4, seed=7, reseed=0, speed=4.0, paths=1, theme="dark"), []),  # shown at once
    (P.Params(k=4, seed=7, reseed=0, dataset="moons", tol=0.01, max_iter=50),
     ["dataset", "max_iter", "tol"]),
], ids=["same", "k", "typed-seed", "reseed", "attempt", "looks", "several"])
def test_changes_since_the_run_are_what_the_next_go_would_run_differently(settings, changed):
    assert P.changed_since(P.Params(k=4, seed=7, reseed=0), settings) == changed


@pytest.mark.parametrize("query, field, expected, note", [
    ("?n=1e400", "n", 1_000_000, "points: 1e400 is above the maximum 1000000; using 1000000."),
    ("?n=-1e400", "n", 20, "points: -1e400 is below the minimum 20; using 20."),
    ("?seed=9e99999", "seed", P.SEED_MAX, f"seed: 9e99999 is above the maximum {P.SEED_MAX}; using {P.SEED_MAX}."),
], ids=["n-beyond-float", "n-below-float", "seed-beyond-float"])
def test_numbers_beyond_float_range_are_clamped_like_huge_ones(query, field, expected, note):
    p, notes = P.from_query(query)
    assert getattr(p, field) == expected
    assert notes == [note]


@pytest.mark.parametrize("query, field, expected, note", [
    ("?k=3&k=7", "k", 7, "K: given 2 times in the address; using the last, 7, and dropping 3."),
    ("?init=farthest&init=k-means%2B%2B&init=uniform", "init", "uniform",
     "initialisation: given 3 times in the address; using the last, uniform, and dropping "
     "farthest and k-means++."),
    ("?n=&n=200", "n", 200, "points: given 2 times in the address; using the last, 200, and "
                            "dropping an empty value."),
], ids=["k-twice", "init-three-times", "n-empty-then-set"])
def test_a_repeated_key_names_the_value_dropped(query, field, expected, note):
    p, notes = P.from_query(query)
    assert getattr(p, field) == expected
    assert notes == [note]


def test_a_repeated_key_whose_last_value_is_corrected_says_both():
    p, notes = P.from_query("?k=4&k=99")
    assert p.k == 10
    assert notes == ["K: given 2 times in the address; using the last, 99, and dropping 4.",
                     "K: 99 is above the maximum 10; using 10."]


def test_unknown_repeated_keys_are_ignored_as_unknown_keys_are():
    assert P.from_query("?utm=a&utm=b") == (P.Params(), [])


# ---------------------------------------------------------------- your own table (issue 18)

def test_the_table_fields_round_trip_through_the_address():
    p = P.Params(dataset="custom", seed=5, x="petal length", y="width", skip=1, scale="z")
    assert P.from_query(P.to_query(p)) == (p, [])
    assert "x=petal+length" in P.to_query(p) and "scale=z" in P.to_query(p)


def test_the_table_fields_are_corrected_in_plain_words():
    p, notes = P.from_query("?skip=7&scale=log&x=" + "a" * 150 + "&y=%20b%20")
    assert (p.skip, p.scale, p.x, p.y) == (1, "none", "a" * P.MAX_COLUMN_NAME, "b")
    assert "skip rows: 7 is not 0 or 1; using 1." in notes
    assert "scale: 'log' is not one of none, z, minmax; using none." in notes
    assert f"x column: a name of 150 characters is too long; using its first {P.MAX_COLUMN_NAME}." in notes
    p, notes = P.from_query("?skip=yes&skip=-2")
    assert p.skip == 0 and notes == [
        "skip rows: given 2 times in the address; using the last, -2, and dropping yes.",
        "skip rows: -2 is not 0 or 1; using 0."]


def test_the_table_fields_make_the_points_so_retry_keeps_them():
    assert set(P.TABLE_FIELDS) <= set(P.DATA_FIELDS)
    assert P.changed_since(P.Params(seed=1, reseed=0), P.Params(seed=1, reseed=0, scale="minmax")) == ["scale"]


def test_best_of_n_is_named_by_the_address_and_is_not_a_setting_changed():
    # issue 17: a run that is the best of N starts says so (best_of=N, attempt = the best).
    run = P.Params(seed=7, attempt=3, best_of=10, k=5, reseed=0)
    assert P.to_query(run) == "?k=5&seed=7&attempt=3&best_of=10"
    assert P.from_query("?k=5&seed=7&attempt=3&best_of=10")[0] == run
    assert P.link_params(run, P.Params(seed=7, k=5, n_init=4)).best_of == 10
    assert P.changed_since(run, P.Params(seed=7, k=5, reseed=0)) == []
    p, notes = P.from_query("?n_init=500&best_of=-1")
    assert (p.n_init, p.best_of) == (50, 0) and len(notes) == 2
