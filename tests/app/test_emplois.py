"""The "Emplois et parcours" page on the demo data: its figures are those of impact.indicators.emplois."""

import re

import pandas as pd
import pytest

from impact import fmt, privacy
from impact.filters import Filtres
from impact.indicators import emplois
from tests.app.conftest import metric_values, normalize, run_app

IAE = ("ACI", "AI", "EI", "EITI", "ETTI")
SMALL = re.compile(r"^[1-4]$")


def frame(at, column):
    """The shown table holding `column` (formatted strings, as the reader sees them)."""
    for df in at.dataframe:
        if column in df.value.columns:
            return df.value
    raise AssertionError(f"no table with a column {column!r}")


def check_figures(at, db, f):
    c = emplois.chiffres(db, f)
    m = metric_values(at)
    assert m["Personnes employées"] == fmt.integer(c["personnes_employees"])
    assert m["En parcours (IAE)"] == fmt.integer(c["salaries_en_parcours"])
    assert m["Entrées en parcours"] == fmt.integer(c["entrees"])
    entrees = next(x for x in at.metric if x.label == "Entrées en parcours")
    assert normalize(entrees.delta) == f"{fmt.integer(c['personnes_entrees'])} personnes, toutes structures"
    assert m["Équivalents temps plein"] == fmt.etp(c["etp"])
    pub = emplois.publics(db, f)
    shown = frame(at, "non renseigné")
    assert list(shown["public"]) == list(pub["libelle"])
    assert list(shown["personnes"]) == [fmt.integer(n) for n in pub["personnes"]]
    assert list(shown["part"]) == [fmt.percent(p) for p in pub["part"]]
    res = emplois.residence(db, f)
    assert list(frame(at, "commune de résidence")["personnes"]) == [fmt.integer(n) for n in res["personnes"]]
    etp = emplois.etp_par_type(db, f)
    assert list(frame(at, "base ETP (h/an)")["base ETP (h/an)"]) == [fmt.hours(b) for b in etp["base_etp"]]


def test_default_year_with_bases_and_thresholds(demo_db):
    at = run_app(page="emplois.py", voir=True)
    f = Filtres.annee(2025)  # the last complete year of the demo data
    check_figures(at, demo_db, f)
    captions = normalize(" ".join(c.value for c in at.caption))
    assert "Bases des équivalents temps plein : ACI 1 820 h · AI 1 607 h" in captions
    assert "Âge = 2025 − année de naissance" in captions
    assert "seuil des seniors : 50 ans et plus" in captions
    assert "niveau de formation infra CAP ou CAP/BEP." in captions and "infra_cap" not in captions
    assert "parcours le plus récent" in captions
    assert "non renseigné" in captions


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
            {"periode": ["2023", "2023"], "structures": "Mauges Intérim Solidaire"},
            Filtres.annee(2023, structures=("ETTI_MAUGES",)),
        ),
    ],
)
def test_url_filters(demo_db, query, filtres):
    at = run_app(page="emplois.py", **query, voir=True)
    check_figures(at, demo_db, filtres)
    if filtres.nb_annees > 1:
        captions = normalize(" ".join(c.value for c in at.caption))
        assert f"Âge = {filtres.annee_fin} − année de naissance (année de fin de la période)" in captions


def test_empty_selection_says_so():
    at = run_app(page="emplois.py", periode=["2019", "2019"], structures="Coteaux Indépendants Solidaires")
    assert any("Aucune donnée pour cette sélection" in i.value for i in at.info)
    assert not at.metric


@pytest.mark.parametrize(
    "query",
    [
        {"periode": ["2025", "2025"]},
        {"periode": ["2021", "2021"], "structures": "Coteaux Indépendants Solidaires"},
        {"periode": ["2024", "2024"], "communes": "Orée d'Anjou", "familles": "IAE"},
    ],
)
def test_presentation_masks_every_small_count(demo_db, query):
    at = run_app(page="emplois.py", mode="presentation", **query, voir=True)
    for m in at.metric:
        assert not SMALL.match(m.value), (m.label, m.value)
    seen = [m.value for m in at.metric]
    # The room reads the ETP; the bases of the calculation (codes and hours) stay on the team's page.
    assert not [c.value for c in at.caption if "Bases des équivalents" in c.value]
    for df in at.dataframe:
        for col in df.value.columns:
            for v in df.value[col]:
                assert not (isinstance(v, str) and SMALL.match(v)), (col, v)
                seen.append(v)
    assert "< 5" in seen  # these selections do hold small counts: the test would see a leak
    # A masked count hides its share too.
    pub = frame(at, "non renseigné")
    for n, p in zip(pub["personnes"], pub["part"], strict=True):
        if n in (privacy.MASQUE, privacy.MASQUE_SECONDAIRE):
            assert p == privacy.TAUX_MASQUE


def test_the_charts_by_type_spell_out_their_acronyms(demo_db):
    """« CS » and « ML » on the bars meant nothing to a room: each chart by type spells out, in its caption, the
    acronyms it draws (contract.STRUCTURE_TYPES), and only those."""
    at = run_app(page="emplois.py")
    f = Filtres.annee(2025)
    for lecture, drawn in (
        (emplois.LECTURE_ETP, emplois.etp_par_type(demo_db, f)["type"]),
        (emplois.LECTURE_ENTREES, emplois.entrees(demo_db, f)["type"]),
    ):
        caption = next(c.value for c in at.caption if c.value.startswith(lecture))
        assert "Sigles : " in caption, caption
        for t in set(drawn):
            assert f"{t}, " in caption, (t, caption)
        assert "AUTRE," not in caption
    assert any("CS, centre social" in c.value for c in at.caption)


def test_a_contract_count_one_commune_alone_hides_is_hidden_in_a_second_one(demo_db):
    """2025: Orée d'Anjou alone hides its people on a CDDI (a secondary mask, beside its small counts); the five
    other communes print theirs. The territory's 113 minus theirs would give it back, the residents of no
    commune set apart. In a masked view Mauges-sur-Loire, the fewest there (14), hides its own too, in its
    table and its chart; the territory still prints its 113."""
    f = Filtres.annee(2025)
    con = emplois.contrats(demo_db, f)
    assert con.set_index("contrat").at["CDDI", "personnes"] == 113
    hidden_in, printed = [], {}
    for code in ("49023", "49092", "49126", "49218", "49244", "49301"):
        own = emplois.contrats(demo_db, Filtres.annee(2025, communes=(code,))).set_index("contrat")
        if pd.notna(privacy.masks(own, ["personnes"]).at["CDDI", "personnes"]):
            hidden_in.append(code)
        else:
            printed[code] = own.at["CDDI", "personnes"]
    assert hidden_in == ["49126"] and min(printed, key=printed.get) == "49244" and printed["49244"] == 14
    territory = run_app("emplois.py", voir=True, mode="presentation", periode="2025")
    assert frame(territory, "contrat (libellé)").set_index("contrat").at["CDDI", "personnes"] == "113"
    at = run_app("emplois.py", voir=True, mode="presentation", periode="2025", communes="Mauges-sur-Loire")
    assert (
        frame(at, "contrat (libellé)").set_index("contrat").at["CDDI", "personnes"]
        == privacy.MASQUE_SECONDAIRE
    )
    chart = next(c for c in at.get("plotly_chart") if "CDDI" in c.proto.spec)
    assert '"14"' not in chart.proto.spec
    plain = run_app("emplois.py", voir=True, periode="2025", communes="Mauges-sur-Loire")
    assert frame(plain, "contrat (libellé)").set_index("contrat").at["CDDI", "personnes"] == "14"
