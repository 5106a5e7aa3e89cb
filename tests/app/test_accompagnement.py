"""Supervision (Emplois), trainings (Heures) and the 6-month follow-up (Sorties) on the demo data: the figures
on screen are those of impact.indicators.accompagnement, and small counts are masked in presentation mode."""

from impact import fmt, privacy
from impact.filters import Filtres
from impact.indicators import accompagnement as acc
from tests.app.conftest import metric_values, normalize, run_app


def test_sorties_shows_the_follow_up_apart(demo_db):
    at = run_app(page="sorties.py", periode=["2024", "2024"])
    s = acc.suivi_6_mois(demo_db, Filtres.annee(2024))
    m = {k: normalize(v) for k, v in metric_values(at).items()}
    assert m["En emploi à 6 mois"] == f"{s.en_emploi} / {s.personnes_suivies}"
    assert m["Embauches partenaires"] == fmt.integer(s.employeur_partenaire)
    assert s.personnes_suivies >= 10
    deltas = [normalize(x.delta or "") for x in at.metric]
    assert f"personnes suivies — {normalize(fmt.percent(s.en_emploi / s.personnes_suivies))}" in deltas
    assert f"parmi {s.en_emploi} en emploi à 6 mois" in deltas  # the whole the partner hires are part of
    assert any("n'entre dans aucun des deux taux officiels" in c.value for c in at.caption)


def test_heures_shows_trainings(demo_db):
    at = run_app(page="heures.py", periode=["2020", "2020"])
    t = acc.formations(demo_db, Filtres.annee(2020))
    m = {k: normalize(v) for k, v in metric_values(at).items()}
    assert m["Durée des formations déclarées"] == normalize(fmt.hours(t["heures"]))
    assert m["Formations certifiantes"] == fmt.integer(t["certifiantes"])
    deltas = [normalize(x.delta or "") for x in at.metric]
    assert f"{t['formations']} formations" in deltas
    assert f"{t['personnes_formees']} personnes formées" in deltas


def test_emplois_shows_the_supervision_ratio(demo_db):
    at = run_app(page="emplois.py", periode=["2024", "2024"])
    e = acc.encadrement(demo_db, Filtres.annee(2024))
    m = {k: normalize(v) for k, v in metric_values(at).items()}
    assert m["Encadrement technique"] == f"1 pour {normalize(fmt.number(e.ratio_technique, 1))} ETP"
    ratio = normalize(fmt.number(e.ratio_technique, 1))
    assert any(
        f"1 encadrant technique pour {ratio} ETP en insertion" in normalize(c.value) for c in at.caption
    )


def test_follow_up_masked_in_presentation(demo_db):
    # One structure and one year: few people followed, so the counts read "< 5".
    f = Filtres.annee(2024, structures=("EI_BOCAGE",))
    s = acc.suivi_6_mois(demo_db, f)
    assert privacy.is_small(s.personnes_suivies) or privacy.is_small(s.en_emploi)
    at = run_app(
        page="sorties.py",
        periode=["2024", "2024"],
        structures="Bocage Propreté Insertion",
        mode="presentation",
        voir=True,
    )
    value = metric_values(at)["En emploi à 6 mois"]
    assert privacy.MASQUE in value


def test_marches_shows_the_partner_block(demo_db):
    from impact.indicators import partenaire as pa

    at = run_app(page="marches.py", periode=["2021", "2021"])
    p = pa.partenaire(demo_db, "Veolia Eau", 2021, 2021)
    m = {k: normalize(v) for k, v in metric_values(at).items()}
    assert m["Heures sur ses commandes"] == normalize(fmt.hours(p.heures_travaillees))
    assert m["Personnes employées"] == fmt.integer(p.personnes)
    assert "Télécharger la page pour Veolia Eau (PDF)" in [b.proto.label for b in at.get("download_button")]


def test_a_masked_follow_up_does_not_print_the_exits_it_is_drawn_from(demo_db):
    """The follow-up's exits (every employing structure, withdrawals out) differ by a few people from the IAE
    exits of the key figures: 167 and 166 in 2025. The coordination reads them; a masked view does not."""

    def suivi_table(at):
        return next(d.value for d in at.dataframe if "personnes suivies" in d.value.columns)

    s = acc.suivi_6_mois(demo_db, Filtres.annee(2025))
    assert s.sorties == 167
    full = run_app(page="sorties.py", periode=["2025", "2025"], voir=True)
    assert list(suivi_table(full)["sorties"]) == ["167"]
    masked = run_app(page="sorties.py", periode=["2025", "2025"], mode="presentation", voir=True)
    shown = suivi_table(masked)
    assert "sorties" not in shown.columns and "sorties encore à suivre" not in shown.columns
    assert list(shown["personnes suivies"]) == [str(s.personnes_suivies)]
    assert not any("peuvent encore être suivies" in c.value for c in masked.caption)


def test_people_followed_that_one_commune_alone_hides_are_hidden_in_a_second_one(demo_db):
    """2025: Orée d'Anjou hides its people followed (fewer than 5); the territory prints 47 and the four other
    communes with a follow-up theirs: their difference would give it back. Montrevault-sur-Èvre, the fewest (5),
    hides its own too, on the Sorties page and its sheet, in the tile (the rate with it) and the table."""
    follow = {
        code: acc.suivi_6_mois(demo_db, Filtres.annee(2025, communes=(code,))).personnes_suivies
        for code in ("49023", "49092", "49126", "49218", "49244", "49301")
    }
    assert [c for c, n in follow.items() if privacy.is_small(n)] == ["49126"]
    printed = {c: n for c, n in follow.items() if c != "49126" and n > 0}
    assert min(printed, key=lambda c: (printed[c], c)) == "49218" and printed["49218"] == 5
    for page in ("sorties.py", "fiche_commune.py"):
        at = run_app(
            page=page, periode="2025", communes="Montrevault-sur-Èvre", mode="presentation", voir=True
        )
        tile = next(m for m in at.metric if m.label == "En emploi à 6 mois")
        assert normalize(tile.value).endswith(f"/ {privacy.MASQUE_SECONDAIRE}"), page
        assert privacy.TAUX_MASQUE in tile.delta
        table = next(d.value for d in at.dataframe if "personnes suivies" in d.value.columns)
        assert list(table["personnes suivies"]) == [privacy.MASQUE_SECONDAIRE]
    plain = run_app(page="sorties.py", periode="2025", communes="Montrevault-sur-Èvre")
    assert normalize(next(m for m in plain.metric if m.label == "En emploi à 6 mois").value).endswith("/ 5")
