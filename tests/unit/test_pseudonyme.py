"""Pseudonymisation at the door: one key, one id per person across structures, no name written anywhere."""

import io
import stat
import zipfile
from datetime import datetime

import pytest
from openpyxl import Workbook

from impact import pseudonyme
from impact.__main__ import main
from impact.db import Database
from impact.filters import Filtres
from impact.indicators import kpis
from impact.load import load_folder
from impact.state import serve
from tests.fixtures import write

RAW_WORDS = (
    "Lefèvre",
    "LEFEVRE",
    "Élodie",
    "ELODIE",
    "Zwierzynski",
    "Théophraste",
    "0601020304",
    "12/03/1990",
    "1990-03-12",
)


@pytest.fixture
def etat(tmp_path, monkeypatch):
    state = tmp_path / "etat"
    monkeypatch.setenv("IMPACT_STATE", str(state))
    return state


def xlsx(rows) -> bytes:
    wb = Workbook()
    for r in rows:
        wb.active.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def raw_files(brut):
    """Two structures' own exports, with names: Élodie Lefèvre works in both, spelt differently."""
    brut.mkdir()
    write(
        brut,
        "parcours_s1.csv",
        "Nom;Prénom;Date de naissance;Téléphone;parcours_id;structure_id;date_entree;sexe;commune_residence_insee\n"
        "Lefèvre;Élodie;12/03/1990;0601020304;P1;S1;15/01/2024;F;49023\n"
        "Zwierzynski;Théophraste;01/02/1985;;P2;S1;01/01/2024;H;49092\n",
    )
    write(
        brut,
        "heures_s1.csv",
        "Nom;Prénom;Date de naissance;mois;structure_id;heures_travaillees\n"
        "Lefèvre;Élodie;12/03/1990;01/2024;S1;50\n"
        "Zwierzynski;Théophraste;01/02/1985;01/2024;S1;40\n",
    )
    header = [
        "NOM",
        "PRENOM",
        "Né(e) le",
        "parcours_id",
        "structure_id",
        "date_entree",
        "sexe",
        "commune_residence_insee",
    ]
    (brut / "parcours_s3.xlsx").write_bytes(
        xlsx(
            [
                header,
                ["LEFEVRE ", "elodie", datetime(1990, 3, 12), "P3", "S3", datetime(2024, 2, 1), "F", 49301],
            ]
        )
    )
    (brut / "heures_s3.xlsx").write_bytes(
        xlsx(
            [
                [
                    "Nom de naissance",
                    "Prénom",
                    "Date de naissance",
                    "mois",
                    "structure_id",
                    "heures_travaillees",
                ],
                ["Le Fèvre", "Élodie", datetime(1990, 3, 12), datetime(2024, 2, 1), "S3", 30.5],
            ]
        )
    )


def data_folder(tmp_path):
    folder = tmp_path / "donnees"
    folder.mkdir()
    write(
        folder,
        "structures.csv",
        "structure_id;nom;type;commune_insee\nS1;Les Jardins;ACI;49023\nS3;Mauges Intérim;ETTI;49301\n",
    )
    return folder


def test_same_person_in_two_structures_counts_once(tmp_path, etat, capsys):
    raw_files(tmp_path / "brut")
    folder = data_folder(tmp_path)
    for src, dst in (
        ("parcours_s1.csv", "parcours_s1.csv"),
        ("heures_s1.csv", "heures_s1.csv"),
        ("parcours_s3.xlsx", "parcours_s3.xlsx"),
        ("heures_s3.xlsx", "heures_s3.csv"),
    ):
        assert main(["pseudonymiser", str(tmp_path / "brut" / src), str(folder / dst)]) == 0
    err = capsys.readouterr().err
    assert err.count("ATTENTION : la clé secrète de pseudonymisation du collectif vient d'être créée") == 1
    key = etat / pseudonyme.KEY_FILE
    assert stat.S_IMODE(key.stat().st_mode) == 0o600

    r = load_folder(folder)
    assert r.ok, [str(p) for p in r.problems]
    assert r.warnings == []  # annee_naissance only where the contract has it (parcours, not heures)
    p = r.tables["parcours"].set_index("parcours_id")
    # "Lefèvre Élodie 12/03/1990" (S1) and "LEFEVRE  elodie" born on the 1990-03-12 date cell (S3): one id.
    assert p.loc["P1", "personne_id"] == p.loc["P3", "personne_id"] != p.loc["P2", "personne_id"]
    assert list(p["annee_naissance"]) == [1990, 1985, 1990]
    h = r.tables["heures"]
    assert h["personne_id"].nunique() == 2
    assert set(h["personne_id"]) == set(p["personne_id"])  # heures and parcours files agree
    k = kpis(Database(r), Filtres.annee(2024))
    assert k["personnes_employees"] == 2  # Élodie (S1 and S3) and Théophraste; 3 if she were counted twice
    assert k["heures_travaillees"] == 120.5

    # No raw name, phone or birth date in any file written: the data folder, the state folder (key, snapshot).
    serve(folder)
    written = assert_no_raw_words(folder, etat)
    assert any(f.suffix == ".parquet" for f in written) and any(f.suffix == ".xlsx" for f in written)
    assert not list((tmp_path / "brut").glob("*.ecriture"))


