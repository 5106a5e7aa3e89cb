"""Figures of the map page: the four indicators by commune (either level), the interventions as points, head offices.

Levels: "nouvelle" (the six communes nouvelles of Mauges Communauté) and "deleguee" (their 64 communes
déléguées); at both levels the communes of the neighbouring EPCI (CC Loire Layon Aubance, Cholet
Agglomération) stand as themselves. Work is placed where the intervention is (its GPS point when it has one,
else its declared code: interventions_x.commune_localisee); people by the commune they live in.

A shared code (49023 is Beaupréau-en-Mauges and its chief town Beaupréau) means the commune nouvelle at the
"nouvelle" level and the commune déléguée of the same code at the "deleguee" level.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from impact import geo
from impact.db import Database
from impact.filters import Filtres

NIVEAUX = {"nouvelle": "Communes nouvelles", "deleguee": "Communes déléguées"}
MAUGES = "Mauges Communauté"
SANS_MARCHE = "Hors marché"
POSITION_GPS = "point GPS"
POSITION_COMMUNE = "commune"
# Points without GPS coordinates that share a commune are spread on a small ring around its representative
# point (about 700 m), so that each stays visible and clickable; the hover says the place is approximate.
ANNEAU_DEG = 0.0065


@dataclass(frozen=True)
class Indicateur:
    label: str  # menu and legend
    unite: str  # colour bar title
    colonne: str  # column of par_commune()
    definition: str  # sentence used under the map


INDICATEURS = {
    "heures": Indicateur(
        "Heures réalisées",
        "heures",
        "heures",
        "les heures travaillées dans la commune (lieu de l'intervention : point GPS, sinon commune déclarée)",
    ),
    "interventions": Indicateur(
        "Nombre d'interventions",
        "interventions",
        "interventions",
        "le nombre d'interventions actives sur la période dans la commune",
    ),
    "personnes": Indicateur(
        "Personnes résidentes employées",
        "personnes",
        "personnes",
        "le nombre de personnes habitant la commune et ayant travaillé au moins 1 heure sur la période",
    ),
    "heures_1000_hab": Indicateur(
        "Heures pour 1 000 habitants",
        "heures pour 1 000 hab.",
        "heures_1000_hab",
        "les heures travaillées dans la commune pour 1 000 habitants (population municipale)",
    ),
}
COLONNES = [
    "code_insee",
    "commune",
    "commune_nouvelle",
    "code_commune_nouvelle",
    "epci",
    "population",
    "heures",
    "interventions",
    "personnes",
    "heures_1000_hab",
]


def _niveau(niveau: str) -> str:
    if niveau not in NIVEAUX:
        raise ValueError(f"niveau inconnu : {niveau!r} (attendu : {', '.join(NIVEAUX)})")
    return niveau


def communes(db: Database, niveau: str) -> pd.DataFrame:
    """The communes of a level, one row per map feature: code_insee, commune (name), commune_nouvelle (name),
    code_commune_nouvelle, epci, population. Neighbouring communes are part of both levels."""
    ref = db.run("carte_communes")
    wanted = "commune_nouvelle" if _niveau(niveau) == "nouvelle" else "commune_deleguee"
    rows = ref[ref["niveau"].isin([wanted, "commune"])]
    out = rows.rename(columns={"nom": "commune", "nom_commune_nouvelle": "commune_nouvelle"})
    out = out[["code_insee", "commune", "commune_nouvelle", "code_commune_nouvelle", "epci", "population"]]
    return out.sort_values(["epci", "commune"], key=_sort_key).reset_index(drop=True)


def _sort_key(s: pd.Series) -> pd.Series:
    # Mauges Communauté first, then the neighbours; names in French order (accents ignored).
    if s.name == "epci":
        return s.ne(MAUGES)
    return s.str.normalize("NFKD").str.encode("ascii", "ignore").str.decode("ascii").str.lower()


def code_carte(code: object, niveau: str, codes: set[str]) -> str | None:
    """The map feature of a code at a level (None when there is none: no code, or a code off the map).

    codes: the feature codes of that level. "nouvelle": a déléguée goes to its commune nouvelle (an old code
    to its current commune). "deleguee": a code that is a feature is that feature, so that a commune
    nouvelle code means its chief town (same code); an old code goes to its current commune.
    """
    code = geo.normalize_insee(code)
    if code is None:
        return None
    if _niveau(niveau) == "nouvelle":
        parent = geo.commune_nouvelle(code)
        return parent if parent in codes else None
    if code in codes:
        return code
    current = geo.old_to_current(code)
    return current if current in codes else None


def _par_code(df: pd.DataFrame, niveau: str, codes: set[str], value: str) -> pd.Series:
    """Sum of `value` by map feature; rows off the map are dropped (see hors_carte)."""
    key = "commune_nouvelle" if niveau == "nouvelle" else "code"
    placed = df[key].map(lambda c: code_carte(c, niveau, codes))
    return df[value].groupby(placed).sum()


def heures_par_lieu(db: Database, f: Filtres, niveau: str) -> pd.Series:
    """Hours worked in each commune of the level (index: feature code), hours with no place left out."""
    feats = set(communes(db, niveau)["code_insee"])
    return _par_code(db.run("carte_heures", **f.params()), niveau, feats, "heures").astype(float)


def residents_employes(db: Database, f: Filtres, niveau: str) -> pd.Series:
    """People with ≥ 1 h in the period, by commune of residence (index: feature code)."""
    feats = set(communes(db, niveau)["code_insee"])
    return _par_code(db.run("carte_residents", **f.params()), niveau, feats, "personnes").astype(int)


def interventions(db: Database, f: Filtres) -> pd.DataFrame:
    """Interventions active in the period under the filters, one row each, ready to draw as points.

    Adds: position ("point GPS" or "commune"), lat and lon (the GPS point, or a representative point of the
    commune déléguée or neighbouring commune where it is placed, spread on a small ring when several share
    it), code_deleguee and code_nouvelle (features at each level), commune (name of the place), marche
    (the contract's title, "Hors marché" if none).
    """
    df = db.run("carte_interventions", **f.params())
    feats_del = set(geo.boundaries("deleguee")["code_insee"])
    df["code_deleguee"] = df["commune_localisee"].map(lambda c: code_carte(c, "deleguee", feats_del))
    df["code_nouvelle"] = df["commune_nouvelle"]
    df["commune"] = df["code_deleguee"].map(lambda c: geo.commune_name(c, "deleguee") if c else None)
    df["marche"] = df["marche_intitule"].fillna(SANS_MARCHE)
    df["heures"] = df["heures"].astype(float)
    has_gps = df["latitude"].notna() & df["longitude"].notna()
    df["position"] = np.where(has_gps, POSITION_GPS, POSITION_COMMUNE)
    points = _points_representatifs()
    lat = df["latitude"].astype(float).to_numpy(copy=True)
    lon = df["longitude"].astype(float).to_numpy(copy=True)
    rank = df[~has_gps].groupby("code_deleguee").cumcount()
    size = df[~has_gps].groupby("code_deleguee")["intervention_id"].transform("size")
    for idx in df.index[~has_gps]:
        code = df.at[idx, "code_deleguee"]
        if code not in points:
            continue
        plon, plat = points[code]
        lat[idx], lon[idx] = on_ring(plat, plon, int(rank[idx]), int(size[idx]), ANNEAU_DEG)
    df["lat"], df["lon"] = lat, lon
    return df


def on_ring(lat: float, lon: float, k: int, n: int, radius: float) -> tuple[float, float]:
    """(lat, lon) of the k-th of n places spread on a ring of `radius` degrees around (lat, lon); the centre
    itself when n is 1."""
    if n <= 1:
        return lat, lon
    angle = 2 * math.pi * k / n
    lat += radius * math.sin(angle)
    return lat, lon + radius * math.cos(angle) / math.cos(math.radians(lat))


@lru_cache(maxsize=1)
def _points_representatifs() -> dict[str, tuple[float, float]]:
    """(lon, lat) of a point inside each commune déléguée or neighbouring commune."""
    frame = geo.boundaries("deleguee")
    pts = frame.geometry.representative_point()
    return {c: (p.x, p.y) for c, p in zip(frame["code_insee"], pts, strict=True)}


def point_commune(code: object) -> tuple[float, float] | None:
    """(lat, lon) of a representative point of the commune déléguée (or neighbouring commune) of a code."""
    feats = set(_points_representatifs())
    placed = code_carte(code, "deleguee", feats)
    if placed is None:
        return None
    lon, lat = _points_representatifs()[placed]
    return lat, lon


def interventions_par_commune(db: Database, f: Filtres, niveau: str) -> pd.Series:
    """Number of interventions active in the period, by commune of the level where they are placed."""
    df = interventions(db, f)
    key = "code_nouvelle" if _niveau(niveau) == "nouvelle" else "code_deleguee"
    return df.groupby(key)["intervention_id"].size().astype(int)


def par_commune(db: Database, f: Filtres, niveau: str) -> pd.DataFrame:
    """The four indicators for every commune drawn on the map, with the columns of COLONNES + dessinee.

    Mauges communes are always there; a neighbouring commune only when it holds work in the period (hours or
    an active intervention). heures_1000_hab is NaN when the population is unknown.
    """
    table = communes(db, niveau)
    codes = table["code_insee"]
    heures = heures_par_lieu(db, f, niveau)
    nb = interventions_par_commune(db, f, niveau)
    personnes = residents_employes(db, f, niveau)
    table["heures"] = codes.map(heures).fillna(0.0).astype(float)
    table["interventions"] = codes.map(nb).fillna(0).astype(int)
    table["personnes"] = codes.map(personnes).fillna(0).astype(int)
    pop = pd.to_numeric(table["population"], errors="coerce")
    table["heures_1000_hab"] = (table["heures"] / pop * 1000).where(pop > 0)
    active = (table["heures"] > 0) | (table["interventions"] > 0)
    keep = table["epci"].eq(MAUGES) | active
    return table[keep][COLONNES].reset_index(drop=True)


def hors_carte(db: Database, f: Filtres, niveau: str = "nouvelle") -> dict[str, float]:
    """What the map does not show: hours worked with no intervention, and employed people whose residence is
    unknown or in a neighbouring commune that is not drawn (no work there in the period)."""
    h = db.run("carte_heures", **f.params())
    total_personnes = int(db.run("carte_residents", **f.params())["personnes"].sum())
    shown = par_commune(db, f, niveau)
    return {
        "heures": float(h.loc[h["code"].isna(), "heures"].sum()),
        "personnes": total_personnes - int(shown["personnes"].sum()),
    }


def sieges(db: Database, f: Filtres) -> pd.DataFrame:
    """Head offices of the member structures (type and structure filters), placed at their commune's point."""
    df = db.run("carte_sieges", **f.params())
    where = df["commune_insee"].map(point_commune)
    df["lat"] = where.map(lambda p: p[0] if p else None)
    df["lon"] = where.map(lambda p: p[1] if p else None)
    df["commune"] = df["commune_insee"].map(lambda c: geo.commune_name(c, "deleguee"))
    return df[df["lat"].notna()].reset_index(drop=True)


def tableau_communes(communes: pd.DataFrame, niveau: str) -> pd.DataFrame:
    """The map's table of values (par_commune), its columns named by the vocabulary of impact/columns.py:
    "personnes" there are the residents of the commune who were employed (residents_employes)."""
    drop = ["code_commune_nouvelle"] + (["commune_nouvelle"] if _niveau(niveau) == "nouvelle" else [])
    return communes.drop(columns=drop).rename(columns={"personnes": "residents_employes"})


TABLEAU_INTERVENTIONS = [
    "intervention_id",
    "structure_nom",
    "activite",
    "marche",
    "lieu",
    "commune",
    "position",
    "date_debut",
    "date_fin",
    "heures",
]


def tableau_interventions(points: pd.DataFrame) -> pd.DataFrame:
    """The list of the map's interventions (interventions()), columns named by the vocabulary."""
    return points[TABLEAU_INTERVENTIONS].rename(columns={"heures": "heures_sur_periode"})
