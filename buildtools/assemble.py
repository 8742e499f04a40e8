"""The whole dist/: the runtime, the page (site/), the package zip, the single file; a stamp
so an unchanged tree is not built twice."""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile
from pathlib import Path

from . import DIST, MANIFEST, PKG, ROOT, SITE, BuildError
from .manifest import Manifest, load_manifest
from .page import write_page
from .precompile import precompile
from .runtime import build_runtime, check_pinned, pins
from .single_file import SINGLE_FILE, write_single_file
from .worker import write_manifest, write_worker

STAMP = ".build-stamp"
BUILDTOOLS = Path(__file__).resolve().parent
PACKAGE_ZIP = "kmeans_anim.zip"
WORKDIR = "/home/pyodide/"  # where PyScript unpacks the package zip (pyscript.json "files")
EPOCH = (1980, 1, 1, 0, 0, 0)


def inputs_digest(paths: list[Path]) -> str:
    """One hash over the content and relative names of every file under `paths`."""
    h = hashlib.sha256()
    for base in paths:
        files = [base] if base.is_file() else sorted(p for p in base.rglob("*") if p.is_file())
        for p in files:
            if "__pycache__" in p.parts:
                continue
            h.update(str(p.relative_to(ROOT)).encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


def zip_package(dest: Path) -> None:
    """py/kmeans_anim -> one zip the page unpacks into Pyodide's working directory. The same
    files give the same bytes (no timestamps), so its byte-compiled copy is found in the cache."""
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as z:
        for p in sorted([*PKG.rglob("*.py"), *PKG.rglob("*.json"), *PKG.rglob("*.csv")]):
            info = zipfile.ZipInfo(p.relative_to(PKG.parent).as_posix(), date_time=EPOCH)
            info.external_attr, info.compress_type = 0o644 << 16, zipfile.ZIP_DEFLATED
            z.writestr(info, p.read_bytes())


def assemble_site(out: Path, manifest: Manifest, precompiled: bool = True) -> None:
    """site/ -> out/, with the download sizes on the loading screen, PyScript's config, the
    package zip (byte-compiled like the wheels unless `precompiled` is off) and the app manifest."""
    for p in SITE.iterdir():
        if p.is_file() and p.name != "pyscript.json":
            shutil.copy2(p, out / p.name)
    runtime = sum((out / "pyodide" / f).stat().st_size for f in manifest["pyodide_runtime_files"])
    wheels = sum(p.stat().st_size for p in (out / "pyodide").glob("*.whl"))
    zip_package(out / PACKAGE_ZIP)
    if precompiled:  # the page then imports byte code instead of compiling every module on each visit
        precompile(out / "pyodide", [(PACKAGE_ZIP, WORKDIR)], folder=out)
    write_manifest(out)
    config = json.loads((SITE / "pyscript.json").read_text())
    config["packages"] = manifest["packages"]
    (out / "pyscript.json").write_text(json.dumps(config, indent=2))
    # boot.js names a file that arrives shorter than built (an interrupted upload) at once.
    sizes = {p.relative_to(out).as_posix(): p.stat().st_size for p in sorted(out.rglob("*"))
             if p.is_file() and p.name not in ("boot.js", "index.html")}
    boot = out / "boot.js"
    boot.write_text(boot.read_text().replace("__RUNTIME_MB__", f"{runtime / 1e6:.0f}")
                    .replace("__PACKAGES_MB__", f"{wheels / 1e6:.0f}")
                    .replace('"__FILE_SIZES__"', json.dumps(sizes, separators=(",", ":"))))


def build(pyodide_dir: Path | None = None, force: bool = False, precompiled: bool = True,
          slimmed: bool = True, pin: bool = False) -> Path:
    """Build dist/ unless its stamp shows the same inputs; return the dist path.

    pin: record the shipped archives' hashes in runtime-manifest.json instead of checking them.
    """
    manifest = load_manifest()
    digest = inputs_digest([SITE, PKG, MANIFEST, BUILDTOOLS, ROOT / "build.py"])
    digest += ("" if pyodide_dir is None else f"+{pyodide_dir}") + ("" if precompiled else "+source")
    digest += "" if slimmed else "+full"
    stamp = DIST / STAMP
    if not force and not pin and stamp.exists() and stamp.read_text() == digest:
        print(f"dist/ is up to date ({DIST})")
        return DIST

    print("building dist/")
    tmp = DIST.with_name("dist.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    runtime = build_runtime(tmp, manifest, pyodide_dir, precompiled, slimmed)
    if precompiled and slimmed:
        if pin:
            manifest["shipped"] = pins(runtime["archives"])
            MANIFEST.write_text(json.dumps(manifest, indent=2) + "\n")
            print(f"  pinned the shipped archives' sha256 in {MANIFEST.name}")
            digest = inputs_digest([SITE, PKG, MANIFEST, BUILDTOOLS, ROOT / "build.py"]) + digest[64:]
        elif problems := check_pinned(manifest, runtime["archives"]):
            raise BuildError("the shipped archives differ from the hashes pinned in "
                             f"{MANIFEST.name} (\"shipped\"):\n  " + "\n  ".join(problems) +
                             "\n  After a deliberate change of the slimming rules, run "
                             "`python3 build.py --pin` and commit the manifest.")
    assemble_site(tmp, manifest, precompiled)
    write_page(tmp / "index.html")  # the controls' limits, from py/kmeans_anim
    (tmp / "build-info.json").write_text(json.dumps({
        "pyodide": manifest["pyodide_version"],
        "pyscript": manifest["downloads"]["pyscript"]["spec"],
        "byte_compiled": precompiled,
        "slimmed": slimmed,
        **runtime,
    }, separators=(",", ":")))
    write_worker(tmp)  # last of the files the page loads: it lists them with their hashes
    write_single_file(tmp, tmp / SINGLE_FILE)
    (tmp / STAMP).write_text(digest)
    shutil.rmtree(DIST, ignore_errors=True)
    tmp.rename(DIST)
    size = sum(p.stat().st_size for p in DIST.rglob("*") if p.is_file())
    print(f"built {DIST} ({size / 1e6:.1f} MB, of which {SINGLE_FILE} "
          f"{(DIST / SINGLE_FILE).stat().st_size / 1e6:.1f} MB)")
    return DIST
