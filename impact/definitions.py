"""Plain-French definitions of every figure: shown one click away on each page and on Méthodologie."""

from __future__ import annotations

from dataclasses import dataclass

from impact import privacy
from impact.indicators.core import MIN_SORTIES_TAUX


@dataclass(frozen=True)
class Definition:
    label: str
    text: str


D = Definition
DEFINITIONS: dict[str, Definition] = {
    "heures_travaillees": D(
        "Heures travaillées",
        "Somme des heures travaillées déclarées chaque mois par les structures, toutes structures confondues, "
        "pour les mois de la période. Les heures facturées (AI, ETTI) et les heures de formation sont comptées "
        "à part et ne s'y ajoutent jamais. Avec un filtre de commune : heures réalisées sur des interventions "
        "situées dans la commune.",
    ),
    "personnes_employees": D(
        "Personnes employées",
        "Nombre de personnes distinctes (identifiant pseudonyme) ayant au moins 1 heure travaillée sur la "
        "période, toutes structures confondues. Une personne comptée une seule fois, même avec plusieurs "
        "contrats ou structures. Avec un filtre de commune : personnes qui résident dans la commune "
        "(commune de résidence de leur parcours le plus récent).",
    ),
    "salaries_en_parcours": D(
        "Salariés en parcours (IAE)",
        "Même définition que les personnes employées, limitée aux structures de l'insertion par l'activité "
        "économique : ACI, AI, EI, ETTI, EITI.",
    ),
    "etp": D(
        "Équivalents temps plein (ETP)",
        "Heures travaillées divisées par la base annuelle d'un temps plein du type de structure pour l'année "
        "(ACI 1 820 h, AI 1 607 h, EI 1 505 h, ETTI 1 600 h, autres 1 607 h par défaut ; bases modifiables "
        "par la coordination, table sur la page Méthodologie). Sur plusieurs années : moyenne annuelle. Une année incomplète "
        "donne un ETP partiel.",
    ),
    "sorties": D(
        "Sorties (IAE)",
        "Parcours dans une structure IAE dont la date de sortie tombe dans la période. Les sorties des EA, "
        "ESAT, centres sociaux et missions locales ne sont pas mélangées aux taux de l'IAE.",
    ),
    "sorties_examinees": D(
        "Sorties examinées",
        "Sorties hors retraits (décès, longue maladie, retraite, décision de justice) ayant atteint la durée "
        "minimale de présence : ACI et EI au moins 3 mois de date à date ; AI et ETTI au moins 150 heures "
        "travaillées dans la structure entre le mois d'entrée et le mois de sortie ; EITI au moins 1 heure.",
    ),
    "taux_sortie_dynamique": D(
        "Taux de sortie dynamique",
        "Sorties en emploi durable, en emploi de transition et sorties positives, divisées par les sorties "
        f"examinées. Affiché avec n/N ; aucun taux n'est affiché sous {MIN_SORTIES_TAUX} sorties examinées (trop "
        "peu pour être significatif).",
    ),
    "taux_sortie_emploi_durable": D(
        "Taux de sortie en emploi durable",
        "Sorties en emploi durable (CDI, CDD ou intérim de 6 mois et plus, création d'entreprise, fonction "
        f"publique) divisées par les sorties examinées. Pas de taux sous {MIN_SORTIES_TAUX} sorties examinées.",
    ),
    "chiffre_affaires": D(
        "Chiffre d'affaires",
        "Somme des montants HT déclarés par les structures pour les années de la période (poids économique "
        "du collectif). Il n'est pas localisé : aucun chiffre d'affaires n'est donné pour une commune.",
    ),
    "heures_par_commune": D(
        "Heures par commune",
        "Heures travaillées rattachées à une intervention, regroupées par commune nouvelle de l'intervention "
        "(ou par commune hors Mauges Communauté). Une intervention avec un point GPS est placée d'après son "
        "point, sinon d'après son code commune. Les heures sans intervention sont « non localisées ».",
    ),
    "donnees_au": D(
        "Données au",
        "Dernier jour du dernier mois que toutes les structures actives ont transmis. Si une structure "
        "en retard n'a pas encore envoyé septembre, les données sont « au 31/08 » même si d'autres ont déjà "
        "envoyé septembre : les heures déjà reçues de septembre sont comptées mais marquées provisoires.",
    ),
    "structure_active": D(
        "Structure active (fraîcheur)",
        "Pour un mois donné, une structure qui a déclaré des heures au cours des 12 derniers mois reçus et qui "
        "a au moins un parcours en cours ce mois-là (entré avant la fin du mois, pas sorti avant son début). "
        "Elle doit transmettre ce mois. Une structure qui ne déclare pas d'heures (centre social, mission "
        "locale), dont tous les parcours sont terminés, ou silencieuse depuis plus de 12 mois n'est pas "
        "attendue (la page Données la signale).",
    ),
    "mois_provisoire": D(
        "Mois provisoire",
        "Mois reçu d'au moins une structure mais pas encore de toutes les structures actives : ses chiffres "
        "sont incomplets. Il est hachuré sur le graphique des heures par mois, et les chiffres clés d'une "
        "année qui en contient sont marqués « provisoire ». Le dernier mois déclaré par chaque structure est "
        "sur la page Données.",
    ),
    "masquage": D(
        "Petits effectifs masqués",
        "En mode présentation, pour le rôle « lecture » et dans tous les documents. " + privacy.REGLE + " "
        f"Aucun taux n'est affiché sur moins de {MIN_SORTIES_TAUX} sorties examinées.",
    ),
}


