"""The column vocabulary (impact.columns): the screen table, its CSV, the XLSX workbook and the PDF read one
label and one rounding per key, and a count of people is masked on every surface of a masked view."""

from __future__ import annotations

import io
from datetime import date

import numpy as np
import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

from impact import columns, export, fmt, privacy
from impact.documents.pdf import Col
from impact.documents.xlsx import Colonne, _sheet

NNBSP, NBSP = "\u202f", "\u00a0"


def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "structure": ["Alise", "Coteaux"],
            "heures_travaillees": [47404.5599999998, 1234.4],
            "etp": [26.04646153846143, 0.96],
            "personnes": [12, 3],
            "sorties_dynamiques": [6, 2],
            "sorties_examinees": [11, 12],
            "taux_sortie_dynamique": [0.5454545454545454, None],
            "chiffre_affaires": [100000.4, float("nan")],
            "secteur": ["public", "prive"],
            "date_fin": [date(2025, 12, 31), None],
        }
    )


def surfaces(df: pd.DataFrame, masked: bool):
    """(screen cells, CSV rows by header, XLSX sheet) of one table, each built as the app builds it."""
    shown = columns.shown(df, masked=masked)
    screen = shown.cells()
    lines = export.csv_bytes(shown.data, shown.formats).decode("utf-8-sig").split("\r\n")
    header = lines[0].split(";")
    csv = [dict(zip(header, line.split(";"), strict=True)) for line in lines[1:] if line]
    wb = Workbook()
    data = (
        privacy.mask_table(df, columns.people_columns(df.columns), rates=columns.rate_columns(df.columns))
        if masked
        else df
    )
    _sheet(wb, "t", data, [Colonne.of(k, "") for k in df.columns])
    buf = io.BytesIO()
    wb.save(buf)
    ws = load_workbook(io.BytesIO(buf.getvalue()))["t"]
    return screen, csv, ws


def xlsx_column(ws, title: str) -> list:
    heads = [c.value for c in ws[1]]
    j = heads.index(title)
    return [row[j] for row in ws.iter_rows(min_row=2)]


def test_one_label_per_key_on_every_surface():
    screen, csv, ws = surfaces(frame(), masked=False)
    heads = [c.value for c in ws[1]]
    for key in frame().columns:
        col = columns.get(key)
        assert col.label in screen.columns
        assert col.title() in heads
        assert Col.of(key).header == col.title()
        # The CSV carries the unit in its header, and nothing else.
        assert any(h == col.label or h == f"{col.label} ({col.unit})" for h in csv[0])
    assert columns.get("heures_travaillees").label == "heures travaillées"
    assert "heures travaillées (h)" in csv[0]


def test_hours_are_rounded_alike_on_screen_csv_and_xlsx():
    screen, csv, ws = surfaces(frame(), masked=False)
    assert list(screen["heures travaillées"]) == [f"47{NNBSP}405{NBSP}h", f"1{NNBSP}234{NBSP}h"]
    assert [r["heures travaillées (h)"] for r in csv] == ["47405", "1234"]
    cells = xlsx_column(ws, "Heures travaillées")
    assert [c.value for c in cells] == [47405, 1234]
    assert all(c.number_format == '#,##0" h"' for c in cells)
    # ETP: one decimal everywhere.
    assert list(screen["ETP"]) == [f"26,0{NBSP}ETP", f"1,0{NBSP}ETP"]
    assert [r["ETP"] for r in csv] == ["26,0", "1,0"]
    assert [c.value for c in xlsx_column(ws, "ETP")] == [26.0, 1.0]
    # Money: whole euros; a missing amount is empty, never 0.
    assert list(screen["chiffre d'affaires HT"]) == [f"100{NNBSP}000{NBSP}€", fmt.DASH]
    assert [r["chiffre d'affaires HT (€)"] for r in csv] == ["100000", ""]
    assert [c.value for c in xlsx_column(ws, "Chiffre d'affaires HT")] == [100000, None]


