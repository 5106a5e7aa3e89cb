"""Emplois et parcours: people employed, new entries, ETP with its bases, contracts, publics, residence."""

import streamlit as st

from impact import charts, fmt, privacy, sidebar, ui, ui_accompagnement, view
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
cols = st.columns(4)
with cols[0]:
    ui.metric("Personnes employées", ui.people(k["personnes_employees"]), "personnes_employees")
with cols[1]:
    ui.metric("En parcours (IAE)", ui.people(k["salaries_en_parcours"]), "salaries_en_parcours")
with cols[2]:
    ui.metric(
        "Entrées en parcours",
        ui.people(k["entrees"]),
        "entrees",
        delta=f"{ui.people(k['personnes_entrees'])} personnes",
        delta_color="off",
        delta_arrow="off",
    )
with cols[3]:
    ui.metric("Équivalents temps plein", fmt.etp(k["etp"]), "etp")
    if not bases.empty:
        st.caption(
            "Bases utilisées : "
            + " · ".join(
                f"{b.type} {fmt.hours(b.base_etp)}" + (f" ({b.annees})" if f.nb_annees > 1 else "")
                for b in bases.itertuples()
            )
        )
if f.nb_annees > 1:
    st.caption(f"Sur plusieurs années, l'ETP est une moyenne annuelle ({fmt.plural(f.nb_annees, 'année')}).")

# --- ETP by type, with the base next to each figure -------------------------------------------------
etp = view.call(emplois.etp_par_type, f)
left, right = st.columns(2)
with left:
    ui.chart_block(
        f"Les équivalents temps plein par type de structure, {periode}",
        charts.bars(
            etp,
            "type",
            "etp",
            color="annee" if f.nb_annees > 1 else None,
            value_fmt=lambda v: fmt.number(v, 1),
            y_title="ETP",
        ),
        etp,
        caption="ETP = heures travaillées ÷ base annuelle d'un temps plein du type de structure pour l'année "
        "(data/reference/bases_etp.csv) ; la base utilisée est dans le tableau, à côté de chaque ETP.",
        filename="etp_par_type",
    )

# --- New entries -----------------------------------------------------------------------------------
with right:
    ent = view.call(emplois.entrees, f)
    ent_chart = ui.chart_counts(ent, ["entrees", "personnes"])
    ui.chart_block(
        f"Les entrées en parcours par type de structure, {periode}",
        charts.bars(ent_chart, "type", "entrees", value_fmt=ui.count_label, y_title="entrées"),
        ent,
        caption="Parcours dont la date d'entrée tombe dans la période (un même parcours compte une fois) ; "
        "la colonne personnes compte les personnes distinctes. Avec un filtre de commune : commune de "
        "résidence déclarée dans le parcours." + MASKED_BARS,
        filename="entrees_par_type",
    )

# --- Contracts -------------------------------------------------------------------------------------
con = view.call(emplois.contrats, f)
con_chart = ui.chart_counts(con, ["personnes"])
fig = charts.bars(
    con_chart,
    "libelle",
    "personnes",
    horizontal=True,
    value_fmt=ui.count_label,
    y_title="personnes",
    height=max(300, 45 * len(con) + 80),
)
fig.update_yaxes(title=None)
ui.chart_block(
    f"Les contrats des personnes employées, {periode}",
    fig,
    con,
    labels={"libelle": "contrat (libellé)"},
    caption="Contrat déclaré dans les parcours ouverts pendant la période, dans les structures où la personne "
    "a travaillé. Une personne qui a eu deux types de contrat compte dans chacun : la somme peut dépasser "
    "le nombre de personnes employées." + MASKED_BARS,
    filename="contrats",
)

# --- Publics -----------------------------------------------------------------------------------------
pub = view.call(emplois.publics, f)
annee_age = emplois.annee_age(f)
pub_table = emplois.publics_affiches(pub, ctx.masked)
pub_chart, part_max = emplois.publics_graphique(pub_table)
fig = charts.bars(
    pub_chart,
    "libelle",
    "part",
    horizontal=True,
    value_fmt=ui.share_label,
    y_title="part des personnes employées",
    height=520,
)
fig.update_xaxes(tickformat=".0%", range=[0, part_max])
fig.update_yaxes(title=None)
ui.chart_block(
    f"La part de chaque public parmi les {ui.people(k['personnes_employees'])} personnes employées, {periode}",
    fig,
    pub_table,
    keys=[c for c in pub_table.columns if c != "public"],
    labels={"libelle": "public"},
    count_columns=[],  # masked above, against the people employed
    caption=(
        f"Profil du parcours le plus récent de chaque personne (vue « personnes »). Âge = {annee_age} − année "
        "de naissance"
        + (" (année de fin de la période)" if f.nb_annees > 1 else "")
        + f" ; moins de {emplois.AGE_JEUNE} ans : âge < {emplois.AGE_JEUNE} ; seuil des seniors : "
        f"{emplois.AGE_SENIOR} ans et plus. Faible qualification : niveau de formation "
        + " ou ".join(f"« {n} » ({emplois.NIVEAU_LIBELLES.get(n, n)})" for n in emplois.NIVEAUX_FAIBLES)
        + ". Une information manquante est comptée « non renseigné » et reste dans le dénominateur (les "
        "personnes employées). Une personne peut relever de plusieurs publics."
        + (
            f" Effectifs masqués : un public de moins de {privacy.SEUIL} personnes, ou dont le reste des personnes "
            f"employées compte moins de {privacy.SEUIL} personnes, est masqué avec sa part."
            if ctx.masked
            else ""
        )
    ),
    filename="publics",
    formats={"part": fmt.percent},
)

# --- Residence ---------------------------------------------------------------------------------------
res = view.call(emplois.residence, f)
res_chart = ui.chart_counts(res, ["personnes"])
fig = charts.bars(
    res_chart,
    "nom",
    "personnes",
    horizontal=True,
    value_fmt=ui.count_label,
    y_title="personnes",
    height=max(300, 38 * len(res) + 80),
)
fig.update_yaxes(title=None)
ui.chart_block(
    f"Le lieu de résidence des personnes employées, {periode}",
    fig,
    res,
    labels={"nom": "commune de résidence"},
    caption="Commune de résidence du parcours le plus récent de chaque personne, rattachée à sa commune "
    "nouvelle (communes déléguées et ancien code d'Orée d'Anjou compris). Les habitants des "
    "intercommunalités voisines sont regroupés par intercommunalité." + MASKED_BARS,
    filename="residence",
)

# --- Supervision (contract v1.1, table encadrement) -------------------------------------------------------
ui_accompagnement.encadrement_block(f)
