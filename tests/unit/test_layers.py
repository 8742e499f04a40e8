"""The package's layers (py/kmeans_anim/<layer>/): each module imports only from its own layer
or the layers above it, and only the browser glue touches the browser. docs/DESIGN.md,
"Layers and what may import what", describes the same rules."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[2] / "py" / "kmeans_anim"
LAYERS = ("core", "words", "picture", "export", "web")  # top first: a layer imports upwards only
# Outside imports each layer may make, beyond the standard library.
ALLOWED = {
    "core": {"numpy"},
    "words": {"numpy"},
    "picture": {"numpy", "matplotlib"},
    "export": {"numpy", "matplotlib", "PIL"},
    "web": {"numpy", "matplotlib", "js", "pyodide"},
}
MODULES = sorted(p for p in PKG.rglob("*.py") if p.parent != PKG)


def imports_of(path: Path, root: Path = PKG) -> tuple[set[str], set[str]]:
    """(layers of ours imported, top-level outside modules imported) by one module, wherever
    the import statement is (module level or inside a function)."""
    ours, outside = set(), set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level:
            parts = path.relative_to(root).parts[:-1]  # ("core",) for core/engine.py
            base = list(parts[: len(parts) - (node.level - 1)])
            target = base + (node.module.split(".") if node.module else [])
            ours.add(target[0] if target else "")
        elif isinstance(node, ast.ImportFrom):
            name = node.module.split(".")
            (ours.add(name[1]) if name[0] == "kmeans_anim" else outside.add(name[0]))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                name = alias.name.split(".")
                (ours.add(name[1]) if name[0] == "kmeans_anim" else outside.add(name[0]))
    return ours, outside - set(sys.stdlib_module_names) - {"__future__"}


def test_every_module_lives_in_a_layer():
    assert {p.stem for p in PKG.glob("*.py")} == {"__init__"}
    assert {p.parent.name for p in MODULES} == set(LAYERS)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: "/".join(p.relative_to(PKG).parts))
def test_a_module_imports_only_its_own_layer_and_the_layers_above(path):
    layer = path.parent.name
    ours, outside = imports_of(path)
    below = {other for other in ours if LAYERS.index(other) > LAYERS.index(layer)}
    assert not below, f"{path.name} ({layer}) imports {below}, a layer below it"
    assert outside <= ALLOWED[layer], f"{path.name} ({layer}) imports {outside - ALLOWED[layer]}"


def test_the_limits_need_only_the_standard_library():
    # build.py reads core/limits.py on a python3 that may have no numpy.
    ours, outside = imports_of(PKG / "core" / "limits.py")
    assert not ours and not outside
    assert "import" not in (PKG / "core" / "__init__.py").read_text().split('"""')[2]


def test_the_checker_sees_a_wrong_import(tmp_path):
    # A core module importing the browser or the picture is caught (the rule can fail).
    wrong = tmp_path / "kmeans_anim" / "core" / "engine.py"
    wrong.parent.mkdir(parents=True)
    wrong.write_text((PKG / "core" / "engine.py").read_text() + "\nfrom ..picture import view\nimport js\n")
    ours, outside = imports_of(wrong, tmp_path / "kmeans_anim")
    assert "picture" in ours and "js" in outside
