"""Helpers for the browser tests: navigation, waiting for Streamlit runs, checks and screenshots."""

import ast
import io
import os
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page, expect

from impact import ROOT

ARTEFACTS = ROOT / "artefacts"
# Under pytest-xdist (`make test` runs the browser tests on two workers) each worker has its own servers:
# their logs carry the worker's name so that two workers never write the same file.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")


def worker_file(path: Path) -> Path:
    """path, or path-gwN.ext in xdist worker gwN."""
    return path.with_name(f"{path.stem}-{WORKER}{path.suffix}") if WORKER else path


SCREENSHOTS = ARTEFACTS / "screenshots"
# Generous: the first run loads the data, and a loaded 2-core CI machine can take close to a minute.
RUN_TIMEOUT_MS = 120_000

APP = '[data-testid="stApp"]'
# What Streamlit shows while a script runs (top-right status widget, st.spinner) or while the code of an
# element is still being fetched (grey skeletons: a screenshot taken then shows empty boxes).
BUSY = (
    '[data-testid="stStatusWidgetRunningIcon"], [data-testid="stStatusWidgetRunningManIcon"], '
    '[data-testid="stSpinner"], [data-testid="stSkeleton"], [data-testid="stAppSkeleton"]'
)

# Installed in every page by the `page` fixture: counts the script runs the app root announces, so that
# rerun_and_wait() knows a rerun started after an action (the state may still read "notRunning" for a
# moment after a click, before the server answers); and notes when the page last changed, so that settle()
# waits for charts and maps to finish drawing instead of sleeping a fixed time.
RUN_COUNTER_SCRIPT = """
window.__impactRuns = 0;
window.__impactChanged = 0;
new MutationObserver((records) => {
  for (const r of records) {
    if (r.target.getAttribute('data-test-script-state') === 'running') window.__impactRuns += 1;
  }
}).observe(document, {subtree: true, attributes: true, attributeFilter: ['data-test-script-state']});
new MutationObserver(() => { window.__impactChanged = performance.now(); })
  .observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
window.addEventListener('resize', () => { window.__impactChanged = performance.now(); });
"""


def goto(page: Page, base: str, path: str = "", query: dict | None = None) -> None:
    """Open base/path?query and wait for the first run of the script to finish."""
    url = base.rstrip("/") + "/" + path.lstrip("/")
    if query:
        url += "?" + urlencode(query, doseq=True)
    page.goto(url)
    wait_for_run(page)


def wait_for_run(page: Page, timeout: int = RUN_TIMEOUT_MS) -> None:
    """Wait until the app is connected, its script has finished and nothing shows as running, loading or stale."""
    app = page.locator(APP)
    expect(app).to_have_attribute("data-test-connection-state", "CONNECTED", timeout=timeout)
    expect(app).to_have_attribute("data-test-script-state", "notRunning", timeout=timeout)
    expect(page.locator(BUSY)).to_have_count(0, timeout=timeout)
    expect(page.locator('[data-stale="true"]')).to_have_count(0, timeout=timeout)


def settle(page: Page, quiet_ms: int = 400, timeout: int = 15_000) -> None:
    """Wait until nothing in the page has changed for quiet_ms (charts and maps drawn after a run or a
    resize). A page still changing after timeout is left to the checks that follow, which then fail."""
    try:
        page.wait_for_function(
            "(quiet) => performance.now() - window.__impactChanged > quiet",
            arg=quiet_ms,
            polling=100,
            timeout=timeout,
        )
    except PlaywrightError:
        pass


def rerun_and_wait(page: Page, action: Callable[[], object], timeout: int = RUN_TIMEOUT_MS) -> None:
    """Do an action that makes Streamlit rerun (widget change, page link) and wait for that rerun."""
    before = page.evaluate("window.__impactRuns")
    action()
    try:
        page.wait_for_function(f"window.__impactRuns > {before}", timeout=5_000)
    except PlaywrightError:
        # A very short run can start and end within one render: the state never shows "running".
        pass
    wait_for_run(page, timeout)


