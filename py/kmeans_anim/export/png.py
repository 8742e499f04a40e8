"""The frame on screen as PNG.

A pure function of the pixels (no browser): the page's glue draws the frame and hands the
result to a download. Imports numpy, the standard library and Pillow only.

Example
-------
>>> import numpy as np
>>> png_bytes(np.zeros((2, 3, 4), dtype=np.uint8))[:4]
b'\\x89PNG'
"""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

__all__ = ["png_bytes"]


def png_bytes(rgba) -> bytes:
    """Encode a frame as PNG, e.g. ``KMeansView.render(...)`` at twice the screen size.

    Parameters
    ----------
    rgba : array_like of uint8, shape (height, width, 4)
        RGBA pixels, rows top to bottom (a view of the Agg buffer is fine: it is read once).

    Returns
    -------
    bytes
        The PNG file (RGBA, 8 bits per channel).

    Raises
    ------
    ValueError
        If the array is not (h, w, 4) uint8 with h, w >= 1.
    """
    rgba = np.asarray(rgba)
    if rgba.ndim != 3 or rgba.shape[2] != 4 or rgba.dtype != np.uint8 or 0 in rgba.shape:
        raise ValueError(f"expected an (h, w, 4) uint8 RGBA array, got {rgba.dtype} "
                         f"{rgba.shape}")
    out = io.BytesIO()
    Image.frombytes("RGBA", (rgba.shape[1], rgba.shape[0]),
                    np.ascontiguousarray(rgba).tobytes()).save(out, format="PNG")
    return out.getvalue()
