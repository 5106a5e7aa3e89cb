"""The Fiche commune page on the demo data: figures equal the indicators, the commune walk, presentation mode."""

import pytest

from impact import fmt, privacy
from impact.filters import Filtres
from impact.indicators import commune, kpis
from tests.app.conftest import metric_values, normalize, run_app

PAGE = "fiche_commune.py"


def order(at) -> list[str]:
    """Element types of the main area in display order (depth first)."""
    out = []

    def walk(node):
        out.append(getattr(node, "type", ""))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at.main)
    return out


def check_figures(at, db, code, annee):
    k = kpis(db, Filtres.annee(annee, communes=(code,)))
    r = commune.residents(db, code, annee)
    m = metric_values(at)
    assert m["Habitants employés"] == fmt.integer(k["personnes_employees"])
    assert m["dont salariés en parcours (IAE)"] == fmt.integer(k["salaries_en_parcours"])
    assert m["Heures travaillées par les habitants"] == fmt.hours(r["heures_travaillees"])
    assert m["ETP des habitants"] == fmt.etp(r["etp"])
    assert m["Heures travaillées dans la commune"] == fmt.hours(k["heures_travaillees"])
    assert m["Équivalents temps plein (dans la commune)"] == fmt.etp(k["etp"])
    assert m["Sorties (IAE)"] == fmt.integer(k["sorties"])
    t = k["taux_sortie_dynamique"]
    assert m["Sorties dynamiques"] == (fmt.percent(t) if t is not None else "non calculé")
    assert f"{commune.communes(db)[code]} — {annee}" in [h.value for h in at.header]


@pytest.mark.parametrize(
    "query, code, annee",
    [
        ({"periode": ["2025", "2025"]}, "49023", 2025),  # first commune in alphabetical order
        ({"periode": ["2024", "2024"], "communes": "Montrevault-sur-Èvre"}, "49218", 2024),
        ({"periode": ["2021", "2022"], "communes": "Orée d'Anjou", "familles": "IAE"}, "49126", 2022),
    ],
)
def test_figures_are_the_commune_kpis(demo_db, query, code, annee):
    at = run_app(page=PAGE, **query)
    assert at.selectbox(key="fiche_commune").value == code
    assert at.selectbox(key="fiche_annee").value == annee
    check_figures(at, demo_db, code, annee)
    text = normalize(" ".join([e.value for e in at.markdown] + [e.value for e in at.caption]))
    assert "Personnes et sorties : habitants de la commune" in text
    assert "Heures : travail réalisé dans la commune" in text


def test_structures_tile_and_table_say_the_same_thing(demo_db):
    """The tile "Structures actives dans la commune" counts the structures that worked there; the table below
    also lists those that only employed residents, and its title says so instead of calling them "actives"."""
    at = run_app(page=PAGE, periode=["2025", "2025"])
    fiche = commune.fiche(demo_db, "49023", 2025)
    worked = int((fiche.structures["heures_commune"] > 0).sum())
    assert metric_values(at)["Structures actives dans la commune"] == fmt.integer(worked)
    assert 0 < worked < len(fiche.structures)  # the demo holds both kinds: the test can fail
    titles = [h.value for h in at.subheader]
    assert "Les structures qui ont travaillé à Beaupréau-en-Mauges ou employé ses habitants en 2025" in titles
    assert not [t for t in titles if t.startswith("Les structures actives")]


def test_reads_aloud_then_next_and_previous_walk_the_six_communes_without_touching_filters(demo_db):
    codes = list(commune.communes(demo_db))
    at = run_app(page=PAGE, periode=["2025", "2025"])
    # The text to read aloud, on the first commune.
    spoken = at.info[0].value
    k = commune.fiche(demo_db, "49023", 2025).chiffres
    assert spoken.startswith(f"En 2025, {k['personnes_employees']} habitants de Beaupréau-en-Mauges")
    assert fmt.hours(k["heures_travaillees"]) in spoken
    suivante = next(b for b in at.button if b.label == "Commune suivante")
    suivante.click().run()
    assert not at.exception
    assert at.selectbox(key="fiche_commune").value == codes[1]
    check_figures(at, demo_db, codes[1], 2025)
    at.selectbox(key="fiche_commune").set_value(codes[-1]).run()
    next(b for b in at.button if b.label == "Commune suivante").click().run()
    assert at.selectbox(key="fiche_commune").value == codes[0]  # wrapped around
    next(b for b in at.button if b.label == "Commune précédente").click().run()
    assert at.selectbox(key="fiche_commune").value == codes[-1]
    assert at.session_state["_ctx"].filtres.communes is None  # the sidebar filter did not move
    at.selectbox(key="fiche_annee").set_value(2023).run()
    check_figures(at, demo_db, codes[-1], 2023)


