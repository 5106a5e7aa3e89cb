"""Import with preview, history and undo: one transaction, under a lock, that a crash cannot leave half done."""

import os
import subprocess
import sys
import textwrap
import threading
import time
from datetime import datetime
from pathlib import Path

import pytest

from impact import importer
from impact.__main__ import main
from impact.load import load_folder
from tests.fixtures import HEURES_2024, mini_folder

ROOT = Path(__file__).resolve().parents[2]
JUILLET = b"mois;structure_id;personne_id;heures_travaillees\r\n07/2024;S1;I;10\r\n"


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file of the folder but the import's own bookkeeping (_archives, _imports)."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.relative_to(folder).parts[0] not in (importer.ARCHIVES, importer.IMPORTS)
    }


def new_files(folder: Path) -> dict[str, bytes]:
    """A new file for S1 (July 2024: +10 h) and S2's file with C's January at 25 h (+5) and D's May gone (−29)."""
    s2 = (folder / "heures_s2.csv").read_bytes()
    s2 = s2.replace(b"2024-01|S2|C|20|I2|22", b"2024-01|S2|C|25|I2|22").replace(
        b"2024-05|S2|D|29|I2|\r\n", b""
    )
    return {"heures_s1_juillet.csv": JUILLET, "heures_s2.csv": s2}


@pytest.fixture
def folder(tmp_path):
    return mini_folder(tmp_path / "donnees")


def figures_of(folder: Path) -> dict:
    result = load_folder(folder)
    assert result.ok, [str(p) for p in result.errors]
    return importer.chiffres_par_annee(result)[0]


def test_preview_counts_rows_and_figures_by_hand(folder):
    before = snapshot(folder)
    plan = importer.preparer(folder, new_files(folder))
    assert plan.ok, plan.message()
    assert snapshot(folder) == before and not (folder / importer.IMPORTS).exists()  # nothing written
    assert dict(zip(plan.fichiers["fichier"], plan.fichiers["action"], strict=True)) == {
        "heures_s1_juillet.csv": "ajout",
        "heures_s2.csv": "remplacement",
    }
    lignes = plan.lignes.set_index(["table", "structure"])
    assert lignes.loc[("heures", "S1")].tolist() == [
        1,
        0,
        0,
        "déc. 2023 – juin 2024",
        "déc. 2023 – juil. 2024",
    ]
    assert lignes.loc[("heures", "S2")].tolist() == [
        0,
        1,
        1,
        "janv. 2024 – juin 2024",
        "janv. 2024 – juin 2024",
    ]
    h = plan.chiffres.set_index(["annee", "indicateur"])
    assert h.loc[(2024, "heures_travaillees"), "avant"] == pytest.approx(HEURES_2024)
    assert h.loc[(2024, "heures_travaillees"), "apres"] == pytest.approx(HEURES_2024 + 10 + 5 - 29)
    # S3 still has A's path open in July and has not sent it: July is provisional, "données au" stays.
    assert plan.fraicheur == "1 structure n'a pas encore transmis juillet 2024"
    assert "donnees_au" not in set(plan.chiffres["indicateur"])


def test_preview_figures_equal_figures_after_applying(folder):
    plan = importer.preparer(folder, new_files(folder))
    importer.appliquer(plan, qui="test")
    after = figures_of(folder)
    assert len(plan.chiffres) >= 2
    for r in plan.chiffres.itertuples():
        assert after[(r.annee, r.indicateur)] == r.apres, r
    # and every figure the preview left out did not move at display precision
    before_plan = {(r.annee, r.indicateur) for r in plan.chiffres.itertuples()}
    fresh = importer.chiffres_par_annee(load_folder(folder))[0]
    assert fresh == after and before_plan <= set(after)


def test_import_then_undo_is_byte_identical(folder):
    before = snapshot(folder)
    entry = importer.appliquer(importer.preparer(folder, new_files(folder)), qui="compte-42")
    assert snapshot(folder) != before
    assert (folder / "heures_s1_juillet.csv").read_bytes() == JUILLET
    archived = folder / importer.ARCHIVES / entry["id"] / "heures_s2.csv"
    assert archived.read_bytes() == before["heures_s2.csv"]  # the previous version is kept
    undo = importer.annuler(folder, qui="compte-42")
    assert snapshot(folder) == before
    history = importer.historique(folder)
    assert [e["id"] for e in history] == [undo["id"], entry["id"]]
    assert history[1]["annule_par"] == undo["id"] and history[1]["qui"] == "compte-42"
    assert history[0]["type"] == "annulation" and history[0]["annule"] == entry["id"]
    # the file the import added is not lost: the undo archived it
    assert (folder / importer.ARCHIVES / undo["id"] / "heures_s1_juillet.csv").read_bytes() == JUILLET
    with pytest.raises(importer.ImportImpossible, match="Aucun import à annuler"):
        importer.preparer_annulation(folder)


