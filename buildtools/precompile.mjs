// Boots the vendored Pyodide under Node.js and runs compile_archive.py's compile_jobs inside it.
//   node precompile.mjs ARGS.json
// ARGS.json: {module: file URL of pyodide.mjs, index: its folder, work: a host folder mounted
// at /work, script: path of compile_archive.py, jobs: [[src, dst, install prefix], ...]}.
import { readFileSync } from "node:fs";

const args = JSON.parse(readFileSync(process.argv[2], "utf8"));
const { loadPyodide } = await import(args.module);
const py = await loadPyodide({ indexURL: args.index });
py.FS.mkdirTree("/work");
py.FS.mount(py.FS.filesystems.NODEFS, { root: args.work }, "/work");
py.runPython(readFileSync(args.script, "utf8"));
py.globals.get("compile_jobs")(JSON.stringify(args.jobs));
