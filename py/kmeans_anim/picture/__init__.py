"""The picture: what a frame draws and how (matplotlib), pixels <-> data, what a pointer means
on the plot. Imports the core and the words, never the browser.

plotbox      CSS pixels <-> data units
interaction  what a click, a drag or a key means on the plot
explain      a selected point or centroid explained on a frame (why here?)
scene        what one frame draws: the rule shared by the page, the PNG and the GIF
view         matplotlib Figure -> RGBA pixels, redrawing only what moves; raster points
chart        the run at a glance: inertia per half-step, cluster sizes
teachcharts  which start? how many clusters? the starts' inertias, the elbow, the silhouette
race         the race's panels: one view per start, each frame through scene
fontcache    a ready-made matplotlib font list
"""
