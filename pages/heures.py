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
partial = bool(f.structures or f.types or f.communes)
lieu = (
    " Avec un filtre de commune, les heures sont celles réalisées dans la commune et les personnes celles qui "
    "y résident."
    if f.communes
    else ""
)

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
            f"Heures — {r.secteur_libelle}",
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
fig = charts.bars(
    mois,
    "libelle",
    "heures_travaillees",
    unit="h",
    y_title="heures",
    value_fmt=fmt.integer,
)
if provisoire:
    charts.mark_provisional(fig, mois["provisoire"].tolist())
ui.chart_block(
    "Les heures travaillées, mois par mois sur la période",
    fig,
    mois,
    keys=["libelle", "heures_travaillees", "heures_facturees", "heures_formation", "provisoire"],
    labels={"libelle": "mois"},
    caption="Somme des heures travaillées déclarées pour chaque mois de la période (filtres actifs). Le tableau "
    "donne aussi, à part, les heures facturées et les heures de formation du mois."
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
    charts.bars(
        heures.mesures_par_annee(annees),
        "annee",
        "heures",
        color="mesure",
        stacked=False,
        unit="h",
        y_title="heures",
    ),
    annees,
    caption="Trois mesures côte à côte, jamais empilées ni additionnées, pour chaque année des données "
    f"({filters.SAUF_PERIODE})." + texts.derniere_annee_incomplete(ctx.annees, ctx.db.donnees_au),
    filename="heures_par_annee",
)
ui_accompagnement.formations_block(f)

secteurs = view.call(heures.par_secteur_annee, f)
contrats = heures.sur_contrat(secteurs)
ui.chart_block(
    "Les heures des marchés publics et des partenariats privés, année par année",
    charts.bars(
        contrats,
        "annee",
        "heures_travaillees",
        color="secteur_libelle",
        stacked=False,
        unit="h",
        y_title="heures",
    )
    if not contrats.empty
    else None,
    secteurs,
    keys=["annee", "secteur_libelle", "heures_travaillees"],
    caption="Heures travaillées sur les interventions des marchés publics (clauses, marchés réservés) et sur "
    "celles des partenariats privés hors commande publique (Veolia), montrées séparément pour chaque année "
    "des données (" + filters.SAUF_PERIODE + "). Les heures hors marché, bien plus nombreuses, sont dans le "
    "tableau.",
    filename="heures_par_secteur_et_annee",
    empty_message=heures.SANS_MARCHE if not secteurs.empty else None,
)

marches = view.call(heures.par_marche, f)
sur_marche = heures.sur_contrat(marches)
ui.chart_block(
    "Les heures travaillées sur chaque marché ou partenariat pendant la période",
    charts.hours_hbars(sur_marche, "libelle", color="secteur_libelle", per_bar=44)
    if not sur_marche.empty
    else None,
    marches,
    keys=["marche", "donneur_ordre", "secteur_libelle", "dispositif", "heures_travaillees", "personnes"],
    caption="Heures travaillées sur les interventions rattachées à chaque marché (public) ou partenariat "
    "(privé) ; la ligne « Hors marché » du tableau regroupe les heures sans marché. Personnes : au moins "
    "1 heure sur le marché pendant la période." + lieu,
    filename="heures_par_marche",
    empty_message=heures.SANS_MARCHE if not marches.empty else None,
)

structures = view.call(heures.par_structure, f)
ui.chart_block(
    "Les heures travaillées dans chaque structure pendant la période",
    charts.hours_hbars(structures, "structure"),
    structures,
    keys=["structure", "type", "heures_travaillees", "heures_facturees", "heures_formation", "personnes"],
    caption="Somme des heures travaillées déclarées par chaque structure ; le tableau donne à part les heures "
    "facturées et de formation, et les personnes ayant au moins 1 heure dans la structure." + lieu,
    filename="heures_par_structure",
)

activites = view.call(heures.par_activite, f)
ui.chart_block(
    "Les heures travaillées par activité pendant la période",
    charts.hours_hbars(activites, "activite"),
    activites,
    caption="Activité de l'intervention sur laquelle les heures sont déclarées ; « "
    + heures.SANS_ACTIVITE
    + " » regroupe les heures déclarées sans intervention. Personnes : au moins 1 heure dans l'activité."
    + lieu,
    filename="heures_par_activite",
)

pr = view.call(heures.prevues_realisees, f)

fig = charts.hbars(
    heures.prevues_realisees_series(pr),
    "ligne",
    "heures",
    color="série",
    stacked=False,
    unit="h",
    y_title="heures d'insertion (prévues : réparties au prorata des jours du marché dans chaque année civile)",
    height=max(320, 100 + 56 * len(pr)),
)
ui.chart_block(
    "Les heures d'insertion prévues et réalisées, par marché et par année",
    fig,
    pr,
    keys=[
        "intitule",
        "donneur_ordre",
        "annee",
        "heures_insertion_prevues",
        "heures_prevues",
        "heures_realisees",
        "taux_realisation",
    ],
    caption="Marchés et partenariats ayant des heures d'insertion prévues. "
    + heures.RULE_PRORATA
    + " Heures réalisées : heures travaillées sur les interventions du marché dans l'année. Un marché sans "
    "date de fin n'a pas de répartition annuelle."
    + (
        " Avec un filtre de structure, de type ou de commune, les heures réalisées sont celles de la sélection "
        "et les heures prévues restent celles du marché entier."
        if partial
        else ""
    ),
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
