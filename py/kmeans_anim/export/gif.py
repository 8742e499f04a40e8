"""The whole run as an animated GIF, made one frame at a time so the page can show progress.

Pure functions of the session's data (no browser): the page's glue awaits between frames and
hands the result to a download. Imports numpy, the standard library, matplotlib (through
`view`) and Pillow only.

Example
-------
>>> from kmeans_anim.core.params import Params
>>> from kmeans_anim.core.session import Session
>>> s = Session()
>>> run = s.go(Params(n=40, k=3, seed=7))
>>> maker = GifMaker(run, s.points, width_px=320, height_px=256)
>>> for done, total in maker.steps():     # the page awaits between frames here
...     pass
>>> maker.result[:6], maker.thinned
(b'GIF89a', False)
"""

from __future__ import annotations

import io
import math

import numpy as np
from PIL import GifImagePlugin, Image

from ..core.player import Timeline
from ..picture.scene import Options, Scene, frame_scene
from ..picture.view import CATEGORY10, THEMES, KMeansView, Style

__all__ = ["GIF_MAX_POINTS", "GifMaker", "animated_gif"]


#: Above this many points a GIF shows a seeded random sample of them. Every recolouring redraws
#: all the markers (about 20 microseconds each natively, more in the page), and at 640 x 512
#: 5,000 markers already cover the clusters: 20,000 made a 10-iteration GIF take 3.6x as long
#: and look the same (benchmarks/bench_export.py). Typed points (5,000 at most) are never thinned.
GIF_MAX_POINTS = 5_000
# Browsers show a GIF frame delay under 2 centiseconds as 10 cs: every frame lasts >= 2 cs.
_MIN_DELAY_CS = 2
# Palette index kept free: it marks "unchanged from the previous frame" in delta frames.
_TRANSPARENT = 255


def _pixels(rgba: np.ndarray) -> np.ndarray:
    """An (h, w, 4) uint8 RGBA frame as (h, w) uint32, one number per pixel (red in the low
    byte): comparing and sorting pixels is then one operation each, not four."""
    return np.ascontiguousarray(rgba).view("<u4")[..., 0]


def _hex_rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))


class _Palette:
    """255 colours for every frame of a GIF, with the plot's flat colours kept exact.

    The category10 colours, the theme's unassigned grey, background and ink, white and black
    come first and unchanged; the rest are median-cut colours of reference frames
    (antialiased edges, text, region tints). Each pixel maps to its nearest palette colour, so
    the exact colours map to themselves.
    """

    def __init__(self, references: list[np.ndarray], theme: str = "light"):
        look = THEMES[theme]
        flat = [*CATEGORY10, look["unassigned"], look["face"], look["ink"], "#ffffff", "#000000"]
        exact = list(dict.fromkeys(_hex_rgb(c.lower()) for c in flat))  # each colour once
        sample = Image.fromarray(np.concatenate(references, axis=0))
        quantised = sample.quantize(colors=_TRANSPARENT - len(exact),
                                    method=Image.Quantize.MEDIANCUT)
        extra = np.array(quantised.getpalette()[: 3 * (_TRANSPARENT - len(exact))],
                         dtype=np.uint8).reshape(-1, 3)
        colours = np.concatenate([np.array(exact, dtype=np.uint8), extra])
        #: Index of the figure's background (what a viewer shows before frame 1).
        self.background = exact.index(_hex_rgb(look["face"].lower()))
        #: (256, 3) uint8: the GIF's colour table (the last entry is the transparent index).
        self.table = np.zeros((256, 3), dtype=np.uint8)
        self.table[: len(colours)] = colours
        self._colours = colours.astype(np.int32)

    def indices(self, pixels: np.ndarray) -> np.ndarray:
        """Palette index (uint8) of each pixel, same shape as `pixels` (uint32, see _pixels)."""
        unique, inverse = np.unique(pixels & 0xFFFFFF, return_inverse=True)  # alpha dropped
        rgb = np.column_stack([unique & 255, (unique >> 8) & 255, unique >> 16]).astype(np.int32)
        distance = ((rgb[:, None, :] - self._colours[None, :, :]) ** 2).sum(axis=-1)
        return distance.argmin(axis=1).astype(np.uint8)[inverse].reshape(pixels.shape)


def _bounding_box(mask: np.ndarray):
    """(rows, cols) slices of the smallest rectangle holding every True of `mask` (h, w), or
    None if there is none."""
    rows, cols = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
    if not len(rows):
        return None
    return slice(int(rows[0]), int(rows[-1]) + 1), slice(int(cols[0]), int(cols[-1]) + 1)