def test_a_rate_reads_in_percent_with_one_decimal_everywhere():
    screen, csv, ws = surfaces(frame(), masked=False)
    assert list(screen["taux de sortie dynamique"]) == [f"54,5{NBSP}%", fmt.DASH]
    assert [r["taux de sortie dynamique (%)"] for r in csv] == ["54,5", ""]
    cell = xlsx_column(ws, "Taux de sortie dynamique")[0]
    assert cell.value == pytest.approx(0.545) and cell.number_format == "0.0 %"  # Excel shows 54,5 %


def test_codes_read_as_their_label_and_a_contract_without_end_is_running():
    screen, csv, ws = surfaces(frame(), masked=False)
    assert list(screen["secteur"]) == ["Marchés publics", "Partenariats privés"]
    assert [r["secteur"] for r in csv] == ["Marchés publics", "Partenariats privés"]
    assert [c.value for c in xlsx_column(ws, "Secteur")] == ["Marchés publics", "Partenariats privés"]
    assert list(screen["fin"]) == ["31/12/2025", "en cours"]
    assert [r["fin"] for r in csv] == ["31/12/2025", ""]


def test_people_counts_are_masked_on_every_surface_of_a_masked_view():
    screen, csv, ws = surfaces(frame(), masked=True)
    assert (
        list(screen["personnes"]) == ["12", privacy.MASQUE] or list(screen["personnes"])[1] == privacy.MASQUE
    )
    assert [r["personnes"] for r in csv][1] == privacy.MASQUE
    assert xlsx_column(ws, "Personnes")[1].value == privacy.MASQUE
    pdf = Col.of("personnes")
    assert pdf.fmt(privacy.mask_counts(frame(), ["personnes"]).at[1, "personnes"]) == privacy.MASQUE
    # The rate whose n would give a small count back is hidden too (n = 2 of 12).
    shown = columns.shown(frame().assign(taux_sortie_dynamique=[0.5, 2 / 12]), masked=True).cells()
    assert shown.at[1, "taux de sortie dynamique"] == privacy.TAUX_MASQUE
    # Hours are not people: never masked.
    assert list(screen["heures travaillées"])[1] == f"1{NNBSP}234{NBSP}h"


def test_a_team_view_masks_nothing():
    screen, csv, _ = surfaces(frame(), masked=False)
    assert list(screen["personnes"]) == ["12", "3"]
    assert [r["personnes"] for r in csv] == ["12", "3"]


def test_a_label_outside_the_vocabulary_never_renames_a_key_of_it():
    with pytest.raises(ValueError, match="heures_travaillees"):
        columns.shown(frame(), masked=False, labels={"heures_travaillees": "heures"})
    shown = columns.shown(pd.DataFrame({"libelle": ["x"]}), masked=False, labels={"libelle": "catégorie"})
    assert list(shown.cells().columns) == ["catégorie"]


def test_a_report_header_names_its_year():
    assert columns.get("heures_periode").header(annee=2025) == "heures 2025"
    assert Col.of("heures_periode", annee=2025).header == "Heures 2025"


def test_long_text_columns_get_the_width_of_their_longest_cell():
    """The grid would cut « Établissement et service d'accompagnement par le travail » with « … »."""
    import pandas as pd

    from impact import ui

    cells = pd.DataFrame(
        {
            "type": ["ESAT", "EA"],
            "libellé du type": [
                "Établissement et service d'accompagnement par le travail",
                "Entreprise adaptée",
            ],
            "heures travaillées": ["1 200 h", "800 h"],
        }
    )
    config = ui._text_widths(cells)
    assert list(config) == ["libellé du type"]
    assert config["libellé du type"]["width"] >= 8 * len(
        "Établissement et service d'accompagnement par le travail"
    )


def test_reference_tables_capitalise_their_headers_as_a_document_does():
    """Méthodologie: the vocabulary's labels, first letter capitalised (as a PDF or workbook heading)."""
    df = pd.DataFrame({"type": ["ACI"], "annee_debut": [2014], "heures_annuelles": [1820.0]})
    shown = columns.shown(df, masked=False, titles=True)
    assert list(shown.cells().columns) == ["Type", "À partir de", "Heures annuelles"]
    assert list(shown.cells().iloc[0]) == ["ACI", "2014", f"1{NNBSP}820{NBSP}h"]