def assert_no_exception(page: Page, allow_error_alerts: bool = False) -> None:
    """No Streamlit exception box, and (unless allowed) no st.error box, on the page."""
    exceptions = page.locator('[data-testid="stException"]')
    if exceptions.count():
        raise AssertionError("Exception affichée par Streamlit :\n" + exceptions.first.inner_text())
    if not allow_error_alerts:
        errors = page.locator('[data-testid="stAlertContentError"]')
        if errors.count():
            raise AssertionError("Boîte d'erreur affichée :\n" + "\n".join(errors.all_inner_texts()))


def screenshot(page: Page, name: str, full_page: bool = False) -> Path:
    """Save the page to artefacts/screenshots/NAME.png (to be looked at) and return the path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=path, full_page=full_page)
    return path


def pixel_stats(locator: Locator) -> tuple[int, float]:
    """(number of distinct colours, share of pixels that differ from the dominant colour) of an element."""
    from PIL import Image

    image = Image.open(io.BytesIO(locator.screenshot())).convert("RGB")
    colours = image.getcolors(maxcolors=image.width * image.height)
    background = max(count for count, _ in colours)
    return len(colours), 1 - background / (image.width * image.height)


def element_not_blank(
    locator: Locator, min_colours: int = 16, min_ink: float = 0.02, timeout: int = 15_000
) -> tuple[int, float]:
    """Assert an element drew something: enough distinct colours and enough non-background pixels.

    Charts and maps keep drawing after the script run ends, so this polls until the thresholds are met."""
    expect(locator).to_be_visible(timeout=timeout)
    deadline = time.monotonic() + timeout / 1000
    while True:
        colours, ink = pixel_stats(locator)
        if colours >= min_colours and ink >= min_ink:
            return colours, ink
        if time.monotonic() > deadline:
            raise AssertionError(
                f"élément vide : {colours} couleurs (minimum {min_colours}), "
                f"{ink:.1%} de pixels hors fond (minimum {min_ink:.1%})"
            )
        locator.page.wait_for_timeout(250)


# The maps (impact/maps.py) are plotly geo subplots, drawn in SVG: the chart that holds one.
MAP_CHART = '[data-testid="stPlotlyChart"]:has(g.geo)'
# The box of a map chart's geo subplot on the page (its domain within the figure's margins), and how many
# communes it draws with a visible size.
MAP_BOX_JS = """(chart) => {
  const gd = chart.querySelector('.js-plotly-plot');
  const s = gd._fullLayout._size, d = gd._fullLayout.geo.domain;
  const svg = gd.querySelector('.main-svg').getBoundingClientRect();
  const drawn = [...gd.querySelectorAll('g.geo .choroplethlocation')].filter((p) => {
    const r = p.getBoundingClientRect();
    return r.width > 2 && r.height > 2;
  }).length;
  return {x: svg.left + s.l + d.x[0] * s.w, y: svg.top + s.t + (1 - d.y[1]) * s.h,
          width: (d.x[1] - d.x[0]) * s.w, height: (d.y[1] - d.y[0]) * s.h, drawn};
}"""


def map_chart(page: Page, index: int = 0) -> Locator:
    return page.locator(MAP_CHART).nth(index)


def map_box(page: Page, index: int = 0) -> dict:
    """The page coordinates of the map of chart `index` (x, y, width, height) and its number of drawn communes."""
    return map_chart(page, index).evaluate(MAP_BOX_JS)


def map_image(page: Page, index: int = 0, timeout: int = 30_000):
    """A picture of the map of chart `index` (its geo subplot only, not its legend), once drawn: communes
    drawn, and enough of the map not white."""
    import numpy as np
    from PIL import Image

    chart = map_chart(page, index)
    expect(chart).to_be_visible(timeout=timeout)
    chart.scroll_into_view_if_needed()
    deadline = time.monotonic() + timeout / 1000
    while True:
        box = map_box(page, index)
        clip = {k: box[k] for k in ("x", "y", "width", "height")}
        image = Image.open(io.BytesIO(page.screenshot(clip=clip))).convert("RGB") if box["width"] else None
        if image is not None and box["drawn"] > 0:
            ink = float((np.asarray(image).min(axis=2) < 250).mean())
            if ink > 0.05:
                return image
        if time.monotonic() > deadline:
            raise AssertionError(f"carte vide : {box}")
        page.wait_for_timeout(250)


# Texts of every plotly chart (value labels, ticks, axis titles, legend) drawn past the chart's own edges,
# where the browser cuts them ("4 067" without its "h", a category label without its first words).
CHART_TEXT_OUTSIDE_JS = """
() => {
  const out = [];
  document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot').forEach((gd, c) => {
    const svg = gd.querySelector('.main-svg');
    if (!svg) return;
    const box = svg.getBoundingClientRect();
    const texts = 'text.bartext, .textpoint text, .xtick text, .ytick text, .legendtext, .g-xtitle text, '
      + '.g-ytitle text, .annotation-text';
    gd.querySelectorAll(texts).forEach((t) => {
      const r = t.getBoundingClientRect();
      const style = getComputedStyle(t);
      if (!r.width || style.display === 'none' || style.opacity === '0' || !t.textContent.trim()) return;
      if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1)
        out.push(`graphique ${c + 1} : « ${t.textContent} » de ${Math.round(r.left - box.left)} à `
          + `${Math.round(r.right - box.left)} px sur ${Math.round(box.width)}`);
    });
  });
  return out;
}
"""


def chart_texts_outside(page: Page) -> list[str]:
    """The chart texts of the page drawn past their chart's edges (CHART_TEXT_OUTSIDE_JS)."""
    return page.evaluate(CHART_TEXT_OUTSIDE_JS)


