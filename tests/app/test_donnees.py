"""The Données page and the behaviour on broken data: report, last good data, offer of the demo data."""

import shutil

from impact import DEMO_DIR
from tests.app.conftest import metric_values, normalize, run_app
from tests.fixtures import mini_folder, write


def test_donnees_page_on_demo_data():
    at = run_app("donnees.py")
    text = normalize(" ".join(e.value for e in at.markdown) + " ".join(e.value for e in at.success))
    assert "Dossier chargé sans erreur" in text
    assert "Aucun problème détecté." in text


def test_broken_folder_keeps_last_good_data(tmp_path, monkeypatch):
    folder = mini_folder(tmp_path / "data")
    monkeypatch.setenv("IMPACT_DATA", str(folder))
    good = metric_values(run_app(periode=["2024", "2024"]))
    write(folder, "heures_s9.csv", "mois;structure_id;personne_id;heures_travaillees\n07/2024;S1;A;-3\n")
    write(folder, "notes.csv", "a;b\n1;2\n")  # a whole-file warning: no line, no column
    at = run_app("donnees.py")
    assert any("dernière version valide" in e.value for e in at.error)
    report = at.dataframe[0].value
    assert "heures_s9.csv" in set(report["fichier"])
    # Line and column as the editor shows them; "—" where the problem is the whole file (never "None").
    rows = {r["fichier"]: r for r in report.to_dict("records")}
    assert (rows["heures_s9.csv"]["ligne"], rows["heures_s9.csv"]["colonne"]) == ("2", "heures_travaillees")
    assert (rows["notes.csv"]["ligne"], rows["notes.csv"]["colonne"]) == ("—", "—")
    errors = (report["gravité"] == "erreur").sum()
    words = "erreur bloquante" if errors < 2 else "erreurs bloquantes"
    assert any(m.value.startswith(f"{errors} {words} et ") for m in at.markdown), [
        m.value for m in at.markdown
    ]
    home = run_app(periode=["2024", "2024"])
    assert metric_values(home) == good
    assert any("dernière version valide" in e.value for e in home.warning)


def test_a_folder_put_back_then_broken_shows_the_data_put_back(tmp_path, monkeypatch):
    """An import, then its undo, then a broken file: the last good data is the folder as put back, not the
    import's (the folder put back had the same files as before the import: the dashboard served them from
    memory and its saved copy still held the import)."""
    folder = mini_folder(tmp_path / "data")
    monkeypatch.setenv("IMPACT_DATA", str(folder))
    before = metric_values(run_app(periode=["2024", "2024"]))
    added = write(
        folder, "heures_s1_juillet.csv", "mois;structure_id;personne_id;heures_travaillees\n07/2024;S1;I;10\n"
    )
    imported = metric_values(run_app(periode=["2024", "2024"]))
    assert (
        imported["Heures travaillées (provisoire)"] != before["Heures travaillées"]
    )  # July: S3 still to send
    added.unlink()  # the undo: the folder as it was
    assert metric_values(run_app(periode=["2024", "2024"])) == before
    write(folder, "heures_s9.csv", "mois;structure_id;personne_id;heures_travaillees\n07/2024;S1;A;-3\n")
    home = run_app(periode=["2024", "2024"])
    assert any("dernière version valide" in e.value for e in home.warning)
    assert metric_values(home) == before


def test_never_loaded_folder_says_so_and_offers_demo(tmp_path, monkeypatch):
    folder = tmp_path / "vide"
    shutil.copytree(DEMO_DIR, folder)
    (folder / "structures.csv").unlink()
    monkeypatch.setenv("IMPACT_DATA", str(folder))
    at = run_app()
    assert at.title[0].value == "Aucune donnée chargée"
    report = at.dataframe[0].value
    assert any("table obligatoire « structures » absente" in str(v) for v in report["message"])
    assert report.loc[report["message"].str.contains("table obligatoire"), "ligne"].tolist() == ["—"]
    at.button[0].click().run()
    assert not at.exception
    assert "Données fictives de démonstration" in normalize(" ".join(e.value for e in at.markdown))


def test_a_folder_without_revenue_file_says_non_renseigne_not_zero(tmp_path, monkeypatch):
    folder = mini_folder(tmp_path / "data")
    (folder / "chiffre_affaires.csv").unlink()
    monkeypatch.setenv("IMPACT_DATA", str(folder))
    assert metric_values(run_app(periode=["2024", "2024"]))["Chiffre d'affaires"] == "non renseigné"


def test_a_projected_screen_names_the_folder_without_its_path():
    """At the desk the coordination sees where the data is read from; on a projector (and for the read-only
    role) the folder's name only: a server path (/home/<account>/…) is no one's business in a meeting room."""
    text = " ".join(m.value for m in run_app("donnees.py").markdown)
    assert f"`{DEMO_DIR}`" in text
    text = " ".join(m.value for m in run_app("donnees.py", mode="presentation").markdown)
    assert "**Dossier :** `demo`" in text
    assert str(DEMO_DIR) not in text
    # nor the command that serves another folder: the import is the coordination's, at its desk
    assert (
        "IMPACT_DATA=" not in text
        and "L'import est réservé à la coordination, hors mode présentation." in text
    )
    methodologie = " ".join(m.value for m in run_app("methodologie.py", mode="presentation").caption)
    assert "Dossier chargé : demo." in methodologie
    assert str(DEMO_DIR) not in methodologie
