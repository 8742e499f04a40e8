"""dist/kmeans-anim.html: the page in one self-contained file that works opened from disk.

The served index.html is taken as it is and every local file it references is inlined
(stylesheets -> <style>, classic scripts -> inline <script>, icons and images -> data: URLs), so
controls and files the page gains later come along without changes here. PyScript's own
<script type="py"> is replaced by offline.js, which starts Pyodide from embedded copies of
pyodide/ and the files pyscript.json names, then runs main.py as PyScript would.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import html
import io
import json
import mimetypes
import re
import zipfile
from pathlib import Path

from . import BuildError

SINGLE_FILE = "kmeans-anim.html"
HERE = Path(__file__).resolve().parent

ATTR = re.compile(r'([\w:-]+)\s*=\s*"([^"]*)"')


def _attrs(tag: str) -> dict[str, str]:
    return {k.lower(): html.unescape(v) for k, v in ATTR.findall(tag)}


def _local(dist: Path, ref: str) -> Path | None:
    """The dist file a relative reference points to, or None for other URLs."""
    if re.match(r"^[a-z][a-z0-9+.-]*:|^//|^#", ref, re.I):
        return None
    path = (dist / ref.split("?", 1)[0].split("#", 1)[0]).resolve()
    if not path.is_relative_to(dist.resolve()) or not path.is_file():
        raise BuildError(f"index.html refers to {ref!r}, which is not a file in dist/")
    return path


def _data_url(path: Path) -> str:
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode()}"


def _script_text(source: str) -> str:
    return source.replace("</script", "<\\/script")


def inline_references(page: str, dist: Path) -> str:
    """index.html with every local stylesheet, classic script, icon and image inlined and
    PyScript's <script type="py"> removed."""
    def link(m: re.Match) -> str:
        a = _attrs(m.group(0))
        path = _local(dist, a.get("href", ""))
        if path is None:
            return m.group(0)
        rel = a.get("rel", "").split()
        if "manifest" in rel:
            return ""  # an app manifest is for the served page (installed from a server)
        if "stylesheet" in rel:
            return "<style>" + path.read_text().replace("</style", "<\\/style") + "</style>"
        raw_href = re.search(r'href="([^"]*)"', m.group(0)).group(1)
        return m.group(0).replace(f'href="{raw_href}"', f'href="{_data_url(path)}"')

    def script(m: re.Match) -> str:
        a = _attrs(m.group(1))
        kind = a.get("type", "text/javascript")
        if kind in ("py", "mpy", "py-game"):
            return ""  # PyScript's tag: offline.js does its work
        path = _local(dist, a["src"])
        if path is None:
            return m.group(0)
        if kind not in ("text/javascript", "application/javascript"):
            raise BuildError(f"index.html loads {a['src']} as {kind!r}; the single file can inline "
                             f"classic scripts only")
        return "<script>" + _script_text(path.read_text()) + "</script>"

    def img(m: re.Match) -> str:
        a = _attrs(m.group(0))
        path = _local(dist, a.get("src", ""))
        if path is None:
            return m.group(0)
        raw_src = re.search(r'src="([^"]*)"', m.group(0)).group(1)
        return m.group(0).replace(f'src="{raw_src}"', f'src="{_data_url(path)}"')

    page = re.sub(r"<link\b[^>]*>", link, page, flags=re.I)
    page = re.sub(r"<script\b([^>]*\bsrc=\"[^\"]*\"[^>]*)>\s*</script>", script, page, flags=re.I)
    return re.sub(r"<img\b[^>]*>", img, page, flags=re.I)


def stored_copy(data: bytes) -> bytes:
    """The zip `data` with every member stored uncompressed, same order and metadata: gzip over
    the whole archive then compresses across members (about 6 % smaller than deflate per
    member), and Python reads the members without inflating them."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as zout:
        for info in zin.infolist():
            zout.writestr(info, zin.read(info), compress_type=zipfile.ZIP_STORED)
    return out.getvalue()


def embedded_files(dist: Path) -> dict[str, bytes]:
    """What offline.js reads, by path in dist/: the Pyodide folder (archives stored
    uncompressed, the lock pinning those bytes), pyscript.json, the files it names, main.py."""
    config = json.loads((dist / "pyscript.json").read_text())
    names = sorted(p.relative_to(dist).as_posix() for p in (dist / "pyodide").iterdir() if p.is_file())
    names += ["pyscript.json", "main.py", *(f.removeprefix("./") for f in config.get("files", {}))]
    files = {n: (dist / n).read_bytes() for n in names}
    for n in names:
        if n.startswith("pyodide/") and n.endswith((".whl", ".zip")):
            files[n] = stored_copy(files[n])
    lock = json.loads(files["pyodide/pyodide-lock.json"])
    for pkg in lock["packages"].values():
        pkg["sha256"] = hashlib.sha256(files["pyodide/" + pkg["file_name"]]).hexdigest()
    files["pyodide/pyodide-lock.json"] = json.dumps(lock).encode()
    return files


def embed(name: str, data: bytes) -> str:
    """One embedded file: gzip, base64, in a script element the browser does not run."""
    packed = base64.b64encode(gzip.compress(data, compresslevel=9, mtime=0)).decode()
    return (f'<script type="application/octet-stream" data-embedded="{html.escape(name)}">'
            f'{packed}</script>\n')


def write_single_file(dist: Path, dest: Path) -> None:
    page = inline_references((dist / "index.html").read_text(), dist)
    loader = "<script>" + _script_text((HERE / "offline.js").read_text()) + "</script>\n"
    head_end = page.lower().find("<script")
    if head_end < 0:
        raise BuildError("index.html has no <script>: the single file needs boot.js")
    # The loader goes before the first script (boot.js), which starts it.
    page = page[:head_end] + loader + page[head_end:]
    body_end = page.lower().rfind("</body>")
    payload = "".join(embed(n, data) for n, data in embedded_files(dist).items())
    dest.write_text(page[:body_end] + payload + page[body_end:])
