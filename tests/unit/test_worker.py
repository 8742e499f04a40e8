"""buildtools.worker: the service worker's file list, the app manifest and its icons."""

import hashlib
import json
import re
import struct
import sys
import zlib
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from buildtools import SITE, BuildError  # noqa: E402
from buildtools.worker import ICON_SIZES, draw_circles, png, write_manifest, write_worker  # noqa: E402


@pytest.fixture
def out(tmp_path):
    (tmp_path / "sw.js").write_text((SITE / "sw.js").read_text())
    (tmp_path / "index.html").write_text("<html>page</html>")
    (tmp_path / "boot.js").write_text("boot")
    (tmp_path / "pyodide").mkdir()
    (tmp_path / "pyodide" / "numpy-1.whl").write_bytes(b"wheel")
    for record in ("build-info.json", ".build-stamp", "kmeans-anim.html"):
        (tmp_path / record).write_text("not for the page")
    return tmp_path


def files_in(sw: Path) -> dict:
    return json.loads(re.search(r'const f = (\{.*?\});', sw.read_text()).group(1))


def test_the_worker_lists_every_file_of_the_page_with_its_hash(out):
    write_worker(out)
    files = files_in(out / "sw.js")
    assert set(files) == {"./", "./boot.js", "./pyodide/numpy-1.whl"}  # index.html is the folder's URL
    assert files["./boot.js"] == hashlib.sha256(b"boot").hexdigest()


def test_a_changed_file_changes_the_build_and_so_the_worker(out):
    first = write_worker(out)
    before = (out / "sw.js").read_text()
    (out / "sw.js").write_text((SITE / "sw.js").read_text())
    (out / "boot.js").write_text("boot, rebuilt")
    second = write_worker(out)
    assert first != second and (out / "sw.js").read_text() != before
    assert f'const BUILD = "{second}";' in (out / "sw.js").read_text()


def test_a_worker_without_its_marks_stops_the_build(out):
    (out / "sw.js").write_text("self.addEventListener('fetch', () => {});")
    with pytest.raises(BuildError, match="__FILES__"):
        write_worker(out)


def test_manifest_is_relative_and_names_icons_that_exist(tmp_path):
    write_manifest(tmp_path)
    manifest = json.loads((tmp_path / "manifest.webmanifest").read_text())
    assert manifest["start_url"] == "./" and manifest["display"] == "standalone"
    assert manifest["name"] == re.search(r"<title>([^<]+)</title>", (SITE / "index.html").read_text()).group(1)
    for icon in manifest["icons"]:
        assert icon["src"].startswith("./")
        assert (tmp_path / icon["src"][2:]).is_file() or (SITE / icon["src"][2:]).is_file()
    sizes = [i["sizes"] for i in manifest["icons"] if i["type"] == "image/png"]
    assert sizes == [f"{s}x{s}" for s in ICON_SIZES]


def test_icons_are_pngs_of_the_favicons_circles(tmp_path):
    svg = ('<svg viewBox="0 0 10 10"><circle cx="5" cy="5" r="3" fill="#ff0000"/>'
           '<circle cx="5" cy="5" r="4" fill="none" stroke="#000" stroke-width="1"/></svg>')
    data = png(draw_circles(svg, 20), 20)
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (20, 20)
    raw = zlib.decompress(data[data.index(b"IDAT") + 4:data.index(b"IEND") - 8])
    row = raw[10 * 61 + 1:11 * 61]  # the middle row, less its filter byte
    assert row[10 * 3:10 * 3 + 3] == b"\xff\x00\x00"  # the centre is the fill
    assert row[0:3] == b"\xff\xff\xff"  # the corner is the white ground
    assert row[2 * 3:2 * 3 + 3] == b"\x00\x00\x00"  # on the ring (radius 4 of 10 -> 8 px out)


def snapshot_key(out: Path) -> str:
    return re.search(r'const KEY = "([0-9a-f]*)";', (out / "pyodide-snapshot.mjs").read_text()).group(1)


def test_the_memory_snapshot_is_keyed_by_every_other_file_of_the_build(out):
    """A return visit never starts from a snapshot another build made (site/pyodide-snapshot.mjs),
    and the loader keeps the size boot.js was told."""
    (out / "pyodide-snapshot.mjs").write_text((SITE / "pyodide-snapshot.mjs").read_text())
    size = (out / "pyodide-snapshot.mjs").stat().st_size
    write_worker(out)
    first = snapshot_key(out)
    assert (out / "pyodide-snapshot.mjs").stat().st_size == size
    assert files_in(out / "sw.js")["./pyodide-snapshot.mjs"] == \
        hashlib.sha256((out / "pyodide-snapshot.mjs").read_bytes()).hexdigest()
    (out / "sw.js").write_text((SITE / "sw.js").read_text())
    write_worker(out)  # built again, nothing changed: the same key
    assert snapshot_key(out) == first
    (out / "pyodide" / "numpy-1.whl").write_bytes(b"another wheel")
    (out / "sw.js").write_text((SITE / "sw.js").read_text())
    write_worker(out)
    assert snapshot_key(out) not in (first, "0" * 16)