def assert_no_raw_words(*folders):
    written = [f for d in folders for f in d.rglob("*") if f.is_file()]
    for f in written:
        contents = [f.read_bytes()]
        if f.suffix == ".xlsx":
            with zipfile.ZipFile(f) as z:
                contents += [z.read(n) for n in z.namelist()]
        for content in contents:
            for word in RAW_WORDS:
                assert word.encode("utf-8") not in content, (f, word)
                assert word.encode("cp1252") not in content, (f, word)
    return written


def test_a_different_key_gives_different_ids(tmp_path):
    raw_files(tmp_path / "brut")
    ids = {}
    for name, key in (("a", b"1" * 32), ("b", b"2" * 32), ("a2", b"1" * 32)):
        out = tmp_path / f"{name}.csv"
        pseudonyme.pseudonymise_file(tmp_path / "brut" / "parcours_s1.csv", out, key)
        ids[name] = [line.split(";")[0] for line in out.read_text(encoding="utf-8-sig").splitlines()[1:]]
    assert ids["a"] == ids["a2"]  # deterministic under one key
    assert len(set(ids["a"])) == 2
    assert not set(ids["a"]) & set(ids["b"])
    assert all(i.startswith("p") and len(i) == 21 for i in ids["a"] + ids["b"])


def test_normalisation_of_names():
    key = b"k" * 32
    d = datetime(1990, 3, 12).date()
    same = {
        pseudonyme.personne_id(key, n, p, d)
        for n, p in [("Lefèvre-Cœur", "Jean Pierre"), ("  LEFEVRE COEUR", "jean-pierre")]
    }
    assert len(same) == 1
    assert pseudonyme.personne_id(key, "Lefèvre", "Jean", d) != pseudonyme.personne_id(
        key, "Lefèvre", "Jeanne", d
    )
    assert pseudonyme.personne_id(key, "Lefèvre", "Jean", d) != pseudonyme.personne_id(
        key, "Lefèvre", "Jean", datetime(1990, 3, 13).date()
    )


def test_missing_birth_date_names_line_and_column_and_writes_nothing(tmp_path, etat, capsys):
    brut = tmp_path / "brut"
    brut.mkdir()
    write(
        brut,
        "p.csv",
        "Nom;Prénom;Date de naissance;parcours_id\nZwierzynski;Théophraste;;P2\nMartin;Léa;31/02/1990;P3\n",
    )
    out = tmp_path / "sortie.csv"
    assert main(["pseudonymiser", str(brut / "p.csv"), str(out)]) == 1
    err = capsys.readouterr().err
    assert "p.csv:2:Date de naissance: date de naissance manquante ou illisible (jj/mm/aaaa)" in err
    assert "p.csv:3:Date de naissance: date de naissance manquante" in err
    assert "rien n'a été écrit" in err
    assert not out.exists() and not list(tmp_path.glob("sortie*"))


def test_refusals(tmp_path, etat, capsys):
    raw_files(tmp_path / "brut")
    src = tmp_path / "brut" / "heures_s1.csv"
    assert main(["pseudonymiser", str(src), str(src)]) == 1
    assert "différent du fichier d'entrée" in capsys.readouterr().err
    write(tmp_path, "sans_noms.csv", "mois;structure_id;personne_id;heures_travaillees\n01/2024;S1;A;5\n")
    assert main(["pseudonymiser", str(tmp_path / "sans_noms.csv"), str(tmp_path / "x.csv")]) == 1
    assert "rien à pseudonymiser" in capsys.readouterr().err
    (tmp_path / "existe.csv").write_text("déjà là")
    assert main(["pseudonymiser", str(src), str(tmp_path / "existe.csv")]) == 1
    assert "--remplacer" in capsys.readouterr().err
    assert (tmp_path / "existe.csv").read_text() == "déjà là"


def test_import_page_pseudonymises_dropped_files_in_memory(tmp_path, etat):
    from impact.importer import import_files

    raw_files(tmp_path / "brut")
    folder = data_folder(tmp_path)
    files = {
        n: (tmp_path / "brut" / n).read_bytes()
        for n in ("parcours_s1.csv", "heures_s1.csv", "parcours_s3.xlsx")
    }
    files["heures_s3.csv"] = b"mois;structure_id;personne_id;heures_travaillees\n"  # no names: left alone
    named = pseudonyme.files_with_names(files)
    assert named == {
        "parcours_s1.csv": ["Nom", "Prénom", "Date de naissance", "Téléphone"],
        "heures_s1.csv": ["Nom", "Prénom", "Date de naissance"],
        "parcours_s3.xlsx": ["NOM", "PRENOM", "Né(e) le"],
    }
    prepared, problems, created = pseudonyme.for_import(files, list(named), folder)
    assert problems == [] and created
    assert prepared["heures_s3.csv"] is files["heures_s3.csv"]
    outcome = import_files(folder, prepared)
    assert outcome.applied, [str(p) for p in outcome.check.errors]
    p = load_folder(folder).tables["parcours"].set_index("parcours_id")
    assert p.loc["P1", "personne_id"] == p.loc["P3", "personne_id"]
    assert any(f.suffix == ".xlsx" for f in assert_no_raw_words(folder, etat))
    assert (
        pseudonyme.files_with_names({"structures.csv": b"structure_id;nom;adresse\nS1;Alise;1 rue\n"}) == {}
    )
