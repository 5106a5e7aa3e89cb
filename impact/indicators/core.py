"""The key figures (kpis): hours, people, ETP, exits and rates, revenue, hours by commune."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from impact import contract
from impact.db import Database
from impact.filters import Filtres

MIN_SORTIES_TAUX = 10  # no exit rate is shown on fewer examined exits (domain brief)

KPI_KEYS = (
    "heures_travaillees",
    "personnes_employees",
    "salaries_en_parcours",
    "etp",
    "sorties",
    "sorties_examinees",
    "sorties_emploi_durable",
    "sorties_emploi_transition",
    "sorties_positives",
    "sorties_dynamiques",
    "taux_sortie_dynamique",
    "taux_sortie_emploi_durable",
    "chiffre_affaires",
    "heures_par_commune",
    "donnees_au",
)


@dataclass(frozen=True)
class Taux:
    """A rate with its numerator and denominator; value is None below MIN_SORTIES_TAUX exits."""

    n: int
    N: int

    @property
    def value(self) -> float | None:
        return None if self.N < MIN_SORTIES_TAUX else self.n / self.N


def _row(db: Database, name: str, f: Filtres) -> dict:
    df = db.run(name, **f.params())
    return {k: (None if pd.isna(v) else v) for k, v in df.iloc[0].to_dict().items()}


def heures(db: Database, f: Filtres) -> dict:
    r = _row(db, "kpi_heures", f)
    return {
        "heures_travaillees": float(r["heures_travaillees"]),
        "heures_facturees": float(r["heures_facturees"]),
        "heures_formation": float(r["heures_formation"]),
        "personnes_employees": int(r["personnes_employees"]),
        "salaries_en_parcours": int(r["salaries_en_parcours"]),
    }


def etp(db: Database, f: Filtres) -> float:
    return float(_row(db, "kpi_etp", f)["etp"])


# The exit counts (the one list of their names), defined once in queries/sorties_groupes.sql (by year and
# structure); every total is a sum. sorties_dynamiques (numerator of the dynamic rate) counts the examined
# exits of contract.DYNAMIC_CATEGORIES: emploi durable + emploi de transition + sortie positive.
SORTIES_COUNTS = (
    "sorties",
    "sorties_examinees",
    "sorties_emploi_durable",
    "sorties_emploi_transition",
    "sorties_positives",
    "autres_sorties",
    "retraits",
    "sorties_dynamiques",
)


def sorties_groupes(db: Database, f: Filtres) -> pd.DataFrame:
    """IAE exits by year and structure (queries/sorties_groupes.sql), every count of SORTIES_COUNTS."""
    df = db.run("sorties_groupes", dynamiques=list(contract.DYNAMIC_CATEGORIES), **f.params())
    return df.astype({c: int for c in SORTIES_COUNTS})


def sorties(db: Database, f: Filtres) -> dict:
    groups = sorties_groupes(db, f)
    r = {k: int(groups[k].sum()) for k in SORTIES_COUNTS}
    r["taux_sortie_dynamique"] = Taux(r["sorties_dynamiques"], r["sorties_examinees"])
    r["taux_sortie_emploi_durable"] = Taux(r["sorties_emploi_durable"], r["sorties_examinees"])
    return r


def chiffre_affaires(db: Database, f: Filtres) -> float | None:
    """Revenue is not localised: with a commune filter there is no figure (None). Without a
    chiffre_affaires file it is not known either (None, "non renseigné"): never 0."""
    if f.is_commune or "chiffre_affaires" in db.absent:
        return None
    return float(_row(db, "kpi_chiffre_affaires", f)["chiffre_affaires"])


def heures_par_commune(db: Database, f: Filtres) -> dict[str, float]:
    df = db.run("heures_par_commune", **f.params())
    return {str(c): round(float(h), 2) for c, h in zip(df["commune"], df["heures"], strict=True)}


def kpis(db: Database, f: Filtres) -> dict:
    """The key figures, with exactly the keys of KPI_KEYS (the `kpis` command prints this as JSON)."""
    h = heures(db, f)
    s = sorties(db, f)
    ca = chiffre_affaires(db, f)
    out = {
        "heures_travaillees": round(h["heures_travaillees"], 2),
        "personnes_employees": h["personnes_employees"],
        "salaries_en_parcours": h["salaries_en_parcours"],
        "etp": round(etp(db, f), 2),
        "sorties": s["sorties"],
        "sorties_examinees": s["sorties_examinees"],
        "sorties_emploi_durable": s["sorties_emploi_durable"],
        "sorties_emploi_transition": s["sorties_emploi_transition"],
        "sorties_positives": s["sorties_positives"],
        "sorties_dynamiques": s["sorties_dynamiques"],
        "taux_sortie_dynamique": _rate(s["taux_sortie_dynamique"]),
        "taux_sortie_emploi_durable": _rate(s["taux_sortie_emploi_durable"]),
        "chiffre_affaires": None if ca is None else round(ca, 2),
        "heures_par_commune": heures_par_commune(db, f),
        "donnees_au": db.donnees_au.isoformat() if db.donnees_au else None,
    }
    assert tuple(out) == KPI_KEYS
    return out


def _rate(t: Taux) -> float | None:
    return None if t.value is None else round(t.value, 4)
