"""The documents in a real browser cut off from the network: the fiche commune's PDF download (and the
annual report's), built on the server without any outside request."""

import io

from playwright.sync_api import expect
from pypdf import PdfReader

from tests.e2e.helpers import assert_no_exception, goto, map_image, rerun_and_wait, screenshot


def _pdf_text(path) -> str:
    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    return " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


def _open(page, server, path, query=None):
    """Open a page by its URL (straight: a deep link works on a fresh server too, test_deep_link)."""
    goto(page, server, path, query)
    expect(page.get_by_text("Page not found")).to_have_count(0)


def test_fiche_commune_pdf_download_offline(page, server, tmp_path):
    _open(page, server, "fiche_commune", {"periode": ["2025", "2025"]})
    assert_no_exception(page)
    expect(page.get_by_text("Beaupréau-en-Mauges — 2025").first).to_be_visible()
    map_image(page)  # the map of its communes déléguées, drawn with nothing fetched
    rerun_and_wait(page, lambda: page.get_by_role("button", name="Commune suivante").click())
    expect(page.get_by_text("Chemillé-en-Anjou — 2025").first).to_be_visible()
    screenshot(page, "fiche_commune", full_page=True)
    with page.expect_download(timeout=120_000) as info:
        page.get_by_role("button", name="Télécharger la fiche (PDF)").click()
    download = info.value
    assert download.suggested_filename == "fiche_49092_2025.pdf"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    text = _pdf_text(path)
    assert "Chemillé-en-Anjou — 2025" in text
    assert "Données fictives de démonstration" in text
    assert_no_exception(page)


def test_bilan_downloads_offline(page, server, tmp_path):
    _open(page, server, "bilan")
    assert_no_exception(page)
    screenshot(page, "bilan", full_page=True)
    with page.expect_download(timeout=180_000) as info:
        page.get_by_role("button", name="Télécharger le rapport (PDF)").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    assert "Bilan annuel 2025" in _pdf_text(path)
    with page.expect_download(timeout=120_000) as info:
        page.get_by_role("button", name="Télécharger le classeur (XLSX)").click()
    assert info.value.suggested_filename == "bilan_2025.xlsx"
    path = tmp_path / "bilan_2025.xlsx"
    info.value.save_as(path)
    assert path.read_bytes()[:2] == b"PK"
