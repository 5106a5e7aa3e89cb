"""Figures of the overview: the series by year, the timeline, the number of active structures."""

from __future__ import annotations

import pandas as pd

from impact import privacy
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


# The people series of the overview's chart, as its legend names them.
PERSONNES = {
    "personnes_employees": "Personnes employées",
    "salaries_en_parcours": "Salariés en parcours (IAE)",
}


def personnes_series(chart: pd.DataFrame) -> pd.DataFrame:
    """par_annee's people (as ui.chart_counts gives them) in long form for a chart: annee (text), série
    (legend), personnes; a masked value keeps how it reads (privacy.melt)."""
    long = privacy.melt(chart, "annee", list(PERSONNES), "série", "personnes")
    return long.assign(série=long["série"].map(PERSONNES), annee=long["annee"].astype(str))


def annee_texte(df: pd.DataFrame) -> pd.DataFrame:
    """The table with its year as text (a chart's category axis)."""
    return df.assign(annee=df["annee"].astype(str))
