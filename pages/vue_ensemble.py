"""Vue d'ensemble: the key figures of the period, their change, the years since the start, the timeline."""

import pandas as pd
import streamlit as st

from impact import charts, filters, fmt, privacy, sidebar, texts, ui, view
from impact.indicators import fraicheur, kpis, vue

JALONS_VISIBLES = 4  # the collective's latest milestones shown on the home page, the others folded

ctx = sidebar.page_header(
    "Vue d'ensemble", "Les chiffres clés du collectif pour la période et les filtres choisis."
)
f = ctx.filtres
k = view.call(kpis, f)
prev = view.call(kpis, f.previous()) if f.annee_debut - f.nb_annees >= ctx.annees[0] else None
actives = view.call(vue.structures_actives, f)
au = ctx.db.donnees_au
partial = filters.annee_incomplete(f.annee_fin, au)
fr = view.call(fraicheur.fraicheur)
provisoire = any(fr.annee_provisoire(a) for a in f.years)  # months received but not from every structure
prov = " (provisoire)" if provisoire else ""

# The exit rate is compared with the previous period as the tiles compare the volumes: both ways shown. One
# commune nouvelle: its residents (wherever they worked) and the work done there, said apart.
lieu = dict(ctx.communes).get(f.communes[0]) if f.communes and len(f.communes) == 1 else None
st.markdown(texts.resume(k, actives, f, masked=ctx.masked, prev=None if partial else prev, lieu=lieu))


def delta(key):
    return texts.delta_periode(key, k, prev, f, masked=ctx.masked, incomplete=partial)


ui.metrics(
    (
        f"Heures travaillées{prov}",
        fmt.hours(k["heures_travaillees"]),
        "heures_travaillees",
        delta("heures_travaillees"),
    ),
    (
        f"Personnes employées{prov}",
        ui.people(ui.beside(k, "personnes_employees")),
        "personnes_employees",
        delta("personnes_employees"),
    ),
    (
        f"En parcours (IAE){prov}",
        ui.people(ui.beside(k, "salaries_en_parcours")),
        "salaries_en_parcours",
        delta("salaries_en_parcours"),
    ),
    (f"Équivalents temps plein{prov}", fmt.etp(k["etp"]), "etp", delta("etp")),
)
ca = k["chiffre_affaires"]
cols = ui.metrics(
    ("Sorties (IAE)", ui.people(ui.beside(k, "sorties")), "sorties", delta("sorties")),  # grey: ui.SANS_SENS
    None,
    None,
    (
        "Chiffre d'affaires",
        texts.chiffre_affaires_text(ca, f),
        "chiffre_affaires",
        delta("chiffre_affaires") if ca is not None else None,
    ),
)
ui.rate_metrics(k, cols[1:3])
if partial:
    st.caption(
        f"Année {f.annee_fin} incomplète (données jusqu'au {fmt.day(au)}) : pas de comparaison avec la période "
        "précédente, qui serait trompeuse."
    )
if provisoire:
    st.caption(
        f"Chiffres provisoires : {fr.resume()}. Les heures déjà reçues après le {fmt.day(au)} sont comptées, "
        "mais elles sont incomplètes."
    )
if k["taux_sortie_dynamique"] is None:
    st.caption(texts.SANS_TAUX_ECRAN)

left, right = st.columns([3, 2])
with left:
    series = view.call(vue.par_annee, f)
    fig = charts.bars_by_year(series, "heures_travaillees", au, unit="h", y_title="heures")
    ui.chart_block(
        "Les heures travaillées, année par année depuis le début des données",
        fig,
        series,
        caption=f"Somme des heures travaillées déclarées chaque année ({filters.SAUF_PERIODE})."
        + texts.derniere_annee_incomplete(ctx.annees, au),
        filename="heures_et_personnes_par_annee",
        count_columns=["personnes_employees", "salaries_en_parcours", "structures_actives"],
    )
    fig2 = charts.lines(
        vue.personnes_series(ui.chart_counts(series, list(vue.PERSONNES)), au),
        "annee",
        "personnes",
        color="série",
        y_title="personnes",
    )
    st.subheader("Les personnes employées chaque année, dont les salariés en parcours d'insertion")
    ui.plot(fig2, key="fig_personnes_par_annee")
    st.caption(
        "Personnes distinctes ayant au moins 1 heure travaillée dans l'année ; les valeurs sont dans le tableau du graphique des heures (« Voir le tableau des valeurs »)."
        + privacy.chart_note(ctx.masked, "point")
    )
with right:
    st.subheader("L'histoire du collectif")
    jal = view.call(vue.jalons)
    if jal.empty:
        ui.empty("Aucun jalon dans les données (table jalons facultative).")

    def jalons(rows: pd.DataFrame) -> None:
        for row in rows.itertuples():
            st.markdown(
                f"**{fmt.day_long(row.date)}** — {row.titre}"
                + (f"  \n{row.description}" if isinstance(row.description, str) else "")
            )

    # The latest ones in sight, the earlier ones folded (in order): the column stays as tall as the charts
    # beside it, where the whole story ran three screens down a projector.
    anciens, recents = jal.iloc[:-JALONS_VISIBLES], jal.iloc[-JALONS_VISIBLES:]
    if len(anciens):
        with st.expander(
            f"Les {len(anciens)} jalons précédents, depuis {pd.Timestamp(anciens['date'].iloc[0]).year}"
        ):
            jalons(anciens)
    jalons(recents)
