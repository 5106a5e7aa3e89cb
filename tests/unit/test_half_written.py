"""A file cut in the middle of a write does not load silently: its short last line is an error."""

import shutil

from impact import DEMO_DIR
from impact.load import load_folder
from tests.fixtures import mini_folder


def test_demo_file_cut_at_half_gives_its_line_error(tmp_path):
    folder = tmp_path / "demo"
    shutil.copytree(DEMO_DIR, folder)
    path = folder / "heures_alise_aci.csv"
    raw = path.read_bytes()
    path.write_bytes(raw[: len(raw) // 2])
    last_line = raw[: len(raw) // 2].decode("utf-8-sig").splitlines()
    result = load_folder(folder)
    assert not result.ok
    assert len(result.errors) == 1
    err = result.errors[0]
    # The header is line 1: the cut line is the file's last line; it keeps 5 of its 7 fields.
    assert (err.file, err.line, err.column) == ("heures_alise_aci.csv", len(last_line), "heures_facturees")
    assert "5 valeurs pour 7 colonnes" in err.message


def test_short_row_names_first_missing_column(tmp_path):
    folder = mini_folder(tmp_path / "mini")
    (folder / "jalons.csv").write_text("date;titre;description\n01/04/2020;Naissance\n", encoding="utf-8")
    result = load_folder(folder)
    expected = (
        "jalons.csv:2:description: ligne incomplète : 2 valeurs pour 3 colonnes, « description » et les "
        "suivantes manquent (fichier coupé pendant son écriture ?)"
    )
    assert [str(p) for p in result.errors] == [expected]
