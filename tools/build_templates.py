"""Builds, from impact/contract.py, the data contract's documentation (docs/contrat_donnees.md) and one
empty template CSV per table (data/modeles/<table>.csv: header only, `;`, UTF-8 with BOM, for Excel).

    .venv/bin/python tools/build_templates.py          # (re)writes both
    .venv/bin/python tools/build_templates.py --check  # exit 1 if a file differs from the contract

The test tests/unit/test_templates.py fails when the files drift from the contract: edit the contract (or
this generator), never the generated files.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from impact import contract
from impact.load import DELIMITERS, FALSE_WORDS, TRUE_WORDS

DOC_PATH = ROOT / "docs" / "contrat_donnees.md"
MODELES_DIR = ROOT / "data" / "modeles"
REFERENCE_DIR = ROOT / "data" / "reference"

# Rules across the columns of a row, checked by impact/load.py (not expressible as a column kind).
ROW_RULES: dict[str, list[str]] = {
    "structures": [],
    "marches": ["`date_fin`, si elle est remplie, n'est pas antérieure à `date_debut`."],
    "interventions": [
        "`date_fin`, si elle est remplie, n'est pas antérieure à `date_debut`.",
        (
            "`latitude` et `longitude` vont ensemble : les deux ou aucune. Une intervention avec un point GPS est "
            "placée d'après son point (un avertissement signale un point hors de la commune déclarée)."
        ),
    ],
    "parcours": [
        "`date_sortie`, si elle est remplie, n'est pas antérieure à `date_entree`.",
        (
            "`motif_sortie` est obligatoire quand `date_sortie` est remplie (un motif sans date de sortie donne "
            "un avertissement : le parcours est compté comme en cours)."
        ),
        (
            "Une personne peut avoir plusieurs parcours (plusieurs structures, ou des retours) : toujours le même "
            "`personne_id` pseudonyme."
        ),
    ],
    "heures": [
        (
            "Une ligne par mois, structure, personne (et intervention) : le même quadruplet ne peut apparaître "
            "deux fois."
        ),
        "Heures travaillées, facturées et de formation sont comptées à part et ne s'additionnent jamais.",
        (
            "Des heures d'une personne sans parcours dans la structure sont comptées, avec un avertissement (sa "
            "sortie et son profil manqueront)."
        ),
    ],
    "chiffre_affaires": [],
    "jalons": [],
    "encadrement": [
        "Une ligne par année et structure : le même couple (`annee`, `structure_id`) ne peut apparaître deux fois.",
        (
            "Donne le taux d'encadrement : ETP en insertion de l'année (heures travaillées ÷ base ETP) pour un ETP "
            "d'encadrant technique."
        ),
    ],
    "formations": [
        "`date_fin`, si elle est remplie, n'est pas antérieure à `date_debut`.",
        "Une formation est rattachée à l'année de sa date de début, et à la structure du parcours.",
        "Ces heures sont comptées à part : elles ne s'ajoutent jamais aux heures travaillées.",
    ],
    "suivis": [
        "Un seul suivi par parcours et par date : le même couple (`parcours_id`, `date_suivi`) ne peut apparaître deux fois.",
        (
            "Suivi propre au collectif, distinct des sorties déclarées à l'ASP : il ne modifie jamais les taux de "
            "sortie officiels."
        ),
    ],
}

KIND_FORMATS = {
    contract.TEXT: "Texte libre.",
    contract.ID: "Texte ; identifiant stable d'un export à l'autre (espaces de début et de fin ignorés).",
    contract.INSEE: "Code INSEE à 5 caractères ; un zéro initial perdu (`9023` → `09023`) ou un code stocké "
    "comme nombre (`49023.0`, `49023,0`) est corrigé ; le code doit être celui d'une commune connue "
    "(data/reference/communes.csv) ; un ancien code est rattaché au code actuel (data/reference/codes_anciens.csv, "
    "dont `49069` → `49126` Orée d'Anjou).",
    contract.INT: "Nombre entier (`1985`, `1 985`).",
    contract.DECIMAL: "Nombre : virgule ou point décimal (`1234,5` ou `1234.5`) ; milliers séparés par une "
    "espace, une espace insécable (U+00A0) ou une espace fine insécable (U+202F) (`1 234,5`) ; "
    "un montant peut finir par `€` (`100 000,50 €`).",
    contract.DATE: "Date `jj/mm/aaaa` (`31/12/2024`) ou `aaaa-mm-jj` (`2024-12-31`) ; également `jj-mm-aaaa`, "
    "`jj.mm.aaaa`, et une heure de minuit ajoutée par Excel (`2024-12-31 00:00:00`).",
    contract.MONTH: "Mois `aaaa-mm` (`2024-03`) ou `mm/aaaa` (`03/2024`) ; également `aaaa/mm`, ou une date "
    "complète (son mois est retenu).",
    contract.BOOL: "Booléen : vrai = "
    + ", ".join(f"`{w}`" for w in sorted(TRUE_WORDS))
    + " ; faux = "
    + ", ".join(f"`{w}`" for w in sorted(FALSE_WORDS))
    + " (majuscules indifférentes) ; vide = inconnu.",
    contract.ENUM: "Code parmi les valeurs admises (majuscules, accents et ponctuation indifférents).",
    contract.SIRET: "SIRET à 14 chiffres (espaces ignorées).",
}

DELIMITER_NAMES = {
    ";": "`;` (point-virgule)",
    ",": "`,` (virgule)",
    "|": "`|` (barre verticale)",
    "\t": "tabulation",
}


def template_bytes(table: str) -> bytes:
    """The empty template of a table: its header in contract order, `;`, UTF-8 with BOM, CRLF (Excel)."""
    return ("\ufeff" + ";".join(c.name for c in contract.TABLES[table].columns) + "\r\n").encode("utf-8")


def _reference_rows(name: str) -> list[dict]:
    text = (REFERENCE_DIR / f"{name}.csv").read_text(encoding="utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def _allowed(table: contract.Table, col: contract.Column) -> str:
    if col.name == "type" and table.name == "structures":
        return "<br>".join(f"`{t}` ({lib})" for t, (lib, _) in contract.STRUCTURE_TYPES.items())
    if col.name == "secteur":
        return "<br>".join(f"`{k}` ({v})" for k, v in contract.SECTEURS.items())
    if col.name == "dispositif":
        return "<br>".join(f"`{k}` ({v})" for k, v in contract.DISPOSITIFS.items())
    if col.name == "sexe":
        return "<br>".join(f"`{k}` ({v})" for k, v in contract.SEXES.items())
    if col.name == "domaine":
        return "<br>".join(f"`{k}` ({v})" for k, v in contract.FORMATION_DOMAINES.items())
    if col.name == "source" and table.name == "suivis":
        return "<br>".join(f"`{k}` ({v})" for k, v in contract.SUIVI_SOURCES.items())
    if col.name in contract.EXIT_REASON_COLUMNS:
        codes = ", ".join(f"`{r['code']}`" for r in _reference_rows("motifs_sortie"))
        return f"code ou libellé de data/reference/motifs_sortie.csv : {codes}"
    if col.allowed:
        return ", ".join(f"`{a}`" for a in col.allowed)
    parts = []
    if col.min is not None and col.max is not None:
        parts.append(f"de {col.min:g} à {col.max:g}")
    elif col.min is not None:
        parts.append("positif ou nul" if col.min == 0 else f"au moins {col.min:g}")
    elif col.max is not None:
        parts.append(f"au plus {col.max:g}")
    if col.kind == contract.ID and col.name == table.key:
        parts.append("unique")
    if col.name in table.references:
        parts.append(f"doit exister dans `{table.references[col.name]}`")
    return " ; ".join(parts)


def _cell(text: str) -> str:
    return text.replace("|", "\\|") if "<br>" not in text else text


def contract_markdown() -> str:
    t = contract.TABLES
    mandatory = [n for n, tab in t.items() if tab.mandatory]
    optional = [n for n, tab in t.items() if not tab.mandatory]
    out: list[str] = [
        f"# Contrat de données (v{contract.CONTRACT_VERSION})",
        "",
        "<!-- Généré par tools/build_templates.py à partir de impact/contract.py : ne pas modifier à la main. -->",
        "",
        (
            "Ce document décrit les fichiers qu'un dossier de données doit contenir pour alimenter le tableau de "
            "bord du Collectif des Mauges pour l'Emploi. Vérifier un dossier : "
            "`python -m impact check DOSSIER` (code retour 0 si le dossier se charge, 1 sinon ; chaque problème est "
            "écrit `fichier:ligne:colonne: message`, l'en-tête étant la ligne 1)."
        ),
        "",
        "## Fichiers",
        "",
        (
            "- Un dossier contient des fichiers CSV nommés d'après leur table : `<table>.csv` ou "
            "`<table>_<n'importe quoi>.csv` (par exemple `heures_alise.csv`). Les fichiers d'une même table sont "
            "réunis : chaque structure peut envoyer le sien."
        ),
        (
            f"- Tables obligatoires : {', '.join(f'`{n}`' for n in mandatory)}. "
            f"Tables facultatives : {', '.join(f'`{n}`' for n in optional)}."
        ),
        (
            "- Une ligne d'en-tête est obligatoire ; l'ordre des colonnes est libre ; les noms de colonnes sont "
            "reconnus sans tenir compte des majuscules, des accents ni de la ponctuation (« Date d'adhésion » = "
            "`date_adhesion`, « Heures travaillées » = `heures_travaillees`). Une colonne inconnue est ignorée (avec un avertissement)."
        ),
        (
            "- Une colonne facultative peut manquer ou rester vide ; une colonne obligatoire doit être présente et "
            "remplie sur chaque ligne."
        ),
        "- Modèles vides (en-tête seul, `;`, UTF-8 avec BOM, s'ouvrent dans Excel) : "
        + ", ".join(f"[`{n}.csv`](../data/modeles/{n}.csv)" for n in t)
        + " — aussi téléchargeables depuis la page Méthodologie du tableau de bord.",
        "",
        "## Formats acceptés",
        "",
        "- Séparateur : " + ", ".join(DELIMITER_NAMES[d] for d in DELIMITERS) + " (détecté sur l'en-tête).",
        (
            "- Encodage : UTF-8 avec ou sans BOM (Excel « CSV UTF-8 »), ou Windows-1252 (Excel « CSV "
            "point-virgule », avec `€`, `’` et `œ`)."
        ),
        "",
        "| type de colonne | valeurs lues |",
        "|---|---|",
    ]
    for kind, text in KIND_FORMATS.items():
        out.append(f"| {kind} | {_cell(text)} |")
    out += ["", "## Tables", "", "| table | obligatoire | contenu | modèle |", "|---|---|---|---|"]
    for name, tab in t.items():
        out.append(
            f"| `{name}` | {'oui' if tab.mandatory else 'non'} | {tab.doc} | "
            f"[{name}.csv](../data/modeles/{name}.csv) |"
        )
    for name, tab in t.items():
        out += ["", f"### {name} ({'obligatoire' if tab.mandatory else 'facultative'})", "", tab.doc, ""]
        if tab.key:
            out.append(f"Identifiant unique : `{tab.key}`.")
        if tab.unique:
            out.append(f"Unicité : {' + '.join(f'`{c}`' for c in tab.unique)}.")
        if tab.references:
            refs = ", ".join(f"`{c}` → table `{target}`" for c, target in tab.references.items())
            out.append(f"Références (la valeur doit exister dans la table citée) : {refs}.")
        if tab.person_data:
            out.append(
                "Table de personnes : identifiant pseudonyme seulement ; les colonnes identifiantes sont refusées "
                "(voir « Confidentialité »)."
            )
        out += [
            "",
            "| colonne | type | obligatoire | valeurs admises | description |",
            "|---|---|---|---|---|",
        ]
        for col in tab.columns:
            out.append(
                f"| `{col.name}` | {col.kind} | {'oui' if col.required else 'non'} | "
                f"{_cell(_allowed(tab, col))} | {_cell(col.doc)} |"
            )
        if ROW_RULES.get(name):
            out += ["", "Règles entre colonnes :", ""]
            out += [f"- {rule}" for rule in ROW_RULES[name]]
    out += [
        "",
        "## Confidentialité",
        "",
        (
            "Les données sur les personnes en insertion sont des données personnelles, même pseudonymisées (la "
            "RQTH est une donnée de santé, RGPD article 9). Le tableau de bord n'a besoin ni de nom, ni de "
            "coordonnées, ni de date de naissance complète : l'année de naissance et un identifiant pseudonyme "
            "suffisent. Un fichier qui contient l'une de ces colonnes est refusé, avec un message qui explique "
            "pourquoi :"
        ),
        "",
        "| colonne refusée | contenu | tables |",
        "|---|---|---|",
    ]
    for c, lib in contract.IDENTIFYING_COLUMNS.items():
        out.append(f"| `{c}` | {lib} | toutes |")
    people = ", ".join(n for n, tab in t.items() if tab.person_data)
    for c, lib in contract.IDENTIFYING_IN_PERSON_TABLES.items():
        out.append(f"| `{c}` | {lib} | tables de personnes ({people}) |")
    out += [
        "",
        "## Données de référence",
        "",
        (
            "Les règles modifiables sont des fichiers CSV de data/reference/ (`;`, UTF-8) ; un dossier de données "
            "peut porter son propre sous-dossier `reference/` dont les fichiers remplacent ceux-ci :"
        ),
        "",
        (
            "- `motifs_sortie.csv` : `code;libelle;categorie` — chaque motif de sortie et sa catégorie ASP ; le "
            "chargeur accepte le code ou le libellé."
        ),
        "- `categories_sortie.csv` : `categorie;libelle;taux_dynamique;ordre` — les cinq catégories ("
        + ", ".join(f"`{c}`" for c in contract.EXIT_CATEGORIES)
        + ") et leur place dans le taux de sortie dynamique.",
        (
            "- `bases_etp.csv` : `type;annee_debut;heures_annuelles;source` — la base annuelle d'un temps plein "
            "par type de structure à partir d'une année (`*` = tout autre type)."
        ),
        (
            "- `communes.csv` : les communes connues (six communes nouvelles de Mauges Communauté, leurs communes "
            "déléguées, les communes de la CC Loire Layon Aubance et de Cholet Agglomération)."
        ),
        "- `codes_anciens.csv` : `code_ancien;code_actuel` — anciens codes INSEE acceptés (`49069` → `49126`).",
        "",
    ]
    return "\n".join(out)


def expected_files() -> dict[Path, bytes]:
    files = {MODELES_DIR / f"{name}.csv": template_bytes(name) for name in contract.TABLES}
    files[DOC_PATH] = contract_markdown().encode("utf-8")
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="vérifie sans écrire (code 1 si un fichier diffère)"
    )
    args = parser.parse_args(argv)
    differ = []
    for path, content in expected_files().items():
        if path.exists() and path.read_bytes() == content:
            continue
        differ.append(path)
        if not args.check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
    for path in differ:
        print(f"{'à régénérer' if args.check else 'écrit'} : {path.relative_to(ROOT)}")
    return 1 if args.check and differ else 0


if __name__ == "__main__":
    sys.exit(main())
