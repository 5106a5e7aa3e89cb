"""What a page reads: the served data (loaded once per folder content, shared by every session), the
calls to impact.indicators cached per data version and arguments, and the page's Context (data, filters,
presentation mode, role).

Changes when loading or caching changes; the sidebar is impact.sidebar, the figure blocks impact.ui.
"""

from __future__ import annotations

import importlib
import runpy
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from impact import DEMO_DIR, ROOT
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


def call(fn, *args, **kwargs):
    """fn(db, *args, **kwargs) for an impact.indicators function, cached per data version and arguments."""
    return cached(context().db, fn, *args, **kwargs)


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
