"""The map page on the demo data: it runs under several filters, its table holds the figures of
impact.indicators.territoire, small counts are masked in presentation mode, and choosing a commune in the
list filters the whole dashboard to it."""

import base64
import json

import numpy as np
import pytest

from impact import fmt
from impact.filters import Filtres
from impact.indicators import territoire
from tests.app.conftest import normalize, run_app

DELEGUEES = "Communes déléguées"


def table(at, index=0):
    return at.dataframe[index].value


def values(array) -> list:
    """A figure array as plotly serialises it: a plain list, or {"dtype", "bdata"} (base64 typed array)."""
    if isinstance(array, dict):
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=np.dtype(array["dtype"])).tolist()
    return list(array)


def figure(at) -> dict:
    charts = at.get("plotly_chart")
    assert len(charts) == 1
    return json.loads(charts[0].proto.spec)


@pytest.mark.parametrize(
    "query, filtres, niveau",
    [
        ({"periode": ["2025", "2025"]}, Filtres.annee(2025), "nouvelle"),
        ({"periode": ["2025", "2025"], "niveau": DELEGUEES}, Filtres.annee(2025), "deleguee"),
        (
            {"periode": ["2022", "2024"], "familles": "IAE", "niveau": DELEGUEES},
            Filtres(2022, 2024, types=("ACI", "AI", "EI", "EITI", "ETTI")),
            "deleguee",
        ),
        (
            {"periode": ["2021", "2021"], "secteurs": "Partenariats privés"},
            Filtres.annee(2021, secteurs=("prive",)),
            "nouvelle",
        ),
        (
            {"periode": ["2025", "2025"], "communes": "Montrevault-sur-Èvre"},
            Filtres.annee(2025, communes=("49218",)),
            "nouvelle",
        ),
    ],
)
def test_map_table_equals_the_indicators(demo_db, query, filtres, niveau):
    at = run_app(page="carte.py", **query, voir=True)
    expected = territoire.par_commune(demo_db, filtres, niveau)
    shown = table(at)
    assert list(shown["code INSEE"]) == list(expected["code_insee"])
    assert list(shown["heures réalisées"]) == [fmt.number(h) for h in expected["heures"]]
    assert list(shown["interventions"]) == [fmt.integer(n) for n in expected["interventions"]]
    assert list(shown["personnes résidentes employées"]) == [fmt.integer(n) for n in expected["personnes"]]
    # The map draws exactly these communes, coloured by hours, on a style that needs no network.
    fig = figure(at)
    assert fig["layout"]["geo"]["visible"] is False  # no base layer to fetch
    base = fig["data"][0]
    assert base["type"] == "choropleth"
    assert list(base["locations"]) == list(expected["code_insee"])
    assert {tr["type"] for tr in fig["data"]} <= {"choropleth", "scattergeo"}
    # The intervention list holds the active interventions of the period under the filters.
    points = territoire.interventions(demo_db, filtres)
    if not points.empty:
        assert list(table(at, 1)["intervention"]) == list(points["intervention_id"])


def test_indicator_switch(demo_db):
    at = run_app(page="carte.py", periode=["2025", "2025"], indicateur="Heures pour 1 000 habitants")
    expected = territoire.par_commune(demo_db, Filtres.annee(2025), "nouvelle")
    coloured = figure(at)["data"][1]
    assert values(coloured["z"]) == pytest.approx(list(expected["heures_1000_hab"]))
    # The label names its unit: said once ("Heures pour 1 000 habitants", not "(heures pour 1 000 hab.)").
    assert coloured["colorbar"]["title"]["text"].replace("<br>", " ") == "Heures pour 1 000 habitants"


def test_presentation_mode_masks_people_below_5(demo_db):
    at = run_app(
        page="carte.py",
        periode=["2025", "2025"],
        niveau=DELEGUEES,
        indicateur="Personnes résidentes employées",
        mode="presentation",
        voir=True,
    )
    expected = territoire.par_commune(demo_db, Filtres.annee(2025), "deleguee")
    shown = dict(zip(table(at)["code INSEE"], table(at)["personnes résidentes employées"], strict=True))
    small = expected[(expected["personnes"] > 0) & (expected["personnes"] < 5)]
    assert len(small) > 5
    for code in small["code_insee"]:
        assert shown[code] == "< 5"
    fig = figure(at)
    hover = dict(zip(fig["data"][0]["locations"], [c[3] for c in fig["data"][0]["customdata"]], strict=True))
    for code in small["code_insee"]:
        assert "Personnes résidentes employées : < 5" in hover[code]
    # Masked communes are not coloured (the colour would give the value away).
    assert not set(small["code_insee"]) & set(fig["data"][1]["locations"])


def test_neighbours_drawn_and_choosing_a_commune_in_the_list_filters_the_dashboard(demo_db):
    at = run_app(page="carte.py", periode=["2025", "2025"], voir=True)
    # 2025: the Veolia meter reading in Loire Layon Aubance (Terranjou, Brissac…) is on the map.
    codes = set(table(at)["code INSEE"])
    assert {"49086", "49050", "49167", "49345"} <= codes
    assert "49063" not in codes  # Chalonnes-sur-Loire: no work in 2025
    at.selectbox(key="carte_liste").select("Sèvremoine").run()
    assert not at.exception, [e.value for e in at.exception]
    # The list's callback sets the sidebar filter (key "communes", bound to the URL) and empties the list.
    # AppTest loses the sidebar widgets after switch_page, so the effect of that state on the next run is
    # checked in the browser (tests/e2e/test_carte.py); here, the state and then the same filter by URL.
    assert at.session_state["communes"] == ["Sèvremoine"]
    assert at.session_state["carte_liste"] is None
    at = run_app(page="carte.py", periode=["2025", "2025"], communes="Sèvremoine", voir=True)
    assert "Communes : Sèvremoine" in normalize(" ".join(m.value for m in at.markdown))
    expected = territoire.par_commune(demo_db, Filtres.annee(2025, communes=("49301",)), "nouvelle")
    assert list(table(at)["heures réalisées"]) == [fmt.number(h) for h in expected["heures"]]
    assert expected.set_index("code_insee").at["49218", "heures"] == 0  # the other communes: nothing
    # The selected commune is outlined on the map, and a button takes the filter off again.
    assert "Commune sélectionnée" in [tr.get("name") for tr in figure(at)["data"]]
    at.button[[b.label for b in at.button].index("Revenir à toutes les communes")].click().run()
    assert at.session_state["communes"] == []
