"""The single file (dist/kmeans-anim.html): opened from disk, alone, with no network."""

from __future__ import annotations

import shutil
import urllib.request

import numpy as np
import pytest
from conftest import snapshot, wait_done, wait_ready_page, wait_status

from test_page import assert_consistent


@pytest.fixture
def lone_copy(dist, tmp_path):
    """The file copied alone into an empty folder, as after a download or onto a USB stick."""
    folder = tmp_path / "usb-stick"
    folder.mkdir()
    shutil.copyfile(dist / "kmeans-anim.html", folder / "K-Means offline.html")
    return folder / "K-Means offline.html"


def test_single_file_runs_go_retry_and_steps_from_disk(open_page, lone_copy):
    page, _ = open_page("?speed=16&seed=7", url=lone_copy.as_uri(), wait_ready=False,
                        viewport={"width": 1400, "height": 1000})
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    wait_ready_page(page)
    assert page.is_hidden("#offline-download")  # no point offering the file it already is
    page.click("#go")
    first = wait_done(page)
    assert_consistent(first)
    assert first["seed"] == 7
    page.click("#retry")
    second = wait_done(page, run_id=first["run_id"] + 1)
    assert second["points"] == first["points"] and second["attempt"] == first["attempt"] + 1
    assert_consistent(second)
    page.click("#step-back")  # from the end: pauses on the last half-step
    paused = snapshot(page)
    assert paused["status"] == "paused"
    page.click("#step-back")
    stepped = snapshot(page)
    assert stepped["status"] == "paused" and stepped["step_index"] == paused["step_index"] - 1
    assert any(np.allclose(stepped["centroids"], h) for h in stepped["history"])
    # Nothing but the file itself and the data:/blob: URLs it makes.
    page_url = page.url.split("?")[0]
    assert all(u.split("?")[0] == page_url or u.startswith(("data:", "blob:")) for u in requests), requests


def test_served_page_offers_the_single_file(open_page, base_url, dist):
    page, _ = open_page()
    link = page.locator("#offline-download a")
    assert link.is_visible() and link.inner_text() == "Download for offline use"
    assert link.get_attribute("download") is not None
    href = page.evaluate("document.querySelector('#offline-download a').href")
    with urllib.request.urlopen(href) as r:
        assert r.status == 200 and r.read() == (dist / "kmeans-anim.html").read_bytes()


def test_single_file_says_it_unpacks_and_that_its_address_is_this_computers(open_page, lone_copy):
    page, _ = open_page("?speed=16&seed=7&k=4", url=lone_copy.as_uri(), own_profile=True,
                        viewport={"width": 1400, "height": 1000})
    stages = page.locator("#stages li").all_inner_texts()
    assert len(stages) == 5 and not any(word in stage for stage in stages
                                        for word in ("Downloading", "Loading")), stages
    assert stages[1].startswith("Unpacking the Python runtime") and stages[2].startswith("Unpacking numpy")
    assert "nothing is downloaded" in stages[0]
    wait_status(page, "paused")  # the run of the address
    page.click("#copy-link")
    page.wait_for_function("document.getElementById('message').textContent.includes('this computer')")
    said = page.text_content("#message")
    assert "the run on screen (K = 4, seed 7)" in said and "file://" in said
    assert "This address only works on this computer" in said
    assert "send the file K-Means offline.html too, and add ?k=4&seed=7&speed=16 to its address" in said
