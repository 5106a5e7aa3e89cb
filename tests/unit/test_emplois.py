"""Emplois et parcours on the hand-made fixture (tests/fixtures.py), against values computed by hand.

People employed in 2024 (>= 1 h): A, B, C, D, E, F, G, H (I worked 0,8 h). Their profile is that of their
latest path: A -> P9 (F, 1990, RSA), B -> P2 (H, 1960, DELD), C -> P3 (F, 2001, DETLD, QPV),
D -> P4 (H, 1985, RSA "o"), E -> P5 (H, 1999, DELD "1"), F -> P6 (F, 1970, DELD "vrai"),
G -> P7 (H, 1958, every flag empty), H -> P8 (F, 1980, RQTH). No niveau_formation column at all.
"""

import pytest

from impact.filters import Filtres
from impact.indicators import emplois, kpis
from tests.conftest import load_db
from tests.fixtures import mini_folder


def by_public(df):
    return {r.public: (r.personnes, r.non_renseigne, r.part) for r in df.itertuples()}


def test_chiffres_equal_kpis_and_count_entries(db):
    f = Filtres.annee(2024)
    c = emplois.chiffres(db, f)
    k = kpis(db, f)
    assert c["personnes_employees"] == k["personnes_employees"] == 8
    assert c["salaries_en_parcours"] == k["salaries_en_parcours"] == 7
    assert c["etp"] == k["etp"]
    # Paths entered in 2024: P1 (A, ACI), P3 (C, AI), P4 (D, AI), P6 (F, EITI), P9 (A, ETTI), P10 (I, ACI).
    assert c["entrees"] == 6
    assert c["personnes_entrees"] == 5  # A entered twice (S1 then S3): one person


def test_entrees_by_type(db):
    df = emplois.entrees(db, Filtres.annee(2024))
    got = {r.type: (r.entrees, r.personnes) for r in df.itertuples()}
    assert got == {"ACI": (2, 2), "AI": (2, 2), "EITI": (1, 1), "ETTI": (1, 1)}
    # Commune filter = residence declared in the path: P1, P9 (Andrezé -> 49023), P3, P10 (49023).
    c = emplois.chiffres(db, Filtres.annee(2024, communes=("49023",)))
    assert (c["entrees"], c["personnes_entrees"]) == (4, 3)
    # 2023: P2 (30/11/2023), P5 (01/06/2023), P7 (01/01/2023).
    assert emplois.chiffres(db, Filtres.annee(2023))["entrees"] == 3


def test_etp_by_type_prints_the_base_of_each_type(db):
    f = Filtres.annee(2024)
    df = emplois.etp_par_type(db, f)
    got = {r.type: (round(r.heures_travaillees, 2), r.base_etp) for r in df.itertuples()}
    # EA and EITI have no base of their own: the '*' row (1 607 h) applies.
    assert got == {
        "ACI": (350.8, 1820.0),
        "AI": (309.0, 1607.0),
        "ETTI": (200.5, 1600.0),
        "EA": (500.0, 1607.0),
        "EITI": (1.0, 1607.0),
    }
    assert df["etp"].sum() == pytest.approx(kpis(db, f)["etp"], abs=0.005)
    # The largest ETP first, as the chart reads top-down (alphabetical beside a chart sorted by value until
    # 2026-12-06): EA 500 / 1 607 = 0,311, ACI 350,8 / 1 820 = 0,193, AI 309 / 1 607 = 0,192, ETTI 0,125, EITI.
    assert list(df["type"]) == ["EA", "ACI", "AI", "ETTI", "EITI"]
    bases = emplois.bases_etp(db, f)
    assert dict(zip(bases["type"], bases["base_etp"], strict=True))["ACI"] == 1820.0
    # Two years: sum of the yearly ETP / 2 is the dashboard's ETP.
    two = Filtres(2023, 2024)
    assert emplois.etp_par_type(db, two)["etp"].sum() / 2 == pytest.approx(kpis(db, two)["etp"], abs=0.005)


