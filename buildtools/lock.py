"""Pyodide's lock file (pyodide-lock.json): the dependency closure and a trimmed copy.
Pure functions, tested without the network."""

from __future__ import annotations

from typing import TypedDict

from . import BuildError


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


def python_dirs(lock: Lock) -> tuple[str, str]:
    """(site-packages dir, stdlib zip dir) where Pyodide installs archives at run time, e.g.
    ("/lib/python3.12/site-packages/", "/lib/python312.zip/")."""
    major_minor = lock["info"]["python"].rsplit(".", 1)[0]
    return f"/lib/python{major_minor}/site-packages/", f"/lib/python{major_minor.replace('.', '')}.zip/"
