"""Masked views (presentation mode, the read-only role, documents) show no count of 1 to 4 people: generated
sentences, chart data, the bilan tables and the PDF/XLSX documents, on a folder where every count of people
is between 1 and 4 (tests/fixtures.small_counts_folder) and on the demo's small groups."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from impact import DEMO_DIR, charts, privacy, texts
from impact.columns import comparaison_affichee
from impact.db import Database
from impact.documents.pdf import bilan_pdf, fiche_commune_pdf
from impact.documents.xlsx import ENTIER, bilan_xlsx
from impact.filters import Filtres
from impact.indicators import bilan, commune, kpis, listes, vue
from impact.load import load_folder
from impact.texts import rapports_phrase
from tests.fixtures import small_counts_folder
from tests.privacy_scan import leaks

ANNEES = (2023, 2024, 2025)


@pytest.fixture(scope="module")
def small_db(tmp_path_factory) -> Database:
    result = load_folder(small_counts_folder(tmp_path_factory.mktemp("petit") / "donnees"))
    assert result.ok, result.problems
    return Database(result)


@pytest.fixture(scope="module")
def demo_db() -> Database:
    result = load_folder(DEMO_DIR)
    assert result.ok
    return Database(result)


def test_the_scanner_finds_the_leaks_of_issue_8():
    for leak in (
        "4 sorties de l'IAE : trop peu de sorties examinées (< 5, moins de 10)",
        "Taux de 2025 : sortie dynamique 2/3, emploi durable 1/3 sorties examinées",
        "Emploi durable 3",
        "Habitants employés\n2\n",
        "sortie dynamique 2 / 3 sorties examinées",
        "En 2025, 1 habitant de Sèvremoine a travaillé",
        "Sorties dynamiques\nmasqué (petit effectif)\n9 / 12 sorties examinées",
    ):
        assert leaks(leak), leak
    for clean in (
        "< 5 sorties de l'IAE",
        "données au 30/09/2026",
        "2 520 h travaillées par 12 personnes",
        "1,46 ETP",
        "Variation 2025/2024",
        "0 sortie examinée",
        "40 / 70 sorties examinées",
    ):
        assert not leaks(clean), clean


def test_every_count_of_people_of_the_small_folder_is_1_to_4(small_db):
    for annee in ANNEES:
        k = kpis(small_db, Filtres.annee(annee))
        for key in ("personnes_employees", "salaries_en_parcours", "sorties", "sorties_examinees"):
            assert 0 <= k[key] <= 4, (annee, key, k[key])
        assert k["personnes_employees"] > 0
    k = kpis(small_db, Filtres.annee(2025))
    # The exits of issue 8: 3 examined, 2 dynamic (durable + transition), 1 durable; no rate under 10.
    assert (k["sorties_examinees"], k["sorties_dynamiques"], k["sorties_emploi_durable"]) == (3, 2, 1)
    assert k["taux_sortie_dynamique"] is None


def test_kpis_give_the_dynamic_exits_they_used(demo_db):
    k = kpis(demo_db, Filtres.annee(2025))
    assert k["sorties_dynamiques"] == (
        k["sorties_emploi_durable"] + k["sorties_emploi_transition"] + k["sorties_positives"]
    )
    assert k["taux_sortie_dynamique"] == round(k["sorties_dynamiques"] / k["sorties_examinees"], 4)


def test_resume_of_the_demo_eiti_2025_says_no_small_count(demo_db):
    f = Filtres(2025, 2025, types=("EITI",))
    k = kpis(demo_db, f)
    assert privacy.is_small(k["sorties"])  # the case of issue 8: 4 exits, 4 examined
    actives = vue.structures_actives(demo_db, f)
    assert leaks(texts.resume(k, actives, f, masked=False))  # the team sees the figures
    masked = texts.resume(k, actives, f, masked=True)
    assert leaks(masked) == [], masked
    assert f"{privacy.MASQUE} sorties de l'IAE" in masked


def test_resume_hides_a_rate_that_gives_back_a_small_count(demo_db):
    f = Filtres(2023, 2023, types=("ETTI",))
    k = kpis(demo_db, f)
    assert k["taux_sortie_dynamique"] is not None and privacy.is_small(
        k["sorties_examinees"] - k["sorties_dynamiques"]
    )
    masked = texts.resume(k, vue.structures_actives(demo_db, f), f, masked=True)
    assert "taux n'est pas publié" in masked and "%" not in masked.split("sorties examinées")[-1]


def test_every_sentence_of_the_small_folder_is_masked(small_db):
    for annee in ANNEES:
        f = Filtres.annee(annee)
        k = kpis(small_db, f)
        actives = vue.structures_actives(small_db, f)
        sentences = [texts.resume(k, actives, f, masked=True)]
        for code in listes.communes_nouvelles(small_db):
            fiche = commune.fiche(small_db, code, annee)
            sentences.append(
                texts.fiche_commune(
                    fiche.nom,
                    annee,
                    fiche.chiffres,
                    fiche.residents,
                    fiche.structures_actives,
                    len(fiche.interventions),
                    2,
                    masked=True,
                )
            )
            sentences.append(
                texts.resume(
                    fiche.chiffres,
                    actives,
                    Filtres.annee(annee, communes=(code,)),
                    masked=True,
                    lieu=fiche.nom,
                )
            )
        b = bilan.bilan(small_db, annee)
        sentences += texts.faits_marquants(b, masked=True)
        sentences.append(rapports_phrase(b, masked=True))
        for s in sentences:
            assert leaks(s) == [], s
    # Unmasked (the team's view), the same sentences do carry the counts: the scan can fail.
    b = bilan.bilan(small_db, 2025)
    assert leaks(rapports_phrase(b, masked=False))
    assert leaks(" ".join(texts.faits_marquants(b, masked=False)))


def test_a_masked_sentence_never_says_the_singular():
    k = {
        "heures_travaillees": 100.0,
        "personnes_employees": 1,
        "salaries_en_parcours": 1,
        "etp": 0.1,
        "sorties": 1,
        "sorties_examinees": 1,
        "sorties_dynamiques": 1,
        "sorties_emploi_durable": 1,
        "taux_sortie_dynamique": None,
    }
    text = texts.resume(k, 1, Filtres.annee(2025), masked=True)
    assert "< 5 personnes" in text and "< 5 sorties" in text and " 1 " not in text.replace("1 structure", "")
    residents = {"heures_travaillees": 100.0, "etp": 0.1}
    text = texts.fiche_commune("Sèvremoine", 2025, k, residents, 1, 1, 0, masked=True)
    assert "< 5 habitants de Sèvremoine ont travaillé" in text
    assert "< 5 habitants sont sortis" in text


def test_n_over_big_n_only_where_n_big_n_and_the_rest_are_not_small():
    assert privacy.ratio_text(40, 70, True) == "40 / 70"
    assert privacy.ratio_text(9, 12, True) is None  # 3 exits are not dynamic
    assert privacy.ratio_text(2, 12, True) is None
    assert privacy.ratio_text(0, 12, True) == "0 / 12"  # zero is not masked
    assert privacy.ratio_text(2, 3, False) == "2 / 3"
    assert privacy.rate_text(0.75, 9, 12, True) == privacy.TAUX_MASQUE
    assert privacy.rate_text(0.75, 9, 12, False) == "75,0\u00a0%"
    assert privacy.rate_text(None, 2, 3, True) == "non calculé"


def test_a_masked_bar_has_no_mark_and_reads_masked_at_its_place():
    df = pd.DataFrame({"annee": ["2023", "2024", "2025"], "personnes": [2, 3, 4]})
    fig = charts.bars(privacy.chart_data(df, ["personnes"]), "annee", "personnes")
    assert all(pd.isna(v) for v in fig.data[0].y)  # no bar height
    assert [a.text for a in fig.layout.annotations] == [privacy.MASQUE] * 3
    assert list(fig.data[0].text) == [privacy.MASQUE] * 3  # labels and hover
    assert fig.layout.yaxis.showticklabels is False  # no scale 0–4
    # Partly masked: the secondary cell reads "masqué", the others keep their bars and the scale.
    df = pd.DataFrame({"structure": ["A", "B", "C"], "sorties": [3, 12, 40]})
    fig = charts.hbars(privacy.chart_data(df, ["sorties"]), "structure", "sorties")
    assert [a.text for a in fig.layout.annotations] == [privacy.MASQUE, privacy.MASQUE_SECONDAIRE]
    assert list(fig.data[0].x)[2] == 40 and fig.layout.xaxis.showticklabels is not False
    assert all(h.endswith(("< 5", "masqué", "40")) for h in fig.data[0].hovertext)


def test_lines_of_masked_people_draw_no_point_and_no_scale():
    df = pd.DataFrame({"annee": ["2024", "2025"], "p": [2, 4], "q": [1, 3]})
    long = privacy.melt(privacy.chart_data(df, ["p", "q"]), "annee", ["p", "q"], "série", "personnes")
    fig = charts.lines(long, "annee", "personnes", color="série")
    assert all(pd.isna(v) for t in fig.data for v in t.y)
    assert len(fig.layout.annotations) == 4 and fig.layout.yaxis.showticklabels is False
    assert not any(leaks(h) for t in fig.data for h in t.hovertext)


def test_bilan_comparison_masks_people_rates_and_their_variations(small_db):
    b = bilan.bilan(small_db, 2025)
    shown = comparaison_affichee(b, masked=True).set_index("libelle")
    assert shown.at["Personnes employées", "2025"] == privacy.MASQUE
    # A relative change of a masked count, and a rate change, would give the count back.
    assert shown.at["Personnes employées", "variation"] == privacy.TAUX_MASQUE
    team = comparaison_affichee(b, masked=False).set_index("libelle")
    assert team.at["Personnes employées", "2025"] == "4"


def _pdf_text(data: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


def test_fiche_commune_pdfs_of_the_small_folder_show_no_small_count(small_db):
    for code in listes.communes_nouvelles(small_db):
        fiche = commune.fiche(small_db, code, 2025)
        text = _pdf_text(fiche_commune_pdf(fiche, provenance="Données de test"))
        assert fiche.nom in text
        assert leaks(text) == [], (fiche.nom, leaks(text))


def test_bilan_pdf_and_xlsx_of_the_small_folder_show_no_small_count(small_db):
    b = bilan.bilan(small_db, 2025)
    text = _pdf_text(bilan_pdf(b, provenance="Données de test"))
    assert "Bilan annuel 2025" in text
    assert leaks(text) == [], leaks(text)
    wb = load_workbook(io.BytesIO(bilan_xlsx(b, provenance="Données de test")))
    for ws in wb.worksheets:
        for row in ws.iter_rows(min_row=2):
            label = str(row[0].value)
            for cell in row:
                if isinstance(cell.value, str):
                    assert leaks(cell.value) == [], (ws.title, cell.coordinate, cell.value)
                # Counts of people are the integer cells; structures and years are not people.
                elif (
                    cell.number_format == ENTIER
                    and isinstance(cell.value, int | float)
                    and label != "Structures actives"
                ):
                    assert not privacy.is_small(cell.value), (ws.title, cell.coordinate, cell.value)


def test_a_part_masked_alone_in_a_printed_sum_is_not_given_back_by_it(demo_db):
    """Helper review of 2026-12-05: the fiche commune of Beaupréau-en-Mauges 2025 prints 24 dynamic exits, 14
    of them in lasting jobs, and its chart 9 in transition jobs: its "< 5" positive exits were 24 − 14 − 9 = 1.
    A second category of the dynamic exits is now masked (the smallest, transition: "masqué")."""
    fiche = commune.fiche(demo_db, "49023", 2025)
    counts = dict(zip(fiche.sorties["categorie"], fiche.sorties["sorties"], strict=True))
    assert counts == {"emploi_durable": 14, "emploi_transition": 9, "sortie_positive": 1, "autre_sortie": 13,
                      "retrait": 1, "non_examinee": 2}  # fmt: skip
    assert fiche.chiffres["sorties_dynamiques"] == 24 and fiche.chiffres["sorties_examinees"] == 37
    shown = dict(zip(fiche.sorties["categorie"], privacy.mask_counts(fiche.sorties, ["sorties"])["sorties"]))
    assert shown == {"emploi_durable": 14, "emploi_transition": privacy.MASQUE_SECONDAIRE,
                     "sortie_positive": privacy.MASQUE, "autre_sortie": 13, "retrait": privacy.MASQUE,
                     "non_examinee": privacy.MASQUE}  # fmt: skip
    # The chart draws the same: no bar for the two masked categories of the dynamic exits.
    data = privacy.chart_data(fiche.sorties, ["sorties"])
    assert data["sorties"].isna().tolist() == [False, True, True, False, True, True]


def test_a_line_total_printed_beside_its_parts_masks_two_of_them():
    """The bilan's exits by structure (2025, Alise – association intermédiaire): 22 dynamic = 10 lasting + 9
    transition + 3 positive. With 3 alone masked, 22 − 10 − 9 gave it back; transition (the smallest of the
    other parts) is masked too; and the sums overlap: a masked dynamic count hides the other exits examined."""

    def line(dyn, durable, transition, positive, autres):
        return {"sorties_dynamiques": dyn, "sorties_emploi_durable": durable,
                "sorties_emploi_transition": transition, "sorties_positives": positive, "autres_sorties": autres,
                "sorties_examinees": dyn + autres}  # fmt: skip

    alise = privacy.mask_counts(pd.DataFrame([line(22, 10, 9, 3, 10)]), list(line(0, 0, 0, 0, 0))).iloc[0]
    assert alise["sorties_positives"] == privacy.MASQUE
    assert alise["sorties_emploi_transition"] == privacy.MASQUE_SECONDAIRE
    assert [alise[c] for c in ("sorties_dynamiques", "sorties_emploi_durable", "autres_sorties")] == [
        22,
        10,
        10,
    ]
    small = privacy.mask_counts(pd.DataFrame([line(3, 0, 0, 3, 12)]), list(line(0, 0, 0, 0, 0))).iloc[0]
    assert small["sorties_dynamiques"] == small["sorties_positives"] == privacy.MASQUE
    # 3 dynamic (all positive) beside 15 examined: the 12 other exits would give the 3 back (15 − 12).
    assert small["autres_sorties"] == privacy.MASQUE_SECONDAIRE and small["sorties_examinees"] == 15


def _words(cells) -> list:
    """The words of a column of masks (MASQUE, MASQUE_SECONDAIRE), None where the cell is printed."""
    return [c if isinstance(c, str) else None for c in cells]


def test_secondary_suppression_does_not_depend_on_the_order_of_the_lines():
    """Two pages listed the same structures in another order: one hid the first of two equal smallest cells
    (Les Jardins de l'Èvre, 6), the other the other one (Bocage, 6), and together they gave both back. Every
    cell equal to the smallest is masked now, whatever the order."""
    df = pd.DataFrame({"nom": ["Jardins", "Bocage", "Coteaux", "Alise"], "sorties_dynamiques": [6, 6, 1, 22]})
    forward = _words(privacy.masks(df, ["sorties_dynamiques"])["sorties_dynamiques"])
    backward = _words(privacy.masks(df.iloc[::-1], ["sorties_dynamiques"])["sorties_dynamiques"].iloc[::-1])
    assert forward == backward == [privacy.MASQUE_SECONDAIRE, privacy.MASQUE_SECONDAIRE, privacy.MASQUE, None]


def _published_sums_hide_every_masked_cell(detail, summary, detail_masks, summary_masks, key, columns):
    """No masked cell is the difference of printed figures: in each column, no table holds a single masked
    cell (its column total is printed); a type printed has no single masked structure; a type masked has one."""
    for c in columns:
        for m in (detail_masks[c], summary_masks[c]):
            assert m.notna().sum() != 1, (c, m.tolist())
        for typ, part in detail.groupby(key):
            hidden = int(detail_masks.loc[part.index, c].notna().sum())
            line = summary.index[summary[key] == typ][0]
            if pd.isna(summary_masks.at[line, c]):
                assert hidden != 1, f"{c} : {typ} imprimé, une seule structure masquée"
            elif part[c].sum() > 0:
                assert hidden >= 1, f"{c} : {typ} masqué, ses structures toutes imprimées"


def test_exits_by_type_and_by_structure_hide_together_what_one_of_them_hides(demo_db):
    """Helper review of 2026-12-05, demo 2025 in a masked view: the types' table hid EI's dynamic exits (a
    second cell for EITI's "< 5") while the structures' table printed Bocage (EI's only structure), 6: the key
    figure (92) minus the types printed (23 + 44 + 18) minus 6 gave EITI's 1 back. And ACI printed 23 while
    one ACI structure alone was masked. Now the two tables mask together (privacy.linked_masks), and the
    Structures page masks the same exit counts."""
    from impact.indicators import sorties, structures

    f = Filtres.annee(2025)
    detail, summary = sorties.taux(demo_db, f, "structure"), sorties.taux(demo_db, f, "type")
    lies = sorties.masques(demo_db, f)
    dm = privacy.masks(
        detail, sorties.TAUX_COUNTS, forced=sorties.forced_for(detail, "structure_id", lies["structure"])
    )
    sm = privacy.masks(summary, sorties.TAUX_COUNTS, forced=sorties.forced_for(summary, "type", lies["type"]))
    _published_sums_hide_every_masked_cell(detail, summary, dm, sm, "type", sorties.TAUX_COUNTS)
    hidden = dict(zip(detail["structure_id"], dm["sorties_dynamiques"], strict=True))
    # ETTI's too since the audit knows counts are never negative: with its 26 exits all examined and no
    # positive exit printed (0), 18 dynamic − 12 in lasting jobs gave its 6 in transition jobs, and the column
    # of transition jobs then EI's 1 (helper review of 2026-12-05, second pass).
    # And the Recyclerie's: a group whose hidden cells are all "< 5" now masks one more (privacy._exposed).
    assert {k for k, v in hidden.items() if isinstance(v, str)} == {
        "ALISE_ACI",
        "RECYCLERIE_HYROME",
        "JARDINS_EVRE",
        "EI_BOCAGE",
        "EITI_COTEAUX",
        "ETTI_MAUGES",
    }
    assert dict(zip(summary["type"], _words(sm["sorties_dynamiques"]), strict=True)) == {
        "ACI": None, "AI": None, "EI": privacy.MASQUE_SECONDAIRE, "EITI": privacy.MASQUE_SECONDAIRE,
        "ETTI": privacy.MASQUE_SECONDAIRE,
    }  # fmt: skip
    # The Structures page hides the same exit counts of the same structures.
    page = structures.masquer(structures.membres(demo_db, f), lies["structure"]).set_index("structure_id")
    for c in ("sorties", "sorties_examinees", "sorties_dynamiques"):
        for sid, word in zip(detail["structure_id"], dm[c], strict=True):
            assert (page.at[sid, c] in (privacy.MASQUE, privacy.MASQUE_SECONDAIRE)) == isinstance(
                word, str
            ), (
                c,
                sid,
            )


def test_a_hidden_rate_is_not_said_to_lack_exits():
    """Helper review of 2026-12-05: under the rates by structure, a masked view said Les Jardins de l'Èvre had
    no rate for lack of exits (13 examined), when its rate was hidden for privacy. Each reason names its own."""
    from impact.indicators import sorties

    df = pd.DataFrame(
        {
            "structure_nom": ["Alise", "Coteaux", "Jardins"],
            "taux_sortie_dynamique": [0.6875, None, privacy.TAUX_MASQUE],
            "taux_sortie_emploi_durable": [0.3125, None, privacy.TAUX_MASQUE],
        }
    )
    assert sorties.sans_taux(df, "structure_nom") == ["Coteaux"]
    assert sorties.taux_masques(df, "structure_nom") == "les deux pour Jardins"
    df.loc[0, "taux_sortie_emploi_durable"] = privacy.TAUX_MASQUE
    assert (
        sorties.taux_masques(df, "structure_nom")
        == "les deux pour Jardins ; celui en emploi durable pour Alise"
    )


def test_all_exits_beside_the_examined_ones_never_give_a_small_difference(demo_db):
    """The exits by category of the demo's 2025 print all exits and the examined ones side by side: 44 and 43
    lasting jobs gave back 1 exit not examined, 18 and 16 positive exits 2, 67 and 65 others 2. Where the
    difference is small the first count is masked; the examined ones, which the rates and the masked chart
    read, stay printed. (Before, the line rule hid transition and positive exits, 33 and 16, and still let
    44 − 43 through.)"""
    from impact.indicators import sorties

    cat = sorties.par_categorie(demo_db, Filtres.annee(2025))
    out = privacy.mask_counts(cat, list(sorties.COMPTES)).set_index("categorie")
    assert _words(out["sorties"]) == ["masqué", None, "masqué", "masqué", "< 5"]
    assert out.loc["emploi_transition", "sorties"] == 33
    assert out["sorties_examinees"].tolist() == [43, 33, 16, 65, 0]


def test_all_exits_printed_beside_the_examined_ones_hide_a_small_difference():
    """Fiche commune of Beaupréau-en-Mauges, 2024, in presentation: the tiles said 37 exits, 35 examined; the
    2 others (withdrawals and exits below the minimum presence) were a small count, and the sheet's line of
    exits below the minimum presence (0) then gave the 2 withdrawals back. All exits now read "masqué" there."""
    assert privacy.toutes_sorties(37, 35, True) == privacy.MASQUE_SECONDAIRE
    assert privacy.toutes_sorties(37, 30, True) == 37  # 7 left out: not a small count
    assert privacy.toutes_sorties(37, 37, True) == 37  # nobody left out
    assert privacy.toutes_sorties(3, 2, True) == 3  # small itself: count_text writes "< 5"
    assert privacy.toutes_sorties(37, 35, False) == 37  # the team's own view


def test_sentences_say_in_words_that_all_exits_are_masked():
    """Helper review of 2026-12-05 (second pass): with 37 exits beside 35 examined, the Fiche commune read
    "masqué habitants sont sortis…" and the Sorties page "(35 des masqué sorties)"."""
    k = {
        "heures_travaillees": 5000.0,
        "personnes_employees": 40,
        "salaries_en_parcours": 30,
        "etp": 3.1,
        "sorties": 37,
        "sorties_examinees": 35,
        "sorties_dynamiques": 20,
        "sorties_emploi_durable": 9,
        "taux_sortie_dynamique": 20 / 35,
    }
    residents = {"heures_travaillees": 5000.0, "etp": 3.1}
    fiche = texts.fiche_commune("Sèvremoine", 2025, k, residents, 3, 4, 1, masked=True)
    assert "Des habitants sont sortis d'un parcours d'insertion (leur nombre n'est pas donné" in fiche
    assert "masqué habitants" not in fiche and "37" not in fiche
    comptes = texts.deux_comptes(k, masked=True)
    assert "(35 ; le nombre de toutes les sorties est masqué" in comptes and "37" not in comptes
    assert "(35 des 37 sorties)" in texts.deux_comptes(k, masked=False)
    k_peu = k | {"sorties": 8, "sorties_examinees": 6, "sorties_dynamiques": 4, "taux_sortie_dynamique": None}
    resume = texts.resume(k_peu, 3, Filtres.annee(2025), masked=True)
    assert "Des sorties de l'IAE (leur nombre n'est pas donné" in resume and "masqué sorties" not in resume


def test_people_in_iae_paths_masked_where_the_others_employed_are_few():
    """Orée d'Anjou, 2019: 22 residents employed "dont 19 en parcours (IAE)" said that 3 of them worked in the
    handicap sector or a GEIQ. The IAE count reads "masqué" wherever it stands beside all the people employed:
    tiles, sentences, tables, documents (privacy.DIFFERENCES)."""
    k = {"personnes_employees": 22, "salaries_en_parcours": 19}
    assert privacy.beside(k, "salaries_en_parcours", True) == privacy.MASQUE_SECONDAIRE
    assert privacy.beside(k, "personnes_employees", True) == 22  # the headline figure stays
    assert privacy.beside(k, "salaries_en_parcours", False) == 19  # the team's own view
    assert privacy.beside(k | {"salaries_en_parcours": 22}, "salaries_en_parcours", True) == 22  # all IAE
    assert privacy.beside(k | {"salaries_en_parcours": 17}, "salaries_en_parcours", True) == 17  # 5 others
    assert "dont la plupart en parcours d'insertion (IAE ; leur nombre exact est masqué)" in texts.dont_iae(
        k, True
    )
    assert texts.dont_iae(k, False) == "dont 19 en parcours d'insertion (IAE)"
    # A table of years holding both: the year whose gap is small (2019), not the others.
    years = pd.DataFrame(
        {"annee": [2019, 2020], "personnes_employees": [22, 30], "salaries_en_parcours": [19, 20]}
    )
    each = privacy.mask_each(years, ["personnes_employees", "salaries_en_parcours"])
    assert list(each["salaries_en_parcours"]) == [privacy.MASQUE_SECONDAIRE, 20]
    full = privacy.masks(years, ["personnes_employees", "salaries_en_parcours"])
    assert full.at[0, "salaries_en_parcours"] == privacy.MASQUE_SECONDAIRE


def test_the_fiche_commune_of_oree_d_anjou_2019_hides_its_iae_count(demo_db):
    fiche = commune.fiche(demo_db, "49126", 2019)
    k = fiche.chiffres
    assert (k["personnes_employees"], k["salaries_en_parcours"]) == (22, 19)
    text = " ".join(_pdf_text(fiche_commune_pdf(fiche, provenance="test")).split())
    assert "dont la plupart en parcours d'insertion" in text and "dont 19" not in text


def test_two_small_cells_alone_in_a_column_get_a_second_mask():
    """Helper review of 2026-12-05 (second pass), solved as a linear programme: two "< 5" cells alone hidden in
    a column whose total is printed are pinned down when their sum is small (1 and 1 make 2: each "< 5" is at
    least 1). A cell of 5 or more is masked with them, so that their sum is no longer known."""
    df = pd.DataFrame({"structure": ["A", "B", "C", "D"], "sorties": [1, 1, 20, 30]})
    words = _words(privacy.masks(df, ["sorties"])["sorties"])
    assert words == [privacy.MASQUE, privacy.MASQUE, privacy.MASQUE_SECONDAIRE, None]
    # One small cell beside a masked one of 5 or more: nothing more to mask.
    df = pd.DataFrame({"structure": ["A", "B", "C"], "sorties": [2, 20, 30]})
    words = _words(privacy.masks(df, ["sorties"])["sorties"])
    assert words == [privacy.MASQUE, privacy.MASQUE_SECONDAIRE, None]


def test_tables_masked_together_hide_the_zeros_beside_a_hidden_count():
    """A table masked with the other tables of exits (forced): one word for every hidden count, and a 0 in a
    line or column holding a hidden count reads it too. Otherwise "masqué" would mean "at least 1": a total of
    1 over one such cell and printed zeros gave it back (the ACI's 1 withdrawal of 2025). Alone, zeros print."""
    df = pd.DataFrame({"a": [3, 0, 10, 12], "b": [0, 7, 8, 9], "c": [0, 0, 0, 6]})
    alone = privacy.masks(df, ["a", "b", "c"], across_columns=True)
    assert alone.notna().to_numpy().tolist() == [
        [True, False, False], [False, True, False], [True, True, False], [False, False, False],
    ]  # fmt: skip
    forced = pd.DataFrame(False, index=df.index, columns=["a", "b", "c"])
    linked = privacy.masks(df, ["a", "b", "c"], across_columns=True, forced=forced)
    assert set(linked.iloc[:3].to_numpy().ravel()) == {privacy.MASQUE_SECONDAIRE}  # the 3 and the zeros too
    assert linked.iloc[3].isna().all()  # a line without a hidden count prints its numbers


def test_a_missing_count_beside_a_linked_mask_stays_missing():
    """A zero in a column holding a count masked with other tables reads "masqué" (else the word would mean
    "1 or more"); a missing count (a structure outside the IAE has no exits to count, "—") is no zero: it says
    nothing the line's type does not, and stays missing."""
    df = pd.DataFrame({"type": ["ACI", "EI", "ESAT"], "sorties": [16, 0, None]}, index=["a", "b", "c"])
    df["sorties"] = df["sorties"].astype("Int64")
    forced = pd.DataFrame({"sorties": [True, False, False]}, index=df.index)
    words = privacy.masks(df, ["sorties"], forced=forced)["sorties"].tolist()
    assert words == [privacy.MASQUE_SECONDAIRE, privacy.MASQUE_SECONDAIRE, None]


def test_a_count_one_commune_alone_hides_is_hidden_in_a_second_one():
    """The territory minus five communes is the sixth when every person lives in one of them: a count that one
    commune alone hides is hidden in a second commune too, the one with the smallest count printed there, whose
    own rules then run again; hidden by two communes, only their sum comes back. A line a commune's table lacks
    is a 0 it prints."""
    territory = pd.DataFrame({"type": ["ACI", "AI", "EI"], "personnes": [40, 31, 20]})
    communes = {
        "A": pd.DataFrame({"type": ["ACI", "AI", "EI"], "personnes": [3, 15, 10]}),  # ACI < 5, EI its second
        "B": pd.DataFrame({"type": ["ACI", "AI", "EI"], "personnes": [20, 8, 6]}),
        "C": pd.DataFrame({"type": ["ACI", "AI"], "personnes": [17, 8]}),  # no EI line: 0 printed
    }
    own = {c: privacy.masks(t, ["personnes"]).notna()["personnes"].tolist() for c, t in communes.items()}
    assert own == {"A": [True, False, True], "B": [False, False, False], "C": [False, False]}
    mine, theirs = privacy.communes_masks(territory, communes, ["personnes"], ["type"])
    # A hides its ACI and its EI alone. The ACI is hidden in C (17 < 20), whose column then hides its AI (8)
    # for its total; the EI in B (6; C has none), whose column then hides its AI (8) too. Every count is now
    # hidden by two communes or none, and the territory prints all of its own.
    assert mine is None and theirs["A"] is None
    assert theirs["B"]["personnes"].tolist() == [False, False, True]
    assert theirs["C"]["personnes"].tolist() == [True, False]
    hidden = {
        c: privacy.masks(t, ["personnes"], forced=theirs[c]).notna()["personnes"].tolist()
        for c, t in communes.items()
    }
    assert hidden == {"A": [True, False, True], "B": [False, True, True], "C": [True, True]}
    # No other commune with anyone there: the territory hides it. A's EI, hidden for its column, is hidden in B
    # too, whose column then hides its AI; hidden in A in turn, that AI frees A's EI of its own rule, which
    # stays hidden as B's partner.
    alone = {"A": communes["A"], "B": pd.DataFrame({"type": ["AI", "EI"], "personnes": [16, 10]})}
    mine, theirs = privacy.communes_masks(territory, alone, ["personnes"], ["type"])
    assert mine["personnes"].tolist() == [True, False, False]
    assert theirs["A"]["personnes"].tolist() == [False, True, True]
    assert theirs["B"]["personnes"].tolist() == [False, True]


def test_a_key_figure_one_commune_alone_hides_is_hidden_in_a_second_one():
    """privacy.figure_partners, by hand: the commune with the smallest non-zero figure printed hides it too, the
    territory only when no other commune has one; nothing when two communes hide it or the territory does."""
    figures = {"A": (3, True), "B": (17, False), "C": (31, False), "D": (0, False)}
    assert privacy.figure_partners(figures, territory_hidden=False) == {"B"}
    assert privacy.figure_partners(figures | {"C": (2, True)}, territory_hidden=False) == set()
    assert privacy.figure_partners(figures, territory_hidden=True) == set()
    assert privacy.figure_partners({"A": (3, True), "D": (0, False)}, territory_hidden=False) == {None}
    assert privacy.figure_partners({"A": (0, True), "B": (17, False)}, territory_hidden=False) == set()
    # Ties: the first commune in code order.
    assert privacy.figure_partners({"A": (3, True), "C": (9, False), "B": (9, False)}, False) == {"B"}
    # The word it then reads, wherever the figure is printed beside its pair (privacy.beside), and in a table.
    k = {"salaries_en_parcours": 17, "personnes_employees": 28, privacy.CACHES: {"salaries_en_parcours"}}
    assert privacy.beside(k, "salaries_en_parcours", True) == privacy.MASQUE_SECONDAIRE
    assert privacy.beside(k, "salaries_en_parcours", False) == 17
    df = pd.DataFrame({"n": [17, 2, 30], "part": [0.5, 0.1, 0.9]})
    shown = privacy.hide(
        privacy.mask_each(df, ["n"]), pd.DataFrame({"n": [True, True, False]}), {"part": "n"}
    )
    assert shown["n"].tolist() == [privacy.MASQUE_SECONDAIRE, privacy.MASQUE, 30]
    assert shown["part"].tolist() == [privacy.TAUX_MASQUE, 0.1, 0.9]


def test_a_document_hides_the_people_followed_that_one_commune_alone_hides():
    """The follow-up's sentence of the Fiche commune's PDF (texts.suivi_texte): people followed named in
    `caches` (view.suivi_partenaires) read « masqué », and the rate with them (the rate and n would give them
    back); otherwise as before."""
    from dataclasses import replace

    from impact.indicators.accompagnement import Suivi6Mois

    s = Suivi6Mois(sorties=30, sorties_recentes=0, personnes_suivies=12, en_emploi=7, employeur_partenaire=0)
    figure, _ = texts.suivi_texte(s)
    assert "7 / 12 personnes suivies (58,3" in figure.replace("\u202f", " ").replace("\u00a0", " ")
    figure, _ = texts.suivi_texte(replace(s, caches=frozenset({"personnes_suivies"})))
    # The hidden rate is not written after the hidden count (it said « masqué (petit effectif) » in brackets).
    assert f"7 / {privacy.MASQUE_SECONDAIRE} personnes suivies, dont" in figure
    assert "12" not in figure and "58" not in figure and privacy.TAUX_MASQUE not in figure
