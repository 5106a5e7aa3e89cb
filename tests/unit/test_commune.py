"""The commune sheet and the annual report's figures on the hand-made fixture (tests/fixtures.py), by hand.

Residents of Beaupréau-en-Mauges (49023) by their latest path: A (49006, Andrezé), C, E (49023.0) and I.
The one intervention located there is I1 (49006, contract M1).
"""

import pytest

from impact.filters import Filtres
from impact.indicators import bilan, commune, kpis

BEAUPREAU = "49023"


@pytest.fixture(scope="module")
def fiche(db):
    return commune.fiche(db, BEAUPREAU, 2024)


def test_key_figures_are_kpis_under_the_commune_filter(db, fiche):
    assert fiche.chiffres == kpis(db, Filtres.annee(2024, communes=(BEAUPREAU,)))
    # Work done there: I1 in 2024 = A 20 + B 60 + 60 + G 6 × 10.
    assert fiche.chiffres["heures_travaillees"] == pytest.approx(200)
    # Residents with >= 1 h: A, C, E (I worked 0,8 h).
    assert fiche.chiffres["personnes_employees"] == 3


def test_residents_hours_and_etp_wherever_they_worked(fiche):
    r = fiche.residents
    assert r["personnes_employees"] == 3
    assert r["salaries_en_parcours"] == 3
    # A 170 (S1) + 100,5 (S3), C 160 (S2), E 100 (S3), I 0,8 (S1).
    assert r["heures_travaillees"] == pytest.approx(170 + 100.5 + 160 + 100 + 0.8)
    assert r["etp"] == pytest.approx(170.8 / 1820 + 160 / 1607 + 200.5 / 1600, abs=0.005)


def test_interventions_in_the_commune(fiche):
    df = fiche.interventions
    assert list(df["intervention_id"]) == ["I1"]
    assert df.iloc[0]["heures_travaillees"] == pytest.approx(200)
    assert df.iloc[0]["personnes"] == 3  # A, B, G: >= 1 h each on I1 in 2024
    assert df.iloc[0]["commune_deleguee"] == "Andrezé"
    assert bool(df.iloc[0]["point_approche"])  # no GPS point: placed in its commune déléguée
    assert 47.1 < df.iloc[0]["latitude"] < 47.3


def test_exits_of_residents_by_category(db, fiche):
    s = dict(zip(fiche.sorties["categorie"], fiche.sorties["sorties"], strict=True))
    # P1 (A, ACI, 3 months not reached), P3 (C, AI, 160 h, transition), P5 (E, ETTI, 200 h, training).
    assert s == {
        "emploi_durable": 0,
        "emploi_transition": 1,
        "sortie_positive": 1,
        "autre_sortie": 0,
        "retrait": 0,
        "non_examinee": 1,
    }
    assert sum(s.values()) == fiche.chiffres["sorties"] == 3


def test_contracts_and_structures(fiche):
    assert list(fiche.marches["marche_id"]) == ["M1"]
    assert fiche.marches.iloc[0]["heures_commune"] == pytest.approx(200)
    st = fiche.structures.set_index("structure_id")
    assert list(st.index) == ["S1", "S3", "S2"]
    assert st.loc["S1", "heures_commune"] == pytest.approx(200)
    assert dict(st["habitants_employes"]) == {"S1": 1, "S3": 2, "S2": 1}
    assert fiche.structures_actives == 1


def test_contracts_without_hours_in_the_commune_are_not_listed(db):
    # Sèvremoine: no intervention there, and no buyer named after it.
    assert commune.marches(db, "49301", 2024).empty


def test_trend_is_kpis_year_by_year(db, fiche):
    t = fiche.tendance.set_index("annee")
    assert list(t.index) == [2023, 2024]
    for year in (2023, 2024):
        k = kpis(db, Filtres.annee(year, communes=(BEAUPREAU,)))
        assert t.loc[year, "heures_travaillees"] == k["heures_travaillees"]
        assert t.loc[year, "personnes_employees"] == k["personnes_employees"]


def test_walk_the_communes_wraps_around(db):
    codes = list(commune.communes(db))
    assert len(codes) == 6
    assert commune.voisines(codes, codes[0]) == (codes[-1], codes[1])
    assert commune.voisines(codes, codes[-1]) == (codes[-2], codes[0])


def test_old_code_of_oree_d_anjou_gives_the_same_sheet(db):
    assert commune.fiche(db, "49069", 2024).code == "49126"


def test_bilan_compares_three_years_with_kpis(db):
    b = bilan.bilan(db, 2024)
    comp = b.comparaison.set_index("indicateur")
    for year in (2023, 2024):
        k = kpis(db, Filtres.annee(year))
        for key in ("heures_travaillees", "personnes_employees", "etp", "sorties", "chiffre_affaires"):
            assert comp.loc[key, str(year)] == k[key]
    assert comp.loc["heures_travaillees", "2022"] == 0
    h23, h24 = comp.loc["heures_travaillees", "2023"], comp.loc["heures_travaillees", "2024"]
    assert comp.loc["heures_travaillees", "variation"] == pytest.approx((h24 - h23) / h23)
    # Rates below 10 examined exits: none, and no variation.
    assert comp.loc["taux_sortie_dynamique", "2024"] is None
    assert comp.loc["taux_sortie_dynamique", "n_N"] == "3/4"
    # Sector split: M1 is public (I1: 200 h), M2 private (I2: C 160 + D 149).
    assert comp.loc["heures_marches_publics", "2024"] == pytest.approx(200)
    assert comp.loc["heures_partenariats_prives", "2024"] == pytest.approx(309)


def test_bilan_tables(db):
    b = bilan.bilan(db, 2024)
    hs = b.heures_structures.set_index("structure")
    assert hs.loc["Atelier Adapté du Layon", "heures_travaillees"] == pytest.approx(500)
    assert hs.loc["Mauges Intérim Insertion", "heures_formation"] == pytest.approx(7)
    assert hs["heures_travaillees"].sum() == pytest.approx(
        kpis(db, Filtres.annee(2024))["heures_travaillees"]
    )
    ss = b.sorties_structures.set_index("structure")
    assert ss["sorties"].sum() == 7
    assert ss.loc["Les Jardins d’Œuvre", "retraits"] == 1  # P7, death
    m = b.marches.set_index("intitule")
    assert m.loc["Entretien des espaces naturels", "heures_periode"] == pytest.approx(200)
    assert m.loc["Entretien des espaces naturels", "heures_cumul"] == pytest.approx(260)  # + B 12/2023
    assert m.loc["Relève des compteurs", "chiffre_affaires"] == pytest.approx(20000)
    ca = b.chiffre_affaires.set_index("structure")
    assert ca.loc["Total", "2024"] == pytest.approx(100000.5 + 20000 + 1234.5)
    assert ca.loc["Total", "2023"] == pytest.approx(90000)
    p = b.publics.set_index("public")
    # 2024: A, B, C, D, E, F, G, H employed (I < 1 h); women A, C, F, H.
    assert p.loc["Personnes employées (ensemble)", "2024"] == 8
    assert p.loc["Femmes", "2024"] == 4
    assert p.loc["Femmes", "part"] == pytest.approx(0.5)
    # 50 and over in 2024: B (1960), G (1958), F (1970 -> 54).
    assert p.loc["50 ans et plus", "2024"] == 3
