"""dist/sw.js, dist/manifest.webmanifest and its icons: return visits from Cache Storage, the
page offline after one visit, and installable as an app.

site/sw.js is the service worker; the build writes into it every file of this build with its
sha256 (so its bytes, and with them the cache's name, change with any file: the browser installs
the new worker, which replaces the cache). The icons are drawn from site/favicon.svg's circles,
so the design lives in one place.
"""

from __future__ import annotations

import hashlib
import json
import re
import struct
import zlib
from pathlib import Path

from . import SITE, BuildError

WORKER = "sw.js"
MANIFEST = "manifest.webmanifest"
ICON_SIZES = (192, 512)  # what browsers ask of an installable page
# Not kept by the worker: the worker itself (the browser fetches it), the build's records, and
# the single file (a download, 15 MB, not used by the page). The build writes the last two after.
NOT_CACHED = {WORKER, "build-info.json", ".build-stamp", "kmeans-anim.html"}


def worker_files(out: Path) -> dict[str, str]:
    """{URL relative to the page: sha256 hex} of every file the worker keeps; index.html is "./"."""
    files = {}
    for p in sorted(out.rglob("*")):
        name = p.relative_to(out).as_posix()
        if p.is_file() and name not in NOT_CACHED:
            files["./" if name == "index.html" else "./" + name] = hashlib.sha256(p.read_bytes()).hexdigest()
    return files


SNAPSHOT_LOADER = "pyodide-snapshot.mjs"  # keeps a memory snapshot per build (site/pyodide-snapshot.mjs)
SNAPSHOT_KEY = re.compile(r'const KEY = "[^"]*";')


def write_snapshot_key(out: Path) -> None:
    """Write into out/pyodide-snapshot.mjs a digest of every other file the worker keeps: a
    snapshot kept by one build is never used by another (a changed file, a new snapshot)."""
    loader = out / SNAPSHOT_LOADER
    if not loader.exists():
        return
    others = {name: h for name, h in worker_files(out).items() if name != "./" + SNAPSHOT_LOADER}
    key = hashlib.sha256(json.dumps(others, sort_keys=True).encode()).hexdigest()[:16]
    text = loader.read_text()
    if not SNAPSHOT_KEY.search(text):
        raise BuildError(f"site/{SNAPSHOT_LOADER} has lost its `const KEY = \"...\";` line")
    # Same length as the placeholder: boot.js already holds this file's size.
    loader.write_text(SNAPSHOT_KEY.sub(f'const KEY = "{key}";', text, count=1))


def write_worker(out: Path) -> str:
    """Write this build's file list into out/sw.js (and the snapshot's key into
    out/pyodide-snapshot.mjs first); return the build's digest (the cache name's end). Call it
    once every file the page loads is final."""
    write_snapshot_key(out)
    files = worker_files(out)
    listing = json.dumps(files, separators=(",", ":"), sort_keys=True)
    build = hashlib.sha256(listing.encode()).hexdigest()[:16]
    sw = out / WORKER
    text = sw.read_text()
    if '"__FILES__"' not in text or '"__BUILD__"' not in text:
        raise BuildError(f"site/{WORKER} has lost its \"__FILES__\" or \"__BUILD__\" mark")
    sw.write_text(text.replace('"__FILES__"', listing).replace('"__BUILD__"', json.dumps(build)))
    return build


def write_manifest(out: Path) -> None:
    """out/manifest.webmanifest and out/icon-<size>.png. Name and description come from
    site/index.html's <title> and meta description; every URL is relative (any sub-path)."""
    page = (SITE / "index.html").read_text()
    title = re.search(r"<title>([^<]+)</title>", page)
    description = re.search(r'<meta name="description" content="([^"]*)"', page)
    if not title or not description:
        raise BuildError("site/index.html needs a <title> and a <meta name=\"description\"> "
                         "(the app manifest's name and description)")
    svg = (SITE / "favicon.svg").read_text()
    icons = []
    for size in ICON_SIZES:
        (out / f"icon-{size}.png").write_bytes(png(draw_circles(svg, size), size))
        icons.append({"src": f"./icon-{size}.png", "sizes": f"{size}x{size}", "type": "image/png"})
    icons.append({"src": "./favicon.svg", "sizes": "any", "type": "image/svg+xml"})
    (out / MANIFEST).write_text(json.dumps({
        "name": title.group(1), "short_name": "K-Means", "description": description.group(1),
        "start_url": "./", "scope": "./", "display": "standalone",
        "background_color": "#ffffff", "theme_color": "#ffffff", "icons": icons,
    }, indent=1))


CIRCLE = re.compile(r"<circle\b([^>]*)/>")


def draw_circles(svg: str, size: int) -> bytearray:
    """The <circle>s of `svg` (filled, or stroked with fill="none"), drawn in order on white at
    size x size pixels, anti-aliased by each pixel's distance to the edge. Returns RGB rows."""
    box = re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg)
    if box is None or not CIRCLE.search(svg):
        raise BuildError("site/favicon.svg needs a viewBox=\"0 0 W H\" and <circle> elements "
                         "(the app icons are drawn from them)")
    unit = float(box.group(1)) / size  # viewBox units per pixel
    rgb = bytearray(b"\xff" * (size * size * 3))
    for tag in CIRCLE.finditer(svg):
        a = dict(re.findall(r'([\w-]+)="([^"]*)"', tag.group(1)))
        cx, cy, r = float(a["cx"]), float(a["cy"]), float(a["r"])
        filled = a.get("fill", "#000") != "none"
        hexa = (a["fill"] if filled else a.get("stroke", "#000")).lstrip("#")
        colour = bytes.fromhex("".join(c * 2 for c in hexa) if len(hexa) == 3 else hexa)
        half = 0.0 if filled else float(a.get("stroke-width", "1")) / 2
        reach = r + half + unit
        for row in range(max(0, int((cy - reach) / unit)), min(size, int((cy + reach) / unit) + 1)):
            y = (row + 0.5) * unit
            for col in range(max(0, int((cx - reach) / unit)), min(size, int((cx + reach) / unit) + 1)):
                d = ((col + 0.5) * unit - cx) ** 2 + (y - cy) ** 2
                edge = (r - d ** 0.5) if filled else (half - abs(d ** 0.5 - r))
                cover = min(1.0, max(0.0, edge / unit + 0.5))
                if cover:
                    i = (row * size + col) * 3
                    for c in range(3):
                        rgb[i + c] = round(rgb[i + c] * (1 - cover) + colour[c] * cover)
    return rgb


def png(rgb: bytearray, size: int) -> bytes:
    """A size x size 8-bit RGB PNG of `rgb` (rows top to bottom)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    stride = size * 3
    raw = b"".join(b"\0" + bytes(rgb[r * stride:(r + 1) * stride]) for r in range(size))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))
