"""One test per rule of the data contract, on tiny folders (tests/fixtures.py)."""

import shutil

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from impact.__main__ import main
from impact.load import _row_keys, load_folder, parse_decimal, parse_insee, parse_month
from tests.fixtures import mini_folder, write


@pytest.fixture
def mini(tmp_path):
    return mini_folder(tmp_path / "mini")


def messages(result):
    return [str(p) for p in result.problems]


def test_mini_loads_without_error(mini):
    r = load_folder(mini)
    assert r.ok, messages(r)
    assert len(r.tables["heures"]) == 15 + 10 + 6 + 6  # four files of one table, unioned
    assert sorted({f["fichier"] for f in r.files if f["table"] == "heures"}) == [
        "heures_s1.csv", "heures_s2.csv", "heures_s3.csv", "heures_s4_s5.csv"
    ]  # fmt: skip


def test_windows_1252_with_euro_apostrophe_oe(mini):
    r = load_folder(mini)
    noms = list(r.tables["structures"]["nom"])
    assert "Les Jardins d’Œuvre" in noms
    assert "Cœur de Mauges € Services" in noms
    assert next(f for f in r.files if f["fichier"] == "structures.csv")["encodage"] == "Windows-1252"


def test_headers_match_case_and_accent_insensitively(mini):
    s = load_folder(mini).tables["structures"]
    assert s.loc[s.structure_id == "S1", "date_adhesion"].iloc[0] == pd.Timestamp("2017-09-01")
    assert s.loc[s.structure_id == "S2", "date_adhesion"].iloc[0] == pd.Timestamp("2018-03-15")
    assert s.loc[s.structure_id == "S2", "type"].iloc[0] == "AI"  # "ai" accepted


def test_numbers_with_all_french_spaces_and_euro():
    vals, bad = parse_decimal(
        pd.Series(["1\u00a0234,5", "1\u202f234,5", "1 234,5", "100 000,50 €", "12.5", "1.234,5", "abc", ""])
    )
    assert list(vals[:6]) == [1234.5, 1234.5, 1234.5, 100000.5, 12.5, 1234.5]
    assert list(bad) == [False] * 6 + [True, False]


def test_insee_codes_lost_zero_or_numbers():
    vals, bad = parse_insee(pd.Series(["49023", "49023.0", "1053", " 49092 ", "4902", "abcde"]))
    assert list(vals[:4]) == ["49023", "49023", "01053", "49092"]
    assert list(bad) == [
        False,
        False,
        False,
        False,
        False,
        True,
    ]  # "4902" -> "04902": shape ok, unknown later


def test_months_both_formats():
    vals, bad = parse_month(pd.Series(["2024-03", "03/2024", "3/2024", "15/03/2024", "2024-13", "mars"]))
    assert list(vals[:4]) == [pd.Timestamp("2024-03-01")] * 4
    assert list(bad) == [False] * 4 + [True, True]


def test_exit_reason_by_code_or_label(mini):
    p = load_folder(mini).tables["parcours"].set_index("parcours_id")
    assert p.at["P2", "motif_sortie"] == "CHOMAGE"  # "Au chômage"
    assert p.at["P4", "motif_sortie"] == "CDI"  # "cdi"


def test_old_code_and_four_digit_code(mini):
    write(mini, "structures_extra.csv", "structure_id;nom;type;commune_insee\nS9;Test;AUTRE;9023\n")
    r = load_folder(mini)
    assert not r.ok
    assert any(
        m.startswith("structures_extra.csv:2:commune_insee: code INSEE « 9023 » (lu 09023) inconnu")
        for m in messages(r)
    )


def test_missing_mandatory_table(mini):
    (mini / "parcours.csv").unlink()
    r = load_folder(mini)
    assert (
        "parcours.csv:-:-: table obligatoire « parcours » absente (attendu : parcours.csv ou parcours_*.csv)"
        in messages(r)
    )


