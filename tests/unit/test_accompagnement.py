"""Supervision ratio, trainings and the 6-month follow-up on the hand-made folder (tests/fixtures_accompagnement.py)."""

from datetime import date

import pytest

from impact import privacy
from impact.db import Database
from impact.filters import Filtres
from impact.indicators import accompagnement as acc
from impact.indicators import bilan, commune, kpis
from impact.load import load_folder
from tests.fixtures import mini_folder, write
from tests.fixtures_accompagnement import accompagnement_folder

Y2024 = Filtres.annee(2024)


def _db(folder):
    result = load_folder(folder)
    assert result.ok, [str(p) for p in result.errors]
    return Database(result)


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return _db(accompagnement_folder(tmp_path_factory.mktemp("acc")))


# --- Supervision -------------------------------------------------------------------------------------
# 2024 hours: S1 (ACI) 350,8 h, S2 (AI) 309 h, S3 (ETTI) 200,5 h; bases 1 820, 1 607, 1 600 h.
ETP_S1, ETP_S2, ETP_S3 = 350.8 / 1820, 309 / 1607, 200.5 / 1600


def test_supervision_ratio_counts_only_structures_with_supervisors(db):
    e = acc.encadrement(db, Y2024)
    # S2 (AI) has no technical supervisor: its ETP stay out of the technical ratio, in the social one.
    assert e.etp_encadrement_technique == pytest.approx(2.0)
    assert e.ratio_technique == pytest.approx((ETP_S1 + ETP_S3) / 2.0)
    assert e.etp_accompagnement == pytest.approx(2.0)
    assert e.ratio_accompagnement == pytest.approx((ETP_S1 + ETP_S2 + ETP_S3) / 2.0)
    assert e.structures == 3


def test_supervision_detail_and_sentence(db):
    d = acc.encadrement_detail(db, Y2024).set_index("structure_id")
    assert d.loc["S1", "ratio_technique"] == pytest.approx(ETP_S1 / 1.5)
    assert d.loc["S2", "ratio_technique"] != d.loc["S2", "ratio_technique"]  # NaN: no supervisor
    assert d.loc["S3", "etp_insertion_conventionnes"] == pytest.approx(3.5)
    e = acc.encadrement(db, Filtres.annee(2023))  # S1 only: B's 60 h of December 2023
    assert e.ratio_technique == pytest.approx(60 / 1820 / 1.0)
    assert acc.phrase_encadrement(acc.Encadrement(31.0, 5.0, 0, 0, 1)) == (
        "1 encadrant technique pour 6,2 ETP en insertion"
    )
    assert acc.encadrement(db, Filtres.annee(2024, types=("AI",))).ratio_technique is None


# --- Trainings ---------------------------------------------------------------------------------------


def test_training_totals_2024(db):
    assert acc.formations(db, Y2024) == {
        "formations": 5,
        "heures": 84.0,  # 14 + 21 + 7 + 35 + 7
        "certifiantes": 2,  # P1 habilitation, P10 CACES
        "personnes_formees": 4,  # A, C, I, H
        "personnes_certifiees": 2,  # A, I
    }
    # The 280 h Titre professionnel counts in 2023, the year it started, even though it ends in 2024.
    t2023 = acc.formations(db, Filtres.annee(2023))
    assert (t2023["formations"], t2023["heures"], t2023["certifiantes"]) == (1, 280.0, 1)


def test_training_by_domain_structure_year(db):
    d = acc.formations_par_domaine(db, Y2024).set_index("domaine_libelle")
    assert list(d.index) == ["Technique", "Numérique", "Savoir-être", "Sécurité", "Non renseigné"]
    assert list(d["heures"]) == [35.0, 21.0, 7.0, 14.0, 7.0]
    assert list(d["certifiantes"]) == [1, 0, 0, 1, 0]
    s = acc.formations_par_structure(db, Y2024).set_index("structure_nom")
    assert s["heures"].to_dict() == {
        "Les Jardins d’Œuvre": 49.0,
        "Cœur de Mauges € Services": 28.0,
        "Atelier Adapté du Layon": 7.0,
    }
    y = acc.formations_par_annee(db, Filtres(2023, 2024))
    assert y[["annee", "formations", "heures"]].values.tolist() == [[2023, 1, 280.0], [2024, 5, 84.0]]
    c = acc.formations_certifiantes(db, Filtres(2023, 2024))
    assert set(c["intitule"]) == {"Titre professionnel Canalisateur", "Habilitation électrique", "CACES R482"}


def test_training_commune_filter_is_the_residence(db):
    # Residences: P1 Andrezé (49006, in Beaupréau-en-Mauges), P3 and P10 Beaupréau; P8 elsewhere.
    t = acc.formations(db, Filtres.annee(2024, communes=("49023",)))
    assert (t["formations"], t["heures"]) == (4, 77.0)


# --- Follow-up at 6 months -------------------------------------------------------------------------


def test_follow_up_2024(db):
    s = acc.suivi_6_mois(db, Y2024, au=date(2026, 9, 30))
    # 7 exits (P7 is a retrait); followed A, C, D, E, H (B's only call is one day past 8 months).
    assert (s.sorties, s.personnes_suivies, s.en_emploi, s.employeur_partenaire) == (7, 5, 4, 2)
    assert (s.taux.n, s.taux.N, s.taux.value) == (4, 5, None)  # no percentage under 10 people followed
    assert s.sorties_recentes == 0


