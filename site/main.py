"""Page entry point (PyScript runs this): hand over to kmeans_anim.web, report failures."""

import js

try:
    from kmeans_anim import web

    await web.start()  # noqa: F704 -- PyScript runs scripts with top-level await
except Exception as error:  # shown in plain words instead of a stuck loading screen
    js.kmeansBoot.fail(f"Python failed while starting the page: {error!r}",
                       "Reload the page. If it keeps failing, please report this message.")
    raise
