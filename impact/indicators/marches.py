"""Figures of the "Marchés et partenariats" page: the contracts of the period with their hours planned and
delivered, revenue and structures; the timeline of contracts; revenue by year and sector.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from impact.contract import DISPOSITIFS
from impact.db import Database
from impact.filters import Filtres
from impact.indicators import heures, listes

SECTEUR_LABELS = heures.SECTEUR_LABELS

LISTE_COLUMNS = [
    "marche_id",
    "intitule",
    "donneur_ordre",
    "secteur",
    "secteur_libelle",
    "dispositif",
    "dispositif_libelle",
    "date_debut",
    "date_fin",
    "heures_insertion_prevues",
    "heures_prevues_periode",
    "heures_realisees",
    "taux_realisation",
    "chiffre_affaires",
    "nb_structures",
    "structures",
]


# The columns of the page's table of contracts (codes and the count of structures stay out): its figures right
# after its name, so that a projector's width shows them before the wordy columns.
TABLEAU_COLUMNS = [
    "intitule",
    "heures_realisees",
    "heures_prevues_periode",
    "taux_realisation",
    "chiffre_affaires",
    "donneur_ordre",
    "dispositif_libelle",
    "secteur_libelle",
    "heures_insertion_prevues",
    "date_debut",
    "date_fin",
    "structures",
]
# What the room reads on a projector (presentation mode): the columns the table's title promises.
TABLEAU_SALLE = TABLEAU_COLUMNS[:7]


def liste(db: Database, f: Filtres) -> pd.DataFrame:
    """One row per contract of the period (LISTE_COLUMNS).

    heures_insertion_prevues: for the whole contract; heures_prevues_periode: their share in the years of
    the period (pro rata of days, heures.RULE_PRORATA; NaN when the contract has no planned hours or no end);
    heures_realisees: hours worked on its interventions in the period; taux_realisation: their ratio;
    chiffre_affaires: revenue lines carrying the contract in the years of the period (NaN with a commune
    filter: revenue is not localised); structures: those with hours on it in the period.
    """
    df = db.run("marches_periode", **f.params())
    pr = db.run("heures_prevues_realisees", **f.params())
    # min_count=1: a contract without any planned year stays NaN, not 0.
    prevues = pr.groupby("marche_id")["heures_prevues"].sum(min_count=1).rename("heures_prevues_periode")
    df = df.merge(prevues, how="left", left_on="marche_id", right_index=True)
    df["secteur_libelle"] = df["secteur"].map(SECTEUR_LABELS)
    df["dispositif_libelle"] = df["dispositif"].map(DISPOSITIFS)
    p = df["heures_prevues_periode"].astype(float)
    df["taux_realisation"] = (df["heures_realisees"] / p).where(p > 0)
    df["chiffre_affaires"] = df["chiffre_affaires"].astype(float)
    if "chiffre_affaires" in db.absent:
        df["chiffre_affaires"] = float("nan")  # no revenue file: not known, not 0
    return df[LISTE_COLUMNS].reset_index(drop=True)


def synthese(db: Database, f: Filtres) -> dict:
    """The key figures of the page: number of contracts of the period, hours worked on them (public and
    private apart) and the revenue carrying a contract (None with a commune filter)."""
    df = liste(db, f)
    public = df["secteur"] == "public"
    return {
        "marches": len(df),
        "marches_publics": int(public.sum()),
        "partenariats_prives": int((~public).sum()),
        "heures_publics": float(df.loc[public, "heures_realisees"].sum()),
        "heures_prives": float(df.loc[~public, "heures_realisees"].sum()),
        "chiffre_affaires": None
        if f.is_commune or "chiffre_affaires" in db.absent
        else float(df["chiffre_affaires"].sum()),
    }


def chronologie(db: Database, f: Filtres) -> pd.DataFrame:
    """The contracts of every year of the data (the other filters kept), for the timeline: marche_id,
    libelle (short unique title, "(en cours)" when open-ended), intitule, donneur_ordre, secteur_libelle, dispositif_libelle, date_debut, date_fin, fin_affichee
    (date_fin, or the data freshness date for an open-ended contract), en_cours (no end date)."""
    annees = listes.annees(db)
    if not annees:
        return pd.DataFrame(
            columns=[
                "marche_id",
                "libelle",
                "intitule",
                "donneur_ordre",
                "secteur_libelle",
                "dispositif_libelle",
                "date_debut",
                "date_fin",
                "fin_affichee",
                "en_cours",
            ]
        )
    df = liste(db, f.all_years(annees))
    au = db.donnees_au or date(annees[-1], 12, 31)
    df["en_cours"] = df["date_fin"].isna()
    df["fin_affichee"] = pd.to_datetime(df["date_fin"]).fillna(pd.Timestamp(au))
    df["libelle"] = [
        lab + (" (en cours)" if ouvert else "")
        for lab, ouvert in zip(
            heures.short_labels(df["intitule"], df["marche_id"], heures.TITRE_AXE),
            df["en_cours"],
            strict=True,
        )
    ]
    df["date_debut"] = pd.to_datetime(df["date_debut"])
    df["date_fin"] = pd.to_datetime(df["date_fin"])
    return df[
        [
            "marche_id",
            "libelle",
            "intitule",
            "donneur_ordre",
            "secteur_libelle",
            "dispositif_libelle",
            "date_debut",
            "date_fin",
            "fin_affichee",
            "en_cours",
        ]
    ].reset_index(drop=True)


def lecture_liste(f: Filtres) -> str:
    """How to read the columns of the list of contracts (liste): what each figure counts."""
    partial = bool(f.structures or f.types or f.communes)
    return (
        "Heures prévues sur la période : heures d'insertion prévues au marché, réparties au prorata des jours. "
        + heures.RULE_PRORATA
        + " Heures réalisées : heures travaillées sur les interventions du marché pendant la période. Chiffre "
        "d'affaires : lignes de chiffre d'affaires des structures rattachées au marché, pour les années de la "
        "période. Structures : celles qui ont déclaré des heures sur le marché pendant la période."
        + (
            " Avec un filtre de structure, de type ou de commune, les heures et le chiffre d'affaires sont ceux "
            "de la sélection ; les heures prévues restent celles du marché entier."
            if partial
            else ""
        )
    )


def ca_absent(f: Filtres, ca: pd.DataFrame) -> str | None:
    """Why the chart of ca_par_annee_secteur has no bar: revenue is not located by commune, or none of it is
    on a contract; None when there is simply no revenue."""
    if f.is_commune:
        return "Le chiffre d'affaires n'est pas localisé par commune : retirez le filtre de commune pour le voir."
    if not ca.empty:
        return "Aucun chiffre d'affaires rattaché à un marché ou à un partenariat pour cette sélection."
    return None


def ca_par_annee_secteur(db: Database, f: Filtres) -> pd.DataFrame:
    """Revenue by year (every year of the data, other filters kept) and sector: annee, secteur,
    secteur_libelle, chiffre_affaires. Empty with a commune filter (revenue is not localised)."""
    annees = listes.annees(db)
    if f.is_commune or not annees:
        return pd.DataFrame(columns=["annee", "secteur", "secteur_libelle", "chiffre_affaires"])
    df = db.run("marches_ca_par_annee_secteur", **f.all_years(annees).params())
    df.insert(2, "secteur_libelle", df["secteur"].map(SECTEUR_LABELS))
    return df
