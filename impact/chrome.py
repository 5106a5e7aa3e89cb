"""The page chrome: the style sheets (normal and presentation mode), the presenter's bar, and the page shown
when no data could ever be loaded. Changes when the look of the app changes, never for a figure.
"""

from __future__ import annotations

import json
from pathlib import Path

import streamlit as st

from impact import columns, privacy
from impact.state import Served

# --- Page chrome -----------------------------------------------------------------------------------

BASE_CSS = """
<style>
/* The containers of these style sheets take no room (they would leave a blank band on top). */
[data-testid="stElementContainer"]:has(> [data-testid="stMarkdown"] style),
[data-testid="stElementContainer"]:has(style),
[data-testid="stElementContainer"]:has(> [data-testid="stHtml"] script) { display: none; }
h1 { font-size: 2.2rem !important; }
h2 { font-size: 1.5rem !important; }
h3 { font-size: 1.3rem !important; }
/* A heading's lines are balanced: never one word ("2025", "taux") left alone on its last line. */
h1, h2, h3 { text-wrap: balance; }
/* Two blocks side by side, each under its own title (Emplois: ETP and entries; Vue d'ensemble: hours and the
   collective's story): the titles hold two lines each, so that their charts start level (one title wrapping
   and not the other put them a line apart). */
[data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"]:nth-child(1) h3):has(> [data-testid="stColumn"]:nth-child(2) h3)
  > [data-testid="stColumn"] h3 { box-sizing: content-box; min-height: 2lh; }
[data-testid="stMetricValue"] > div { font-size: 2.3rem; font-weight: 600; }
[data-testid="stMetricLabel"] p { font-size: 1rem; }
/* Labels, values and their notes wrap rather than end in "…": a figure is never cut. */
[data-testid="stMetricLabel"] *, [data-testid="stMetricValue"] *, [data-testid="stMetricDelta"] * {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
}
[data-testid="stMetricValue"] > div { overflow-wrap: anywhere; line-height: 1.15; }
/* Captions in full black: grey small text is unreadable on a washed-out projector. */
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p { font-size: 0.95rem; color: #222 !important; opacity: 1 !important; }
/* Rows of key figures: four in a row on a wide screen, two by two below (1024 px projector, open sidebar); the
   third of a row of three keeps half the width (stretched over the whole, it read as the main figure). */
[data-testid="stMainBlockContainer"] { container-type: inline-size; padding-top: 3.5rem; }
/* The sidebar's header holds only its fold button: the filters start 40 px higher, in sight on a laptop. */
[data-testid="stSidebarHeader"] { height: auto; min-height: 0; margin-bottom: 0; padding-top: 0.5rem; padding-bottom: 0.25rem; }
[data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"] [data-testid="stMetric"]) { flex-wrap: wrap; row-gap: 0.75rem; }
@container (max-width: 1000px) {
  [data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"] [data-testid="stMetric"]) > [data-testid="stColumn"] {
    flex: 0 1 calc(50% - 0.5rem) !important; min-width: calc(50% - 0.5rem) !important;
  }
}
/* Streamlit's English that cannot be translated: the table toolbar (search, columns, CSV download: the
   French "Télécharger le tableau" button sits under each table) and the file uploader's own text. */
[data-testid="stElementToolbar"] { display: none !important; }
/* Keyboard hints of buttons: English key names ("PageDown", "Shortcut"); each button's help says the key. */
button kbd { display: none !important; }
[data-testid="stFileUploaderDropzoneInstructions"] { display: none !important; }
[data-testid="stFileUploaderDropzone"] button { font-size: 0 !important; }
[data-testid="stFileUploaderDropzone"] button * { display: none !important; }
[data-testid="stFileUploaderDropzone"] button::after { content: "Choisir des fichiers (CSV ou Excel)"; font-size: 1rem; }
[data-testid="stFileUploaderDropzone"] > span, [data-testid="stFileUploaderDropzone"] > div > span { font-size: 0 !important; }
[data-testid="stFileChip"] small, [data-testid="stFileChip"] [data-testid="stFileChipName"] + * { display: none !important; }
</style>
"""

# Presentation mode: the room sees the page, not the app: no header bar nor sidebar, no blank band on top,
# larger text, figures first. Axis text in charts is set to the same size (charts.for_room).
PRESENTATION_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"] { display: none !important; }
[data-testid="stMainBlockContainer"] { padding-top: 0.6rem !important; padding-bottom: 2rem !important;
  padding-left: 2rem !important; padding-right: 2rem !important; max-width: none !important; }
