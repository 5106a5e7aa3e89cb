"""The column vocabulary: for each column key a table, a CSV, a workbook or a PDF shows, its one French label,
its unit, its screen formatter (impact.fmt), its rounding, its Excel number format, and whether it counts
people (then masked by impact.privacy in a masked view). Every surface takes its headers and cells from here,
so that a download rounds and labels exactly as the screen.

Labels are written as the screen tables show them (lower case: "heures travaillées"); a document heading
capitalises the first letter (`Column.title`). A label may name the year of a report ("heures {annee}"):
the caller gives it (`header(annee=2025)`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from impact import contract, fmt, privacy

if TYPE_CHECKING:
    from impact.indicators.bilan import Bilan


def _missing(v) -> bool:
    return v is None or v is pd.NaT or (not isinstance(v, str) and pd.isna(v))


def _text(v) -> str:
    if _missing(v):
        return fmt.DASH
    if hasattr(v, "strftime"):
        return fmt.day(v)
    return str(v)


def _yes_no(v) -> str:
    return fmt.DASH if _missing(v) else ("oui" if v else "non")


@dataclass(frozen=True)
class Kind:
    """How the values of a column read: the screen's formatter, the unit the CSV header carries, the
    decimals of the stored value, and the Excel number format that shows it as the screen does."""

    name: str
    text: Callable[[object], str]
    unit: str | None = None
    decimals: int | None = None  # of the value stored in a workbook (a rate: of the fraction)
    number_format: str = "@"
    numeric: bool = True

    def cell(self, v) -> str:
        """A value as printed; a masked cell ("< 5") stays as it is."""
        return v if isinstance(v, str) else self.text(v)


HOURS = Kind("heures", fmt.hours, "h", 0, '#,##0" h"')
COUNT = Kind("nombre", fmt.integer, None, 0, "#,##0")
EUROS = Kind("euros", fmt.euros, "€", 0, '#,##0" €"')
ETP = Kind("etp", fmt.etp, "ETP", 1, "#,##0.0")
RATE = Kind("taux", fmt.percent, "%", 3, "0.0 %")
# A change of rate, in points (stored as points: -3.5 for 58,6 % against 62,1 %).
POINTS = Kind("points", lambda v: fmt.DASH if _missing(v) else f"{fmt.number(v, 1)}\u00a0pt", "points", 1,
              '+0.0" pt";-0.0" pt";0.0" pt"')  # fmt: skip
# A number of ETP per supervisor: one decimal, no unit of its own.
RATIO = Kind("rapport", lambda v: fmt.number(v, 1), None, 1, "#,##0.0")
YEAR = Kind("annee", _text, None, None, "0")
# A line of a file, as an editor numbers it ("—": the problem concerns the whole file).
LINE = Kind("numéro", lambda v: fmt.DASH if _missing(v) else str(int(v)), None, 0, "0")
DATE = Kind("date", lambda d: fmt.day_or(d), None, None, "dd/mm/yyyy", numeric=False)
# A contract's end: none means it is still running.
FIN = Kind("date", lambda d: fmt.day_or(d, "en cours"), None, None, "dd/mm/yyyy", numeric=False)
# A month ("septembre 2026"); none: "—".
MOIS = Kind(
    "mois", lambda d: fmt.DASH if _missing(d) else fmt.month(d), None, None, "mmmm yyyy", numeric=False
)
BOOL = Kind("oui/non", _yes_no, None, None, "@", numeric=False)
TEXT = Kind("texte", _text, None, None, "@", numeric=False)
KINDS = {
    k.name: k for k in (HOURS, COUNT, EUROS, ETP, RATE, POINTS, RATIO, YEAR, DATE, MOIS, BOOL, TEXT)
}  # FIN: a DATE
# The bilan's comparison rows name their kind ("personnes": a count of people, masked).
NATURES = {"heures": HOURS, "etp": ETP, "personnes": COUNT, "nombre": COUNT, "euros": EUROS, "taux": RATE}

# Code -> label of the coded columns (one wording for screen, CSV, workbook and PDF).
SECTEURS = {"public": "Marchés publics", "prive": "Partenariats privés", "hors_marche": "Hors marché"}
DISPOSITIFS = contract.DISPOSITIFS


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: Kind = TEXT
    people: bool = False  # a count of people: masked in a masked view (impact.privacy)
    rate_of: tuple[str, str] | None = None  # (n, N) of a rate: hidden where it would give a small count back
    values: dict = field(default_factory=dict)  # code -> label

    def header(self, **fields) -> str:
        return self.label.format(**fields) if fields else self.label

    def title(self, **fields) -> str:
        """The header of a document's table (first letter capitalised)."""
        h = self.header(**fields)
        return h[:1].upper() + h[1:]

    @property
    def unit(self) -> str | None:
        return self.kind.unit

    @property
    def number_format(self) -> str:
        return self.kind.number_format

    def text(self, v) -> str:
        """The cell as the screen (and a PDF) prints it; a masked cell ("< 5") stays as it is."""
        if isinstance(v, str):
            return self.values.get(v, v)
        return self.kind.text(v)

    def value(self, v):
        """The cell as a workbook stores it: a number rounded as the screen shows it, a label for a code,
        None for a missing value, a masked cell as its text."""
        if isinstance(v, str):
            return self.values.get(v, v)
        if _missing(v):
            return None
        if hasattr(v, "item"):
            v = v.item()  # numpy scalar -> Python number
        if isinstance(v, pd.Timestamp):
            return v.date()
        if isinstance(v, float) and self.kind.decimals is not None and math.isfinite(v):
            return round(v, self.kind.decimals) + 0.0  # + 0.0: never -0.0
        return v


