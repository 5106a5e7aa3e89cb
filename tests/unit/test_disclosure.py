"""No count of exits a masked view hides can be recomputed from what the masked views of the same filter set
print together: the Sorties page, the Structures page and, for a whole year, the Bilan annuel (tests/disclosure:
an audit by linear algebra over the finest table of the exits, written apart from the masking it checks)."""

import pytest

from impact import privacy
from impact.filters import Filtres
from impact.indicators import core
from tests import disclosure


def _audit(db, f: Filtres, bilan: bool) -> disclosure.Audit:
    from impact.indicators import sorties

    a = disclosure.Audit.of(db, f)
    masques = sorties.masques(db, f)
    disclosure.sorties_page(a, db, f, masques)
    disclosure.structures_page(a, db, f, masques)
    if bilan:
        disclosure.bilan_page(a, db, f.annee_fin)
    return a


def _no_small_count_given_back(a: disclosure.Audit) -> None:
    """No count of 1 to 4 exits can be recomputed. A cell masked as a second one (5 or more) sometimes can:
    the key figures print it (the examined exits in lasting jobs), or printed zeros pin it down; it then
    protects nothing, and the audit has protected the small counts with other cells."""
    back = a.given_back()
    assert [(label, v) for label, v in back if privacy.is_small(v)] == []


@pytest.mark.parametrize("annee", [2021, 2022, 2023, 2024, 2025, 2026])
def test_no_masked_exit_count_is_given_back_by_the_pages_of_a_year(demo_db, annee):
    f = Filtres.annee(annee)
    a = _audit(demo_db, f, bilan=True)
    assert len(a.hidden) > 20 and len(a.known) > 50  # the demo's years have small counts to protect
    _no_small_count_given_back(a)


@pytest.mark.parametrize(
    "f",
    [
        Filtres(2021, 2026),
        Filtres(2024, 2025),
        Filtres(2021, 2026, communes=("49092",)),
        Filtres(2023, 2025, types=("ACI", "EI", "EITI")),
    ],
    ids=["toutes les années", "deux années", "une commune", "trois types"],
)
def test_no_masked_exit_count_is_given_back_under_other_filters(demo_db, f):
    a = _audit(demo_db, f, bilan=False)
    _no_small_count_given_back(a)


COMMUNES = ["49023", "49092", "49244", "49218", "49126", "49301"]  # the six communes nouvelles


def test_the_six_communes_are_those_of_the_data(demo_db):
    from impact.indicators import commune

    assert sorted(commune.communes(demo_db)) == sorted(COMMUNES)


@pytest.mark.parametrize("annee", [2024, 2025])
@pytest.mark.parametrize("code", COMMUNES)
def test_no_masked_exit_count_is_given_back_by_a_commune_sheet_and_the_sorties_page(demo_db, code, annee):
    """The Fiche commune and the Sorties page filtered on the same commune and year print the same exits."""
    from impact.indicators import commune

    f = commune.filtres(code, annee)
    a = _audit(demo_db, f, bilan=False)
    disclosure.fiche_commune_page(a, demo_db, code, annee)
    _no_small_count_given_back(a)


def _territory_and_communes(db, annee: int) -> disclosure.Audit:
    """Every view the read-only role can choose for one year, audited together: the whole territory (Sorties,
    Structures, Bilan annuel) and each commune (Sorties, Structures, Fiche commune), over cells split by commune
    of residence. The exits of residents of no commune are taken as known."""
    from impact.indicators import commune, sorties

    f = Filtres.annee(annee)
    a = disclosure.Audit.of(db, f, communes=COMMUNES)
    masques = sorties.masques(db, f)
    disclosure.sorties_page(a, db, f, masques)
    disclosure.structures_page(a, db, f, masques)
    disclosure.bilan_page(a, db, annee)
    for code in COMMUNES:
        fc = commune.filtres(code, annee)
        view, masques = a.view(commune=code), sorties.masques(db, fc)
        disclosure.sorties_page(view, db, fc, masques)
        disclosure.structures_page(view, db, fc, masques)
        disclosure.fiche_commune_page(view, db, code, annee)
    return a


@pytest.mark.parametrize("annee", [2024, 2025])
def test_no_masked_exit_count_is_given_back_by_the_territory_minus_its_communes(demo_db, annee):
    """The read-only role chooses one year and one commune at a time, but it can open each of the seven views of
    a year in turn: the territory minus five communes is the sixth, when every exit belongs to a resident of
    the six. Audited together (the residents of no commune taken as known: a reader may guess there are none),
    the seven views give back no small count."""
    a = _territory_and_communes(demo_db, annee)
    assert len(a.hidden) > 150 and len(a.known) > 300
    _no_small_count_given_back(a)


