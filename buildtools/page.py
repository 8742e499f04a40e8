"""dist/index.html: site/index.html with the limits and starting values of its numeric controls
written in, from py/kmeans_anim (limits.CONTROLS and the defaults of params.Params).

The page shows its controls (disabled) while the runtime loads, so the limits belong in the
HTML itself; writing them at build time keeps them in one place. The build runs on a plain
python3, which may have no numpy: it imports only kmeans_anim.limits (standard library only)
and reads Params' defaults from params.py's source, where each is a literal.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path
from types import ModuleType

from . import PKG, BuildError

ATTRIBUTES = ("min", "max", "step", "value")


def limits_module() -> ModuleType:
    """kmeans_anim.limits, imported from py/ (as the tests and the page import it)."""
    if str(PKG.parent) not in sys.path:
        sys.path.insert(0, str(PKG.parent))
    from kmeans_anim.core import limits
    return limits


def params_defaults() -> dict[str, object]:
    """The defaults of params.Params, read from its source without importing it (params
    imports numpy). Every default there is a literal; a unit test checks this equals Params()."""
    tree = ast.parse((PKG / "core" / "params.py").read_text())
    cls = next(node for node in tree.body if isinstance(node, ast.ClassDef) and node.name == "Params")
    return {node.target.id: ast.literal_eval(node.value) for node in cls.body
            if isinstance(node, ast.AnnAssign) and node.value is not None}


def write_limits(html: str) -> str:
    """`html` with min, max, step and value written into every control of limits.CONTROLS,
    after its other attributes (its type first: a range's value is read against its limits). Raises BuildError when a control is missing from the HTML or the HTML
    gives it one of these attributes itself (a second, drifting copy)."""
    for control, attributes in limits_module().control_attributes(params_defaults()).items():
        tag = re.search(rf'<input id="{re.escape(control)}"([^>]*)>', html)
        if tag is None:
            raise BuildError(f'site/index.html has no <input id="{control}"> (a control of '
                             f"py/kmeans_anim/core/limits.py CONTROLS): the first attribute of its "
                             f"<input> must be its id")
        own = [a for a in ATTRIBUTES if re.search(rf"\s{a}=", tag.group(1))]
        if own:
            raise BuildError(f"site/index.html gives #{control} its own {', '.join(own)}: the "
                             f"build writes them from py/kmeans_anim/core/limits.py and params.py; "
                             f"remove them from the HTML")
        written = "".join(f' {name}="{value}"' for name, value in attributes.items())
        html = html[:tag.end(1)] + written + html[tag.end(1):]
    return html


def write_page(index: Path) -> None:
    """Write the controls' limits into the built page `index` (dist/index.html) in place."""
    index.write_text(write_limits(index.read_text()))
