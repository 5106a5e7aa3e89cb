"""The map page in a real browser with no network: polygons are drawn, the level and indicator switches redraw
the map, hovering shows French figures, and clicking a commune (or choosing it in the list) filters the whole
dashboard to it. Every non-local request fails the test (see the `page` fixture)."""

import math
import re
from urllib.parse import parse_qs, urlsplit

import numpy as np
import pytest
import shapely
from PIL import Image
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from impact import geo
from tests.e2e.conftest import VIEWPORT
from tests.e2e.helpers import (
    MAP_CHART,
    assert_no_exception,
    goto,
    map_box,
    map_chart,
    map_image,
    menu_link,
    rerun_and_wait,
    screenshot,
    settle,
)

# The names of the communes: the text of the map's one text trace (impact.maps.names_trace).
NAME_TEXTS = "g.geo .scattergeo text"
SIDEBAR = '[data-testid="stSidebar"]'
SIDEBAR_COMMUNES = f'{SIDEBAR} [data-testid="stMultiSelect"]'
PERIODE = {"periode": ["2025", "2025"]}


def open_map(page: Page, server: str, query: dict | None = None) -> None:
    # Straight to the map: a deep link works on a fresh server too (test_deep_link).
    goto(page, server, "carte", {**PERIODE, **(query or {})})
    assert_no_exception(page)
    expect(page.locator("h1").first).to_contain_text("Carte des interventions")


def non_white_share(image: Image.Image) -> float:
    return float((np.asarray(image).min(axis=2) < 250).mean())


def changed_share(a: Image.Image, b: Image.Image) -> float:
    assert abs(a.width - b.width) <= 2 and abs(a.height - b.height) <= 2, (a.size, b.size)
    b = b.resize(a.size)
    diff = np.abs(np.asarray(a).astype(int) - np.asarray(b).astype(int)).max(axis=2)
    return float((diff > 25).mean())


def click_segment(page: Page, label: str) -> None:
    button = page.get_by_role("button", name=label, exact=True).or_(
        page.get_by_role("radio", name=label, exact=True)
    )
    rerun_and_wait(page, lambda: button.first.click())
    assert_no_exception(page)


def test_map_draws_polygons_and_switches_redraw_it(page: Page, server: str):
    """Switches of indicator and level, the colours of the dots, then presentation mode on the same map."""
    open_map(page, server)
    nouvelles = map_image(page)
    # Six coloured communes nouvelles and the neighbours where work was done fill a good part of the map.
    assert non_white_share(nouvelles) > 0.08, f"carte presque blanche : {non_white_share(nouvelles):.1%}"
    screenshot(page, "carte_communes_nouvelles_heures")
    # At 1280 px with the sidebar open (the coordinator's laptop), the map is not cut on its sides.
    page.set_viewport_size({"width": 1280, "height": 720})
    settle(page)
    territory_whole(page, "1280×720")
    page.set_viewport_size(VIEWPORT)
    # The title « Activité : » heads the points only: the head offices have a second legend, under it.
    legend = page.locator('[data-testid="stPlotlyChart"] g.legend').first.text_content()
    assert legend.startswith("Activité :") and "Siège de structure" not in legend, legend
    landmarks = page.locator('[data-testid="stPlotlyChart"] g.legend2').first
    assert "Siège de structure" in landmarks.text_content()
    legends_apart(page.evaluate(NAMES_JS, MAP_CHART))
    colorbar = page.locator('[data-testid="stPlotlyChart"] .colorbar').first.text_content()
    assert "Heures réalisées" in colorbar and "(heures)" not in colorbar  # the unit said once

    click_segment(page, "Personnes résidentes employées")
    personnes = map_image(page)
    assert changed_share(nouvelles, personnes) > 0.02, "la carte n'a pas changé avec l'indicateur"
    colorbar = page.locator('[data-testid="stPlotlyChart"] .colorbar').first.text_content()
    assert "Personnes résidentes" in colorbar and "employées" in colorbar and "(personnes)" not in colorbar
    # The address follows the choice (it may be written just after the run ends, on a busy machine).
    expect(page).to_have_url(re.compile(r"[?&]indicateur=Personnes\+r%C3%A9sidentes\+employ%C3%A9es(&|$)"))
    screenshot(page, "carte_communes_nouvelles_personnes")

    click_segment(page, "Communes déléguées")
    deleguees = map_image(page)
    assert changed_share(personnes, deleguees) > 0.02, "la carte n'a pas changé avec le découpage"
    assert non_white_share(deleguees) > 0.08
    expect(page).to_have_url(re.compile(r"[?&]niveau=Communes\+d%C3%A9l%C3%A9gu%C3%A9es(&|$)"))
    screenshot(page, "carte_communes_deleguees_personnes")

    click_segment(page, "Marché ou partenariat")
    legend = page.locator('[data-testid="stPlotlyChart"] .legend').first.text_content()
    assert "Marché ou partenariat" in legend and "Hors marché" in legend
    assert_no_exception(page)

    # The same map in presentation mode (the sidebar's toggle keeps the level and the indicator): drawn, and
    # the communes whose count is masked say so.
    rerun_and_wait(page, lambda: page.locator(SIDEBAR).get_by_text("Mode présentation").click())
    assert_no_exception(page)
    query = parse_qs(urlsplit(page.url).query)
    assert query.get("mode") == ["presentation"], page.url
    assert query.get("niveau") == ["Communes déléguées"], page.url
    assert query.get("indicateur") == ["Personnes résidentes employées"], page.url
    image = map_image(page)
    assert non_white_share(image) > 0.10
    expect(page.get_by_text("En gris : commune dont l'effectif").first).to_be_visible()
    screenshot(page, "carte_presentation_personnes")


