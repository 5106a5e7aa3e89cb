"""Figures of the commune sheet (fiche commune): one commune nouvelle, one year, for the yearly meeting.

People and exits count residents of the commune (commune of residence of their latest path); hours count
work done in the commune (interventions located there). The key figures are those of `kpis` with
Filtres.annee(annee, communes=(code,)), the same as `python -m impact kpis DOSSIER --annee A --commune C`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from impact import fmt, geo
from impact.db import Database
from impact.filters import Filtres
from impact.indicators import accompagnement, listes
from impact.indicators import sorties as sorties_indicateurs
from impact.indicators.core import kpis

LECTURE = (
    "Personnes et sorties : habitants de la commune (commune de résidence de leur parcours le plus récent), "
    "où qu'ils travaillent. Heures : travail réalisé dans la commune (interventions qui y sont situées), "
    "quel que soit le lieu de résidence des salariés."
)


def filtres(code: str, annee: int) -> Filtres:
    return Filtres.annee(annee, communes=(code,))


def communes(db: Database) -> dict[str, str]:
    """The six communes nouvelles: code -> name, in alphabetical order."""
    return listes.communes_nouvelles(db)


def voisines(codes: list[str], code: str) -> tuple[str, str]:
    """(previous, next) commune of `code` in the list, wrapping around (the meeting walks them in turn)."""
    i = codes.index(code)
    return codes[(i - 1) % len(codes)], codes[(i + 1) % len(codes)]


def chiffres(db: Database, code: str, annee: int) -> dict:
    """The key figures of the commune for the year: exactly `kpis` under the commune filter."""
    return kpis(db, filtres(code, annee))


def residents(db: Database, code: str, annee: int) -> dict:
    """Residents employed by the collective's structures: people, people in IAE paths, the hours they
    worked wherever the work was done, and the matching ETP."""
    r = db.run("commune_residents", **filtres(code, annee).params()).iloc[0]
    return {
        "personnes_employees": int(r["personnes_employees"]),
        "salaries_en_parcours": int(r["salaries_en_parcours"]),
        "heures_travaillees": round(float(r["heures_travaillees"]), 2),
        "etp": round(float(r["etp"]), 2),
    }


def interventions(db: Database, code: str, annee: int) -> pd.DataFrame:
    """Interventions in the commune with hours in the year, most hours first. Those without a GPS point get
    the representative point of their commune déléguée (column `point_approche` = True)."""
    df = db.run("commune_interventions", **filtres(code, annee).params())
    df["heures_travaillees"] = df["heures_travaillees"].astype(float)
    df["personnes"] = df["personnes"].astype(int)
    lat = pd.to_numeric(df["latitude"], errors="coerce")
    lon = pd.to_numeric(df["longitude"], errors="coerce")
    missing = lat.isna() | lon.isna()
    df["point_approche"] = missing
    if missing.any():
        b = geo.boundaries("deleguee").set_index("code_insee")
        pts = b.geometry.representative_point()
        codes = df.loc[missing, "commune_localisee"]
        df.loc[missing, "latitude"] = [pts[c].y if c in pts.index else None for c in codes]
        df.loc[missing, "longitude"] = [pts[c].x if c in pts.index else None for c in codes]
    df["latitude"] = pd.to_numeric(df["latitude"], errors="coerce")
    df["longitude"] = pd.to_numeric(df["longitude"], errors="coerce")
    return df


def sorties(db: Database, code: str, annee: int) -> pd.DataFrame:
    """IAE exits of residents in the year by category (examined exits by category, withdrawals, and exits
    below the minimum presence); the rows add up to kpis' `sorties`."""
    df = db.run("commune_sorties", **filtres(code, annee).params())
    df["sorties"] = df["sorties"].astype(int)
    return df[["categorie", "libelle", "sorties"]]


def marches(db: Database, code: str, annee: int) -> pd.DataFrame:
    """Contracts with hours worked in the commune in the year, or whose buyer is the commune itself."""
    nom = geo.commune_name(code) or code
    df = db.run("commune_marches", nom_commune=nom, **filtres(code, annee).params())
    df["heures_commune"] = df["heures_commune"].astype(float)
    return df


def structures(db: Database, code: str, annee: int) -> pd.DataFrame:
    """Structures active in the commune: hours worked there and residents employed (≥ 1 hour)."""
    df = db.run("commune_structures", **filtres(code, annee).params())
    df["heures_commune"] = df["heures_commune"].astype(float)
    df["habitants_employes"] = df["habitants_employes"].astype(int)
    return df


