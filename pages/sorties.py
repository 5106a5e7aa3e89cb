"""Sorties: IAE exits by category and reason, the two official rates (n/N) by year, type and structure."""

import streamlit as st

from impact import charts, filters, fmt, privacy, sidebar, texts, ui, ui_accompagnement, ui_sorties, view
from impact.indicators import kpis, sorties

ctx = sidebar.page_header(
    "Sorties",
    "Les sorties des structures de l'insertion par l'activité économique (IAE) : leur catégorie, leur motif "
    "et les deux taux officiels. Les sorties des autres structures sont présentées à part, hors taux.",
)
f = ctx.filtres
periode = fmt.period(f.annee_debut, f.annee_fin)
k = view.call(kpis, f)
MASKED_BARS = privacy.chart_note(ctx.masked, linked=True)
COMPTES = sorties.COMPTES_CATEGORIE  # the two counts of exits, side by side in a table
# Masked views: every table of exits masks the cells masked with all the others (sorties.masques), so that no
# table, nor the key figures, gives back what another hides; the Structures page and the Bilan do the same.
masques = view.call(sorties.masques, f) if ctx.masked else {}


def forced(df, key: str, table: str):
    return sorties.forced_for(df, key, masques[table]) if masques else None


autres = view.call(sorties.par_categorie, f, iae=False)
if k["sorties"] == 0 and autres["sorties"].sum() == 0:
    ui.empty("Aucune sortie pour cette sélection (période, commune ou structure sans sortie).")
    st.stop()

# --- Key figures (exactly those of kpis) ------------------------------------------------------------
ui.exit_metrics(k)
st.caption(texts.deux_comptes(k, masked=ctx.masked))

cat = view.call(sorties.par_categorie, f)
cpt = view.call(sorties.categorie_par_type, f)
mot = view.call(sorties.par_motif, f)
par_type = view.call(sorties.taux, f, "type")
par_structure = view.call(sorties.taux, f, "structure")
# Masked, a block whose every exit count would be hidden is left out (privacy.RETIRE): one sentence names them
# all, instead of a box under each title. {name: (table, counts, key, table of masques, across columns)}
TAUX = sorties.TAUX_COUNTS
blocks = {
    "par catégorie": (cat, COMPTES, "categorie", "categorie", False),
    "par type de structure et catégorie": (
        cpt,
        list(cpt.columns.drop("type")),
        "type",
        "categorie_type",
        True,
    ),
    "par motif": (mot, COMPTES, "motif", "motif", True),
    "taux par type de structure": (par_type, TAUX, "type", "type", False),
    "taux par structure": (par_structure, TAUX, "structure_id", "structure", False),
}
retires = [
    name
    for name, (df, counts, key, table, across) in blocks.items()
    if masques and privacy.retire(df, counts, across_columns=across, forced=forced(df, key, table))
]
if k["sorties"] > 0 and retires:
    comptes = [n for n in retires if not n.startswith("taux ")]
    taux = [n.removeprefix("taux ") for n in retires if n.startswith("taux ")]
    groupes = [f"{quoi} {', '.join(ns)}" for quoi, ns in (("les sorties", comptes), ("les taux", taux)) if ns]
    ui.empty(privacy.retires_texte(" ; ".join(groupes)))

if k["sorties"] > 0 and "par catégorie" not in retires:
    # --- By category ---------------------------------------------------------------------------------
    cat_forced = forced(cat, "categorie", "categorie")
    cat_chart = ui.chart_counts(cat, COMPTES, forced=cat_forced)  # all exits and those examined
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
        f"Les sorties de l'IAE par catégorie, {periode} : "
        + (
            "celles qui comptent dans les taux"
            if ctx.masked
            else "toutes, et celles qui comptent dans les taux"
        ),
        fig,
        cat,
        keys=[c for c in cat.columns if c != "categorie"],
        labels={"libelle": "catégorie"},
        caption=sorties.LECTURE_CATEGORIES + MASKED_BARS,
        filename="sorties_par_categorie",
        count_columns=COMPTES,
        forced=cat_forced,
    )
