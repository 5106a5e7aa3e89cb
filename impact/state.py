"""Which data the dashboard serves: the configured folder when it loads, otherwise the last good copy.

Every successful load is kept as a snapshot (parquet) in the state folder, the previous snapshot being
kept beside it, so a broken export never takes the figures away and nothing is overwritten without a copy.
The snapshot also records the fingerprint of the files' content (and of the loader's code): a folder whose
content has not changed since is served from its snapshot without being read and checked again, and any
change of any byte reads it again.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from impact import DEMO_DIR, GEO_DIR, REFERENCE_DIR, ROOT
from impact.load import ERROR, LoadResult, Problem, load_folder


def data_folder() -> Path:
    """The folder to serve: $IMPACT_DATA, else the embedded demo data."""
    return Path(os.environ.get("IMPACT_DATA") or DEMO_DIR).expanduser().resolve()


def state_dir() -> Path:
    return Path(os.environ.get("IMPACT_STATE") or ROOT / ".etat").expanduser().resolve()


def is_demo(folder: Path) -> bool:
    return folder.resolve() == DEMO_DIR.resolve()


def _slot(folder: Path, base: Path) -> Path:
    return base / ("instantane_" + hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:12])


# What decides how a folder reads: the loader's code and the reference files (a change re-checks every folder).
_LOADER_SOURCES = ("load.py", "workbook.py", "contract.py", "geo.py", "state.py")


def _loader_fingerprint(h) -> None:
    here = Path(__file__).parent
    for name in _LOADER_SOURCES:
        h.update((here / name).read_bytes())
    for p in sorted(REFERENCE_DIR.glob("*.csv")):
        h.update(p.name.encode() + b"\0" + p.read_bytes())
    for p in sorted(GEO_DIR.rglob("*")):
        if p.is_file():
            st = p.stat()
            h.update(f"{p.relative_to(GEO_DIR)}|{st.st_size}|{st.st_mtime_ns}\n".encode())


def content_fingerprint(folder: Path) -> str | None:
    """A digest of every file the loader reads in the folder (CSV files and reference/), byte for byte,
    with the loader's own code. None when the folder cannot be read."""
    h = hashlib.sha256()
    try:
        _loader_fingerprint(h)
        paths = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(("_", ".")))
        ref = folder / "reference"
        if ref.is_dir():
            paths += sorted(p for p in ref.iterdir() if p.is_file())
        for p in paths:
            with p.open("rb") as f:
                digest = hashlib.file_digest(f, "sha256").hexdigest()
            h.update(f"{p.relative_to(folder)}|{digest}\n".encode())
    except OSError:
        return None
    return h.hexdigest()


