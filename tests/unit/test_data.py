"""Tests for kmeans_anim.data: generated shapes and the visitor's own points."""

import math
import random

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from kmeans_anim.core import data


def rng(seed=0):
    return np.random.default_rng(seed)


# --------------------------------------------------------------------------------------------
# Every data set: the common contract
# --------------------------------------------------------------------------------------------

#: The generated data sets (the examples are real data: tested below).
NAMES = [name for name, spec in data.DATASETS.items() if spec.example is None]
EXAMPLES = [name for name, spec in data.DATASETS.items() if spec.example is not None]


def test_registry_names():
    assert list(data.DATASETS) == ["blobs", "uniform", "anisotropic", "unequal-variance",
                                   "unequal-size", "moons", "rings", "smiley",
                                   "faithful", "iris", "penguins"]
    assert EXAMPLES == ["faithful", "iris", "penguins"]


# ---------------------------------------------------------------- the example data sets

@pytest.mark.parametrize("name, rows, classes", [("faithful", 272, None),
                                                 ("iris", 150, [50, 50, 50]),
                                                 ("penguins", 342, [151, 68, 123])])
def test_an_example_is_its_real_rows_with_their_true_classes_and_its_source_named(name, rows, classes):
    spec = data.DATASETS[name]
    assert spec.params == () and "Source: " in spec.help and spec.example.source in spec.help
    X, y = data.generate(name, 150, rng(1))  # n and the generator are not used
    X2, _ = data.generate(name, 7, rng(2))
    assert X.shape == (rows, 2) and np.isfinite(X).all() and np.array_equal(X, X2)
    if classes is None:
        assert y is None
    else:
        assert sorted(np.bincount(y).tolist()) == sorted(classes)
    # The same numbers as pandas reads from the file.
    frame = pd.read_csv(data.EXAMPLES_DIR / spec.example.file)
    ex = spec.example
    assert list(frame.columns[:len(ex.columns)]) == list(ex.columns)
    assert_array_equal(X, frame[list(ex.columns[:2])].to_numpy())


def test_an_example_gives_the_columns_chosen_else_its_first_two():
    X, _ = data.generate("iris", 150, rng(0), columns=("sepal_width_cm", "petal_length_cm"))
    first = data.read_example("iris.csv")[1]
    assert_array_equal(X, first[:, [3, 0]])
    X, _ = data.generate("iris", 150, rng(0), columns=("nope", "petal_length_cm"))
    assert_array_equal(X, first[:, [0, 1]])


def test_the_penguins_classes_are_the_species_in_file_order():
    names, values, classes, class_names = data.read_example("penguins.csv")
    assert class_names == ("Adelie", "Gentoo", "Chinstrap") and values.shape == (342, 4)


@pytest.mark.parametrize("name", NAMES)
def test_registry_entry_describes_itself(name):
    spec = data.DATASETS[name]
    assert spec.name == name
    assert spec.title.strip() and len(spec.help.split()) >= 8
    assert set(spec.params) <= {"centers", "std", "noise"}


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("n", [1, 2, 7, 500], ids=lambda n: f"n{n}")
def test_shape_dtype_finite_labels(name, n):
    X, y = data.generate(name, n, rng(1), centers=4, std=0.8, noise=0.3)
    assert X.shape == (n, 2) and X.dtype == np.float64 and np.isfinite(X).all()
    assert y.shape == (n,) and y.dtype == np.intp
    assert y.min() >= 0
    m = {"uniform": 1, "moons": 2, "rings": 2, "smiley": 4}.get(name, 4)
    assert y.max() < m
    if n >= 500:
        assert set(np.unique(y)) == set(range(m))


@pytest.mark.parametrize("name", NAMES)
def test_reproducible_and_seed_dependent(name):
    a = data.generate(name, 50, rng(5))
    b = data.generate(name, 50, rng(5))
    c = data.generate(name, 50, rng(6))
    assert_array_equal(a[0], b[0])
    assert_array_equal(a[1], b[1])
    assert not np.array_equal(a[0], c[0])


@pytest.mark.parametrize("name", NAMES)
def test_generate_is_the_registry_function(name):
    X, y = data.generate(name, 40, rng(2), centers=2, std=1.5, noise=0.2)
    X2, y2 = data.run_pieces(data.DATASETS[name].generate(40, rng(2), 2, 1.5, 0.2))
    assert_array_equal(X, X2)
    assert_array_equal(y, y2)


