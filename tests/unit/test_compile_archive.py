"""buildtools/compile_archive.py, run here with CPython's compiler; the build runs it in Pyodide."""

import importlib
import sys
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from buildtools.compile_archive import compile_archive  # noqa: E402


def test_compile_archive_swaps_source_for_byte_code_that_imports(tmp_path):
    src, dst = tmp_path / "pkg.whl", tmp_path / "out.whl"
    with zipfile.ZipFile(src, "w") as z:
        z.writestr("demo_pkg/__init__.py", "VALUE = 6 * 7\n")
        z.writestr("demo_pkg/data.txt", "kept as is")
        z.writestr("demo_pkg/py2_only.py", "print 'old syntax'\n")
        z.writestr("demo_pkg-1.0.dist-info/RECORD", "demo_pkg/__init__.py,sha256=x,14\n")
    assert compile_archive(str(src), str(dst), "/site/") == 1
    with zipfile.ZipFile(dst) as z:
        names = set(z.namelist())
        assert {"demo_pkg/__init__.pyc", "demo_pkg/data.txt", "demo_pkg/py2_only.py"} <= names
        assert "demo_pkg/__init__.py" not in names
        record = z.read("demo_pkg-1.0.dist-info/RECORD").decode()
        assert "demo_pkg/__init__.pyc,sha256=" in record and "__init__.py," not in record
        z.extractall(tmp_path / "site")
    sys.path.insert(0, str(tmp_path / "site"))
    try:
        assert importlib.import_module("demo_pkg").VALUE == 42  # sourceless import works
    finally:
        sys.path.remove(str(tmp_path / "site"))
    # Reproducible: compiling again gives the same bytes (the lock pins their hash).
    again = tmp_path / "again.whl"
    compile_archive(str(src), str(again), "/site/")
    assert again.read_bytes() == dst.read_bytes()


def test_optimize_2_drops_docstrings_and_asserts(tmp_path):
    src, dst = tmp_path / "pkg.whl", tmp_path / "out.whl"
    with zipfile.ZipFile(src, "w") as z:
        z.writestr("doc_pkg/__init__.py", '"""A long docstring."""\ndef f():\n    assert False\n    return 1\n')
        z.writestr("doc_pkg/kept.py", '"""Needed at run time."""\n')
    compile_archive(str(src), str(dst), "/site/", optimize=2, keep_docstrings=("doc_pkg/kept.py",))
    with zipfile.ZipFile(dst) as z:
        z.extractall(tmp_path / "site")
    sys.path.insert(0, str(tmp_path / "site"))
    try:
        module = importlib.import_module("doc_pkg")
        assert module.__doc__ is None and module.f() == 1
        assert importlib.import_module("doc_pkg.kept").__doc__ == "Needed at run time."
    finally:
        sys.path.remove(str(tmp_path / "site"))
