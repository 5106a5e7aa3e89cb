"""The Méthodologie page: every definition, the reference tables of the loaded data (demo data, and a data
folder whose reference/ overrides them), the sources and their freshness, the privacy rule, the territory,
"how to read" examples equal to the indicator functions, the data contract and its templates."""

import re

import pytest

from impact import REFERENCE_DIR, charts, contract, fmt, geo, privacy
from impact.definitions import DEFINITIONS
from impact.filters import Filtres
from impact.indicators import kpis, reference
from tests.app.conftest import normalize, run_app
from tests.conftest import load_db
from tests.fixtures import mini_folder, write


def text_of(at) -> str:
    parts = [e.value for e in at.markdown] + [e.value for e in at.caption] + [e.value for e in at.info]
    return normalize("\n".join(parts))


def frames(at) -> dict[str, object]:
    """The page's tables keyed by their first column name."""
    return {d.value.columns[0]: d.value for d in at.dataframe}


def test_presentation_prints_the_reference_tables_plain(demo_db):
    """Projected, the reference tables are printed plain, every column in sight (the grid cut the categories
    and the sources at 1024 px); the same cells as the grid, Markdown escaped (st.table reads it: the catch-all
    type "*" of the ETP bases was drawn as a list's bullet)."""
    grid = frames(run_app(page="methodologie.py", voir=True))
    at = run_app(page="methodologie.py", voir=True, mode="presentation")
    assert not at.dataframe
    plain = {d.value.columns[0]: d.value for d in at.table}
    assert plain.keys() == grid.keys()
    for name, df in grid.items():
        kept = [c for c in df.columns if c != "Fichiers lus"]  # the sources, without the files' names
        assert list(plain[name].columns) == kept, name
        printed = plain[name].astype(str).map(lambda v: re.sub(r"\\(.)", r"\1", v))  # as Markdown shows it
        assert printed.values.tolist() == df[kept].astype(str).values.tolist(), name
    assert "\\*" in plain["Type"]["Type"].tolist()  # the catch-all type, escaped: it reads "*"


def test_default_page_shows_every_rule_of_the_demo_data(demo_db):
    at = run_app(page="methodologie.py", voir=True)  # the former INSEE codes are behind « Anciens codes… »
    text = text_of(at)
    for d in DEFINITIONS.values():
        assert normalize(f"**{d.label}** — {d.text}") in text, d.label
    t = frames(at)
    motifs = reference.motifs_sortie(demo_db)
    assert list(t["Code"]["Code"]) == list(motifs["code"])
    assert list(t["Code"]["Catégorie"]) == list(motifs["categorie"])
    assert list(t["Catégorie"]["Catégorie"]) == list(contract.EXIT_CATEGORIES)
    bases = reference.bases_etp(demo_db)
    assert list(t["Type"]["Heures annuelles"]) == [fmt.hours(h) for h in bases["heures_annuelles"]]
    # Sources: every table of the contract, rows read from the files.
    sources = reference.sources(demo_db.result.files)
    assert list(t["Table"]["Table"]) == list(contract.TABLES)
    assert list(t["Table"]["Lignes"]) == [fmt.integer(n) for n in sources["lignes"]]
    assert "données au 30/09/2026" in text
    assert normalize(geo.source_label()) in text
    # Privacy: the refused columns of the contract, the thresholds.
    refused = set(t["Colonne refusée"]["Colonne refusée"])
    assert refused == set(contract.IDENTIFYING_COLUMNS) | set(contract.IDENTIFYING_IN_PERSON_TABLES)
    assert "identifiant pseudonyme" in text and "moins de 10 sorties examinées" in text
    assert f"« {privacy.MASQUE} »" in text
    # Territory: the six communes nouvelles, and the 49069 trap.
    communes = t["Code INSEE"]
    assert dict(zip(communes["Code INSEE"], communes["Commune nouvelle"], strict=True)) == {
        "49023": "Beaupréau-en-Mauges",
        "49092": "Chemillé-en-Anjou",
        "49244": "Mauges-sur-Loire",
        "49218": "Montrevault-sur-Èvre",
        "49126": "Orée d'Anjou",
        "49301": "Sèvremoine",
    }
    assert "49069" in text and "49126" in text
    anciens = t["Ancien code"]
    assert anciens.loc[anciens["Ancien code"] == "49069", "Code actuel"].item() == "49126"
    # The data contract, its templates and the markdown file as downloads.
    labels = [b.label for b in at.get("download_button")]
    for name in contract.TABLES:
        assert f"Modèle {name}.csv" in labels
    assert "Télécharger le contrat de données (contrat_donnees.md)" in labels
    assert "docs/contrat_donnees.md" in text
    assert any("Contrat de données (v1.1)" in m.value for m in at.markdown)