def test_the_joint_audit_finds_a_commune_given_back_by_the_territory(demo_db):
    """The auditor itself: the territory's exits, printed, minus those of five communes, printed, and of the
    residents of no commune give back the sixth commune's, hidden; hidden in a second commune too, they do not."""
    f = Filtres.annee(2024)
    for second_hidden in (False, True):
        a = disclosure.Audit.of(demo_db, f, communes=COMMUNES)
        a.add("territoire", a.count(), **disclosure.COLONNES["sorties"])
        for i, code in enumerate(COMMUNES):
            view = a.view(commune=code)
            hidden = i == 0 or (second_hidden and i == 1)
            view.add(code, privacy.MASQUE if hidden else view.count(), **disclosure.COLONNES["sorties"])
        back = [label for label, _ in a.given_back()]
        assert back == ([] if second_hidden else [COMMUNES[0]])


def test_a_table_left_out_frees_the_one_printing_the_same_counts(demo_db):
    """Beaupréau-en-Mauges 2020: the Sorties page's tables by reason, by type and by structure would hide
    nearly every count; the engine leaves them out (privacy.RETIRE: every cell reads masked) and masks the others
    again without them: the Fiche commune still prints its exits, and the audit of everything still printed
    finds nothing given back."""
    from impact.indicators import commune, sorties

    code, annee = "49023", 2020
    f = commune.filtres(code, annee)
    masques = sorties.masques(demo_db, f)
    for name in ("motif", "categorie_type", "structure"):
        assert masques[name].to_numpy().all(), name  # left out: every cell reads masked
    fiche = commune.fiche(demo_db, code, annee)
    assert not privacy.retire(fiche.sorties, ["sorties"], forced=fiche.sorties_masques)
    a = _audit(demo_db, f, bilan=False)
    disclosure.fiche_commune_page(a, demo_db, code, annee)
    _no_small_count_given_back(a)


def test_two_tables_printing_nearly_the_same_counts_both_print_them(demo_db):
    """Montrevault-sur-Èvre 2026: the Sorties page's exits by category and the Fiche commune's print nearly the
    same counts. Each hid the other's until both read only "masqué"; then the first was left out. A cell that
    the printed key figures give back is no longer hidden (it protects nothing): both print the 8 other exits
    (19 examined less 11 dynamic) and the 6 lasting jobs of the key figure (hidden as a second mask until
    2026-12-06, beside the "6 / 19" of its rate), and the audit of everything printed finds nothing given
    back."""
    from impact.indicators import commune, sorties

    code, annee = "49218", 2026
    f = commune.filtres(code, annee)
    masques = sorties.masques(demo_db, f)
    printed = ["autre_sortie", "emploi_durable"]
    assert not masques["categorie"].loc[printed].to_numpy().any()
    assert masques["categorie"].drop(index=printed).to_numpy().all()
    fiche = commune.fiche(demo_db, code, annee)
    assert not privacy.retire(fiche.sorties, ["sorties"], forced=fiche.sorties_masques)
    shown = privacy.mask_counts(fiche.sorties, ["sorties"], forced=fiche.sorties_masques)
    by_category = dict(zip(shown["categorie"], shown["sorties"]))
    assert (by_category["autre_sortie"], by_category["emploi_durable"]) == (8, 6)  # all hidden before
    a = _audit(demo_db, f, bilan=False)
    disclosure.fiche_commune_page(a, demo_db, code, annee)
    assert len(a.known) > 5
    _no_small_count_given_back(a)


def test_the_audit_finds_what_a_sum_gives_back(demo_db):
    """The auditor itself: on the Fiche commune's leak of 2026-12-05 (24 dynamic exits = 14 + 9 + a hidden 1),
    a hidden count that a printed sum and its printed parts give back is found; hiding a second part stops it."""
    f = Filtres.annee(2025)
    a = disclosure.Audit.of(demo_db, f)
    durable = {"examinee": True, "categorie": "emploi_durable"}
    transition = {"examinee": True, "categorie": "emploi_transition"}
    positive = {"examinee": True, "categorie": "sortie_positive"}
    a.add(
        "dynamiques",
        a.count(**disclosure.COLONNES["sorties_dynamiques"]),
        **disclosure.COLONNES["sorties_dynamiques"],
    )
    a.add("durable", a.count(**durable), **durable)
    a.add("transition", a.count(**transition), **transition)
    a.add("positive", privacy.MASQUE, **positive)
    assert [label for label, _ in a.given_back()] == ["positive"]
    b = disclosure.Audit.of(demo_db, f)
    b.add(
        "dynamiques",
        b.count(**disclosure.COLONNES["sorties_dynamiques"]),
        **disclosure.COLONNES["sorties_dynamiques"],
    )
    b.add("durable", b.count(**durable), **durable)
    b.add("transition", privacy.MASQUE_SECONDAIRE, **transition)
    b.add("positive", privacy.MASQUE, **positive)
    assert b.given_back() == []


