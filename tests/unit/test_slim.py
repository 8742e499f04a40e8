"""buildtools.slim: what the shipped archives leave out, and the trace check."""

import io
import sys
import zipfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from buildtools.manifest import load_manifest, shipped_file  # noqa: E402
from buildtools.slim import (Rule, is_removed, module_name, removed_record, rule_for,  # noqa: E402
                             slim_archive, touched_removed)

MANIFEST = load_manifest()
MPL = shipped_file(MANIFEST, "matplotlib")


@pytest.mark.parametrize("member, removed", [
    ("matplotlib/mpl-data/fonts/ttf/DejaVuSans.ttf", False),
    ("matplotlib/mpl-data/fonts/ttf/DejaVuSans-Bold.ttf", False),
    ("matplotlib/mpl-data/fonts/ttf/DejaVuSerif.ttf", True),
    ("matplotlib/mpl-data/fonts/afm/pagd8a.afm", True),
    ("matplotlib/backends/backend_agg.py", False),
    ("matplotlib/backends/_backend_agg.cpython-312-wasm32-emscripten.so", False),
    ("matplotlib/backends/backend_pdf.py", True),
    ("matplotlib/backends/qt_editor/figureoptions.py", True),
    ("matplotlib/patheffects.py", True),  # the page outlines no text
    ("matplotlib/animation.py", True),
    ("matplotlib/colors.py", False),
    ("matplotlib/pyplot.py", True),
    ("matplotlib/tri/_triangulation.py", False),  # matplotlib imports matplotlib.tri
    ("matplotlib/_tri.cpython-312-wasm32-emscripten.so", True),
    ("matplotlib/image.py", False),
    ("matplotlib/markers.py", False),
    ("matplotlib/tests/test_axes.py", True),
    ("mpl_toolkits/mplot3d/axes3d.py", False),  # matplotlib.projections imports it
    ("mpl_toolkits/axes_grid1/axes_size.py", True),
    ("matplotlib/mpl-data/matplotlibrc", False),
    ("matplotlib/mpl-data/sample_data/goog.npz", True),
], ids=lambda v: str(v))
def test_matplotlib_keeps_what_the_page_draws_with(member, removed):
    assert is_removed(rule_for(MPL), member) is removed


def test_numpy_and_stdlib_rules():
    numpy = rule_for(shipped_file(MANIFEST, "numpy"))
    assert is_removed(numpy, "numpy/f2py/crackfortran.py")
    assert is_removed(numpy, "numpy/_core/tests/test_api.py")
    assert is_removed(numpy, "numpy/__init__.pyi")
    assert not is_removed(numpy, "numpy/random/_generator.cpython-312-wasm32-emscripten.so")
    assert not is_removed(numpy, "numpy/ma/core.py") and is_removed(numpy, "numpy/fft/_pocketfft.py")
    # numpy's own import loads _multiarray_tests (numpy/_core/_add_newdocs.py): it stays.
    assert not is_removed(numpy, "numpy/_core/_multiarray_tests.cpython-312-wasm32-emscripten.so")
    assert is_removed(numpy, "numpy/_core/_umath_tests.cpython-312-wasm32-emscripten.so")
    pillow = rule_for(shipped_file(MANIFEST, "pillow"))
    assert not is_removed(pillow, "PIL/GifImagePlugin.py") and not is_removed(pillow, "PIL/PngImagePlugin.py")
    assert is_removed(pillow, "PIL/_webp.cpython-312-wasm32-emscripten.so")
    # Image.preinit() imports the JPEG and BMP plug-ins when any image is saved: they stay.
    assert not is_removed(pillow, "PIL/JpegImagePlugin.py") and not is_removed(pillow, "PIL/BmpImagePlugin.py")
    assert is_removed(pillow, "PIL/TiffImagePlugin.py") and is_removed(pillow, "PIL/ImageFont.py")
    packaging = rule_for(shipped_file(MANIFEST, "packaging"))
    assert not is_removed(packaging, "packaging/version.py")  # matplotlib checks versions with it
    assert not is_removed(packaging, "packaging/_structures.py")  # packaging.version imports it
    assert is_removed(packaging, "packaging/specifiers.py")
    stdlib = rule_for("python_stdlib.zip")
    assert is_removed(stdlib, "unittest/mock.py") and not is_removed(stdlib, "asyncio/tasks.py")
    assert is_removed(stdlib, "zoneinfo/_zoneinfo.py") and not is_removed(stdlib, "email/message.py")
    for kept in ("utf_16", "utf_16_le", "utf_8_sig", "latin_1", "cp437", "aliases", "__init__"):
        assert not is_removed(stdlib, f"encodings/{kept}.py")  # uploads' encodings, zip names
    assert is_removed(stdlib, "encodings/cp1252.py") and is_removed(stdlib, "encodings/shift_jis.py")
    assert rule_for(shipped_file(MANIFEST, "six")) is None  # shipped whole


def zip_of(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return out.getvalue()


def test_slim_archive_drops_members_and_their_record_lines_reproducibly():
    rule = Rule("demo-*.whl", {"demo/tests/*": "tests"})
    data = zip_of({"demo/__init__.py": b"x = 1", "demo/tests/test_x.py": b"assert 1",
                   "demo-1.dist-info/RECORD": b"demo/__init__.py,sha256=a,5\ndemo/tests/test_x.py,sha256=b,8\n"})
    slimmed, removed = slim_archive(data, rule)
    assert removed == ["demo/tests/test_x.py"]
    with zipfile.ZipFile(io.BytesIO(slimmed)) as z:
        assert z.namelist() == ["demo/__init__.py", "demo-1.dist-info/RECORD"]
        assert z.read("demo-1.dist-info/RECORD") == b"demo/__init__.py,sha256=a,5\n"
    assert slim_archive(data, rule)[0] == slimmed


@pytest.mark.parametrize("member, module", [
    ("a/b/__init__.py", "a.b"), ("a/b/c.py", "a.b.c"), ("a/b/c.pyc", "a.b.c"),
    ("a/_c.cpython-312-wasm32-emscripten.so", "a._c"), ("a/data.json", None), ("a/x.pyi", None),
    ("mpl-data/x.py", None),
])
def test_module_name_of_a_member(member, module):
    assert module_name(member) == module


def test_trace_check_flags_every_use_of_something_removed():
    removed = removed_record(["pkg/tests/t.py", "pkg/fonts/afm/a.afm", "pkg/fonts/ttf/Serif.ttf"],
                             "/site/", kept=["pkg/__init__.py", "pkg/fonts/ttf/Sans.ttf"])
    assert removed["dirs"] == ["/site/pkg/fonts/afm", "/site/pkg/tests"]
    assert removed["modules"] == ["pkg.tests.t"]
    events = [["import", "pkg"], ["import", "pkg.tests.t"], ["open", "/site/pkg/fonts/ttf/Sans.ttf"],
              ["open", "/site/pkg/fonts/ttf/Serif.ttf"], ["listdir", "/site/pkg/fonts/afm"],
              ["open", "/site/pkg/tests/t.pyc"], ["listdir", "/site/pkg/fonts/ttf"]]
    assert touched_removed(events, removed) == [
        "import pkg.tests.t", "listdir /site/pkg/fonts/afm", "open /site/pkg/fonts/ttf/Serif.ttf",
        "open /site/pkg/tests/t.pyc"]
    assert touched_removed(events[:1] + events[2:3] + events[-1:], removed) == []