def test_missing_required_column(tmp_path):
    folder = mini_folder(tmp_path / "m")
    write(folder, "heures_s4_s5.csv", "mois;structure_id;personne_id\n01/2024;S4;H\n")
    r = load_folder(folder)
    assert (
        "heures_s4_s5.csv:1:heures_travaillees: colonne obligatoire « heures_travaillees » absente de l'en-tête"
        in messages(r)
    )


def test_bad_date_names_file_line_column(mini):
    text = (mini / "parcours.csv").read_text(encoding="utf-8-sig").replace("15/01/2024", "32/01/2024")
    write(mini, "parcours.csv", text.replace("\r\n", "\n"))
    r = load_folder(mini)
    assert any(
        m.startswith("parcours.csv:2:date_entree: valeur « 32/01/2024 » illisible") for m in messages(r)
    )


def test_negative_and_impossible_hours(mini):
    write(
        mini,
        "heures_s9.csv",
        "mois;structure_id;personne_id;heures_travaillees\n07/2024;S1;A;-3\n08/2024;S1;A;800\n",
    )
    r = load_folder(mini)
    m = messages(r)
    assert "heures_s9.csv:2:heures_travaillees: valeur -3 négative" in m
    assert any(x.startswith("heures_s9.csv:3:heures_travaillees: valeur 800 impossible") for x in m)


def test_duplicate_id_and_duplicate_month(mini):
    write(mini, "structures_bis.csv", "structure_id;nom;type;commune_insee\nS1;Doublon;ACI;49023\n")
    write(mini, "heures_bis.csv", "mois;structure_id;personne_id;heures_travaillees\n2024-01;S1;A;5\n")
    m = messages(load_folder(mini))
    assert (
        "structures_bis.csv:2:structure_id: identifiant structure_id en double : déjà présent(e) en structures.csv ligne 2"
        in m
    )
    assert "heures_s1.csv:2:mois: mois déclaré en double : déjà présent(e) en heures_bis.csv ligne 2" in m


def test_dangling_reference(mini):
    write(
        mini,
        "heures_s9.csv",
        "mois;structure_id;personne_id;heures_travaillees;intervention_id\n07/2024;S1;A;3;I99\n",
    )
    m = messages(load_folder(mini))
    assert (
        "heures_s9.csv:2:intervention_id: « I99 » absent de la table interventions (référence inconnue)" in m
    )


@pytest.mark.parametrize(
    "column", ["prenom", "Nom", "NIR", "e-mail", "Téléphone", "date_naissance", "adresse"]
)
def test_identifying_columns_are_refused(mini, column):
    write(
        mini,
        "parcours_x.csv",
        f"parcours_id;personne_id;structure_id;date_entree;{column}\nPX;Z;S1;01/01/2024;secret\n",
    )
    r = load_folder(mini)
    assert not r.ok
    assert any(
        m.startswith(f"parcours_x.csv:1:{column}: colonne refusée") and "RGPD" in m for m in messages(r)
    )


def test_exit_rules(mini):
    write(
        mini,
        "parcours_x.csv",
        "parcours_id;personne_id;structure_id;date_entree;date_sortie;motif_sortie\n"
        "PX;Z;S1;01/03/2024;01/02/2024;CDI\nPY;Y;S1;01/03/2024;01/05/2024;\nPZ;X;S1;01/03/2024;;RETRAITE\n",
    )
    r = load_folder(mini)
    m = messages(r)
    assert "parcours_x.csv:2:date_sortie: date de sortie antérieure à la date d'entrée" in m
    assert (
        "parcours_x.csv:3:motif_sortie: motif de sortie obligatoire quand la date de sortie est remplie" in m
    )
    assert any(x.startswith("parcours_x.csv:4:date_sortie:") for x in (str(p) for p in r.warnings))


def test_unknown_code_lists_allowed_values(mini):
    write(mini, "structures_bis.csv", "structure_id;nom;type;commune_insee\nS8;X;SCOP;49023\n")
    m = messages(load_folder(mini))
    assert any(
        x.startswith("structures_bis.csv:2:type: valeur « SCOP » inconnue ; valeurs admises : ACI, AI")
        for x in m
    )


