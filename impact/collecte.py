"""The collection workbook a structure fills: one sheet per table it provides, built from the data contract.

Every header cell carries a comment (meaning, format, example, from impact/contract.py), every coded column a
drop-down list (types, exit reasons by label, sexe, oui/non, communes by name), dates and numbers their
formats, and, for one structure, its id pre-filled. A filled workbook imports as it is (impact/workbook.py).
"""

from __future__ import annotations

import io

import pandas as pd
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from impact import contract
from impact.contract import BOOL, DATE, DECIMAL, ENUM, ID, INSEE, INT, MONTH, SIRET, TEXT
from impact.workbook import LISTS_SHEET, MARKER, README_SHEET

# The tables a member structure sends (the coordinator keeps structures, marches and jalons).
STRUCTURE_TABLES = ("parcours", "heures", "interventions", "chiffre_affaires")
# Rows prepared (formats, lists, pre-filled id) per sheet; more can be added by copying the last row down.
ROWS = {"heures": 3000, "parcours": 600, "interventions": 300, "chiffre_affaires": 30}
DEFAULT_ROWS = 300
OUI_NON = ("oui", "non")
MONEY_COLUMNS = {"montant_ht"}
COORD_COLUMNS = {"latitude", "longitude"}

KIND_FORMATS = {
    TEXT: "texte libre",
    ID: "identifiant (texte, toujours écrit de la même façon d'un envoi à l'autre)",
    INSEE: "commune : choisissez-la dans la liste (nom et code INSEE) ou tapez son code INSEE à 5 chiffres",
    INT: "nombre entier",
    DECIMAL: "nombre (virgule décimale)",
    DATE: "date jj/mm/aaaa",
    MONTH: "mois : tapez mm/aaaa (par exemple 03/2024) ou une date du mois",
    BOOL: "oui ou non (liste) ; vide si inconnu",
    ENUM: "une valeur de la liste",
    SIRET: "14 chiffres",
}
HEADER_REQUIRED = PatternFill("solid", fgColor="BDD7EE")
HEADER_OPTIONAL = PatternFill("solid", fgColor="EDEDED")


def _number_format(col: contract.Column) -> str:
    if col.kind == DATE:
        return "DD/MM/YYYY"
    if col.kind == MONTH:
        return "MM/YYYY"
    if col.kind == INT:
        return "0"
    if col.kind == DECIMAL:
        if col.name in MONEY_COLUMNS:
            return '#,##0.00\\ "€"'
        if col.name in COORD_COLUMNS:
            return "0.000000"
        return "#,##0.00"
    return "@"  # text: keeps leading zeros of ids and codes, and the 14 digits of a SIRET


def commune_labels(reference: dict[str, pd.DataFrame]) -> list[str]:
    """The communes as the drop-down offers them, by name: "Jallais (49162)" (the reader keeps the code)."""
    c = reference["communes"]
    return sorted(
        {f"{n} ({code})" for n, code in zip(c["nom"], c["code_insee"], strict=True)}, key=str.casefold
    )


def motif_labels(reference: dict[str, pd.DataFrame]) -> list[str]:
    """Exit reasons by their label (the loader accepts the code or the label)."""
    return list(reference["motifs_sortie"]["libelle"])


def _lists(reference: dict, structure_id: str | None, marches: list[str]) -> dict[str, list[str]]:
    out = {
        "type": list(contract.STRUCTURE_TYPES),
        "secteur": list(contract.SECTEURS),
        "dispositif": list(contract.DISPOSITIFS),
        "sexe": list(contract.SEXES),
        "motif_sortie": motif_labels(reference),
        "commune": commune_labels(reference),
        "oui_non": list(OUI_NON),
    }
    if structure_id:
        out["structure_id"] = [structure_id]
    if marches:
        out["marche_id"] = marches
    return out


def _list_key(col: contract.Column, lists: dict) -> str | None:
    if col.kind == BOOL:
        return "oui_non"
    if col.kind == INSEE:
        return "commune"
    if col.name in lists and col.name in (
        "structure_id",
        "marche_id",
        "type",
        "secteur",
        "dispositif",
        "sexe",
    ):
        return col.name
    if col.name == "motif_sortie":
        return "motif_sortie"
    return None


def _allowed_text(col: contract.Column) -> str:
    if col.name == "type":
        return " ; ".join(f"{t} = {lib}" for t, (lib, _) in contract.STRUCTURE_TYPES.items())
    if col.name == "secteur":
        return " ; ".join(f"{k} = {v}" for k, v in contract.SECTEURS.items())
    if col.name == "dispositif":
        return " ; ".join(f"{k} = {v}" for k, v in contract.DISPOSITIFS.items())
    if col.name == "sexe":
        return " ; ".join(f"{k} = {v}" for k, v in contract.SEXES.items())
    if col.name == "motif_sortie":
        return "libellé de la liste (la feuille Lisez-moi donne les codes et leur catégorie)"
    return ""


