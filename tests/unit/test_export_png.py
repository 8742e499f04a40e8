"""export/png: the PNG of a frame."""

import doctest
import io

import numpy as np
import pytest
from PIL import Image

from kmeans_anim.export import png
from kmeans_anim.export.png import png_bytes
from kmeans_anim.core.params import Params
from kmeans_anim.core.session import Session
from kmeans_anim.picture.view import KMeansView


def test_module_example_runs():
    result = doctest.testmod(png)
    assert result.attempted >= 2 and result.failed == 0


def test_png_round_trips_a_rendered_frame():
    s = Session()
    run = s.go(Params(n=50, k=3, seed=3))
    view = KMeansView(600, 480, 200)  # a 2x frame of a 300 x 240 canvas
    view.set_points(s.points)
    rgba = view.render(run.labels, run.centroids)  # a view of the Agg buffer, as the page has
    data = png_bytes(rgba)
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG" and image.mode == "RGBA" and image.size == (600, 480)
    np.testing.assert_array_equal(np.array(image), rgba)


def test_png_refuses_what_is_not_an_rgba_frame():
    for bad in (np.zeros((4, 4, 3), np.uint8), np.zeros((4, 4, 4), np.float64),
                np.zeros((0, 4, 4), np.uint8)):
        with pytest.raises(ValueError, match="RGBA"):
            png_bytes(bad)
