"""Every registered page opens from the sidebar in a real browser, draws its charts, and keeps URL filters.

The page list is read from the SECTIONS literal of dashboard.py (no Streamlit import at collection time), so
that the tests follow the registered pages; a page listed there whose file does not exist yet is not tested.
"""

import json
import re
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

from tests.e2e.conftest import start_server
from tests.e2e.helpers import (
    ARTEFACTS,
    DRAWN_ONCE,
    MAP_CHART,
    ROOT,
    SCREENSHOTS,
    assert_no_exception,
    chart_texts_outside,
    charts_widened,
    element_not_blank,
    goto,
    map_image,
    menu_link,
    menu_sections,
    rerun_and_wait,
    screenshot,
    settle,
    wait_for_run,
    worker_file,
)

MAIN = '[data-testid="stMain"]'
CHARTS = '[data-testid="stPlotlyChart"]'
# Leftovers of pandas/Python that must never reach a reader.
RAW_VALUES = re.compile(r"\b(nan|NaN|NaT|None|null|undefined|<NA>)\b")
TIMES_FILE = worker_file(ARTEFACTS / "e2e" / "temps_pages.json")
MAX_SCROLLED_SHOTS = 8


def registered_pages() -> list[tuple[str, str, str, bool]]:
    """(file, title, url_path, default) of every page of dashboard.SECTIONS whose file exists."""
    # An entry is (file, title, icon) with the file's stem as address, or (file, title, icon, url_path).
    return [
        (file, title, rest[1] if len(rest) > 1 else Path(file).stem, file == "vue_ensemble.py")
        for entries in menu_sections().values()
        for file, title, *rest in entries
        if (ROOT / "pages" / file).exists()
    ]


PAGES = registered_pages()


def open_from_menu(page: Page, title: str) -> float:
    """Click the page's link in the menu and wait for its run; returns seconds from click to notRunning."""
    link = menu_link(page, title)
    start = time.monotonic()
    rerun_and_wait(page, link.click)
    return time.monotonic() - start


def header_line(page: Page) -> str:
    """The bold line under the title that recalls the active filters and the data freshness."""
    line = page.locator(MAIN).locator('[data-testid="stMarkdownContainer"]', has_text="Période :").first
    expect(line).to_be_visible()
    return line.inner_text()


def _record_time(url: str, seconds: float) -> None:
    TIMES_FILE.parent.mkdir(parents=True, exist_ok=True)
    times = json.loads(TIMES_FILE.read_text(encoding="utf-8")) if TIMES_FILE.exists() else {}
    times[url] = round(seconds, 2)
    TIMES_FILE.write_text(json.dumps(times, indent=1, ensure_ascii=False), encoding="utf-8")


SCROLLER_JS = """
(args) => {
  const [selectors, top] = args;
  for (const sel of selectors) {
    const el = document.querySelector(sel);
    if (!el) continue;
    const style = getComputedStyle(el);
    if (el.scrollHeight > el.clientHeight + 4 && /(auto|scroll)/.test(style.overflowY)) {
      if (top !== null) el.scrollTop = top;
      return [el.scrollTop, el.scrollHeight, el.clientHeight];
    }
  }
  const el = document.scrollingElement;
  if (top !== null) el.scrollTop = top;
  return [el.scrollTop, el.scrollHeight, el.clientHeight];
}
"""
SCROLL_CONTAINERS = ['[data-testid="stMain"]', '[data-testid="stAppViewContainer"]', '[data-testid="stApp"]']


