"""K-means, animated: the Python package that runs in the page (Pyodide) and in CPython alike.

Modules
-------
Pure (numpy, matplotlib, the standard library; tested in CPython):

engine       Lloyd's algorithm as pure numpy functions, exact at any magnitude, in pieces
data         point sets (blobs like scikit-learn's make_blobs, and more shapes), CSV reading
table        the visitor's own table: delimiter, header, decimal commas, quotes; x and y picked
params       the page's parameters: validation, URL query <-> parameters
session      what GO and RETRY do: data + initial centroids + a recorded run, branches
player       the animation timeline: which frame to show at time t
view         matplotlib Figure -> RGBA pixels, redrawing only what moves; raster points
chart        the run at a glance: inertia per half-step, cluster sizes
export       CSV, PNG, animated GIF and a Python script of the run
snapshot     the page's state as strict JSON (window.kmeans.snapshot())
wording      the status line and notes, in plain words
keymap       which action a key means, given the focus
interaction  what a click, a drag or a key means on the plot
plotbox      CSS pixels <-> data units
fontcache    a ready-made matplotlib font list

Browser glue (the only modules that import js / pyodide):

web          the page: commands, GO / RETRY, placing centroids, your own points, snapshot
web_controls controls <-> Params, messages, the address bar
web_animator the asyncio loop that computes and plays a run, status, scrubber
web_canvas   the figure on the page's canvas (size, pixel ratio, painting)
web_pointer  pointer and keyboard input on the plot
web_glance   the inertia chart and cluster sizes on the page
web_exports  downloads and the clipboard
web_points   your own points: text box, storage, upload, clicks
web_upload   reading an uploaded file in slices
web_dom      small shared browser helpers
"""
