"""Browser glue: the only modules that import js / pyodide (except `upload`, which reads the
browser's File object through the methods it is given). Thin: what they compute without the
browser lives in the layers above.

page      the page: commands, GO / RETRY, placing centroids, your own points, snapshot
controls  controls <-> Params, messages, the address bar
animator  the asyncio loop that computes and plays a run, status, scrubber
telemetry what the animator measures for the benchmarks (no browser import)
canvas    the figure on the page's canvas (size, pixel ratio, painting)
pointer   pointer and keyboard input on the plot
glance    the inertia chart and cluster sizes on the page
race      the race of starts: its panels, one play / step control, the verdict
exports   downloads and the clipboard
points    your own points: text box, storage, upload, clicks
upload    reading an uploaded file in slices
dom       small shared browser helpers
"""
