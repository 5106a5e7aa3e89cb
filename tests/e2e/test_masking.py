"""Presentation mode on a folder where every count of people is 1 to 4 (tests/fixtures.small_counts_folder):
every page, scanned in a real browser — visible text, chart SVG text (value labels, axis ticks), the data
behind each chart (bar heights, hover) — shows no count of 1 to 4 people or exits."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page

from tests.e2e.conftest import start_server
from tests.e2e.helpers import assert_no_exception, goto, rerun_and_wait, screenshot, wait_for_run
from tests.e2e.test_pages import registered_pages
from tests.fixtures import small_counts_folder
from tests.privacy_scan import PEOPLE, leaks

# Both tests on one worker (`--dist loadgroup`), with one small-count server; the long walk first.
pytestmark = [pytest.mark.xdist_group("masquage"), pytest.mark.long]
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


def test_presentation_shows_no_small_count_on_any_page(page: Page, server: str):
    """Every page in presentation mode, reached as a presenter does: the first by its address, the others
    by the bar's « Suivante » (so masking and the period must survive each page change). Every page's
    leaks are reported, not only the first page's."""
    pages = registered_pages()
    goto(page, server, pages[0][2], query={"mode": "presentation", "periode": ["2025", "2025"]})
    home = next(u for _f, _t, u, d in pages if d)
    problems, seen = [], []
    for _ in pages:
        address = urlsplit(page.url)
        url = address.path.strip("/") or home
        seen.append(url)
        assert_no_exception(page)
        params = parse_qs(address.query)
        assert params.get("mode") == ["presentation"] and params.get("periode") == ["2025"], page.url
        text = page.locator(MAIN).inner_text()
        found = [f"texte : {x}" for x in leaks(text)] + chart_leaks(page.evaluate(CHARTS_JS))
        problems += [f"{url or 'accueil'} — {x}" for x in found]
        screenshot(page, f"masquage_petit_{url or 'accueil'}", full_page=True)
        # A click runs this page again, which then switches: wait for the address to change, then the run.
        page.get_by_role("button", name="Suivante", exact=True).click()
        page.wait_for_function("(path) => location.pathname !== path", arg=address.path, timeout=60_000)
        wait_for_run(page)
    assert sorted(seen) == sorted(u for _f, _t, u, _d in pages), f"pages parcourues : {seen}"
    assert not problems, "\n".join(problems)


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
