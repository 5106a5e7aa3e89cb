"""The period's one owner (impact.filters) and the short French forms of impact.fmt."""

from datetime import date

import pytest

from impact import fmt, texts
from impact.filters import (
    Filtres,
    annee_axe,
    annee_incomplete,
    annee_libelle,
    annee_par_defaut,
    parse_periode,
)

ANNEES = [2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026]


@pytest.mark.parametrize(
    ("annee", "au", "expected"),
    [
        (2026, date(2026, 9, 30), True),
        (2026, date(2026, 12, 30), True),
        (2026, date(2026, 12, 31), False),
        (2025, date(2026, 9, 30), False),
        (2025, None, False),
    ],
)
def test_annee_incomplete(annee, au, expected):
    assert annee_incomplete(annee, au) is expected


def test_default_year_is_the_last_complete_one():
    assert annee_par_defaut(ANNEES, date(2026, 9, 30)) == 2025
    assert annee_par_defaut(ANNEES, date(2026, 12, 31)) == 2026
    assert annee_par_defaut(ANNEES, None) == 2026
    assert annee_par_defaut([2026], date(2026, 3, 31)) == 2026  # no complete year: the only one
    assert annee_libelle(2026, date(2026, 9, 30)) == "2026 (en cours)"
    assert annee_libelle(2025, date(2026, 9, 30)) == "2025"


def test_a_chart_says_which_year_is_still_being_recorded():
    assert annee_axe(2026, date(2026, 9, 30)) == "2026<br>(au 30/09)"
    assert annee_axe("2026", date(2026, 12, 30)) == "2026<br>(au 30/12)"
    assert annee_axe(2026, date(2026, 12, 31)) == "2026"
    assert annee_axe(2025, date(2026, 9, 30)) == "2025"
    assert annee_axe(2026, None) == "2026"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2025", (2025, 2025)),
        ("2023-2025", (2023, 2025)),
        ("2023–2025", (2023, 2025)),
        ("2025-2023", (2023, 2025)),
        ("2025-2025", (2025, 2025)),
        ("1990", None),
        ("2025-2031", None),
        ("abc", None),
        ("25", None),
        ("2021-2022-2023", None),
    ],
)
def test_parse_periode(typed, expected):
    assert parse_periode(typed, ANNEES) == expected


def test_all_years_keeps_the_other_filters():
    f = Filtres(2025, 2025, communes=("49023",), types=("ACI",))
    assert f.all_years(ANNEES) == Filtres(2019, 2026, communes=("49023",), types=("ACI",))
    assert f.all_years([]) == f


def test_charts_of_every_year_say_when_the_last_one_is_incomplete():
    from datetime import date

    from impact import texts

    assert texts.derniere_annee_incomplete([2025, 2026], date(2026, 9, 30)) == (
        " La dernière année est incomplète : données jusqu'au 30/09/2026."
    )
    assert texts.derniere_annee_incomplete([2024, 2025], date(2025, 12, 31)) == ""


def test_absent_revenue_is_never_zero():
    from impact import texts
    from impact.filters import Filtres

    assert texts.chiffre_affaires_text(None, Filtres.annee(2025)) == "non renseigné"
    assert texts.chiffre_affaires_text(None, Filtres.annee(2025, communes=("49218",))) == "non localisé"
    assert texts.chiffre_affaires_text(0.0, Filtres.annee(2025)) == "0\u00a0€"


def test_commune_names_take_the_french_elision():
    """« les habitants d'Orée d'Anjou », « de Sèvremoine »: in the titles and sentences of a commune."""
    assert texts.de("Orée d'Anjou") == "d'Orée d'Anjou"
    assert texts.de("Sèvremoine") == "de Sèvremoine"
    assert texts.de("Montrevault-sur-Èvre") == "de Montrevault-sur-Èvre"


def test_the_summary_says_that_etp_over_several_years_is_a_yearly_average(demo_db):
    """Helper review: "soit 111,1 ETP" over 2019–2026 read as a total; it is the yearly average."""
    from impact.filters import Filtres
    from impact.indicators import core, vue

    for f, end in ((Filtres(2019, 2026), " en moyenne par an."), (Filtres.annee(2025), ".")):
        k = core.kpis(demo_db, f)
        text = texts.resume(k, vue.structures_actives(demo_db, f), f)
        assert f"soit {fmt.etp(k['etp'])}{end}" in text