def suivi(db: Database, code: str, annee: int) -> accompagnement.Suivi6Mois:
    """ "En emploi 6 mois après la sortie" for the residents of the commune who left in the year: the one
    definition (accompagnement.suivi_6_mois) under the commune filter, like the other exit figures."""
    return accompagnement.suivi_6_mois(db, filtres(code, annee))


def tendance(db: Database, code: str, annee: int) -> pd.DataFrame:
    """Year by year from the first year of the data to `annee`: the commune's key figures (kpis per year)."""
    annees = [a for a in listes.annees(db) if a <= annee] or [annee]
    rows = []
    for a in annees:
        k = chiffres(db, code, a)
        rows.append(
            {
                "annee": a,
                "heures_travaillees": k["heures_travaillees"],
                "etp": k["etp"],
                "personnes_employees": k["personnes_employees"],
                "salaries_en_parcours": k["salaries_en_parcours"],
                "sorties": k["sorties"],
                "sorties_examinees": k["sorties_examinees"],
                "sorties_dynamiques": k["sorties_dynamiques"],
                "taux_sortie_dynamique": k["taux_sortie_dynamique"],
            }
        )
    return pd.DataFrame(rows)


@dataclass
class Fiche:
    """Everything the commune sheet shows (page, PDF, command line): one computation, several renderings."""

    code: str
    nom: str
    annee: int
    chiffres: dict
    residents: dict
    interventions: pd.DataFrame
    sorties: pd.DataFrame
    marches: pd.DataFrame
    structures: pd.DataFrame
    tendance: pd.DataFrame
    donnees_au: object = None
    suivi: accompagnement.Suivi6Mois | None = None  # the collective's own follow-up, apart from ASP rates
    # The exits by category a masked view hides (same index as `sorties`, column "sorties"): masked with the
    # Sorties page of the same commune and year (sorties.masques), page and PDF alike.
    sorties_masques: pd.DataFrame | None = None
    # The cells of `tendance` a masked view hides besides their own rule (impact.view.fiche_partenaires: a key
    # figure of that year that one commune alone hides), page and PDF alike.
    tendance_masques: pd.DataFrame | None = None
    # The residents employed by each structure (`structures`, column "habitants_employes") a masked view hides
    # besides their own rule: one commune alone hid a structure's (fiche_partenaires), page and PDF alike.
    structures_masques: pd.DataFrame | None = None

    @property
    def structures_actives(self) -> int:
        """Structures with hours worked in the commune in the year."""
        return int((self.structures["heures_commune"] > 0).sum())

    @property
    def marches_actifs(self) -> int:
        """Contracts and partnerships with hours worked in the commune in the year."""
        return int((self.marches["heures_commune"] > 0).sum())


def fiche(db: Database, code: str, annee: int) -> Fiche:
    code = geo.commune_nouvelle(code) or code
    par_categorie = sorties(db, code, annee)
    return Fiche(
        code=code,
        nom=geo.commune_name(code) or code,
        annee=annee,
        chiffres=chiffres(db, code, annee),
        residents=residents(db, code, annee),
        interventions=interventions(db, code, annee),
        sorties=par_categorie,
        sorties_masques=sorties_indicateurs.forced_for(
            par_categorie,
            "categorie",
            sorties_indicateurs.masques(db, filtres(code, annee), ("fiche_commune",))["fiche_commune"],
        ),
        marches=marches(db, code, annee),
        structures=structures(db, code, annee),
        tendance=tendance(db, code, annee),
        donnees_au=db.donnees_au,
        suivi=suivi(db, code, annee),
    )


# The table of the commune's interventions, as the page shows it.
COLONNES_INTERVENTIONS = [
    "activite",
    "lieu",
    "commune_deleguee",
    "structure",
    "marche_intitule",
    "heures_travaillees",
    "personnes",
]


def activites(interventions: pd.DataFrame) -> pd.DataFrame:
    """One row per activity of the commune's interventions, its total hours (several sites of one activity
    are added, not stacked), most hours first; the label says how many sites ("Entretien (3 sites)")."""
    out = (
        interventions.groupby("activite", as_index=False)
        .agg(heures_travaillees=("heures_travaillees", "sum"), sites=("activite", "size"))
        .sort_values("heures_travaillees", ascending=False)
    )
    out["activite"] = [
        f"{a} ({fmt.plural(n, 'site')})" if n > 1 else a
        for a, n in zip(out["activite"], out["sites"], strict=True)
    ]
    return out
