"""The PDF and XLSX documents: their figures are the indicator functions', small counts are masked, French
characters and € survive (text extracted with pypdf), and they build with the network cut off."""

import io
import re
import socket
from dataclasses import replace

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from impact import columns, contract, fmt, privacy, texts
from impact.documents import provenance
from impact.documents.pdf import bilan_pdf, fiche_commune_pdf
from impact.documents.xlsx import bilan_xlsx
from impact.filters import Filtres
from impact.indicators import bilan, commune, kpis


def norm(text: str) -> str:
    """pypdf gives narrow and regular no-break spaces, and justified lines have runs of spaces."""
    return re.sub(r"\s+", " ", text.replace("\u202f", " ").replace("\u00a0", " "))


def pdf_text(data: bytes) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(data))
    return norm(" ".join(p.extract_text() for p in reader.pages)), len(reader.pages)


@pytest.fixture(scope="module")
def offline():
    """Any attempt to open a network connection fails the build."""
    mp = pytest.MonkeyPatch()

    def refuse(*args, **kwargs):
        raise AssertionError(f"connexion réseau tentée : {args}")

    mp.setattr(socket.socket, "connect", refuse)
    mp.setattr(socket, "create_connection", refuse)
    yield
    mp.undo()


@pytest.fixture(scope="module")
def mini_fiche_pdf(mini_db, offline):
    fiche = commune.fiche(mini_db, "49023", 2024)
    return fiche, fiche_commune_pdf(fiche, provenance=provenance(mini_db.donnees_au, False))


@pytest.fixture(scope="module")
def demo_fiche_pdf(demo_db, offline):
    fiche = commune.fiche(demo_db, "49301", 2025)
    return fiche, fiche_commune_pdf(fiche, provenance=provenance(demo_db.donnees_au, True))


@pytest.fixture(scope="module")
def demo_bilan(demo_db, offline):
    b = bilan.bilan(demo_db, 2025)
    prov = provenance(demo_db.donnees_au, True)
    return b, bilan_pdf(b, provenance=prov), bilan_xlsx(b, provenance=prov)


def test_fiche_pdf_figures_are_the_indicators(demo_db, demo_fiche_pdf):
    _, data = demo_fiche_pdf
    assert data.startswith(b"%PDF")
    text, pages = pdf_text(data)
    assert 1 <= pages <= 2
    k = kpis(demo_db, Filtres.annee(2025, communes=("49301",)))
    r = commune.residents(demo_db, "49301", 2025)
    assert "Sèvremoine — 2025" in text
    for expected in (
        fmt.hours(k["heures_travaillees"]),
        fmt.etp(k["etp"]),
        fmt.percent(k["taux_sortie_dynamique"]),
        fmt.percent(k["taux_sortie_emploi_durable"]),
        fmt.hours(r["heures_travaillees"]),
        fmt.etp(r["etp"]),
        f"{k['personnes_employees']} habitants de Sèvremoine",
        "Données fictives de démonstration — données au 30/09/2026",
        "IGN ADMIN EXPRESS",
        "Personnes et sorties : habitants de la commune",
    ):
        assert norm(expected) in text, expected
    assert k["personnes_employees"] >= 5  # shown as is


def test_fiche_pdf_hides_the_residents_one_commune_alone_hides(demo_db, demo_fiche_pdf, offline):
    """A sheet whose residents employed one commune alone hid besides (impact.view.fiche_partenaires names them
    in privacy.CACHES): the PDF hides them in its tile and its text, and keeps its people in an IAE path."""
    fiche, _ = demo_fiche_pdf
    k = fiche.chiffres
    hidden = replace(fiche, chiffres={**k, privacy.CACHES: {"personnes_employees"}})
    text, _ = pdf_text(fiche_commune_pdf(hidden, provenance=provenance(demo_db.donnees_au, True)))
    assert f"{k['personnes_employees']} habitants" not in text
    assert "Habitants employés masqué" in text
    assert (
        "En 2025, des habitants de Sèvremoine (leur nombre n'est pas donné : il permettrait de retrouver un petit "
        f"effectif) ont travaillé dans les structures du collectif, dont {k['salaries_en_parcours']} en parcours"
    ) in text


def test_fiche_pdf_is_masked_and_keeps_french_characters(mini_fiche_pdf):
    fiche, data = mini_fiche_pdf
    text, pages = pdf_text(data)
    assert pages <= 2
    assert fiche.chiffres["personnes_employees"] == 3
    # Every count of people in this tiny commune is below 5: "< 5" everywhere, never the number.
    assert "< 5 habitants de Beaupréau-en-Mauges ont travaillé" in text
    assert "Habitants employés < 5" in text or "Habitants employés\n< 5" in text
    assert " 3 habitants" not in text
    assert "Sorties de l'année < 5" in text
    # Hours are not counts of people: shown.
    assert norm(fmt.hours(200)) in text
    # Cœur de Mauges € Services (cp1252 file) and Les Jardins d’Œuvre: œ, Œ, ’, € and accents.
    assert "Cœur de Mauges € Services" in text
    assert "Les Jardins d’Œuvre" in text
    assert "é" in text and "è" in text


