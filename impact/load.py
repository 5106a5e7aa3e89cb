"""Reads a data folder of French CSV exports, validates it against the contract, returns typed tables.

Every problem is reported as `fichier:ligne:colonne: message` (line 1 is the header, as a text editor
shows it). A folder with at least one error does not load: the caller keeps the last good data.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from impact import REFERENCE_DIR, contract, geo, workbook
from impact.contract import (
    BOOL,
    DATE,
    DECIMAL,
    ENUM,
    ID,
    INSEE,
    INT,
    MONTH,
    SIRET,
    TABLES,
    TEXT,
)

ERROR, WARNING = "erreur", "avertissement"
DELIMITERS = (";", ",", "|", "\t")
TRUE_WORDS = {"oui", "o", "vrai", "1", "true", "yes", "y", "x"}
FALSE_WORDS = {"non", "n", "faux", "0", "false", "no"}
HEADER_STOPWORDS = {"d", "de", "du", "des", "l", "la", "le", "les"}  # "Date d'adhésion" -> date_adhesion
# Every character Python's str.strip() removes, written out so that pyarrow's regex engine (RE2, whose \s
# is ASCII only) and Python's agree: numbers like "1 234,5" with a narrow no-break space still read.
SPACES = "[\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+"
SPACES_RE = re.compile(SPACES)
MAX_REPORTED_PER_RULE = 50  # beyond this, one summary line per column and rule


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    column: str | None
    message: str
    severity: str = ERROR

    def __str__(self) -> str:
        line = "-" if self.line is None else str(self.line)
        return f"{self.file}:{line}:{self.column or '-'}: {self.message}"


@dataclass
class LoadResult:
    folder: Path
    tables: dict[str, pd.DataFrame]
    reference: dict[str, pd.DataFrame]
    problems: list[Problem]
    files: list[dict]
    version: str
    donnees_au: date | None = None
    loaded_from_snapshot: bool = False
    snapshot_info: dict = field(default_factory=dict)
    fingerprint: str | None = None  # of the files' content, once kept in the state folder (state.serve)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]

    @property
    def ok(self) -> bool:
        return not self.errors


@lru_cache(maxsize=4096)
def normalize_name(name: str) -> str:
    """Header matching: case-, accent- and punctuation-insensitive ("Heures travaillées" -> heures_travaillees)."""
    s = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode().lower().strip()
    words = [w for w in re.split(r"[^a-z0-9]+", s) if w and w not in HEADER_STOPWORDS]
    return "_".join(words)


def folder_version(folder: Path) -> str:
    """A cheap fingerprint of what the loader reads (the folder's files and its reference/ folder: names,
    sizes, modification times), checked on every page run; the content itself is hashed only when the
    data is (re)loaded (state.content_fingerprint)."""
    h = hashlib.sha256()
    for sub in ("", "reference"):
        try:
            entries = sorted(os.scandir(folder / sub) if sub else os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue
        for e in entries:
            if e.name.startswith(("_", ".")) or not e.is_file():
                continue
            st = e.stat()
            h.update(f"{sub}/{e.name}|{st.st_size}|{st.st_mtime_ns}\n".encode())
    return h.hexdigest()[:16]


# --- Reading one file -------------------------------------------------------------------------


def decode(raw: bytes) -> tuple[str, str]:
    """UTF-8 (with or without BOM) first, then Windows-1252 (Excel's "CSV point-virgule", with € ’ œ)."""
    try:
        return raw.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        return raw.decode("latin-1"), "ISO-8859-1"


def sniff_delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ";"


def read_csv_text(text: str) -> tuple[list[str], list[list[str]], list[int], str]:
    """Header, rows, the editor line number where each row starts, and the delimiter."""
    first = text.split("\n", 1)[0]
    delim = sniff_delimiter(first)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    header: list[str] | None = None
    rows: list[list[str]] = []
    lines: list[int] = []
    prev_end = 0
    for row in reader:
        start = prev_end + 1
        prev_end = reader.line_num
        if not row or all(not c.strip() for c in row):
            continue
        if header is None:
            header = row
            continue
        rows.append(row)
        lines.append(start)
    return header or [], rows, lines, delim


@dataclass
class Cells:
    """One file read as text: the header, one text column per header position (every row padded to the
    header's width), the line in the file where each row starts, and the rows that carry non-empty cells
    beyond the header (line, number of values). A workbook reader returns the same."""

    header: list[str]
    columns: list[pa.Array]
    lines: np.ndarray
    delimiter: str
    encoding: str
    long_rows: list[tuple[int, int]] = field(default_factory=list)
    short_rows: list[tuple[int, int]] = field(
        default_factory=list
    )  # (line, values): a file cut while written


# Bytes that str.strip() removes and that are ASCII (non-ASCII spaces are checked line by line).
_ASCII_BLANKS = np.array([0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x1F, 0x20], dtype=np.uint8)


def read_cells(raw: bytes) -> Cells:
    """The text cells of one CSV file. Files without any quote character (nearly every export) are cut by
    pyarrow's CSV reader after one bytes-level transcoding to UTF-8; the others by Python's csv module."""
    plain = scan_plain(raw)
    if isinstance(plain, Plain):
        columns = _parse_plain([plain.body], len(plain.header), plain.delimiter)
        return plain.cells([c.combine_chunks() for c in columns])
    return _read_with_csv_module(*plain)


@dataclass
class Plain:
    """A quote-free file whose every row has as many values as its header: its body (UTF-8, blank lines
    taken out) can be parsed in C, alone or together with other files of the same header."""

    header: list[str]
    body: bytes
    lines: np.ndarray
    delimiter: str
    encoding: str

    def cells(self, columns: list[pa.Array]) -> Cells:
        return Cells(self.header, columns, self.lines, self.delimiter, self.encoding)


def _blank_table(delim: str) -> np.ndarray:
    """byte -> True when it is content (neither an ASCII blank nor the delimiter)."""
    table = np.ones(256, dtype=bool)
    table[_ASCII_BLANKS] = False
    table[ord(delim)] = False
    return table


_CONTENT = {d: _blank_table(d) for d in DELIMITERS}


def _per_line(mask: np.ndarray, starts: np.ndarray, filled: np.ndarray) -> np.ndarray:
    """How many bytes of each line are set in mask. `filled`: the lines with at least one byte. Each sum
    runs to the next filled line's start: the line breaks and empty lines in between are never set."""
    out = np.zeros(len(starts), dtype=np.int64)
    if filled.any():
        out[filled] = np.add.reduceat(mask, starts[filled], dtype=np.int64)
    return out


def scan_plain(raw: bytes) -> Plain | tuple[str, str]:
    """Plain when the file can be parsed in C; otherwise its text and encoding, for the csv module."""
    text, encoding = decode(raw)
    end = text.find("\n")
    delim = sniff_delimiter(text if end < 0 else text[:end])
    if '"' in text:
        return text, encoding
    data = raw if encoding == "UTF-8" and not raw.startswith(b"\xef\xbb\xbf") else text.encode("utf-8")
    # \r\n is left as it is (\r is a blank byte at the end of its line, and pyarrow reads \r\n as one
    # break); a lone \r ends a line, as for the csv module.
    crlf = False
    if b"\r" in data:
        if data.count(b"\r") == data.count(b"\r\n"):
            crlf = True
        else:
            data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    arr = np.frombuffer(data, dtype=np.uint8)
    breaks = np.flatnonzero(arr == 0x0A)
    starts = np.concatenate(([0], breaks + 1))
    ends = np.concatenate((breaks, [len(arr)]))
    filled = ends > starts
    sep = arr == ord(delim)
    content = _CONTENT[delim][arr]
    n_content = _per_line(content, starts, filled)
    if not data.isascii():
        only_high = (n_content > 0) & (_per_line(arr >= 0x80, starts, filled) == n_content)
        for i in np.flatnonzero(only_high):  # maybe only no-break spaces: let Python decide
            if not data[starts[i] : ends[i]].decode("utf-8").replace(delim, "").strip():
                n_content[i] = 0
    kept = np.flatnonzero(n_content > 0)
    if len(kept) == 0:
        return Plain([], b"", np.zeros(0, dtype=np.int64), delim, encoding)
    h = kept[0]
    line = data[starts[h] : ends[h]]
    header = (line[:-1] if crlf and line.endswith(b"\r") else line).decode("utf-8").split(delim)
    body = kept[1:]
    if np.any(_per_line(sep, starts, filled)[body] != len(header) - 1):
        return text, encoding  # a row with more or fewer values: the csv module reports each one
    if len(body) == 0:
        chunk = b""
    elif body[-1] - body[0] + 1 == len(body):  # no blank line inside the body: one slice
        chunk = data[starts[body[0]] : ends[body[-1]]]
    else:
        chunk = b"\n".join(data[starts[i] : ends[i]] for i in body)
    return Plain(header, chunk, (body + 1).astype(np.int64), delim, encoding)


def _parse_plain(bodies: list[bytes], width: int, delim: str) -> list[pa.ChunkedArray]:
    """The text columns (large_string) of quote-free bodies that share a header, parsed in one pass (blocks
    of 16 MB on every core, rows kept in order: 2,2 million hours in 0,3 s instead of 0,9 s on 2 cores).
    bodies is emptied once joined: the files' text is not held twice while it is parsed."""
    text = b"\n".join(b for b in bodies if b)
    bodies.clear()
    if not text:
        return [pa.chunked_array([], pa.large_string())] * width
    names = [f"c{i}" for i in range(width)]
    table = pa_csv.read_csv(
        pa.py_buffer(text),
        read_options=pa_csv.ReadOptions(column_names=names, use_threads=True, block_size=1 << 24),
        parse_options=pa_csv.ParseOptions(
            delimiter=delim,
            quote_char=False,
            escape_char=False,
            newlines_in_values=False,
            ignore_empty_lines=False,
        ),
        convert_options=pa_csv.ConvertOptions(
            # large_string straight away: the columns are not copied again to become pandas' strings
            column_types=dict.fromkeys(names, pa.large_string()),
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )
    return [table.column(i) for i in range(width)]


def _read_with_csv_module(text: str, encoding: str) -> Cells:
    header, rows, lines, delim = read_csv_text(text)
    width = len(header)
    long_rows = [
        (line, len(r))
        for r, line in zip(rows, lines, strict=True)
        if len(r) > width and any(c.strip() for c in r[width:])
    ]
    short_rows = [(line, len(r)) for r, line in zip(rows, lines, strict=True) if len(r) < width]
    columns = [pa.array([r[pos] if pos < len(r) else "" for r in rows], pa.string()) for pos in range(width)]
    return Cells(header, columns, np.asarray(lines, dtype=np.int64), delim, encoding, long_rows, short_rows)


def _sheet_cells(sheet: workbook.Sheet) -> Cells:
    """An Excel sheet as text cells (a row shorter than the header: its last cells were empty)."""
    header, rows, lines, delim = sheet.read()
    width = len(header)
    columns = [pa.array([r[pos] if pos < len(r) else "" for r in rows], pa.string()) for pos in range(width)]
    return Cells(header, columns, np.asarray(lines, dtype=np.int64), delim, sheet.encoding)


# --- Typed conversions (vectorised; each returns values and a mask of invalid cells) -------------


def _text_bytes(s: pd.Series) -> int:
    """The bytes of text in a column of strings (read from Arrow's offsets, not from the text)."""
    return pc.sum(pc.binary_length(pa.array(s.array))).as_py() or 0


def _clean(s: pd.Series) -> pd.Series:
    """Text without its edge blanks, empty cells missing. A column that needs neither is returned as it is,
    not copied (identifiers of 2 million hours)."""
    s = s.astype("string")
    stripped = s.str.strip()
    if _text_bytes(stripped) == _text_bytes(s):  # stripping only shortens: nothing was stripped
        stripped = s
    empty = stripped == ""
    return stripped.mask(empty) if empty.any() else stripped


def parse_decimal(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    raw = _clean(s)
    t = raw.str.replace(SPACES, "", regex=True).str.replace(r"(€|EUR|eur|h)$", "", regex=True)
    both = t.str.contains(",", regex=False) & t.str.contains(".", regex=False)
    # "1.234,5" (dot thousands) or "1,234.5": the last separator is the decimal one.
    last_comma = t.str.contains(r",[^.]*$", regex=True)
    t = t.mask(both & last_comma, t.str.replace(".", "", regex=False))
    t = t.mask(both & ~last_comma, t.str.replace(",", "", regex=False))
    t = t.str.replace(",", ".", regex=False)
    ok_shape = t.str.fullmatch(r"[-+]?(\d+\.?\d*|\.\d+)")
    vals = pd.to_numeric(t.where(ok_shape.fillna(False).astype(bool)), errors="coerce").astype("Float64")
    bad = raw.notna() & vals.isna()
    return vals, bad


def parse_int(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    vals, bad = parse_decimal(s)
    frac = vals.notna() & ((vals - vals.round()).abs() > 1e-9)
    bad = bad | frac
    return vals.where(~frac).round().astype("Int64"), bad


DATE_PATTERNS = (
    (re.compile(r"^\d{1,2}/\d{1,2}/\d{4}$"), "%d/%m/%Y"),
    (re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$"), "%Y-%m-%d"),
    (re.compile(r"^\d{1,2}-\d{1,2}-\d{4}$"), "%d-%m-%Y"),
    (re.compile(r"^\d{1,2}\.\d{1,2}\.\d{4}$"), "%d.%m.%Y"),
)


def parse_date(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    raw = _clean(s)
    # Excel sometimes appends a midnight time: "2024-03-01 00:00:00".
    t = raw.str.replace(r"[ T]00:00(:00)?$", "", regex=True)
    out = pd.Series(pd.NaT, index=s.index, dtype="datetime64[s]")
    for pattern, fmt in DATE_PATTERNS:
        m = t.str.match(pattern.pattern).fillna(False).astype(bool)
        if m.any():
            out[m] = pd.to_datetime(t[m], format=fmt, errors="coerce")
    bad = raw.notna() & out.isna()
    return out, bad


MONTH_PATTERNS = (
    (re.compile(r"^\d{4}-\d{1,2}$"), "%Y-%m"),
    (re.compile(r"^\d{1,2}/\d{4}$"), "%m/%Y"),
    (re.compile(r"^\d{4}/\d{1,2}$"), "%Y/%m"),
)


def parse_month(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    raw = _clean(s)
    out = pd.Series(pd.NaT, index=s.index, dtype="datetime64[s]")
    for pattern, fmt in MONTH_PATTERNS:
        m = raw.str.match(pattern.pattern).fillna(False).astype(bool)
        if m.any():
            out[m] = pd.to_datetime(raw[m], format=fmt, errors="coerce")
    rest = raw.notna() & out.isna()
    if rest.any():  # a full date names its month
        d, _ = parse_date(raw[rest])
        out[rest] = d.dt.to_period("M").dt.to_timestamp()
    bad = raw.notna() & out.isna()
    return out, bad


def parse_bool(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    raw = _clean(s)
    low = raw.str.lower()
    vals = pd.Series(pd.NA, index=s.index, dtype="boolean")
    vals[low.isin(TRUE_WORDS).fillna(False).astype(bool)] = True
    vals[low.isin(FALSE_WORDS).fillna(False).astype(bool)] = False
    bad = raw.notna() & vals.isna()
    return vals, bad


def parse_insee(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    raw = _clean(s)
    t = raw.str.replace(SPACES, "", regex=True).str.replace(r"[.,]0+$", "", regex=True)
    t = t.mask(t.str.fullmatch(r"\d{4}").fillna(False).astype(bool), "0" + t)
    shape = t.str.fullmatch(r"(\d{5}|2[AB]\d{3})").fillna(False).astype(bool)
    vals = t.where(shape)
    bad = raw.notna() & vals.isna()
    return vals, bad


def parse_siret(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    raw = _clean(s)
    t = raw.str.replace(SPACES, "", regex=True).str.replace(r"[.,]0+$", "", regex=True)
    shape = t.str.fullmatch(r"\d{14}").fillna(False).astype(bool)
    return t.where(shape), raw.notna() & ~shape


def enum_matcher(allowed: dict[str, str]):
    """allowed: accepted spelling -> code. Matching ignores case, accents and punctuation."""
    table = {normalize_name(k): v for k, v in allowed.items()}

    def parse(s: pd.Series) -> tuple[pd.Series, pd.Series]:
        raw = _clean(s)
        codes = {v: table.get(normalize_name(v)) for v in raw.dropna().unique()}  # each spelling once
        vals = raw.map(codes).astype("string")
        return vals, raw.notna() & vals.isna()

    return parse


# What each kind of column expects, for the "illisible" messages.
KIND_MESSAGES = {
    DECIMAL: "nombre attendu (ex. 1 234,5)",
    INT: "nombre entier attendu",
    DATE: "date attendue au format jj/mm/aaaa ou aaaa-mm-jj",
    MONTH: "mois attendu au format aaaa-mm ou mm/aaaa",
    BOOL: "oui ou non attendu (oui/non, o/n, vrai/faux, 1/0)",
    INSEE: "code INSEE attendu (5 chiffres)",
    SIRET: "SIRET attendu (14 chiffres)",
}

# --- Reference data -------------------------------------------------------------------------------


def read_reference(folder: Path | None) -> dict[str, pd.DataFrame]:
    """Reference CSVs from data/reference/, each overridable by the data folder's own reference/."""
    names = ("motifs_sortie", "categories_sortie", "bases_etp", "communes", "codes_anciens")
    out = {}
    for name in names:
        path = REFERENCE_DIR / f"{name}.csv"
        if folder is not None and (folder / "reference" / f"{name}.csv").exists():
            path = folder / "reference" / f"{name}.csv"
        text, _ = decode(path.read_bytes())
        out[name] = pd.read_csv(io.StringIO(text), sep=";", dtype=str, keep_default_na=False)
    ref = out["bases_etp"]
    ref["annee_debut"] = ref["annee_debut"].astype(int)
    ref["heures_annuelles"] = ref["heures_annuelles"].str.replace(",", ".").astype(float)
    out["types_structure"] = pd.DataFrame(
        [(t, lib, fam) for t, (lib, fam) in contract.STRUCTURE_TYPES.items()],
        columns=["type", "libelle", "famille"],
    )
    return out


# --- The folder -----------------------------------------------------------------------------------


class _Report:
    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self._counts: dict[tuple, int] = {}

    def add(self, file, line, column, message, severity=ERROR, rule=None):
        key = (file, column, rule or message, severity)
        n = self._counts.get(key, 0) + 1
        self._counts[key] = n
        if n <= MAX_REPORTED_PER_RULE:
            self.problems.append(Problem(file, line, column, message, severity))

    def summarize(self) -> None:
        for (file, column, rule, severity), n in self._counts.items():
            if n > MAX_REPORTED_PER_RULE:
                more = n - MAX_REPORTED_PER_RULE
                self.problems.append(
                    Problem(
                        file, None, column, f"… et {more} autre(s) ligne(s) avec le même problème", severity
                    )
                )


def _cell_problems(rep: _Report, df: pd.DataFrame, mask: pd.Series, column: str, message) -> None:
    for idx in np.flatnonzero(mask.to_numpy(dtype=bool)):
        row = df.iloc[idx]
        msg = message(row) if callable(message) else message
        rep.add(
            row["_fichier"],
            int(row["_ligne"]),
            column,
            msg,
            rule=message if not callable(message) else column,
        )


def _read_table_files(
    folder: Path, table: contract.Table, paths: list[Path], rep: _Report, files: list[dict]
):
    # Each file is checked in turn (its messages in file order); the quote-free ones that share a header
    # are then parsed together, in one pass.
    read: list[tuple[str, Cells | Plain]] = []
    for path in paths:
        if isinstance(path, workbook.Sheet):  # an Excel sheet, already read (impact/workbook.py)
            rel, cells = path.label, _sheet_cells(path)
        else:
            rel = str(path.relative_to(folder))
            try:
                raw = path.read_bytes()
            except OSError as exc:
                rep.add(rel, None, None, f"fichier illisible : {exc}")
                continue
            got = scan_plain(raw)
            cells = got if isinstance(got, Plain) else _read_with_csv_module(*got)
        if _check_header(rel, table, cells, rep, files):
            read.append((rel, cells))
    if not read:
        return None
    groups: dict[tuple, list[Plain]] = {}
    for _, cells in read:
        if isinstance(cells, Plain):
            groups.setdefault((tuple(cells.header), cells.delimiter), []).append(cells)
    parsed: dict[int, list[pa.ChunkedArray]] = {}
    for (header, delim), plains in groups.items():
        bodies = []
        for p in plains:  # the bodies are only held by the parse from now on (it frees them once joined)
            bodies.append(p.body)
            p.body = b""
        columns = _parse_plain(bodies, len(header), delim)
        offset = 0
        for p in plains:
            n = len(p.lines)
            parsed[id(p)] = [c.slice(offset, n) for c in columns]
            offset += n
    # Every column as large_string chunks, the type of pandas' strings: the parsed columns are not copied.
    columns: dict[str, list[pa.Array]] = {c.name: [] for c in table.columns}
    fichiers, sizes, lignes = [], [], []
    for rel, cells in read:
        n = len(cells.lines)
        keep = {normalize_name(h): pos for pos, h in enumerate(cells.header)}
        for c in table.columns:
            pos = keep.get(c.name)
            if pos is None:
                columns[c.name].append(pa.nulls(n, pa.large_string()))
            elif isinstance(cells, Plain):
                columns[c.name].extend(parsed[id(cells)][pos].chunks)
            else:
                columns[c.name].append(cells.columns[pos].cast(pa.large_string()))
        fichiers.append(rel)
        sizes.append(n)
        lignes.append(cells.lines)
    del parsed
    data = {
        name: pd.array(pa.chunked_array(columns.pop(name), pa.large_string()), dtype="string")
        for name in list(columns)
    }
    df = pd.DataFrame(data)
    df["_fichier"] = pd.Categorical.from_codes(
        np.repeat(np.arange(len(fichiers)), sizes), categories=fichiers
    )
    df["_ligne"] = np.concatenate(lignes)
    return df


def _check_header(
    rel: str, table: contract.Table, cells: Cells | Plain, rep: _Report, files: list[dict]
) -> bool:
    """Lists the file and checks its header; False when its rows cannot be used."""
    header = cells.header
    files.append(
        {
            "fichier": rel,
            "table": table.name,
            "lignes": len(cells.lines),
            "encodage": cells.encoding,
            "separateur": cells.delimiter,
        }
    )
    if not header:
        rep.add(rel, 1, None, "fichier vide : la ligne d'en-tête (noms des colonnes) est obligatoire")
        return False
    names = [normalize_name(h) for h in header]
    keep: set[str] = set()
    refused = False
    for orig, name in zip(header, names, strict=True):
        what = contract.IDENTIFYING_COLUMNS.get(name)
        if what is None and table.person_data:
            what = contract.IDENTIFYING_IN_PERSON_TABLES.get(name)
        if what is not None:
            rep.add(
                rel,
                1,
                orig,
                f"colonne refusée : elle contient {what}, une donnée qui identifie directement une "
                "personne. Le tableau de bord n'en a pas besoin (un identifiant pseudonyme personne_id "
                "suffit) : supprimez cette colonne de l'export (protection des données, RGPD).",
            )
            refused = True
        elif table.column(name) is None:
            rep.add(rel, 1, orig, f"colonne inconnue de la table « {table.name} », ignorée", WARNING)
        elif name in keep:
            rep.add(rel, 1, orig, f"colonne « {name} » en double dans l'en-tête")
            refused = True
        else:
            keep.add(name)
    missing = [c.name for c in table.columns if c.required and c.name not in keep]
    for name in missing:
        rep.add(rel, 1, name, f"colonne obligatoire « {name} » absente de l'en-tête")
    if missing or refused:
        return False
    width = len(header)
    for line, n in getattr(cells, "short_rows", ()):  # a file cut while being written ends with such a line
        rep.add(
            rel,
            int(line),
            header[n],
            f"ligne incomplète : {n} valeurs pour {width} colonnes, « {header[n]} » et les "
            "suivantes manquent (fichier coupé pendant son écriture ?)",
            rule="ligne incomplète",
        )
    for line, n in getattr(cells, "long_rows", ()):
        rep.add(rel, int(line), None, f"{n} valeurs pour {width} colonnes (séparateur « {cells.delimiter} »)")
    return True


def by_value(parse, s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """parse(s), computed once per distinct value (a column of 2 million hours holds a few thousand)."""
    codes, uniques = pd.factorize(s, use_na_sentinel=False)
    if len(uniques) * 2 > len(s):
        return parse(s)
    vals, bad = parse(pd.Series(uniques, dtype=s.dtype))
    return (
        pd.Series(vals.array.take(codes), index=s.index, name=s.name),
        pd.Series(bad.to_numpy(dtype=bool)[codes], index=s.index, name=s.name),
    )


def _convert(df: pd.DataFrame, table: contract.Table, ref: dict, rep: _Report) -> pd.DataFrame:
    """The typed table of df's text. df's columns are taken out as they are converted (a cell's messages
    only read its own column): the text and the values of a big table are not all held at once."""
    motifs = ref["motifs_sortie"]
    known_insee = set(ref["communes"]["code_insee"])
    old_codes = dict(
        zip(ref["codes_anciens"]["code_ancien"], ref["codes_anciens"]["code_actuel"], strict=True)
    )
    out = pd.DataFrame(index=df.index)
    for c in table.columns:
        s = df[c.name]
        if c.kind in (TEXT, ID):
            vals, bad = _clean(s), pd.Series(False, index=s.index)
        elif c.kind == DECIMAL:
            vals, bad = by_value(parse_decimal, s)
        elif c.kind == INT:
            vals, bad = by_value(parse_int, s)
        elif c.kind == DATE:
            vals, bad = by_value(parse_date, s)
        elif c.kind == MONTH:
            vals, bad = by_value(parse_month, s)
        elif c.kind == BOOL:
            vals, bad = by_value(parse_bool, s)
        elif c.kind == INSEE:
            vals, bad = by_value(parse_insee, s)
        elif c.kind == SIRET:
            vals, bad = by_value(parse_siret, s)
        elif c.kind == ENUM:
            if c.name in contract.EXIT_REASON_COLUMNS:
                allowed = {**dict(zip(motifs["code"], motifs["code"], strict=True))}
                allowed.update(dict(zip(motifs["libelle"], motifs["code"], strict=True)))
            else:
                allowed = {a: a for a in c.allowed}
            vals, bad = by_value(enum_matcher(allowed), s)
        else:  # pragma: no cover - the contract only uses the kinds above
            raise ValueError(c.kind)
        raw = df[c.name]
        if bad.any():
            if c.kind == ENUM:
                codes = (
                    ", ".join(sorted(set(motifs["code"])))
                    if c.name in contract.EXIT_REASON_COLUMNS
                    else ", ".join(c.allowed)
                )
                _cell_problems(
                    rep,
                    df,
                    bad,
                    c.name,
                    lambda r, c=c, codes=codes: (
                        f"valeur « {r[c.name]} » inconnue ; valeurs admises : {codes}"
                    ),
                )
            else:
                _cell_problems(
                    rep,
                    df,
                    bad,
                    c.name,
                    lambda r, c=c: f"valeur « {r[c.name]} » illisible : {KIND_MESSAGES[c.kind]}",
                )
        if c.required:
            empty = (vals if c.kind in (TEXT, ID) else _clean(raw)).isna()
            if empty.any():
                _cell_problems(rep, df, empty, c.name, "valeur obligatoire manquante")
        if c.kind == INSEE:
            renamed = vals.map(old_codes)  # an old code that is not a current one reads as its successor
            vals = vals.where(vals.isin(known_insee) | renamed.isna(), renamed).astype("string")
            unknown = vals.notna() & ~vals.isin(known_insee)
            if unknown.any():
                _cell_problems(
                    rep,
                    df,
                    unknown,
                    c.name,
                    lambda r, c=c, vals=vals: (
                        f"code INSEE « {r[c.name]} »"
                        + (f" (lu {vals.loc[r.name]})" if vals.loc[r.name] != str(r[c.name]).strip() else "")
                        + " inconnu : ni commune de Mauges Communauté "
                        "(commune nouvelle ou déléguée), ni commune de Loire Layon Aubance ou de Cholet Agglomération"
                    ),
                )
        if c.min is not None or c.max is not None:
            num = vals.astype("Float64")
            if c.min is not None:
                low = (num < c.min).fillna(False).astype(bool)
                neg = "négative" if c.min == 0 else f"inférieure à {c.min:g}"
                _cell_problems(rep, df, low, c.name, lambda r, c=c, neg=neg: f"valeur {r[c.name]} {neg}")
            if c.max is not None:
                high = (num > c.max).fillna(False).astype(bool)
                why = " (un mois compte au plus 744 heures)" if c.max == contract.MAX_MONTHLY_HOURS else ""
                _cell_problems(
                    rep,
                    df,
                    high,
                    c.name,
                    lambda r, c=c, why=why: f"valeur {r[c.name]} impossible, supérieure à {c.max:g}{why}",
                )
        out[c.name] = vals
        del s, raw, vals, bad
        del df[c.name]
    out["_fichier"] = df["_fichier"]
    out["_ligne"] = df["_ligne"].astype(int)
    return out


def _row_keys(df: pd.DataFrame, cols: list[str]) -> np.ndarray:
    """One integer per row, equal for two rows exactly when their values in cols are all equal (a missing
    value equals a missing value): the columns' codes in mixed radix, re-numbered only if the key could
    overflow."""
    key = np.zeros(len(df), dtype=np.int64)
    span = 1  # key < span
    for c in cols:
        codes, uniques = pd.factorize(df[c], use_na_sentinel=False)
        radix = len(uniques) + 1
        if span * radix >= 2**62:
            key, seen = pd.factorize(key)
            span = len(seen)
        key = key * radix + codes
        span *= radix
    return key


def _check_unique(df: pd.DataFrame, cols: list[str], rep: _Report, label: str) -> None:
    # Missing values take part in the key (two rows without intervention are the same month twice).
    key = _row_keys(df, cols)
    dup = pd.Series(key).duplicated(keep=False).to_numpy()
    if not dup.any():
        return
    first_pos = {}
    for idx in np.flatnonzero(dup):
        k = key[idx]
        if k not in first_pos:
            first_pos[k] = idx
            continue
        row = df.iloc[idx]
        f = df.iloc[first_pos[k]]
        rep.add(
            row["_fichier"],
            int(row["_ligne"]),
            cols[0],
            f"{label} en double : déjà présent(e) en {f['_fichier']} ligne {f['_ligne']}",
            rule=label,
        )


def _unknown(values: pd.Series, known: pd.Series) -> pd.Series:
    """The rows whose value is filled and not among known's values. Decided once per distinct value by
    Arrow's hash lookup, then mapped back (2,2 million hours against 250 000 paths in a fraction of a second)."""
    codes, uniques = pd.factorize(values)  # missing values: code -1, never unknown
    if len(uniques) == 0:
        return pd.Series(False, index=values.index)
    as_text = pa.large_string()
    distinct = pa.array(uniques, type=as_text, from_pandas=True)
    value_set = pa.array(known.dropna().unique(), type=as_text, from_pandas=True)
    unknown = ~pc.is_in(distinct, value_set=value_set).to_numpy(zero_copy_only=False)
    hit = np.append(unknown, False)  # code -1 reads the appended False
    return pd.Series(hit[codes], index=values.index)


def _check_references(tables: dict[str, pd.DataFrame], rep: _Report) -> None:
    for name, table in TABLES.items():
        df = tables.get(name)
        if df is None:
            continue
        for col, target in table.references.items():
            target_df = tables.get(target)
            known = pd.Series([], dtype="string") if target_df is None else target_df[TABLES[target].key]
            dangling = _unknown(df[col], known)
            _cell_problems(
                rep,
                df,
                dangling,
                col,
                lambda r, col=col, target=target: (
                    f"« {r[col]} » absent de la table {target} (référence inconnue)"
                ),
            )


def _check_rows(tables: dict[str, pd.DataFrame], ref: dict, rep: _Report) -> None:
    p = tables.get("parcours")
    if p is not None:
        before = (p["date_sortie"] < p["date_entree"]).fillna(False).astype(bool)
        _cell_problems(rep, p, before, "date_sortie", "date de sortie antérieure à la date d'entrée")
        no_reason = p["date_sortie"].notna() & p["motif_sortie"].isna()
        _cell_problems(
            rep,
            p,
            no_reason,
            "motif_sortie",
            "motif de sortie obligatoire quand la date de sortie est remplie",
        )
        no_date = p["date_sortie"].isna() & p["motif_sortie"].notna()
        for idx in np.flatnonzero(no_date.to_numpy()):
            r = p.iloc[idx]
            rep.add(
                r["_fichier"],
                int(r["_ligne"]),
                "date_sortie",
                "motif de sortie sans date de sortie : parcours compté comme en cours",
                WARNING,
            )
    for name, start, end in (
        ("marches", "date_debut", "date_fin"),
        ("interventions", "date_debut", "date_fin"),
        ("formations", "date_debut", "date_fin"),
    ):
        df = tables.get(name)
        if df is not None:
            bad = (df[end] < df[start]).fillna(False).astype(bool)
            _cell_problems(rep, df, bad, end, "date de fin antérieure à la date de début")
    i = tables.get("interventions")
    if i is not None:
        half = i["latitude"].isna() ^ i["longitude"].isna()
        _cell_problems(
            rep, i, half, "latitude", "latitude et longitude vont ensemble : remplissez les deux ou aucune"
        )
    h = tables.get("heures")
    if h is not None:
        _check_unique(h, ["mois", "structure_id", "personne_id", "intervention_id"], rep, "mois déclaré")
        if p is not None:
            pair_cols = ["personne_id", "structure_id"]
            both = pd.concat([h[pair_cols], p[pair_cols]], ignore_index=True)
            keys = _row_keys(both, pair_cols)  # the hours' pairs first, then the paths'
            # A missing person or structure has its own error (valeur obligatoire manquante), not this warning.
            named = (h["personne_id"].notna() & h["structure_id"].notna()).to_numpy(dtype=bool)
            orphan = pd.Series(named & ~np.isin(keys[: len(h)], keys[len(h) :]), index=h.index)
            for idx in np.flatnonzero(orphan.to_numpy()):
                r = h.iloc[idx]
                rep.add(
                    r["_fichier"],
                    int(r["_ligne"]),
                    "personne_id",
                    f"aucun parcours de « {r['personne_id']} » dans la structure « {r['structure_id']} » : "
                    "ses heures sont comptées mais sa sortie et son profil manqueront",
                    WARNING,
                    rule="orphan",
                )


def _locate_interventions(i: pd.DataFrame, rep: _Report) -> None:
    """Place each intervention by its point when it has one, otherwise by its code (issue: territories)."""
    i["commune_localisee"] = i["commune_insee"]
    has_pt = i["latitude"].notna() & i["longitude"].notna()
    if not has_pt.any():
        return
    lats = i.loc[has_pt, "latitude"].astype(float).tolist()
    lons = i.loc[has_pt, "longitude"].astype(float).tolist()
    # Plain arrays in the loop: a cell read or written through pandas costs a millisecond each.
    declared_codes = i["commune_insee"].to_numpy(dtype=object)
    fichiers, lignes = i["_fichier"].to_numpy(dtype=object), i["_ligne"].to_numpy()
    placed = declared_codes.copy()
    positions = np.flatnonzero(has_pt.to_numpy(dtype=bool))
    for pos, code, lat, lon in zip(positions, geo.locate_points(lats, lons), lats, lons, strict=True):
        declared = declared_codes[pos]
        where = (fichiers[pos], int(lignes[pos]), "latitude")
        if code is None:
            rep.add(
                *where,
                "point GPS hors du territoire couvert (Mauges, Loire Layon Aubance, Cholet) : intervention placée "
                f"d'après son code commune {declared}",
                WARNING,
            )
            continue
        if not geo.point_matches_code(lat, lon, declared, located=code):
            rep.add(
                *where,
                f"le point GPS tombe à {geo.commune_name(code, 'deleguee')} ({code}), pas dans la commune "
                f"déclarée {declared} : l'intervention est placée d'après son point",
                WARNING,
            )
        placed[pos] = code
    i["commune_localisee"] = pd.array(placed, dtype="string")


def load_folder(folder: Path | str) -> LoadResult:
    folder = Path(folder)
    rep = _Report()
    files: list[dict] = []
    tables: dict[str, pd.DataFrame] = {}
    if not folder.is_dir():
        rep.add(str(folder), None, None, "dossier de données introuvable")
        return LoadResult(folder, {}, read_reference(None), rep.problems, files, "")
    ref = read_reference(folder)
    by_table: dict[str, list[Path]] = {}
    for path in sorted(folder.glob("*.csv")) + sorted(folder.glob("*.CSV")):
        if path.name.startswith(("_", ".")):
            continue
        name = contract.table_for_file(path.stem)
        if name is None:
            rep.add(
                path.name,
                None,
                None,
                "fichier ignoré : son nom ne correspond à aucune table du contrat",
                WARNING,
            )
            continue
        by_table.setdefault(name, []).append(path)
    # Excel workbooks (impact/workbook.py): each table sheet is read like one more file of its table.
    sheets, sheet_problems = workbook.folder_sheets(folder)
    for problem in sheet_problems:
        rep.add(*problem)
    for sheet in sheets:
        by_table.setdefault(sheet.table, []).append(sheet)
    for name, table in TABLES.items():
        paths = by_table.get(name, [])
        if not paths:
            if table.mandatory:
                rep.add(
                    f"{name}.csv",
                    None,
                    None,
                    f"table obligatoire « {name} » absente (attendu : {name}.csv ou {name}_*.csv)",
                )
            continue
        raw = _read_table_files(folder, table, paths, rep, files)
        if raw is not None:
            tables[name] = _convert(raw, table, ref, rep)
    for name, table in TABLES.items():
        if table.key and name in tables:
            _check_unique(tables[name], [table.key], rep, f"identifiant {table.key}")
        if table.unique and name in tables:
            _check_unique(tables[name], list(table.unique), rep, " et ".join(table.unique))
    _check_references(tables, rep)
    _check_rows(tables, ref, rep)
    if "interventions" in tables:
        _locate_interventions(tables["interventions"], rep)
    rep.summarize()
    donnees_au = None
    if "heures" in tables and tables["heures"]["mois"].notna().any():
        last = tables["heures"]["mois"].max()
        donnees_au = (pd.Timestamp(last) + pd.offsets.MonthEnd(0)).date()
    return LoadResult(folder, tables, ref, rep.problems, files, folder_version(folder), donnees_au)
