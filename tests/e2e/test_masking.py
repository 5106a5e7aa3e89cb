"""Presentation mode on a folder where every count of people is 1 to 4 (tests/fixtures.small_counts_folder):
every page, scanned in a real browser — visible text, chart SVG text (value labels, axis ticks), the data
behind each chart (bar heights, hover) — shows no count of 1 to 4 people or exits."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page

from tests.e2e.conftest import start_server
from tests.e2e.helpers import assert_no_exception, goto, rerun_and_wait, screenshot
from tests.e2e.test_pages import registered_pages
from tests.fixtures import small_counts_folder
from tests.privacy_scan import PEOPLE, leaks

MAIN = '[data-testid="stMain"]'
# Axis titles of charts whose values count people or exits.
PEOPLE_AXIS = re.compile(rf"\b(?:{PEOPLE})\b", re.IGNORECASE)

# Every plotly chart of the page: its traces' values and texts, its axis titles and tick labels, its annotations.
CHARTS_JS = """
() => [...document.querySelectorAll('.js-plotly-plot')].map((gd) => ({
  traces: (gd.data || []).map((t) => ({
    type: t.type, orientation: t.orientation || 'v',
    x: Array.from(t.x || []), y: Array.from(t.y || []),
    text: [].concat(t.text || []), hovertext: [].concat(t.hovertext || []),
    customdata: JSON.stringify(t.customdata || []),
  })),
  xtitle: ((gd.layout.xaxis || {}).title || {}).text || '',
  ytitle: ((gd.layout.yaxis || {}).title || {}).text || '',
  xticks: [...gd.querySelectorAll('.xtick text')].map((e) => e.textContent),
  yticks: [...gd.querySelectorAll('.ytick text')].map((e) => e.textContent),
  svgtext: [...gd.querySelectorAll('svg text')].map((e) => e.textContent).join('\\n'),
  annotations: (gd.layout.annotations || []).map((a) => a.text),
}))
"""


@pytest.fixture(scope="module")
def server(browser_required, tmp_path_factory):
    """This module's pages run on the small-count folder (overrides the demo server of conftest)."""
    folder = small_counts_folder(tmp_path_factory.mktemp("petit") / "donnees")
    with start_server(tmp_path_factory.mktemp("etat_petit"), data_dir=folder) as base:
        yield base


def _small_number(v) -> bool:
    return isinstance(v, int | float) and 0 < v < 5


def chart_leaks(charts: list[dict]) -> list[str]:
    problems = []
    for i, c in enumerate(charts):
        texts = [str(t) for tr in c["traces"] for t in tr["text"] + tr["hovertext"] if t is not None]
        texts += [tr["customdata"] for tr in c["traces"]]
        for t in texts + [c["svgtext"]]:
            problems += [f"graphique {i} : {x}" for x in leaks(t)]
        for axis, values_key, ticks in (("y", "y", "yticks"), ("x", "x", "xticks")):
            title = c[f"{axis}title"]
            if not PEOPLE_AXIS.search(title):
                continue
            # A scale graduated in people (0, 1, 2, 3, 4) tells the range of the hidden values.
            if any(re.fullmatch(r"[1-4]", t.strip()) for t in c[ticks]):
                problems.append(f"graphique {i} : axe « {title} » gradué {c[ticks]}")
            # No mark may encode a small count: bar heights / lengths, line points.
            for tr in c["traces"]:
                values = tr[values_key]
                if tr["type"] == "bar" and tr["orientation"] == "h" and axis == "x":
                    values = tr["x"]
                if any(_small_number(v) for v in values):
                    problems.append(f"graphique {i} : marque de hauteur {values} sur l'axe « {title} »")
    return problems


@pytest.mark.parametrize(("file", "title", "url"), [(f, t, u) for f, t, u, _ in registered_pages()])
def test_presentation_page_shows_no_small_count(page: Page, server: str, file: str, title: str, url: str):
    goto(page, server, url, query={"mode": "presentation", "periode": ["2025", "2025"]})
    assert_no_exception(page)
    text = page.locator(MAIN).inner_text()
    problems = [f"texte : {x}" for x in leaks(text)]
    charts = page.evaluate(CHARTS_JS)
    problems += chart_leaks(charts)
    screenshot(page, f"masquage_petit_{url or 'accueil'}", full_page=True)
    assert not problems, f"{title} :\n" + "\n".join(problems)


def test_fiche_commune_in_presentation_walks_every_commune(page: Page, server: str):
    fiche = next(u for f, _t, u, _ in registered_pages() if f == "fiche_commune.py")
    goto(page, server, fiche, query={"mode": "presentation"})
    seen = set()
    for _ in range(6):
        heading = page.locator(MAIN).locator("h2").filter(has_text=" — ").first.inner_text()
        seen.add(heading)
        problems = [f"texte : {x}" for x in leaks(page.locator(MAIN).inner_text())]
        problems += chart_leaks(page.evaluate(CHARTS_JS))
        assert not problems, heading + "\n" + "\n".join(problems)
        rerun_and_wait(page, page.get_by_role("button", name="Commune suivante").click)
    assert len(seen) == 6, seen
