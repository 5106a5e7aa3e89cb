"""The home page opens in a real browser with no network, without an error, on the demo data."""

from playwright.sync_api import expect

from tests.e2e.helpers import assert_no_exception, goto, screenshot


def test_home_page_offline(page, server):
    goto(page, server)
    assert_no_exception(page)
    expect(page.get_by_text("Données fictives de démonstration").first).to_be_visible()
    screenshot(page, "accueil")
