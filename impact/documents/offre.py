"""The offer of service as a PDF (fpdf2 + DejaVu, no browser, no network): one table of activities, the
structures that do them and the communes where they do them. No count of people: nothing to mask."""

from __future__ import annotations

import pandas as pd

from impact import fmt
from impact.documents import COLLECTIF

INTRO = (
    "Les structures du collectif réunissent des ateliers et chantiers d'insertion, des associations "
    "intermédiaires, des entreprises d'insertion, une entreprise de travail temporaire d'insertion, des "
    "entreprises adaptées et un ESAT. Chaque prestation confiée à l'une d'elles donne du travail, un "
    "encadrement et un accompagnement à des personnes éloignées de l'emploi. Voici qui fait quoi, et où."
)
LECTURE = (
    "Lecture : chaque ligne est une activité exercée par une structure du collectif ; « Communes » liste les "
    "communes nouvelles de Mauges Communauté (ou les communes voisines) où elle est intervenue pendant la "
    "période. Pour un marché public, une clause sociale, un marché réservé ou un critère social d'attribution "
    "permettent de confier ces prestations à nos structures."
)


def offre_pdf(df: pd.DataFrame, debut: int, fin: int, *, provenance: str) -> bytes:
    # fpdf and matplotlib (0,8 s on a fresh server): loaded by the first download, not by the page's first view.
    from impact.documents.pdf import Col, Document

    doc = Document(f"Offre de service — {COLLECTIF}", f"{COLLECTIF} — offre de service — {provenance}")
    doc.add_page()
    doc.h1(f"Offre de service du {COLLECTIF}", size=15)
    doc.para(f"Activités exercées de {debut} à {fin}. {provenance}.", size=8.5, color=(90, 90, 90))
    doc.encadre(INTRO, size=9)
    table = df.assign(structure=lambda d: d["structure_nom"] + " (" + d["type"] + ")")
    doc.tableau(
        table,
        [
            Col("activite", "Activité", width=2.2),
            Col("structure", "Structure", width=1.8),
            Col("communes", "Communes", width=2.6),
        ],
        size=7,
    )
    doc.encadre(LECTURE, size=8.5)
    doc.para(
        f"{fmt.plural(df['activite'].nunique(), 'activité')}, {fmt.plural(df['structure_nom'].nunique(), 'structure')}. "
        + "Source : interventions déclarées par les structures (tableaux des coordinateurs).",
        size=7.5,
        color=(90, 90, 90),
    )
    return bytes(doc.output())
