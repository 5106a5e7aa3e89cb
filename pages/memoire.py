"""Mémoire d'insertion: a tender's title, buyer, territory, activities and hours in; the document out (Word to
adapt, PDF), previewed on screen with exactly the document's content (always masked: it leaves the team)."""

import streamlit as st

from impact import fmt, sidebar, ui, ui_memoire, view
from impact.documents import provenance
from impact.documents.memoire import contenu, memoire_docx, memoire_pdf
from impact.indicators import bilan
from impact.indicators import memoire as mem

ctx = sidebar.page_header(
    "Mémoire d'insertion",
    "Pour répondre à un appel d'offres : le mémoire présente les structures qui exécuteront le marché, leur "
    "capacité sur le territoire, les personnes employées, la formation, les références et les résultats. "
    "Les filtres de la barre latérale ne s'appliquent pas : le territoire et les activités se choisissent ici. "
    "Le document quitte l'équipe : les effectifs de moins de 5 personnes y sont toujours masqués.",
    filters=False,
)
choix = view.call(mem.choix)
communes, activites = choix.get("commune", {}), choix.get("activite", {})
left, right = st.columns(2)
with left:
    titre = st.text_input(
        "Intitulé du marché", "Entretien des ouvrages du service de l'eau", key="memoire_titre"
    )
    acheteur = st.text_input("Acheteur ou donneur d'ordre", "Veolia Eau", key="memoire_acheteur")
    defaut = view.call(bilan.annee_par_defaut)
    annee = st.selectbox(
        "Année des chiffres",
        sorted(ctx.annees, reverse=True),
        index=sorted(ctx.annees, reverse=True).index(defaut) if defaut in ctx.annees else 0,
        key="memoire_annee",
        placeholder="Choisir…",  # never Streamlit's English "Choose an option"
    )
with right:
    terr = st.multiselect(
        "Territoire du marché",
        list(communes),
        format_func=lambda c: communes.get(c, c),
        key="memoire_communes",
        placeholder="Communes nouvelles ou voisines",
    )
    acts = st.multiselect(
        "Activités du marché",
        list(activites),
        key="memoire_activites",
        placeholder="Activités déjà exercées par le collectif",
    )
    heures = st.number_input(
        "Heures d'insertion prévues par le marché (0 si non précisé)",
        min_value=0,
        step=100,
        value=0,
        key="memoire_heures",
    )

demande = mem.Demande(
    titre.strip() or "Marché",
    acheteur.strip() or "l'acheteur",
    int(annee),
    tuple(terr),
    tuple(acts),
    float(heures) or None,
)
m = view.call(mem.memoire, demande)
prov = provenance(ctx.db.donnees_au, ctx.demo)
nom = f"memoire_insertion_{annee}"
ui.document_buttons(
    ui.Document(
        "Télécharger le mémoire (Word, modifiable)",
        lambda: memoire_docx(m, provenance=prov),
        f"{nom}.docx",
        "dl_memoire_docx",
        primary=True,
    ),
    ui.Document(
        "Télécharger le mémoire (PDF)",
        lambda: memoire_pdf(m, provenance=prov),
        f"{nom}.pdf",
        "dl_memoire_pdf",
    ),
)

st.divider()
st.caption(
    f"Aperçu du document ({fmt.plural(len(m.structures), 'structure retenue', 'structures retenues')}) :"
)
ui_memoire.apercu(contenu(m, prov))
