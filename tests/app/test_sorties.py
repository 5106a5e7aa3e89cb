"""The "Sorties" page on the demo data: its figures are those of kpis and impact.indicators.sorties."""

import json
import re

import pytest

from impact import fmt, privacy
from impact.filters import Filtres
from impact.indicators import kpis, sorties
from tests.app.conftest import metric_values, normalize, run_app

IAE = ("ACI", "AI", "EI", "EITI", "ETTI")
SMALL = re.compile(r"^[1-4]$")
SANS_TAUX = "Aucun taux n'est calculé sous 10 sorties examinées"


def frame(at, column):
    for df in at.dataframe:
        if column in df.value.columns:
            return df.value
    raise AssertionError(f"no table with a column {column!r}")


def rate(value):
    return "non calculé" if value is None else fmt.percent(value)


def check_figures(at, db, f):
    k = kpis(db, f)
    m = metric_values(at)
    assert m["Sorties (IAE)"] == fmt.integer(k["sorties"])
    assert m["Sorties examinées"] == fmt.integer(k["sorties_examinees"])
    assert m["Sorties dynamiques"] == rate(k["taux_sortie_dynamique"])
    assert m["Sorties en emploi durable"] == rate(k["taux_sortie_emploi_durable"])
    assert SANS_TAUX in " ".join(c.value for c in at.caption)
    if k["sorties"] == 0:
        return
    cat = sorties.par_categorie(db, f)
    shown = frame(at, "sorties examinées")
    assert list(shown["catégorie"])[:5] == [
        "Emploi durable",
        "Emploi de transition",
        "Sortie positive",
        "Autre sortie",
        "Retrait (sortie neutralisée)",
    ]
    assert list(shown["sorties"]) == [fmt.integer(n) for n in cat["sorties"]]
    for par, col in (("type", "type"), ("structure", "structure")):
        expected = sorties.tableau_taux(sorties.taux(db, f, par), par)
        got = rate_table(at, col)
        assert list(got["taux de sortie dynamique"]) == list(expected["taux de sortie dynamique"])
        assert list(got["sorties examinées (N)"]) == [
            fmt.integer(n) for n in expected["sorties examinées (N)"]
        ]
        assert list(got[col]) == list(expected[col])


def rate_table(at, key):
    """The rate table whose first column is `key` ("année", "type" or "structure")."""
    for df in at.dataframe:
        if "taux de sortie dynamique" in df.value.columns and df.value.columns[0] == key:
            return df.value
    raise AssertionError(f"no rate table by {key}")


def test_2025_rates_by_type_and_year(demo_db):
    at = run_app(page="sorties.py", periode=["2025", "2025"], voir=True)
    f = Filtres.annee(2025)
    check_figures(at, demo_db, f)
    years = sorties.tableau_taux(sorties.taux_par_annee(demo_db, f), "annee")
    shown = rate_table(at, "année")
    assert list(shown["année"]) == list(years["année"])
    assert list(shown["taux de sortie en emploi durable"]) == list(years["taux de sortie en emploi durable"])
    # EI and EITI have fewer than 10 examined exits in 2025: a dash and the reason, said under the chart.
    by_type = rate_table(at, "type").set_index("type")
    assert by_type.loc["EITI", "taux de sortie dynamique"] == "— (moins de 10 sorties examinées)"
    captions = normalize(" ".join(c.value for c in at.caption))
    assert "Sans taux pour cette raison : EI, EITI." in captions
    # The other structures' exits are apart, never in a rate.
    assert any("À part" in s.value for s in at.subheader)


@pytest.mark.parametrize(
    "query, filtres",
    [
        ({"periode": ["2022", "2024"], "familles": "IAE"}, Filtres(2022, 2024, types=IAE)),
        (
            {"periode": ["2025", "2025"], "communes": "Montrevault-sur-Èvre"},
            Filtres.annee(2025, communes=("49218",)),
        ),
        ({"periode": ["2023", "2023"], "types": "AI"}, Filtres.annee(2023, types=("AI",))),
    ],
)
def test_url_filters(demo_db, query, filtres):
    at = run_app(page="sorties.py", **query, voir=True)
    check_figures(at, demo_db, filtres)


def test_few_exits_no_rate_and_the_reason():
    at = run_app(page="sorties.py", periode=["2025", "2025"], structures="Coteaux Indépendants Solidaires")
    m = metric_values(at)
    assert m["Sorties dynamiques"] == "non calculé"
    assert any("Aucun taux : moins de 10 sorties examinées" in i.value for i in at.info)


def test_empty_selection_says_so():
    at = run_app(page="sorties.py", periode=["2019", "2019"], structures="Coteaux Indépendants Solidaires")
    assert any("Aucune sortie pour cette sélection" in i.value for i in at.info)


def _no_small_count_printed(at) -> list:
    """Every value of the key figures and tables, after checking that none is a count of 1 to 4."""
    for m in at.metric:
        assert not SMALL.match(m.value), (m.label, m.value)
    seen = [m.value for m in at.metric]
    for df in at.dataframe:
        for col in df.value.columns:
            for v in df.value[col]:
                assert not (isinstance(v, str) and SMALL.match(v)), (col, v)
                seen.append(v)
    return seen


