"""Fiche structure: the identity sheet of one member structure (identity, activities and communes, three years
of figures, contracts, supervision and training), previewed as its PDF says it (always masked)."""

import streamlit as st

from impact import sidebar, ui, ui_memoire, view
from impact.documents import provenance
from impact.documents.fiche_structure import contenu, fiche_structure_pdf
from impact.indicators import bilan, fiche_structure, listes

ctx = sidebar.page_header(
    "Fiche structure",
    "La fiche d'identité d'une structure membre, à joindre à une réponse d'appel d'offres ou à présenter en "
    "réunion. Les filtres de la barre latérale ne s'appliquent pas ; la fiche quitte l'équipe : les effectifs "
    "de moins de 5 personnes y sont toujours masqués.",
    filters=False,
)
membres = view.call(listes.structures)
noms = dict(zip(membres["structure_id"], membres["nom"], strict=True))
# The document's button beside the choices: the sheet itself starts higher on a projector.
left, right, button = st.columns([1.9, 0.9, 1.6], vertical_alignment="bottom")  # the button whole at 1280
with left:
    sid = st.selectbox(
        "Structure",
        list(noms),
        format_func=lambda s: noms[s],
        key="fiche_structure_id",
        placeholder="Choisir…",
    )
with right:
    defaut = view.call(bilan.annee_par_defaut)
    annees = sorted(ctx.annees, reverse=True)
    annee = st.selectbox(
        "Année",
        annees,
        index=annees.index(defaut) if defaut in annees else 0,
        key="fiche_structure_annee",
        placeholder="Choisir…",
    )
fiche = view.call(fiche_structure.fiche, sid, int(annee))
prov = provenance(ctx.db.donnees_au, ctx.demo)
with button:
    ui.document_button(
        "Télécharger la fiche (PDF)",
        lambda: fiche_structure_pdf(fiche, provenance=prov),
        f"fiche_{sid.lower()}_{annee}.pdf",
        key="dl_fiche_structure",
        primary=True,
        width="stretch",
    )
st.divider()
ui_memoire.apercu(contenu(fiche, prov))
