"""`build.py test`: the test packages live in a project virtual environment, .venv/.

Debian 12 and Ubuntu 24.04 mark their python3 "externally managed" (PEP 668) and refuse
`pip install` into it, so the tests never install into the interpreter that runs build.py:
they make .venv/ once (git-ignored), install requirements-dev.txt into it (again only when
that file changes) and run pytest with the venv's interpreter. The build itself needs only the
standard library and runs wherever build.py runs.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import venv
from pathlib import Path

from . import ROOT, BuildError

VENV = ROOT / ".venv"
REQUIREMENTS = ROOT / "requirements-dev.txt"
STAMP = VENV / ".requirements-sha256"


def venv_python(root: Path = VENV) -> Path:
    return root / "bin" / "python"


def ensure_venv(root: Path = VENV, requirements: Path = REQUIREMENTS) -> Path:
    """The venv's interpreter, with the pinned test packages installed."""
    python = venv_python(root)
    if not python.exists():
        print(f"making the project virtual environment {root.relative_to(ROOT) if root.is_relative_to(ROOT) else root}/")
        try:
            venv.EnvBuilder(with_pip=True).create(root)
        except Exception as e:  # Debian without python3-venv: ensurepip is missing
            raise BuildError(f"could not make {root} ({e}). On Debian/Ubuntu install the venv "
                             f"module first: apt-get install python3-venv")
    stamp = root / STAMP.name
    want = hashlib.sha256(requirements.read_bytes()).hexdigest()
    if not stamp.exists() or stamp.read_text() != want:
        print(f"installing the test packages from {requirements.name} into {root.name}/")
        try:
            subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                            "-r", str(requirements)], check=True)
        except subprocess.CalledProcessError as e:
            raise BuildError(f"pip install into {root} failed (exit {e.returncode})")
        stamp.write_text(want)
    return python


def run_tests(pytest_args: list[str], build) -> int:
    """Build dist/ (with `build`, a no-argument callable), then run pytest in the venv.
    pytest exits 5 when it collected nothing: that is a failure here, never a silent pass."""
    python = ensure_venv()
    build()
    return subprocess.call([str(python), "-m", "pytest", *pytest_args], cwd=ROOT)