@pytest.mark.parametrize(
    "query, retires",
    [
        # Orée d'Anjou: every exit count of these blocks would be hidden; their words ("< 5", "masqué") and
        # the key figures gave 16 of them back (six structures "< 5" dynamic exits out of 6: 1 each).
        (
            {"periode": ["2024", "2024"], "communes": "Orée d'Anjou"},
            (
                "les sorties par type de structure et catégorie, par motif ; les taux par type de structure, "
                "par structure"
            ),
        ),
        (
            {"periode": ["2022", "2022"], "structures": "Bocage Propreté Insertion"},
            "les sorties par catégorie, par type de structure et catégorie, par motif",
        ),
    ],
)
def test_presentation_leaves_out_the_blocks_it_would_hide_whole(query, retires):
    """One sentence names the blocks left out; their titles go with them; the others stay."""
    at = run_app(page="sorties.py", mode="presentation", **query, voir=True)
    seen = _no_small_count_printed(at)
    assert "< 5" in seen or privacy.MASQUE_SECONDAIRE in seen  # small counts there: a leak would be seen
    assert [i.value for i in at.info if i.value.startswith("Détails non affichés")] == [
        privacy.retires_texte(retires)
    ]
    titles = " ".join(h.value for h in at.subheader)
    assert "par motif" not in titles and "Les deux taux de sortie de l'IAE, année par année" in titles
    # The same page outside presentation mode draws every block.
    plain = run_app(page="sorties.py", **query)
    assert not any(i.value.startswith("Détails non affichés") for i in plain.info)
    assert "par motif" in " ".join(h.value for h in plain.subheader)


def test_presentation_masks_every_small_count():
    at = run_app(page="sorties.py", mode="presentation", periode=["2025", "2025"], voir=True)
    seen = _no_small_count_printed(at)
    assert privacy.MASQUE_SECONDAIRE in seen  # 2025 holds small exit counts: the test would see a leak
    assert not any(i.value.startswith("Détails non affichés") for i in at.info)
    # The reasons: bars for the printed ones only, the masked ones named under the chart; the table has all.
    table = next(d.value for d in at.dataframe if "motif (libellé)" in d.value.columns)
    hidden = table["sorties"] == privacy.MASQUE_SECONDAIRE
    assert 0 < (~hidden).sum() < hidden.sum()
    figs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    drawn = [[y.replace("<br>", " ") for y in f["data"][0]["y"]] for f in figs if "y" in f["data"][0]]
    assert list(table["motif (libellé)"][~hidden]) in drawn
    caption = next(c.value for c in at.caption if "Motifs masqués, hors du graphique" in c.value)
    assert caption.endswith(", ".join(table["motif (libellé)"][hidden]) + ".")
    # Masked, the chart by category keeps one series, and its caption and title say which one.
    fig = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert [t["name"] for t in fig["data"]] == ["Sorties examinées (base des taux)"]
    # without the withdrawals, never examined: "Retrait : masqué" under that legend (helper review 2026-12-06)
    assert not any(y.startswith("Retrait") for y in fig["data"][0]["y"]), fig["data"][0]["y"]
    # A masked mark reads "< 5" or "masqué" alone: the series' name is in the legend, not over the grid.
    assert all("<br>" not in a["text"] for a in fig["layout"].get("annotations", [])), fig["layout"][
        "annotations"
    ]
    captions = " ".join(c.value for c in at.caption)
    assert "montre les sorties examinées, la base des taux" in captions and "côte à côte" not in captions
    assert any(h.value.endswith(": celles qui comptent dans les taux") for h in at.subheader), at.subheader


def test_the_year_being_recorded_says_so_under_its_rates(demo_db):
    """Helper review: the 2026 bars of the rates by year read "2026" where every other chart of years reads
    "2026 (au 30/09)"."""
    at = run_app(page="sorties.py", periode=["2025", "2025"])
    figs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    years = next(
        [str(x) for t in f["data"] for x in t.get("x", [])]
        for f in figs
        if any(str(x).startswith("2019") for t in f["data"] for x in t.get("x", []) or [])
    )
    assert "2026<br>(au 30/09)" in years and "2026" not in years


def test_the_table_of_the_other_structures_spells_out_its_acronyms(demo_db):
    """« CS » and « ML » in the table of the other structures' exits meant nothing to a room: its caption spells
    out the types it prints (texts.sigles), as the Emplois charts do."""
    other = sorties.categorie_par_type(demo_db, Filtres.annee(2025), iae=False)
    assert {"CS", "ML"} <= set(other["type"])
    at = run_app(page="sorties.py", periode="2025", voir=True)
    caption = next(c.value for c in at.caption if c.value.startswith(sorties.HORS_IAE))
    for t in set(other["type"]):
        assert f"{t}, " in caption, (t, caption)
    assert "CS, centre social" in caption and "ML, mission locale" in caption
