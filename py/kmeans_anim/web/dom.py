"""Small browser helpers shared by the web_* modules: elements, listeners, storage, the clock,
animation frames and pixels onto a canvas. Imports js / pyodide (browser glue only).
"""

from __future__ import annotations

import asyncio

import js
import numpy as np
from pyodide.ffi import JsException, create_once_callable, create_proxy

from ..words import wording
from ..words.keymap import Focus

# Event-handler proxies must outlive the call that made them: they are kept here for the life
# of the page (a handful, made once at start-up).
_kept = []


def el(element_id: str):
    """The element with this id (None if absent)."""
    return js.document.getElementById(element_id)


def announce(text: str) -> None:
    """Say `text` to a screen reader once: the page's one polite live region (#announce, seen
    by no one else). The status line and the counters are not live, so a half-step is never
    announced twice."""
    el("announce").textContent = text


def listen(target, event: str, handler) -> None:
    """addEventListener with a Python handler kept alive for the page's lifetime. Async
    handlers are scheduled as tasks (the browser does not await them)."""
    if asyncio.iscoroutinefunction(handler):
        coroutine = handler

        def handler(event, coroutine=coroutine):
            asyncio.ensure_future(coroutine(event))
    proxy = create_proxy(handler)
    _kept.append(proxy)
    target.addEventListener(event, proxy)


#: The two storage areas: "localStorage" (kept across visits, shared by the site's tabs) and
#: "sessionStorage" (this tab's own, kept across its reloads).
STORAGE_AREAS = ("localStorage", "sessionStorage")


def _area(area: str):
    return getattr(js.window, area)  # may throw (a sandboxed embed refuses any access)


def stored(key: str, area: str = "localStorage") -> str | None:
    """window[area][key]; None if absent or where storage is off."""
    try:
        value = _area(area).getItem(key)
    except JsException:
        return None
    return None if value is None else str(value)


def store(key: str, value: str, area: str = "localStorage") -> str | None:
    """Save `value` in window[area]; None on success, else why not in plain words.

    A save refused for room first frees the page's own older copy and tries again. If it still
    does not fit, the older copy stays removed: a later visit or reload finds nothing rather
    than stale points (say, the first half of a line being typed when the room ran out). The
    reason says what takes the room: other data of the site, or the text itself."""
    try:
        _area(area).setItem(key, value)
        return None
    except JsException as error:
        if "quota" not in str(error).lower():
            return "this browser does not let the page keep anything (private mode or an embed)"
    try:
        storage = _area(area)
        storage.removeItem(key)
        storage.setItem(key, value)
        return None
    except JsException:
        pass
    others = 0
    try:
        for index in range(int(storage.length)):
            name = storage.key(index)
            others += len(str(name)) + len(str(storage.getItem(name) or ""))
    except JsException:
        pass
    return wording.storage_full(len(key) + len(value), others)


def now() -> float:
    """Monotonic seconds, the player's clock."""
    return js.performance.now() / 1000.0


async def drive(pieces, current):
    """Run the generator `pieces` a piece per turn of the event loop (clicks are answered
    between pieces) and return its value; None, with the generator closed, as soon as
    `current()` says a newer run has taken over."""
    while True:
        try:
            next(pieces)
        except StopIteration as done:
            return done.value
        await asyncio.sleep(0)
        if not current():
            pieces.close()
            return None


def next_animation_frame() -> asyncio.Future:
    """A future resolved at the browser's next paint (never while the tab is hidden)."""
    future = asyncio.get_event_loop().create_future()

    def resolve(timestamp):
        if not future.done():
            future.set_result(timestamp)

    js.requestAnimationFrame(create_once_callable(resolve))
    return future


def focus_of(target) -> Focus:
    """What keymap needs to know about a focused element."""
    tag = str(getattr(target, "tagName", "") or "BODY")
    kind = str(target.type) if tag == "INPUT" else ""
    return Focus(tag, kind, bool(getattr(target, "isContentEditable", False)))


#: (width, height) -> (Uint8ClampedArray, ImageData over it) in JavaScript's own memory.
_STAGING: dict = {}


def push_rgba(ctx, rgba: np.ndarray, x: int = 0, y: int = 0) -> None:
    """Copy an (H, W, 4) uint8 RGBA array onto a 2-D context at (x, y).

    The pixels go through one JavaScript-owned buffer per size (a single memcpy from the
    WebAssembly memory, about a millisecond for a 1000x800 frame), never through an ImageData
    that views the WebAssembly memory itself: that memory is replaced whenever it grows, and an
    ImageData left viewing the old one is a hazard the browser should never be handed."""
    height, width = rgba.shape[:2]
    staged = _STAGING.get((width, height))
    if staged is None:
        if len(_STAGING) >= 4:  # the plot and the chart, at a size or two each
            _STAGING.clear()
        array = js.Uint8ClampedArray.new(width * height * 4)
        staged = _STAGING[(width, height)] = (array, js.ImageData.new(array, width, height))
    array, image = staged
    proxy = create_proxy(rgba)
    buffer = proxy.getBuffer("u8clamped")
    try:
        array.set(buffer.data)
    finally:
        buffer.release()
        proxy.destroy()
    ctx.putImageData(image, x, y)


def replace_address(query: str, state: str | None = None) -> None:
    """Show `query` in the address bar without a reload (ignored where an embed forbids it).
    `state` is kept with this page in the tab's history: a reload finds it again (`address_state`),
    a copied address does not carry it."""
    try:
        js.history.replaceState(state, "", query or js.location.pathname)
    except JsException:
        pass


def address_state() -> str | None:
    """The `state` of the last `replace_address` in this tab (None: none, or a new visit)."""
    state = js.history.state
    return state if isinstance(state, str) else None
