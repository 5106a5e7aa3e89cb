"""The Bilan annuel page on the demo data: figures equal the indicators, three years, masking in presentation."""

import json

from streamlit.proto.Metric_pb2 import Metric as MetricProto

from impact import fmt, privacy
from impact.filters import Filtres
from impact.indicators import bilan, kpis
from tests.app.conftest import metric_values, normalize, run_app

PAGE = "bilan.py"
QPV = "Habitants d'un quartier prioritaire (QPV)"


def _publics(at):
    # a grid, or a plain table in presentation mode (room)
    return next(d.value for d in [*at.dataframe, *at.table] if "public" in d.value.columns).set_index(
        "public"
    )


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

    # Changes against 2024, each sign written out: the demo has a rise (hours), a fall (exits) and a fall
    # of a rate (in points, not in percent), so a sign or a unit taken from the wrong place fails here.
    prev = kpis(demo_db, Filtres.annee(2024))
    delta = {x.label: x.delta for x in at.metric}
    heures, heures_avant = k["heures_travaillees"], prev["heures_travaillees"]
    assert heures > heures_avant
    assert (
        delta["Heures travaillées"]
        == f"+{fmt.percent((heures - heures_avant) / heures_avant)} par rapport à 2024"
    )
    sorties, sorties_avant = k["sorties"], prev["sorties"]
    assert sorties < sorties_avant
    assert (
        delta["Sorties (IAE)"]
        == f"−{fmt.percent((sorties_avant - sorties) / sorties_avant)} par rapport à 2024"
    )
    taux, taux_avant = k["taux_sortie_dynamique"], prev["taux_sortie_dynamique"]
    assert taux < taux_avant
    points = fmt.number((taux_avant - taux) * 100, 1)
    assert delta["Taux de sortie dynamique"] == f"−{points} pt par rapport à 2024"
    # The minus sign of French typography (U+2212), and the badge still reads the fall: arrow down, in red; the
    # rise up, in green; the exits, whose change is neither good nor bad (ui.SANS_SENS), in grey.
    badge = {x.label: (x.proto.direction, x.proto.color) for x in at.metric}
    assert badge["Taux de sortie dynamique"] == (
        MetricProto.MetricDirection.DOWN,
        MetricProto.MetricColor.RED,
    )
    assert badge["Heures travaillées"] == (MetricProto.MetricDirection.UP, MetricProto.MetricColor.GREEN)
    assert badge["Sorties (IAE)"] == (MetricProto.MetricDirection.DOWN, MetricProto.MetricColor.GRAY)

    # "En 2025, N structures…": N counted by hand from the loaded hours (structures with hours in 2025).
    h = demo_db.result.tables["heures"]
    actives = h.loc[(h["mois"].dt.year == 2025) & (h["heures_travaillees"] > 0), "structure_id"].nunique()
    text = normalize(" ".join(e.value for e in at.markdown))
    assert (
        f"En 2025, {actives} structures du collectif ont réalisé {normalize(fmt.hours(k['heures_travaillees']))}"
        in text
    )
    # The three-year table: every key figure, 2023 to 2025.
    table = at.dataframe[0].value
    assert list(table.columns[:4]) == ["indicateur", "2023", "2024", "2025"]
    assert len(table) == len(bilan.INDICATEURS)
    # Outside presentation mode a small count is shown as it is (the masked case is the test below).
    b = bilan.bilan(demo_db, 2025)
    assert _publics(at).at[QPV, "2025"] == fmt.integer(b.publics.set_index("public").at[QPV, "2025"])


def test_another_year_and_sidebar_filters_do_not_apply(demo_db):
    at = run_app(page=PAGE, familles="IAE", communes="Sèvremoine")
    at.selectbox(key="bilan_annee").set_value(2022).run()
    assert not at.exception
    k = kpis(demo_db, Filtres.annee(2022))  # the whole collective
    assert metric_values(at)["Heures travaillées"] == fmt.hours(k["heures_travaillees"])
    # The year still being recorded (data up to 30/09/2026) is labelled so.
    assert sorted(at.selectbox(key="bilan_annee").options) == [str(a) for a in range(2021, 2026)] + [
        "2026 (en cours)"
    ]


