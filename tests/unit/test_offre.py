"""The offer of service on the hand-made folder: who does what and where, by hand, and its one-page PDF
built offline (text read back with pypdf)."""

import io
import socket

import pytest
from pypdf import PdfReader

from impact.__main__ import main
from impact.db import Database
from impact.documents.offre import offre_pdf
from impact.indicators import offre
from impact.load import load_folder
from tests.fixtures import mini_folder


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return Database(load_folder(mini_folder(tmp_path_factory.mktemp("mini"))))


def test_offer_by_hand(db):
    # The data run from 2023 (hours) to 2025 (P10 leaves in January 2025): three years, 2023 to 2025.
    assert offre.periode(db) == (2023, 2025)
    rows = offre.offre(db)[["activite", "structure_nom", "communes"]].values.tolist()
    assert rows == [
        ["Espaces verts", "Les Jardins d’Œuvre", "Beaupréau-en-Mauges"],  # Andrezé 49006
        ["Nettoyage de locaux", "Mauges Intérim Insertion", "Chemillé-en-Anjou"],
        ["Relève de compteurs", "Cœur de Mauges € Services", "Cholet"],  # a neighbouring commune
    ]
    # An intervention started after the period is not offered yet.
    assert offre.offre(db, 2022, 2022).empty


def test_pdf_one_page_offline(db, monkeypatch, tmp_path):
    def refuse(*args, **kwargs):
        raise AssertionError("connexion réseau tentée")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    data = offre_pdf(offre.offre(db), 2023, 2024, provenance="Données au 30/06/2024")
    reader = PdfReader(io.BytesIO(data))
    text = " ".join(p.extract_text() for p in reader.pages)
    assert len(reader.pages) == 1
    for s in (
        "Offre de service du Collectif des Mauges pour l'Emploi",
        "Cœur de Mauges € Services (AI)",
        "Cholet",
    ):
        assert s in text


def test_cli(tmp_path, capsys):
    out = tmp_path / "offre.pdf"
    assert main(["offre", str(mini_folder(tmp_path / "m")), "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF")
    assert "offre de service 2023-2025" in capsys.readouterr().out