if k["sorties"] > 0 and "par type de structure et catégorie" not in retires:
    ui.table_block(
        f"Les sorties de l'IAE par type de structure et par catégorie, {periode}",
        cpt,
        caption="Toutes les sorties de la période, examinées ou non ; une ligne par type de structure IAE.",
        filename="sorties_categorie_par_type",
        count_columns=[c for c in cpt.columns if c != "type"],
        across_columns=True,
        forced=forced(cpt, "type", "categorie_type"),
    )

if k["sorties"] > 0 and "par motif" not in retires:
    mot_forced, keep, hors = forced(mot, "motif", "motif"), None, ""
    if (
        ctx.masked
    ):  # masked reasons after the printed ones: their rank would bound them (above 18: 18 or more)
        mot, mot_forced = sorties.masques_en_dernier(mot, mot_forced, COMPTES, "libelle")
        # ... and named under the chart rather than drawn: a column of "masqué" says nothing more
        drawn = privacy.masks(mot, COMPTES, across_columns=True, forced=mot_forced)[COMPTES[0]].isna()
        if drawn.any() and not drawn.all():
            keep = drawn
            hors = f" Motifs masqués, hors du graphique : {', '.join(mot.loc[~drawn, 'libelle'])}."
    fig = ui.count_hbars(
        mot,
        "libelle",
        "sorties",
        COMPTES,
        y_title="sorties",
        per_bar=34,
        minimum=360 if keep is None else 240,
        across_columns=True,
        forced=mot_forced,
        keep=keep,
    )
    ui.chart_block(
        f"Les sorties de l'IAE par motif, {periode}",
        fig,
        mot,
        labels={"libelle": "motif (libellé)"},
        caption="Motif de sortie déclaré et sa catégorie selon la table de correspondance des motifs (page "
        "Méthodologie, modifiable par la coordination)." + MASKED_BARS + hors,
        filename="sorties_par_motif",
        count_columns=COMPTES,
        across_columns=True,
        forced=mot_forced,
    )

# --- Rates by year, type, structure ---------------------------------------------------------------------
par_annee = view.call(sorties.taux_par_annee, f)
ui_sorties.rate_block(
    "Les deux taux de sortie de l'IAE, année par année depuis le début des données",
    par_annee,
    "annee",
    f"Année de la date de sortie ; {filters.SAUF_PERIODE}.",
    masques.get("annee"),
)
if k["sorties"] > 0 and "taux par type de structure" not in retires:
    ui_sorties.rate_block(
        f"Les deux taux de sortie par type de structure IAE, {periode}",
        par_type,
        "type",
        "Taux de chaque type de structure de l'insertion par l'activité économique.",
        masques.get("type"),
    )
if k["sorties"] > 0 and "taux par structure" not in retires:
    ui_sorties.rate_block(
        f"Les deux taux de sortie par structure IAE, {periode}",
        par_structure,
        "structure",
        "Taux de chaque structure de l'IAE ayant eu des sorties dans la période.",
        masques.get("structure"),
    )

# --- Other structures: apart, never in a rate ----------------------------------------------------------
st.divider()
cpt_autres = view.call(sorties.categorie_par_type, f, iae=False)  # empty when the others have no exit
ui.table_block(
    f"À part : les sorties des autres structures (entreprises adaptées, ESAT, accompagnement), {periode}",
    cpt_autres,
    caption=sorties.HORS_IAE + (texts.sigles(cpt_autres["type"]) if "type" in cpt_autres else ""),
    filename="sorties_hors_iae",
    empty_message="Aucune sortie des autres structures pour cette sélection.",
    count_columns=[c for c in cpt_autres.columns if c != "type"],
    across_columns=True,
)

# --- The collective's own follow-up: apart from the ASP rates ---------------------------------------------
ui_accompagnement.suivi_block(f)
