"""Each figure on the hand-made fixture, against values computed by hand (tests/fixtures.py)."""

import pytest

from impact.filters import Filtres
from impact.indicators import KPI_KEYS, kpis


@pytest.fixture(scope="module")
def k2024(db):
    return kpis(db, Filtres.annee(2024))


def test_keys_exactly(k2024):
    assert tuple(k2024) == KPI_KEYS


def test_heures_travaillees(k2024):
    # A 170 (S1) + 100,5 (S3), B 120, C 160, D 149, E 100, F 1, G 60, H 500, I 0,8; B's and E's 2023 hours out.
    assert k2024["heures_travaillees"] == pytest.approx(270.5 + 120 + 160 + 149 + 100 + 1 + 60 + 500 + 0.8)


def test_people(k2024):
    # I worked 0,8 h in 2024 (< 1 h): not employed. H works in an EA: employed, not "en parcours" (IAE).
    assert k2024["personnes_employees"] == 8
    assert k2024["salaries_en_parcours"] == 7


def test_etp_uses_the_base_of_each_type(k2024):
    expected = 350.8 / 1820 + 309 / 1607 + 200.5 / 1600 + 500 / 1607 + 1 / 1607
    assert k2024["etp"] == pytest.approx(expected, abs=0.005)


def test_sorties(k2024):
    # IAE exits in 2024: P1..P7 (P8 is an EA, P10 leaves in 2025).
    assert k2024["sorties"] == 7
    # P1: 3 months not reached (14/04 < 15/04); P2: 30/11 + 3 months = 29/02 (clamped), reached;
    # P3: 160 h >= 150; P4: 149 h < 150; P5: 100 h in 2023 + 100 h in 2024 >= 150; P6: EITI 1 h;
    # P7: death, neutralised.
    assert k2024["sorties_examinees"] == 4
    assert k2024["sorties_emploi_durable"] == 1  # P6
    assert k2024["sorties_emploi_transition"] == 1  # P3
    assert k2024["sorties_positives"] == 1  # P5
    # 4 examined exits: below 10, no rate.
    assert k2024["taux_sortie_dynamique"] is None
    assert k2024["taux_sortie_emploi_durable"] is None


def test_chiffre_affaires(k2024):
    # "100 000,50 €" (U+00A0) + 20000 + "1 234,5"; the 2023 line is out.
    assert k2024["chiffre_affaires"] == pytest.approx(121235.0)


def test_heures_par_commune(k2024):
    # I1 in Andrezé (49006 -> Beaupréau-en-Mauges 49023): A 20 + B 120 + G 60; I2 in Cholet: C 160 + D 149;
    # I3 in Chemillé-en-Anjou: E 100; the rest has no intervention.
    assert k2024["heures_par_commune"] == {
        "49023": 200.0,
        "49099": 309.0,
        "49092": 100.0,
        "non_localise": pytest.approx(150 + 100.5 + 1 + 500 + 0.8),
    }


def test_donnees_au(k2024):
    assert k2024["donnees_au"] == "2024-06-30"


def test_commune_counts_residents_and_work_done_there(db):
    k = kpis(db, Filtres.annee(2024, communes=("49023",)))
    assert k["heures_travaillees"] == pytest.approx(200.0)  # work done in 49023 (I1)
    # Residents of Beaupréau-en-Mauges: A (Andrezé), C ("49023"), E ("49023.0"), I (0,8 h only).
    assert k["personnes_employees"] == 3
    assert k["salaries_en_parcours"] == 3
    assert k["sorties"] == 3  # P1, P3, P5
    assert k["sorties_examinees"] == 2  # P3, P5
    assert k["etp"] == pytest.approx(200 / 1820, abs=0.005)
    assert k["chiffre_affaires"] is None  # revenue is not localised
    assert k["heures_par_commune"] == {"49023": 200.0}


def test_old_code_of_oree_d_anjou(db):
    # G lives in 49069 (Champtoceaux, formerly the code of Orée d'Anjou): resident of 49126.
    k = kpis(db, Filtres.annee(2024, communes=("49126",)))
    assert k["personnes_employees"] == 1
    assert k["sorties"] == 1 and k["sorties_examinees"] == 0  # a death is neutralised


def test_filters_structure_type_contract_sector(db):
    aci = kpis(db, Filtres.annee(2024, types=("ACI",)))
    assert aci["heures_travaillees"] == pytest.approx(350.8)
    assert aci["personnes_employees"] == 3  # A, B, G (I below 1 h)
    veolia = kpis(db, Filtres.annee(2024, marches=("M2",)))
    assert veolia["heures_travaillees"] == pytest.approx(309.0)
    assert veolia["sorties"] == 2  # C and D worked on M2 in S2
    assert veolia["chiffre_affaires"] == pytest.approx(20000.0)
    prive = kpis(db, Filtres.annee(2024, secteurs=("prive",)))
    assert prive["heures_travaillees"] == veolia["heures_travaillees"]
    hors = kpis(db, Filtres.annee(2024, secteurs=("hors_marche",)))
    assert hors["heures_travaillees"] == pytest.approx(1361.3 - 200 - 309)


def test_multi_year_etp_is_an_annual_average(db):
    two = kpis(db, Filtres(2023, 2024))
    h2023 = kpis(db, Filtres.annee(2023))
    h2024 = kpis(db, Filtres.annee(2024))
    assert two["heures_travaillees"] == pytest.approx(
        h2023["heures_travaillees"] + h2024["heures_travaillees"]
    )
    assert two["etp"] == pytest.approx((h2023["etp"] + h2024["etp"]) / 2, abs=0.01)
