"""The home page (Vue d'ensemble) on the demo data: its figures are those of impact.indicators.kpis."""

import json

import pytest

from impact import fmt, privacy
from impact.filters import Filtres
from impact.indicators import kpis
from tests.app.conftest import metric_values, normalize, run_app


def test_home_shows_kpis_of_the_default_year(demo_db):
    at = run_app()
    # The demo data stop on 30/09/2026: the default year is the last complete one, 2025.
    k = kpis(demo_db, Filtres.annee(2025))
    m = metric_values(at)
    assert m["Heures travaillées"] == fmt.hours(k["heures_travaillees"])
    assert m["Personnes employées"] == fmt.integer(k["personnes_employees"])
    assert m["En parcours (IAE)"] == fmt.integer(k["salaries_en_parcours"])
    assert m["Équivalents temps plein"] == fmt.etp(k["etp"])
    assert m["Sorties dynamiques"] == fmt.percent(k["taux_sortie_dynamique"])
    text = normalize(" ".join(e.value for e in at.markdown))
    assert "Données fictives de démonstration — données au 30/09/2026" in text


@pytest.mark.parametrize(
    "query, filtres",
    [
        ({"periode": ["2021", "2021"]}, Filtres.annee(2021)),
        (
            {"periode": ["2022", "2024"], "familles": "IAE"},
            Filtres(2022, 2024, types=("ACI", "AI", "EI", "EITI", "ETTI")),
        ),
        (
            {"periode": ["2025", "2025"], "communes": "Montrevault-sur-Èvre"},
            Filtres.annee(2025, communes=("49218",)),
        ),
        (
            {"periode": ["2020", "2021"], "secteurs": "Partenariats privés"},
            Filtres(2020, 2021, secteurs=("prive",)),
        ),
    ],
)
def test_home_follows_url_filters(demo_db, query, filtres):
    at = run_app(**query)
    k = kpis(demo_db, filtres)
    m = metric_values(at)
    assert m["Heures travaillées"] == fmt.hours(k["heures_travaillees"])
    assert m["Personnes employées"] == fmt.integer(k["personnes_employees"])
    assert m["Équivalents temps plein"] == fmt.etp(k["etp"])


def test_presentation_mode_masks_small_counts(demo_db):
    # One small structure in one year: 4 people employed, 4 in an IAE path, no exit.
    nom, sid = "Coteaux Indépendants Solidaires", "EITI_COTEAUX"
    k = kpis(demo_db, Filtres.annee(2021, structures=(sid,)))
    assert privacy.is_small(k["personnes_employees"]) and privacy.is_small(k["salaries_en_parcours"])
    assert k["sorties"] == 0
    m = metric_values(run_app(mode="presentation", periode=["2021", "2021"], structures=nom, voir=True))
    assert m["Heures travaillées"] == fmt.hours(k["heures_travaillees"])  # the filter did apply
    assert m["Personnes employées"] == privacy.MASQUE
    assert m["En parcours (IAE)"] == privacy.MASQUE
    assert m["Sorties (IAE)"] == "0"  # zero is not masked


def test_the_year_still_being_recorded_is_labelled_on_the_charts(demo_db):
    """The demo's data stop on 30/09/2026: its shorter 2026 bar and lower points say so on their axis."""
    at = run_app()
    for chart in at.get("plotly_chart")[:2]:  # hours by year, people by year
        xs = [x for trace in json.loads(chart.proto.spec)["data"] for x in trace["x"]]
        assert xs[-1] == "2026<br>(au 30/09)" and "2025" in xs, xs


