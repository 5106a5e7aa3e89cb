"""The last good data is kept and served when the folder breaks; imports never overwrite without a copy."""

import os
from datetime import datetime

from impact.importer import import_files
from impact.state import serve
from tests.fixtures import mini_folder


def test_broken_folder_serves_last_good_snapshot(tmp_path):
    folder = mini_folder(tmp_path / "data")
    state = tmp_path / "etat"
    first = serve(folder, state)
    assert first.result is not None and not first.fallback
    (folder / "heures_s9.csv").write_text(
        "mois;structure_id;personne_id;heures_travaillees\n07/2024;S1;A;-3\n"
    )
    second = serve(folder, state)
    assert not second.attempt.ok
    assert second.fallback
    assert len(second.result.tables["heures"]) == len(first.result.tables["heures"])
    assert second.result.donnees_au == first.result.donnees_au


def test_never_loaded_folder_serves_nothing(tmp_path):
    folder = tmp_path / "vide"
    folder.mkdir()
    served = serve(folder, tmp_path / "etat")
    assert served.result is None
    assert any("table obligatoire" in p.message for p in served.attempt.errors)


def test_import_refuses_bad_file_and_keeps_data(tmp_path):
    folder = mini_folder(tmp_path / "data")
    before = (folder / "heures_s1.csv").read_bytes()
    out = import_files(
        folder, {"heures_s1.csv": b"mois;structure_id;personne_id;heures_travaillees\n07/2024;S1;A;-3\n"}
    )
    assert not out.applied
    assert (folder / "heures_s1.csv").read_bytes() == before
    assert any(str(p).startswith("heures_s1.csv:2:heures_travaillees") for p in out.check.errors)


def test_import_archives_replaced_file(tmp_path):
    folder = mini_folder(tmp_path / "data")
    before = (folder / "jalons.csv").read_bytes()
    new = "date;titre\n01/10/2020;Première campagne de relève\n".encode()
    out = import_files(folder, {"jalons.csv": new}, now=datetime(2026, 11, 26, 9, 30, 0))
    assert out.applied
    assert (folder / "jalons.csv").read_bytes() == new
    assert (folder / "_archives" / "20261126-093000" / "jalons.csv").read_bytes() == before


def test_unchanged_folder_is_served_from_its_snapshot_and_any_change_reloads(tmp_path, monkeypatch):
    from impact import state

    folder = mini_folder(tmp_path / "data")
    base = tmp_path / "etat"
    first = serve(folder, base)
    assert first.result is not None and not first.fallback
    loads = []
    real = state.load_folder
    monkeypatch.setattr(state, "load_folder", lambda f: loads.append(f) or real(f))
    again = serve(folder, base)  # same bytes: no new reading, same figures and the same warnings
    assert loads == [] and not again.fallback
    assert [str(p) for p in again.result.problems] == [str(p) for p in first.result.problems]
    assert len(again.result.tables["heures"]) == len(first.result.tables["heures"])
    assert again.result.version == first.result.version
    path = folder / "heures_s1.csv"
    stat = path.stat()
    raw = path.read_bytes()
    changed = raw.replace(b"01/2024;S1;A;50;", b"01/2024;S1;A;51;", 1)
    assert changed != raw and len(changed) == len(raw)
    path.write_bytes(changed)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size, same time: only the bytes differ
    third = serve(folder, base)
    assert loads == [folder]
    assert not third.fallback
    assert third.result.tables["heures"]["heures_travaillees"].sum() == (
        first.result.tables["heures"]["heures_travaillees"].sum() + 1
    )


