"""The floor `make bench` measures each page against (bench/plancher.py) draws that very page: the messages
recorded from the dashboard's server, sent back by bench/plancher_app.py with nothing computed, give the same
title, menu, sidebar, key figures, charts and texts. A floor that drew less would make every page look slow."""

import asyncio
import sys
from concurrent.futures import ThreadPoolExecutor

from playwright.sync_api import Page, expect

from impact import ROOT
from tests.e2e.conftest import ARTEFACTS, start_server
from tests.e2e.helpers import assert_no_exception, goto, settle

sys.path.insert(0, str(ROOT / "bench"))
import plancher  # (bench/ is not a package: its scripts import each other by name)

PAGE = "heures"  # key figures, six charts, texts, tables behind expanders, the sidebar's filters


def _drawn(page: Page) -> dict:
    """What a reader sees of the page: its title, the menu, the sidebar's widgets, tiles, charts and texts."""
    main = page.locator('[data-testid="stMain"]')
    return {
        "titre": main.locator("h1").first.inner_text(),
        "menu": page.locator('[data-testid="stTopNav"]').inner_text(),
        "filtres": page.locator('[data-testid="stSidebar"] [data-testid="stWidgetLabel"]').all_inner_texts(),
        "tuiles": main.locator('[data-testid="stMetric"]').all_inner_texts(),
        "graphiques": main.locator('[data-testid="stPlotlyChart"] .main-svg').count(),
        "textes": main.locator('[data-testid="stMarkdownContainer"]').all_inner_texts(),
    }


def test_the_floor_of_a_page_draws_the_same_page(page, server, tmp_path):
    with ThreadPoolExecutor(1) as pool:  # the browser's event loop is this thread's: record in another
        home = pool.submit(asyncio.run, plancher.record(server, "")).result()
        recorded = pool.submit(asyncio.run, plancher.record(server, PAGE)).result()
    assert recorded["messages"] and home["menu"], "rien d'enregistré"
    plancher.save({"": home, PAGE: recorded}, tmp_path / "plancher")
    goto(page, server, PAGE)
    settle(page)
    expected = _drawn(page)
    assert expected["tuiles"] and expected["graphiques"] and expected["filtres"], expected
    with start_server(
        tmp_path / "etat",
        ARTEFACTS / "e2e" / "streamlit_plancher.log",
        env={"PLANCHER_DIR": str(tmp_path / "plancher")},
        script="bench/plancher_app.py",
    ) as floor:
        goto(page, floor, PAGE)
        settle(page)
        expect(page.locator('[data-testid="stMain"] h1').first).to_have_text(expected["titre"])
        assert _drawn(page) == expected
        assert_no_exception(page)
