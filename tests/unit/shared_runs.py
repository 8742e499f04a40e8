"""Fixtures shared by unit tests (imported by name: a conftest.py here would shadow
tests/e2e/conftest.py, which the e2e tests import as `conftest`)."""

from __future__ import annotations

import pytest

from kmeans_anim.core.params import Params
from kmeans_anim.core.player import Timeline
from kmeans_anim.core.session import Session


@pytest.fixture(scope="module")
def recolouring():
    """(run, Timeline) of a finished run of 40 points whose assignments after the first
    recolour points: 11 half-steps, init / assign / update / assign first."""
    s = Session()
    run = s.go(Params(n=40, k=3, seed=16))
    assert [st.kind for st in run.steps[:4]] == ["init", "assign", "update", "assign"]
    assert run.steps[3].changed > 0 and run.steps[-1].kind == "update"
    return run, Timeline(run)

