"""Fiche commune: one commune nouvelle and one year, for the collective's yearly meeting with each commune."""

import streamlit as st

from impact import charts, privacy, sidebar, texts, ui, ui_accompagnement, ui_fiche_commune, view
from impact.documents import provenance
from impact.indicators import MIN_SORTIES_TAUX, commune

ctx = sidebar.page_header(
    "Fiche commune",
    "Une commune nouvelle, une année : de quoi préparer (ou animer) la rencontre annuelle avec la commune. "
    "La fiche a ses propres choix de commune et d'année : les filtres de la barre latérale ne s'y appliquent pas. "
    "Les flèches gauche et droite du clavier passent à la commune précédente ou suivante.",
    filters=False,
)
code, annee = ui_fiche_commune.choix(ctx)

fiche = view.fiche_partenaires(view.call(commune.fiche, code, annee))
ui_fiche_commune.titre(fiche, ctx.db.donnees_au)

# Presentation mode (a meeting on a projector): the first screen holds the commune's name, its four key
# figures and its map; the text to read follows the figures, beside the map's legend and sources (under the
# map it came after a blank half screen); the detail follows.
if ctx.presentation:
    figures, carte_col = st.columns([1, 1.1])
    with figures:
        ui_fiche_commune.chiffres_presentation(fiche)
        a_lire = st.container()
    with carte_col:
        # The colour bar under the map: the map has the column's whole width (462 px at 1024, the narrowest
        # room), and is fitted to 440 of it.
        ui_fiche_commune.carte(code, annee, masked=ctx.masked, height=440, width=440)
else:
    a_lire = st.container()
with a_lire:
    st.subheader("À lire en réunion")
    st.info(texts.fiche_commune_texte(fiche, masked=ctx.masked), icon=":material/record_voice_over:")
ui_fiche_commune.chiffres_cles(fiche)


def fiche_pdf() -> bytes:
    # matplotlib and fpdf (0,8 s on a fresh server) are loaded by the first download, not the first view.
    from impact.documents.pdf import fiche_commune_pdf

    return fiche_commune_pdf(fiche, provenance=provenance(ctx.db.donnees_au, ctx.demo))


ui.document_button(
    "Télécharger la fiche (PDF)",
    fiche_pdf,
    f"fiche_{code}_{annee}.pdf",
    key="dl_fiche_pdf",
    primary=True,
    help=f"Fiche d'une ou deux pages A4, petits effectifs toujours masqués (« {privacy.MASQUE_TEXTE} ») : elle est faite pour "
    "être remise à la commune.",
)

ui.chart_block(
    f"Les sorties des habitants {texts.de(fiche.nom)} en {annee}, par catégorie",
    charts.hbars(
        ui.chart_counts(fiche.sorties, ["sorties"], forced=fiche.sorties_masques),
        "libelle",
        "sorties",
        value_fmt=ui.count_label,
        y_title="sorties",
        height=320,
    )
    if fiche.sorties["sorties"].sum()
    else None,
    fiche.sorties,
    caption="Sorties de l'IAE des habitants de la commune dont la date de sortie tombe dans l'année. Les "
    "catégories des sorties examinées, puis les retraits et les sorties sans durée minimale de présence ; "
    "la somme fait le total des sorties." + privacy.chart_note(ctx.masked, linked=True),
    filename=f"sorties_{code}_{annee}",
    keys=["libelle", "sorties"],
    labels={"libelle": "catégorie"},
    count_columns=["sorties"],
    forced=fiche.sorties_masques,
)
ui_accompagnement.suivi_block(commune.filtres(code, annee))

if not ctx.presentation:
    st.subheader(f"Où le collectif a travaillé à {fiche.nom} en {annee}")
    ui_fiche_commune.carte(code, annee, masked=ctx.masked, height=620)

inter = fiche.interventions
activites = commune.activites(inter)
ui.chart_block(
    f"Les activités du collectif à {fiche.nom} en {annee}, heures de l'année par activité",
    charts.hours_hbars(activites.head(12), "activite", per_bar=42, base=60, minimum=260)
    if not inter.empty
    else None,
    inter,
    keys=commune.COLONNES_INTERVENTIONS,
    caption="Heures de l'année des interventions situées dans la commune, additionnées par activité (le nombre "
    "de chantiers ou sites est entre parenthèses) ; chaque intervention est dans le tableau ; salariés : personnes ayant au moins 1 heure sur l'intervention, "
    "où qu'elles habitent.",
    filename=f"interventions_{code}_{annee}",
)

ui.table_block(
    f"Les marchés et partenariats à {fiche.nom} en {annee}",
    fiche.marches,
    keys=["intitule", "donneur_ordre", "secteur", "dispositif", "heures_commune"],
    room=True,
    caption="Marchés dont des interventions situées dans la commune ont des heures dans l'année, et marchés "
    "dont la commune est le donneur d'ordre.",
    filename=f"marches_{code}_{annee}",
    empty_message="Aucun marché ni partenariat avec des heures dans la commune cette année.",
)
ui.table_block(
    # Not "actives": the tile "Structures actives" counts those that worked in the commune only.
    f"Les structures qui ont travaillé à {fiche.nom} ou employé ses habitants en {annee}",
    fiche.structures,
    keys=["nom", "type", "heures_commune", "habitants_employes"],
    room=True,
    forced=fiche.structures_masques,
    labels={"nom": "structure"},
    caption="Structures ayant travaillé dans la commune, ou employé au moins un habitant de la commune (au "
    "moins 1 heure dans l'année).",
    filename=f"structures_{code}_{annee}",
)

tendance = fiche.tendance
ui.chart_block(
    f"Les heures travaillées à {fiche.nom}, année par année jusqu'en {annee}",
    charts.bars_by_year(tendance, "heures_travaillees", ctx.db.donnees_au, unit="h"),
    tendance,
    forced=fiche.tendance_masques,
    caption="Heures réalisées dans la commune chaque année ; le tableau donne aussi les habitants employés, "
    f"les sorties et le taux de sortie dynamique (vide sous {MIN_SORTIES_TAUX} sorties examinées).",
    filename=f"tendance_{code}_{annee}",
)
