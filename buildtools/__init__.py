"""The build's jobs, one module each; `build.py` is the command line over them.

    manifest       runtime-manifest.json, typed and checked; the versions it pins
    supply         pinned downloads (npm pack / pip download), the cache, sha256 checks
    lock           the Pyodide lock: dependency closure, trimmed copy
    slim           what the shipped archives leave out, and the check that the page never needs it
    precompile     byte-compiles archives with Pyodide itself under Node.js (precompile.mjs runs
                   compile_archive.py inside Pyodide)
    runtime        dist/pyscript and dist/pyodide: verified, slimmed, byte-compiled
    page           dist/index.html: the controls' limits written in from py/kmeans_anim/core/limits.py
    assemble       the whole dist/: runtime + site/ + the package zip, build stamp
    single_file    dist/kmeans-anim.html, the page in one file that opens from disk (offline.js)
    server         the static server: gzip like a static host, optional CSP, test trace sink
    testrun        the project virtual environment (.venv/) and pytest inside it
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DIST = ROOT / "dist"
SITE = ROOT / "site"
PKG = ROOT / "py" / "kmeans_anim"
MANIFEST = ROOT / "runtime-manifest.json"


class BuildError(Exception):
    """A build step failed for a reason the user can act on; the message says how."""
