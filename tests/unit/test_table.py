"""Tests for kmeans_anim.core.table: the visitor's own table, read as it really comes.

The oracle is pandas.read_csv with the options that match each file (pandas is a test
requirement only; the page never imports it).
"""

import io

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_array_equal

from kmeans_anim.core import data, table

# --------------------------------------------------------------------------------------------
# A corpus of real-world shapes: (bytes, pandas options, what the reader should say)
# --------------------------------------------------------------------------------------------

CORPUS = {
    "three-columns-header": (
        b"id,x,y\n1,0.5,2\n2,1.5,-3\n3,2.5,4e2\n", {},
        dict(delimiter=",", header=True, numeric=[True, True, True])),
    "iris-like-text-column": (
        b"sepal_length,sepal_width,petal_length,species\n5.1,3.5,1.4,setosa\n"
        b"7.0,3.2,4.7,versicolor\n6.3,3.3,6.0,virginica\n5.8,2.7,5.1,virginica\n", {},
        dict(delimiter=",", header=True, numeric=[True, True, True, False])),
    "semicolon-decimal-commas": (
        b"x;y;label\n1,5;2,3;a\n-0,25;1e3;b\n3;4,75;c\n", dict(sep=";", decimal=","),
        dict(delimiter=";", header=True, decimal_comma=True, numeric=[True, True, False])),
    "tabs": (
        b"a\tb\tc\n1\t2\t3\n4.5\t-5\t6\n", dict(sep="\t"),
        dict(delimiter="\t", header=True, numeric=[True, True, True])),
    "spreadsheet-paste-trailing-tab": (
        b"height\tweight\t\n1,75\t68,5\t\n1,62\t55\t\n1,80\t80,25\t\n",
        dict(sep="\t", decimal=","),
        dict(delimiter="\t", header=True, decimal_comma=True, numeric=[True, True])),
    "quoted-cells": (
        b'name,x,y\n"Smith, J.",1,2\n"say ""hi""",3,4\nplain,"5.5",6\n', {},
        dict(delimiter=",", header=True, numeric=[False, True, True])),
    "empty-and-nan-cells": (
        b"x,y,z\n1,,3\n4,NaN,6\n7,8,\n9,n/a,10\n", {},
        dict(delimiter=",", header=True, numeric=[True, True, True])),
    "empty-last-cells-semicolons": (  # a spreadsheet's CSV with a mostly empty last column
        "name;height;weight;note\nann;1,60;55;a, b\nbob;1,85;90;\ncid;NaN;70;x\n"
        "dee;1,70;60;\neve;1,90;95;\n".encode("latin-1"),
        dict(encoding="latin-1", sep=";", decimal=","),
        dict(delimiter=";", header=True, decimal_comma=True,
             numeric=[False, True, True, False])),
    "utf8-bom": (
        "x,y\n1,2\n3,4\n".encode("utf-8-sig"), dict(encoding="utf-8-sig"),
        dict(delimiter=",", header=True, encoding="utf-8")),
    "utf16-bom": (
        "temp °C;pressure\n1,5;1013\n2,25;1009\n".encode("utf-16"),
        dict(encoding="utf-16", sep=";", decimal=","),
        dict(delimiter=";", header=True, encoding="utf-16-le", decimal_comma=True)),
    "latin1": (
        "ville;temp;hum\nZürich;1,5;80\nMünchen;2;75,5\nSão Paulo;25;90\n".encode("latin-1"),
        dict(encoding="latin-1", sep=";", decimal=","),
        dict(delimiter=";", header=True, encoding="latin-1", decimal_comma=True,
             numeric=[False, True, True])),
    "runs-of-spaces-no-header": (
        b"  1.0   2.0  3\n 4 5 6\n7\t8 9\n", dict(sep=r"\s+", header=None),
        dict(delimiter=" ", header=False, numeric=[True, True, True])),
    "no-header": (
        b"1,2,3\n4,5,6\n", dict(header=None),
        dict(delimiter=",", header=False, numeric=[True, True, True])),
    "crlf-blank-and-comment-lines": (
        b"# measured 2024\r\nx,y\r\n1,2\r\n\r\n# a note\r\n3,4\r\n", dict(comment="#"),
        dict(delimiter=",", header=True, numeric=[True, True])),
    "spaces-after-commas": (
        b"x, y, kind\n1, 2, a\n3, 4, b\n", dict(skipinitialspace=True),
        dict(delimiter=",", header=True, numeric=[True, True, False])),
    "two-columns-as-before": (
        b"x,y\n1,2\n3.5,4\n", {}, dict(delimiter=",", header=True, numeric=[True, True])),
}


