"""French formatting, small-count masking and Excel-safe CSV exports."""

from datetime import date

import pandas as pd

from impact import export, fmt, privacy


def plain(s: str) -> str:
    return s.replace("\u202f", " ").replace("\u00a0", " ")


def test_french_numbers():
    assert plain(fmt.hours(4500)) == "4 500 h"
    assert plain(fmt.euros(100000)) == "100 000 €"
    assert plain(fmt.percent(0.625)) == "62,5 %"
    assert plain(fmt.number(1234.56, 1)) == "1 234,6"
    assert plain(fmt.etp(126.914)) == "126,9 ETP"
    assert fmt.number(-0.001, 1) == "0,0"
    assert fmt.hours(None) == "—"
    assert plain(fmt.signed_percent(-0.05)) == "−5,0 %"


def test_french_dates():
    assert fmt.day(date(2026, 9, 30)) == "30/09/2026"
    assert fmt.day_long(date(2026, 9, 1)) == "1er septembre 2026"
    assert fmt.month(date(2020, 10, 1)) == "octobre 2020"
    assert fmt.period(2022, 2025) == "2022–\u20602025"  # a word joiner: never "2022–" at a line's end
    assert fmt.plural(1, "structure") == "1 structure"
    assert fmt.plural(14, "structure") == "14 structures"


def test_mask_single_value():
    assert privacy.mask_value(3) == "< 5"
    assert privacy.mask_value(5) == 5
    assert privacy.mask_value(0) == 0


def test_secondary_suppression_in_a_column():
    df = pd.DataFrame({"commune": ["A", "B", "C", "D"], "personnes": [3, 12, 7, 40]})
    out = privacy.mask_counts(df, ["personnes"])
    # 3 is masked; 7 too, or the reader would recompute 3 from the total 62: 7 is not a small count, so
    # it reads "masqué", never "< 5" (which would be false).
    assert list(out["personnes"]) == ["< 5", 12, privacy.MASQUE_SECONDAIRE, 40]


def test_secondary_suppression_across_lines_and_columns():
    df = pd.DataFrame({"type": ["ACI", "AI"], "durable": [2, 10], "transition": [8, 9], "autre": [6, 20]})
    out = privacy.mask_counts(df, ["durable", "transition", "autre"], across_columns=True)
    masked = out[["durable", "transition", "autre"]].isin(["< 5", privacy.MASQUE_SECONDAIRE])
    # No line and no column keeps a single masked cell.
    assert all(masked.sum(axis=1) != 1)
    assert all(masked.sum(axis=0) != 1)
    assert out.at[0, "durable"] == "< 5"
    # Only the small count reads "< 5"; the other masked cells are not small.
    assert (out[["durable", "transition", "autre"]] == "< 5").sum().sum() == 1


def test_csv_for_french_excel():
    df = pd.DataFrame({"nom": ["=SOMME(A1)", "+33", "Œuvre", "-x", "@a"], "heures": [1234.5, 2, 3, 4, 5]})
    raw = export.csv_bytes(df)
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    lines = text.split("\r\n")
    assert lines[0] == "nom;heures"
    assert lines[1] == "'=SOMME(A1);1234,5"
    assert lines[2] == "'+33;2"
    assert lines[3] == "Œuvre;3"
    assert lines[4].startswith("'-x;") and lines[5].startswith("'@a;")


def test_csv_numbers_are_rounded_like_the_screen_with_the_unit_in_the_header():
    df = pd.DataFrame(
        {
            "heures travaillées": [47404.5599999998, 0.4],
            "etp": [26.04646153846143, 1.0],
            "taux de sortie dynamique": [0.5454545454545454, None],
            "personnes": [12, privacy.MASQUE],
            "base ETP": ["1\u202f607\u00a0h", "1\u202f820\u00a0h"],  # already formatted by a page
            "part": ["58,7\u00a0%", privacy.TAUX_MASQUE],
            "code INSEE": ["49023", "49092"],  # a code stays text
            "montant": [1234.5678, float("nan")],  # no formatter: float noise only
        }
    )
    formats = {"heures travaillées": fmt.hours, "etp": fmt.etp, "personnes": fmt.integer}
    lines = export.csv_bytes(df, formats).decode("utf-8-sig").split("\r\n")
    assert lines[0] == (
        "heures travaillées (h);etp;taux de sortie dynamique (%);personnes;base ETP (h);part (%);code INSEE;montant"
    )
    assert lines[1] == "47405;26,0;54,5;12;1607;58,7;49023;1234,57"
    assert lines[2] == f"0;1,0;;< 5;1820;{privacy.TAUX_MASQUE};49092;"


