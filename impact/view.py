"""What a page reads: the served data (loaded once per folder content, shared by every session), the
calls to impact.indicators cached per data version and arguments, and the page's Context (data, filters,
presentation mode, role).

Changes when loading or caching changes; the sidebar is impact.sidebar, the figure blocks impact.ui.
"""

from __future__ import annotations

import importlib
import runpy
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd
import streamlit as st

from impact import DEMO_DIR, ROOT, privacy
from impact.db import Database
from impact.filters import Filtres
from impact.importer import lecture
from impact.load import folder_version
from impact.state import Served, data_folder, database_path, is_demo, serve, snapshot_holds

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
        version = folder_version(folder) if folder.is_dir() else ""
        served, db = _served(str(folder), version)
        if served.result is not None and not snapshot_holds(folder, served.result):
            # The folder came back to a content kept in memory (an import undone) after another one was saved
            # as the last good data: loaded again, so that the saved copy is the content served.
            _served.clear()
            served, db = _served(str(folder), version)
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


# Where a table of people counts comes from (pandas attrs, kept by the copies and selections a page makes of it):
# the masking of a masked view computes it again for each commune and for the territory (communes_forced).
SOURCE = "impact_source"


@dataclass(frozen=True)
class Source:
    """A table or figures fn(db, *args, **kwargs) of one view, and how to get the same for another commune:
    args[0] is a Filtres (its communes replaced), or, by_code, the commune's code (the Fiche commune: no
    table of the territory stands beside it). commune: the view's own commune, None for the territory."""

    fn: Callable
    args: tuple
    kwargs: tuple
    commune: str | None
    by_code: bool = False

    def __deepcopy__(self, memo):  # immutable: pandas copies a frame's attrs at each operation on it
        return self

    def of(self, db: Database, code: str | None):
        """The same for the commune `code`, or for the territory (None; None by_code)."""
        if self.by_code:
            return None if code is None else cached(db, self.fn, code, *self.args[1:], **dict(self.kwargs))
        f = replace(self.args[0], communes=(code,) if code else None)
        return cached(db, self.fn, f, *self.args[1:], **dict(self.kwargs))


def _source(fn, args: tuple, kwargs: dict) -> Source | None:
    """The Source of view.call(fn, *args, **kwargs) when its first argument is a filter set of the territory
    or of one commune."""
    if not args or not isinstance(args[0], Filtres):
        return None
    communes = args[0].communes
    if communes and len(communes) > 1:
        return None
    return Source(fn, args, tuple(sorted(kwargs.items())), communes[0] if communes else None)


def call(fn, *args, **kwargs):
    """fn(db, *args, **kwargs) for an impact.indicators function, cached per data version and arguments. In a
    masked view, a table carries its Source, and key figures name those hidden besides their own rule."""
    out = cached(context().db, fn, *args, **kwargs)
    if isinstance(out, pd.DataFrame) and (source := _source(fn, args, kwargs)) is not None:
        out.attrs[SOURCE] = source
    elif isinstance(out, dict) and not kwargs and len(args) == 1 and isinstance(args[0], Filtres):
        out = with_partners(out, fn, args[0])
    return out


# Key figures of people (and of the trainings they began) that a commune can count 1 to 4 of in a year, in the
# dicts of view.call (kpis, accompagnement.formations): privacy.beside prints them.
FIGURES = (
    "personnes_employees",
    "salaries_en_parcours",
    "entrees",
    "personnes_entrees",
    "formations",
    "certifiantes",
    "personnes_formees",
)


def with_partners(k: dict, fn, f: Filtres, masked: bool | None = None) -> dict:
    """k = fn(db, f), naming (privacy.CACHES) the key figures of FIGURES a masked view hides besides their own
    rule because one commune alone hides them (figure_hidden). masked: as a masked view (a document always
    masked), whatever this one is; privacy.beside reads the names only when it masks."""

    def own(key):  # a figure's own rule: a count of 1 to 4, or one its pair gives back (privacy.beside)
        return lambda d: privacy.is_small(d[key]) or isinstance(privacy.beside(d, key, True), str)

    hidden = {key for key in FIGURES if key in k and figure_hidden(fn, f, key, own(key), masked)}
    return {**k, privacy.CACHES: hidden} if hidden else k