def column_comment(table: contract.Table, col: contract.Column) -> str:
    """The header comment of a column: meaning, required or not, format, allowed values, example."""
    lines = [f"{col.doc}.", "Obligatoire." if col.required else "Facultatif : peut rester vide."]
    fmt = KIND_FORMATS[col.kind]
    if col.name == "personne_id":
        fmt = "identifiant pseudonyme, jamais le nom (voir Lisez-moi : python -m impact pseudonymiser)"
    lines.append(f"Format : {fmt}.")
    bounds = []
    if col.min is not None:
        bounds.append(f"au moins {_num(col.min)}")
    if col.max is not None:
        bounds.append(f"au plus {_num(col.max)}")
    if bounds:
        lines.append("Valeurs : " + " et ".join(bounds) + ".")
    allowed = _allowed_text(col)
    if allowed:
        lines.append(f"Valeurs : {allowed}.")
    if col.name in table.references:
        lines.append(f"Doit exister dans la table {table.references[col.name]}.")
    example = contract.EXAMPLES.get(table.name, {}).get(col.name)
    if example:
        lines.append(f"Exemple : {example}")
    return "\n".join(lines)


def _num(x: float) -> str:
    return f"{x:g}".replace(".", ",")


def _validation(col: contract.Column, ref: str | None) -> DataValidation | None:
    dv = None
    if ref is not None:
        dv = DataValidation(type="list", formula1=ref, allow_blank=True)
        dv.error = "Choisissez une valeur de la liste déroulante."
    elif col.kind in (DATE, MONTH):
        dv = DataValidation(
            type="date",
            operator="between",
            formula1="DATE(1900,1,1)",
            formula2="DATE(2100,12,31)",
            allow_blank=True,
        )
        dv.error = "Tapez une date (jj/mm/aaaa)." if col.kind == DATE else "Tapez un mois (mm/aaaa)."
    elif col.kind in (DECIMAL, INT):
        low = -1e12 if col.min is None else col.min
        high = 1e12 if col.max is None else col.max
        dv = DataValidation(
            type="decimal" if col.kind == DECIMAL else "whole",
            operator="between",
            formula1=f"{low:g}",
            formula2=f"{high:g}",
            allow_blank=True,
        )
        bounded = col.min is not None or col.max is not None
        dv.error = f"Tapez un nombre entre {_num(low)} et {_num(high)}." if bounded else "Tapez un nombre."
    if dv is not None:
        dv.errorTitle = "Valeur refusée"
        dv.showErrorMessage = True
    return dv


def _readme(ws, tables: list[str], structure: dict | None, reference: dict) -> None:
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 70
    ws.column_dimensions["C"].width = 22
    title = "Classeur de collecte — Collectif des Mauges pour l'Emploi"
    rows: list[tuple] = [(title,)]
    if structure:
        name = f" — {structure['nom']}" if structure.get("nom") else ""
        rows.append((f"Structure : {structure['structure_id']}{name}",))
    rows += [
        (),
        ("Comment remplir ce classeur",),
        ("1.", "Une feuille par table : " + ", ".join(tables) + ". Ne renommez pas les feuilles."),
        (
            "2.",
            (
                "La ligne 1 donne le nom des colonnes : ne la modifiez pas, ne la déplacez pas. Survolez un nom de "
                "colonne pour lire sa définition, son format et un exemple. Fond bleu : colonne obligatoire ; fond gris : "
                "facultative."
            ),
        ),
        (
            "3.",
            (
                "Une ligne par enregistrement, à partir de la ligne 2, sans ligne de titre ni de total, sans "
                "cellules fusionnées."
            ),
        ),
        (
            "4.",
            (
                "Les colonnes codées ont une liste déroulante (motifs de sortie, sexe, oui/non, communes par leur "
                "nom…). Les dates se tapent jj/mm/aaaa, les mois mm/aaaa, les nombres avec une virgule décimale."
            ),
        ),
        (
            "5.",
            (
                "Les formules sont acceptées (leur résultat est lu) si le classeur a été enregistré dans Excel ou "
                "LibreOffice."
            ),
        ),
        (
            "6.",
            (
                "Aucun nom, prénom, date de naissance complète, adresse, téléphone ou NIR : la colonne personne_id "
                "porte un identifiant pseudonyme, le même pour une personne dans toutes ses lignes. Si votre logiciel ne "
                "sort que des noms, la coordination les remplace par un identifiant avec "
                "« python -m impact pseudonymiser » (l'année de naissance est gardée)."
            ),
        ),
        (
            "7.",
            (
                "Envoyez le classeur à la coordination : il se dépose tel quel sur la page Données du tableau de "
                "bord, qui le vérifie et signale chaque problème par sa feuille, sa ligne et sa colonne."
            ),
        ),
    ]
    if structure:
        rows.append(
            (
                "8.",
                (
                    f"La colonne structure_id est déjà remplie ({structure['structure_id']}) sur les lignes "
                    "préparées : une ligne qui ne contient que cet identifiant est ignorée."
                ),
            )
        )
    rows += [
        (),
        (
            (
                "Heures : une ligne par personne et par mois (et par intervention si vous les suivez). Les heures "
                "travaillées, facturées et de formation sont comptées à part."
            ),
        ),
        (),
    ]
    rows.append(("Motifs de sortie", "Libellé (dans la liste déroulante)", "Catégorie"))
    for code, lib, cat in zip(
        *(reference["motifs_sortie"][c] for c in ("code", "libelle", "categorie")), strict=True
    ):
        rows.append((code, lib, cat))
    rows += [(), ("Types de structure", "Libellé")]
    rows += [(t, lib) for t, (lib, _) in contract.STRUCTURE_TYPES.items()]
    for r in rows:
        ws.append(list(r))
    ws["A1"].font = Font(bold=True, size=14)
    for row in ws.iter_rows():
        for c in row:
            c.alignment = Alignment(wrap_text=True, vertical="top")
            if c.value in ("Comment remplir ce classeur", "Motifs de sortie", "Types de structure"):
                for cc in row:
                    cc.font = Font(bold=True)


