"""Freshness: the last month each structure has declared, "données au", and the months still provisional.

One definition, written once over queries/fraicheur_structures.sql and explained on the Méthodologie page
(definitions "structure_active", "donnees_au", "mois_provisoire"): "données au" is the last day of the last
month that every active structure has declared; the months received after it are provisional.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from impact import fmt
from impact.db import Database
from impact.load import WARNING, Problem
from impact.state import read_columns

FENETRE_ACTIVITE_MOIS = 12  # written in queries/fraicheur_structures.sql too (INTERVAL 12 MONTH)


def _date(v) -> date | None:
    return None if v is None or pd.isna(v) else pd.Timestamp(v).date()


def _month_end(d: date) -> date:
    return (pd.Timestamp(d) + pd.offsets.MonthEnd(0)).date()


def structures(db: Database) -> pd.DataFrame:
    """One row per structure: structure_id, nom, type, dernier_mois (None when it declares no hours),
    dernier_mois_recu, retard_mois, active, premier_mois_manquant, mois_manquants, and statut (French)."""
    df = db.run("fraicheur_structures")

    def statut(r) -> str:
        if pd.isna(r.dernier_mois):
            return "ne déclare pas d'heures"
        if not pd.isna(r.premier_mois_manquant):
            return f"en retard : {fmt.month(r.premier_mois_manquant)} pas encore transmis"
        if not r.active:
            return f"inactive : aucune heure depuis plus de {FENETRE_ACTIVITE_MOIS} mois"
        if r.retard_mois:
            return "à jour (plus aucun parcours en cours après son dernier mois)"
        return "à jour"

    df["statut"] = [statut(r) for r in df.itertuples()]
    return df


@dataclass(frozen=True)
class Fraicheur:
    donnees_au: date | None  # last day of the last month every active structure has declared
    dernier_mois_recu: date | None  # first day of the latest month any structure has sent
    premier_mois_provisoire: date | None  # first day of the month after donnees_au when data goes beyond it
    en_retard: tuple[str, ...]  # names of the structures that still owe a month up to dernier_mois_recu
    premiers_manquants: tuple[date, ...]  # for each of them, its first month not sent

    @property
    def complete(self) -> bool:
        return self.premier_mois_provisoire is None

    def provisoire(self, mois: date) -> bool:
        """A month whose figures some active structures have not sent yet."""
        p = self.premier_mois_provisoire
        return p is not None and date(mois.year, mois.month, 1) >= p

    def annee_provisoire(self, annee: int) -> bool:
        """A year holding figures of a provisional month."""
        return (
            self.premier_mois_provisoire is not None
            and self.premier_mois_provisoire.year <= annee <= self.dernier_mois_recu.year
        )

    def resume(self) -> str | None:
        """ "3 structures n'ont pas encore transmis septembre 2026" (None when every active structure is
        up to date)."""
        if self.complete:
            return None
        n = len(self.en_retard)
        sujet = "1 structure n'a" if n == 1 else f"{fmt.integer(n)} structures n'ont"
        last = fmt.month(self.dernier_mois_recu)
        if set(self.premiers_manquants) == {self.dernier_mois_recu}:
            return f"{sujet} pas encore transmis {last}"
        return (
            f"{sujet} pas encore transmis tous les mois jusqu'à {last} "
            f"(depuis {fmt.month(self.premier_mois_provisoire)} pour la plus en retard)"
        )


def fraicheur(db: Database) -> Fraicheur:
    df = db.run("fraicheur_structures")
    recu = _date(df["dernier_mois_recu"].max()) if not df.empty else None
    if recu is None:
        return Fraicheur(None, None, None, (), ())
    late = df[df["premier_mois_manquant"].notna()]
    if late.empty:
        return Fraicheur(_month_end(recu), recu, None, (), ())
    first = _date(late["premier_mois_manquant"].min())
    before = (pd.Timestamp(first) - pd.offsets.MonthEnd(1)).date()
    return Fraicheur(
        before,
        recu,
        first,
        tuple(late["nom"]),
        tuple(_date(m) for m in late["premier_mois_manquant"]),
    )


def donnees_au(db: Database) -> date | None:
    return fraicheur(db).donnees_au


def problemes(db: Database) -> list[Problem]:
    """One warning per structure whose declarations stop before the others' while it still has paths open
    (for `python -m impact check` and the Données page), naming the structure's hours files."""
    df = structures(db)
    late = df[df["premier_mois_manquant"].notna()]
    if late.empty:
        return []
    # The hours files of the late structures only: two columns, not the whole table (250 MB at 100×).
    ids = [str(s) for s in late["structure_id"]]
    heures = read_columns(
        db.result.tables, "heures", ["structure_id", "_fichier"], [("structure_id", "in", ids)]
    )
    out = []
    for r in late.itertuples():
        files = "heures"
        if heures is not None and "_fichier" in heures:
            names = sorted(set(heures.loc[heures["structure_id"] == r.structure_id, "_fichier"]))
            files = ", ".join(names) or files
        out.append(
            Problem(
                files,
                None,
                "structure_id",
                f"structure « {r.structure_id} » ({r.nom}) : dernier mois déclaré {fmt.month(r.dernier_mois)}, "
                f"{fmt.plural(int(r.retard_mois), 'mois', 'mois')} avant le plus récent reçu "
                f"({fmt.month(r.dernier_mois_recu)}) alors qu'elle a des parcours en cours : les chiffres "
                f"depuis {fmt.month(r.premier_mois_manquant)} sont provisoires",
                WARNING,
            )
        )
    return out
