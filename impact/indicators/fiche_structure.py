"""The identity sheet of a member structure ("fiche d'identité par structure"): identity, activities and
communes served, people, hours, ETP, exits and rates over three years, contracts and partnerships,
supervision and training — each figure from the indicator functions, filtered on the structure."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from impact.db import Database
from impact.filters import Filtres
from impact.indicators import accompagnement, marches, structures
from impact.indicators.core import kpis
from impact.indicators.memoire import structures_retenues


@dataclass
class FicheStructure:
    structure_id: str
    annee: int
    identite: dict  # a row of structures.membres for the year
    activites: str
    communes_servies: str
    communes_codes: list[str]  # communes nouvelles (or neighbouring communes) of its interventions
    annees: pd.DataFrame  # one row per year (annee-2 .. annee): kpis of the structure
    marches: pd.DataFrame  # contracts it worked on over the three years (marches.liste)
    encadrement: pd.DataFrame  # accompagnement.encadrement_detail over the three years
    formations: dict  # the year
    formations_domaines: pd.DataFrame


def fiche(db: Database, structure_id: str, annee: int) -> FicheStructure:
    one = (structure_id,)
    membre = structures.membres(db, Filtres.annee(annee, structures=one))
    if membre.empty:
        raise KeyError(f"structure inconnue : {structure_id}")
    s = structures_retenues(db, annee, (), ())
    s = s[s["structure_id"] == structure_id]
    codes = db.run("fiche_structure_communes", structure_id=structure_id, annee=annee)["commune"].tolist()
    years = list(range(annee - 2, annee + 1))
    rows = []
    for y in years:
        k = kpis(db, Filtres.annee(y, structures=one))
        rows.append({"annee": y, **{key: v for key, v in k.items() if key != "heures_par_commune"}})
    trois = Filtres(years[0], annee, structures=one)
    m = marches.liste(db, trois)
    return FicheStructure(
        structure_id=structure_id,
        annee=annee,
        identite=membre.iloc[0].to_dict(),
        activites="" if s.empty else str(s["activites"].iloc[0]),
        communes_servies="" if s.empty else str(s["communes_servies"].iloc[0]),
        communes_codes=codes,
        annees=pd.DataFrame(rows),
        marches=m[m["heures_realisees"] > 0].reset_index(drop=True),
        encadrement=accompagnement.encadrement_detail(db, trois),
        formations=accompagnement.formations(db, Filtres.annee(annee, structures=one)),
        formations_domaines=accompagnement.formations_par_domaine(db, Filtres.annee(annee, structures=one)),
    )