@pytest.mark.parametrize(
    "name, kwargs, message",
    [
        pytest.param("spiral", {}, "unknown data set", id="unknown"),
        pytest.param("blobs", dict(n=0), "number of points", id="n-zero"),
        pytest.param("blobs", dict(centers=11), "true clusters", id="centers-11"),
        pytest.param("blobs", dict(std=-1.0), "std", id="std-negative"),
        pytest.param("moons", dict(noise=float("nan")), "noise", id="noise-nan"),
    ],
)
def test_generate_rejects(name, kwargs, message):
    args = dict(n=10) | kwargs
    n = args.pop("n")
    with pytest.raises(ValueError, match=message):
        data.generate(name, n, rng(), **args)


# --------------------------------------------------------------------------------------------
# make_blobs and the blob variants
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "n, m, counts",
    [(10, 3, [4, 3, 3]), (11, 3, [4, 4, 3]), (9, 3, [3, 3, 3]), (2, 3, [1, 1, 0]),
     (7, 1, [7])],
    ids=["10-3", "11-3", "9-3", "2-3", "7-1"],
)
def test_make_blobs_even_split(n, m, counts):
    _, y = data.make_blobs(n, m, 1.0, rng())
    assert_array_equal(np.bincount(y, minlength=m), counts)


def test_make_blobs_rows_are_shuffled():
    _, y = data.make_blobs(300, 3, 1.0, rng())
    assert (np.diff(y) < 0).any()  # unshuffled labels would be sorted 0, 0, ..., 2


def test_make_blobs_statistics_match_centres_and_std():
    centres = np.array([[-5.0, 0.0], [5.0, 0.0], [0.0, 8.0]])
    stds = [0.5, 1.0, 2.0]
    X, y = data.make_blobs(6000, centres, stds, rng(3))
    for j, (centre, std) in enumerate(zip(centres, stds)):
        pts = X[y == j]
        size = len(pts)
        # Sample mean: standard error std / sqrt(n); sample std: about std / sqrt(2 n).
        # Four standard errors fail a correct generator with probability < 1e-4.
        assert np.abs(pts.mean(axis=0) - centre).max() < 4 * std / math.sqrt(size)
        assert np.abs(pts.std(axis=0, ddof=1) - std).max() < 4 * std / math.sqrt(2 * size)
        # Uncorrelated coordinates (isotropic): correlation standard error 1 / sqrt(n).
        assert abs(np.corrcoef(pts.T)[0, 1]) < 4 / math.sqrt(size)


def test_make_blobs_random_centres_fall_in_center_box():
    X, y = data.make_blobs(4000, 8, 0.3, rng(4), center_box=(2.0, 6.0))
    means = np.array([X[y == j].mean(axis=0) for j in range(8)])
    margin = 4 * 0.3 / math.sqrt(500)
    assert ((means > 2.0 - margin) & (means < 6.0 + margin)).all()
    assert np.unique(means.round(3), axis=0).shape[0] == 8  # distinct centres


def _cluster_stds(X, y, m):
    return np.array([X[y == j].std(axis=0, ddof=1).mean() for j in range(m)])


def test_unequal_variance_spreads():
    X, y = data.generate("unequal-variance", 6000, rng(5), centers=4, std=1.0)
    # Factors 0.5, 1, 2.5 cycled: blob 3 is like blob 0. Tolerance 10 % (sampling error ~2 %).
    assert_allclose(_cluster_stds(X, y, 4), [0.5, 1.0, 2.5, 0.5], rtol=0.1)


def test_blobs_spread_follows_std():
    X, y = data.generate("blobs", 6000, rng(5), centers=3, std=1.7)
    assert_allclose(_cluster_stds(X, y, 3), [1.7] * 3, rtol=0.1)


@pytest.mark.parametrize(
    "n, centers, counts",
    [(1200, 3, [100, 300, 800]), (1300, 4, [100, 300, 800, 100]), (12, 2, [3, 9]),
     (13, 3, [1, 3, 9])],
    ids=["1200-3", "1300-4", "12-2", "13-3"],
)
def test_unequal_size_proportions(n, centers, counts):
    # Ratios 1 : 3 : 8 cycled; leftovers go to the largest remainders (13 * 8/12 = 8.67 -> 9).
    _, y = data.generate("unequal-size", n, rng(), centers=centers)
    assert_array_equal(np.bincount(y, minlength=centers), counts)


def test_anisotropic_is_blobs_sheared_around_their_centres():
    Xa, ya = data.generate("anisotropic", 3000, rng(8), centers=3, std=1.0)
    Xb, yb = data.generate("blobs", 3000, rng(8), centers=3, std=1.0)
    assert_array_equal(ya, yb)
    # Same draws, so Xa = c + (Xb - c) A for each blob's centre c: Xa - Xb A is constant per
    # blob (it equals c (I - A)).
    A = data._ANISO_MAP
    residual = Xa - Xb @ A
    for j in range(3):
        assert residual[ya == j].std(axis=0).max() < 1e-9
        # Stretched: the blob's covariance has one axis far longer than the other.
        eig = np.linalg.eigvalsh(np.cov(Xa[ya == j].T))
        assert eig[1] / eig[0] > 20
    assert abs(np.linalg.det(A)) == pytest.approx(1.0)  # area kept


