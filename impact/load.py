"""Reads a data folder of French CSV exports, validates it against the contract, returns typed tables.

Every problem is reported as `fichier:ligne:colonne: message` (line 1 is the header, as a text editor
shows it). A folder with at least one error does not load: the caller keeps the last good data.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

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
SPACES_RE = re.compile(r"[\s\u00a0\u202f\u2009]+")
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
    """A fingerprint of every CSV and workbook of the folder (names, sizes, modification times)."""
    h = hashlib.sha256()
    for p in sorted([*folder.rglob("*.csv"), *folder.rglob("*.xlsx")]):
        if any(part.startswith(("_", ".")) for part in p.relative_to(folder).parts):
            continue
        st = p.stat()
        h.update(f"{p.relative_to(folder)}|{st.st_size}|{st.st_mtime_ns}\n".encode())
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


# --- Typed conversions (vectorised; each returns values and a mask of invalid cells) -------------


def _clean(s: pd.Series) -> pd.Series:
    s = s.astype("string").str.strip()
    return s.mask(s == "")


def parse_decimal(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    raw = _clean(s)
    t = raw.str.replace(SPACES_RE, "", regex=True).str.replace(r"(€|EUR|eur|h)$", "", regex=True)
    both = t.str.contains(",", regex=False) & t.str.contains(".", regex=False)
    # "1.234,5" (dot thousands) or "1,234.5": the last separator is the decimal one.
    last_comma = t.str.rfind(",") > t.str.rfind(".")
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
        m = t.str.match(pattern).fillna(False).astype(bool)
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
        m = raw.str.match(pattern).fillna(False).astype(bool)
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
    t = raw.str.replace(SPACES_RE, "", regex=True).str.replace(r"[.,]0+$", "", regex=True)
    t = t.mask(t.str.fullmatch(r"\d{4}").fillna(False).astype(bool), "0" + t)
    shape = t.str.fullmatch(r"(\d{5}|2[AB]\d{3})").fillna(False).astype(bool)
    vals = t.where(shape)
    bad = raw.notna() & vals.isna()
    return vals, bad


def parse_siret(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    raw = _clean(s)
    t = raw.str.replace(SPACES_RE, "", regex=True).str.replace(r"[.,]0+$", "", regex=True)
    shape = t.str.fullmatch(r"\d{14}").fillna(False).astype(bool)
    return t.where(shape), raw.notna() & ~shape


def enum_matcher(allowed: dict[str, str]):
    """allowed: accepted spelling -> code. Matching ignores case, accents and punctuation."""
    table = {normalize_name(k): v for k, v in allowed.items()}

    def parse(s: pd.Series) -> tuple[pd.Series, pd.Series]:
        raw = _clean(s)
        keys = raw.map(lambda v: normalize_name(v) if isinstance(v, str) else v)
        vals = keys.map(lambda k: table.get(k) if isinstance(k, str) else None).astype("string")
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
    frames = []
    for path in paths:
        if isinstance(path, workbook.Sheet):  # an Excel sheet, already read (impact/workbook.py)
            rel, encoding = path.label, path.encoding
            header, rows, lines, delim = path.read()
        else:
            rel = str(path.relative_to(folder))
            try:
                text, encoding = decode(path.read_bytes())
            except OSError as exc:
                rep.add(rel, None, None, f"fichier illisible : {exc}")
                continue
            header, rows, lines, delim = read_csv_text(text)
        files.append(
            {
                "fichier": rel,
                "table": table.name,
                "lignes": len(rows),
                "encodage": encoding,
                "separateur": delim,
            }
        )
        if not header:
            rep.add(rel, 1, None, "fichier vide : la ligne d'en-tête (noms des colonnes) est obligatoire")
            continue
        names = [normalize_name(h) for h in header]
        keep: dict[int, str] = {}
        refused = False
        for pos, (orig, name) in enumerate(zip(header, names, strict=True)):
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
                rep.add(rel, 1, orig, f"colonne inconnue de la table « {table.name} », ignorée", WARNING)
            elif name in keep.values():
                rep.add(rel, 1, orig, f"colonne « {name} » en double dans l'en-tête")
                refused = True
            else:
                keep[pos] = name
        missing = [c.name for c in table.columns if c.required and c.name not in keep.values()]
        for name in missing:
            rep.add(rel, 1, name, f"colonne obligatoire « {name} » absente de l'en-tête")
        if missing or refused:
            continue
        width = len(header)
        data = {name: [r[pos] if pos < len(r) else "" for r in rows] for pos, name in keep.items()}
        for i, r in enumerate(rows):
            if len(r) < width:  # a file cut while being written ends with such a line
                rep.add(
                    rel,
                    lines[i],
                    header[len(r)],
                    f"ligne incomplète : {len(r)} valeurs pour {width} colonnes, « {header[len(r)]} » et les "
                    "suivantes manquent (fichier coupé pendant son écriture ?)",
                    rule="ligne incomplète",
                )
            if len(r) > width and any(c.strip() for c in r[width:]):
                rep.add(
                    rel, lines[i], None, f"{len(r)} valeurs pour {width} colonnes (séparateur « {delim} »)"
                )
        df = pd.DataFrame(data, dtype="string")
        for c in table.columns:
            if c.name not in df:
                df[c.name] = pd.Series(pd.NA, index=df.index, dtype="string")
        df["_fichier"] = rel
        df["_ligne"] = lines
        frames.append(df)
    if not frames:
        return None
    return pd.concat(frames, ignore_index=True)


def _convert(df: pd.DataFrame, table: contract.Table, ref: dict, rep: _Report) -> pd.DataFrame:
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
            vals, bad = parse_decimal(s)
        elif c.kind == INT:
            vals, bad = parse_int(s)
        elif c.kind == DATE:
            vals, bad = parse_date(s)
        elif c.kind == MONTH:
            vals, bad = parse_month(s)
        elif c.kind == BOOL:
            vals, bad = parse_bool(s)
        elif c.kind == INSEE:
            vals, bad = parse_insee(s)
        elif c.kind == SIRET:
            vals, bad = parse_siret(s)
        elif c.kind == ENUM:
            if c.name in contract.EXIT_REASON_COLUMNS:
                allowed = {**dict(zip(motifs["code"], motifs["code"], strict=True))}
                allowed.update(dict(zip(motifs["libelle"], motifs["code"], strict=True)))
            else:
                allowed = {a: a for a in c.allowed}
            vals, bad = enum_matcher(allowed)(s)
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
                        f"valeur « {r[c.name]} » inconnue ; valeurs admises : {codes}"
                    ),
                )
            else:
                _cell_problems(
                    rep,
                    df,
                    bad,
                    c.name,
                    lambda r, c=c: f"valeur « {r[c.name]} » illisible : {KIND_MESSAGES[c.kind]}",
                )
        if c.required:
            empty = _clean(raw).isna()
            if empty.any():
                _cell_problems(rep, df, empty, c.name, "valeur obligatoire manquante")
        if c.kind == INSEE:
            vals = vals.map(
                lambda v: old_codes.get(v, v) if isinstance(v, str) and v not in known_insee else v
            )
            unknown = vals.notna() & ~vals.isin(known_insee)
            if unknown.any():
                _cell_problems(
                    rep,
                    df,
                    unknown,
                    c.name,
                    lambda r, c=c, vals=vals: (
                        f"code INSEE « {r[c.name]} »"
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
    out["_fichier"] = df["_fichier"]
    out["_ligne"] = df["_ligne"].astype(int)
    return out


def _check_unique(df: pd.DataFrame, cols: list[str], rep: _Report, label: str) -> None:
    # Missing values take part in the key (two rows without intervention are the same month twice).
    sub = df[cols].astype("string").fillna("\x00")
    dup = sub.duplicated(keep=False)
    if not dup.any():
        return
    first_pos = {}
    for idx in np.flatnonzero(dup.to_numpy()):
        key = tuple(sub.iloc[idx])
        if key not in first_pos:
            first_pos[key] = idx
            continue
        row = df.iloc[idx]
        f = df.iloc[first_pos[key]]
        rep.add(
            row["_fichier"],
            int(row["_ligne"]),
            cols[0],
            f"{label} en double : déjà présent(e) en {f['_fichier']} ligne {f['_ligne']}",
            rule=label,
        )


def _check_references(tables: dict[str, pd.DataFrame], rep: _Report) -> None:
    for name, table in TABLES.items():
        df = tables.get(name)
        if df is None:
            continue
        for col, target in table.references.items():
            target_df = tables.get(target)
            known = set() if target_df is None else set(target_df[TABLES[target].key].dropna())
            dangling = df[col].notna() & ~df[col].isin(known)
            _cell_problems(
                rep,
                df,
                dangling,
                col,
                lambda r, col=col, target=target: (
                    f"« {r[col]} » absent de la table {target} (référence inconnue)"
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
            known = set(p["personne_id"].astype(str) + "\x1f" + p["structure_id"].astype(str))
            orphan = ~(h["personne_id"].astype(str) + "\x1f" + h["structure_id"].astype(str)).isin(known)
            for idx in np.flatnonzero(orphan.to_numpy()):
                r = h.iloc[idx]
                rep.add(
                    r["_fichier"],
                    int(r["_ligne"]),
                    "personne_id",
                    f"aucun parcours de « {r['personne_id']} » dans la structure « {r['structure_id']} » : "
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
    for idx, code, lat, lon in zip(i.index[has_pt], geo.locate_points(lats, lons), lats, lons, strict=True):
        declared = i.at[idx, "commune_insee"]
        where = (i.at[idx, "_fichier"], int(i.at[idx, "_ligne"]), "latitude")
        if code is None:
            rep.add(
                *where,
                "point GPS hors du territoire couvert (Mauges, Loire Layon Aubance, Cholet) : intervention placée "
                f"d'après son code commune {declared}",
                WARNING,
            )
            continue
        if not geo.point_matches_code(lat, lon, declared):
            rep.add(
                *where,
                f"le point GPS tombe à {geo.commune_name(code, 'deleguee')} ({code}), pas dans la commune "
                f"déclarée {declared} : l'intervention est placée d'après son point",
                WARNING,
            )
        i.at[idx, "commune_localisee"] = code


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
                    f"table obligatoire « {name} » absente (attendu : {name}.csv ou {name}_*.csv)",
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
