"""Deterministic generator of the fictitious demonstration data (data/demo/), in the French Excel style.

`generate(out_dir, seed, scale)` writes one CSV per table (parcours and heures: one file per structure) that
tell the collective's story from the seed document with its orders of magnitude: the agglomeration's clause
contract (2019-2021, renewed 2022-2025), the road-maintenance contract, the Veolia partnership (site
maintenance, meter campaigns from October 2020, the Choletais contract from mid-2021). Every name except
Alise, Veolia and the public bodies is invented; every person is a pseudonymous id. Same seed and scale ->
same bytes: one random.Random per copy, every list sorted, no clock.
"""

from __future__ import annotations

import calendar
import csv
import io
import json
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path

from impact import GEO_DIR, REFERENCE_DIR

FIRST_MONTH = 2019 * 12  # January 2019, months counted as year * 12 + (month - 1)
LAST_MONTH = 2026 * 12 + 8  # September 2026: the data are "au 30/09/2026"
LAST_DAY = date(2026, 9, 30)
README_NAME = "LISEZMOI.txt"
README_MARK = "données fictives de démonstration"
TABLES = ("structures", "marches", "interventions", "parcours", "heures", "chiffre_affaires", "jalons")

COLUMNS = {
    "structures": ["structure_id", "nom", "type", "commune_insee", "siret", "date_adhesion"],
    "marches": [
        "marche_id",
        "intitule",
        "donneur_ordre",
        "secteur",
        "dispositif",
        "date_debut",
        "date_fin",
        "heures_insertion_prevues",
        "montant_ht",
    ],
    "interventions": [
        "intervention_id",
        "structure_id",
        "commune_insee",
        "activite",
        "date_debut",
        "marche_id",
        "lieu",
        "latitude",
        "longitude",
        "date_fin",
    ],
    "parcours": [
        "parcours_id",
        "personne_id",
        "structure_id",
        "date_entree",
        "date_sortie",
        "motif_sortie",
        "contrat",
        "commune_residence_insee",
        "sexe",
        "annee_naissance",
        "niveau_formation",
        "rsa",
        "deld",
        "detld",
        "rqth",
        "qpv",
    ],
    "heures": [
        "mois",
        "structure_id",
        "personne_id",
        "heures_travaillees",
        "intervention_id",
        "heures_facturees",
        "heures_formation",
    ],
    "chiffre_affaires": ["annee", "structure_id", "montant_ht", "marche_id"],
    "jalons": ["date", "titre", "description"],
}

# --------------------------------------------------------------------------------------------------
# The cast: structures of the collective (Alise is the seed's real lead structure, the others invented)
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StructureSpec:
    sid: str
    nom: str
    type: str
    commune: str  # name of the commune déléguée of the head office
    adhesion: date
    start: int  # first month with people (a structure created later starts later)
    headcount: int  # people in path at the same time, before the yearly growth factor


STRUCTURES = (
    StructureSpec(
        "ALISE_ACI", "Alise – chantier d'insertion", "ACI", "Beaupréau", date(2017, 3, 1), FIRST_MONTH, 17
    ),
    StructureSpec(
        "ALISE_AI", "Alise – association intermédiaire", "AI", "Beaupréau", date(2017, 3, 1), FIRST_MONTH, 24
    ),
    StructureSpec(
        "JARDINS_EVRE",
        "Les Jardins de l'Èvre",
        "ACI",
        "Saint-Pierre-Montlimart",
        date(2017, 3, 1),
        FIRST_MONTH,
        12,
    ),
    StructureSpec(
        "RECYCLERIE_HYROME", "La Recyclerie du Hyrôme", "ACI", "Chemillé", date(2019, 9, 1), 2020 * 12, 12
    ),
    StructureSpec(
        "AI_SEVRE",
        "Sèvre Emploi Solidaire",
        "AI",
        "Saint-Macaire-en-Mauges",
        date(2017, 3, 1),
        FIRST_MONTH,
        15,
    ),
    StructureSpec(
        "AI_LOIRE", "Loire Mauges Services", "AI", "Saint-Florent-le-Vieil", date(2017, 6, 1), FIRST_MONTH, 12
    ),
    StructureSpec(
        "EI_BOCAGE", "Bocage Propreté Insertion", "EI", "Chemillé", date(2017, 6, 1), FIRST_MONTH, 10
    ),
    StructureSpec(
        "ETTI_MAUGES", "Mauges Intérim Solidaire", "ETTI", "Beaupréau", date(2018, 1, 1), FIRST_MONTH, 14
    ),
    StructureSpec(
        "EITI_COTEAUX",
        "Coteaux Indépendants Solidaires",
        "EITI",
        "Champtoceaux",
        date(2021, 1, 1),
        2021 * 12,
        5,
    ),
    StructureSpec(
        "GEIQ_ANJOU",
        "GEIQ Industrie Anjou-Mauges",
        "GEIQ",
        "Saint-Macaire-en-Mauges",
        date(2019, 1, 1),
        FIRST_MONTH,
        8,
    ),
    StructureSpec(
        "EA_MOINE",
        "Atelier adapté de la Moine",
        "EA",
        "Saint-André-de-la-Marche",
        date(2017, 9, 1),
        FIRST_MONTH,
        20,
    ),
    StructureSpec(
        "ESAT_VAL_LOIRE", "ESAT du Val de Loire", "ESAT", "La Pommeraye", date(2017, 9, 1), FIRST_MONTH, 24
    ),
    StructureSpec(
        "CS_EVRE", "Centre social Èvre et Moine", "CS", "Montrevault", date(2017, 3, 1), FIRST_MONTH, 30
    ),
    StructureSpec(
        "CS_LOIRE_DIVATTE", "Centre social Loire-Divatte", "CS", "Drain", date(2018, 1, 1), FIRST_MONTH, 25
    ),
    StructureSpec(
        "ML_MAUGES", "Mission locale des Mauges", "ML", "Beaupréau", date(2017, 3, 1), FIRST_MONTH, 55
    ),
)

# The collective grows slowly; 2020 dips (lockdowns) and recovers.
GROWTH = {2019: 0.88, 2020: 0.85, 2021: 0.95, 2022: 1.0, 2023: 1.04, 2024: 1.07, 2025: 1.09, 2026: 1.1}

CONTRATS = {
    "ACI": (("CDDI", 1),),
    "EI": (("CDDI", 1),),
    "AI": (("mise_a_disposition", 1),),
    "ETTI": (("mission_interim", 1),),
    "EITI": (("travail_independant", 1),),
    "GEIQ": (("contrat_professionnalisation", 3), ("contrat_apprentissage", 1)),
    "EA": (("CDI", 7), ("CDD", 3)),
    "ESAT": (("contrat_soutien", 1),),
    "CS": (("accompagnement", 1),),
    "ML": (("accompagnement", 1),),
}

# Path length in months: (low, high, mode) of a triangular draw.
DURATION = {
    "ACI": (1, 24, 10),
    "AI": (1, 20, 6),
    "EI": (2, 24, 14),
    "ETTI": (1, 18, 5),
    "EITI": (6, 36, 18),
    "GEIQ": (6, 24, 15),
    "EA": (12, 180, 48),
    "ESAT": (24, 260, 90),
    "CS": (3, 18, 8),
    "ML": (2, 24, 9),
}

# Publics by type: women, RSA, DELD, DETLD, RQTH, QPV-prone, (age low, high, mode), schooling weights.
PUBLICS = {
    "ACI": (0.32, 0.36, 0.24, 0.30, 0.12, (18, 62, 36), (45, 35, 15, 5)),
    "AI": (0.46, 0.24, 0.22, 0.22, 0.10, (18, 64, 40), (35, 38, 20, 7)),
    "EI": (0.30, 0.22, 0.25, 0.22, 0.08, (18, 60, 34), (38, 40, 17, 5)),
    "ETTI": (0.24, 0.18, 0.25, 0.18, 0.07, (18, 60, 30), (30, 42, 22, 6)),
    "EITI": (0.46, 0.45, 0.20, 0.30, 0.06, (22, 60, 40), (25, 35, 25, 15)),
    "GEIQ": (0.28, 0.10, 0.20, 0.10, 0.06, (18, 45, 22), (30, 45, 20, 5)),
    "EA": (0.38, 0.08, 0.15, 0.15, 0.97, (20, 63, 44), (40, 40, 15, 5)),
    "ESAT": (0.40, 0.0, 0.0, 0.0, 1.0, (20, 62, 40), (75, 20, 5, 0)),
    "CS": (0.56, 0.38, 0.20, 0.25, 0.10, (18, 65, 40), (40, 35, 18, 7)),
    "ML": (0.42, 0.03, 0.18, 0.05, 0.06, (16, 25, 20), (35, 35, 25, 5)),
}
NIVEAUX = ("infra_cap", "cap_bep", "bac", "bac_plus")

