"""Documents for outside the team: the commune sheet and the annual report as PDF (fpdf2 with embedded
DejaVu fonts, matplotlib images: no browser, no network) and the annual report as an XLSX workbook."""

from __future__ import annotations

from datetime import date

from impact import fmt

COLLECTIF = "Collectif des Mauges pour l'Emploi"
SOURCES = (
    "Sources : exports consolidés par le collectif — Extranet IAE 2.0 de l'ASP (personnes, contrats, heures "
    "mensuelles, motifs de sortie), outils de paie et de planning des structures (heures par site), "
    "comptabilité (chiffre d'affaires) et tableaux des coordinateurs (marchés, interventions)."
)


def provenance(donnees_au: date | None, demo: bool) -> str:
    """The freshness line printed on every document (same words as the dashboard's header)."""
    au = fmt.day(donnees_au)
    return f"Données fictives de démonstration — données au {au}" if demo else f"Données au {au}"
