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


from kmeans_anim.words.keymap import KEY_HELP, explain_key, typing  # noqa: E402


@pytest.mark.parametrize("key, cursor, action", [
    ("e", False, ("start", None)), ("E", False, ("start", None)), ("e", True, ("done", None)),
    ("Enter", True, ("done", None)), ("Escape", False, ("clear", None)),
    ("Escape", True, ("clear", None)), ("ArrowLeft", True, ("move", "ArrowLeft")),
    ("1", True, ("centroid", 0)), ("0", True, ("centroid", 9)),
    # without the cross out, the arrows step the run, digits pick a centroid to move, Enter
    # presses what it presses: not explain mode's
    ("ArrowLeft", False, None), ("1", False, None), ("Enter", False, None), ("x", True, None),
])
def test_explain_mode_keys(key, cursor, action):
    assert explain_key(key, cursor) == action


def test_escape_is_left_to_text_fields_and_menus():
    assert typing(Focus("INPUT", "text")) and typing(Focus("SELECT")) and typing(Focus("DIV", editable=True))
    assert not typing(Focus("BUTTON")) and not typing(Focus("CANVAS")) and not typing(Focus("INPUT", "checkbox"))


def test_the_help_lists_the_keys_of_explain_mode_and_the_others():
    keys = dict(KEY_HELP)
    assert "space" in keys and "← →" in keys
    explain = keys["Tab to the plot, then e"]
    for words in ("arrows", "1–9 and 0", "Enter", "Escape"):
        assert words in explain