# The charts of the page whose margins plotly widened after a first drawing (automargin): each such chart
# is drawn twice. impact.chart_margins sets them on the server so that a chart is drawn once.
CHARTS_WIDENED_JS = """
() => [...document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot')].flatMap((gd, c) => {
  const L = gd._fullLayout;
  if (!L || !L._size || L.map) return [];
  const wider = ['l', 'r', 't', 'b'].filter((k) => L._size[k] > L.margin[k] + 0.5);
  return wider.length ? [`graphique ${c + 1} : ` + wider.map((k) => `${k} ${L.margin[k]} → ${L._size[k]}`).join(', ')] : [];
})
"""
# Pages whose every chart holds its texts at the tests' sizes (1280 px with the sidebar, the room at 1024 and
# 1280 px): horizontal and vertical bars, axis titles, a legend on one row. Elsewhere a chart may be drawn
# narrower than impact.chart_margins assumes (two side by side), its labels turned or its legend on two rows.
DRAWN_ONCE = ("bilan", "fiche_commune", "structures")


def charts_widened(page: Page) -> list[str]:
    """The charts of the page drawn a second time with wider margins (CHARTS_WIDENED_JS)."""
    return page.evaluate(CHARTS_WIDENED_JS)


def menu_sections() -> dict[str, list]:
    """dashboard.SECTIONS, read from the file: {section: [(file, title, icon[, url_path]), ...]}."""
    tree = ast.parse((ROOT / "dashboard.py").read_text(encoding="utf-8"))
    return next(
        ast.literal_eval(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "SECTIONS" for t in node.targets)
    )


SECTION_OF = {entry[1]: section for section, entries in menu_sections().items() for entry in entries}
MENU = '[data-testid="stTopNav"]'
SECTION_LIST = '[data-testid="stTopNavPopover"]'  # the pages of a section, once opened


def _open_section(page: Page, section: str) -> Locator:
    page.locator(MENU).locator('[data-testid="stTopNavSection"]', has_text=section).click()
    listed = page.locator(SECTION_LIST)
    expect(listed).to_be_visible()
    return listed


def menu_link(page: Page, title: str) -> Locator:
    """The link of a page in the menu of the top bar, its section's list opened (dashboard.SECTIONS)."""
    link = _open_section(page, SECTION_OF[title]).get_by_role("menuitem", name=title, exact=True)
    expect(link).to_be_visible()
    return link


def menu_titles(page: Page, section: str) -> list[str]:
    """The pages a section of the menu lists (its list opened, then closed)."""
    titles = _open_section(page, section).get_by_role("menuitem").locator("p").all_inner_texts()
    page.keyboard.press("Escape")
    expect(page.locator(SECTION_LIST)).to_have_count(0)
    return titles
