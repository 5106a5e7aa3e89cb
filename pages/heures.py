"""Heures et activités: hours by month and year, by sector (public clauses, private partnership, outside any
contract), contract, structure and activity; insertion hours planned versus delivered per contract and year."""

import streamlit as st

from impact import charts, filters, fmt, sidebar, texts, ui, ui_accompagnement, view
from impact.indicators import core, fraicheur, heures

ctx = sidebar.page_header(
    "Heures et activités",
    "Les heures travaillées par mois, par année, par marché ou partenariat, par structure et par activité. "
    "Les heures facturées (AI, ETTI) et les heures de formation sont des mesures à part : elles ne "
    "s'ajoutent jamais aux heures travaillées.",
)
f = ctx.filtres
lieu = heures.LIEU if f.communes else ""

k = view.call(core.heures, f)
if k["heures_travaillees"] == 0 and k["heures_facturees"] == 0 and k["heures_formation"] == 0:
    ui.empty(
        "Aucune heure déclarée pour cette sélection : essayez une autre période, une autre commune ou une "
        "autre structure."
    )
    st.stop()

ui.metrics(
    ("Heures travaillées", fmt.hours(k["heures_travaillees"]), "heures_travaillees"),
    ("Heures facturées (AI, ETTI)", fmt.hours(k["heures_facturees"]), "heures_facturees"),
    ("Heures de formation", fmt.hours(k["heures_formation"]), "heures_formation"),
)
st.caption(heures.TROIS_MESURES)

sect = view.call(heures.par_secteur, f)
ui.metrics(
    *(
        (
            f"Heures, {r.secteur_libelle[:1].lower()}{r.secteur_libelle[1:]}",  # as on Marchés
            fmt.hours(r.heures_travaillees),
            "secteurs_marches",
            ui.Note(f"{fmt.percent(r.part)} des heures travaillées"),
        )
        for r in sect.itertuples()
    )
)
st.caption(heures.SECTEURS)

mois = view.call(heures.par_mois, f)
provisoire = bool(mois["provisoire"].any())  # months some active structures have not sent: hatched
ui.chart_block(
    "Les heures travaillées, mois par mois sur la période",
    charts.hours_by_month(mois),
    mois,
    keys=["libelle", "heures_travaillees", "heures_facturees", "heures_formation", "provisoire"],
    labels={"libelle": "mois"},
    caption=heures.LECTURE_MOIS
    + lieu
    + (
        f" Mois provisoires (hachurés) : {view.call(fraicheur.fraicheur).resume()} ; leurs heures sont incomplètes."
        if provisoire
        else ""
    ),
    filename="heures_par_mois",
)

annees = view.call(heures.par_annee, f)
ui.chart_block(
    "Les heures travaillées, facturées et de formation, année par année, côte à côte",
    charts.hours_side_by_side(
        heures.mesures_par_annee(annees, ctx.db.donnees_au), "annee", "heures", "mesure"
    ),
    annees,
    caption="Trois mesures côte à côte, jamais empilées ni additionnées, pour chaque année des données "
    f"({filters.SAUF_PERIODE})." + texts.derniere_annee_incomplete(ctx.annees, ctx.db.donnees_au),
    filename="heures_par_annee",
)
ui_accompagnement.formations_block(f)

secteurs = view.call(heures.par_secteur_annee, f)
contrats = heures.sur_contrat(secteurs, ctx.db.donnees_au)
ui.chart_block(
    "Les heures des marchés publics et des partenariats privés, année par année",
    charts.hours_side_by_side(contrats, "annee", "heures_travaillees", "secteur_libelle")
    if not contrats.empty
    else None,
    secteurs,
    keys=["annee", "secteur_libelle", "heures_travaillees"],
    caption=heures.LECTURE_SECTEURS_ANNEE,
    filename="heures_par_secteur_et_annee",
    empty_message=heures.SANS_MARCHE if not secteurs.empty else None,
)

# The hours of the period by contract, by structure or by activity: one ranking at a time, chosen above the
# chart and kept in the address (three charts in a row made the page long to scroll in a meeting, and to draw).
titre = st.container()
PAR_MARCHE, PAR_STRUCTURE, PAR_ACTIVITE = heures.REPARTITIONS
par = st.segmented_control(
    "Répartir les heures de la période par",
    heures.REPARTITIONS,
    default=PAR_MARCHE,
    required=True,
    key="heures_par",
    bind="query-params",
)
if par == PAR_STRUCTURE:
    data = view.call(heures.par_structure, f)
    title = "Les heures travaillées dans chaque structure pendant la période"
    fig = charts.hours_hbars(data, "structure")
    options = {
        "keys": [
            "structure",
            "type",
            "heures_travaillees",
            "heures_facturees",
            "heures_formation",
            "personnes",
        ],
        "caption": heures.LECTURE_STRUCTURES + lieu,
        "filename": "heures_par_structure",
    }
elif par == PAR_ACTIVITE:
    data = view.call(heures.par_activite, f)
    title = "Les heures travaillées par activité pendant la période"
    fig = charts.hours_hbars(data, "activite")
    options = {"caption": heures.LECTURE_ACTIVITES + lieu, "filename": "heures_par_activite"}
else:
    data = view.call(heures.par_marche, f)
    sur_marche = heures.sur_contrat(data)
    title = "Les heures travaillées sur chaque marché ou partenariat pendant la période"
    fig = (
        charts.hours_hbars(sur_marche, "libelle", color="secteur_libelle", per_bar=44)
        if not sur_marche.empty
        else None
    )
    options = {
        "keys": [
            "marche",
            "donneur_ordre",
            "secteur_libelle",
            "dispositif",
            "heures_travaillees",
            "personnes",
        ],
        "caption": heures.LECTURE_MARCHES + lieu,
        "filename": "heures_par_marche",
        "empty_message": heures.SANS_MARCHE if not data.empty else None,
    }
titre.subheader(title)
ui.chart_block(None, fig, data, **options)

pr = view.call(heures.prevues_realisees, f)
ui.chart_block(
    "Les heures d'insertion prévues et réalisées, par marché et par année",
    charts.planned_delivered_hbars(heures.prevues_realisees_series(pr), rows=len(pr)),
    pr,
    keys=heures.COLONNES_PREVUES_REALISEES,
    caption=heures.lecture_prevues_realisees(f),
    filename="heures_insertion_prevues_realisees",
)

ui.definition_expander(
    [
        "heures_travaillees",
        "heures_facturees",
        "heures_formation",
        "secteurs_marches",
        "heures_insertion_prevues_realisees",
        "formations",
    ]
)
