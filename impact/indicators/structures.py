"""Figures of the Structures page: each member, its contribution over the period and where it works.

Hours and ETP count work done under the filters (with a commune filter: work done in the commune); people
count those with at least 1 hour in the structure (with a commune filter: residents of the commune), as in
`kpis`; exits and the dynamic rate are IAE only (no figure for other families); revenue is not localised
(no figure with a commune filter).
"""

from __future__ import annotations

import pandas as pd

from impact import contract, fmt, privacy
from impact.db import Database
from impact.filters import Filtres
from impact.indicators import sorties
from impact.indicators.core import Taux

COLONNES = [
    "structure_id",
    "nom",
    "type",
    "type_libelle",
    "famille",
    "commune_siege_insee",
    "commune_siege",
    "commune_nouvelle_siege",
    "date_adhesion",
    "heures_travaillees",
    "personnes_employees",
    "etp",
    "base_etp",
    "sorties",
    "sorties_examinees",
    "sorties_dynamiques",
    "taux_sortie_dynamique",
    "chiffre_affaires",
    "communes",
]
# What each structure brought over the period (the members table shows them first).
CONTRIBUTION = [
    "heures_travaillees",
    "personnes_employees",
    "etp",
    "sorties",
    "sorties_examinees",
    "sorties_dynamiques",
    "taux_sortie_dynamique",
    "chiffre_affaires",
]
NON_LOCALISE = "non localisées"


def communes(db: Database, f: Filtres) -> pd.DataFrame:
    """Hours worked by structure and commune of intervention (commune nouvelle, or the commune itself
    outside Mauges Communauté), most hours first; hours without an intervention: commune None, name
    "non localisées"."""
    df = db.run("structures_communes", **f.params())
    df["heures_travaillees"] = df["heures_travaillees"].astype(float).round(2)
    df["commune"] = df["commune"].astype(object).where(df["commune"].notna(), None)
    df["commune_nom"] = df["commune_nom"].astype(object).where(df["commune_nom"].notna(), NON_LOCALISE)
    return df.reset_index(drop=True)


def _communes_text(part: pd.DataFrame) -> str:
    return ", ".join(f"{n} ({fmt.hours(h)})" for n, h in zip(part["commune_nom"], part["heures_travaillees"]))


def _bases_text(bases) -> str:
    """The ETP base(s) used over the period, e.g. "1 820 h" (or "1 600 h / 1 650 h" if a decree changed it)."""
    if bases is None or len(bases) == 0:
        return fmt.DASH
    return " / ".join(fmt.hours(b) for b in bases)


def membres(db: Database, f: Filtres) -> pd.DataFrame:
    """One row per member structure kept by the type and structure filters (even without activity in the
    period), most hours first. Columns: COLONNES. `sorties*` and `taux_sortie_dynamique` are None outside
    IAE; `taux_sortie_dynamique` is None below 10 examined exits (Taux); `chiffre_affaires` is None with a
    commune filter; `communes` lists the communes of intervention with their hours."""
    df = db.run("structures_membres", dynamiques=list(contract.DYNAMIC_CATEGORIES), **f.params())
    out = pd.DataFrame(
        {
            "structure_id": df["structure_id"].astype(str),
            "nom": df["nom"].astype(str),
            "type": df["type"].astype(str),
            "type_libelle": df["type_libelle"].astype(str),
            "famille": df["famille"].astype(str),
            "commune_siege_insee": df["commune_siege_insee"].astype(str),
            "commune_siege": df["commune_siege_nom"].astype(object),
            "commune_nouvelle_siege": df["commune_nouvelle_siege_nom"].astype(object),
            "date_adhesion": pd.to_datetime(df["date_adhesion"]),
            "heures_travaillees": df["heures_travaillees"].astype(float).round(2),
            "personnes_employees": df["personnes_employees"].astype(int),
            "etp": df["etp"].astype(float).round(2),
            "base_etp": df["bases_etp"].map(_bases_text),
        }
    )
    for col in ("sorties", "sorties_examinees", "sorties_dynamiques"):
        out[col] = df[col].astype("Int64")
    out["taux_sortie_dynamique"] = [
        None if pd.isna(N) else Taux(int(n), int(N)).value
        for n, N in zip(df["sorties_dynamiques"], df["sorties_examinees"], strict=True)
    ]
    out["taux_sortie_dynamique"] = out["taux_sortie_dynamique"].astype(object)
    out["chiffre_affaires"] = (
        None
        if f.is_commune or "chiffre_affaires" in db.absent
        else df["chiffre_affaires"].astype(float).round(2)
    )
    where = communes(db, f)
    texts = {sid: _communes_text(part) for sid, part in where.groupby("structure_id", sort=False)}
    out["communes"] = out["structure_id"].map(lambda s: texts.get(s, ""))
    return out[COLONNES]


def heures_par_structure(db: Database, f: Filtres) -> pd.DataFrame:
    """The chart's data: structures with hours in the period, most hours first (structure, type, famille,
    heures_travaillees, etp)."""
    m = membres(db, f)
    m = m[m["heures_travaillees"] > 0]
    return m[["nom", "type", "famille", "heures_travaillees", "etp"]].rename(columns={"nom": "structure"})


COMPTES = ["personnes_employees", "sorties", "sorties_examinees", "sorties_dynamiques"]


SORTIES = ["sorties", "sorties_examinees", "sorties_dynamiques", "taux_sortie_dynamique"]


def sorties_retirees(m: pd.DataFrame, lies: pd.DataFrame) -> bool:
    """Whether a masked view leaves the exit columns (SORTIES) out of `membres`: the linked masking hides
    every non-zero exit count of them (privacy.retire)."""
    return privacy.retire(m, SORTIES[:3], forced=sorties.forced_for(m, "structure_id", lies))


def masquer(m: pd.DataFrame, lies: pd.DataFrame | None = None) -> pd.DataFrame:
    """`membres` as a masked view shows it (impact.privacy.mask_table): people counts masked, and the dynamic
    rate hidden where it, with its n or N, would give a masked count back. lies: the exit counts the Sorties
    page hides (sorties.masques()["structure"]), hidden here too."""
    forced = None if lies is None else sorties.forced_for(m, "structure_id", lies)
    return privacy.mask_table(
        m,
        COMPTES,
        rates={"taux_sortie_dynamique": ("sorties_dynamiques", "sorties_examinees")},
        forced=forced,
    )
