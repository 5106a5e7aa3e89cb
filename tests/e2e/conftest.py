"""Browser-test fixtures: a real `streamlit run dashboard.py` server and a chromium page cut off from the
outside world (every non-local request is refused by chromium itself, recorded, and fails the test)."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect, sync_playwright

from tests.e2e.helpers import ARTEFACTS, RUN_COUNTER_SCRIPT, WORKER, worker_file

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
# Port 9 (discard) is privileged and never opened by the tests: nothing answers there.
DEAD_PROXY = "http://127.0.0.1:9"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Scrolls jump and animations run on the page's own thread: the tests look at the page once it is still,
    # and chromium spends a sixth less CPU per page without its compositor's animation and scrolling work.
    "--disable-threaded-animation",
    "--disable-threaded-scrolling",
    "--disable-smooth-scrolling",
    # The offline guard. Every request that does not go to this machine (any host, any IP address, http,
    # https and WebSocket alike) goes to a proxy that does not exist, so chromium refuses it itself
    # (net::ERR_PROXY_CONNECTION_FAILED): no DNS lookup, no packet out. Loopback addresses are never sent to
    # a proxy by chromium. The `page` fixture records each such attempt and fails the test.
    # (Intercepting every request with context.route did the same at a quarter more browser CPU.)
    f"--proxy-server={DEAD_PROXY}",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
SERVER_START_TIMEOUT = 120
# Assertions on a page that is still drawing (charts, maps) get more than Playwright's 5 s by default.
expect.set_options(timeout=20_000)
SERVER_LOG = worker_file(ARTEFACTS / "e2e" / "streamlit.log")


def _interrupt(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "long: a long browser walk, started first so that the other worker is not left waiting on it at the end",
    )
    # `make test` runs the browser tests in the background and ends them with SIGTERM when it is
    # interrupted: turned into KeyboardInterrupt, the fixtures still stop their streamlit servers (each in
    # its own session, they would otherwise outlive the run).
    signal.signal(signal.SIGTERM, _interrupt)


def pytest_collection_modifyitems(config, items):
    # Browser tests run last: while the session's Playwright is alive its event loop is current, and
    # asyncio.run() (or an AppTest) in a later test would fail with "cannot be called from a running loop".
    here = Path(__file__).parent
    in_browser = {item: here in Path(item.path).parents for item in items}
    for item in items:
        if in_browser[item]:
            item.add_marker(pytest.mark.e2e)
    # stable: keeps the order within each group; the long walks first among the browser tests (with
    # `--dist loadgroup` the tests that share a module's server stay on one worker, see the Makefile).
    items.sort(
        key=lambda item: (in_browser[item], in_browser[item] and item.get_closest_marker("long") is None)
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    # Fixtures look at the outcome (screenshot on failure) and failing reports carry the server's log.
    setattr(item, f"report_{report.when}", report)
    if report.failed and "server" in item.fixturenames and SERVER_LOG.exists():
        tail = SERVER_LOG.read_text(encoding="utf-8", errors="replace")[-6000:]
        report.sections.append(("journal du serveur streamlit (fin)", tail))
    return report


@pytest.fixture(scope="session")
def browser_required():
    """Skip or fail the browser tests according to the Makefile's verdict on the browser."""
    ci = os.environ.get("CI", "").lower() == "true"
    if os.environ.get("IMPACT_SKIP_BROWSER") == "1":
        if ci:
            pytest.fail("CI=true : les tests navigateur ne peuvent pas être sautés (IMPACT_SKIP_BROWSER=1).")
        pytest.skip("IMPACT_SKIP_BROWSER=1 : aucun navigateur installable, tests navigateur sautés.")
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"{CHROMIUM} introuvable : lancez `make test` en root (il installe chromium), "
            "ou IMPACT_SKIP_BROWSER=1 pour sauter les tests navigateur hors CI."
        )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_healthy(base: str, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    state = f"terminé avec le code {proc.returncode}" if proc.poll() is not None else "toujours pas prêt"
    # The log itself is attached to the report by pytest_runtest_makereport.
    pytest.fail(f"Le serveur streamlit n'a pas démarré ({state}), journal : {SERVER_LOG}", pytrace=False)


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


@pytest.fixture(scope="session")
def server(browser_required, tmp_path_factory):
    """Base URL of `streamlit run dashboard.py` on a free port, on the demo data."""
    with start_server(tmp_path_factory.mktemp("etat")) as base:
        yield base


@contextlib.contextmanager
def start_server(
    state_dir: Path,
    log_path: Path = SERVER_LOG,
    data_dir: Path | None = None,
    *,
    env: dict | None = None,
    address: str = "127.0.0.1",
    script: str = "dashboard.py",
):
    """A fresh `streamlit run dashboard.py` (its own port and state folder, the demo data unless `data_dir`,
    extra environment variables, the address it binds, another app of the repository as `script`); yields its
    base URL, always on 127.0.0.1 (tests never connect elsewhere)."""
    if WORKER and not log_path.stem.endswith(WORKER):
        log_path = worker_file(log_path)
    port = _free_port()
    env = {
        **os.environ,
        "IMPACT_DATA": str(data_dir or ROOT / "data" / "demo"),
        "IMPACT_STATE": str(state_dir),
        "PYTHONUNBUFFERED": "1",
        **(env or {}),
    }
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        script,
        "--server.headless",
        "true",
        "--server.address",
        address,
        "--server.port",
        str(port),
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
    ]
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("w", encoding="utf-8") as log:
        proc = subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(base, proc)
        yield base
    finally:
        _stop(proc)


