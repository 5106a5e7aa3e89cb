"""Freshness per structure: "données au" is the last month every active structure has declared."""

import shutil
from datetime import date

import pandas as pd
import pytest

from impact import DEMO_DIR
from impact.__main__ import main
from impact.db import Database
from impact.filters import Filtres
from impact.indicators import fraicheur, heures, kpis
from impact.load import load_folder
from tests.fixtures import mini_folder

OCTOBRE = (
    "mois;structure_id;personne_id;heures_travaillees;intervention_id\n10/2026;AI_LOIRE;P000498;12;I00014\n"
)


def _db(folder):
    result = load_folder(folder)
    assert result.ok, [str(p) for p in result.errors]
    return Database(result)


@pytest.fixture(scope="module")
def octobre(tmp_path_factory):
    """The demo data (every structure up to September 2026) plus one October row for one AI."""
    folder = tmp_path_factory.mktemp("octobre") / "donnees"
    shutil.copytree(DEMO_DIR, folder)
    (folder / "heures_ai_loire_octobre.csv").write_text(OCTOBRE, encoding="utf-8")
    return folder


def test_demo_is_complete():
    fr = fraicheur.fraicheur(_db(DEMO_DIR))
    assert fr.donnees_au == date(2026, 9, 30)
    assert fr.complete and fr.resume() is None


def test_one_october_row_does_not_move_donnees_au(octobre):
    db = _db(octobre)
    assert db.donnees_au == date(2026, 9, 30)
    assert kpis(db, Filtres.annee(2026))["donnees_au"] == "2026-09-30"
    fr = fraicheur.fraicheur(db)
    assert fr.dernier_mois_recu == date(2026, 10, 1)
    assert fr.premier_mois_provisoire == date(2026, 10, 1)
    # 12 structures declare hours; only AI_LOIRE sent October.
    assert len(fr.en_retard) == 11
    assert fr.resume() == "11 structures n'ont pas encore transmis octobre 2026"
    assert fr.annee_provisoire(2026) and not fr.annee_provisoire(2025)
    mois = heures.par_mois(db, Filtres.annee(2026))
    assert mois.loc[mois["provisoire"], "libelle"].tolist() == ["oct. 2026"]
    assert mois.loc[mois["provisoire"], "heures_travaillees"].tolist() == [12]
    table = fraicheur.structures(db).set_index("structure_id")
    assert table.loc["AI_LOIRE", "statut"] == "à jour"
    assert table.loc["AI_SEVRE", "statut"] == "en retard : octobre 2026 pas encore transmis"
    assert table.loc["CS_EVRE", "statut"] == "ne déclare pas d'heures"


def test_check_warns_about_lagging_structures(octobre, capsys):
    assert main(["check", str(octobre)]) == 0
    out = capsys.readouterr().out
    assert "heures_ai_sevre.csv:-:structure_id: structure « AI_SEVRE »" in out
    assert "Fraîcheur : 11 structures n'ont pas encore transmis octobre 2026" in out
    assert out.strip().endswith("données au 30/09/2026 ; 11 avertissement(s).")
    assert "Aucun problème" not in out


def test_lagging_structure_holds_back_donnees_au(tmp_path):
    folder = mini_folder(tmp_path / "mini")
    # S3 stops in May 2024 while A's path in S3 (P9) is still open in June; the others sent June.
    path = folder / "heures_s3.csv"
    path.write_bytes(path.read_bytes().replace(b"2024-06\tS3\tA\t0,5\t\t\r\n", b""))
    db = _db(folder)
    assert db.donnees_au == date(2024, 5, 31)
    fr = fraicheur.fraicheur(db)
    assert fr.resume() == "1 structure n'a pas encore transmis juin 2024"
    assert fr.provisoire(date(2024, 6, 1)) and not fr.provisoire(date(2024, 5, 1))
    [problem] = fraicheur.problemes(db)
    assert problem.file == "heures_s3.csv"
    assert "dernier mois déclaré mai 2024, 1 mois avant le plus récent reçu (juin 2024)" in problem.message


def test_structure_without_open_path_or_silent_for_a_year_is_not_expected(tmp_path):
    folder = mini_folder(tmp_path / "mini")
    db = _db(folder)
    table = fraicheur.structures(db).set_index("structure_id")
    # S5's only person left on 31/01/2024: its last month (January) lags five months but holds nothing back.
    assert table.loc["S5", "retard_mois"] == 5
    assert pd.isna(table.loc["S5", "premier_mois_manquant"])
    assert db.donnees_au == date(2024, 6, 30)
    # One 2025-07 row for S1: S2..S5 stopped more than 12 months earlier and are no longer expected.
    (folder / "heures_s1_2025.csv").write_text(
        "mois;structure_id;personne_id;heures_travaillees\n07/2025;S1;I;5\n", encoding="utf-8"
    )
    db = _db(folder)
    table = fraicheur.structures(db).set_index("structure_id")
    assert not table.loc["S2", "active"]
    assert table.loc["S2", "statut"] == "inactive : aucune heure depuis plus de 12 mois"
    assert db.donnees_au == date(2025, 7, 31)


def test_provisional_bars_are_hatched_and_labelled():
    from impact import charts

    df = pd.DataFrame({"libelle": ["sept. 2026", "oct. 2026"], "heures_travaillees": [17987.0, 12.0]})
    fig = charts.mark_provisional(charts.bars(df, "libelle", "heures_travaillees", unit="h"), [False, True])
    bar = fig.data[0]
    assert list(bar.marker.pattern.shape) == ["", "/"]
    # 17 987 h on a narrow column: the labels without their unit, which the axis title gives
    assert list(bar.text) == ["17\u202f987", "12 (provisoire)"]


def test_lagging_structures_name_their_files_from_the_snapshot_without_keeping_the_hours(octobre, tmp_path):
    """Served from its snapshot (the dashboard's case), the warnings name each late structure's hours files;
    only two columns of the late structures' rows are read, and no table is kept in memory afterwards."""
    from impact import state

    served = state.serve(octobre, tmp_path / "etat")
    tables = served.result.tables
    assert isinstance(tables, state.SnapshotTables)
    reads = []
    real = state.SnapshotTables.read

    def spy(self, name, columns=None, filters=None):
        reads.append((name, columns))
        return real(self, name, columns, filters)

    state.SnapshotTables.read = spy
    try:
        problems = fraicheur.problemes(Database(served.result))
    finally:
        state.SnapshotTables.read = real
    assert "heures_ai_sevre.csv" in {p.file for p in problems} and len(problems) == 11
    assert reads == [("heures", ["structure_id", "_fichier"])]
    assert all(dict.__getitem__(tables, name) is None for name in tables)  # nothing kept
    assert len(tables["heures"]) == len(load_folder(octobre).tables["heures"])  # read again when asked
