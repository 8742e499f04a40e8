"""Which page action a key press means, given where the keyboard focus is. Pure: the browser glue
passes the key and a description of the focused element, and acts on the answer.

Space plays or pauses and the arrows step half-steps wherever the focus is, except where the
key already means something to the focused control: typing in a text field, choosing in a
select, moving a slider, ticking a checkbox with space. On a button, Enter still presses it and
space plays/pauses (the button must then not also be pressed, so the glue cancels the key).

>>> key_action(" ", Focus("BUTTON"))
'toggle'
>>> key_action("Enter", Focus("BUTTON")) is None
True
>>> key_action("ArrowRight", Focus("INPUT", "range")) is None
True
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Focus", "key_action", "ACTIONS"]

#: Actions the animator understands.
ACTIONS = ("toggle", "step_back", "step_forward")
_KEYS = {" ": "toggle", "Spacebar": "toggle",
         "ArrowLeft": "step_back", "ArrowRight": "step_forward"}
# <input type=...> that take typed text or arrows themselves (a number field steps on arrows).
_TEXT_INPUTS = {"text", "number", "search", "email", "url", "tel", "password", "range", "file",
                "date", "time", "color"}


@dataclass(frozen=True)
class Focus:
    """The focused element: its tag name (upper case, as the DOM gives it) and, for <input>, its type."""

    tag: str = "BODY"
    input_type: str = ""
    editable: bool = False  # contenteditable


def key_action(key: str, focus: Focus, ctrl: bool = False, meta: bool = False,
               alt: bool = False) -> str | None:
    """The action for `key` ("toggle", "step_back", "step_forward"), or None to leave it alone."""
    if ctrl or meta or alt:
        return None  # browser and system shortcuts
    action = _KEYS.get(key)
    if action is None:
        return None
    tag = focus.tag.upper()
    if focus.editable or tag in ("TEXTAREA", "SELECT"):
        return None
    if tag == "INPUT":
        kind = (focus.input_type or "text").lower()
        if kind in _TEXT_INPUTS:
            return None
        if kind in ("checkbox", "radio") and action == "toggle":
            return None  # space ticks the box
    return action
