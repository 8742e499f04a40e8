"""The race's pictures: one `view.KMeansView` per racer (small multiples), all on the same points
with the same limits, each frame made by `scene.frame_scene` (the one rule for what a frame
draws), so a racer's panel shows what the single view shows for that run. Pure: no browser.

>>> from kmeans_anim.core.params import Params
>>> from kmeans_anim.core.race import Race
>>> race = Race(Params(n=50, k=3, seed=3), ("random", "farthest")).finish()
>>> panels = RacePanels(2)
>>> panels.resize(300, 240, dpi=60)
>>> panels.set_points(race.points)
>>> pictures = panels.render(race, 2.0, Params())
>>> [p.shape for p in pictures]
[(240, 300, 4), (240, 300, 4)]
"""

from __future__ import annotations

import numpy as np

from .scene import frame_scene
from .view import KMeansView, Style

__all__ = ["RacePanels", "race_scenes"]


def race_scenes(race, position: float, options) -> list:
    """Each racer's `scene.Scene` at race position `position` (half-steps), drawn with the
    drawing `options` (params.Params or scene.Options); its centroid paths when "paths" is on."""
    scenes = []
    for racer in race.racers:
        t = race.time_of(racer, position)
        trails = racer.timeline.trails(t) if options.paths else None
        scenes.append(frame_scene(racer.run, racer.timeline.frame_at(t), options, trails,
                                  playing=True))
    return scenes


class RacePanels:
    """`count` KMeansViews of one size, one per racer; the plot titles are left to the page
    (each panel's heading says the start and its inertia, and changes every half-step, which
    would cost a full redraw inside the figure)."""

    def __init__(self, count: int, style: Style = Style()):
        self.views = [KMeansView(400, 320, dpi=100, style=style) for _ in range(count)]
        for view in self.views:
            view.ax.set_title("")

    def resize(self, width_px: int, height_px: int, dpi: float) -> None:
        for view in self.views:
            view.resize(width_px, height_px, dpi)

    def set_style(self, style: Style) -> None:
        for view in self.views:
            view.set_style(style)

    def set_points(self, points: np.ndarray) -> None:
        """The race's points (n, 2), the same in every panel (so the same limits)."""
        for view in self.views:
            view.set_points(points)

    def prepare_in_pieces(self):
        """Each view's costly first parts (layout, full draw, raster index), a piece per yield."""
        for view in self.views:
            yield from view.prepare_in_pieces()

    def render(self, race, position: float, options) -> list[np.ndarray]:
        """Each racer's picture at race position `position`: (H, W, 4) uint8 arrays, each a
        view of its figure's buffer (valid until that view renders again)."""
        return [view.render(**scene.render_args())
                for view, scene in zip(self.views, race_scenes(race, position, options))]
