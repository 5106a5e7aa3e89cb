"""Vue d'ensemble: the key figures of the period, their change, the years since the start, the timeline."""

import streamlit as st

from impact import charts, filters, fmt, privacy, sidebar, texts, ui, view
from impact.indicators import MIN_SORTIES_TAUX, fraicheur, kpis, vue

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

st.markdown(texts.resume(k, actives, f, masked=ctx.masked))


PEOPLE = ("personnes_employees", "salaries_en_parcours")


def delta(key):
    """Change against the previous period of the same length; none when either period is incomplete."""
    if prev is None or not prev[key] or partial:
        return None
    if ctx.masked and key in PEOPLE and (privacy.is_small(k[key]) or privacy.is_small(prev[key])):
        return None  # the change and one of the two counts would give the masked one back
    p = f.previous()
    change = (k[key] - prev[key]) / prev[key]
    # An ASCII minus: Streamlit reads the sign of the string to choose the arrow and its colour.
    return f"{'-' if change < 0 else '+'}{fmt.percent(abs(change))} par rapport à {fmt.period(p.annee_debut, p.annee_fin)}"


cols = st.columns(4)
with cols[0]:
    ui.metric(
        f"Heures travaillées{prov}",
        fmt.hours(k["heures_travaillees"]),
        "heures_travaillees",
        delta("heures_travaillees"),
    )
with cols[1]:
    ui.metric(
        f"Personnes employées{prov}",
        ui.people(k["personnes_employees"]),
        "personnes_employees",
        delta("personnes_employees"),
    )
with cols[2]:
    ui.metric(
        f"En parcours (IAE){prov}",
        ui.people(k["salaries_en_parcours"]),
        "salaries_en_parcours",
        delta("salaries_en_parcours"),
    )
with cols[3]:
    ui.metric(f"Équivalents temps plein{prov}", fmt.etp(k["etp"]), "etp", delta("etp"))

cols = st.columns(4)
with cols[0]:
    ui.metric("Sorties (IAE)", ui.people(k["sorties"]), "sorties")
ui.rate_metrics(k, cols[1:3])
with cols[3]:
    ca = k["chiffre_affaires"]
    ui.metric(
        "Chiffre d'affaires",
        fmt.euros(ca) if ca is not None else ("non localisé" if f.is_commune else "non renseigné"),
        "chiffre_affaires",
        delta("chiffre_affaires") if ca is not None else None,
    )
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
    st.caption(
        f"Aucun taux n'est calculé sous {MIN_SORTIES_TAUX} sorties examinées : trop peu pour être significatif."
    )

left, right = st.columns([3, 2])
with left:
    series = view.call(vue.par_annee, f)
    fig = charts.bars(
        vue.annee_texte(series),
        "annee",
        "heures_travaillees",
        unit="h",
        y_title="heures",
    )
    ui.chart_block(
        "Les heures travaillées, année par année depuis le début des données",
        fig,
        series,
        caption=f"Somme des heures travaillées déclarées chaque année ({filters.SAUF_PERIODE}). "
        + (
            f"La dernière année est incomplète : données jusqu'au {fmt.day(au)}."
            if filters.annee_incomplete(ctx.annees[-1], au)
            else ""
        ),
        filename="heures_et_personnes_par_annee",
        count_columns=["personnes_employees", "salaries_en_parcours", "structures_actives"],
    )
    fig2 = charts.lines(
        vue.personnes_series(ui.chart_counts(series, list(vue.PERSONNES))),
        "annee",
        "personnes",
        color="série",
        y_title="personnes",
    )
    st.subheader("Les personnes employées chaque année, dont les salariés en parcours d'insertion")
    ui.plot(fig2, key="fig_personnes_par_annee")
    st.caption(
        "Personnes distinctes ayant au moins 1 heure travaillée dans l'année ; les valeurs sont dans le tableau du graphique des heures (« Voir le tableau des valeurs »)."
        + privacy.chart_note(ctx.masked)
    )
with right:
    st.subheader("L'histoire du collectif")
    jal = view.call(vue.jalons)
    if jal.empty:
        ui.empty("Aucun jalon dans les données (table jalons facultative).")
    for row in jal.itertuples():
        st.markdown(
            f"**{fmt.day_long(row.date)}** — {row.titre}"
            + (f"  \n{row.description}" if isinstance(row.description, str) else "")
        )
