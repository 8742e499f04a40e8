"""buildtools.runtime: the vendored runtime from the verified official archives."""

import json
import sys
import zipfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from buildtools import BuildError  # noqa: E402
from buildtools.manifest import load_manifest  # noqa: E402
from buildtools.runtime import build_runtime, check_pinned  # noqa: E402
from buildtools.supply import cache_dir, sha256_file  # noqa: E402


@pytest.fixture(scope="module")
def local_pyodide(tmp_path_factory):
    """A folder laid out like the official Pyodide distribution (wheels beside each other)."""
    manifest = load_manifest()
    carrier = cache_dir() / manifest["downloads"]["wheels"]["file"]
    if not carrier.exists():
        pytest.skip("needs the download cache: run `python3 build.py` once")
    local = tmp_path_factory.mktemp(f"pyodide-{manifest['pyodide_version']}")
    prefix = manifest["downloads"]["wheels"]["wheel_dir"]
    with zipfile.ZipFile(carrier) as z:
        for name in z.namelist():
            if name.startswith(prefix) and name.endswith(".whl") and "/" not in name[len(prefix):]:
                (local / name[len(prefix):]).write_bytes(z.read(name))
    return local


def test_wheels_from_a_local_official_pyodide_copy_are_slimmed_and_pinned(tmp_path, local_pyodide):
    # The carrier package is only the default source: a folder holding the official
    # distribution's wheels works too.
    manifest = load_manifest()
    out = tmp_path / "dist"
    out.mkdir()
    info = build_runtime(out, manifest, local_pyodide, precompiled=False)
    names = info["wheels"]
    assert "numpy" in names and "matplotlib" in names and "scipy" not in names
    assert "fonttools" not in names  # left out on purpose (runtime-manifest.json)
    lock = json.loads((out / "pyodide" / "pyodide-lock.json").read_text())
    assert set(lock["packages"]) == set(names)
    for pkg in lock["packages"].values():  # the lock pins exactly the bytes shipped
        assert sha256_file(out / "pyodide" / pkg["file_name"]) == pkg["sha256"]
    mpl = next(f for f in info["archives"] if f.startswith("matplotlib-"))
    record = info["archives"][mpl]
    assert record["official_sha256"] == manifest["shipped"][mpl]["official_sha256"]
    with zipfile.ZipFile(out / "pyodide" / mpl) as z:
        shipped = set(z.namelist())
    removed = {f.split("site-packages/", 1)[1] for f in record["removed"]["files"]}
    assert "matplotlib/mpl-data/fonts/ttf/DejaVuSans.ttf" in shipped
    assert "matplotlib/backends/backend_agg.py" in shipped
    assert "matplotlib/mpl-data/fonts/ttf/DejaVuSerif.ttf" in removed
    assert not removed & shipped


def test_a_wheel_that_differs_from_the_official_lock_is_refused(tmp_path, local_pyodide):
    numpy_wheel = next(local_pyodide.glob("numpy-*.whl"))
    original = numpy_wheel.read_bytes()
    numpy_wheel.write_bytes(original + b"tampered")
    try:
        with pytest.raises(BuildError, match=f"(?s)wheel {numpy_wheel.name}.*not the official"):
            build_runtime(tmp_path, load_manifest(), local_pyodide, precompiled=False)
    finally:
        numpy_wheel.write_bytes(original)


def test_shipped_hashes_that_drift_from_the_pins_are_named():
    manifest = {"shipped": {"a.whl": {"shipped_sha256": "1" * 64}}}
    built = {"a.whl": {"shipped_sha256": "2" * 64}, "b.whl": {"shipped_sha256": "3" * 64}}
    problems = check_pinned(manifest, built)
    assert len(problems) == 2 and problems[0].startswith("a.whl: built 222")
    assert check_pinned({"shipped": {"a.whl": built["a.whl"]}}, {"a.whl": built["a.whl"]}) == []

