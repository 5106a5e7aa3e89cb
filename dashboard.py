"""Entry point: page setup, data loading, shared sidebar filters, navigation between the pages."""

from pathlib import Path

import streamlit as st

from impact import warmup

warm_up = warmup.start()  # on a fresh server: the browser loads plotly while the modules below are imported

from impact import chrome, login, prefetch, process, sidebar, view  # pandas: 0,4 s on a fresh server

warmup.end(warm_up)

# Modules, classes and functions out of the collection Streamlit runs after each page (impact.process).
process.freeze_long_lived()

st.set_page_config(
    page_title="Impact — Collectif des Mauges pour l'Emploi",
    page_icon=str(Path(__file__).parent / "static" / "favicon.png"),
    layout="wide",
    initial_sidebar_state="expanded",
)
chrome.style()
# Nothing below is drawn before the gate lets the session in (login form, or no login on a laptop).
session = login.gate()
lecture = session.role == "lecture"

folder, served, db = view.load_data()
if db is None:
    chrome.no_data(folder, served, role=session.role)
    st.stop()

# The read-only role is always masked (impact.view.Context.masked): presentation mode changes nothing for it.
presentation = False if lecture else sidebar.presentation_mode()

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
        ("memoire.py", "Mémoire d'insertion", ":material/gavel:"),
        ("fiche_structure.py", "Fiche structure", ":material/badge:"),
        ("offre.py", "Offre de service", ":material/storefront:"),
    ],
    "Référence": [
        ("methodologie.py", "Méthodologie", ":material/menu_book:"),
        ("donnees.py", "Données", ":material/database:"),
    ],
}
HOME = "vue_ensemble.py"
pages = {
    section: [
        st.Page(
            PAGES_DIR / file,
            title=title,
            icon=icon,
            # The default page answers at "/" only; its own address is the hidden alias below.
            url_path="accueil" if file == HOME else Path(file).stem,
            default=file == HOME,
        )
        for file, title, icon in entries
    ]
    for section, entries in SECTIONS.items()
}
home = pages["Le collectif"][0]
# /vue_ensemble (the README's address, shared links): the home page's script under its own name, in no menu.
# Without it Streamlit answers that address with its English "Page not found" dialog.
home_alias = st.Page(
    PAGES_DIR / HOME, title=home.title, icon=home.icon, url_path=Path(HOME).stem, visibility="hidden"
)
# Coordination only: Données lists files, server paths and the import; the Mémoire d'insertion is written for
# a tender by the team, on any set of communes and activities (sets that, subtracted, would give back small
# counts: privacy.UNE_SELECTION for the read-only role's filters).
COORDINATION_ONLY = ("donnees", "memoire")
if lecture:
    pages = {s: [p for p in ps if p.url_path not in COORDINATION_ONLY] for s, ps in pages.items()}
ordered = [p for section in pages.values() for p in section]
pages["Le collectif"].append(home_alias)

# The menu of the pages stands in the top bar, one list per section: the sidebar holds the filters, in sight on
# a laptop's screen (under a menu of 14 pages they began below the bottom edge of a 768-pixel-high screen).
# Presentation mode: no menu; the presenter's bar (page menu, previous / next) stands on top.
# expanded=True: where Streamlit moves the menu into the sidebar (a narrow window), never its English "View more".
# st.navigation comes before every widget of the sidebar. On a fresh server the first run happens in Streamlit's
# legacy mode for a folder named pages/, where this script runs as a page of its own: widgets drawn before
# st.navigation would belong to that page, and Streamlit drops the address parameters of another page's widgets
# at the next page change (the communes filter was lost on the first click in the menu).
current = st.navigation(pages, position="hidden" if presentation else "top", expanded=True)

account_box = st.sidebar.container()  # who is connected and "Se déconnecter", first in the sidebar
if not lecture:  # the read-only role is always masked: the toggle would change nothing, it is not offered
    sidebar.presentation_toggle()
filtres, annees, communes = sidebar.sidebar_filters(db, single=lecture)
st.session_state["_ctx"] = ctx = view.Context(
    db, filtres, presentation, folder, served, annees, communes, role=session.role
)
# A meeting, or an elected official's account: its first masked pages are computed in the background.
if ctx.masked:
    prefetch.start(db)
login.account_box(session, presentation, account_box)

if presentation:
    chrome.presentation_style()
    chrome.presentation_bar(ordered, home if current.url_path == home_alias.url_path else current)
current.run()