def test_bilan_pdf_figures_masking_and_characters(demo_db, demo_bilan):
    b, data, _ = demo_bilan
    text, pages = pdf_text(data)
    assert pages >= 6
    k = kpis(demo_db, Filtres.annee(2025))
    for expected in (
        "Bilan annuel 2025",
        "Sommaire",
        "Annexe — Méthode et définitions",
        fmt.hours(k["heures_travaillees"]),
        fmt.euros(k["chiffre_affaires"]),
        fmt.percent(k["taux_sortie_dynamique"]),
        fmt.etp(k["etp"]),
        fmt.integer(k["personnes_employees"]),
    ):
        assert norm(expected) in text, expected
    assert "€" in text and "é" in text
    # QPV residents (1 or 2 a year in the demo) are masked.
    qpv = b.publics.set_index("public").loc["Habitants d'un quartier prioritaire (QPV)"]
    assert privacy.is_small(qpv["2025"])
    # Each year's count reads "< 5"; its share of the year reads as a masked rate, never "< 5".
    assert f"Habitants d'un quartier prioritaire (QPV) < 5 < 5 < 5 {privacy.TAUX_MASQUE}" in text


def test_bilan_xlsx_numbers_formats_and_masking(demo_db, demo_bilan):
    b, _, data = demo_bilan
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames[0] == "À propos" and wb.sheetnames[-1] == "Colonnes"
    ws = wb["Chiffres clés"]
    headers = [c.value for c in ws[1]]
    rows = {r[0].value: r for r in ws.iter_rows(min_row=2)}
    col = {h: i for i, h in enumerate(headers)}
    for year in (2023, 2024, 2025):
        k = kpis(demo_db, Filtres.annee(year))
        heures = rows["Heures travaillées"][col[str(year)]]
        # Stored as the screen rounds it ("208 382 h"), never with float noise.
        assert heures.value == round(k["heures_travaillees"])
        assert isinstance(heures.value, int | float)  # a number, not text
        assert heures.number_format == '#,##0" h"'
        assert rows["Personnes employées"][col[str(year)]].value == k["personnes_employees"]
        assert rows["Chiffre d'affaires (HT)"][col[str(year)]].value == pytest.approx(k["chiffre_affaires"])
        taux = rows["Taux de sortie dynamique"][col[str(year)]]
        assert taux.value == round(k["taux_sortie_dynamique"], 3)  # "58,6 %" on the screen
        assert taux.number_format == "0.0 %"
    assert rows["Heures travaillées"][col["Variation 2025/2024"]].number_format == "0.0 %"
    # A change of rate is in points (62,1 % in 2024, 58,6 % in 2025: -3,5 pt), not in percent.
    k24, k25 = kpis(demo_db, Filtres.annee(2024)), kpis(demo_db, Filtres.annee(2025))
    ecart = rows["Taux de sortie dynamique"][col["Écart 2025/2024"]]
    assert ecart.value == pytest.approx(
        round((k25["taux_sortie_dynamique"] - k24["taux_sortie_dynamique"]) * 100, 1)
    )
    assert ecart.value < 0 and "pt" in ecart.number_format and "%" not in ecart.number_format
    # The Marchés sheet speaks French: the labels of the column vocabulary (as the screen), never the codes.
    marches = wb["Marchés"]
    mcol = {c.value: i for i, c in enumerate(marches[1])}
    secteurs = {r[mcol["Secteur"]].value for r in marches.iter_rows(min_row=2)}
    dispositifs = {r[mcol["Dispositif"]].value for r in marches.iter_rows(min_row=2)}
    assert secteurs <= set(columns.SECTEURS.values()) and "Partenariats privés" in secteurs
    assert dispositifs <= set(contract.DISPOSITIFS.values())
    assert contract.DISPOSITIFS["clause_execution"] in dispositifs
    # Masking: the QPV row of the publics, and the exits of the smallest IAE structure.
    pub = {r[0].value: [c.value for c in r] for r in wb["Publics"].iter_rows(min_row=2)}
    assert pub["Habitants d'un quartier prioritaire (QPV)"][1:] == [privacy.MASQUE] * 3 + [
        privacy.TAUX_MASQUE
    ]
    assert pub["Femmes"][3] == b.publics.set_index("public").at["Femmes", "2025"]
    sorties = {r[0].value: [c.value for c in r] for r in wb["Sorties par structure"].iter_rows(min_row=2)}
    # masked with the other tables of exits of the year: one word, its 1 or 2 exits included
    coteaux = sorties["Coteaux Indépendants Solidaires"]
    assert privacy.MASQUE_SECONDAIRE in coteaux and privacy.MASQUE not in coteaux
    assert not any(isinstance(v, int | float) and 0 < v < privacy.SEUIL for v in coteaux), coteaux
    # Every column of every table sheet is described.
    described = {(r[0].value, r[1].value) for r in wb["Colonnes"].iter_rows(min_row=2)}
    for name in wb.sheetnames:
        if name in ("À propos", "Méthode", "Colonnes"):
            continue
        for cell in wb[name][1]:
            assert (name, cell.value) in described, (name, cell.value)


