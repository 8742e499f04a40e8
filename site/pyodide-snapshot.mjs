// pyscript.json's "interpreter": Pyodide's own loadPyodide, with a memory snapshot on return
// visits. PyScript calls loadPyodide() from here as it would from pyodide/pyodide.mjs.
//
// - No snapshot kept for this build: Pyodide starts as usual. On a page the service worker
//   serves (a return visit), once nobody is using it (makeWhenIdle), a second Pyodide in this
//   tab unpacks the same wheels, loads their .so side modules (each with a handle of its own in
//   Python's memory, where Emscripten records the memory and table bases it gave the module),
//   imports the page, draws once, and its memory is kept in Cache Storage with the files it
//   unpacked (made here, never downloaded).
// - A snapshot kept for this build: Pyodide starts from it. Right after the memory is restored,
//   before any Python runs, the recorded side modules are loaded again through Emscripten's
//   loader at their recorded bases (their handles say where), the snapshot's memory is copied
//   back over what loading them wrote, and the function table is checked against the one
//   recorded (its size, and what every entry past the main module's is). The files go back into
//   the file system (it lives outside the memory). On any mismatch or error the snapshot is
//   deleted and Pyodide starts as usual.
// <html data-snapshot>: "used" (started from it), "waiting" (to make one: makeWhenIdle),
// "making", "made", "failed" (making it failed; the page is unaffected), "dropped" (a kept one
// did not match: started without it).
import { loadPyodide as plainLoad, version } from "./pyodide/pyodide.mjs";

export { version };

const FORMAT = 1; // bump when what is kept changes
// A digest of every other file of the build (buildtools/worker.py writes it): a new build never
// starts from an older build's snapshot.
const KEY = "0000000000000000"; // 16 hex digits: the size boot.js knows stays true
const BASE = new URL("./", import.meta.url).href;
const CACHE_PREFIX = `kmeans-anim-snapshot ${BASE} `;
const CACHE = `${CACHE_PREFIX}${FORMAT} ${KEY}`;
const PARTS = ["memory", "files", "meta"].map((name) => new URL(`./__snapshot__/${name}`, BASE).href);
const SITE_PACKAGES = "/lib/python3.12/site-packages";
const HOME = "/home/pyodide";

// `restoring`: a kept snapshot is being restored (boot.js then asks for no wheel ahead: none is needed).
const status = { used: false, made: false, restoring: false, error: null, restoreMs: null, makeMs: null };
window.kmeansSnapshot = { status };
const say = (state) => { document.documentElement.dataset.snapshot = state; };

async function readSnapshot() {
  if (!("caches" in self)) return null;
  const cache = await caches.open(CACHE);
  const responses = await Promise.all(PARTS.map((url) => cache.match(url)));
  if (responses.some((r) => !r)) return null;
  const [memory, files, meta] = await Promise.all([
    responses[0].arrayBuffer(), responses[1].arrayBuffer(), responses[2].json()]);
  return { memory: new Uint8Array(memory), files: new Uint8Array(files), meta };
}

async function dropSnapshots(keep = null) {
  for (const name of await caches.keys()) {
    if (name.startsWith(CACHE_PREFIX) && name !== keep) await caches.delete(name);
  }
}

// ---- the function table: what each entry past the main module's is, by name
function exportNames(Module, libs) {
  const names = new Map(); // function -> "lib index:export name"
  libs.forEach((lib, i) => {
    const dso = Module.LDSO.loadedLibsByName[lib.path];
    for (const [name, value] of Object.entries(dso.exports)) {
      if (typeof value === "function" && !names.has(value)) names.set(value, `${i}:${name}`);
    }
  });
  for (const [name, value] of Object.entries(Module.LDSO.loadedLibsByName.__main__.exports)) {
    if (typeof value === "function" && !names.has(value)) names.set(value, `main:${name}`);
  }
  return names;
}

