"""Importing new export files into a data folder as one step: preview, apply, history, undo.

The Données page and the command line (`python -m impact importer|historique|annuler`) share this module:

1. `preparer(folder, files)` validates the files with the rest of the folder (a trial copy) and computes
   the preview: per table and structure, rows added / removed / changed and the months covered before →
   after, and the key figures (impact.indicators.kpis) that move, year by year. Nothing is written.
2. `appliquer(plan, qui=...)` applies it as one transaction, under the folder's import lock:
   - the previous versions are copied to `_archives/<id>/`, the new contents written next to their final
     place (`.<name>.<id>.tmp`), then a journal (`_imports/en_cours.json`) is switched to "application"
     (the commit point) and each file is renamed into place (os.replace, atomic);
   - a crash or a killed process before the commit point leaves the folder as before (the next start
     removes the temporary files), after it as after (the next start finishes the renames): `reprendre`;
   - visitors read under a shared lock (`lecture`): they keep the previous data until the set is complete.
3. Every transaction is kept in `_imports/historique/<id>.json` (who, when, which files with their
   checksums, the rows and figures that moved). `annuler(folder, id)` restores exactly the previous files
   (the files the import added are moved to the archives) and is itself recorded.

Everything lives under names starting with "_" or "." that the loader ignores.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from impact import contract, fmt, workbook
from impact.load import LoadResult, Problem, load_folder

ARCHIVES = "_archives"
IMPORTS = "_imports"
JOURNAL = "en_cours.json"
HISTORY = "historique"
IMPORT_LOCK = "import.verrou"
READ_LOCK = "lecture.verrou"
IMPORTABLE_SUFFIXES = (".csv", workbook.SUFFIX)
LOCK_WAIT_SECONDS = 5.0
LOCAL_AUTHOR = "coordination locale"

# Key figures compared in the preview (the scalar keys of impact.indicators.kpis).
CHIFFRES = {
    "heures_travaillees": "Heures travaillées",
    "personnes_employees": "Personnes employées",
    "salaries_en_parcours": "Salariés en parcours (IAE)",
    "etp": "Équivalents temps plein",
    "sorties": "Sorties (IAE)",
    "sorties_examinees": "Sorties examinées",
    "sorties_emploi_durable": "Sorties en emploi durable",
    "sorties_emploi_transition": "Sorties en emploi de transition",
    "sorties_positives": "Sorties positives",
    "taux_sortie_dynamique": "Taux de sortie dynamique",
    "taux_sortie_emploi_durable": "Taux de sortie en emploi durable",
    "chiffre_affaires": "Chiffre d'affaires",
}
# Row identity per table, to tell an added row from a changed one (the loader refuses duplicates of these).
ROW_KEYS = {
    "heures": ["mois", "structure_id", "personne_id", "intervention_id"],
    "chiffre_affaires": ["annee", "structure_id", "marche_id"],
    "jalons": ["date", "titre"],
}
# The column that places a row in time, for "months covered".
PERIOD_COLUMNS = {
    "heures": "mois",
    "parcours": "date_entree",
    "interventions": "date_debut",
    "marches": "date_debut",
    "jalons": "date",
    "chiffre_affaires": "annee",
}

# Test hook: called with the name of each step of a transaction ("preparation", "validation",
# "renommage:<n>", "historique"); tests make it raise or kill the process there.
_HOOK: Callable[[str], None] | None = None


class ImportImpossible(Exception):
    """A French message for the user: the import or undo did not happen and the folder is unchanged."""


# --- Locks -------------------------------------------------------------------------------------------


def _imports_dir(folder: Path) -> Path:
    d = folder / IMPORTS
    d.mkdir(exist_ok=True)
    return d


@contextlib.contextmanager
def _flock(path: Path, mode: int, wait: float) -> Iterator[bool]:
    """fcntl.flock on `path` (released by the system if the process dies); yields False after `wait`
    seconds without it."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        got = False
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, mode | fcntl.LOCK_NB)
                got = True
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                if time.monotonic() >= deadline:
                    break
                time.sleep(0.05)
        try:
            yield got
        finally:
            if got:
                fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


