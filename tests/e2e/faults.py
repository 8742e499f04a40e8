"""A fault-injecting static server for the loading tests and benchmarks/bench_faults.py.

It serves dist/ on 127.0.0.1 as buildtools/server.py does, except that the file whose URL path
ends with `path` gets `fault`:

- "404", "500": that status and a short body;
- "truncated": the first half of the file, sent as if it were the whole file (an interrupted
  upload: the Content-Length matches, the browser sees a complete, short response);
- "stalled": the headers (the full Content-Length) and the first half, then nothing until the
  server is stopped (a download that stops arriving);
- "slow": as "stalled", but once released (`FaultServer.released.set()`) the rest follows (a
  network that stopped for a while, then went on);
- "wrong-type": the whole file as application/octet-stream (what a host sends for an extension
  it does not know).

Use it as a context manager: on exit the stalled answers are released and every thread stops.
"""

from __future__ import annotations

import io
import threading
from pathlib import Path

from buildtools.server import Handler, make_server

FAULTS = ("404", "500", "truncated", "stalled", "slow", "wrong-type")
WRONG_TYPE = "application/octet-stream"


class FaultHandler(Handler):
    fault_path = ""
    fault = ""
    policy: str | None = None
    released: threading.Event

    def end_headers(self) -> None:
        if self.policy:
            self.send_header("Content-Security-Policy", self.policy)
        super().end_headers()

    def send_head(self):
        path = self.path.split("?", 1)[0]
        if not (self.fault and path.endswith(self.fault_path)):
            return super().send_head()
        if self.fault in ("404", "500"):
            self.send_error(int(self.fault))
            return None
        file = Path(self.translate_path(self.path))
        body = file.read_bytes()
        sent = body[: len(body) // 2] if self.fault in ("truncated", "stalled", "slow") else body
        self.send_response(200)
        self.send_header("Content-Type", WRONG_TYPE if self.fault == "wrong-type" else self.guess_type(str(file)))
        self.send_header("Content-Length", str(len(body) if self.fault in ("stalled", "slow") else len(sent)))
        self.end_headers()
        if self.fault in ("stalled", "slow"):
            self.wfile.write(sent)
            self.wfile.flush()
            self.released.wait()  # until the test ends, or goes on
            if self.fault == "slow":
                self.wfile.write(body[len(sent):])
                self.wfile.flush()
            self.close_connection = True
            return None
        return io.BytesIO(sent)


class FaultServer:
    """with FaultServer("style.css", "404") as url: ... -- dist/ served with one faulty file
    (fault None: none), under the Content-Security-Policy `policy` if given."""

    def __init__(self, path: str, fault: str | None, policy: str | None = None):
        assert fault is None or fault in FAULTS, fault
        self.released = threading.Event()
        self.server = make_server(0)
        options = {"fault_path": "/" + path.lstrip("/"), "fault": fault or "", "policy": policy,
                   "released": self.released}
        # make_server binds its handler class with functools.partial: subclass what it made.
        handler = self.server.RequestHandlerClass
        self.server.RequestHandlerClass = type(handler)(
            type("F", (FaultHandler, handler.func), options), *handler.args, **handler.keywords)
        self.url: str = self.server.url  # type: ignore[attr-defined]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        return self.url

    def __exit__(self, *exc) -> None:
        self.released.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()