def screenshots(page: Page, name: str) -> list[Path]:
    """The viewport at the top of the page, then one shot per further screen when the page is long."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate(SCROLLER_JS, [SCROLL_CONTAINERS, 0])
    settle(page, quiet_ms=200)
    paths = [SCREENSHOTS / f"{name}.png"]
    page.screenshot(path=paths[0])
    _, height, visible = page.evaluate(SCROLLER_JS, [SCROLL_CONTAINERS, None])
    step = max(visible - 80, 200)  # a little overlap so that nothing falls between two shots
    for i in range(1, MAX_SCROLLED_SHOTS + 1):
        if i * step >= height - visible + step:
            break
        page.evaluate(SCROLLER_JS, [SCROLL_CONTAINERS, i * step])
        settle(page, quiet_ms=200)
        paths.append(SCREENSHOTS / f"{name}_defile_{i}.png")
        page.screenshot(path=paths[-1])
    page.evaluate(SCROLLER_JS, [SCROLL_CONTAINERS, 0])
    return paths


def _check_page_opened(page: Page, title: str, url: str, default: bool) -> None:
    path = urlsplit(page.url).path.strip("/")
    assert path == url or (default and path == ""), f"URL après le clic : {page.url}"
    expect(page.locator(MAIN).locator("h1").first).to_contain_text(title)
    assert_no_exception(page)
    text = page.locator(MAIN).inner_text()
    raw = sorted(set(RAW_VALUES.findall(text)))
    assert not raw, f"Valeurs brutes affichées sur la page {title} : {raw}"

    charts = page.locator(CHARTS)
    for i in range(charts.count()):
        chart = charts.nth(i)
        chart.scroll_into_view_if_needed()
        element_not_blank(chart, timeout=30_000)
    for i in range(page.locator(MAP_CHART).count()):
        map_image(page, i)  # its communes drawn, not only its legend
    outside = chart_texts_outside(page)
    assert not outside, f"Textes de graphique coupés au bord sur la page {title} : {outside}"
    if url in DRAWN_ONCE:
        widened = charts_widened(page)
        assert not widened, f"Graphiques redessinés pour leurs marges sur la page {title} : {widened}"

    shots = screenshots(page, f"page_{url}")
    assert all(p.stat().st_size > 10_000 for p in shots)


@pytest.mark.long
def test_every_page_opens_from_the_menu(page: Page, server: str):
    """A walk through the menu as a user clicks it, each click a real page change (the walk starts on the
    second page, so that the home page is reached by a click too). Every page is checked, and every problem
    is reported with its page, not only the first."""
    start = next(u for _f, _t, u, d in PAGES if not d)
    goto(page, server, start)
    problems = []
    for _file, title, url, default in PAGES:
        try:
            _record_time(url, open_from_menu(page, title))
            _check_page_opened(page, title, url, default)
        except (AssertionError, PlaywrightError) as error:
            problems.append(f"{title} : {str(error).splitlines()[0]}")
            screenshot(page, f"ECHEC-menu-{url}")
    assert not problems, "Pages en défaut depuis le menu :\n" + "\n".join(problems)


@pytest.mark.parametrize("start", ["", "heures"], ids=["accueil", "lien_direct"])
def test_url_filters_applied_on_load_and_kept_across_pages(page: Page, tmp_path, start: str):
    # On a fresh server: its first run happens in Streamlit's legacy mode for a folder named pages/, where the
    # communes filter used to be registered as a widget of another page and was dropped at the first page change.
    with start_server(
        tmp_path / "etat", ARTEFACTS / "e2e" / f"streamlit_filtres_{start or 'accueil'}.log"
    ) as fresh:
        _filters_kept_across_pages(page, fresh, start)


def _filters_kept_across_pages(page: Page, server: str, start: str):
    commune = "Montrevault-sur-Èvre"
    goto(page, server, start, query={"periode": ["2022", "2022"], "communes": commune})
    # The first request of a fresh server, a shared link to a page with filters: it finds its page (Streamlit's
    # legacy mode for a folder named pages/ answers it, and the page hands over to dashboard.py).
    expect(page.get_by_text("Page not found")).to_have_count(0)
    expect(page.get_by_role("dialog")).to_have_count(0)
    title = next(t for _f, t, u, d in PAGES if u == start or (d and not start))
    expect(page.locator(MAIN).locator("h1").first).to_have_text(title)
    assert urlsplit(page.url).path.strip("/") == start, page.url
    assert_no_exception(page)
    line = header_line(page)
    assert "Période : 2022" in line and commune in line, line

    other = next(t for _f, t, u, d in PAGES if not d and _f != "fiche_commune.py" and u != start)
    open_from_menu(page, other)
    assert_no_exception(page)
    # The bound filters write themselves back into the address a moment after the page's first run.
    expect(page).to_have_url(re.compile(r"communes="), timeout=15_000)
    query = parse_qs(urlsplit(page.url).query)
    assert query.get("periode") == ["2022"], page.url
    assert query.get("communes") == [commune], page.url
    line = header_line(page)
    assert "Période : 2022" in line and commune in line, line
    # The sidebar widgets still show the values from the URL.
    sidebar = page.locator('[data-testid="stSidebar"]')
    expect(sidebar.get_by_text(commune)).to_be_visible()

    # And back on the home page, the filters are still there.
    open_from_menu(page, next(t for _f, t, _u, d in PAGES if d))
    line = header_line(page)
    assert "Période : 2022" in line and commune in line, line
    wait_for_run(page)


def test_table_of_values_drawn_when_opened(page: Page, server: str):
    """The tables behind the charts are sent only when asked for: none on the page at first, then a click
    on « Voir le tableau des valeurs » draws that chart's grid (with its CSV download), and only it."""
    goto(page, server, "heures", query={"periode": ["2024", "2024"]})
    grids = page.locator(f'{MAIN} [data-testid="stDataFrame"]')
    expect(grids).to_have_count(0)
    charts_before = page.locator(CHARTS).count()
    rerun_and_wait(page, page.get_by_text("Voir le tableau des valeurs").first.click)
    expect(grids).to_have_count(1)
    element_not_blank(grids.first, min_colours=4, min_ink=0.01)
    expect(page.get_by_role("button", name="Télécharger le tableau (CSV pour Excel)")).to_have_count(1)
    expect(page.locator(CHARTS)).to_have_count(charts_before)
    assert_no_exception(page)
    screenshot(page, "tableau_des_valeurs_ouvert")
