"""Bilan annuel: the year against the two previous years, for the board, with its PDF report and XLSX workbook."""

import streamlit as st

from impact import charts, columns, filters, fmt, privacy, sidebar, texts, ui, ui_accompagnement, view
from impact.documents import provenance
from impact.documents.pdf import bilan_pdf as build_pdf
from impact.documents.xlsx import bilan_xlsx as build_xlsx
from impact.filters import Filtres
from impact.indicators import MIN_SORTIES_TAUX, SORTIES_COUNTS, bilan

KEY_ANNEE = "bilan_annee"

ctx = sidebar.page_header(
    "Bilan annuel",
    "L'année choisie comparée aux deux années précédentes, pour tout le collectif (les filtres de la barre "
    "latérale ne s'appliquent pas au bilan) : de quoi préparer le conseil d'administration.",
    filters=False,
)
annees = [a for a in ctx.annees if a - 2 >= ctx.annees[0]] or ctx.annees
if st.session_state.get(KEY_ANNEE) not in annees:
    defaut = view.call(bilan.annee_par_defaut)
    st.session_state[KEY_ANNEE] = defaut if defaut in annees else annees[-1]
annee = st.selectbox(
    "Année du bilan",
    sorted(annees, reverse=True),
    key=KEY_ANNEE,
    placeholder="Choisir une année",
    format_func=lambda a: filters.annee_libelle(a, ctx.db.donnees_au),
    help="Par défaut, la dernière année complète des données.",
)
b = view.call(bilan.bilan, annee)
prov = provenance(ctx.db.donnees_au, ctx.demo)
if b.annee_incomplete:
    st.warning(f"L'année {annee} est incomplète : données jusqu'au {fmt.day(b.donnees_au)}.")

left, right = st.columns(2)
with left:
    ui.document_button(
        "Télécharger le rapport (PDF)",
        lambda: build_pdf(b, provenance=prov),
        f"bilan_{annee}.pdf",
        key="dl_bilan_pdf",
        primary=True,
        width="stretch",
        help="Couverture, sommaire, une section par thème, annexe de méthode ; petits effectifs masqués.",
    )
with right:
    ui.document_button(
        "Télécharger le classeur (XLSX)",
        lambda: build_xlsx(b, provenance=prov),
        f"bilan_{annee}.xlsx",
        key="dl_bilan_xlsx",
        width="stretch",
        help="Une feuille par tableau, nombres au format nombre, une feuille décrivant chaque colonne.",
    )

st.subheader("Les faits marquants")
st.markdown("\n".join(f"- {p}" for p in texts.faits_marquants(b, masked=ctx.masked)))

st.subheader(f"Les chiffres clés de {annee - 2} à {annee}")


principaux = [
    "heures_travaillees",
    "personnes_employees",
    "salaries_en_parcours",
    "etp",
    "sorties",
    "taux_sortie_dynamique",
    "taux_sortie_emploi_durable",
    "chiffre_affaires",
]
natures = dict(zip(b.comparaison["indicateur"], b.comparaison["nature"], strict=True))
libelles = dict(zip(b.comparaison["indicateur"], b.comparaison["libelle"], strict=True))
for start in range(0, len(principaux), 4):
    cols = st.columns(4)
    for col, key in zip(cols, principaux[start : start + 4], strict=False):
        nature = natures[key]
        v = b.valeur(key)
        if nature == "personnes":
            shown = ui.people(v)
        elif nature == "taux":
            shown = ui.rate(v, *b.rapport(key))
        else:
            shown = columns.NATURES[nature].text(v)
        hide_delta = ctx.masked and shown in (privacy.MASQUE, privacy.TAUX_MASQUE)
        with col:
            ui.metric(libelles[key], shown, key, delta=None if hide_delta else b.ecart_texte(key))

st.dataframe(
    columns.comparaison_affichee(b, masked=ctx.masked).rename(
        columns={"libelle": "indicateur", "variation": f"variation {annee}/{annee - 1}"}
    ),
    hide_index=True,
    width="stretch",
)
st.caption(
    "Variation : évolution relative par rapport à l'année précédente ; pour un taux, écart en points. "
    + texts.rapports_phrase(b, masked=ctx.masked)
)

hs = b.heures_structures
ui.chart_block(
    f"Les heures travaillées par structure en {annee}, de la plus à la moins active",
    charts.hbars(hs, "structure", "heures_travaillees", unit="h", y_title="heures", height=520),
    hs,
    caption="Heures travaillées déclarées par chaque structure ; heures facturées et de formation à part "
    "(jamais additionnées) ; ETP selon la base annuelle du type de structure.",
    filename=f"bilan_{annee}_heures_structures",
)

ss = b.sorties_structures
ui.chart_block(
    f"Les sorties de l'IAE par structure en {annee}",
    charts.hbars(
        ui.chart_counts(ss, list(SORTIES_COUNTS), across_columns=True),
        "structure",
        "sorties",
        value_fmt=ui.count_label,
        y_title="sorties",
        height=420,
    ),
    ss,
    caption="Sorties dont la date tombe dans l'année, par structure IAE ; taux de sortie dynamique vide sous "
    f"{MIN_SORTIES_TAUX} sorties examinées." + privacy.chart_note(ctx.masked),
    filename=f"bilan_{annee}_sorties_structures",
    count_columns=list(SORTIES_COUNTS),
    across_columns=True,
)
ui_accompagnement.suivi_block(Filtres.annee(annee))

st.subheader(f"Les marchés et partenariats de {annee}")
if b.marches.empty:
    ui.empty("Aucun marché ni partenariat en cours cette année.")
else:
    ui.table(b.marches, filename=f"bilan_{annee}_marches", annee=annee)
    st.caption(
        "Heures prévues sur toute la durée du marché ; heures réalisées dans l'année et depuis le début ; "
        "les partenariats privés (Veolia) sont des heures hors commande publique."
    )

ca = b.chiffre_affaires
ui.chart_block(
    f"Le poids économique : chiffre d'affaires de {annee - 2} à {annee}",
    charts.bars(
        b.par_annee("chiffre_affaires", "chiffre d'affaires"),
        "année",
        "chiffre d'affaires",
        unit="€",
        y_title="euros",
    ),
    ca,
    caption=f"Chiffre d'affaires HT déclaré par les structures ; {fmt.etp(b.valeur('etp'))} en {annee}. "
    "Le tableau donne le détail par structure (dernière ligne : total).",
    filename=f"bilan_{annee}_chiffre_affaires",
    formats={str(y): fmt.euros for y in b.annees},
)

st.subheader("L'impact social : les publics des personnes employées")
# Publics overlap (no total to recompute a cell from): each small count is masked on its own, with its share.
ans = [str(y) for y in b.annees]
publics = privacy.mask_total_and_subsets(b.publics, ans, {"part": str(annee)}) if ctx.masked else b.publics
ui.table(
    publics,
    filename=f"bilan_{annee}_publics",
    formats={"part": fmt.percent, **{y: fmt.integer for y in ans}},
)
st.caption(
    "Personnes employées au moins 1 heure dans l'année ; âge = année − année de naissance (« 50 ans et plus » : "
    "50 ans ou plus dans l'année) ; profil du parcours le plus récent ; les publics se recoupent."
)
