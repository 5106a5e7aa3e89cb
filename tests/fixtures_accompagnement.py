"""The contract v1.1 tables (encadrement, formations, suivis) added to the mini folder, with figures computed
by hand in tests/unit/test_accompagnement.py (the parcours they refer to are those of tests/fixtures.py)."""

from __future__ import annotations

from pathlib import Path

from tests.fixtures import mini_folder, write


def accompagnement_folder(folder: Path) -> Path:
    mini_folder(folder)
    # 2024: S1 (ACI) 1,5 technical supervisor + 0,5 social counsellor; S2 (AI) no technical supervisor;
    # S3 (ETTI) 0,5 + 0,5. 2023: S1 only.
    write(
        folder,
        "encadrement.csv",
        "annee;structure_id;etp_encadrement_technique;etp_accompagnement_socioprofessionnel;"
        "etp_insertion_conventionnes\n"
        "2024;S1;1,5;0,5;12\n2024;S2;0;1;\n2024;S3;0,5;0,5;3,5\n2023;S1;1;0,5;10\n",
    )
    # Trainings are counted in the year they start: 2024 = 14 + 21 + 7 + 35 + 7 = 84 h, 5 trainings, 2
    # certifying (P1, P10), 4 people (A, C, I, H); 2023 = the 280 h Titre professionnel Canalisateur of P5.
    write(
        folder,
        "formations.csv",
        "parcours_id;date_debut;intitule;heures;date_fin;certifiante;organisme;domaine\n"
        "P1;01/02/2024;Habilitation électrique;14;02/02/2024;oui;Apave;sécurité\n"
        "P3;10/01/2024;Relève sur terminal numérique;21;;non;Veolia;Numérique\n"
        "P3;15/03/2024;Savoir-être en relation client;7;;non;;Savoir-être\n"
        "P5;01/12/2023;Titre professionnel Canalisateur;280;31/03/2024;oui;AFPA;technique\n"
        "P10;05/03/2024;CACES R482;35;08/03/2024;oui;;technique\n"
        "P8;01/04/2024;Gestes et postures;7;;;;\n",
    )
    # Window: 5 to 8 months after the exit, both ends included; the follow-up nearest to 6 months wins.
    # P1 (exit 14/04/2024): 13/09 is one day early (out), 14/09 is exactly 5 months (in): employed, partner.
    # P2 (exit 29/02/2024): 30/10/2024 is one day after 8 months (29/10): not followed.
    # P3 (exit 30/06/2024): 28/02/2025 is exactly 8 months (in), 01/03/2025 out: employed (transition).
    # P4 (exit 31/05/2024): 15/10 (4,5 months, out) and 30/11 (6 months): employed, not partner.
    # P5 (exit 31/03/2024): in training at 6 months: followed, not in employment.
    # P8 (EA, exit 31/05/2024): 01/11 (5 months) and 15/12 (6,5 months): 15/12 is nearer, CDI at a partner.
    # P9 has no exit: ignored. P10 (exit 15/01/2025): employed, counted in 2025.
    # 2024: N = 5 people followed (A, C, D, E, H) out of 7 exits (P7 is a retrait), n = 4, partner hires 2.
    write(
        folder,
        "suivis.csv",
        "parcours_id;date_suivi;situation;source;employeur_partenaire\n"
        "P1;13/09/2024;AUTRE;declaration;non\n"
        "P1;14/09/2024;CDI;vérification;oui\n"
        "P2;30/10/2024;CDI;declaration;\n"
        "P3;28/02/2025;CDD_MOINS_6M;declaration;non\n"
        "P3;01/03/2025;CHOMAGE;declaration;non\n"
        "P4;15/10/2024;CDI;declaration;non\n"
        "P4;30/11/2024;Embauche en CDI non aidé;declaration;non\n"
        "P5;30/09/2024;FORMATION_QUALIFIANTE;declaration;\n"
        "P8;01/11/2024;CHOMAGE;declaration;non\n"
        "P8;15/12/2024;CDI;verification;oui\n"
        "P9;01/01/2025;CDI;declaration;\n"
        "P10;15/07/2025;CDI;declaration;oui\n",
    )
    return folder
