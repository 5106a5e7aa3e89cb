"""The Structures page on the demo data: its figures are those of impact.indicators.structures, under the
URL filters, and presentation mode masks every count of people below 5."""

import pandas as pd
import pytest

from impact import fmt, privacy
from impact.filters import Filtres
from impact.indicators import structures, vue
from tests.app.conftest import metric_values, normalize, run_app

IAE = ("ACI", "AI", "EI", "EITI", "ETTI")
COUNTS = ["personnes employées", "sorties", "sorties examinées", "sorties dynamiques"]


def tables_or_members(at) -> pd.DataFrame:
    """The members table when the chart had no data (only two tables then: members, communes)."""
    return at.dataframe[0].value


def tables(at) -> dict[str, pd.DataFrame]:
    """The page's three tables by their first column (chart data, members, communes); in presentation mode
    the members' table is a plain table (room)."""
    dfs = [d.value for d in at.dataframe]
    if len(dfs) == 2 and len(at.table) == 1:
        dfs.insert(1, at.table[0].value)
    assert len(dfs) == 3, [list(d.columns) for d in dfs]
    return {"graphique": dfs[0], "membres": dfs[1], "communes": dfs[2]}


def check_page(at, demo_db, f: Filtres):
    m = structures.membres(demo_db, f)
    metrics = metric_values(at)
    assert metrics["Structures membres"] == fmt.integer(len(m))
    assert metrics[f"Structures actives en {fmt.period(f.annee_debut, f.annee_fin)}"] == fmt.integer(
        vue.structures_actives(demo_db, f)
    )
    assert (m["heures_travaillees"] > 0).sum() == vue.structures_actives(demo_db, f)
    t = tables(at)
    shown = t["membres"]
    assert list(shown["structure"]) == list(m["nom"])
    assert list(shown["heures travaillées"]) == [fmt.hours(v) for v in m["heures_travaillees"]]
    assert list(shown["ETP"]) == [fmt.etp(v) for v in m["etp"]]
    assert list(shown["communes d'intervention (heures)"]) == list(m["communes"])
    assert list(shown["taux de sortie dynamique"]) == [fmt.percent(v) for v in m["taux_sortie_dynamique"]]
    assert list(shown["sorties"]) == [fmt.integer(v) for v in m["sorties"]]
    assert list(shown["personnes employées"]) == [fmt.integer(v) for v in m["personnes_employees"]]
    assert list(shown["chiffre d'affaires HT"]) == [fmt.euros(v) for v in m["chiffre_affaires"]]
    chart = structures.heures_par_structure(demo_db, f)
    assert list(t["graphique"]["structure"]) == list(chart["structure"])
    c = structures.communes(demo_db, f)
    assert list(t["communes"]["heures travaillées"]) == [fmt.hours(v) for v in c["heures_travaillees"]]
    return m, shown


def test_default_year(demo_db):
    at = run_app(page="structures.py", voir=True)
    _, shown = check_page(at, demo_db, Filtres.annee(2025))
    # Identity columns: type label, family, head office, adhesion date.
    # The figures right after the structure and its type (read on a projector without scrolling sideways).
    assert list(shown.columns[:10]) == [
        "structure",
        "type",
        "heures travaillées",
        "personnes employées",
        "ETP",
        "sorties",
        "sorties examinées",
        "sorties dynamiques",
        "taux de sortie dynamique",
        "chiffre d'affaires HT",
    ]
    alise = shown[shown["structure"] == "Alise – chantier d'insertion"].iloc[0]
    assert (alise["type"], alise["libellé du type"], alise["famille"]) == (
        "ACI",
        "Atelier et chantier d'insertion",
        "IAE",
    )
    assert alise["commune du siège"] == "Beaupréau-en-Mauges"
    assert alise["base ETP (h/an)"] == fmt.hours(1820)
    assert len(alise["adhésion"]) == 10 and alise["adhésion"][2] == "/"
    # Non-IAE structures have no exit figures.
    esat = shown[shown["type"] == "ESAT"].iloc[0]
    assert esat["sorties"] == "—" and esat["taux de sortie dynamique"] == "—"


@pytest.mark.parametrize(
    "query, filtres",
    [
        ({"periode": ["2022", "2024"], "familles": "IAE"}, Filtres(2022, 2024, types=IAE)),
        (
            {"periode": ["2025", "2025"], "communes": "Montrevault-sur-Èvre"},
            Filtres.annee(2025, communes=("49218",)),
        ),
        (
            {"periode": ["2020", "2021"], "secteurs": "Partenariats privés"},
            Filtres(2020, 2021, secteurs=("prive",)),
        ),
        (
            {"periode": ["2019", "2026"], "structures": "Coteaux Indépendants Solidaires"},
            Filtres(2019, 2026, structures=("EITI_COTEAUX",)),
        ),
    ],
)
def test_follows_url_filters(demo_db, query, filtres):
    at = run_app(page="structures.py", **query, voir=True)
    m, shown = check_page(at, demo_db, filtres)
    if filtres.is_commune:
        # Revenue is not localised: no figure with a commune filter.
        assert set(shown["chiffre d'affaires HT"]) == {"—"}
        assert all(
            c == "" or (c.startswith("Montrevault-sur-Èvre (") and ", " not in c) for c in m["communes"]
        )
    if filtres.structures:
        assert list(shown["structure"]) == ["Coteaux Indépendants Solidaires"]
        # 2019–2026: 15 examined exits, 5 dynamic: a rate, shown with its n and N.
        row = shown.iloc[0]
        assert (row["sorties examinées"], row["sorties dynamiques"]) == ("15", "5")
        assert row["taux de sortie dynamique"] == fmt.percent(5 / 15)