def test_quoted_multiline_cell_keeps_editor_line_numbers(mini):
    write(
        mini,
        "jalons.csv",
        'date;titre;description\n01/04/2020;Veolia;"sur\ndeux lignes"\n31/02/2021;Date fausse;\n',
    )
    m = messages(load_folder(mini))
    assert any(x.startswith("jalons.csv:4:date: valeur « 31/02/2021 » illisible") for x in m)


def test_comma_delimiter_and_unknown_column_warning(mini):
    write(mini, "jalons.csv", 'date,titre,commentaire\n2020-04-01,"Veolia, École des compteurs",x\n')
    r = load_folder(mini)
    assert r.ok
    assert r.tables["jalons"]["titre"].iloc[0] == "Veolia, École des compteurs"
    assert "jalons.csv:1:commentaire: colonne inconnue de la table « jalons », ignorée" in [
        str(p) for p in r.warnings
    ]


def test_cli_check_exit_codes(mini, tmp_path, capsys):
    assert main(["check", str(mini)]) == 0
    assert "OK :" in capsys.readouterr().out
    broken = tmp_path / "broken"
    shutil.copytree(mini, broken)
    write(broken, "heures_s9.csv", "mois;structure_id;personne_id;heures_travaillees\n07/2024;S1;A;-3\n")
    assert main(["check", str(broken)]) == 1
    out = capsys.readouterr().out
    assert "heures_s9.csv:2:heures_travaillees: valeur -3 négative" in out
    assert "ÉCHEC" in out


def test_intervention_placed_by_its_point_with_a_warning(mini):
    from impact import geo

    lon, lat = geo.source()["points_representatifs"]["49092"]  # a point in Chemillé
    text = (mini / "interventions.csv").read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    text = text.replace(
        "intervention_id;structure_id;commune_insee;activite;date_debut;marche_id;lieu",
        "intervention_id;structure_id;commune_insee;activite;date_debut;marche_id;lieu;latitude;longitude",
    )
    lines = text.strip().split("\n")
    lines[1] += f";{str(lat).replace('.', ',')};{str(lon).replace('.', ',')}"  # I1 declared in 49006 Andrezé
    lines[2] += ";;"
    lines[3] += ";;"
    write(mini, "interventions.csv", "\n".join(lines) + "\n")
    r = load_folder(mini)
    assert r.ok, messages(r)
    warning = [str(p) for p in r.warnings if p.file == "interventions.csv"]
    assert len(warning) == 1 and warning[0].startswith(
        "interventions.csv:2:latitude: le point GPS tombe à Chemillé (49092)"
    )
    placed = r.tables["interventions"].set_index("intervention_id")["commune_localisee"]
    assert placed["I1"] == "49092" and placed["I3"] == "49092" and placed["I2"] == "49099"


def test_point_inside_the_declared_commune_gives_no_warning(mini):
    from impact import geo

    lon, lat = geo.source()["points_representatifs"]["49006"]
    write(
        mini,
        "interventions.csv",
        "intervention_id;structure_id;commune_insee;activite;date_debut;latitude;longitude\n"
        f"I1;S1;49006;Espaces verts;01/01/2024;{lat};{lon}\nI2;S2;49099;Relève;01/01/2024;;\n"
        "I3;S3;49092;Nettoyage;01/06/2023;;\n",
    )
    r = load_folder(mini)
    assert r.ok and not [p for p in r.warnings if p.file == "interventions.csv"]


