"""Freshness on the pages: one October row for one structure does not move "données au"; every page says
which structures lag, the monthly chart and the key figures of 2026 say October is provisional."""

import shutil

import pytest

from impact import DEMO_DIR
from tests.app.conftest import metric_values, normalize, run_app

OCTOBRE = (
    "mois;structure_id;personne_id;heures_travaillees;intervention_id\n10/2026;AI_LOIRE;P000498;12;I00014\n"
)
LAG = "Données au 30/09/2026 (11 structures n'ont pas encore transmis octobre 2026 : chiffres provisoires après cette date)"


@pytest.fixture
def octobre(tmp_path, monkeypatch):
    folder = tmp_path / "donnees"
    shutil.copytree(DEMO_DIR, folder)
    (folder / "heures_ai_loire_octobre.csv").write_text(OCTOBRE, encoding="utf-8")
    monkeypatch.setenv("IMPACT_DATA", str(folder))
    return folder


def text_of(at) -> str:
    return normalize(" ".join(e.value for e in [*at.markdown, *at.caption, *at.success, *at.warning]))


def test_overview_marks_2026_provisional(octobre):
    at = run_app(periode=["2026", "2026"])
    text = text_of(at)
    assert LAG in text
    metrics = metric_values(at)
    assert "Heures travaillées (provisoire)" in metrics
    assert "Chiffres provisoires : 11 structures n'ont pas encore transmis octobre 2026." in text
    at = run_app(periode=["2025", "2025"])
    assert "Heures travaillées" in metric_values(at)  # 2025 is complete


def test_monthly_hours_mark_october_provisional(octobre):
    at = run_app("heures.py", periode=["2026", "2026"], voir=True)
    assert LAG in text_of(at)
    monthly = at.dataframe[0].value
    assert monthly.loc[monthly["mois"] == "oct. 2026", "provisoire"].tolist() == ["oui"]
    assert set(monthly.loc[monthly["mois"] != "oct. 2026", "provisoire"]) == {"non"}
    assert "Mois provisoires (hachurés) : 11 structures n'ont pas encore transmis octobre 2026" in text_of(at)


def test_donnees_page_lists_each_structure_last_month(octobre):
    at = run_app("donnees.py")
    report = at.dataframe[0].value
    assert len(report) == 11 and set(report["gravité"]) == {"avertissement"}
    freshness = at.dataframe[1].value
    row = freshness[freshness["structure"] == "Loire Mauges Services"].iloc[0]
    assert (row["dernier mois déclaré"], row["statut"]) == ("octobre 2026", "à jour")
    row = freshness[freshness["structure"] == "Sèvre Emploi Solidaire"].iloc[0]
    assert row["statut"] == "en retard : octobre 2026 pas encore transmis"