def test_a_table_of_mostly_small_counts_is_masked_whole():
    """Sèvremoine, 2025, in the helper's integer programme: tables whose counts are nearly all "< 5" gave some
    back from their totals and the bounds of the words (each "< 5" is 1 to 4). Such a table is masked whole."""
    import pandas as pd

    ids = ["A", "B", "C", "D", "E"]
    cells = pd.DataFrame({"structure_id": ids, "n": [1, 2, 3, 12, 40]})
    table = pd.DataFrame({"structure_id": ids, "sorties": [1, 2, 3, 12, 40]})
    tab = privacy.Tableau("t", table, "structure_id", {"sorties": {}})
    own = privacy.masks(table, ["sorties"]).notna()["sorties"].tolist()
    assert own == [True, True, True, True, False]  # 3 of 5 small: the 40 would be printed
    assert privacy.linked_masks(cells, [tab], [privacy.Fixe({}, True)])["t"]["sorties"].tolist() == [True] * 5
    # Half of them small or fewer: the usual rules (the 12 masked as a third cell beside two "< 5").
    table = pd.DataFrame({"structure_id": ids[:4], "sorties": [1, 2, 30, 12]})
    cells = pd.DataFrame({"structure_id": ids[:4], "n": [1, 2, 30, 12]})
    tab = privacy.Tableau("t", table, "structure_id", {"sorties": {}})
    assert privacy.linked_masks(cells, [tab], [privacy.Fixe({}, True)])["t"]["sorties"].tolist() == [
        True, True, False, True
    ]  # fmt: skip


def test_a_bilan_hides_in_its_previous_years_what_their_own_bilan_hides(demo_db):
    """The Bilan of a year prints the two years before it. Each of them hides there at least what the Bilan
    (and Sorties page) of its own year hides: masked by their own rules alone, the 2021 Bilan printed the 31
    exits to transitional jobs of 2020 that the 2020 Bilan hid to protect a small count."""
    from impact.indicators import bilan, core, listes

    def hidden(annee):
        b = bilan.bilan(demo_db, annee)
        words = privacy.masks(
            b.sorties_annees, list(core.SORTIES_COUNTS), across_columns=True, forced=b.annees_masques
        )
        return words.notna().set_axis(b.sorties_annees["annee"])

    years = listes.annees(demo_db)
    own = {y: hidden(y) for y in years}
    for y in years:
        for previous in own[y].index:
            if previous in own and previous != y:
                assert (own[y].loc[previous] >= own[previous].loc[previous]).all(), (y, previous)
    assert own[2021].loc[2020, "sorties_emploi_transition"]  # the case above


@pytest.mark.parametrize("communes", [None, ("49126",)])
def test_the_rates_by_year_hide_each_year_as_its_own_page_does(demo_db, communes):
    """The Sorties page of a year draws the rates of every year; the years outside its period are outside its
    audit. Each hides there at least what the page of its own year hides: the 2019 page printed the 18
    lasting-job exits of 2020 that the 2020 page hid (90 such cells over the demo's years and communes)."""
    from impact.indicators import listes
    from impact.indicators import sorties as s

    def hidden(annee):
        f = Filtres.annee(annee, communes=communes)
        t = next(t for t in s.tableaux(demo_db, f) if t.name == "annee")
        forced = s.forced_for(t.df, "annee", s.masques(demo_db, f)["annee"])
        words = privacy.masks(t.df, list(t.columns), across_columns=t.across_columns, forced=forced)
        return words.notna().set_axis(t.df["annee"])

    years = listes.annees(demo_db)
    views = {y: hidden(y) for y in years}
    for y in years:
        for other in years:
            if other != y and y in views[other].index:
                assert (views[other].loc[y] >= views[y].loc[y]).all(), (y, other)
    if communes is None:
        # The case above: the 2020 page hid its 18 lasting-job exits in that table while its key figures printed
        # them (hiding them protected nothing); now no page hides them, and none hides a year's lasting jobs
        # that the year's own key figure prints.
        assert not any(views[y].loc[2020, "sorties_emploi_durable"] for y in years if 2020 in views[y].index)
        for y in years:
            k = core.sorties(demo_db, Filtres.annee(y))
            if not privacy.is_small(k["sorties_emploi_durable"]):
                assert not views[y].loc[y, "sorties_emploi_durable"], y
