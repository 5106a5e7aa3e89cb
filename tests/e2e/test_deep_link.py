"""A shared link to a page (with filters) opened first on a freshly started dashboard finds its page: Streamlit's
legacy mode for a folder named pages/ answers that first request, and the page hands over to dashboard.py."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ARTEFACTS, start_server
from tests.e2e.helpers import assert_no_exception, goto, screenshot
from tests.e2e.test_room import ENGLISH_RE, _visible_text

# A deep link to another page (heures, with filters) on a fresh server: test_pages's
# test_url_filters_applied_on_load_and_kept_across_pages[lien_direct], which starts that way.
LINKS = [
    # The home page's own address (README), in presentation mode: no "Page not found" dialog either.
    ("vue_ensemble", {"mode": "presentation", "periode": "2023"}, "Vue d'ensemble", "Période : 2023"),
]


@pytest.mark.parametrize(("path", "query", "title", "period"), LINKS, ids=[p for p, *_ in LINKS])
def test_deep_link_on_a_fresh_server(page, tmp_path, path, query, title, period):
    with start_server(tmp_path / "etat", ARTEFACTS / "e2e" / f"streamlit_lien_direct_{path}.log") as fresh:
        goto(page, fresh, path, query)
        expect(page.get_by_text("Page not found")).to_have_count(0)
        expect(page.get_by_role("dialog")).to_have_count(0)
        expect(page.locator('[data-testid="stMain"] h1').first).to_have_text(title)
        expect(page.get_by_text(period).first).to_be_visible()
        assert_no_exception(page)
        assert urlsplit(page.url).path.strip("/") == path, page.url
        assert not ENGLISH_RE.findall(_visible_text(page)), page.url
        if query.get("mode") == "presentation":
            expect(page.locator(".st-key-presentation_bar")).to_be_visible()
            expect(page.locator('[data-testid="stSidebar"]')).to_be_hidden()
        screenshot(page, f"lien_direct_{path}")


def test_fresh_server_leaves_no_warm_up_chart(page, tmp_path):
    """The first run of a fresh server draws a hidden, empty chart while it imports its modules, so that the
    browser loads plotly's code meanwhile (impact.warmup; its gain is measured by `make bench`): the chart is
    gone once the page is drawn."""
    with start_server(tmp_path / "etat", ARTEFACTS / "e2e" / "streamlit_prechargement.log") as fresh:
        goto(page, fresh)
        expect(page.locator('[data-testid="stMain"] h1').first).to_have_text("Vue d'ensemble")
        expect(page.locator(".st-key-plotly_charge")).to_have_count(0)
        assert_no_exception(page)