// Every entry of the table from `start`: "null", "lib i" (inside lib i's own table segment,
// named by its place there), or the name of the export it is.
function describeTable(Module, libs, start) {
  const table = Module.wasmTable;
  const ranges = libs.map((lib) => {
    const base = Module.HEAPU32[(lib.handle + 20) >>> 2];
    return [base, base + Module.HEAP32[(lib.handle + 24) >>> 2]];
  });
  const names = exportNames(Module, libs);
  const out = [];
  for (let i = start; i < table.length; i++) {
    const f = table.get(i);
    const inLib = ranges.findIndex(([a, b]) => i >= a && i < b);
    if (!f) out.push("null");
    else if (inLib >= 0) out.push(`lib ${inLib}`);
    else out.push(names.get(f) || "?");
  }
  return out;
}

// ---- making a snapshot (once the page is ready and idle)
// Unpack the archive at `url` (relative to the page) into `dir`, as Pyodide and PyScript do.
async function unpack(py, url, dir) {
  const bytes = new Uint8Array(await (await fetch(new URL(url, BASE))).arrayBuffer());
  py.FS.writeFile("/tmp/archive.zip", bytes);
  py.runPython(`import zipfile; zipfile.ZipFile("/tmp/archive.zip").extractall("${dir}")`);
  py.FS.unlink("/tmp/archive.zip");
}

// Every package of the build's lock: the build trims it to the wheels the page loads.
async function unpackWheels(py) {
  const lock = await (await fetch(new URL("pyodide/pyodide-lock.json", BASE))).json();
  for (const pkg of Object.values(lock.packages)) await unpack(py, `pyodide/${pkg.file_name}`, SITE_PACKAGES);
}

function walk(FS, dir, out) {
  for (const name of FS.readdir(dir)) {
    if (name === "." || name === "..") continue;
    const path = `${dir}/${name}`;
    const mode = FS.stat(path).mode;
    if (FS.isDir(mode)) walk(FS, path, out);
    else if (FS.isFile(mode)) out.push(path);
  }
  return out;
}

function packFiles(FS, roots) {
  const index = [];
  const chunks = [];
  let size = 0;
  for (const root of roots) {
    for (const path of walk(FS, root, [])) {
      const data = FS.readFile(path);
      index.push([path, size, data.length]);
      chunks.push(data);
      size += data.length;
    }
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) { all.set(c, at); at += c.length; }
  return { index, all };
}

// What the page imports (kmeans_anim.web.page prepares matplotlib's font list first), one
// drawing with text, then matplotlib's open font files closed: open files do not survive.
const WARM_UP = `
import kmeans_anim.web.page
from matplotlib.figure import Figure
from matplotlib.backends.backend_agg import FigureCanvasAgg
fig = Figure(figsize=(5, 4), dpi=100)
ax = fig.add_subplot()
ax.scatter([0, 1, 2], [1, 0, 2], c=["C0", "C1", "C2"])
ax.set_title("warm-up")
FigureCanvasAgg(fig).draw()
del fig, ax
from matplotlib import font_manager
font_manager._get_font.cache_clear()
import gc; gc.collect()
`;

