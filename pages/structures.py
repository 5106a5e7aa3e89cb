"""Structures: the members (type, family, head office, adhesion), their contribution over the period under
the filters (hours, people, ETP, IAE exits and dynamic rate, revenue) and the communes where they work."""

import streamlit as st

from impact import charts, columns, fmt, privacy, sidebar, ui, view
from impact.indicators import MIN_SORTIES_TAUX, sorties, structures, vue

ctx = sidebar.page_header(
    "Structures",
    "Les structures membres du collectif, ce que chacune a apporté sur la période (heures, emplois, sorties, "
    "chiffre d'affaires) et les communes où elle a travaillé.",
)
f = ctx.filtres
membres = view.call(structures.membres, f)
actives = view.call(vue.structures_actives, f)

if membres.empty:
    ui.empty("Aucune structure membre ne correspond aux filtres de type ou de structure choisis.")
    st.stop()

cols = st.columns(3)
with cols[0]:
    ui.metric("Structures membres", fmt.integer(len(membres)), "structures_membres")
with cols[1]:
    ui.metric(f"Structures actives en {fmt.period(f.annee_debut, f.annee_fin)}", fmt.integer(actives))
with cols[2]:
    n_communes = view.call(structures.communes, f)["commune"].nunique()
    ui.metric("Communes d'intervention", fmt.integer(n_communes), "communes_intervention")

if f.is_commune:
    st.caption(
        "Filtre de commune actif : heures et ETP réalisés dans la commune, personnes et sorties des habitants "
        "de la commune ; le chiffre d'affaires n'est pas localisé (« — »)."
    )

data = view.call(structures.heures_par_structure, f)
fig = charts.hours_hbars(
    data, "structure", color="famille", y_title="heures travaillées", per_bar=42, base=90, minimum=320
)
# Keep the bars sorted by hours whatever their family (Plotly would group the categories by trace).
fig.update_yaxes(categoryorder="array", categoryarray=list(data["structure"]))
ui.chart_block(
    "Les heures travaillées par chaque structure sur la période",
    fig,
    data,
    caption="Somme des heures travaillées déclarées par la structure sur la période, sous les filtres actifs ; "
    "la couleur et le motif de la barre indiquent la famille (IAE, handicap, accompagnement). Les structures "
    "sans heure sur la période n'apparaissent pas.",
    filename="heures_par_structure",
)

st.subheader("Les structures membres et leur contribution sur la période")
shown, retirees = membres, False
if ctx.masked:
    lies = view.call(sorties.masques, f, ("structure",))["structure"]
    shown, retirees = structures.masquer(membres, lies), structures.sorties_retirees(membres, lies)
    if retirees:  # every exit count hidden: the columns would only give bounds (privacy.RETIRE)
        shown = shown.drop(columns=structures.SORTIES)
# The structure, its type and its figures first: on a projector they are read without scrolling sideways (the
# table is three screens wide); what describes the structure (type label, family, head office...) follows.
first = ["nom", "type", *(c for c in structures.CONTRIBUTION if c in shown.columns)]
ui.table(
    shown,
    keys=first + [c for c in shown.columns if c not in ("structure_id", "commune_siege_insee", *first)],
    labels={"nom": "structure"},
    filename="structures_membres",
    # masked above (structures.masquer), rates included
    count_columns=["personnes_employees", "sorties", "sorties_examinees", "sorties_dynamiques"],
    rates={},
    # On the projector: the structure and its contribution, no sideways scrolling (the download keeps all).
    room=first[: first.index("chiffre_affaires")] if "chiffre_affaires" in first else first,
)
st.caption(
    "Personnes employées : personnes distinctes avec au moins 1 heure travaillée dans la structure (une "
    "personne passée par deux structures compte dans chacune). ETP : heures ÷ base annuelle du type "
    "(colonne base ETP), moyenne annuelle sur la période. Sorties : structures IAE seulement (« — » pour les "
    "autres). Taux de sortie dynamique = sorties dynamiques ÷ sorties examinées (n/N dans les deux colonnes "
    f"voisines) ; « — » sous {MIN_SORTIES_TAUX} sorties examinées, trop peu pour être significatif."
    + (" " + privacy.retires_texte("les colonnes des sorties") if retirees else "")
    + (
        f" Effectifs de moins de {privacy.SEUIL} personnes affichés « {privacy.MASQUE_TEXTE} » ; « "
        f"{privacy.MASQUE_SECONDAIRE} » : case masquée pour qu'un total ne les redonne pas ; "
        f"{privacy.SORTIES_LIEES} ; un taux qui, avec n ou N, redonnerait un effectif masqué se lit "
        f"« {privacy.TAUX_MASQUE} »."
        if ctx.masked
        else ""
    )
)

st.subheader("Où travaillent les structures : heures par commune d'intervention")
where = view.call(structures.communes, f)
if where.empty:
    ui.empty("Aucune heure travaillée pour cette sélection.")
else:
    ui.table(
        where,
        keys=["structure", "commune_nom", "commune", "heures_travaillees"],
        labels={"commune": "code INSEE"},  # "commune" names a commune elsewhere
        formats={"commune": columns.TEXT.text},
        filename="structures_communes",
    )
    st.caption(
        "Commune nouvelle où l'intervention est placée (d'après son point GPS, sinon son code commune), ou la "
        "commune elle-même hors Mauges Communauté ; « non localisées » : heures déclarées sans intervention."
    )

ui.definition_expander(
    [
        "structures_membres",
        "heures_travaillees",
        "personnes_employees",
        "etp",
        "sorties",
        "sorties_examinees",
        "taux_sortie_dynamique",
        "chiffre_affaires",
        "communes_intervention",
    ]
)