def test_presentation_mode_masks_small_counts(demo_db):
    at = run_app(page=PAGE, mode="presentation", voir=True)
    b = bilan.bilan(demo_db, 2025)
    assert 0 < b.publics.set_index("public").at[QPV, "2025"] < privacy.SEUIL
    # three years masked, and the share of a masked count
    assert list(_publics(at).loc[QPV]) == [privacy.MASQUE] * 3 + [privacy.TAUX_MASQUE]
    # The exits by structure: bars of the examined exits (all exits are masked for 5 of the 9 structures,
    # their difference with the examined ones being a small count), 7 drawn, 2 masked (Bocage, Coteaux).
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    fig = next(f for f in specs if (f["layout"]["xaxis"].get("title") or {}).get("text") == "sorties")
    masked = (privacy.MASQUE, privacy.MASQUE_SECONDAIRE)
    bar = fig["data"][0]
    labels = dict(zip(bar["y"], bar["text"], strict=True))
    drawn = {y: t for y, t in labels.items() if t not in masked}
    ss = b.sorties_structures.set_index("structure")
    assert drawn == {s: fmt.integer(ss.at[s, "sorties_examinees"]) for s in drawn}
    assert len(drawn) == 7 and "Bocage Propreté Insertion" not in drawn
    # The table (and the PDF, XLSX) in the bars' order: examined exits first, most first; the lines whose
    # examined exits are hidden last, by name (sorted by value, their rank would bound them).
    table = next(d.value for d in at.dataframe if "sorties examinées" in d.value.columns)
    hidden = table["sorties examinées"].isin(masked)
    assert list(table["structure"][~hidden]) == sorted(
        drawn, key=lambda s: (-ss.at[s, "sorties_examinees"], s)
    )
    assert list(table["structure"][hidden]) == sorted(table["structure"][hidden]) and hidden.sum() == 2
    assert not hidden[: (~hidden).sum()].any()


def test_follow_up_of_the_year_apart_and_masked_in_presentation(demo_db):
    # Demo 2025: 47 people followed, 20 in employment (42,6 %), 1 hired by a partner.
    s = bilan.bilan(demo_db, 2025).suivi
    assert (s.personnes_suivies, s.en_emploi, s.employeur_partenaire) == (47, 20, 1)
    at = run_app(page=PAGE)
    m = metric_values(at)
    assert m["En emploi à 6 mois"] == "20 / 47"
    assert m["Embauches partenaires"] == "1"
    follow = next(x for x in at.metric if x.label == "En emploi à 6 mois")
    assert normalize(follow.delta) == f"personnes suivies — {normalize(fmt.percent(20 / 47))}"
    assert any("À part : en emploi 6 mois après la sortie" in h.value for h in at.subheader)
    # The official rate is still kpis' own.
    assert m["Taux de sortie dynamique"] == fmt.percent(
        kpis(demo_db, Filtres.annee(2025))["taux_sortie_dynamique"]
    )
    shown = metric_values(run_app(page=PAGE, mode="presentation", voir=True))
    assert shown["En emploi à 6 mois"] == "20 / 47"
    assert shown["Embauches partenaires"] == privacy.MASQUE


def test_exits_by_structure_in_the_order_a_masked_view_prints_them(demo_db):
    """2023: unmasked, most exits first; masked, most examined exits first (the bars drawn), then the lines
    whose examined exits are hidden, by name. By all exits, a hidden count's rank among the printed ones
    would bound it."""
    from impact.indicators.core import SORTIES_COUNTS

    b = bilan.bilan(demo_db, 2023)
    df, none = b.sorties_rangees(masked=False)
    assert none is None and list(df["sorties"]) == [37, 25, 23, 23, 22, 12, 11, 10, 3]
    df, forced = b.sorties_rangees()
    hidden = privacy.masks(df, list(SORTIES_COUNTS), across_columns=True, forced=forced)["sorties_examinees"]
    hidden = hidden.notna().to_numpy()
    shown = list(df["sorties_examinees"][~hidden])
    assert shown == sorted(shown, reverse=True) and len(shown) >= 5
    assert list(df["structure"][hidden]) == sorted(df["structure"][hidden])
    assert not hidden[: (~hidden).sum()].any()  # the hidden ones after all the others
    assert list(df.index) != list(b.sorties_structures.index)  # not the unmasked order


def test_the_change_of_exits_reads_grey_on_every_page(demo_db):
    """Fewer exits is neither good nor bad by itself (ui.SANS_SENS): grey on the Vue d'ensemble, and now on the
    Bilan too, where -2,4 % read red (helper review)."""
    from streamlit.proto.Metric_pb2 import Metric

    for at in (run_app(page="bilan.py"), run_app(periode=["2025", "2025"])):
        colors = {m.label: m.proto.color for m in at.metric}
        assert colors["Sorties (IAE)"] == Metric.MetricColor.GRAY
        assert colors["Heures travaillées"] != Metric.MetricColor.GRAY


def test_the_contracts_caption_names_only_the_columns_printed():
    """On the projector the table of contracts prints no planned hours (room columns): its caption does not
    name them; on the laptop's grid, which has them, it does."""

    def contracts_caption(at) -> str:
        return next(c.value for c in at.caption if "depuis le début" in c.value)

    assert contracts_caption(run_app(page=PAGE)).startswith("Heures prévues sur toute la durée du marché ; ")
    projected = contracts_caption(run_app(page=PAGE, mode="presentation"))
    assert "prévues" not in projected and projected.startswith("Heures réalisées dans l'année")
