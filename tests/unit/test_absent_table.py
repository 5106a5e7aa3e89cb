"""An optional table without a file is "non renseigné" (None, an empty cell), never 0: the fixture folder
of tests/fixtures.py without its chiffre_affaires file (its 2024 revenue is 121 235 € when it is there)."""

import json

import pandas as pd
import pytest

from impact.__main__ import main
from impact.filters import Filtres
from impact.indicators import bilan, kpis, marches, structures
from tests.conftest import load_db
from tests.fixtures import mini_folder


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    folder = mini_folder(tmp_path_factory.mktemp("sans_ca"))
    (folder / "chiffre_affaires.csv").unlink()
    return folder


@pytest.fixture(scope="module")
def sans_ca(folder):
    return load_db(folder)


def test_the_fixture_has_revenue_when_the_file_is_there(mini_db):
    # 100 000,50 + 20 000 + 1 234,5 (S1, S2, S3 in 2024): the figure the absent file must not turn into 0.
    assert kpis(mini_db, Filtres.annee(2024))["chiffre_affaires"] == pytest.approx(121235.0)
    assert "chiffre_affaires" not in mini_db.absent


def test_absent_revenue_is_none_in_every_indicator(sans_ca):
    f = Filtres.annee(2024)
    assert "chiffre_affaires" in sans_ca.absent
    k = kpis(sans_ca, f)
    assert k["chiffre_affaires"] is None
    assert k["heures_travaillees"] > 0  # the rest of the folder is read as usual
    assert marches.synthese(sans_ca, f)["chiffre_affaires"] is None
    assert marches.liste(sans_ca, f)["chiffre_affaires"].isna().all()
    assert structures.membres(sans_ca, f)["chiffre_affaires"].isna().all()
    b = bilan.bilan(sans_ca, 2024)
    assert b.valeur("chiffre_affaires") is None
    assert b.marches["chiffre_affaires"].isna().all()
    assert pd.isna(b.comparaison.set_index("indicateur").at["chiffre_affaires", "2024"])


def test_kpis_command_says_null_not_zero(folder, capsys):
    assert main(["kpis", str(folder), "--annee", "2024", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["chiffre_affaires"] is None
