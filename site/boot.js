// Page start-up, before Python runs: refuse file://, show named loading stages, turn any
// load failure into a plain-words message naming the file, and expose window.kmeans.snapshot()
// from the start. Classic script (not a module) so it also runs from file://, where modules
// cannot load. In the single file (dist/kmeans-anim.html) window.kmeansOffline starts the
// runtime from the embedded files instead of PyScript.
"use strict";

(function () {
  // The single file carries everything it needs: it unpacks, it downloads nothing.
  const SINGLE_FILE = Boolean(window.kmeansOffline);
  const STAGES = [
    SINGLE_FILE ? ["scripts", "Reading this file (nothing is downloaded)"] : ["scripts", "Loading PyScript"],
    // build.py writes the real sizes of the files in place of the __..._MB__ marks.
    ["runtime", `${SINGLE_FILE ? "Unpacking" : "Downloading"} the Python runtime (Pyodide, __RUNTIME_MB__ MB)`],
    ["packages", `${SINGLE_FILE ? "Unpacking" : "Loading"} numpy and matplotlib (__PACKAGES_MB__ MB)`],
    ["engine", "Starting the k-means engine"],
    ["draw", "Drawing the first frame"],
  ];
  const WATCHDOG_S = 120;
  const state = { status: "loading", stage: "scripts", error: null };

  // Tests and tools read the page through this; web.py replaces `source` once Python is up.
  window.kmeans = {
    source: null,
    // snapshot({full: true}) lists every point even above 100,000 points;
    // snapshot({points: false}) leaves the per-point lists out (quick at any size).
    snapshot(options) {
      if (this.source) return JSON.parse(this.source(JSON.stringify(options || {})));
      return { status: state.status, stage: state.stage, error: state.error };
    },
  };

  function el(id) { return document.getElementById(id); }

  function showStage(key) {
    const index = STAGES.findIndex(([k]) => k === key);
    if (index < 0 || state.status !== "loading") return;
    if (index < STAGES.findIndex(([k]) => k === state.stage)) return; // never go backwards
    // Each stage is shown once, whichever of its signals comes first (a wheel asked for, or
    // the runtime's download seen in resource timing), so the marks read as the stages' order.
    if (performance.getEntriesByName(`kmeans:${key}`, "mark").length) return;
    state.stage = key;
    performance.mark(`kmeans:${key}`); // benchmarks/bench_page.py reads these
    const list = el("stages");
    if (!list) return;
    list.querySelectorAll("li").forEach((li, i) => {
      li.className = i < index ? "done" : i === index ? "active" : "";
    });
    el("progress").value = index / STAGES.length;
  }

  function fail(what, todo) {
    if (state.status === "error") return;
    state.status = "error";
    state.error = what;
    document.documentElement.dataset.ready = "error";
    const box = el("loading");
    if (!box) return;
    box.classList.add("failed");
    box.innerHTML = "";
    const h = document.createElement("h2");
    h.textContent = "The page could not start";
    const p = document.createElement("p");
    p.textContent = what;
    const q = document.createElement("p");
    q.innerHTML = todo;
    box.append(h, p, q);
  }
  window.kmeansBoot = { showStage, fail, STAGES };

  const RELOAD = SINGLE_FILE ? "This file may be damaged: download it again." :
    "Reload the page. If it keeps failing, the copy on this server may be " +
    "incomplete: rebuild it with <code>python3 build.py</code> and serve <code>dist/</code> again.";
  const GET = SINGLE_FILE ? "unpack" : "download"; // what failed: the single file only unpacks
  const fileName = (url) => decodeURIComponent(new URL(url, location.href).pathname.split("/").pop());

  // Every download the runtime makes goes through fetch(): a failed or refused one is named at
  // once, instead of surfacing later as a Python error about something else. The status of
  // each response is kept for the resource-timing observer below: WebKit's resource timing has
  // no responseStatus.
  const statusOf = new Map(); // absolute URL -> HTTP status of its latest response
  const realFetch = window.fetch;
  window.fetch = async function (input, init) {
    const url = String(input instanceof Request ? input.url : input);
    // Asking for a wheel means the packages are loading, whatever resource timing reports when.
    if (url.endsWith(".whl")) showStage("packages");
    let response;
    try {
      response = await realFetch.call(this, input, init);
    } catch (e) {
      if (state.status === "loading" && !url.startsWith("data:")) {
        // A fetch with an integrity hash fails the same way for a 404 and for wrong bytes.
        const head = init && init.integrity && !SINGLE_FILE ?
          await realFetch.call(this, url, { method: "HEAD", cache: "no-store" }).catch(() => null) : null;
        fail(head && !head.ok ? `Could not download ${fileName(url)} (HTTP ${head.status}).` :
          head ? `Could not load ${fileName(url)}: it does not match the hash recorded when the ` +
            "page was built (a damaged or incomplete file)." :
          `Could not ${GET} ${fileName(url)} (${e.message}).`, RELOAD);
      }
      throw e;
    }
    if (!url.startsWith("data:")) statusOf.set(new URL(url, location.href).href, response.status);
    if (!response.ok && state.status === "loading") {
      fail(`Could not ${GET} ${fileName(url)} (HTTP ${response.status}).`, RELOAD);
    }
    return response;
  };
  // A truncated or damaged pyodide.asm.wasm fails to compile; Pyodide would only log it and wait.
  const instantiateStreaming = WebAssembly.instantiateStreaming;
  WebAssembly.instantiateStreaming = async function (source, imports) {
    try {
      return await instantiateStreaming.call(this, source, imports);
    } catch (e) {
      const response = await Promise.resolve(source).catch(() => null);
      const name = response && response.url ? fileName(response.url) : "the WebAssembly runtime";
      fail(`Could not start ${name}: the file is damaged or incomplete (${e.message}).`, RELOAD);
      throw e;
    }
  };

  document.addEventListener("DOMContentLoaded", () => {
    const list = el("stages");
    for (const [key, label] of STAGES) {
      const li = document.createElement("li");
      li.dataset.stage = key;
      li.textContent = label;
      list.append(li);
    }
    showStage("scripts");

    if (window.kmeansOffline) { // the single file: everything it needs is inside it
      const link = el("offline-download");
      if (link) link.hidden = true;
      window.kmeansOffline.start();
      return;
    }
    if (location.protocol === "file:") {
      fail("This page was opened straight from disk (file://). Browsers do not let a page " +
        "from disk load the Python runtime's files.",
        "Open <code>kmeans-anim.html</code> instead (the same page in one file, made to open " +
        "from disk), or serve this folder: in the project folder run " +
        "<code>python3 build.py serve</code> and open the address it prints (http://127.0.0.1:8000/).");
      return;
    }

    // A finished download shows up here: the runtime's .wasm starts the next stage, and a
    // failed script or module (not fetched through fetch()) is named with its HTTP status.
    // The status is resource timing's own where the browser has it (Chromium, Firefox), else
    // what the fetch() above saw; a file of unknown status is left to the other handlers.
    if ("PerformanceObserver" in window) {
      new PerformanceObserver((entries) => {
        for (const e of entries.getEntries()) {
          const status = e.responseStatus || statusOf.get(e.name);
          if (!status) continue;
          if (e.name.endsWith("pyodide.asm.wasm") && status < 400) showStage("packages");
          if (status >= 400) fail(`Could not download ${fileName(e.name)} (HTTP ${status}).`, RELOAD);
        }
      }).observe({ type: "resource", buffered: true });
    }
    addEventListener("py:progress", ({ detail }) => {
      if (detail === "Loading Pyodide") showStage("runtime");
      if (detail === "Loaded Pyodide") showStage("engine");
    });
    addEventListener("error", (e) => {
      if (state.status !== "loading") return;
      const src = e.target && (e.target.src || e.target.href);
      fail(src ? `Could not load ${src.split("/").pop()}.` :
        `A script failed while starting: ${e.message || e}`, RELOAD);
    }, true);
    addEventListener("unhandledrejection", (e) => {
      if (state.status !== "loading") return;
      fail(`The Python runtime failed to start: ${e.reason && e.reason.message || e.reason}`, RELOAD);
    });
    setTimeout(() => {
      if (state.status === "loading") {
        fail(`Still not ready after ${WATCHDOG_S} seconds (stuck at: ` +
          `${STAGES.find(([k]) => k === state.stage)[1]}).`, RELOAD);
      }
    }, WATCHDOG_S * 1000);

    // Load PyScript only over http(s): from file:// the module request itself would fail.
    const s = document.createElement("script");
    s.type = "module";
    s.src = "./start-pyscript.js";
    document.head.append(s);
  });

  // Called by web.py when the page is interactive.
  window.kmeansBoot.ready = function () {
    state.status = "ready";
    performance.mark("kmeans:ready");
    el("progress").value = 1;
    el("loading").hidden = true;
    document.documentElement.dataset.ready = "true";
  };
})();
