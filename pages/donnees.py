"""Données: which folder is served, each structure's freshness, the validation report, and the import of
new exports (preview, "Importer", history, "Annuler cet import"); the blocks are in impact/ui_donnees.py."""

import streamlit as st

from impact import sidebar, view
from impact.ui_donnees import (
    section_collecte,
    section_files,
    section_freshness,
    section_history,
    section_import,
    section_journal,
    section_report,
    section_status,
)

if view.context().role != "coordination":  # not in the read-only role's menu; never drawn for it either
    st.stop()
ctx = sidebar.page_header(
    "Données",
    "Le dossier chargé, la fraîcheur de chaque structure, le rapport de vérification, l'import de nouveaux exports.",
)
section_status(ctx)
section_report(ctx)
section_freshness(ctx)
section_files(ctx)
section_collecte(ctx)
section_import(ctx)
section_history(ctx)
section_journal()