def test_uniform_fills_the_square():
    X, y = data.generate("uniform", 2000, rng(9))
    assert ((X >= -10) & (X <= 10)).all()
    assert (X.min(axis=0) < -9.5).all() and (X.max(axis=0) > 9.5).all()
    assert_array_equal(y, 0)


# --------------------------------------------------------------------------------------------
# Curved shapes
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("n", [10, 11], ids=["even", "odd"])
def test_moons_without_noise_lie_on_two_half_circles(n):
    X, y = data.generate("moons", n, rng(), noise=0.0)
    assert_array_equal(np.bincount(y), [n // 2, n - n // 2])
    # make_moons: upper unit half circle around (0, 0), lower one around (1, 0.5); the plot
    # version is centred by (0.5, 0.25) and scaled by 6.
    s = 6.0
    upper = (X[y == 0] / s) + [0.5, 0.25]
    lower = (X[y == 1] / s) + [0.5, 0.25] - [1.0, 0.5]
    assert_allclose(np.hypot(*upper.T), 1.0, rtol=1e-12)
    assert_allclose(np.hypot(*lower.T), 1.0, rtol=1e-12)
    assert (upper[:, 1] >= -1e-12).all() and (lower[:, 1] <= 1e-12).all()


def test_moons_noise_is_gaussian_in_plot_units():
    X0, _ = data.generate("moons", 4000, rng(4), noise=0.0)
    X1, _ = data.generate("moons", 4000, rng(4), noise=0.5)
    jitter = X1 - X0  # same shuffle, so the difference is the noise alone
    assert_allclose(jitter.std(axis=0), 0.5, rtol=0.05)


def test_rings_without_noise():
    X, y = data.generate("rings", 101, rng(), noise=0.0)
    assert_array_equal(np.bincount(y), [50, 51])
    r = np.hypot(X[:, 0], X[:, 1])
    assert_allclose(r[y == 0], 9.0, rtol=1e-12)
    assert_allclose(r[y == 1], 4.5, rtol=1e-12)  # make_circles factor 0.5


def test_smiley_parts():
    X, y = data.generate("smiley", 2000, rng(3), noise=0.0)
    assert_array_equal(np.bincount(y), [800, 300, 300, 600])  # 8 : 3 : 3 : 6
    r = np.hypot(X[:, 0], X[:, 1])
    assert_allclose(r[y == 0], 9.0, rtol=1e-12)  # outline
    for label, centre in ((1, (-3.2, 3.0)), (2, (3.2, 3.0))):  # eyes: filled discs
        d = np.hypot(*(X[y == label] - centre).T)
        assert d.max() <= 1.2 and np.median(d) > 0.6  # filled, not crowded at the centre
    mouth = X[y == 3] - (0.0, 0.5)
    assert_allclose(np.hypot(*mouth.T), 5.5, rtol=1e-12)
    assert (mouth[:, 1] < 0).all()  # the arc is the lower part: a smile


# --------------------------------------------------------------------------------------------
# parse_points
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param("1,2\n3,4\n", [[1, 2], [3, 4]], id="comma"),
        pytest.param("1 2\n3\t4", [[1, 2], [3, 4]], id="whitespace"),
        pytest.param("1;2\n 3 ; 4 ", [[1, 2], [3, 4]], id="semicolon"),
        pytest.param("1, 2\n-3.5e1,+4.25", [[1, 2], [-35, 4.25]], id="spaces-and-exponent"),
        pytest.param("x,y\n1,2\n3,4", [[1, 2], [3, 4]], id="header"),
        pytest.param("\n\n# my points\nx;y\n\n1;2\n# middle\n3;4\n\n", [[1, 2], [3, 4]],
                     id="blank-comments-header"),
        pytest.param("\ufeffx,y\r\n1,2\r\n3,4\r\n", [[1, 2], [3, 4]], id="bom-crlf"),
    ],
)
def test_parse_points_good(text, expected):
    X = data.parse_points(text)
    assert X.dtype == np.float64
    assert_array_equal(X, expected)


