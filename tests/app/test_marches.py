"""The "Marchés et partenariats" page on the demo data: the figures shown are those of impact.indicators.marches."""

import json

import pytest

from impact import fmt
from impact.filters import Filtres
from impact.indicators import marches
from tests.app.conftest import metric_values, run_app
from tests.app.test_heures import labels, table, values


def charts(at) -> list[dict]:
    return [json.loads(p.proto.spec) for p in at.get("plotly_chart")]


@pytest.mark.parametrize(
    "query, filtres",
    [
        ({}, Filtres.annee(2025)),  # default: the last complete year
        ({"periode": ["2020", "2021"]}, Filtres(2020, 2021)),
        (
            {"periode": ["2019", "2026"], "secteurs": "Partenariats privés"},
            Filtres(2019, 2026, secteurs=("prive",)),
        ),
        (
            {"periode": ["2024", "2024"], "structures": "Alise – chantier d'insertion"},
            Filtres.annee(2024, structures=("ALISE_ACI",)),
        ),
    ],
)
def test_marches_page_shows_the_indicators(demo_db, query, filtres):
    at = run_app("marches.py", **query, voir=True)
    assert at.title[0].value == "Marchés et partenariats"
    s = marches.synthese(demo_db, filtres)
    m = metric_values(at)
    assert m["Marchés et partenariats"] == fmt.integer(s["marches"])
    assert m["Heures, marchés publics"] == fmt.hours(s["heures_publics"])
    assert m["Heures, partenariats privés"] == fmt.hours(s["heures_prives"])
    assert m["Chiffre d'affaires rattaché"] == fmt.euros(s["chiffre_affaires"])

    liste = marches.liste(demo_db, filtres)
    shown = table(at, "marché ou partenariat", "structures ayant des heures")
    assert list(shown["marché ou partenariat"]) == list(liste["intitule"])
    assert list(shown["acheteur ou partenaire"]) == list(liste["donneur_ordre"])
    assert list(shown["dispositif"]) == list(liste["dispositif_libelle"])
    assert list(shown["heures réalisées"]) == [fmt.hours(v) for v in liste["heures_realisees"]]
    assert list(shown["heures prévues sur la période"]) == [
        fmt.hours(v) for v in liste["heures_prevues_periode"]
    ]
    assert list(shown["part réalisée"]) == [fmt.percent(v) for v in liste["taux_realisation"]]
    assert list(shown["chiffre d'affaires HT"]) == [fmt.euros(v) for v in liste["chiffre_affaires"]]
    assert list(shown["fin"]) == [fmt.day_or(d, "en cours") for d in liste["date_fin"]]

    figs = charts(at)
    chrono = marches.chronologie(demo_db, filtres)
    timeline = figs[0]
    # The bars, not the invisible trace that holds the years written on top (charts.timeline).
    bars_drawn = [t for t in timeline["data"] if t["type"] == "bar"]
    # One trace per sector (first appearance order), one bar per contract.
    expected_labels = [
        lab for _, part in chrono.groupby("secteur_libelle", sort=False) for lab in part["libelle"]
    ]
    assert [y for t in bars_drawn for y in t["y"]] == expected_labels
    # Every title written whole above its bar (on two lines when long), none cut by "…".
    above = [
        a["text"].replace("<br>", " ") for a in timeline["layout"]["annotations"] if a.get("yref") == "y"
    ]
    assert above == list(chrono["libelle"])
    assert [lab.removesuffix(" (en cours)") for lab in chrono["libelle"]] == list(chrono["intitule"])
    durations = sorted(v for t in bars_drawn for v in values(t["x"]))
    expected = sorted(((chrono["fin_affichee"] - chrono["date_debut"]).dt.days + 1) * 86_400_000)
    assert durations == pytest.approx(expected)

    ca = marches.ca_par_annee_secteur(demo_db, filtres)
    bars = {t["name"]: t["text"] for t in figs[1]["data"]}
    for name, part in ca[ca["secteur"] != "hors_marche"].groupby("secteur_libelle"):
        assert bars[name] == labels(part["chiffre_affaires"], "€")
    shown = table(at, "année", "chiffre d'affaires HT")
    assert list(shown["chiffre d'affaires HT"]) == [fmt.euros(v) for v in ca["chiffre_affaires"]]


def test_open_ended_partnership_runs_to_the_data_date(demo_db):
    at = run_app("marches.py", periode=["2026", "2026"])
    chrono = marches.chronologie(demo_db, Filtres.annee(2026))
    open_ended = chrono[chrono["en_cours"]]
    assert not open_ended.empty
    assert (open_ended["fin_affichee"].dt.date == demo_db.donnees_au).all()
    ys = [y for t in charts(at)[0]["data"] for y in t["y"]]
    assert all(lab in ys and lab.endswith("(en cours)") for lab in open_ended["libelle"])


def test_commune_filter_has_no_revenue(demo_db):
    at = run_app("marches.py", periode=["2024", "2024"], communes="Montrevault-sur-Èvre")
    assert metric_values(at)["Chiffre d'affaires rattaché"] == "non localisé"
    assert any("n'est pas localisé par commune" in i.value for i in at.info)
    liste = marches.liste(demo_db, Filtres.annee(2024, communes=("49218",)))
    shown = table(at, "marché ou partenariat", "structures ayant des heures")
    assert list(shown["heures réalisées"]) == [fmt.hours(v) for v in liste["heures_realisees"]]
    assert set(shown["chiffre d'affaires HT"]) == {fmt.DASH}


def test_empty_selection_says_so():
    # No private partnership before 2020: no contract in the period, but the timeline of every year stays.
    at = run_app("marches.py", periode=["2019", "2019"], secteurs="Partenariats privés")
    assert any("Aucun marché ni partenariat pour cette sélection" in i.value for i in at.info)
    assert metric_values(at)["Marchés et partenariats"] == "0"
    assert at.get("plotly_chart")  # timeline and revenue by year are not bound to the period


def test_presentation_mode_runs():
    at = run_app("marches.py", mode="presentation", periode=["2022", "2024"], voir=True)
    assert at.title[0].value == "Marchés et partenariats"
    assert at.session_state["_presentation"]  # masking on (the presenter's bar says it, checked in a browser)
    # The list of contracts is printed plain for the room (long names wrapped, no column off the screen), with
    # the columns its title promises; the team's grid keeps them all, and the same rows.
    plain = run_app("marches.py", periode=["2022", "2024"])
    grid = next(d.value for d in plain.dataframe if "acheteur ou partenaire" in d.value.columns)
    room = next(t.value for t in at.table if "acheteur ou partenaire" in t.value.columns)
    assert list(room.columns) == list(grid.columns[: len(marches.TABLEAU_SALLE)])
    assert list(room.columns)[-2:] == ["acheteur ou partenaire", "dispositif"]
    assert room.equals(grid[room.columns])
