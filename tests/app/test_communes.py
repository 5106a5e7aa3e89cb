"""The seven masked views of a year that the read-only role can open in turn, the territory and each commune
nouvelle, read together: no count of people that one commune alone hides may be printed by the territory and by
the five other communes, whose difference would give it back (privacy.communes_masks). The tables of exits are
audited together apart (tests/unit/test_disclosure.py), and left out here."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from impact import privacy
from impact.indicators import commune
from tests.app.conftest import metric_values, normalize, run_app

WORDS = {privacy.MASQUE, privacy.MASQUE_SECONDAIRE}


def _printed(page: str, annee: int, nom: str | None, masked: bool = True) -> dict[tuple, object]:
    """Every key figure and every cell of every table the masked view prints (the coordination's view when not
    masked): {(what, line, column): value}. A table is named by its columns, and a line by its first column."""
    query = (
        {"periode": str(annee)}
        | ({"mode": "presentation"} if masked else {})
        | ({"communes": nom} if nom else {})
    )
    at = run_app(page, voir=True, **query)
    out: dict[tuple, object] = {("tuile", m.label, ""): m.value for m in at.metric}
    for m in (
        at.metric
    ):  # a count under a tile: "22 formations", "< 5 personnes formées", "formations (nombre masqué)"
        if m.delta and (count := re.fullmatch(r"(< 5|[\d\s\u202f\u00a0]+) ([^\d%(]+?)(, .*)?", m.delta)):
            out[("sous la tuile", m.label, count[2])] = count[1]
        elif m.delta and (hidden := re.fullmatch(r"([^\d%(]+?) \(nombre masqué\)(, .*)?", m.delta)):
            out[("sous la tuile", m.label, hidden[1])] = privacy.MASQUE_SECONDAIRE
    for table in [*at.dataframe, *at.table]:
        df = table.value
        if not isinstance(df, pd.DataFrame) or df.empty:
            continue
        df = df.reset_index(drop=True)
        # named by its columns but those of exits: a commune's view drops them when it hides every exit count
        name = " | ".join(c for c in map(str, df.columns) if not _exit_column(c))
        for _, line in df.iterrows():
            for column in df.columns[1:]:
                out[(name, str(line.iloc[0]), str(column))] = line[column]
    return out


def _count(value) -> float | None:
    if isinstance(value, str):
        text = value.replace("\u202f", "").replace("\u00a0", "").replace(" ", "").replace(",", ".")
        return float(text) if text.replace(".", "", 1).isdigit() else None
    return None if pd.isna(value) else float(value)


def _exit_column(column: str) -> bool:
    return "sortie" in column.lower() or column.lower().startswith("taux")


def _exits(key: tuple) -> bool:
    """A count of exits (audited together apart): a key figure, a line or a column of exits."""
    return "sortie" in " ".join(key[1:]).lower() or _exit_column(key[2])


# Pages and years where one of the demo's communes alone hides a count of people (the Sorties page, whose exits
# are audited together apart, costs 2 to 3 s a commune).
@pytest.mark.parametrize(
    "page, annee",
    [
        ("vue_ensemble.py", 2025),
        ("emplois.py", 2025),
        ("heures.py", 2025),
        ("heures.py", 2022),  # the trainings under the tiles
        ("structures.py", 2023),  # the people employed by a structure
    ],
)
def test_no_count_hidden_by_one_commune_alone_is_printed_by_the_territory_and_the_others(
    demo_db, page, annee
):
    assert _given_back(demo_db, page, annee) == []


def _given_back(db, page: str, annee: int) -> list[tuple]:
    """The counts of people (not exits) of a page that one commune alone hides while the territory and the five
    others print them: (what, the commune hiding it, the territory's minus the others')."""
    views = {code: _printed(page, annee, name) for code, name in commune.communes(db).items()}
    territory = _printed(page, annee, None)
    alone = []
    for key, value in territory.items():
        if _count(value) is None or _exits(key) or not all(key in v for v in views.values()):
            continue  # a word, a rate or a text in the territory, exits, or a line some commune does not print
        hidden = [code for code, v in views.items() if str(v[key]).strip() in WORDS]
        others = [_count(v[key]) for code, v in views.items() if code not in hidden]
        if len(hidden) == 1 and all(n is not None for n in others):
            alone.append((key, hidden[0], _count(value) - sum(others)))
    names = commune.communes(db)
    # A hidden count of 0 given back tells no one (a count beside it is hidden for its own sake).
    return [a for a in alone if _true_count(page, annee, names[a[1]], a[0]) != 0]


def _true_count(page: str, annee: int, nom: str, key: tuple) -> float | None:
    """The count a masked view hides, read in the coordination's view (a table there may hold more columns:
    the same line and column of a table with the same first column)."""
    printed = _printed(page, annee, nom, masked=False)
    if key in printed:
        return _count(printed[key])
    first = key[0].split(" | ")[0]
    same = [v for k, v in printed.items() if k[1:] == key[1:] and k[0].split(" | ")[0] == first]
    return _count(same[0]) if len(same) == 1 else None


@pytest.fixture(scope="module")
def peu_d_habitants(tmp_path_factory):
    """The demo data where Orée d'Anjou (49126) has 3 residents employed in 2019 (22 in the demo): the 19
    others live in Sèvremoine (49301). The other communes keep theirs: Beaupréau-en-Mauges 60,
    Chemillé-en-Anjou 44, Mauges-sur-Loire 28, Montrevault-sur-Èvre 38, Sèvremoine 53 + 19 = 72."""
    from tests.conftest import load_db
    from tests.fixtures import demo_with_few_residents

    folder = demo_with_few_residents(tmp_path_factory.mktemp("peu") / "donnees", "49126", 2019, 3, "49301")
    return folder, load_db(folder)


@pytest.mark.parametrize("page", ["vue_ensemble.py", "emplois.py"])
def test_a_commune_with_few_residents_employed_hides_them_in_a_second_one(peu_d_habitants, monkeypatch, page):
    folder, db = peu_d_habitants
    monkeypatch.setenv("IMPACT_DATA", str(folder))
    assert _given_back(db, page, 2019) == []
    # Orée d'Anjou hides its 3 by its own rule; Mauges-sur-Loire, the fewest printed (28), hides its own with
    # them; the territory, as every other commune, prints its figure.
    tiles = {
        nom: _printed(page, 2019, nom)[("tuile", "Personnes employées", "")]
        for nom in (None, "Orée d'Anjou", "Mauges-sur-Loire", "Montrevault-sur-Èvre")
    }
    assert tiles == {
        None: "258",
        "Orée d'Anjou": privacy.MASQUE,
        "Mauges-sur-Loire": privacy.MASQUE_SECONDAIRE,
        "Montrevault-sur-Èvre": "38",
    }
    at = run_app(page, mode="presentation", periode="2019", communes="Mauges-sur-Loire")
    text = normalize(" ".join(m.value for m in [*at.markdown, *at.subheader]))
    if page == "vue_ensemble.py":  # its sentence
        assert (
            "En 2019, des habitants de Mauges-sur-Loire (leur nombre n'est pas donné : il permettrait de retrouver "
            "un petit effectif) ont travaillé dans les structures du collectif"
        ) in text, text
    else:  # the title of the publics' chart, whose shares would tell their denominator
        assert "parmi les personnes employées, 2019" in text, text
        at = run_app(page, voir=True, mode="presentation", periode="2019", communes="Mauges-sur-Loire")
        publics = next(t.value for t in [*at.dataframe, *at.table] if "part" in t.value.columns)
        assert set(publics["part"]) == {privacy.TAUX_MASQUE}
        assert set(publics["personnes employées"]) == {privacy.MASQUE_SECONDAIRE}


def test_a_commune_sheet_hides_the_residents_a_commune_alone_hides(peu_d_habitants, monkeypatch):
    folder, _ = peu_d_habitants
    monkeypatch.setenv("IMPACT_DATA", str(folder))
    seen = {}
    for nom in ("Orée d'Anjou", "Mauges-sur-Loire", "Montrevault-sur-Èvre"):
        at = run_app("fiche_commune.py", mode="presentation", periode="2019", communes=nom)
        seen[nom] = (metric_values(at)["Habitants employés"], normalize(at.info[0].value))
    assert seen["Orée d'Anjou"][0] == privacy.MASQUE
    assert seen["Mauges-sur-Loire"][0] == privacy.MASQUE_SECONDAIRE
    assert seen["Mauges-sur-Loire"][1].startswith(
        "En 2019, des habitants de Mauges-sur-Loire (leur nombre n'est pas donné : il permettrait de retrouver un "
        "petit effectif) ont travaillé dans les structures du collectif, dont"
    ), seen
    assert seen["Montrevault-sur-Èvre"][0] == "38"
    assert seen["Montrevault-sur-Èvre"][1].startswith(
        "En 2019, 38 habitants de Montrevault-sur-Èvre ont travaillé"
    )
