"""The "Heures et activités" page on the demo data: the figures shown are those of impact.indicators.heures."""

import base64
import json

import numpy as np
import pytest

from impact import columns, fmt, privacy
from impact.filters import Filtres
from impact.indicators import core, heures
from tests.app.conftest import metric_values, run_app

IAE = ("ACI", "AI", "EI", "EITI", "ETTI")


def charts(at) -> list[list[dict]]:
    """The traces of every plotly chart of the page, in order."""
    return [json.loads(p.proto.spec)["data"] for p in at.get("plotly_chart")]


def values(arr) -> list[float]:
    """A plotly array as numbers (plotly may encode it as base64 typed array)."""
    if isinstance(arr, dict):
        return np.frombuffer(base64.b64decode(arr["bdata"]), dtype=np.dtype(arr["dtype"])).tolist()
    return list(arr)


def table(at, first_column: str, *others: str):
    """The first table of the page whose columns start with first_column and include the others."""
    for d in at.dataframe:
        cols = list(d.value.columns)
        if cols[0] == first_column and all(c in cols for c in others):
            return d.value
    raise AssertionError(f"aucun tableau commençant par {first_column}")


def labels(vals, unit="h") -> list[str]:
    return [fmt.integer(v) + "\u00a0" + unit for v in vals]


def column_labels(vals) -> list[str]:
    """Labels of vertical bars of hours: without their unit when one of them reaches 10 000 h (the axis says
    "heures"), with it otherwise."""
    big = any(v >= 10_000 for v in vals)
    return [fmt.integer(v) + ("" if big else "\u00a0h") for v in vals]


@pytest.mark.parametrize(
    "query, filtres",
    [
        # {"periode": ["2020", "2021"]}: in test_private_partnership_hours_apart_from_public_clauses.
        (
            {"periode": ["2025", "2025"], "communes": "Montrevault-sur-Èvre"},
            Filtres.annee(2025, communes=("49218",)),
        ),
        (
            {"periode": ["2020", "2021"], "secteurs": "Partenariats privés"},
            Filtres(2020, 2021, secteurs=("prive",)),
        ),
        ({"periode": ["2022", "2024"], "familles": "IAE"}, Filtres(2022, 2024, types=IAE)),
        (
            {"periode": ["2024", "2024"], "structures": "Alise – chantier d'insertion"},
            Filtres.annee(2024, structures=("ALISE_ACI",)),
        ),
    ],
)
def test_heures_page_shows_the_indicators(demo_db, query, filtres):
    check_indicators(run_app("heures.py", **query, voir=True), demo_db, filtres)


def check_indicators(at, demo_db, filtres):
    """The figures, charts and tables of the page equal the indicators under these filters."""
    assert at.title[0].value == "Heures et activités"
    m = metric_values(at)
    k = core.heures(demo_db, filtres)
    assert m["Heures travaillées"] == fmt.hours(k["heures_travaillees"])
    assert m["Heures facturées (AI, ETTI)"] == fmt.hours(k["heures_facturees"])
    assert m["Heures de formation"] == fmt.hours(k["heures_formation"])
    sect = heures.par_secteur(demo_db, filtres)
    for row in sect.itertuples():
        label = f"Heures, {row.secteur_libelle[:1].lower()}{row.secteur_libelle[1:]}"
        assert m[label] == fmt.hours(row.heures_travaillees)

    traces = charts(at)
    mois = heures.par_mois(demo_db, filtres)
    assert traces[0][0]["text"] == column_labels(mois["heures_travaillees"])
    assert traces[0][0]["x"] == list(mois["libelle"])
    assert values(traces[0][0]["y"]) == pytest.approx(list(mois["heures_travaillees"]))

    by_contract = heures.par_marche(demo_db, filtres)
    shown = table(at, "marché ou partenariat", "personnes")
    assert list(shown["marché ou partenariat"]) == list(by_contract["marche"])
    assert list(shown["heures travaillées"]) == [fmt.hours(v) for v in by_contract["heures_travaillees"]]
    assert list(shown["personnes"]) == [fmt.integer(v) for v in by_contract["personnes"]]

    # One ranking of the period's hours at a time: by contract first (the others, test_one_ranking_at_a_time).
    titles = [h.value for h in at.subheader]
    assert not any("dans chaque structure" in t or "par activité pendant" in t for t in titles), titles

    pr = heures.prevues_realisees(demo_db, filtres)
    if pr.empty:
        assert not any(list(d.value.columns)[-1] == "part réalisée" for d in at.dataframe)
    else:
        shown = table(at, "marché ou partenariat", "part réalisée")
        assert list(shown["heures réalisées"]) == [fmt.hours(v) for v in pr["heures_realisees"]]
        assert list(shown["heures prévues dans l'année"]) == [fmt.hours(v) for v in pr["heures_prevues"]]
        planned = next(t for tr in traces for t in tr if t.get("name") == "Prévues (prorata)")
        assert planned["text"] == labels(pr["heures_prevues"].dropna())


