"""Structures: the members (type, family, head office, adhesion), their contribution over the period under
the filters (hours, people, ETP, IAE exits and dynamic rate, revenue) and the communes where they work."""

import pandas as pd
import streamlit as st

from impact import charts, fmt, privacy, sidebar, ui, view
from impact.indicators import MIN_SORTIES_TAUX, structures, vue

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
        "de la commune ; le chiffre d'affaires n'est pas localisé (« — »)."
    )

data = view.call(structures.heures_par_structure, f)
fig = charts.hbars(
    data,
    "structure",
    "heures_travaillees",
    color="famille",
    unit="h",
    y_title="heures travaillées",
    height=max(320, 90 + 42 * len(data)),
)
# Keep the bars sorted by hours whatever their family (Plotly would group the categories by trace).
fig.update_yaxes(categoryorder="array", categoryarray=list(data["structure"]))
ui.chart_block(
    "Les heures travaillées par chaque structure sur la période",
    fig,
    data.rename(columns={"heures_travaillees": "heures travaillées", "etp": "ETP"}),
    caption="Somme des heures travaillées déclarées par la structure sur la période, sous les filtres actifs ; "
    "la couleur et le motif de la barre indiquent la famille (IAE, handicap, accompagnement). Les structures "
    "sans heure sur la période n'apparaissent pas.",
    filename="heures_par_structure",
    formats={"heures travaillées": fmt.number, "ETP": lambda v: fmt.number(v, 2)},
)

st.subheader("Les structures membres et leur contribution sur la période")
shown = structures.masquer(membres) if ctx.masked else membres
table = shown.drop(columns=["structure_id", "commune_siege_insee"]).rename(
    columns={
        "nom": "Structure",
        "type": "Type",
        "type_libelle": "Libellé du type",
        "famille": "Famille",
        "commune_siege": "Commune du siège",
        "commune_nouvelle_siege": "Commune nouvelle du siège",
        "date_adhesion": "Adhésion",
        "heures_travaillees": "Heures travaillées",
        "personnes_employees": "Personnes employées",
        "etp": "ETP",
        "base_etp": "Base ETP",
        "sorties": "Sorties (IAE)",
        "sorties_examinees": "Sorties examinées",
        "sorties_dynamiques": "Sorties dynamiques",
        "taux_sortie_dynamique": "Taux de sortie dynamique",
        "chiffre_affaires": "Chiffre d'affaires HT",
        "communes": "Communes d'intervention (heures)",
    }
)
ui.table(
    table,
    filename="structures_membres",
    count_columns=["Personnes employées", "Sorties (IAE)", "Sorties examinées", "Sorties dynamiques"],
    formats={
        "Adhésion": lambda d: fmt.day(d) if pd.notna(d) else fmt.DASH,
        "Heures travaillées": fmt.number,
        "ETP": lambda v: fmt.number(v, 2),
        "Taux de sortie dynamique": fmt.percent,
        "Chiffre d'affaires HT": fmt.euros,
    },
)
st.caption(
    "Personnes employées : personnes distinctes avec au moins 1 heure travaillée dans la structure (une "
    "personne passée par deux structures compte dans chacune). ETP : heures ÷ base annuelle du type "
    "(colonne Base ETP), moyenne annuelle sur la période. Sorties : structures IAE seulement (« — » pour les "
    "autres). Taux de sortie dynamique = sorties dynamiques ÷ sorties examinées (n/N dans les deux colonnes "
    f"voisines) ; « — » sous {MIN_SORTIES_TAUX} sorties examinées, trop peu pour être significatif."
    + (
        f" Effectifs de moins de {privacy.SEUIL} personnes affichés « {privacy.MASQUE} » ; « "
        f"{privacy.MASQUE_SECONDAIRE} » : case masquée pour qu'un total ne les redonne pas ; un taux qui, avec "
        f"n ou N, redonnerait un effectif masqué se lit « {privacy.TAUX_MASQUE} »."
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
        where[["structure", "commune_nom", "commune", "heures_travaillees"]].rename(
            columns={
                "structure": "Structure",
                "commune_nom": "Commune d'intervention",
                "commune": "Code INSEE",
                "heures_travaillees": "Heures travaillées",
            }
        ),
        filename="structures_communes",
        formats={"Heures travaillées": fmt.number, "Code INSEE": lambda c: c if c else fmt.DASH},
    )
    st.caption(
        "Commune nouvelle où l'intervention est placée (d'après son point GPS, sinon son code commune), ou la "
        "commune elle-même hors Mauges Communauté ; « non localisées » : heures déclarées sans intervention."
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
