"""Nothing lost, nothing untrue: your own points kept (or said not to be) across reloads,
visits and tabs, refusals that change nothing, and files and addresses read as meant."""

from __future__ import annotations

from conftest import (PageProblems, message, press_go, set_controls, snapshot, wait_done,
                      wait_message, wait_ready_page, wait_settled)

# Fill the origin's localStorage to the last character (other data of the site: on a shared
# host other pages use it too): big keys first, then one key grown a character at a time.
FILL_STORAGE = """() => { let i = 0;
    for (const size of [1 << 20, 1 << 16, 1 << 12]) {
        const piece = 'x'.repeat(size);
        try { for (;;) { localStorage.setItem('someone-else-' + i, piece); i += 1; } } catch (e) {} }
    let kept = '';
    for (const size of [256, 16, 1]) {
        const piece = 'x'.repeat(size);
        try { for (;;) { localStorage.setItem('someone-else', kept + piece); kept += piece; } }
        catch (e) {} } }"""


def type_points(page, text: str) -> None:
    """Type into the box key by key, as a visitor does."""
    page.click("#points-text")
    page.keyboard.type(text)


def second_tab(page):
    """Another tab of the same browser profile, on the same address, ready; with its problems
    watched like the first's."""
    other = page.context.new_page()
    problems = PageProblems(other, page.url.split("?")[0])
    other.goto(page.url)
    wait_ready_page(other)
    return other, problems


def assert_kept_for_this_tab_only(page, text: str) -> None:
    """A reload of `page` brings back exactly `text`; a new visit (another tab) finds none."""
    page.reload()
    wait_ready_page(page)
    assert page.input_value("#points-text") == text
    other, problems = second_tab(page)
    assert other.input_value("#points-text") == ""
    assert not problems.unexpected()
    other.close()


def test_an_upload_that_cannot_be_kept_says_so_and_a_reload_of_the_tab_keeps_it(open_page, tmp_path):
    page, _ = open_page("?dataset=custom&k=2", own_profile=True)
    page.evaluate(FILL_STORAGE)
    file = tmp_path / "small20.csv"
    text = "x,y\n" + "".join(f"{i % 5}.5,{i // 5}\n" for i in range(20))
    file.write_text(text)
    page.set_input_files("#points-file", str(file))
    said = wait_message(page, "20 points read from small20.csv")
    assert ("kept if you reload this tab, but not for your next visit: the browser's storage "
            "for this site is already full") in said
    assert "too long" not in said
    # Said, and stays said after later messages.
    assert "not for your next visit" in page.text_content("#points-source")
    wait_done(page, run_id=press_go(page))
    assert "not for your next visit" in page.text_content("#points-source")
    # A reload of this tab brings the points back, as they were written; a new visit finds no
    # stale points (and the page said it would not keep them).
    assert_kept_for_this_tab_only(page, text)


def test_storage_full_names_its_cause_and_a_new_visit_never_gets_a_half_typed_line(open_page):
    page, _ = open_page("?dataset=custom&k=2", own_profile=True)
    type_points(page, "1,1\n2,2\n4.5,8")
    page.evaluate(FILL_STORAGE)  # other data of the site takes the last of the room
    watcher, watcher_problems = second_tab(page)  # another tab, open meanwhile
    page.focus("#points-text")
    page.keyboard.press("Control+End")
    page.keyboard.type(".5\n")
    said = wait_message(page, "not for your next visit")
    assert "already full" in said and "too long" not in said
    # The other tab learns that the points kept for the next visit are gone.
    watcher.wait_for_function("document.getElementById('points-source').textContent"
                              ".includes('Another tab could not keep its points')")
    assert not watcher_problems.unexpected()
    watcher.close()
    assert page.input_value("#points-text") == "1,1\n2,2\n4.5,8.5\n"  # nothing lost on the page
    # The tab's reload restores exactly what was on screen; a new visit gets not "4.5,8" (the
    # text when the room ran out), nothing stale at all.
    assert_kept_for_this_tab_only(page, "1,1\n2,2\n4.5,8.5\n")


def test_a_reload_names_a_line_left_unfinished(open_page):
    page, _ = open_page("?dataset=custom&k=2", own_profile=True)
    type_points(page, "1,1\n2,2\n4.5,")
    page.reload()
    wait_ready_page(page)
    assert page.input_value("#points-text") == "1,1\n2,2\n4.5,"  # as it was left
    said = message(page)
    assert said.startswith("Your points are back as you left them, but line 3")


