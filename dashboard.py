"""Entry point: page setup, data loading, shared sidebar filters, navigation between the pages."""

from pathlib import Path

import streamlit as st

from impact import ui

st.set_page_config(
    page_title="Impact — Collectif des Mauges pour l'Emploi",
    page_icon=str(Path(__file__).parent / "static" / "favicon.png"),
    layout="wide",
    initial_sidebar_state="expanded",
)
ui.style()

folder, served, db = ui.load_data()
if db is None:
    ui.no_data(folder, served)
    st.stop()

presentation = ui.presentation_toggle()
filtres, annees, communes = ui.sidebar_filters(db)
st.session_state["_ctx"] = ui.Context(db, filtres, presentation, folder, served, annees, communes)
if presentation:
    ui.presentation_style()

PAGES_DIR = Path(__file__).parent / "pages"
SECTIONS = {
    "Le collectif": [
        ("vue_ensemble.py", "Vue d'ensemble", ":material/dashboard:", "vue-ensemble"),
        ("carte.py", "Carte des interventions", ":material/map:", "carte"),
        ("heures.py", "Heures et activités", ":material/schedule:", "heures"),
        ("emplois.py", "Emplois et parcours", ":material/groups:", "emplois"),
        ("sorties.py", "Sorties", ":material/logout:", "sorties"),
        ("marches.py", "Marchés et partenariats", ":material/handshake:", "marches"),
        ("structures.py", "Structures", ":material/apartment:", "structures"),
    ],
    "Réunions et bilans": [
        ("fiche_commune.py", "Fiche commune", ":material/location_city:", "fiche-commune"),
        ("bilan.py", "Bilan annuel", ":material/summarize:", "bilan"),
    ],
    "Référence": [
        ("methodologie.py", "Méthodologie", ":material/menu_book:", "methodologie"),
        ("donnees.py", "Données", ":material/database:", "donnees"),
    ],
}
pages = {
    section: [
        st.Page(PAGES_DIR / file, title=title, icon=icon, url_path=url, default=file == "vue_ensemble.py")
        for file, title, icon, url in entries
        if (PAGES_DIR / file).exists()
    ]
    for section, entries in SECTIONS.items()
}
st.navigation(pages).run()