def test_rates_shown_from_ten_examined_exits(demo_db):
    f = Filtres(2022, 2024, types=IAE)
    m = structures.membres(demo_db, f)
    assert (m["sorties_examinees"] >= 10).any()
    for _, r in m.iterrows():
        if r["sorties_examinees"] >= 10:
            assert r["taux_sortie_dynamique"] == pytest.approx(
                r["sorties_dynamiques"] / r["sorties_examinees"]
            )
        else:
            assert pd.isna(r["taux_sortie_dynamique"])


def _is_masked_or_big(v: str) -> bool:
    return (
        v in (privacy.MASQUE, privacy.MASQUE_SECONDAIRE, "—", "0") or int(normalize(v).replace(" ", "")) >= 5
    )


@pytest.mark.parametrize(
    "query",
    [
        {"periode": ["2021", "2021"]},
        # {"periode": ["2025", "2025"], "communes": "Orée d'Anjou"}: the test below.
        {"periode": ["2021", "2021"], "structures": "Coteaux Indépendants Solidaires"},
    ],
)
def test_presentation_mode_masks_small_counts(demo_db, query):
    check_no_small_count(run_app(page="structures.py", mode="presentation", **query, voir=True))


def check_no_small_count(at):
    """No count of 1 to 4 readable in the members' table, nor a rate that would give one back."""
    shown = tables(at)["membres"]
    for col in COUNTS:
        assert all(_is_masked_or_big(v) for v in shown[col]), (col, list(shown[col]))
    # A rate whose n or N is masked would give the count back: masked too.
    for _, r in shown.iterrows():
        if privacy.MASQUE in (r["sorties dynamiques"], r["sorties examinées"]):
            assert r["taux de sortie dynamique"] in ("—", privacy.TAUX_MASQUE)


def test_presentation_mode_masks_the_demo_small_counts(demo_db):
    """In 2025 in Orée d'Anjou most counts are below 5: the people employed read "< 5" (not just absent); the
    exits, masked with the Sorties page's tables and every non-zero one hidden, leave the table (RETIRE)."""
    f = Filtres.annee(2025, communes=("49126",))
    m = structures.membres(demo_db, f)
    small = m["personnes_employees"].map(privacy.is_small) | m["sorties"].map(privacy.is_small)
    assert small.any()
    at = run_app(
        page="structures.py",
        mode="presentation",
        periode=["2025", "2025"],
        communes="Orée d'Anjou",
        voir=True,
    )
    shown = tables(at)["membres"]
    assert "personnes employées" in shown and "heures travaillées" in shown
    assert not {"sorties", "sorties examinées", "sorties dynamiques", "taux de sortie dynamique"} & set(shown)
    assert all(_is_masked_or_big(v) for v in shown["personnes employées"])
    assert any(privacy.retires_texte("les colonnes des sorties") in c.value for c in at.caption)
    for i in m.index[small]:
        if privacy.is_small(m.loc[i, "personnes_employees"]):
            assert shown.iloc[i]["personnes employées"] == privacy.MASQUE
    # The whole territory keeps its exit columns, small counts read "masqué" as on the Sorties page.
    at = run_app(page="structures.py", mode="presentation", periode=["2025", "2025"], voir=True)
    check_no_small_count(at)
    shown = tables(at)["membres"]
    m = structures.membres(demo_db, Filtres.annee(2025))
    assert m["sorties"].map(privacy.is_small).any()
    for i in m.index[m["sorties"].map(privacy.is_small)]:
        assert shown.iloc[i]["sorties"] == privacy.MASQUE_SECONDAIRE


def test_selection_without_activity_says_so(demo_db):
    f = Filtres.annee(2019, communes=("49126",), types=("EA", "ESAT"))
    assert structures.heures_par_structure(demo_db, f).empty
    at = run_app(page="structures.py", periode=["2019", "2019"], communes="Orée d'Anjou", familles="Handicap")
    infos = [i.value for i in at.info]
    assert any(v.startswith("Aucune donnée pour cette sélection") for v in infos), infos
    assert any(v.startswith("Aucune heure travaillée") for v in infos), infos
    # The members are still listed, with nothing in the period.
    assert list(tables_or_members(at)["heures travaillées"]) == [fmt.hours(0)] * 2
