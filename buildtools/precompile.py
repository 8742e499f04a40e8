"""Byte-compile archives with Pyodide itself under Node.js, cached by input hash."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

from . import BuildError
from .supply import cache_dir, sha256_file

HERE = Path(__file__).resolve().parent
# As `python -OO`: no docstrings, no asserts, which takes a fifth to a third off the byte code,
# so off every download and every unmarshal (numpy and matplotlib support -OO). One exception:
# numpy's C add_docstring accepts a missing docstring only when the interpreter itself runs -OO,
# which the page's does not, and numpy hands it the docstrings of the dispatchers defined in
# multiarray.py: that module keeps them. Our own package (which reads no docstring and has no
# assert) is compiled the same way.
OPTIMIZE = 2
KEEP_DOCSTRINGS = ["numpy/_core/multiarray.py"]


def precompile(py_out: Path, jobs: list[tuple[str, str]], folder: Path | None = None) -> dict[str, str]:
    """Replace archives in `folder` (default `py_out`) by copies byte-compiled (at OPTIMIZE) by
    the Pyodide in `py_out`: the interpreter the page runs, so the byte code is always of its
    Python version (the system python3 that runs the build may be another).

    jobs: (file name in folder, install prefix). Results are cached by input sha256 in the
    download cache, so only the first build of an archive needs Node.js for this. Returns
    {file name: sha256}.
    """
    folder = folder or py_out
    cache = cache_dir() / "pyc"
    cache.mkdir(parents=True, exist_ok=True)
    cached = {name: cache / f"{sha256_file(folder / name)[:16]}-O{OPTIMIZE}-{name}" for name, _ in jobs}
    todo = [(name, prefix) for name, prefix in jobs if not cached[name].exists()]
    if todo:
        print(f"  byte-compiling {', '.join(n for n, _ in todo)} with Pyodide under Node.js (cached afterwards)")
        # A folder of its own: builds of other work trees may share the cache and run at once.
        work = Path(tempfile.mkdtemp(prefix="work-", dir=cache))
        try:
            for name, _ in todo:
                shutil.copyfile(folder / name, work / name)
            args = work / "args.json"
            args.write_text(json.dumps({
                "module": (py_out / "pyodide.mjs").as_uri(),
                "index": str(py_out) + "/",
                "work": str(work),
                "script": str(HERE / "compile_archive.py"),
                "jobs": [(f"/work/{n}", f"/work/{n}.out", prefix, OPTIMIZE, KEEP_DOCSTRINGS)
                         for n, prefix in todo],
            }))
            try:
                subprocess.run(["node", str(HERE / "precompile.mjs"), str(args)], check=True,
                               stdout=subprocess.DEVNULL)
            except FileNotFoundError:
                raise BuildError("`node` is not installed; the first build needs Node.js to byte-compile "
                                 "the Python packages (later builds use the cache).")
            except subprocess.CalledProcessError as e:
                raise BuildError(f"byte-compiling with Pyodide under Node.js failed (exit {e.returncode})")
            for name, _ in todo:
                (work / f"{name}.out").replace(cached[name])
        finally:
            shutil.rmtree(work, ignore_errors=True)
    hashes = {}
    for name, _ in jobs:
        shutil.copyfile(cached[name], folder / name)
        hashes[name] = sha256_file(folder / name)
    return hashes
