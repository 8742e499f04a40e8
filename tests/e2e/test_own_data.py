"""Your own data as it really comes (issue 18): files and pasted tables of any delimiter, with a
header and more than two columns, read through core/table.py; the x and y columns chosen in
menus, which name the axes; rows that are not numbers refused (the line named) or skipped."""

from __future__ import annotations

import csv
import io
import math

from conftest import press_go, set_controls, snapshot, wait_done, wait_message

from kmeans_anim.words import wording

# The column names the plot's axes carry, from the page's own snapshot.
AXIS_NAMES = "() => JSON.stringify(window.kmeans.snapshot({\"points\": false}).axis_names)"


def wait_axis_names(page, x: str, y: str) -> None:
    page.wait_for_function(f"want => ({AXIS_NAMES})() === JSON.stringify(want)", arg=[x, y])


def own_points(page, skip: bool = False) -> None:
    set_controls(page, dataset="custom", k="2", seed=1)
    page.set_checked("#skip-bad", skip)
    page.select_option("#scale", "none")


def upload(page, tmp_path, name: str, raw: bytes) -> None:
    (tmp_path / name).write_bytes(raw)
    page.set_input_files("#points-file", str(tmp_path / name))


def test_an_id_x_y_file_is_read_and_the_axes_are_named_from_its_header(warm_page, tmp_path):
    page = warm_page
    own_points(page)
    upload(page, tmp_path, "ids.csv", b"id,length,width\na,1,2\nb,2,1\nc,8,9\nd,9,8\n")
    said = wait_message(page, "4 points read from ids.csv")
    assert "Read as 4 rows of 3 columns separated by commas; a header row: id, length, width" in said
    assert page.is_hidden("#columns")  # one column of text: only two hold numbers
    wait_axis_names(page, "length", "width")  # the preview of the points
    s = wait_done(page, run_id=press_go(page))
    assert s["points"] == [[1, 2], [2, 1], [8, 9], [9, 8]]
    assert s["axis_names"] == ["length", "width"]


def test_a_file_with_semicolons_and_decimal_commas_is_read(warm_page, tmp_path):
    page = warm_page
    own_points(page)
    upload(page, tmp_path, "semi.csv", "x;y\r\n1,5;2,25\r\n3;4\r\n-1,75;0\r\n".encode("utf-8"))
    said = wait_message(page, "3 points read from semi.csv")
    assert "separated by semicolons, with decimal commas" in said
    s = wait_done(page, run_id=press_go(page))
    assert s["points"] == [[1.5, 2.25], [3, 4], [-1.75, 0]]


def test_a_row_that_is_not_a_number_is_refused_by_line_or_skipped_when_asked(warm_page, tmp_path):
    page = warm_page
    own_points(page)
    page.fill("#points-text", "5,5\n6,6\n")
    raw = b"x,y\n0,0\n1,NaN\n2,2\n3,3\n"
    upload(page, tmp_path, "nan.csv", raw)
    said = wait_message(page, "nan.csv cannot be used")
    assert "line 3" in said and "'NaN' (y) is not a number" in said
    assert page.input_value("#points-text") == "5,5\n6,6\n"  # nothing lost
    page.check("#skip-bad")
    upload(page, tmp_path, "nan.csv", raw)
    said = wait_message(page, "3 points read from nan.csv")
    assert "skipped 1 row whose x or y is not a number: line 3" in said
    s = wait_done(page, run_id=press_go(page))
    assert s["points"] == [[0, 0], [2, 2], [3, 3]]
    page.uncheck("#skip-bad")