def test_screen_number_reads_back_what_fmt_writes():
    assert export.screen_number(fmt.hours(4500)) == (4500, 0, "h")
    assert export.screen_number(fmt.percent(0.625)) == (62.5, 1, "%")
    assert export.screen_number(fmt.signed_percent(-0.05)) == (-5.0, 1, "%")
    assert export.screen_number(fmt.euros(100000)) == (100000, 0, "€")
    assert export.screen_number(fmt.etp(126.914)) == (126.9, 1, "ETP")
    assert export.screen_number("Sèvremoine (37 123 h)") is None
    assert export.screen_number(privacy.MASQUE) is None


def test_a_rate_never_gives_back_a_small_count():
    assert privacy.rate_reveals_small_count(1, 13)  # 7,7 % of 13 = 1 person
    assert privacy.rate_reveals_small_count(11, 13)  # 2 people not in the numerator
    assert not privacy.rate_reveals_small_count(0, 13)
    assert not privacy.rate_reveals_small_count(7, 13)
    df = pd.DataFrame({"n": [1, 7], "N": [13, 13], "taux": [1 / 13, 7 / 13]})
    out = privacy.mask_rates(df, {"taux": ("n", "N")})
    assert list(out["taux"]) == [privacy.TAUX_MASQUE, 7 / 13]


def test_union_hides_a_count_a_part_s_sheet_gives_back():
    """A union of parts (communes of a mémoire's territory, its operating structures) minus the parts printed on
    their own sheets: worked by hand."""
    counts = {"A": 4, "B": 14, "C": 20, "D": 30}
    # A hides its 4: A + B minus B's sheet (14) gives 4.
    assert privacy.union_hides(counts, {"A", "B"})
    # A alone hiding, its sheet's partner (figure_partners) hides the smallest printed, B: B + C minus C gives B.
    assert privacy.union_hides(counts, {"B", "C"})
    # C + D: the whole minus C + D minus nothing printed gives A + B, two hidden counts together.
    assert not privacy.union_hides(counts, {"C", "D"})
    # Two hidden parts, one of them inside.
    assert privacy.union_hides({"A": 3, "B": 2, "C": 20, "D": 30, "E": 12}, {"A", "C"})
    # A single hidden part outside (no other part to hide beside it): the whole (printed) minus the union gives it.
    assert privacy.union_hides({"A": 3, "B": 0, "C": 0}, {"B", "C"})
    assert privacy.union_hides({"A": 3, "B": 20, "C": 20, "D": 30}, {"B", "C"})  # A's partner B is inside
    assert not privacy.union_hides({"A": 3, "B": 2, "C": 20, "D": 30}, {"C", "D"})
    # The whole, and parts that hide nothing (zero designates nobody).
    assert not privacy.union_hides(counts, set(counts))
    assert not privacy.union_hides({"A": 0, "B": 10, "C": 12}, {"A", "B"})
    assert not privacy.union_hides({"A": None, "B": 10, "C": 12}, {"A", "B"})


def test_moment_is_written_the_french_way():
    assert fmt.moment("2026-12-06T11:53:43") == "06/12/2026 à 11:53"
    assert fmt.moment(None) == fmt.DASH


def test_an_import_preview_writes_counts_and_differences_as_printed():
    from impact import importer

    lignes = importer.lignes_lisibles(
        [{"table": "heures", "structure": "ALISE_ACI", "ajoutees": 3, "retirees": 2130, "modifiees": 0,
          "periode_avant": "janv. 2019 – sept. 2026", "periode_apres": "oct. 2026"}]
    )  # fmt: skip
    assert lignes.iloc[0]["lignes retirées"] == fmt.integer(2130) == "2\u202f130"
    figures = importer.chiffres_lisibles(
        [{"annee": 2025, "indicateur": "etp", "libelle": "ETP", "avant": 97.24, "apres": 97.36}]
    )
    # 97,2 → 97,4 as printed: the difference reads +0,2, not the +0,1 (or +0,3) of the unrounded values.
    row = figures.iloc[0]
    assert (row["avant"], row["après"], row["écart"]) == (fmt.etp(97.24), fmt.etp(97.36), "+" + fmt.etp(0.2))