def build(
    structure_id: str | None = None,
    *,
    reference: dict[str, pd.DataFrame] | None = None,
    structure_name: str | None = None,
    marches: list[str] | None = None,
) -> bytes:
    """The workbook's bytes: for one structure (its tables, its id pre-filled) or, without one, every table."""
    if reference is None:
        from impact.load import read_reference

        reference = read_reference(None)
    tables = list(STRUCTURE_TABLES) if structure_id else list(contract.TABLES)
    wb = Workbook()
    readme = wb.active
    readme.title = README_SHEET
    structure = {"structure_id": structure_id, "nom": structure_name} if structure_id else None
    _readme(readme, tables, structure, reference)

    lists = _lists(reference, structure_id, marches or [])
    ls = wb.create_sheet(LISTS_SHEET)
    ls["A1"], ls["B1"] = MARKER, structure_id or ""
    refs: dict[str, str] = {}
    for i, (key, values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(i)
        ls[f"{letter}2"] = key
        for j, v in enumerate(values, start=3):
            ls[f"{letter}{j}"] = v
        refs[key] = f"{quote_sheetname(LISTS_SHEET)}!${letter}$3:${letter}${len(values) + 2}"
    ls.sheet_state = "hidden"

    for name in tables:
        table = contract.TABLES[name]
        ws = wb.create_sheet(name, index=len(wb.sheetnames) - 1)
        n = ROWS.get(name, DEFAULT_ROWS) + 1
        ws.freeze_panes = "A2"
        for j, col in enumerate(table.columns, start=1):
            letter = get_column_letter(j)
            cell = ws.cell(row=1, column=j, value=col.name)
            cell.font = Font(bold=True)
            cell.fill = HEADER_REQUIRED if col.required else HEADER_OPTIONAL
            comment = Comment(column_comment(table, col), "Collectif des Mauges pour l'Emploi")
            comment.width, comment.height = 320, 200
            cell.comment = comment
            ws.column_dimensions[letter].width = max(14, min(40, len(col.name) + 4))
            ws.column_dimensions[letter].number_format = _number_format(col)
            key = _list_key(col, lists)
            if key == "motif_sortie" or key == "commune":
                ws.column_dimensions[letter].width = 40
            dv = _validation(col, refs.get(key) if key else None)
            if dv is not None:
                dv.add(f"{letter}2:{letter}{n}")
                ws.add_data_validation(dv)
            if structure_id and col.name == "structure_id":
                for r in range(2, n + 1):
                    ws.cell(row=r, column=j, value=structure_id).number_format = "@"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def build_for_folder(result, structure_id: str | None) -> bytes:
    """The workbook of a structure of a loaded folder (LoadResult): its name, the folder's reference lists
    and contracts. Raises KeyError when the structure is not in the folder's structures table."""
    name = None
    marches: list[str] = []
    if structure_id:
        s = result.tables.get("structures")
        if s is None or structure_id not in set(s["structure_id"]):
            raise KeyError(structure_id)
        name = str(s.loc[s["structure_id"] == structure_id, "nom"].iloc[0])
    m = result.tables.get("marches")
    if m is not None:
        marches = sorted(str(x) for x in m["marche_id"].dropna())
    return build(structure_id, reference=result.reference, structure_name=name, marches=marches)


def file_name(structure_id: str | None) -> str:
    return f"collecte_{structure_id}.xlsx" if structure_id else "collecte.xlsx"


XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def structure_choices(result) -> dict[str, str]:
    """The structures of a loaded folder, id -> "id — nom", for the download's selector."""
    s = None if result is None else result.tables.get("structures")
    if s is None:
        return {}
    return {str(i): f"{i} — {n}" for i, n in sorted(zip(s["structure_id"], s["nom"], strict=True))}


def build_or_default(result, structure_id: str | None) -> bytes:
    """build_for_folder when a folder is loaded, else the workbook from the default reference."""
    return build(structure_id) if result is None else build_for_folder(result, structure_id)