def test_a_pasted_spreadsheet_table_offers_its_columns_and_another_pair_moves_the_points(warm_page):
    page = warm_page
    own_points(page)
    page.fill("#points-text", "")
    page.click("#points-text")
    page.keyboard.insert_text("a\tb\tc\n1\t10\t100\n2\t20\t300\n3\t40\t200\n5\t30\t400\n")
    wait_axis_names(page, "a", "b")  # read once the typing pauses
    assert page.is_visible("#columns")
    assert page.eval_on_selector_all("#y-column option", "os => os.map(o => o.textContent)") == [
        "a", "b", "c"]
    assert "Read as 4 rows of 3 columns separated by tabs; a header row: a, b, c." in (
        page.text_content("#points-source"))
    s = wait_done(page, run_id=press_go(page))
    assert s["points"] == [[1, 10], [2, 20], [3, 40], [5, 30]]
    page.select_option("#y-column", "c")
    wait_axis_names(page, "a", "c")  # the points again, from the table kept
    s = wait_done(page, run_id=press_go(page))
    assert s["points"] == [[1, 100], [2, 300], [3, 200], [5, 400]]
    assert s["axis_names"] == ["a", "c"]


def test_a_point_clicked_onto_a_pasted_table_joins_it_as_a_row_of_that_table(warm_page):
    page = warm_page
    own_points(page)
    page.fill("#points-text", "")
    page.click("#points-text")
    page.keyboard.insert_text("a;b;c\n1;10;100\n2;20;300\n3,5;40;200\n5;30;400\n")
    page.wait_for_function("document.getElementById('points-source').textContent"
                           ".includes('separated by semicolons')")
    page.select_option("#x-column", "a")
    page.select_option("#y-column", "c")
    wait_axis_names(page, "a", "c")
    s = wait_done(page, run_id=press_go(page))
    assert s["points"][2] == [3.5, 200]
    # A click inside the plot, where no point lies: a new row in the table's own shape.
    (x0, x1), (y0, y1) = s["axes"]["xlim"], s["axes"]["ylim"]
    left, top, width, height = s["axes"]["box"]
    page.locator("#plot").scroll_into_view_if_needed()
    rect = page.eval_on_selector("#plot", "c => { const r = c.getBoundingClientRect(); return [r.left, r.top]; }")
    page.mouse.click(rect[0] + left + 0.1 * width, rect[1] + top + 0.1 * height)
    page.wait_for_function("document.getElementById('points-text').value.split('\\n').length === 7")
    last = page.input_value("#points-text").split("\n")[-2].split(";")
    assert len(last) == 3 and last[1] == ""  # x in a, y in c, b left empty
    x, y = (float(cell.replace(",", ".")) for cell in (last[0], last[2]))
    assert x0 < x < x0 + 0.2 * (x1 - x0) and y1 - 0.2 * (y1 - y0) < y < y1
    s = wait_done(page, run_id=press_go(page))
    assert s["points"][-1] == [x, y] and len(s["points"]) == 5


YLIM = "() => window.kmeans.snapshot({points: false}).axes.ylim"


def test_the_columns_and_skip_are_in_the_address_and_other_columns_refit_the_plot(warm_page):
    page = warm_page
    own_points(page)
    page.fill("#points-text", "")
    page.click("#points-text")
    page.keyboard.insert_text("a\tb\tc\n1\t10\t100\n2\t20\t300\n3\t40\t200\n5\t30\t400\n")
    page.wait_for_selector("#columns:not([hidden])")
    page.select_option("#x-column", "a")
    page.select_option("#y-column", "c")
    wait_axis_names(page, "a", "c")
    assert page.evaluate(YLIM)[1] >= 400
    page.select_option("#y-column", "b")  # b's points (10 to 40) fit in c's limits: refitted
    wait_axis_names(page, "a", "b")
    assert page.evaluate(YLIM)[1] < 100
    page.check("#skip-bad")
    page.wait_for_function("location.search.includes('skip=1')")
    s = wait_done(page, run_id=press_go(page))
    assert (s["params"]["x"], s["params"]["y"], s["params"]["skip"]) == ("a", "b", 1)
    assert "y=b" in page.evaluate("location.search")
    # The link of the run, opened again: the same columns.
    page.reload()
    page.wait_for_selector("html[data-ready='true']")
    wait_axis_names(page, "a", "b")
    s = snapshot(page)
    assert s["params"]["y"] == "b" and s["points"][0] == [1, 10]


