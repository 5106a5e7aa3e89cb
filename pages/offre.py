"""Offre de service: which member structure does which activity in which commune nouvelle (interventions of
the last three years), for buyers and elected officials, with its one-page PDF."""

import streamlit as st

from impact import fmt, sidebar, ui, view
from impact.documents import provenance
from impact.documents.offre import LECTURE, offre_pdf
from impact.indicators import offre

ctx = sidebar.page_header(
    "Offre de service",
    "Qui fait quoi, et où : les activités des structures du collectif et les communes où elles interviennent, "
    "d'après les interventions des trois dernières années. Les filtres de la barre latérale ne s'appliquent pas.",
    filters=False,
)
debut, fin = view.call(offre.periode)
df = view.call(offre.offre, debut, fin)
prov = provenance(ctx.db.donnees_au, ctx.demo)
if df.empty:
    ui.empty("Aucune intervention déclarée sur la période : l'offre de service est vide.")
    st.stop()
ui.document_button(
    "Télécharger l'offre de service (PDF)",
    lambda: offre_pdf(df, debut, fin, provenance=prov),
    "offre_de_service.pdf",
    key="dl_offre_pdf",
    primary=True,
)
st.subheader(
    f"{fmt.plural(df['activite'].nunique(), 'activité')} exercées par "
    f"{fmt.plural(df['structure_nom'].nunique(), 'structure')}, {fmt.period(debut, fin)}"
)
ui.table(offre.tableau(df), filename="offre_de_service", room=True)
st.caption(LECTURE)