def test_contrats_of_people_employed(db):
    df = emplois.contrats(db, Filtres.annee(2024))
    got = dict(zip(df["contrat"], df["personnes"], strict=True))
    # A: CDDI in S1 and mission in S3 (counts in both); F's path P6 has no contract.
    assert got == {"CDDI": 3, "mission": 2, "MAD": 2, "CDI": 1, "non_renseigne": 1}
    assert df.loc[df["contrat"] == "non_renseigne", "libelle"].item() == "Non renseigné"


def test_publics_counts_shares_and_unknowns(db):
    df = emplois.publics(db, Filtres.annee(2024))
    assert (df["personnes_employees"] == 8).all()
    got = by_public(df)
    # Ages in 2024: A 34, B 64, C 23, D 39, E 25, F 54, G 66, H 44. G's flags are empty: unknown.
    assert got["femmes"] == (4, 0, 0.5)
    assert got["moins_de_26_ans"] == (2, 0, 0.25)
    assert got["age_50_ans_et_plus"] == (3, 0, 0.375)
    assert got["rsa"] == (2, 1, 0.25)
    assert got["deld"] == (3, 1, 0.375)
    assert got["detld"] == (1, 1, 0.125)
    assert got["rqth"] == (1, 1, 0.125)
    assert got["qpv"] == (1, 1, 0.125)
    # No training level in the fixture: nobody counted, everybody "non renseigné", still in the denominator.
    assert got["faible_qualification"] == (0, 8, 0.0)


def test_age_uses_the_end_year_of_a_range(db):
    got = by_public(emplois.publics(db, Filtres(2023, 2025)))
    # Same 8 people; in 2025 E (born 1999) is 26: only C (24) is under 26.
    assert got["moins_de_26_ans"][0] == 1
    assert got["age_50_ans_et_plus"][0] == 3
    assert emplois.annee_age(Filtres(2023, 2025)) == 2025


def test_low_qualification_reads_the_reference_list(db, tmp_path):
    folder = mini_folder(tmp_path / "niveaux")
    path = folder / "parcours.csv"
    levels = {"P2": "bac", "P3": "cap_bep", "P5": "bac_plus", "P6": "cap_bep", "P9": "infra_cap"}
    lines = path.read_bytes().decode("utf-8-sig").split("\r\n")
    lines = [lines[0] + ";niveau_formation"] + [
        f"{line};{levels.get(line.split(';')[0], '')}" for line in lines[1:] if line
    ]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8-sig"))
    got = by_public(emplois.publics(load_db(folder), Filtres.annee(2024)))
    # Latest paths: A P9 infra_cap, B P2 bac, C P3 cap_bep, D P4 empty, E P5 bac_plus, F P6 cap_bep,
    # G P7 empty, H P8 empty -> low: A, C, F; unknown: D, G, H.
    assert got["faible_qualification"] == (3, 3, 0.375)


def test_residence_by_commune_nouvelle(db):
    df = emplois.residence(db, Filtres.annee(2024))
    got = dict(zip(df["commune"], df["personnes"], strict=True))
    # A in Andrezé (49006), C "49023", E "49023.0" -> Beaupréau-en-Mauges; G in 49069 -> Orée d'Anjou.
    assert got == {"49023": 3, "49092": 1, "49301": 1, "49218": 1, "49126": 1, "49244": 1}
    assert df["personnes"].sum() == kpis(db, Filtres.annee(2024))["personnes_employees"]
    assert df.loc[df["commune"] == "49126", "nom"].item() == "Orée d'Anjou"


def test_filters_apply(db):
    f = Filtres.annee(2024, types=("ACI",))
    c = emplois.chiffres(db, f)
    assert c["personnes_employees"] == 3  # A, B, G
    assert by_public(emplois.publics(db, f))["femmes"] == (1, 0, pytest.approx(1 / 3))
    empty = Filtres.annee(2024, communes=("49099",))  # nobody lives in Cholet
    assert emplois.chiffres(db, empty)["personnes_employees"] == 0
    assert emplois.publics(db, empty)["part"].isna().all()
    assert emplois.residence(db, empty).empty