def test_presentation_mode_masks_small_counts_and_puts_figures_first(demo_db):
    # Orée d'Anjou 2025: 2 residents left the IAE for a lasting job (< 5).
    k = kpis(demo_db, Filtres.annee(2025, communes=("49126",)))
    assert 0 < k["sorties_emploi_durable"] < 5
    at = run_app(page=PAGE, mode="presentation", periode=["2025", "2025"], communes="Orée d'Anjou", voir=True)
    durable = next(m for m in at.metric if m.label == "Sorties en emploi durable")
    # n / N would give the small count back: only N is printed (n, N − n and N must all be 0 or ≥ 5).
    # The rate would give the small count back (rate x N): masked too, the short word in the tile (the long
    # one wrapped over three lines at 1280), the reason under it.
    assert k["taux_sortie_emploi_durable"] is not None
    assert durable.value == privacy.MASQUE_SECONDAIRE
    assert normalize(durable.delta) == f"petit effectif, sur {k['sorties_examinees']} sorties examinées"
    # Key figures before the text to read aloud (and after it otherwise).
    assert order(at).index("metric") < order(at).index("info")
    plain = run_app(page=PAGE, periode=["2025", "2025"], communes="Orée d'Anjou")
    durable = next(m for m in plain.metric if m.label == "Sorties en emploi durable")
    assert normalize(durable.delta).startswith(f"{k['sorties_emploi_durable']} / ")
    assert order(plain).index("info") < order(plain).index("metric")


def test_follow_up_of_the_residents_apart_from_the_official_rates(demo_db):
    # Chemillé-en-Anjou, residents who left in 2024: 10 followed, 6 in employment, none at a partner.
    s = commune.suivi(demo_db, "49092", 2024)
    assert (s.personnes_suivies, s.en_emploi, s.employeur_partenaire) == (10, 6, 0)
    at = run_app(page=PAGE, periode=["2024", "2024"], communes="Chemillé-en-Anjou")
    assert at.selectbox(key="fiche_commune").value == "49092"
    m = metric_values(at)
    assert m["En emploi à 6 mois"] == "6 / 10"
    assert m["Embauches partenaires"] == "0"
    follow = next(x for x in at.metric if x.label == "En emploi à 6 mois")
    assert normalize(follow.delta) == f"personnes suivies — {normalize(fmt.percent(0.6))}"
    assert any("À part : en emploi 6 mois après la sortie" in h.value for h in at.subheader)
    # The two official rates are the commune's kpis, untouched by the follow-up.
    check_figures(at, demo_db, "49092", 2024)
    # Masked, 6 of 10 would give back the 4 not in employment: hidden in both tiles, the partner one included.
    shown = run_app(
        page=PAGE, mode="presentation", periode=["2024", "2024"], communes="Chemillé-en-Anjou", voir=True
    )
    assert metric_values(shown)["En emploi à 6 mois"] == f"{privacy.MASQUE_SECONDAIRE} / 10"
    hires = next(x for x in shown.metric if x.label == "Embauches partenaires")
    assert normalize(hires.delta) == f"parmi {privacy.MASQUE_SECONDAIRE} en emploi à 6 mois", hires.delta


def test_follow_up_of_the_residents_masked_in_presentation(demo_db):
    # Chemillé-en-Anjou 2025: 4 in employment of 10 followed, 1 partner hire: all small, the rate too.
    s = commune.suivi(demo_db, "49092", 2025)
    assert (s.personnes_suivies, s.en_emploi, s.employeur_partenaire) == (10, 4, 1)
    at = run_app(
        page=PAGE, mode="presentation", periode=["2025", "2025"], communes="Chemillé-en-Anjou", voir=True
    )
    m = metric_values(at)
    assert m["En emploi à 6 mois"] == f"{privacy.MASQUE} / 10"
    assert m["Embauches partenaires"] == privacy.MASQUE
    follow = next(x for x in at.metric if x.label == "En emploi à 6 mois")
    assert normalize(follow.delta) == f"personnes suivies — {privacy.TAUX_MASQUE}"