def test_database_of_unchanged_content_is_reopened_with_the_same_figures(tmp_path):
    from impact.db import Database
    from impact.load import load_folder
    from impact.state import database_path

    folder = mini_folder(tmp_path / "data")
    base = tmp_path / "etat"
    first = serve(folder, base)
    path = database_path(first.result, base)
    built = Database(first.result, path)
    assert path.exists()  # built straight into its file, nothing left beside it
    assert sorted(f.name for f in path.parent.glob(path.name + "*")) == [path.name]
    again = serve(folder, base)
    assert database_path(again.result, base) == path
    reopened = Database(again.result, path)
    fresh = Database(load_folder(folder))
    for q in ("SELECT count(*), sum(heures_travaillees) FROM heures_x", "SELECT count(*) FROM parcours_x"):
        assert built.con.execute(q).fetchall() == reopened.con.execute(q).fetchall()
        assert reopened.con.execute(q).fetchall() == fresh.con.execute(q).fetchall()
    assert reopened.run("liste_annees").equals(fresh.run("liste_annees"))


def test_database_in_an_unwritable_place_is_built_in_memory_and_leftovers_go(tmp_path):
    from impact.db import Database

    folder = mini_folder(tmp_path / "data")
    first = serve(folder, tmp_path / "etat")
    nowhere = tmp_path / "absent" / "base.duckdb"  # its folder does not exist: DuckDB cannot create it
    in_memory = Database(first.result, nowhere)
    assert not nowhere.exists()
    assert in_memory.run("liste_annees").shape[0] > 0

    kept = tmp_path / "base.duckdb"
    left = kept.with_name(kept.name + ".4242.ecriture")  # a build cut short by a stop
    left.write_bytes(b"coupe")
    on_disk = Database(first.result, kept)
    assert not left.exists() and kept.exists()
    assert on_disk.run("liste_annees").equals(in_memory.run("liste_annees"))


def test_figures_kept_beside_the_database_are_read_back_after_a_restart_never_stale(tmp_path, monkeypatch):
    """A restart on unchanged content reads a page's figures back from the state folder instead of computing
    them; a change of the data, of the code or of an argument computes them again."""
    from impact import db as dbm
    from impact.filters import Filtres
    from impact.indicators.core import kpis
    from impact.state import database_path

    folder = mini_folder(tmp_path / "data")
    base = tmp_path / "etat"
    first = serve(folder, base)
    built = dbm.Database(first.result, database_path(first.result, base))
    calls = []

    def figures(db, f):
        calls.append(f)
        return kpis(db, f)

    key = ("kpis", (Filtres(2024, 2024),), ())
    computed = built.remember(key, lambda: figures(built, Filtres(2024, 2024)))
    assert computed["heures_travaillees"] > 0 and len(calls) == 1

    again = serve(folder, base)  # a restart: the same content, the same database file
    reopened = dbm.Database(again.result, database_path(again.result, base))
    assert reopened.remember(key, lambda: figures(reopened, Filtres(2024, 2024))) == computed
    assert len(calls) == 1  # read back, not computed

    other = ("kpis", (Filtres(2023, 2024),), ())  # another argument: computed
    reopened.remember(other, lambda: figures(reopened, Filtres(2023, 2024)))
    assert len(calls) == 2

    for p in reopened.results_dir.glob("*.pickle"):
        p.write_bytes(b"coupe")  # files cut short: computed again, and written whole
    assert reopened.remember(key, lambda: figures(reopened, Filtres(2024, 2024))) == computed
    assert len(calls) == 3
    assert reopened.remember(key, lambda: figures(reopened, Filtres(2024, 2024))) == computed
    assert len(calls) == 3

    monkeypatch.setattr(dbm, "code_fingerprint", lambda: "un autre code")  # the code changed: computed
    reopened.remember(key, lambda: figures(reopened, Filtres(2024, 2024)))
    assert len(calls) == 4

    # New data: a new database file, so none of the kept figures is read (the hours changed).
    with (folder / "heures_s1.csv").open("a", encoding="utf-8") as f:
        f.write("05/2024;S1;A;7;\n")
    changed = serve(folder, base)
    fresh = dbm.Database(changed.result, database_path(changed.result, base))
    assert fresh.results_dir != reopened.results_dir
    new = fresh.remember(key, lambda: figures(fresh, Filtres(2024, 2024)))
    assert len(calls) == 5
    assert new["heures_travaillees"] == computed["heures_travaillees"] + 7
