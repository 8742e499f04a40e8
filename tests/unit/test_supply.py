"""buildtools.supply: hash checks, the download cache."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from buildtools import BuildError  # noqa: E402
from buildtools.supply import check_sha256, fetch, sha256_bytes  # noqa: E402


def test_hash_mismatch_names_the_file_and_the_fix():
    with pytest.raises(BuildError) as e:
        check_sha256(b"data", "0" * 64, "cached file X.tgz", "Delete it and build again.")
    assert "cached file X.tgz" in str(e.value) and "Delete it" in str(e.value)
    check_sha256(b"data", sha256_bytes(b"data"), "x", "y")  # a match passes


def test_corrupt_cached_download_stops_the_build(tmp_path):
    entry = {"client": "npm", "spec": "pkg@1", "file": "pkg-1.tgz", "sha256": sha256_bytes(b"good")}
    (tmp_path / "pkg-1.tgz").write_bytes(b"tampered")
    with pytest.raises(BuildError) as e:
        fetch(entry, tmp_path)
    assert str(tmp_path / "pkg-1.tgz") in str(e.value) and "rm " in str(e.value)

