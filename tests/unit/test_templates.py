"""The data contract's documentation and empty templates match impact/contract.py; the reference tables and
sources the Méthodologie page shows come from the loaded data (hand-made fixture, tests/fixtures.py)."""

import csv
import io
import re

import pytest

from impact import ROOT, contract
from impact.db import Database
from impact.filters import Filtres
from impact.indicators import reference
from impact.load import load_folder
from tests.conftest import load_db
from tests.fixtures import mini_folder, write
from tools import build_templates

DOC = ROOT / "docs" / "contrat_donnees.md"


# --- Templates and documentation ------------------------------------------------------------------


def test_one_template_per_table_header_only_semicolon_utf8_bom():
    files = sorted(p.stem for p in (ROOT / "data" / "modeles").glob("*.csv"))
    assert files == sorted(contract.TABLES)
    for name, table in contract.TABLES.items():
        raw = (ROOT / "data" / "modeles" / f"{name}.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), name
        text = raw.decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text), delimiter=";"))
        assert rows == [[c.name for c in table.columns]], name


def test_templates_load_as_an_empty_valid_folder(tmp_path):
    """The templates are what the loader expects: a folder of them has no column problem."""
    for name in contract.TABLES:
        (tmp_path / f"{name}.csv").write_bytes((ROOT / "data" / "modeles" / f"{name}.csv").read_bytes())
    result = load_folder(tmp_path)
    assert not [p for p in result.problems if p.column is not None], [str(p) for p in result.problems]


def test_generated_files_are_up_to_date():
    """Fails when the contract changed without `python tools/build_templates.py`."""
    for path, content in build_templates.expected_files().items():
        assert path.exists(), path
        assert path.read_bytes() == content, f"{path} : relancer python tools/build_templates.py"
    assert build_templates.main(["--check"]) == 0


def _section(doc: str, table: str) -> str:
    m = re.search(
        rf"^### {table} \((obligatoire|facultative)\)\n(.*?)(?=^### |^## |\Z)", doc, re.DOTALL | re.MULTILINE
    )
    assert m, f"pas de section pour la table {table}"
    return m.group(0)


def test_doc_lists_every_table_and_column_with_kind_and_requirement():
    doc = DOC.read_text(encoding="utf-8")
    for name, table in contract.TABLES.items():
        sec = _section(doc, name)
        assert sec.startswith(f"### {name} ({'obligatoire' if table.mandatory else 'facultative'})")
        lines = {m.group(1): m.group(0) for m in re.finditer(r"^\| `([a-z_]+)` \|.*$", sec, re.MULTILINE)}
        assert list(lines) == [c.name for c in table.columns], name
        for c in table.columns:
            cells = [x.strip() for x in lines[c.name].strip("|").split(" | ")]
            assert cells[1] == c.kind, (name, c.name)
            assert cells[2] == ("oui" if c.required else "non"), (name, c.name)
            for value in c.allowed:
                assert f"`{value}`" in cells[3], (name, c.name, value)


def test_doc_states_formats_privacy_and_reference_codes():
    doc = DOC.read_text(encoding="utf-8")
    for text in (
        "`;` (point-virgule)",
        "`,` (virgule)",
        "`|` (barre verticale)",
        "tabulation",
        "UTF-8 avec ou sans BOM",
        "Windows-1252",
        "virgule ou point décimal",
        "U+00A0",
        "U+202F",
        "`€`",
        "`jj/mm/aaaa`",
        "`aaaa-mm-jj`",
        "`aaaa-mm`",
        "`mm/aaaa`",
        "`oui`",
        "`faux`",
        "`49069` → `49126`",
        "zéro initial perdu",
    ):
        assert text in doc, text
    for col in list(contract.IDENTIFYING_COLUMNS) + list(contract.IDENTIFYING_IN_PERSON_TABLES):
        assert f"| `{col}` |" in doc, col
    # Every exit reason code of the reference file is listed for motif_sortie.
    motifs = _section(doc, "parcours")
    for code in ("CDI", "CDD_6M_PLUS", "FORMATION_QUALIFIANTE", "SANS_NOUVELLES", "DECISION_JUSTICE"):
        assert f"`{code}`" in motifs


def test_contract_markdown_for_the_app_has_no_dead_links():
    text = reference.contrat_markdown()
    assert "](../data/modeles/" not in text and "<!--" not in text
    assert text.startswith("### Contrat de données (v1.1)")
    assert "`structure_id`" in text


# --- Reference tables of the loaded data ---------------------------------------------------------


@pytest.fixture(scope="module")
def mini(tmp_path_factory):
    folder = mini_folder(tmp_path_factory.mktemp("mini"))
    result = load_folder(folder)
    assert result.ok, [str(p) for p in result.errors]
    return folder, result, Database(result)


