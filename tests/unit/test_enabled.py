"""Which controls are enabled in which stage of the page (words/enabled.py)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from kmeans_anim.words.enabled import CONTROLS, EXPORTS, PLAYBACK, SETTINGS, enabled, without_run

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from buildtools.page import write_overlays  # noqa: E402

# The page as built: the overlays' check boxes are written in by the build.
HTML = write_overlays((ROOT / "site" / "index.html").read_text())
BLOBS = {"n", "std"}                  # what params.uses gives for blobs-like data sets
ALL_DATA = {"n", "centers", "std", "noise"}


def disabled_in_html() -> set[str]:
    tags = re.findall(r"<(?:input|button|select|textarea)[^>]*>", HTML)
    return {re.search(r'id="([^"]+)"', t).group(1) for t in tags if re.search(r"\bdisabled\b", t)}


def test_the_table_governs_every_control_the_page_starts_with_disabled():
    # While Python loads nothing can be used; each of those controls is named by the table.
    assert disabled_in_html() == set(CONTROLS)
    assert enabled("loading", ALL_DATA) == frozenset()


def test_before_any_run_the_settings_and_go_work_and_nothing_about_a_run_does():
    on = enabled("ready", ALL_DATA)
    assert on == set(SETTINGS) and "go" in on
    assert not on & {"retry", *PLAYBACK, *EXPORTS}


def test_a_run_on_screen_can_be_played_retried_and_saved():
    assert enabled("run", ALL_DATA) == set(CONTROLS)


def test_once_the_run_is_gone_retry_stays_and_playback_and_exports_go():
    assert without_run("run") == "after a run"
    on = enabled("after a run", ALL_DATA)
    assert "retry" in on and not on & {*PLAYBACK, *EXPORTS}
    assert without_run("ready") == "ready" and without_run("after a run") == "after a run"


def test_a_data_control_the_data_set_ignores_is_off_in_every_stage():
    for stage in ("ready", "run", "after a run"):
        on = enabled(stage, BLOBS)
        assert {"n", "n-number", "std"} <= on and not on & {"centers", "noise"}
        assert not enabled(stage, set()) & {"n", "n-number", "centers", "std", "noise"}


def test_the_gif_button_is_off_while_a_gif_is_made():
    assert enabled("run", ALL_DATA, making_gif=True) == set(CONTROLS) - {"save-gif"}


def test_each_export_button_is_on_the_page_and_calls_a_method_of_the_exports():
    # enabled.EXPORTS is the one list of export buttons: web/page.py binds each click to the
    # web.exports.Exports method it names (that module imports js, so it is read, not imported).
    import ast
    tree = ast.parse((ROOT / "py" / "kmeans_anim" / "web" / "exports.py").read_text())
    exports = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Exports")
    methods = {n.name for n in exports.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    for button, method in EXPORTS.items():
        assert re.search(rf'<button id="{button}"', HTML), button
        assert method in methods, (button, method)