def pandas_frame(raw, options):
    """pandas' reading, without the empty unnamed column a trailing delimiter makes."""
    frame = pd.read_csv(io.BytesIO(raw), **options)
    empty = [c for c in frame.columns
             if str(c).startswith("Unnamed") and frame[c].isna().all()]
    return frame.drop(columns=empty)


def assert_same_as_pandas(t, frame, header):
    assert len(t.names) == frame.shape[1]
    assert t.n_rows == frame.shape[0]
    if header:
        assert t.names == [str(c).strip() for c in frame.columns]
    for j, name in enumerate(frame.columns):
        column = frame[name]
        if pd.api.types.is_numeric_dtype(column):
            assert isinstance(t.columns[j], np.ndarray), name
            assert_array_equal(t.columns[j], column.to_numpy(dtype=np.float64))
        else:
            assert t.columns[j] == [str(v).strip() for v in column.fillna("")], name
        assert t.numeric[j] == pd.api.types.is_numeric_dtype(column), name


@pytest.mark.parametrize("name", list(CORPUS))
def test_corpus_reads_as_pandas_does(name):
    raw, options, expected = CORPUS[name]
    t = table.read_bytes(raw)
    assert_same_as_pandas(t, pandas_frame(raw, options), expected["header"])
    assert t.delimiter == expected["delimiter"]
    assert t.header is expected["header"]
    assert t.decimal_comma is expected.get("decimal_comma", False)
    if "numeric" in expected:
        assert t.numeric == expected["numeric"]
    if "encoding" in expected:
        assert t.encoding == expected["encoding"]


@pytest.mark.parametrize("name", list(CORPUS))
@pytest.mark.parametrize("size", [1, 3, 7, 64])
def test_corpus_read_the_same_in_slices_cut_anywhere(name, size):
    raw = CORPUS[name][0]
    whole, sliced = table.read_bytes(raw), table.read_bytes(raw, slice_bytes=size)
    assert whole.names == sliced.names and whole.numeric == sliced.numeric
    assert_array_equal(whole.lines, sliced.lines)
    for a, b in zip(whole.columns, sliced.columns):
        assert_array_equal(np.asarray(a), np.asarray(b))


def test_text_is_read_like_bytes():
    raw = CORPUS["semicolon-decimal-commas"][0]
    by_text, by_bytes = table.read_table(raw.decode()), table.read_bytes(raw)
    assert by_text.names == by_bytes.names and by_text.encoding is None
    assert_array_equal(by_text.columns[1], by_bytes.columns[1])


def test_many_rows_in_bulk_agree_with_pandas():
    """20,000 rows of every number spelling the bulk path meets, with a blank line, a comment,
    a short row and an empty cell in the middle (blocks halved down to them)."""
    rng = np.random.default_rng(3)
    X = rng.normal(0.0, 1e3, size=(20_000, 3))
    lines = ["a;b;c;label"] + [f"{x!r};{y:.3e};{z:.4f};L{i % 7}".replace(".", ",")
                                for i, (x, y, z) in enumerate(X.tolist())]
    lines[5_000] = ""
    lines[9_000] = "# a note in the middle"
    lines[12_000] = "1,5;2"  # short row: c and label empty
    lines[15_000] = ";2;3;x"  # empty a
    raw = ("\n".join(lines) + "\n").encode()
    t = table.read_bytes(raw)
    frame = pandas_frame(raw, dict(sep=";", decimal=",", comment="#"))
    assert_same_as_pandas(t, frame, header=True)
    assert t.lines[0] == 2 and t.lines[-1] == len(lines)
    assert 5_001 not in t.lines and 9_001 not in t.lines
    assert t.odd[2][int(np.flatnonzero(t.lines == 12_001)[0])] == ""


