"""build.py's pure parts: dependency closure, trimmed lock, hash checks, the static server."""

import json
import sys
import threading
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
import build  # noqa: E402

LOCK = {"info": {"version": "0.27.7"}, "packages": {
    "matplotlib": {"name": "matplotlib", "depends": ["numpy", "pillow", "six"], "file_name": "m.whl", "sha256": "a"},
    "numpy": {"name": "numpy", "depends": [], "file_name": "n.whl", "sha256": "b"},
    "pillow": {"name": "pillow", "depends": ["six"], "file_name": "p.whl", "sha256": "c"},
    "six": {"name": "six", "depends": [], "file_name": "s.whl", "sha256": "d"},
    "scipy": {"name": "scipy", "depends": ["numpy"], "file_name": "sc.whl", "sha256": "e"},
}}


def test_closure_walks_depends_transitively_and_only_those():
    assert build.dependency_closure(LOCK, ["matplotlib"]) == ["matplotlib", "numpy", "pillow", "six"]
    assert build.dependency_closure(LOCK, ["numpy"]) == ["numpy"]


def test_closure_names_a_missing_package():
    with pytest.raises(build.BuildError, match="'nope'"):
        build.dependency_closure(LOCK, ["nope"])


def test_trimmed_lock_lists_exactly_the_closure():
    trimmed = build.trim_lock(LOCK, ["numpy", "six"])
    assert set(trimmed["packages"]) == {"numpy", "six"}
    assert trimmed["info"] == LOCK["info"]


def test_trimmed_lock_forgets_packages_left_out():
    trimmed = build.trim_lock(LOCK, ["matplotlib", "numpy", "pillow"])  # six left out
    assert trimmed["packages"]["matplotlib"]["depends"] == ["numpy", "pillow"]
    assert trimmed["packages"]["pillow"]["depends"] == []
    assert LOCK["packages"]["pillow"]["depends"] == ["six"]  # the input is not modified


def test_hash_mismatch_names_the_file_and_the_fix():
    with pytest.raises(build.BuildError) as e:
        build.check_sha256(b"data", "0" * 64, "cached file X.tgz", "Delete it and build again.")
    assert "cached file X.tgz" in str(e.value) and "Delete it" in str(e.value)
    build.check_sha256(b"data", build.sha256_bytes(b"data"), "x", "y")  # a match passes


def test_corrupt_cached_download_stops_the_build(tmp_path):
    entry = {"client": "npm", "spec": "pkg@1", "file": "pkg-1.tgz", "sha256": build.sha256_bytes(b"good")}
    (tmp_path / "pkg-1.tgz").write_bytes(b"tampered")
    with pytest.raises(build.BuildError) as e:
        build.fetch(entry, tmp_path)
    assert str(tmp_path / "pkg-1.tgz") in str(e.value) and "rm " in str(e.value)


def test_manifest_pins_every_download():
    manifest = json.loads(build.MANIFEST.read_text())
    for entry in manifest["downloads"].values():
        assert len(entry["sha256"]) == 64 and entry["client"] in ("npm", "pip")
        assert any(c in entry["spec"] for c in "@=")  # a version, never "latest"


@pytest.mark.parametrize("prefix, path, status", [
    ("/", "/index.html", 200),
    ("/sub/path/", "/sub/path/index.html", 200),
    ("/sub/path/", "/index.html", 404),
], ids=["root", "under-prefix", "outside-prefix"])
def test_server_serves_under_its_prefix_with_wasm_mime(tmp_path, prefix, path, status):
    (tmp_path / "index.html").write_text("<p>hi</p>")
    (tmp_path / "a.wasm").write_bytes(b"\0asm")
    server = build.make_server(0, prefix, directory=tmp_path)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        try:
            with urllib.request.urlopen(base + path) as r:
                got = r.status
        except urllib.error.HTTPError as e:
            got = e.code
        assert got == status
        with urllib.request.urlopen(base + prefix + "a.wasm") as r:
            assert r.headers["Content-Type"] == "application/wasm"
    finally:
        server.shutdown()


def test_compile_archive_swaps_source_for_byte_code_that_imports(tmp_path):
    # Run here with CPython's own compiler; the build runs the same function inside Pyodide.
    import importlib
    import zipfile
    src, dst = tmp_path / "pkg.whl", tmp_path / "out.whl"
    with zipfile.ZipFile(src, "w") as z:
        z.writestr("demo_pkg/__init__.py", "VALUE = 6 * 7\n")
        z.writestr("demo_pkg/data.txt", "kept as is")
        z.writestr("demo_pkg/py2_only.py", "print 'old syntax'\n")
        z.writestr("demo_pkg-1.0.dist-info/RECORD", "demo_pkg/__init__.py,sha256=x,14\n")
    assert build.compile_archive(str(src), str(dst), "/site/") == 1
    with zipfile.ZipFile(dst) as z:
        names = set(z.namelist())
        assert {"demo_pkg/__init__.pyc", "demo_pkg/data.txt", "demo_pkg/py2_only.py"} <= names
        assert "demo_pkg/__init__.py" not in names
        record = z.read("demo_pkg-1.0.dist-info/RECORD").decode()
        assert "demo_pkg/__init__.pyc,sha256=" in record and "__init__.py," not in record
        z.extractall(tmp_path / "site")
    sys.path.insert(0, str(tmp_path / "site"))
    try:
        assert importlib.import_module("demo_pkg").VALUE == 42  # sourceless import works
    finally:
        sys.path.remove(str(tmp_path / "site"))
    # Reproducible: compiling again gives the same bytes (the lock pins their hash).
    again = tmp_path / "again.whl"
    build.compile_archive(str(src), str(again), "/site/")
    assert again.read_bytes() == dst.read_bytes()


def test_wheels_from_a_local_official_pyodide_copy(tmp_path):
    # The carrier package is only the default source: a folder holding the official
    # distribution's wheels works too, and a wheel that differs from the lock is refused.
    import zipfile
    manifest = json.loads(build.MANIFEST.read_text())
    cache = build.cache_dir()
    carrier = cache / manifest["downloads"]["wheels"]["file"]
    if not carrier.exists():
        pytest.skip("needs the download cache: run `python3 build.py` once")
    local = tmp_path / "pyodide-0.27.7"
    local.mkdir()
    with zipfile.ZipFile(carrier) as z:
        prefix = manifest["downloads"]["wheels"]["wheel_dir"]
        for name in z.namelist():
            if name.startswith(prefix) and name.endswith(".whl") and "/" not in name[len(prefix):]:
                (local / name[len(prefix):]).write_bytes(z.read(name))
    out = tmp_path / "dist"
    out.mkdir()
    names = build.build_runtime(out, manifest, local, precompiled=False)
    assert "numpy" in names and "matplotlib" in names and "scipy" not in names
    assert "fonttools" not in names  # left out on purpose (runtime-manifest.json)
    lock = json.loads((out / "pyodide" / "pyodide-lock.json").read_text())
    assert set(lock["packages"]) == set(names)
    for pkg in lock["packages"].values():  # unchanged official wheels, hashes as in the lock
        assert build.sha256_file(out / "pyodide" / pkg["file_name"]) == pkg["sha256"]

    numpy_wheel = next(local.glob("numpy-*.whl"))
    numpy_wheel.write_bytes(numpy_wheel.read_bytes() + b"tampered")
    again = tmp_path / "dist2"
    again.mkdir()
    with pytest.raises(build.BuildError, match=f"(?s)wheel {numpy_wheel.name}.*not the official"):
        build.build_runtime(again, manifest, local, precompiled=False)
