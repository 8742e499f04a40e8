"""What the shipped archives leave out, and the check that the page never needs it.

The official archives carry much the page never uses: matplotlib's fonts (4.1 MB, the figure
draws in DejaVu Sans), sample data, GUI backends, mpl_toolkits and tests; numpy's f2py, tests,
C headers and stubs; parts of the standard library that serve a terminal or a server. The build
derives slimmed copies from the verified official archives (`slim_archive`) and records every
removed member. The e2e suite runs the page with an import/open trace (site/main.py installs it
when the server asks) and `touched_removed` fails the run when any removed file is ever used.
"""

from __future__ import annotations

import fnmatch
import io
import zipfile
from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    """Members of one archive to leave out: `remove` patterns (fnmatch on the member name, with
    the reason), minus the `keep` patterns."""

    archive: str  # fnmatch pattern on the archive's file name
    remove: dict[str, str]
    keep: tuple[str, ...] = ()


RULES = (
    Rule("matplotlib-*.whl", {
        "mpl_toolkits/axes_grid1/*": "axes_grid1 toolkit: the page draws one plain axes",
        "mpl_toolkits/axisartist/*": "axisartist toolkit: the page draws one plain axes",
        "*/tests/*": "matplotlib's own test suites (mplot3d stays: matplotlib imports it)",
        "matplotlib/testing/*": "helpers for matplotlib's test suite",
        "matplotlib/sphinxext/*": "matplotlib's Sphinx extensions for documentation",
        "matplotlib/pyplot.py": "pyplot: the page builds its Figure directly (docs/DESIGN.md, Drawing)",
        "matplotlib/pylab.py": "pyplot's MATLAB-style namespace",
        "matplotlib/_tri.*": "compiled code of the triangulation plots (triplot, tricontour), "
                             "loaded when one is drawn; the page draws none (matplotlib.tri "
                             "itself stays: matplotlib imports it)",
        "matplotlib/_qhull.*": "Delaunay triangulation for the triangulation plots, loaded on use",
        "matplotlib/_ttconv.*": "font conversion for PostScript/PDF output (those backends are gone)",
        "matplotlib/_type1font.py": "Type 1 fonts for PostScript/PDF output",
        "matplotlib/sankey.py": "Sankey diagrams",
        "matplotlib/mpl-data/sample_data/*": "example data for matplotlib's gallery",
        "matplotlib/mpl-data/images/*": "toolbar icons of the interactive GUI backends",
        "matplotlib/mpl-data/fonts/*": "fonts other than DejaVu Sans (regular and bold), the "
                                       "figure's font; the mono would cost 0.2 MB for no text",
        "matplotlib/backends/*": "backends other than Agg: the page renders with FigureCanvasAgg",
        "matplotlib/animation.py*": "animation writers (FFmpeg, ImageMagick, HTML): the page "
                                    "animates with its own loop",
        "matplotlib/_animation_data.py*": "the HTML of matplotlib's animation player",
        "matplotlib/patheffects.py*": "path effects (strokes, shadows): the page draws none",
        "matplotlib/style/*": "named styles: the page sets its style in code",
        "matplotlib/mpl-data/stylelib/*": "named style sheets, read only by matplotlib.style",
        "*.pyi": "type stubs",
    }, keep=(
        "matplotlib/mpl-data/fonts/ttf/DejaVuSans.ttf",
        "matplotlib/mpl-data/fonts/ttf/DejaVuSans-Bold.ttf",
        "matplotlib/mpl-data/fonts/ttf/LICENSE_DEJAVU",
        "matplotlib/backends/__init__.py",
        "matplotlib/backends/backend_agg.py",
        "matplotlib/backends/_backend_agg.*",
    )),
    Rule("numpy-*.whl", {
        "numpy/f2py/*": "the Fortran wrapper generator, a build tool",
        "numpy/fft/*": "Fourier transforms: numpy loads the submodule on use; the page has none",
        "numpy/polynomial/*": "polynomial classes: loaded on use; the page fits none",
        "numpy/testing/*": "numpy's test helpers",
        "numpy/linalg/lapack_lite.*": "the old LAPACK wrapper, kept for compatibility; numpy.linalg "
                                      "uses _umath_linalg",
        "*/tests/*": "numpy's own test suites",
        "numpy/_core/include/*": "C headers for compiling extensions",
        "numpy/_core/lib/*": "static libraries and pkg-config files for compiling extensions",
        "numpy/random/lib/*": "static library for compiling extensions",
        "numpy/random/_examples/*": "examples of C/Cython extensions",
        "numpy/_pyinstaller/*": "PyInstaller hooks",
        **{f"numpy/_core/_{name}_tests.*": "compiled helpers of numpy's test suites (not "
           "_multiarray_tests: numpy imports it)" for name in ("rational", "umath", "struct_ufunc",
                                                               "operand_flag")},
        "numpy/_core/_simd.*": "SIMD diagnostics for numpy's tests",
        "numpy/lib/recfunctions.py*": "record-array helpers, loaded on use; the page has none",
        "numpy/ma/mrecords.py*": "masked record arrays, loaded on use",
        "numpy/ma/timer_comparison.py*": "a timing script", "numpy/ma/testutils.py*": "test helpers",
        "numpy/ctypeslib.py*": "ctypes bridges, loaded on use",
        "numpy/typing/mypy_plugin.py*": "a plug-in for the mypy type checker",
        "*.pyi": "type stubs",
        "*.pxd": "Cython declarations",
    }),
    Rule("python_stdlib.zip", {
        "unittest/*": "test framework", "doctest.py": "test framework",
        "pydoc.py": "help() pages", "pydoc_data/*": "help() pages",
        "pdb.py": "debugger", "bdb.py": "debugger",
        "profile.py": "profiler", "cProfile.py": "profiler", "pstats.py": "profiler",
        "trace.py": "tracing tool", "tabnanny.py": "command-line tool", "pyclbr.py": "IDE support",
        "zipapp.py": "command-line tool", "compileall.py": "command-line tool",
        "modulefinder.py": "packaging tool", "webbrowser.py": "opens desktop browsers",
        "multiprocessing/*": "processes: a browser tab has none",
        "xmlrpc/*": "RPC server and client", "wsgiref/*": "web server",
        "mailbox.py": "mail", "imaplib.py": "mail", "smtplib.py": "mail", "poplib.py": "mail",
        "nntplib.py": "news", "ftplib.py": "FTP", "telnetlib.py": "telnet",
        "cgi.py": "web server", "cgitb.py": "web server", "mailcap.py": "desktop mail",
        "aifc.py": "audio files", "sunau.py": "audio files", "sndhdr.py": "audio files",
        "chunk.py": "audio files", "xdrlib.py": "RPC data", "pipes.py": "shell pipelines",
        "crypt.py": "Unix passwords",
        "xml/*": "XML parsers: the page reads CSV", "http/*": "HTTP in Python: the page's Python "
        "makes no requests", "urllib/request.py": "HTTP in Python", "urllib/response.py": "HTTP in Python",
        "urllib/error.py": "HTTP in Python", "urllib/robotparser.py": "HTTP in Python",
        "socketserver.py": "servers", "_pyio.py": "pure-Python io (the C io is used)",
        "_pydatetime.py": "pure-Python datetime (the C _datetime is used)",
        "argparse.py": "command lines", "optparse.py": "command lines", "getopt.py": "command lines",
        "cmd.py": "terminal tool", "getpass.py": "terminal", "pty.py": "terminal", "tty.py": "terminal",
        "timeit.py": "command-line tool", "difflib.py": "text diffs (used by the test frameworks)",
        "pickletools.py": "pickle disassembler", "shelve.py": "database files", "netrc.py": "FTP logins",
        "uu.py": "mail encoding", "wave.py": "audio files", "filecmp.py": "file comparison",
        "fileinput.py": "command-line tool",
        "asyncio/windows_*.py": "Windows only", "asyncio/proactor_events.py": "Windows only",
        "ctypes/wintypes.py": "Windows only", "ctypes/macholib/*": "macOS only", "ctypes/_aix.py": "AIX only",
        "encodings/mbcs.py": "Windows only", "encodings/oem.py": "Windows only",
        "encodings/mac_*.py": "classic Mac OS text encodings: the page's Python decodes no files",
        # Uploads are read as UTF-8, UTF-16 or Latin-1 (core/data.FileDecoder); zip names are
        # cp437. The other code pages and the East Asian codecs are never asked for.
        **{f"encodings/{name}.py": "a text encoding the page never decodes" for name in (
            "cp1006", "cp1125", *(f"cp125{i}" for i in range(9)), "cp720", "cp737", "cp775",
            "cp850", "cp852", "cp855", "cp856", "cp857", "cp858", "cp86?", "cp869", "cp874",
            "cp932", "cp949", "cp950", "iso8859_*", "koi8_*", "kz1048", "ptcp154", "tis_620",
            "hp_roman8", "palmos", "big5*", "euc_*", "gb*", "hz", "iso2022_*", "johab",
            "shift_jis*")},
        "encodings/cp037.py": "EBCDIC", "encodings/cp273.py": "EBCDIC", "encodings/cp424.py": "EBCDIC",
        "encodings/cp500.py": "EBCDIC", "encodings/cp875.py": "EBCDIC", "encodings/cp1026.py": "EBCDIC",
        "encodings/cp1140.py": "EBCDIC",
        "__phello__/*": "demo package", "__hello__.py": "demo module",
        # Never imported by the page, its exports or its uploads (the suite's trace says so):
        "configparser.py": "INI files", "logging/handlers.py": "log files and servers",
        "logging/config.py": "logging set-up from files", "statistics.py": "numpy does the sums",
        "fractions.py": "exact fractions", "plistlib.py": "macOS property lists",
        "zoneinfo/*": "time zones: the page shows no dates", "_strptime.py": "parsing dates",
        "tomllib/*": "TOML files (pyscript.json is JSON)", "gettext.py": "translated messages",
        "email/_header_value_parser.py": "mail headers", "email/headerregistry.py": "mail headers",
        "email/generator.py": "writing mail", "email/feedparser.py": "parsing mail",
        "email/contentmanager.py": "mail parts", "email/mime/*": "mail attachments",
        "concurrent/futures/process.py": "process pools: a browser tab has none",
        "concurrent/futures/thread.py": "thread pools: the page's Python has one thread",
        "tracemalloc.py": "memory tracing", "mimetypes.py": "file types of a server",
        "symtable.py": "compiler tables", "runpy.py": "python -m", "code.py": "the terminal REPL",
        "codeop.py": "the terminal REPL", "rlcompleter.py": "the terminal REPL",
        "pkgutil.py": "package tools", "py_compile.py": "byte-compiling (the build does it)",
        "html/parser.py": "parsing HTML", "_markupbase.py": "parsing HTML",
        "graphlib.py": "sorting graphs", "sched.py": "event scheduler", "queue.py": "thread queues",
        "imghdr.py": "image type sniffing", "colorsys.py": "colour spaces (matplotlib has its own)",
        "json/tool.py": "command-line tool", "asyncio/__main__.py": "python -m asyncio",
        "ctypes/util.py": "finding C libraries",
        "antigravity.py": "joke module", "this.py": "joke module",
    }),


    Rule("pillow-*.whl", {
        "PIL/_webp.*": "WebP images: the page reads and writes none (GIF and PNG writers stay)",
        "PIL/WebPImagePlugin.py": "WebP images",
        "PIL/_imagingft.*": "FreeType text in Pillow's ImageDraw (matplotlib draws the text)",
        # Image formats the page neither reads nor writes (it writes PNG and GIF): Pillow loads
        # these plug-ins only in Image.init(), which skips any that is missing.
        **{f"PIL/{name}ImagePlugin.py": "an image format the page does not use" for name in (
            "Tiff", "Dds", "Blp", "Eps", "Icns", "Jpeg2K", "Im", "Ico", "Spider", "Pdf", "Psd",
            "Iptc", "Mpo", "Fpx", "Tga", "Sgi", "Pcx", "Palm", "Fli", "Qoi", "Msp", "Wmf", "Xpm",
            "Mic", "Xbm", "Gbr", "Sun", "Ftex", "Fits", "Mpeg", "Dcx", "XVThumb", "Imt", "Cur",
            "GribStub", "BufrStub", "Hdf5Stub", "McIdas", "Pcd", "Pixar")},
        "PIL/PdfParser.py": "PDF files", "PIL/TarIO.py": "images in tar files",
        "PIL/ImageFont.py": "Pillow's text drawing (matplotlib draws the text)",
        "PIL/ImageDraw.py": "Pillow's drawing (matplotlib draws)", "PIL/ImageDraw2.py": "Pillow's drawing",
        "PIL/ImageCms.py": "colour management", "PIL/ImageFilter.py": "image filters",
        "PIL/ImageMorph.py": "morphology", "PIL/_imagingmorph.*": "morphology",
        "PIL/ImageQt.py": "Qt", "PIL/ImageTk.py": "Tk", "PIL/_imagingtk.*": "Tk",
        "PIL/_tkinter_finder.py": "Tk", "PIL/ImageGrab.py": "screen grabs", "PIL/ImageShow.py":
        "desktop image viewers", "PIL/ImageWin.py": "Windows", "PIL/PSDraw.py": "PostScript",
        "PIL/PyAccess.py": "PyPy pixel access", "PIL/features.py": "a feature report",
        "PIL/*FontFile.py": "bitmap fonts", "PIL/FontFile.py": "bitmap fonts",
        "PIL/WalImageFile.py": "an image format the page does not use",
        "PIL/GdImageFile.py": "an image format the page does not use",
        "PIL/ContainerIO.py": "images inside other files", "PIL/ImageStat.py": "image statistics",
        "PIL/ImageEnhance.py": "image enhancement", "PIL/ImageTransform.py": "image transforms",
        "*.pyi": "type stubs",
    }),
    Rule("packaging-*.whl", {
        "packaging/*": "matplotlib uses only packaging.version (and what it imports)",
    }, keep=("packaging/__init__.py", "packaging/version.py", "packaging/_structures.py",
             "packaging/LICENSE*")),
    Rule("pyparsing-*.whl", {
        "pyparsing/diagram/*": "railroad diagrams of grammars",
    }),
    Rule("python_dateutil-*.whl", {
        "dateutil/zoneinfo/*": "dateutil's own time-zone database: the page shows no dates",
    }),
)


