"""What a partner's orders financed, in the partner's own terms (for its CSR reporting): hours worked on its
orders, people, ETP, trainings of those people, hires by a partner of the collective 6 months after their exit
(accompagnement.suivi_6_mois, the collective's own figure under its contracts)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from impact.db import Database
from impact.filters import Filtres
from impact.indicators import accompagnement
from impact.indicators.core import kpis


@dataclass(frozen=True)
class Partenaire:
    donneur_ordre: str
    annee_debut: int
    annee_fin: int
    commandes: pd.DataFrame  # its contracts: marche_id, intitule, date_debut, date_fin
    heures_travaillees: float
    personnes: int
    etp: float
    par_annee: pd.DataFrame  # annee, heures_travaillees, personnes, etp
    formations: int
    heures_formation: float
    personnes_formees: int
    embauches_partenaire: int  # accompagnement.suivi_6_mois under its contracts: the collective's definition


def donneurs_prives(db: Database) -> list[str]:
    df = db.run("marches_periode", **Filtres(1900, 2100).params())
    return sorted(df.loc[df["secteur"] == "prive", "donneur_ordre"].unique())


def partenaire(db: Database, donneur_ordre: str, annee_debut: int, annee_fin: int) -> Partenaire:
    liste = db.run("marches_periode", **Filtres(1900, 2100).params())
    commandes = liste[liste["donneur_ordre"] == donneur_ordre][
        ["marche_id", "intitule", "date_debut", "date_fin"]
    ]
    ids = tuple(commandes["marche_id"])
    f = Filtres(annee_debut, annee_fin, marches=ids or ("\x00",))
    k = kpis(db, f)
    rows = []
    for y in f.years:
        ky = kpis(db, f.with_period(y, y))
        rows.append(
            {
                "annee": y,
                "heures_travaillees": ky["heures_travaillees"],
                "personnes": ky["personnes_employees"],
                "etp": ky["etp"],
            }
        )
    r = db.run(
        "partenaire_personnes",
        annee_debut=annee_debut,
        annee_fin=annee_fin,
        marches=list(ids) or ["\x00"],
    ).iloc[0]
    # Hires by a partner: the collective's figure (in employment 6 months after an exit of the period, with a
    # partner of the collective), for the people who worked on its contracts. One definition, not a second one.
    suivi = accompagnement.suivi_6_mois(db, f)
    return Partenaire(
        donneur_ordre=donneur_ordre,
        annee_debut=annee_debut,
        annee_fin=annee_fin,
        commandes=commandes.reset_index(drop=True),
        heures_travaillees=float(k["heures_travaillees"]),
        personnes=int(k["personnes_employees"]),
        etp=float(k["etp"]),
        par_annee=pd.DataFrame(rows),
        formations=int(r["formations"]),
        heures_formation=float(r["heures_formation"]),
        personnes_formees=int(r["personnes_formees"]),
        embauches_partenaire=suivi.employeur_partenaire,
    )