def test_the_map_counts_residents_employed_under_their_own_key():
    """Carte: "personnes" there are the residents of a commune who were employed, masked like any people."""
    df = pd.DataFrame({"code_insee": ["49023", "49092"], "residents_employes": [12, 3]})
    screen = columns.shown(df, masked=True).cells()
    assert list(screen.columns) == ["code INSEE", "personnes résidentes employées"]
    cells = list(screen["personnes résidentes employées"])
    assert cells[1] == privacy.MASQUE and "3" not in cells  # and 12 too, or the total would give 3 back


def test_each_cell_is_formatted_as_its_own_value_whatever_repeats_it():
    """Shown.cells formats each distinct value once: repeated values, a masked text among counts and the missing
    values of several kinds still print each as its own."""
    df = pd.DataFrame(
        {
            "heures_travaillees": [1200.0, None, 1200.0, 3.5, np.nan],
            "personnes_employees": pd.Series([12, "< 5", 12, 0, None], dtype=object),
        }
    )
    cells = columns.shown(df, masked=False).cells()
    assert cells.to_dict("list") == {
        "heures travaillées": [f"1{NNBSP}200{NBSP}h", "—", f"1{NNBSP}200{NBSP}h", f"4{NBSP}h", "—"],
        "personnes employées": ["12", "< 5", "12", "0", "—"],
    }


def test_a_long_title_gives_up_width_so_that_the_figures_beside_it_stay_in_sight():
    """A 1280 px laptop with the sidebar open has a grid of ui.GRID_PX (760 px). A 90-character title beside two
    10-character columns (104 px each, 8 px a character and 24 of margin) would take 640 px (its cap): 88 px
    too many, which it gives up (552 px). Beside five 20-character columns it keeps 40 characters (344 px), the
    first column naming the line; another long column keeps 28 (248 px)."""
    from impact import ui

    title = "x" * 90
    two = pd.DataFrame({"marché": [title], "a" * 10: ["1 h"], "b" * 10: ["2 h"]})
    assert ui._text_widths(two)["marché"]["width"] == 552
    five = pd.DataFrame({"marché": [title], **{c * 20: ["1 h"] for c in "abcde"}, "acheteur": ["y" * 60]})
    widths = {c: w["width"] for c, w in ui._text_widths(five).items()}
    assert widths == {"marché": 344, "acheteur": 248}
    short = pd.DataFrame({"marché": ["x" * 40], "heures": ["1 h"]})  # fits: its own width
    assert ui._text_widths(short)["marché"]["width"] == 8 * 40 + 24


def test_the_verification_report_reads_file_by_file_and_line_by_line():
    """As an editor shows a file: its whole-file problems first, then its lines in order (the checks find them
    column by column: line 3, line 4, then line 2)."""
    from impact.load import Problem

    found = [
        Problem("b.csv", 3, "mois", "valeur « 13/2026 » illisible", "erreur"),
        Problem("a.csv", 4, "heures_travaillees", "valeur -12 négative", "erreur"),
        Problem("a.csv", 2, "date_entree", "valeur « 32/10/2026 » illisible", "erreur"),
        Problem("a.csv", None, None, "fichier sans ligne de données", "avertissement"),
        Problem("a.csv", 2, "commune_residence_insee", "code INSEE « 49999 » inconnu", "erreur"),
    ]
    df = columns.problems_frame(found)
    assert list(zip(df["fichier"], df["ligne_fichier"].astype(object), df["colonne"], strict=True)) == [
        ("a.csv", pd.NA, fmt.DASH),
        ("a.csv", 2, "date_entree"),
        ("a.csv", 2, "commune_residence_insee"),
        ("a.csv", 4, "heures_travaillees"),
        ("b.csv", 3, "mois"),
    ]