MAP_VIEW_JS = """
() => {
  const chart = document.querySelector('__CHART__');
  const gd = chart.querySelector('.js-plotly-plot');
  const s = gd._fullLayout._size, d = gd._fullLayout.geo.domain;
  const x0 = s.l + d.x[0] * s.w, y0 = s.t + (1 - d.y[1]) * s.h;
  const project = gd._fullLayout.geo._subplot.projection;  // longitude, latitude -> pixels in the figure
  const [west, south, east, north] = gd.layout.meta.bornes;
  const nw = project([west, north]), se = project([east, south]);
  const box = gd.querySelector('.main-svg').getBoundingClientRect();
  const main = [...document.querySelectorAll('*')].find((e) => e.scrollTop) || null;
  const names = [...chart.querySelectorAll('__NAMES__')].map((t) => {
    const r = t.getBoundingClientRect();
    return {text: t.textContent, left: r.left - box.left - x0, right: r.right - box.left - x0};
  });
  return {left: nw[0] - x0, top: nw[1] - y0, right: se[0] - x0, bottom: se[1] - y0,
          width: (d.x[1] - d.x[0]) * s.w, height: (d.y[1] - d.y[0]) * s.h, names, pageBottom: box.top + se[1],
          scrolled: main !== null};
}
""".replace("__CHART__", MAP_CHART).replace("__NAMES__", NAME_TEXTS)


def territory_whole(page: Page, where: str) -> dict:
    """The map draws its whole territory: the corners of its communes, projected by the map itself, fall inside
    its subplot, and so do the names of its communes. Returns the measures (MAP_VIEW_JS)."""
    view = page.evaluate(MAP_VIEW_JS)
    where = f"{where} : {view}"
    assert 0 <= view["left"] and view["right"] <= view["width"], (
        f"commune coupée à gauche ou à droite à {where}"
    )
    assert 0 <= view["top"] and view["bottom"] <= view["height"], (
        f"commune coupée en haut ou en bas à {where}"
    )
    assert view["names"], f"aucun nom de commune à {where}"
    for n in view["names"]:
        assert 0 <= n["left"] and n["right"] <= view["width"], f"« {n['text']} » hors de la carte à {where}"
    return view


