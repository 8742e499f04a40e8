"""The limits of the page's numeric parameters, and which control of the page shows each.

The one place to change a limit. Standard library only: the build (a plain python3, which may
have no numpy) reads this module to write min, max and step into the page's HTML, so the
controls show the right limits before Python has started in the page; `params` re-exports it
all and validates every value with it.

>>> RANGES["k"].snap(12)
10
>>> html_number(RANGES["tol"].step)
'0.000001'
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

SEED_MAX = 2**32 - 1


@dataclass(frozen=True)
class Range:
    """Limits of a numeric parameter, as its control shows them."""

    label: str
    lo: float
    hi: float
    step: float

    def snap(self, value: float) -> float:
        """Clamp to [lo, hi] and round to the nearest step counted from lo."""
        value = min(max(value, self.lo), self.hi)
        steps = round((value - self.lo) / self.step)
        return min(round(self.lo + steps * self.step, 10), self.hi)


@dataclass(frozen=True)
class Overlay:
    """A drawing option: something drawn over the points that changes nothing in the run.

    The one place an overlay is declared for the page: its `Params` field and address key, its
    check box in the drawing options (written into the HTML by the build), what messages call
    it, and its default all come from here. What it draws is `picture.scene` (which frames
    show it) and `picture.view` (how).
    """

    name: str     # Params field, check box id, address key (0 or 1)
    label: str    # what messages call it
    words: str    # the check box's words on the page
    default: int  # 1: on for a first visit


#: Every overlay, in the order of the page's drawing options.
OVERLAYS: tuple[Overlay, ...] = (
    Overlay("paths", "centroid paths", "the path of each centroid", 0),
    Overlay("regions", "regions", "each centroid's region, shaded", 0),
    Overlay("changed", "rings on changed points", "a ring on each point that changes cluster", 1),
    Overlay("links", "lines to centroids", "a line from every point to its centroid", 0),
)
OVERLAY_NAMES = tuple(overlay.name for overlay in OVERLAYS)

RANGES: dict[str, Range] = {
    "n": Range("points", 20, 1_000_000, 1),
    "k": Range("K", 2, 10, 1),
    "std": Range("cluster std", 0.5, 3.0, 0.1),
    "seed": Range("seed", 0, SEED_MAX, 1),
    "reseed": Range("new seed on every GO", 0, 1, 1),
    "attempt": Range("retry", 0, 999_999, 1),
    "centers": Range("true clusters", 0, 10, 1),
    "noise": Range("noise", 0.0, 2.0, 0.05),
    "max_iter": Range("max iterations", 1, 300, 1),
    "tol": Range("tolerance", 0.0, 0.1, 1e-6),
    "speed": Range("speed", 0.25, 16.0, 0.25),
    **{overlay.name: Range(overlay.label, 0, 1, 1) for overlay in OVERLAYS},
    "shapes": Range("shapes", 0, 1, 1),
    # Which start? How many clusters? (issue 17): the starts of "best of N" and of each K of
    # the elbow (scikit-learn's n_init, 10), and the N a run on screen was the best of (0: it
    # is one attempt, GO or a RETRY).
    "n_init": Range("starts", 1, 50, 1),
    "best_of": Range("best of", 0, 50, 1),
}

#: The points slider covers the notebook's range, 20 to 300 in tens; the number field beside it
#: takes any count in RANGES["n"] (the slider then stays at its end).
POINTS_SLIDER = Range("points", 20, 300, 10)

#: The page's numeric inputs: element id -> (the Params field it sets, the limits it shows).
#: The build writes min, max, step and the field's default (value) into each; site/index.html
#: gives them none of their own.
CONTROLS: dict[str, tuple[str, Range]] = {
    "n": ("n", POINTS_SLIDER),
    "n-number": ("n", RANGES["n"]),
    "k": ("k", RANGES["k"]),
    "std": ("std", RANGES["std"]),
    "centers": ("centers", RANGES["centers"]),
    "noise": ("noise", RANGES["noise"]),
    "max_iter": ("max_iter", RANGES["max_iter"]),
    "tol": ("tol", RANGES["tol"]),
    "seed": ("seed", RANGES["seed"]),
    "n_init": ("n_init", RANGES["n_init"]),   # issue 17: best of N, the elbow's starts
}


def html_number(x: float) -> str:
    """A number as an HTML attribute value: plain decimal, shortest, never an exponent.

    >>> [html_number(v) for v in (150, 3.0, 0.8, 1e-6, 4294967295)]
    ['150', '3', '0.8', '0.000001', '4294967295']
    """
    text = format(Decimal(repr(float(x))), "f")
    return text.removesuffix(".0") if text.endswith(".0") else text


def control_attributes(defaults: dict[str, object]) -> dict[str, dict[str, str]]:
    """min, max, step and value of each control in CONTROLS, as attribute text.

    `defaults` maps Params fields to their defaults; a default of None (the seed: none chosen)
    gives no value attribute, so the field shows its placeholder.
    """
    attributes = {}
    for control, (field, rng) in CONTROLS.items():
        attributes[control] = {"min": html_number(rng.lo), "max": html_number(rng.hi),
                               "step": html_number(rng.step)}
        if defaults[field] is not None:
            attributes[control]["value"] = html_number(defaults[field])
    return attributes
