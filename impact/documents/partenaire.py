"""The partner's one-page PDF: what its orders financed, in its own terms (hours, people, ETP, trainings, hires
by a partner), always masked with impact/privacy.py (through the helpers of impact.documents.memoire)."""

from __future__ import annotations

from impact import fmt, privacy
from impact.documents import COLLECTIF
from impact.documents.memoire import Block, blocks_pdf, people
from impact.indicators.partenaire import Partenaire


def contenu(p: Partenaire, provenance: str) -> list[Block]:
    periode = fmt.period(p.annee_debut, p.annee_fin)
    B = Block
    return [
        B("titre", f"Ce que les commandes de {p.donneur_ordre} ont permis, {periode}"),
        B("sous_titre", f"{COLLECTIF} — partenariat hors commande publique. {provenance}."),
        B(
            "chiffres",
            items=(
                ("Heures de travail en insertion", fmt.hours(p.heures_travaillees), "sur vos commandes"),
                ("Personnes employées", people(p.personnes), "au moins 1 heure"),
                ("Équivalents temps plein", fmt.number(p.etp, 1), "moyenne par année"),
                ("Embauches par un partenaire", people(p.embauches_partenaire), "6 mois après la sortie"),
                ("Formations suivies", people(p.formations), f"{fmt.hours(p.heures_formation)}"),
                ("Personnes formées", people(p.personnes_formees), ""),
            ),
        ),
        B(
            "lecture",
            f"Lecture : de {p.annee_debut} à {p.annee_fin}, {people(p.personnes)} personnes en insertion ont travaillé "
            f"{fmt.hours(p.heures_travaillees)} sur les chantiers commandés par {p.donneur_ordre}, soit "
            f"{fmt.number(p.etp, 1)} équivalents temps plein en moyenne chaque année. Ces personnes ont suivi "
            f"{people(p.formations)} formations ({fmt.hours(p.heures_formation)}), et {people(p.embauches_partenaire)} "
            "étaient en emploi chez un partenaire du collectif 6 mois après leur sortie, d'après le suivi mené "
            f"par le collectif. {privacy.REGLE_COURTE}",
        ),
        B(
            "tableau",
            headers=("Année", "Heures travaillées", "Personnes", "ETP"),
            widths=(0.8, 1.2, 1.0, 0.8),
            items=tuple(
                (str(r.annee), fmt.hours(r.heures_travaillees), people(r.personnes), fmt.number(r.etp, 1))
                for r in p.par_annee.itertuples()
            ),
        ),
        B(
            "para",
            "Commandes prises en compte : "
            + " ; ".join(str(t) for t in p.commandes["intitule"])
            + ". Ces heures relèvent d'un partenariat privé : elles ne sont jamais additionnées aux heures des "
            "clauses sociales des marchés publics.",
        ),
    ]


def partenaire_pdf(p: Partenaire, *, provenance: str) -> bytes:
    return blocks_pdf(contenu(p, provenance), f"{COLLECTIF} — {p.donneur_ordre} — {provenance}")