def test_undoing_a_workbook_counts_the_lines_it_takes_away(folder):
    """The undo's preview of an import that added a workbook: its line (July, S1) goes. It said « Aucune ligne
    ne change » while its figures moved: a workbook's tables are read from its sheets, and the undo has no
    content for a file it takes away."""
    import io

    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "heures"
    wb.active.append(["mois", "structure_id", "personne_id", "heures_travaillees"])
    wb.active.append(["07/2024", "S1", "I", 10])
    data = io.BytesIO()
    wb.save(data)
    plan = importer.preparer(folder, {"collecte_s1.xlsx": data.getvalue()})
    assert plan.ok, [str(p) for p in plan.errors]
    importer.appliquer(plan, qui="coordination")
    undo = importer.preparer_annulation(folder)
    assert undo.lignes[["table", "structure", "ajoutees", "retirees"]].values.tolist() == [
        ["heures", "S1", 0, 1]
    ]


def test_undo_refused_when_a_later_import_changed_the_file(folder):
    first = importer.appliquer(importer.preparer(folder, new_files(folder)), now=datetime(2026, 11, 1, 9))
    later = JUILLET + b"08/2024;S1;I;4\r\n"
    importer.appliquer(
        importer.preparer(folder, {"heures_s1_juillet.csv": later}), now=datetime(2026, 11, 2, 9)
    )
    with pytest.raises(importer.ImportImpossible, match="heures_s1_juillet.csv a changé depuis l'import"):
        importer.preparer_annulation(folder, first["id"])


def test_bad_file_is_refused_and_nothing_changes(folder):
    before = snapshot(folder)
    plan = importer.preparer(
        folder, {"heures_s1.csv": b"mois;structure_id;personne_id;heures_travaillees\n07/2024;S1;A;-3\n"}
    )
    assert not plan.ok
    assert any(str(p).startswith("heures_s1.csv:2:heures_travaillees") for p in plan.errors)
    with pytest.raises(importer.ImportImpossible, match="Import refusé : 1 erreur"):
        importer.appliquer(plan)
    assert importer.preparer(folder, {"notes.csv": b"a;b\n"}).refused
    assert snapshot(folder) == before


def test_folder_changed_since_preview_is_refused(folder):
    plan = importer.preparer(folder, new_files(folder))
    (folder / "jalons.csv").write_text("date;titre\n01/10/2020;Autre\n", encoding="utf-8")
    with pytest.raises(importer.ImportImpossible, match="Le dossier a changé depuis la vérification"):
        importer.appliquer(plan)


def test_second_import_at_the_same_time_is_refused(folder):
    plan = importer.preparer(folder, new_files(folder))
    before = snapshot(folder)
    refused = r"Un autre import est en cours sur ce dossier \(commencé par Camille"
    # another import holds the folder
    with importer._import_lock(folder, "Camille"), pytest.raises(importer.ImportImpossible, match=refused):
        importer.appliquer(plan, wait=0.3)
    assert snapshot(folder) == before
    importer.appliquer(plan)  # once the first is done, it goes through
    assert (folder / "heures_s1_juillet.csv").exists()


def test_second_import_waits_a_little_for_the_first(folder):
    plan = importer.preparer(folder, new_files(folder))
    held = threading.Event()

    def first():
        with importer._import_lock(folder, "Camille"):
            held.set()
            time.sleep(0.5)

    t = threading.Thread(target=first)
    t.start()
    held.wait(5)
    importer.appliquer(plan, wait=10)  # waits for the first to finish, then goes through
    t.join()
    assert (folder / "heures_s1_juillet.csv").read_bytes() == JUILLET


