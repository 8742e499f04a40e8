"""Points clicked onto (or off) a table of your own: written in the table's own shape, so that
reading the text again gives the same table plus (or minus) that point (core/table.py)."""

from __future__ import annotations

import pytest

from kmeans_anim.core.table import read_table, text_with_point, text_without_point

SHAPES = {
    "commas, header, text column": "id,x,y\na,1,2\nb,3,4\n",
    "semicolons, decimal commas": "x;y;z\n1,5;2;9\n3;4,25;8\n",
    "tabs, no final line break": "a\tb\tc\n1\t10\t100\n2\t20\t200",
    "spaces, three columns": "p q r\n1 2 3\n4 5 6\n",
    "plain x,y lines": "1,2\n3,4\n",
}


@pytest.mark.parametrize("text", SHAPES.values(), ids=SHAPES.keys())
def test_a_clicked_point_reads_back_as_one_more_row_in_the_chosen_columns(text):
    table = read_table(text)
    names = [n for n, numeric in zip(table.names, table.numeric) if numeric][-2:]
    before = table.points(*names)
    added = text_with_point(text, table, tuple(names), (0.1, -7.25))
    again = read_table(added)
    assert again.names == table.names and again.delimiter == table.delimiter
    after = again.points(*names)
    assert after.X.tolist() == before.X.tolist() + [[0.1, -7.25]]
    # ... and taken off again, the text is as it was (but for a missing final line break)
    assert text_without_point(added, again, after, (0.1, -7.25)).rstrip("\n") == text.rstrip("\n")


def test_the_last_row_holding_the_point_goes_and_other_lines_stay_as_written():
    text = "# measured\r\nx,y\r\n1,2\r\n3,4\r\n1,2\r\n"
    table = read_table(text)
    assert text_without_point(text, table, table.points(), (1, 2)) == "# measured\r\nx,y\r\n1,2\r\n3,4\r\n"
    assert text_without_point(text, table, table.points(), (9, 9)) == text
