"""Page entry point (PyScript runs this): hand over to kmeans_anim.web, report failures."""

import js

RELOAD = ("Reload the page. If it keeps failing, the copy on this server may be damaged: "
          "rebuild it with <code>python3 build.py</code> and serve <code>dist/</code> again.")

try:
    from kmeans_anim import web

    await web.start()  # noqa: F704 -- PyScript runs scripts with top-level await
except ImportError as error:  # a wheel that failed to download or failed its hash check
    js.kmeansBoot.fail(f"The Python package '{error.name}' did not load: its file failed to "
                       f"download or did not match its recorded hash.", RELOAD)
    raise
except Exception as error:  # shown in plain words instead of a stuck loading screen
    js.kmeansBoot.fail(f"Python failed while starting the page: {error!r}",
                       "Reload the page. If it keeps failing, please report this message.")
    raise
