"""Page entry point (PyScript runs this; so does the single file's loader): hand over to
kmeans_anim.web.page, report failures."""

import js

RELOAD = ("Reload the page. If it keeps failing, the copy on this server may be damaged: "
          "rebuild it with <code>python3 build.py</code> and serve <code>dist/</code> again.")


def _trace_requested() -> bool:
    """The test server asks for the import/open trace with a Server-Timing entry."""
    try:
        entries = js.performance.getEntriesByType("navigation")
        return any(t.name == "kmeans-trace" for e in entries for t in e.serverTiming)
    except Exception:
        return False


def _start_trace() -> None:
    """Record every import attempt and every file opened or listed, and post them to the test
    server (./__trace__), which checks that nothing the build slimmed away is ever used
    (buildtools/slim.py). Modules imported before this point are reported from sys.modules."""
    import json
    import sys

    from pyodide.ffi import create_once_callable, create_proxy

    seen, pending = set(), []

    def note(kind, what):
        if (kind, what) not in seen:
            seen.add((kind, what))
            pending.append((kind, what))
            if len(pending) == 1:
                js.setTimeout(create_once_callable(flush), 200)

    def flush():
        batch = json.dumps(pending)
        pending.clear()
        js.navigator.sendBeacon("./__trace__", batch)

    class Recorder:  # first on sys.meta_path: sees every import, found or not, then declines
        @staticmethod
        def find_spec(name, path=None, target=None):
            note("import", name)
            return None

    def audit(event, args):
        if event == "open" and isinstance(args[0], str):
            note("open", args[0])
        elif event in ("os.listdir", "os.scandir") and isinstance(args[0], str):
            note("listdir", args[0])

    for name in list(sys.modules):
        note("import", name)
    sys.meta_path.insert(0, Recorder())
    sys.addaudithook(audit)
    js.window.addEventListener("pagehide", create_proxy(lambda *_: flush() if pending else None))


if _trace_requested():
    _start_trace()

try:
    from kmeans_anim.web import page

    await page.start()  # noqa: F704 -- PyScript runs scripts with top-level await
except ImportError as error:  # a wheel that failed to download or failed its hash check
    js.kmeansBoot.fail(f"The Python package '{error.name}' did not load: its file failed to "
                       f"download or did not match its recorded hash.", RELOAD)
    raise
except Exception as error:  # shown in plain words instead of a stuck loading screen
    js.kmeansBoot.fail(f"Python failed while starting the page: {error!r}",
                       "Reload the page. If it keeps failing, please report this message.")
    raise