# PyScript's bundle: chunks only its editor, terminal, TOML and MicroPython features load. A
# missing chunk that is ever requested fails the page loudly (404 -> boot.js names it), which
# every e2e test would see.
PYSCRIPT_LEFT_OUT = {
    "codemirror*": "the code editor of <script type=\"py-editor\">",
    "index-*.js": "the code editor's Python grammar",
    "xterm*": "the terminal of <script terminal>",
    "py-re*.js": "the terminal's Python REPL", "mpy-*.js": "the terminal's MicroPython REPL",
    "toml-*.js": "TOML configurations (pyscript.json is JSON)",
    "zip-*.js": "unzipping in JavaScript (Pyodide unpacks kmeans_anim.zip itself)",
}


def pyscript_left_out(file_name: str) -> bool:
    return any(fnmatch.fnmatch(file_name, p) for p in PYSCRIPT_LEFT_OUT)


def rule_for(archive_name: str) -> Rule | None:
    return next((r for r in RULES if fnmatch.fnmatch(archive_name, r.archive)), None)


def is_removed(rule: Rule, member: str) -> bool:
    return (any(fnmatch.fnmatch(member, p) for p in rule.remove)
            and not any(fnmatch.fnmatch(member, k) for k in rule.keep))


def slim_archive(data: bytes, rule: Rule) -> tuple[bytes, list[str]]:
    """(slimmed zip bytes, sorted names of the removed members). Kept members are copied with
    their original metadata, so the output depends only on the input; a wheel's RECORD loses
    the lines of removed files."""
    removed = []
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        names = [i.filename for i in zin.infolist()]
        removed = sorted(n for n in names if not n.endswith("/") and is_removed(rule, n))
        gone = set(removed)
        for info in zin.infolist():
            if info.filename in gone:
                continue
            content = zin.read(info)
            if info.filename.endswith(".dist-info/RECORD"):
                content = b"".join(line for line in content.splitlines(keepends=True)
                                   if line.split(b",", 1)[0].decode() not in gone)
            zout.writestr(info, content, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue(), removed


def module_name(member: str) -> str | None:
    """The importable module a member provides: "a/b/__init__.py" -> "a.b",
    "a/_c.cpython-312-wasm32-emscripten.so" -> "a._c"; None for data files."""
    if member.endswith((".py", ".pyc")):
        stem = member.rsplit(".", 1)[0]
    elif member.endswith(".so"):
        stem = member.split(".", 1)[0]
    else:
        return None
    parts = stem.split("/")
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts) if parts and all(p.isidentifier() for p in parts) else None


