"""dist/index.html: site/index.html with the limits and starting values of its numeric controls
written in, from py/kmeans_anim (limits.CONTROLS and the defaults of params.Params), and a check
box for each overlay (limits.OVERLAYS) in the drawing options.

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


OVERLAY_MARK = re.compile(r"^( *)<!-- overlays: [^>]*-->\n", re.M)


def write_overlays(html: str) -> str:
    """`html` with the mark `<!-- overlays: ... -->` replaced by one check box per overlay of
    limits.OVERLAYS, in order, checked when on by default, disabled until Python is up (as
    every control is). Raises BuildError when the mark is missing or an overlay's check box is
    also written by hand."""
    mark = OVERLAY_MARK.search(html)
    if mark is None:
        raise BuildError("site/index.html has no <!-- overlays: ... --> mark in its drawing "
                         "options: the build writes the overlays' check boxes there")
    indent, boxes = mark.group(1), []
    for overlay in limits_module().OVERLAYS:
        if f'id="{overlay.name}"' in html:
            raise BuildError(f'site/index.html has its own #{overlay.name}: the build writes the '
                             f"overlays' check boxes from py/kmeans_anim/core/limits.py OVERLAYS")
        checked = " checked" if overlay.default else ""
        boxes.append(f'{indent}<label class="check"><input id="{overlay.name}" type="checkbox"'
                     f"{checked} disabled> {overlay.words}</label>\n")
    return html[:mark.start()] + "".join(boxes) + html[mark.end():]


def write_page(index: Path) -> None:
    """Write the controls' limits and the overlays' check boxes into the built page `index`
    (dist/index.html) in place."""
    index.write_text(write_overlays(write_limits(index.read_text())))
