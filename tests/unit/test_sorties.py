"""Sorties on the hand-made fixture (exits documented in tests/unit/test_queries.py), and one definition:
every group's figures equal `kpis` under that group's filter (fixture and demo data).

IAE exits in 2024: P1 (S1 ACI, CDI, 3 months not reached), P2 (S1 ACI, chômage, examined), P3 (S2 AI,
CDD < 6 months, examined), P4 (S2 AI, CDI, 149 h < 150), P5 (S3 ETTI, qualifying training, examined),
P6 (S5 EITI, business creation, examined), P7 (S1 ACI, death: withdrawal). P8 is an EA exit (CDI), out of
the rates; P10 (S1 ACI, CDI) leaves on 15/01/2025 after 11 months: examined, in 2025.
"""

from dataclasses import replace

import pandas as pd
import pytest

from impact.filters import Filtres
from impact.indicators import kpis, reference, sorties

COUNT_KEYS = (
    "sorties",
    "sorties_examinees",
    "sorties_emploi_durable",
    "sorties_emploi_transition",
    "sorties_positives",
)


def test_categories_come_from_the_reference_file(db):
    ref = reference.categories_sortie(db)
    assert list(ref["categorie"]) == [
        "emploi_durable",
        "emploi_transition",
        "sortie_positive",
        "autre_sortie",
        "retrait",
    ]
    assert ref["libelle"].iloc[4] == "Retrait (sortie neutralisée)"


def test_par_categorie(db):
    df = sorties.par_categorie(db, Filtres.annee(2024))
    got = {r.categorie: (r.sorties, r.sorties_examinees) for r in df.itertuples()}
    assert got == {
        "emploi_durable": (3, 1),  # P1, P4 not examined; P6
        "emploi_transition": (1, 1),  # P3
        "sortie_positive": (1, 1),  # P5
        "autre_sortie": (1, 1),  # P2
        "retrait": (1, 0),  # P7, never examined
    }
    k = kpis(db, Filtres.annee(2024))
    assert df["sorties"].sum() == k["sorties"]
    assert df["sorties_examinees"].sum() == k["sorties_examinees"]
    # Exits of the other structures, apart: P8 (EA, CDI).
    autres = sorties.par_categorie(db, Filtres.annee(2024), iae=False)
    assert dict(zip(autres["categorie"], autres["sorties"], strict=True))["emploi_durable"] == 1
    assert autres["sorties"].sum() == 1
    assert "sorties_examinees" not in autres


def test_categorie_par_type(db):
    df = sorties.categorie_par_type(db, Filtres.annee(2024)).set_index("type")
    assert df.loc["ACI"].to_dict() == {
        "Emploi durable": 1,
        "Emploi de transition": 0,
        "Sortie positive": 0,
        "Autre sortie": 1,
        "Retrait (sortie neutralisée)": 1,
    }
    assert df.loc["AI", "Emploi durable"] == 1 and df.loc["AI", "Emploi de transition"] == 1
    assert int(df.to_numpy().sum()) == 7
    autres = sorties.categorie_par_type(db, Filtres.annee(2024), iae=False)
    assert list(autres["type"]) == ["EA"]


def test_par_motif(db):
    df = sorties.par_motif(db, Filtres.annee(2024))
    got = {r.motif: (r.sorties, r.sorties_examinees) for r in df.itertuples()}
    # "cdi" (P4) is read as CDI; "Au chômage" (P2) as CHOMAGE.
    assert got == {
        "CDI": (2, 0),
        "CHOMAGE": (1, 1),
        "CDD_MOINS_6M": (1, 1),
        "FORMATION_QUALIFIANTE": (1, 1),
        "CREATION_ENTREPRISE": (1, 1),
        "DECES": (1, 0),
    }
    assert df.loc[df["motif"] == "DECES", "categorie"].item() == "Retrait (sortie neutralisée)"
    assert df.loc[df["motif"] == "CDI", "libelle"].item() == "Embauche en CDI non aidé"


def test_taux_par_type(db):
    df = sorties.taux(db, Filtres.annee(2024), "type").set_index("type")
    assert df.loc["ACI", ["sorties", "sorties_examinees", "sorties_dynamiques", "retraits"]].tolist() == [
        3,
        1,
        0,
        1,
    ]
    assert df.loc["AI", ["sorties", "sorties_examinees", "sorties_emploi_transition"]].tolist() == [2, 1, 1]
    assert df.loc["ETTI", ["sorties", "sorties_examinees", "sorties_positives"]].tolist() == [1, 1, 1]
    assert df.loc["EITI", ["sorties", "sorties_examinees", "sorties_emploi_durable"]].tolist() == [1, 1, 1]
    # Every group has fewer than 10 examined exits: no rate anywhere.
    assert df["taux_sortie_dynamique"].isna().all()
    table = sorties.tableau_taux(df.reset_index(), "type")
    assert set(table["taux de sortie dynamique"]) == {"— (moins de 10 sorties examinées)"}


