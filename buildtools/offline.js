// The single file's loader (dist/kmeans-anim.html): starts the page from the files embedded in
// it, with no server and no network. Browsers refuse fetch() and module scripts from file://, so:
// every embedded file is gzip + base64, decoded natively by fetching
// a data: URL and unpacked by DecompressionStream; Pyodide's own fetch() calls for its files are
// answered from them; pyodide.asm.js runs as a classic script from a blob: URL (it defines
// _createPyodideModule) and pyodide.mjs is imported from a blob: URL. PyScript is not used here:
// its job (packages, files, running main.py) is done with Pyodide's API, following the same
// pyscript.json. boot.js calls kmeansOffline.start() instead of loading PyScript.
"use strict";

(function () {
  const INDEX = new URL("./pyodide/", location.href).href; // virtual: never requested

  function embedded(name) {
    const el = document.querySelector(`script[data-embedded="${CSS.escape(name)}"]`);
    if (!el) throw new Error(`${name} is missing from this file`);
    return el;
  }

  // Response with the file's bytes, streamed: decoded natively from base64, then gunzipped.
  async function open(name, type) {
    const raw = await fetch("data:application/octet-stream;base64," + embedded(name).textContent);
    const body = raw.body.pipeThrough(new DecompressionStream("gzip"));
    return new Response(body, { headers: { "Content-Type": type || "application/octet-stream" } });
  }
  const bytes = async (name) => new Uint8Array(await (await open(name)).arrayBuffer());
  const text = async (name) => (await open(name)).text();

  // Pyodide fetches its wasm, stdlib, lock and wheels below INDEX: answer from the embedded files.
  const realFetch = window.fetch.bind(window);
  window.fetch = function (input, init) {
    const url = String(input instanceof Request ? input.url : input);
    if (url.startsWith(INDEX)) {
      const name = decodeURIComponent(url.slice(INDEX.length).split(/[?#]/)[0]);
      return open("pyodide/" + name, name.endsWith(".wasm") ? "application/wasm" : undefined);
    }
    return realFetch(input, init);
  };

  function runClassicScript(source) {
    const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
    return new Promise((resolve, reject) => {
      const s = document.createElement("script");
      s.src = url;
      s.onload = () => { URL.revokeObjectURL(url); resolve(); };
      s.onerror = () => reject(new Error("pyodide.asm.js did not run"));
      document.head.append(s);
    });
  }

  async function start() {
    const boot = window.kmeansBoot;
    const config = JSON.parse(await text("pyscript.json"));
    boot.showStage("runtime");
    const [asm, mjs] = await Promise.all([text("pyodide/pyodide.asm.js"), text("pyodide/pyodide.mjs")]);
    await runClassicScript(asm);
    const moduleURL = URL.createObjectURL(new Blob([mjs], { type: "text/javascript" }));
    const { loadPyodide } = await import(moduleURL);
    URL.revokeObjectURL(moduleURL);
    const pyodide = await loadPyodide({
      indexURL: INDEX,
      stdout: (line) => console.log(line),
      stderr: (line) => console.error(line), // as PyScript does: problems stay visible
    });
    boot.showStage("packages");
    await pyodide.loadPackage(config.packages || [], { messageCallback: () => {} });
    // pyscript.json "files": {"./archive.zip": "./*"} unpacks into the working directory;
    // {"./file": "./target"} copies one file.
    for (const [from, to] of Object.entries(config.files || {})) {
      const name = from.replace(/^\.\//, "");
      const data = await bytes(name);
      if (to.endsWith("*")) pyodide.unpackArchive(data, name.split(".").pop(), { extractDir: to.slice(0, -1) || "." });
      else pyodide.FS.writeFile(to, data);
    }
    boot.showStage("engine");
    await pyodide.runPythonAsync(await text("main.py"), { filename: "main.py" });
  }

  window.kmeansOffline = {
    start() {
      start().catch((e) => window.kmeansBoot.fail(`The Python runtime failed to start: ${e && e.message || e}`,
        "This file may be damaged: download it again."));
    },
  };
})();
