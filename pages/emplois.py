"""Emplois et parcours: people employed, new entries, ETP with its bases, contracts, publics, residence."""

import streamlit as st

from impact import charts, fmt, privacy, sidebar, texts, ui, ui_accompagnement, view
from impact.indicators import emplois

ctx = sidebar.page_header(
    "Emplois et parcours",
    "Les personnes employées par les structures du collectif, leurs contrats, leurs profils et leur lieu de "
    "résidence, pour la période et les filtres choisis.",
)
f = ctx.filtres
k = view.call(emplois.chiffres, f)
periode = fmt.period(f.annee_debut, f.annee_fin)
MASKED_BARS = privacy.chart_note(ctx.masked)

if k["personnes_employees"] == 0 and k["entrees"] == 0:
    ui.empty()
    st.stop()

bases = view.call(emplois.bases_etp, f)
ui.metrics(
    ("Personnes employées", ui.people(ui.beside(k, "personnes_employees")), "personnes_employees"),
    ("En parcours (IAE)", ui.people(ui.beside(k, "salaries_en_parcours")), "salaries_en_parcours"),
    (
        "Entrées en parcours",
        ui.people(ui.beside(k, "entrees")),
        "entrees",
        # Beside "En parcours (IAE)": these entries are those of every structure of the filter, not IAE only.
        ui.Note(f"{ui.counted(k, 'personnes_entrees', 'personnes')}, toutes structures"),
    ),
    ("Équivalents temps plein", fmt.etp(k["etp"]), "etp"),
)
# Under the row, not under the ETP card: its column grew taller and stretched the card beside it half empty.
if not bases.empty and not ctx.presentation:  # the room reads the ETP; the bases are on Méthodologie
    st.caption(emplois.bases_utilisees(bases, f))
if f.nb_annees > 1:
    st.caption(f"Sur plusieurs années, l'ETP est une moyenne annuelle ({fmt.plural(f.nb_annees, 'année')}).")

# --- ETP by type, with the base next to each figure -------------------------------------------------
etp = view.call(emplois.etp_par_type, f)
# Half-width charts: horizontal bars, so that the types read across whatever the width (upright columns had
# their labels turned on their side from 8 types on a laptop).
left, right = st.columns(2)
with left:
    bars_per_type = etp["annee"].nunique() if f.nb_annees > 1 and "annee" in etp else 1
    ui.chart_block(
        f"Les équivalents temps plein par type de structure, {periode}",
        charts.hbars(
            etp,
            "type",
            "etp",
            color="annee" if f.nb_annees > 1 else None,
            stacked=False,
            value_fmt=lambda v: fmt.number(v, 1),
            y_title="ETP",
            height=charts.bars_height(etp, "type", 360, per_bar=14 + 22 * bars_per_type),
        ),
        etp,
        caption=emplois.LECTURE_ETP + texts.sigles(etp["type"]),
        filename="etp_par_type",
    )

# --- New entries -----------------------------------------------------------------------------------
with right:
    ent = view.call(emplois.entrees, f)
    ent_chart = ui.chart_counts(ent, ["entrees", "personnes"])
    ui.chart_block(
        f"Les entrées en parcours par type de structure, {periode}",
        charts.hbars(
            ent_chart,
            "type",
            "entrees",
            value_fmt=ui.count_label,
            y_title="entrées",
            height=charts.bars_height(ent, "type", 360, per_bar=36),
        ),
        ent,
        caption=emplois.LECTURE_ENTREES + MASKED_BARS + texts.sigles(ent["type"]),
        filename="entrees_par_type",
    )

# --- Contracts -------------------------------------------------------------------------------------
con = view.call(emplois.contrats, f)
ui.chart_block(
    f"Les contrats des personnes employées, {periode}",
    ui.count_hbars(con, "libelle", "personnes", ["personnes"], y_title="personnes", per_bar=45),
    con,
    labels={"libelle": "contrat (libellé)"},
    caption=emplois.LECTURE_CONTRATS + MASKED_BARS,
    filename="contrats",
)

# --- Publics -----------------------------------------------------------------------------------------
pub = view.call(emplois.publics, f)
employes = ui.beside(k, "personnes_employees")
pub_forced = view.communes_forced(pub, emplois.PUBLICS_COMPTES, own=emplois.publics_caches)
pub_table = emplois.publics_affiches(pub, ctx.masked, pub_forced)
pub_chart, part_max = emplois.publics_graphique(pub_table)
ui.chart_block(
    f"La part de chaque public parmi les {'' if employes == privacy.MASQUE_SECONDAIRE else ui.people(employes) + ' '}"
    f"personnes employées, {periode}",
    charts.share_hbars(
        pub_chart,
        "libelle",
        "part",
        part_max,
        value_fmt=ui.share_label,
        y_title="part des personnes employées",
    ),
    pub_table,
    keys=[c for c in pub_table.columns if c != "public"],
    labels={"libelle": "public"},
    count_columns=[],  # masked above, against the people employed
    caption=emplois.lecture_publics(f, masked=ctx.masked),
    filename="publics",
)

# --- Residence ---------------------------------------------------------------------------------------
res = view.call(emplois.residence, f)
ui.chart_block(
    f"Le lieu de résidence des personnes employées, {periode}",
    ui.count_hbars(res, "nom", "personnes", ["personnes"], y_title="personnes", per_bar=38),
    res,
    labels={"nom": "commune de résidence"},
    caption="Commune de résidence du parcours le plus récent de chaque personne, rattachée à sa commune "
    "nouvelle (communes déléguées et ancien code d'Orée d'Anjou compris). Les habitants des "
    "intercommunalités voisines sont regroupés par intercommunalité." + MASKED_BARS,
    filename="residence",
)

# --- Supervision (contract v1.1, table encadrement) -------------------------------------------------------
ui_accompagnement.encadrement_block(f)