def par_commune(df: pd.DataFrame, fn, code: str, *args) -> pd.DataFrame:
    """df, the table fn(db, code, *args) of the commune `code` (a Fiche commune's), marked so that its masking
    reads the same table of the other communes (communes_forced)."""
    df.attrs[SOURCE] = Source(fn, (code, *args), (), code, by_code=True)
    return df


# The choices of communes_forced and figure_hidden, made once per data version in the process (each page of each
# masked session reads them; computing them reads the table of the territory and of every commune).
_DECISIONS: dict = {}
DECISIONS_GARDEES = 4096


def _decided(db: Database, key: tuple, decide: Callable):
    """decide(), computed once per data version and key (a key that cannot be hashed: every time)."""
    try:
        full = (db.version, key)
        hash(full)
    except TypeError:
        return decide()
    if full not in _DECISIONS:
        if len(_DECISIONS) >= DECISIONS_GARDEES:
            _DECISIONS.pop(next(iter(_DECISIONS)), None)
        _DECISIONS[full] = decide()
    return _DECISIONS[full]


def communes_forced(
    df: pd.DataFrame,
    count_columns,
    *,
    across_columns: bool = False,
    forced: pd.DataFrame | None = None,
    own: Callable | None = None,
) -> pd.DataFrame | None:
    """The cells a masked view hides in a table of people counts, beyond its own rules, so that the territory
    minus five communes does not give back what the sixth hides (privacy.communes_masks): the same table for
    the territory and each commune (Source). own(table, forced): the cells a table hides by its own rules,
    when they are not those of privacy.masks. forced as it is outside a masked view of the territory or of
    one commune, for a table masked with others (forced given: the exits, audited together over the
    territory and its communes) or one whose Source is unknown."""
    ctx = context()
    source = df.attrs.get(SOURCE)
    if not ctx.masked or forced is not None or not isinstance(source, Source) or df.empty:
        return forced
    if len(ctx.communes) < 2 or (source.commune is not None and source.commune not in ctx.communes):
        return forced
    keys = [str(k) for k in df.columns if str(k) not in count_columns and _names_a_line(df[k])]
    whole = (replace(source, commune=None), tuple(count_columns), tuple(keys), across_columns, own)

    def decide():
        territory = source.of(ctx.db, None)
        communes = {code: source.of(ctx.db, code) for code in ctx.communes}
        if any(
            t is not None and not set(df.columns) <= set(t.columns) for t in (territory, *communes.values())
        ):
            return None, dict.fromkeys(communes)
        return privacy.communes_masks(
            territory,
            communes,
            list(count_columns),
            _line_keys(territory, keys),
            across_columns=across_columns,
            own=own,
        )

    mine, theirs = _decided(ctx.db, whole, decide)
    mine = theirs.get(source.commune) if source.commune else mine
    # df may be a selection of the table's lines: its own index
    return None if mine is None else mine.reindex(df.index, fill_value=False)