def _c(key, label, kind=TEXT, **kw) -> Column:
    return Column(key, label, kind, **kw)


def _p(key, label) -> Column:
    return Column(key, label, COUNT, people=True)


VOCABULARY: dict[str, Column] = {
    c.key: c
    for c in (
        # Hours (never added together: three measures)
        _c("heures_travaillees", "heures travaillées", HOURS),
        _c("heures_facturees", "heures facturées", HOURS),
        _c("heures_formation", "heures de formation", HOURS),
        _c("heures_commune", "heures dans la commune", HOURS),
        _c("heures_periode", "heures {annee}", HOURS),
        _c("heures_cumul", "heures depuis le début", HOURS),
        _c("heures_insertion_prevues", "heures prévues (marché entier)", HOURS),
        _c("heures_prevues", "heures prévues dans l'année", HOURS),
        _c("heures_prevues_periode", "heures prévues sur la période", HOURS),
        _c("heures_realisees", "heures réalisées", HOURS),
        _c("taux_realisation", "part réalisée", RATE),
        _c("etp", "ETP", ETP),
        _c("base_etp", "base ETP (h/an)", HOURS),
        _c("etp_insertion", "ETP en insertion", ETP),
        _c("etp_encadrement_technique", "ETP encadrants techniques", ETP),
        _c("etp_accompagnement_socioprofessionnel", "ETP accompagnement", ETP),
        _c("etp_insertion_conventionnes", "ETP conventionnés", ETP),
        _c("ratio_technique", "ETP en insertion par encadrant", RATIO),
        _c("ratio_accompagnement", "ETP en insertion par conseiller", RATIO),
        _c("chiffre_affaires", "chiffre d'affaires HT", EUROS),
        # People
        _p("personnes", "personnes"),
        _p("personnes_employees", "personnes employées"),
        _p("salaries_en_parcours", "salariés en parcours (IAE)"),
        _p("habitants_employes", "habitants employés"),
        _p("entrees", "entrées"),
        _p("non_renseigne", "non renseigné"),
        _p("personnes_suivies", "personnes suivies"),
        _p("en_emploi", "en emploi à 6 mois"),
        _p("employeur_partenaire", "dont embauchées par un partenaire"),
        _p("sorties_recentes", "sorties encore à suivre"),
        # Exits (counts of people) and their official rates
        _p("sorties", "sorties"),
        _p("sorties_examinees", "sorties examinées"),
        _p("sorties_emploi_durable", "emploi durable"),
        _p("sorties_emploi_transition", "emploi de transition"),
        _p("sorties_positives", "sorties positives"),
        _p("autres_sorties", "autres sorties"),
        _p("retraits", "retraits"),
        _p("sorties_dynamiques", "sorties dynamiques"),
        _c(
            "taux_sortie_dynamique",
            "taux de sortie dynamique",
            RATE,
            rate_of=("sorties_dynamiques", "sorties_examinees"),
        ),
        _c(
            "taux_sortie_emploi_durable",
            "taux de sortie en emploi durable",
            RATE,
            rate_of=("sorties_emploi_durable", "sorties_examinees"),
        ),
        # What the figures are about
        _c("annee", "année", YEAR),
        _c("structure", "structure"),
        _c("structure_nom", "structure"),
        _c("domaine_libelle", "domaine"),
        _c("type", "type"),
        _c("activite", "activité"),
        _c("categorie", "catégorie"),
        _c("lieu", "lieu"),
        _c("commune_deleguee", "commune déléguée"),
        _c("epci", "intercommunalité"),
        _c("commune_nom", "commune d'intervention"),
        _c("communes", "communes d'intervention (heures)"),
        _c("communes_intervention", "communes d'intervention"),
        _c("type_libelle", "libellé du type"),
        _c("famille", "famille"),
        _c("commune_siege", "commune du siège"),
        _c("commune_nouvelle_siege", "commune nouvelle du siège"),
        _c("date_adhesion", "adhésion", DATE),
        _c("intitule", "marché ou partenariat"),
        _c("marche", "marché ou partenariat"),
        _c("marche_intitule", "marché ou partenariat"),
        _c("donneur_ordre", "acheteur ou partenaire"),
        _c("secteur", "secteur", values=SECTEURS),
        _c("secteur_libelle", "secteur"),
        _c("dispositif", "dispositif", values=DISPOSITIFS),
        _c("dispositif_libelle", "dispositif"),
        _c("date_debut", "début", DATE),
        _c("date_fin", "fin", FIN),
        _c("provisoire", "provisoire", BOOL),
        _c("structures_actives", "structures actives", COUNT),
        _c("structures", "structures ayant des heures"),
        _c("part", "part", RATE),
        # Each structure's freshness (page Données)
        _c("dernier_mois", "dernier mois déclaré", MOIS),
        _c("retard_mois", "retard (mois)", COUNT),
        # The map's tables (pages/carte.py): "personnes" there are the residents of the commune employed
        _c("code_insee", "code INSEE"),
        _c("commune_nouvelle", "commune nouvelle"),
        _c("population", "population municipale", COUNT),
        _c("interventions", "interventions", COUNT),
        _p("residents_employes", "personnes résidentes employées"),
        _c("heures_1000_hab", "heures pour 1 000 habitants", RATIO),
        _c("intervention_id", "intervention"),
        _c("heures_sur_periode", "heures sur la période", HOURS),
        # The reference tables of the Méthodologie page
        _c("taux_dynamique", "compte dans le taux dynamique"),
        _c("motifs", "nombre de motifs", COUNT),
        _c("categorie_libelle", "libellé de la catégorie"),
        _c("annee_debut", "à partir de", YEAR),
        _c("heures_annuelles", "heures annuelles", HOURS),
        _c("fichiers", "fichiers lus"),
        _c("nb_fichiers", "nombre de fichiers", COUNT),
        _c("lignes", "lignes", COUNT),
        # The verification report (page Données, an import's preview, the screen of a folder never loaded)
        _c("ligne_fichier", "ligne", LINE),
        _c("communes_deleguees", "communes déléguées", COUNT),
        _c("code_ancien", "ancien code"),
        _c("code_actuel", "code actuel"),
        _c("nom_actuel", "commune actuelle"),
    )
}


