"""What the Méthodologie page states: reference tables of the loaded data (exit reasons, categories, ETP
bases, territory, old INSEE codes), the data sources, the refused identifying columns, the empty templates.

Reference tables are read from the loaded data (a data folder's reference/ subfolder overrides
data/reference/), through queries, so the page shows the rules actually applied to the figures.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from impact import DATA_DIR, ROOT, contract
from impact.db import Database
from impact.filters import Filtres

MODELES_DIR = DATA_DIR / "modeles"
DOC_PATH = ROOT / "docs" / "contrat_donnees.md"
TABLES_PERSONNES = tuple(t.name for t in contract.TABLES.values() if t.person_data)


def motifs_sortie(db: Database) -> pd.DataFrame:
    """Exit reasons: code, libelle, categorie, categorie_libelle, taux_dynamique (oui / non / exclue)."""
    return db.run("reference_motifs_sortie")


def categories_sortie(db: Database) -> pd.DataFrame:
    """Exit categories in their order: categorie, libelle, taux_dynamique, motifs (number of reasons)."""
    df = db.run("reference_categories_sortie")
    df["motifs"] = df["motifs"].astype(int)
    return df


def bases_etp(db: Database) -> pd.DataFrame:
    """ETP bases: type ("*" = any other type), type_libelle, annee_debut, heures_annuelles, and the
    reference file's other columns (source) when present."""
    df = db.run("reference_bases_etp")
    df["type_libelle"] = df["type_libelle"].where(df["type"] != "*", "Tout autre type")
    first = ["type", "type_libelle", "annee_debut", "heures_annuelles"]
    return df[first + [c for c in df.columns if c not in first]]


def communes_nouvelles(db: Database) -> pd.DataFrame:
    """The communes nouvelles of Mauges Communauté: code, nom, population, communes_deleguees."""
    df = db.run("reference_communes_nouvelles")
    df["communes_deleguees"] = df["communes_deleguees"].astype(int)
    return df


def codes_anciens(db: Database) -> pd.DataFrame:
    """Old INSEE codes accepted in the data: code_ancien, code_actuel, nom_actuel."""
    return db.run("reference_codes_anciens")


def exemple_etp(db: Database, f: Filtres) -> dict | None:
    """A worked ETP example for the last year of the period under the filters: the structure type with
    the most hours (type, annee, heures_travaillees, base_etp, etp); None when no hours."""
    params = f.params() | {"annee": f.annee_fin}
    df = db.run("reference_exemple_etp", **params)
    if df.empty:
        return None
    r = df.iloc[0]
    return {
        "type": str(r["type"]),
        "annee": int(r["annee"]),
        "heures_travaillees": round(float(r["heures_travaillees"]), 2),
        "base_etp": float(r["base_etp"]),
        "etp": round(float(r["etp"]), 2),
    }


def sources(files: list[dict]) -> pd.DataFrame:
    """One row per table of the contract: table, obligatoire, contenu, fichiers (names), lignes (data rows
    read), from the load's file list (LoadResult.files)."""
    rows = []
    for t in contract.TABLES.values():
        mine = [f for f in files if f.get("table") == t.name]
        rows.append(
            {
                "table": t.name,
                "obligatoire": "oui" if t.mandatory else "non",
                "contenu": t.doc,
                "fichiers": ", ".join(sorted(f["fichier"] for f in mine)) if mine else "aucun fichier",
                "nb_fichiers": len(mine),
                "lignes": int(sum(f.get("lignes", 0) for f in mine)),
            }
        )
    return pd.DataFrame(rows)


def colonnes_refusees() -> pd.DataFrame:
    """The identifying columns the loader refuses (contract.IDENTIFYING_COLUMNS everywhere, and
    IDENTIFYING_IN_PERSON_TABLES in the tables about people): colonne, contenu, tables."""
    partout = "toutes les tables"
    personnes = "tables de personnes (" + ", ".join(TABLES_PERSONNES) + ")"
    rows = [
        {"colonne": c, "contenu": lib, "tables": partout} for c, lib in contract.IDENTIFYING_COLUMNS.items()
    ]
    rows += [
        {"colonne": c, "contenu": lib, "tables": personnes}
        for c, lib in contract.IDENTIFYING_IN_PERSON_TABLES.items()
    ]
    return pd.DataFrame(rows, columns=["colonne", "contenu", "tables"])


def modeles(directory: Path = MODELES_DIR) -> dict[str, Path]:
    """The empty template CSV of each table of the contract (data/modeles/<table>.csv) that exists."""
    return {
        name: directory / f"{name}.csv" for name in contract.TABLES if (directory / f"{name}.csv").exists()
    }


def reference_source(folder: Path, name: str) -> str:
    """Where a reference table was read: the data folder's reference/ subfolder when it has the file
    (it overrides the default), else data/reference/."""
    own = folder / "reference" / f"{name}.csv"
    return str(own) if own.exists() else f"data/reference/{name}.csv"


def contrat_markdown(path: Path = DOC_PATH) -> str | None:
    """docs/contrat_donnees.md for display inside the dashboard: its generator comment removed and the links
    to the template files (relative to the repository, dead in the app) turned into plain names, headings two levels down."""
    if not path.exists():
        return None
    text = re.sub(r"<!--.*?-->\n*", "", path.read_text(encoding="utf-8"), flags=re.DOTALL)
    text = re.sub(r"\[([^\]]+)\]\(\.\./data/modeles/[^)]+\)", r"\1", text)
    # Two heading levels down: inside the page, under its own title and section headers.
    return re.sub(r"^(#+) ", r"##\1 ", text, flags=re.MULTILINE)
