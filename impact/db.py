"""The DuckDB database of one data version, and run(query_name, **params) over queries/*.sql."""

from __future__ import annotations

import re
from functools import cache

import duckdb
import pandas as pd

from impact import QUERIES_DIR
from impact.contract import TABLES
from impact.load import LoadResult

PARAM_RE = re.compile(r"\$([a-z_][a-z0-9_]*)")
SCHEMA_FILE = "_schema.sql"


@cache
def query_text(name: str) -> str:
    path = QUERIES_DIR / f"{name}.sql"
    if not path.exists():
        raise KeyError(f"requête inconnue : {name}")
    return path.read_text(encoding="utf-8")


def query_description(name: str) -> str:
    """The header comment of a query file: what question it answers."""
    lines = []
    for line in query_text(name).splitlines():
        if not line.startswith("--"):
            break
        lines.append(line[2:].strip())
    return " ".join(lines).strip()


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
    """One in-memory DuckDB per data version; every query opens its own cursor (thread-safe use)."""

    def __init__(self, result: LoadResult):
        self.result = result
        self.version = result.version
        self.donnees_au = result.donnees_au
        self.con = duckdb.connect(":memory:")
        for name in TABLES:
            df = result.tables.get(name)
            df = (
                _empty_table(name) if df is None else df.drop(columns=["_fichier", "_ligne"], errors="ignore")
            )
            self._create(name, df)
        for name, df in result.reference.items():
            self._create(f"ref_{name}", df)
        self.con.execute(query_text(SCHEMA_FILE.removesuffix(".sql")))

    def _create(self, name: str, df: pd.DataFrame) -> None:
        # Dates become DATE in SQL, without a copy of the frame. Names come from the contract, not user input.
        cols = ", ".join(
            f'CAST("{c}" AS DATE) AS "{c}"' if str(df[c].dtype).startswith("datetime64") else f'"{c}"'
            for c in df.columns
        )
        self.con.register("_tmp", df)
        self.con.execute(f'CREATE TABLE "{name}" AS SELECT {cols} FROM _tmp')
        self.con.unregister("_tmp")

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