def get(key: str, label: str | None = None) -> Column:
    """The column of a key; a key outside the vocabulary (a year, a generic "libelle" named by its table)
    is text under `label` (or its own name)."""
    col = VOCABULARY.get(key)
    if col is None:
        return Column(key, label or key)
    return col


def people_columns(keys: Iterable[str]) -> list[str]:
    return [k for k in keys if k in VOCABULARY and VOCABULARY[k].people]


def rate_columns(keys: Iterable[str]) -> dict[str, tuple[str, str]]:
    """{rate: (n, N)} for the rates of `keys` whose n and N are in `keys` too."""
    keys = list(keys)
    return {
        k: VOCABULARY[k].rate_of
        for k in keys
        if k in VOCABULARY and VOCABULARY[k].rate_of and set(VOCABULARY[k].rate_of) <= set(keys)
    }


@dataclass
class Shown:
    """A table as a surface prints it: masked, its columns renamed to their headers, and the formatter of
    each header (for the screen cells and the CSV's rounding)."""

    data: pd.DataFrame
    formats: dict[str, Callable]

    def cells(self) -> pd.DataFrame:
        out = self.data.copy()
        for col, f in self.formats.items():
            if col in out:
                out[col] = _formatted(out[col], f)
        return out


def _formatted(values: pd.Series, f: Callable) -> np.ndarray:
    """The cells of a column: f of each value, a text (a masked cell) as it is. Each distinct value is formatted
    once (missing ones together): a column of 1 200 structures holds few distinct counts or types, and
    formatting a cell costs a few microseconds of Python."""
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    texts = np.array([v if isinstance(v, str) else f(v) for v in uniques], dtype=object)
    return texts[codes]