def commune_pixel(page: Page, code: str) -> tuple[float, float]:
    """A spot of a commune nouvelle on the screen away from every dot (a dot has its own hover), placed by the
    map's own projection."""
    polygon = geo.boundaries("nouvelle").set_index("code_insee").at[code, "geometry"]
    inner = polygon.buffer(-0.01)  # not on an edge
    west, south, east, north = inner.bounds
    grid = [
        (west + (east - west) * i / 24, south + (north - south) * j / 24)
        for i in range(25)
        for j in range(25)
    ]
    grid = [(lon, lat) for lon, lat in grid if inner.contains(shapely.Point(lon, lat))]
    view = map_chart(page).evaluate(
        """(chart, grid) => {
            const gd = chart.querySelector('.js-plotly-plot');
            const project = gd._fullLayout.geo._subplot.projection;
            const box = gd.querySelector('.main-svg').getBoundingClientRect();
            const screen = (p) => { const [x, y] = project(p); return [box.left + x, box.top + y]; };
            const dots = gd._fullData.filter((t) => t.type === 'scattergeo' && t.mode === 'markers')
                .flatMap((t) => Array.from(t.lat).map((lat, i) => screen([t.lon[i], lat])));
            return {grid: grid.map(screen), dots};
        }""",
        grid,
    )
    best, best_gap = None, -1.0
    for x, y in view["grid"]:
        gap = min((math.hypot(x - dx, y - dy) for dx, dy in view["dots"]), default=1e9)
        if gap > best_gap:
            best, best_gap = (x, y), gap
    assert best is not None and best_gap > 20, f"aucun endroit libre dans la commune {code}"
    return best


@pytest.mark.long
def test_list_hover_and_click_on_a_commune_filter_the_dashboard(page: Page, server: str):
    open_map(page, server)
    # The list: Sèvremoine, then back to every commune with the page's button.
    box = page.locator('[data-testid="stSelectbox"]').filter(has_text="Ou choisissez")
    option = page.get_by_role("option", name="Sèvremoine")
    for _ in range(3):  # on a loaded machine the first click can land before the widget listens
        box.click()
        try:
            option.wait_for(state="visible", timeout=15_000)
            break
        except PlaywrightTimeoutError:
            page.keyboard.press("Escape")
    rerun_and_wait(page, option.click)
    assert_no_exception(page)
    assert parse_qs(urlsplit(page.url).query).get("communes") == ["Sèvremoine"], page.url
    expect(page.locator(SIDEBAR_COMMUNES).first).to_contain_text("Sèvremoine")
    rerun_and_wait(page, lambda: page.get_by_role("button", name="Revenir à toutes les communes").click())
    assert "communes" not in parse_qs(urlsplit(page.url).query), page.url

    # The map: hovering Orée d'Anjou shows its figures in French, clicking it filters the dashboard.
    map_image(page)
    x, y = commune_pixel(page, "49126")
    page.mouse.move(x, y)
    hover = page.locator('[data-testid="stPlotlyChart"] .hoverlayer').first
    text = ""
    for _ in range(40):  # SVG text: polled through textContent
        text = hover.text_content() or ""
        if "Orée d'Anjou" in text:
            break
        page.wait_for_timeout(250)
    assert "Orée d'Anjou" in text and "Heures réalisées" in text and "\u202f" in text, text
    screenshot(page, "carte_survol_oree_d_anjou")

    rerun_and_wait(page, lambda: page.mouse.click(x, y))
    assert_no_exception(page)
    assert parse_qs(urlsplit(page.url).query).get("communes") == ["Orée d'Anjou"], page.url
    expect(page.locator(SIDEBAR_COMMUNES).first).to_contain_text("Orée d'Anjou")
    expect(
        page.locator("[data-testid='stMarkdown']").filter(has_text="Période : 2025").first
    ).to_contain_text("Communes : Orée d'Anjou")
    map_image(page)
    screenshot(page, "carte_clic_oree_d_anjou")

    # The rest of the dashboard follows: the overview page keeps the commune filter.
    rerun_and_wait(page, lambda: menu_link(page, "Vue d'ensemble").click())
    assert_no_exception(page)
    assert parse_qs(urlsplit(page.url).query).get("communes") == ["Orée d'Anjou"], page.url
    expect(page.locator(SIDEBAR_COMMUNES).first).to_contain_text("Orée d'Anjou")


