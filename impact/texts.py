"""Generated French sentences (summaries read aloud in meetings), built only from indicator values."""

from __future__ import annotations

from impact import fmt, privacy
from impact.filters import Filtres


def _people(n: int, masked: bool) -> str:
    return privacy.MASQUE if masked and privacy.is_small(n) else fmt.integer(n)


def resume(
    k: dict, structures_actives: int, f: Filtres, *, masked: bool = False, lieu: str | None = None
) -> str:
    """ "En 2025, 14 structures ont employé 312 personnes…" from the kpis of the period."""
    quand = f"En {f.annee_debut}" if f.nb_annees == 1 else f"De {f.annee_debut} à {f.annee_fin}"
    if k["heures_travaillees"] == 0 and k["personnes_employees"] == 0:
        return f"{quand}, aucune heure travaillée n'est enregistrée pour cette sélection."
    ou = f" pour des habitants de {lieu}" if lieu else ""
    phrases = [
        f"{quand}, {fmt.plural(structures_actives, 'structure')} du collectif "
        f"{'a' if structures_actives < 2 else 'ont'} employé {_people(k['personnes_employees'], masked)} "
        f"personne{'s' if k['personnes_employees'] > 1 else ''}{ou}, dont "
        f"{_people(k['salaries_en_parcours'], masked)} en parcours d'insertion (IAE)."
    ]
    lieu_h = f" à {lieu}" if lieu else ""
    phrases.append(
        f"Elles ont réalisé {fmt.hours(k['heures_travaillees'])} de travail{lieu_h}, soit {fmt.etp(k['etp'])}."
    )
    if k["sorties"]:
        t = k["taux_sortie_dynamique"]
        if t is not None:
            phrases.append(
                f"Sur {fmt.integer(k['sorties_examinees'])} sorties examinées, {fmt.percent(t)} sont des sorties "
                f"dynamiques (emploi durable, emploi de transition ou sortie positive)."
            )
        else:
            phrases.append(
                f"{fmt.plural(k['sorties'], 'sortie')} de l'IAE : trop peu de sorties examinées "
                f"({_people(k['sorties_examinees'], masked)}, moins de 10) pour calculer un taux."
            )
    if k.get("chiffre_affaires"):
        phrases.append(f"Le chiffre d'affaires déclaré atteint {fmt.euros(k['chiffre_affaires'])}.")
    return " ".join(phrases)