# Exit categories by type (weights): ACI leans on transition and positive exits, AI/ETTI on lasting jobs,
# EA/ESAT exits are mostly retirements and illness (neutralised).
EXIT_WEIGHTS = {
    "ACI": (15, 23, 21, 37, 4),
    "AI": (28, 22, 8, 38, 4),
    "EI": (26, 21, 12, 37, 4),
    "ETTI": (32, 25, 5, 35, 3),
    "EITI": (30, 15, 10, 42, 3),
    "GEIQ": (55, 10, 5, 27, 3),
    "EA": (18, 10, 5, 22, 45),
    "ESAT": (8, 4, 6, 30, 52),
    "CS": (18, 20, 32, 28, 2),
    "ML": (18, 22, 33, 25, 2),
}
CATEGORIES = ("emploi_durable", "emploi_transition", "sortie_positive", "autre_sortie", "retrait")
MOTIFS = {
    "emploi_durable": (
        ("CDI", 40),
        ("CDD_6M_PLUS", 30),
        ("INTERIM_6M_PLUS", 18),
        ("CREATION_ENTREPRISE", 6),
        ("FONCTION_PUBLIQUE", 6),
    ),
    "emploi_transition": (("CDD_MOINS_6M", 45), ("INTERIM_MOINS_6M", 35), ("CONTRAT_AIDE", 20)),
    "sortie_positive": (("FORMATION_QUALIFIANTE", 60), ("EMBAUCHE_SIAE", 40)),
    "autre_sortie": (("CHOMAGE", 50), ("INACTIVITE", 15), ("SANS_NOUVELLES", 25), ("AUTRE", 10)),
    "retrait": (("DECES", 4), ("LONGUE_MALADIE", 44), ("RETRAITE", 42), ("DECISION_JUSTICE", 10)),
}

# --------------------------------------------------------------------------------------------------
# Contracts (marchés) and the work they bring
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MarcheSpec:
    mid: str
    intitule: str
    donneur_ordre: str
    secteur: str
    dispositif: str
    debut: date
    fin: date | None
    heures_prevues: int | None
    montant_ht: float | None
    # Work delivered through the people of these structures: monthly hours (mean, sd) and €/h billed.
    structures: tuple[str, ...] = ()
    monthly: tuple[float, float] = (0.0, 0.0)
    rate: float = 0.0
    sites: tuple[tuple[str, str, str], ...] = ()  # (activité, lieu, commune name or "@EPCI")


MC = "Mauges Communauté"
CLAUSE_SITES = (
    ("Travaux d'aménagement d'espaces naturels", "Coulée verte de l'Èvre", "Montrevault"),
    ("Travaux d'aménagement d'espaces naturels", "Étang de la Thévinière", "Jallais"),
    ("Travaux d'aménagement d'espaces naturels", "Coteaux de la Divatte", "La Varenne"),
    ("Déménagement de services", "Siège de Mauges Communauté", "Beaupréau"),
    ("Destruction d'archives", "Archives communautaires", "Beaupréau"),
    ("Entretien de locaux", "Pôle territorial de Chemillé", "Chemillé"),
    ("Entretien de locaux", "Pôle territorial de Saint-Macaire", "Saint-Macaire-en-Mauges"),
    ("Mise à disposition de personnel", "Services techniques communautaires", "Beaupréau"),
)
MARCHES = (
    MarcheSpec(
        "MC_CLAUSE_2019",
        "Prestations clausées : espaces naturels, déménagements, archives, entretien de locaux, mise à disposition",
        MC,
        "public",
        "clause_execution",
        date(2019, 4, 1),
        date(2021, 12, 31),
        9000,
        412000.0,
        ("ALISE_ACI", "ALISE_AI", "RECYCLERIE_HYROME", "EI_BOCAGE"),
        (290, 45),
        31.0,
        CLAUSE_SITES,
    ),
    MarcheSpec(
        "MC_CLAUSE_2022",
        "Reconduction 2022-2025 des prestations clausées (espaces naturels, déménagements, archives, locaux, MAD)",
        MC,
        "public",
        "clause_execution",
        date(2022, 1, 1),
        date(2025, 12, 31),
        14400,
        655000.0,
        ("ALISE_ACI", "ALISE_AI", "RECYCLERIE_HYROME", "EI_BOCAGE"),
        (305, 45),
        32.5,
        CLAUSE_SITES,
    ),
    MarcheSpec(
        "MC_VOIRIE_2022",
        "Entretien de la voirie communautaire (fauchage, débroussaillage, signalisation) avec heures d'insertion",
        MC,
        "public",
        "clause_execution",
        date(2022, 3, 1),
        date(2026, 2, 28),
        6000,
        1180000.0,
        ("ALISE_ACI", "EI_BOCAGE", "ETTI_MAUGES"),
        (122, 30),
        34.0,
        (
            ("Entretien de la voirie", "Voirie secteur Èvre", "Le Pin-en-Mauges"),
            ("Entretien de la voirie", "Voirie secteur Loire", "Le Marillais"),
            ("Entretien de la voirie", "Voirie secteur Layon", "Melay"),
            ("Entretien de la voirie", "Voirie secteur Moine", "Saint-Germain-sur-Moine"),
        ),
    ),
    MarcheSpec(
        "VEOLIA_SITES",
        "Entretien de sites et ouvrages d'art du service de l'eau (châteaux d'eau, lagunes, collecteurs)",
        "Veolia Eau",
        "prive",
        "hors_commande_publique",
        date(2020, 7, 1),
        None,
        None,
        None,
        ("ALISE_ACI", "JARDINS_EVRE"),
        (72, 15),
        30.0,
        (
            ("Entretien de sites et ouvrages d'art", "Château d'eau", "Le Fief-Sauvin"),
            ("Entretien de sites et ouvrages d'art", "Château d'eau", "La Jumellière"),
            ("Entretien de sites et ouvrages d'art", "Lagune de traitement", "Botz-en-Mauges"),
            ("Entretien de sites et ouvrages d'art", "Lagune de traitement", "Tillières"),
            ("Entretien de sites et ouvrages d'art", "Collecteur d'eaux usées", "Saint-Laurent-des-Autels"),
            ("Entretien de sites et ouvrages d'art", "Château d'eau", "@CC Loire Layon Aubance"),
        ),
    ),
    MarcheSpec(
        "VEOLIA_CHOLETAIS",
        "Marché de l'eau du Choletais : relevés, petites interventions et entretien d'ouvrages",
        "Veolia Eau",
        "prive",
        "hors_commande_publique",
        date(2021, 7, 1),
        date(2023, 6, 30),
        1800,
        None,
        ("ETTI_MAUGES", "ALISE_AI"),
        (75, 14),
        36.0,
        (
            ("Relevé de compteurs d'eau", "Secteur Cholet", "@Cholet Agglomération"),
            ("Relevé de compteurs d'eau", "Secteur Cholet Agglomération sud", "@Cholet Agglomération"),
            ("Entretien de sites et ouvrages d'art", "Réservoir", "@Cholet Agglomération"),
            ("Entretien de sites et ouvrages d'art", "Station de pompage", "@Cholet Agglomération"),
        ),
    ),
    MarcheSpec(
        "LLA_RESERVE_2021",
        "Entretien des espaces verts des zones d'activités (marché réservé aux SIAE)",
        "CC Loire Layon Aubance",
        "public",
        "marche_reserve_siae",
        date(2021, 9, 1),
        date(2024, 8, 31),
        3600,
        138000.0,
        ("EI_BOCAGE", "ALISE_ACI"),
        (100, 20),
        33.0,
        (
            ("Entretien d'espaces verts", "Zone d'activités", "@CC Loire Layon Aubance"),
            ("Entretien d'espaces verts", "Zone d'activités", "@CC Loire Layon Aubance"),
            ("Entretien d'espaces verts", "Parc d'activités", "@CC Loire Layon Aubance"),
        ),
    ),
    MarcheSpec(
        "MC_EA_ESAT_2023",
        "Entretien des espaces verts des équipements communautaires (marché réservé EA/ESAT)",
        MC,
        "public",
        "marche_reserve_ea_esat",
        date(2023, 1, 1),
        date(2026, 12, 31),
        None,
        226000.0,
        ("EA_MOINE", "ESAT_VAL_LOIRE"),
        (160, 25),
        28.0,
        (
            ("Entretien d'espaces verts", "Centre aquatique", "Beaupréau"),
            ("Entretien d'espaces verts", "Déchèterie", "Saint-Laurent-de-la-Plaine"),
            ("Entretien d'espaces verts", "Base de loisirs", "Saint-Laurent-de-la-Plaine"),
        ),
    ),
    MarcheSpec(
        "SEVREMOINE_NETTOYAGE_2023",
        "Nettoyage des bâtiments communaux (critère social d'attribution)",
        "Commune de Sèvremoine",
        "public",
        "critere_attribution",
        date(2023, 9, 1),
        date(2026, 8, 31),
        1500,
        310000.0,
        ("AI_SEVRE",),
        (42, 10),
        29.0,
        (
            ("Entretien de locaux", "Salles municipales", "Saint-Macaire-en-Mauges"),
            ("Entretien de locaux", "Groupe scolaire", "Torfou"),
            ("Entretien de locaux", "Mairie annexe", "Le Longeron"),
        ),
    ),
)