@pytest.mark.parametrize(
    "text, line, fragment",
    [
        pytest.param("1,2\n3,4\n5\n", 3, "expected two numbers", id="one-number"),
        pytest.param("1,2\n3,4,5\n", 2, "expected two numbers", id="three-numbers"),
        pytest.param("x,y\n1,2\n\n# c\n1,abc\n", 5, "'abc' is not a number", id="not-a-number"),
        pytest.param("1,2\n3,4\nabc\n", 3, "got 'abc'", id="words-after-data"),
        pytest.param("1,2\nx,y\n", 2, "expected two numbers", id="header-not-first"),
        pytest.param("1,2\nnan,4\n", 2, "'nan' is not an ordinary number", id="nan"),
        pytest.param("1,2\n3,-inf\n", 2, "'-inf' is not an ordinary number", id="inf"),
        pytest.param("x,y\nx,y\n1,2\n", 2, "expected two numbers", id="two-headers"),
        pytest.param("1,2\n1,5e999\n", 2, "not an ordinary number", id="overflow"),
    ],
)
def test_parse_points_malformed_names_the_line(text, line, fragment):
    with pytest.raises(data.PointsError) as err:
        data.parse_points(text)
    assert err.value.line == line
    assert str(err.value).startswith(f"line {line}: ")
    assert fragment in str(err.value)
    assert isinstance(err.value, ValueError)


@pytest.mark.parametrize(
    "text, fragment",
    [
        pytest.param("", "at least 2 points", id="empty"),
        pytest.param("x,y\n# nothing\n", "at least 2 points", id="header-only"),
        pytest.param("1,2\n", "at least 2 points to cluster, got 1", id="one-point"),
    ],
)
def test_parse_points_too_few(text, fragment):
    with pytest.raises(data.PointsError, match=fragment) as err:
        data.parse_points(text)
    assert err.value.line is None


def test_parse_points_limit():
    text = "\n".join(f"{i},{-i}" for i in range(6))
    assert data.parse_points(text, max_points=6).shape == (6, 2)
    with pytest.raises(data.PointsError, match="limit is 5") as err:
        data.parse_points(text, max_points=5)
    assert err.value.line is None


def test_parse_points_default_limit_is_the_typed_limit():
    ok = "1,2\n" * data.MAX_TYPED_POINTS
    assert data.parse_points(ok).shape == (data.MAX_TYPED_POINTS, 2)
    with pytest.raises(data.PointsError, match=f"limit is {data.MAX_TYPED_POINTS}"):
        data.parse_points(ok + "3,4")


def test_parse_points_long_line_is_shortened_in_the_message():
    with pytest.raises(data.PointsError) as err:
        data.parse_points("1,2\n" + "9," * 200 + "\n")
    assert len(str(err.value)) < 120


