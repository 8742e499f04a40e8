"""What the page says and what a key means: pure functions over the core (no picture, no
browser).

wording   the status line, notes and messages, in plain words
snapshot  the page's state as strict JSON (window.kmeans.snapshot())
keymap    which action a key means, given the focus
enabled   which controls can be used in which stage of the page
"""
