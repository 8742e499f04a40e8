"""Keyboard and sharing: space and the arrows drive the animation wherever the focus is (but in
fields), the address always names the run on screen, and a link shows that run again."""

from __future__ import annotations

import re

import numpy as np
from conftest import (press_go, set_controls, snapshot, state_after, wait_done, wait_playing, wait_ready_page,
                      wait_status)


def test_space_after_clicking_go_pauses_instead_of_pressing_go_again(warm_page):
    page = warm_page
    set_controls(page, seed=12, speed="0.5")
    run_id = press_go(page)
    wait_playing(page, run_id)
    assert page.evaluate("document.activeElement.id") == "go"
    before = snapshot(page)
    page.keyboard.press(" ")
    s = snapshot(page)
    assert s["status"] == "paused" and s["run_id"] == run_id and s["points"] == before["points"]
    page.keyboard.press("ArrowRight")  # the arrows step although a button has the focus
    assert snapshot(page)["step_index"] == s["step_index"] + 1
    page.keyboard.press("ArrowLeft")
    assert snapshot(page)["step_index"] == s["step_index"]
    assert state_after(page, lambda: page.keyboard.press(" "), event="keydown")["status"] == "running"
    page.focus("#retry")
    page.keyboard.press("Enter")  # Enter still presses the focused button
    assert snapshot(page)["run_id"] == run_id + 1
    wait_playing(page, run_id + 1)
    page.focus("#max_iter")
    page.keyboard.press("ArrowUp")  # a number field keeps its keys
    assert page.input_value("#max_iter") == "11"
    assert state_after(page, lambda: page.keyboard.press(" "), event="keydown")["status"] == "running"


def test_focus_is_clearly_visible_on_menus_and_more_settings(warm_page):
    page = warm_page
    for selector in ("#init", "#more > summary", "#go"):
        page.focus("#n")
        target = page.locator(selector)
        # Tab until the element has the focus (keyboard focus shows :focus-visible).
        for _ in range(40):
            if target.evaluate("e => e === document.activeElement"):
                break
            page.keyboard.press("Tab")
        style = target.evaluate("e => [getComputedStyle(e).outlineStyle, getComputedStyle(e).outlineWidth]")
        assert style[0] != "none" and float(style[1].rstrip("px")) >= 2, (selector, style)


def test_the_address_names_the_run_and_a_link_shows_it_ready_to_play(open_page):
    page, _ = open_page("?speed=16&k=4")
    first = wait_done(page, run_id=press_go(page))
    query = page.evaluate("location.search")
    seed = int(re.search(r"seed=(\d+)", query).group(1))
    assert seed == first["seed"] and seed < 1_000_000 and "reseed=1" in query
    retried = wait_done(page, run_id=press_go(page, "#retry"))
    query = page.evaluate("location.search")
    assert "attempt=1" in query and f"seed={seed}" in query

    other, _ = open_page(query)
    wait_status(other, "paused")
    s = snapshot(other)
    assert s["status"] == "paused" and s["step_index"] == 0
    assert s["points"] == retried["points"]
    assert s["initial_centroids"] == retried["initial_centroids"]
    assert "press play" in other.text_content("#status")
    assert other.is_checked("#reseed") and other.input_value("#seed") == str(seed)
    other.click("#play")
    assert wait_done(other)["final"] == retried["final"]
    # The next GO there draws a new seed, as "new seed on every GO" says.
    assert wait_done(other, run_id=press_go(other))["seed"] != seed


def copy_link(page) -> str:
    """Press copy link; return what it says once it has said it."""
    page.evaluate("document.getElementById('message').textContent = ''")
    page.click("#copy-link")
    page.wait_for_function("document.getElementById('message').textContent.includes('link')"
                           " || document.getElementById('message').textContent.includes('Link')")
    return page.text_content("#message")


def test_copy_link_puts_the_address_on_the_clipboard(open_page):
    page, _ = open_page("?speed=16&seed=99", own_profile=True)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    wait_status(page, "paused")  # the run of the address, ready to play
    assert "Link to the run on screen (K = 3, seed 99) copied" in copy_link(page)
    assert page.evaluate("navigator.clipboard.readText()") == page.evaluate("location.href")
    assert "seed=99" in page.evaluate("location.href")


def test_before_any_run_copy_link_copies_the_settings(open_page):
    page, _ = open_page("?k=5", own_profile=True)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.focus("#k")
    page.keyboard.press("ArrowRight")                     # the address follows the settings
    assert page.evaluate("location.search") == "?k=6"
    assert copy_link(page).startswith("Link to these settings copied: ")
    assert page.evaluate("navigator.clipboard.readText()").endswith("/?k=6")


def test_copy_link_and_the_address_name_the_run_on_screen_not_later_changes(open_page):
    page, _ = open_page("?speed=16&k=4", own_profile=True)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    shown = wait_done(page, run_id=press_go(page))
    address = page.evaluate("location.href")
    page.focus("#k")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")                     # K = 6, not run
    assert page.input_value("#k") == "6" and page.evaluate("location.href") == address
    said = copy_link(page)
    link = page.evaluate("navigator.clipboard.readText()")
    assert link == address and "k=4" in link and f"seed={shown['seed']}" in link
    assert f"Link to the run on screen (K = 4, seed {shown['seed']}) copied" in said
    assert "Your changes since (K = 6) are not in it: press GO to run them." in said

    # A student opening the link sees the run on screen.
    student, _ = open_page(link[link.index("?"):])
    wait_status(student, "paused")
    theirs = snapshot(student)
    assert theirs["points"] == shown["points"] and theirs["initial_centroids"] == shown["initial_centroids"]
    assert student.input_value("#k") == "4"

    # A reload keeps both: the run of the address and the change not run yet, said.
    page.reload()
    wait_ready_page(page)
    wait_status(page, "paused")
    again = snapshot(page)
    assert again["points"] == shown["points"] and len(again["centroids"]) == 4
    assert page.input_value("#k") == "6" and page.evaluate("location.href") == address
    assert "Your changes since this run (K = 6) are kept" in page.text_content("#message")

    # GO runs them: the address and the link follow.
    run = wait_done(page, run_id=press_go(page))
    assert f"k=6&seed={run['seed']}" in page.evaluate("location.search")
    said = copy_link(page)
    assert f"(K = 6, seed {run['seed']}) copied" in said and "changes" not in said


def test_a_typed_seed_is_kept_by_go(warm_page):
    page = warm_page
    set_controls(page, seed=4242)
    a = wait_done(page, run_id=press_go(page))
    b = wait_done(page, run_id=press_go(page))
    assert a["seed"] == b["seed"] == 4242 and a["points"] == b["points"]
    assert not page.is_checked("#reseed")
    np.testing.assert_array_equal(a["initial_centroids"], b["initial_centroids"])
