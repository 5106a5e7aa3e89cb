"""Excel workbooks read like CSV: same figures as the hand-made CSV folder, clear errors on bad workbooks."""

import io
import re
import shutil
import zipfile
from datetime import datetime

import pandas as pd
import pytest
from openpyxl import Workbook

from impact import contract
from impact.db import Database
from impact.filters import Filtres
from impact.indicators import kpis
from impact.load import decode, load_folder, read_csv_text
from tests.fixtures import HEURES_2024, mini_folder


@pytest.fixture(scope="module")
def mini(tmp_path_factory):
    return mini_folder(tmp_path_factory.mktemp("csv") / "mini")


@pytest.fixture(scope="module")
def mini_result(mini):
    r = load_folder(mini)
    assert r.ok
    return r


def typed(value, kind):
    """A loaded value as the typed cell a spreadsheet would hold."""
    if value is None or value is pd.NA or (not isinstance(value, str) and pd.isna(value)):
        return None
    if kind in (contract.DATE, contract.MONTH):
        return pd.Timestamp(value).to_pydatetime()
    if kind == contract.DECIMAL:
        return float(value)
    if kind == contract.INT:
        return int(value)
    if kind == contract.BOOL:
        return bool(value)
    if kind == contract.INSEE:
        return int(value)  # a code stored as a number, as exports do
    return str(value)


def typed_workbook(result, path):
    """Every table as one sheet of typed cells (dates, numbers, booleans), plus a sheet to ignore."""
    wb = Workbook()
    wb.active.title = "Notes"
    wb.active["A1"] = "Une feuille qui n'est pas une table"
    for name, table in contract.TABLES.items():
        if name not in result.tables:  # an optional table the fixture does not have
            continue
        ws = wb.create_sheet(name)
        ws.append([c.name for c in table.columns])
        df = result.tables[name]
        for rec in df.to_dict("records"):
            ws.append([typed(rec[c.name], c.kind) for c in table.columns])
        for c in table.columns:
            if c.kind == contract.MONTH:
                col = [c.name for c in table.columns].index(c.name) + 1
                for row in ws.iter_rows(min_row=2, min_col=col, max_col=col):
                    row[0].number_format = "mm/yyyy"
    wb.save(path)


def comparable(result):
    out = {}
    for name, df in result.tables.items():
        d = df.drop(columns=["_fichier", "_ligne"])
        out[name] = d.sort_values(list(d.columns)[:4]).reset_index(drop=True)
    return out


def assert_same_data(a, b):
    ta, tb = comparable(a), comparable(b)
    assert ta.keys() == tb.keys()
    for name in ta:
        pd.testing.assert_frame_equal(ta[name], tb[name], check_dtype=False, obj=name)
    for annee in (2023, 2024, 2025):
        assert kpis(Database(a), Filtres.annee(annee)) == kpis(Database(b), Filtres.annee(annee))


def test_workbook_with_every_table_as_sheets_gives_the_csv_figures(tmp_path, mini_result):
    folder = tmp_path / "classeur"
    folder.mkdir()
    typed_workbook(mini_result, folder / "collectif.xlsx")
    r = load_folder(folder)
    assert r.ok, [str(p) for p in r.problems]
    assert [str(p) for p in r.warnings] == [
        "collectif.xlsx › Notes:-:-: feuille ignorée : son nom ne correspond à aucune table du contrat"
    ]
    assert_same_data(r, mini_result)
    k = kpis(Database(r), Filtres.annee(2024))
    assert k["heures_travaillees"] == HEURES_2024
    files = {f["fichier"]: f for f in r.files}
    assert files["collectif.xlsx › heures"]["lignes"] == 37
    assert files["collectif.xlsx › heures"]["encodage"] == "classeur Excel"


def test_files_named_after_their_table_with_french_text_cells(tmp_path, mini, mini_result):
    """Each CSV of the fixture pasted as text into the first sheet of `<same name>.xlsx`: same figures."""
    folder = tmp_path / "textes"
    folder.mkdir()
    for csv_path in sorted(mini.glob("*.csv")):
        header, rows, _, _ = read_csv_text(decode(csv_path.read_bytes())[0])
        wb = Workbook()
        ws = wb.active
        ws.title = "Feuil1"
        for r in [header, *rows]:
            ws.append([v if v != "" else None for v in r])
        wb.create_sheet("Brouillon")["A1"] = "ignorée"
        wb.save(folder / (csv_path.stem + ".xlsx"))
    r = load_folder(folder)
    assert r.ok, [str(p) for p in r.problems]
    assert_same_data(r, mini_result)
    assert "heures_s2.xlsx › Brouillon:-:-: feuille ignorée" in str(r.warnings[0]) or any(
        str(p).startswith("heures_s2.xlsx › Brouillon:") for p in r.warnings
    )
    # Problems name the sheet and Excel's row number.
    assert {f["fichier"] for f in r.files} >= {"heures_s1.xlsx › Feuil1", "parcours.xlsx › Feuil1"}


