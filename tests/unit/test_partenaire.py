"""What a partner's orders financed, on the hand-made folder, and its one-page PDF (masked, offline)."""

import io
import re
import socket

import pytest
from pypdf import PdfReader

from impact.__main__ import main
from impact.db import Database
from impact.documents.partenaire import partenaire_pdf
from impact.indicators import partenaire as pa
from impact.load import load_folder
from tests.fixtures_accompagnement import accompagnement_folder


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return accompagnement_folder(tmp_path_factory.mktemp("acc"))


@pytest.fixture(scope="module")
def db(folder):
    return Database(load_folder(folder))


def test_private_partner_by_hand(db):
    assert pa.donneurs_prives(db) == ["Veolia Eau"]
    p = pa.partenaire(db, "Veolia Eau", 2024, 2024)
    # M2 (intervention I2, S2): C 160 h and D 149 h in 2024; C (P3) followed 2 trainings, 28 h.
    assert (p.heures_travaillees, p.personnes) == (309, 2)
    assert p.etp == pytest.approx(round(309 / 1607, 2))
    assert (p.formations, p.heures_formation, p.personnes_formees, p.embauches_partenaire) == (2, 28.0, 1, 0)


def test_public_buyer_hires_by_a_partner(db):
    p = pa.partenaire(db, "Mauges Communauté", 2024, 2024)
    # M1 (I1, S1) in 2024: A 20 h, B 120 h, G 60 h. A (P1): 14 h of training, hired by a partner (14/09/2024).
    assert (p.heures_travaillees, p.personnes) == (200, 3)
    assert (p.formations, p.heures_formation, p.personnes_formees, p.embauches_partenaire) == (1, 14.0, 1, 1)
    assert p.par_annee["heures_travaillees"].tolist() == [200]


def test_pdf_masked_offline_and_cli(db, folder, tmp_path, monkeypatch, capsys):
    def refuse(*args, **kwargs):
        raise AssertionError("connexion réseau tentée")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    data = partenaire_pdf(pa.partenaire(db, "Veolia Eau", 2024, 2024), provenance="Données au 30/06/2025")
    reader = PdfReader(io.BytesIO(data))
    text = re.sub(
        r"\s+",
        " ",
        " ".join(x.extract_text() for x in reader.pages).replace("\u202f", " ").replace("\u00a0", " "),
    )
    assert len(reader.pages) == 1
    assert "Ce que les commandes de Veolia Eau ont permis, 2024" in text and "309 h" in text
    assert "Personnes employées < 5" in text and "< 5 personnes en insertion ont travaillé" in text
    out = tmp_path / "v.pdf"
    assert (
        main(
            [
                "partenaire",
                str(folder),
                "--partenaire",
                "Veolia Eau",
                "--debut",
                "2024",
                "--fin",
                "2024",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    assert out.read_bytes().startswith(b"%PDF")
    assert (
        main(
            [
                "partenaire",
                str(folder),
                "--partenaire",
                "Inconnu",
                "--debut",
                "2024",
                "--fin",
                "2024",
                "--out",
                str(out),
            ]
        )
        == 2
    )


def test_partner_hires_are_the_collectives_six_month_figure(tmp_path):
    """One definition: a hire by a partner counts under the follow-up at 6 months (5 to 8 months after an
    exit of the period), on the partner's page as on the collective's tile. B (P2, exit 29/02/2024) worked
    120 h on M1 in 2024; a partner hired B on 30/10/2024, one day after 8 months: not counted."""
    from impact.filters import Filtres
    from impact.indicators import accompagnement
    from tests.fixtures import write

    folder = accompagnement_folder(tmp_path / "acc")
    suivis = (folder / "suivis.csv").read_text(encoding="utf-8")
    write(
        folder,
        "suivis.csv",
        suivis.replace("P2;30/10/2024;CDI;declaration;\n", "P2;30/10/2024;CDI;declaration;oui\n"),
    )
    db = Database(load_folder(folder))
    p = pa.partenaire(db, "Mauges Communauté", 2024, 2024)
    assert p.embauches_partenaire == 1  # A only (P1, followed 14/09/2024, exactly 5 months after its exit)
    tile = accompagnement.suivi_6_mois(db, Filtres(2024, 2024, marches=("M1",)))
    assert tile.employeur_partenaire == p.embauches_partenaire