# Meter campaigns: October to January, one contract per campaign with Veolia ("École des compteurs").
METER_YEARS = (2020, 2021, 2022, 2023, 2024, 2025)
METER_ROSTER = (("ALISE_AI", 3), ("AI_SEVRE", 3), ("AI_LOIRE", 2), ("ETTI_MAUGES", 2), ("EI_BOCAGE", 2))
METER_RATE = 38.5  # € per hour billed: one campaign (~2,600 h) is about 100 k€
METER_MONTHLY = (54.0, 11.0)
# Each SIAE reads the meters of its own conventioned territory ("répartition par territoire").
METER_SECTORS = {
    "ALISE_AI": ("Beaupréau", "Jallais", "@CC Loire Layon Aubance"),
    "AI_SEVRE": ("Saint-Macaire-en-Mauges", "Torfou", "Saint-Germain-sur-Moine"),
    "AI_LOIRE": ("Saint-Florent-le-Vieil", "Champtoceaux", "Montjean-sur-Loire"),
    "ETTI_MAUGES": ("@CC Loire Layon Aubance", "@CC Loire Layon Aubance"),
    "EI_BOCAGE": ("Chemillé", "Saint-Pierre-Montlimart"),
}

# Activity of each structure outside the contracts: (activité, communes, share of the remaining hours placed
# there). Workshops work at their site; AI, ETTI, EITI and GEIQ place people with many clients, and only part
# of those hours can be tied to a sector: the rest stays without intervention ("non localisé").
OWN_ACTIVITY = {
    "ALISE_ACI": ("Entretien d'espaces verts et second œuvre", ("Beaupréau",), 1.0),
    "JARDINS_EVRE": ("Maraîchage biologique et paniers", ("Saint-Pierre-Montlimart",), 1.0),
    "RECYCLERIE_HYROME": ("Collecte, tri et revente d'objets de réemploi", ("Chemillé",), 1.0),
    "EI_BOCAGE": ("Propreté et entretien de locaux", ("Chemillé", "Saint-Lézin"), 1.0),
    "EA_MOINE": ("Sous-traitance industrielle", ("Saint-André-de-la-Marche",), 1.0),
    "ESAT_VAL_LOIRE": ("Conditionnement et blanchisserie", ("La Pommeraye",), 1.0),
    "ALISE_AI": (
        "Mise à disposition auprès de particuliers, associations et collectivités",
        ("Beaupréau", "Andrezé", "Gesté", "Villedieu-la-Blouère"),
        0.6,
    ),
    "AI_SEVRE": (
        "Mise à disposition auprès de particuliers, associations et collectivités",
        ("Saint-Macaire-en-Mauges", "Saint-Germain-sur-Moine", "Roussay", "Tillières"),
        0.6,
    ),
    "AI_LOIRE": (
        "Mise à disposition auprès de particuliers, associations et collectivités",
        ("Saint-Florent-le-Vieil", "Montjean-sur-Loire", "Le Mesnil-en-Vallée", "Bourgneuf-en-Mauges"),
        0.6,
    ),
    "ETTI_MAUGES": (
        "Missions d'intérim en entreprise",
        ("Beaupréau", "Saint-Macaire-en-Mauges", "Chemillé", "Le Fuilet"),
        0.5,
    ),
    "EITI_COTEAUX": (
        "Prestations de travailleurs indépendants",
        ("Champtoceaux", "Liré", "Drain", "Landemont"),
        0.5,
    ),
    "GEIQ_ANJOU": (
        "Alternance dans les entreprises adhérentes",
        ("Saint-Macaire-en-Mauges", "Saint-André-de-la-Marche", "Le Longeron"),
        0.7,
    ),
}

# Revenue per hour worked outside the contracts (sales, services, mise à disposition billed).
OWN_RATE = {
    "ACI": 9.5,
    "AI": 21.0,
    "EI": 29.0,
    "ETTI": 27.5,
    "EITI": 24.0,
    "GEIQ": 26.0,
    "EA": 31.0,
    "ESAT": 17.0,
}

JALONS = (
    (
        date(2016, 1, 1),
        "Un nouveau contexte territorial",
        (
            "Après la loi NOTRe (2015), les communes des Mauges se regroupent en six communes nouvelles au sein de "
            "Mauges Communauté. Les acteurs de l'inclusion veulent être visibles de la nouvelle collectivité."
        ),
    ),
    (
        date(2017, 1, 1),
        "Interconnaissance et structuration du collectif",
        (
            "Rencontres régulières entre structures (SIAE, handicap, centres sociaux et missions locales), sans "
            "cadre juridique : fiche d'identité par structure."
        ),
    ),
    (
        date(2018, 6, 1),
        "Une plaquette commune",
        (
            "Le collectif présente son offre de service : force économique, impact social, accueil et "
            "accompagnement des publics."
        ),
    ),
    (
        date(2018, 10, 1),
        "Rencontre des élus associatifs et des élus de la collectivité",
        (
            "Proposition de travailler sur un premier marché clausé ; Alise est identifiée comme structure "
            "référente pour son habitude des marchés."
        ),
    ),
    (
        date(2019, 4, 1),
        "Premier marché clausé avec Mauges Communauté",
        (
            "Co-construit avec les services techniques et juridiques : espaces naturels, déménagements, "
            "destruction d'archives, entretien de locaux, mise à disposition."
        ),
    ),
    (
        date(2020, 4, 1),
        "Naissance de l'École des compteurs avec Veolia",
        (
            "Première collaboration entre une entreprise privée et le collectif : entretien de sites et ouvrages "
            "d'art (châteaux d'eau, lagunes, collecteurs) et campagnes de relevés de compteurs."
        ),
    ),
    (
        date(2020, 6, 1),
        "Sourcing et formation des releveurs",
        (
            "Sourcing par les associations intermédiaires, comité de sélection animé par Veolia, formation "
            "technique, numérique et relationnelle."
        ),
    ),
    (
        date(2020, 10, 1),
        "Première campagne de relevés de compteurs",
        (
            "Cinq SIAE sur deux territoires (CC Loire Layon Aubance et Mauges Communauté, environ 180 000 "
            "habitants), une quinzaine de salariés en contrat."
        ),
    ),
    (
        date(2021, 6, 1),
        "Veolia remporte le marché de l'eau du Choletais",
        "Environ 85 000 habitants : près de 1 800 heures à réaliser par des salariés en parcours.",
    ),
    (
        date(2021, 7, 1),
        "Entrée au Conseil prospectif territorial",
        "Deux représentants du collectif y siègent.",
    ),
    (
        date(2021, 10, 1),
        "Renouvellement de la campagne de relevés",
        "La campagne de relevés de compteurs avec Veolia est reconduite.",
    ),
    (
        date(2021, 12, 1),
        "Commission consultative économie circulaire",
        (
            "Le collectif devient membre de la commission d'élaboration et de suivi des plans d'économie "
            "circulaire, qui traite aussi de la commande publique."
        ),
    ),
    (
        date(2022, 1, 1),
        "Reconduction du marché clausé pour 2022-2025",
        "Bilan positif des prestations : le marché avec Mauges Communauté est reconduit.",
    ),
    (
        date(2022, 3, 1),
        "Nouveau marché d'entretien de la voirie",
        "Un marché d'entretien de la voirie communautaire comportant des heures d'insertion.",
    ),
)

