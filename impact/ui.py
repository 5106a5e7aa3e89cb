"""The few Streamlit widgets every page shares: data loading, sidebar filters, header line, figure blocks.

Pages stay thin: they read the context, call impact.indicators through `call`, and draw with these helpers.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from impact import DEMO_DIR, charts, contract, export, filters, fmt, privacy
from impact.db import Database
from impact.definitions import DEFINITIONS, help_text
from impact.filters import Filtres, types_of_family
from impact.importer import lecture
from impact.indicators import fraicheur, listes
from impact.load import folder_version
from impact.state import Served, data_folder, database_path, is_demo, serve

SECTEUR_LABELS = {"public": "Marchés publics", "prive": "Partenariats privés", "hors_marche": "Hors marché"}
_DATABASES: dict[str, Database] = {}


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


# --- Data ------------------------------------------------------------------------------------------


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
    return fn(_DATABASES[version], *args, **dict(kwargs))


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
        # A deep link (/heures) opened first on a fresh server: Streamlit's legacy pages/ folder mode runs
        # the page alone, without dashboard.py. Leave that mode and run again through dashboard.py.
        from streamlit.runtime.pages_manager import PagesManager

        PagesManager.uses_pages_directory = False
        st.rerun()
    return st.session_state["_ctx"]


def server_path(ctx: Context, path) -> str:
    """A file path of the server as the coordination sees it; the read-only role sees the file name only."""
    return str(path) if ctx.role == "coordination" else Path(str(path)).name


KEY_DEBUT, KEY_FIN = "periode_debut", "periode_fin"


def _period(sb, annees: list[int], donnees_au) -> tuple[int, int]:
    """The period: two lists of years (a range slider cannot move when both handles sit on the last year),
    the last complete year by default, the year being recorded one click away; ?periode=2025 or
    ?periode=2023-2025 in the address is read once, and written back on every run (shareable link)."""
    defaut = filters.annee_par_defaut(annees, donnees_au)
    # The chosen period lives apart from the two lists: a page change resets their widget state.
    kept = st.session_state.get("_periode")
    if not kept or kept[0] not in annees or kept[1] not in annees:
        typed = st.query_params.get_all("periode")
        parsed = filters.parse_periode("-".join(typed), annees) if typed else None
        if typed and parsed is None:
            st.session_state["_periode_ignoree"] = " ".join(typed)
        kept = parsed or (defaut, defaut)
    st.session_state[KEY_DEBUT], st.session_state[KEY_FIN] = kept

    def keep_order(changed: str):
        debut, fin = st.session_state[KEY_DEBUT], st.session_state[KEY_FIN]
        if debut > fin:
            st.session_state[KEY_FIN if changed == KEY_DEBUT else KEY_DEBUT] = st.session_state[changed]
        st.session_state["_periode"] = (st.session_state[KEY_DEBUT], st.session_state[KEY_FIN])

    def label(a):
        return filters.annee_libelle(a, donnees_au)

    left, right = sb.columns(2)
    left.selectbox(
        "Période : de",
        annees,
        key=KEY_DEBUT,
        format_func=label,
        placeholder="Année",
        on_change=keep_order,
        args=(KEY_DEBUT,),
        help="Une année : la même de part et d'autre. Par défaut, la dernière année complète des données.",
    )
    right.selectbox(
        "à",
        annees,
        key=KEY_FIN,
        format_func=label,
        on_change=keep_order,
        args=(KEY_FIN,),
        placeholder="Année",
    )
    courante = annees[-1]
    if filters.annee_incomplete(courante, donnees_au) and st.session_state[KEY_FIN] != courante:

        def show_current():
            st.session_state[KEY_DEBUT] = st.session_state[KEY_FIN] = courante
            st.session_state["_periode"] = (courante, courante)

        sb.button(
            f"Voir {courante} (année en cours, incomplète)",
            on_click=show_current,
            key="annee_en_cours",
            type="tertiary",
            icon=":material/update:",
        )
    ignored = st.session_state.pop("_periode_ignoree", None)
    if ignored:
        st.toast(
            f"Période « {ignored} » de l'adresse inconnue : années disponibles "
            f"{fmt.period(annees[0], annees[-1])}. Affichage de {defaut}.",
            icon=":material/warning:",
        )
    debut, fin = int(st.session_state[KEY_DEBUT]), int(st.session_state[KEY_FIN])
    st.session_state["_periode"] = (debut, fin)
    shown = fmt.period(debut, fin).replace("–", "-")
    if st.query_params.get_all("periode") != [shown]:  # written only when it changes (bound filters stay)
        st.query_params["periode"] = shown
    return debut, fin


def sidebar_filters(db: Database) -> tuple[Filtres, list[int], dict[str, str]]:
    annees = cached(db, listes.annees) or [2026]
    communes = cached(db, listes.communes_nouvelles)
    structures = cached(db, listes.structures)
    marches = cached(db, listes.marches)
    sb = st.sidebar
    sb.markdown("### Filtres")
    debut, fin = _period(sb, annees, db.donnees_au)
    # Bound widgets write their option labels in the URL: options are readable labels, mapped back to codes.
    commune_by_name = {nom: code for code, nom in communes.items()}
    sel_communes = sb.multiselect(
        "Communes nouvelles",
        list(commune_by_name),
        key="communes",
        bind="query-params",
        select_all=False,  # its "Select all" entry has no French label
        placeholder="Toutes les communes",
        help="Heures : travail réalisé dans la commune. Personnes et sorties : habitants de la commune.",
    )
    familles = sb.multiselect(
        "Familles de structures",
        list(contract.FAMILIES),
        key="familles",
        bind="query-params",
        select_all=False,  # its "Select all" entry has no French label
        placeholder="Toutes les familles",
        help="IAE : ACI, AI, EI, ETTI, EITI. Handicap : EA, ESAT. Accompagnement : GEIQ, centres sociaux, "
        "missions locales, autres.",
    )
    types = sb.multiselect(
        "Types de structures",
        list(contract.STRUCTURE_TYPES),
        key="types",
        bind="query-params",
        select_all=False,  # its "Select all" entry has no French label
        placeholder="Tous les types",
        help=" ; ".join(f"{t} : {lib}" for t, (lib, _) in contract.STRUCTURE_TYPES.items()),
    )
    structure_by_name = _unique_labels(structures, "structure_id", "nom")
    sel_structures = sb.multiselect(
        "Structures",
        list(structure_by_name),
        key="structures",
        bind="query-params",
        select_all=False,  # its "Select all" entry has no French label
        placeholder="Toutes les structures",
    )
    marche_by_name = _unique_labels(marches, "marche_id", "intitule")
    sel_marches = sb.multiselect(
        "Marchés et partenariats",
        list(marche_by_name),
        key="marches",
        bind="query-params",
        select_all=False,  # its "Select all" entry has no French label
        placeholder="Tous",
    )
    secteur_by_label = {lab: code for code, lab in SECTEUR_LABELS.items()}
    secteurs = sb.multiselect(
        "Public / privé",
        list(secteur_by_label),
        key="secteurs",
        bind="query-params",
        select_all=False,  # its "Select all" entry has no French label
        placeholder="Tous",
        help="Marchés publics (clauses, marchés réservés), partenariats privés (Veolia), heures hors marché.",
    )
    sel_communes = [commune_by_name[n] for n in sel_communes]
    sel_structures = [structure_by_name[n] for n in sel_structures]
    sel_marches = [marche_by_name[n] for n in sel_marches]
    secteurs = [secteur_by_label[n] for n in secteurs]
    sel_types: set[str] | None = None
    if familles:
        sel_types = {t for f in familles for t in types_of_family(f)}
    if types:
        sel_types = set(types) if sel_types is None else sel_types & set(types)
    filtres = Filtres(
        int(debut),
        int(fin),
        communes=tuple(sel_communes) or None,
        types=tuple(sorted(sel_types)) if sel_types is not None else None,
        structures=tuple(sel_structures) or None,
        marches=tuple(sel_marches) or None,
        secteurs=tuple(secteurs) or None,
    )
    return filtres, annees, communes


def _unique_labels(df: pd.DataFrame, id_col: str, label_col: str) -> dict[str, str]:
    """label -> id, the id appended to a label that two rows share."""
    counts = df[label_col].value_counts()
    return {
        (lab if counts[lab] == 1 else f"{lab} ({i})"): i
        for i, lab in zip(df[id_col], df[label_col], strict=True)
    }


def presentation_toggle() -> bool:
    """?mode=presentation in the URL (or the toggle): masking on, sidebar hidden, large type."""
    # Kept apart from the toggle's own state, which a page change may reset: moving never unmasks.
    if "_presentation" not in st.session_state:
        st.session_state["_presentation"] = st.query_params.get("mode") == "presentation"
    st.session_state["presentation"] = st.session_state["_presentation"]
    on = st.sidebar.toggle(
        "Mode présentation",
        key="presentation",
        help=help_text("masquage"),
        on_change=lambda: st.session_state.update(_presentation=st.session_state["presentation"]),
    )
    if on:
        st.query_params["mode"] = "presentation"
    elif "mode" in st.query_params:
        del st.query_params["mode"]
    return on


def filters_summary(ctx: Context) -> str:
    f = ctx.filtres
    parts = [f"Période : {fmt.period(f.annee_debut, f.annee_fin)}"]
    if f.communes:
        parts.append("Communes : " + ", ".join(ctx.communes.get(c, c) for c in f.communes))
    if f.types:
        parts.append("Types : " + ", ".join(f.types))
    if f.structures:
        noms = dict(zip(*listes.structures(ctx.db)[["structure_id", "nom"]].T.values, strict=True))
        parts.append("Structures : " + ", ".join(noms.get(s, s) for s in f.structures))
    if f.marches:
        parts.append(f"{fmt.plural(len(f.marches), 'marché')} sélectionné{'s' if len(f.marches) > 1 else ''}")
    if f.secteurs:
        parts.append(" + ".join(SECTEUR_LABELS[s] for s in f.secteurs))
    return " · ".join(parts)


def freshness(ctx: Context) -> str:
    au = fmt.day(ctx.db.donnees_au)
    retard = call(fraicheur.fraicheur).resume()  # structures that lag: the months after `au` are provisional
    late = f" ({retard} : chiffres provisoires après cette date)" if retard else ""
    if ctx.demo:
        return f"Données fictives de démonstration — données au {au}{late}"
    return f"Données au {au}{late}"


def page_header(title: str, intro: str | None = None, *, filters: bool = True) -> Context:
    """Title, the active filters and the data freshness (pages with their own commune/year choice pass
    filters=False: the sidebar filters do not apply to them). In presentation mode: the title and one
    line, the explanation left for the normal mode (the presenter says it)."""
    ctx = context()
    st.title(title)
    if filters:
        st.markdown(f"**{filters_summary(ctx)}** — {freshness(ctx)}")
    else:
        st.markdown(freshness(ctx))
    if ctx.served.fallback:
        info = ctx.served.result.snapshot_info
        st.warning(
            f"Le dossier de données contient des erreurs : le tableau de bord affiche la dernière version "
            f"valide, chargée le {info.get('charge_le', '?').replace('T', ' à ')}."
            + (" Détail sur la page Données." if ctx.role == "coordination" else "")
        )
    if ctx.masked:
        st.caption(
            f"{'Mode présentation' if ctx.presentation else 'Consultation'} : effectifs de moins de "
            f"{privacy.SEUIL} personnes masqués (« {privacy.MASQUE} », « {privacy.MASQUE_SECONDAIRE} » pour une "
            "case masquée afin qu'un total ne les redonne pas ; voir Méthodologie)."
        )
    if intro and not ctx.presentation:
        st.caption(intro)
    return ctx


# --- Figures ---------------------------------------------------------------------------------------


def metric(
    label: str,
    value: str,
    definition: str | None = None,
    delta: str | None = None,
    delta_color="normal",
    delta_arrow="auto",
):
    """A key figure with its definition one click away (the ? icon)."""
    st.metric(
        label,
        value,
        delta=delta,
        delta_color=delta_color,
        delta_arrow=delta_arrow,
        help=help_text(definition) if definition else None,
        border=True,
    )


def people(n) -> str:
    """A count of people, masked in a masked view (privacy.count_text)."""
    return privacy.count_text(n, context().masked)


def formatted(df: pd.DataFrame, formats: dict) -> pd.DataFrame:
    out = df.copy()
    for col, f in formats.items():
        if col in out:
            out[col] = out[col].map(lambda v, f=f: v if isinstance(v, str) else f(v))
    return out


def table(
    df: pd.DataFrame,
    *,
    filename: str,
    count_columns: list[str] = (),
    across_columns: bool = False,
    rates: dict[str, tuple[str, str]] | None = None,
    formats: dict | None = None,
    key: str | None = None,
):
    """The table behind a figure, French-formatted, masked in a masked view (counts of people, and rates
    {rate_column: (n_column, N_column)} that would give one back), with its CSV download."""
    ctx = context()
    shown = df
    if ctx.masked:
        shown = privacy.mask_table(df, list(count_columns), across_columns=across_columns, rates=rates)
    fmts = {c: fmt.integer for c in count_columns}
    fmts.update(formats or {})
    st.dataframe(formatted(shown, fmts), hide_index=True, width="stretch")
    st.download_button(
        "Télécharger le tableau (CSV pour Excel)",
        export.csv_bytes(shown, fmts),
        file_name=f"{filename}.csv",
        mime="text/csv",
        key=key or f"dl_{filename}",
        icon=":material/download:",
        on_click="ignore",
    )


def chart_block(
    title: str,
    fig,
    data: pd.DataFrame,
    *,
    caption: str,
    filename: str,
    count_columns: list[str] = (),
    across_columns: bool = False,
    rates: dict[str, tuple[str, str]] | None = None,
    formats: dict | None = None,
):
    """A sentence-title, the chart, its caption, and the data table behind it (RGAA: never a chart alone)."""
    st.subheader(title)
    if data.empty:
        empty()
        return
    plot(fig, key=f"fig_{filename}")
    st.caption(caption)
    with st.expander("Voir le tableau des valeurs"):
        table(
            data,
            filename=filename,
            count_columns=count_columns,
            across_columns=across_columns,
            rates=rates,
            formats=formats,
        )


# No mode bar: its buttons are in English ("Download plot as a PNG", "Reset axes") and the room needs none.
PLOTLY_CONFIG = {"displayModeBar": False, "displaylogo": False}


def plot(fig, *, key: str, config: dict | None = None, **kw):
    """A plotly figure as every page shows it: our own colours and fonts (not Streamlit's lighter theme),
    no English mode bar, and larger text in presentation mode (charts.for_room)."""
    if context().presentation and fig.layout.map.style is None:
        fig = charts.for_room(fig)
    return st.plotly_chart(fig, theme=None, key=key, config={**PLOTLY_CONFIG, **(config or {})}, **kw)


def empty(message: str | None = None):
    st.info(message or "Aucune donnée pour cette sélection (période, commune ou structure sans activité).")


def definition_expander(keys: list[str]):
    with st.expander("Définitions"):
        for k in keys:
            d = DEFINITIONS[k]
            st.markdown(f"**{d.label}** — {d.text}")


# --- Page chrome -----------------------------------------------------------------------------------

BASE_CSS = """
<style>
/* The containers of these style sheets take no room (they would leave a blank band on top). */
[data-testid="stElementContainer"]:has(> [data-testid="stMarkdown"] style),
[data-testid="stElementContainer"]:has(style) { display: none; }
h1 { font-size: 2.2rem !important; }
h2 { font-size: 1.5rem !important; }
h3 { font-size: 1.3rem !important; }
[data-testid="stMetricValue"] > div { font-size: 2.3rem; font-weight: 600; }
[data-testid="stMetricLabel"] p { font-size: 1rem; }
/* Labels and values wrap rather than end in "…": a figure is never cut. */
[data-testid="stMetricLabel"] *, [data-testid="stMetricValue"] * {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
}
[data-testid="stMetricValue"] > div { overflow-wrap: anywhere; line-height: 1.15; }
/* Captions in full black: grey small text is unreadable on a washed-out projector. */
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p { font-size: 0.95rem; color: #222 !important; opacity: 1 !important; }
/* Rows of key figures: four in a row on a wide screen, two by two below (1024 px projector, open sidebar). */
[data-testid="stMainBlockContainer"] { container-type: inline-size; padding-top: 3.5rem; }
[data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"] [data-testid="stMetric"]) { flex-wrap: wrap; row-gap: 0.75rem; }
@container (max-width: 1000px) {
  [data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"] [data-testid="stMetric"]) > [data-testid="stColumn"] {
    flex: 1 1 calc(50% - 1rem) !important; min-width: calc(50% - 1rem) !important;
  }
}
/* Streamlit's English that cannot be translated: the table toolbar (search, columns, CSV download: the
   French "Télécharger le tableau" button sits under each table) and the file uploader's own text. */
[data-testid="stElementToolbar"] { display: none !important; }
/* Keyboard hints of buttons: English key names ("PageDown", "Shortcut"); each button's help says the key. */
button kbd { display: none !important; }
[data-testid="stFileUploaderDropzoneInstructions"] { display: none !important; }
[data-testid="stFileUploaderDropzone"] button { font-size: 0 !important; }
[data-testid="stFileUploaderDropzone"] button * { display: none !important; }
[data-testid="stFileUploaderDropzone"] button::after { content: "Choisir des fichiers CSV"; font-size: 1rem; }
[data-testid="stFileUploaderDropzone"] > span, [data-testid="stFileUploaderDropzone"] > div > span { font-size: 0 !important; }
[data-testid="stFileChip"] small, [data-testid="stFileChip"] [data-testid="stFileChipName"] + * { display: none !important; }
</style>
"""

# Presentation mode: the room sees the page, not the app: no header bar nor sidebar, no blank band on top,
# larger text, figures first. Axis text in charts is set to the same size (charts.for_room).
PRESENTATION_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"] { display: none !important; }
[data-testid="stMainBlockContainer"] { padding-top: 0.6rem !important; padding-bottom: 2rem !important;
  padding-left: 2rem !important; padding-right: 2rem !important; max-width: none !important; }
html { font-size: 20px; }
h1 { font-size: 1.9rem !important; padding: 0.2rem 0 0.3rem 0 !important; }
h2 { font-size: 1.5rem !important; padding: 0.3rem 0 !important; }
h3 { font-size: 1.25rem !important; }
[data-testid="stMetricValue"] > div { font-size: 2.1rem; }
[data-testid="stMetricLabel"] p { font-size: 1rem; }
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p { font-size: 0.9rem; }
.st-key-presentation_bar { gap: 0.4rem; }
.st-key-presentation_bar [data-testid="stHorizontalBlock"] { align-items: center; }
.st-key-presentation_bar button { min-height: 2.2rem; padding: 0.1rem 0.7rem; }
</style>
"""


def style():
    st.markdown(BASE_CSS, unsafe_allow_html=True)


def presentation_style():
    st.markdown(PRESENTATION_CSS, unsafe_allow_html=True)


def carried_params() -> dict:
    """The address parameters a page change must carry itself: mode and period. The filters bound to widgets
    (communes, types...) follow on their own, and Streamlit refuses to have them set by hand."""
    return {k: st.query_params.get_all(k) for k in ("mode", "periode") if k in st.query_params}


PRESENTATION_NOTE = "Moins de 5 personnes, masqué"


def presentation_bar(pages: list, current) -> None:
    """The presenter's bar on top of every page: a compact page menu, previous / next page (also PageUp /
    PageDown, the keys of a presentation remote), and the way out of presentation mode. Every link keeps
    ?mode=presentation and the filters: moving never unmasks the screen."""
    urls = [p.url_path for p in pages]
    i = urls.index(current.url_path) if current.url_path in urls else 0
    params = carried_params()
    params["mode"] = "presentation"
    with st.container(key="presentation_bar"):
        menu, prev, nxt, note, out = st.columns([1.1, 1.4, 1.3, 2.3, 1.1], vertical_alignment="center")
        with menu.popover("Pages", icon=":material/menu:", width="stretch"):
            for p in pages:
                st.page_link(p, query_params=params, disabled=p.url_path == current.url_path)
        go_prev = prev.button(
            "Précédente",
            icon=":material/chevron_left:",
            key="page_precedente",
            width="stretch",
            shortcut="PageUp",
            help=f"Page précédente : {pages[i - 1].title} (touche Page précédente)",
        )
        go_next = nxt.button(
            "Suivante",
            icon=":material/chevron_right:",
            icon_position="right",
            key="page_suivante",
            width="stretch",
            shortcut="PageDown",
            help=f"Page suivante : {pages[(i + 1) % len(pages)].title} (touche Page suivante)",
        )
        note.markdown(f":material/visibility_off: « {privacy.MASQUE} » : {PRESENTATION_NOTE.lower()}")
        # A callback: the toggle is already drawn in this run, its state can only change before the next one.
        out.button(
            "Quitter",
            icon=":material/close_fullscreen:",
            key="quitter_presentation",
            help="Quitter le mode présentation (les petits effectifs redeviennent visibles)",
            width="stretch",
            on_click=lambda: st.session_state.update(presentation=False, _presentation=False),
        )
    if go_prev or go_next:
        st.switch_page(pages[(i + (1 if go_next else -1)) % len(pages)], query_params=params)


def no_data(folder: Path, served: Served, role: str = "coordination"):
    """Nothing ever loaded from this folder: say why and offer the demo data."""
    st.title("Aucune donnée chargée")
    if role != "coordination":  # neither the server's paths nor the files' content for the read-only role
        st.info("Les données ne sont pas disponibles pour le moment : prévenez la coordination du collectif.")
        return
    st.error(
        f"Le dossier {folder} n'a jamais pu être chargé sans erreur, et aucune version valide "
        "n'a été conservée. Corrigez les fichiers ci-dessous, ou lancez le tableau de bord sur les données "
        "de démonstration : `make run` sans IMPACT_DATA."
    )
    problems = pd.DataFrame(
        [
            {
                "fichier": p.file,
                "ligne": p.line,
                "colonne": p.column,
                "gravité": p.severity,
                "message": p.message,
            }
            for p in served.attempt.problems
        ]
    )
    if st.button("Afficher les données fictives de démonstration", type="primary"):
        st.session_state["force_demo"] = True
        st.rerun()
    st.dataframe(problems, hide_index=True, width="stretch")


def chart_counts(df: pd.DataFrame, count_columns: list[str], *, across_columns: bool = False) -> pd.DataFrame:
    """The data a chart of people counts draws: in a masked view, the cells the table masks become empty
    and say how they read (privacy.chart_data), so that no bar, axis, hover or label gives one away."""
    if not context().masked or df.empty:
        return df
    return privacy.chart_data(df, list(count_columns), across_columns=across_columns)


def count_label(v) -> str:
    """Bar label of a people count (a masked cell carries its own word, see charts.bars)."""
    return privacy.MASQUE if pd.isna(v) else fmt.integer(v)


def rate(value, n, big_n) -> str:
    """A rate for a metric: "62,5 %", "non calculé" under MIN_SORTIES_TAUX exits, TAUX_MASQUE in a masked
    view when it would give back a count of fewer than SEUIL people (n, N − n or N)."""
    return privacy.rate_text(value, n, big_n, context().masked)


def rate_metrics(k: dict, columns) -> None:
    """The two official exit rates of a kpis dict, each with n/N where the privacy rule allows it, drawn in
    the two given columns."""
    masked = context().masked
    big_n = k["sorties_examinees"]
    for column, (label, key, n) in zip(
        columns,
        (
            ("Sorties dynamiques", "taux_sortie_dynamique", k["sorties_dynamiques"]),
            ("Sorties en emploi durable", "taux_sortie_emploi_durable", k["sorties_emploi_durable"]),
        ),
        strict=True,
    ):
        ratio = privacy.ratio_text(n, big_n, masked)
        column.metric(
            label,
            rate(k[key], n, big_n),
            delta=f"{ratio} sorties examinées" if ratio else f"sur {people(big_n)} sorties examinées",
            delta_color="off",
            delta_arrow="off",
            help=help_text(key),
            border=True,
        )
