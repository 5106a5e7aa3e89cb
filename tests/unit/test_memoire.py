"""The mémoire d'insertion: its Word and PDF texts hold the figures of the indicator functions for the same
year and territory (read back with python-docx and pypdf), small counts are masked, and both build with the
network cut off."""

import io
import re
import socket

import pytest
from docx import Document
from pypdf import PdfReader

from impact import DEMO_DIR, fmt, privacy
from impact.__main__ import main
from impact.db import Database
from impact.documents import provenance
from impact.documents.memoire import SECTIONS, memoire_docx, memoire_pdf
from impact.filters import Filtres
from impact.indicators import accompagnement as acc
from impact.indicators import kpis
from impact.indicators import memoire as mem
from impact.load import load_folder
from tests.fixtures_accompagnement import accompagnement_folder


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u202f", " ").replace("\u00a0", " "))


def docx_text(data: bytes) -> tuple[str, dict[str, str]]:
    """All the text (paragraphs and cells), and the key-figure boxes as {label: value}."""
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    boxes = {}
    for t in doc.tables:
        for row in t.rows:
            cells = [c.text for c in row.cells]
            parts += cells
            if len(cells) == 3:
                boxes[norm(cells[0])] = norm(cells[1])
    return norm(" ".join(parts)), boxes


def pdf_text(data: bytes) -> str:
    return norm(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages))


@pytest.fixture(scope="module")
def offline():
    mp = pytest.MonkeyPatch()

    def refuse(*args, **kwargs):
        raise AssertionError(f"connexion réseau tentée : {args}")

    mp.setattr(socket.socket, "connect", refuse)
    mp.setattr(socket, "create_connection", refuse)
    yield
    mp.undo()


@pytest.fixture(scope="module")
def demo_db():
    result = load_folder(DEMO_DIR)
    assert result.ok
    return Database(result)


DEMANDE = mem.Demande(
    "Entretien des ouvrages du service de l'eau",
    "Veolia Eau",
    2025,
    ("49092", "49162"),  # Chemillé-en-Anjou and Jallais, a commune déléguée of Beaupréau-en-Mauges
    ("compteurs", "ouvrages"),
    1800,
)


@pytest.fixture(scope="module")
def demo_docs(demo_db, offline):
    m = mem.memoire(demo_db, DEMANDE)
    prov = provenance(demo_db.donnees_au, True)
    return m, memoire_docx(m, provenance=prov), memoire_pdf(m, provenance=prov)


def expected_figures(db, annee, communes):
    """The strings the results section must print, computed from the indicator functions. Of the territory's
    rates, the dynamic one: its emploi durable is hidden (test_the_territory_hides_what_a_commune_sheet_gives_back)."""
    k = kpis(db, Filtres.annee(annee))
    kt = kpis(db, Filtres.annee(annee, communes=communes))
    out = [
        fmt.hours(k["heures_travaillees"]),
        fmt.number(k["etp"], 1),
        fmt.hours(kt["heures_travaillees"]),
    ]
    for kk in (k, kt):
        n_dyn = kk["sorties_emploi_durable"] + kk["sorties_emploi_transition"] + kk["sorties_positives"]
        out += [fmt.percent(kk["taux_sortie_dynamique"]), f"{n_dyn} / {kk['sorties_examinees']}"]
    out += [
        fmt.percent(k["taux_sortie_emploi_durable"]),
        f"{k['sorties_emploi_durable']} / {k['sorties_examinees']}",
    ]
    s = acc.suivi_6_mois(db, Filtres.annee(annee))
    out.append(f"{s.en_emploi} / {s.personnes_suivies} personnes suivies")
    return k, [norm(x) for x in out]


def test_territory_codes_map_to_communes_nouvelles(demo_docs):
    m, _, _ = demo_docs
    assert m.territoire == ("49092", "49023")  # Jallais (49162) is in Beaupréau-en-Mauges
    assert set(m.structures["structure_id"]) >= {"ALISE_AI", "EI_BOCAGE"}  # both read meters there
    with pytest.raises(ValueError, match="99999"):
        mem.territoire(("99999",))