@pytest.mark.parametrize(
    "query, filtres",
    [
        ({}, Filtres.annee(2025)),  # default: the last complete year
        (
            {"periode": ["2022", "2024"], "familles": "IAE"},
            Filtres(2022, 2024, types=("ACI", "AI", "EI", "EITI", "ETTI")),
        ),
        (
            {"periode": ["2025", "2025"], "communes": "Montrevault-sur-Èvre"},
            Filtres.annee(2025, communes=("49218",)),
        ),
        (
            {"periode": ["2021", "2021"], "structures": "Coteaux Indépendants Solidaires"},
            Filtres.annee(2021, structures=("EITI_COTEAUX",)),
        ),
    ],
)
def test_how_to_read_examples_equal_the_indicators(demo_db, query, filtres):
    at = run_app(page="methodologie.py", **query)
    text = text_of(at)
    k = kpis(demo_db, filtres)
    assert f"**{normalize(fmt.hours(k['heures_travaillees']))}**" in text
    assert f"**{normalize(fmt.integer(k['personnes_employees']))} personnes employées**" in text
    ex = reference.exemple_etp(demo_db, filtres)
    assert ex is not None
    assert normalize(f"**{fmt.etp(ex['etp'])}** pour les structures {ex['type']} en {ex['annee']}") in text
    assert (
        normalize(f"{fmt.hours(ex['heures_travaillees'])} travaillées ÷ {fmt.hours(ex['base_etp'])}") in text
    )
    n = k["sorties_emploi_durable"] + k["sorties_emploi_transition"] + k["sorties_positives"]
    if k["taux_sortie_dynamique"] is None:
        assert f"**Taux non calculé** : {k['sorties_examinees']} sortie" in text
    else:
        expected = f"**{fmt.percent(k['taux_sortie_dynamique'])} de sorties dynamiques ({fmt.integer(n)} / "
        assert normalize(expected) in text
    # the display rule of long bar charts, with its constant
    assert (
        f"**Graphique de plus de {charts.MAX_BARS} barres** : il dessine les {charts.MAX_BARS} plus grandes"
        in text
    )


def test_small_selection_has_no_rate():
    at = run_app(
        page="methodologie.py", periode=["2021", "2021"], structures="Coteaux Indépendants Solidaires"
    )
    assert "**Taux non calculé**" in text_of(at)


def test_presentation_mode_masks_people_in_examples(demo_db):
    f = Filtres.annee(2025, communes=("49126",), types=("EITI",))
    k = kpis(demo_db, f)
    assert privacy.is_small(k["personnes_employees"])
    at = run_app(
        page="methodologie.py",
        mode="presentation",
        periode=["2025", "2025"],
        communes="Orée d'Anjou",
        types="EITI",
    )
    text = text_of(at)
    assert f"**{privacy.MASQUE} personnes employées**" in text
    assert f"**{k['personnes_employees']} personnes employées**" not in text


def test_reference_of_the_data_folder_overrides_the_default(tmp_path, monkeypatch):
    folder = mini_folder(tmp_path / "exports")
    (folder / "reference").mkdir()
    base = (REFERENCE_DIR / "bases_etp.csv").read_text(encoding="utf-8-sig")
    write(folder / "reference", "bases_etp.csv", base + "ACI;2024;1900;Décret fictif de test\n")
    monkeypatch.setenv("IMPACT_DATA", str(folder))
    at = run_app(page="methodologie.py", periode=["2024", "2024"])
    bases = frames(at)["Type"]
    aci = bases[bases["Type"] == "ACI"]
    assert list(aci["À partir de"]) == ["2014", "2024"]
    assert list(aci["Heures annuelles"]) == [fmt.hours(1820), fmt.hours(1900)]
    text = text_of(at)
    assert normalize(str(folder / "reference" / "bases_etp.csv")) in text
    # Sources of this folder: four files of hours, 37 rows; not demo data.
    t = frames(at)["Table"].set_index("Table")
    assert t.loc["heures", "Lignes"] == "37"
    assert t.loc["heures", "Nombre de fichiers"] == "4"
    assert "Données au 30/06/2024" in text
    assert "fictives" not in text
    db = load_db(folder)
    ex = reference.exemple_etp(db, Filtres.annee(2024))
    assert normalize(f"**{fmt.etp(ex['etp'])}** pour les structures EA en 2024") in text