async function makeSnapshot() {
  const started = performance.now();
  const py = await plainLoad({ indexURL: `${BASE}pyodide/`, _makeSnapshot: true, packages: [] });
  const Module = py._module;
  await unpackWheels(py);
  await unpack(py, "kmeans_anim.zip", HOME); // the page's own package (pyscript.json "files")
  const mainTable = Module.wasmTable.length;
  const libs = walk(py.FS, SITE_PACKAGES, []).filter((p) => p.endsWith(".so")).sort()
    .map((path) => ({ path }));
  const fs = { findObject: (p) => py.FS.findObject(p), readFile: (p) => py.FS.readFile(p) };
  for (const lib of libs) {
    lib.handle = Module.stringToNewUTF8("x".repeat(63)); // 64 bytes of Python's heap (malloc)
    Module.HEAP8.fill(0, lib.handle, lib.handle + 64);
    await Module.loadDynamicLibrary(lib.path, { loadAsync: true, nodelete: true, allowUndefined: true, global: false, fs }, {}, lib.handle);
  }
  for (const lib of libs) lib.memoryBase = Module.HEAPU32[(lib.handle + 12) >>> 2];
  py.runPython(`import sys; sys.path.insert(0, "${HOME}")`);
  py.runPython(WARM_UP);
  const table = describeTable(Module, libs, mainTable);
  const { index, all } = packFiles(py.FS, [SITE_PACKAGES, HOME, "/tmp/matplotlib"]);
  const memory = py.makeMemorySnapshot();
  const meta = { libs, mainTable, tableLength: Module.wasmTable.length, table, files: index, made: new Date().toISOString() };
  const cache = await caches.open(CACHE);
  await cache.put(PARTS[0], new Response(memory));
  await cache.put(PARTS[1], new Response(all));
  await cache.put(PARTS[2], new Response(JSON.stringify(meta)));
  await dropSnapshots(CACHE);
  status.made = true;
  status.makeMs = Math.round(performance.now() - started);
  status.bytes = memory.length + all.length;
}

// Making one holds the tab for about 2 s, so it waits until nobody is using the page: no input
// for QUIET_MS, no run or race moving (<html data-status>, data-race); or the tab is hidden.
// <html data-snapshot="waiting"> until then. Once per page, and only once the page is ready.
const QUIET_MS = 3000;
const BUSY = ["starting", "running"];
function makeWhenIdle() {
  const html = document.documentElement;
  const inputs = ["pointerdown", "pointermove", "keydown", "wheel", "input"];
  let lastInput = performance.now();
  const touched = () => { lastInput = performance.now(); };
  const quiet = () => document.hidden || (performance.now() - lastInput >= QUIET_MS &&
    !BUSY.includes(html.dataset.status) && !BUSY.includes(html.dataset.race));
  const make = () => {
    for (const type of inputs) removeEventListener(type, touched, true);
    say("making");
    makeSnapshot().then(() => say("made"), (e) => {
      status.error = `making the snapshot: ${e.message}`;
      console.warn(`No memory snapshot for the next visit (${e.message})`);
      say("failed");
      dropSnapshots().catch(() => {}); // what a failed put (a full disk) left
    });
  };
  const wait = () => (quiet() ? make() : setTimeout(wait, 500));
  const go = () => {
    if (html.dataset.ready !== "true" || html.dataset.snapshot) return false;
    say("waiting");
    for (const type of inputs) addEventListener(type, touched, { capture: true, passive: true });
    wait();
    return true;
  };
  if (go()) return;
  const watch = new MutationObserver(() => { if (html.dataset.ready !== undefined) { watch.disconnect(); go(); } });
  watch.observe(html, { attributes: true, attributeFilter: ["data-ready"] });
}

// ---- restoring
function checkTable(Module, meta) {
  if (Module.wasmTable.length !== meta.tableLength) {
    throw new Error(`function table has ${Module.wasmTable.length} entries, not ${meta.tableLength}`);
  }
  const now = describeTable(Module, meta.libs, meta.mainTable);
  const bad = now.findIndex((d, i) => d !== meta.table[i]);
  if (bad >= 0) throw new Error(`function table entry ${meta.mainTable + bad} is ${now[bad]}, not ${meta.table[bad]}`);
}

// Entries added after the libraries' own (GOT, dlsym) are set again by name.
function fillTable(Module, meta) {
  const table = Module.wasmTable;
  if (table.length < meta.tableLength) table.grow(meta.tableLength - table.length);
  meta.table.forEach((d, i) => {
    const m = /^(main|\d+):(.*)$/.exec(d);
    if (!m) return;
    const exports = m[1] === "main" ? Module.LDSO.loadedLibsByName.__main__.exports : Module.LDSO.loadedLibsByName[meta.libs[+m[1]].path].exports;
    const f = exports[m[2]];
    if (f && table.get(meta.mainTable + i) !== f) table.set(meta.mainTable + i, f);
  });
}