def test_csv_and_workbook_files_of_one_table_are_unioned(tmp_path, mini, mini_result):
    folder = tmp_path / "mixte"
    shutil.copytree(mini, folder)
    header, rows, _, _ = read_csv_text(decode((folder / "heures_s2.csv").read_bytes())[0])
    (folder / "heures_s2.csv").unlink()
    wb = Workbook()
    wb.active.title = "heures"
    for r in [header, *rows]:
        wb.active.append(r)
    wb.save(folder / "alise.xlsx")
    r = load_folder(folder)
    assert r.ok, [str(p) for p in r.problems]
    assert_same_data(r, mini_result)


# --- Bad workbooks --------------------------------------------------------------------------------


def heures_workbook(rows, *, title="heures"):
    wb = Workbook()
    ws = wb.active
    ws.title = title
    ws.append(["mois", "structure_id", "personne_id", "heures_travaillees"])
    for r in rows:
        ws.append(r)
    return wb


def problems_of(tmp_path, mini, name, data: bytes):
    folder = tmp_path / "bad"
    shutil.copytree(mini, folder)
    (folder / name).write_bytes(data)
    r = load_folder(folder)
    return r, [str(p) for p in r.errors]


def to_bytes(wb) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_merged_cells(tmp_path, mini):
    wb = heures_workbook([["2024-07", "S1", "A", 10], [None, "S1", "A", 12]])
    wb.active.merge_cells("A2:A3")
    _, errors = problems_of(tmp_path, mini, "classeur.xlsx", to_bytes(wb))
    assert errors == [
        (
            "classeur.xlsx › heures:2:mois (colonne A): cellules fusionnées (A2:A3) : défusionnez-les et remplissez "
            "chaque cellule de sa valeur"
        )
    ]


def test_header_not_on_row_1(tmp_path, mini):
    wb = Workbook()
    ws = wb.active
    ws.title = "Heures"
    ws["A1"] = "Heures de juillet 2024 — Alise"
    ws.append([])
    ws.append([None, "mois", "structure_id", "personne_id", "heures_travaillees"])
    ws.append([None, "2024-07", "S1", "A", 10])
    _r, errors = problems_of(tmp_path, mini, "classeur.xlsx", to_bytes(wb))
    assert errors == [
        (
            "classeur.xlsx › Heures:3:colonne B: l'en-tête (les noms des colonnes) doit être sur la ligne 1 : il est "
            "sur la ligne 3. Supprimez les lignes au-dessus (titres, lignes vides)"
        )
    ]


def test_formula_without_cached_value(tmp_path, mini):
    wb = heures_workbook([["2024-07", "S1", "A", 10], ["2024-08", "S1", "A", "=5*4"]])
    _, errors = problems_of(tmp_path, mini, "classeur.xlsx", to_bytes(wb))
    assert len(errors) == 1
    assert errors[0].startswith(
        "classeur.xlsx › heures:3:heures_travaillees (colonne D): formule sans valeur calculée (=5*4) :"
    )


