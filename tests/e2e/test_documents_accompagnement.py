"""The fiche structure, the offre de service and the partner page in a real browser cut off from the
network: each page opens without an exception or an outside request (the `page` fixture fails on any), and
its PDF download, built on the server, is a non-empty PDF whose text holds the document's title."""

import io
import re

from playwright.sync_api import expect
from pypdf import PdfReader

from impact import fmt
from impact.documents import COLLECTIF
from impact.indicators import bilan, listes
from impact.indicators import partenaire as pa
from tests.e2e.helpers import assert_no_exception, goto, screenshot


def _open(page, server, path):
    """Open a page by its URL (straight: a deep link works on a fresh server too, test_deep_link)."""
    goto(page, server, path)
    expect(page.get_by_text("Page not found")).to_have_count(0)
    assert_no_exception(page)


def _download(page, button: str, tmp_path) -> tuple[str, str]:
    """Click a download button: (suggested file name, text of the PDF on one line)."""
    with page.expect_download(timeout=180_000) as info:
        page.get_by_role("button", name=button).click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    data = path.read_bytes()
    assert len(data) > 1000 and data.startswith(b"%PDF")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    return info.value.suggested_filename, re.sub(
        r"\s+", " ", text.replace("\u202f", " ").replace("\u00a0", " ")
    )


def test_fiche_structure_pdf_download_offline(page, server, tmp_path, demo_db):
    first = listes.structures(demo_db).iloc[0]
    annee = bilan.annee_par_defaut(demo_db)
    _open(page, server, "fiche_structure")
    expect(page.get_by_role("button", name="Télécharger la fiche (PDF)")).to_be_visible()
    screenshot(page, "fiche_structure", full_page=True)
    name, text = _download(page, "Télécharger la fiche (PDF)", tmp_path)
    assert name == f"fiche_{first['structure_id'].lower()}_{annee}.pdf"
    assert f"{first['nom']} — fiche d'identité {annee}" in text
    assert "Données fictives de démonstration" in text
    assert_no_exception(page)


def test_offre_pdf_download_offline(page, server, tmp_path):
    _open(page, server, "offre")
    screenshot(page, "offre", full_page=True)
    name, text = _download(page, "Télécharger l'offre de service (PDF)", tmp_path)
    assert name == "offre_de_service.pdf"
    assert f"Offre de service du {COLLECTIF}" in text
    assert_no_exception(page)


def test_partenaire_pdf_download_offline(page, server, tmp_path, demo_db):
    nom = pa.donneurs_prives(demo_db)[0]
    _open(page, server, "marches")
    button = f"Télécharger la page pour {nom} (PDF)"
    expect(page.get_by_role("button", name=button)).to_be_visible()
    screenshot(page, "marches_partenaire", full_page=True)
    name, text = _download(page, button, tmp_path)
    debut, fin = (int(y) for y in re.fullmatch(r"partenariat_(\d{4})_(\d{4})\.pdf", name).groups())
    assert f"Ce que les commandes de {nom} ont permis, {fmt.period(debut, fin)}" in text
    assert_no_exception(page)
