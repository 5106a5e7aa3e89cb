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

PAGES_DIR = Path(__file__).parent / "pages"
# A page's address is its file name (/fiche_commune): the same in Streamlit's legacy pages/ mode, which
# answers the very first request of a fresh server, so a shared deep link always finds its page.
SECTIONS = {
    "Le collectif": [
        ("vue_ensemble.py", "Vue d'ensemble", ":material/dashboard:"),
        ("carte.py", "Carte des interventions", ":material/map:"),
        ("heures.py", "Heures et activités", ":material/schedule:"),
        ("emplois.py", "Emplois et parcours", ":material/groups:"),
        ("sorties.py", "Sorties", ":material/logout:"),
        ("marches.py", "Marchés et partenariats", ":material/handshake:"),
        ("structures.py", "Structures", ":material/apartment:"),
    ],
    "Réunions et bilans": [
        ("fiche_commune.py", "Fiche commune", ":material/location_city:"),
        ("bilan.py", "Bilan annuel", ":material/summarize:"),
    ],
    "Référence": [
        ("methodologie.py", "Méthodologie", ":material/menu_book:"),
        ("donnees.py", "Données", ":material/database:"),
    ],
}
pages = {
    section: [
        st.Page(
            PAGES_DIR / file,
            title=title,
            icon=icon,
            url_path=Path(file).stem,
            default=file == "vue_ensemble.py",
        )
        for file, title, icon in entries
    ]
    for section, entries in SECTIONS.items()
}
ordered = [p for section in pages.values() for p in section]


# Presentation mode: no sidebar menu; the presenter's bar (page menu, previous / next) stands on top.
current = st.navigation(pages, position="hidden" if presentation else "sidebar")
if presentation:
    ui.presentation_style()
    ui.presentation_bar(ordered, current)
current.run()