def test_quote_free_reader_matches_the_csv_module_line_by_line():
    from impact import load

    for text in (
        "\r\n;;\r\na;b;c\r\n1;2;3\r\n\r\n \u00a0; ;\r\n4;5;6\r\n;;\r\n7;8;9",
        "a;b;c\r1;2;3\r\r4;5;6\n",
        "a;b;c\n1;2\n3;4;5;x\n6;7;8;;\n",  # short and long rows: the csv module's path, same answer
    ):
        cells = load.read_cells(text.encode("utf-8"))
        header, rows, lines, delim = load.read_csv_text(text)
        assert cells.header == header and cells.delimiter == delim
        assert list(cells.lines) == lines
        padded = [[r[i] if i < len(r) else "" for r in rows] for i in range(len(header))]
        assert [c.to_pylist() for c in cells.columns] == padded
    assert load.read_cells(b"a;b;c\n1;2;3;x\n").long_rows == [(2, 4)]
    assert load.read_cells(b"").header == []


def test_hours_without_a_path_in_their_structure_warn_on_their_line(mini):
    # A has a path in S1 (P1) but none in S2; Z has none anywhere.
    write(
        mini,
        "heures_s8.csv",
        "mois;structure_id;personne_id;heures_travaillees\n08/2024;S1;A;3\n08/2024;S2;A;4\n08/2024;S1;Z;2\n",
    )
    r = load_folder(mini)
    assert r.ok
    assert [str(p) for p in r.warnings if p.file == "heures_s8.csv"] == [
        f"heures_s8.csv:{line}:personne_id: aucun parcours de « {who} » dans la structure « {where} » : "
        "ses heures sont comptées mais sa sortie et son profil manqueront"
        for line, who, where in ((3, "A", "S2"), (4, "Z", "S1"))
    ]


def test_hours_of_a_missing_person_say_so_once_without_a_path_warning(mini):
    """A blank personne_id is an error of its own line; no "aucun parcours de « <NA> »" beside it."""
    write(mini, "heures_s8.csv", "mois;structure_id;personne_id;heures_travaillees\n08/2024;S1; ;3\n")
    r = load_folder(mini)
    assert [str(p) for p in r.problems if p.file == "heures_s8.csv"] == [
        "heures_s8.csv:2:personne_id: valeur obligatoire manquante"
    ]


def test_text_cells_lose_their_edge_blanks_and_empty_cells_are_missing():
    from impact.load import _clean

    s = pd.Series(pd.array([" a", "b\u00a0", "", "  ", None, "c d"], dtype="string"))
    assert _clean(s).tolist() == ["a", "b", pd.NA, pd.NA, pd.NA, "c d"]
    clean = pd.Series(pd.array(["a", "b", None], dtype="string"))
    assert _clean(clean).tolist() == ["a", "b", pd.NA]


def test_quote_free_files_of_one_header_are_parsed_together_in_order():
    from impact.load import _parse_plain

    bodies = [b"1;a\n2;b", b"", b"3; c "]
    columns = _parse_plain(bodies, 2, ";")
    assert bodies == []  # handed over: the files' text is not held twice
    assert [c.type for c in columns] == [pa.large_string()] * 2
    assert [c.to_pylist() for c in columns] == [["1", "2", "3"], ["a", "b", " c "]]


def test_row_keys_stay_exact_when_the_mixed_radix_would_overflow():
    # Four columns of 70 000 distinct values: 70 001⁴ > 2⁶², the key is re-numbered on the way.
    n = 70_000
    rng = np.random.default_rng(7)
    cols = {c: pd.array([f"{c}{v}" for v in rng.permutation(n)], dtype="string") for c in "abcd"}
    df = pd.DataFrame(cols)
    df = pd.concat([df, df.iloc[[5, 17]], df.iloc[[3]].assign(d="autre")], ignore_index=True)
    df.loc[len(df)] = [pd.NA, pd.NA, "x", "y"]
    df.loc[len(df)] = [pd.NA, pd.NA, "x", "y"]  # missing equals missing
    keys = _row_keys(df, list("abcd"))
    dup = pd.Series(keys).duplicated(keep=False)
    assert sorted(np.flatnonzero(dup)) == [5, 17, n, n + 1, n + 3, n + 4]
    assert len(set(keys)) == n + 1 + 1  # every row once, plus the "autre" row and the missing pair
    assert 0 <= keys.min() and keys.max() < 2**62  # no wrap-around
