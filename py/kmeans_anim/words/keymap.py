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

__all__ = ["Focus", "key_action", "ACTIONS", "explain_key", "KEY_HELP", "typing"]

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


def typing(focus: Focus) -> bool:
    """True where keys belong to the focused control: a text field, a select, a slider."""
    tag = focus.tag.upper()
    if focus.editable or tag in ("TEXTAREA", "SELECT"):
        return True
    return tag == "INPUT" and (focus.input_type or "text").lower() in _TEXT_INPUTS


def key_action(key: str, focus: Focus, ctrl: bool = False, meta: bool = False,
               alt: bool = False) -> str | None:
    """The action for `key` ("toggle", "step_back", "step_forward"), or None to leave it alone."""
    if ctrl or meta or alt:
        return None  # browser and system shortcuts
    action = _KEYS.get(key)
    if action is None or typing(focus):
        return None
    if focus.tag.upper() == "INPUT" and (focus.input_type or "").lower() in ("checkbox", "radio") \
            and action == "toggle":
        return None  # space ticks the box
    return action


def explain_key(key: str, cursor: bool) -> tuple[str, object] | None:
    """What a key on the focused plot means for explain mode, `cursor` True while its keyboard
    cursor is out. Returns (action, argument) or None (not explain mode's key):

    - ("start", None): "e" puts the cursor out on the selected point (or the plot's middle)
      and selects the point nearest to it; with the cursor out "e" or Enter puts it away,
      keeping the selection ("done"), so the arrows step the run again and it follows;
    - ("move", arrow key): the cursor moves and the point nearest to it is selected;
    - ("centroid", j): with the cursor out, 1..9 and 0 select centroid j (0-based);
    - ("clear", None): Escape lets the selection go (wherever the focus is: see `typing`).

    >>> explain_key("e", False), explain_key("ArrowUp", True), explain_key("2", True)
    (('start', None), ('move', 'ArrowUp'), ('centroid', 1))
    >>> explain_key("ArrowUp", False) is None     # the page's: a half-step back
    True
    """
    if key in ("e", "E"):
        return ("done", None) if cursor else ("start", None)
    if key == "Escape":
        return "clear", None
    if not cursor:
        return None
    if key == "Enter":
        return "done", None
    if key.startswith("Arrow"):
        return "move", key
    if key in _DIGITS:
        return "centroid", _DIGITS.index(key)
    return None


_DIGITS = "1234567890"

#: The page's keys, as its help lists them: (keys, what they do).
KEY_HELP = (
    ("space", "play or pause"),
    ("← →", "one half-step back or forward"),
    ("Tab to the plot, then e", "why here? a cross appears: the arrows (shift: ten times further) "
     "select the point nearest to it, 1–9 and 0 a centroid; e or Enter puts the cross away and "
     "keeps the selection while ← → step the run; Escape lets it go"),
    ("Tab to the plot, then 1–9, 0", "pick a centroid to move: the arrows move it, Enter lets it "
     "go (the run goes on from there), Escape puts it back"),
    ("Tab to the plot while placing centroids by hand", "the arrows move a cross, Enter places a "
     "centroid there (or takes one back)"),
)
