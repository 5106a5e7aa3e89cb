"""Pseudonymisation at the door: a structure's file with names becomes a file with a pseudonymous personne_id.

personne_id = HMAC-SHA-256, keyed with the collective's secret key, of the normalised name, first name and
birth date: the same person gets the same id in every structure's file (so the collective counts them once),
and nobody without the key can recompute an id from a list of names. The birth year is kept
(annee_naissance), every other identifying column is dropped. The raw file is read into memory only: nothing
but the pseudonymised result is ever written.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import os
import re
import secrets
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from impact import contract

KEY_FILE = "cle_pseudonymisation.txt"
KEY_BYTES = 32
ID_PREFIX = "p"
ID_HEX = 20  # 80 bits: no collision to fear among the few thousand people of the collective
# Header names (after impact.load.normalize_name) that carry each part of the identity, by priority: the birth
# name first (it does not change with marriage), so two structures hash the same name.
NAME_COLUMNS = ("nom_naissance", "nom", "nom_famille", "nom_usage")
FIRST_NAME_COLUMNS = ("prenom", "prenoms", "prenom_s", "premier_prenom")
BIRTH_COLUMNS = ("date_naissance", "date_de_naissance", "naissance", "ne_e", "nee", "ne")  # "Né(e) le"
# Everything the loader refuses, plus the name columns above: all dropped.
IDENTIFYING = (
    set(contract.IDENTIFYING_COLUMNS)
    | set(contract.IDENTIFYING_IN_PERSON_TABLES)
    | set(NAME_COLUMNS)
    | set(FIRST_NAME_COLUMNS)
    | set(BIRTH_COLUMNS)
)

KEY_WARNING = (
    "ATTENTION : la clé secrète de pseudonymisation du collectif vient d'être créée dans {path}. "
    "Sauvegardez-la dès maintenant (par exemple sur une clé USB rangée sous clé) et ne la transmettez à "
    "personne. Si elle est perdue, les mêmes personnes recevront d'autres identifiants aux prochains envois et "
    "ne seront plus rapprochées de leurs parcours passés ; si elle fuit avec une liste de noms, les "
    "identifiants peuvent être retrouvés."
)


class PseudonymError(Exception):
    """A French message for the user (input unreadable, columns missing, output refused)."""


# --- The key --------------------------------------------------------------------------------------


def key_path(state: Path | None = None) -> Path:
    from impact.state import state_dir

    return (state or state_dir()) / KEY_FILE


def load_or_create_key(state: Path | None = None, data_folder: Path | None = None) -> tuple[bytes, bool]:
    """The collective's key (created on first use, file mode 0600) and whether it was just created.

    The key must live outside the data folder: whoever receives a copy of the data must not get the key."""
    path = key_path(state)
    if data_folder is not None and path.resolve().is_relative_to(Path(data_folder).resolve()):
        raise PseudonymError(
            f"la clé de pseudonymisation ({path}) serait dans le dossier de données : choisissez un dossier "
            "d'état ailleurs (variable IMPACT_STATE)"
        )
    if path.exists():
        text = path.read_text(encoding="ascii").strip()
        if not re.fullmatch(f"[0-9a-f]{{{2 * KEY_BYTES}}}", text):
            raise PseudonymError(f"clé de pseudonymisation illisible : {path}")
        return bytes.fromhex(text), False
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(KEY_BYTES)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(key.hex() + "\n")
    os.chmod(path, 0o600)
    return key, True


# --- The id ---------------------------------------------------------------------------------------


def normalize_identity(text: str) -> str:
    """Accents, case, punctuation and spaces ignored: "Le Fèvre-Cœur" == "LEFEVRE COEUR" == "lefevrecoeur"."""
    s = str(text).replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae").replace("Æ", "AE")
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().casefold()
    return re.sub(r"[^a-z0-9]+", "", s)


def personne_id(key: bytes, nom: str, prenom: str, naissance: date) -> str:
    message = "\x1f".join((normalize_identity(nom), normalize_identity(prenom), naissance.isoformat()))
    return ID_PREFIX + hmac.new(key, message.encode("utf-8"), hashlib.sha256).hexdigest()[:ID_HEX]


def _birth_date(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if value is None or not str(value).strip():
        return None
    from impact.load import parse_date

    parsed, _ = parse_date(pd.Series([str(value)]))
    return None if pd.isna(parsed.iloc[0]) else parsed.iloc[0].date()


# --- Tables -----------------------------------------------------------------------------------------


@dataclass
class Table:
    """A sheet or a CSV file: header, rows (typed values for a workbook, text for a CSV), line numbers."""

    title: str
    label: str
    header: list[str]
    rows: list[list]
    lines: list[int]


@dataclass
class Outcome:
    tables: list[Table]
    problems: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    people: int = 0
    rows: int = 0
    birth_year: bool = False  # annee_naissance written (only in tables that have it)


def identifying_columns(header: list[str]) -> list[str]:
    """The header names that identify a person directly (what the loader refuses, and names)."""
    from impact.load import normalize_name

    return [h for h in header if normalize_name(h) in IDENTIFYING]


def _first(names: list[str], wanted: tuple[str, ...]) -> int | None:
    for w in wanted:
        if w in names:
            return names.index(w)
    return None


def pseudonymise_table(t: Table, key: bytes, outcome: Outcome, out_name: str = "") -> Table:
    from impact.load import normalize_name

    names = [normalize_name(h) for h in t.header]
    drop = [i for i, n in enumerate(names) if n in IDENTIFYING]
    table_name = contract.table_for_file(normalize_name(t.title)) or contract.table_for_file(
        Path(out_name).stem
    )
    table = contract.TABLES.get(table_name or "")
    if not drop or (table is not None and not table.person_data):
        return t  # nothing about people here (a structure's name and address are not a person's)
    i_nom, i_prenom, i_naiss = (_first(names, w) for w in (NAME_COLUMNS, FIRST_NAME_COLUMNS, BIRTH_COLUMNS))
    missing = [
        what
        for what, i in (("nom", i_nom), ("prénom", i_prenom), ("date de naissance", i_naiss))
        if i is None
    ]
    if missing:
        outcome.problems.append(
            f"{t.label}:1:-: colonne(s) {', '.join(missing)} absente(s) : l'identifiant pseudonyme se calcule "
            "avec le nom, le prénom et la date de naissance"
        )
        return t
    i_old_id = names.index("personne_id") if "personne_id" in names else None
    i_year = names.index("annee_naissance") if "annee_naissance" in names else None
    keep = [i for i in range(len(t.header)) if i not in drop and i not in (i_old_id, i_year)]
    pos = sum(1 for i in keep if i < drop[0])  # personne_id takes the place of the first identifying column
    header = [t.header[i] for i in keep]
    # The birth year goes only where the contract has it (parcours), or where the table is not known yet.
    year = table is None or table.column("annee_naissance") is not None
    header[pos:pos] = ["personne_id", "annee_naissance"][: 2 if year else 1]
    rows = []
    people = set()
    for r, line in zip(t.rows, t.lines, strict=True):
        cells = r + [None] * (len(t.header) - len(r))
        nom, prenom, naiss = cells[i_nom], cells[i_prenom], _birth_date(cells[i_naiss])
        bad = [
            (t.header[i], what)
            for i, what, ok in (
                (i_nom, "nom manquant", bool(nom and str(nom).strip())),
                (i_prenom, "prénom manquant", bool(prenom and str(prenom).strip())),
                (i_naiss, "date de naissance manquante ou illisible (jj/mm/aaaa)", naiss is not None),
            )
            if not ok
        ]
        for col, what in bad:
            outcome.problems.append(f"{t.label}:{line}:{col}: {what} : identifiant impossible à calculer")
        if bad:
            continue
        pid = personne_id(key, str(nom), str(prenom), naiss)
        people.add(pid)
        out = [cells[i] for i in keep]
        out[pos:pos] = [pid, naiss.year][: 2 if year else 1]
        rows.append(out)
    outcome.birth_year |= year
    outcome.people += len(people)
    outcome.rows += len(rows)
    outcome.dropped += [t.header[i] for i in drop if t.header[i] not in outcome.dropped]
    if i_old_id is not None:
        outcome.dropped.append(f"{t.header[i_old_id]} (remplacé)")
    return Table(t.title, t.label, header, rows, t.lines)


# --- Files ------------------------------------------------------------------------------------------


def read_tables(data: bytes, name: str) -> list[Table]:
    """The tables of a CSV file or of every visible sheet of a workbook, read in memory."""
    if name.lower().endswith(".xlsx"):
        from impact.workbook import SHEET_SEP, _open

        wb, problem = _open(data, name)
        if wb is None:
            raise PseudonymError(f"{problem[0]}: {problem[3]}")
        out = []
        for ws in wb.worksheets:
            if ws.sheet_state != "visible":
                continue
            header, rows, lines = None, [], []
            for n, r in enumerate(ws.iter_rows(values_only=True), start=1):
                if all(v is None or (isinstance(v, str) and not v.strip()) for v in r):
                    continue
                if header is None:
                    header = ["" if v is None else str(v).strip() for v in r]
                    continue
                rows.append(list(r))
                lines.append(n)
            if header is not None:
                out.append(Table(ws.title, f"{name}{SHEET_SEP}{ws.title}", header, rows, lines))
        return out
    from impact.load import decode, read_csv_text

    text, _ = decode(data)
    header, rows, lines, _ = read_csv_text(text)
    return [Table(Path(name).stem, name, header, rows, lines)]


def _csv_bytes(t: Table) -> bytes:
    from impact.workbook import render

    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    w.writerow(t.header)
    for r in t.rows:
        w.writerow([render(v) for v in r])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _xlsx_bytes(tables: list[Table]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for t in tables:
        ws = wb.create_sheet(t.title[:31])
        ws.append(t.header)
        for r in t.rows:
            ws.append(r)
        for row in ws.iter_rows(min_row=2):
            for c in row:
                if isinstance(c.value, datetime | date):
                    c.number_format = "DD/MM/YYYY"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def pseudonymise_bytes(data: bytes, name: str, out_name: str, key: bytes) -> tuple[bytes, Outcome]:
    """The pseudonymised file (CSV or xlsx after out_name) and what was done. Raises PseudonymError."""
    tables = read_tables(data, name)
    outcome = Outcome([])
    outcome.tables = [pseudonymise_table(t, key, outcome, out_name) for t in tables]
    if not outcome.dropped and not outcome.problems:
        raise PseudonymError(
            f"{name} : aucune colonne de nom, prénom ou date de naissance : rien à pseudonymiser"
        )
    if outcome.problems:
        return b"", outcome
    if out_name.lower().endswith(".xlsx"):
        return _xlsx_bytes(outcome.tables), outcome
    with_people = [t for t in outcome.tables if "personne_id" in t.header]
    if len(outcome.tables) > 1 and len(with_people) != 1:
        raise PseudonymError(
            f"{name} a plusieurs feuilles : écrivez le résultat dans un classeur .xlsx, ou une feuille par CSV"
        )
    return _csv_bytes(with_people[0] if with_people else outcome.tables[0]), outcome


def pseudonymise_file(src: Path, dst: Path, key: bytes, *, replace: bool = False) -> Outcome:
    """Reads src in memory, writes only the pseudonymised result to dst (never a copy of src anywhere)."""
    src, dst = Path(src), Path(dst)
    if dst.resolve() == src.resolve():
        raise PseudonymError("le fichier de sortie doit être différent du fichier d'entrée")
    if dst.suffix.lower() not in (".csv", ".xlsx"):
        raise PseudonymError("le fichier de sortie doit finir par .csv ou .xlsx")
    if dst.exists() and not replace:
        raise PseudonymError(f"{dst} existe déjà (option --remplacer pour l'écraser)")
    try:
        data = src.read_bytes()
    except OSError as exc:
        raise PseudonymError(f"{src} illisible : {exc}") from exc
    out, outcome = pseudonymise_bytes(data, src.name, dst.name, key)
    if outcome.problems:
        return outcome
    tmp = dst.with_name(dst.name + ".ecriture")
    tmp.write_bytes(out)
    os.replace(tmp, dst)
    return outcome


# --- The import page --------------------------------------------------------------------------------


def files_with_names(files: dict[str, bytes]) -> dict[str, list[str]]:
    """The dropped files that carry names (file -> its identifying columns), which the loader would refuse."""
    out = {}
    for name, data in files.items():
        try:
            tables = read_tables(data, name)
        except PseudonymError:
            continue  # an unreadable file: the import's own check says why
        cols = []
        for t in tables:
            table = contract.TABLES.get(contract.table_for_file(_normalized_title(t, name)) or "")
            if table is None or table.person_data:
                cols += [c for c in identifying_columns(t.header) if c not in cols]
        if cols:
            out[name] = cols
    return out


def _normalized_title(t: Table, file_name: str) -> str:
    from impact.load import normalize_name

    # A CSV (or a workbook named after its table) belongs to the table of its file name.
    by_file = contract.table_for_file(Path(file_name).stem)
    return by_file or normalize_name(t.title)


def for_import(
    files: dict[str, bytes], names: list[str], data_folder: Path | None = None, key: bytes | None = None
) -> tuple[dict[str, bytes], list[str], bool]:
    """`files` with `names` pseudonymised in memory (same file name and format), the problems met, and whether
    the collective's key was just created (say it must be backed up)."""
    created = False
    if key is None:
        try:
            key, created = load_or_create_key(data_folder=data_folder)
        except PseudonymError as exc:
            return files, [str(exc)], False
    out, problems = dict(files), []
    for name in names:
        try:
            data, outcome = pseudonymise_bytes(files[name], name, name, key)
        except PseudonymError as exc:
            problems.append(str(exc))
            continue
        problems += outcome.problems
        out[name] = data
    return out, problems, created


