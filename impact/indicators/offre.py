"""The collective's offer of service: which member structure does which activity in which communes, from the
interventions history (for buyers and elected officials)."""

from __future__ import annotations

import pandas as pd

from impact.db import Database
from impact.indicators import listes

ANNEES_OFFRE = 3  # the offer shows the activities of the last three years of the data


def tableau(df: pd.DataFrame) -> pd.DataFrame:
    """The offer as its table shows it: activite, structure ("Alise (ACI)"), communes_intervention (the
    names only: the vocabulary's "communes", of Structures, carries each commune's hours)."""
    return df.assign(
        structure=df["structure_nom"] + " (" + df["type"] + ")", communes_intervention=df["communes"]
    )[["activite", "structure", "communes_intervention"]]


def periode(db: Database) -> tuple[int, int]:
    annees = listes.annees(db)
    fin = annees[-1] if annees else 0
    return max(annees[0], fin - ANNEES_OFFRE + 1) if annees else 0, fin


def offre(db: Database, annee_debut: int | None = None, annee_fin: int | None = None) -> pd.DataFrame:
    """activite, structure_nom, type, type_libelle, communes (names, comma-separated), nb_communes."""
    debut, fin = periode(db)
    return db.run("offre_service", annee_debut=annee_debut or debut, annee_fin=annee_fin or fin)
