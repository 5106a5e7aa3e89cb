"""The home page opens in a real browser with no network, without an error, on the demo data: at its own
address "/", on the last complete year by default (the year being recorded one click away, and labelled so),
with a communes filter that speaks French, in sight on a laptop's screen."""

import re
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import expect

from tests.e2e.conftest import VIEWPORT
from tests.e2e.helpers import assert_no_exception, goto, rerun_and_wait, screenshot
from tests.e2e.test_room import ENGLISH_RE, MAIN, _visible_text


def test_home_page_offline(page, server):
    goto(page, server)
    assert_no_exception(page)
    expect(page.get_by_text("Données fictives de démonstration").first).to_be_visible()
    screenshot(page, "accueil")
    # "/" opens Vue d'ensemble and keeps its address, without a "Page not found" dialog nor an English word.
    expect(page.locator(MAIN).locator("h1").first).to_have_text("Vue d'ensemble")
    expect(page.get_by_role("dialog")).to_have_count(0)
    assert not ENGLISH_RE.findall(_visible_text(page))
    assert urlsplit(page.url).path.strip("/") == "", page.url

    # Default: the last complete year (the demo data stop on 30/09/2026: 2025).
    expect(page.locator(MAIN).get_by_text("Période : 2025").first).to_be_visible()
    assert parse_qs(urlsplit(page.url).query).get("periode") == ["2025"], page.url

    # On a laptop's screen (1366 × 768) the filters are in sight without scrolling: the menu of the pages stands
    # in the top bar, not above them in the sidebar (where 14 pages pushed them below the screen's edge).
    sidebar = page.locator('[data-testid="stSidebar"]')
    page.set_viewport_size({"width": 1366, "height": 768})
    expect(page.locator('[data-testid="stTopNav"]')).to_be_visible()
    for name in ("Période : de", "Communes nouvelles"):
        box = sidebar.get_by_role("combobox", name=name).bounding_box()
        assert box and box["y"] + box["height"] <= 768, (name, box)
    screenshot(page, "accueil_portable")
    page.set_viewport_size(VIEWPORT)

    # The communes filter, opened: no "Select all" nor any other English word.
    box = sidebar.locator('[data-testid="stMultiSelect"]').first
    box.scroll_into_view_if_needed()
    box.locator("input").click()
    options = page.locator('[role="option"]')
    expect(options.first).to_be_visible()
    assert not ENGLISH_RE.findall(_visible_text(page))
    screenshot(page, "filtre_communes_ouvert")
    page.keyboard.press("Escape")
    expect(options).to_have_count(0)

    # The year being recorded is one click away, and labelled so.
    button = sidebar.get_by_role("button", name=re.compile("Voir 2026 .année en cours, incomplète"))
    button.scroll_into_view_if_needed()
    rerun_and_wait(page, button.click)
    expect(page.locator(MAIN).get_by_text("Période : 2026").first).to_be_visible()


# What a page of the dashboard could try if a chart library or a font reached out: a script, an image by IP
# address, a fetch over https and a WebSocket. Each must be refused by the browser and recorded.
TRY_THE_OUTSIDE = """async () => {
  const outcome = {};
  const load = (tag, attr, url) => new Promise((done) => {
    const el = document.createElement(tag);
    el.onload = () => done('chargé'); el.onerror = () => done('refusé');
    el[attr] = url; document.body.appendChild(el);
  });
  outcome.script = await load('script', 'src', 'https://cdn.jsdelivr.net/npm/plotly.js/dist/plotly.min.js');
  outcome.image = await load('img', 'src', 'http://93.184.215.14/pixel.png');
  outcome.fetch = await fetch('https://tile.openstreetmap.org/0/0/0.png').then(() => 'chargé', () => 'refusé');
  outcome.websocket = await new Promise((done) => {
    const ws = new WebSocket('wss://example.org/socket');
    ws.onopen = () => done('chargé'); ws.onerror = () => done('refusé');
  });
  return outcome;
}"""


def test_the_guard_refuses_and_records_every_outside_request(page, server):
    """The proof that the other browser tests run offline: the guard itself, tried from a dashboard page."""
    goto(page, server, "methodologie")
    failures = {}
    page.on(
        "requestfailed", lambda request: failures.setdefault(urlsplit(request.url).hostname, request.failure)
    )
    outcome = page.evaluate(TRY_THE_OUTSIDE)
    assert outcome == {"script": "refusé", "image": "refusé", "fetch": "refusé", "websocket": "refusé"}
    recorded = " ".join(page.outside_requests)
    for url in ("cdn.jsdelivr.net", "93.184.215.14", "tile.openstreetmap.org", "WEBSOCKET wss://example.org"):
        assert url in recorded, (url, page.outside_requests)
    # Refused by the browser itself, not merely unanswered because this machine happens to be offline.
    for host in ("cdn.jsdelivr.net", "93.184.215.14", "tile.openstreetmap.org"):
        assert failures.get(host) == "net::ERR_PROXY_CONNECTION_FAILED", failures
    page.outside_requests.clear()  # expected here: the fixture fails any other test that records one
