"""The identity sheet of a member structure ("fiche d'identité par structure"): identity, activities and
communes served, people, hours, ETP, exits and rates over three years, contracts and partnerships,
supervision and training — each figure from the indicator functions, filtered on the structure."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from impact.db import Database
from impact.filters import Filtres
from impact.indicators import accompagnement, marches, sorties, structures
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
    annees: pd.DataFrame  # one row per year (annee-2 .. annee): kpis of the structure, and its masque_* flags
    marches: pd.DataFrame  # contracts it worked on over the three years (marches.liste)
    encadrement: pd.DataFrame  # accompagnement.encadrement_detail over the three years
    formations: dict  # the year
    formations_domaines: pd.DataFrame


# The structure's exit counts of a year, as the Bilan annuel of that year (and the Sorties page of the year)
# masks them: "masque_<count>" is True where they hide it (sorties.masques), so that the sheet never prints a
# cell they hide to protect another.
COMPTES_MASQUES = ("sorties", "sorties_examinees", "sorties_dynamiques", "sorties_emploi_durable")


def _masques(db: Database, structure_id: str, annee: int) -> dict[str, bool]:
    table = sorties.masques(db, Filtres.annee(annee), ("structure",))["structure"]
    line = table.loc[structure_id] if structure_id in table.index else None
    return {f"masque_{c}": bool(line is not None and line.get(c, False)) for c in COMPTES_MASQUES}


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
        rows.append(
            {
                "annee": y,
                **{key: v for key, v in k.items() if key != "heures_par_commune"},
                **_masques(db, structure_id, y),
            }
        )
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