def test_an_iae_count_one_commune_alone_hides_is_hidden_in_a_second_one(demo_db):
    """2019: Orée d'Anjou hides its residents in an IAE path (its other residents employed are fewer than 5: the
    difference would give them back); the five others print theirs, and the territory its 199, which minus
    theirs would give it back (the residents of no commune set apart). Mauges-sur-Loire, the fewest of them
    (17), hides its own too: its key figures (Vue d'ensemble, Emplois, Fiche commune and its sentence), and the
    year 2019 of its sheet's trend, whatever the year of the sheet. The territory still prints 199."""
    figures = {
        code: kpis(demo_db, Filtres.annee(2019, communes=(code,))) for code in commune.communes(demo_db)
    }
    own = {code: k["salaries_en_parcours"] for code, k in figures.items()}
    hidden = [
        c for c, k in figures.items() if isinstance(privacy.beside(k, "salaries_en_parcours", True), str)
    ]
    assert hidden == ["49126"] and not any(privacy.is_small(n) for n in own.values())
    printed = {c: n for c, n in own.items() if c != "49126"}
    assert min(printed, key=printed.get) == "49244" and printed["49244"] == 17
    q = {"mode": "presentation", "periode": "2019"}
    assert metric_values(run_app("vue_ensemble.py", **q))["En parcours (IAE)"] == "199"
    q["communes"] = "Mauges-sur-Loire"
    for page in ("vue_ensemble.py", "emplois.py"):
        assert metric_values(run_app(page, **q))["En parcours (IAE)"] == privacy.MASQUE_SECONDAIRE, page
    at = run_app(PAGE, voir=True, **q)
    assert metric_values(at)["dont salariés en parcours (IAE)"] == privacy.MASQUE_SECONDAIRE
    assert "17 en parcours" not in normalize(" ".join(i.value for i in at.info))
    q["periode"] = "2021"
    at = run_app(PAGE, voir=True, **q)
    trend = next(d.value for d in at.dataframe if "salariés en parcours (IAE)" in d.value.columns)
    assert trend.set_index("année").at["2019", "salariés en parcours (IAE)"] == privacy.MASQUE_SECONDAIRE
    plain = run_app(PAGE, voir=True, communes="Mauges-sur-Loire", periode="2019")
    assert metric_values(plain)["dont salariés en parcours (IAE)"] == "17"


def test_a_structure_s_residents_one_commune_alone_hides_are_hidden_on_a_second_sheet(demo_db):
    """2023: the sheet of Montrevault-sur-Èvre hides the 5 residents the AI Alise employed (a secondary mask);
    the five other sheets print theirs, and the Structures page the AI's people, which minus theirs would give
    them back. Orée d'Anjou, the fewest of them (6), hides its own too; without masking it prints 6."""
    nom = "Alise – association intermédiaire"
    printed = {}
    for code in commune.communes(demo_db):
        t = commune.structures(demo_db, code, 2023)
        line = t.index[t["nom"] == nom][0]
        if privacy.masks(t, ["habitants_employes"]).at[line, "habitants_employes"] is None:
            printed[code] = t.at[line, "habitants_employes"]
    assert sorted(printed) == ["49023", "49092", "49126", "49244", "49301"]
    assert min(printed, key=lambda c: (printed[c], c)) == "49126" and printed["49126"] == 6

    def residents(at):  # the grid, or the plain table of presentation mode
        table = next(t.value for t in [*at.dataframe, *at.table] if "habitants employés" in t.value.columns)
        return table.set_index("structure").at[nom, "habitants employés"]

    q = {"communes": "Orée d'Anjou", "periode": "2023"}
    assert residents(run_app(PAGE, voir=True, mode="presentation", **q)) == privacy.MASQUE_SECONDAIRE
    assert residents(run_app(PAGE, voir=True, **q)) == "6"


@pytest.mark.parametrize("annee", [2025, 2026])
def test_an_exit_count_its_key_figures_print_is_never_masked_in_its_chart(demo_db, annee):
    """Helper review of 2026-12-06, Montrevault-sur-Èvre 2025: the rate tile read "30,0 % — 6 / 20 sorties
    examinées" and the chart by category just under it "Emploi durable : masqué", a second mask that protected
    nothing (the tile gives the 6). A count the key figures give back is never chosen as a second mask:
    the lasting jobs (the tile's n) and the other exits (examined less dynamic) print as the tiles do."""
    code = "49218"
    k = kpis(demo_db, commune.filtres(code, annee))
    at = run_app(PAGE, voir=True, mode="presentation", periode=str(annee), communes="Montrevault-sur-Èvre")
    durable = metric_values(at)["Sorties en emploi durable"]
    tile = next(m for m in at.metric if m.label == "Sorties en emploi durable")
    n, big_n = k["sorties_emploi_durable"], k["sorties_examinees"]
    assert normalize(tile.delta) == f"{n} / {big_n} sorties examinées", durable
    table = next(t.value for t in [*at.dataframe, *at.table] if "catégorie" in t.value.columns)
    shown = dict(zip(table["catégorie"], table["sorties"]))
    assert str(shown["Emploi durable"]) == str(n)
    assert str(shown["Autre sortie"]) == str(big_n - k["sorties_dynamiques"])
