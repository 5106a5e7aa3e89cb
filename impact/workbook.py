"""Reads Excel workbooks (.xlsx) into the loader's intermediate: a header, rows of text cells, Excel row numbers.

A workbook is accepted wherever a CSV is: either its sheets are named after tables (`heures`, `parcours`…;
other sheets are ignored with a warning), or the file is named after its table (`heures_alise.xlsx`) and its
first visible sheet holds it. Typed cells are rendered in the canonical text the loader's parsers accept
(ISO dates, dot decimals, oui/non), so no locale is ever guessed; text cells are left as typed and go through
the same French parsing as a CSV. A formula is read by the value Excel last computed.

Problems are tuples (file, line, column, message, severity[, rule]) with the file written
"classeur.xlsx › heures" and the line being Excel's row number, ready for the loader's report (the rule lets
it summarise a problem repeated on many cells).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

from impact import contract

SUFFIX = ".xlsx"
ERROR, WARNING = "erreur", "avertissement"  # the loader's severities (impact.load.ERROR / WARNING)
ENCODING = "classeur Excel"
SHEET_SEP = " › "
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97-2003 files and password-encrypted workbooks
HEADER_SEARCH_ROWS = 30
# The collection workbook (impact.collecte) marks itself in its hidden lists sheet, cell A1; B1 holds the
# structure id pre-filled in its sheets (a row holding nothing else is an empty row, not a missing value).
MARKER = "impact:classeur-collecte:v1"
LISTS_SHEET = "Listes"
README_SHEET = "Lisez-moi"
INSEE_IN_LABEL_RE = re.compile(r"\((\d{5}|2[AB]\d{3})\)\s*$")  # "Jallais (49162)", as the drop-down offers


def get_column_letter(col: int) -> str:
    """Excel's column letter (1 -> A), from openpyxl, imported only when a workbook is read."""
    from openpyxl.utils import get_column_letter as letter

    return letter(col)


@dataclass
class Sheet:
    """One sheet read as a table: what impact.load reads from a CSV file."""

    label: str  # "classeur.xlsx › heures": file and sheet, as every problem names them
    table: str
    header: list[str]
    rows: list[list[str]]
    lines: list[int]  # Excel row number of each row
    encoding: str = ENCODING

    def read(self) -> tuple[list[str], list[list[str]], list[int], str]:
        """Header, rows, line numbers and delimiter, like impact.load.read_csv_text."""
        return self.header, self.rows, self.lines, ""


def is_workbook(path: Path | str) -> bool:
    name = Path(path).name
    return name.lower().endswith(SUFFIX) and not name.startswith(("_", ".", "~$"))  # ~$: Excel's lock file


def folder_workbooks(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and is_workbook(p))


def folder_sheets(folder: Path) -> tuple[list[Sheet], list[tuple]]:
    """Every table sheet of the folder's workbooks, and the problems met reading them."""
    sheets, problems = [], []
    for path in folder_workbooks(folder):
        try:
            data = path.read_bytes()
        except OSError as exc:
            problems.append((path.name, None, None, f"fichier illisible : {exc}", ERROR))
            continue
        s, p = read_workbook(data, path.name)
        sheets += s
        problems += p
    return sheets, problems


def _normalize(name: str) -> str:
    from impact.load import normalize_name  # lazy: impact.load imports this module

    return normalize_name(name)


def _open(data: bytes, name: str, *, formulas: bool = False):
    """The openpyxl workbook, or a problem saying in French why the file cannot be opened."""
    if data[:8] == OLE_MAGIC:
        if "EncryptedPackage".encode("utf-16-le") in data:
            why = (
                "classeur protégé par un mot de passe (chiffré) : il ne peut pas être lu. Ouvrez-le dans Excel, "
                "retirez le mot de passe (Fichier › Informations › Protéger le classeur › Chiffrer avec mot de "
                "passe, champ vide) et enregistrez-le à nouveau"
            )
        else:
            why = (
                "ancien format Excel 97-2003 (.xls) renommé en .xlsx : ouvrez-le dans Excel ou LibreOffice et "
                "enregistrez-le au format « Classeur Excel (.xlsx) »"
            )
        return None, (name, None, None, why, ERROR)
    try:
        from openpyxl import load_workbook  # here: a folder without workbooks never imports openpyxl

        return load_workbook(io.BytesIO(data), data_only=not formulas), None
    except Exception as exc:  # noqa: BLE001 - a damaged file raises anything from zipfile, XML or openpyxl
        kind = type(exc).__name__
        return None, (
            name,
            None,
            None,
            (
                f"classeur illisible (fichier abîmé, incomplet ou qui n'est pas un classeur Excel : {kind}). "
                "Ouvrez-le dans Excel ou LibreOffice et enregistrez-le à nouveau au format .xlsx"
            ),
            ERROR,
        )


