"""choices: the registries of initialisations and empty-cluster rules. Every entry declares every
field, and every part of the page (accepted values, menus, help texts, status line, engine,
Copy-as-Python script) reads them, so a new entry works everywhere or fails here."""

import doctest

import numpy as np
import pytest
from test_export_script import had_empty_cluster, page_result_comment, script_output

from kmeans_anim.core import choices, engine
from kmeans_anim.words import wording
from kmeans_anim.core import params as P
from kmeans_anim.core.choices import EMPTY_RULES, INITS
from kmeans_anim.export.script import python_script
from kmeans_anim.core.params import Params
from kmeans_anim.core.session import Session

REGISTRIES = {"init": INITS, "empty": EMPTY_RULES}


def test_module_example_runs():
    result = doctest.testmod(choices)
    assert result.attempted >= 3 and result.failed == 0


def filled(text):
    return isinstance(text, str) and text.strip() == text and len(text) > 0


@pytest.mark.parametrize("name", list(INITS))
def test_every_initialisation_declares_every_field(name):
    init = INITS[name]
    assert init.name == name
    assert filled(init.title) and filled(init.phrase) and filled(init.help)
    # Drawn (a pick function and its script lines) or given by the visitor (neither).
    assert (init.pick is None) == (init.script is None)
    if init.pick is not None:
        assert callable(init.pick)
        assert init.script.strip() and init.script.endswith("\n") and "C0" in init.script


@pytest.mark.parametrize("name", list(EMPTY_RULES))
def test_every_empty_cluster_rule_declares_every_field(name):
    rule = EMPTY_RULES[name]
    assert rule.name == name
    assert filled(rule.title) and filled(rule.help) and filled(rule.done)
    assert rule.done.startswith("its centroid")  # the status line rewords it for several
    assert rule.relocate is None or callable(rule.relocate)
    assert isinstance(rule.uses_rng, bool)
    assert "def update(labels, C):" in rule.script and rule.script.endswith("\n")


@pytest.mark.parametrize("menu", list(REGISTRIES))
def test_the_page_offers_and_accepts_exactly_the_registered_choices(menu):
    registry = REGISTRIES[menu]
    # The menu (filled from TITLES in this order), the help under it, the accepted values.
    assert P.TITLES[menu] == {name: entry.title for name, entry in registry.items()}
    assert list(P.TITLES[menu]) == list(registry)
    assert P.HELP[menu] == {name: entry.help for name, entry in registry.items()}
    assert P.CHOICES[menu][1] == tuple(registry)
    assert getattr(P.DEFAULTS, menu) in registry
    for name in registry:
        params, notes = P.validate({menu: name})
        assert getattr(params, menu) == name and notes == []
        assert P.from_query(P.to_query(params)) == (params, [])  # the address carries it
        # A changed setting is named by its menu title in messages.
        assert wording.settings_changes(params, [menu]).endswith(f"= {registry[name].title}")


def test_the_engine_draws_every_initialisation_with_a_pick_and_refuses_the_others():
    X = np.random.default_rng(0).normal(size=(30, 2))
    assert choices.DRAWN_INITS == tuple(n for n, init in INITS.items() if init.pick is not None)
    for name, init in INITS.items():
        if init.pick is None:
            with pytest.raises(ValueError, match="unknown initialisation"):
                engine.init_centroids(X, 3, name, np.random.default_rng(1))
        else:
            C = engine.init_centroids(X, 3, name, np.random.default_rng(1))
            assert C.shape == (3, 2) and C.dtype == np.float64 and np.isfinite(C).all()


@pytest.mark.parametrize("name", list(INITS))
def test_the_status_line_words_each_start_with_its_phrase(name):
    step = engine.Step("init", 0, np.full(5, -1), np.zeros((3, 2)), 1.0, 0, 0.0)
    assert wording.describe_step(step, name, "keep", False) == (
        f"start: 3 centroids {INITS[name].phrase}")


@pytest.mark.parametrize("name", list(EMPTY_RULES))
def test_the_status_line_says_what_each_rule_did(name):
    def update_with(empty):
        return engine.Step("update", 1, np.zeros(5), np.zeros((3, 2)), 1.0, 0, 0.0, empty)

    done = EMPTY_RULES[name].done
    assert f"cluster 2 (orange) has no points: {done} · " in wording.describe_step(
        update_with((1,)), "random", name, False)
    assert ("have no points: " + done.replace("its centroid", "each one's centroid")
            in wording.describe_step(update_with((1, 2)), "random", name, False))


def script_matches_page(params, tmp_path):
    """Run `params` as the page does, then its copied script in a fresh CPython: the script
    prints the page's final centroids and inertia digit for digit. Returns the page's run."""
    s = Session()
    run = s.go(params)
    source = python_script(params, s.seed, s.attempt, final_centroids=run.centroids,
                           final_inertia=run.inertia)
    assert script_output(source, tmp_path).splitlines() == page_result_comment(source)
    return run


@pytest.mark.parametrize("name", choices.DRAWN_INITS)
def test_each_initialisations_script_lines_redo_its_start(name, tmp_path):
    run = script_matches_page(Params(n=60, k=4, seed=31, init=name), tmp_path)
    # A seeding rule's start is shown pick by pick (K half-steps); the others in one.
    seeding = name in ("k-means++", "greedy-k-means++", "farthest")
    kinds = [st.kind for st in run.steps]
    assert kinds[:5] == ["pick"] * 4 + ["assign"] if seeding else kinds[:2] == ["init", "assign"]


@pytest.mark.parametrize("name", list(EMPTY_RULES))
def test_each_empty_cluster_rules_script_lines_redo_its_updates(name, tmp_path):
    # Ten centroids placed anywhere in the box of three blobs: some get no points.
    run = script_matches_page(Params(n=200, k=10, centers=3, seed=1, init="uniform",
                                     empty=name), tmp_path)
    assert had_empty_cluster(run)


def test_a_start_that_is_not_drawn_has_no_script_of_its_own():
    for name, init in INITS.items():
        if init.script is None:
            with pytest.raises(ValueError, match="needs the starting centroids"):
                python_script(Params(init=name), 1, 0)