# Shown on the Méthodologie page (and summarised in the README).
METHODOLOGIE = f"""\
Les logiciels des structures sortent souvent des fichiers avec les noms des personnes. Le tableau de bord les
refuse, mais peut les **pseudonymiser à l'entrée** (page Données, ou `python -m impact pseudonymiser ENTRÉE
SORTIE`) : le nom, le prénom et la date de naissance sont remplacés par un identifiant `personne_id`, l'année de
naissance est gardée, les autres colonnes identifiantes (téléphone, adresse, NIR…) sont retirées. Le fichier
d'origine est lu en mémoire et n'est écrit nulle part.

- **Le calcul** : l'identifiant est une empreinte HMAC-SHA-256 du nom, du prénom et de la date de naissance,
  comparés sans accents, majuscules, espaces ni tirets (« Le Fèvre » = « LEFEVRE »). Le nom de naissance est
  utilisé s'il est présent, sinon le nom. La même personne reçoit donc **le même identifiant dans toutes les
  structures** : elle est comptée une seule fois dans les personnes employées du collectif.
- **Pourquoi une clé** : une empreinte sans clé se recalculerait à partir d'une liste de noms et de dates de
  naissance (celle d'une commune, d'un club…), ce qui suffirait à retrouver qui est qui. L'empreinte est donc
  calculée avec une **clé secrète propre au collectif** ({KEY_BYTES * 8} bits tirés au hasard), créée au premier
  usage dans le dossier d'état du tableau de bord (`{KEY_FILE}`, lisible par son seul propriétaire), jamais
  dans le dossier de données : qui reçoit les données ne reçoit pas la clé.
- **Si la clé est perdue** : les identifiants déjà calculés restent valables, mais les prochains fichiers
  donneront d'autres identifiants aux mêmes personnes ; leurs nouveaux mois ne seront plus rattachés à leurs
  parcours passés et elles seront comptées deux fois. Sauvegardez la clé dès sa création (un message le
  rappelle) et gardez-la à part des données. **Si elle fuit**, changez-la et pseudonymisez de nouveau tous les
  fichiers d'origine.
"""