def _sample_points(points: np.ndarray, max_points: int, seed: int) -> np.ndarray:
    """Indices (sorted) of at most `max_points` points: a seeded random sample that keeps the
    leftmost, rightmost, lowest and highest points, so the plot's limits stay those of the
    whole set."""
    n = len(points)
    if n <= max_points:
        return np.arange(n)
    extremes = np.unique([points[:, 0].argmin(), points[:, 0].argmax(),
                          points[:, 1].argmin(), points[:, 1].argmax()])
    others = np.setdiff1d(np.arange(n), extremes, assume_unique=True)
    rng = np.random.default_rng(seed)
    picked = rng.choice(others, size=max_points - len(extremes), replace=False)
    return np.sort(np.concatenate([extremes, picked]))


class GifMaker:
    """An animated GIF of a whole recorded run, made one frame per step so that a page can
    show progress and give the browser a turn between frames.

    The frames follow `player.Timeline`: the initial centroids over grey points, each
    assignment held still, each centroid glide at `fps` frames per second, and the final
    clusters held for `end_seconds` before the GIF loops (forever). A picture that stays the
    same is one frame with a longer delay, not repeated frames, and each frame after the first
    stores only the rectangle that changed.

    Parameters
    ----------
    run : engine.Run
        The recorded run (``steps``, ``labels``, ``centroids``, ``n_iter``).
    points : array_like of shape (n, 2)
        The points the run clustered, data units.
    width_px, height_px : int
        Size of the GIF in pixels (16..4096).
    dpi : float
        Text and marker scale: 100 draws them at the page's CSS size.
    seconds_per_iteration : float
        Length of one Lloyd iteration (assign + glide), seconds, 0.1..20; the page's
        ``1 / speed``.
    init_seconds, end_seconds : float
        How long the starting centroids and the final clusters are shown, seconds (>= 0).
    fps : int
        Frames per second of the centroid glides, 1..30 (more would give frames shorter than
        browsers play).
    max_points : int
        Above this many points, the GIF shows a seeded random sample of `max_points` of them
        (see `thinned` and `note`).
    options : scene.Options or params.Params
        The drawing options (paths, regions, changed, links), as the page's check boxes set
        them: every frame draws what `scene.frame_scene` says, as the page and the PNG do.
    style : view.Style
        Theme and marker shapes, the page's.
    caption : bool
        Name the half-step in every frame ("half-step 3 of 9: update 1").
    seed : int
        Seed of the sample of points.

    Attributes
    ----------
    total : int
        Frames to draw (the progress denominator).
    done : int
        Frames drawn so far.
    points_total, points_shown : int
        Points in the run and points drawn in the GIF.
    thinned : bool
        True when the GIF shows a sample of the points.
    note : str
        Plain words for the page when thinned ("The GIF shows 5,000 of 1,000,000 points, a
        random sample."), else "".
    delays_ms : list of int
        Delay of each frame written (multiples of 10 ms), filled in as frames are written.
    result : bytes
        The GIF file, once `steps` has run to its end (or after `make`).
    last_rgba : ndarray of uint8, shape (height_px, width_px, 4)
        The last frame drawn (a copy), e.g. to check it or save it with `png_bytes`.
    """

    def __init__(self, run, points, *, width_px: int = 640, height_px: int = 512,
                 dpi: float = 100.0, seconds_per_iteration: float = 1.0,
                 init_seconds: float = 0.5, end_seconds: float = 2.0, fps: int = 12,
                 max_points: int = GIF_MAX_POINTS, options=Options(), style: Style = Style(),
                 caption: bool = True, seed: int = 0):
        if not (16 <= int(width_px) <= 4096 and 16 <= int(height_px) <= 4096):
            raise ValueError(f"GIF size must be 16..4096 pixels each way, got "
                             f"{width_px}x{height_px}")
        if not 1 <= int(fps) <= 30:
            raise ValueError(f"fps must be 1..30, got {fps}")
        if not 0.1 <= seconds_per_iteration <= 20:
            raise ValueError(f"seconds_per_iteration must be 0.1..20, got {seconds_per_iteration}")
        if not (init_seconds >= 0 and end_seconds >= 0):
            raise ValueError("init_seconds and end_seconds must be >= 0")
        if int(max_points) < 4:
            raise ValueError(f"max_points must be at least 4, got {max_points}")
        points = np.asarray(points, dtype=np.float64).reshape(-1, 2)
        self.run = run
        self.timeline = Timeline(run, seconds_per_iteration, init_seconds)
        self.fps = int(fps)
        self.end_seconds = float(end_seconds)
        self.options, self.caption = options, bool(caption)
        self._shown = _sample_points(points, int(max_points), seed)
        self.points_total, self.points_shown = len(points), len(self._shown)
        self.thinned = self.points_shown < self.points_total
        self.note = (f"The GIF shows {self.points_shown:,} of {self.points_total:,} points, "
                     "a random sample." if self.thinned else "")
        self._view = KMeansView(width_px, height_px, dpi, style=style)
        self._view.set_points(points[self._shown])
        self._frames = self._plan()
        self.total = len(self._frames)
        self.done = 0
        self.delays_ms: list[int] = []
        self.last_rgba: np.ndarray | None = None
        self._result: bytes | None = None

    # -- the plan: which picture, from when to when ---------------------------------------

    def _sample_times(self) -> list[tuple[float, float]]:
        """(from when, picture of when) in seconds: the picture may change at every
        half-step's start and `fps` times through each glide. Step i owns (start, end] on the
        timeline, so each piece shows the picture at its own end: a half-step's frame shows it
        complete, as the page does when paused there."""
        tl, times = self.timeline, []
        for i, step in enumerate(tl.steps):
            start, end = tl.step_start(i), tl.step_start(i + 1)
            if end - start <= 1e-9:
                continue
            glides = (step.kind == "update" and i > 0
                      and not np.array_equal(tl.steps[i - 1].centroids, step.centroids))
            count = max(1, math.ceil((end - start) * self.fps - 1e-9)) if glides else 1
            times.extend((start + (end - start) * j / count, start + (end - start) * (j + 1) / count)
                         for j in range(count))
        times.append((tl.duration, tl.duration))  # the final picture, held for end_seconds
        return times

    def scene_at(self, t: float) -> Scene:
        """What the frame at time t draws (the run playing, as the page would show it)."""
        return frame_scene(self.run, self.timeline.frame_at(t), self.options,
                           self.timeline.trails(t), caption=self.caption, playing=True)

    def _plan(self) -> list[tuple[Scene, int]]:
        """[(scene, delay in centiseconds)] with equal neighbours merged.

        Delays come from times rounded to whole centiseconds (GIF's unit), so the total stays
        within 5 ms of the timeline; a frame that would last under 2 cs is left out (its
        time goes to the frame before).
        """
        times = self._sample_times()
        ends_cs = [round(start * 100) for start, _ in times[1:]]
        ends_cs.append(round((self.timeline.duration + self.end_seconds) * 100))
        plan: list[list] = []
        start_cs = 0
        for (_, t), end_cs in zip(times, ends_cs):
            state = self.scene_at(t)
            if plan and (_same_scene(plan[-1][0], state) or end_cs - start_cs < _MIN_DELAY_CS):
                plan[-1][1] = end_cs - plan[-1][2]
            else:
                plan.append([state, end_cs - start_cs, start_cs])
            start_cs = end_cs
        return [(state, delay) for state, delay, _ in plan]

    # -- drawing and encoding -------------------------------------------------------------

    @property
    def scenes(self) -> list[Scene]:
        """The scene of each frame, in order (`total` of them)."""
        return [scene for scene, _ in self._frames]

    def _render(self, scene: Scene) -> np.ndarray:
        args = scene.render_args()
        # The points shown (all of them, or a sample): their labels and rings.
        args["labels"] = np.asarray(scene.labels)[self._shown]
        if scene.changed is not None:
            args["changed"] = scene.changed[self._shown]
        if scene.weights is not None:
            args["weights"] = scene.weights[self._shown]
        return self._view.render(**args).copy()

    def steps(self):
        """Draw and encode the frames one at a time.

        Yields
        ------
        (done, total) : tuple of int
            After each frame; `result` is set once the generator is exhausted.
        """
        if self._result is not None:
            return
        if self.done:
            raise RuntimeError("this GIF is being made already: use one steps() at a time")
        # The palette comes from the first and the last picture: between them they hold every
        # colour the run shows (grey points, every cluster, the region tints, the trails).
        first = self._render(self._frames[0][0])
        last = self._render(self._frames[-1][0])
        palette = _Palette([first[..., :3], last[..., :3]], self._view.style.theme)
        width, height = self._view.size
        out = io.BytesIO()
        out.write(_gif_header(width, height, palette.table, palette.background))
        previous = pending = None  # pending: the last frame, until its delay is known
        for state, delay in self._frames:
            rgba = self._render(state)
            pixels = _pixels(rgba)
            if previous is None:
                shown = palette.indices(pixels)  # palette index of every pixel on show
                pending = [shown.copy(), (0, 0), delay, False]
            else:
                changed = pixels != previous
                box = _bounding_box(changed)
                if box is None:  # drawn differently, looks the same: one longer frame
                    pending[2] += delay
                else:
                    self._write(out, *pending)
                    # Only the rectangle that changed is stored, and in it every pixel whose
                    # palette index stays is transparent (the frame below shows through):
                    # runs of one index compress far better than the picture would.
                    moved = changed[box]
                    index = palette.indices(pixels[box][moved])
                    delta = np.full(moved.shape, _TRANSPARENT, dtype=np.uint8)
                    delta[moved] = np.where(index == shown[box][moved], _TRANSPARENT, index)
                    shown[box][moved] = index
                    pending = [delta, (box[1].start, box[0].start), delay, True]
            previous = pixels
            self.last_rgba = rgba
            self.done += 1
            yield self.done, self.total
        self._write(out, *pending)
        out.write(b";")  # the GIF trailer
        self._result = out.getvalue()

    def _write(self, out, indices: np.ndarray, offset, delay_cs: int, transparent: bool) -> None:
        """Append one frame: palette indices (h, w) uint8 at offset (left, top), shown for
        delay_cs centiseconds on top of the previous frame."""
        self.delays_ms.append(10 * delay_cs)
        out.write(_gif_frame(indices, offset, delay_cs, transparent))

    @property
    def progress(self) -> float:
        """Fraction of the frames drawn, 0..1."""
        return self.done / self.total

    @property
    def result(self) -> bytes:
        if self._result is None:
            raise RuntimeError("the GIF is not made yet: run steps() to its end first")
        return self._result

    def make(self) -> bytes:
        """Draw every frame at once and return the GIF bytes."""
        for _ in self.steps():
            pass
        return self.result


