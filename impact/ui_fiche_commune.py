"""The blocks of the Fiche commune page: its own choice of commune and year (← and → walk the six communes,
the meeting's order), the key figures of the commune, and the map of its communes déléguées. Masking goes
through ui (people, rate_metrics), which applies impact/privacy.py."""

from __future__ import annotations

import streamlit as st

from impact import filters, fmt, geo, maps, texts, ui, view
from impact.filters import Filtres
from impact.indicators import commune, territoire
from impact.indicators.commune import Fiche
from impact.indicators.core import kpis
from impact.view import Context

KEY_COMMUNE, KEY_ANNEE = "fiche_commune", "fiche_annee"


def _step(codes: list[str], delta: int):
    """Walks the six communes in turn (the meeting's order), without touching the sidebar filters."""
    previous, following = commune.voisines(codes, st.session_state[KEY_COMMUNE])
    st.session_state[KEY_COMMUNE] = following if delta > 0 else previous


def _step_button(codes: list[str], delta: int) -> None:
    """ "Commune précédente" (← key) or "Commune suivante" (→ key); the button wraps rather than cut its label."""
    before = delta < 0
    st.button(
        "Commune précédente" if before else "Commune suivante",
        icon=":material/arrow_back:" if before else ":material/arrow_forward:",
        on_click=_step,
        args=(codes, delta),
        width="stretch",
        shortcut="Left" if before else "Right",
        wrap=True,
    )  # no tooltip: after a click it would stay under the mouse in front of the room (the keys: menu Pages)


def choix(ctx: Context) -> tuple[str, int]:
    """The commune nouvelle and the year of the sheet: the sidebar's commune and last year at first, then the
    page's own choice. ← and → walk the communes (the keys a presenter has at hand)."""
    noms = view.call(commune.communes)
    codes = list(noms)
    if st.session_state.get(KEY_COMMUNE) not in codes:
        chosen = ctx.filtres.communes[0] if ctx.filtres.communes else None
        st.session_state[KEY_COMMUNE] = chosen if chosen in codes else codes[0]
    if st.session_state.get(KEY_ANNEE) not in ctx.annees:
        st.session_state[KEY_ANNEE] = ctx.filtres.annee_fin
    # The year list holds "2026 (en cours)" whole (filters.annee_libelle).
    left, mid, right, year = st.columns([1.7, 2.5, 1.7, 1.9], vertical_alignment="bottom")
    with left:
        _step_button(codes, -1)
    with mid:
        code = st.selectbox(
            "Commune nouvelle",
            codes,
            format_func=noms.get,
            key=KEY_COMMUNE,
            placeholder="Choisir une commune",
        )
    with right:
        _step_button(codes, 1)
    with year:
        annee = st.selectbox(
            "Année",
            sorted(ctx.annees, reverse=True),
            key=KEY_ANNEE,
            placeholder="Choisir une année",
            format_func=lambda a: filters.annee_libelle(a, ctx.db.donnees_au),
        )
    return code, annee


def titre(fiche: Fiche, donnees_au) -> None:
    """The commune and the year, and a warning when the year is still being recorded."""
    st.header(f"{fiche.nom} — {fiche.annee}")
    if filters.annee_incomplete(fiche.annee, donnees_au):
        st.warning(f"Année {fiche.annee} incomplète : données jusqu'au {fmt.day(donnees_au)}.")


def chiffres_cles(fiche: Fiche) -> None:
    """The residents employed, the work done in the commune, the exits of its residents."""
    # The commune's key figures are kpis under its filter: hidden as the other pages of the commune hide them.
    k = view.with_partners(fiche.chiffres, kpis, commune.filtres(fiche.code, fiche.annee))
    r = fiche.residents
    st.caption(commune.LECTURE)
    st.markdown("**Les habitants employés par les structures du collectif**")
    ui.metrics(
        ("Habitants employés", ui.people(ui.beside(k, "personnes_employees")), "personnes_employees"),
        (
            "dont salariés en parcours (IAE)",
            ui.people(ui.beside(k, "salaries_en_parcours")),
            "salaries_en_parcours",
        ),
        ("Heures travaillées par les habitants", fmt.hours(r["heures_travaillees"]), "heures_travaillees"),
        ("ETP des habitants", fmt.etp(r["etp"]), "etp"),
    )
    st.markdown("**Le travail réalisé dans la commune**")
    ui.metrics(
        ("Heures travaillées dans la commune", fmt.hours(k["heures_travaillees"]), "heures_travaillees"),
        ("Équivalents temps plein (dans la commune)", fmt.etp(k["etp"]), "etp"),
        ("Chantiers et sites", fmt.integer(len(fiche.interventions)), "heures_par_commune"),
        ("Structures actives dans la commune", fmt.integer(fiche.structures_actives), "heures_par_commune"),
    )
    st.markdown("**Les sorties de parcours des habitants (IAE)**")
    ui.exit_metrics(k)
    if k["taux_sortie_dynamique"] is None and k["sorties"]:
        st.caption(texts.SANS_TAUX_ECRAN)


def chiffres_presentation(fiche: Fiche) -> None:
    """Presentation mode: four key figures, two by two, beside the map."""
    k = fiche.chiffres
    ui.metrics(
        ("Habitants employés", ui.people(ui.beside(k, "personnes_employees")), "personnes_employees"),
        ("Heures dans la commune", fmt.hours(k["heures_travaillees"]), "heures_travaillees"),
    )
    ui.metrics(
        ("Chantiers et sites", fmt.integer(len(fiche.interventions)), "heures_par_commune"),
        ("Structures actives", fmt.integer(fiche.structures_actives), "heures_par_commune"),
    )


def carte(code: str, annee: int, *, masked: bool, height: int, width: int = maps.MAP_WIDTH_PX) -> None:
    """The communes déléguées of the commune shaded by the hours done there in the year, its interventions.
    width: the narrowest width the map gets (its colour bar and legend stand under it)."""
    f = Filtres.annee(annee, communes=(code,))
    communes = view.call(territoire.par_commune, f, "deleguee")
    communes = communes[communes["code_commune_nouvelle"] == code]
    if communes.empty:
        ui.empty()
        return
    dots = view.call(maps.commune_dots, code, annee)
    spec = maps.choropleth(
        geo.geojson("deleguee"),
        communes,
        column="heures",
        label="Heures réalisées",
        unit="heures",
        presentation=masked,
        height=height,
        width=width,
        clear_of=maps.name_clearance(dots),
    )
    maps.add_interventions(spec, dots, legend_title="Interventions (par structure)")
    maps.legend_below(spec)
    ui.plot(
        maps.figure(spec), key="fig_carte_fiche"
    )  # no zoom: the names of the communes stay on them (maps.names_trace)
    notes = [
        (
            "Communes déléguées colorées selon les heures réalisées dans l'année ; chaque point est une intervention "
            "(taille selon ses heures, couleur selon la structure), placée à son point GPS ou, à défaut, dans sa "
            "commune déléguée."
        ),
        texts.points_reunis(int(dots["n"].sum()), len(dots)),
        f"{geo.source_label()}.",
    ]
    st.caption(" ".join(n for n in notes if n))
