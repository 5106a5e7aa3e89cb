"""The identity sheet of a member structure as blocks (the same preview on screen) and as a PDF: always
masked with impact/privacy.py (through the helpers of impact.documents.memoire), every figure from
impact.indicators.fiche_structure, with a sentence that says how to read it."""

from __future__ import annotations

import pandas as pd

from impact import fmt, privacy
from impact.documents import COLLECTIF
from impact.documents.memoire import Block, _kpi_taux, blocks_pdf, carte, people
from impact.indicators.core import MIN_SORTIES_TAUX
from impact.indicators.fiche_structure import FicheStructure


def contenu(f: FicheStructure, provenance: str) -> list[Block]:
    i = f.identite
    a = f.annee
    iae = i["famille"] == "IAE"
    adhesion = fmt.DASH if pd.isna(i["date_adhesion"]) else str(pd.Timestamp(i["date_adhesion"]).year)
    B = Block
    out = [
        B("titre", f"{i['nom']} — fiche d'identité {a}"),
        B(
            "sous_titre",
            f"{i['type_libelle']} ({i['type']}), siège à {i['commune_siege'] or i['commune_siege_insee']}, membre du "
            f"{COLLECTIF} depuis {adhesion}. {provenance}.",
        ),
        B("section", "Activités et communes d'intervention"),
        B("para", f"Activités : {f.activites or 'aucune intervention déclarée'}."),
        B("para", f"Communes où la structure est intervenue : {f.communes_servies or fmt.DASH}."),
        B(
            "image",
            image=carte(f.communes_codes, [str(i["commune_siege_insee"])], "siège de la structure"),
            text="Carte : communes d'intervention (en bleu) et siège de la structure.",
        ),
        B("section", f"Personnes, heures et sorties, {a - 2} à {a}"),
    ]
    rows = []
    for r in f.annees.to_dict("records"):
        rows.append(
            (
                str(r["annee"]),
                fmt.hours(r["heures_travaillees"]),
                people(r["personnes_employees"]),
                fmt.number(r["etp"], 1),
                _sortie(r, "sorties", privacy.toutes_sorties(r["sorties"], r["sorties_examinees"], True))
                if iae
                else fmt.DASH,
                _sortie(r, "sorties_examinees", r["sorties_examinees"]) if iae else fmt.DASH,
                _taux(r, "taux_sortie_dynamique", "sorties_dynamiques") if iae else fmt.DASH,
                _taux(r, "taux_sortie_emploi_durable", "sorties_emploi_durable") if iae else fmt.DASH,
            )
        )
    out.append(
        B(
            "tableau",
            headers=(
                "Année",
                "Heures travaillées",
                "Personnes",
                "ETP",
                "Sorties",
                "Examinées",
                "Taux dynamique",
                "Taux emploi durable",
            ),
            widths=(0.6, 1.1, 0.8, 0.6, 0.7, 0.8, 1.4, 1.4),
            items=tuple(rows),
        )
    )
    out.append(
        B(
            "lecture",
            "Lecture : heures travaillées déclarées chaque mois ; personnes distinctes ayant travaillé au moins une "
            "heure ; ETP = heures ÷ base annuelle d'un temps plein du type de structure. "
            + (
                "Les deux taux de sortie sont ceux de l'État (ASP) : sorties vers l'emploi durable, de transition "
                "ou positives — formation qualifiante, embauche dans une autre structure d'insertion — (taux "
                "dynamique), ou vers l'emploi durable seul, divisées par les "
                f"sorties examinées ; aucun taux sous {MIN_SORTIES_TAUX} sorties examinées."
                if iae
                else "Les taux de sortie ne concernent que l'insertion par l'activité économique (IAE)."
            )
            + f" {privacy.REGLE_COURTE}",
        )
    )
    out.append(B("section", f"Marchés et partenariats, {a - 2} à {a}"))
    if f.marches.empty:
        out.append(B("para", "Aucune heure sur un marché ou un partenariat pendant ces trois années."))
    else:
        out.append(
            B(
                "tableau",
                headers=("Marché ou partenariat", "Acheteur ou partenaire", "Cadre", "Heures réalisées"),
                widths=(3.0, 1.5, 1.1, 1.0),
                items=tuple(
                    (
                        str(r.intitule),
                        str(r.donneur_ordre),
                        "Marché public" if r.secteur == "public" else "Partenariat privé",
                        fmt.hours(r.heures_realisees),
                    )
                    for r in f.marches.itertuples()
                ),
            )
        )
        out.append(
            B(
                "lecture",
                "Lecture : heures travaillées par les salariés de la structure sur les chantiers de chaque marché ou "
                "partenariat ; les partenariats privés (hors commande publique) ne sont jamais additionnés aux "
                "clauses sociales des marchés publics.",
            )
        )
    out.append(B("section", "Encadrement et formation"))
    enc = f.encadrement
    if enc.empty:
        out.append(B("para", "Encadrement non renseigné (table facultative « encadrement »)."))
    else:
        out.append(
            B(
                "tableau",
                headers=(
                    "Année",
                    "ETP en insertion",
                    "Encadrants techniques (ETP)",
                    "Accompagnement (ETP)",
                    "ETP en insertion par encadrant",
                ),
                widths=(0.6, 1.0, 1.2, 1.2, 1.3),
                items=tuple(
                    (
                        str(r.annee),
                        fmt.number(r.etp_insertion, 1),
                        fmt.number(r.etp_encadrement_technique, 2),
                        fmt.number(r.etp_accompagnement_socioprofessionnel, 2),
                        fmt.number(r.ratio_technique, 1),
                    )
                    for r in enc.itertuples()
                ),
            )
        )
    fo = f.formations
    out.append(
        B(
            "para",
            f"Formations commencées en {a} : {people(fo['formations'])} formations, {fmt.hours(fo['heures'])}, dont "
            f"{people(fo['certifiantes'])} certifiantes, pour {people(fo['personnes_formees'])} personnes.",
        )
    )
    out.append(
        B(
            "lecture",
            "Lecture : l'encadrant technique organise le travail et forme sur le poste ; le conseiller en "
            "accompagnement socioprofessionnel aide chaque salarié à lever ses freins et à préparer la suite. "
            "« ETP en insertion par encadrant » : équivalents temps plein des salariés en insertion pour un "
            "encadrant technique. Les formations sont celles de la table formations, comptées à part des heures "
            "travaillées.",
        )
    )
    return out


