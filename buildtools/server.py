"""The static server behind `build.py serve` and the tests: what a static host does, no more.

- MIME types WebAssembly and ES modules need; an optional sub-path prefix (every URL in the
  page must be relative);
- gzip for compressible types when the browser accepts it, as GitHub Pages and most static
  hosts do (archives are sent as they are: they are compressed already), with ETags so a
  return visit revalidates instead of downloading again;
- `csp=True` adds the Content-Security-Policy the page is built to run under;
- `trace_file` (or $KMEANS_TRACE_FILE) turns on the page's import/open trace (see slim.py): the
  page learns it from a Server-Timing entry and posts its events to ./__trace__, which are
  appended to that file as JSON lines.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import io
import os
import threading
from pathlib import Path

from . import DIST

CSP = "script-src 'self' 'wasm-unsafe-eval'"
COMPRESSIBLE = {"text/html", "text/css", "text/javascript", "application/json", "application/wasm",
                "image/svg+xml", "text/x-python", "text/plain", "application/manifest+json"}
TRACE_SWITCH = "kmeans-trace"  # the Server-Timing name site/main.py looks for


@functools.lru_cache(maxsize=64)
def _gzipped(path: str, mtime_ns: int, size: int) -> bytes:
    with open(path, "rb") as f:
        return gzip.compress(f.read(), compresslevel=6, mtime=0)


class Handler(http.server.SimpleHTTPRequestHandler):
    # HTTP/1.1 as static hosts speak it: keep-alive, and Chromium revalidates cached HTTP/1.1
    # responses with If-None-Match (answered 304) where it re-downloads HTTP/1.0 ones.
    protocol_version = "HTTP/1.1"
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".wasm": "application/wasm", ".mjs": "text/javascript",
                      ".js": "text/javascript", ".json": "application/json", ".py": "text/x-python",
                      ".webmanifest": "application/manifest+json"}
    prefix = "/"
    csp = False
    trace_file: str | None = None
    _trace_lock = threading.Lock()

    def translate_path(self, path: str) -> str:
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / "__outside_prefix__")  # 404
        return super().translate_path("/" + path[len(self.prefix):])

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?", 1)[0].endswith("/"):
                return super().send_head()  # redirect to the folder's URL with a slash
            path = path / "index.html"
        if not path.is_file():
            self.send_error(404, "File not found")
            return None
        st = path.stat()
        ctype = self.guess_type(str(path))
        gz = ctype in COMPRESSIBLE and "gzip" in self.headers.get("Accept-Encoding", "")
        etag = f'"{st.st_mtime_ns:x}-{st.st_size:x}{"-gz" if gz else ""}"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return None
        body = _gzipped(str(path), st.st_mtime_ns, st.st_size) if gz else path.read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        if gz:
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", self.date_time_string(int(st.st_mtime)))
        self.end_headers()
        return io.BytesIO(body)

    def do_POST(self) -> None:
        """Only the trace sink, and only when tracing."""
        if not (self.trace_file and self.path.split("?", 1)[0].endswith("/__trace__")):
            self.send_error(405)
            return
        data = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with self._trace_lock, open(self.trace_file, "ab") as f:
            f.write(data.rstrip(b"\n") + b"\n")
        self.send_response(204)
        self.end_headers()

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-cache")  # revalidate (cheap 304s), never stale
        if self.csp:
            self.send_header("Content-Security-Policy", CSP)
        if self.trace_file:
            self.send_header("Server-Timing", TRACE_SWITCH)
        super().end_headers()

    def log_message(self, format: str, *args) -> None:
        if os.environ.get("KMEANS_SERVE_LOG"):
            super().log_message(format, *args)


def make_server(port: int, prefix: str = "/", directory: Path = DIST, csp: bool = False,
                trace_file: str | None = None) -> http.server.HTTPServer:
    """A threading server on 127.0.0.1:port (0 = any free port); `.url` is its base URL."""
    prefix = "/" + prefix.strip("/") + "/" if prefix.strip("/") else "/"
    options = {"prefix": prefix, "csp": csp,
               "trace_file": trace_file or os.environ.get("KMEANS_TRACE_FILE") or None}
    handler = functools.partial(type("H", (Handler,), options), directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.url = f"http://127.0.0.1:{server.server_address[1]}{prefix}"  # type: ignore[attr-defined]
    return server
