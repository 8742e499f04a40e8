"""Where the plot area sits on the canvas, and the mapping between CSS pixels and data units.

The figure is drawn in device pixels (CSS pixels times devicePixelRatio); pointer events and
tests speak CSS pixels relative to the canvas's top-left corner, y growing downwards. A
`PlotBox` holds the data limits and the axes rectangle in those CSS pixels.

>>> box = PlotBox(xlim=(0.0, 10.0), ylim=(0.0, 5.0), left=50.0, top=20.0, width=200.0, height=100.0)
>>> box.to_data(150.0, 70.0)
(5.0, 2.5)
>>> box.to_css(10.0, 5.0)
(250.0, 20.0)
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["PlotBox"]


@dataclass(frozen=True)
class PlotBox:
    """Data limits and the axes rectangle in CSS pixels (relative to the canvas's top left).

    Attributes
    ----------
    xlim, ylim : (float, float)
        Data values at the left/right and bottom/top edges of the axes.
    left, top, width, height : float
        The axes rectangle in CSS pixels.
    """

    xlim: tuple[float, float]
    ylim: tuple[float, float]
    left: float
    top: float
    width: float
    height: float

    def to_data(self, css_x: float, css_y: float) -> tuple[float, float]:
        """Data coordinates of the CSS pixel position (css_x, css_y)."""
        (x0, x1), (y0, y1) = self.xlim, self.ylim
        fx = (css_x - self.left) / self.width
        fy = (self.top + self.height - css_y) / self.height
        return x0 + fx * (x1 - x0), y0 + fy * (y1 - y0)

    def to_css(self, x: float, y: float) -> tuple[float, float]:
        """CSS pixel position of the data point (x, y)."""
        (x0, x1), (y0, y1) = self.xlim, self.ylim
        return (self.left + (x - x0) / (x1 - x0) * self.width,
                self.top + self.height - (y - y0) / (y1 - y0) * self.height)

    def contains(self, css_x: float, css_y: float) -> bool:
        """True if the CSS position lies inside the axes rectangle (edges included)."""
        return (self.left <= css_x <= self.left + self.width
                and self.top <= css_y <= self.top + self.height)

    def units_per_css_px(self) -> tuple[float, float]:
        """Data units per CSS pixel along x and y (equal when the axes have equal scales)."""
        return ((self.xlim[1] - self.xlim[0]) / self.width,
                (self.ylim[1] - self.ylim[0]) / self.height)

    def as_dict(self) -> dict:
        """The snapshot's "axes" entry: {"xlim": [x0, x1], "ylim": [y0, y1], "box": [l, t, w, h]}."""
        return {"xlim": [float(v) for v in self.xlim], "ylim": [float(v) for v in self.ylim],
                "box": [float(self.left), float(self.top), float(self.width), float(self.height)]}