def _sortie(r: dict, key: str, value) -> str:
    """An exit count of a year's line: "masqué" where the Bilan annuel of that year masks it (masque_<key>),
    small counts included, as the Bilan writes them (privacy.masks: one word for the counts masked together,
    "< 5" here would tell which of them are small)."""
    if r.get(f"masque_{key}") or privacy.is_small(value):
        return privacy.MASQUE_SECONDAIRE
    return people(value)


def _taux(r: dict, rate: str, n: str) -> str:
    """A rate of a year's line with its n/N, hidden where the Bilan annuel of that year masks n or N."""
    if r.get(f"masque_{n}") or r.get("masque_sorties_examinees"):
        return privacy.TAUX_MASQUE if r[rate] is not None else _court(None, 0, 0)
    return f"{_court(r[rate], r[n], r['sorties_examinees'])} ({privacy.ratio_or_masked(r[n], r['sorties_examinees'], True)})"


def _court(value, n, big_n) -> str:
    """A rate in a table cell: "non calculé" under 10 examined exits (said in the reading note)."""
    return "non calculé" if value is None else _kpi_taux(value, n, big_n)


def fiche_structure_pdf(f: FicheStructure, *, provenance: str) -> bytes:
    return blocks_pdf(contenu(f, provenance), f"{COLLECTIF} — fiche d'identité — {provenance}")
