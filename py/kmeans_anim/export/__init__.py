"""The files a run is saved as: CSV, PNG, animated GIF and a Python script of the run. Imports
the core, the words and the picture, never the browser.

csv_file   the points and centroids as CSV text
png        the frame on screen as PNG
gif        the whole run as an animated GIF, a frame at a time
script     Copy as Python: a script that redoes the run
"""
