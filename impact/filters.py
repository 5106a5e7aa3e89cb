"""The shared filters of every page, export and command, and their mapping to query parameters."""

from __future__ import annotations

from dataclasses import dataclass, replace

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

    def without_period_filters(self) -> Filtres:
        return self

    @property
    def is_commune(self) -> bool:
        return bool(self.communes)


def types_of_family(famille: str) -> tuple[str, ...]:
    return tuple(t for t, (_, fam) in STRUCTURE_TYPES.items() if fam == famille)