VIEWPORT = {"width": 1600, "height": 1000}
# The profile is shared by the tests of a process, but each test starts as a new visitor: the first time a tab
# opens a server's page, that server's local storage (Streamlit keeps the menu's unfolding there) is emptied.
FRESH_VISITOR_SCRIPT = """
if (!sessionStorage.getItem('__impactTab')) {
  localStorage.clear();
  sessionStorage.setItem('__impactTab', '1');
}
"""


@pytest.fixture(scope="session")
def browser(browser_required, tmp_path_factory):
    """One chromium profile per test process, its HTTP cache kept from test to test: Streamlit's scripts are
    fetched and compiled once, not once per test (2 to 3 s of browser CPU saved per test). Each test still
    gets a fresh tab, and no cookie of an earlier test (the `page` fixture clears them)."""
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            tmp_path_factory.mktemp("profil_chromium"),
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
            headless=True,
            viewport=VIEWPORT,
            locale="fr-FR",
            timezone_id="Europe/Paris",
            service_workers="block",
        )
        context.add_init_script(FRESH_VISITOR_SCRIPT)
        context.add_init_script(RUN_COUNTER_SCRIPT)
        yield context
        context.close()


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return True
    return parts.scheme in ("http", "https", "ws", "wss") and parts.hostname in LOCAL_HOSTS


@pytest.fixture
def page(browser, server, request):
    """A fresh page at 1600x1000 that may only talk to the local server."""
    outside: list[str] = []
    page_errors: list[str] = []

    def record(kind: str, url: str) -> None:
        if not _is_local(url):
            outside.append(f"{kind} {url}")

    browser.clear_cookies()  # a login of an earlier test is not carried over
    tab = browser.new_page()
    for earlier in browser.pages:  # the blank tab chromium opens with its profile
        if earlier != tab:
            earlier.close()
    tab.set_viewport_size(VIEWPORT)
    tab.on("request", lambda req: record(req.method, req.url))
    tab.on("websocket", lambda ws: record("WEBSOCKET", ws.url))
    tab.on("popup", lambda popup: popup.on("request", lambda req: record(req.method, req.url)))
    tab.outside_requests = outside  # read by the test that proves the guard
    tab.set_default_timeout(60_000)
    tab.on("pageerror", lambda error: page_errors.append(str(error)))
    yield tab

    call = getattr(request.node, "report_call", None)
    if call is not None and call.failed:
        shots = ARTEFACTS / "screenshots"
        shots.mkdir(parents=True, exist_ok=True)
        try:
            tab.screenshot(path=shots / f"ECHEC-{request.node.name}.png")
        except PlaywrightError as error:  # the page may be why the test failed: keep that error first
            print(f"capture d'écran impossible : {error}")
    tab.close()
    browser.clear_cookies()
    problems = []
    if outside:
        problems.append(
            "Requêtes vers l'extérieur tentées (refusées par le navigateur) :\n  "
            + "\n  ".join(sorted(set(outside)))
        )
    if page_errors:
        problems.append("Erreurs JavaScript non rattrapées :\n  " + "\n  ".join(page_errors))
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)