# --------------------------------------------------------------------------------------------------
# Territory
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Commune:
    code: str
    nom: str
    niveau: str
    parent: str
    epci: str
    population: int


def read_communes(path: Path | None = None) -> list[Commune]:
    path = path or REFERENCE_DIR / "communes.csv"
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f, delimiter=";"))
    return [
        Commune(
            r["code_insee"].strip().zfill(5),
            r["nom"].strip(),
            r["niveau"].strip(),
            r["code_commune_nouvelle"].strip().zfill(5),
            r["epci"].strip(),
            int(r["population"] or 0),
        )
        for r in rows
    ]


class Territory:
    """Communes usable as residence or work place: Mauges déléguées and neighbouring ordinary communes."""

    def __init__(self, communes: list[Commune]) -> None:
        self.places = sorted(
            (c for c in communes if c.niveau in ("commune_deleguee", "commune")),
            key=lambda c: (c.code, c.nom),
        )
        self.by_name = {c.nom: c for c in self.places}
        self.mauges = [c for c in self.places if c.epci == MC]
        self.by_epci = {
            e: sorted((c for c in self.places if c.epci == e), key=lambda c: (-c.population, c.code))
            for e in ("CC Loire Layon Aubance", "Cholet Agglomération")
        }
        if len({c.parent for c in self.mauges}) != 6:
            raise ValueError("communes.csv doit contenir les six communes nouvelles des Mauges")

    def place(self, name: str, rng: random.Random) -> Commune:
        """A commune by name, or "@EPCI": one of the five largest communes of that neighbouring EPCI."""
        if name.startswith("@"):
            return rng.choice(self.by_epci[name[1:]][:5])
        return self.by_name[name]

    def residence(self, rng: random.Random, near: Commune) -> Commune:
        # Mostly the commune nouvelle of the structure, otherwise anywhere in the Mauges by population; a few
        # people live in the neighbouring agglomerations.
        u = rng.random()
        if u < 0.03:
            pool = self.by_epci["Cholet Agglomération"]
        elif u < 0.05:
            pool = self.by_epci["CC Loire Layon Aubance"]
        elif u < 0.3:
            pool = [c for c in self.mauges if c.parent == near.parent] or self.mauges
        else:
            pool = self.mauges
        return rng.choices(pool, weights=[c.population for c in pool])[0]


def _load_shapes(codes: set[str]) -> dict[str, object]:
    """Polygons by INSEE code from data/geo/*.geojson (smallest one when a code has two: the déléguée)."""
    files = sorted(GEO_DIR.glob("*.geojson")) if GEO_DIR.is_dir() else []
    if not files:
        return {}
    from shapely.geometry import shape

    shapes: dict[str, object] = {}
    for path in files:
        data = json.loads(path.read_text(encoding="utf-8"))
        for feat in data.get("features", []):
            props = feat.get("properties") or {}
            code = next(
                (str(props[k]).zfill(5) for k in ("code_insee", "code", "insee") if props.get(k)), None
            )
            if code not in codes or not feat.get("geometry"):
                continue
            geom = shape(feat["geometry"])
            if geom.is_empty:
                continue
            if code not in shapes or geom.area < shapes[code].area:
                shapes[code] = geom
    return shapes


def _point_in(geom, key: str, seed: int) -> tuple[float, float]:
    """A point inside the commune: its point on surface moved by a small jitter that stays inside."""
    from shapely.geometry import Point

    rng = random.Random(f"{seed}:{key}")  # own stream: coordinates never shift the other draws
    base = geom.representative_point()
    for _ in range(30):
        p = Point(base.x + rng.uniform(-0.012, 0.012), base.y + rng.uniform(-0.008, 0.008))
        if geom.contains(p):
            return round(p.y, 5), round(p.x, 5)
    return round(base.y, 5), round(base.x, 5)


# --------------------------------------------------------------------------------------------------
# Formatting (French Excel)
# --------------------------------------------------------------------------------------------------


def _d(x: date | None) -> str:
    return x.strftime("%d/%m/%Y") if x else ""


def _mois(m: int) -> str:
    return f"{m % 12 + 1:02d}/{m // 12}"


def _num(x: float | None) -> str:
    if x is None:
        return ""
    s = f"{x:.2f}".rstrip("0").rstrip(".")
    return s.replace(".", ",")


def _montant(x: float) -> str:
    return f"{x:,.2f}".replace(",", "\u00a0").replace(".", ",")


def _bool(b: bool) -> str:
    return "oui" if b else "non"


def _month_of(d: date) -> int:
    return d.year * 12 + d.month - 1


