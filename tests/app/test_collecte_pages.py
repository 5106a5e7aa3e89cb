"""Données and Méthodologie offer the collection workbook; Méthodologie explains the pseudonymisation key."""

from impact import collecte, pseudonyme
from impact.load import load_folder
from tests.app.conftest import normalize, run_app
from tests.fixtures import mini_folder


def test_donnees_offers_one_workbook_per_structure(tmp_path, monkeypatch):
    folder = mini_folder(tmp_path / "data")
    monkeypatch.setenv("IMPACT_DATA", str(folder))
    at = run_app("donnees.py")
    box = at.selectbox(key="collecte_structure")
    assert box.options == ["Toutes les tables (coordination)"] + [
        f"S{i} — {n}"
        for i, n in enumerate(
            [
                "Les Jardins d’Œuvre",
                "Cœur de Mauges € Services",
                "Mauges Intérim Insertion",
                "Atelier Adapté du Layon",
                "Coopérative des Indépendants",
            ],
            start=1,
        )
    ]
    assert collecte.structure_choices(load_folder(folder)) == {
        f"S{i}": o for i, o in enumerate(box.options[1:], start=1)
    }
    box.set_value("S3").run()
    assert not at.exception
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Télécharger le classeur de collecte" in labels
    text = normalize(" ".join(e.value for e in at.markdown))
    assert "classeurs Excel (.xlsx)" in text


def test_methodologie_explains_the_key_and_offers_the_workbook():
    at = run_app("methodologie.py")
    text = normalize(" ".join(e.value for e in at.markdown) + " ".join(e.value for e in at.caption))
    assert normalize(pseudonyme.METHODOLOGIE.split("\n")[0]) in text
    assert "Pourquoi une clé" in text and "Si la clé est perdue" in text
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Classeur de collecte Excel (toutes les tables)" in labels
