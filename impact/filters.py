"""The shared filters of every page, export and command, and their mapping to query parameters."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from impact.contract import STRUCTURE_TYPES


@dataclass(frozen=True)
class Filtres:
    annee_debut: int
    annee_fin: int
    communes: tuple[str, ...] | None = None  # codes of communes nouvelles (or neighbouring communes)
    types: tuple[str, ...] | None = None  # structure types
    structures: tuple[str, ...] | None = None
    marches: tuple[str, ...] | None = None
    secteurs: tuple[str, ...] | None = None  # 'public', 'prive', 'hors_marche'

    def __post_init__(self):
        if self.annee_fin < self.annee_debut:
            raise ValueError("période vide : l'année de fin précède l'année de début")

    @classmethod
    def annee(cls, annee: int, **kw) -> Filtres:
        return cls(annee, annee, **kw)

    @property
    def years(self) -> list[int]:
        return list(range(self.annee_debut, self.annee_fin + 1))

    @property
    def nb_annees(self) -> int:
        return self.annee_fin - self.annee_debut + 1

    def params(self) -> dict:
        def lst(v):
            return None if not v else list(v)

        return {
            "annee_debut": self.annee_debut,
            "annee_fin": self.annee_fin,
            "communes": lst(self.communes),
            "types": lst(self.types),
            "structures": lst(self.structures),
            "marches": lst(self.marches),
            "secteurs": lst(self.secteurs),
        }

    def with_period(self, debut: int, fin: int) -> Filtres:
        return replace(self, annee_debut=debut, annee_fin=fin)

    def previous(self) -> Filtres:
        """The period of the same length just before this one (for variations)."""
        n = self.nb_annees
        return replace(self, annee_debut=self.annee_debut - n, annee_fin=self.annee_fin - n)

    def all_years(self, annees: list[int]) -> Filtres:
        """Every year of the data, the other filters kept (captions say so with SAUF_PERIODE)."""
        return self.with_period(annees[0], annees[-1]) if annees else self

    @property
    def is_commune(self) -> bool:
        return bool(self.communes)


# How every caption says that a chart spans all the years of the data while keeping the other filters.
SAUF_PERIODE = "filtres actifs sauf la période"


def annee_incomplete(annee: int, donnees_au: date | None) -> bool:
    """True when the data stop before 31 December of `annee`: the year is still being recorded."""
    return donnees_au is not None and donnees_au < date(annee, 12, 31)


def annee_axe(annee, donnees_au: date | None) -> str:
    """A year as a chart's category: "2026<br>(au 30/09)" while it is still being recorded, so that its
    shorter bar or lower point is not read as a fall; any other year as "2025"."""
    annee = int(annee)
    return f"{annee}<br>(au {donnees_au:%d/%m})" if annee_incomplete(annee, donnees_au) else str(annee)


def annee_par_defaut(annees: list[int], donnees_au: date | None) -> int:
    """The year every page opens on: the last complete year of the data (the last year if none is)."""
    complete = [a for a in annees if not annee_incomplete(a, donnees_au)]
    return complete[-1] if complete else annees[-1]


def annee_libelle(annee: int, donnees_au: date | None) -> str:
    """A year as a choice in a list: "2026 (en cours)" for the year still being recorded (short: the period's
    two lists share the sidebar's width, and "2026 (incomplète)" was cut to "2026 (incon")."""
    return f"{annee} (en cours)" if annee_incomplete(annee, donnees_au) else str(annee)


def parse_periode(text: str, annees: list[int]) -> tuple[int, int] | None:
    """A hand-typed ?periode= value ("2025", "2023-2025", "2023–2025", "2023,2025") as (debut, fin) when
    both years are in the data, None otherwise."""
    parts = [p for p in re.split(r"[^0-9]+", str(text)) if p]
    if not 1 <= len(parts) <= 2 or not all(len(p) == 4 for p in parts):
        return None
    debut, fin = int(parts[0]), int(parts[-1])
    if debut > fin:
        debut, fin = fin, debut
    return (debut, fin) if debut in annees and fin in annees else None


def types_of_family(famille: str) -> tuple[str, ...]:
    return tuple(t for t, (_, fam) in STRUCTURE_TYPES.items() if fam == famille)
