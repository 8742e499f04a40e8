"""Which controls can be used when: one table, the page's stage -> its enabled controls.
Pure (the browser glue, web.controls.Controls.show_enabled, applies it to the page).

Stages: "loading" (Python is starting: site/index.html has every control below disabled),
"ready" (no run shown yet), "run" (a run on screen), "after a run" (none on screen any more,
say the points changed: RETRY still runs the points of the last run). Across every stage a data
control is off when the data set does not listen to it (params.uses), and the GIF button is off
while a GIF is being made.
"""

from __future__ import annotations

# The settings panel, GO and the link: usable as soon as Python is up.
SETTINGS = ("n", "k", "std", "centers", "noise", "dataset", "init", "empty", "theme",
            "max_iter", "tol", "seed", "paths", "regions", "changed", "links", "shapes", "reseed",
            "speed", "n-number", "new-seed", "go", "copy-link", "n_init", "race-open")
PLAYBACK = ("play", "step-back", "step-forward", "restart", "scrubber")
#: The export buttons under "Save and share": button id -> the web.exports.Exports method its
#: click calls (web/page.py binds them from here), in the page's order.
EXPORTS = {"save-png": "png", "save-csv": "csv", "save-table": "labelled_table",
           "save-gif": "gif", "copy-python": "python"}
#: Which start? How many clusters? (issue 17): they run on the points of the last run.
TEACH = ("best-of", "elbow")

ENABLED = {
    "loading": (),
    "ready": SETTINGS,
    "run": (*SETTINGS, "retry", *PLAYBACK, *EXPORTS, *TEACH),
    "after a run": (*SETTINGS, "retry", *TEACH),
}
#: Every control the table governs.
CONTROLS = ENABLED["run"]
#: The data controls, and the data parameter (params.uses) each one sets.
DATA = {"n": "n", "n-number": "n", "centers": "centers", "std": "std", "noise": "noise"}


def without_run(stage: str) -> str:
    """The stage once the run on screen is gone (its points changed, or centroids are to be
    placed by hand before the next)."""
    return "after a run" if stage == "run" else stage


def enabled(stage: str, used: set[str], making_gif: bool = False) -> frozenset[str]:
    """The controls enabled in `stage`, given the data parameters the data set listens to
    (`used`, from params.uses) and whether a GIF is being made."""
    on = set(ENABLED[stage]) - {name for name, param in DATA.items() if param not in used}
    if making_gif:
        on.discard("save-gif")
    return frozenset(on)