@contextlib.contextmanager
def _import_lock(folder: Path, qui: str, wait: float = LOCK_WAIT_SECONDS) -> Iterator[None]:
    lock = _imports_dir(folder) / IMPORT_LOCK
    with _flock(lock, fcntl.LOCK_EX, wait) as got:
        if not got:
            holder = ""
            with contextlib.suppress(OSError, ValueError):
                info = json.loads(lock.read_text(encoding="utf-8") or "{}")
                holder = f" (commencé par {info['qui']} à {info['depuis'][11:16]})"
            raise ImportImpossible(
                f"Un autre import est en cours sur ce dossier{holder}. Réessayez dans un instant : "
                "les données en place sont inchangées."
            )
        lock.write_text(
            json.dumps({"qui": qui, "depuis": datetime.now().isoformat(timespec="seconds")}),
            encoding="utf-8",
        )
        yield


@contextlib.contextmanager
def lecture(folder: Path, wait: float = 30.0) -> Iterator[None]:
    """Readers (the dashboard's load) hold this shared lock while they read the folder: an import renames
    its files under the exclusive lock, so a reader sees the whole set before or the whole set after.
    A folder no import ever touched (no _imports/, e.g. the embedded demo data) is read without lock."""
    folder = Path(folder)
    if not (folder / IMPORTS).is_dir():
        yield
        return
    with contextlib.ExitStack() as stack:
        try:
            reprendre(folder)
            # after `wait` seconds without the lock, read anyway rather than block the page
            stack.enter_context(_flock(folder / IMPORTS / READ_LOCK, fcntl.LOCK_SH, wait))
        except OSError:
            pass  # a folder the dashboard may not write (read-only copy): no import can run there either
        yield


# --- Files -------------------------------------------------------------------------------------------


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def data_files(folder: Path) -> dict[str, bytes]:
    """The folder's data files (those the loader reads and the import may replace), name -> bytes."""
    return {
        p.name: p.read_bytes()
        for p in sorted(folder.iterdir())
        if p.is_file() and not p.name.startswith(("_", ".")) and p.suffix.lower() in IMPORTABLE_SUFFIXES
    }


def empreinte(folder: Path) -> str:
    """A fingerprint of the contents of the folder's data files (and its reference/ folder)."""
    h = hashlib.sha256()
    for name, data in data_files(folder).items():
        h.update(f"{name}|{_sha(data)}\n".encode())
    ref = folder / "reference"
    if ref.is_dir():
        for p in sorted(ref.glob("*.csv")):
            h.update(f"reference/{p.name}|{_sha(p.read_bytes())}\n".encode())
    return h.hexdigest()[:16]