def _has_formulas(data: bytes) -> bool:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return any(
            b"<f>" in z.read(n) or b"<f " in z.read(n)
            for n in z.namelist()
            if n.startswith("xl/worksheets/") and n.endswith(".xml")
        )


def _own_marker(wb) -> dict | None:
    """The collection workbook's marker: {"structure_id": id or ""}, None for any other workbook."""
    if LISTS_SHEET not in wb.sheetnames:
        return None
    ws = wb[LISTS_SHEET]
    if ws["A1"].value != MARKER:
        return None
    return {"structure_id": str(ws["B1"].value or "")}


def read_workbook(data: bytes, name: str) -> tuple[list[Sheet], list[tuple]]:
    """The table sheets of one workbook (file `name`) and the problems met."""
    wb, problem = _open(data, name)
    if wb is None:
        return [], [problem]
    problems: list[tuple] = []
    marker = _own_marker(wb)
    chosen: list[tuple[object, str]] = []  # (worksheet, table)
    file_table = contract.table_for_file(Path(name).stem)
    visible = [ws for ws in wb.worksheets if ws.sheet_state == "visible"]
    if file_table is not None:
        if not visible:
            return [], [(name, None, None, "classeur sans feuille visible", ERROR)]
        chosen.append((visible[0], file_table))
        for ws in wb.worksheets:
            if ws is not visible[0]:
                problems.append(
                    (
                        f"{name}{SHEET_SEP}{ws.title}",
                        None,
                        None,
                        (
                            f"feuille ignorée : le fichier est nommé d'après la table « {file_table} », seule sa "
                            f"première feuille visible (« {visible[0].title} ») est lue"
                        ),
                        WARNING,
                    )
                )
    else:
        for ws in wb.worksheets:
            label = f"{name}{SHEET_SEP}{ws.title}"
            if marker is not None and ws.title in (LISTS_SHEET, README_SHEET):
                continue
            table = contract.table_for_file(_normalize(ws.title))
            if table is None:
                problems.append(
                    (
                        label,
                        None,
                        None,
                        "feuille ignorée : son nom ne correspond à aucune table du contrat",
                        WARNING,
                    )
                )
            elif ws.sheet_state != "visible":
                problems.append(
                    (
                        label,
                        None,
                        None,
                        "feuille masquée ignorée : affichez-la pour qu'elle soit lue",
                        WARNING,
                    )
                )
            else:
                chosen.append((ws, table))
        if not chosen:
            problems.append(
                (
                    name,
                    None,
                    None,
                    (
                        "classeur ignoré : aucune feuille ne porte le nom d'une table du contrat (structures, parcours, "
                        "heures…), et le nom du fichier non plus"
                    ),
                    WARNING,
                )
            )
            return [], problems
    wb_formulas = None
    if _has_formulas(data):
        wb_formulas, _ = _open(data, name, formulas=True)
    prefilled = marker or {}
    sheets = []
    for ws, table in chosen:
        ws_f = wb_formulas[ws.title] if wb_formulas is not None else None
        sheet, p = _read_sheet(ws, ws_f, f"{name}{SHEET_SEP}{ws.title}", table, prefilled)
        problems += p
        if sheet is not None:
            sheets.append(sheet)
    return sheets, problems


