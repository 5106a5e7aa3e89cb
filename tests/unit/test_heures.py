"""impact.indicators.heures on the hand-made fixture (tests/fixtures.py), against values computed by hand.

Reminder of the fixture: M1 public clause 01/01/2022–31/12/2025 with 1 500 planned hours (I1, S1, Andrezé
49006 -> 49023); M2 Veolia private partnership from 01/10/2020, open-ended, no planned hours (I2, S2, Cholet
49099); I3 (S3, 49092) has no contract. Years of the data: 2023, 2024 (hours), 2025 (an exit).
"""

import pandas as pd
import pytest

from impact import charts
from impact.filters import Filtres
from impact.indicators import heures, kpis
from tests.fixtures import HEURES_2024

Y2024 = Filtres.annee(2024)
JOURS_M1 = 365 + 365 + 366 + 365  # 2022..2025, 2024 a leap year


def test_par_mois_2024(db):
    df = heures.par_mois(db, Y2024)
    assert list(df["libelle"]) == [
        "janv. 2024",
        "févr. 2024",
        "mars 2024",
        "avr. 2024",
        "mai 2024",
        "juin 2024",
    ]
    # Jan: A 50 + B 60 + G 10 + C 20 + E 40 + H 100 + F 1; Feb adds I 0,4 and D 40, etc.
    assert list(df["heures_travaillees"]) == pytest.approx([281, 320.4, 260.4, 200, 269, 30.5])
    assert df["heures_travaillees"].sum() == pytest.approx(HEURES_2024)
    # Billed hours: C only (22, then 30 x 4, then 20); training: A's 7 h in May. Kept apart.
    assert list(df["heures_facturees"]) == pytest.approx([22, 30, 30, 30, 30, 20])
    assert list(df["heures_formation"]) == pytest.approx([0, 0, 0, 0, 7, 0])


def test_par_mois_fills_gaps_with_zero(db):
    # S3: E 100 (12/2023), 40, 30, 30 (01-03/2024), nothing in April, A 100 (05) and 0,5 (06).
    df = heures.par_mois(db, Filtres(2023, 2024, structures=("S3",)))
    assert list(df["libelle"]) == [
        "déc. 2023",
        "janv. 2024",
        "févr. 2024",
        "mars 2024",
        "avr. 2024",
        "mai 2024",
        "juin 2024",
    ]
    assert list(df["heures_travaillees"]) == pytest.approx([100, 40, 30, 30, 0, 100, 0.5])


def test_par_mois_empty_selection(db):
    assert heures.par_mois(db, Filtres.annee(2025)).empty


def test_par_annee_every_year_three_measures_apart(db):
    df = heures.par_annee(db, Y2024)  # the period does not restrict the years shown
    assert list(df["annee"]) == [2023, 2024, 2025]
    assert list(df["heures_travaillees"]) == pytest.approx([160, HEURES_2024, 0])  # 2023: B 60 + E 100
    assert list(df["heures_facturees"]) == pytest.approx([0, 162, 0])
    assert list(df["heures_formation"]) == pytest.approx([0, 7, 0])
    k = kpis(db, Y2024)
    assert df.loc[df["annee"] == 2024, "heures_travaillees"].item() == pytest.approx(k["heures_travaillees"])


def test_par_secteur_annee_keeps_private_apart(db):
    df = heures.par_secteur_annee(db, Y2024)
    got = {(a, s): h for a, s, h in zip(df["annee"], df["secteur"], df["heures_travaillees"], strict=True)}
    assert got == pytest.approx(
        {
            (2023, "public"): 60,  # B on I1 (M1) in 12/2023
            (2023, "hors_marche"): 100,  # E on I3
            (2024, "public"): 200,  # A 20 + B 120 + G 60 on I1
            (2024, "prive"): 309,  # C 160 + D 149 on I2 (M2, Veolia)
            (2024, "hors_marche"): HEURES_2024 - 509,
        }
    )
    assert set(df["secteur_libelle"]) == {"Marchés publics", "Partenariats privés", "Hors marché"}


def test_par_secteur_of_the_period(db):
    df = heures.par_secteur(db, Y2024)
    assert list(df["secteur"]) == ["public", "prive", "hors_marche"]
    assert list(df["heures_travaillees"]) == pytest.approx([200, 309, 852.3])
    assert list(df["part"]) == pytest.approx([200 / HEURES_2024, 309 / HEURES_2024, 852.3 / HEURES_2024])
    # Only the private sector selected: the other two read 0.
    prive = heures.par_secteur(db, Filtres.annee(2024, secteurs=("prive",)))
    assert list(prive["heures_travaillees"]) == pytest.approx([0, 309, 0])


def test_par_structure(db):
    df = heures.par_structure(db, Y2024).set_index("structure_id")
    assert list(df.index) == ["S4", "S1", "S2", "S3", "S5"]  # by hours, descending
    assert df.loc["S1", "heures_travaillees"] == pytest.approx(350.8)
    assert df.loc["S1", "personnes"] == 3  # A, B, G; I has 0,8 h (< 1 h)
    assert df.loc["S2", "heures_facturees"] == pytest.approx(162)
    assert df.loc["S3", "heures_travaillees"] == pytest.approx(200.5)
    assert df.loc["S3", "heures_formation"] == pytest.approx(7)
    assert df.loc["S5", "personnes"] == 1  # F: exactly 1 hour counts
    assert df["heures_travaillees"].sum() == pytest.approx(HEURES_2024)


