"""buildtools.single_file: the page in one file, everything it references inlined."""

import base64
import gzip
import hashlib
import io
import json
import re
import sys
import zipfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from buildtools import BuildError  # noqa: E402
from buildtools.single_file import inline_references, write_single_file  # noqa: E402

PAGE = """<!doctype html><html><head>
<link rel="icon" href="./icon.svg" type="image/svg+xml">
<link rel="stylesheet" href="./style.css">
<link rel="canonical" href="https://example.org/">
<script src="./boot.js"></script>
</head><body><img src="./pic.png" alt="">
<a id="x" href="./other.html">a link stays a link</a>
<script type="py" src="./main.py" config="./pyscript.json"></script>
</body></html>"""


@pytest.fixture
def dist(tmp_path):
    (tmp_path / "index.html").write_text(PAGE)
    (tmp_path / "icon.svg").write_text("<svg/>")
    (tmp_path / "style.css").write_text("body { color: red }")
    (tmp_path / "boot.js").write_text('const s = "</script>"; window.booted = true;')
    (tmp_path / "pic.png").write_bytes(b"\x89PNG")
    (tmp_path / "main.py").write_text("print('hi')")
    (tmp_path / "pyscript.json").write_text(json.dumps({"files": {"./pkg.zip": "./*"}, "packages": ["numpy"]}))
    with zipfile.ZipFile(tmp_path / "pkg.zip", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("pkg/__init__.py", "X = 1\n" * 100)
    (tmp_path / "pyodide").mkdir()
    (tmp_path / "pyodide" / "pyodide.asm.wasm").write_bytes(b"\0asm" + bytes(1000))
    with zipfile.ZipFile(tmp_path / "pyodide" / "numpy-1.whl", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("numpy/__init__.py", "pass\n" * 100)
    (tmp_path / "pyodide" / "pyodide-lock.json").write_text(json.dumps(
        {"info": {}, "packages": {"numpy": {"file_name": "numpy-1.whl", "sha256": "official"}}}))
    return tmp_path


def test_every_local_reference_is_inlined_and_pyscript_tag_dropped(dist):
    page = inline_references(PAGE, dist)
    assert "<style>body { color: red }</style>" in page
    assert 'href="data:image/svg+xml;base64,' in page and 'src="data:image/png;base64,' in page
    assert "window.booted = true" in page and '"<\\/script>"' in page  # cannot close the tag early
    assert 'type="py"' not in page
    assert 'href="https://example.org/"' in page and 'href="./other.html"' in page
    assert not re.search(r'(src|href)="\./(?!other)', page)


def test_a_missing_or_module_reference_stops_the_build(dist):
    with pytest.raises(BuildError, match="nope.css"):
        inline_references('<link rel="stylesheet" href="./nope.css">', dist)
    with pytest.raises(BuildError, match="classic scripts only"):
        inline_references('<script type="module" src="./boot.js"></script>', dist)


def embedded(page: str) -> dict[str, bytes]:
    found = re.findall(r'<script type="application/octet-stream" data-embedded="([^"]+)">([^<]*)</script>', page)
    return {name: gzip.decompress(base64.b64decode(b64)) for name, b64 in found}


def test_the_single_file_carries_the_runtime_and_the_files_pyscript_json_names(dist):
    write_single_file(dist, dist / "one.html")
    page = (dist / "one.html").read_text()
    files = embedded(page)
    assert set(files) == {"pyodide/pyodide.asm.wasm", "pyodide/numpy-1.whl", "pyodide/pyodide-lock.json",
                          "pyscript.json", "main.py", "pkg.zip"}
    assert files["pyodide/pyodide.asm.wasm"] == (dist / "pyodide" / "pyodide.asm.wasm").read_bytes()
    # Archives are stored uncompressed inside (the gzip around them does better), same content,
    # and the embedded lock pins those bytes.
    with zipfile.ZipFile(io.BytesIO(files["pyodide/numpy-1.whl"])) as z:
        assert z.infolist()[0].compress_type == zipfile.ZIP_STORED
        assert z.read("numpy/__init__.py") == b"pass\n" * 100
    lock = json.loads(files["pyodide/pyodide-lock.json"])
    assert lock["packages"]["numpy"]["sha256"] == hashlib.sha256(files["pyodide/numpy-1.whl"]).hexdigest()
    # The loader comes before boot.js, which starts it.
    assert page.index("window.kmeansOffline") < page.index("window.booted")


def test_the_app_manifest_is_left_to_the_served_page(dist):
    (dist / "manifest.webmanifest").write_text("{}")
    page = inline_references(PAGE.replace("</head>", '<link rel="manifest" href="./manifest.webmanifest">\n</head>'), dist)
    assert "manifest" not in page