def test_standardised_columns_are_what_k_means_sees_and_the_axes_say_so(warm_page):
    page = warm_page
    own_points(page)
    page.fill("#points-text", "income,age\n20000,20\n90000,25\n21000,60\n88000,65\n")
    wait_axis_names(page, "income", "age")
    page.select_option("#scale", "z")
    assert "k-means measures distances" in page.text_content("#scale-help")
    wait_axis_names(page, "income (standardised)", "age (standardised)")
    s = wait_done(page, run_id=press_go(page))
    X = s["points"]
    for j in (0, 1):
        column = [p[j] for p in X]
        mean = sum(column) / 4
        assert abs(mean) < 1e-12 and abs(sum((v - mean) ** 2 for v in column) / 4 - 1) < 1e-12
    assert s["params"]["scale"] == "z" and "scale=z" in page.evaluate("location.search")
    page.select_option("#scale", "minmax")
    wait_axis_names(page, "income (min-max)", "age (min-max)")
    page.select_option("#scale", "none")
    wait_axis_names(page, "income", "age")


def test_the_labelled_table_holds_every_column_the_scaled_ones_and_each_rows_cluster(warm_page, tmp_path):
    page = warm_page
    own_points(page, skip=True)
    raw = ("name;height;weight;note\nann;1,60;55;a, b\nbob;1,85;90;\ncid;NaN;70;x\n"
           "dee;1,70;60;\neve;1,90;95;\n").encode("latin-1")
    upload(page, tmp_path, "people.csv", raw)
    wait_message(page, "4 points read from people.csv")
    page.select_option("#scale", "z")
    wait_axis_names(page, "height (standardised)", "weight (standardised)")
    s = wait_done(page, run_id=press_go(page))
    if not page.evaluate("document.getElementById('save').open"):
        page.click("#save > summary")
    with page.expect_download() as info:
        page.click("#save-table")
    rows = list(csv.reader(io.StringIO(info.value.path().read_text(encoding="utf-8"))))
    assert rows[0] == ["name", "height", "weight", "note", "height (standardised)",
                       "weight (standardised)", "cluster", "distance"]
    assert [r[0] for r in rows[1:]] == ["ann", "bob", "cid", "dee", "eve"]
    assert rows[1][3] == "a, b" and rows[3][1] == "NaN"  # the cells as they were read
    assert rows[3][4:] == ["", "", "", ""]                 # the skipped row: no cluster
    points = [r for r in rows[1:] if r[6]]
    assert [[float(r[4]), float(r[5])] for r in points] == s["points"]
    assert [int(r[6]) for r in points] == s["labels"]
    for r in points:
        cx, cy = s["centroids"][int(r[6])]
        assert abs(float(r[7]) - math.hypot(float(r[4]) - cx, float(r[5]) - cy)) < 1e-12
    assert "Saved" in page.text_content("#export-note")


EXAMPLES = [  # name, rows, true classes, x and y by default, a part of its source
    ("faithful", 272, None, ["eruptions_min", "waiting_min"], "Härdle (1991)"),
    ("penguins", 342, 3, ["bill_length_mm", "bill_depth_mm"], "Palmer Station LTER"),
    ("iris", 150, 3, ["petal_length_cm", "petal_width_cm"], "Fisher (1936)"),
]


