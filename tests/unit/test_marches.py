"""impact.indicators.marches on the hand-made fixture (tests/fixtures.py), against values computed by hand.

M1: public clause 01/01/2022–31/12/2025, 1 500 planned hours, worked on through I1 by S1 (A 20 h, B 120 h,
G 60 h in 2024; B 60 h in 12/2023), no revenue line. M2: Veolia private partnership from 01/10/2020,
open-ended, no planned hours, worked on through I2 by S2 (C 160 h, D 149 h in 2024), revenue 20 000 € in 2024.
"""

from datetime import date

import pandas as pd
import pytest

from impact.filters import Filtres
from impact.indicators import heures, kpis, marches

Y2024 = Filtres.annee(2024)
JOURS_M1 = 1461


def test_liste_2024(db):
    df = marches.liste(db, Y2024).set_index("marche_id")
    assert list(df.index) == ["M2", "M1"]  # by start date
    m1, m2 = df.loc["M1"], df.loc["M2"]
    assert m1["donneur_ordre"] == "Mauges Communauté"
    assert m1["dispositif_libelle"] == "Clause sociale d'exécution (L2112-2)"
    assert m1["secteur_libelle"] == "Marchés publics"
    assert m1["heures_insertion_prevues"] == 1500
    assert m1["heures_prevues_periode"] == pytest.approx(1500 * 366 / JOURS_M1)
    assert m1["heures_realisees"] == pytest.approx(200)
    assert m1["taux_realisation"] == pytest.approx(200 / (1500 * 366 / JOURS_M1))
    assert m1["chiffre_affaires"] == 0  # no revenue line carries M1
    assert m1["structures"] == "Les Jardins d’Œuvre"
    assert m1["nb_structures"] == 1
    assert m2["secteur_libelle"] == "Partenariats privés"
    assert m2["dispositif_libelle"] == "Partenariat hors commande publique"
    assert pd.isna(m2["date_fin"])
    assert pd.isna(m2["heures_prevues_periode"]) and pd.isna(m2["taux_realisation"])
    assert m2["heures_realisees"] == pytest.approx(309)
    assert m2["chiffre_affaires"] == pytest.approx(20000)
    assert m2["structures"] == "Cœur de Mauges € Services"


def test_liste_whole_contract_and_other_periods(db):
    whole = marches.liste(db, Filtres(2022, 2025)).set_index("marche_id")
    assert whole.loc["M1", "heures_prevues_periode"] == pytest.approx(1500)
    assert whole.loc["M1", "heures_realisees"] == pytest.approx(260)  # 60 in 2023 + 200 in 2024
    # 2021: M1 not started, M2 running without hours: listed with zeros.
    y2021 = marches.liste(db, Filtres.annee(2021))
    assert list(y2021["marche_id"]) == ["M2"]
    assert y2021["heures_realisees"].item() == 0 and y2021["chiffre_affaires"].item() == 0
    assert marches.liste(db, Filtres.annee(2021, secteurs=("public",))).empty
    assert marches.liste(db, Filtres.annee(2024, secteurs=("hors_marche",))).empty


def test_liste_structure_and_commune_filters(db):
    # S3 works on no contract and has no contract revenue.
    assert marches.liste(db, Filtres.annee(2024, structures=("S3",))).empty
    s2 = marches.liste(db, Filtres.annee(2024, structures=("S2",)))
    assert list(s2["marche_id"]) == ["M2"]
    # Work done in Cholet: M2 only; revenue is not localised (NaN).
    cholet = marches.liste(db, Filtres.annee(2024, communes=("49099",)))
    assert list(cholet["marche_id"]) == ["M2"]
    assert cholet["heures_realisees"].item() == pytest.approx(309)
    assert cholet["chiffre_affaires"].isna().all()


def test_liste_agrees_with_hours_page(db):
    df = marches.liste(db, Filtres(2022, 2025)).set_index("marche_id")
    pr = heures.prevues_realisees(db, Filtres(2022, 2025))
    assert df.loc["M1", "heures_realisees"] == pytest.approx(pr["heures_realisees"].sum())
    assert df.loc["M1", "heures_prevues_periode"] == pytest.approx(pr["heures_prevues"].sum())


def test_synthese(db):
    s = marches.synthese(db, Y2024)
    assert s == {
        "marches": 2,
        "marches_publics": 1,
        "partenariats_prives": 1,
        "heures_publics": pytest.approx(200),
        "heures_prives": pytest.approx(309),
        "chiffre_affaires": pytest.approx(20000),
    }
    assert s["chiffre_affaires"] == pytest.approx(
        kpis(db, Filtres.annee(2024, marches=("M1", "M2")))["chiffre_affaires"]
    )
    assert marches.synthese(db, Filtres.annee(2024, communes=("49099",)))["chiffre_affaires"] is None


def test_chronologie(db):
    df = marches.chronologie(db, Y2024).set_index("marche_id")
    assert list(df.index) == ["M2", "M1"]
    assert df.loc["M1", "fin_affichee"] == pd.Timestamp(2025, 12, 31)
    assert not df.loc["M1", "en_cours"]
    # The open-ended partnership runs to the data freshness date (30/06/2024) and says so.
    assert df.loc["M2", "en_cours"]
    assert df.loc["M2", "fin_affichee"] == pd.Timestamp(date(2024, 6, 30))
    assert df.loc["M2", "libelle"] == "Relève des compteurs (en cours)"
    assert df.loc["M1", "date_debut"] == pd.Timestamp(2022, 1, 1)


def test_ca_par_annee_secteur(db):
    df = marches.ca_par_annee_secteur(db, Y2024)
    got = {(a, s): v for a, s, v in zip(df["annee"], df["secteur"], df["chiffre_affaires"], strict=True)}
    # 2023: S1 90 000 without contract; 2024: M2 20 000, and 100 000,50 + 1 234,5 without contract.
    assert got == pytest.approx(
        {(2023, "hors_marche"): 90000, (2024, "prive"): 20000, (2024, "hors_marche"): 101235.0}
    )
    assert list(df.loc[df["annee"] == 2024, "secteur_libelle"]) == ["Partenariats privés", "Hors marché"]
    assert marches.ca_par_annee_secteur(db, Filtres.annee(2024, communes=("49023",))).empty


def test_the_revenue_chart_says_why_it_has_no_bar():
    import pandas as pd

    from impact.filters import Filtres
    from impact.indicators import marches

    some = pd.DataFrame({"annee": [2025], "secteur": ["hors_marche"], "chiffre_affaires": [1000.0]})
    assert "pas localisé par commune" in marches.ca_absent(Filtres.annee(2025, communes=("49218",)), some)
    assert "Aucun chiffre d'affaires rattaché" in marches.ca_absent(Filtres.annee(2025), some)
    assert marches.ca_absent(Filtres.annee(2025), some.iloc[0:0]) is None


def test_contract_table_shows_its_figures_before_its_wordy_columns():
    """On a projector the table's first screen holds the name and the figures (hours, revenue), before the
    buyer, the scheme and the dates; every column of the list but its codes is still there."""
    from impact.indicators import marches as m

    cols = m.TABLEAU_COLUMNS
    assert set(cols) == {
        c for c in m.LISTE_COLUMNS if c not in ("marche_id", "secteur", "dispositif", "nb_structures")
    }
    assert len(cols) == len(set(cols))
    assert cols[:5] == [
        "intitule",
        "heures_realisees",
        "heures_prevues_periode",
        "taux_realisation",
        "chiffre_affaires",
    ]
