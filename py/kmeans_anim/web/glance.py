"""Browser glue for the run at a glance: the inertia chart (a small matplotlib figure on its own
canvas) and a bar per cluster with its number of points. Imports js (browser glue only).
"""

from __future__ import annotations

import js

from ..picture.chart import InertiaChart, cluster_sizes
from ..picture.view import CATEGORY10
from .dom import el, push_rgba
from ..words.wording import cluster_name, inertia_value


class Glance:
    """The panel under the status line; redrawn once per half-step shown, never per frame."""

    def __init__(self) -> None:
        self.element = el("inertia")
        self.ctx = self.element.getContext("2d")
        self.chart: InertiaChart | None = None
        self.theme = "light"
        self._size = None
        self.on_shown = None   # called with (run, step_index) after each showing (web.teachpanel)

    def show_panel(self, visible: bool) -> None:
        el("glance").hidden = not visible

    def set_theme(self, theme: str) -> None:
        self.theme = theme
        if self.chart is not None:
            self.chart.theme = theme

    def _fit(self) -> None:
        """Canvas pixels for the chart's CSS box (its height is the stylesheet's), and text as
        large as the page's there: the canvas's computed font size (18 px on a projector)."""
        ratio = float(js.window.devicePixelRatio or 1)
        box = self.element.getBoundingClientRect()
        css_w = float(box.width) or 320.0
        css_h = float(box.height) or css_w / 2
        font = float(str(js.window.getComputedStyle(self.element).fontSize).removesuffix("px"))
        size = (round(css_w * ratio), round(css_h * ratio), font * ratio)
        if size != self._size:
            self._size = size
            self.element.width, self.element.height = size[0], size[1]
            # The text size the chart is drawn at, in CSS px, for tools and tests to compare
            # with the page's.
            self.element.dataset.textPx = f"{font:g}"
            if self.chart is None:
                self.chart = InertiaChart(*size, theme=self.theme)
            else:
                self.chart.resize(*size)

    def show(self, run, step_index: int, labels) -> None:
        """The chart up to half-step `step_index` of `run`, and the sizes of its clusters."""
        for _ in self.show_in_pieces(run, step_index, labels):
            pass

    def show_in_pieces(self, run, step_index: int, labels):
        """`show` as a generator: the animation loop runs a step per turn, so drawing the
        chart's axes anew never blocks the page for the whole of it."""
        if el("glance").hidden:
            return
        self._fit()
        total = len(run.steps) if run.finished else None
        # The runs on the same points (RETRY, a moved centroid) share the chart's y axis.
        yield from self.chart.render_in_pieces(run.steps, step_index, total, run.points)
        push_rgba(self.ctx, self.chart.pixels())
        el("inertia-value").textContent = inertia_value(run.steps[step_index].inertia)
        k = len(run.steps[step_index].centroids)
        sizes = cluster_sizes(labels, k)
        listing = el("sizes")
        rows = listing.children
        while rows.length > k:
            listing.removeChild(listing.lastChild)
        while listing.children.length < k:
            item = js.document.createElement("li")
            item.innerHTML = '<span class="name"></span><span class="bar"></span><span class="count"></span>'
            listing.append(item)
        largest = max(max(sizes), 1)
        for j, count in enumerate(sizes):
            item = listing.children.item(j)
            name, bar, number = item.children.item(0), item.children.item(1), item.children.item(2)
            name.textContent = cluster_name(j).replace("cluster ", "")
            bar.style.width = f"{100 * count / largest:.1f}%"
            bar.style.background = CATEGORY10[j % len(CATEGORY10)]
            number.textContent = f"{count:,}"
        if self.on_shown is not None:
            self.on_shown(run, step_index)
