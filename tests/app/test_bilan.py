"""The Bilan annuel page on the demo data: figures equal the indicators, three years, masking in presentation."""

from impact import fmt
from impact.filters import Filtres
from impact.indicators import bilan, kpis
from tests.app.conftest import metric_values, normalize, run_app

PAGE = "bilan.py"


def test_default_year_is_the_last_complete_one_and_figures_are_kpis(demo_db):
    at = run_app(page=PAGE)
    # Demo data stop at 30/09/2026: the report defaults to 2025.
    assert at.selectbox(key="bilan_annee").value == 2025
    k = kpis(demo_db, Filtres.annee(2025))
    m = metric_values(at)
    assert m["Heures travaillées"] == fmt.hours(k["heures_travaillees"])
    assert m["Personnes employées"] == fmt.integer(k["personnes_employees"])
    assert m["Équivalents temps plein"] == fmt.etp(k["etp"])
    assert m["Taux de sortie dynamique"] == fmt.percent(k["taux_sortie_dynamique"])
    assert m["Chiffre d'affaires (HT)"] == fmt.euros(k["chiffre_affaires"])
    prev = kpis(demo_db, Filtres.annee(2024))
    heures = next(x for x in at.metric if x.label == "Heures travaillées")
    variation = (k["heures_travaillees"] - prev["heures_travaillees"]) / prev["heures_travaillees"]
    assert heures.delta == f"{fmt.signed_percent(variation)} par rapport à 2024"
    text = normalize(" ".join(e.value for e in at.markdown))
    assert (
        f"En 2025, 12 structures du collectif ont réalisé {normalize(fmt.hours(k['heures_travaillees']))}"
        in text
    )
    # The three-year table: every key figure, 2023 to 2025.
    table = at.dataframe[0].value
    assert list(table.columns[:4]) == ["indicateur", "2023", "2024", "2025"]
    assert len(table) == len(bilan.INDICATEURS)


def test_another_year_and_sidebar_filters_do_not_apply(demo_db):
    at = run_app(page=PAGE, familles="IAE", communes="Sèvremoine")
    at.selectbox(key="bilan_annee").set_value(2022).run()
    assert not at.exception
    k = kpis(demo_db, Filtres.annee(2022))  # the whole collective
    assert metric_values(at)["Heures travaillées"] == fmt.hours(k["heures_travaillees"])
    # The year still being recorded (data up to 30/09/2026) is labelled so.
    assert sorted(at.selectbox(key="bilan_annee").options) == [str(a) for a in range(2021, 2026)] + [
        "2026 (incomplète)"
    ]


def test_presentation_mode_masks_small_counts(demo_db):
    at = run_app(page=PAGE, mode="presentation")
    b = bilan.bilan(demo_db, 2025)
    qpv = "Habitants d'un quartier prioritaire (QPV)"
    frames = [d.value for d in at.dataframe]
    publics = next(f for f in frames if "public" in f.columns)
    row = publics.set_index("public").loc[qpv]
    assert b.publics.set_index("public").at[qpv, "2025"] < 5
    assert list(row) == ["< 5"] * 4
    plain = run_app(page=PAGE)
    publics = next(d.value for d in plain.dataframe if "public" in d.value.columns)
    assert publics.set_index("public").at[qpv, "2025"] == fmt.integer(
        b.publics.set_index("public").at[qpv, "2025"]
    )
