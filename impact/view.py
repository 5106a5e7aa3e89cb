"""What a page reads: the served data (loaded once per folder content, shared by every session), the
calls to impact.indicators cached per data version and arguments, and the page's Context (data, filters,
presentation mode, role).

Changes when loading or caching changes; the sidebar is impact.sidebar, the figure blocks impact.ui.
"""

from __future__ import annotations

import importlib
import runpy
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd
import streamlit as st

from impact import DEMO_DIR, ROOT, privacy
from impact.db import Database
from impact.filters import Filtres
from impact.importer import lecture
from impact.load import folder_version
from impact.state import Served, data_folder, database_path, is_demo, serve

_DATABASES: dict[str, Database] = {}
ENTRY_POINT = ROOT / "dashboard.py"


@dataclass
class Context:
    db: Database
    filtres: Filtres
    presentation: bool
    folder: Path
    served: Served
    annees: list[int]
    communes: dict[str, str]
    role: str = "coordination"

    @property
    def masked(self) -> bool:
        """Small counts masked (impact.privacy): presentation mode, or the read-only role whatever the toggle."""
        return self.presentation or self.role == "lecture"

    @property
    def demo(self) -> bool:
        return is_demo(self.folder)


# --- Data ---


@st.cache_resource(max_entries=2, show_spinner="Chargement et vérification des données…")
def _served(folder: str, version: str) -> tuple[Served, Database | None]:
    served = serve(Path(folder))
    db = Database(served.result, database_path(served.result)) if served.result is not None else None
    if db is not None:
        _DATABASES[db.version] = db
        while len(_DATABASES) > 3:  # older data versions: no session asks for them any more
            del _DATABASES[next(iter(_DATABASES))]
    return served, db


def load_data() -> tuple[Path, Served, Database | None]:
    folder = DEMO_DIR if st.session_state.get("force_demo") else data_folder()
    with lecture(folder):  # during an import's renames, wait: read the whole set before or after it
        served, db = _served(str(folder), folder_version(folder) if folder.is_dir() else "")
    if db is not None:
        _DATABASES.setdefault(db.version, db)
    return folder, served, db


@st.cache_data(max_entries=1024, show_spinner=False)
def _cached(qualname: str, version: str, args: tuple, kwargs: tuple):
    module, name = qualname.rsplit(".", 1)
    fn = getattr(importlib.import_module(module), name)
    db = _DATABASES[version]
    # Also kept on disk beside the database: a restart on the same data reads the figures back.
    return db.remember((qualname, args, kwargs), lambda: fn(db, *args, **dict(kwargs)))


def cached(db: Database, fn, *args, **kwargs):
    """fn(db, *args, **kwargs), computed once per data version and arguments for every session."""
    _DATABASES.setdefault(db.version, db)
    return _cached(f"{fn.__module__}.{fn.__qualname__}", db.version, args, tuple(sorted(kwargs.items())))


# Where a table of view.call comes from (pandas attrs, kept by the copies and selections a page makes of it):
# the masking of a masked view recomputes it for each commune (communes_forced).
SOURCE = "impact_source"


def call(fn, *args, **kwargs):
    """fn(db, *args, **kwargs) for an impact.indicators function, cached per data version and arguments."""
    out = cached(context().db, fn, *args, **kwargs)
    if isinstance(out, pd.DataFrame) and args and isinstance(args[0], Filtres):
        out.attrs[SOURCE] = (fn, args, tuple(sorted(kwargs.items())))
    return out


def communes_forced(
    df: pd.DataFrame, count_columns, *, across_columns: bool = False, forced: pd.DataFrame | None = None
) -> pd.DataFrame | None:
    """The cells a masked view hides in a table of people counts, beyond its own rules, so that the territory
    minus five communes does not give back what the sixth hides (privacy.communes_masks): the same table,
    from the same view.call for the whole territory and for each commune. forced as it is outside a masked
    view of the territory or of one commune, for a table masked with others (forced given: the exits,
    audited together over the territory and its communes) or one a commune's table cannot stand for."""
    ctx = context()
    source = df.attrs.get(SOURCE)
    if not ctx.masked or forced is not None or source is None or df.empty or len(ctx.communes) < 2:
        return forced
    fn, args, kwargs = source
    f = args[0]
    if f.communes and (len(f.communes) > 1 or f.communes[0] not in ctx.communes):
        return forced
    territory = cached(ctx.db, fn, replace(f, communes=None), *args[1:], **dict(kwargs))
    communes = {
        code: cached(ctx.db, fn, replace(f, communes=(code,)), *args[1:], **dict(kwargs))
        for code in ctx.communes
    }
    if any(not set(df.columns) <= set(t.columns) for t in (territory, *communes.values())):
        return forced
    keys = [str(k) for k in df.columns if str(k) not in count_columns and _names_a_line(df[k])]
    mine, theirs = privacy.communes_masks(
        territory, communes, list(count_columns), keys, across_columns=across_columns
    )
    mine = theirs[f.communes[0]] if f.communes else mine
    # df may be a selection of the table's lines: its own index
    return None if mine is None else mine.reindex(df.index, fill_value=False)


def _names_a_line(values: pd.Series) -> bool:
    """A column whose value names a line of a table (a label, a code, a year), not a measure of it: text of
    the vocabulary, or a year; a column outside the vocabulary when it holds text."""
    from impact import columns

    key = str(values.name)
    if key not in columns.VOCABULARY:
        return not pd.api.types.is_numeric_dtype(values)
    return columns.get(key).kind in (columns.TEXT, columns.YEAR)


# --- Context and filters -----------------------------------------------------------------------------


def context() -> Context:
    from impact import login

    if "_ctx" not in st.session_state or not login.session_alive():
        # A deep link (/heures) opened first on a fresh server: Streamlit's legacy mode for a folder named
        # pages/ runs the page alone, without dashboard.py. Hand over to dashboard.py: its st.navigation ends
        # that mode for the whole server, resolves the address (/heures) and runs the page with its context.
        runpy.run_path(str(ENTRY_POINT), run_name="__main__")
        st.stop()
    return st.session_state["_ctx"]


def server_path(ctx: Context, path) -> str:
    """A file path of the server as the coordination sees it; the read-only role sees the file name only."""
    return str(path) if ctx.role == "coordination" else Path(str(path)).name
