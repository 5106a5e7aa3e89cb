"""Fiche commune: one commune nouvelle and one year, for the collective's yearly meeting with each commune."""

import streamlit as st

from impact import charts, filters, fmt, geo, maps, privacy, sidebar, texts, ui, ui_accompagnement, view
from impact.documents import provenance
from impact.documents.pdf import fiche_commune_pdf
from impact.filters import Filtres
from impact.indicators import MIN_SORTIES_TAUX, commune, territoire, vue

KEY_COMMUNE, KEY_ANNEE = "fiche_commune", "fiche_annee"

ctx = sidebar.page_header(
    "Fiche commune",
    "Une commune nouvelle, une année : de quoi préparer (ou animer) la rencontre annuelle avec la commune. "
    "La fiche a ses propres choix de commune et d'année : les filtres de la barre latérale ne s'y appliquent pas.",
    filters=False,
)
noms = view.call(commune.communes)
codes = list(noms)
if st.session_state.get(KEY_COMMUNE) not in codes:
    chosen = ctx.filtres.communes[0] if ctx.filtres.communes else None
    st.session_state[KEY_COMMUNE] = chosen if chosen in codes else codes[0]
if st.session_state.get(KEY_ANNEE) not in ctx.annees:
    st.session_state[KEY_ANNEE] = ctx.filtres.annee_fin


def _step(delta: int):
    """Walks the six communes in turn (the meeting's order), without touching the sidebar filters."""
    previous, following = commune.voisines(codes, st.session_state[KEY_COMMUNE])
    st.session_state[KEY_COMMUNE] = following if delta > 0 else previous


# ← and → walk the communes (the keys a presenter has at hand); the buttons wrap rather than cut their label.
left, mid, right, year = st.columns([1.7, 2.6, 1.7, 1.3], vertical_alignment="bottom")
with left:
    st.button(
        "Commune précédente",
        icon=":material/arrow_back:",
        on_click=_step,
        args=(-1,),
        width="stretch",
        shortcut="Left",
        wrap=True,
        help="Touche flèche gauche",
    )
with mid:
    code = st.selectbox(
        "Commune nouvelle", codes, format_func=noms.get, key=KEY_COMMUNE, placeholder="Choisir une commune"
    )
with right:
    st.button(
        "Commune suivante",
        icon=":material/arrow_forward:",
        on_click=_step,
        args=(1,),
        width="stretch",
        shortcut="Right",
        wrap=True,
        help="Touche flèche droite",
    )
with year:
    annee = st.selectbox(
        "Année",
        sorted(ctx.annees, reverse=True),
        key=KEY_ANNEE,
        placeholder="Choisir une année",
        format_func=lambda a: filters.annee_libelle(a, ctx.db.donnees_au),
    )

fiche = view.call(commune.fiche, code, annee)
k, r = fiche.chiffres, fiche.residents
nb_marches = int((fiche.marches["heures_commune"] > 0).sum())
texte = texts.fiche_commune(
    fiche.nom,
    annee,
    k,
    r,
    fiche.structures_actives,
    len(fiche.interventions),
    nb_marches,
    masked=ctx.masked,
)

st.header(f"{fiche.nom} — {annee}")
if filters.annee_incomplete(annee, ctx.db.donnees_au):
    st.warning(f"Année {annee} incomplète : données jusqu'au {fmt.day(ctx.db.donnees_au)}.")


def read_aloud():
    st.subheader("À lire en réunion")
    st.info(texte, icon=":material/record_voice_over:")