def _same_scene(a: Scene, b: Scene) -> bool:
    """Do two scenes draw the same picture? (np.array_equal also answers for None.)"""
    return (a.empty == b.empty and a.links == b.links and a.caption == b.caption
            and all(np.array_equal(getattr(a, key), getattr(b, key))
                    for key in ("labels", "centroids", "trails", "regions", "changed", "weights")))


def _gif_header(width: int, height: int, table: np.ndarray, background: int) -> bytes:
    """GIF89a header: logical screen, a 256-colour global table and "loop forever"."""
    screen = (width.to_bytes(2, "little") + height.to_bytes(2, "little")
              # global table present, 8 bits per primary, 2 ** (7 + 1) entries
              + bytes([0b1111_0111, background, 0]))
    loop = b"!\xff\x0bNETSCAPE2.0\x03\x01" + (0).to_bytes(2, "little") + b"\x00"
    return b"GIF89a" + screen + table.astype(np.uint8).tobytes() + loop


def _gif_frame(indices: np.ndarray, offset, delay_cs: int, transparent: bool) -> bytes:
    """One GIF frame (control extension, image descriptor, LZW data) drawn over the previous
    frame ("do not dispose"), its transparent index letting the previous pixels show."""
    height, width = indices.shape
    image = Image.frombytes("P", (width, height), np.ascontiguousarray(indices).tobytes())
    options = {"duration": 10 * delay_cs, "disposal": 1}
    if transparent:
        options["transparency"] = _TRANSPARENT
    # Pillow's own frame writer (LZW-compressed data); the file around it is written here,
    # one frame at a time, so a page never waits for one long encoding at the end.
    return b"".join(GifImagePlugin.getdata(image, tuple(offset), **options))


def animated_gif(run, points, **options) -> bytes:
    """The GIF of a whole run in one call: ``GifMaker(run, points, **options).make()``.

    Parameters
    ----------
    run : engine.Run
    points : array_like of shape (n, 2)
    **options
        Keyword arguments of `GifMaker` (width_px, height_px, seconds_per_iteration, fps,
        max_points, options, style, caption, ...).

    Returns
    -------
    bytes
        An animated GIF that loops forever.
    """
    return GifMaker(run, points, **options).make()
