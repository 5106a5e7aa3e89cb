"""Page times in a real browser, as ratios to a hello-world Streamlit app served in the same run (`make bench`).

Usage: python bench/pages.py [--dossier data/demo] [--dossier /tmp/demo100] [--repeat 3] [--charge 20]
                             [--racine /chemin/vers/une/autre/copie]  (the same measures on another checkout)

For each folder: `--repeat` fresh `streamlit run dashboard.py` on state folders never used (first visit:
navigation to the home page until its first figure; median and each measure), every page opened `--repeat`
times (navigation -> script finished and browser idle: the page drawn; median) beside bench/hello.py (at "/", and a page of
bench/hello_pages.py at its own address: Streamlit's own cost of a deep link) and beside its floor (bench/plancher.py:
the same elements sent back by a Streamlit app that computes nothing; page/plancher is what the dashboard's own work
adds), then reached `--repeat` times by a click in the menu of the top bar (the app loaded, as a user moves) beside a
page change of bench/hello_pages.py and of the floor, the
server's memory, then `--repeat` restarts on the same state folder (unchanged data: time to the first figure),
each followed by the same restart of bench/hello_figure.py (one key figure, one plotly chart: the floor of
this machine, and the ratio to it). With `--charge N`, on the first folder: first a meeting of N people each
on their own computer (N - 1 sessions without a browser, bench/salle.py, load the server while one browser
measures its pages by address and by the menu: p50 and p95 against the same browser alone), then N browser
sessions opening pages at once on this machine: p50 and p95 of the page times against the single-user
median, errors, memory.
Headless chromium (/usr/bin/chromium), every non-local request aborted. Timings only: the test suite
asserts correctness.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import plancher
import salle
from playwright.async_api import TimeoutError as PlaywrightTimeout
from playwright.async_api import async_playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
# Offline like the rooms: every non-local request goes to a proxy that does not exist (chromium refuses it
# itself, at no cost to the pages measured; intercepting each request would add about a quarter of CPU).
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--proxy-server=http://127.0.0.1:9"]  # fmt: skip
PAGES = [
    ("vue_ensemble", "Vue d'ensemble"),
    ("carte", "Carte"),
    ("heures", "Heures et activités"),
    ("emplois", "Emplois et parcours"),
    ("sorties", "Sorties"),
    ("marches", "Marchés"),
    ("structures", "Structures"),
    ("fiche_commune", "Fiche commune"),
    ("bilan", "Bilan annuel"),
    ("methodologie", "Méthodologie"),
    ("donnees", "Données"),
]
FIGURE = '[data-testid="stMetric"], [data-testid="stPlotlyChart"], [data-testid="stDataFrame"]'
# Script finished: connected, not running, at least one run seen (or something drawn), nothing busy.
DONE_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-connection-state') !== 'CONNECTED') return false;
  if (app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (!(window.__runs > 0 || document.querySelector('[data-testid="stMainBlockContainer"] [data-testid="stElementContainer"]'))) return false;
  return !document.querySelector('[data-testid="stStatusWidgetRunningIcon"], [data-testid="stStatusWidgetRunningManIcon"], [data-testid="stSpinner"], [data-testid="stSkeleton"], [data-testid="stAppSkeleton"], [data-stale="true"]');
}"""
# Resolves once the browser's main thread has been idle (or after 5 s).
IDLE_JS = "() => new Promise((done) => requestIdleCallback(() => done(), {timeout: 5000}))"
RUNS_JS = """window.__runs = 0; new MutationObserver((rs) => { for (const r of rs)
  if (r.target.getAttribute('data-test-script-state') === 'running') window.__runs += 1; })
  .observe(document, {subtree: true, attributes: true, attributeFilter: ['data-test-script-state']});"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def process_cpu(pid: int | str) -> float:
    """User + system CPU seconds of one process (/proc/PID/stat), 0 when it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = stat[stat.rfind(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def browser_cpu() -> float:
    """CPU seconds used so far by every chromium process of this machine (the bench's own browser)."""
    total = 0.0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if b"chromium" in Path(f"/proc/{pid}/cmdline").read_bytes():
                total += process_cpu(pid)
        except OSError:
            pass
    return total


class Server:
    """`streamlit run SCRIPT` on a free port; rss() is the memory of the server process (MB)."""

    def __init__(self, script: str, env: dict | None = None, cwd: Path = ROOT):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        cmd = [sys.executable, "-m", "streamlit", "run", script, "--server.headless", "true",
               "--server.address", "127.0.0.1", "--server.port", str(self.port),
               "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]  # fmt: skip
        fd, self.log = tempfile.mkstemp(prefix="bench_streamlit_", suffix=".log")
        self.t0 = time.perf_counter()
        with os.fdopen(fd, "w") as log:
            self.proc = subprocess.Popen(
                cmd, cwd=cwd, env={**os.environ, **(env or {})}, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"le serveur {script} s'est arrêté, journal : {self.log}")
            try:
                with urllib.request.urlopen(self.base + "/_stcore/health", timeout=2):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"le serveur {script} ne répond pas, journal : {self.log}")

    def rss(self) -> float:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def peak(self) -> float:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def cpu(self) -> float:
        """Seconds of CPU the server process has used so far."""
        return process_cpu(self.proc.pid)

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


async def new_tab(browser):
    ctx = await browser.new_context(viewport={"width": 1280, "height": 720}, locale="fr-FR")
    await ctx.add_init_script(RUNS_JS)
    tab = await ctx.new_page()
    tab.set_default_timeout(180_000)  # a busy server (100× folder) may take long to answer
    tab.errors = []
    tab.on("pageerror", lambda e: tab.errors.append(str(e)))
    return tab


async def visit(tab, url: str, figure: bool = False) -> float:
    """Seconds from navigation to the page drawn: the end of its script run, then the browser's main thread idle
    (charts and maps draw after the run ends); or to the first figure."""
    t0 = time.perf_counter()
    await tab.goto(url, wait_until="commit")
    if figure:
        await tab.wait_for_selector(FIGURE, timeout=180_000)
    else:
        await tab.wait_for_function(DONE_JS, timeout=180_000, polling=20)
        await tab.evaluate(IDLE_JS)
    elapsed = time.perf_counter() - t0
    if await tab.locator('[data-testid="stException"]').count():
        tab.errors.append(f"exception Streamlit sur {url}")
    return elapsed


async def menu_link(tab, title: str):
    """The link of a page in the menu of the top bar: among the links of the bar (hello-world's pages), or in
    the list of one of its sections (the dashboard's), opened here."""
    link = tab.locator('[data-testid="stTopNav"]').get_by_role("link", name=title)
    if await link.count():
        return link.first
    for section in await tab.locator('[data-testid="stTopNavSection"]').all():
        await section.click()
        link = tab.locator('[data-testid="stTopNavPopover"]').get_by_role("menuitem", name=title).first
        try:
            await link.wait_for(timeout=2_000)
            return link
        except PlaywrightTimeout:
            await tab.keyboard.press("Escape")
    raise RuntimeError(f"« {title} » absent du menu")


async def click(tab, title: str) -> float:
    """Seconds from a click on the page's link in the menu (found by its title; its section's list opened
    before the clock starts) to the page drawn (the end of its script run, then the browser idle): the page
    change of a user, the app staying loaded in the browser."""
    await tab.evaluate("window.__runs = 0")
    link = await menu_link(tab, title)
    target = urlsplit(await link.get_attribute("href") or "/").path or "/"
    # The new page's run was seen, or its content is there: a very short run (a hello-world page) can start
    # and end within one render, and then the app never shows "running".
    shown = f"document.querySelector('[data-testid=\"stMain\"] h1')?.innerText.includes({title!r})"
    # The previous page has finished drawing (a map keeps drawing after its script run): its work must not
    # be counted in this page's time.
    await tab.evaluate(IDLE_JS)
    t0 = time.perf_counter()
    await link.click()
    await tab.wait_for_function(
        f"() => location.pathname === {target!r} && (window.__runs > 0 || {shown}) && ({DONE_JS})()",
        timeout=180_000,
        polling=20,
    )
    await tab.evaluate(IDLE_JS)
    elapsed = time.perf_counter() - t0
    if await tab.locator('[data-testid="stException"]').count():
        tab.errors.append(f"exception Streamlit sur {target} (menu)")
    return elapsed


def fmt_ratio(t: float, ref: float) -> str:
    return f"{t:6.2f} s  {t / ref:5.2f}×"


def spread(values: list[float]) -> str:
    """The median, then every measure: a first visit or a restart is timed once per server, and this
    machine's noise moves one measure by a third."""
    return f"{statistics.median(values):6.2f} s  ({' / '.join(f'{v:.2f}' for v in values)})"


async def first_visit(browser, env: dict, root: Path) -> float:
    """Navigation to the first figure on a fresh server whose state folder has never seen the data."""
    srv = Server("dashboard.py", {**env, "IMPACT_STATE": tempfile.mkdtemp(prefix="bench_etat_")}, root)
    try:
        tab = await new_tab(browser)
        elapsed = await visit(tab, srv.base + "/", figure=True)
        await tab.context.close()
        return elapsed
    finally:
        srv.stop()


async def bench_folder(
    browser, folder: Path, repeat: int, hello: Server, hello_pages: Server, root: Path = ROOT
) -> None:
    print(f"\n== {folder} (code : {root})", flush=True)
    state = tempfile.mkdtemp(prefix="bench_etat_")
    env = {"IMPACT_DATA": str(folder), "IMPACT_STATE": state}
    firsts = [await first_visit(browser, env, root) for _ in range(repeat - 1)]
    srv = Server("dashboard.py", env, root)
    try:
        tab = await new_tab(browser)
        firsts.append(await visit(tab, srv.base + "/", figure=True))
        print(f"{'premier affichage (dossier jamais vu)':38} {spread(firsts)}", flush=True)
        await tab.context.close()
        floor = await floor_server(srv, root)
        try:
            await measure_pages(browser, srv, floor, repeat, hello, hello_pages)
        finally:
            floor.stop()
        print(f"{'mémoire du serveur':38} {srv.rss():6.0f} Mo (pic {srv.peak():.0f} Mo)", flush=True)
    finally:
        srv.stop()
    await restarts_of(browser, env, repeat, root)


async def floor_server(srv: Server, root: Path) -> Server:
    """Streamlit's own floor of the dashboard's pages (bench/plancher.py): their messages, recorded from `srv`,
    sent back by bench/plancher_app.py with nothing computed."""
    folder = Path(tempfile.mkdtemp(prefix="bench_plancher_"))
    recordings = {"": await plancher.record(srv.base, "")}
    for path, _title in PAGES:
        recordings[path] = await plancher.record(srv.base, path)
    plancher.save(recordings, folder)
    # Beside the dashboard's static/ (served at app/static/: the maps' empty TopoJSON), as dashboard.py is.
    app = folder / "plancher_app.py"
    shutil.copy(ROOT / "bench" / "plancher_app.py", app)
    (folder / "static").symlink_to(root / "static")
    return Server(str(app), {"PLANCHER_DIR": str(folder)}, root)


def floor_line(title: str, t: float, ref: float, t_floor: float) -> str:
    """A page's time, its ratio to hello-world, its floor's time and the page's ratio to its floor."""
    return f"{title:38} {fmt_ratio(t, ref)}   plancher {t_floor:5.2f} s  page/plancher {t / t_floor:4.2f}×"


async def measure_pages(browser, srv: Server, floor: Server, repeat: int, hello: Server, hello_pages: Server):
    """Every page by its address, then by a click in the menu, beside hello-world and beside its floor."""
    times: dict[str, list[float]] = {"hello": [], "hello_deux": []}
    tab = await new_tab(browser)
    for _ in range(repeat):  # interleaved, so that a noisy moment hits every page alike
        times["hello"].append(await visit(tab, hello.base + "/"))
        times["hello_deux"].append(await visit(tab, hello_pages.base + "/deux"))
        for path, _title in PAGES:
            times.setdefault(path, []).append(await visit(tab, f"{srv.base}/{path}"))
            times.setdefault("plancher " + path, []).append(await visit(tab, f"{floor.base}/{path}"))
    ref = statistics.median(times["hello"])
    print(f"{'hello-world':38} {ref:6.2f} s", flush=True)
    # Streamlit's own cost of an address other than "/": its page first asks /deux/_stcore/health (the
    # app could be served under /deux), and tries "/" 0,1 s after the refusal. Every page of the dashboard
    # but the home page pays it when opened by its address; the ratios stay to the hello-world at "/".
    deux = statistics.median(times["hello_deux"])
    print(f"{'hello-world, page à son adresse (/deux)':38} {fmt_ratio(deux, ref)}", flush=True)
    print(f"{'':38} {'':15}   (plancher : les mêmes éléments, rien de calculé, bench/plancher.py)")
    for path, title in PAGES:
        median = statistics.median
        print(floor_line(title, median(times[path]), ref, median(times["plancher " + path])), flush=True)
    if tab.errors:
        print("ERREURS :", *tab.errors, sep="\n  ")
    await tab.context.close()
    # The same pages reached as a user reaches them: a click in the menu, the app already loaded (from the
    # last page, so that every click changes the page).
    menu: dict[str, list[float]] = {"hello": []}
    tab = await new_tab(browser)
    await visit(tab, f"{srv.base}/{PAGES[-1][0]}")
    hello_tab = await new_tab(browser)
    await visit(hello_tab, hello_pages.base + "/")
    floor_tab = await new_tab(browser)
    await visit(floor_tab, f"{floor.base}/{PAGES[-1][0]}")
    for _ in range(repeat if len(PAGES) > 1 else 0):
        for title in ("Deux", "Un"):
            menu["hello"].append(await click(hello_tab, title))
        for path, title in PAGES:
            menu.setdefault(path, []).append(await click(tab, title))
            menu.setdefault("plancher " + path, []).append(await click(floor_tab, title))
    ref = statistics.median(menu["hello"] or [float("nan")])
    print(f"{'-- par le menu (application chargée)':38}")
    print(f"{'hello-world (changement de page)':38} {ref:6.2f} s", flush=True)
    for path, title in PAGES if len(PAGES) > 1 else []:
        median = statistics.median
        print(floor_line(title, median(menu[path]), ref, median(menu["plancher " + path])), flush=True)
    if tab.errors:
        print("ERREURS :", *tab.errors, sep="\n  ")
    for t in (tab, hello_tab, floor_tab):
        await t.context.close()


async def restarts_of(browser, env: dict, repeat: int, root: Path) -> None:
    """Restarts on the unchanged folder beside the same restart of hello_figure.py, and the memory after."""
    restarts, boots, memory, floors = [], [], [], []
    for _ in range(repeat):
        srv = Server("dashboard.py", env, root)
        try:
            boots.append(time.perf_counter() - srv.t0)
            tab = await new_tab(browser)
            restarts.append(await visit(tab, srv.base + "/", figure=True))
            await tab.context.close()
            memory.append(srv.rss())
        finally:
            srv.stop()
        # The same restart of a page holding one key figure and one plotly chart: the floor of this machine.
        floor = Server(str(ROOT / "bench" / "hello_figure.py"), cwd=root)
        try:
            tab = await new_tab(browser)
            floors.append(await visit(tab, floor.base + "/", figure=True))
            await tab.context.close()
        finally:
            floor.stop()
    print(
        f"{'redémarrage (dossier inchangé)':38} {spread(restarts)} "
        f"(+ {statistics.median(boots):.1f} s de démarrage de streamlit)",
        flush=True,
    )
    floor_s = statistics.median(floors)
    print(
        f"{'redémarrage hello-world (1 tuile, 1 graphique)':38} {spread(floors)} ; "
        f"tableau de bord : {statistics.median(restarts) / floor_s:.2f}×",
        flush=True,
    )
    print(f"{'mémoire après redémarrage':38} {statistics.median(memory):6.0f} Mo", flush=True)


def quantiles(values: list[float]) -> tuple[float, float]:
    """The median and the 95th percentile (nearest rank: the smallest measure that 95 % of the measures do not
    exceed; the largest of two measures)."""
    ordered = sorted(values)
    return statistics.median(ordered), ordered[math.ceil(0.95 * len(ordered)) - 1]


async def loaded_server(browser, folder: Path, root: Path) -> tuple[Server, object]:
    """A dashboard server on a state folder of its own, its data already loaded by a first visit (the load is
    not what a charge run measures), and the browser tab of that visit."""
    env = {"IMPACT_DATA": str(folder), "IMPACT_STATE": tempfile.mkdtemp(prefix="bench_etat_")}
    srv = Server("dashboard.py", env, root)
    try:
        tab = await new_tab(browser)
        await visit(tab, srv.base + "/", figure=True)
    except BaseException:
        srv.stop()
        raise
    return srv, tab


async def charge(browser, folder: Path, sessions: int, root: Path = ROOT) -> None:
    print(f"\n== {sessions} sessions simultanées : {folder} (code : {root})", flush=True)
    srv, tab = await loaded_server(browser, folder, root)
    try:
        single = [await visit(tab, f"{srv.base}/{p}") for p, _ in PAGES]
        await tab.context.close()
        rss_single = srv.rss()
        tabs = [await new_tab(browser) for _ in range(sessions)]

        async def user(i: int) -> list[float]:
            order = PAGES[i % len(PAGES) :] + PAGES[: i % len(PAGES)]
            return [await visit(tabs[i], f"{srv.base}/{p}") for p, _ in order]

        t0, server0, browser0 = time.perf_counter(), srv.cpu(), browser_cpu()
        results = await asyncio.gather(*(user(i) for i in range(sessions)), return_exceptions=True)
        wall = time.perf_counter() - t0
        server_cpu, browsers_cpu = srv.cpu() - server0, browser_cpu() - browser0
        times = sorted(t for r in results if isinstance(r, list) for t in r)
        failures = [r for r in results if not isinstance(r, list)]
        errors = [e for t in tabs for e in t.errors]
        med1 = statistics.median(single)
        p50, p95 = quantiles(times)
        print(f"{'médiane mono-utilisateur':38} {med1:6.2f} s")
        print(f"{'p50 à ' + str(sessions) + ' sessions':38} {p50:6.2f} s  {p50 / med1:5.2f}×")
        print(f"{'p95 à ' + str(sessions) + ' sessions':38} {p95:6.2f} s  {p95 / med1:5.2f}×")
        print(f"{'pages ouvertes':38} {len(times)} en {wall:.1f} s")
        # Who used the machine during the run: the browsers share its cores with the server here, whereas
        # 20 people in a meeting each have their own computer.
        print(
            f"{'CPU pendant la charge':38} serveur {server_cpu:.1f} s ({server_cpu / max(len(times), 1):.2f} s "
            f"par page), navigateurs {browsers_cpu:.1f} s, sur {os.cpu_count()} cœurs pendant {wall:.1f} s"
        )
        print(f"{'erreurs':38} {len(failures) + len(errors)}", *map(str, failures + errors), sep="\n  ")
        print(f"{'mémoire : 1 session / après charge':38} {rss_single:.0f} Mo / {srv.rss():.0f} Mo")
        for t in tabs:
            await t.context.close()
    finally:
        srv.stop()


async def charge_salle(
    browser, folder: Path, sessions: int, repeat: int, root: Path = ROOT, pause: float = 0.0
) -> None:
    """A meeting of `sessions` people, each on their own computer: `sessions` - 1 of them move from page to
    page (without pause, or reading each page about `pause` seconds), speaking Streamlit's protocol without a
    browser (bench/salle.py: the server's work is theirs, their browsers' work is on their own machines),
    while one real browser opens every page, by its address and by the menu, `repeat` times. Its page times
    against the same browser alone."""
    cadence = f", une page toutes les {pause:g} s environ" if pause else ", sans pause"
    print(f"\n== salle de {sessions} personnes{cadence} : {folder} (code : {root})", flush=True)
    srv, tab = await loaded_server(browser, folder, root)
    try:

        async def walk() -> tuple[list[float], list[float]]:
            by_address, by_menu = [], []
            for _ in range(repeat):
                by_address += [await visit(tab, f"{srv.base}/{p}") for p, _ in PAGES]
                by_menu += [await click(tab, title) for _, title in PAGES[1:] + PAGES[:1]]
            return by_address, by_menu

        alone = await walk()
        rss_alone = srv.rss()
        stop, times, problems = asyncio.Event(), [], []
        paths = [p for p, _ in PAGES]
        others = [
            asyncio.create_task(
                salle.user(
                    srv.base, paths[i % len(paths) :] + paths[: i % len(paths)], stop, times, problems, pause
                )
            )
            for i in range(sessions - 1)
        ]
        await asyncio.sleep(2)  # every session connected and at work
        t0, server0 = time.perf_counter(), srv.cpu()
        loaded = await walk()
        wall, server_cpu = time.perf_counter() - t0, srv.cpu() - server0
        stop.set()
        failures = [r for r in await asyncio.gather(*others, return_exceptions=True) if r is not None]
        for mode, one, many in zip(("par l'adresse", "par le menu"), alone, loaded, strict=True):
            med1 = statistics.median(one)
            p50, p95 = quantiles(many)
            print(
                f"{'navigateur ' + mode:38} seul {med1:5.2f} s ; avec {sessions - 1} autres : "
                f"p50 {p50:5.2f} s ({p50 / med1:4.2f}×), p95 {p95:5.2f} s ({p95 / med1:4.2f}×)",
                flush=True,
            )
        s50, s95 = quantiles(times) if times else (float("nan"),) * 2
        print(
            f"{'les ' + str(sessions - 1) + ' autres (temps du serveur)':38} {len(times)} pages, "
            f"p50 {s50:5.2f} s, p95 {s95:5.2f} s ; serveur {server_cpu:.1f} s de calcul en {wall:.1f} s",
            flush=True,
        )
        errors = problems + [str(f) for f in failures] + tab.errors
        print(f"{'erreurs':38} {len(errors)}", *errors[:10], sep="\n  ")
        print(f"{'mémoire : 1 session / en charge':38} {rss_alone:.0f} Mo / {srv.rss():.0f} Mo", flush=True)
        await tab.context.close()
    finally:
        srv.stop()


async def main_async(args) -> int:
    hello = Server("bench/hello.py")
    hello_pages = Server("bench/hello_pages.py")
    try:
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
            tab = await new_tab(browser)
            await visit(tab, hello.base + "/")  # warm the browser
            await tab.context.close()
            if not args.charge_only:
                for folder in args.dossier:
                    for root in args.racine:
                        await bench_folder(browser, folder, args.repeat, hello, hello_pages, root)
            if args.charge:
                await charge_salle(
                    browser, args.dossier[0], args.charge, args.repeat, args.racine[-1], args.pause
                )
                await charge(browser, args.dossier[0], args.charge, args.racine[-1])
            await browser.close()
    finally:
        hello.stop()
        hello_pages.stop()
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--dossier", type=Path, action="append", help="dossier de données (répétable)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pages", help="seulement ces pages (ex. vue_ensemble,donnees)")
    parser.add_argument("--charge", type=int, default=0, help="nombre de sessions simultanées")
    parser.add_argument("--charge-seule", dest="charge_only", action="store_true")
    parser.add_argument(
        "--pause", type=float, default=0.0, help="secondes de lecture d'une page par les autres personnes"
    )
    parser.add_argument(
        "--racine",
        type=Path,
        action="append",
        help="copie du dépôt dont on sert dashboard.py (répétable : avant/après)",
    )
    args = parser.parse_args()
    args.dossier = [p.resolve() for p in (args.dossier or [ROOT / "data" / "demo"])]
    args.racine = [p.resolve() for p in (args.racine or [ROOT])]
    if args.pages:
        PAGES[:] = [(path, title) for path, title in PAGES if path in args.pages.split(",")]
    return asyncio.run(main_async(args))


if __name__ == "__main__":
    sys.exit(main())