# --------------------------------------------------------------------------------------------
# Points: choosing columns, bad rows named or skipped
# --------------------------------------------------------------------------------------------


def test_default_points_are_the_first_two_numeric_columns_with_their_names():
    t = table.read_table("name,height,weight,age\nann,1.6,55,30\nbob,1.8,80,41\n")
    p = t.points()
    assert p.names == ("height", "weight")
    assert_array_equal(p.X, [[1.6, 55], [1.8, 80]])
    assert_array_equal(p.rows, [0, 1])
    assert p.skipped == 0 and p.words() == ""


def test_columns_are_chosen_by_name_or_index():
    t = table.read_table("name,height,weight,age\nann,1.6,55,30\nbob,1.8,80,41\n")
    assert_array_equal(t.points("age", "height").X, [[30, 1.6], [41, 1.8]])
    assert_array_equal(t.points(3, 2).X, [[30, 55], [41, 80]])
    assert t.points(3, 2).names == ("age", "weight")


@pytest.mark.parametrize("x, fragment", [
    ("name", "column name holds text, not numbers; choose one of: height, weight"),
    ("shoe", "there is no column 'shoe'; the columns are: name, height, weight"),
    (7, "there is no column 7"),
])
def test_a_wrong_column_is_said_plainly(x, fragment):
    t = table.read_table("name,height,weight\nann,1.6,55\nbob,1.8,80\n")
    with pytest.raises(data.PointsError, match=fragment):
        t.points(x, "weight")


@pytest.mark.parametrize("text, fragment", [
    ("1\n2\n3\n", "found one column only (column 1): put two numbers on each line"),
    ("name,x\nann,1\nbob,2\n", "of the 2 columns (name, x), only x holds numbers"),
    ("a,b\nc,d\n", "of the 2 columns (a, b), none holds numbers"),
])
def test_too_few_numeric_columns_are_said_plainly(text, fragment):
    with pytest.raises(data.PointsError) as caught:
        table.read_table(text).points()
    assert fragment in str(caught.value)


@pytest.mark.parametrize("body, line, message", [
    ("1,2\n3,NaN\n", 3, "line 3: 'NaN' (y) is not a number"),
    ("1,2\n3,4\n5,\n", 4, "line 4: the y cell is empty"),
    ("1,2\nabc,4\n", 3, "line 3: 'abc' (x) is not a number"),
    ("1,2\n-inf,4\n", 3, "line 3: '-inf' (x) is not an ordinary number; use finite numbers"),
    ("1,2\n1e200,4\n", 3, "line 3: x 1e+200 is too far from zero; use numbers between -1e100"),
    ("1,2\n3,4,5\n", 3,
     "line 3: expected 2 cells separated by commas (like the lines above), got 3: '3,4,5'"),
])
def test_without_skipping_the_first_bad_line_is_named(body, line, message):
    t = table.read_table("x,y\n" + body)
    with pytest.raises(data.PointsError) as caught:
        t.points()
    assert str(caught.value).startswith(message)
    assert caught.value.line == line


def test_a_bad_cell_in_a_column_not_chosen_does_no_harm():
    t = table.read_table("x,y,z\n1,2,oops\n3,4,\n5,6,7\n")
    assert t.numeric == [True, True, True]  # one text cell among numbers
    assert t.points().skipped == 0
    assert t.column_texts(2) == ["oops", "", "7.0"]