def removed_record(removed: list[str], prefix: str, kept: list[str]) -> dict[str, list[str]]:
    """What the trace check compares against: the removed members as run-time paths, the
    modules they provided, and the folders that are gone entirely."""
    kept_dirs = {k.rsplit("/", 1)[0] for k in kept if "/" in k}
    kept_dirs |= {d.rsplit("/", i)[0] for d in list(kept_dirs) for i in range(1, d.count("/") + 1)}
    dirs = {r.rsplit("/", 1)[0] for r in removed if "/" in r} - kept_dirs
    dirs = {d for d in dirs if not any(d.startswith(o + "/") for o in dirs)}
    return {
        "files": [prefix + r for r in removed],
        "modules": sorted({m for r in removed if (m := module_name(r))}),
        "dirs": sorted(prefix + d for d in dirs),
    }


def touched_removed(events: list[list[str]], removed: dict[str, list[str]]) -> list[str]:
    """Trace events that used something the slimmed archives left out.

    events: [kind, what] pairs from the page's trace: ["import", module name] for every import
    attempt (found or not), ["open", path] and ["listdir", path]. removed: merged
    `removed_record`s. A byte-compiled build ships "x.pyc" where the record says "x.py"; both
    count.
    """
    files = set(removed["files"]) | {f + "c" for f in removed["files"] if f.endswith(".py")}
    modules, dirs = set(removed["modules"]), tuple(d + "/" for d in removed["dirs"])
    bad = []
    for kind, what in events:
        if kind == "import" and what in modules:
            bad.append(f"import {what}")
        elif kind in ("open", "listdir") and (what in files or (what + "/").startswith(dirs)):
            bad.append(f"{kind} {what}")
    return sorted(set(bad))
