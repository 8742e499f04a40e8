"""buildtools.manifest: runtime-manifest.json is checked on load, and it is where every version
of the shipped runtime is read (tests included: no test writes a version of its own)."""

import json
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from buildtools import BuildError  # noqa: E402
from buildtools.manifest import load_manifest, manifest_problems, shipped_file, versions  # noqa: E402

MANIFEST = load_manifest()


def test_manifest_pins_every_download_and_every_shipped_archive():
    for entry in MANIFEST["downloads"].values():
        assert len(entry["sha256"]) == 64 and entry["client"] in ("npm", "pip")
        assert any(c in entry["spec"] for c in "@=")  # a version, never "latest"
    # Slimmed archives: the official hash (provenance) and the shipped one, both pinned.
    assert "python_stdlib.zip" in MANIFEST["shipped"]
    for pins in MANIFEST["shipped"].values():
        assert len(pins["official_sha256"]) == 64 and len(pins["shipped_sha256"]) == 64
        assert pins["official_sha256"] != pins["shipped_sha256"]


def edited(change) -> dict:
    data = json.loads(json.dumps(MANIFEST))
    change(data)
    return data


@pytest.mark.parametrize("change, problem", [
    (lambda d: d.pop("packages"), 'the manifest lacks "packages"'),
    (lambda d: d["downloads"]["wheels"].pop("wheel_dir"), 'the manifest "downloads" "wheels" lacks "wheel_dir"'),
    (lambda d: d["downloads"]["pyscript"].update(sha256=None),
     'the manifest "downloads" "pyscript" "sha256" should be a str'),
    (lambda d: d["pyodide_runtime_files"].append(3), 'the manifest "pyodide_runtime_files"[4] should be a str'),
    (lambda d: d["shipped"].update({"x.whl": {"official_sha256": "a"}}),
     'the manifest "shipped" "x.whl" lacks "shipped_sha256"'),
    # A bump that changes the version but not the download (or the other way round).
    (lambda d: d.update(pyodide_version="0.0.1"),
     f'downloads "pyodide" "spec" is \'pyodide@{MANIFEST["pyodide_version"]}\', but "pyodide_version" is \'0.0.1\''),
], ids=["missing", "missing-nested", "mistyped", "list-item", "pin", "pyodide-spec"])
def test_a_broken_manifest_is_named_on_load(tmp_path, change, problem):
    assert manifest_problems(MANIFEST) == []
    assert manifest_problems(edited(change)) == [problem]
    path = tmp_path / "runtime-manifest.json"
    path.write_text(json.dumps(edited(change)))
    with pytest.raises(BuildError, match=re.escape(problem)):
        load_manifest(path)


def test_versions_are_read_from_the_pins():
    v = versions(MANIFEST)
    assert MANIFEST["downloads"]["pyodide"]["spec"] == f"pyodide@{v['pyodide']}"
    assert MANIFEST["downloads"]["pyscript"]["spec"] == f"@pyscript/core@{v['pyscript']}"
    numpy = shipped_file(MANIFEST, "numpy")
    assert numpy.startswith(f"numpy-{v['numpy']}-") and numpy.endswith(".whl")
    assert set(MANIFEST["packages"]) <= set(v)  # every package the page imports is shipped
    with pytest.raises(BuildError, match="ships 0 wheels of 'scipy'"):
        shipped_file(MANIFEST, "scipy")


def test_the_test_environment_pins_the_versions_the_page_ships():
    # CPython tests stand in for the page: the same numpy and matplotlib (and the pillow and
    # pyparsing that matplotlib draws and parses with). A runtime bump must bump these too.
    pins = dict(re.findall(r"^([\w-]+)==(\S+)", (ROOT / "requirements-dev.txt").read_text(), re.M))
    for package in ("numpy", "matplotlib", "pillow", "pyparsing"):
        assert pins[package] == versions(MANIFEST)[package], package