def test_skipping_counts_the_rows_and_names_the_first_lines():
    lines = ["x,y"] + [f"{i},{i + 1}" for i in range(20)]
    for at, bad in ((3, "3,NaN"), (6, ",4"), (9, "n/a,5"), (12, "1,2,3"), (14, "inf,1"),
                    (17, "x,y"), (19, "1e300,2")):
        lines[at] = bad
    t = table.read_table("\n".join(lines) + "\n")
    p = t.points(skip=True)
    assert p.skipped == 7
    assert p.skipped_lines == [4, 7, 10, 13, 15]
    assert p.X.shape == (13, 2) and np.isfinite(p.X).all()
    assert_array_equal(p.X[:, 0], [0, 1, 3, 4, 6, 7, 9, 10, 12, 14, 15, 17, 19])
    assert p.words() == ("skipped 7 rows whose x or y is not a number: "
                         "lines 4, 7, 10, 13, 15 and 2 more")
    with pytest.raises(data.PointsError, match="^line 4: 'NaN' \\(y\\) is not a number"):
        t.points()


def test_skipping_one_row_is_worded_in_the_singular():
    p = table.read_table("x,y\n1,2\n3,\n5,6\n").points(skip=True)
    assert p.words() == "skipped 1 row whose x or y is not a number: line 3"
    assert_array_equal(p.rows, [0, 2])


def test_skipping_everything_leaves_too_few_points():
    with pytest.raises(data.TooFewPoints, match="need at least 2 points to cluster, got 1"):
        table.read_table("x,y\n1,2\nNaN,3\n").points(skip=True)


# --------------------------------------------------------------------------------------------
# What the issue saw: messages that do not mislead
# --------------------------------------------------------------------------------------------


def test_a_semicolon_file_with_decimal_commas_is_read_and_said_so():
    t = table.read_table("1,5;2,3\n4;5,25\n")
    assert_array_equal(t.points().X, [[1.5, 2.3], [4, 5.25]])
    assert t.describe() == "2 columns separated by semicolons, with decimal commas"


def test_a_wrong_line_in_a_semicolon_file_names_the_line_and_the_cell():
    t = table.read_table("x;y\n1,5;2,3\n4;abc\n")
    with pytest.raises(data.PointsError) as caught:
        t.points()
    assert str(caught.value) == "line 3: 'abc' (y) is not a number"


def test_the_header_names_label_the_axes_and_are_described():
    t = table.read_table("sepal_length,sepal_width\n5.1,3.5\n4.9,3.0\n")
    assert t.points().names == ("sepal_length", "sepal_width")
    assert t.describe() == "2 columns separated by commas; a header row: sepal_length, sepal_width"


def test_without_a_header_columns_are_numbered():
    t = table.read_table("5.1,3.5\n4.9,3.0\n")
    assert not t.header and t.names == ["column 1", "column 2"]
    assert t.n_rows == 2


def test_a_header_over_text_and_number_columns_is_found_by_its_number_columns():
    t = table.read_table("species,length\nsetosa,5.1\nvirginica,6.3\n")
    assert t.header and t.names == ["species", "length"]
    assert t.columns[0] == ["setosa", "virginica"]


def test_an_empty_header_cell_gets_a_number():
    t = table.read_table(",x,y\n1,2,3\n4,5,6\n")
    assert t.names == ["column 1", "x", "y"]


# --------------------------------------------------------------------------------------------
# Bytes, slices, limits
# --------------------------------------------------------------------------------------------


def test_a_quoted_cell_spanning_lines_and_slices_is_one_cell():
    raw = b'note,x,y\n"two\nlines",1,2\nplain,3,4\n'
    frame = pandas_frame(raw, {})
    for size in (1, 5, 12, 100):
        t = table.read_bytes(raw, slice_bytes=size)
        assert_same_as_pandas(t, frame, header=True)
        assert_array_equal(t.lines, [2, 4])


def test_latin1_after_utf8_looking_start_falls_back_where_utf8_stops():
    raw = ("x;y;ville\n" + "1;2;a\n" * 5000 + "3;4;Besançon\n").encode("latin-1")
    t = table.read_bytes(raw, slice_bytes=4096)
    assert t.encoding == "latin-1" and t.columns[2][-1] == "Besançon"


