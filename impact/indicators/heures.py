"""Figures of the "Heures et activités" page: hours by month, year, sector, structure, activity and contract,
and the insertion hours planned versus delivered per contract and year.

Hours worked, hours billed (AI, ETTI) and training hours are three distinct measures: they come out in
separate columns and are never added together.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from impact import columns, fmt
from impact.contract import DISPOSITIFS
from impact.db import Database
from impact.filters import SAUF_PERIODE, Filtres, annee_axe
from impact.indicators import fraicheur, listes

# The three sectors of the filters: clause hours and the private partnership (Veolia) are never pooled.
SECTEUR_LABELS = columns.SECTEURS
HORS_MARCHE = SECTEUR_LABELS["hors_marche"]
SANS_ACTIVITE = "Sans intervention renseignée"
# The three ways the Heures page ranks the hours of the period, one at a time (the first by default).
REPARTITIONS = ("Marché ou partenariat", "Structure", "Activité")
SANS_MARCHE = "Aucune heure sur un marché public ou un partenariat privé pour cette sélection."
# The three measures of hours and the three sectors, as the Heures page states them under its key figures.
TROIS_MESURES = (
    "Trois mesures distinctes, jamais additionnées : les heures facturées aux clients des associations "
    "intermédiaires et des entreprises de travail temporaire d'insertion recouvrent des heures déjà "
    "travaillées ; les heures de formation s'ajoutent au temps de travail sans en faire partie."
)
SECTEURS = (
    "Marchés publics : clauses sociales, marchés réservés et critères d'attribution de la commande publique. "
    "Partenariats privés : travaux hors commande publique (Veolia), jamais mêlés aux heures des clauses. "
    "Hors marché : heures déclarées sans intervention rattachée à un marché ou un partenariat."
)
# What the charts of the Heures page count, as their captions say it.
LIEU = (
    " Avec un filtre de commune, les heures sont celles réalisées dans la commune et les personnes celles qui "
    "y résident."
)
LECTURE_MOIS = (
    "Somme des heures travaillées déclarées pour chaque mois de la période (filtres actifs). Le tableau "
    "donne aussi, à part, les heures facturées et les heures de formation du mois."
)
LECTURE_SECTEURS_ANNEE = (
    "Heures travaillées sur les interventions des marchés publics (clauses, marchés réservés) et sur "
    "celles des partenariats privés hors commande publique (Veolia), montrées séparément pour chaque année "
    "des données (" + SAUF_PERIODE + "). Les heures hors marché, bien plus nombreuses, sont dans le "
    "tableau."
)
LECTURE_MARCHES = (
    "Heures travaillées sur les interventions rattachées à chaque marché (public) ou partenariat "
    "(privé) ; la ligne « Hors marché » du tableau regroupe les heures sans marché. Personnes : au moins "
    "1 heure sur le marché pendant la période."
)
LECTURE_STRUCTURES = (
    "Somme des heures travaillées déclarées par chaque structure ; le tableau donne à part les heures "
    "facturées et de formation, et les personnes ayant au moins 1 heure dans la structure."
)
LECTURE_ACTIVITES = (
    "Activité de l'intervention sur laquelle les heures sont déclarées ; « "
    + SANS_ACTIVITE
    + " » regroupe les heures déclarées sans intervention. Personnes : au moins 1 heure dans l'activité."
)
COLONNES_PREVUES_REALISEES = [
    "intitule",
    "donneur_ordre",
    "annee",
    "heures_insertion_prevues",
    "heures_prevues",
    "heures_realisees",
    "taux_realisation",
]
RULE_PRORATA = (
    "Heures prévues d'une année = heures d'insertion prévues du marché × jours du marché dans l'année civile "
    "÷ jours du marché."
)


def _all_years(db: Database, f: Filtres) -> Filtres | None:
    annees = listes.annees(db)
    return f.all_years(annees) if annees else None


def par_mois(db: Database, f: Filtres) -> pd.DataFrame:
    """One row per month of the period (from the first to the last month with hours): mois, libelle
    ("janv. 2024"), heures_travaillees, heures_facturees, heures_formation, provisoire (a month some active
    structures have not sent yet, see indicators.fraicheur)."""
    df = db.run("heures_par_mois", **f.params())
    df["mois"] = pd.to_datetime(df["mois"])
    df.insert(1, "libelle", [fmt.month_short(m) for m in df["mois"]])
    fr = fraicheur.fraicheur(db)
    df["provisoire"] = [fr.provisoire(m.date()) for m in df["mois"]]
    return df


def par_annee(db: Database, f: Filtres) -> pd.DataFrame:
    """Hours worked, billed and of training for every year of the data (the other filters kept)."""
    g = _all_years(db, f)
    if g is None:
        return pd.DataFrame(columns=["annee", "heures_travaillees", "heures_facturees", "heures_formation"])
    return db.run("heures_detail_par_annee", **g.params())


def par_secteur_annee(db: Database, f: Filtres) -> pd.DataFrame:
    """Hours worked by year (every year of the data) and sector: annee, secteur (code), secteur_libelle,
    heures_travaillees. Public clauses, private partnerships and hours outside any contract stay apart."""
    g = _all_years(db, f)
    if g is None:
        return pd.DataFrame(columns=["annee", "secteur", "secteur_libelle", "heures_travaillees"])
    df = db.run("heures_par_secteur_annee", **g.params())
    df.insert(2, "secteur_libelle", df["secteur"].map(SECTEUR_LABELS))
    return df


def par_structure(db: Database, f: Filtres) -> pd.DataFrame:
    """structure_id, structure, type, heures_travaillees, heures_facturees, heures_formation, personnes."""
    return db.run("heures_par_structure", **f.params())


def par_activite(db: Database, f: Filtres) -> pd.DataFrame:
    """activite (SANS_ACTIVITE for hours declared without an intervention), heures_travaillees, personnes."""
    df = db.run("heures_par_activite", **f.params())
    df["activite"] = df["activite"].fillna(SANS_ACTIVITE)
    return df


def par_marche(db: Database, f: Filtres) -> pd.DataFrame:
    """One row per contract with hours in the period, then one "Hors marché" row for hours without contract:
    marche_id, marche (title, or HORS_MARCHE), libelle (short unique title for a chart axis), donneur_ordre, secteur, secteur_libelle, dispositif
    (French label), heures_travaillees, personnes."""
    df = db.run("heures_par_marche", **f.params())
    df.insert(1, "marche", df["intitule"].fillna(HORS_MARCHE))
    df["libelle"] = short_labels(df["marche"], df["marche_id"].fillna(HORS_MARCHE), TITRE_AXE)
    df["donneur_ordre"] = df["donneur_ordre"].fillna("")
    df["secteur_libelle"] = df["secteur"].map(SECTEUR_LABELS)
    df["dispositif"] = df["dispositif"].map(DISPOSITIFS).fillna("")
    return df[
        [
            "marche_id",
            "marche",
            "libelle",
            "donneur_ordre",
            "secteur",
            "secteur_libelle",
            "dispositif",
            "heures_travaillees",
            "personnes",
        ]
    ]


# A contract's title on a chart's axis: as much as the bars' three lines of labels hold (charts.WRAP_LINES ×
# charts.WRAP_CHARS, less what the wrapping at word boundaries loses), so that the room reads the whole title.
TITRE_AXE = 110
# The same title followed by " · 2025": shorter, so that the year always ends the third line (wrapping at
# word boundaries loses up to a dozen characters a line).
TITRE_AXE_ANNEE = 72


def short_label(text: str, width: int = 48) -> str:
    """A contract title cut to fit a chart axis."""
    return text if len(text) <= width else text[: width - 1].rstrip(" ,;:(-") + "…"


def short_labels(titles: pd.Series, ids: pd.Series, width: int = 48) -> list[str]:
    """Short titles, unique per contract: two contracts whose cut titles collide keep their full titles,
    and identical full titles get their identifier appended (a chart axis would merge equal labels)."""
    pairs = dict(zip(ids, titles, strict=True))
    cut = {i: short_label(t, width) for i, t in pairs.items()}
    seen: dict[str, list[str]] = {}
    for i, c in cut.items():
        seen.setdefault(c, []).append(i)
    for c, group in seen.items():
        if len(group) > 1:
            for i in group:
                cut[i] = pairs[i]
    full: dict[str, list[str]] = {}
    for i, c in cut.items():
        full.setdefault(c, []).append(i)
    for c, group in full.items():
        if len(group) > 1:
            for i in group:
                cut[i] = f"{c} ({i})"
    return [cut[i] for i in ids]


def par_secteur(db: Database, f: Filtres) -> pd.DataFrame:
    """Hours worked in the period by sector, always the three rows public, prive, hors_marche:
    secteur, secteur_libelle, heures_travaillees, part (share of the hours worked; NaN without hours)."""
    df = par_marche(db, f).groupby("secteur")["heures_travaillees"].sum()
    df = df.reindex(list(SECTEUR_LABELS), fill_value=0.0).rename_axis("secteur").reset_index()
    df.insert(1, "secteur_libelle", df["secteur"].map(SECTEUR_LABELS))
    total = df["heures_travaillees"].sum()
    df["part"] = df["heures_travaillees"] / total if total > 0 else float("nan")
    return df


def prevues_realisees(db: Database, f: Filtres) -> pd.DataFrame:
    """Insertion hours planned versus delivered, per contract with planned hours and year of the period
    (marche: short unique title; ligne: "title · year" for a chart axis).

    heures_prevues: the contract's heures_insertion_prevues spread over its years pro rata of its days in
    each calendar year (RULE_PRORATA); NaN for an open-ended contract (nothing to spread over).
    heures_realisees: hours worked on the contract's interventions in the year (filters applied).
    taux_realisation: realisees / prevues (NaN without planned hours).
    """
    df = db.run("heures_prevues_realisees", **f.params())
    df = df[df["heures_insertion_prevues"].notna()].reset_index(drop=True)
    df["marche"] = short_labels(df["intitule"], df["marche_id"], TITRE_AXE_ANNEE)
    # no-break spaces: the wrapping of a chart's labels never puts the year on a line of its own
    df["ligne"] = [f"{m}\u00a0·\u00a0{a}" for m, a in zip(df["marche"], df["annee"], strict=True)]
    prevues = df["heures_prevues"].astype(float)
    df["taux_realisation"] = (df["heures_realisees"] / prevues).where(prevues > 0)
    return df[
        [
            "marche_id",
            "marche",
            "ligne",
            "intitule",
            "donneur_ordre",
            "date_debut",
            "date_fin",
            "heures_insertion_prevues",
            "annee",
            "heures_prevues",
            "heures_realisees",
            "taux_realisation",
        ]
    ]


# --- Chart data (long form of the tables above) ----------------------------------------------------------

# The three measures of hours, as the chart's legend names them (never stacked nor added).
MESURES = {
    "heures_travaillees": "Heures travaillées",
    "heures_facturees": "Heures facturées (AI, ETTI)",
    "heures_formation": "Heures de formation",
}
SERIES_PREVUES = {"heures_prevues": "Prévues (prorata)", "heures_realisees": "Réalisées"}


def mesures_par_annee(annees: pd.DataFrame, donnees_au: date | None) -> pd.DataFrame:
    """par_annee in long form for a chart: annee (text, filters.annee_axe), mesure (legend label), heures."""
    long = annees.melt(id_vars="annee", value_vars=list(MESURES), var_name="mesure", value_name="heures")
    return long.assign(
        mesure=long["mesure"].map(MESURES), annee=[annee_axe(a, donnees_au) for a in long["annee"]]
    )


def sur_contrat(df: pd.DataFrame, donnees_au: date | None = None) -> pd.DataFrame:
    """The rows of a table by sector on a public contract or a private partnership (not hors_marche), the
    year as a chart's category when there is one (filters.annee_axe)."""
    out = df[df["secteur"] != "hors_marche"]
    return out.assign(annee=[annee_axe(a, donnees_au) for a in out["annee"]]) if "annee" in out else out


def lecture_prevues_realisees(f: Filtres) -> str:
    """How to read the chart of insertion hours planned and delivered (prevues_realisees)."""
    return (
        "Marchés et partenariats ayant des heures d'insertion prévues. "
        + RULE_PRORATA
        + " Heures réalisées : heures travaillées sur les interventions du marché dans l'année. Un marché sans "
        "date de fin n'a pas de répartition annuelle."
        + (
            " Avec un filtre de structure, de type ou de commune, les heures réalisées sont celles de la sélection "
            "et les heures prévues restent celles du marché entier."
            if f.structures or f.types or f.communes
            else ""
        )
    )


def prevues_realisees_series(pr: pd.DataFrame) -> pd.DataFrame:
    """prevues_realisees in long form for a chart: ligne, série (legend label), heures (no missing value)."""
    long = pr.melt(id_vars=["ligne"], value_vars=list(SERIES_PREVUES), var_name="série", value_name="heures")
    return long.assign(série=long["série"].map(SERIES_PREVUES)).dropna(subset=["heures"])
