"""Figures of the overview: the series by year, the timeline, the number of active structures."""

from __future__ import annotations

from datetime import date

import pandas as pd

from impact import privacy
from impact.db import Database
from impact.filters import Filtres, annee_axe
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


def personnes_series(chart: pd.DataFrame, donnees_au: date | None) -> pd.DataFrame:
    """par_annee's people (as ui.chart_counts gives them) in long form for a chart: annee (text, as
    filters.annee_axe writes it), série (legend), personnes; a masked value keeps how it reads (privacy.melt)."""
    long = privacy.melt(chart, "annee", list(PERSONNES), "série", "personnes")
    return annee_texte(long.assign(série=long["série"].map(PERSONNES)), donnees_au)


def annee_texte(df: pd.DataFrame, donnees_au: date | None) -> pd.DataFrame:
    """The table with its year as a chart's category (filters.annee_axe: the year being recorded says so)."""
    return df.assign(annee=[annee_axe(a, donnees_au) for a in df["annee"]])
