"""Tiny hand-made data folders whose figures are computed by hand in the tests (see test_queries.py)."""

from __future__ import annotations

from pathlib import Path

NB = "\u00a0"


def write(folder: Path, name: str, text: str, encoding: str = "utf-8-sig") -> Path:
    path = folder / name
    path.write_bytes(text.replace("\n", "\r\n").encode(encoding))
    return path


def mini_folder(folder: Path) -> Path:
    """Five structures, nine people, 2023–2025: every French CSV quirk of the contract appears once."""
    folder.mkdir(parents=True, exist_ok=True)
    # Windows-1252 with € ’ œ (latin-1 lacks them), ';', ISO and French dates, a code stored as a number.
    write(
        folder,
        "structures.csv",
        "Structure_ID;Nom;Type;Commune INSEE;SIRET;Date d'adhésion\n"
        "S1;Les Jardins d’Œuvre;ACI;49023;12345678901234;01/09/2017\n"
        "S2;Cœur de Mauges € Services;ai;49092.0;;2018-03-15\n"
        "S3;Mauges Intérim Insertion;ETTI;49301;;\n"
        "S4;Atelier Adapté du Layon;EA;49244;;\n"
        "S5;Coopérative des Indépendants;EITI;49218;;\n",
        encoding="cp1252",
    )
    write(
        folder,
        "marches.csv",
        "marche_id;intitule;donneur_ordre;secteur;dispositif;date_debut;date_fin;heures_insertion_prevues;montant_ht\n"
        "M1;Entretien des espaces naturels;Mauges Communauté;public;clause_execution;01/01/2022;31/12/2025;"
        f"1{NB}500;250{NB}000,00\n"
        "M2;Relève des compteurs;Veolia Eau;prive;hors_commande_publique;01/10/2020;;;\n",
    )
    write(
        folder,
        "interventions.csv",
        "intervention_id;structure_id;commune_insee;activite;date_debut;marche_id;lieu\n"
        "I1;S1;49006;Espaces verts;01/01/2024;M1;Étang d'Andrezé\n"
        "I2;S2;49099;Relève de compteurs;01/01/2024;M2;\n"
        "I3;S3;49092;Nettoyage de locaux;01/06/2023;;\n",
    )
    write(
        folder,
        "parcours.csv",
        "parcours_id;personne_id;structure_id;date_entree;date_sortie;motif_sortie;contrat;"
        "commune_residence_insee;sexe;annee_naissance;rsa;deld;detld;rqth;qpv\n"
        "P1;A;S1;15/01/2024;14/04/2024;CDI;CDDI;49006;F;1990;oui;non;non;non;non\n"
        "P2;B;S1;30/11/2023;29/02/2024;Au chômage;CDDI;49092;H;1960;non;oui;non;non;non\n"
        "P3;C;S2;01/01/2024;30/06/2024;CDD_MOINS_6M;MAD;49023;F;2001;non;non;oui;non;oui\n"
        "P4;D;S2;01/02/2024;31/05/2024;cdi;MAD;49301;H;1985;o;n;n;n;n\n"
        "P5;E;S3;01/06/2023;31/03/2024;FORMATION_QUALIFIANTE;mission;49023.0;H;1999;0;1;0;0;0\n"
        "P6;F;S5;01/01/2024;31/01/2024;CREATION_ENTREPRISE;;49218;F;1970;faux;vrai;faux;faux;faux\n"
        "P7;G;S1;01/01/2023;30/06/2024;DECES;CDDI;49069;H;1958;;;;;\n"
        "P8;H;S4;01/09/2022;31/05/2024;CDI;CDI;49244;F;1980;non;non;non;oui;non\n"
        "P9;A;S3;01/05/2024;;;mission;49006;F;1990;oui;non;non;non;non\n"
        "P10;I;S1;01/02/2024;15/01/2025;CDI;CDDI;49023;H;2005;non;non;non;non;non\n",
    )
    # One file per structure, with other delimiters and month formats.
    write(
        folder,
        "heures_s1.csv",
        "mois;structure_id;personne_id;heures_travaillees;intervention_id\n"
        "01/2024;S1;A;50;\n02/2024;S1;A;50;\n03/2024;S1;A;50;\n04/2024;S1;A;20;I1\n"
        "12/2023;S1;B;60;I1\n01/2024;S1;B;60;I1\n02/2024;S1;B;60;I1\n"
        + "".join(f"{m:02d}/2024;S1;G;10;I1\n" for m in range(1, 7))
        + "02/2024;S1;I;0,4;\n03/2024;S1;I;0,4;\n",
    )
    write(
        folder,
        "heures_s2.csv",
        "mois|structure_id|personne_id|heures_travaillees|intervention_id|heures_facturees\n"
        "2024-01|S2|C|20|I2|22\n2024-02|S2|C|30|I2|30\n2024-03|S2|C|30|I2|30\n"
        "2024-04|S2|C|30|I2|30\n2024-05|S2|C|30|I2|30\n2024-06|S2|C|20|I2|20\n"
        "2024-02|S2|D|40|I2|\n2024-03|S2|D|40|I2|\n2024-04|S2|D|40|I2|\n2024-05|S2|D|29|I2|\n",
    )
    write(
        folder,
        "heures_s3.csv",
        "mois\tstructure_id\tpersonne_id\theures_travaillees\tintervention_id\theures_formation\n"
        "2024-05\tS3\tA\t100\t\t7\n2024-06\tS3\tA\t0,5\t\t\n"
        "2023-12\tS3\tE\t100\tI3\t\n2024-01\tS3\tE\t40\tI3\t\n2024-02\tS3\tE\t30\tI3\t\n2024-03\tS3\tE\t30\tI3\t\n",
    )
    write(
        folder,
        "heures_s4_s5.csv",
        "mois;structure_id;personne_id;heures_travaillees\n"
        + "".join(f"{m:02d}/2024;S4;H;100\n" for m in range(1, 6))
        + "01/2024;S5;F;1\n",
    )
    write(
        folder,
        "chiffre_affaires.csv",
        "annee;structure_id;montant_ht;marche_id\n"
        f"2024;S1;100{NB}000,50 €;\n2024;S2;20000;M2\n2024;S3;1{NB}234,5;\n2023;S1;90{NB}000;\n",
    )
    write(
        folder,
        "jalons.csv",
        "date;titre;description\n01/04/2020;Naissance de l'École des compteurs;Partenariat avec Veolia\n",
    )
    return folder


