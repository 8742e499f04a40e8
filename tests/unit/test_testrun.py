"""buildtools.testrun: the project virtual environment for the test packages."""

import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from buildtools.testrun import ensure_venv  # noqa: E402


def test_venv_is_made_once_and_reinstalls_only_when_requirements_change(tmp_path, capsys):
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("# nothing to install\n")
    python = ensure_venv(tmp_path / "venv", requirements)
    assert python.exists()
    out = subprocess.run([str(python), "-c", "import sys; print(sys.prefix != sys.base_prefix)"],
                         capture_output=True, text=True).stdout
    assert out.strip() == "True"  # a real venv, never the interpreter that runs build.py
    assert "installing" in capsys.readouterr().out
    ensure_venv(tmp_path / "venv", requirements)
    assert "installing" not in capsys.readouterr().out
    requirements.write_text("# changed\n")
    ensure_venv(tmp_path / "venv", requirements)
    assert "installing" in capsys.readouterr().out