def test_taux_par_annee_lists_every_year(db):
    df = sorties.taux_par_annee(db, Filtres.annee(2024)).set_index("annee")
    assert list(df.index) == [2023, 2024, 2025]
    assert df.loc[2023, "sorties"] == 0
    assert df.loc[2024, "sorties"] == 7 and df.loc[2024, "sorties_examinees"] == 4
    # P10: ACI, 01/02/2024 -> 15/01/2025 (more than 3 months), CDI.
    assert df.loc[2025, ["sorties", "sorties_examinees", "sorties_emploi_durable"]].tolist() == [1, 1, 1]


def _assert_groups_equal_kpis(db, f, par, group_filter):
    df = sorties.taux(db, f, par)
    assert not df.empty
    for row in df.to_dict("records"):
        k = kpis(db, group_filter(f, row))
        for key in COUNT_KEYS:
            assert row[key] == k[key], (par, row, key)
        for key in ("taux_sortie_dynamique", "taux_sortie_emploi_durable"):
            got = row[key]
            assert pd.isna(got) if k[key] is None else round(got, 4) == k[key], (par, row, key)


def _by_type(f, row):
    return replace(f, types=(row["type"],))  # a subset of f's types: the row comes from f


def _by_structure(f, row):
    return replace(f, structures=(row["structure_id"],))


def _by_year(f, row):
    return f.with_period(int(row["annee"]), int(row["annee"]))


@pytest.mark.parametrize(
    "f",
    [
        Filtres.annee(2024),
        Filtres(2023, 2025),
        Filtres.annee(2024, communes=("49023",)),
        Filtres.annee(2024, marches=("M2",)),
        Filtres.annee(2024, secteurs=("hors_marche",)),
    ],
)
def test_one_definition_on_the_fixture(db, f):
    _assert_groups_equal_kpis(db, f, "type", _by_type)
    _assert_groups_equal_kpis(db, f, "structure", _by_structure)
    _assert_groups_equal_kpis(db, f, "annee", _by_year)


@pytest.mark.parametrize(
    "f",
    [
        Filtres.annee(2025),
        Filtres(2022, 2024),
        Filtres.annee(2023, communes=("49218",)),
    ],
)
def test_one_definition_on_the_demo(demo_db, f):
    _assert_groups_equal_kpis(demo_db, f, "type", _by_type)
    _assert_groups_equal_kpis(demo_db, f, "structure", _by_structure)
    _assert_groups_equal_kpis(demo_db, f, "annee", _by_year)


def test_demo_rates_are_shown_from_10_exits(demo_db):
    df = sorties.taux(demo_db, Filtres.annee(2025), "type")
    assert (df["sorties_examinees"] >= 10).any() and (df["sorties_examinees"] < 10).any()
    for row in df.itertuples():
        assert pd.notna(row.taux_sortie_dynamique) == (row.sorties_examinees >= 10)
    assert sorties.taux_texte(0.625) == "62,5\u00a0%"
    assert sorties.taux_texte(None) == "— (moins de 10 sorties examinées)"


def test_masked_reasons_come_after_the_printed_ones():
    """Helper review of 2026-12-05 (second pass): the reasons were sorted by their true count, so a masked
    reason above "Sans nouvelles 18" was 18 or more. Masked ones now come last, in the order of their label."""
    from impact import privacy

    mot = pd.DataFrame(
        {
            "motif": ["CHOMAGE", "SANS_NOUVELLES", "CDI", "FORMATION", "AUTRE"],
            "libelle": ["Au chômage", "Sans nouvelles", "CDI", "Formation", "Autre"],
            "sorties": [25, 18, 12, 3, 9],
            "sorties_examinees": [25, 18, 12, 3, 9],
        }
    )
    forced = pd.DataFrame(False, index=mot.index, columns=["sorties", "sorties_examinees"])
    forced.loc[0, :] = True  # hidden with the other tables of the page
    df, f = sorties.masques_en_dernier(mot, forced, ["sorties", "sorties_examinees"], "libelle")
    words = privacy.masks(df, ["sorties", "sorties_examinees"], across_columns=True, forced=f)["sorties"]
    assert list(df["libelle"]) == ["Sans nouvelles", "CDI", "Autre", "Au chômage", "Formation"]
    assert [isinstance(w, str) for w in words] == [False, False, False, True, True]
    assert list(f.index) == list(df.index)