def test_each_example_data_set_loads_draws_and_names_its_source(warm_page):
    page = warm_page
    for name, rows, classes, axes, source in EXAMPLES:  # iris last
        set_controls(page, dataset=name, k="3", seed=2)
        help_text = page.text_content("#dataset-help")
        assert "Source: " in help_text and source in help_text
        assert page.is_disabled("#n") and page.is_hidden("#custom-box")
        s = wait_done(page, run_id=press_go(page))
        assert s["n_points"] == rows and s["axis_names"] == axes
        assert s["params"]["dataset"] == name
        if classes is None:
            assert s["true_labels"] is None
        else:
            assert len(s["true_labels"]) == rows and len(set(s["true_labels"])) == classes
    # Iris: two of its four measurements, chosen like the columns of your own table.
    assert page.is_visible("#columns")
    assert page.eval_on_selector_all("#x-column option", "os => os.map(o => o.value)") == [
        "petal_length_cm", "petal_width_cm", "sepal_length_cm", "sepal_width_cm"]
    set_controls(page, dataset="iris", k="3", seed=2)
    page.select_option("#x-column", "sepal_length_cm")
    page.select_option("#y-column", "sepal_width_cm")
    # At once, before GO: the run on the other columns goes, the plot shows the new ones.
    page.wait_for_function("""() => { const s = window.kmeans.snapshot({points: false});
        return s.status === 'ready' && JSON.stringify(s.axis_names) ===
               '["sepal_length_cm","sepal_width_cm"]'; }""")
    assert page.text_content("#status") == wording.PRESS_GO_COLUMNS
    s = wait_done(page, run_id=press_go(page))
    assert s["axis_names"] == ["sepal_length_cm", "sepal_width_cm"]
    assert s["points"][0] == [5.1, 3.5]  # the first flower of the file
    assert "x=sepal_length_cm" in page.evaluate("location.search")


def click_plot(page, fx: float, fy: float) -> None:
    """A real click at the fractions (fx, fy) of the plot's axes box (from the left, top)."""
    left, top, width, height = page.evaluate(
        "() => window.kmeans.snapshot({points: false}).axes.box")
    page.locator("#plot").scroll_into_view_if_needed()
    x0, y0 = page.eval_on_selector("#plot", "c => { const r = c.getBoundingClientRect(); return [r.left, r.top]; }")
    page.mouse.click(x0 + left + fx * width, y0 + top + fy * height)


def box_lines(page) -> int:
    return len([line for line in page.input_value("#points-text").splitlines() if line.strip()])


def test_own_points_start_from_the_points_shown_a_tap_adds_one_and_counts_are_real(warm_page):
    page = warm_page
    own_points(page)
    page.click("#clear-points")  # the box empty
    set_controls(page, dataset="blobs", n="150", k="3", seed=4)
    wait_done(page, run_id=press_go(page))
    click_plot(page, 0.02, 0.02)  # a corner, no centroid there
    assert "choose \"Your own points\"" in wait_message(page, "Tapping adds points only to your own")
    page.select_option("#dataset", "custom")
    said = wait_message(page, "Your own points start from the 150 points shown")
    assert box_lines(page) == 150 and page.text_content("#n-value") == "150"
    page.wait_for_function("document.documentElement.dataset.status === 'ready'")  # run gone
    click_plot(page, 0.03, 0.03)
    page.wait_for_function("document.getElementById('n-value').textContent === '151'")
    assert box_lines(page) == 151
    page.fill("#points-text", "1,1\n2,2\n3,3\n")
    page.dispatch_event("#points-text", "input")
    page.wait_for_function("document.getElementById('n-value').textContent === '3'")
    assert page.get_attribute("#n-number", "placeholder") == "3" and page.input_value("#n-number") == ""


def test_a_reload_after_a_big_upload_asks_for_the_file_again(warm_page, tmp_path):
    page = warm_page
    own_points(page)
    page.fill("#points-text", "")
    page.dispatch_event("#points-text", "input")
    rows = "".join(f"{i % 97},{(i * 7) % 89}\n" for i in range(12_000))
    upload(page, tmp_path, "big.csv", ("x,y\n" + rows).encode())
    wait_message(page, "12,000 points read from big.csv")
    wait_done(page, run_id=press_go(page))
    page.reload()
    page.wait_for_selector("html[data-ready='true']")
    said = wait_message(page, "Your points came from big.csv (12,000 rows)")
    assert "Upload the file again" in said and "need at least" not in said