def test_exit_mapping_and_categories(mini):
    _, _, db = mini
    m = reference.motifs_sortie(db)
    assert list(m.columns) == ["code", "libelle", "categorie", "categorie_libelle", "taux_dynamique"]
    assert len(m) == 18
    cdi = m[m["code"] == "CDI"].iloc[0]
    assert (cdi["categorie"], cdi["categorie_libelle"], cdi["taux_dynamique"]) == (
        "emploi_durable",
        "Emploi durable",
        "oui",
    )
    assert m[m["code"] == "DECES"]["taux_dynamique"].item() == "exclue"
    # Ordered by category order, file order inside a category.
    assert list(m["categorie"].drop_duplicates()) == list(contract.EXIT_CATEGORIES)
    c = reference.categories_sortie(db)
    assert list(c["categorie"]) == list(contract.EXIT_CATEGORIES)
    assert list(c["motifs"]) == [5, 3, 2, 4, 4]


def test_etp_bases_and_worked_example(mini):
    _, _, db = mini
    b = reference.bases_etp(db)
    assert list(b["type"]) == ["ACI", "AI", "EI", "ETTI", "*"]
    assert list(b["heures_annuelles"]) == [1820, 1607, 1505, 1600, 1607]
    assert b["type_libelle"].iloc[-1] == "Tout autre type"
    assert "source" in b.columns
    # 2024: the EA worked 500 h (H), the most of any type: 500 / 1607.
    ex = reference.exemple_etp(db, Filtres.annee(2024))
    assert ex == {"type": "EA", "annee": 2024, "heures_travaillees": 500.0, "base_etp": 1607.0, "etp": 0.31}
    # ACI and AI only: the ACI's 350,8 h (more than the AI's 309 h) / 1820.
    ex = reference.exemple_etp(db, Filtres(2023, 2024, types=("ACI", "AI")))
    assert (ex["type"], ex["heures_travaillees"], ex["etp"]) == ("ACI", 350.8, round(350.8 / 1820, 2))
    assert reference.exemple_etp(db, Filtres.annee(2021)) is None


def test_territory_and_old_codes(mini):
    _, _, db = mini
    t = reference.communes_nouvelles(db)
    assert dict(zip(t["code"], t["nom"], strict=True)) == {
        "49023": "Beaupréau-en-Mauges",
        "49092": "Chemillé-en-Anjou",
        "49244": "Mauges-sur-Loire",
        "49218": "Montrevault-sur-Èvre",
        "49126": "Orée d'Anjou",
        "49301": "Sèvremoine",
    }
    assert t["communes_deleguees"].sum() == 64
    assert t.loc[t["code"] == "49126", "communes_deleguees"].item() == 9
    a = reference.codes_anciens(db)
    assert a.loc[a["code_ancien"] == "49069", ["code_actuel", "nom_actuel"]].values.tolist() == [
        ["49126", "Orée d'Anjou"]
    ]


def test_sources_from_the_files_read(mini):
    folder, result, _ = mini
    s = reference.sources(result.files).set_index("table")
    assert list(s.index) == list(contract.TABLES)
    assert s.loc["structures", "obligatoire"] == "oui" and s.loc["jalons", "obligatoire"] == "non"
    assert s.loc["structures", "lignes"] == 5
    assert s.loc["parcours", "lignes"] == 10
    # Four files of hours: 15 + 10 + 6 + 6 rows.
    assert s.loc["heures", "nb_fichiers"] == 4
    assert s.loc["heures", "lignes"] == 37
    assert s.loc["heures", "fichiers"] == "heures_s1.csv, heures_s2.csv, heures_s3.csv, heures_s4_s5.csv"
    assert reference.sources([]).loc[0, "fichiers"] == "aucun fichier"
    assert reference.reference_source(folder, "bases_etp") == "data/reference/bases_etp.csv"


def test_refused_columns_come_from_the_contract():
    r = reference.colonnes_refusees()
    assert set(r["colonne"]) == set(contract.IDENTIFYING_COLUMNS) | set(contract.IDENTIFYING_IN_PERSON_TABLES)
    assert r.loc[r["colonne"] == "nir", "tables"].item() == "toutes les tables"
    assert (
        r.loc[r["colonne"] == "adresse", "tables"].item()
        == "tables de personnes (parcours, heures, formations, suivis)"
    )


def test_reference_overridden_by_the_data_folder(tmp_path):
    folder = mini_folder(tmp_path / "dossier")
    (folder / "reference").mkdir()
    motifs = (ROOT / "data" / "reference" / "motifs_sortie.csv").read_text(encoding="utf-8-sig")
    write(
        folder / "reference",
        "motifs_sortie.csv",
        motifs.replace("\r\n", "\n").rstrip("\n")
        + "\nSERVICE_CIVIQUE;Engagement en service civique;sortie_positive\n",
    )
    db = load_db(folder)
    m = reference.motifs_sortie(db)
    assert "SERVICE_CIVIQUE" in set(m["code"])
    assert reference.categories_sortie(db).set_index("categorie").loc["sortie_positive", "motifs"] == 3
    assert reference.reference_source(folder, "motifs_sortie") == str(
        folder / "reference" / "motifs_sortie.csv"
    )