def test_docx_and_pdf_hold_the_indicator_figures(demo_db, demo_docs):
    _, docx_bytes, pdf_bytes = demo_docs
    k, figures = expected_figures(demo_db, 2025, ("49092", "49023"))
    text, boxes = docx_text(docx_bytes)
    ptext = pdf_text(pdf_bytes)
    for s in figures:
        assert s in text, s
        assert s in ptext, s
    # The results boxes are exactly the figures of kpis (large counts: not masked).
    assert boxes["Heures travaillées en 2025"] == norm(fmt.hours(k["heures_travaillees"]))
    assert boxes["Personnes employées"] == fmt.integer(k["personnes_employees"])
    assert boxes["Salariés en parcours (IAE)"] == fmt.integer(k["salaries_en_parcours"])
    assert boxes["Sorties (IAE)"] == fmt.integer(k["sorties"])
    assert boxes["Sorties examinées"] == fmt.integer(k["sorties_examinees"])
    assert boxes["Taux de sortie dynamique"] == norm(fmt.percent(k["taux_sortie_dynamique"]))
    e = acc.encadrement(
        demo_db, Filtres.annee(2025, structures=tuple(demo_docs[0].structures["structure_id"]))
    )
    assert boxes["Encadrement technique"] == norm(f"1 pour {fmt.number(e.ratio_technique, 1)} ETP")
    # The trainings' own durations (formations table), named apart from the "Heures de formation" of the hours
    # table that the dashboard shows elsewhere with another value.
    fo = acc.formations(
        demo_db, Filtres.annee(2025, structures=tuple(demo_docs[0].structures["structure_id"]))
    )
    assert boxes["Durée des formations déclarées en 2025"] == norm(fmt.hours(fo["heures"]))
    assert not any(label.startswith("Heures de formation") for label in boxes)
    for title in SECTIONS:
        assert title in text and title in ptext
    assert "Données fictives de démonstration — données au 30/09/2026" in ptext
    assert "1 800 h" in text  # the tender's hours
    assert "(s)" not in text and "(s)" not in ptext  # "12 structures", "1 équivalent": plurals written out


def test_the_territory_hides_what_a_commune_sheet_gives_back(demo_db, demo_docs):
    """The territory (Chemillé-en-Anjou and Beaupréau-en-Mauges) minus Beaupréau's sheet gives Chemillé's sheet:
    a count Chemillé's sheet hides is hidden in the mémoire too (privacy.union_hides). By hand, 2025: lasting
    jobs 14 in Beaupréau (printed on its sheet), 4 in Chemillé (« < 5 »), 18 for the two; people followed 6
    months after their exit, in employment: 3 and 4 (both « < 5 »), 7 for the two. Trainings of the three
    operating structures: Bocage Propreté Insertion trained 4 people (« < 5 » on its sheet), the Alise AI 12
    and the Jardins de l'Èvre none: 16 for the three."""
    m, docx_bytes, pdf_bytes = demo_docs
    one = {c: kpis(demo_db, Filtres.annee(2025, communes=(c,))) for c in ("49092", "49023")}
    assert [one[c]["sorties_emploi_durable"] for c in ("49092", "49023")] == [4, 14]
    kt = kpis(demo_db, Filtres.annee(2025, communes=("49092", "49023")))
    assert (kt["sorties_emploi_durable"], kt["sorties_examinees"]) == (18, 58)
    suivi = {c: acc.suivi_6_mois(demo_db, Filtres.annee(2025, communes=(c,))).en_emploi for c in one}
    assert suivi == {"49092": 4, "49023": 3}
    bocage = acc.formations(demo_db, Filtres.annee(2025, structures=("EI_BOCAGE",)))
    assert bocage["personnes_formees"] == 4
    # Every structure's counts in two queries, equal to the totals of that structure alone.
    per = acc.formations_comptes_par_structure(demo_db, Filtres.annee(2025))
    assert (per["EI_BOCAGE"]["personnes_formees"], per["ALISE_AI"]["personnes_formees"]) == (4, 12)
    for s, counts in per.items():
        alone = acc.formations(demo_db, Filtres.annee(2025, structures=(s,)))
        assert counts == {k: alone[k] for k in counts}, s
    assert {"sorties_emploi_durable", "en_emploi"} <= m.caches_territoire
    assert "personnes_formees" in m.caches_structures
    text, boxes = docx_text(docx_bytes)
    ptext = pdf_text(pdf_bytes)
    for t in (text, ptext):
        assert "18 / 58" not in t and norm(fmt.percent(18 / 58)) not in t
        assert "taux de sortie en emploi durable masqué (petit effectif)." in t
        assert "7 / 19" not in t
        assert "Chemillé-en-Anjou et Beaupréau-en-Mauges — en emploi 6 mois après la sortie : masqué" in t
        assert "des personnes (nombre masqué) en insertion des structures retenues" in t
        assert "16 personnes" not in t
    assert boxes["Personnes formées"] == privacy.MASQUE_SECONDAIRE
    # By domain too: Technique, 6 trainings = 4 at the Alise AI + 2 at Bocage, both « < 5 » on their fiches
    # (the sum of two hidden counts of 1 to 4 would bound each of them).
    assert m.domaines_caches.loc[m.formations_domaines["domaine_libelle"] == "Technique", "formations"].all()
    assert "Technique 6" not in ptext and f"Technique {privacy.MASQUE_SECONDAIRE}" in ptext


