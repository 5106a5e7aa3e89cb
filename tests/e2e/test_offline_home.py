"""The home page opens in a real browser with no network, without an error, on the demo data: at its own
address "/", on the last complete year by default (the year being recorded one click away, and labelled so),
with a communes filter that speaks French."""

import re
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import expect

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

    # The communes filter, opened: no "Select all" nor any other English word.
    sidebar = page.locator('[data-testid="stSidebar"]')
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