def test_par_activite(db):
    df = heures.par_activite(db, Y2024).set_index("activite")
    assert df.index[-1] == heures.SANS_ACTIVITE  # hours without intervention come last
    assert df.loc["Espaces verts", "heures_travaillees"] == pytest.approx(200)
    assert df.loc["Espaces verts", "personnes"] == 3
    assert df.loc["Relève de compteurs", "heures_travaillees"] == pytest.approx(309)
    assert df.loc["Nettoyage de locaux", "heures_travaillees"] == pytest.approx(100)
    # A 150 (S1) + A 100,5 (S3) + H 500 + F 1 + I 0,8; people A, H, F (I below 1 h).
    assert df.loc[heures.SANS_ACTIVITE, "heures_travaillees"] == pytest.approx(752.3)
    assert df.loc[heures.SANS_ACTIVITE, "personnes"] == 3


def test_par_marche_with_hors_marche_row(db):
    df = heures.par_marche(db, Y2024)
    assert list(df["marche"]) == [
        "Entretien des espaces naturels",
        "Relève des compteurs",
        heures.HORS_MARCHE,
    ]
    assert list(df["secteur_libelle"]) == ["Marchés publics", "Partenariats privés", "Hors marché"]
    assert list(df["dispositif"]) == [
        "Clause sociale d'exécution (L2112-2)",
        "Partenariat hors commande publique",
        "",
    ]
    assert list(df["heures_travaillees"]) == pytest.approx([200, 309, 852.3])
    # Hors marché: A (250,5 h without contract), E, H, F; I below 1 h.
    assert list(df["personnes"]) == [3, 2, 4]


def test_par_marche_commune_counts_work_there_and_residents(db):
    # Work done in Beaupréau-en-Mauges: I1 only. Residents: A, C, E (I below 1 h).
    df = heures.par_marche(db, Filtres.annee(2024, communes=("49023",))).set_index("marche")
    assert df.loc["Entretien des espaces naturels", "heures_travaillees"] == pytest.approx(200)
    assert df.loc["Entretien des espaces naturels", "personnes"] == 1  # A
    assert df.loc["Relève des compteurs", "heures_travaillees"] == 0  # worked in Cholet
    assert df.loc["Relève des compteurs", "personnes"] == 1  # C lives in 49023
    assert df.loc[heures.HORS_MARCHE, "personnes"] == 2  # A and E


def test_prevues_realisees_prorata_of_days(db):
    df = heures.prevues_realisees(db, Filtres(2022, 2025))
    assert set(df["marche_id"]) == {"M1"}  # M2 has no planned hours
    assert list(df["annee"]) == [2022, 2023, 2024, 2025]
    expected = [1500 * 365 / JOURS_M1, 1500 * 365 / JOURS_M1, 1500 * 366 / JOURS_M1, 1500 * 365 / JOURS_M1]
    assert list(df["heures_prevues"]) == pytest.approx(expected)
    assert df["heures_prevues"].sum() == pytest.approx(1500)
    assert list(df["heures_realisees"]) == pytest.approx([0, 60, 200, 0])
    assert df.loc[df["annee"] == 2024, "taux_realisation"].item() == pytest.approx(
        200 / (1500 * 366 / JOURS_M1)
    )
    assert list(df["ligne"]) == [
        f"Entretien des espaces naturels\u00a0·\u00a0{a}" for a in (2022, 2023, 2024, 2025)
    ]


def test_prevues_realisees_filters(db):
    # A structure that never worked on M1 keeps no contract; S1 keeps M1 with its whole planned hours.
    assert heures.prevues_realisees(db, Filtres.annee(2024, structures=("S3",))).empty
    s1 = heures.prevues_realisees(db, Filtres.annee(2024, structures=("S1",)))
    assert list(s1["heures_prevues"]) == pytest.approx([1500 * 366 / JOURS_M1])
    assert list(s1["heures_realisees"]) == pytest.approx([200])
    assert heures.prevues_realisees(db, Filtres.annee(2024, secteurs=("prive",))).empty
    # Before the contract: no row.
    assert heures.prevues_realisees(db, Filtres.annee(2021)).empty


def test_short_labels_stay_unique():
    titles = pd.Series(
        ["Campagne de relevés 2020-2021 (École)", "Campagne de relevés 2021-2022 (École)", "Court"]
    )
    labels = heures.short_labels(titles, pd.Series(["A", "B", "C"]), width=20)
    assert len(set(labels)) == 3
    assert labels[2] == "Court"
    same = heures.short_labels(pd.Series(["Même titre", "Même titre"]), pd.Series(["X", "Y"]))
    assert same == ["Même titre (X)", "Même titre (Y)"]
    assert heures.short_label("abcdefghij", 6) == "abcde…"


def test_contract_titles_reach_the_chart_whole(demo_db):
    """The room recognises a contract by its title: the chart's three lines of labels hold the demo's longest
    titles whole (cut at 60 characters, "(critère social d'attribu…" lost its meaning)."""
    df = heures.par_marche(demo_db, Filtres.annee(2025))
    assert (df["libelle"] == df["marche"]).all()
    assert "Nettoyage des bâtiments communaux (critère social d'attribution)" in set(df["libelle"])
    assert heures.TITRE_AXE <= charts.WRAP_CHARS * charts.WRAP_LINES


def test_planned_delivered_labels_always_end_with_their_year(demo_db):
    """The chart of planned and delivered hours has a row per contract and year: wrapped on three lines, each
    label still ends with its year (a longer title pushed " · 2025" into the cut "…")."""
    pr = heures.prevues_realisees(demo_db, Filtres(2019, 2026))
    assert len(pr) > 10
    wrapped, _, _ = charts._wrap_categories(pr[["ligne"]], "ligne")
    for label, ligne, annee in zip(wrapped["ligne"], pr["ligne"], pr["annee"], strict=True):
        assert label.endswith(f"\u00a0·\u00a0{annee}") and label.replace("<br>", " ") == ligne, label
