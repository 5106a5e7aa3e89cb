"""Carte des interventions: communes coloured by an indicator, interventions and head offices as points.

Clicking a commune (or an intervention) on the map, or choosing one in the list, sets the sidebar filter
"Communes nouvelles" for the whole dashboard, through the callbacks of impact/sidebar.py.
"""

import streamlit as st

from impact import fmt, sidebar, texts, ui, ui_carte, view
from impact.indicators import territoire

ctx = sidebar.page_header(
    "Carte des interventions",
    "Où le collectif travaille et où habitent les personnes qu'il emploie, commune par commune.",
)
f = ctx.filtres
NOM_PAR_CODE = dict(ctx.communes)  # the six communes nouvelles: code -> name (the filter's labels)
# In presentation mode the map comes right under the title, its settings after it: the whole territory on a
# projector's first screen (its colour bar names the indicator, the header the period).
carte_slot = st.container() if ctx.presentation else None
reglages = ui_carte.reglages(ctx.presentation)
niveau, indicateur, couleur = reglages.niveau, reglages.indicateur, reglages.couleur

communes = view.call(territoire.par_commune, f, niveau)
points = view.call(territoire.interventions, f)
sieges = view.call(territoire.sieges, f)
hors = view.call(territoire.hors_carte, f, niveau)

if sidebar.COMMUNE_HORS_MAUGES in st.session_state:
    st.warning(st.session_state.pop(sidebar.COMMUNE_HORS_MAUGES))

periode = fmt.period(f.annee_debut, f.annee_fin)
titre = f"{indicateur.label} par commune, {periode}"
nothing = communes[["heures", "interventions", "personnes"]].to_numpy().sum() == 0 and points.empty
if nothing:
    st.subheader(titre)
    ui.empty()
    st.stop()

explication = texts.carte_explication(indicateur, couleur)
if ctx.presentation:
    with carte_slot:
        dessines = ui_carte.dessiner(ctx, communes, sieges, reglages, NOM_PAR_CODE)
    st.markdown(f"**{titre}.** {explication}")
else:
    st.subheader(titre)
    st.markdown(explication)
    dessines = ui_carte.dessiner(ctx, communes, sieges, reglages, NOM_PAR_CODE)
st.caption(texts.carte_notes(points, hors, masked=ctx.masked, colonne=indicateur.colonne, dessines=dessines))

pick, clear = st.columns([3, 2], vertical_alignment="bottom")
with pick:
    st.selectbox(
        "Ou choisissez une commune nouvelle pour filtrer tout le tableau de bord",
        list(NOM_PAR_CODE.values()),
        index=None,
        key="carte_liste",
        placeholder="Choisir une commune…",
        on_change=sidebar.commune_from_list,
        args=("carte_liste",),
    )
with clear:
    if f.communes:
        st.button(
            "Revenir à toutes les communes", on_click=sidebar.clear_communes, icon=":material/filter_alt_off:"
        )

ui.lazy_expander(
    "Voir le tableau des valeurs",
    "voir_carte_communes",
    lambda: ui.table(
        territoire.tableau_communes(communes, niveau),
        filename=f"carte_{niveau}_{f.annee_debut}_{f.annee_fin}",
        labels={"heures": "heures réalisées"},
        formats={"heures": fmt.number},  # as on the map's colour bar, whose title gives the unit
        key="dl_carte_communes",
    ),
)


def interventions():
    if points.empty:
        ui.empty("Aucune intervention active sur la période avec ces filtres.")
    else:
        ui.table(
            territoire.tableau_interventions(points),
            filename=f"carte_interventions_{f.annee_debut}_{f.annee_fin}",
            key="dl_carte_interventions",
        )


ui.lazy_expander("Voir la liste des interventions de la carte", "voir_carte_interventions", interventions)
