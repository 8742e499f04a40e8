"""fontcache: the shipped font list is what the shipped matplotlib would build, and it gets used."""

import json
import os
import subprocess
import sys
from pathlib import Path

import matplotlib
import pytest

from kmeans_anim.picture import fontcache

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from buildtools.manifest import load_manifest, versions  # noqa: E402


def test_the_list_is_made_for_the_matplotlib_the_page_ships():
    # A bump of matplotlib (runtime-manifest.json) needs a new list: regenerate it with
    # `python3 py/kmeans_anim/picture/fontcache.py` under that version, and set MATPLOTLIB_VERSION.
    assert fontcache.MATPLOTLIB_VERSION == versions(load_manifest())["matplotlib"]


@pytest.mark.skipif(matplotlib.__version__ != fontcache.MATPLOTLIB_VERSION,
                    reason=f"the list describes matplotlib {fontcache.MATPLOTLIB_VERSION}'s own fonts")
def test_list_names_exactly_the_fonts_in_mpl_data():
    listed = json.loads(fontcache.FONTLIST.read_text())
    data = Path(matplotlib.get_data_path())
    files = {str(p.relative_to(data)) for p in (data / "fonts").rglob("*") if p.suffix in (".ttf", ".afm")}
    names = {e["fname"] for e in listed["ttflist"] + listed["afmlist"]}
    assert names == files
    assert listed["_version"] == 330


def test_prepared_list_is_loaded_instead_of_scanning(tmp_path):
    # A fresh interpreter: prepare(), then import matplotlib; it must take our list (no system
    # fonts, nothing rebuilt), as the page does in Pyodide.
    code = ("from kmeans_anim.picture import fontcache; fontcache.prepare(); "
            "from matplotlib import font_manager as fm; "
            "print(len(fm.fontManager.ttflist), all('mpl-data' in f.fname for f in fm.fontManager.ttflist))")
    env = {k: v for k, v in os.environ.items() if k != "MPLCONFIGDIR"}
    env |= {"MPLCONFIGDIR": str(tmp_path), "PYTHONPATH": str(ROOT / "py")}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    count = len(json.loads(fontcache.FONTLIST.read_text())["ttflist"])
    assert out.stdout.split() == [str(count), "True"]
    assert out.stderr == ""
    assert (tmp_path / fontcache.FONTLIST.name).exists()
