"""Méthodologie: every definition, the exit-reason mapping and ETP bases of the loaded data, the sources and
their freshness, the privacy rule, the territory, how to read the figures, the data contract and templates.
The rules' sentences are in impact/texts.py, next to the constants they quote."""

import streamlit as st

from impact import fmt, geo, pseudonyme, sidebar, texts, ui, view
from impact.definitions import DEFINITIONS
from impact.indicators import kpis, reference
from impact.ui_donnees import section_contrat

ctx = sidebar.page_header(
    "Méthodologie",
    "Comment chaque chiffre est défini et calculé, d'où viennent les données, et comment les lire.",
)
f = ctx.filtres


def source(name: str) -> str:
    return view.server_path(ctx, reference.reference_source(ctx.folder, name))


st.markdown(
    "Toutes les pages, exports et documents calculent leurs chiffres avec les mêmes définitions, ci-dessous. "
    "Les règles modifiables (motifs de sortie, bases ETP, communes) sont lues dans les tables de référence "
    "des données chargées. Le format des fichiers attendus est décrit dans le **contrat de données** "
    "(`docs/contrat_donnees.md`, en bas de cette page avec un modèle vide par table)."
)

st.header("Les définitions des indicateurs")
st.markdown("\n\n".join(f"**{d.label}** — {d.text}" for d in DEFINITIONS.values()))  # one block, not forty

st.header("Les sorties : motifs et catégories")
st.markdown(texts.CATEGORIES_SORTIE)
categories = view.call(reference.categories_sortie)
ui.table(categories, filename="categories_sortie", titles=True, room=True, labels={"libelle": "libellé"})
motifs = view.call(reference.motifs_sortie)
ui.table(motifs, filename="motifs_sortie", titles=True, room=True, labels={"libelle": "libellé"})
st.caption(
    f"Sources : {source('motifs_sortie')} et {source('categories_sortie')} (un sous-dossier reference/ du "
    "dossier de données remplace les fichiers par défaut)."
)

st.header("Les bases des équivalents temps plein (ETP)")
st.markdown(texts.BASES_ETP)
ui.table(view.call(reference.bases_etp), filename="bases_etp", titles=True, room=True)
st.caption(f"Source : {source('bases_etp')}.")

st.header("Les sources des données")
st.markdown(
    texts.SOURCES
    + f"**{sidebar.freshness(ctx)}** : dernier jour du mois le plus récent présent dans les heures déclarées."
)
if ctx.demo:
    st.info("Les données affichées sont fictives : ce sont les données de démonstration du tableau de bord.")
# Projected, without the names of the files read (a column of 30 names ran down three screens).
ui.table(
    reference.sources(ctx.served.result.files),
    filename="sources_donnees",
    titles=True,
    room=["table", "obligatoire", "contenu", "nb_fichiers", "lignes"],
)
st.caption(
    f"Lignes de données lues (hors en-tête). {geo.source_label()}."
    + (
        f" Dossier chargé : {view.server_path(ctx, ctx.folder)}. Le détail de la vérification des fichiers est sur la page Données."
        if ctx.role == "coordination"
        else ""
    )
)

st.header("La confidentialité")
st.markdown(texts.CONFIDENTIALITE)
ui.table(
    reference.colonnes_refusees(),
    filename="colonnes_refusees",
    titles=True,
    room=True,
    labels={"colonne": "colonne refusée", "tables": "tables concernées"},
)
st.caption("Les noms de colonnes sont comparés sans majuscules ni accents (« Prénom » = prenom).")
st.subheader("La pseudonymisation à l'entrée")
st.markdown(pseudonyme.METHODOLOGIE)

st.header("Le territoire")
st.markdown(texts.TERRITOIRE)
territoire = view.call(reference.communes_nouvelles)
ui.table(
    territoire,
    filename="communes_nouvelles",
    titles=True,
    room=True,
    labels={"code": "code INSEE", "nom": "commune nouvelle"},
)
anciens = view.call(reference.codes_anciens)
st.markdown(texts.CODES_ANCIENS)
ui.lazy_expander(
    f"Anciens codes INSEE acceptés ({fmt.integer(len(anciens))})",
    "voir_codes_anciens",
    lambda: ui.table(anciens, filename="codes_anciens", titles=True, room=True),
)

st.header("Comment lire les chiffres")
st.caption(f"Exemples tirés des données chargées, pour la sélection : {sidebar.filters_summary(ctx)}.")
k = view.call(kpis, f)
lectures = texts.lectures(k, view.call(reference.exemple_etp, f), f, masked=ctx.masked)
st.markdown("\n".join(f"- {line}" for line in lectures))

section_contrat()
