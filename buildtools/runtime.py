"""dist/pyscript and dist/pyodide: the vendored runtime, verified, slimmed and byte-compiled."""

from __future__ import annotations

import io
import json
import tarfile
import zipfile
from pathlib import Path

from . import BuildError
from .lock import Lock, dependency_closure, python_dirs, trim_lock
from .manifest import Manifest
from .precompile import precompile
from .slim import pyscript_left_out, removed_record, rule_for, slim_archive
from .supply import cache_dir, check_sha256, fetch, sha256_file, tar_member, wheel_source


def copy_pyscript(pyscript_tgz: Path, ps_out: Path, slimmed: bool = True) -> None:
    """PyScript's built bundle only (source maps are for PyScript's own debugging), less the
    chunks of features the page does not use (slim.PYSCRIPT_LEFT_OUT)."""
    ps_out.mkdir(parents=True)
    with tarfile.open(pyscript_tgz, "r:gz") as tar:
        for m in tar.getmembers():
            name = Path(m.name).name
            if (m.isfile() and m.name.startswith("package/dist/") and not name.endswith(".map")
                    and not (slimmed and pyscript_left_out(name))):
                (ps_out / name).write_bytes(tar.extractfile(m).read())


def build_runtime(out: Path, manifest: Manifest, pyodide_dir: Path | None, precompiled: bool = True,
                  slimmed: bool = True) -> dict:
    """Write out/pyscript and out/pyodide. Returns what build-info.json records: the package
    names shipped and, per slimmed archive, its official and shipped sha256 and what it left out.

    Every wheel is checked against the official lock before anything is derived from it; the
    trimmed lock pins the shipped bytes, which Pyodide verifies when it loads them. A default
    build (slimmed + byte-compiled) must also reproduce the shipped hashes pinned in
    runtime-manifest.json ("shipped"); `python3 build.py --pin` records new ones after a change
    of the slimming rules.
    """
    cache = cache_dir()
    pyodide_tgz = fetch(manifest["downloads"]["pyodide"], cache)
    copy_pyscript(fetch(manifest["downloads"]["pyscript"], cache), out / "pyscript", slimmed)

    py_out = out / "pyodide"
    py_out.mkdir(parents=True)
    for name in manifest["pyodide_runtime_files"]:
        (py_out / name).write_bytes(tar_member(pyodide_tgz, name))

    lock: Lock = json.loads(tar_member(pyodide_tgz, "pyodide-lock.json"))
    if lock["info"]["version"] != manifest["pyodide_version"]:
        raise BuildError(f"the pinned pyodide tarball has lock version {lock['info']['version']}")
    left_out = set(manifest.get("left_out", {})) - {"comment"}
    names = [n for n in dependency_closure(lock, manifest["packages"]) if n not in left_out]
    read, source = wheel_source(manifest, cache, pyodide_dir)
    print(f"  {len(names)} wheels from {source}, each checked against the official lock")
    official: dict[str, str] = {}
    for name in names:
        pkg = lock["packages"][name]
        data = read(pkg["file_name"])
        check_sha256(data, pkg["sha256"], f"wheel {pkg['file_name']} from {source}",
                     "It is not the official Pyodide wheel; the build refuses it.")
        (py_out / pkg["file_name"]).write_bytes(data)
        official[pkg["file_name"]] = pkg["sha256"]
    official["python_stdlib.zip"] = sha256_file(py_out / "python_stdlib.zip")  # pinned by the tarball

    site_packages, stdlib = python_dirs(lock)
    prefixes = {f: site_packages for f in official} | {"python_stdlib.zip": stdlib}
    slim_info: dict[str, dict] = {}
    if slimmed:
        for file_name in official:
            rule = rule_for(file_name)
            if rule is None:
                continue
            data, removed = slim_archive((py_out / file_name).read_bytes(), rule)
            (py_out / file_name).write_bytes(data)
            kept = zipfile.ZipFile(io.BytesIO(data)).namelist()
            slim_info[file_name] = {"removed": removed_record(removed, prefixes[file_name], kept)}
    trimmed = trim_lock(lock, names)
    (py_out / "pyodide-lock.json").write_text(json.dumps(trimmed, indent=1))  # Pyodide boots with it
    shipped = {f: sha256_file(py_out / f) for f in official}
    if precompiled:
        shipped = precompile(py_out, list(prefixes.items()))
    for f in official:
        slim_info.setdefault(f, {})
        slim_info[f] = {"official_sha256": official[f], "shipped_sha256": shipped[f], **slim_info[f]}

    trimmed["packages"] = {n: {**p, "sha256": shipped[p["file_name"]]} for n, p in trimmed["packages"].items()}
    (py_out / "pyodide-lock.json").write_text(json.dumps(trimmed, indent=1))
    return {"wheels": names, "archives": slim_info}


def check_pinned(manifest: Manifest, archives: dict) -> list[str]:
    """Archives whose shipped sha256 differs from the pin in runtime-manifest.json."""
    pins = manifest.get("shipped", {})
    return [f"{f}: built {a['shipped_sha256']}, pinned {pins.get(f, {}).get('shipped_sha256')}"
            for f, a in archives.items() if pins.get(f, {}).get("shipped_sha256") != a["shipped_sha256"]]


def pins(archives: dict) -> dict:
    """The "shipped" section of runtime-manifest.json for these archives."""
    return {f: {"official_sha256": a["official_sha256"], "shipped_sha256": a["shipped_sha256"]}
            for f, a in sorted(archives.items())}

