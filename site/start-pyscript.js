// Loads PyScript (boot.js adds this module over http(s) only) and switches off the hooks PyScript
// keeps for worker scripts. The page runs no worker, and PyScript 0.6 builds those hooks' code
// with Function() for every script it starts, which a Content-Security-Policy without
// 'unsafe-eval' refuses. Without them the page runs under script-src 'self' 'wasm-unsafe-eval'.
import { hooks } from "./pyscript/core.js";

for (const [name, set] of Object.entries(hooks.worker)) {
  if (name.startsWith("on")) set.clear();
}
