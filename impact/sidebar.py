"""The sidebar every page shares: the period (one owner: impact.filters' rules), the filters bound to the
address, the presentation toggle, and the page header that says which filters and which data a page shows.

Changes when a filter changes; loading is impact.view, the figure blocks impact.ui.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from impact import contract, filters, fmt, privacy
from impact.db import Database
from impact.definitions import help_text
from impact.filters import Filtres, types_of_family
from impact.indicators import fraicheur, listes
from impact.indicators.heures import SECTEUR_LABELS
from impact.view import Context, cached, call, context

KEY_DEBUT, KEY_FIN = "periode_debut", "periode_fin"
KEY_ANNEE = "periode_annee"  # the read-only role's one list of years
# The filters the read-only role does not get (sidebar_filters): only the coordination picks structures.
FILTRES_COORDINATION = ("familles", "types", "structures", "marches", "secteurs")


def _kept_period(annees: list[int], donnees_au) -> tuple[int, int]:
    """The period chosen in this session, else the one of the address (?periode=2025, ?periode=2023-2025),
    else the last complete year. It lives apart from the widgets: a page change resets their state."""
    kept = st.session_state.get("_periode")
    if not kept or kept[0] not in annees or kept[1] not in annees:
        typed = st.query_params.get_all("periode")
        parsed = filters.parse_periode("-".join(typed), annees) if typed else None
        if typed and parsed is None:
            defaut = filters.annee_par_defaut(annees, donnees_au)
            st.toast(
                f"Période « {' '.join(typed)} » de l'adresse inconnue : années disponibles "
                f"{fmt.period(annees[0], annees[-1])}. Affichage de {defaut}.",
                icon=":material/warning:",
            )
        kept = parsed or (filters.annee_par_defaut(annees, donnees_au),) * 2
    return kept


def _write_period(debut: int, fin: int) -> tuple[int, int]:
    """Keeps the period for the session and writes it in the address (a shareable link)."""
    st.session_state["_periode"] = (debut, fin)
    shown = fmt.period(debut, fin).replace(fmt.PERIOD_DASH, "-")
    if st.query_params.get_all("periode") != [shown]:  # written only when it changes (bound filters stay)
        st.query_params["periode"] = shown
    return debut, fin


def _period(sb, annees: list[int], donnees_au) -> tuple[int, int]:
    """The period: two lists of years (a range slider cannot move when both handles sit on the last year),
    the last complete year by default, the year being recorded one click away; ?periode=2025 or
    ?periode=2023-2025 in the address is read once, and written back on every run (shareable link)."""
    st.session_state[KEY_DEBUT], st.session_state[KEY_FIN] = _kept_period(annees, donnees_au)

    def keep_order(changed: str):
        debut, fin = st.session_state[KEY_DEBUT], st.session_state[KEY_FIN]
        if debut > fin:
            st.session_state[KEY_FIN if changed == KEY_DEBUT else KEY_DEBUT] = st.session_state[changed]
        st.session_state["_periode"] = (st.session_state[KEY_DEBUT], st.session_state[KEY_FIN])

    def label(a):
        return filters.annee_libelle(a, donnees_au)

    left, right = sb.columns([2, 3])  # "2026 (en cours)" whole on the right
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
    return _write_period(int(st.session_state[KEY_DEBUT]), int(st.session_state[KEY_FIN]))


# The read-only role (board, elected officials, partners) filters a masked view itself. Two of its selections,
# one inside the other, subtracted, would give back what the masking hides in their difference: the communes
# A and B minus A are B's residents, 2024–2025 minus 2024 the exits of 2025. So it chooses one year and at
# most one commune (privacy.UNE_SELECTION says why, in the filters' help; no filter of structures: see
# sidebar_filters). Not every year at once
# either: all the years minus the others give one year's counts back (in the demo, 8 of the 163 exit counts
# of the territory's tables, each hidden in its year's view to protect a small one).


def _one_year(sb, annees: list[int], donnees_au) -> tuple[int, int]:
    """The period of the read-only role: one year."""
    debut, fin = _kept_period(annees, donnees_au)
    if debut != fin:
        _reduced(str(fin))
    st.session_state[KEY_ANNEE] = fin

    def keep():
        st.session_state["_periode"] = (st.session_state[KEY_ANNEE],) * 2

    annee = sb.selectbox(
        "Année",
        annees,
        key=KEY_ANNEE,
        format_func=lambda a: filters.annee_libelle(a, donnees_au),
        on_change=keep,
        help="Par défaut, la dernière année complète des données. " + privacy.UNE_SELECTION,
    )
    return _write_period(int(annee), int(annee))


def _one(sb, label: str, options: list[str], key: str, placeholder: str, help=None) -> str | None:
    """One label of a filter list or none (the read-only role), kept for the session (a page change resets a
    widget) and written in the address as ?key=label, as the lists of the coordination are: their links open
    here on their first choice."""
    kept = f"_{key}"
    if kept not in st.session_state:
        typed = st.query_params.get_all(key)
        st.session_state[kept] = typed[0] if typed and typed[0] in options else None
        if len(typed) > 1:
            _reduced(f"«\u00a0{typed[0]}\u00a0»")
    st.session_state[f"{key}_un"] = st.session_state[kept]
    one = sb.selectbox(
        label,
        options,
        index=None,
        key=f"{key}_un",
        on_change=lambda: st.session_state.update({kept: st.session_state[f"{key}_un"]}),
        placeholder=placeholder,
        help=f"{help} {privacy.UNE_SELECTION}" if help else privacy.UNE_SELECTION,
    )
    if one is None:
        if key in st.query_params:
            del st.query_params[key]
    elif st.query_params.get_all(key) != [one]:
        st.query_params[key] = one
    return one


def _reduced(shown: str) -> None:
    """An address asked the read-only role for more than one choice: `shown` is what it gets (one toast for
    the run, sidebar_filters)."""
    st.session_state.setdefault("_reductions", []).append(shown)


def sidebar_filters(db: Database, single: bool = False) -> tuple[Filtres, list[int], dict[str, str]]:
    """The filters of the sidebar; single: those of the read-only role, one year and at most one commune."""
    annees = cached(db, listes.annees) or [2026]
    communes = cached(db, listes.communes_nouvelles)
    sb = st.sidebar
    sb.markdown("### Filtres")
    debut, fin = (_one_year if single else _period)(sb, annees, db.donnees_au)
    # Bound widgets write their option labels in the URL: options are readable labels, mapped back to codes.
    sel_communes = _chosen(
        sb,
        "Communes nouvelles",
        {nom: code for code, nom in communes.items()},
        "communes",
        "Toutes les communes",
        help="Heures : travail réalisé dans la commune. Personnes et sorties : habitants de la commune.",
        single=single,
    )
    if single:
        # The read-only role: one year and one commune. A filter of structures, types, contracts or sectors,
        # one value at a time, still gave counts back: the territory minus every other structure (each
        # printed by its own view) is the last one (the 2 examined exits of 2022 of the demo's only EITI). The details
        # by structure are on the Structures page and the Fiche structure, masked with the territory.
        dropped = [k for k in FILTRES_COORDINATION if st.query_params.get_all(k)]
        for k in dropped:
            del st.query_params[k]
        if dropped:
            _reduced("toutes les structures")
        filtres = Filtres(int(debut), int(fin), communes=tuple(sel_communes) or None)
    else:
        filtres = Filtres(
            int(debut), int(fin), communes=tuple(sel_communes) or None, **_coordination_filters(sb, db)
        )
    reductions = st.session_state.pop("_reductions", None)
    if reductions:
        st.toast(privacy.une_selection(", ".join(reductions)), icon=":material/lock:")
    return filtres, annees, communes


def _coordination_filters(sb, db: Database) -> dict:
    """The filters of structures, types, contracts and sectors (the coordination's only): Filtres' fields."""
    structures = cached(db, listes.structures)
    marches = cached(db, listes.marches)
    familles = _chosen(
        sb,
        "Familles de structures",
        {f: f for f in contract.FAMILIES},
        "familles",
        "Toutes les familles",
        help="IAE : ACI, AI, EI, ETTI, EITI. Handicap : EA, ESAT. Accompagnement : GEIQ, centres sociaux, "
        "missions locales, autres.",
    )
    types = _chosen(
        sb,
        "Types de structures",
        {t: t for t in contract.STRUCTURE_TYPES},
        "types",
        "Tous les types",
        help=" ; ".join(f"{t} : {lib}" for t, (lib, _) in contract.STRUCTURE_TYPES.items()),
    )
    sel_structures = _chosen(
        sb,
        "Structures",
        _unique_labels(structures, "structure_id", "nom"),
        "structures",
        "Toutes les structures",
    )
    sel_marches = _chosen(
        sb,
        "Marchés et partenariats",
        _unique_labels(marches, "marche_id", "intitule"),
        "marches",
        "Tous",
    )
    secteurs = _chosen(
        sb,
        "Public / privé",
        {lab: code for code, lab in SECTEUR_LABELS.items()},
        "secteurs",
        "Tous",
        help="Marchés publics (clauses, marchés réservés), partenariats privés (Veolia), heures hors marché.",
    )
    sel_types: set[str] | None = None
    if familles:
        sel_types = {t for f in familles for t in types_of_family(f)}
    if types:
        sel_types = set(types) if sel_types is None else sel_types & set(types)
    return {
        "types": tuple(sorted(sel_types)) if sel_types is not None else None,
        "structures": tuple(sel_structures) or None,
        "marches": tuple(sel_marches) or None,
        "secteurs": tuple(secteurs) or None,
    }


def _chosen(
    sb, label: str, code_by_label: dict[str, str], key: str, placeholder: str, help=None, single: bool = False
) -> list[str]:
    """A filter list bound to the address (?key=label...): the codes of the chosen labels. single: one label
    at most (the read-only role), from a list of one choice."""
    if single:
        one = _one(sb, label, list(code_by_label), key, placeholder, help)
        return [code_by_label[one]] if one is not None else []
    chosen = sb.multiselect(
        label,
        list(code_by_label),
        key=key,
        bind="query-params",
        select_all=False,  # its "Select all" entry has no French label
        placeholder=placeholder,
        help=help,
    )
    return [code_by_label[n] for n in chosen]


def _unique_labels(df: pd.DataFrame, id_col: str, label_col: str) -> dict[str, str]:
    """label -> id, the id appended to a label that two rows share."""
    counts = df[label_col].value_counts()
    return {
        (lab if counts[lab] == 1 else f"{lab} ({i})"): i
        for i, lab in zip(df[id_col], df[label_col], strict=True)
    }


def presentation_mode() -> bool:
    """Whether this run is in presentation mode: ?mode=presentation in the address when the session opens, then
    the toggle or the presenter's "Quitter". Read before anything is drawn (the page menu depends on it)."""
    # Kept apart from the toggle's own state, which a page change may reset: moving never unmasks.
    if "_presentation" not in st.session_state:
        st.session_state["_presentation"] = st.query_params.get("mode") == "presentation"
    return st.session_state["_presentation"]


def presentation_toggle() -> bool:
    """The toggle of presentation mode (masking on, sidebar hidden, large type), and ?mode=presentation in the
    address while it is on."""
    st.session_state["presentation"] = presentation_mode()
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
            f"valide, chargée le {fmt.moment(info.get('charge_le'))}."
            + (" Détail sur la page Données." if ctx.role == "coordination" else "")
        )
    if ctx.masked and not ctx.presentation:  # in presentation mode the presenter's bar says it, on one line
        st.caption(
            "Consultation : effectifs de moins de "
            f"{privacy.SEUIL} personnes masqués (« {privacy.MASQUE_TEXTE} », « {privacy.MASQUE_SECONDAIRE} » pour une "
            "case masquée afin qu'un total ne les redonne pas ; voir Méthodologie)."
        )
    if intro and not ctx.presentation:
        st.caption(intro)
    return ctx


