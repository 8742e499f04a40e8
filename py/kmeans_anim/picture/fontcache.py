"""A ready-made matplotlib font list, so the page never builds one.

On its first import matplotlib scans every font file to build ``fontlist-v<N>.json``: about a
second in Pyodide, and it may log "Matplotlib is building the font cache" to stderr, which
PyScript paints into the page. The fonts inside Pyodide are exactly the ones shipped in
matplotlib's mpl-data, so the list can be made once, natively, with the same matplotlib version
(3.8.4), and shipped next to this module. Paths in it are relative to mpl-data, which matplotlib
resolves against its own data path when it loads the list.

Where matplotlib looks for the list: upstream, ``$MPLCONFIGDIR/fontlist-v330.json``; Pyodide's
build is patched to read ``matplotlib/fontlist.json`` beside its own source instead (seen in
0.27.7's ``font_manager._load_fontmanager``), and its wheel ships one stamped with version 390,
which 3.8.4 (version 330) rejects and rebuilds. :func:`prepare` writes both, replacing that one.

Call :func:`prepare` before anything imports matplotlib. Regenerate the list with
``python3 py/kmeans_anim/picture/fontcache.py`` under matplotlib 3.8.4.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from pathlib import Path

FONTLIST = Path(__file__).with_name("fontlist-v330.json")
MATPLOTLIB_VERSION = "3.8.4"  # the version whose FontManager.__version__ is 330 and whose fonts are listed


def prepare(config_dir: str = "/tmp/matplotlib") -> None:
    """Point matplotlib at `config_dir` (unless MPLCONFIGDIR is set) holding the shipped list."""
    target = Path(os.environ.setdefault("MPLCONFIGDIR", config_dir))
    target.mkdir(parents=True, exist_ok=True)
    if not (target / FONTLIST.name).exists():
        shutil.copyfile(FONTLIST, target / FONTLIST.name)
    if sys.platform == "emscripten":
        # find_spec locates the package without importing it (importing is what we prepare for).
        package = Path(importlib.util.find_spec("matplotlib").submodule_search_locations[0])
        shutil.copyfile(FONTLIST, package / "fontlist.json")


def regenerate() -> None:
    """Write FONTLIST from the running matplotlib, keeping only fonts inside mpl-data."""
    import matplotlib
    from matplotlib import font_manager

    if matplotlib.__version__ != MATPLOTLIB_VERSION:
        raise SystemExit(f"needs matplotlib {MATPLOTLIB_VERSION}, found {matplotlib.__version__}")
    data = Path(matplotlib.get_data_path())
    fm = font_manager.FontManager()
    fm.ttflist = [f for f in fm.ttflist if Path(f.fname).is_relative_to(data)]
    fm.afmlist = [f for f in fm.afmlist if Path(f.fname).is_relative_to(data)]
    font_manager.json_dump(fm, FONTLIST)
    print(f"wrote {FONTLIST}: {len(fm.ttflist)} TrueType, {len(fm.afmlist)} AFM fonts")


if __name__ == "__main__":
    regenerate()