def test_two_tabs_each_keep_their_own_points_and_say_what_happened(open_page):
    page, _ = open_page("?dataset=custom&k=2", own_profile=True)
    type_points(page, "1,1\n2,2\n3,3\n")
    other, problems = second_tab(page)
    assert other.input_value("#points-text") == "1,1\n2,2\n3,3\n"  # a new tab: the latest
    other.fill("#points-text", "7,7\n8,8\n")
    page.wait_for_function(
        "document.getElementById('points-source').textContent.includes('Another tab')")
    assert page.input_value("#points-text") == "1,1\n2,2\n3,3\n"
    # Tab A's reload keeps tab A's work (and still says another tab saved other points).
    page.reload()
    wait_ready_page(page)
    assert page.input_value("#points-text") == "1,1\n2,2\n3,3\n"
    assert "Another tab saved other points" in page.text_content("#points-source")
    # Tab B's reload keeps tab B's.
    other.reload()
    wait_ready_page(other)
    assert other.input_value("#points-text") == "7,7\n8,8\n"
    # A's next edit makes A's points the latest: its note goes.
    type_points(page, "4,4\n")
    assert "Another tab" not in page.text_content("#points-source")
    assert not problems.unexpected()
    other.close()


def test_a_go_refused_for_points_at_one_place_keeps_the_run_on_screen(warm_page):
    page = warm_page
    set_controls(page, dataset="custom", k="2", seed=1)
    page.fill("#points-text", "0,0\n1,1\n5,5\n")
    before = wait_done(page, run_id=press_go(page))
    # Points all at one place typed and GO pressed before the typing pause ends (in one turn
    # of the page, so the test does not depend on how fast it types).
    page.evaluate("""() => { const box = document.getElementById('points-text');
        box.value = '3,3\\n3,3\\n3,3\\n'; box.dispatchEvent(new Event('input', {bubbles: true}));
        document.getElementById('go').click(); }""")
    wait_settled(page, int(page.evaluate("document.documentElement.dataset.run")))
    assert "all the points sit at the same place" in message(page)
    assert "Nothing was changed" in message(page)
    after = snapshot(page)
    assert after["status"] == "done" and after["n_points"] == 3
    assert after["final"]["labels"] == before["final"]["labels"]
    assert after["points"] == before["points"]


def test_go_with_no_points_of_your_own_says_how_to_add_them(open_page):
    page, _ = open_page("?dataset=custom&k=2", own_profile=True)
    wait_settled(page, press_go(page))
    said = message(page)
    assert said.startswith("You have no points yet")
    assert "clicking on the plot" in said and "uploading a CSV file" in said
    assert "got 0" not in said


def test_numbers_beyond_float_range_and_repeated_keys_are_noted(open_page):
    page, _ = open_page("?n=1e400&k=3&k=7")
    said = message(page)
    assert "points: 1e400 is above the maximum 1000000; using 1000000." in said
    assert "K: given 2 times in the address; using the last, 7, and dropping 3." in said
    assert page.input_value("#n-number") == "1000000" and page.input_value("#k") == "7"


def test_utf16_utf8_bom_and_latin1_files_are_read(warm_page, tmp_path):
    page = warm_page
    set_controls(page, dataset="custom", k="2", seed=1)
    text = "x,y\n0,0\n1,1\n9,9\n"
    for name, raw in [("le.csv", b"\xff\xfe" + text.encode("utf-16-le")),
                      ("be.csv", b"\xfe\xff" + text.encode("utf-16-be")),
                      ("bom8.csv", text.encode("utf-8-sig"))]:
        (tmp_path / name).write_bytes(raw)
        page.set_input_files("#points-file", str(tmp_path / name))
        wait_message(page, f"3 points read from {name}")
        assert page.input_value("#points-text") == text
    s = wait_done(page, run_id=press_go(page))
    assert s["points"] == [[0, 0], [1, 1], [9, 9]]
    # Latin-1 (a spreadsheet's "CSV" on an older system): read, accents and all
    latin = "ville;x;y\nZürich;1;2\nMünchen;3,5;4\nSão Paulo;9;9\n"
    (tmp_path / "latin.csv").write_bytes(latin.encode("latin-1"))
    page.set_input_files("#points-file", str(tmp_path / "latin.csv"))
    wait_message(page, "3 points read from latin.csv")
    assert page.input_value("#points-text") == latin
    s = wait_done(page, run_id=press_go(page))
    assert s["points"] == [[1, 2], [3.5, 4], [9, 9]]
