"""A shared link to a page (with filters) opened first on a freshly started dashboard finds its page."""

from playwright.sync_api import expect

from tests.e2e.conftest import ARTEFACTS, start_server
from tests.e2e.helpers import assert_no_exception, goto, screenshot


def test_deep_link_on_a_fresh_server(page, tmp_path):
    with start_server(tmp_path / "etat", ARTEFACTS / "e2e" / "streamlit_lien_direct.log") as fresh:
        goto(page, fresh, "heures", {"periode": ["2021", "2021"]})
        expect(page.get_by_text("Page not found")).to_have_count(0)
        expect(page.locator("h1").first).to_have_text("Heures et activités")
        expect(page.get_by_text("Période : 2021").first).to_be_visible()
        assert_no_exception(page)
        screenshot(page, "lien_direct_heures")