def shown(
    df: pd.DataFrame,
    *,
    masked: bool,
    count_columns: Iterable[str] | None = None,
    across_columns: bool = False,
    rates: dict[str, tuple[str, str]] | None = None,
    forced: pd.DataFrame | None = None,
    labels: dict[str, str] | None = None,
    formats: dict[str, Callable] | None = None,
    keys: Iterable[str] | None = None,
    titles: bool = False,
    **fields,
) -> Shown:
    """The table `df` (columns named by their keys) as the screen shows it. Counts of people are those of the
    vocabulary unless `count_columns` names them (a table whose columns add up by line, across_columns);
    rates are hidden where they would give one back; `forced`: the cells masked with other tables (privacy.masks).
    `labels` names the columns outside the vocabulary
    (never a vocabulary key: one label per key); `formats` formats them (years of a report, counts...);
    `keys` picks the columns shown, in their order; `titles` capitalises the headers as a document does
    (the reference tables of the Méthodologie page)."""
    if keys is not None:
        df = df[list(keys)]
    labels = labels or {}
    clash = set(labels) & set(VOCABULARY)
    if clash:
        raise ValueError(f"Libellé en double pour {sorted(clash)} : le vocabulaire les nomme déjà.")
    keys = [str(c) for c in df.columns]
    counts = list(count_columns) if count_columns is not None else people_columns(keys)
    rate_pairs = rates if rates is not None else rate_columns(keys)
    data = df
    if masked:
        data = privacy.mask_table(df, counts, across_columns=across_columns, rates=rate_pairs, forced=forced)
    coded = [k for k in df.columns if get(str(k)).values]
    if coded:
        data = data.assign(**{str(k): data[k].map(get(str(k)).text) for k in coded})
    fmts: dict[str, Callable] = {}
    headers = {}
    for key in df.columns:
        col = get(str(key), labels.get(str(key)))
        header = col.title(**fields) if titles else col.header(**fields)
        headers[key] = header
        if key in (formats or {}):
            fmts[header] = formats[key]
        elif str(key) in counts:
            fmts[header] = fmt.integer
        elif col.kind is not TEXT:
            fmts[header] = col.text
    return Shown(data.rename(columns=headers), fmts)


