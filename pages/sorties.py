"""Sorties: IAE exits by category and reason, the two official rates (n/N) by year, type and structure."""

import pandas as pd
import streamlit as st

from impact import charts, filters, fmt, privacy, sidebar, ui, ui_accompagnement, view
from impact.indicators import MIN_SORTIES_TAUX, kpis, sorties

ctx = sidebar.page_header(
    "Sorties",
    "Les sorties des structures de l'insertion par l'activité économique (IAE) : leur catégorie, leur motif "
    "et les deux taux officiels. Les sorties des autres structures sont présentées à part, hors taux.",
)
f = ctx.filtres
periode = fmt.period(f.annee_debut, f.annee_fin)
k = view.call(kpis, f)
MASKED_BARS = privacy.chart_note(ctx.masked)
SANS_TAUX = (
    f"Aucun taux n'est calculé sous {MIN_SORTIES_TAUX} sorties examinées : trop peu pour être significatif "
    "(« — » dans les tableaux)."
)

autres = view.call(sorties.par_categorie, f, iae=False)
if k["sorties"] == 0 and autres["sorties"].sum() == 0:
    ui.empty("Aucune sortie pour cette sélection (période, commune ou structure sans sortie).")
    st.stop()

# --- Key figures (exactly those of kpis) ------------------------------------------------------------
ui.exit_metrics(k)
# Two counts of exits live on this page: say which one each surface uses.
st.caption(
    f"Les taux comptent les sorties examinées ({ui.people(k['sorties_examinees'])} des "
    f"{ui.people(k['sorties'])} sorties) : les retraits et les sorties avant la durée minimale de présence "
    "n'en font pas partie. Le graphique par catégorie montre les deux comptes côte à côte. " + SANS_TAUX
)

if k["sorties"] > 0:
    # --- By category ---------------------------------------------------------------------------------
    cat = view.call(sorties.par_categorie, f)
    cat_chart = ui.chart_counts(cat, ["sorties", "sorties_examinees"], across_columns=True)
    both = sorties.comptes_par_categorie(cat_chart, ctx.masked)
    fig = charts.hbars(
        both,
        "libelle",
        "nombre",
        color="compte",
        stacked=False,
        value_fmt=ui.count_label,
        y_title="sorties",
        height=440,
    )
    ui.chart_block(
        f"Les sorties de l'IAE par catégorie, {periode} : toutes, et celles qui comptent dans les taux",
        fig,
        cat,
        keys=[c for c in cat.columns if c != "categorie"],
        labels={"libelle": "catégorie"},
        caption="Les cinq catégories de l'ASP (data/reference/categories_sortie.csv). Emploi durable, emploi "
        "de transition et sortie positive font le numérateur du taux de sortie dynamique ; les retraits "
        "(sorties neutralisées) sont exclus des taux ; une sortie examinée a atteint la durée minimale de "
        "présence." + MASKED_BARS,
        filename="sorties_par_categorie",
        count_columns=["sorties", "sorties_examinees"],
        across_columns=True,
    )
    cpt = view.call(sorties.categorie_par_type, f)
    st.subheader(f"Les sorties de l'IAE par type de structure et par catégorie, {periode}")
    ui.table(
        cpt,
        filename="sorties_categorie_par_type",
        count_columns=[c for c in cpt.columns if c != "type"],
        across_columns=True,
    )
    st.caption("Toutes les sorties de la période, examinées ou non ; une ligne par type de structure IAE.")

    mot = view.call(sorties.par_motif, f)
    mot_chart = ui.chart_counts(mot, ["sorties", "sorties_examinees"], across_columns=True)
    fig = charts.bars(
        mot_chart,
        "libelle",
        "sorties",
        horizontal=True,
        value_fmt=ui.count_label,
        y_title="sorties",
        height=max(360, 34 * len(mot) + 80),
    )
    fig.update_yaxes(title=None)
    ui.chart_block(
        f"Les sorties de l'IAE par motif, {periode}",
        fig,
        mot,
        labels={"libelle": "motif (libellé)"},
        caption="Motif de sortie déclaré et sa catégorie selon la table de correspondance "
        "data/reference/motifs_sortie.csv (modifiable par la coordination)." + MASKED_BARS,
        filename="sorties_par_motif",
        count_columns=["sorties", "sorties_examinees"],
        across_columns=True,
    )

