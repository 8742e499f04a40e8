"""K-means, animated: the Python package that runs in the page (Pyodide) and in CPython alike.

Modules
-------
data    point sets (blobs like scikit-learn's make_blobs, and more shapes)
engine  Lloyd's algorithm as pure numpy functions
params  the page's parameters: validation, URL query <-> parameters
session what GO and RETRY do: data + initial centroids + a recorded run
view    matplotlib Figure -> RGBA pixels, redrawing only what moves
player  the animation timeline: which frame to show at time t
web     the only module that touches the browser (js / pyodide / pyscript)
"""
