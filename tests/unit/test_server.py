"""buildtools.server: a static host's behaviour (prefix, MIME, gzip, revalidation, CSP, trace)."""

import gzip
import sys
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from buildtools.server import CSP, make_server  # noqa: E402


@pytest.fixture
def site(tmp_path):
    (tmp_path / "index.html").write_text("<p>hi</p>" * 100)
    (tmp_path / "a.wasm").write_bytes(b"\0asm" + bytes(5000))
    (tmp_path / "b.whl").write_bytes(b"PK" + bytes(5000))
    return tmp_path


def start(directory, **options):
    server = make_server(0, directory=directory, **options)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def get(url, **headers):
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), b""


@pytest.mark.parametrize("prefix, path, status", [
    ("/", "/index.html", 200),
    ("/sub/path/", "/sub/path/index.html", 200),
    ("/sub/path/", "/index.html", 404),
], ids=["root", "under-prefix", "outside-prefix"])
def test_server_serves_under_its_prefix_with_wasm_mime(site, prefix, path, status):
    server = start(site, prefix=prefix)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        assert get(base + path)[0] == status
        assert get(base + prefix + "a.wasm")[1]["Content-Type"] == "application/wasm"
    finally:
        server.shutdown()


def test_compressible_files_are_sent_gzipped_archives_as_they_are(site):
    server = start(site)
    try:
        status, headers, body = get(server.url + "a.wasm", **{"Accept-Encoding": "gzip"})
        assert headers["Content-Encoding"] == "gzip" and int(headers["Content-Length"]) == len(body)
        assert gzip.decompress(body) == (site / "a.wasm").read_bytes() and len(body) < 200
        assert "Content-Encoding" not in get(server.url + "a.wasm")[1]  # only when accepted
        assert "Content-Encoding" not in get(server.url + "b.whl", **{"Accept-Encoding": "gzip"})[1]
    finally:
        server.shutdown()


def test_a_return_visit_revalidates_with_the_etag(site):
    server = start(site)
    try:
        etag = get(server.url, **{"Accept-Encoding": "gzip"})[1]["ETag"]
        assert get(server.url, **{"Accept-Encoding": "gzip", "If-None-Match": etag})[0] == 304
        assert get(server.url, **{"If-None-Match": etag})[0] == 200  # another encoding, another tag
    finally:
        server.shutdown()


def test_csp_and_trace_switches(site, tmp_path, monkeypatch):
    monkeypatch.delenv("KMEANS_TRACE_FILE", raising=False)  # the e2e session sets it
    trace = tmp_path / "trace.jsonl"
    plain, strict = start(site), start(site, csp=True, trace_file=str(trace))
    try:
        headers = get(plain.url)[1]
        assert "Content-Security-Policy" not in headers and "Server-Timing" not in headers
        headers = get(strict.url)[1]
        assert headers["Content-Security-Policy"] == CSP and headers["Server-Timing"] == "kmeans-trace"
        request = urllib.request.Request(strict.url + "__trace__", data=b'[["import", "x"]]', method="POST")
        with urllib.request.urlopen(request) as r:
            assert r.status == 204
        assert trace.read_text() == '[["import", "x"]]\n'
        with pytest.raises(urllib.error.HTTPError):  # no sink unless tracing
            urllib.request.urlopen(urllib.request.Request(plain.url + "__trace__", data=b"[]", method="POST"))
    finally:
        plain.shutdown()
        strict.shutdown()
