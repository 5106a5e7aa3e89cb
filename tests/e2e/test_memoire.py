"""The mémoire d'insertion in a real browser cut off from the network: its Word and PDF downloads, built on
the server without any outside request, hold the tender's title and the page's figures."""

import io

from docx import Document
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.e2e.helpers import assert_no_exception, goto, screenshot


def test_memoire_downloads_offline(page, server, tmp_path):
    goto(page, server, "memoire")
    expect(page.get_by_text("Page not found")).to_have_count(0)
    assert_no_exception(page)
    expect(page.get_by_text("8. Méthode et sources").first).to_be_visible()
    screenshot(page, "memoire", full_page=True)
    with page.expect_download(timeout=180_000) as info:
        page.get_by_role("button", name="Télécharger le mémoire (Word, modifiable)").click()
    assert info.value.suggested_filename == "memoire_insertion_2025.docx"
    path = tmp_path / "m.docx"
    info.value.save_as(path)
    doc = Document(io.BytesIO(path.read_bytes()))
    assert doc.paragraphs[0].text == "Mémoire d'insertion — Entretien des ouvrages du service de l'eau"
    with page.expect_download(timeout=180_000) as info:
        page.get_by_role("button", name="Télécharger le mémoire (PDF)").click()
    path = tmp_path / "m.pdf"
    info.value.save_as(path)
    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert "6. Nos résultats" in text and "Données fictives de démonstration" in text
    assert_no_exception(page)