def test_recent_exits_are_said_still_followable(db):
    # On 31/12/2024, P3 (8 months = 28/02/2025), P4 and P8 (31/01/2025) can still be followed.
    assert acc.suivi_6_mois(db, Y2024, au=date(2024, 12, 31)).sorties_recentes == 3


def test_follow_up_filters_and_other_year(db):
    ea = acc.suivi_6_mois(db, Filtres.annee(2024, types=("EA",)))
    assert (ea.sorties, ea.personnes_suivies, ea.en_emploi, ea.employeur_partenaire) == (1, 1, 1, 1)
    s25 = acc.suivi_6_mois(db, Filtres.annee(2025))
    assert (s25.sorties, s25.personnes_suivies, s25.en_emploi) == (1, 1, 1)
    by_year = acc.suivi_6_mois_par_annee(db, Filtres(2024, 2025))
    assert by_year[["annee", "personnes_suivies", "en_emploi"]].values.tolist() == [
        [2024, 5, 4],
        [2025, 1, 1],
    ]


def _suivis(folder, lines):
    write(folder, "suivis.csv", "parcours_id;date_suivi;situation;employeur_partenaire\n" + "".join(lines))
    return _db(folder)


def test_window_lower_edge(tmp_path):
    folder = accompagnement_folder(tmp_path / "a")
    # P1 left on 14/04/2024: 14/09/2024 is exactly 5 months (kept), 13/09/2024 one day early (ignored).
    assert acc.suivi_6_mois(_suivis(folder, ["P1;14/09/2024;CDI;oui\n"]), Y2024).personnes_suivies == 1
    assert acc.suivi_6_mois(_suivis(folder, ["P1;13/09/2024;CDI;oui\n"]), Y2024).personnes_suivies == 0


def test_window_upper_edge_and_month_end(tmp_path):
    folder = accompagnement_folder(tmp_path / "b")
    # P3 left on 30/06/2024: 8 months later is 28/02/2025 (February has no 30th), 01/03/2025 is out.
    assert acc.suivi_6_mois(_suivis(folder, ["P3;28/02/2025;CDI;non\n"]), Y2024).en_emploi == 1
    assert acc.suivi_6_mois(_suivis(folder, ["P3;01/03/2025;CDI;non\n"]), Y2024).personnes_suivies == 0


def test_nearest_to_six_months_wins_and_training_is_not_a_job(tmp_path):
    folder = accompagnement_folder(tmp_path / "c")
    # P4 left on 31/05/2024 (6 months = 30/11/2024): 05/12 (5 days) beats 01/11 (29 days).
    s = acc.suivi_6_mois(
        _suivis(folder, ["P4;01/11/2024;CDI;non\n", "P4;05/12/2024;FORMATION_QUALIFIANTE;\n"]), Y2024
    )
    assert (s.personnes_suivies, s.en_emploi) == (1, 0)
    # A tie (25/11 and 05/12 are both 5 days away): the later one is kept.
    s = acc.suivi_6_mois(
        _suivis(folder, ["P4;25/11/2024;CHOMAGE;\n", "P4;05/12/2024;CDD_MOINS_6M;\n"]), Y2024
    )
    assert s.en_emploi == 1


def test_follow_up_never_changes_the_official_figures(db, tmp_path):
    assert kpis(db, Y2024) == kpis(_db(mini_folder(tmp_path / "v1")), Y2024)


# --- Follow-up of a commune's residents (fiche commune) ---------------------------------------------
# Residents by their latest path, exits of 2024 (P7 is a retrait): Beaupréau-en-Mauges (49023) A (P1,
# Andrezé), C (P3), E (P5); Chemillé-en-Anjou (49092) B (P2, not followed); Sèvremoine (49301) D (P4);
# Montrevault-sur-Èvre (49218) F (P6, no follow-up); Mauges-sur-Loire (49244) H (P8).
# Beaupréau: 3 exits, 3 followed (A, C, E), 2 in employment (A CDI, C transition; E is in training), 1
# partner hire (A).


def test_follow_up_of_the_residents_of_a_commune(db):
    s = commune.suivi(db, "49023", 2024)
    assert (s.sorties, s.personnes_suivies, s.en_emploi, s.employeur_partenaire) == (3, 3, 2, 1)
    assert (s.taux.n, s.taux.N, s.taux.value) == (2, 3, None)
    assert commune.fiche(db, "49023", 2024).suivi == s
    chemille = commune.suivi(db, "49092", 2024)
    assert (chemille.sorties, chemille.personnes_suivies) == (1, 0)


def test_follow_up_of_the_communes_adds_up_to_the_collective(db):
    parts = [commune.suivi(db, code, 2024) for code in commune.communes(db)]
    total = acc.suivi_6_mois(db, Y2024)
    for key in ("sorties", "personnes_suivies", "en_emploi", "employeur_partenaire"):
        assert sum(getattr(p, key) for p in parts) == getattr(total, key), key


def test_bilan_carries_the_follow_up_of_the_year(db):
    assert bilan.bilan(db, 2024).suivi == acc.suivi_6_mois(db, Y2024)


def test_part_of_a_shown_count_is_masked_when_the_rest_is_small():
    assert privacy.part_text(8, 10, True) == privacy.MASQUE_SECONDAIRE  # 10 − 8 = 2 people
    assert privacy.part_text(3, 8, True) == privacy.MASQUE
    assert privacy.part_text(0, 3, True) == "0"  # the whole is masked: nothing to recompute
    assert privacy.part_text(20, 47, True) == "20"
    assert privacy.part_text(8, 10, False) == "8"