@pytest.mark.parametrize("par", heures.REPARTITIONS)
def test_one_ranking_at_a_time(demo_db, par):
    """The hours of the period ranked by contract, structure or activity: the choice (kept in the address)
    draws that ranking alone, its title, chart and table equal to the indicator."""
    f = Filtres(2022, 2024, types=IAE)
    at = run_app("heures.py", periode=["2022", "2024"], familles="IAE", heures_par=par, voir=True)
    assert at.segmented_control(key="heures_par").value == par
    column, title, expected, label = {
        "Marché ou partenariat": (
            "marché ou partenariat",
            "Les heures travaillées sur chaque marché ou partenariat pendant la période",
            heures.par_marche(demo_db, f),
            "marche",
        ),
        "Structure": (
            "structure",
            "Les heures travaillées dans chaque structure pendant la période",
            heures.par_structure(demo_db, f),
            "structure",
        ),
        "Activité": (
            "activité",
            "Les heures travaillées par activité pendant la période",
            heures.par_activite(demo_db, f),
            "activite",
        ),
    }[par]
    assert title in [h.value for h in at.subheader]
    others = {"Marché ou partenariat": "sur chaque marché", "Structure": "dans chaque structure",
              "Activité": "par activité pendant"}  # fmt: skip
    assert not any(o in h.value for h in at.subheader for p, o in others.items() if p != par)
    shown = table(at, column, "heures travaillées")
    assert list(shown[column]) == list(expected[label])
    assert list(shown["heures travaillées"]) == [fmt.hours(v) for v in expected["heures_travaillees"]]
    if par != "Marché ou partenariat":  # the contracts' chart draws contract hours only (sur_contrat)
        names = list(expected[label])
        # each bar's hover names its category in full (a long label is cut on the axis, impact.charts)
        ranking = next(tr for tr in charts(at) if tr[0]["hovertext"][0].split(" : ")[0] == names[0])
        drawn = [h.split(" : ")[0] for h in ranking[0]["hovertext"]]
        assert drawn == names[: len(drawn)]
        assert values(ranking[0]["x"]) == pytest.approx(list(expected["heures_travaillees"])[: len(drawn)])


def test_private_partnership_hours_apart_from_public_clauses(demo_db):
    at = run_app("heures.py", periode=["2020", "2021"], voir=True)
    f = Filtres(2020, 2021)
    check_indicators(at, demo_db, f)
    sect = heures.par_secteur(demo_db, f).set_index("secteur")
    m = metric_values(at)
    assert m["Heures, partenariats privés"] == fmt.hours(sect.loc["prive", "heures_travaillees"])
    assert m["Heures, marchés publics"] == fmt.hours(sect.loc["public", "heures_travaillees"])
    # The chart of hours by year keeps the two sectors as separate series (never a pooled bar).
    by_year = next(
        tr for tr in charts(at) if {t["name"] for t in tr} == {"Marchés publics", "Partenariats privés"}
    )
    assert len(by_year) == 2
    # The billed and training hours are side by side with the hours worked, not stacked on them.
    three = next(tr for tr in charts(at) if len(tr) == 3)
    assert [t["name"] for t in three] == [
        "Heures travaillées",
        "Heures facturées (AI, ETTI)",
        "Heures de formation",
    ]
    assert json.loads(at.get("plotly_chart")[1].proto.spec)["layout"]["barmode"] == "group"
    # The pro-rata rule of the planned hours is written in the caption and on the chart.
    assert any(heures.RULE_PRORATA in c.value for c in at.caption)
    fig = json.loads(at.get("plotly_chart")[-1].proto.spec)
    assert "Prévues (prorata)" in [t["name"] for t in fig["data"]]  # in the legend (not a cut axis title)
    assert fig["layout"]["xaxis"]["title"]["text"] == "heures d'insertion"


def test_empty_selection_says_so():
    # No private partnership before April 2020.
    at = run_app("heures.py", periode=["2019", "2019"], secteurs="Partenariats privés")
    assert any("Aucune heure déclarée pour cette sélection" in i.value for i in at.info)
    assert not at.get("plotly_chart")


def test_presentation_mode_masks_small_counts(demo_db):
    at = run_app(
        "heures.py",
        mode="presentation",
        periode=["2021", "2021"],
        structures="Coteaux Indépendants Solidaires",
        heures_par="Structure",
        voir=True,
    )
    people = [v for d in at.dataframe if "personnes" in d.value.columns for v in d.value["personnes"]]
    assert people, "aucune colonne de personnes"
    assert "< 5" in people
    for v in people:
        assert v in ("< 5", privacy.MASQUE_SECONDAIRE, "0") or int(v.replace("\u202f", "")) >= 5


def test_tables_of_values_are_computed_only_once_opened(demo_db, monkeypatch):
    """« Voir le tableau des valeurs » holds nothing until it is opened: no grid, no download, no table
    formatted on the server. Opened (a click sets its key), it shows the chart's values, and only its own."""
    made = []
    real = columns.shown
    monkeypatch.setattr(columns, "shown", lambda df, **kw: made.append(list(df.columns)) or real(df, **kw))
    at = run_app("heures.py", periode=["2024", "2024"], heures_par="Structure")
    closed = [e.label for e in at.expander if e.label == "Voir le tableau des valeurs"]
    assert len(closed) >= 5, closed
    assert not at.dataframe and not at.get("download_button") and not made
    at.session_state["voir_heures_par_structure"] = True
    at.run()
    assert len(at.dataframe) == 1 and len(made) == 1
    expected = heures.par_structure(demo_db, Filtres.annee(2024))
    shown = at.dataframe[0].value
    assert list(shown["structure"]) == list(expected["structure"])
    assert shown["heures travaillées"].tolist() == labels(expected["heures_travaillees"])
    assert [b.proto.label for b in at.get("download_button")] == ["Télécharger le tableau (CSV pour Excel)"]
    # It stays open when the page runs again (a filter changed): its key keeps it.
    at.run()
    assert list(at.dataframe[0].value["structure"]) == list(expected["structure"])
