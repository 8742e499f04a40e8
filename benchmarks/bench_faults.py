#!/usr/bin/env python3
"""Reliability: what the page says when one of its files fails, file class by fault.

    python3 benchmarks/bench_faults.py [--files style.css,boot.js] [--faults 404,stalled]

For each file and each fault of tests/e2e/faults.py (404, 500, truncated, stalled, wrong type),
serves dist/ with that one file faulty, opens the page in a fresh headless Chromium context and
waits until the page has started (data-ready="true") or given up ("error"), or has shown its
own words for a boot.js that never ran, up to 60 s. Prints a Markdown table: what the page did
and the seconds from navigation to it. "works" means GO is clickable; "named" means the message
names the file. Not a test: figures only (tests/e2e/test_faults.py asserts the behaviour).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "e2e"))

from conftest import CHROMIUM_ARGS, chromium_path  # noqa: E402
from faults import FAULTS, FaultServer  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

import build  # noqa: E402

# One file per class the page loads (tests/e2e/test_faults.py uses the same classes).
FILES = {
    "favicon.svg": "cosmetic", "style.css": "cosmetic", "pyscript/core.css": "cosmetic",
    "boot.js": "page script", "start-pyscript.js": "page script",
    "pyscript/core.js": "PyScript core",
    "pyodide/pyodide.asm.wasm": "runtime", "pyodide/pyodide.asm.js": "runtime",
    "pyodide/numpy-2.0.2-cp312-cp312-pyodide_2024_0_wasm32.whl": "wheel",
    "main.py": "page's Python", "kmeans_anim.zip": "page's Python",
    "pyscript.json": "config", "pyodide/pyodide-lock.json": "config",
}

# What the page ends in: started, gave up, or (boot.js never ran) shows the HTML's own words.
OUTCOME = """() => { const d = document.documentElement.dataset.ready;
  if (d) return d;
  const w = document.getElementById('boot-wait');
  return w && getComputedStyle(w).visibility === 'visible' ? 'html-message' : null; }"""


def one(browser, path: str, fault: str) -> tuple[str, float]:
    with FaultServer(path, fault) as url:
        context = browser.new_context()
        page = context.new_page()
        t0 = time.perf_counter()
        page.goto(url, wait_until="commit")
        try:
            state = page.wait_for_function(OUTCOME, timeout=60_000, polling=100).json_value()
        except Exception:
            state = "nothing in 60 s"
        seconds = time.perf_counter() - t0
        name = path.split("/")[-1]
        if state == "true":
            note = page.evaluate("document.getElementById('load-note').textContent")
            said = "works" + (", named in a note" if name in note else "")
        elif state == "error":
            text = page.inner_text("#loading")
            said = "named" if name in text or (name == "core.js" and "PyScript" in text) else \
                "error: " + text.splitlines()[1][:60] if len(text.splitlines()) > 1 else text[:60]
        elif state == "html-message":
            said = "named (HTML's own words)"
        else:
            said = state
        context.close()
    return said, seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", default=",".join(FILES))
    parser.add_argument("--faults", default=",".join(FAULTS))
    args = parser.parse_args()
    build.build()
    files, faults = args.files.split(","), args.faults.split(",")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        print("| file | class | " + " | ".join(faults) + " |")
        print("|---|---|" + "---|" * len(faults))
        for path in files:
            cells = []
            for fault in faults:
                said, seconds = one(browser, path, fault)
                cells.append(f"{said} ({seconds:.1f} s)")
            print(f"| {path.split('/')[-1]} | {FILES.get(path, '')} | " + " | ".join(cells) + " |",
                  flush=True)
        browser.close()


if __name__ == "__main__":
    main()
