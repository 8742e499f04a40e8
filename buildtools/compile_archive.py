"""Byte-compile the Python source inside zip archives. Runs inside Pyodide (under Node.js, see
precompile.mjs), so the byte code is made by exactly the interpreter the page runs; standard
library only, no imports from this package. CPython runs it too in the unit tests."""

import base64
import hashlib
import importlib._bootstrap_external as bootstrap
import importlib.util
import json
import zipfile

EPOCH = (1980, 1, 1, 0, 0, 0)


def compile_archive(src: str, dst: str, prefix: str, optimize: int = 0,
                    keep_docstrings: tuple = ()) -> int:
    """Copy the zip `src` to `dst` with every .py replaced by a .pyc compiled by the running
    interpreter at `optimize` (as `python -O`/`-OO`: 2 drops docstrings and asserts; members
    named in `keep_docstrings` are compiled at 0); return how many were compiled.

    Pyodide's wheels and stdlib ship Python source only, so the page used to compile every module
    it imported, on every visit (about 1 s of matplotlib's 1.7 s import). `prefix` is where the
    members land at run time (e.g. "/lib/python3.12/site-packages/"), so tracebacks name real
    paths. The .pyc files are "unchecked hash" based (PEP 552): no timestamps, so the output is
    byte-for-byte reproducible. A file that does not compile keeps its source. A wheel's RECORD
    is rewritten to match.
    """
    compiled, written, record_name = 0, {}, None
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            name, data = info.filename, zin.read(info)
            if name.endswith(".dist-info/RECORD"):
                record_name = name
                continue
            if name.endswith(".py"):
                try:
                    level = 0 if name in keep_docstrings else optimize
                    code = compile(data, prefix + name, "exec", dont_inherit=True, optimize=level)
                except SyntaxError:
                    pass
                else:
                    data = bytes(bootstrap._code_to_hash_pyc(code, importlib.util.source_hash(data), False))
                    name, compiled = name + "c", compiled + 1
            out = zipfile.ZipInfo(name, date_time=EPOCH)
            out.external_attr, out.compress_type = info.external_attr, zipfile.ZIP_DEFLATED
            zout.writestr(out, data)
            written[name] = data
        if record_name:
            lines = [f"{n},sha256={base64.urlsafe_b64encode(hashlib.sha256(d).digest()).rstrip(b'=').decode()},{len(d)}"
                     for n, d in written.items() if not n.endswith("/")]
            out = zipfile.ZipInfo(record_name, date_time=EPOCH)
            out.compress_type = zipfile.ZIP_DEFLATED
            zout.writestr(out, "\n".join(lines + [f"{record_name},,"]) + "\n")
    return compiled


def compile_jobs(jobs_json: str) -> None:
    """Run compile_archive over a JSON list of [src, dst, prefix, optimize, keep_docstrings]
    (called by precompile.mjs)."""
    for src, dst, prefix, optimize, keep in json.loads(jobs_json):
        compile_archive(src, dst, prefix, optimize, tuple(keep))