def test_change_against_previous_year_and_none_for_an_incomplete_year(demo_db):
    k25, k24 = kpis(demo_db, Filtres.annee(2025)), kpis(demo_db, Filtres.annee(2024))
    at = run_app(periode=["2025", "2025"])
    m = {x.label: x for x in at.metric}
    change = (k25["heures_travaillees"] - k24["heures_travaillees"]) / k24["heures_travaillees"]
    expected = f"{'−' if change < 0 else '+'}{fmt.percent(abs(change))} par rapport à 2024"
    assert m["Heures travaillées"].delta == expected
    # The exits are compared too, whichever way they went: their count on its tile, their rate in the text.
    change = (k25["sorties"] - k24["sorties"]) / k24["sorties"]
    assert (
        m["Sorties (IAE)"].delta
        == f"{'−' if change < 0 else '+'}{fmt.percent(abs(change))} par rapport à 2024"
    )
    text = normalize(" ".join(e.value for e in at.markdown))
    assert (
        normalize(
            f"{fmt.percent(k25['taux_sortie_dynamique'])} sont des sorties dynamiques (emploi durable, emploi de "
            f"transition ou sortie positive), contre {fmt.percent(k24['taux_sortie_dynamique'])} en 2024."
        )
        in text
    )
    at = run_app(periode=["2026", "2026"])
    assert all(x.delta in (None, "") or "sorties examinées" in x.delta for x in at.metric)
    assert any("2026 incomplète" in c.value for c in at.caption)
    assert (
        "sorties dynamiques (emploi durable, emploi de transition ou sortie positive), contre"
        not in normalize(" ".join(e.value for e in at.markdown))
    )


def test_presentation_mode_hides_a_rate_that_would_give_back_a_small_count(demo_db):
    from impact.indicators import listes

    structures = listes.structures(demo_db)
    for sid, nom in zip(structures["structure_id"], structures["nom"], strict=True):
        k = kpis(demo_db, Filtres.annee(2025, structures=(sid,)))
        if k["taux_sortie_emploi_durable"] is not None and privacy.is_small(k["sorties_emploi_durable"]):
            break
    else:
        raise AssertionError(
            "la démo devrait contenir une structure avec un petit nombre de sorties durables"
        )
    team = metric_values(run_app(periode=["2025", "2025"], structures=nom))
    assert team["Sorties en emploi durable"] == fmt.percent(k["taux_sortie_emploi_durable"])
    shown = metric_values(run_app(periode=["2025", "2025"], structures=nom, mode="presentation", voir=True))
    assert shown["Sorties en emploi durable"] == privacy.MASQUE_SECONDAIRE  # "petit effectif" under it


def test_the_collective_s_story_shows_its_latest_milestones_and_folds_the_others(demo_db):
    """The story ran three screens down the right column on a projector: the latest 4 milestones in sight, the
    earlier ones, in order, in an expander that says how many and since when."""
    from impact.indicators import vue

    jal = vue.jalons(demo_db)
    assert len(jal) > 4
    at = run_app(page="vue_ensemble.py", mode="presentation")
    folded = next(e for e in at.expander if e.label.startswith("Les ") and "jalons" in e.label)
    first = fmt.day_long(jal["date"].iloc[0])
    assert folded.label == f"Les {len(jal) - 4} jalons précédents, depuis {jal['date'].iloc[0].year}"
    inside = [m.value for m in folded.markdown]
    assert len(inside) == len(jal) - 4 and inside[0].startswith(f"**{first}**")
    last = jal["titre"].iloc[-1]
    assert not any(last in v for v in inside)
    assert any(last in m.value for m in at.markdown)


def test_one_commune_s_summary_says_residents_and_work_in_the_commune_apart(demo_db):
    """Helper review of 2026-12-06: filtered on Orée d'Anjou, the summary read "4 structures du collectif ont
    employé 40 personnes… Elles ont réalisé 2 730 h de travail, soit 1,7 ETP": 40 people for 1,7 ETP, since the
    40 are the commune's residents wherever they worked and the hours those worked in the commune. It now says
    each for what it is, as the Fiche commune does."""
    from impact.indicators import vue

    f = Filtres.annee(2025, communes=("49126",))
    k = kpis(demo_db, f)
    actives = vue.structures_actives(demo_db, f)
    at = run_app("vue_ensemble.py", periode="2025", communes="Orée d'Anjou")
    text = normalize(next(m.value for m in at.markdown if m.value.startswith("En 2025")))
    assert text.startswith(
        f"En 2025, {k['personnes_employees']} habitants d'Orée d'Anjou ont travaillé dans les structures du "
        f"collectif, dont {k['salaries_en_parcours']} en parcours d'insertion (IAE). À Orée d'Anjou, "
        f"{actives} structures du collectif ont réalisé {normalize(fmt.hours(k['heures_travaillees']))} de "
        f"travail, soit {normalize(fmt.etp(k['etp']))}."
    ), text
    assert (k["personnes_employees"], actives) == (40, 4)