def test_reader_waits_for_the_renames_and_sees_the_whole_new_set(folder, monkeypatch):
    expected = {**snapshot(folder), **new_files(folder)}
    midway = threading.Event()

    def slow(name):
        if name == "renommage:1":  # one file renamed, the other not yet
            midway.set()
            time.sleep(0.5)

    plan = importer.preparer(folder, new_files(folder))
    monkeypatch.setattr(importer, "_HOOK", slow)
    t = threading.Thread(target=importer.appliquer, args=(plan,))
    t.start()
    assert midway.wait(30)
    with importer.lecture(folder):  # what the dashboard does before reading the folder
        seen = snapshot(folder)
    t.join()
    assert seen == expected


@pytest.mark.parametrize("step", ["preparation", "validation"])
def test_exception_before_commit_leaves_folder_as_before(folder, monkeypatch, step):
    before = snapshot(folder)

    def boom(name):
        if name == step:
            raise RuntimeError("panne simulée")

    plan = importer.preparer(folder, new_files(folder))
    monkeypatch.setattr(importer, "_HOOK", boom)
    with pytest.raises(RuntimeError):
        importer.appliquer(plan)
    assert snapshot(folder) == before
    assert not any(p.name.endswith(".tmp") for p in folder.iterdir())
    assert not (folder / importer.IMPORTS / importer.JOURNAL).exists()


def test_exception_between_renames_completes_at_next_load(folder, monkeypatch):
    expected = {**snapshot(folder), **new_files(folder)}

    def boom(name):
        if name == "renommage:1":
            raise RuntimeError("panne simulée entre deux renommages")

    plan = importer.preparer(folder, new_files(folder))
    monkeypatch.setattr(importer, "_HOOK", boom)
    with pytest.raises(RuntimeError):
        importer.appliquer(plan)
    monkeypatch.setattr(importer, "_HOOK", None)
    assert snapshot(folder) != expected  # half applied on disk, journal left in _imports/
    with importer.lecture(folder):  # what the dashboard does before reading
        assert snapshot(folder) == expected
        assert load_folder(folder).ok
    assert [e["id"] for e in importer.historique(folder)] == [plan_id(folder)]


def plan_id(folder):
    return max(p.stem for p in (folder / importer.IMPORTS / importer.HISTORY).glob("*.json"))


KILLER = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    from impact import importer
    from tests.unit.test_importer import new_files

    folder, step = Path(sys.argv[1]), sys.argv[2]
    plan = importer.preparer(folder, new_files(folder))

    def hook(name):
        if name == step:
            os.kill(os.getpid(), signal.SIGKILL)

    importer._HOOK = hook
    importer.appliquer(plan)
    print("pas tué")
    """
)


@pytest.mark.parametrize(("step", "outcome"), [("validation", "avant"), ("renommage:1", "après")])
def test_killed_process_leaves_before_or_after(folder, step, outcome):
    before = snapshot(folder)
    after = {**before, **new_files(folder)}
    proc = subprocess.run(
        [sys.executable, "-c", KILLER, str(folder), step],
        check=False,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == -9, proc.stderr
    assert (folder / importer.IMPORTS / importer.JOURNAL).exists()
    assert importer.reprendre(folder) is not None
    assert snapshot(folder) == (before if outcome == "avant" else after)
    assert load_folder(folder).ok
    assert not any(p.name.endswith(".tmp") for p in folder.iterdir())
    assert len(importer.historique(folder)) == (0 if outcome == "avant" else 1)


def test_command_line(folder, tmp_path, capsys):
    new = tmp_path / "heures_s1_juillet.csv"
    new.write_bytes(JUILLET)
    before = snapshot(folder)
    assert main(["importer", str(folder), str(new), "--essai"]) == 0
    out = capsys.readouterr().out
    assert "Heures travaillées 1 361 h 1 371 h +10 h" in " ".join(out.replace("\u202f", " ").split())
    assert "--essai : aucun fichier n'a été modifié." in out
    assert snapshot(folder) == before and not (folder / importer.IMPORTS).exists()
    assert main(["importer", str(folder), str(new)]) == 0
    assert (folder / "heures_s1_juillet.csv").read_bytes() == JUILLET
    capsys.readouterr()
    assert main(["historique", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "Import du" in out and "par coordination locale : heures_s1_juillet.csv (ajout)" in out
    assert main(["annuler", str(folder)]) == 0
    assert snapshot(folder) == before
    assert main(["annuler", str(folder)]) == 1
    assert "Aucun import à annuler" in capsys.readouterr().err