@cache
def _month_start(m: int) -> date:
    return date(m // 12, m % 12 + 1, 1)


@cache
def _month_end(m: int) -> date:
    y, mo = m // 12, m % 12 + 1
    return date(y, mo, calendar.monthrange(y, mo)[1])


def _siret(rng: random.Random) -> str:
    """14 digits passing the Luhn check, like a real SIRET (numbers invented)."""
    digits = [rng.randint(0, 9) for _ in range(13)]
    for check in range(10):
        full = [*digits, check]
        total = 0
        for i, dgt in enumerate(reversed(full)):
            v = dgt * 2 if i % 2 else dgt
            total += v - 9 if v > 9 else v
        if total % 10 == 0:
            return "".join(map(str, full))
    raise AssertionError("unreachable")


# --------------------------------------------------------------------------------------------------
# Simulation
# --------------------------------------------------------------------------------------------------


@dataclass
class Person:
    pid: str
    sexe: str
    annee_naissance: int
    residence: Commune
    niveau: str
    rqth: bool
    qpv: bool


@dataclass
class Path_:
    num: int
    person: Person
    sid: str
    stype: str
    entree: date
    sortie: date | None
    contrat: str
    rsa: bool
    deld: bool
    detld: bool
    motif: str = ""
    meter: int | None = None  # campaign year for the meter readers
    hours: dict[int, list[float]] = field(default_factory=dict)  # month -> [worked, billed, training]


@dataclass
class World:
    rng: random.Random
    territory: Territory
    suffix: str
    person_counter: list[int]
    paths: list[Path_] = field(default_factory=list)
    pool: list[tuple[int, Person]] = field(default_factory=list)  # (available from month, person)


def _weighted(rng: random.Random, pairs) -> str:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def _new_person(w: World, stype: str, head: Commune, entree: date) -> Person:
    rng = w.rng
    fem, _rsa, _deld, _detld, rqth, (alo, ahi, amode), niv = PUBLICS[stype]
    w.person_counter[0] += 1
    age = int(rng.triangular(alo, ahi, amode))
    res = w.territory.residence(rng, head)
    # The Mauges have no priority neighbourhood (QPV); Cholet has several.
    qpv = res.nom == "Cholet" and rng.random() < 0.45
    return Person(
        f"P{w.person_counter[0]:06d}",
        "F" if rng.random() < fem else "H",
        entree.year - age,
        res,
        rng.choices(NIVEAUX, weights=niv)[0],
        rng.random() < rqth,
        qpv,
    )


def _exit_motif(rng: random.Random, stype: str) -> str:
    cat = rng.choices(CATEGORIES, weights=EXIT_WEIGHTS[stype])[0]
    pairs = MOTIFS[cat]
    if cat == "retrait" and stype in ("EA", "ESAT"):
        pairs = (("LONGUE_MALADIE", 45), ("RETRAITE", 50), ("DECES", 5))
    if cat == "emploi_durable" and stype == "ETTI":
        pairs = (("INTERIM_6M_PLUS", 45), ("CDI", 30), ("CDD_6M_PLUS", 25))
    if cat == "emploi_durable" and stype == "EITI":
        pairs = (("CREATION_ENTREPRISE", 60), ("CDI", 20), ("CDD_6M_PLUS", 20))
    return _weighted(rng, pairs)


def _open_path(w: World, spec: StructureSpec, head: Commune, entree: date, months: int) -> Path_:
    rng = w.rng
    stype = spec.type
    person = None
    # Paths chain across the collective: people referred by a mission locale or a centre social, or hired
    # by another SIAE, start again in an SIAE. EA/ESAT need an orientation; the ML takes young newcomers.
    if stype in ("ACI", "AI", "EI", "ETTI", "EITI", "GEIQ") and w.pool and rng.random() < 0.22:
        m = _month_of(entree)
        for i, (avail, cand) in enumerate(w.pool):
            if avail <= m:
                person = cand
                del w.pool[i]
                break
    if person is None:
        person = _new_person(w, stype, head, entree)
    _f, rsa, deld, detld, *_ = PUBLICS[stype]
    age = entree.year - person.annee_naissance
    long_term = rng.random()
    sortie_month = _month_of(entree) + months
    sortie = None
    if sortie_month <= LAST_MONTH:
        end = _month_end(sortie_month)
        sortie = date(end.year, end.month, rng.randint(1, end.day))
        sortie = max(sortie, entree + timedelta(days=14))
        if sortie > LAST_DAY:
            sortie = None
    path = Path_(
        num=0,
        person=person,
        sid=spec.sid,
        stype=stype,
        entree=entree,
        sortie=sortie,
        contrat=_weighted(rng, CONTRATS[stype]),
        rsa=age >= 25 and rng.random() < rsa,
        deld=long_term < deld,
        detld=deld <= long_term < deld + detld,
    )
    if sortie:
        path.motif = _exit_motif(rng, stype)
        if path.motif == "EMBAUCHE_SIAE" or (stype in ("CS", "ML") and path.motif != "SANS_NOUVELLES"):
            w.pool.append((_month_of(sortie) + rng.randint(1, 3), person))
    w.paths.append(path)
    return path


def _duration(rng: random.Random, stype: str) -> int:
    lo, hi, mode = DURATION[stype]
    return max(1, round(rng.triangular(lo, hi, mode)))


def _simulate_structures(w: World, specs: list[StructureSpec], heads: dict[str, Commune]) -> None:
    rng = w.rng
    active: dict[str, list[Path_]] = {s.sid: [] for s in specs}
    for m in range(FIRST_MONTH, LAST_MONTH + 1):
        growth = GROWTH[m // 12]
        for spec in specs:
            if m < spec.start:
                continue
            ramp = min(1.0, 0.35 + 0.65 * (m - spec.start) / 12) if spec.start > FIRST_MONTH else 1.0
            target = round(spec.headcount * growth * ramp * rng.uniform(0.94, 1.06))
            if m == FIRST_MONTH:
                # People already in path when the data start: back-dated entries.
                for _ in range(target):
                    d = _duration(rng, spec.type)
                    elapsed = rng.randint(0, d - 1)
                    em = m - elapsed
                    start = _month_end(em)
                    entree = date(start.year, start.month, rng.randint(1, start.day))
                    active[spec.sid].append(_open_path(w, spec, heads[spec.sid], entree, d))
                continue
            staying = [p for p in active[spec.sid] if p.sortie is None or _month_of(p.sortie) >= m]
            active[spec.sid] = staying
            present = sum(1 for p in staying if p.sortie is None or _month_of(p.sortie) > m)
            for _ in range(max(0, target - present)):
                end = _month_end(m)
                entree = date(end.year, end.month, rng.randint(1, end.day))
                active[spec.sid].append(
                    _open_path(w, spec, heads[spec.sid], entree, _duration(rng, spec.type))
                )


def _fraction(p: Path_, m: int) -> float:
    """Share of month m covered by the path (entry and exit months are partial)."""
    start, end = _month_start(m), _month_end(m)
    a = max(start, p.entree)
    b = min(end, p.sortie or end)
    if b < a:
        return 0.0
    return ((b - a).days + 1) / end.day


def _monthly_hours(rng: random.Random, p: Path_, weekly: float, frac: float) -> list[float]:
    """[worked, billed, training] for a full or partial month, by structure type."""
    t = p.stype
    train = 0.0
    billed = None
    if t == "ACI":
        full = weekly * 52 / 12
        worked = full if rng.random() < 0.55 else round(full * rng.uniform(0.6, 1.0) * 2) / 2
        if rng.random() < 0.2:
            train = float(rng.choice((7, 7, 14, 21)))
    elif t == "AI":
        worked = 0.0 if rng.random() < 0.06 else min(151.67, max(2.0, round(rng.gauss(46, 30) * 2) / 2))
        billed = worked if rng.random() < 0.8 else round(worked * rng.uniform(0.9, 1.0), 2)
    elif t == "EI":
        full = weekly * 52 / 12
        worked = full if rng.random() < 0.6 else round(full * rng.uniform(0.8, 1.0), 2)
        if rng.random() < 0.08:
            train = 14.0
    elif t == "ETTI":
        worked = min(169.0, max(7.0, round(rng.gauss(98, 38))))
        billed = worked
    elif t == "EITI":
        worked = min(150.0, max(4.0, round(rng.gauss(70, 25), 1)))
    elif t == "GEIQ":
        # Work-study contracts: a fixed share of the month in training (school days).
        train = float(rng.choice((28, 35, 35, 42)))
        worked = (
            round(151.67 - train, 2)
            if rng.random() < 0.8
            else round((151.67 - train) * rng.uniform(0.7, 1.0), 2)
        )
    elif t == "EA":
        full = weekly * 52 / 12
        worked = full if rng.random() < 0.7 else round(full * rng.uniform(0.85, 1.0), 2)
    elif t == "ESAT":
        worked = round(rng.gauss(116, 8) * 2) / 2
    else:
        return [0.0, 0.0, 0.0]
    if frac < 1:
        worked = round(worked * frac, 2)
        billed = round(billed * frac, 2) if billed is not None else None
        train = round(train * frac, 2)
    return [worked, billed if billed is not None else -1.0, train]


WEEKLY = {"ACI": (20, 24, 26), "EI": (35, 35, 30), "EA": (35, 35, 28), "AI": (0,), "ETTI": (0,)}


def _hours_for_paths(w: World) -> None:
    rng = w.rng
    for p in w.paths:
        if p.stype in ("CS", "ML") or p.meter is not None:
            continue
        weekly = rng.choice(WEEKLY.get(p.stype, (0,)))
        first = max(FIRST_MONTH, _month_of(p.entree))
        last = min(LAST_MONTH, _month_of(p.sortie) if p.sortie else LAST_MONTH)
        for m in range(first, last + 1):
            frac = _fraction(p, m)
            if frac <= 0:
                continue
            p.hours[m] = _monthly_hours(rng, p, weekly, frac)


def _meter_campaigns(w: World, specs: dict[str, StructureSpec], heads: dict[str, Commune]) -> None:
    """Meter readers: recruited for each campaign (October to January), half of them come back next year."""
    rng = w.rng
    previous: list[tuple[str, Person]] = []
    rosters: list[list[tuple[str, Person, bool]]] = []
    for year in METER_YEARS:
        roster: list[tuple[str, Person, bool]] = []
        back_share = 0.75 if year == 2021 else 0.55
        returning = [x for x in previous if rng.random() < back_share]
        for sid, n in METER_ROSTER:
            keep = [(s, pers) for s, pers in returning if s == sid][:n]
            roster += [(sid, pers, False) for _, pers in keep]
            for _ in range(n - len(keep)):
                pers = _new_person(w, specs[sid].type, heads[sid], date(year, 9, 1))
                roster.append((sid, pers, True))
        rosters.append(roster)
        previous = [(sid, pers) for sid, pers, _ in roster]
    for i, (year, roster) in enumerate(zip(METER_YEARS, rosters, strict=True)):
        next_ids = {pers.pid for _, pers, _ in rosters[i + 1]} if i + 1 < len(rosters) else set()
        for sid, pers, new in roster:
            stype = specs[sid].type
            entree = date(year, 9, rng.randint(7, 18)) if new else date(year, 10, 1)
            sortie = date(year + 1, 1, rng.randint(24, 31))
            age = entree.year - pers.annee_naissance
            p = Path_(
                num=0,
                person=pers,
                sid=sid,
                stype=stype,
                entree=entree,
                sortie=sortie,
                contrat=_weighted(rng, CONTRATS[stype]),
                rsa=age >= 25 and rng.random() < 0.28,
                deld=rng.random() < 0.3,
                detld=False,
                meter=year,
            )
            p.detld = not p.deld and rng.random() < 0.3
            if pers.pid in next_ids:
                # They wait for the next campaign: short jobs or back to jobseeking in between.
                p.motif = _weighted(rng, (("CDD_MOINS_6M", 3), ("INTERIM_MOINS_6M", 3), ("CHOMAGE", 4)))
            else:
                # Some are hired by Veolia or its subcontractors (durable jobs), others move on.
                p.motif = (
                    _exit_motif(rng, stype) if rng.random() < 0.6 else rng.choice(("CDI", "CDD_6M_PLUS"))
                )
            if new:
                # Training in three domains before the first round (technical, digital, interpersonal).
                p.hours[_month_of(entree)] = [
                    0.0,
                    0.0 if stype in ("AI", "ETTI") else -1.0,
                    35.0 if year == 2020 else 21.0,
                ]
            for m in range(year * 12 + 9, year * 12 + 13):
                worked = round(max(12.0, rng.gauss(*METER_MONTHLY)) * 2) / 2
                billed = worked if stype in ("AI", "ETTI") else -1.0
                p.hours[m] = [worked, billed, 0.0]
            w.paths.append(p)


# --------------------------------------------------------------------------------------------------
# Assembly of one copy of the collective
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PathRecord:
    pcid: str
    pid: str
    sid: str
    stype: str
    entree: date
    sortie: date | None
    motif: str
    meter: int | None
    training_at_entry: float  # monthly training hours of the entry month (the meter readers' 3 domains)


@dataclass
class Output:
    structures: list[list[str]] = field(default_factory=list)
    interventions: list[tuple] = field(default_factory=list)
    parcours: dict[str, list[tuple]] = field(default_factory=dict)
    heures: dict[str, list[tuple]] = field(default_factory=dict)
    ca: list[tuple] = field(default_factory=list)
    # What the v1.1 tables (encadrement, formations, suivis) are drawn from, recorded without any draw.
    paths: list[PathRecord] = field(default_factory=list)


def _build_copy(k: int, seed: int, territory: Territory, shapes: dict, counters: dict, out: Output) -> None:
    rng = random.Random(f"{seed}:{k}")
    suffix = "" if k == 0 else f"_{k + 1:03d}"
    w = World(rng, territory, suffix, counters["person"])
    specs = list(STRUCTURES)
    by_sid = {s.sid: s for s in specs}
    heads = {s.sid: territory.by_name[s.commune] for s in specs}

    for s in specs:
        nom = s.nom if k == 0 else f"{s.nom} (copie {k + 1})"
        out.structures.append([s.sid + suffix, nom, s.type, heads[s.sid].code, _siret(rng), _d(s.adhesion)])

    _simulate_structures(w, specs, heads)
    _hours_for_paths(w)
    _meter_campaigns(w, by_sid, heads)

    # Interventions: contract sites, meter sectors per campaign, and each structure's own activity.
    interventions: list[dict] = []

    def add_intervention(
        struct: str,
        place: Commune,
        activite: str,
        debut: date,
        fin: date | None,
        mid: str,
        lieu: str,
        geo: bool,
    ) -> dict:
        counters["intervention"] += 1
        iid = f"I{counters['intervention']:05d}"
        lat = lon = None
        if geo and place.code in shapes:
            lat, lon = _point_in(shapes[place.code], iid, seed)
        row = {
            "iid": iid,
            "sid": struct,
            "code": place.code,
            "activite": activite,
            "debut": debut,
            "fin": fin,
            "mid": mid,
            "lieu": lieu,
            "lat": lat,
            "lon": lon,
        }
        interventions.append(row)
        return row

    own: dict[str, tuple[list[dict], float]] = {}
    for s in specs:
        if s.sid in OWN_ACTIVITY:
            activite, places, share = OWN_ACTIVITY[s.sid]
            start = max(_month_start(s.start), date(2019, 1, 1))
            rows = []
            for name in places:
                place = territory.place(name, rng)
                single = len(places) == 1
                lieu = "Site de la structure" if single else f"Clients du secteur ({place.nom})"
                rows.append(add_intervention(s.sid, place, activite, start, None, "", lieu, single))
            own[s.sid] = (rows, share)

    packages: list[tuple[MarcheSpec, dict[str, list[dict]]]] = []
    for ms in MARCHES:
        sites_by_struct: dict[str, list[dict]] = {}
        for j, (activite, lieu, where) in enumerate(ms.sites):
            place = territory.place(where, rng)
            struct = ms.structures[j % len(ms.structures)]
            fin = ms.fin
            row = add_intervention(
                struct, place, activite, ms.debut, fin, ms.mid, f"{lieu} ({place.nom})", j % 2 == 0
            )
            sites_by_struct.setdefault(struct, []).append(row)
        packages.append((ms, sites_by_struct))

    meter_sites: dict[tuple[int, str], list[dict]] = {}
    for year in METER_YEARS:
        for struct, sectors in METER_SECTORS.items():
            for sector in sectors:
                place = territory.place(sector, rng)
                row = add_intervention(
                    struct,
                    place,
                    "Relevé de compteurs d'eau",
                    date(year, 10, 1),
                    date(year + 1, 1, 31),
                    f"VEOLIA_RELEVES_{year}",
                    f"Tournées de relève ({place.nom})",
                    False,
                )
                meter_sites.setdefault((year, struct), []).append(row)

    # Hours: contract packages take a share of the monthly hours of eligible people, the rest goes to
    # the structure's own activity (or stays without intervention).
    allocations: dict[tuple[int, int], list[tuple[str, float]]] = {}
    paths_by_sid: dict[str, list[Path_]] = {}
    for p in w.paths:
        if p.meter is None:
            paths_by_sid.setdefault(p.sid, []).append(p)
    remaining: dict[tuple[int, int], float] = {}
    for idx, p in enumerate(w.paths):
        p.num = idx
        for m, h in p.hours.items():
            remaining[(idx, m)] = h[0]
    ca_marche: dict[tuple[str, str, int], float] = {}
    for ms, sites in packages:
        first = max(FIRST_MONTH, _month_of(ms.debut))
        last = min(LAST_MONTH, _month_of(ms.fin) if ms.fin else LAST_MONTH)
        for m in range(first, last + 1):
            target = max(0.0, rng.gauss(*ms.monthly))
            eligible = [
                p
                for sid in ms.structures
                for p in paths_by_sid.get(sid, [])
                if remaining.get((p.num, m), 0) >= 10
            ]
            rng.shuffle(eligible)
            for p in eligible:
                if target < 1:
                    break
                chunk = min(remaining[(p.num, m)], target, round(rng.uniform(14, 70)))
                site_rows = sites.get(p.sid) or [r for rows in sites.values() for r in rows]
                site = rng.choice(site_rows)
                allocations.setdefault((p.num, m), []).append((site["iid"], chunk))
                remaining[(p.num, m)] -= chunk
                target -= chunk
                key = (p.sid, ms.mid, m // 12)
                ca_marche[key] = ca_marche.get(key, 0.0) + chunk * ms.rate

    # Heures rows.
    for p in w.paths:
        sid = p.sid + suffix
        rows = out.heures.setdefault(sid, [])
        for m in sorted(p.hours):
            worked, billed, train = p.hours[m]
            billed_v = None if billed < 0 else billed
            parts: list[tuple[str, float]] = []
            if p.meter is not None:
                if worked > 0:
                    sectors = rng.sample(meter_sites[(p.meter, p.sid)], 2)
                    if rng.random() < 0.6:
                        parts = [(sectors[0]["iid"], worked)]
                    else:
                        a = round(worked * rng.uniform(0.3, 0.7) * 2) / 2
                        parts = [(sectors[0]["iid"], a), (sectors[1]["iid"], round(worked - a, 2))]
                else:
                    parts = [("", 0.0)]
                key = (p.sid, f"VEOLIA_RELEVES_{p.meter}", m // 12)
                ca_marche[key] = ca_marche.get(key, 0.0) + worked * METER_RATE
            else:
                parts = list(allocations.get((p.num, m), []))
                rest = round(worked - sum(h for _, h in parts), 2)
                if rest > 0 or not parts:
                    iid = ""
                    if p.sid in own and rng.random() < own[p.sid][1]:
                        iid = rng.choice(own[p.sid][0])["iid"]
                    parts.append((iid, max(rest, 0.0)))
            total = sum(h for _, h in parts)
            for j, (iid, h) in enumerate(parts):
                share = h / total if total else (1.0 if j == 0 else 0.0)
                b = None if billed_v is None else round(billed_v * share, 2)
                t = round(train, 2) if j == 0 else 0.0
                iid_out = iid + suffix if iid else ""
                rows.append((m, sid, p.person.pid, iid_out, round(h, 2), b, t if t > 0 else None))

    # Parcours rows.
    for p in w.paths:
        sid = p.sid + suffix
        counters["parcours"] += 1
        pers = p.person
        out.paths.append(
            PathRecord(
                f"PC{counters['parcours']:06d}",
                pers.pid,
                sid,
                p.stype,
                p.entree,
                p.sortie,
                p.motif if p.sortie else "",
                p.meter,
                p.hours.get(_month_of(p.entree), [0.0, 0.0, 0.0])[2],
            )
        )
        out.parcours.setdefault(sid, []).append(
            (
                f"PC{counters['parcours']:06d}",
                pers.pid,
                sid,
                _d(p.entree),
                _d(p.sortie),
                p.motif if p.sortie else "",
                p.contrat,
                pers.residence.code,
                pers.sexe,
                str(pers.annee_naissance),
                pers.niveau,
                _bool(p.rsa),
                _bool(p.deld),
                _bool(p.detld),
                _bool(pers.rqth),
                _bool(pers.qpv),
            )
        )

    for row in interventions:
        out.interventions.append(
            (
                row["iid"] + suffix,
                row["sid"] + suffix,
                row["code"],
                row["activite"],
                _d(row["debut"]),
                row["mid"],
                row["lieu"],
                _num_coord(row["lat"]) if row["lat"] is not None else "",
                _num_coord(row["lon"]) if row["lon"] is not None else "",
                _d(row["fin"]),
            )
        )

    # Revenue: contract revenue by structure, contract and year; the rest of the activity priced per hour.
    own_ca: dict[tuple[str, int], float] = {}
    for p in w.paths:
        for m, (worked, _b, _t) in p.hours.items():
            if p.meter is None and p.stype in OWN_RATE:
                alloc = sum(h for _, h in allocations.get((p.num, m), []))
                key = (p.sid, m // 12)
                own_ca[key] = own_ca.get(key, 0.0) + max(0.0, worked - alloc) * OWN_RATE[p.stype]
    for (sid, year), v in sorted(own_ca.items()):
        # Subsidies are not revenue; a flat yearly part (sales of goods, services billed) completes the hours.
        out.ca.append((year, sid + suffix, round(v * rng.uniform(0.95, 1.05), -1), ""))
    for (sid, mid, year), v in sorted(ca_marche.items()):
        out.ca.append((year, sid + suffix, round(v, -1), mid))


def _num_coord(x: float) -> str:
    return f"{x:.5f}".replace(".", ",")


# --------------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------------


def _write_csv(path: Path, header: list[str], rows) -> None:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(buf.getvalue().encode("utf-8-sig"))


def _prepare(out_dir: Path) -> None:
    """Refuse to write over a folder that holds other data; clear the tables of a previous demo."""
    out_dir.mkdir(parents=True, exist_ok=True)
    csvs = sorted(out_dir.glob("*.csv"))
    readme = out_dir / README_NAME
    if csvs and not (readme.exists() and README_MARK in readme.read_text(encoding="utf-8")):
        raise FileExistsError(
            f"{out_dir} contient déjà des fichiers CSV qui ne sont pas des données de démonstration : "
            "choisissez un dossier vide."
        )
    for f in csvs:
        if f.stem.split("_")[0] in {
            "structures",
            "marches",
            "interventions",
            "parcours",
            "heures",
            "jalons",
            *EXTRA_TABLES,
        } or f.stem.startswith("chiffre_affaires"):
            f.unlink()


def generate(out_dir: Path, seed: int = 2026, scale: int = 1) -> None:
    """Write the demo data folder: the same seed and scale always give the same bytes."""
    if scale < 1:
        raise ValueError("scale doit être un entier ≥ 1")
    out_dir = Path(out_dir)
    territory = Territory(read_communes())
    shapes = _load_shapes({c.code for c in territory.places})
    counters = {"person": [0], "parcours": 0, "intervention": 0}
    out = Output()
    for k in range(scale):
        _build_copy(k, seed, territory, shapes, counters, out)

    _prepare(out_dir)
    _write_csv(out_dir / "structures.csv", COLUMNS["structures"], sorted(out.structures))
    _write_csv(
        out_dir / "marches.csv",
        COLUMNS["marches"],
        sorted(
            [
                [
                    ms.mid,
                    ms.intitule,
                    ms.donneur_ordre,
                    ms.secteur,
                    ms.dispositif,
                    _d(ms.debut),
                    _d(ms.fin),
                    "" if ms.heures_prevues is None else str(ms.heures_prevues),
                    "" if ms.montant_ht is None else f"{ms.montant_ht:.2f}".replace(".", ","),
                ]
                for ms in MARCHES
            ]
            + [
                [
                    f"VEOLIA_RELEVES_{y}",
                    f"Campagne de relevés de compteurs d'eau {y}-{y + 1} (École des compteurs)",
                    "Veolia Eau",
                    "prive",
                    "hors_commande_publique",
                    _d(date(y, 10, 1)),
                    _d(date(y + 1, 1, 31)),
                    "",
                    "",
                ]
                for y in METER_YEARS
            ]
        ),
    )
    _write_csv(out_dir / "interventions.csv", COLUMNS["interventions"], sorted(out.interventions))
    for sid, rows in sorted(out.parcours.items()):
        _write_csv(out_dir / f"parcours_{sid.lower()}.csv", COLUMNS["parcours"], sorted(rows))
    for sid, rows in sorted(out.heures.items()):
        if not rows:
            continue
        rows.sort(key=lambda r: (r[0], r[1], r[2], r[3]))
        _write_csv(
            out_dir / f"heures_{sid.lower()}.csv",
            COLUMNS["heures"],
            ([_mois(m), s, pid, _num(h), iid, _num(b), _num(t)] for m, s, pid, iid, h, b, t in rows),
        )
    _write_csv(
        out_dir / "chiffre_affaires.csv",
        COLUMNS["chiffre_affaires"],
        ([str(y), sid, _montant(v), mid] for y, sid, v, mid in sorted(out.ca)),
    )
    _write_csv(out_dir / "jalons.csv", COLUMNS["jalons"], ([_d(d), t, desc] for d, t, desc in JALONS))
    _write_accompagnement(out_dir, seed, out)
    (out_dir / README_NAME).write_text(_readme(seed, scale), encoding="utf-8")


# --------------------------------------------------------------------------------------------------
# Contract v1.1 tables: supervision, trainings, follow-up after the exit. Drawn after everything else from
# streams of their own, so that adding them moved no figure of the other tables.
# --------------------------------------------------------------------------------------------------

EXTRA_TABLES = ("encadrement", "formations", "suivis")
EXTRA_COLUMNS = {
    "encadrement": [
        "annee",
        "structure_id",
        "etp_encadrement_technique",
        "etp_accompagnement_socioprofessionnel",
        "etp_insertion_conventionnes",
    ],
    "formations": [
        "parcours_id",
        "date_debut",
        "intitule",
        "heures",
        "date_fin",
        "certifiante",
        "organisme",
        "domaine",
    ],
    "suivis": ["parcours_id", "date_suivi", "situation", "source", "employeur_partenaire"],
}
# ETP in insertion per technical supervisor (none in AI/ETTI: people work at the clients'), and per
# social counsellor (conseiller en accompagnement socioprofessionnel).
SUPERVISION = {
    "ACI": (6.2, 14.0),
    "EI": (8.5, 20.0),
    "AI": (None, 18.0),
    "ETTI": (None, 22.0),
    "EITI": (None, 12.0),
}
BASE_ETP = {"ACI": 1820.0, "AI": 1607.0, "EI": 1505.0, "ETTI": 1600.0}
ENCADREMENT_YEARS = range(2019, 2026)  # complete years only: 2026 stops at September
# The meter readers' training before their first round, in three domains (seed: technique, numérique,
# savoir-être); 35 h in 2020, 21 h from 2021 (same totals as the monthly training hours of the heures table).
METER_TRAINING = {
    35.0: (
        ("Relève des compteurs d'eau : réseau, compteurs et sécurité", 14, "technique"),
        ("Terminal de relève et application mobile", 14, "numerique"),
        ("Relation avec les abonnés et travail en équipe", 7, "savoir_etre"),
    ),
    21.0: (
        ("Relève des compteurs d'eau : réseau, compteurs et sécurité", 7, "technique"),
        ("Terminal de relève et application mobile", 7, "numerique"),
        ("Relation avec les abonnés et travail en équipe", 7, "savoir_etre"),
    ),
}
# Other trainings of people in path in a workshop or a company (intitulé, hours, certifying, domain, organisme).
OTHER_TRAININGS = (
    ("Sauveteur secouriste du travail (SST)", 14, True, "securite", "Organisme de prévention des Mauges"),
    ("CACES R489 chariots élévateurs", 35, True, "technique", "Centre de formation logistique de Cholet"),
    ("Savoirs numériques de base", 20, False, "numerique", "Centre social Èvre et Moine"),
    ("Prise de poste et communication", 12, False, "savoir_etre", "Formateur du collectif"),
    ("Habilitation électrique B0-H0", 10, True, "securite", "Organisme de prévention des Mauges"),
    ("Certificat CléA (socle de compétences)", 70, True, "autre", "GRETA Anjou"),
)
CANALISATEUR = ("Titre professionnel Canalisateur", 420, "Centre de formation des travaux publics d'Anjou")
EMPLOYMENT = ("CDI", "CDD_6M_PLUS", "CDD_MOINS_6M", "INTERIM_MOINS_6M", "INTERIM_6M_PLUS", "CONTRAT_AIDE")
# Situation at about 6 months, by the ASP category of the exit: (employed, training, other) weights.
FOLLOW_UP = {
    "emploi_durable": (0.85, 0.03, 0.12),
    "emploi_transition": (0.55, 0.1, 0.35),
    "sortie_positive": (0.4, 0.4, 0.2),
    "autre_sortie": (0.22, 0.13, 0.65),
}


def _write_accompagnement(out_dir: Path, seed: int, out: Output) -> None:
    motifs = _motif_categories()
    types = {row[0]: row[2] for row in out.structures}

    # Encadrement: supervisors sized from the ETP of each IAE structure's year.
    rng = random.Random(f"{seed}:encadrement")
    hours: dict[tuple[int, str], float] = {}
    for sid, rows in out.heures.items():
        for m, _s, _pid, _iid, h, _b, _t in rows:
            hours[(m // 12, sid)] = hours.get((m // 12, sid), 0.0) + h
    enc = []
    for (year, sid), h in sorted(hours.items()):
        stype = types.get(sid)
        if year not in ENCADREMENT_YEARS or stype not in SUPERVISION:
            continue
        etp = h / BASE_ETP.get(stype, 1607.0)
        tech, asp = SUPERVISION[stype]
        etp_tech = 0.0 if tech is None else max(0.5, round(etp / (tech * rng.uniform(0.9, 1.1)) * 4) / 4)
        etp_asp = max(0.25, round(etp / (asp * rng.uniform(0.9, 1.1)) * 4) / 4)
        conv = round(etp * rng.uniform(0.98, 1.1), 1)
        enc.append((year, sid, etp_tech, etp_asp, conv))
    _write_csv(
        out_dir / "encadrement.csv",
        EXTRA_COLUMNS["encadrement"],
        ([str(y), sid, _num(t), _num(a), _num(c)] for y, sid, t, a, c in enc),
    )

    # Formations: the meter readers' three domains, a few Titres professionnels Canalisateur for the
    # water-site works, and common trainings for about one person in four in a workshop or a company.
    rng = random.Random(f"{seed}:formations")
    forms = []
    for p in out.paths:
        if p.meter is not None and p.training_at_entry in METER_TRAINING:
            for intitule, h, domaine in METER_TRAINING[p.training_at_entry]:
                forms.append(
                    (
                        p.pcid,
                        p.entree,
                        intitule,
                        h,
                        p.entree,
                        False,
                        "Veolia Eau (École des compteurs)",
                        domaine,
                    )
                )
            continue
        if p.stype not in ("ACI", "EI", "AI", "ETTI", "GEIQ") or p.entree.year < 2019:
            continue
        start = p.entree + timedelta(days=rng.randint(20, 90))
        end_limit = min(p.sortie or LAST_DAY, LAST_DAY)
        if start >= end_limit:
            continue
        if p.stype in ("ACI", "EI") and start.year >= 2021 and rng.random() < 0.05:
            intitule, h, org = CANALISATEUR
            fin = min(start + timedelta(days=112), end_limit)
            forms.append((p.pcid, start, intitule, h, fin, True, org, "technique"))
        elif rng.random() < 0.25:
            intitule, h, cert, domaine, org = rng.choice(OTHER_TRAININGS)
            fin = start + timedelta(days=max(0, h // 7 - 1))
            forms.append((p.pcid, start, intitule, h, fin, cert, org, domaine))
    _write_csv(
        out_dir / "formations.csv",
        EXTRA_COLUMNS["formations"],
        (
            [pc, _d(d0), t, str(h), _d(d1), _bool(c), org, dom]
            for pc, d0, t, h, d1, c, org, dom in sorted(forms, key=lambda r: (r[0], r[1], r[2]))
        ),
    )

    # Suivis: about half the exits of IAE structures and EA get a call around 6 months (some earlier or
    # later, outside the 5-8 months window); meter readers who found a job are often hired by Veolia.
    rng = random.Random(f"{seed}:suivis")
    rows = []
    for p in out.paths:
        cat = motifs.get(p.motif)
        if (
            p.sortie is None
            or cat not in FOLLOW_UP
            or p.stype not in ("ACI", "AI", "EI", "ETTI", "EITI", "EA")
        ):
            continue
        if rng.random() >= 0.55:
            continue
        months = rng.choice((3.0, rng.uniform(5.3, 7.7), rng.uniform(5.3, 7.7), rng.uniform(5.3, 7.7), 12.0))
        when = p.sortie + timedelta(days=round(months * 30.44))
        if when > LAST_DAY:
            continue
        state = rng.choices(("emploi", "formation", "autre"), weights=FOLLOW_UP[cat])[0]
        if state == "emploi":
            situation = p.motif if p.motif in EMPLOYMENT and rng.random() < 0.7 else rng.choice(EMPLOYMENT)
            partner = p.meter is not None and rng.random() < 0.6
        elif state == "formation":
            situation, partner = "FORMATION_QUALIFIANTE", False
        else:
            situation, partner = rng.choice(("CHOMAGE", "CHOMAGE", "INACTIVITE", "SANS_NOUVELLES")), False
        source = "verification" if rng.random() < 0.3 else "declaration"
        rows.append((p.pcid, when, situation, source, partner))
    _write_csv(
        out_dir / "suivis.csv",
        EXTRA_COLUMNS["suivis"],
        ([pc, _d(d), sit, src, _bool(part)] for pc, d, sit, src, part in sorted(rows)),
    )


@cache
def _motif_categories() -> dict[str, str]:
    with (REFERENCE_DIR / "motifs_sortie.csv").open(encoding="utf-8-sig") as fh:
        return {r["code"]: r["categorie"] for r in csv.DictReader(fh, delimiter=";")}


def _readme(seed: int, scale: int) -> str:
    cmd = f"python -m impact demo data/demo --seed {seed}" + (f" --scale {scale}" if scale != 1 else "")
    return (
        f"Ces fichiers sont des {README_MARK} : aucune personne, aucun chiffre réel.\n"
        "Seuls les noms d'Alise, de Veolia et des collectivités viennent du récit du Collectif des Mauges pour\n"
        "l'Emploi ; les autres structures, les personnes (identifiants pseudonymes), les heures, les sorties et\n"
        "les montants sont inventés, avec des ordres de grandeur plausibles.\n"
        "\n"
        f"Ils sont produits par la commande : {cmd}\n"
        "La même graine donne toujours exactement les mêmes fichiers.\n"
        "Format : point-virgule, UTF-8 avec BOM, virgule décimale, dates jj/mm/aaaa, mois mm/aaaa (style Excel).\n"
        "Données au 30/09/2026.\n"
    )
