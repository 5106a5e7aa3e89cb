"""The Structures page's figures on the hand-made fixture (tests/fixtures.py, rows documented in test_queries.py)."""

import pandas as pd
import pytest

from impact import REFERENCE_DIR, privacy
from impact.filters import Filtres
from impact.indicators import kpis, structures, vue
from tests.conftest import load_db
from tests.fixtures import mini_folder, write


def rows(df: pd.DataFrame) -> dict[str, dict]:
    return {r["structure_id"]: r for r in df.to_dict("records")}


def test_every_member_with_its_identity(db):
    m = structures.membres(db, Filtres.annee(2024))
    assert list(m.columns) == structures.COLONNES
    r = rows(m)
    assert set(r) == {"S1", "S2", "S3", "S4", "S5"}
    s1 = r["S1"]
    assert (s1["nom"], s1["type"], s1["type_libelle"], s1["famille"]) == (
        "Les Jardins d’Œuvre",
        "ACI",
        "Atelier et chantier d'insertion",
        "IAE",
    )
    assert s1["commune_siege"] == "Beaupréau-en-Mauges"
    assert s1["date_adhesion"] == pd.Timestamp("2017-09-01")
    # S2's head office was written "49092.0" (a code stored as a number).
    assert r["S2"]["commune_siege"] == "Chemillé-en-Anjou"
    assert r["S2"]["date_adhesion"] == pd.Timestamp("2018-03-15")
    assert pd.isna(r["S3"]["date_adhesion"])
    assert r["S4"]["famille"] == "Handicap"
    # Most hours first: S4 500 h, S1 350,8 h, S2 309 h, S3 200,5 h, S5 1 h.
    assert list(m["structure_id"]) == ["S4", "S1", "S2", "S3", "S5"]


def test_contribution_2024(db):
    r = rows(structures.membres(db, Filtres.annee(2024)))
    # S1: A 170 + B 120 + G 60 + I 0,8; people with >= 1 h: A, B, G (I has 0,8 h).
    assert r["S1"]["heures_travaillees"] == pytest.approx(350.8)
    assert r["S1"]["personnes_employees"] == 3
    assert r["S1"]["etp"] == pytest.approx(round(350.8 / 1820, 2))
    assert r["S1"]["base_etp"] == "1\u202f820\u00a0h"
    # S2 (AI): C 160 + D 149; S3 (ETTI): A 100,5 + E 100; S4 (EA): H 500; S5 (EITI): F 1.
    assert r["S2"]["heures_travaillees"] == pytest.approx(309)
    assert r["S2"]["personnes_employees"] == 2
    assert r["S3"]["heures_travaillees"] == pytest.approx(200.5)
    assert r["S3"]["personnes_employees"] == 2
    assert r["S3"]["etp"] == pytest.approx(round(200.5 / 1600, 2))
    assert r["S4"]["etp"] == pytest.approx(round(500 / 1607, 2))
    assert r["S5"]["personnes_employees"] == 1
    # Revenue 2024: S1 100 000,50, S2 20 000 (M2), S3 1 234,5; none for S4 and S5.
    assert r["S1"]["chiffre_affaires"] == pytest.approx(100000.5)
    assert r["S2"]["chiffre_affaires"] == pytest.approx(20000)
    assert r["S3"]["chiffre_affaires"] == pytest.approx(1234.5)
    assert r["S4"]["chiffre_affaires"] == 0


def test_exits_and_rate_2024(db):
    r = rows(structures.membres(db, Filtres.annee(2024)))
    # S1: P1 (3 months not reached), P2 (examined, unemployed), P7 (death, neutralised).
    assert (r["S1"]["sorties"], r["S1"]["sorties_examinees"], r["S1"]["sorties_dynamiques"]) == (3, 1, 0)
    # S2: P3 (160 h, CDD < 6 months: transition), P4 (149 h < 150: not examined).
    assert (r["S2"]["sorties"], r["S2"]["sorties_examinees"], r["S2"]["sorties_dynamiques"]) == (2, 1, 1)
    assert (r["S3"]["sorties"], r["S3"]["sorties_examinees"], r["S3"]["sorties_dynamiques"]) == (1, 1, 1)
    assert (r["S5"]["sorties"], r["S5"]["sorties_examinees"], r["S5"]["sorties_dynamiques"]) == (1, 1, 1)
    # EA: not an IAE structure, no exits counted nor rate (P8 is not mixed into the IAE rates).
    assert pd.isna(r["S4"]["sorties"]) and pd.isna(r["S4"]["sorties_examinees"])
    # Fewer than 10 examined exits everywhere: no rate.
    assert all(r[s]["taux_sortie_dynamique"] is None for s in r)