def figure_hidden(
    fn, f: Filtres, key: str, hidden: Callable[[dict], bool] | None = None, masked: bool | None = None
) -> bool:
    """Whether a masked view of f hides the key figure fn(db, f)[key] beyond its own rule (hidden, by default
    a count of 1 to 4), because one commune alone hides it (privacy.figure_partners): the figure of the
    territory minus those of five communes would give it back."""
    ctx = context()
    communes = f.communes
    if (
        not (ctx.masked if masked is None else masked)
        or len(ctx.communes) < 2
        or (communes and (len(communes) > 1 or communes[0] not in ctx.communes))
    ):
        return False
    hidden = hidden or (lambda k: privacy.is_small(k[key]))
    source = Source(fn, (replace(f, communes=None),), (), None)

    def decide():
        territory = source.of(ctx.db, None)
        figures = {code: source.of(ctx.db, code) for code in ctx.communes}

        def value(k):  # a dict of key figures, or a dataclass of them (accompagnement.Suivi6Mois)
            return k[key] if isinstance(k, dict) else getattr(k, key)

        return privacy.figure_partners(
            {c: (value(k), hidden(k)) for c, k in figures.items()}, hidden(territory)
        )

    return (communes[0] if communes else None) in _decided(ctx.db, (source, key), decide)


def _line_keys(table: pd.DataFrame | None, keys: list[str]) -> list[str]:
    """The first of `keys` that name each line of the table once: a structure by its id, not also by the list
    of the communes where it worked, which a commune's view writes otherwise."""
    if table is None:
        return keys
    for n in range(1, len(keys)):
        if not table.duplicated(keys[:n]).any():
            return keys[:n]
    return keys


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
    """A file or folder path of the server as the coordination sees it at its desk; the read-only role, and a
    projected screen (presentation mode), see its name only: a path such as /home/<account>/… is no one's
    business in a meeting room."""
    return str(path) if ctx.role == "coordination" and not ctx.presentation else Path(str(path)).name


def fiche_partenaires(fiche):
    """The commune sheet (impact.indicators.commune.Fiche) as every masked rendering prints it, page and PDF:
    its key figures and each year of its trend hide what one commune alone hides (with_partners, the same
    choice as the other pages of the commune make for that year), and so do its structures' residents
    (privacy.communes_masks over the six sheets)."""
    from impact.indicators import commune
    from impact.indicators.core import kpis

    f = commune.filtres(fiche.code, fiche.annee)
    chiffres = with_partners(fiche.chiffres, kpis, f, masked=True)
    cols = [c for c in FIGURES if c in fiche.tendance.columns]
    rows = []
    for a in fiche.tendance["annee"]:
        year = f.with_period(int(a), int(a))
        k = (
            chiffres
            if int(a) == fiche.annee
            else with_partners(cached(context().db, kpis, year), kpis, year, True)
        )
        rows.append([c in k.get(privacy.CACHES, ()) for c in cols])
    forced = pd.DataFrame(rows, index=fiche.tendance.index, columns=cols, dtype=bool)
    forced = forced.loc[:, forced.any()]
    # The structures' residents: the territory's count of a structure (Structures page) minus the five other
    # communes' sheets would give a sixth's back.
    ctx = context()

    def decide():
        sheets = {code: cached(ctx.db, commune.structures, code, fiche.annee) for code in ctx.communes}
        return privacy.communes_masks(None, sheets, ["habitants_employes"], ["structure_id"])[1]

    structures = _decided(ctx.db, ("fiche_structures", fiche.annee), decide).get(fiche.code)
    return replace(
        fiche,
        chiffres=chiffres,
        suivi=None if fiche.suivi is None else suivi_partenaires(fiche.suivi, f, masked=True),
        tendance_masques=forced if forced.size else None,
        structures_masques=None if structures is None else structures.reindex(fiche.structures.index),
    )


def suivi_partenaires(s, f: Filtres, masked: bool | None = None):
    """The follow-up at 6 months (accompagnement.Suivi6Mois of f) naming in `caches` its people followed when
    one commune alone hides them (figure_hidden: the territory's minus five communes' would give them back;
    the same choice as the table of the follow-up by year makes for that year)."""
    from impact.indicators import accompagnement

    hidden = figure_hidden(
        accompagnement.suivi_6_mois,
        f,
        "personnes_suivies",
        lambda k: privacy.is_small(k.personnes_suivies),
        masked,
    )
    return replace(s, caches=frozenset({"personnes_suivies"})) if hidden else s
