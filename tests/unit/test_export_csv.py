"""export/csv_file: the CSV download."""

import csv
import doctest
import io

import numpy as np
import pytest

from kmeans_anim.export import csv_file
from kmeans_anim.export.csv_file import CSV_HEADER, points_csv
from kmeans_anim.core.params import Params
from kmeans_anim.core.session import Session


def test_module_example_runs():
    result = doctest.testmod(csv_file)
    assert result.attempted >= 6 and result.failed == 0


# Edge cases of the float text: the longest forms (24 and 23 characters), subnormals, -0.0,
# the switch between positional and exponent forms (1e-4 and 1e16).
AWKWARD = [0.1, -0.0, 1e-300, 5e-324, 1.7976931348623157e308, -2.2250738585072014e-308,
           -1.2345678901234567e-300, -0.00012345678901234567, 0.0001, 9.999999999999999e-05,
           123456789.12345679, 1e16, 9999999999999998.0, 0.30000000000000004, -7.0, 2.5e-310]


@pytest.fixture(scope="module")
def finished():
    s = Session()
    run = s.go(Params(n=120, k=4, seed=11))
    return s, run


def read_rows(text):
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_has_one_row_per_point_then_one_per_centroid(finished):
    s, run = finished
    text = points_csv(s.points, run.labels, s.true_labels, run.centroids)
    lines = text.splitlines()
    assert lines[0] == CSV_HEADER == "x,y,cluster,true_cluster,kind"
    assert len(lines) == 1 + 120 + 4 and text.endswith("\n")
    rows = read_rows(text)
    assert [r["kind"] for r in rows] == ["point"] * 120 + ["centroid"] * 4
    for row, (x, y), label, truth in zip(rows, s.points, run.labels, s.true_labels):
        assert (float(row["x"]), float(row["y"])) == (x, y)  # exact, not approximately
        assert row["cluster"] == str(label) and row["true_cluster"] == str(truth)
    for j, (row, (x, y)) in enumerate(zip(rows[120:], run.centroids)):
        assert (float(row["x"]), float(row["y"]), row["cluster"], row["true_cluster"]) == (
            x, y, str(j), "")


def test_csv_numbers_round_trip_exactly_and_read_like_repr():
    X = np.array(AWKWARD).reshape(-1, 2)
    text = points_csv(X, np.arange(len(X)))
    rows = read_rows(text)
    assert [r["x"] for r in rows] == [repr(v) for v in X[:, 0].tolist()]
    assert [r["y"] for r in rows] == [repr(v) for v in X[:, 1].tolist()]
    back = np.array([[float(r["x"]), float(r["y"])] for r in rows])
    assert back.tobytes() == X.tobytes()  # bit for bit, -0.0 included


def test_csv_leaves_unknown_fields_empty():
    # Before the first assignment (label -1) and for the visitor's own points (no truth).
    X = np.array([[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]])
    rows = read_rows(points_csv(X, np.array([-1, 1, -1], dtype=np.int8)))
    assert [r["cluster"] for r in rows] == ["", "1", ""]
    assert [r["true_cluster"] for r in rows] == ["", "", ""]
    assert len(rows[0]) == 5 and all(r["kind"] == "point" for r in rows)


def test_numpy_reads_the_csv_without_tricks(tmp_path, finished):
    s, run = finished
    path = tmp_path / "points.csv"
    path.write_text(points_csv(s.points, run.labels, s.true_labels, run.centroids))
    xy = np.loadtxt(path, delimiter=",", skiprows=1, usecols=(0, 1))
    kind = np.loadtxt(path, delimiter=",", skiprows=1, usecols=4, dtype=str)
    np.testing.assert_array_equal(xy[kind == "point"], s.points)
    np.testing.assert_array_equal(xy[kind == "centroid"], run.centroids)
    table = np.genfromtxt(path, delimiter=",", names=True, dtype=None, encoding="utf-8")
    points = table[table["kind"] == "point"]
    np.testing.assert_array_equal(points["cluster"], run.labels)
    np.testing.assert_array_equal(points["true_cluster"], s.true_labels)


def test_csv_refuses_mismatched_shapes():
    with pytest.raises(ValueError, match="labels"):
        points_csv(np.zeros((3, 2)), [0, 1])
    with pytest.raises(ValueError, match="points"):
        points_csv(np.zeros((3, 3)), [0, 1, 2])
    with pytest.raises(ValueError, match="true_labels"):
        points_csv(np.zeros((3, 2)), [0, 1, 2], true_labels=[0])


def test_csv_of_many_points_matches_a_row_by_row_csv_writer():
    # The vectorised formatter must write what the csv module writes from repr, row by row,
    # across block boundaries (65536 rows per block).
    rng = np.random.default_rng(3)
    n = 70_000
    X = rng.normal(scale=10.0 ** rng.integers(-300, 300, size=(n, 1)), size=(n, 2))
    labels = rng.integers(-1, 10, n)
    truth = rng.integers(0, 10, n)
    expected = io.StringIO()
    writer = csv.writer(expected, lineterminator="\n")
    writer.writerow(CSV_HEADER.split(","))
    for (x, y), c, t in zip(X.tolist(), labels.tolist(), truth.tolist()):
        writer.writerow([repr(x), repr(y), "" if c < 0 else c, t, "point"])
    assert points_csv(X, labels, truth) == expected.getvalue()


# ---------------------------------------------------------------- the labelled table

def test_the_labelled_table_reads_back_as_the_table_plus_clusters():
    import pandas as pd
    from kmeans_anim.core.table import read_table, scaled
    from kmeans_anim.export.csv_file import labelled_table_csv
    text = 'id,x,y,comment\na,1,2,"one, two"\nb,3,NA,\nc,5,6,ok\nd,9,9,\n'
    t = read_table(text)
    picked = t.points("x", "y", skip=True)
    seen = scaled(picked.X, "minmax")
    labels, centroids = np.array([0, 0, 1]), np.array([[0.25, 0.25], [1.0, 1.0]])
    out = labelled_table_csv(t.names, [t.column_texts(j) for j in range(4)], picked.rows,
                             seen, labels, centroids, ("x (min-max)", "y (min-max)"))
    back = pd.read_csv(io.StringIO(out), keep_default_na=False, dtype=str)
    assert list(back.columns) == ["id", "x", "y", "comment", "x (min-max)", "y (min-max)",
                                  "cluster", "distance"]
    assert back["comment"].tolist() == ["one, two", "", "ok", ""]
    assert back["y"].tolist()[1] == "NA" and back["cluster"].tolist() == ["0", "", "0", "1"]
    used = back[back["cluster"] != ""]
    np.testing.assert_array_equal(used[["x (min-max)", "y (min-max)"]].astype(float), seen)
    np.testing.assert_allclose(used["distance"].astype(float),
                               np.linalg.norm(seen - centroids[labels], axis=1))


def test_the_labelled_table_names_its_columns_apart_from_the_tables_own():
    from kmeans_anim.export.csv_file import labelled_table_csv
    out = labelled_table_csv(["cluster", "distance"], [["1.0", "2.0"], ["3.0", "4.0"]],
                             [0, 1], [[1.0, 3.0], [2.0, 4.0]], [-1, 0], [[2.0, 4.0]])
    assert out.splitlines() == ["cluster,distance,kmeans_cluster,kmeans_distance",
                                "1.0,3.0,,", "2.0,4.0,0,0.0"]