function reload(Module, snapshot) {
  const { meta, memory, files } = snapshot;
  const view = new Uint32Array(memory.buffer, memory.byteOffset, 4);
  const heap = memory.subarray(view[1]);
  const where = new Map(meta.files.map(([path, at, n]) => [path, [at, n]]));
  const fs = {
    findObject: (p) => where.has(p),
    readFile: (p) => { const [at, n] = where.get(p); return files.slice(at, at + n); },
  };
  for (const lib of meta.libs) {
    // Loaded at the bases its handle holds, only if the handle is the one recorded.
    if (Module.HEAP8[lib.handle + 8] !== 1 || Module.HEAPU32[(lib.handle + 12) >>> 2] !== lib.memoryBase) {
      throw new Error(`the handle of ${lib.path} is not the one recorded`);
    }
    Module.loadDynamicLibrary(lib.path, { loadAsync: false, nodelete: true, allowUndefined: true, global: false, fs }, {}, lib.handle);
  }
  fillTable(Module, meta);
  Module.HEAP8.set(heap);
  checkTable(Module, meta);
}

function writeFiles(py, snapshot) {
  const { meta, files } = snapshot;
  const FS = py.FS;
  for (const [path, at, n] of meta.files) {
    FS.mkdirTree(path.slice(0, path.lastIndexOf("/")));
    FS.writeFile(path, files.subarray(at, at + n), { canOwn: false });
  }
}

async function restore(options, snapshot) {
  const started = performance.now();
  if (typeof globalThis._createPyodideModule !== "function") await import(`${BASE}pyodide/pyodide.asm.js`);
  const create = globalThis._createPyodideModule;
  globalThis._createPyodideModule = async (settings) => {
    const Module = await create(settings);
    const restoreMemory = Module.API.restoreSnapshot;
    Module.API.restoreSnapshot = (bytes) => {
      Module.API.restoreSnapshot = restoreMemory; // once: the snapshot is not kept alive by it
      const result = restoreMemory(bytes);
      reload(Module, snapshot);
      performance.mark("kmeans:snapshot-restored");
      return result;
    };
    return Module;
  };
  let py;
  try {
    py = await plainLoad({ ...options, packages: [], _loadSnapshot: snapshot.memory });
  } finally {
    globalThis._createPyodideModule = create;
  }
  writeFiles(py, snapshot);
  py.runPython("import random, numpy.random; random.seed(); numpy.random.seed()");
  status.used = true;
  status.restoreMs = Math.round(performance.now() - started);
  say("used");
  return py;
}

export async function loadPyodide(options = {}) {
  // PyScript passes the folder of this module; the runtime's files are in pyodide/.
  options = { ...options, indexURL: `${BASE}pyodide/` };
  let snapshot = null;
  try {
    snapshot = await readSnapshot();
  } catch (e) {
    status.error = `reading the snapshot: ${e.message}`;
  }
  if (snapshot) {
    performance.mark("kmeans:snapshot-read");
    status.restoring = true;
    try {
      return await restore(options, snapshot);
    } catch (e) {
      status.restoring = false;
      status.error = `restoring the snapshot: ${e.message}`;
      console.warn(`Starting without the memory snapshot (${e.message})`);
      await dropSnapshots().catch(() => {});
      say("dropped");
    }
  }
  const py = await plainLoad(options);
  // Made only on a page the service worker serves: every file it reads then comes from the
  // worker's cache, never from the network (a first visit is not served by the worker).
  if ("caches" in self && !snapshot && navigator.serviceWorker && navigator.serviceWorker.controller) makeWhenIdle();
  return py;
}