def save_snapshot(result: LoadResult, base: Path | None = None, fingerprint: str | None = None) -> Path:
    base = base or state_dir()
    slot = _slot(result.folder, base)
    tmp = slot.with_name(slot.name + ".ecriture")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    for name, df in result.tables.items():
        df.to_parquet(tmp / f"{name}.parquet", index=False)
    for name, df in result.reference.items():
        df.to_parquet(tmp / f"ref_{name}.parquet", index=False)
    manifest = {
        "dossier": str(result.folder),
        "version": result.version,
        "charge_le": datetime.now().isoformat(timespec="seconds"),
        "donnees_au": result.donnees_au.isoformat() if result.donnees_au else None,
        "fichiers": result.files,
        "empreinte": fingerprint,
        "problemes": [[p.file, p.line, p.column, p.message, p.severity] for p in result.problems],
    }
    (tmp / "manifeste.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    prev = slot.with_name(slot.name + ".precedent")
    if slot.exists():
        shutil.rmtree(prev, ignore_errors=True)
        slot.rename(prev)
    tmp.rename(slot)
    return slot


class SnapshotTables(dict):
    """The tables of a snapshot, each read from its parquet file when it is asked for, and not kept: the
    database reads the files itself, and the server holds no copy of a table between two uses (the hours of a
    100× folder are 250 MB as a frame)."""

    def __init__(self, paths: dict[str, Path], fingerprint: str | None = None):
        """fingerprint: the content these tables are (manifest's "empreinte"), to find them once a newer load
        has taken their place and moved them to the previous copy."""
        super().__init__(dict.fromkeys(paths))
        self.paths = paths
        self.fingerprint = fingerprint

    def read(self, name: str, columns: list[str] | None = None, filters: list | None = None) -> pd.DataFrame:
        """The table, or only these columns and the rows that pass pyarrow's filters."""
        path = self.paths[name]
        slot = path.parent
        moved = not path.exists() or (
            self.fingerprint is not None and (_manifest_at(slot) or {}).get("empreinte") != self.fingerprint
        )
        if moved:  # the slot holds a newer load since: these tables are the previous copy
            path = slot.with_name(slot.name + ".precedent") / path.name
        return pd.read_parquet(path, columns=columns, filters=filters)

    def __getitem__(self, name: str) -> pd.DataFrame:
        if not dict.__contains__(self, name):
            raise KeyError(name)
        return self.read(name)

    def get(self, name, default=None):
        return self[name] if name in self else default  # noqa: SIM401 (dict.get would skip the reading)

    def items(self):
        return [(name, self[name]) for name in self]

    def values(self):
        return [self[name] for name in self]


def read_columns(
    tables: dict, name: str, columns: list[str], filters: list | None = None
) -> pd.DataFrame | None:
    """Some columns of a loaded table (None when the folder has no such table): read from the snapshot's file
    alone when the tables are a snapshot's, so that a check on a few columns does not read the whole table."""
    if name not in tables:
        return None
    if isinstance(tables, SnapshotTables):
        return tables.read(name, columns, filters)
    df = tables[name]
    return df[[c for c in columns if c in df.columns]]


def database_path(result: LoadResult, base: Path | None = None) -> Path | None:
    """Where the DuckDB database of this content is kept (None: the content has no fingerprint). Its name
    carries the fingerprint, the shared SQL definitions and DuckDB's version: any change builds it again."""
    if not result.fingerprint:
        return None
    import duckdb

    from impact.db import SCHEMA_FILE, query_text

    h = hashlib.sha256(result.fingerprint.encode())
    h.update(query_text(SCHEMA_FILE.removesuffix(".sql")).encode())
    h.update(duckdb.__version__.encode())
    return _slot(result.folder, base or state_dir()) / f"base_{h.hexdigest()[:16]}.duckdb"


def _manifest(folder: Path, base: Path | None) -> dict | None:
    return _manifest_at(_slot(folder, base or state_dir()))


def _manifest_at(slot: Path) -> dict | None:
    try:
        return json.loads((slot / "manifeste.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def snapshot_holds(folder: Path, result: LoadResult, base: Path | None = None) -> bool:
    """Whether the folder's saved copy (the last good data, served when the folder breaks) is the content of
    `result`, a current load kept in memory. Not when the folder changed and came back (an import, then its
    undo): the copy then holds the content in between. True when nothing can tell (no copy, no fingerprint)."""
    if result.fingerprint is None or result.loaded_from_snapshot:
        return True
    saved = _saved_fingerprint(_slot(folder, base or state_dir()))
    return saved is None or saved == result.fingerprint


_FINGERPRINTS: dict[Path, tuple[tuple, str | None]] = {}


def _saved_fingerprint(slot: Path) -> str | None:
    """The fingerprint of the slot's saved copy, read again only when its manifest file changed (checked on
    every page run: the manifest of a 100-times folder, 0,4 Mo, takes 5 ms to parse)."""
    path = slot / "manifeste.json"
    try:
        st = path.stat()
    except OSError:
        return None
    key = (st.st_mtime_ns, st.st_size, st.st_ino)
    kept = _FINGERPRINTS.get(path)
    if kept is None or kept[0] != key:
        manifest = _manifest_at(slot)
        kept = (key, None if manifest is None else manifest.get("empreinte"))
        _FINGERPRINTS[path] = kept
    return kept[1]


def read_snapshot(folder: Path, base: Path | None = None, *, current: bool = False) -> LoadResult | None:
    """The last good load of the folder. current=True: the folder still holds exactly those files, the
    snapshot stands for them (its warnings included); otherwise it is the fallback for a broken folder."""
    slot = _slot(folder, base or state_dir())
    manifest = _manifest(folder, base)
    if manifest is None:
        return None
    paths, reference = {}, {}
    for p in sorted(slot.glob("*.parquet")):
        if p.stem.startswith("ref_"):
            reference[p.stem.removeprefix("ref_")] = pd.read_parquet(p)
        else:
            paths[p.stem] = p
    au = manifest.get("donnees_au")
    problems = [Problem(*p) for p in manifest.get("problemes", [])] if current else []
    return LoadResult(
        folder=folder,
        tables=SnapshotTables(paths, manifest.get("empreinte")),
        reference=reference,
        problems=problems,
        files=manifest.get("fichiers", []),
        version=manifest["version"] if current else "instantane-" + manifest["version"],
        donnees_au=date.fromisoformat(au) if au else None,
        loaded_from_snapshot=not current,
        snapshot_info=manifest,
        fingerprint=manifest.get("empreinte"),
    )


@dataclass
class Served:
    """What the dashboard shows (`result`, None when nothing ever loaded) and the latest attempt."""

    result: LoadResult | None
    attempt: LoadResult

    @property
    def fallback(self) -> bool:
        return self.result is not None and self.result.loaded_from_snapshot


def serve(folder: Path, base: Path | None = None) -> Served:
    fingerprint = content_fingerprint(folder) if folder.is_dir() else None
    if fingerprint is not None:
        manifest = _manifest(folder, base)
        if manifest is not None and manifest.get("empreinte") == fingerprint:
            kept = read_snapshot(folder, base, current=True)
            if kept is not None and not any(p.severity == ERROR for p in kept.problems):
                return Served(kept, kept)
    attempt = load_folder(folder)
    if attempt.ok:
        try:
            slot = save_snapshot(attempt, base, fingerprint)
        except OSError:
            return Served(attempt, attempt)  # a read-only state folder must not stop the dashboard
        # From now on the tables are read from the snapshot when needed: no second copy in memory.
        attempt.tables = SnapshotTables(
            {name: slot / f"{name}.parquet" for name in attempt.tables}, fingerprint
        )
        attempt.fingerprint = fingerprint
        return Served(attempt, attempt)
    return Served(read_snapshot(folder, base), attempt)
