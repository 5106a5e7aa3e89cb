"""Marchés et partenariats: each contract (buyer, instrument, period, hours planned and delivered, revenue,
structures), the timeline of contracts, and revenue by year and sector."""

import streamlit as st

from impact import charts, filters, fmt, sidebar, texts, ui, ui_accompagnement, view
from impact.indicators import heures, marches

ctx = sidebar.page_header(
    "Marchés et partenariats",
    "Les marchés publics clausés ou réservés et les partenariats privés (Veolia) sur lesquels les structures "
    "du collectif ont travaillé : acheteur, dispositif, durée, heures d'insertion, chiffre d'affaires.",
)
f = ctx.filtres
s = view.call(marches.synthese, f)
ui.metrics(
    (
        "Marchés et partenariats",
        fmt.integer(s["marches"]),
        None,
        ui.Note(
            f"{fmt.plural(s['marches_publics'], 'public')}, {fmt.plural(s['partenariats_prives'], 'privé')}"
        ),
    ),
    ("Heures, marchés publics", fmt.hours(s["heures_publics"]), "secteurs_marches"),
    ("Heures, partenariats privés", fmt.hours(s["heures_prives"]), "secteurs_marches"),
    (
        "Chiffre d'affaires rattaché",
        texts.chiffre_affaires_text(s["chiffre_affaires"], f),
        "chiffre_affaires",
    ),
)
st.caption(
    "Marchés en cours pendant la période, ou ayant des heures ou du chiffre d'affaires dans la période. "
    "Heures : heures travaillées sur les interventions rattachées au marché ; les heures des partenariats "
    "privés (hors commande publique) ne sont jamais mêlées à celles des clauses."
    + (
        " Le chiffre d'affaires n'est pas localisé : il n'est pas donné avec un filtre de commune."
        if f.communes
        else ""
    )
)

ui.table_block(
    "Chaque marché ou partenariat de la période : heures, chiffre d'affaires, acheteur et dispositif",
    view.call(marches.liste, f),
    keys=marches.TABLEAU_COLUMNS,
    room=marches.TABLEAU_SALLE,
    caption=marches.lecture_liste(f),
    filename="marches_et_partenariats",
    empty_message="Aucun marché ni partenariat pour cette sélection : aucun n'est en cours pendant la période, "
    "ou la sélection n'y a pas d'heures.",
)

chrono = view.call(marches.chronologie, f)
fig = charts.timeline(
    chrono,
    "libelle",
    "date_debut",
    "fin_affichee",
    color="secteur_libelle",
    shade=(f"{f.annee_debut}-01-01", f"{f.annee_fin}-12-31"),
)
ui.chart_block(
    "La chronologie des marchés publics et des partenariats privés, de leur début à leur fin",
    fig,
    chrono,
    keys=["intitule", "donneur_ordre", "secteur_libelle", "dispositif_libelle", "date_debut", "date_fin"],
    caption="Une barre par marché ou partenariat, de sa date de début à sa date de fin, sur toutes les années "
    f"des données ({filters.SAUF_PERIODE} ; la période choisie, {fmt.period(f.annee_debut, f.annee_fin)}, "
    "est grisée). Un partenariat sans date de fin, marqué « en cours », est prolongé jusqu'à la date des "
    f"données ({fmt.day(ctx.db.donnees_au)}).",
    filename="chronologie_marches",
)

CA_TITLE = "Le chiffre d'affaires des marchés publics et des partenariats privés, année par année"
ca = view.call(marches.ca_par_annee_secteur, f)
sur_marche = heures.sur_contrat(ca, ctx.db.donnees_au)
ui.chart_block(
    CA_TITLE,
    None
    if f.communes or sur_marche.empty
    else charts.bars(
        sur_marche,
        "annee",
        "chiffre_affaires",
        color="secteur_libelle",
        stacked=False,
        unit="€",
        y_title="euros HT",
    ),
    ca,
    keys=["annee", "secteur_libelle", "chiffre_affaires"],
    caption="Chiffre d'affaires HT des structures rattaché à un marché public ou à un partenariat privé, "
    "montrés séparément pour chaque année des données (" + filters.SAUF_PERIODE + "). Le chiffre "
    "d'affaires sans marché rattaché (hors marché), bien plus élevé, est dans le tableau.",
    filename="chiffre_affaires_par_annee_et_secteur",
    empty_message=marches.ca_absent(f, ca),
)

ui_accompagnement.partenaire_block(f)

ui.definition_expander(["secteurs_marches", "heures_insertion_prevues_realisees", "chiffre_affaires"])
