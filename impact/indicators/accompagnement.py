"""Supervision, training and the follow-up after the exit (contract v1.1 tables encadrement, formations,
suivis): the supervision ratio, training hours and certifying trainings, "en emploi 6 mois après la sortie".

The follow-up is the collective's own: it is always shown apart from the two official ASP exit rates
(indicators.core) and never added to them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from impact import fmt
from impact.contract import EMPLOYMENT_CATEGORIES, FORMATION_DOMAINES
from impact.db import Database
from impact.filters import Filtres
from impact.indicators.core import Taux

# The follow-up kept for an exit is the one nearest to 6 months after it, within this window (months after
# the exit date, both ends included; queries/suivi_6_mois.sql holds the same numbers).
FENETRE_SUIVI_MOIS = (5, 8)
NON_RENSEIGNE = "Non renseigné"
DOMAINE_LABELS = {**FORMATION_DOMAINES, "non_renseigne": NON_RENSEIGNE}


# --- Supervision -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Encadrement:
    """ETP in insertion for one ETP of staff, over the structures that declare that staff (None when none)."""

    etp_insertion_encadres: float  # ETP in insertion of the structures with technical supervisors
    etp_encadrement_technique: float
    etp_insertion_accompagnes: float  # ETP in insertion of the structures with social counsellors
    etp_accompagnement: float
    structures: int  # structures with a line in the table encadrement for the period

    @property
    def ratio_technique(self) -> float | None:
        return (
            self.etp_insertion_encadres / self.etp_encadrement_technique
            if self.etp_encadrement_technique
            else None
        )

    @property
    def ratio_accompagnement(self) -> float | None:
        return self.etp_insertion_accompagnes / self.etp_accompagnement if self.etp_accompagnement else None


def encadrement_detail(db: Database, f: Filtres) -> pd.DataFrame:
    """One row per year and structure of the table encadrement: annee, structure_id, structure_nom, type,
    etp_insertion (from the hours), etp_encadrement_technique, etp_accompagnement_socioprofessionnel,
    etp_insertion_conventionnes, ratio_technique, ratio_accompagnement (ETP in insertion per staff ETP)."""
    df = db.run("encadrement", **f.params())
    for col in ("etp_insertion", "etp_encadrement_technique", "etp_accompagnement_socioprofessionnel"):
        df[col] = df[col].astype(float)
    tech = df["etp_encadrement_technique"]
    asp = df["etp_accompagnement_socioprofessionnel"]
    df["ratio_technique"] = (df["etp_insertion"] / tech).where(tech > 0)
    df["ratio_accompagnement"] = (df["etp_insertion"] / asp).where(asp > 0)
    return df


def encadrement(db: Database, f: Filtres) -> Encadrement:
    """The supervision ratio of the period: sums over years and structures (a multi-year ratio is the ratio
    of the sums, so each year weighs by its ETP)."""
    d = encadrement_detail(db, f)
    tech = d["etp_encadrement_technique"] > 0
    asp = d["etp_accompagnement_socioprofessionnel"] > 0
    return Encadrement(
        etp_insertion_encadres=float(d.loc[tech, "etp_insertion"].sum()),
        etp_encadrement_technique=float(d["etp_encadrement_technique"].sum()),
        etp_insertion_accompagnes=float(d.loc[asp, "etp_insertion"].sum()),
        etp_accompagnement=float(d["etp_accompagnement_socioprofessionnel"].sum()),
        structures=int(d["structure_id"].nunique()),
    )


def phrase_encadrement(e: Encadrement) -> str:
    """ "1 encadrant technique pour 6,2 ETP en insertion" (or why there is no ratio)."""
    if e.ratio_technique is None:
        return "aucun encadrant technique déclaré"
    return f"1 encadrant technique pour {fmt.number(e.ratio_technique, 1)} ETP en insertion"


def phrase_accompagnement(e: Encadrement) -> str:
    if e.ratio_accompagnement is None:
        return "aucun conseiller en accompagnement socioprofessionnel déclaré"
    return (
        f"1 conseiller en accompagnement socioprofessionnel pour {fmt.number(e.ratio_accompagnement, 1)} ETP en "
        "insertion"
    )


# --- Training ----------------------------------------------------------------------------------------


def formations_groupes(db: Database, f: Filtres) -> pd.DataFrame:
    """Trainings by year of start, structure and domain: annee, structure_id, structure_nom, type, domaine
    (code, 'non_renseigne' when empty), domaine_libelle, formations, heures, certifiantes."""
    df = db.run("formations_groupes", **f.params())
    df["heures"] = df["heures"].astype(float)
    df.insert(5, "domaine_libelle", df["domaine"].map(DOMAINE_LABELS))
    return df


def formations(db: Database, f: Filtres) -> dict:
    """Totals of the period: formations, heures, certifiantes (sums of formations_groupes), personnes_formees
    and personnes_certifiees (distinct people)."""
    g = formations_groupes(db, f)
    people = db.run("formations_personnes", **f.params()).iloc[0]
    return {
        "formations": int(g["formations"].sum()),
        "heures": float(g["heures"].sum()),
        "certifiantes": int(g["certifiantes"].sum()),
        "personnes_formees": int(people["personnes_formees"]),
        "personnes_certifiees": int(people["personnes_certifiees"]),
    }


def _group(g: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    cols = ["formations", "heures", "certifiantes"]
    if g.empty:
        return pd.DataFrame(columns=[*by, *cols])
    return g.groupby(by, as_index=False, sort=False)[cols].sum()


def formations_par_domaine(db: Database, f: Filtres) -> pd.DataFrame:
    """domaine_libelle, formations, heures, certifiantes, in the order of the contract's domains."""
    g = _group(formations_groupes(db, f), ["domaine", "domaine_libelle"])
    order = {k: i for i, k in enumerate(DOMAINE_LABELS)}
    g = g.sort_values("domaine", key=lambda s: s.map(order)).reset_index(drop=True)
    return g.drop(columns="domaine")


