"""The data contract (v1.1): tables, columns, types and allowed values — the one source of truth."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

# Column kinds understood by the loader (impact.load parses each of them).
TEXT, ID, INSEE, INT, DECIMAL, DATE, MONTH, BOOL, ENUM, SIRET = (
    "texte",
    "identifiant",
    "code INSEE",
    "entier",
    "nombre",
    "date",
    "mois",
    "booléen",
    "code",
    "SIRET",
)

STRUCTURE_TYPES: dict[str, tuple[str, str]] = {
    # type: (libellé, famille)
    "ACI": ("Atelier et chantier d'insertion", "IAE"),
    "AI": ("Association intermédiaire", "IAE"),
    "EI": ("Entreprise d'insertion", "IAE"),
    "ETTI": ("Entreprise de travail temporaire d'insertion", "IAE"),
    "EITI": ("Entreprise d'insertion par le travail indépendant", "IAE"),
    "GEIQ": ("Groupement d'employeurs pour l'insertion et la qualification", "Accompagnement"),
    "EA": ("Entreprise adaptée", "Handicap"),
    "ESAT": ("Établissement et service d'accompagnement par le travail", "Handicap"),
    "CS": ("Centre social", "Accompagnement"),
    "ML": ("Mission locale", "Accompagnement"),
    "AUTRE": ("Autre structure", "Accompagnement"),
}
FAMILIES = ("IAE", "Handicap", "Accompagnement")

SECTEURS = {"public": "Public", "prive": "Privé"}
DISPOSITIFS = {
    "clause_execution": "Clause sociale d'exécution (L2112-2)",
    "marche_reserve_siae": "Marché réservé aux SIAE (L2113-13)",
    "marche_reserve_ea_esat": "Marché réservé aux EA/ESAT (L2113-12)",
    "critere_attribution": "Critère social d'attribution (R2152-7)",
    "hors_commande_publique": "Partenariat hors commande publique",
}
SEXES = {"F": "Femme", "H": "Homme"}
EXIT_CATEGORIES = ("emploi_durable", "emploi_transition", "sortie_positive", "autre_sortie", "retrait")
DYNAMIC_CATEGORIES = ("emploi_durable", "emploi_transition", "sortie_positive")
# "In employment" in the follow-up after an exit (6-month follow-up, hires by a partner): a job, lasting or not.
EMPLOYMENT_CATEGORIES = ("emploi_durable", "emploi_transition")
MAX_MONTHLY_HOURS = 744  # 31 days x 24 h: anything above is impossible in a month
CONTRACT_VERSION = "1.1"  # 1.1 adds the optional tables encadrement, formations, suivis
FORMATION_DOMAINES = {
    "technique": "Technique",
    "numerique": "Numérique",
    "savoir_etre": "Savoir-être",
    "securite": "Sécurité",
    "autre": "Autre",
}
SUIVI_SOURCES = {
    "declaration": "Déclaration de la personne",
    "verification": "Vérification (employeur, contrat)",
}
# Columns whose allowed values are the exit-reason codes (or labels) of data/reference/motifs_sortie.csv.
EXIT_REASON_COLUMNS = ("motif_sortie", "situation")


@dataclass(frozen=True)
class Column:
    name: str
    kind: str
    required: bool = True
    allowed: tuple[str, ...] = ()
    min: float | None = None
    max: float | None = None
    doc: str = ""


@dataclass(frozen=True)
class Table:
    name: str
    mandatory: bool
    columns: tuple[Column, ...]
    key: str | None = None
    doc: str = ""
    person_data: bool = False
    references: dict[str, str] = field(default_factory=dict)  # column -> referenced table
    unique: tuple[str, ...] = ()  # columns that together may not repeat (besides key)

    @cached_property
    def _by_name(self) -> dict[str, Column]:
        return {c.name: c for c in self.columns}

    def column(self, name: str) -> Column | None:
        return self._by_name.get(name)


C = Column
TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "structures",
            True,
            (
                C("structure_id", ID, doc="Identifiant unique de la structure"),
                C("nom", TEXT, doc="Nom de la structure"),
                C("type", ENUM, allowed=tuple(STRUCTURE_TYPES), doc="Type de structure"),
                C("commune_insee", INSEE, doc="Code INSEE de la commune du siège"),
                C("siret", SIRET, required=False, doc="SIRET (14 chiffres)"),
                C("date_adhesion", DATE, required=False, doc="Date d'adhésion au collectif"),
            ),
            key="structure_id",
            doc="Les structures membres du collectif.",
        ),
        Table(
            "marches",
            False,
            (
                C("marche_id", ID, doc="Identifiant unique du marché ou partenariat"),
                C("intitule", TEXT, doc="Intitulé"),
                C("donneur_ordre", TEXT, doc="Acheteur ou entreprise partenaire"),
                C("secteur", ENUM, allowed=tuple(SECTEURS), doc="public ou prive"),
                C("dispositif", ENUM, allowed=tuple(DISPOSITIFS), doc="Dispositif juridique"),
                C("date_debut", DATE, doc="Début"),
                C("date_fin", DATE, required=False, doc="Fin"),
                C(
                    "heures_insertion_prevues",
                    DECIMAL,
                    required=False,
                    min=0,
                    doc="Heures d'insertion prévues",
                ),
                C("montant_ht", DECIMAL, required=False, min=0, doc="Montant HT en euros"),
            ),
            key="marche_id",
            doc="Marchés publics clausés ou réservés et partenariats privés.",
        ),
        Table(
            "interventions",
            False,
            (
                C("intervention_id", ID, doc="Identifiant unique de l'intervention"),
                C("structure_id", ID, doc="Structure qui intervient"),
                C("commune_insee", INSEE, doc="Code INSEE de la commune d'intervention"),
                C("activite", TEXT, doc="Activité (espaces verts, relève de compteurs…)"),
                C("date_debut", DATE, doc="Début"),
                C("marche_id", ID, required=False, doc="Marché ou partenariat concerné"),
                C("lieu", TEXT, required=False, doc="Lieu (texte libre, sans adresse de personne)"),
                C("latitude", DECIMAL, required=False, min=-90, max=90, doc="Latitude (WGS 84)"),
                C("longitude", DECIMAL, required=False, min=-180, max=180, doc="Longitude (WGS 84)"),
                C("date_fin", DATE, required=False, doc="Fin"),
            ),
            key="intervention_id",
            doc="Les chantiers et prestations, localisés par commune (et point GPS facultatif).",
            references={"structure_id": "structures", "marche_id": "marches"},
        ),
        Table(
            "parcours",
            True,
            (
                C("parcours_id", ID, doc="Identifiant unique du parcours"),
                C("personne_id", ID, doc="Identifiant pseudonyme de la personne"),
                C("structure_id", ID, doc="Structure"),
                C("date_entree", DATE, doc="Date d'entrée"),
                C("date_sortie", DATE, required=False, doc="Date de sortie (vide si en cours)"),
                C("motif_sortie", ENUM, required=False, doc="Motif de sortie (code ou libellé)"),
                C("contrat", TEXT, required=False, doc="Type de contrat (CDDI, mise à disposition…)"),
                C("commune_residence_insee", INSEE, required=False, doc="Commune de résidence"),
                C("sexe", ENUM, required=False, allowed=tuple(SEXES), doc="F ou H"),
                C("annee_naissance", INT, required=False, min=1900, max=2100, doc="Année de naissance"),
                C(
                    "niveau_formation",
                    TEXT,
                    required=False,
                    doc="Niveau de formation : infra_cap, cap_bep, bac ou bac_plus (infra_cap et cap_bep : faible "
                    "qualification)",
                ),
                C("rsa", BOOL, required=False, doc="Bénéficiaire du RSA"),
                C("deld", BOOL, required=False, doc="Demandeur d'emploi de longue durée (12 à 23 mois)"),
                C(
                    "detld",
                    BOOL,
                    required=False,
                    doc="Demandeur d'emploi de très longue durée (24 mois et +)",
                ),
                C("rqth", BOOL, required=False, doc="Reconnaissance de la qualité de travailleur handicapé"),
                C("qpv", BOOL, required=False, doc="Résident d'un quartier prioritaire"),
            ),
            key="parcours_id",
            doc="Un parcours = une personne dans une structure, de l'entrée à la sortie.",
            person_data=True,
            references={"structure_id": "structures"},
        ),
        Table(
            "heures",
            True,
            (
                C("mois", MONTH, doc="Mois (aaaa-mm ou mm/aaaa)"),
                C("structure_id", ID, doc="Structure"),
                C("personne_id", ID, doc="Identifiant pseudonyme de la personne"),
                C("heures_travaillees", DECIMAL, min=0, max=MAX_MONTHLY_HOURS, doc="Heures travaillées"),
                C("intervention_id", ID, required=False, doc="Intervention concernée"),
                C("heures_facturees", DECIMAL, required=False, min=0, doc="Heures facturées (AI, ETTI)"),
                C(
                    "heures_formation",
                    DECIMAL,
                    required=False,
                    min=0,
                    max=MAX_MONTHLY_HOURS,
                    doc="Heures de formation",
                ),
            ),
            doc="Heures mensuelles par personne et structure.",
            person_data=True,
            references={"structure_id": "structures", "intervention_id": "interventions"},
        ),
        Table(
            "chiffre_affaires",
            False,
            (
                C("annee", INT, min=1990, max=2100, doc="Année"),
                C("structure_id", ID, doc="Structure"),
                C("montant_ht", DECIMAL, doc="Chiffre d'affaires HT en euros"),
                C("marche_id", ID, required=False, doc="Marché ou partenariat concerné"),
            ),
            doc="Chiffre d'affaires par structure et année (et marché facultatif).",
            references={"structure_id": "structures", "marche_id": "marches"},
        ),
        Table(
            "jalons",
            False,
            (
                C("date", DATE, doc="Date"),
                C("titre", TEXT, doc="Titre"),
                C("description", TEXT, required=False, doc="Description"),
            ),
            doc="Les étapes de l'histoire du collectif, montrées sur une frise.",
        ),
        Table(
            "encadrement",
            False,
            (
                C("annee", INT, min=1990, max=2100, doc="Année"),
                C("structure_id", ID, doc="Structure"),
                C(
                    "etp_encadrement_technique",
                    DECIMAL,
                    min=0,
                    doc="ETP d'encadrants techniques (moyenne de l'année)",
                ),
                C(
                    "etp_accompagnement_socioprofessionnel",
                    DECIMAL,
                    min=0,
                    doc="ETP de conseillers en accompagnement socioprofessionnel (moyenne de l'année)",
                ),
                C(
                    "etp_insertion_conventionnes",
                    DECIMAL,
                    required=False,
                    min=0,
                    doc="ETP en insertion conventionnés par l'État pour l'année (annexe financière)",
                ),
            ),
            doc="Les permanents qui encadrent et accompagnent les salariés en insertion, par structure et année.",
            references={"structure_id": "structures"},
            unique=("annee", "structure_id"),
        ),
        Table(
            "formations",
            False,
            (
                C("parcours_id", ID, doc="Parcours de la personne formée"),
                C("date_debut", DATE, doc="Début de la formation"),
                C("intitule", TEXT, doc="Intitulé (Titre professionnel Canalisateur, relève numérique…)"),
                C("heures", DECIMAL, min=0, max=3000, doc="Durée de la formation en heures"),
                C("date_fin", DATE, required=False, doc="Fin de la formation"),
                C(
                    "certifiante",
                    BOOL,
                    required=False,
                    doc="Formation certifiante (titre, CQP, habilitation)",
                ),
                C("organisme", TEXT, required=False, doc="Organisme de formation"),
                C(
                    "domaine",
                    ENUM,
                    required=False,
                    allowed=tuple(FORMATION_DOMAINES),
                    doc="Domaine de la formation",
                ),
            ),
            doc="Les formations suivies par les personnes en parcours (une ligne par formation).",
            person_data=True,
            references={"parcours_id": "parcours"},
        ),
        Table(
            "suivis",
            False,
            (
                C("parcours_id", ID, doc="Parcours terminé dont on suit la personne"),
                C("date_suivi", DATE, doc="Date à laquelle la situation a été constatée"),
                C("situation", ENUM, doc="Situation à cette date (code ou libellé des motifs de sortie)"),
                C(
                    "source",
                    ENUM,
                    required=False,
                    allowed=tuple(SUIVI_SOURCES),
                    doc="Origine de l'information",
                ),
                C(
                    "employeur_partenaire",
                    BOOL,
                    required=False,
                    doc="Embauche par un partenaire du collectif (Veolia…)",
                ),
            ),
            doc="Le suivi des personnes après leur sortie, tenu par le collectif (distinct des sorties déclarées "
            "à l'ASP).",
            person_data=True,
            references={"parcours_id": "parcours"},
            unique=("parcours_id", "date_suivi"),
        ),
    )
}

# Columns that identify a person directly: refused everywhere (GDPR: pseudonymous ids are enough).
IDENTIFYING_COLUMNS = {
    "prenom": "le prénom",
    "nir": "le numéro de sécurité sociale (NIR)",
    "numero_securite_sociale": "le numéro de sécurité sociale (NIR)",
    "num_secu": "le numéro de sécurité sociale (NIR)",
    "email": "l'adresse électronique",
    "e_mail": "l'adresse électronique",
    "mail": "l'adresse électronique",
    "courriel": "l'adresse électronique",
    "telephone": "le numéro de téléphone",
    "tel": "le numéro de téléphone",
    "portable": "le numéro de téléphone",
    "date_naissance": "la date de naissance complète",
    "date_de_naissance": "la date de naissance complète",
    "naissance": "la date de naissance complète",
    "nom_naissance": "le nom",
    "nom_usage": "le nom",
    "nom_famille": "le nom",
}
# Refused only in tables about people (a structure has a name and an address).
IDENTIFYING_IN_PERSON_TABLES = {"nom": "le nom", "adresse": "l'adresse", "adresse_postale": "l'adresse"}


def table_for_file(stem: str) -> str | None:
    """Table a CSV file belongs to: `<table>.csv` or `<table>_<anything>.csv` (longest name wins)."""
    s = stem.lower()
    for name in sorted(TABLES, key=len, reverse=True):
        if s == name or s.startswith(name + "_"):
            return name
    return None


# An example value per column, shown in the collection workbook's header comments (impact/collecte.py).
EXAMPLES: dict[str, dict[str, str]] = {
    "structures": {
        "structure_id": "ALISE",
        "nom": "Alise",
        "type": "ACI",
        "commune_insee": "49023",
        "siret": "12345678901234",
        "date_adhesion": "01/09/2017",
    },
    "marches": {
        "marche_id": "M2022-01",
        "intitule": "Entretien des espaces naturels",
        "donneur_ordre": "Mauges Communauté",
        "secteur": "public",
        "dispositif": "clause_execution",
        "date_debut": "01/01/2022",
        "date_fin": "31/12/2025",
        "heures_insertion_prevues": "1 500",
        "montant_ht": "250 000,00",
    },
    "interventions": {
        "intervention_id": "ALISE-2024-03",
        "structure_id": "ALISE",
        "commune_insee": "49162",
        "activite": "Espaces verts",
        "date_debut": "04/03/2024",
        "marche_id": "M2022-01",
        "lieu": "Étang d'Andrezé",
        "latitude": "47,1702",
        "longitude": "-0,9531",
        "date_fin": "29/03/2024",
    },
    "encadrement": {
        "annee": "2025",
        "structure_id": "ALISE",
        "etp_encadrement_technique": "2,5",
        "etp_accompagnement_socioprofessionnel": "1,0",
        "etp_insertion_conventionnes": "15,5",
    },
    "formations": {
        "parcours_id": "ALISE-P0042",
        "date_debut": "05/10/2020",
        "intitule": "Relève des compteurs d'eau",
        "heures": "35",
        "date_fin": "16/10/2020",
        "certifiante": "non",
        "organisme": "Veolia — École des compteurs",
        "domaine": "technique",
    },
    "suivis": {
        "parcours_id": "ALISE-P0042",
        "date_suivi": "15/01/2025",
        "situation": "CDI",
        "source": "declaration",
        "employeur_partenaire": "oui",
    },
    "parcours": {
        "parcours_id": "ALISE-P0042",
        "personne_id": "p3f9a0c1d2e4b5a69781",
        "structure_id": "ALISE",
        "date_entree": "15/01/2024",
        "date_sortie": "14/07/2024",
        "motif_sortie": "CDI",
        "contrat": "CDDI",
        "commune_residence_insee": "49092",
        "sexe": "F",
        "annee_naissance": "1990",
        "niveau_formation": "CAP",
        "rsa": "oui",
        "deld": "non",
        "detld": "non",
        "rqth": "non",
        "qpv": "non",
    },
    "heures": {
        "mois": "03/2024",
        "structure_id": "ALISE",
        "personne_id": "p3f9a0c1d2e4b5a69781",
        "heures_travaillees": "151,67",
        "intervention_id": "ALISE-2024-03",
        "heures_facturees": "140",
        "heures_formation": "7",
    },
    "chiffre_affaires": {
        "annee": "2024",
        "structure_id": "ALISE",
        "montant_ht": "100 000,50",
        "marche_id": "M2022-01",
    },
    "jalons": {
        "date": "01/04/2020",
        "titre": "Naissance de l'École des compteurs",
        "description": "Partenariat avec Veolia",
    },
}