def key_figures():
    st.caption(commune.LECTURE)
    st.markdown("**Les habitants employés par les structures du collectif**")
    cols = st.columns(4)
    with cols[0]:
        ui.metric("Habitants employés", ui.people(k["personnes_employees"]), "personnes_employees")
    with cols[1]:
        ui.metric(
            "dont salariés en parcours (IAE)", ui.people(k["salaries_en_parcours"]), "salaries_en_parcours"
        )
    with cols[2]:
        ui.metric(
            "Heures travaillées par les habitants", fmt.hours(r["heures_travaillees"]), "heures_travaillees"
        )
    with cols[3]:
        ui.metric("ETP des habitants", fmt.etp(r["etp"]), "etp")
    st.markdown("**Le travail réalisé dans la commune**")
    cols = st.columns(4)
    with cols[0]:
        ui.metric(
            "Heures travaillées dans la commune", fmt.hours(k["heures_travaillees"]), "heures_travaillees"
        )
    with cols[1]:
        ui.metric("Équivalents temps plein (dans la commune)", fmt.etp(k["etp"]), "etp")
    with cols[2]:
        ui.metric("Chantiers et sites", fmt.integer(len(fiche.interventions)), "heures_par_commune")
    with cols[3]:
        ui.metric(
            "Structures actives dans la commune", fmt.integer(fiche.structures_actives), "heures_par_commune"
        )
    st.markdown("**Les sorties de parcours des habitants (IAE)**")
    t_dyn = k["taux_sortie_dynamique"]
    cols = st.columns(4)
    with cols[0]:
        ui.metric("Sorties (IAE)", ui.people(k["sorties"]), "sorties")
    with cols[1]:
        ui.metric("Sorties examinées", ui.people(k["sorties_examinees"]), "sorties_examinees")
    ui.rate_metrics(k, cols[2:4])
    if t_dyn is None and k["sorties"]:
        st.caption(
            f"Aucun taux n'est calculé sous {MIN_SORTIES_TAUX} sorties examinées : trop peu pour être significatif."
        )


def map_of_commune(height: int, width: int):
    f = Filtres.annee(annee, communes=(code,))
    carte = view.call(territoire.par_commune, f, "deleguee")
    carte = carte[carte["code_commune_nouvelle"] == code]
    points = view.call(territoire.interventions, f)
    points = points[(points["code_nouvelle"] == code) & (points["heures"] > 0)]
    if carte.empty:
        ui.empty()
        return
    fig = maps.choropleth(
        geo.geojson("deleguee"),
        carte,
        column="heures",
        label="Heures réalisées",
        unit="heures",
        presentation=ctx.masked,
        height=height,
        width=width,
    )
    maps.add_interventions(fig, points, color="structure_nom", legend_title="Interventions (par structure)")
    maps.legend_below(fig)
    ui.plot(fig, key="fig_carte_fiche")  # no zoom: the names of the communes stay on them (maps.add_names)
    st.caption(
        "Communes déléguées colorées selon les heures réalisées dans l'année ; chaque point est une intervention "
        "(taille selon ses heures, couleur selon la structure), placée à son point GPS ou, à défaut, dans sa "
        f"commune déléguée. {geo.source_label()}."
    )


# Presentation mode (a meeting on a projector): the first screen holds the commune's name, its four key
# figures and its map; the detail follows.
if ctx.presentation:
    figures, carte_col = st.columns([1, 1.1])
    with figures:
        top = st.columns(2)
        with top[0]:
            ui.metric("Habitants employés", ui.people(k["personnes_employees"]), "personnes_employees")
        with top[1]:
            ui.metric("Heures dans la commune", fmt.hours(k["heures_travaillees"]), "heures_travaillees")
        bottom = st.columns(2)
        with bottom[0]:
            ui.metric("Chantiers et sites", fmt.integer(len(fiche.interventions)), "heures_par_commune")
        with bottom[1]:
            ui.metric("Structures actives", fmt.integer(fiche.structures_actives), "heures_par_commune")
    with carte_col:
        map_of_commune(height=440, width=420)
    read_aloud()
    key_figures()
else:
    read_aloud()
    key_figures()

st.download_button(
    "Télécharger la fiche (PDF)",
    data=lambda: fiche_commune_pdf(fiche, provenance=provenance(ctx.db.donnees_au, ctx.demo)),
    file_name=f"fiche_{code}_{annee}.pdf",
    mime="application/pdf",
    icon=":material/picture_as_pdf:",
    type="primary",
    key="dl_fiche_pdf",
    on_click="ignore",
    help=f"Fiche d'une ou deux pages A4, petits effectifs toujours masqués (« {privacy.MASQUE} ») : elle est faite pour "
    "être remise à la commune.",
)

