"""K-means, animated: the Python package that runs in the page (Pyodide) and in CPython alike.

One sub-package per layer; a module imports only from its own layer or the layers above it
(tests/unit/test_layers.py checks it; docs/DESIGN.md explains it):

core      the numbers: data, Lloyd's algorithm, parameters and limits, runs, the timeline
words     what the page says and what a key means
picture   what a frame draws and how (matplotlib), pixels <-> data
export    CSV, PNG, GIF and Python script of a run
web       browser glue: the only code that imports js / pyodide

Everything but `web` runs in CPython and is tested there.
"""
