"""Contract v1.1: the optional tables encadrement, formations and suivis load, and bad rows are named by
file, line and column; a v1 folder without them loads unchanged."""

import pandas as pd
import pytest

from impact.db import Database
from impact.load import load_folder
from tests.fixtures import mini_folder, write
from tests.fixtures_accompagnement import accompagnement_folder


def plain(series):
    return [None if pd.isna(v) else v for v in series]


def messages(result):
    return [str(p) for p in result.problems]


@pytest.fixture
def folder(tmp_path):
    return accompagnement_folder(tmp_path / "acc")


def test_v1_folder_loads_with_empty_new_tables(tmp_path):
    r = load_folder(mini_folder(tmp_path / "v1"))
    assert r.ok, messages(r)
    db = Database(r)
    for table in ("encadrement", "formations", "suivis"):
        assert table not in r.tables
        assert db.con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0


def test_new_tables_load_typed(folder):
    r = load_folder(folder)
    assert r.ok, messages(r)
    f = r.tables["formations"]
    assert plain(f["domaine"]) == ["securite", "numerique", "savoir_etre", "technique", "technique", None]
    assert plain(f["certifiante"]) == [True, False, False, True, True, None]
    assert f["heures"].sum() == 364
    s = r.tables["suivis"]
    assert s.loc[s["parcours_id"] == "P4", "situation"].tolist() == ["CDI", "CDI"]  # label read as its code
    assert s["source"].tolist()[:2] == ["declaration", "verification"]
    e = r.tables["encadrement"]
    assert (
        float(e.loc[(e["annee"] == 2024) & (e["structure_id"] == "S1"), "etp_encadrement_technique"].iloc[0])
        == 1.5
    )


def test_bad_rows_named_by_file_line_column(folder):
    write(
        folder,
        "encadrement_bis.csv",
        "annee;structure_id;etp_encadrement_technique;etp_accompagnement_socioprofessionnel\n"
        "2024;S1;1;0,5\n2024;S9;-1;\n",
    )
    write(
        folder,
        "formations_bis.csv",
        "parcours_id;date_debut;intitule;heures;date_fin;domaine;certifiante\n"
        "P1;10/05/2024;Permis;20;01/05/2024;conduite;peut-être\nP99;01/01/2024;X;3;;;\n",
    )
    write(
        folder,
        "suivis_bis.csv",
        "parcours_id;date_suivi;situation;source\nP1;14/09/2024;EN_EMPLOI;enquête\nP4;30/11/2024;CDI;\n",
    )
    m = messages(load_folder(folder))
    assert any(x.startswith("encadrement_bis.csv:2:annee: annee et structure_id en double") for x in m), m
    assert (
        "encadrement_bis.csv:3:structure_id: « S9 » absent de la table structures (référence inconnue)" in m
    )
    assert "encadrement_bis.csv:3:etp_encadrement_technique: valeur -1 négative" in m
    assert "encadrement_bis.csv:3:etp_accompagnement_socioprofessionnel: valeur obligatoire manquante" in m
    assert "formations_bis.csv:2:date_fin: date de fin antérieure à la date de début" in m
    assert any(x.startswith("formations_bis.csv:2:domaine: valeur « conduite » inconnue") for x in m)
    assert any(x.startswith("formations_bis.csv:2:certifiante: valeur « peut-être » illisible") for x in m)
    assert "formations_bis.csv:3:parcours_id: « P99 » absent de la table parcours (référence inconnue)" in m
    assert any(
        x.startswith("suivis_bis.csv:2:situation: valeur « EN_EMPLOI » inconnue ; valeurs admises : ")
        for x in m
    )
    assert any(x.startswith("suivis_bis.csv:2:source: valeur « enquête » inconnue") for x in m)
    assert any(
        x.startswith("suivis_bis.csv:3:parcours_id: parcours_id et date_suivi en double") for x in m
    ), m


def test_identifying_column_refused_in_follow_up(folder):
    write(folder, "suivis_ter.csv", "parcours_id;date_suivi;situation;nom\nP1;01/10/2024;CDI;Dupont\n")
    m = messages(load_folder(folder))
    assert any(x.startswith("suivis_ter.csv:1:nom: colonne refusée") for x in m)