def with_cached_value(data: bytes, cell: str, value: str, cell_type: str = "n") -> bytes:
    """What Excel writes after computing: the formula's last result in <v>."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            content = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = content.decode()
                text, n = re.subn(
                    rf'(<c r="{cell}"[^>]*>)<f>([^<]*)</f><v\s*/?>(</v>)?',
                    rf"\1<f>\2</f><v>{value}</v>",
                    text,
                )
                text = text.replace(f'<c r="{cell}"', f'<c r="{cell}" t="{cell_type}"')
                assert n == 1, text
                content = text.encode()
            dst.writestr(item, content)
    return out.getvalue()


def test_formula_read_by_its_cached_value(tmp_path, mini):
    wb = heures_workbook([["2024-07", "S1", "A", "=5*4"]])
    r, errors = problems_of(tmp_path, mini, "classeur.xlsx", with_cached_value(to_bytes(wb), "D2", "20"))
    assert errors == []
    h = r.tables["heures"]
    row = h[h["_fichier"] == "classeur.xlsx › heures"]
    assert list(row["heures_travaillees"]) == [20.0] and list(row["_ligne"]) == [2]


def test_password_protected_workbook(tmp_path, mini):
    # An encrypted workbook is an OLE compound file holding EncryptionInfo and EncryptedPackage streams.
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "EncryptionInfo".encode("utf-16-le")
    ole += bytes(50) + "EncryptedPackage".encode("utf-16-le") + bytes(1000)
    _, errors = problems_of(tmp_path, mini, "heures_alise.xlsx", ole)
    assert len(errors) == 1
    assert errors[0].startswith("heures_alise.xlsx:-:-: classeur protégé par un mot de passe (chiffré)")


def test_corrupt_workbook(tmp_path, mini):
    data = to_bytes(heures_workbook([["2024-07", "S1", "A", 10]]))
    _, errors = problems_of(tmp_path, mini, "heures_alise.xlsx", data[: len(data) // 2])
    assert len(errors) == 1
    assert errors[0].startswith("heures_alise.xlsx:-:-: classeur illisible (fichier abîmé, incomplet")


def test_bad_text_cell_names_sheet_row_and_column(tmp_path, mini):
    wb = heures_workbook([["2024-07", "S1", "A", 10], ["2024-08", "S1", "A", "dix"]])
    wb.active["F3"] = "note"
    _, errors = problems_of(tmp_path, mini, "classeur.xlsx", to_bytes(wb))
    assert errors == [
        (
            "classeur.xlsx › heures:3:colonne F: valeur « note » dans une colonne sans nom : donnez un nom à la "
            "colonne en ligne 1 ou videz la cellule"
        ),
        "classeur.xlsx › heures:3:heures_travaillees: valeur « dix » illisible : nombre attendu (ex. 1 234,5)",
    ]


def test_excel_error_cell(tmp_path, mini):
    data = with_cached_value(
        to_bytes(heures_workbook([["2024-07", "S1", "A", "=1/0"]])), "D2", "#DIV/0!", "e"
    )
    _, errors = problems_of(tmp_path, mini, "classeur.xlsx", data)
    assert (
        errors[0]
        == "classeur.xlsx › heures:2:heures_travaillees (colonne D): cellule en erreur Excel (#DIV/0!)"
    )


def test_typed_dates_are_not_guessed(tmp_path, mini):
    """A date cell is a date: 3 February stays 3 February whatever the locale of the machine."""
    wb = heures_workbook([[datetime(2025, 2, 3), "S1", "A", 0.25]])
    wb.active["A2"].number_format = "mm/dd/yyyy"
    r, errors = problems_of(tmp_path, mini, "classeur.xlsx", to_bytes(wb))
    assert errors == []
    h = r.tables["heures"]
    row = h[h["_fichier"] == "classeur.xlsx › heures"]
    assert list(row["mois"]) == [pd.Timestamp("2025-02-01")]
    assert list(row["heures_travaillees"]) == [0.25]


def test_lock_file_of_an_open_workbook_is_skipped(tmp_path, mini):
    r, errors = problems_of(tmp_path, mini, "~$classeur.xlsx", b"\x00" * 165)
    assert errors == [] and r.ok


def test_a_problem_repeated_on_many_cells_is_summarised(tmp_path, mini):
    wb = heures_workbook([["2024-07", "S1", "A", f"={i}+1"] for i in range(60)])
    _, errors = problems_of(tmp_path, mini, "classeur.xlsx", to_bytes(wb))
    assert len(errors) == 51
    assert (
        errors[-1]
        == "classeur.xlsx › heures:-:heures_travaillees (colonne D): … et 10 autre(s) ligne(s) avec le même problème"
    )


def test_empty_first_row_without_a_header_below(tmp_path, mini):
    wb = Workbook()
    wb.active.title = "heures"
    wb.active["A3"] = "du texte"
    wb.active["B4"] = 12
    _, errors = problems_of(tmp_path, mini, "classeur.xlsx", to_bytes(wb))
    assert errors == [
        "classeur.xlsx › heures:1:-: ligne 1 vide : la ligne d'en-tête (noms des colonnes) est obligatoire"
    ]