def test_masked_on_a_small_folder(tmp_path, offline):
    db = Database(load_folder(accompagnement_folder(tmp_path / "acc")))
    demande = mem.Demande("Nettoyage", "Commune de Beaupréau-en-Mauges", 2024, ("49023",))
    m = mem.memoire(db, demande)
    data = memoire_docx(m, provenance=provenance(db.donnees_au, False))
    text, boxes = docx_text(data)
    ptext = pdf_text(memoire_pdf(m, provenance=provenance(db.donnees_au, False)))
    k = kpis(db, Filtres.annee(2024))
    for label, key in (
        ("Personnes employées", "personnes_employees"),
        ("Salariés en parcours (IAE)", "salaries_en_parcours"),
        ("Sorties (IAE)", "sorties"),
        ("Sorties examinées", "sorties_examinees"),
    ):
        expected = privacy.MASQUE if privacy.is_small(k[key]) else fmt.integer(k[key])
        if key == "sorties":  # 7 exits beside 4 examined ("< 5"): the 3 others are a small count
            assert (k["sorties"], k["sorties_examinees"]) == (7, 4)
            expected = privacy.MASQUE_SECONDAIRE
        if key == "salaries_en_parcours":  # 7 of the people employed: the others, outside IAE, are few
            assert k["salaries_en_parcours"] == 7 and privacy.is_small(k["personnes_employees"] - 7)
            expected = privacy.MASQUE_SECONDAIRE
        assert boxes[label] == expected
    assert k["sorties_examinees"] < 10
    assert boxes["Taux de sortie dynamique"].startswith("non calculé")
    # 4 of the 5 people followed were employed: n/N would give 1 back, so no n/N at all.
    for t in (text, ptext):
        assert f"Tout le collectif — en emploi 6 mois après la sortie : {privacy.TAUX_MASQUE} personnes" in t
        assert "4/5 personnes" not in t and "4 / 5 personnes" not in t
    assert privacy.MASQUE in ptext


def test_cli_writes_both_files(tmp_path, capsys):
    folder = accompagnement_folder(tmp_path / "acc")
    docx_path, pdf_path = tmp_path / "m.docx", tmp_path / "m.pdf"
    code = main(
        [
            "memoire",
            str(folder),
            "--titre",
            "Espaces verts",
            "--acheteur",
            "Mauges Communauté",
            "--communes",
            "49023,49092",
            "--activites",
            "Espaces verts",
            "--heures",
            "500",
            "--annee",
            "2024",
            "--docx",
            str(docx_path),
            "--pdf",
            str(pdf_path),
        ]
    )
    assert code == 0
    assert docx_path.read_bytes()[:2] == b"PK" and pdf_path.read_bytes()[:4] == b"%PDF"
    assert "mémoire d'insertion 2024" in capsys.readouterr().out
    assert (
        main(
            [
                "memoire",
                str(folder),
                "--titre",
                "X",
                "--acheteur",
                "Y",
                "--communes",
                "12345",
                "--annee",
                "2024",
                "--docx",
                str(docx_path),
            ]
        )
        == 2
    )