def formations_par_annee(db: Database, f: Filtres) -> pd.DataFrame:
    """annee, formations, heures, certifiantes."""
    return _group(formations_groupes(db, f), ["annee"]).sort_values("annee").reset_index(drop=True)


def formations_par_structure(db: Database, f: Filtres) -> pd.DataFrame:
    """structure_nom, type, formations, heures, certifiantes (most hours first)."""
    g = _group(formations_groupes(db, f), ["structure_id", "structure_nom", "type"])
    return g.sort_values("heures", ascending=False).drop(columns="structure_id").reset_index(drop=True)


def formations_comptes_par_structure(db: Database, f: Filtres) -> dict[str, dict]:
    """{structure_id: the counts of `formations` for that structure alone}: formations and certifiantes (sums
    of formations_groupes), personnes_formees (distinct people in the structure), in two queries."""
    g = _group(formations_groupes(db, f), ["structure_id"])
    people = db.run("formations_personnes_par_structure", **f.params()).set_index("structure_id")
    return {
        str(s): {
            "formations": int(r.formations),
            "certifiantes": int(r.certifiantes),
            "personnes_formees": int(people.at[s, "personnes_formees"]) if s in people.index else 0,
        }
        for s, r in g.set_index("structure_id").iterrows()
    }


def formations_certifiantes(db: Database, f: Filtres) -> pd.DataFrame:
    """The certifying trainings of the period by title: intitule, formations, heures (no person data)."""
    return db.run("formations_certifiantes", **f.params())


# --- Follow-up after the exit ----------------------------------------------------------------------


@dataclass(frozen=True)
class Suivi6Mois:
    sorties: int  # exits of the period (employing structures, without retraits)
    sorties_recentes: int  # of which less than 8 months before the data date: still followable
    personnes_suivies: int  # N
    en_emploi: int  # n
    employeur_partenaire: int  # of the n, hired by a partner of the collective
    # The counts a masked view hides besides their own rule (impact.view.suivi_partenaires).
    caches: frozenset = frozenset()

    @property
    def taux(self) -> Taux:
        """n/N with the same rule as the exit rates: no percentage under MIN_SORTIES_TAUX people followed."""
        return Taux(self.en_emploi, self.personnes_suivies)


# The counts of a Suivi6Mois, in the order of its fields (its `caches` is how a view prints them).
COMPTES_SUIVI = ("sorties", "sorties_recentes", "personnes_suivies", "en_emploi", "employeur_partenaire")


def suivi_6_mois(db: Database, f: Filtres, au: date | None = None) -> Suivi6Mois:
    au = au or db.donnees_au or date.today()
    r = db.run("suivi_6_mois", **f.params(), au=au, en_emploi=list(EMPLOYMENT_CATEGORIES)).iloc[0]
    return Suivi6Mois(*(int(r[k]) for k in COMPTES_SUIVI))


# The counts of exits a follow-up is drawn from: a masked view does not print them (texts.suivi_texte).
SORTIES_SUIVI = ("sorties", "sorties_recentes")


def suivi_6_mois_par_annee(db: Database, f: Filtres) -> pd.DataFrame:
    """One row per year of exit of the period: annee, sorties, personnes_suivies, en_emploi,
    employeur_partenaire, sorties_recentes."""
    rows = []
    for y in f.years:
        s = suivi_6_mois(db, f.with_period(y, y))
        rows.append({"annee": y, **{k: getattr(s, k) for k in COMPTES_SUIVI}})
    return pd.DataFrame(rows)