html { font-size: 20px; }
h1 { font-size: 1.9rem !important; padding: 0.2rem 0 0.3rem 0 !important; }
h2 { font-size: 1.5rem !important; padding: 0.3rem 0 !important; }
h3 { font-size: 1.25rem !important; }
[data-testid="stMetricValue"] > div { font-size: 2.1rem; }
[data-testid="stMetricLabel"] p { font-size: 1rem; }
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p { font-size: 0.9rem; }
.st-key-presentation_bar { gap: 0.4rem; }
.st-key-presentation_bar [data-testid="stHorizontalBlock"] { align-items: center; }
.st-key-presentation_bar button { min-height: 2.2rem; padding: 0.1rem 0.7rem; }
.st-key-presentation_bar [data-testid="stMarkdownContainer"] p { font-size: 0.85rem; line-height: 1.45; }
/* A 1024 px projector (no sidebar): four key figures a row still, a little smaller, so that the exits are on
   the first screen with the volumes; two by two only below. */
@container (min-width: 880px) and (max-width: 1000px) {
  [data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"] [data-testid="stMetric"]) > [data-testid="stColumn"] {
    flex: 1 1 0 !important; min-width: 0 !important;
  }
  [data-testid="stMetricValue"] > div { font-size: 1.6rem; }
  [data-testid="stMetricLabel"] p { font-size: 0.85rem; }
  [data-testid="stMetricDelta"] { font-size: 0.75rem; }
  /* Labels on two lines here ("Personnes employées"): every label of a row takes two, so that the figures of a
     row stand on one line. */
  [data-testid="stMetricLabel"] { min-height: 2.6rem; align-items: flex-start; }
}
</style>
"""


# Streamlit's own accessible names are English, read aloud by a screen reader and shown as
# tooltips: our French for each ("Help for X" is the help icon of the widget or figure X). A script of ours,
# no input from anyone, that renames them as they appear, and writes in French the few texts Streamlit's
# widgets show in English (the hint under a text field while typing, an empty list of choices).
FRENCH_LABELS = {
    "Skip to main content": "Aller au contenu",
    "Sidebar": "Barre latérale",
    "Collapse sidebar": "Replier la barre latérale",
    "Expand sidebar": "Déplier la barre latérale",
    "App pages": "Pages",
    "Open": "Ouvrir",
    "Close": "Fermer",
    "Link to heading": "Lien vers ce titre",
    "Fullscreen": "Plein écran",
    "Close fullscreen": "Quitter le plein écran",
    "Show/hide columns": "Colonnes",
    "Download as CSV": "Télécharger en CSV",
    "Search": "Rechercher",
    "Clear all": "Tout effacer",
    "Clear": "Effacer",
}
LABELS_JS = (
    "<script>(() => {\n"
    "if (window.__impactFrench) return; window.__impactFrench = true;\n"
    f"const fr = {json.dumps(FRENCH_LABELS, ensure_ascii=False)};\n"
    r"""const rename = (el) => {
  for (const attr of ['aria-label', 'title']) {
    const v = el.getAttribute(attr);
    if (!v) continue;
    const help = /^Help for (.*)$/.exec(v);
    const t = help ? `Aide : ${help[1]}` : fr[v];
    if (t && t !== v) el.setAttribute(attr, t);
  }
};
// Texts Streamlit writes in English inside its widgets: the hint under a text field, an empty list of choices.
const phrase = (text) => {
  let m = /^Press (?:(⌘|Ctrl)\+)?Enter to (apply|submit form)$/.exec(text);
  if (m) return `${m[1] ? m[1] + '+' : ''}Entrée pour ${m[2] === 'apply' ? 'valider' : 'envoyer le formulaire'}`;
  if (text === 'No results') return 'Aucun résultat';
  m = /^You can only select up to (\d+) options?\. Remove an option first\.$/.exec(text);
  return m ? `Au plus ${m[1]} choix : retirez-en un d'abord.` : null;
};
const ENGLISH = /^(Press |No results|You can only)/;
const translate = (node) => {
  const t = ENGLISH.test(node.nodeValue) && phrase(node.nodeValue.trim());
  if (t) node.nodeValue = t;
};
const texts = (root) => {
  const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) translate(n);
};
const all = (root) => {
  if (root.nodeType === 3) { translate(root); return; }
  if (root.nodeType !== 1) return;
  texts(root);
  rename(root);
  root.querySelectorAll('[aria-label], [title]').forEach(rename);
  root.querySelectorAll('a[href="#main"], a[href^="#"]').forEach((a) => {
    const t = fr[a.textContent.trim()];
    if (t) a.textContent = t;
  });
};
all(document.body);
new MutationObserver((records) => {
  for (const r of records) {
    if (r.type === 'attributes') rename(r.target);
    else if (r.type === 'characterData') translate(r.target);
    r.addedNodes.forEach(all);
  }
}).observe(document.body, {subtree: true, childList: true, characterData: true, attributes: true,
                           attributeFilter: ['aria-label', 'title']});
})();</script>"""
)


def style():
    st.markdown(BASE_CSS, unsafe_allow_html=True)
    st.html(LABELS_JS, unsafe_allow_javascript=True)


def presentation_style():
    st.markdown(PRESENTATION_CSS, unsafe_allow_html=True)


def carried_params() -> dict:
    """The address parameters a page change must carry itself: mode and period. The filters bound to widgets
    (communes, types...) follow on their own, and Streamlit refuses to have them set by hand."""
    return {k: st.query_params.get_all(k) for k in ("mode", "periode") if k in st.query_params}


# Two lines, one per mark: "masqué" is not a small count itself (a big one can be hidden to protect one).
PRESENTATION_NOTE = (
    f"« {privacy.MASQUE_TEXTE} » : moins de {privacy.SEUIL} personnes  \n"
    f"« {privacy.MASQUE_SECONDAIRE} » : caché par précaution"
)
PRESENTATION_HELP = (
    f"« {privacy.MASQUE_TEXTE} » : un effectif de 1 à {privacy.SEUIL - 1} personnes. « {privacy.MASQUE_SECONDAIRE} » : une case "
    "cachée pour qu'un total ne redonne pas un petit effectif ; dans les sorties, toute case cachée, petit "
    "effectif compris. Détail sur la page Méthodologie."
)


def presentation_bar(pages: list, current) -> None:
    """The presenter's bar on top of every page: a compact page menu, previous / next page (also PageUp /
    PageDown, the keys of a presentation remote), and the way out of presentation mode. Every link keeps
    ?mode=presentation and the filters: moving never unmasks the screen."""
    urls = [p.url_path for p in pages]
    i = urls.index(current.url_path) if current.url_path in urls else 0
    params = carried_params()
    params["mode"] = "presentation"
    with st.container(key="presentation_bar"):
        menu, prev, nxt, note, out = st.columns([1.05, 1.3, 1.15, 2.7, 1.0], vertical_alignment="center")
        with menu.popover("Pages", icon=":material/menu:", width="stretch"):
            # Two columns: the fourteen pages fit in the popover at 720 px of height, none behind a scroll.
            half = (len(pages) + 1) // 2
            for column, chunk in zip(st.columns(2), (pages[:half], pages[half:]), strict=True):
                with column:
                    for p in chunk:
                        st.page_link(p, query_params=params, disabled=p.url_path == current.url_path)
            # Said here, not in a tooltip of « Suivante »: after a click, the mouse still over the button would
            # keep a tooltip over the new page's title, in front of the room.
            st.caption(
                "Touches Page précédente et Page suivante (télécommande) : page d'avant, page d'après. "
                "Sur la fiche commune, flèches gauche et droite : commune précédente, commune suivante."
            )
        go_prev = prev.button(
            "Précédente",
            icon=":material/chevron_left:",
            key="page_precedente",
            width="stretch",
            shortcut="PageUp",
        )
        go_next = nxt.button(
            "Suivante",
            icon=":material/chevron_right:",
            icon_position="right",
            key="page_suivante",
            width="stretch",
            shortcut="PageDown",
        )
        note.markdown(f":material/visibility_off: {PRESENTATION_NOTE}", help=PRESENTATION_HELP)
        # A callback: the toggle is already drawn in this run, its state can only change before the next one.
        out.button(
            "Quitter",
            icon=":material/close_fullscreen:",
            key="quitter_presentation",
            help="Quitter le mode présentation (les petits effectifs redeviennent visibles)",
            width="stretch",
            on_click=lambda: st.session_state.update(presentation=False, _presentation=False),
        )
    if go_prev or go_next:
        st.switch_page(pages[(i + (1 if go_next else -1)) % len(pages)], query_params=params)


def no_data(folder: Path, served: Served, role: str = "coordination"):
    """Nothing ever loaded from this folder: say why and offer the demo data."""
    st.title("Aucune donnée chargée")
    if role != "coordination":  # neither the server's paths nor the files' content for the read-only role
        st.info("Les données ne sont pas disponibles pour le moment : prévenez la coordination du collectif.")
        return
    st.error(
        f"Le dossier {folder} n'a jamais pu être chargé sans erreur, et aucune version valide "
        "n'a été conservée. Corrigez les fichiers ci-dessous, ou lancez le tableau de bord sur les données "
        "de démonstration : `make run` sans IMPACT_DATA."
    )
    problems = columns.shown(columns.problems_frame(served.attempt.problems), masked=False).cells()
    if st.button("Afficher les données fictives de démonstration", type="primary"):
        st.session_state["force_demo"] = True
        st.rerun()
    st.dataframe(problems, hide_index=True, width="stretch")
