"""Bilan annuel: the year against the two previous years, for the board, with its PDF report and XLSX workbook."""

import streamlit as st

from impact import charts, fmt, privacy, sidebar, texts, ui, ui_accompagnement, ui_bilan, view
from impact.documents import provenance
from impact.filters import Filtres
from impact.indicators import MIN_SORTIES_TAUX, SORTIES_COUNTS, bilan

ctx = sidebar.page_header(
    "Bilan annuel",
    "L'année choisie comparée aux deux années précédentes, pour tout le collectif (les filtres de la barre "
    "latérale ne s'appliquent pas au bilan) : de quoi préparer le conseil d'administration.",
    filters=False,
)
annee = ui_bilan.choix_annee(ctx)
b = view.call(bilan.bilan, annee)
prov = provenance(ctx.db.donnees_au, ctx.demo)
if b.annee_incomplete:
    st.warning(f"L'année {annee} est incomplète : données jusqu'au {fmt.day(b.donnees_au)}.")


# matplotlib, fpdf and openpyxl (0,9 s on a fresh server) are loaded by the first download, not the first view.
def rapport_pdf() -> bytes:
    from impact.documents.pdf import bilan_pdf

    return bilan_pdf(b, provenance=prov)


def classeur_xlsx() -> bytes:
    from impact.documents.xlsx import bilan_xlsx

    return bilan_xlsx(b, provenance=prov)


# The documents: under the year for the coordination; at the end of the page in presentation mode, where
# the room sees the highlights and the key figures first.
documents = (
    ui.Document(
        "Télécharger le rapport (PDF)",
        rapport_pdf,
        f"bilan_{annee}.pdf",
        "dl_bilan_pdf",
        primary=True,
        help="Couverture, sommaire, une section par thème, annexe de méthode ; petits effectifs masqués.",
    ),
    ui.Document(
        "Télécharger le classeur (XLSX)",
        classeur_xlsx,
        f"bilan_{annee}.xlsx",
        "dl_bilan_xlsx",
        help="Une feuille par tableau, nombres au format nombre, une feuille décrivant chaque colonne.",
    ),
)
if not ctx.presentation:
    ui.document_buttons(*documents)

st.subheader("Les faits marquants")
st.markdown("\n".join(f"- {p}" for p in texts.faits_marquants(b, masked=ctx.masked)))

# The tiles are the year's; the table under them compares it with the two years before.
st.subheader(f"Les chiffres clés de {annee}, et leur évolution depuis {annee - 2}")
ui_bilan.chiffres_cles(b, ctx.masked)
ui_bilan.comparaison(b, ctx.masked)

hs = b.heures_structures
ui.chart_block(
    f"Les heures travaillées par structure en {annee}, de la plus à la moins active",
    charts.hbars(
        hs,
        "structure",
        "heures_travaillees",
        unit="h",
        y_title="heures",
        height=charts.bars_height(hs, "structure", 520),
    ),
    hs,
    caption="Heures travaillées déclarées par chaque structure ; heures facturées et de formation à part "
    "(jamais additionnées) ; ETP selon la base annuelle du type de structure.",
    filename=f"bilan_{annee}_heures_structures",
)

ss, ss_masques = b.sorties_rangees(ctx.masked)
# Masked, the bars are the examined exits (the base of the rates), as on the Sorties page: all exits are often
# masked there, their difference with the examined ones being a small count (privacy.DIFFERENCES).
barres = "sorties_examinees" if ctx.masked else "sorties"
ui.chart_block(
    f"Les sorties de l'IAE par structure en {annee}"
    + (" : celles qui comptent dans les taux" if ctx.masked else ""),
    charts.hbars(
        ui.chart_counts(ss, list(SORTIES_COUNTS), across_columns=True, forced=ss_masques),
        "structure",
        barres,
        value_fmt=ui.count_label,
        y_title="sorties",
        height=charts.bars_height(ss, "structure", 420),
    ),
    ss,
    caption="Sorties dont la date tombe dans l'année, par structure IAE ; dans le tableau des valeurs, le taux de "
    f"sortie dynamique est vide sous {MIN_SORTIES_TAUX} sorties examinées."
    + privacy.chart_note(ctx.masked, linked=True),
    filename=f"bilan_{annee}_sorties_structures",
    count_columns=list(SORTIES_COUNTS),
    across_columns=True,
    forced=ss_masques,
)
ui_accompagnement.suivi_block(Filtres.annee(annee))

ui.table_block(
    f"Les marchés et partenariats de {annee}",
    b.marches,
    # On the projector the table has no planned hours (room, below): the caption does not name them.
    caption=("" if ctx.presentation else "Heures prévues sur toute la durée du marché ; ")
    + ("Heures" if ctx.presentation else "heures")
    + " réalisées dans l'année et depuis le début ; les partenariats privés (Veolia) sont des heures hors "
    "commande publique.",
    filename=f"bilan_{annee}_marches",
    empty_message="Aucun marché ni partenariat en cours cette année.",
    annee=annee,
    # On the projector: what the contract is, for whom, and its hours; every column stays in the download.
    room=["intitule", "donneur_ordre", "heures_periode", "heures_cumul", "personnes"],
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
ui.table(
    b.publics_masques(ctx.masked),
    filename=f"bilan_{annee}_publics",
    formats={str(y): fmt.integer for y in b.annees},
    room=True,  # plain on the projector: the long names of the publics wrap, the share stays in sight
)
st.caption(
    "Personnes employées au moins 1 heure dans l'année ; âge = année − année de naissance (« 50 ans et plus » : "
    "50 ans ou plus dans l'année) ; profil du parcours le plus récent ; les publics se recoupent."
)

if ctx.presentation:
    st.subheader("Les documents du bilan")
    ui.document_buttons(*documents)