def _fsync_dir(d: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(d, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _write_durable(path: Path, data: bytes) -> None:
    with open(path, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def _write_json_atomic(path: Path, obj) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    _write_durable(tmp, json.dumps(obj, ensure_ascii=False, indent=1, default=str).encode("utf-8"))
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def _step(name: str) -> None:
    if _HOOK is not None:
        _HOOK(name)


# --- Preview -----------------------------------------------------------------------------------------


@dataclass
class Plan:
    """What an import would change. Small enough to keep in a Streamlit session (no loaded tables)."""

    folder: Path
    writes: dict[str, bytes]  # file name -> new content (added or replaced)
    removals: list[str]  # files removed (only an undo removes the files its import added)
    base: str  # empreinte() of the folder the preview was computed on
    problems: list[Problem]  # validation of the folder after the change
    refused: list[str]  # names refused before any validation
    fichiers: pd.DataFrame  # fichier, action, octets
    lignes: pd.DataFrame  # table, structure, ajoutees, retirees, modifiees, mois_avant, mois_apres
    chiffres: pd.DataFrame  # annee, indicateur, libelle, avant, apres (only the figures that move)
    kind: str = "import"
    annule: str | None = None  # for an undo: the id of the import it cancels
    fraicheur: str | None = None  # the freshness summary after the change (structures that lag)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "erreur"]

    @property
    def ok(self) -> bool:
        """Can be applied: no refused name, and the folder loads (an undo restores exactly, errors or not)."""
        return not self.refused and (not self.errors or self.kind == "annulation") and self.has_changes

    @property
    def has_changes(self) -> bool:
        return bool(self.removals) or any(self.fichiers["action"] != "identique")

    def message(self) -> str:
        if self.refused:
            return (
                "Fichier(s) refusé(s) : "
                + " ; ".join(self.refused)
                + ". Les données en place sont inchangées."
            )
        if self.errors and self.kind != "annulation":
            return (
                f"Import refusé : {fmt.plural(len(self.errors), 'erreur')} dans le dossier qui en résulterait. "
                "Les données en place sont inchangées."
            )
        if not self.has_changes:
            return "Ces fichiers sont identiques à ceux du dossier : rien à importer."
        if self.kind == "annulation":
            return "Vérification réussie : voici ce que l'annulation changerait."
        return "Vérification réussie : voici ce que l'import changerait."


def _frame_key(df: pd.DataFrame, cols: list[str]) -> pd.Series:
    parts = [df[c].astype("string").fillna("") for c in cols]
    return parts[0].str.cat(parts[1:], sep="\x1f") if len(parts) > 1 else parts[0]


def _structure_of(df: pd.DataFrame) -> pd.Series:
    if "structure_id" in df:
        return df["structure_id"].astype("string").fillna("—")
    return pd.Series("—", index=df.index, dtype="string")


def _period_label(values: pd.Series, table: str) -> str:
    v = values.dropna()
    if v.empty:
        return "—"
    if table == "chiffre_affaires":
        lo, hi = int(v.min()), int(v.max())
        return str(lo) if lo == hi else f"{lo} – {hi}"
    lo, hi = pd.Timestamp(v.min()), pd.Timestamp(v.max())
    a, b = fmt.month_short(lo), fmt.month_short(hi)
    return a if a == b else f"{a} – {b}"


def _row_changes(before: LoadResult | None, after: LoadResult | None, tables: set[str]) -> pd.DataFrame:
    rows = []
    for name in sorted(tables):
        t = contract.TABLES[name]
        old = before.tables.get(name) if before is not None else None
        new = after.tables.get(name) if after is not None else None
        cols = [c.name for c in t.columns]
        key = [t.key] if t.key else ROW_KEYS.get(name, cols)
        frames = {}
        for label, df in (("avant", old), ("apres", new)):
            if df is None:
                df = pd.DataFrame(columns=cols)
            df = df[[c for c in cols if c in df]].copy()
            df["_cle"] = _frame_key(df, key) if len(df) else pd.Series(dtype="string")
            df["_valeur"] = _frame_key(df, cols) if len(df) else pd.Series(dtype="string")
            df["_structure"] = _structure_of(df)
            frames[label] = df.drop_duplicates("_cle")
        a, b = frames["avant"], frames["apres"]
        m = a[["_cle", "_valeur", "_structure"]].merge(
            b[["_cle", "_valeur", "_structure"]],
            on="_cle",
            how="outer",
            suffixes=("_a", "_b"),
            indicator=True,
        )
        m["structure"] = m["_structure_b"].fillna(m["_structure_a"])
        m["ajoutee"] = m["_merge"] == "right_only"
        m["retiree"] = m["_merge"] == "left_only"
        m["modifiee"] = (m["_merge"] == "both") & (m["_valeur_a"] != m["_valeur_b"])
        moved = m[m["ajoutee"] | m["retiree"] | m["modifiee"]]
        period = PERIOD_COLUMNS.get(name)
        for structure, part in moved.groupby("structure", sort=True):

            def covered(df, structure=structure, period=period, name=name):
                if period is None or period not in df:
                    return "—"
                return _period_label(df.loc[df["_structure"] == structure, period], name)

            rows.append(
                {
                    "table": name,
                    "structure": structure,
                    "ajoutees": int(part["ajoutee"].sum()),
                    "retirees": int(part["retiree"].sum()),
                    "modifiees": int(part["modifiee"].sum()),
                    "periode_avant": covered(a),
                    "periode_apres": covered(b),
                }
            )
    return pd.DataFrame(
        rows,
        columns=["table", "structure", "ajoutees", "retirees", "modifiees", "periode_avant", "periode_apres"],
    )


def chiffres_par_annee(result: LoadResult | None) -> tuple[dict[tuple[int, str], object], str | None]:
    """The key figures of every year of a loaded folder, (year, key) -> value (impact.indicators.kpis),
    and its freshness summary ("3 structures n'ont pas encore transmis septembre 2026", or None)."""
    if result is None:
        return {}, None
    from impact.db import Database
    from impact.filters import Filtres
    from impact.indicators import fraicheur, kpis, listes

    db = Database(result)
    out: dict[tuple[int, str], object] = {}
    for annee in listes.annees(db):
        k = kpis(db, Filtres.annee(annee))
        for key in CHIFFRES:
            out[(annee, key)] = k[key]
        out[(annee, "donnees_au")] = db.donnees_au
    return out, fraicheur.fraicheur(db).resume()


def _moved_figures(before: dict, after: dict) -> pd.DataFrame:
    rows = []
    for annee, key in sorted(set(before) | set(after)):
        if key == "donnees_au":
            continue
        a, b = before.get((annee, key)), after.get((annee, key))
        if format_chiffre(key, a) == format_chiffre(key, b):  # a move too small to show is no move
            continue
        rows.append({"annee": annee, "indicateur": key, "libelle": CHIFFRES[key], "avant": a, "apres": b})
    au_a = next((v for (_, k), v in before.items() if k == "donnees_au"), None)
    au_b = next((v for (_, k), v in after.items() if k == "donnees_au"), None)
    if au_a != au_b:
        rows.append(
            {"annee": None, "indicateur": "donnees_au", "libelle": "Données au", "avant": au_a, "apres": au_b}
        )
    return pd.DataFrame(rows, columns=["annee", "indicateur", "libelle", "avant", "apres"])


def _current(folder: Path) -> LoadResult | None:
    """What visitors see now: the folder when it loads, else the last good copy kept by impact.state."""
    result = load_folder(folder)
    if result.ok:
        return result
    from impact.state import read_snapshot

    return read_snapshot(folder)


def _tables_of(name: str, content: bytes | None) -> set[str]:
    """The tables a file brings: its name's table for a CSV, its sheets' tables for a workbook."""
    if workbook.is_workbook(name) and content is not None:
        return {sheet.table for sheet in workbook.read_workbook(content, name)[0]}
    table = contract.table_for_file(Path(name).stem)
    return {table} if table else set()


def _check_names(files: dict[str, bytes]) -> list[str]:
    refused = []
    for name in files:
        base = Path(name).name
        if base != name or base.startswith(("_", ".")):
            refused.append(f"{name} (nom de fichier non admis)")
        elif Path(base).suffix.lower() not in IMPORTABLE_SUFFIXES:
            refused.append(f"{name} (format non pris en charge : {', '.join(IMPORTABLE_SUFFIXES)} attendu)")
        elif not workbook.is_workbook(base) and contract.table_for_file(Path(base).stem) is None:
            # a workbook is read by its sheets' names (impact/workbook.py), a CSV by its file name
            refused.append(f"{name} (nom sans table connue : {', '.join(contract.TABLES)})")
    return refused


def preparer(
    folder: Path | str,
    files: dict[str, bytes],
    *,
    removals: list[str] = (),
    kind: str = "import",
    annule: str | None = None,
) -> Plan:
    """Validates `files` (name -> content) with the rest of the folder and computes the preview. Writes
    nothing into the folder."""
    folder = Path(folder)
    reprendre(folder)
    refused = _check_names(files)
    base = empreinte(folder)
    current = data_files(folder)
    fichiers = pd.DataFrame(
        [
            {
                "fichier": n,
                "action": (
                    "ajout" if n not in current else "identique" if current[n] == c else "remplacement"
                ),
                "octets": len(c),
            }
            for n, c in files.items()
        ]
        + [{"fichier": n, "action": "suppression", "octets": 0} for n in removals],
        columns=["fichier", "action", "octets"],
    )
    empty = Plan(
        folder,
        dict(files),
        list(removals),
        base,
        [],
        refused,
        fichiers,
        _row_changes(None, None, set()),
        _moved_figures({}, {}),
        kind,
        annule,
    )
    if refused:
        return empty
    with tempfile.TemporaryDirectory(prefix="impact-import-") as tmp:
        trial = Path(tmp) / "essai"
        shutil.copytree(folder, trial, ignore=shutil.ignore_patterns(ARCHIVES, IMPORTS, ".*"))
        for name, content in files.items():
            (trial / name).write_bytes(content)
        for name in removals:
            (trial / name).unlink(missing_ok=True)
        after = load_folder(trial)
    empty.problems = after.problems
    if after.errors and kind != "annulation":
        return empty
    before = _current(folder)
    # A file taken away (an undone import's) brings the tables its content holds now: a workbook's sheets.
    touched = {t for n, c in files.items() for t in _tables_of(n, c)}
    touched |= {t for n in removals for t in _tables_of(n, current.get(n))}
    empty.lignes = _row_changes(before, after, touched)
    avant, _ = chiffres_par_annee(before)
    apres, empty.fraicheur = chiffres_par_annee(after if after.ok else None)
    empty.chiffres = _moved_figures(avant, apres)
    return empty


# --- Apply -------------------------------------------------------------------------------------------


def _new_id(folder: Path, now: datetime) -> str:
    stamp = now.strftime("%Y%m%d-%H%M%S")
    ident, n = stamp, 1
    while (folder / ARCHIVES / ident).exists() or (folder / IMPORTS / HISTORY / f"{ident}.json").exists():
        n += 1
        ident = f"{stamp}-{n}"
    return ident


def _tmp_name(name: str, ident: str) -> str:
    return f".{name}.{ident}.tmp"


def appliquer(
    plan: Plan,
    *,
    qui: str | None = None,
    now: datetime | None = None,
    wait: float = LOCK_WAIT_SECONDS,
) -> dict:
    """Applies a plan as one step (see the module docstring); returns its history entry.

    Raises ImportImpossible (a French message; the folder unchanged) when the plan cannot be applied, when
    another import holds the folder for more than `wait` seconds, or when the folder changed since the
    preview."""
    if not plan.ok:
        raise ImportImpossible(plan.message())
    folder = plan.folder
    qui = qui or LOCAL_AUTHOR
    with _import_lock(folder, qui, wait):
        reprendre(folder, locked=True)
        if empreinte(folder) != plan.base:
            raise ImportImpossible(
                "Le dossier a changé depuis la vérification (un autre import ?) : vérifiez à nouveau les "
                "fichiers. Les données en place sont inchangées."
            )
        now = now or datetime.now()
        ident = _new_id(folder, now)
        current = data_files(folder)
        entries = []
        for name, content in plan.writes.items():
            if current.get(name) == content:
                continue
            entries.append(
                {
                    "fichier": name,
                    "action": "remplacement" if name in current else "ajout",
                    "sha256_avant": _sha(current[name]) if name in current else None,
                    "sha256_apres": _sha(content),
                    "octets": len(content),
                }
            )
        for name in plan.removals:
            if name in current:
                entries.append(
                    {
                        "fichier": name,
                        "action": "suppression",
                        "sha256_avant": _sha(current[name]),
                        "sha256_apres": None,
                        "octets": 0,
                    }
                )
        record = {
            "id": ident,
            "type": plan.kind,
            "annule": plan.annule,
            "qui": qui,
            "quand": now.isoformat(timespec="seconds"),
            "archive": f"{ARCHIVES}/{ident}",
            "fichiers": entries,
            "lignes": plan.lignes.to_dict("records"),
            "chiffres": plan.chiffres.to_dict("records"),
        }
        journal = folder / IMPORTS / JOURNAL
        # 1. Preparation: the journal first (so that a crash is always cleaned up), then the archive copies
        #    and the new contents beside their final place. The data files are not touched.
        _write_json_atomic(journal, {"etat": "preparation", **record})
        try:
            _step("preparation")
            archive = folder / ARCHIVES / ident
            for e in entries:
                if e["action"] != "ajout":
                    archive.mkdir(parents=True, exist_ok=True)
                    _write_durable(archive / e["fichier"], current[e["fichier"]])
                if e["action"] != "suppression":
                    _write_durable(folder / _tmp_name(e["fichier"], ident), plan.writes[e["fichier"]])
            _fsync_dir(folder)
            if archive.exists():
                _fsync_dir(archive)
            _step("validation")
        except BaseException:
            _rollback(folder, {"etat": "preparation", **record})
            raise
        # 2. Commit point: from here the import completes, now or at the next start.
        with _flock(folder / IMPORTS / READ_LOCK, fcntl.LOCK_EX, 60.0):
            _write_json_atomic(journal, {"etat": "application", **record})
            _roll_forward(folder, {"etat": "application", **record})
        return record


def _rollback(folder: Path, journal: dict) -> None:
    ident = journal["id"]
    for e in journal["fichiers"]:
        (folder / _tmp_name(e["fichier"], ident)).unlink(missing_ok=True)
    shutil.rmtree(folder / ARCHIVES / ident, ignore_errors=True)
    (folder / IMPORTS / JOURNAL).unlink(missing_ok=True)
    _fsync_dir(folder)


def _roll_forward(folder: Path, journal: dict) -> None:
    ident = journal["id"]
    for n, e in enumerate(journal["fichiers"], start=1):
        final = folder / e["fichier"]
        if e["action"] == "suppression":
            final.unlink(missing_ok=True)
        else:
            tmp = folder / _tmp_name(e["fichier"], ident)
            if tmp.exists():  # already renamed when an interrupted roll-forward is resumed
                os.replace(tmp, final)
        _step(f"renommage:{n}")
    _fsync_dir(folder)
    _step("historique")
    record = {k: v for k, v in journal.items() if k != "etat"}
    history = folder / IMPORTS / HISTORY
    history.mkdir(parents=True, exist_ok=True)
    _write_json_atomic(history / f"{ident}.json", record)
    (folder / IMPORTS / JOURNAL).unlink(missing_ok=True)
    _fsync_dir(folder / IMPORTS)


def reprendre(folder: Path | str, *, locked: bool = False) -> str | None:
    """Finishes or undoes a transaction interrupted by a crash (journal left in _imports/): before the
    commit point the folder goes back to before, after it forward to after. Returns what was done (French)
    or None. Does nothing while another process holds the import lock (its transaction is alive)."""
    folder = Path(folder)
    journal_path = folder / IMPORTS / JOURNAL
    if not journal_path.exists():
        return None
    if not locked:
        with _flock(_imports_dir(folder) / IMPORT_LOCK, fcntl.LOCK_EX, 0.0) as got:
            if not got:
                return None
            return reprendre(folder, locked=True)
    try:
        journal = json.loads(journal_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        # The journal is written atomically: an unreadable one can only be a preparation never started.
        journal_path.unlink(missing_ok=True)
        return None
    if journal.get("etat") == "application":
        with _flock(folder / IMPORTS / READ_LOCK, fcntl.LOCK_EX, 60.0):
            _roll_forward(folder, journal)
        return f"import {journal['id']} interrompu après sa validation : terminé"
    _rollback(folder, journal)
    return f"import {journal['id']} interrompu avant sa validation : annulé, dossier inchangé"


# --- History and undo --------------------------------------------------------------------------------


def historique(folder: Path | str) -> list[dict]:
    """Every import and undo of the folder, newest first; each entry gains `annule_par` (the id of the undo
    that cancelled it, or None)."""
    folder = Path(folder)
    d = folder / IMPORTS / HISTORY
    if not d.is_dir():
        return []
    entries = []
    for p in d.glob("*.json"):
        with contextlib.suppress(OSError, ValueError):
            entries.append(json.loads(p.read_text(encoding="utf-8")))
    entries.sort(key=lambda e: (e["quand"], e["id"]), reverse=True)
    undone = {e["annule"]: e["id"] for e in entries if e.get("type") == "annulation" and e.get("annule")}
    for e in entries:
        e["annule_par"] = undone.get(e["id"])
    return entries


def preparer_annulation(folder: Path | str, ident: str | None = None) -> Plan:
    """The plan that restores exactly the files an import replaced or added (the last one not yet undone
    by default). Refused when a later import changed one of its files since."""
    folder = Path(folder)
    reprendre(folder)
    entries = historique(folder)
    if ident is None:
        todo = [e for e in entries if e["type"] == "import" and not e["annule_par"]]
        if not todo:
            raise ImportImpossible("Aucun import à annuler dans ce dossier.")
        entry = todo[0]
    else:
        entry = next((e for e in entries if e["id"] == ident), None)
        if entry is None:
            raise ImportImpossible(f"Import « {ident} » introuvable dans l'historique de ce dossier.")
    if entry["annule_par"]:
        raise ImportImpossible(f"L'import {entry['id']} a déjà été annulé (par {entry['annule_par']}).")
    current = data_files(folder)
    writes: dict[str, bytes] = {}
    removals: list[str] = []
    for e in entry["fichiers"]:
        name = e["fichier"]
        now_sha = _sha(current[name]) if name in current else None
        if now_sha != e["sha256_apres"]:
            later = next(
                (
                    x["id"]
                    for x in entries
                    if x["quand"] >= entry["quand"]
                    and x["id"] != entry["id"]
                    and any(f["fichier"] == name for f in x["fichiers"])
                ),
                None,
            )
            raise ImportImpossible(
                f"Le fichier {name} a changé depuis l'import {entry['id']}"
                + (f" (import {later})" if later else "")
                + " : annulez d'abord les imports plus récents. Rien n'a été modifié."
            )
        if e["action"] == "ajout":
            removals.append(name)
        else:
            previous = folder / entry["archive"] / name
            try:
                data = previous.read_bytes()
            except OSError as exc:
                raise ImportImpossible(
                    f"L'ancienne version de {name} manque dans {entry['archive']} : annulation impossible."
                ) from exc
            if _sha(data) != e["sha256_avant"]:
                raise ImportImpossible(
                    f"L'ancienne version de {name} dans {entry['archive']} a été modifiée : annulation impossible."
                )
            writes[name] = data
    return preparer(folder, writes, removals=removals, kind="annulation", annule=entry["id"])


def annuler(folder: Path | str, ident: str | None = None, *, qui: str | None = None, now=None) -> dict:
    return appliquer(preparer_annulation(folder, ident), qui=qui, now=now)


# --- French text of a plan or an entry (command line and page) ---------------------------------------


def format_chiffre(key: str, value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "—"
    if key == "donnees_au":
        return fmt.day(value if isinstance(value, date) else date.fromisoformat(str(value)))
    if key.startswith("taux_"):
        return fmt.percent(value)
    if key == "etp":
        return fmt.etp(value)
    if key == "chiffre_affaires":
        return fmt.euros(value)
    if key == "heures_travaillees":
        return fmt.hours(value)
    return fmt.integer(value)


def chiffres_lisibles(chiffres: pd.DataFrame | list[dict]) -> pd.DataFrame:
    """année, indicateur, avant, après, écart — French-formatted, for a table or a terminal."""
    df = pd.DataFrame(chiffres, columns=["annee", "indicateur", "libelle", "avant", "apres"])
    rows = []
    for r in df.itertuples():
        ecart = "—"
        if r.indicateur != "donnees_au" and r.avant is not None and r.apres is not None:
            try:
                # The difference of the figures as printed: 97,2 → 97,4 ETP is +0,2, never +0,3.
                places = {"etp": 1, "heures_travaillees": 0, "chiffre_affaires": 0}.get(r.indicateur)
                a, b = float(r.avant), float(r.apres)
                d = b - a if places is None else round(b, places) - round(a, places)
                ecart = ("+" if d > 0 else "−") + format_chiffre(r.indicateur, abs(d))
            except (TypeError, ValueError):
                pass
        rows.append(
            {
                "année": "—" if pd.isna(r.annee) else str(int(r.annee)),
                "indicateur": r.libelle,
                "avant": format_chiffre(r.indicateur, r.avant),
                "après": format_chiffre(r.indicateur, r.apres),
                "écart": ecart,
            }
        )
    return pd.DataFrame(rows, columns=["année", "indicateur", "avant", "après", "écart"])


def lignes_lisibles(lignes: pd.DataFrame | list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(
        lignes,
        columns=["table", "structure", "ajoutees", "retirees", "modifiees", "periode_avant", "periode_apres"],
    )
    counts = ["ajoutees", "retirees", "modifiees"]
    df[counts] = df[counts].map(fmt.integer)  # "2 130", as every count of the dashboard
    return df.rename(
        columns={
            "ajoutees": "lignes ajoutées",
            "retirees": "lignes retirées",
            "modifiees": "lignes modifiées",
            "periode_avant": "période avant",
            "periode_apres": "période après",
        }
    )


def resume_entree(e: dict) -> str:
    """One French line for a history entry."""
    quand = datetime.fromisoformat(e["quand"])
    what = "Annulation de l'import " + e["annule"] if e["type"] == "annulation" else "Import"
    files = ", ".join(f"{f['fichier']} ({f['action']})" for f in e["fichiers"])
    line = f"{e['id']} — {what} du {fmt.moment(quand)} par {e['qui']} : {files}"
    if e.get("annule_par"):
        line += f" — annulé par {e['annule_par']}"
    return line


# --- Compatibility: the one-call import of the first Données page ------------------------------------


@dataclass
class ImportOutcome:
    applied: bool
    check: LoadResult | None
    archived_to: Path | None
    message: str
    plan: Plan | None = None
    entry: dict = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        return self.plan.errors if self.plan else []


def import_files(
    folder: Path, files: dict[str, bytes], *, now: datetime | None = None, qui: str | None = None
) -> ImportOutcome:
    """Validates then applies in one call (command line without preview, older callers)."""
    folder = Path(folder)
    plan = preparer(folder, files)
    check = LoadResult(folder, {}, {}, plan.problems, [], "")
    if not plan.ok:
        return ImportOutcome(False, check, None, plan.message(), plan)
    entry = appliquer(plan, qui=qui, now=now)
    archive = folder / entry["archive"]
    replaced = [f["fichier"] for f in entry["fichiers"] if f["action"] == "remplacement"]
    msg = f"{fmt.plural(len(entry['fichiers']), 'fichier')} importé(s) (import {entry['id']})."
    if replaced:
        msg += f" Les anciennes versions de {', '.join(replaced)} sont copiées dans {archive}."
    return ImportOutcome(True, check, archive if replaced else None, msg, plan, entry)
