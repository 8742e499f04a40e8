"""teachcharts: the data each teaching chart plots, and that each draws at the size asked."""

import numpy as np
import pytest

from kmeans_anim.picture import teachcharts as T


def test_dot_plot_stacks_equal_inertias_and_spreads_the_rest():
    cols, heights = T.dot_plot([10.0, 10.0, 10.0, 20.0, 15.0], columns=10)
    assert cols == [0, 0, 0, 9, 5] and heights == [0, 1, 2, 0, 0]
    assert T.dot_plot([3.0, 3.0]) == ([0, 0], [0, 1])
    assert T.dot_plot([]) == ([], [])


def test_silhouette_bands_sort_each_cluster_and_leave_gaps():
    samples = np.array([0.9, -0.1, 0.5, 0.2, 0.7])
    labels = np.array([2, 0, 2, 0, 2])
    bands = T.silhouette_bands(samples, labels, 3, gap=1)
    assert [(b.cluster, b.start) for b in bands] == [(0, 0), (2, 3)]   # cluster 1 has no points
    assert bands[0].values.tolist() == [-0.1, 0.2] and bands[1].values.tolist() == [0.5, 0.7, 0.9]


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_each_chart_draws_at_the_size_asked(theme):
    rng = np.random.default_rng(0)
    starts = T.starts_chart([5.0, 5.0, 7.5, 9.0], 0, 300, 100, 14, theme)
    elbow = T.elbow_chart(range(1, 11), np.linspace(100, 10, 10), [None, *np.linspace(.6, .2, 9)],
                          3, 320, 160, 14, theme)
    labels = rng.integers(0, 3, 200)
    sil = T.silhouette_chart(rng.uniform(-.2, 1, 200), labels, 3, 0.4, 320, 200, 14, theme)
    assert starts.shape == (100, 300, 4) and elbow.shape == (160, 320, 4) and sil.shape == (200, 320, 4)
    assert all(a.dtype == np.uint8 for a in (starts, elbow, sil))
    # The best start is red (chart.CURRENT, #d62728): some pixels of it are drawn.
    red = (np.abs(starts[..., :3].astype(int) - [0xd6, 0x27, 0x28]).sum(axis=-1) < 40).sum()
    assert red > 10