def test_documents_use_the_shipped_fonts(mini_fiche_pdf):
    _, data = mini_fiche_pdf
    # Embedded subsets of the DejaVu TTF shipped in data/fonts (never a system or core PDF font).
    assert b"DejaVuSans" in data and b"/FontFile2" in data
    assert b"/Helvetica" not in data


def test_fiche_pdf_hides_a_rate_that_gives_back_a_small_count(demo_db, offline):
    # Orée d'Anjou 2025: the durable exits are fewer than 5, the rate x N would give them back.
    k = kpis(demo_db, Filtres.annee(2025, communes=("49126",)))
    assert privacy.is_small(k["sorties_emploi_durable"]) and k["taux_sortie_emploi_durable"] is not None
    data = fiche_commune_pdf(
        commune.fiche(demo_db, "49126", 2025), provenance=provenance(demo_db.donnees_au, True)
    )
    text, _ = pdf_text(data)
    assert norm(fmt.percent(k["taux_sortie_emploi_durable"])) not in text
    assert "masqué" in text
    # Every category of its exits would be hidden: the line is left out and a sentence says so, as on the page.
    assert norm(privacy.retires_texte("les sorties par catégorie")) in text
    assert "Emploi de transition" not in text


def test_bilan_pdf_and_xlsx_show_the_follow_up_apart_and_masked(demo_db, demo_bilan):
    b, data, xlsx = demo_bilan
    text, _ = pdf_text(data)
    # Demo 2025: 167 exits, 47 people followed, 20 in employment, 1 partner hire (masked).
    s = b.suivi
    assert (s.sorties, s.personnes_suivies, s.en_emploi, s.employeur_partenaire) == (167, 47, 20, 1)
    sentence = norm(
        f"En emploi 6 mois après la sortie : 20 / 47 personnes suivies ({fmt.percent(20 / 47)}), dont < 5 "
        "embauchées par un partenaire du collectif."
    )
    assert sentence in text
    # Not the 167 exits it is drawn from: 1 more than the 166 IAE exits of the key figures, a small count.
    assert "167 sorties" not in text and "structure employeuse" not in text
    # In section 3, after the official rates' table, under its own title, before section 4.
    at = text.index(sentence)
    assert (
        text.rindex("3. Les sorties de parcours (IAE)") < at < text.rindex("4. Les marchés et partenariats")
    )
    assert text.rindex("À part : en emploi 6 mois après la sortie (suivi du collectif)") < at
    assert "il n'entre dans aucun des deux taux officiels" in text
    ws = load_workbook(io.BytesIO(xlsx))["Suivi à 6 mois"]
    assert [c.value for c in ws[2]] == [2025, 47, 20, privacy.MASQUE, pytest.approx(0.426, abs=1e-3)]


def test_fiche_pdf_shows_the_follow_up_of_the_residents_masked(demo_db, demo_fiche_pdf):
    fiche, data = demo_fiche_pdf
    text, _ = pdf_text(data)
    # Residents of Sèvremoine who left in 2025: 33 exits, 8 followed, 3 in employment, none at a partner.
    s = fiche.suivi
    assert (s.sorties, s.personnes_suivies, s.en_emploi, s.employeur_partenaire) == (33, 8, 3, 0)
    assert s == commune.suivi(demo_db, "49301", 2025)
    assert (
        "À part, suivi du collectif (hors taux officiels). En emploi 6 mois après la sortie : < 5 / 8 personnes suivies (pas de pourcentage sous 10 personnes "
        "suivies), dont 0 embauchées par un partenaire du collectif."
    ) in text
    assert "33 habitants sortis" not in text


def test_bilan_highlights_count_exits_not_people(demo_db, demo_bilan):
    """Helper review: "43 personnes sont sorties vers un emploi durable" counted exits (a person may leave two
    paths in a year): the highlight names exits."""
    b = demo_bilan[0]
    durable = b.valeur("sorties_emploi_durable")
    text = " ".join(texts.faits_marquants(b, masked=False))
    assert f"{fmt.integer(durable)} sorties vers un emploi durable." in text
    assert "personnes sont sorties" not in text


def test_a_key_figure_too_long_for_its_box_is_set_smaller():
    """« masqué (petit effectif) » ran past its box (one of four across the page) at 13 pt."""
    from impact.documents.pdf import Document

    doc = Document("Fiche", "pied")
    doc.add_page()
    width = (doc.epw - 3 * 3) / 4 - 4  # a box of chiffres(), less its margins
    doc._fit_bold("masqué (petit effectif)", width)
    assert doc.get_string_width("masqué (petit effectif)") <= width
    assert doc.font_size_pt < 13
    doc._fit_bold("21", width)
    assert doc.font_size_pt == 13