def cell(key: str, v) -> str:
    """One value as the screen prints it (masked cells pass through)."""
    return get(key).text(v)


def people(n) -> str:
    """A count of people as printed in a document (always masked: documents leave the team)."""
    return privacy.count_text(n, True)


def ratio(n, big_n) -> str:
    """ "n / N" of a rate in a document, or only N ("sur < 5 sorties examinées") when n / N would give a
    small count back (as the dashboard's rate tiles)."""
    return privacy.ratio_text(n, big_n, True) or f"sur {people(big_n)} sorties examinées"


# --- The bilan's comparison table (one row per indicator, one column per year) ---------------------------


def valeur_masquee(rec: dict, y, masked: bool = True) -> bool:
    """Whether a masked view hides the value of a comparison row for year y."""
    if not masked:
        return False
    if rec["nature"] == "personnes":
        return isinstance(rec[str(y)], str) or privacy.is_small(rec[str(y)])
    if rec["nature"] == "taux":
        v = rec[str(y)]
        return v is not None and not pd.isna(v) and privacy.reveals(rec.get(f"n_{y}"), rec.get(f"N_{y}"))
    return False


def comparaison_affichee(b: Bilan, *, masked: bool = True) -> pd.DataFrame:
    """The comparison table as printed: values formatted by their nature; in a masked view people counts
    below 5, rates that would give one back, and the variations computed from them are masked."""
    rows = []
    a = b.annee
    records = b.comparaison.to_dict("records")
    chiffres = {y: b.chiffres(y) for y in b.annees}
    for rec in records:
        f = NATURES[rec["nature"]].cell
        row = {"libelle": rec["libelle"]}
        if rec["nature"] == "personnes":  # beside the count it is paired with (privacy.beside)
            rec = rec | {str(y): privacy.beside(chiffres[y], rec["indicateur"], masked) for y in b.annees}
        for y in b.annees:
            v = rec[str(y)]
            if rec["nature"] == "personnes":
                row[str(y)] = privacy.count_text(v, masked)
            elif rec["nature"] == "taux":
                row[str(y)] = privacy.rate_text(v, rec.get(f"n_{y}"), rec.get(f"N_{y}"), masked)
            else:
                row[str(y)] = f(v)
        if valeur_masquee(rec, a, masked) or valeur_masquee(rec, a - 1, masked):
            row["variation"] = privacy.TAUX_MASQUE
        elif rec["nature"] == "taux":
            ecart = rec["ecart"]
            row["variation"] = (
                fmt.DASH if ecart is None or pd.isna(ecart) else POINTS.text(ecart * 100).replace("-", "−")
            )
            if not str(ecart).startswith("-") and ecart and not pd.isna(ecart):
                row["variation"] = "+" + row["variation"]
        else:
            row["variation"] = fmt.signed_percent(rec["variation"])
        rows.append(row)
    return pd.DataFrame(rows)


def problems_frame(problems) -> pd.DataFrame:
    """The verification report as a table: file, line, column, severity, message (a problem of the whole file
    or of a whole column reads "—" there, never an empty or "None" cell), by file, then line (the whole file's
    problems first), as one reads the file in an editor; problems of one line keep the checks' order."""
    df = pd.DataFrame(
        {
            "fichier": [p.file for p in problems],
            "ligne_fichier": pd.array([p.line for p in problems], dtype="Int64"),
            "colonne": [p.column or fmt.DASH for p in problems],
            "gravité": [p.severity for p in problems],
            "message": [p.message for p in problems],
        }
    )
    return df.sort_values(["fichier", "ligne_fichier"], na_position="first", kind="stable").reset_index(
        drop=True
    )
