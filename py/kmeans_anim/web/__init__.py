"""Browser glue: the only modules that import js / pyodide (except `upload`, which reads the
browser's File object through the methods it is given). Thin: what they compute without the
browser lives in the layers above.

page      the page: wires the others to the controls, GO / RETRY, your own points, snapshot
hands     centroids by hand: placing the start, letting go of a dragged one
controls  controls <-> Params, messages, the address bar
animator  the asyncio loop that computes and plays a run
readout   the words beside the plot: status line, scrubber, step buttons, announcements
telemetry what the animator measures for the benchmarks (no browser import)
canvas    the figure on the page's canvas (size, pixel ratio, painting)
pointer   pointer and keyboard input on the plot
explain   explain mode (why here?): the selection, its sentence, its keys
glance    the inertia chart and cluster sizes on the page
teachpanel which start? how many clusters? attempts, best of N, elbow, silhouette, agreement
race      the race of starts: its panels, one play / step control, the verdict
exports   downloads and the clipboard
own_points your own points on the plot: preview, clicks, typing, columns, GO's points
points    your own points: text box, storage, upload, the table's columns
upload    reading an uploaded file in slices
dom       small shared browser helpers
"""
