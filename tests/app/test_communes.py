"""The seven masked views of a year that the read-only role can open in turn, the territory and each commune
nouvelle, read together: no count of people that one commune alone hides may be printed by the territory and by
the five other communes, whose difference would give it back (privacy.communes_masks). The tables of exits are
audited together apart (tests/unit/test_disclosure.py), and left out here."""

from __future__ import annotations

import pandas as pd
import pytest

from impact import privacy
from impact.indicators import commune
from tests.app.conftest import run_app

WORDS = {privacy.MASQUE, privacy.MASQUE_SECONDAIRE}


def _printed(page: str, annee: int, nom: str | None) -> dict[tuple, object]:
    """Every key figure and every cell of every table the masked view prints: {(what, line, column): value}.
    A table is named by its columns, and a line by its first column."""
    query = {"mode": "presentation", "periode": str(annee)} | ({"communes": nom} if nom else {})
    at = run_app(page, voir=True, **query)
    out: dict[tuple, object] = {("tuile", m.label, ""): m.value for m in at.metric}
    for table in [*at.dataframe, *at.table]:
        df = table.value
        if not isinstance(df, pd.DataFrame) or df.empty:
            continue
        df = df.reset_index(drop=True)
        name = " | ".join(map(str, df.columns))
        for _, line in df.iterrows():
            for column in df.columns[1:]:
                out[(name, str(line.iloc[0]), str(column))] = line[column]
    return out


def _count(value) -> float | None:
    if isinstance(value, str):
        text = value.replace("\u202f", "").replace("\u00a0", "").replace(" ", "").replace(",", ".")
        return float(text) if text.replace(".", "", 1).isdigit() else None
    return None if pd.isna(value) else float(value)


def _exits(key: tuple) -> bool:
    """A count of exits, or a table of them (audited together apart)."""
    return "sortie" in (key[0] + " " + key[2]).lower()


# The pages whose tables of people the demo's communes hide alone (Sorties and Structures: their tables of
# exits, audited together apart, cost 2 to 3 s a commune).
@pytest.mark.parametrize("page", ["vue_ensemble.py", "emplois.py", "heures.py"])
def test_no_count_hidden_by_one_commune_alone_is_printed_by_the_territory_and_the_others(demo_db, page):
    annee = 2025
    views = {code: _printed(page, annee, name) for code, name in commune.communes(demo_db).items()}
    territory = _printed(page, annee, None)
    alone = []
    for key, value in territory.items():
        if _count(value) is None or _exits(key) or not all(key in v for v in views.values()):
            continue  # a word, a rate or a text in the territory, exits, or a line some commune does not print
        hidden = [code for code, v in views.items() if str(v[key]).strip() in WORDS]
        others = [_count(v[key]) for code, v in views.items() if code not in hidden]
        if len(hidden) == 1 and all(n is not None for n in others):
            alone.append((key, hidden[0], _count(value) - sum(others)))
    assert alone == []
