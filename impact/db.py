"""The DuckDB database of one data version, and run(query_name, **params) over queries/*.sql."""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import re
import threading
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from impact import QUERIES_DIR
from impact.contract import TABLES
from impact.load import LoadResult

PARAM_RE = re.compile(r"\$([a-z_][a-z0-9_]*)")
SCHEMA_FILE = "_schema.sql"
KEPT_RESULTS_MAX = 5000  # results kept on disk per data version (each filter set of each page: a few hundred)


@cache
def code_fingerprint() -> str:
    """A digest of the code that turns a database into figures (the package and its SQL files): a result
    kept on disk is read back only by the code that computed it."""
    h = hashlib.sha256()
    package = Path(__file__).parent
    for p in sorted([*package.rglob("*.py"), *QUERIES_DIR.glob("*.sql")]):
        h.update(p.name.encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


@cache
def query_text(name: str) -> str:
    path = QUERIES_DIR / f"{name}.sql"
    if not path.exists():
        raise KeyError(f"requête inconnue : {name}")
    return path.read_text(encoding="utf-8")


def _empty_table(name: str) -> pd.DataFrame:
    from impact import contract

    kinds = {
        contract.DECIMAL: "Float64",
        contract.INT: "Int64",
        contract.DATE: "datetime64[s]",
        contract.MONTH: "datetime64[s]",
        contract.BOOL: "boolean",
    }
    cols = {c.name: pd.Series(dtype=kinds.get(c.kind, "string")) for c in TABLES[name].columns}
    df = pd.DataFrame(cols)
    if name == "interventions":
        df["commune_localisee"] = pd.Series(dtype="string")
    return df


class Database:
    """One DuckDB database per data version; every query opens its own cursor (thread-safe use)."""

    # While the tables are built, DuckDB keeps at most this much in memory (the rest goes to disk).
    BUILD_MEMORY = "400MB"

    def __init__(self, result: LoadResult, path: Path | None = None):
        """path: a database file kept for this content (state.database_path): opened read-only when it
        exists, otherwise built straight into it (compressed, on disk: a 100× folder peaks at about 0,4 GB
        instead of 0,9 GB in memory), so that a restart opens it at once. Without a path, or when the state
        folder cannot be written, the database lives in memory."""
        self.result = result
        self.version = result.version
        self.donnees_au = result.donnees_au
        # The page results computed on this database, kept beside its file (see remember).
        self.results_dir = None if path is None else path.with_name(f"{path.stem}_resultats")
        self._kept: int | None = None
        self._lock = threading.Lock()
        # Optional tables the folder has no file for: their figures are "non renseigné" (None), never 0.
        self.absent = frozenset(name for name in TABLES if name not in result.tables)
        if path is not None and path.exists():
            try:
                self.con = duckdb.connect(str(path), read_only=True)
                self._freshness()
                return
            except duckdb.Error:
                pass  # unreadable (a copy cut short): built again below
        if path is not None:
            try:
                self._build_file(path)
                self._freshness()
                return
            except (OSError, duckdb.Error):
                pass  # a read-only or full state folder: built in memory below
        self.con = duckdb.connect(":memory:")
        self._build()
        self._freshness()

    def _build(self) -> None:
        parquet = getattr(self.result.tables, "paths", {})
        for name in TABLES:
            if name in parquet:  # kept in the state folder: read by DuckDB, without pandas
                self._create(name, None, parquet[name])
                continue
            df = self.result.tables.get(name)
            df = (
                _empty_table(name) if df is None else df.drop(columns=["_fichier", "_ligne"], errors="ignore")
            )
            self._create(name, df)
        for name, df in self.result.reference.items():
            self._create(f"ref_{name}", df)
        self.con.execute(query_text(SCHEMA_FILE.removesuffix(".sql")))

    def _build_file(self, path: Path) -> None:
        """Builds the database in a file of its own, then renames it to path: a reader (another session, a
        restart) sees the whole database or none, and a build cut short leaves only its temporary file."""
        tmp = path.with_name(f"{path.name}.{os.getpid()}.ecriture")
        for left in path.parent.glob(f"{path.name}.*.ecriture*"):  # a build cut short by a stop
            left.unlink(missing_ok=True)
        self.con = duckdb.connect(str(tmp), config={"memory_limit": self.BUILD_MEMORY})
        try:
            self._build()
            self.con.close()
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(duckdb.Error):
                self.con.close()
            for left in (tmp, tmp.with_name(tmp.name + ".wal")):
                left.unlink(missing_ok=True)
            raise
        self.con = duckdb.connect(str(path), read_only=True)

    def _freshness(self) -> None:
        # "données au" is defined once, over the structures' freshness (queries/fraicheur_structures.sql).
        from impact.indicators import fraicheur

        self.donnees_au = fraicheur.donnees_au(self)

    def _create(self, name: str, df: pd.DataFrame | None, parquet: Path | None = None) -> None:
        # Dates become DATE in SQL, without a copy of the frame. Names come from the contract, not user input.
        if parquet is not None:
            types = self.con.execute(
                "DESCRIBE SELECT * FROM read_parquet($p)", {"p": str(parquet)}
            ).fetchall()
            cols = ", ".join(
                f'CAST("{c}" AS DATE) AS "{c}"' if t.startswith("TIMESTAMP") else f'"{c}"'
                for c, t, *_ in types
                if c not in ("_fichier", "_ligne")
            )
            self.con.execute(
                f'CREATE TABLE "{name}" AS SELECT {cols} FROM read_parquet($p)', {"p": str(parquet)}
            )
            return
        cols = ", ".join(
            f'CAST("{c}" AS DATE) AS "{c}"' if str(df[c].dtype).startswith("datetime64") else f'"{c}"'
            for c in df.columns
        )
        self.con.register("_tmp", pa.Table.from_pandas(df, preserve_index=False))  # Arrow: no per-value copy
        self.con.execute(f'CREATE TABLE "{name}" AS SELECT {cols} FROM _tmp')
        self.con.unregister("_tmp")

    def remember(self, key: tuple, compute):
        """compute(), also kept on disk beside the database file, so that a restart on the same content
        (same database file) with the same code (code_fingerprint) reads the figures back instead of
        computing them again. The file's name is a digest of the code and of key (the function and its
        arguments): any change of the data (a new database file), of the code or of an argument is a new
        name, never a stale figure. Without a database file (or without a data date, when figures depend on
        today's date) nothing is kept; a result that cannot be kept or read back is simply computed."""
        if self.results_dir is None or self.donnees_au is None:
            return compute()
        try:
            name = hashlib.sha256(pickle.dumps((code_fingerprint(), key))).hexdigest()[:40]
        except (pickle.PicklingError, TypeError, AttributeError):
            return compute()
        path = self.results_dir / f"{name}.pickle"
        try:
            with path.open("rb") as f:
                return pickle.load(f)
        except Exception:  # noqa: BLE001, S110 - absent, cut short or unreadable: computed and written below
            pass
        value = compute()
        self._keep(path, value)
        return value

    def _keep(self, path: Path, value) -> None:
        with self._lock:
            if self._kept is None:
                try:
                    self._kept = sum(1 for _ in os.scandir(self.results_dir))
                except OSError:
                    self._kept = 0
            if self._kept >= KEPT_RESULTS_MAX:
                return
            self._kept += 1
        tmp = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.ecriture")
        try:
            data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
            self.results_dir.mkdir(exist_ok=True)
            tmp.write_bytes(data)
            os.replace(tmp, path)  # a reader sees the whole result or none
        except (OSError, pickle.PicklingError, TypeError, AttributeError):
            tmp.unlink(missing_ok=True)

    def run(self, name: str, **params) -> pd.DataFrame:
        sql = query_text(name)
        wanted = set(PARAM_RE.findall(sql))
        missing = wanted - set(params)
        if missing:
            raise TypeError(f"{name}: paramètres manquants {sorted(missing)}")
        with self.con.cursor() as cur:
            return cur.execute(sql, {k: v for k, v in params.items() if k in wanted}).df()

    def scalar(self, name: str, **params):
        df = self.run(name, **params)
        return None if df.empty else df.iat[0, 0]