NAMES_JS = """
(sel) => {
  const chart = document.querySelector(sel);
  const gd = chart.querySelector('.js-plotly-plot');
  const s = gd._fullLayout._size, d = gd._fullLayout.geo.domain;
  const svg = gd.querySelector('.main-svg').getBoundingClientRect();
  const left = svg.left + s.l + d.x[0] * s.w, top = svg.top + s.t + (1 - d.y[1]) * s.h;
  const map = {left, top, right: left + (d.x[1] - d.x[0]) * s.w, bottom: top + (d.y[1] - d.y[0]) * s.h};
  const names = [...chart.querySelectorAll('__NAMES__')].map((t) => {
    const r = t.getBoundingClientRect();
    return {text: t.textContent, left: r.left, right: r.right, top: r.top, bottom: r.bottom};
  });
  const legend = [...chart.querySelectorAll(':is(g.legend, g.legend2) text.legendtext')].map((t) => {
    const r = t.getBoundingClientRect();
    return {text: t.textContent, right: r.right};
  });
  const root = chart.getBoundingClientRect();
  const box = (g) => { const r = g && g.getBoundingClientRect(); return r && {top: r.top, bottom: r.bottom}; };
  const legends = [box(chart.querySelector('g.legend')), box(chart.querySelector('g.legend2'))];
  return {map, names, legend, legends, chartRight: root.right, chartBottom: root.bottom};
}
""".replace("__NAMES__", NAME_TEXTS)
COMMUNES_NOUVELLES = {
    "Beaupréau-en-Mauges",
    "Chemillé-en-Anjou",
    "Mauges-sur-Loire",
    "Montrevault-sur-Èvre",
    "Orée d'Anjou",
    "Sèvremoine",
}


def legends_apart(found: dict) -> None:
    """The points' legend, then the second one (head offices, limits, selected commune) under it, not over it,
    both within the chart."""
    first, second = found["legends"]
    assert first and second, found["legends"]
    assert first["bottom"] <= second["top"] + 1, f"légendes superposées : {found['legends']}"
    assert second["bottom"] <= found["chartBottom"] + 1, f"légende sous le graphique : {found['legends']}"


def six_communes_named_on_the_map(page: Page, width: int, height: int) -> None:
    """At the room's sizes, in presentation mode (called on the map page by test_room's
    test_presentation_every_page_fits_the_room, at 1280×720 and 1024×768): the six names are written on the
    map (served by the page, no glyph fetched), inside the map, none over another; no legend entry is cut
    with "…" nor past the edge."""
    map_image(page)
    found = page.evaluate(NAMES_JS, MAP_CHART)
    names = {n["text"].replace("-", "-\n").replace("-\n", "-") for n in found["names"]}
    assert names == COMMUNES_NOUVELLES, names
    box = found["map"]
    for n in found["names"]:
        assert box["left"] <= n["left"] and n["right"] <= box["right"], (n, box)
        assert box["top"] <= n["top"] and n["bottom"] <= box["bottom"], (n, box)
    for i, a in enumerate(found["names"]):
        for b in found["names"][i + 1 :]:
            apart = a["right"] <= b["left"] or b["right"] <= a["left"]
            apart = apart or a["bottom"] <= b["top"] or b["bottom"] <= a["top"]
            assert apart, f"« {a['text']} » sur « {b['text']} »"
    assert found["legend"], "légende absente"
    legends_apart(found)
    for entry in found["legend"]:
        assert not entry["text"].endswith("…"), entry
        assert entry["right"] <= found["chartRight"] + 1, f"légende coupée : {entry}"
    screenshot(page, f"carte_noms_{width}x{height}")


HOVER_BOX_JS = """() => {
  const t = document.querySelector('.hoverlayer .hovertext path');
  if (!t) return null;
  const b = t.getBoundingClientRect();
  return [b.left, b.top, b.right, b.bottom];
}"""


def hover_box_inside_the_figure(page: Page, path: str, height: int) -> None:
    """Sweeps the mouse over the page's map: every hover box shown stays inside the figure (long activity or
    contract names wrap)."""
    chart = map_chart(page)
    map_image(page)
    c, f = map_box(page), chart.bounding_box()
    seen = 0
    for i in range(1, 12):
        for j in range(1, 8):
            page.mouse.move(c["x"] + c["width"] * i / 12, c["y"] + min(c["height"], height - c["y"]) * j / 8)
            page.wait_for_timeout(40)
            box = page.evaluate(HOVER_BOX_JS)
            if box is None:
                continue
            seen += 1
            assert f["x"] - 1 <= box[0] and box[2] <= f["x"] + f["width"] + 1, (path, box, f)
    assert seen > 5, f"{path} : presque aucune bulle au survol ({seen})"


def test_hover_box_never_cut_at_the_map_edges(page: Page, server: str):
    """The hover of a commune or an intervention stays inside the figure on the wide map (the fiche's narrow
    one, in presentation mode at 1024×768: test_room's test_presentation_every_page_fits_the_room)."""
    width, height = 1280, 720
    page.set_viewport_size({"width": width, "height": height})
    goto(page, server, "carte", PERIODE)
    hover_box_inside_the_figure(page, "carte", height)