ui.chart_block(
    f"Les sorties des habitants de {fiche.nom} en {annee}, par catégorie",
    charts.hbars(
        ui.chart_counts(fiche.sorties, ["sorties"]),
        "libelle",
        "sorties",
        value_fmt=ui.count_label,
        y_title="sorties",
        height=320,
    )
    if fiche.sorties["sorties"].sum()
    else None,
    fiche.sorties if fiche.sorties["sorties"].sum() else fiche.sorties.iloc[0:0],
    caption="Sorties de l'IAE des habitants de la commune dont la date de sortie tombe dans l'année. Les "
    "catégories des sorties examinées, puis les retraits et les sorties sans durée minimale de présence ; "
    "la somme fait le total des sorties." + privacy.chart_note(ctx.masked),
    filename=f"sorties_{code}_{annee}",
    keys=["libelle", "sorties"],
    labels={"libelle": "catégorie"},
)
ui_accompagnement.suivi_block(commune.filtres(code, annee))

if not ctx.presentation:
    st.subheader(f"Où le collectif a travaillé à {fiche.nom} en {annee}")
    map_of_commune(height=620, width=700)

inter = fiche.interventions
activites = commune.activites(inter)
ui.chart_block(
    f"Les activités du collectif à {fiche.nom} en {annee}, heures de l'année par activité",
    charts.hbars(
        activites.head(12),
        "activite",
        "heures_travaillees",
        unit="h",
        y_title="heures",
        height=max(260, 60 + 42 * len(activites.head(12))),
    )
    if not inter.empty
    else None,
    inter,
    keys=[
        "activite",
        "lieu",
        "commune_deleguee",
        "structure",
        "marche_intitule",
        "heures_travaillees",
        "personnes",
    ],
    caption="Heures de l'année des interventions situées dans la commune, additionnées par activité (le nombre "
    "de chantiers ou sites est entre parenthèses) ; chaque intervention est dans le tableau ; salariés : personnes ayant au moins 1 heure sur l'intervention, "
    "où qu'elles habitent.",
    filename=f"interventions_{code}_{annee}",
)

st.subheader(f"Les marchés et partenariats à {fiche.nom} en {annee}")
if fiche.marches.empty:
    ui.empty("Aucun marché ni partenariat avec des heures dans la commune cette année.")
else:
    ui.table(
        fiche.marches,
        keys=["intitule", "donneur_ordre", "secteur", "dispositif", "heures_commune"],
        filename=f"marches_{code}_{annee}",
    )
    st.caption(
        "Marchés dont des interventions situées dans la commune ont des heures dans l'année, et marchés dont "
        "la commune est le donneur d'ordre."
    )

st.subheader(f"Les structures actives à {fiche.nom} en {annee}")
if fiche.structures.empty:
    ui.empty()
else:
    ui.table(
        fiche.structures,
        keys=["nom", "type", "heures_commune", "habitants_employes"],
        labels={"nom": "structure"},
        filename=f"structures_{code}_{annee}",
    )
    st.caption(
        "Structures ayant travaillé dans la commune, ou employé au moins un habitant de la commune (au moins "
        "1 heure dans l'année)."
    )

tendance = fiche.tendance
ui.chart_block(
    f"Les heures travaillées à {fiche.nom}, année par année jusqu'en {annee}",
    charts.bars(vue.annee_texte(tendance), "annee", "heures_travaillees", unit="h"),
    tendance,
    caption="Heures réalisées dans la commune chaque année ; le tableau donne aussi les habitants employés, "
    f"les sorties et le taux de sortie dynamique (vide sous {MIN_SORTIES_TAUX} sorties examinées).",
    filename=f"tendance_{code}_{annee}",
)