def help_text(key: str) -> str:
    d = DEFINITIONS[key]
    return f"**{d.label}** — {d.text}"


# Emplois et parcours, Sorties (pages/emplois.py, pages/sorties.py).
DEFINITIONS["entrees"] = D(
    "Entrées en parcours",
    "Parcours dont la date d'entrée tombe dans la période, toutes structures du filtre (un parcours par "
    "personne et par structure ; une personne entrée dans deux structures compte deux entrées, et une "
    "seule fois dans le nombre de personnes). Avec un filtre de commune : commune de résidence déclarée "
    "dans le parcours.",
)
DEFINITIONS["publics"] = D(
    "Publics",
    "Parmi les personnes employées de la période, d'après le profil de leur parcours le plus récent : "
    "femmes ; moins de 26 ans et 50 ans et plus (âge = année − année de naissance, année de fin pour une "
    "période de plusieurs années) ; bénéficiaires du RSA ; demandeurs d'emploi de longue durée (DELD, 12 "
    "à 23 mois) et de très longue durée (DETLD, 24 mois et plus) ; RQTH ; habitants d'un QPV ; faible "
    "niveau de qualification (CAP/BEP ou moins). Une information manquante est comptée « non renseigné » "
    "et reste dans le dénominateur.",
)


# Appended for the Structures page (the Méthodologie page renders every entry of DEFINITIONS).
DEFINITIONS.update(
    {
        "structures_membres": D(
            "Structures membres",
            "Les structures adhérentes du collectif (table structures) : type, famille (IAE : ACI, AI, EI, "
            "ETTI, EITI ; handicap : EA, ESAT ; accompagnement : GEIQ, centres sociaux, missions locales, "
            "autres), commune du siège et date d'adhésion. Une structure est active sur la période quand elle "
            "a déclaré au moins une heure travaillée.",
        ),
        "communes_intervention": D(
            "Communes d'intervention",
            "Communes où une structure a travaillé sur la période : heures travaillées rattachées à ses "
            "interventions, regroupées par commune nouvelle (ou par commune hors Mauges Communauté) où "
            "l'intervention est placée (d'après son point GPS, sinon son code commune). Les heures déclarées "
            "sans intervention sont « non localisées ».",
        ),
    }
)


