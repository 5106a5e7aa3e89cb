"""Figures of the overview: the series by year, the timeline, the number of active structures."""

from __future__ import annotations

import pandas as pd

from impact.db import Database
from impact.filters import Filtres
from impact.indicators import listes


def par_annee(db: Database, f: Filtres) -> pd.DataFrame:
    """Hours, people, people in IAE paths and active structures for every year of the data (other filters kept)."""
    annees = listes.annees(db)
    if not annees:
        return pd.DataFrame(
            columns=["annee", "heures_travaillees", "personnes_employees", "salaries_en_parcours"]
        )
    return db.run("heures_par_annee", **f.all_years(annees).params())


def jalons(db: Database) -> pd.DataFrame:
    return db.run("jalons")


def structures_actives(db: Database, f: Filtres) -> int:
    return int(db.scalar("kpi_structures_actives", **f.params()))