# Expected 2024 figures, computed by hand from the rows above (see the comments in test_queries.py).
HEURES_2024 = 1361.3


def _months(start: tuple[int, int], end: tuple[int, int]) -> list[str]:
    (y, m), out = start, []
    while (y, m) <= end:
        out.append(f"{m:02d}/{y}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def small_counts_folder(folder: Path) -> Path:
    """Four people in all, 2023–2025: every count of people (by year, structure, commune, category,
    contract, public…) is between 1 and 4, or 0. Masked views of this folder must show no count of people.

    2025 exits: A in CDI (emploi durable), B in a CDD under 6 months (transition), C unemployed (autre):
    3 examined exits, 2 dynamic, 1 durable — the "2/3", "1/3" of issue 8. 2023: D to a qualifying training.
    """
    folder.mkdir(parents=True, exist_ok=True)
    write(
        folder,
        "structures.csv",
        "structure_id;nom;type;commune_insee;date_adhesion\n"
        "S1;Chantier des Coteaux;ACI;49092;01/01/2017\n"
        "S2;Association Relais Emploi;AI;49023;01/01/2018\n"
        "S3;Coopérative Travail Mauges;EITI;49218;01/01/2019\n",
    )
    write(
        folder,
        "marches.csv",
        "marche_id;intitule;donneur_ordre;secteur;dispositif;date_debut;date_fin;heures_insertion_prevues\n"
        "M1;Entretien des sentiers;Mauges Communauté;public;clause_execution;01/01/2023;31/12/2026;2000\n"
        "M2;Relève des compteurs;Veolia Eau;prive;hors_commande_publique;01/01/2023;;\n",
    )
    write(
        folder,
        "interventions.csv",
        "intervention_id;structure_id;commune_insee;activite;date_debut;marche_id;lieu\n"
        "I1;S1;49092;Espaces verts;01/01/2023;M1;Sentier du Hyrôme\n"
        "I2;S2;49023;Relève de compteurs;01/01/2023;M2;\n"
        "I3;S3;49218;Nettoyage de locaux;01/06/2023;;\n",
    )
    write(
        folder,
        "parcours.csv",
        "parcours_id;personne_id;structure_id;date_entree;date_sortie;motif_sortie;contrat;"
        "commune_residence_insee;sexe;annee_naissance;niveau_formation;rsa;deld;detld;rqth;qpv\n"
        "P1;A;S1;01/01/2023;30/06/2025;CDI;CDDI;49092;F;1990;3;oui;non;non;non;non\n"
        "P2;B;S1;01/03/2024;31/10/2025;CDD_MOINS_6M;CDDI;49092;H;1960;4;non;oui;non;non;non\n"
        "P3;C;S2;01/01/2024;30/09/2025;CHOMAGE;MAD;49023;F;2001;3;non;non;oui;oui;non\n"
        "P4;D;S2;01/01/2023;31/12/2023;FORMATION_QUALIFIANTE;MAD;49218;H;1985;5;non;non;non;non;oui\n"
        "P5;D;S3;01/06/2024;;;;49218;H;1985;5;non;non;non;non;oui\n",
    )
    rows = ["mois;structure_id;personne_id;heures_travaillees;intervention_id"]
    for person, struct, inter, hours, start, end in (
        ("A", "S1", "I1", 100, (2023, 1), (2025, 6)),
        ("B", "S1", "I1", 90, (2024, 3), (2025, 10)),
        ("C", "S2", "I2", 60, (2024, 1), (2025, 9)),
        ("D", "S2", "I2", 50, (2023, 1), (2023, 12)),
        ("D", "S3", "I3", 40, (2024, 6), (2025, 12)),
    ):
        rows += [f"{m};{struct};{person};{hours};{inter}" for m in _months(start, end)]
    write(folder, "heures.csv", "\n".join(rows) + "\n")
    write(
        folder,
        "chiffre_affaires.csv",
        "annee;structure_id;montant_ht;marche_id\n"
        "2023;S1;40000;M1\n2024;S1;52000;M1\n2025;S1;55000;M1\n2024;S2;12000;M2\n2025;S2;13000;M2\n",
    )
    write(folder, "jalons.csv", "date;titre\n01/01/2023;Premier marché clausé\n")
    return folder


def demo_with_few_residents(folder: Path, commune: str, annee: int, keep: int, to: str) -> Path:
    """A copy of the demo data where the commune nouvelle `commune` has only `keep` residents employed in `annee`:
    the others employed that year (every path of theirs) live in the commune `to` instead."""
    import shutil

    from impact import DEMO_DIR
    from impact.db import Database
    from impact.load import load_folder

    shutil.copytree(DEMO_DIR, folder)
    db = Database(load_folder(DEMO_DIR))
    employed = [
        p
        for (p,) in db.con.execute(
            f"SELECT personne_id FROM heures_f({annee}, {annee}, ['{commune}'], NULL, NULL, NULL, NULL, true) "
            "GROUP BY personne_id HAVING employe(sum(heures_travaillees)) ORDER BY personne_id"
        ).fetchall()
    ]
    moved = set(employed[keep:])
    for path in folder.glob("parcours_*.csv"):
        lines = path.read_text(encoding="utf-8-sig").splitlines()
        header = lines[0].split(";")
        who, where = header.index("personne_id"), header.index("commune_residence_insee")
        out = [lines[0]]
        for line in lines[1:]:
            cells = line.split(";")
            if cells[who] in moved:
                cells[where] = to
            out.append(";".join(cells))
        write(folder, path.name, "\n".join(out) + "\n")
    return folder
