"""buildtools.lock: dependency closure and trimmed lock."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from buildtools import BuildError  # noqa: E402
from buildtools.lock import dependency_closure, python_dirs, trim_lock  # noqa: E402

LOCK = {"info": {"version": "0.27.7", "python": "3.12.7"}, "packages": {
    "matplotlib": {"name": "matplotlib", "depends": ["numpy", "pillow", "six"], "file_name": "m.whl", "sha256": "a"},
    "numpy": {"name": "numpy", "depends": [], "file_name": "n.whl", "sha256": "b"},
    "pillow": {"name": "pillow", "depends": ["six"], "file_name": "p.whl", "sha256": "c"},
    "six": {"name": "six", "depends": [], "file_name": "s.whl", "sha256": "d"},
    "scipy": {"name": "scipy", "depends": ["numpy"], "file_name": "sc.whl", "sha256": "e"},
}}


def test_closure_walks_depends_transitively_and_only_those():
    assert dependency_closure(LOCK, ["matplotlib"]) == ["matplotlib", "numpy", "pillow", "six"]
    assert dependency_closure(LOCK, ["numpy"]) == ["numpy"]


def test_closure_names_a_missing_package():
    with pytest.raises(BuildError, match="'nope'"):
        dependency_closure(LOCK, ["nope"])


def test_trimmed_lock_lists_exactly_the_closure():
    trimmed = trim_lock(LOCK, ["numpy", "six"])
    assert set(trimmed["packages"]) == {"numpy", "six"}
    assert trimmed["info"] == LOCK["info"]


def test_trimmed_lock_forgets_packages_left_out():
    trimmed = trim_lock(LOCK, ["matplotlib", "numpy", "pillow"])  # six left out
    assert trimmed["packages"]["matplotlib"]["depends"] == ["numpy", "pillow"]
    assert trimmed["packages"]["pillow"]["depends"] == []
    assert LOCK["packages"]["pillow"]["depends"] == ["six"]  # the input is not modified


def test_python_dirs_follow_the_locks_python_version():
    assert python_dirs(LOCK) == ("/lib/python3.12/site-packages/", "/lib/python312.zip/")
