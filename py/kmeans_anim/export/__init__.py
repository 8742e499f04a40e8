"""The files a run is saved as: CSV, PNG, animated GIF and a Python script of the run. Imports
the core, the words and the picture, never the browser.

files   every export format
"""