# --- Rates by year, type, structure ---------------------------------------------------------------------


def rate_block(title: str, df: pd.DataFrame, par: str, x: str, filename: str, caption: str):
    """Rates of each group as bars (groups without a rate carry no bar, said in the table), and the table."""
    st.subheader(title)
    if df.empty:
        ui.empty("Aucune sortie de l'IAE pour cette sélection.")
        return
    if ctx.masked:  # no rate, and no n or N, that gives back a count below SEUIL (n, N − n or N)
        df = privacy.mask_table(df, sorties.TAUX_COUNTS, rates=sorties.TAUX_RATES)
    shown = sorties.avec_taux(df)
    if shown.empty:
        ui.empty(f"Aucun taux : moins de {MIN_SORTIES_TAUX} sorties examinées dans chaque groupe. {caption}")
    else:
        long = sorties.taux_long(shown, x)
        fig = charts.bars(
            long, x, "valeur", color="taux", stacked=False, value_fmt=fmt.percent, y_title="taux"
        )
        fig.update_yaxes(tickformat=".0%")
        ui.plot(fig, key=f"fig_{filename}")
        sans = sorties.sans_taux(df, x)
        st.caption(
            caption + " " + SANS_TAUX + (f" Sans taux pour cette raison : {', '.join(sans)}." if sans else "")
        )
    with st.expander("Voir le tableau des valeurs (n/N de chaque taux)", expanded=shown.empty):
        ui.table(sorties.tableau_taux(df, par), filename=filename, count_columns=sorties.TAUX_COUNT_COLUMNS)


par_annee = view.call(sorties.taux_par_annee, f)
rate_block(
    "Les deux taux de sortie de l'IAE, année par année depuis le début des données",
    par_annee,
    "annee",
    "annee",
    "taux_par_annee",
    f"Année de la date de sortie ; {filters.SAUF_PERIODE}.",
)
if k["sorties"] > 0:
    rate_block(
        f"Les deux taux de sortie par type de structure IAE, {periode}",
        view.call(sorties.taux, f, "type"),
        "type",
        "type",
        "taux_par_type",
        "Taux de chaque type de structure de l'insertion par l'activité économique.",
    )
    rate_block(
        f"Les deux taux de sortie par structure IAE, {periode}",
        view.call(sorties.taux, f, "structure"),
        "structure",
        "structure_nom",
        "taux_par_structure",
        "Taux de chaque structure de l'IAE ayant eu des sorties dans la période.",
    )

# --- Other structures: apart, never in a rate ----------------------------------------------------------
st.divider()
st.subheader(
    f"À part : les sorties des autres structures (entreprises adaptées, ESAT, accompagnement), {periode}"
)
if autres["sorties"].sum() == 0:
    ui.empty("Aucune sortie des autres structures pour cette sélection.")
else:
    cpt_autres = view.call(sorties.categorie_par_type, f, iae=False)
    ui.table(
        cpt_autres,
        filename="sorties_hors_iae",
        count_columns=[c for c in cpt_autres.columns if c != "type"],
        across_columns=True,
    )
    st.caption(
        "Ces sorties ne relèvent pas de l'IAE : elles ne sont comptées dans aucun taux de sortie ni dans les "
        "chiffres clés ci-dessus. Catégories de la même table de correspondance, à titre indicatif."
    )

# --- The collective's own follow-up: apart from the ASP rates ---------------------------------------------
ui_accompagnement.suivi_block(f)