# Appended for the Heures et activités and Marchés et partenariats pages (pages/heures.py, pages/marches.py).
DEFINITIONS["heures_facturees"] = D(
    "Heures facturées (AI, ETTI)",
    "Heures facturées aux clients par les associations intermédiaires et les entreprises de travail "
    "temporaire d'insertion (mises à disposition, missions). Elles recouvrent des heures déjà travaillées : "
    "elles sont montrées à part et ne s'ajoutent jamais aux heures travaillées.",
)
DEFINITIONS["heures_formation"] = D(
    "Heures de formation",
    "Heures de formation déclarées chaque mois par les structures. Montrées à part : elles ne s'ajoutent "
    "jamais aux heures travaillées.",
)
DEFINITIONS["secteurs_marches"] = D(
    "Marchés publics, partenariats privés, hors marché",
    "Marchés publics : clause sociale d'exécution (L2112-2), marché réservé aux SIAE (L2113-13) ou aux "
    "EA/ESAT (L2113-12), critère social d'attribution (R2152-7). Partenariats privés : travaux pour une "
    "entreprise hors commande publique (Veolia), jamais mêlés aux heures des clauses. Hors marché : heures "
    "déclarées sans intervention rattachée à un marché ou un partenariat.",
)
DEFINITIONS["heures_insertion_prevues_realisees"] = D(
    "Heures d'insertion prévues et réalisées",
    "Prévues : heures d'insertion inscrites au marché, réparties sur ses années au prorata des jours du "
    "marché dans chaque année civile (heures prévues × jours dans l'année ÷ jours du marché) ; un marché sans "
    "date de fin n'a pas de répartition. Réalisées : heures travaillées sur les interventions rattachées au "
    "marché. Part réalisée = réalisées ÷ prévues. Avec un filtre de structure, de type ou de commune, les "
    "heures réalisées sont celles de la sélection et les heures prévues restent celles du marché entier.",
)


# Contract v1.1: supervision, training and follow-up after the exit (impact/indicators/accompagnement.py).
DEFINITIONS["taux_encadrement"] = D(
    "Taux d'encadrement",
    "Pour une année : équivalents temps plein (ETP) en insertion des structures qui déclarent des encadrants "
    "techniques (heures travaillées ÷ base ETP du type de structure, même définition que l'ETP), divisés par "
    "leurs ETP d'encadrants techniques (table encadrement). Se lit « 1 encadrant technique pour 6,2 ETP en "
    "insertion ». Les conseillers en accompagnement socioprofessionnel sont comptés à part, de la même façon. "
    "Une structure sans ligne dans la table encadrement pour l'année n'entre pas dans le calcul.",
)
DEFINITIONS["formations"] = D(
    "Formations suivies",
    "Formations déclarées dans la table formations, rattachées à l'année de leur date de début et à la "
    "structure du parcours de la personne formée : nombre de formations, heures de formation (durée "
    "déclarée), formations certifiantes (titre professionnel, CQP, habilitation…), personnes formées "
    "(distinctes). Domaines : technique, numérique, savoir-être, sécurité, autre (vide = « non renseigné »). "
    "Ces heures ne s'ajoutent jamais aux heures travaillées ni aux heures de formation mensuelles de la table "
    "heures.",
)
DEFINITIONS["emploi_6_mois"] = D(
    "En emploi 6 mois après la sortie",
    "Suivi propre au collectif (table suivis), distinct des sorties déclarées à l'ASP : il ne change jamais "
    "les taux de sortie officiels et n'est jamais additionné à eux. Pour les sorties de la période (hors "
    "retraits, toutes structures), on retient le suivi le plus proche de 6 mois après la date de sortie, "
    "parmi ceux faits entre 5 et 8 mois après (bornes comprises). Personnes suivies (N) : personnes dont la "
    "dernière sortie de la période a un tel suivi. En emploi (n) : la situation retenue est un emploi "
    "durable ou de transition (CDI, CDD, intérim, contrat aidé, création d'entreprise, fonction publique) ; "
    "une formation n'est pas un emploi. Affiché « n/N personnes suivies », sans pourcentage sous 10 "
    "personnes suivies. « Embauchées par un partenaire » : parmi elles, employeur partenaire du collectif "
    "(Veolia…). La page d'un partenaire privé donne le même chiffre pour les personnes qui ont travaillé sur "
    "ses commandes (filtre de ses marchés).",
)
