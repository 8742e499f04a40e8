"""plotbox: CSS pixels <-> data units, the contract pointer input and tests rely on."""

import pytest

from kmeans_anim.picture.plotbox import PlotBox

BOX = PlotBox(xlim=(-2.0, 6.0), ylim=(10.0, 14.0), left=40.0, top=30.0, width=400.0, height=200.0)


@pytest.mark.parametrize("data, css", [((-2.0, 14.0), (40.0, 30.0)), ((6.0, 10.0), (440.0, 230.0)),
                                       ((2.0, 12.0), (240.0, 130.0))],
                         ids=["top-left", "bottom-right", "centre"])
def test_corners_and_centre(data, css):
    assert BOX.to_css(*data) == pytest.approx(css)
    assert BOX.to_data(*css) == pytest.approx(data)


def test_round_trip_and_scale():
    for x, y in [(0.3, 11.1), (5.9, 13.99), (-1.0, 10.5)]:
        assert BOX.to_data(*BOX.to_css(x, y)) == pytest.approx((x, y), abs=1e-12)
    assert BOX.units_per_css_px() == pytest.approx((0.02, 0.02))


def test_contains_and_snapshot_form():
    assert BOX.contains(40.0, 30.0) and BOX.contains(440.0, 230.0)
    assert not BOX.contains(39.0, 100.0) and not BOX.contains(100.0, 231.0)
    assert BOX.as_dict() == {"xlim": [-2.0, 6.0], "ylim": [10.0, 14.0], "box": [40.0, 30.0, 400.0, 200.0]}