def test_members_add_up_to_kpis(db):
    for f in (Filtres.annee(2024), Filtres(2023, 2025), Filtres.annee(2024, secteurs=("prive",))):
        m = structures.membres(db, f)
        k = kpis(db, f)
        assert m["heures_travaillees"].sum() == pytest.approx(k["heures_travaillees"])
        assert m["sorties"].sum() == k["sorties"]
        assert m["sorties_examinees"].sum() == k["sorties_examinees"]
        assert m["etp"].sum() == pytest.approx(k["etp"], abs=0.03)
        assert (m["heures_travaillees"] > 0).sum() == vue.structures_actives(db, f)
        # A person in two structures counts in each (A worked in S1 and S3 in 2024).
        assert m["personnes_employees"].sum() >= k["personnes_employees"]


def test_people_counted_once_per_structure_over_years(db):
    r = rows(structures.membres(db, Filtres(2023, 2024)))
    # S1 over 2023–2024: A, B (60 h in 12/2023 + 120 h), G, I (0,8 h): 3 people; 60 + 350,8 hours.
    assert r["S1"]["personnes_employees"] == 3
    assert r["S1"]["heures_travaillees"] == pytest.approx(410.8)
    # ETP over two years: the yearly mean.
    assert r["S1"]["etp"] == pytest.approx(round((60 / 1820 + 350.8 / 1820) / 2, 2))
    assert r["S1"]["chiffre_affaires"] == pytest.approx(190000.5)


def test_commune_filter(db):
    r = rows(structures.membres(db, Filtres.annee(2024, communes=("49023",))))
    # Hours done in Beaupréau-en-Mauges: I1 at Andrezé (49006): A 20 + B 120 + G 60, all S1.
    assert r["S1"]["heures_travaillees"] == pytest.approx(200)
    assert r["S3"]["heures_travaillees"] == 0
    # People and exits: residents. A (latest path: Andrezé) in S1; C in S2; A and E in S3.
    assert r["S1"]["personnes_employees"] == 1
    assert r["S2"]["personnes_employees"] == 1
    assert r["S3"]["personnes_employees"] == 2
    assert r["S1"]["sorties"] == 1  # P1 (Andrezé)
    assert r["S2"]["sorties_dynamiques"] == 1  # P3
    # Revenue is not localised.
    assert all(r[s]["chiffre_affaires"] is None for s in r)
    assert r["S1"]["communes"] == "Beaupréau-en-Mauges (200\u00a0h)"


def test_type_and_structure_filters_restrict_the_members(db):
    m = structures.membres(db, Filtres.annee(2024, types=("ACI", "AI")))
    assert list(m["structure_id"]) == ["S1", "S2"]
    m = structures.membres(db, Filtres.annee(2024, structures=("S3",)))
    assert list(m["structure_id"]) == ["S3"]
    # A year without data: the members are still listed, with nothing.
    m = structures.membres(db, Filtres.annee(2021))
    assert len(m) == 5 and m["heures_travaillees"].sum() == 0 and m["communes"].eq("").all()


def test_communes_of_intervention(db):
    c = structures.communes(db, Filtres.annee(2024))
    got = {
        (s, n): h
        for s, n, h in zip(c["structure_id"], c["commune_nom"], c["heures_travaillees"], strict=True)
    }
    assert got == {
        ("S1", "Beaupréau-en-Mauges"): 200,
        ("S1", "non localisées"): pytest.approx(150.8),
        ("S2", "Cholet"): 309,
        ("S3", "Chemillé-en-Anjou"): 100,
        ("S3", "non localisées"): 100.5,
        ("S4", "non localisées"): 500,
        ("S5", "non localisées"): 1,
    }
    assert c.loc[c["commune_nom"] == "Cholet", "commune"].item() == "49099"
    assert c.loc[c["commune_nom"] == "non localisées", "commune"].isna().all()
    r = rows(structures.membres(db, Filtres.annee(2024)))
    # Localised communes first, most hours first, then the hours without intervention.
    assert r["S1"]["communes"] == "Beaupréau-en-Mauges (200\u00a0h), non localisées (151\u00a0h)"
    assert r["S2"]["communes"] == "Cholet (309\u00a0h)"