def render(value, kind: str | None = None) -> str:
    """A typed cell in the canonical text the loader's parsers read (ISO dates, dot decimals, oui/non)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return format(Decimal(repr(value)), "f")  # never "1e-05": the loader reads plain decimals
    text = str(value)
    if kind == contract.INSEE:
        m = INSEE_IN_LABEL_RE.search(text)
        if m:
            return m.group(1)
    return text


def _column_label(header: list[str], col: int) -> str:
    letter = get_column_letter(col)
    name = header[col - 1].strip() if col - 1 < len(header) else ""
    return f"{name} (colonne {letter})" if name else f"colonne {letter}"


def _read_sheet(ws, ws_f, label: str, table_name: str, prefilled: dict) -> tuple[Sheet | None, list[tuple]]:
    table = contract.TABLES[table_name]
    problems: list[tuple] = []
    grid = [list(r) for r in ws.iter_rows(min_row=1, min_col=1)]
    if not grid or all(c.value is None for r in grid for c in r):
        return None, [(label, None, None, "feuille vide ignorée", WARNING)]

    def matches(row) -> int:
        return sum(
            1 for c in row if isinstance(c.value, str) and table.column(_normalize(c.value)) is not None
        )

    if matches(grid[0]) == 0:
        for r in grid[1:HEADER_SEARCH_ROWS]:
            if matches(r) >= min(2, len(table.columns)):
                first = next(c for c in r if c.value is not None)
                problems.append(
                    (
                        label,
                        first.row,
                        f"colonne {get_column_letter(first.column)}",
                        (
                            f"l'en-tête (les noms des colonnes) doit être sur la ligne 1 : il est sur la ligne "
                            f"{first.row}. Supprimez les lignes au-dessus (titres, lignes vides)"
                        ),
                        ERROR,
                    )
                )
                return None, problems

    header_cells = grid[0]
    width = max((c.column for c in header_cells if c.value is not None and str(c.value).strip()), default=0)
    if width == 0:
        return None, [
            (label, 1, None, "ligne 1 vide : la ligne d'en-tête (noms des colonnes) est obligatoire", ERROR)
        ]
    header = [render(c.value).strip() for c in header_cells[:width]]
    kinds = []
    for h in header:
        col = table.column(_normalize(h)) if h else None
        kinds.append(col.kind if col else None)

    bad_rows: set[int] = set()  # rows already reported here: kept out so the loader adds no second message
    for rng in ws.merged_cells.ranges:
        bad_rows.update(range(rng.min_row, rng.max_row + 1))
        problems.append(
            (
                label,
                rng.min_row,
                _column_label(header, rng.min_col),
                f"cellules fusionnées ({rng.coord}) : défusionnez-les et remplissez chaque cellule de sa valeur",
                ERROR,
                "xlsx:fusion",
            )
        )

    pre_pos = {i: prefilled[_normalize(h)] for i, h in enumerate(header) if prefilled.get(_normalize(h))}
    rows, lines = [], []
    for r in grid[1:]:
        cells: list[str] = []
        for c in r:
            if c.column > width:
                if c.value is not None and str(c.value).strip():
                    problems.append(
                        (
                            label,
                            c.row,
                            f"colonne {get_column_letter(c.column)}",
                            (
                                f"valeur « {c.value} » dans une colonne sans nom : donnez un nom à la colonne en "
                                "ligne 1 ou videz la cellule"
                            ),
                            ERROR,
                            "xlsx:sans_nom",
                        )
                    )
                continue
            value = c.value
            if c.data_type == "e":  # "#N/A", "#DIV/0!"…, also the cached value of a failing formula
                problems.append(
                    (
                        label,
                        c.row,
                        _column_label(header, c.column),
                        f"cellule en erreur Excel ({value})",
                        ERROR,
                        "xlsx:erreur",
                    )
                )
                bad_rows.add(c.row)
                value = None
            elif value is None and ws_f is not None:
                fcell = ws_f.cell(row=c.row, column=c.column)
                if fcell.data_type == "f":
                    bad_rows.add(c.row)
                    formula = fcell.value if isinstance(fcell.value, str) else "formule"
                    problems.append(
                        (
                            label,
                            c.row,
                            _column_label(header, c.column),
                            (
                                f"formule sans valeur calculée ({formula}) : le classeur a été écrit par un "
                                "programme qui ne calcule pas les formules. Ouvrez-le dans Excel ou LibreOffice et "
                                "enregistrez-le, ou remplacez la formule par sa valeur"
                            ),
                            ERROR,
                            "xlsx:formule",
                        )
                    )
            cells.append(render(value, kinds[c.column - 1]))
        cells += [""] * (width - len(cells))
        filled = [i for i, v in enumerate(cells) if v.strip()]
        if not filled or r[0].row in bad_rows:
            continue
        if pre_pos and all(i in pre_pos and cells[i].strip() == pre_pos[i] for i in filled):
            continue  # only the pre-filled structure id: a row not used yet
        rows.append(cells)
        lines.append(r[0].row if r else 0)
    return Sheet(label, table_name, header, rows, lines), problems
