"""The collection workbook: built from the contract, and once filled it imports with no manual step."""

import io
import re
import shutil

import pandas as pd
import pytest
from openpyxl import load_workbook

from impact import collecte, contract
from impact.__main__ import main
from impact.db import Database
from impact.filters import Filtres
from impact.indicators import kpis
from impact.load import load_folder
from tests.fixtures import mini_folder


@pytest.fixture(scope="module")
def mini(tmp_path_factory):
    return mini_folder(tmp_path_factory.mktemp("csv") / "mini")


@pytest.fixture(scope="module")
def mini_result(mini):
    r = load_folder(mini)
    assert r.ok
    return r


def test_workbook_for_a_structure(mini_result):
    wb = load_workbook(io.BytesIO(collecte.build_for_folder(mini_result, "S1")))
    assert wb.sheetnames == ["Lisez-moi", "parcours", "heures", "interventions", "chiffre_affaires", "Listes"]
    assert wb["Listes"].sheet_state == "hidden"
    readme = " ".join(str(c.value) for row in wb["Lisez-moi"].iter_rows() for c in row if c.value)
    assert "Structure : S1 — Les Jardins d’Œuvre" in readme
    assert "Embauche en CDI non aidé" in readme
    ws = wb["heures"]
    header = [c.value for c in ws[1]]
    assert header == [c.name for c in contract.TABLES["heures"].columns]
    # One comment per header cell: meaning, format, example from the contract.
    comment = ws["D1"].comment.text
    assert comment.startswith("Heures travaillées.\nObligatoire.")
    assert "au plus 744" in comment and "Exemple : 151,67" in comment
    assert all(c.comment is not None for c in ws[1])
    # The structure's id pre-filled, formats set.
    assert ws["B2"].value == "S1" and ws["B3001"].value == "S1"
    assert ws.column_dimensions["A"].number_format == "MM/YYYY"
    assert wb["parcours"].column_dimensions["D"].number_format == "DD/MM/YYYY"
    # Drop-down lists on every coded column of parcours.
    p = wb["parcours"]
    lists = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in p.data_validations.dataValidation}
    listes = wb["Listes"]

    def values(ref):
        col, first, last = re.fullmatch(r"'?Listes'?!\$([A-Z]+)\$(\d+):\$[A-Z]+\$(\d+)", ref).groups()
        return [listes[f"{col}{r}"].value for r in range(int(first), int(last) + 1)]

    cols = {c.value: c.column_letter for c in p[1]}
    assert values(lists[cols["motif_sortie"] + "2"])[0] == "Embauche en CDI non aidé"
    assert values(lists[cols["sexe"] + "2"]) == ["F", "H"]
    assert values(lists[cols["rqth"] + "2"]) == ["oui", "non"]
    assert values(lists[cols["structure_id"] + "2"]) == ["S1"]
    communes = values(lists[cols["commune_residence_insee"] + "2"])
    assert "Jallais (49162)" in communes and "Orée d'Anjou (49126)" in communes
    assert len(communes) == 115


def test_coordinator_workbook_has_every_table():
    wb = load_workbook(io.BytesIO(collecte.build()))
    assert wb.sheetnames == ["Lisez-moi", *contract.TABLES, "Listes"]
    assert wb["heures"]["B2"].value is None


def drop_lines(path, marker):
    raw = path.read_bytes()
    enc = "cp1252" if path.name == "structures.csv" else "utf-8-sig"
    lines = raw.decode(enc).split("\r\n")
    path.write_bytes("\r\n".join(line for line in lines if marker not in line).encode(enc))


def fill(wb, result, structure_id):
    """Types S1's rows of the fixture into the workbook as a person would: drop-down values, typed dates."""
    listes = wb["Listes"]
    col_values = {}
    for col in listes.iter_cols(min_row=2):
        col_values[col[0].value] = [c.value for c in col[1:] if c.value is not None]
    motifs = result.reference["motifs_sortie"]
    label_of_motif = dict(zip(motifs["code"], motifs["libelle"], strict=True))
    label_of_commune = {re.search(r"\((\d{5})\)$", v).group(1): v for v in col_values["commune"]}

    def cell(col, v):
        if v is None or v is pd.NA or (not isinstance(v, str) and pd.isna(v)):
            return None
        if col.name == "motif_sortie":
            assert label_of_motif[v] in col_values["motif_sortie"]
            return label_of_motif[v]
        if col.kind == contract.INSEE:
            return label_of_commune[v]
        if col.kind == contract.BOOL:
            return "oui" if v else "non"
        if col.kind in (contract.DATE, contract.MONTH):
            return pd.Timestamp(v).to_pydatetime()
        if col.kind == contract.DECIMAL:
            return float(v)
        if col.kind == contract.INT:
            return int(v)
        return str(v)

    for name in collecte.STRUCTURE_TABLES:
        ws = wb[name]
        table = contract.TABLES[name]
        df = result.tables[name]
        df = df[df["structure_id"] == structure_id]
        for i, rec in enumerate(df.to_dict("records"), start=2):
            for j, col in enumerate(table.columns, start=1):
                ws.cell(row=i, column=j, value=cell(col, rec[col.name]))


def test_filled_workbook_imports_with_the_csv_figures(tmp_path, mini, mini_result, capsys):
    """S1's rows leave the CSV files and are typed into its collection workbook: same figures."""
    folder = tmp_path / "collecte"
    shutil.copytree(mini, folder)
    (folder / "heures_s1.csv").unlink()
    for name in ("parcours.csv", "interventions.csv", "chiffre_affaires.csv"):
        drop_lines(folder / name, ";S1;")
    partial = load_folder(folder)
    assert sum(partial.tables["parcours"]["structure_id"] == "S1") == 0

    out = tmp_path / "collecte_S1.xlsx"
    assert main(["classeur-collecte", str(out), "--structure", "S1", "--dossier", str(mini)]) == 0
    assert "classeur de collecte de la structure S1" in capsys.readouterr().out
    wb = load_workbook(out)
    fill(wb, mini_result, "S1")
    wb.save(folder / out.name)

    r = load_folder(folder)
    assert r.ok, [str(p) for p in r.problems]
    assert r.warnings == []
    for name, df in mini_result.tables.items():
        a = df.drop(columns=["_fichier", "_ligne"])
        b = r.tables[name].drop(columns=["_fichier", "_ligne"])
        keys = list(a.columns)[:4]
        pd.testing.assert_frame_equal(
            a.sort_values(keys).reset_index(drop=True),
            b.sort_values(keys).reset_index(drop=True),
            check_dtype=False,
            obj=name,
        )
    for annee in (2023, 2024, 2025):
        assert kpis(Database(r), Filtres.annee(annee)) == kpis(Database(mini_result), Filtres.annee(annee))


def test_unknown_structure_is_refused(tmp_path, mini, capsys):
    assert (
        main(["classeur-collecte", str(tmp_path / "x.xlsx"), "--structure", "S9", "--dossier", str(mini)])
        == 2
    )
    assert "structure « S9 » absente" in capsys.readouterr().err
    assert not (tmp_path / "x.xlsx").exists()


def test_every_column_has_an_example():
    for name, table in contract.TABLES.items():
        assert set(contract.EXAMPLES[name]) == {c.name for c in table.columns}, name