def test_the_default_file_decoder_still_replaces_instead_of_falling_back():
    decoder = data.FileDecoder()
    text = decoder.decode("é,1\n".encode("latin-1") * 20, final=True)
    assert decoder.encoding == "utf-8" and decoder.bad == (1, 0xE9) and "\ufffd" in text


def test_a_compressed_file_is_refused_in_plain_words():
    with pytest.raises(data.PointsError, match="compressed file"):
        table.read_bytes(b"PK\x03\x04" + bytes(100))


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n"])
def test_nothing_to_read_is_too_few_points(text):
    with pytest.raises(data.TooFewPoints, match="got 0"):
        table.read_table(text)


def test_too_many_rows_are_refused_and_the_reader_stays_refused():
    reader = table.TableReader(max_rows=150)
    with pytest.raises(data.PointsError, match="too many rows: the limit is 150"):
        reader.feed("x,y\n" + "1,2\n" * 200)
    with pytest.raises(data.PointsError, match="too many rows"):
        reader.close()


def test_close_twice_gives_the_same_table_and_feeding_after_it_is_an_error():
    reader = table.TableReader()
    reader.feed("x,y\n1,2\n3,4")
    assert reader.close() is reader.close()
    with pytest.raises(ValueError, match="closed"):
        reader.feed("5,6\n")


def test_the_table_written_back_reads_the_same():
    raw, options, _ = CORPUS["empty-and-nan-cells"]
    t = table.read_bytes(raw)
    written = ",".join(t.names) + "\n" + "".join(
        ",".join(row) + "\n" for row in zip(*(t.column_texts(j) for j in range(len(t.names)))))
    again = table.read_table(written)
    for a, b in zip(t.columns, again.columns):
        assert_array_equal(a, b)
    assert again.odd == t.odd


def test_a_header_without_rows_is_too_few_points():
    t = table.read_table("x,y\n")
    assert t.header and t.n_rows == 0
    with pytest.raises(data.TooFewPoints, match="got 0"):
        t.points()


# ---------------------------------------------------------------- scale

@pytest.mark.parametrize("how", ["z", "minmax"])
def test_scaled_matches_the_code_copy_as_python_writes(how):
    X = np.random.default_rng(3).normal([100.0, 0.01], [50.0, 0.002], (200, 2))
    namespace = {"np": np, "X": X.copy()}
    exec(table.SCALE_CODE[how], namespace)
    assert np.array_equal(table.scaled(X, how), namespace["X"])


def test_scaled_columns_count_alike_and_a_flat_column_divides_by_nothing():
    X = np.column_stack([np.arange(10.0) * 1000, np.full(10, 7.0)])
    z = table.scaled(X, "z")
    assert np.allclose(z[:, 0].mean(), 0) and np.isclose(z[:, 0].std(), 1) and (z[:, 1] == 0).all()
    m = table.scaled(X, "minmax")
    assert m[:, 0].min() == 0 and m[:, 0].max() == 1 and (m[:, 1] == 0).all()
    assert table.scaled(X, "none") is X
    with pytest.raises(ValueError):
        table.scaled(X, "log")


@pytest.mark.parametrize("how", ["none", "z", "minmax"])
def test_a_point_clicked_on_the_scaled_plot_goes_back_to_the_columns_units(how):
    X = np.array([[0.0, 100.0], [4.0, 300.0], [1.0, 200.0]])
    shown = table.scaled(X, how)
    assert np.allclose(table.unscaled(shown[1], X, how), X[1])


def test_a_first_line_of_numbers_with_one_bad_cell_is_data_named_by_its_line_not_a_header():
    # "1,2<form feed>3,4": two numbers and a garbled cell read as a row of data, so the reader
    # names the line the visitor sees (a form feed is no line break in the box).
    t = table.read_table("1,2\f3,4\nfoo,1\n")
    assert not t.header
    with pytest.raises(data.PointsError, match=r"^line 1: '2\\x0c3' \(column 2\) is not a number"):
        t.points()
    assert table.read_table("sepal_length,sepal_width\n1,2\n3,4\n").header   # words: a header
