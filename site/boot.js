// Page start-up, before Python runs: refuse file://, show named loading stages, turn any
// load failure into a plain-words message naming the file, and expose window.kmeans.snapshot()
// from the start. Classic script (not a module) so it also runs from file://, where modules
// cannot load. In the single file (dist/kmeans-anim.html) window.kmeansOffline starts the
// runtime from the embedded files instead of PyScript.
"use strict";

(function () {
  // Python runs on the page's own stack, not on a second WebAssembly stack (JSPI). With JSPI,
  // Chromium's memory-error sampler (GWP-ASan, on in a few renderers) can trace the stack
  // while Python runs and read past the end of the second stack: the tab crashes ("Target
  // crashed", about 1 load in 700; every load when the sampler is forced on, none with JSPI
  // hidden: benchmarks/bench_crash_soak.py, BENCHMARKS.md "Crash soak"). Pyodide uses JSPI
  // only when the browser offers it, and the page needs none of it (no run_sync).
  for (const name of ["Suspending", "Suspender", "promising"]) delete WebAssembly[name];

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
  const state = { status: "loading", stage: "scripts", error: null, todo: "", notes: [] };

  // Tests and tools read the page through this; web/page.py replaces `source` once Python is up.
  window.kmeans = {
    source: null,
    // snapshot({full: true}) lists every point even above 100,000 points;
    // snapshot({points: false}) leaves the per-point lists out (quick at any size).
    snapshot(options) {
      if (this.source) return JSON.parse(this.source(JSON.stringify(options || {})));
      // held: files asked for that wait until the runtime's own files have arrived.
      return { status: state.status, stage: state.stage, error: state.error, notes: state.notes, held: [...held] };
    },
  };

  function el(id) { return document.getElementById(id); }
  const domReady = () => document.readyState !== "loading";

  function showStage(key) {
    const index = STAGES.findIndex(([k]) => k === key);
    if (index < 0 || state.status !== "loading") return;
    if (index < STAGES.findIndex(([k]) => k === state.stage)) return; // never go backwards
    // Each stage is shown once, whichever of its signals comes first (a wheel asked for, or
    // the runtime's download seen in resource timing), so the marks read as the stages' order.
    if (performance.getEntriesByName(`kmeans:${key}`, "mark").length) return;
    state.stage = key;
    touch();
    performance.mark(`kmeans:${key}`); // benchmarks/bench_page.py reads these
    const list = el("stages");
    if (list) {
      list.querySelectorAll("li").forEach((li, i) => {
        li.className = i < index ? "done" : i === index ? "active" : "";
      });
    }
    const bar = el("progress");
    if (bar) bar.value = index / STAGES.length;
  }

  // Advice is plain text in which `<code>x</code>` marks code (site/main.py passes the same):
  // built as DOM nodes, never innerHTML, so the failure path also works under Trusted Types.
  function withCode(parent, text) {
    text.split(/<code>(.*?)<\/code>/).forEach((part, i) => {
      if (i % 2) parent.append(Object.assign(document.createElement("code"), { textContent: part }));
      else if (part) parent.append(part);
    });
    return parent;
  }

  // The single file's own advice: it is the file to open, and it has no server to rebuild.
  const SINGLE_RELOAD = "This file may be damaged: download it again.";
  const singleFile = () => SINGLE_FILE || Boolean(document.querySelector("script[data-embedded]"));

  // `stall`: the failure is a download that stopped arriving; it is withdrawn if the download
  // moves again (a slow network, not a dead one), and loading carries on where it was.
  function fail(what, todo, stall = false) {
    if (state.status === "error") return;
    state.status = "error";
    state.error = what;
    state.todo = singleFile() && !stall ? SINGLE_RELOAD : todo;
    state.stall = stall;
    document.documentElement.dataset.ready = "error";
    if (domReady()) showFailure();
  }

  function withdrawStall() {
    if (state.status !== "error" || !state.stall) return;
    state.status = "loading";
    state.error = null;
    state.stall = false;
    delete document.documentElement.dataset.ready;
    const failure = el("failure");
    if (failure) failure.remove();
    const box = el("loading");
    if (box) box.classList.remove("failed");
    for (const child of hiddenByFailure.splice(0)) child.hidden = false;
    if (!watching) watching = setInterval(stalled, 1000);
  }

  // The failure replaces what the loading box shows but keeps its elements (hidden): code that
  // still runs (a late stage, web/page.py's ready()) finds them and changes nothing visible.
  const hiddenByFailure = []; // what showFailure() hid, shown again if a stall is withdrawn
  function showFailure() {
    const box = el("loading");
    if (!box || state.status !== "error" || el("failure")) return;
    box.classList.add("failed");
    box.hidden = false;
    for (const child of box.children) {
      if (!child.hidden) hiddenByFailure.push(child);
      child.hidden = true;
    }
    const failure = Object.assign(document.createElement("div"), { id: "failure" });
    const h = Object.assign(document.createElement("h2"), { textContent: "The page could not start" });
    const p = Object.assign(document.createElement("p"), { textContent: state.error });
    failure.append(h, p, withCode(document.createElement("p"), state.todo));
    box.append(failure);
  }

  // A cosmetic file (the icon, a stylesheet) that fails is said, and the page starts without it.
  const COSMETIC = /\.(css|svg|ico|png)$/;
  function note(what) {
    if (state.notes.includes(what)) return;
    state.notes.push(what);
    console.warn(what);
    if (domReady()) showNotes();
  }
  function showNotes() {
    const box = el("load-note");
    if (!box || !state.notes.length) return;
    box.textContent = state.notes.join(" ");
    box.hidden = false;
  }
  window.kmeansBoot = { showStage, fail, STAGES };

  const RELOAD = "Reload the page. If it keeps failing, the copy on this server may be " +
    "incomplete: rebuild it with <code>python3 build.py</code> and serve <code>dist/</code> again.";
  const GET = SINGLE_FILE ? "unpack" : "download"; // what failed: the single file only unpacks
  const fileName = (url) => decodeURIComponent(new URL(url, location.href).pathname.split("/").pop());

  // A problem with one file: named, and fatal unless the file is cosmetic.
  function problem(url, what, todo = RELOAD, stall = false) {
    if (COSMETIC.test(new URL(url, location.href).pathname)) {
      note(`${what} The page works without it, only plainer.`);
    } else if (state.status === "loading") {
      fail(what, todo, stall);
    }
  }
  const STALL_TODO = "Check the network connection and reload the page. If the file arrives " +
    "meanwhile, the page carries on by itself.";
  const stalledFile = (name) => `${name} stopped arriving: nothing came for ${STALL_S} seconds.`;

  // ---- every file is watched: its size against the build's, its arrival against a stall
  // The size of every file in dist/ as built (build.py writes them; in site/ it is a mark).
  const SIZES = (() => { const s = "__FILE_SIZES__"; return typeof s === "string" ? {} : s; })();
  const BASE = new URL("./", location.href).href;
  const builtSize = (url) => SIZES[decodeURIComponent(new URL(url, location.href).href.slice(BASE.length).split(/[?#]/)[0])];
  const STALL_S = 8; // a download with no progress for this long has stopped arriving
  let lastProgress = performance.now();
  // Progress of any download (a piece of a body, a file finished, a stage reached).
  function touch() {
    lastProgress = performance.now();
    withdrawStall();
  }

  function checkSize(url, bytes) {
    const size = SINGLE_FILE ? undefined : builtSize(url);
    if (size !== undefined && bytes > 0 && bytes !== size) {
      problem(url, `${fileName(url)} arrived damaged or incomplete (${bytes.toLocaleString("en")} ` +
        `bytes instead of ${size.toLocaleString("en")}).`);
      return false;
    }
    return true;
  }

  // Every download the runtime makes goes through fetch(): a failed or refused one is named at
  // once, instead of surfacing later as a Python error about something else. The status of
  // each response is kept for the resource-timing observer below: WebKit's resource timing has
  // no responseStatus.
  const statusOf = new Map(); // absolute URL -> HTTP status of its latest response
  const fetching = new Set(); // absolute URLs asked for whose bodies have not all arrived
  const urlOf = new WeakMap(); // response -> the URL asked for (a Response's url may be "")

  // Read a copy of the body as it arrives: each piece is progress, its end is checked
  // against the size built, and a body that breaks off is named.
  async function watchBody(url, response) {
    fetching.add(url);
    let bytes = 0;
    try {
      const reader = response.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        bytes += value.length;
        touch();
      }
      checkSize(url, bytes);
    } catch (e) {
      problem(url, `${fileName(url)} stopped arriving (${e.message}).`);
    } finally {
      settled(url);
      touch();
    }
  }

  // A fetch with an integrity hash (the wheels) shows nothing until its last byte, so a slow
  // download would look stalled: the hash is checked here instead, on the bytes as they pass,
  // and the body ends (or fails, after the file is named) only once it is checked.
  const ALGORITHMS = { sha256: "SHA-256", sha384: "SHA-384", sha512: "SHA-512" };
  async function matches(chunks, integrity) {
    const [algorithm, want] = [integrity.slice(0, integrity.indexOf("-")), integrity.slice(integrity.indexOf("-") + 1)];
    const all = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
    chunks.reduce((at, c) => { all.set(c, at); return at + c.length; }, 0);
    const digest = new Uint8Array(await crypto.subtle.digest(ALGORITHMS[algorithm], all));
    return btoa(String.fromCharCode(...digest)) === want;
  }
  function checked(url, response, integrity) {
    const reader = response.body.getReader();
    const chunks = [];
    const body = new ReadableStream({
      async pull(controller) {
        let piece;
        try {
          piece = await reader.read();
        } catch (e) {
          settled(url);
          problem(url, `${fileName(url)} stopped arriving (${e.message}).`);
          throw e;
        }
        touch();
        if (!piece.done) {
          chunks.push(piece.value);
          controller.enqueue(piece.value);
          return;
        }
        settled(url);
        if (await matches(chunks, integrity)) {
          controller.close();
          return;
        }
        problem(url, `Could not load ${fileName(url)}: it does not match the hash recorded when ` +
          "the page was built (a damaged or incomplete file).");
        controller.error(new Error(`${fileName(url)} does not match its recorded hash`));
      },
    });
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  }

  // The order of the downloads.
  // - The runtime first. PyScript reaches Pyodide only after a chain of modules
  //   (start-pyscript.js, core.js, its chunk, pyscript.json, the interpreter module, pyodide.mjs),
  //   each found only once the one before has arrived: about 0.4 s of round trips. The
  //   runtime's files (RUNTIME) are asked for at once instead (fetchRuntimeAhead), and the chain's
  //   modules are preloaded.
  // - The wheels after it. Python cannot start before both runtime files have arrived, and
  //   needs the wheels only once it has started (about a second of compiling and
  //   initialising); Pyodide asks for them as soon as its lock file arrives, so on a slow
  //   network they would take bandwidth from the runtime. Each wheel waits for `runtimeIn`
  //   (listed meanwhile in window.kmeans.snapshot().held), so Python's start overlaps their
  //   download. The page's own files, which PyScript asks for only once Python has started
  //   (AFTER_RUNTIME), are asked for then too.
  // A file asked for ahead is held in `ahead` until Pyodide's or PyScript's own request takes
  // its response; everything below (status, size, hash, a body that breaks off) is then
  // checked and named as for any file. `runtimeIn` resolves once both runtime files have
  // arrived or failed (the failure is named where it happens).
  const RUNTIME = ["pyodide/pyodide.asm.wasm", "pyodide/python_stdlib.zip"];
  const RUNTIME_AHEAD = [...RUNTIME, "pyodide/pyodide-lock.json"];
  const PRELOAD = [/^pyscript\/core(-[^/]*)?\.js$/, /^pyodide-snapshot\.mjs$/, /^pyodide\/pyodide(\.asm)?\.m?js$/];
  const AFTER_RUNTIME = ["kmeans_anim.zip", "main.py"];
  const runtimeLeft = new Set(RUNTIME.map((n) => new URL(n, BASE).href));
  let runtimeArrived;
  const runtimeIn = new Promise((resolve) => { runtimeArrived = resolve; });
  function arrived(url) {
    if (runtimeLeft.delete(url.split("#")[0]) && !runtimeLeft.size) runtimeArrived();
  }
  // A download is over (its body has arrived, or it failed): no longer watched for a stall.
  function settled(url) {
    fetching.delete(url);
    arrived(url);
  }
  const waitsForRuntime = (url) => !SINGLE_FILE && url.startsWith(BASE) && url.endsWith(".whl");
  const held = new Set(); // names of the files asked for that wait for the runtime
  function afterRuntime(url, request) {
    const name = fileName(url);
    held.add(name);
    return runtimeIn.then(() => {
      held.delete(name);
      return request();
    });
  }

  const ahead = new Map(); // absolute URL -> Promise<Response>, until the page's own request
  function fetchAhead(names) {
    for (const name of names) {
      const url = new URL(name, BASE).href;
      fetching.add(url); // a file that stalls is named even before the page asks for it
      const response = realFetch.call(window, url);
      // Read a copy as it arrives: the body downloads in full meanwhile, and each piece is
      // progress. What goes wrong is named once the page's own request takes the response.
      response.then((r) => r.ok && r.body && drain(r.clone()), () => {});
      ahead.set(url, response);
    }
  }
  function fetchRuntimeAhead() {
    for (const name of Object.keys(SIZES).filter((n) => PRELOAD.some((re) => re.test(n)))) {
      const link = document.createElement("link");
      link.rel = "modulepreload";
      link.href = new URL(name, BASE).href;
      document.head.append(link);
    }
    fetchAhead(RUNTIME_AHEAD);
    showStage("runtime");
    runtimeIn.then(() => {
      if (state.status !== "loading") return;
      fetchAhead(AFTER_RUNTIME);
      showStage("packages");
    });
  }
  async function drain(response) {
    const reader = response.body.getReader();
    try {
      while (!(await reader.read()).done) touch();
    } catch (e) { /* named by Pyodide's request, which reads the same body */ }
  }

  const realFetch = window.fetch;
  window.fetch = async function (input, init) {
    const url = new URL(String(input instanceof Request ? input.url : input), location.href).href;
    const watched = !SINGLE_FILE && state.status === "loading" && url.startsWith(BASE);
    const integrity = watched && init && init.integrity &&
      window.crypto && crypto.subtle && ALGORITHMS[init.integrity.split("-")[0]] ? init.integrity : null;
    if (integrity) {
      init = { ...init };
      delete init.integrity;
    }
    const early = ahead.get(url); // a file asked for ahead: its response, checked below
    ahead.delete(url);
    if (watched) fetching.add(url);
    let response;
    try {
      const request = () => realFetch.call(this, input, init);
      response = await (early || (waitsForRuntime(url) ? afterRuntime(url, request) : request()));
    } catch (e) {
      settled(url);
      if (state.status === "loading" && !url.startsWith("data:")) {
        // A fetch with an integrity hash fails the same way for a 404 and for wrong bytes.
        const head = init && init.integrity && !SINGLE_FILE ?
          await realFetch.call(this, url, { method: "HEAD", cache: "no-store" }).catch(() => null) : null;
        problem(url, head && !head.ok ? `Could not download ${fileName(url)} (HTTP ${head.status}).` :
          head ? `Could not load ${fileName(url)}: it does not match the hash recorded when the ` +
            "page was built (a damaged or incomplete file)." :
          `Could not ${GET} ${fileName(url)} (${e.message}).`);
      }
      throw e;
    }
    touch();
    urlOf.set(response, url);
    if (!url.startsWith("data:")) statusOf.set(url, response.status);
    if (!response.ok) {
      settled(url);
      if (state.status === "loading") problem(url, `Could not ${GET} ${fileName(url)} (HTTP ${response.status}).`);
    } else if (integrity && response.body) {
      response = checked(url, response, integrity);
      urlOf.set(response, url);
    } else if (watched && response.body) {
      watchBody(url, response.clone());
    } else {
      settled(url);
    }
    return response;
  };

  // The policy, not the file: a Content-Security-Policy whose script-src lacks
  // 'wasm-unsafe-eval' refuses to compile any WebAssembly, so Python cannot run.
  const CSP_ADVICE = "Whoever serves this page must add <code>'wasm-unsafe-eval'</code> to the " +
    "<code>script-src</code> of its Content-Security-Policy (the policy the page is built for: " +
    "<code>script-src 'self' 'wasm-unsafe-eval'</code>).";
  const cspRefusal = (message) => /Content Security Policy|wasm-unsafe-eval|unsafe-eval/i.test(message);
  function failPolicy() {
    fail("This server's Content-Security-Policy does not allow WebAssembly, which runs Python " +
      "in this page.", CSP_ADVICE);
  }
  addEventListener("securitypolicyviolation", (e) => {
    if (state.status === "loading" && e.blockedURI === "wasm-eval") failPolicy();
  });

  // A truncated or damaged pyodide.asm.wasm fails to compile; Pyodide would only log it and wait.
  const instantiateStreaming = WebAssembly.instantiateStreaming;
  WebAssembly.instantiateStreaming = async function (source, imports) {
    try {
      return await instantiateStreaming.call(this, source, imports);
    } catch (e) {
      const response = await Promise.resolve(source).catch(() => null);
      const url = response && (urlOf.get(response) || response.url);
      const name = url ? fileName(url) : "the WebAssembly runtime";
      const type = response && response.headers.get("Content-Type");
      if (cspRefusal(e.message)) failPolicy();
      else if (type && !type.startsWith("application/wasm")) {
        fail(`Could not start ${name}: the server sent it as ${type}, and browsers run ` +
          "WebAssembly only when it is sent as application/wasm.",
          "Whoever serves this page must send <code>.wasm</code> files with the type " +
          "<code>application/wasm</code>.");
      } else {
        fail(`Could not start ${name}: the file is damaged or incomplete (${e.message}).`, RELOAD);
      }
      throw e;
    }
  };

  // A finished download shows up here: its status and size are checked (a script or a module,
  // not fetched through fetch(), is named here), and the runtime's .wasm starts the next
  // stage. The status is resource timing's own where the browser has it (Chromium, Firefox),
  // else what the fetch() above saw; a file of unknown status is left to the other handlers.
  const finished = new Set(); // absolute URLs with a resource-timing entry
  function sawResource(e) {
    finished.add(e.name.split("#")[0]);
    arrived(e.name); // also seen here, whichever way the file was fetched
    touch();
    const status = e.responseStatus || statusOf.get(e.name);
    if (!status) return;
    if (status >= 400) problem(e.name, `Could not download ${fileName(e.name)} (HTTP ${status}).`);
    else if (e.initiatorType !== "fetch" && checkSize(e.name, e.decodedBodySize)) checkType(e);
  }
  // Browsers run a script or apply a stylesheet only when it is sent with its type (resource
  // timing reports the type where it knows it, and "" for a type it does not run).
  const NEEDED = [[/\.m?js$/, /^(text|application)\/(javascript|ecmascript)/, "text/javascript"],
    [/\.css$/, /^text\/css/, "text/css"]];
  const OWN = document.currentScript && document.currentScript.src; // ran, so its type was fine
  function checkType(e) {
    if (!("contentType" in e) || e.name === OWN) return;
    const path = new URL(e.name).pathname;
    for (const [file, type, name] of NEEDED) {
      if (file.test(path) && !type.test(e.contentType)) {
        const sent = e.contentType || "a type browsers do not run";
        problem(e.name, `${fileName(e.name)} was sent as ${sent}, not ${name}, so the browser ` +
          "did not use it.", "Whoever serves this page must send <code>.js</code> and " +
          "<code>.mjs</code> files as <code>text/javascript</code> and <code>.css</code> files " +
          "as <code>text/css</code>.");
      }
    }
  }
  if ("PerformanceObserver" in window) {
    new PerformanceObserver((entries) => entries.getEntries().forEach(sawResource))
      .observe({ type: "resource", buffered: true });
  }

  // What the page loads without fetch(), in the order it asks for them: when downloads stall
  // and no fetch() is waiting, the first of these not yet arrived is the one that stopped.
  const SCRIPTS = [
    [/\/start-pyscript\.js$/, "start-pyscript.js"],
    [/\/pyscript\/core\.js$/, "PyScript (pyscript/core.js)"],
    [/\/pyscript\/core-[^/]*\.js$/, "PyScript (pyscript/core-….js)"],
    [/\/pyodide\/pyodide\.mjs$/, "pyodide.mjs"],
    [/\/pyodide\/pyodide\.asm\.js$/, "pyodide.asm.js"],
  ];
  let lastTick = performance.now();
  function stalled() {
    // A page too busy to run this on time (Python importing, a slow machine) says nothing
    // about the downloads: their callbacks waited too.
    const now = performance.now();
    if (now - lastTick > 2000) lastProgress = now;
    lastTick = now;
    // A stylesheet that never finishes holds the drawing of the whole page, ready or not:
    // after STALL_S seconds from the start it is dropped.
    const pendingSheets = [...document.querySelectorAll("link[rel~=stylesheet]")]
      .filter((link) => !link.sheet && !finished.has(link.href));
    if (performance.now() > STALL_S * 1000) {
      for (const link of pendingSheets) {
        link.remove();
        note(stalledFile(fileName(link.href)));
      }
    }
    if (state.status !== "loading" && !pendingSheets.length) {
      clearInterval(watching);
      watching = 0;
    }
    if (state.status !== "loading" || performance.now() - lastProgress < STALL_S * 1000) return;
    const waiting = [...fetching].filter((url) => !finished.has(url));
    if (waiting.length) {
      problem(waiting[0], stalledFile(fileName(waiting[0])), STALL_TODO, true);
      return;
    }
    const seen = [...finished];
    const started = document.querySelector("script[src$='start-pyscript.js']");
    if (!started) return;
    for (const [pattern, name] of SCRIPTS) {
      if (!seen.some((url) => pattern.test(url.split("?")[0]))) {
        fail(stalledFile(name), STALL_TODO, true);
        return;
      }
    }
  }

  let watching = 0;
  function start() {
    const wait = el("boot-wait"); // the HTML's own message for scripts that never ran
    if (wait) wait.remove();
    const list = el("stages");
    for (const [key, label] of STAGES) {
      const li = document.createElement("li");
      li.dataset.stage = key;
      li.textContent = label;
      list.append(li);
    }
    showStage("scripts");
    showFailure();
    showNotes();

    if (window.kmeansOffline) { // the single file: everything it needs is inside it
      const link = el("offline-download");
      if (link) link.hidden = true;
      window.kmeansOffline.start();
      return;
    }
    if (singleFile()) { // the single file without its loader
      fail("This file's loader (its start-up script) is missing or damaged.", SINGLE_RELOAD);
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

    addEventListener("py:progress", ({ detail }) => {
      if (detail === "Loading Pyodide") showStage("runtime");
      if (detail === "Loaded Pyodide") showStage("engine");
    });
    addEventListener("error", (e) => {
      if (state.status !== "loading") return;
      const src = e.target && (e.target.src || e.target.href);
      if (src) {
        problem(src, `Could not load ${fileName(src)}.`);
        return;
      }
      // A script that arrived short fails to parse ("Unexpected end of input"): name it.
      const entry = e.filename && performance.getEntriesByName(e.filename).pop();
      if (entry && !checkSize(e.filename, entry.decodedBodySize)) return;
      fail(e.filename ? `${fileName(e.filename)} failed while starting: ${e.message}` :
        `A script failed while starting: ${e.message || e}`, RELOAD);
    }, true);
    addEventListener("unhandledrejection", (e) => {
      if (state.status !== "loading") return;
      fail(`The Python runtime failed to start: ${e.reason && e.reason.message || e.reason}`, RELOAD);
    });
    watching = setInterval(stalled, 1000);
    setTimeout(() => {
      if (state.status === "loading") {
        fail(`Still not ready after ${WATCHDOG_S} seconds (stuck at: ` +
          `${STAGES.find(([k]) => k === state.stage)[1]}).`, RELOAD);
      }
    }, WATCHDOG_S * 1000);

    // Load PyScript only over http(s): from file:// the module request itself would fail.
    const s = document.createElement("script");
    s.type = "module";
    try {
      s.src = "./start-pyscript.js";
    } catch (e) { // a policy with require-trusted-types-for refuses a plain string here
      fail("This server's Content-Security-Policy requires Trusted Types " +
        "(require-trusted-types-for 'script'), which PyScript and Pyodide, the page's Python " +
        "runtime, do not support.", "Whoever serves this page must leave " +
        "<code>require-trusted-types-for</code> out of its Content-Security-Policy for this page.");
      return;
    }
    document.head.append(s);
    fetchRuntimeAhead();
  }
  // boot.js is async (the HTML is not held while it arrives): it may run before or after
  // the document is parsed.
  if (domReady()) start();
  else document.addEventListener("DOMContentLoaded", start);

  // Return visits and offline use: the service worker (sw.js) keeps this build's files. It is
  // registered only once the page works, so a first visit is never served by it (a fault is the
  // browser's own) and a broken copy is never kept; the single file, opened from disk, needs
  // none. <html data-offline="ready"> once a worker holds this page's files. Not having one is
  // no problem: the page works as before, so a refusal is only a warning.
  function keepForOffline() {
    if (SINGLE_FILE || !/^https?:$/.test(location.protocol) || !("serviceWorker" in navigator)) return;
    const workers = navigator.serviceWorker;
    try {
      workers.register("./sw.js").catch((e) => console.warn(`Offline use is not available: ${e.message}`));
    } catch (e) { // a policy requiring Trusted Types refuses a plain string here
      console.warn(`Offline use is not available: ${e.message}`);
      return;
    }
    workers.ready.then(() => { document.documentElement.dataset.offline = "ready"; });
  }

  // Called by web/page.py when the page is interactive.
  window.kmeansBoot.ready = function () {
    withdrawStall(); // it arrived after all
    if (state.status === "error") return; // what went wrong stays on screen
    state.status = "ready";
    performance.mark("kmeans:ready");
    el("loading").hidden = true;
    document.documentElement.dataset.ready = "true";
    keepForOffline();
  };
})();
