"""keymap: space and the arrows drive the animation wherever the focus is, except in a control
that needs those keys itself."""

import pytest

from kmeans_anim.words.keymap import Focus, key_action


@pytest.mark.parametrize("focus", [Focus("BODY"), Focus("BUTTON"), Focus("CANVAS"), Focus("SUMMARY"),
                                   Focus("A")], ids=["page", "button", "canvas", "summary", "link"])
@pytest.mark.parametrize("key, action", [(" ", "toggle"), ("ArrowLeft", "step_back"),
                                         ("ArrowRight", "step_forward")])
def test_space_and_arrows_drive_the_animation_outside_fields(focus, key, action):
    assert key_action(key, focus) == action


@pytest.mark.parametrize("focus", [Focus("INPUT", "text"), Focus("INPUT", "number"),
                                   Focus("INPUT", "range"), Focus("INPUT", ""), Focus("TEXTAREA"),
                                   Focus("SELECT"), Focus("DIV", editable=True)],
                         ids=["text", "number", "slider", "untyped-input", "textarea", "select",
                              "contenteditable"])
@pytest.mark.parametrize("key", [" ", "ArrowLeft", "ArrowRight"])
def test_fields_selects_and_sliders_keep_their_keys(focus, key):
    assert key_action(key, focus) is None


def test_a_checkbox_keeps_space_but_arrows_step():
    box = Focus("INPUT", "checkbox")
    assert key_action(" ", box) is None
    assert key_action("ArrowRight", box) == "step_forward"


@pytest.mark.parametrize("key", ["Enter", "a", "Tab", "ArrowUp", "Escape"])
def test_other_keys_are_left_alone(key):
    assert key_action(key, Focus("BUTTON")) is None


@pytest.mark.parametrize("mod", ["ctrl", "meta", "alt"])
def test_shortcuts_with_modifiers_are_left_to_the_browser(mod):
    assert key_action("ArrowLeft", Focus("BODY"), **{mod: True}) is None
