// The page's service worker: return visits from Cache Storage, and the page offline after one
// visit. boot.js registers it once the page is ready (a first visit is never served by it, so
// a fault on a first visit is the browser's own); the single file registers none.
//
// - Install: every file of this build (FILES, written by the build with each file's sha256,
//   buildtools/worker.py) goes into a cache named after the build. A file whose bytes match is
//   taken from an earlier build's cache, the others are revalidated with the server (after a
//   first visit the HTTP cache answers with 304s, so nothing is downloaded twice); a file that
//   does not match its hash fails the install, and the page stays as it was, online.
// - Activate: the caches of earlier builds of this page are deleted.
// - Fetch: the page (index.html) from the network when it answers within PAGE_WAIT_MS, else
//   from the cache. Every other file of the build from the cache, without a round trip. A page
//   the network answers with another build's HTML (a new build was published) is served
//   entirely by the network, as if there were no worker, while the new worker installs.
"use strict";

// build.py writes this build's files in place of the mark: {relative URL: sha256 hex}; "./" is
// index.html. In site/ it is a mark, and the worker keeps nothing.
const FILES = (() => { const f = "__FILES__"; return typeof f === "string" ? {} : f; })();
const BUILD = "__BUILD__"; // a digest of FILES
const PAGE_WAIT_MS = 4000; // a network slower than this for the page: the cached page is shown

const SCOPE = new URL("./", self.location.href);
const PREFIX = `kmeans-anim ${SCOPE.href} `; // Cache Storage is shared by every page of the origin
const CACHE = PREFIX + BUILD;
const PAGE = SCOPE.href;
const HASHES = new Map(Object.entries(FILES).map(([name, hash]) => [new URL(name, SCOPE).href, hash]));
const passthrough = new Set(); // ids of pages of another build: the network serves them

async function sha256(response) {
  const digest = await crypto.subtle.digest("SHA-256", await response.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

// The same bytes in an earlier build's cache of this page, if any.
async function reuse(url, hash) {
  for (const name of await caches.keys()) {
    if (!name.startsWith(PREFIX) || name === CACHE) continue;
    const response = await (await caches.open(name)).match(url, { ignoreVary: true });
    if (response && (await sha256(response.clone())) === hash) return response;
  }
  return null;
}

async function fill() {
  const cache = await caches.open(CACHE);
  const kept = new Set((await cache.keys()).map((r) => r.url)); // an install cut short before
  await Promise.all([...HASHES].filter(([url]) => !kept.has(url)).map(async ([url, hash]) => {
    let response = await reuse(url, hash);
    if (!response) {
      response = await fetch(url, { cache: "no-cache" });
      if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
      if ((await sha256(response.clone())) !== hash) throw new Error(`${url} is not this build's file`);
    }
    await cache.put(url, response);
  }));
}

self.addEventListener("install", (event) => {
  event.waitUntil(fill().then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys().then((names) => Promise.all(
    names.filter((name) => name.startsWith(PREFIX) && name !== CACHE).map((name) => caches.delete(name)))));
});

const cached = (url) => caches.open(CACHE).then((cache) => cache.match(url, { ignoreVary: true }));

async function page(event) {
  const network = fetch(event.request);
  network.catch(() => {}); // a failure is handled below, or not needed
  let timer;
  const late = new Promise((resolve) => { timer = setTimeout(resolve, PAGE_WAIT_MS, null); });
  const response = await Promise.race([network, late]).catch(() => null);
  clearTimeout(timer);
  if (response && (response.ok || response.type === "opaqueredirect")) {
    if (response.ok && (await sha256(response.clone())) !== HASHES.get(PAGE)) {
      passthrough.add(event.resultingClientId);
    }
    return response;
  }
  // Offline, too slow, or an error status: this build's page, which opens with its own files.
  return (await cached(PAGE)) || response || network;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== SCOPE.origin) return;
  const path = url.origin + url.pathname;
  if (request.mode === "navigate") { // the page, whatever its query (?seed=...)
    if (HASHES.has(PAGE) && (path === PAGE || path === PAGE + "index.html")) event.respondWith(page(event));
    return;
  }
  if (url.search || !HASHES.has(path) || path === PAGE || passthrough.has(event.clientId)) return;
  event.respondWith(cached(path).then((response) => response || fetch(request)));
});