def test_heures_par_structure(db):
    d = structures.heures_par_structure(db, Filtres.annee(2024, types=("ACI", "AI", "EA")))
    assert list(d.columns) == ["structure", "type", "famille", "heures_travaillees", "etp"]
    assert list(d["structure"]) == [
        "Atelier Adapté du Layon",
        "Les Jardins d’Œuvre",
        "Cœur de Mauges € Services",
    ]
    assert structures.heures_par_structure(db, Filtres.annee(2021)).empty


def test_rate_shown_from_ten_examined_exits_and_bases_over_a_decree(tmp_path):
    folder = mini_folder(tmp_path / "dix")
    # Ten more S5 (EITI, >= 1 h) exits in 2024: 11 examined, 7 dynamic (CDI) + 4 unemployed.
    par = (folder / "parcours.csv").read_text(encoding="utf-8-sig").rstrip("\r\n")
    heu = "mois;structure_id;personne_id;heures_travaillees\n"
    for i in range(10):
        motif = "CDI" if i < 6 else "CHOMAGE"
        par += f"\r\nQ{i};X{i};S5;01/02/2024;31/03/2024;{motif};;49218;F;1990;;;;;"
        heu += f"02/2024;S5;X{i};10\n"
    write(folder, "parcours.csv", par.replace("\r\n", "\n") + "\n")
    write(folder, "heures_s5_plus.csv", heu)
    # A decree changing the ACI base from 2024 (data folder's own reference/).
    (folder / "reference").mkdir()
    base = (REFERENCE_DIR / "bases_etp.csv").read_text(encoding="utf-8-sig")
    write(folder / "reference", "bases_etp.csv", base + "ACI;2024;1900;Décret fictif de test\n")
    db = load_db(folder)
    r = rows(structures.membres(db, Filtres.annee(2024)))
    assert (r["S5"]["sorties_examinees"], r["S5"]["sorties_dynamiques"]) == (11, 7)
    assert r["S5"]["taux_sortie_dynamique"] == pytest.approx(7 / 11)
    r = rows(structures.membres(db, Filtres(2023, 2024)))
    assert r["S1"]["base_etp"] == "1\u202f820\u00a0h / 1\u202f900\u00a0h"
    assert r["S1"]["etp"] == pytest.approx(round((60 / 1820 + 350.8 / 1900) / 2, 2))


def test_presentation_masks_counts_and_the_rates_that_would_give_them_back():
    m = pd.DataFrame(
        {
            "nom": ["A", "B", "C", "D"],
            "personnes_employees": [3, 40, 12, 0],
            "sorties": pd.array([14, 13, 20, None], dtype="Int64"),
            "sorties_examinees": pd.array([12, 12, 20, None], dtype="Int64"),
            "sorties_dynamiques": pd.array([3, 8, 15, None], dtype="Int64"),
            "taux_sortie_dynamique": pd.Series([3 / 12, 8 / 12, 15 / 20, None], dtype=object),
        }
    )
    p = structures.masquer(m)
    # 3 people: "< 5"; the column's next smallest non-zero count (12) too, or 3 = total − the others: it is
    # not a small count, so it reads "masqué".
    assert list(p["personnes_employees"]) == ["< 5", 40, privacy.MASQUE_SECONDAIRE, 0]
    # 3 dynamic exits: masked, and 8 (the next smallest) by secondary suppression; 25 % of 12 and 66,7 % of
    # 12 would give them back: both rates masked; 15/20 stays.
    assert list(p["sorties_dynamiques"])[:3] == ["< 5", privacy.MASQUE_SECONDAIRE, 15]
    assert pd.isna(p["sorties_dynamiques"].iloc[3])
    assert list(p["taux_sortie_dynamique"])[:3] == [privacy.TAUX_MASQUE, privacy.TAUX_MASQUE, 0.75]
    assert p["taux_sortie_dynamique"].iloc[3] is None
    assert list(p["sorties_examinees"])[:3] == [12, 12, 20]
