"""The on-screen preview of a document built as blocks (impact.documents.memoire.contenu): the page shows
exactly the text, figures and tables of the Word and PDF files, already masked."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from impact import ui
from impact.documents.memoire import Block

IMAGE_SALLE_PX = 960


def apercu(blocks: list[Block]) -> None:
    for b in blocks:
        if b.kind == "titre":
            st.header(b.text)
        elif b.kind == "sous_titre":
            st.caption(b.text)
        elif b.kind == "section":
            st.subheader(b.text)
        elif b.kind == "para":
            st.markdown(ui.plain_text(b.text))
        elif b.kind == "lecture":
            st.info(ui.plain_text(b.text))
        elif b.kind == "chiffres":
            for start in range(0, len(b.items), 4):
                cols = st.columns(4)
                for col, (label, value, note) in zip(cols, b.items[start : start + 4], strict=False):
                    with col:
                        ui.metric(label, value, None, note or None, "off", "off")
        elif b.kind == "tableau":
            # Printed plain, as in the Word and PDF files: every column in sight, long names wrapped (the grid
            # cut the last columns of the references at 1024 px).
            st.table(ui.plain_cells(pd.DataFrame(list(b.items), columns=list(b.headers))), hide_index=True)
        elif b.kind == "image":
            # Drawn for an A4 page (6,2 inches): at 640 px its names and sources read at 9 px. Projected, 960 px
            # at most (the text half as large again, the map within a screen's height); at the desk, 800 px.
            st.image(b.image, caption=b.text, width=IMAGE_SALLE_PX if ui.context().presentation else 800)