# Characters Python's str.splitlines breaks at but an editor does not: the visitor sees one line.
NOT_LINE_BREAKS = ["\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]


def test_parse_points_counts_the_lines_a_text_editor_shows():
    # The case: a form feed inside line 1 makes it hold four numbers.
    with pytest.raises(data.PointsError) as err:
        data.parse_points("1,2\f3,4\nfoo,1")
    assert err.value.line == 1
    assert str(err.value).startswith("line 1: expected two numbers")


@pytest.mark.parametrize("char", NOT_LINE_BREAKS, ids=[f"U+{ord(c):04X}" for c in NOT_LINE_BREAKS])
def test_parse_points_separates_at_whitespace_that_is_not_a_line_break(char):
    # Inside a line these are whitespace: they separate numbers, and line numbers go on.
    assert_array_equal(data.parse_points(f"1{char}2\n3,4"), [[1, 2], [3, 4]])
    with pytest.raises(data.PointsError) as err:
        data.parse_points(f"1,2\n3,4{char}\n{char}5,6\nfoo,1")
    assert err.value.line == 4


@pytest.mark.parametrize("text", ["1,2\r3,4\rfoo,1", "1,2\r\n3,4\r\nfoo,1", "1,2\r3,4\nfoo,1"],
                         ids=["cr", "crlf", "mixed"])
def test_parse_points_line_breaks_cr_crlf(text):
    with pytest.raises(data.PointsError) as err:
        data.parse_points(text)
    assert err.value.line == 3


@pytest.mark.parametrize(
    "text, line",
    [
        pytest.param("1,2\n1e101,0\n", 2, id="above"),
        pytest.param("1,2\n0;-2e100\n", 2, id="below"),
        pytest.param("1,2\n3,4\n1e300 1e300\n", 3, id="1e300"),
        pytest.param("1,2\n1.7976931348623157e308,0\n", 2, id="largest-float"),
    ],
)
def test_parse_points_refuses_coordinates_beyond_max_abs(text, line):
    with pytest.raises(data.PointsError) as err:
        data.parse_points(text)
    assert err.value.line == line
    assert str(err.value).startswith(f"line {line}: ")
    assert "too far from zero; use numbers between -1e100 and 1e100" in str(err.value)


def test_parse_points_accepts_max_abs_and_tiny_numbers():
    X = data.parse_points(f"{data.MAX_ABS},-{data.MAX_ABS}\n1e-300,5e-324\n")
    assert_array_equal(X, [[1e100, -1e100], [1e-300, 5e-324]])


# --------------------------------------------------------------------------------------------
# PointsReader: slices, the bulk path, and agreement with the line-by-line rules
# --------------------------------------------------------------------------------------------


def read_in_pieces(text, cuts, max_points=data.MAX_UPLOAD_POINTS):
    """The points, or (line, message) of the PointsError, from feeding text cut at `cuts`."""
    reader = data.PointsReader(max_points)
    bounds = [0, *sorted(cuts), len(text)]
    try:
        for a, b in zip(bounds, bounds[1:]):
            reader.feed(text[a:b])
        return reader.close()
    except data.PointsError as error:
        return error.line, str(error)


def same_outcome(a, b):
    if isinstance(a, np.ndarray) and isinstance(b, np.ndarray):
        return a.shape == b.shape and a.tobytes() == b.tobytes()  # bit for bit, -0.0 too
    return a == b if not isinstance(a, np.ndarray) and not isinstance(b, np.ndarray) else False


@pytest.mark.parametrize(
    "text",
    [
        "\ufeffx;y\r\n1;2\r\n\r\n# note\r\n3;4\r\n",
        "1 2\r3 4\r5 6",
        "x,y\n1,2\n3,4,5\n",
        "1,2\n3,4\n\n",
        "a\r\n\r\n1,2\rfoo",
    ],
    ids=["bom-crlf", "cr-no-final-break", "error", "trailing-blank", "error-after-cr"],
)
def test_reader_gives_the_same_outcome_wherever_the_text_is_cut(text):
    whole = read_in_pieces(text, [])
    for cut in range(len(text) + 1):
        assert same_outcome(read_in_pieces(text, [cut]), whole), cut
    for cut in range(len(text) - 1):  # two cuts next to each other: an empty slice in between
        assert same_outcome(read_in_pieces(text, [cut, cut + 1, cut + 1]), whole), cut


def test_reader_crlf_cut_between_cr_and_lf_is_one_line_break():
    reader = data.PointsReader()
    for piece in ("1,2\r", "\n3,4\r", "\n", "oops\n"):
        try:
            reader.feed(piece)
        except data.PointsError as error:
            assert error.line == 3
            break
    else:
        pytest.fail("the bad line was not reported")


def test_reader_reports_rows_and_lines_as_it_goes_and_closes_once():
    reader = data.PointsReader()
    reader.feed("x,y\n1,2\n3,")
    assert (reader.rows, reader.lines) == (1, 2)
    reader.feed("4\n# end\n5,6")
    assert (reader.rows, reader.lines) == (2, 4)
    X = reader.close()
    assert_array_equal(X, [[1, 2], [3, 4], [5, 6]])
    assert X.dtype == np.float64 and X.flags.c_contiguous
    assert reader.close() is X
    with pytest.raises(ValueError, match="closed"):
        reader.feed("7,8\n")


def test_reader_keeps_raising_its_error():
    reader = data.PointsReader()
    with pytest.raises(data.PointsError) as first:
        reader.feed("1,2\nnan,1\n3,4\n")
    assert first.value.line == 2
    for call in (lambda: reader.feed("5,6\n"), reader.close):
        with pytest.raises(data.PointsError) as again:
            call()
        assert again.value is first.value


def test_reader_error_deep_in_a_large_slice_names_its_line():
    lines = [f"{i * 0.5},{-i}" for i in range(100_000)]
    lines[73_456] = "12,oops"
    with pytest.raises(data.PointsError) as err:
        data.PointsReader().feed("x,y\n" + "\n".join(lines) + "\n")
    assert err.value.line == 73_458  # header + 0-based index + 1
    assert "'oops' is not a number" in str(err.value)


def test_reader_reads_well_formed_lines_in_bulk(monkeypatch):
    # The contract the page relies on for speed: only the header goes line by line.
    slow_lines = []
    original = data.PointsReader._slow

    def counting(self, text):
        slow_lines.append(text.count("\n"))
        return original(self, text)

    monkeypatch.setattr(data.PointsReader, "_slow", counting)
    X = np.random.default_rng(0).normal(scale=100.0, size=(20_000, 2))
    text = "x,y\n" + "".join(f"{a!r},{b!r}\n" for a, b in X.tolist())
    reader = data.PointsReader()
    for start in range(0, len(text), 65536):
        reader.feed(text[start : start + 65536])
    assert_array_equal(reader.close(), X)  # repr round-trips: the values are exactly X
    assert sum(slow_lines) == 1


# Every character Python counts as whitespace, but the line breaks.
SPACES = [c for c in map(chr, range(0x110000)) if c.isspace() and c not in "\n\r"]


def test_reader_reads_every_kind_of_whitespace_in_bulk(monkeypatch):
    slow_lines = []
    original = data.PointsReader._slow
    monkeypatch.setattr(data.PointsReader, "_slow",
                        lambda self, text: slow_lines.append(text.count("\n"))
                        or original(self, text))
    body = "".join(f"{i}{c}-{i}{c}\n" for i in range(40) for c in SPACES)
    X = data.parse_points("x y\n" + body, max_points=len(SPACES) * 40)
    assert_array_equal(X, [[i, -i] for i in range(40) for _ in SPACES])
    assert sum(slow_lines) == 1  # the header only


def test_reader_default_limit_is_the_upload_limit():
    reader = data.PointsReader()
    reader.feed("1,2\n" * data.MAX_UPLOAD_POINTS)
    assert reader.rows == data.MAX_UPLOAD_POINTS
    with pytest.raises(data.PointsError, match=f"limit is {data.MAX_UPLOAD_POINTS}") as err:
        reader.feed("3,4\n")
    assert err.value.line is None


# Pieces of lines: numbers in every spelling float() knows (and some it does not), all kinds
# of separators and whitespace, comments, headers, blank and separator-only lines.
_NUMBERS = ["1", "-2.5", "+.5", "7.", "1e3", "-1E-3", "007", "0", "-0", "123456789.123456789",
            "5e-324", "1e-300", "1e100", "-1e100", "2.2250738585072014e-308"]
_ODD_NUMBERS = ["1_000", "\u0661\u0662", "nan", "inf", "-Infinity", "1e400", "1e101", "0x10",
                "1.2.3", "abc", "1e", "1-2", "\ufeff1", "\x001"]
_GAPS = [",", ";", " ", "\t", ", ", " ; ", ",,", "\x0b", "\x0c", "\x1c", "\x85", "\u2028",
         "\u3000", "\xa0", " ,\t;"]
_EDGES = ["", "", "", " ", "\t", "\u3000", ","]
_BREAKS = ["\n", "\n", "\r\n", "\r"]


def _random_text(rnd, n_lines, odd):
    """CSV-like text: mostly good lines, a few odd ones with probability `odd` per line."""
    parts = ["\ufeff" if rnd.random() < 0.2 else ""]
    if rnd.random() < 0.5:
        parts.append(rnd.choice(["x,y", "# my points", "  ", "X ; Y"]) + rnd.choice(_BREAKS))
    for _ in range(n_lines):
        r = rnd.random()
        if r < odd:
            line = rnd.choice([
                rnd.choice(_ODD_NUMBERS) + rnd.choice(_GAPS) + rnd.choice(_NUMBERS),
                rnd.choice(_NUMBERS), "x,y", ",", " ; ", "1,2,3", "# comment, 1, 2",
                "  #", "\u2028", rnd.choice(_EDGES) + "1" + rnd.choice(_GAPS) + "2",
            ])
        elif r < 0.1:
            line = rnd.choice(["", "   ", "# note", "\t# 1,2"])
        else:
            line = (rnd.choice(_EDGES[:-1]) + rnd.choice(_NUMBERS) + rnd.choice(_GAPS)
                    + rnd.choice(_NUMBERS) + rnd.choice(_EDGES[:-1]))
        parts.append(line + rnd.choice(_BREAKS))
    if rnd.random() < 0.5:
        parts[-1] = parts[-1].rstrip("\r\n")
    return "".join(parts)


@pytest.mark.parametrize("seed", range(60), ids=lambda s: f"seed{s}")
def test_reader_bulk_path_agrees_with_reading_line_by_line(monkeypatch, seed):
    rnd = random.Random(seed)
    odd = (0.0, 0.0005, 0.01, 0.2)[seed % 4]
    text = _random_text(rnd, rnd.randint(50, 3000), odd)
    max_points = rnd.choice([5, 100, 2000, data.MAX_UPLOAD_POINTS])
    cuts = [rnd.randint(0, len(text)) for _ in range(rnd.randint(0, 7))]
    got = read_in_pieces(text, cuts, max_points)
    with monkeypatch.context() as m:
        m.setattr(data.PointsReader, "_fast", lambda self, text: False)
        expected = read_in_pieces(text, [], max_points)
    assert same_outcome(got, expected), (got, expected)


# --------------------------------------------------------------------------------------------
# points_from_list
# --------------------------------------------------------------------------------------------


def test_points_from_list_good():
    X = data.points_from_list([[1, 2], (3.5, -4), np.array([5.0, 6.0])])
    assert X.dtype == np.float64
    assert_array_equal(X, [[1, 2], [3.5, -4], [5, 6]])


@pytest.mark.parametrize(
    "values, line",
    [
        pytest.param([[1, 2], [3]], 2, id="short"),
        pytest.param([[1, 2], [3, 4], [5, 6, 7]], 3, id="long"),
        pytest.param([[1, 2], ["3", 4]], 2, id="string"),
        pytest.param([[True, 2], [3, 4]], 1, id="bool"),
        pytest.param([[1, 2], 5], 2, id="not-a-pair"),
        pytest.param([[1, 2], [None, 4]], 2, id="none"),
        pytest.param([[1, 2], [float("nan"), 4]], 2, id="nan"),
        pytest.param([[1, 2], [3, float("inf")]], 2, id="inf"),
        pytest.param([[1, 2], [3, -1e101]], 2, id="beyond-max-abs"),
    ],
)
def test_points_from_list_malformed(values, line):
    with pytest.raises(data.PointsError) as err:
        data.points_from_list(values)
    assert err.value.line == line
    assert str(err.value).startswith(f"point {line}: ")


@pytest.mark.parametrize("count", [0, 1, data.MAX_TYPED_POINTS + 1], ids=["zero", "one", "max+1"])
def test_points_from_list_count_limits(count):
    with pytest.raises(data.PointsError) as err:
        data.points_from_list([[1.0, 2.0]] * count)
    assert err.value.line is None


# -- editing the visitor's points by clicking ----------------------------------------------


def test_points_in_text_accepts_zero_or_one_point_while_a_set_is_built():
    assert data.points_in_text("").shape == (0, 2)
    assert data.points_in_text("# mine\n1,2\n").tolist() == [[1.0, 2.0]]
    assert data.points_in_text("x,y\n1,2\n3,4\n").tolist() == [[1.0, 2.0], [3.0, 4.0]]
    with pytest.raises(data.PointsError) as caught:
        data.points_in_text("1,2\nfoo\n")
    assert caught.value.line == 2


def test_a_clicked_point_is_appended_exactly_and_removed_from_its_own_line():
    text = "# my points\n1,2\n\n3.5;4\n"
    added = data.text_with_point(text, (0.1 + 0.2, -7.0))
    assert added.endswith("0.30000000000000004,-7.0\n")
    np.testing.assert_array_equal(data.parse_points(added)[-1], [0.1 + 0.2, -7.0])
    assert data.text_with_point("1,2", (3.0, 4.0)) == "1,2\n3.0,4.0\n"
    removed = data.text_without_point(added, (3.5, 4.0))
    assert removed == "# my points\n1,2\n\n0.30000000000000004,-7.0\n"   # comment and blank kept
    assert data.text_without_point(removed, (9.0, 9.0)) == removed        # nothing to remove
    # duplicates: only one (the last) goes
    assert data.text_without_point("1,1\n2,2\n1,1\n", (1.0, 1.0)) == "1,1\n2,2\n"


@pytest.mark.parametrize("name", NAMES)
def test_a_data_set_made_in_pieces_is_the_same_data_set(name):
    pieces = data.generate_in_pieces(name, 600_000, np.random.default_rng([4, 0]), centers=3,
                                     std=1.2, noise=0.4)
    count = 0
    while True:
        try:
            next(pieces)
            count += 1
        except StopIteration as done:
            X, y = done.value
            break
    X0, y0 = data.generate(name, 600_000, np.random.default_rng([4, 0]), centers=3, std=1.2,
                           noise=0.4)
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(y, y0)
    assert count >= (0 if name == "uniform" else 2)  # big draws are split


# --------------------------------------------------------------------------------------------
# Uploaded bytes: the encoding is read from the file, and a file that is not text says so
# --------------------------------------------------------------------------------------------

UPLOADED = "x,y\r\n# température mesurée\r\n1.5,2\r\n-3,4e2\r\n"


def read_bytes(raw: bytes, slice_bytes: int = 7) -> np.ndarray:
    """The points of `raw` as the page reads an upload: decoded and parsed slice by slice."""
    decoder, reader = data.FileDecoder(), data.PointsReader()
    try:
        for start in range(0, len(raw), slice_bytes):
            reader.feed(decoder.decode(raw[start:start + slice_bytes]))
        reader.feed(decoder.decode(b"", final=True))
        return reader.close()
    except data.PointsError as error:
        raise decoder.explain(error) from None


@pytest.mark.parametrize("raw, encoding", [
    pytest.param(UPLOADED.encode("utf-8"), "utf-8", id="utf-8"),
    pytest.param(UPLOADED.encode("utf-8-sig"), "utf-8", id="utf-8-bom"),
    pytest.param(b"\xff\xfe" + UPLOADED.encode("utf-16-le"), "utf-16-le", id="utf-16-le-bom"),
    pytest.param(b"\xfe\xff" + UPLOADED.encode("utf-16-be"), "utf-16-be", id="utf-16-be-bom"),
    pytest.param(UPLOADED.encode("utf-16"), "utf-16-le", id="utf-16-native-bom"),  # as Python writes it
    pytest.param(UPLOADED.replace("é", "e").encode("utf-16-le"), "utf-16-le", id="utf-16-le-no-bom"),
    pytest.param(UPLOADED.replace("é", "e").encode("utf-16-be"), "utf-16-be", id="utf-16-be-no-bom"),
])
@pytest.mark.parametrize("slice_bytes", [1, 7, 64, 4096])
def test_utf8_and_utf16_files_are_decoded_in_any_slices(raw, encoding, slice_bytes):
    decoder = data.FileDecoder()
    text = "".join(decoder.decode(raw[i:i + slice_bytes]) for i in range(0, len(raw), slice_bytes))
    text += decoder.decode(b"", final=True)
    assert decoder.encoding == encoding and decoder.bad is None
    assert not text.startswith("\ufeff")  # the mark is not part of the text
    assert text.replace("é", "e") == UPLOADED.replace("é", "e")
    assert read_bytes(raw, slice_bytes).tolist() == [[1.5, 2.0], [-3.0, 400.0]]


def test_utf16_is_never_read_as_numbers_with_zero_bytes():
    raw = "1,2\n3,4\n".encode("utf-16-le")  # b"1\x00,\x002\x00..." without a mark
    assert read_bytes(raw).tolist() == [[1.0, 2.0], [3.0, 4.0]]


def test_a_latin1_accent_in_a_comment_does_no_harm():
    raw = UPLOADED.encode("latin-1")  # é is the byte 0xE9: not UTF-8
    assert read_bytes(raw).tolist() == [[1.5, 2.0], [-3.0, 400.0]]


def test_bytes_that_are_not_text_are_named_when_the_points_cannot_be_read():
    raw = b"x,y\n1,2\n3,\xe94\n"
    with pytest.raises(data.PointsError) as caught:
        read_bytes(raw, slice_bytes=3)
    message = str(caught.value)
    assert caught.value.line == 3 and message.startswith("line 3:")
    assert "The file is not UTF-8 text: byte 11 (0xE9) is not a character in UTF-8" in message
    assert "save the file as CSV text in UTF-8 or UTF-16" in message


@pytest.mark.parametrize("slice_bytes", [1, 2, 3, 64, 100])
def test_the_byte_named_is_counted_in_the_file_whatever_the_slices(slice_bytes):
    raw = b"#" + "\u00e9".encode() * 40 + b"\n1,2\n3,\xff4\n"  # accents cut between slices
    with pytest.raises(data.PointsError, match=r"line 3: .* byte 89 \(0xFF\)"):
        read_bytes(raw, slice_bytes)


@pytest.mark.parametrize("latin1", [False, True])
def test_a_binary_file_is_refused_as_not_text(latin1):
    # An image (a zero byte, control bytes): refused at once, whichever reader; a Latin-1
    # reader would otherwise read any bytes as text and complain about columns instead.
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
    noise = np.random.default_rng(3).integers(1, 256, 20_000, dtype=np.uint8).tobytes()  # no zero byte
    for raw in (png, noise):
        with pytest.raises(data.PointsError, match="not a text file"):
            data.FileDecoder(latin1=latin1).decode(raw[:100]) + data.FileDecoder(latin1=latin1).decode(raw, final=True)


def test_text_with_a_form_feed_or_an_end_of_file_mark_is_still_text():
    raw = b"x,y\n1,2\x0c\n3,4\n\x1a"
    assert data.FileDecoder(latin1=True).decode(raw, final=True) == raw.decode()


def test_a_spreadsheet_is_named_as_one():
    raw = b"PK\x03\x04" + bytes(200)
    with pytest.raises(data.PointsError, match="compressed file .*xlsx.*save it as CSV"):
        read_bytes(raw)


def test_an_empty_file_is_an_empty_text():
    with pytest.raises(data.PointsError, match="at least 2 points"):
        read_bytes(b"")