# --- The communes filter set from a page (the map's click or list) -------------------------------------------
# That filter's widget already exists when the page runs, so the change is made in widget callbacks, which
# Streamlit runs before the next script run (before the sidebar).
COMMUNE_HORS_MAUGES = "carte_message"  # the message the map page shows after a click outside Mauges


def communes_from_map(key: str, noms: dict[str, str]) -> None:
    """Filter the dashboard to the communes nouvelles clicked on the map of widget `key` (a point's
    customdata[1] is its commune code, noms: code -> the filter's label); say so when none is one of them."""
    state = st.session_state.get(key) or {}
    points = (state.get("selection") or {}).get("points") or []
    codes = []
    for point in points:
        custom = point.get("customdata")
        if isinstance(custom, list | tuple) and len(custom) > 1 and custom[1]:
            codes.append(str(custom[1]))
    names = list(dict.fromkeys(noms[c] for c in codes if c in noms))
    if names:
        _set_communes(names)
    elif codes:
        st.session_state[COMMUNE_HORS_MAUGES] = (
            "Cette commune n'est pas dans Mauges Communauté : le filtre « Communes nouvelles » ne la propose pas."
        )


def commune_from_list(key: str) -> None:
    """Filter the dashboard to the commune nouvelle chosen in the list `key`, then empty the list."""
    name = st.session_state.get(key)
    if name:
        _set_communes([name])
    st.session_state[key] = None


def clear_communes() -> None:
    _set_communes([])


def _set_communes(names: list[str]) -> None:
    """The communes filter set from a page: the coordination's list, or the read-only role's one commune (the
    first of those clicked: _one keeps it for the session)."""
    ctx = st.session_state.get("_ctx")
    if ctx is not None and ctx.role == "lecture":
        st.session_state["_communes"] = names[0] if names else None
    else:
        st.session_state["communes"] = names
