"""The map figures (impact.indicators.territoire) on the hand-made fixture, against values computed by hand.

Reminder of the fixture (tests/fixtures.py, see test_queries.py): I1 (S1) in Andrezé 49006 (-> Beaupréau-en-
Mauges 49023), I2 (S2, Veolia M2) in Cholet 49099 (Cholet Agglomération), I3 (S3) in Chemillé 49092.
2024 hours on them: I1 = A 20 + B 120 + G 60 = 200 (B's 12/2023 hours out), I2 = C 160 + D 149 = 309,
I3 = E 40 + 30 + 30 = 100; 752,3 h have no intervention.
"""

import json
import math
import textwrap

import numpy as np
import pandas as pd
import pytest
import shapely
import shapely.geometry

from impact import geo, maps, texts
from impact.db import Database
from impact.filters import Filtres
from impact.indicators import kpis
from impact.indicators import territoire as t
from impact.load import load_folder
from tests.fixtures import mini_folder, write


@pytest.fixture(scope="module")
def db_gps(tmp_path_factory):
    """The same folder, but I1 (declared in Andrezé) carries a GPS point inside Chemillé: the point wins."""
    folder = mini_folder(tmp_path_factory.mktemp("mini_gps"))
    lon, lat = geo.source()["points_representatifs"]["49092"]
    write(
        folder,
        "interventions.csv",
        "intervention_id;structure_id;commune_insee;activite;date_debut;marche_id;lieu;latitude;longitude\n"
        f"I1;S1;49006;Espaces verts;01/01/2024;M1;Étang d'Andrezé;{str(lat).replace('.', ',')};"
        f"{str(lon).replace('.', ',')}\n"
        "I2;S2;49099;Relève de compteurs;01/01/2024;M2;;;\n"
        "I3;S3;49092;Nettoyage de locaux;01/06/2023;;;;\n",
    )
    result = load_folder(folder)
    assert result.ok, [str(p) for p in result.errors]
    assert any("49092" in p.message for p in result.problems), "the loader warns about the point"
    return Database(result)


def by_code(df: pd.DataFrame, column: str) -> dict:
    return {c: v for c, v in zip(df["code_insee"], df[column], strict=True) if v}


MAUGES = {"49023", "49092", "49126", "49218", "49244", "49301"}


def test_levels_map_codes_as_the_brief_says():
    feats_n = set(geo.boundaries("nouvelle")["code_insee"])
    feats_d = set(geo.boundaries("deleguee")["code_insee"])
    assert t.code_carte("49006", "nouvelle", feats_n) == "49023"
    assert t.code_carte("49006", "deleguee", feats_d) == "49006"
    # A commune nouvelle code at the déléguée level is its chief town (same code, own feature).
    assert t.code_carte("49023", "deleguee", feats_d) == "49023"
    # 49069 is the déléguée Champtoceaux, in Orée d'Anjou (49126).
    assert t.code_carte("49069", "deleguee", feats_d) == "49069"
    assert t.code_carte("49069", "nouvelle", feats_n) == "49126"
    # A neighbouring commune is itself at both levels; nothing for no code.
    assert t.code_carte("49099", "nouvelle", feats_n) == "49099"
    assert t.code_carte("49099", "deleguee", feats_d) == "49099"
    assert t.code_carte(None, "deleguee", feats_d) is None
    with pytest.raises(ValueError):
        t.code_carte("49023", "canton", feats_d)


def test_hours_by_commune_nouvelle(db):
    df = t.par_commune(db, Filtres.annee(2024), "nouvelle")
    assert by_code(df, "heures") == {"49023": 200.0, "49092": 100.0, "49099": 309.0}
    # Mauges communes are always drawn; Cholet because it holds work; no other neighbour.
    assert set(df["code_insee"]) == MAUGES | {"49099"}
    # Same figures as the key figures of the foundation (heures_par_commune).
    k = kpis(db, Filtres.annee(2024))["heures_par_commune"]
    assert {c: h for c, h in k.items() if c != "non_localise"} == by_code(df, "heures")
    assert t.hors_carte(db, Filtres.annee(2024))["heures"] == pytest.approx(150 + 100.5 + 1 + 500 + 0.8)


def test_hours_by_commune_deleguee(db):
    df = t.par_commune(db, Filtres.annee(2024), "deleguee")
    # Andrezé gets I1; the déléguée Beaupréau (49023, the chief town) gets nothing.
    assert by_code(df, "heures") == {"49006": 200.0, "49092": 100.0, "49099": 309.0}
    assert len(df) == 64 + 1  # the 64 communes déléguées and Cholet
    assert df.loc[df["code_insee"] == "49006", "commune_nouvelle"].item() == "Beaupréau-en-Mauges"


def test_interventions_active_in_the_period(db):
    # I1 and I2 start on 01/01/2024: in 2023 only I3 (started 01/06/2023) is active.
    assert by_code(t.par_commune(db, Filtres.annee(2023), "nouvelle"), "interventions") == {"49092": 1}
    df = t.par_commune(db, Filtres.annee(2024), "nouvelle")
    assert by_code(df, "interventions") == {"49023": 1, "49092": 1, "49099": 1}
    # 2023: B's 60 h on I1 (12/2023) are work done in Andrezé although I1 had not started yet.
    assert by_code(t.par_commune(db, Filtres.annee(2023), "nouvelle"), "heures") == {
        "49023": 60.0,
        "49092": 100.0,
    }


def test_resident_people(db):
    # ≥ 1 h in 2024: A (latest path P9: Andrezé), B (49092), C (49023), D (49301), E ("49023.0"), F (49218),
    # G (49069 Champtoceaux -> Orée d'Anjou), H (49244); I worked 0,8 h: not counted.
    df = t.par_commune(db, Filtres.annee(2024), "nouvelle")
    assert by_code(df, "personnes") == {
        "49023": 3,
        "49092": 1,
        "49301": 1,
        "49218": 1,
        "49126": 1,
        "49244": 1,
    }
    assert df["personnes"].sum() == kpis(db, Filtres.annee(2024))["personnes_employees"] == 8
    deleguee = t.par_commune(db, Filtres.annee(2024), "deleguee")
    assert by_code(deleguee, "personnes") == {
        "49006": 1,
        "49023": 2,
        "49092": 1,
        "49301": 1,
        "49218": 1,
        "49069": 1,
        "49244": 1,
    }
    assert t.hors_carte(db, Filtres.annee(2024))["personnes"] == 0


def test_hours_per_1000_inhabitants(db):
    pop = geo.communes_table().set_index(["code_insee", "niveau"])["population"]
    df = t.par_commune(db, Filtres.annee(2024), "nouvelle").set_index("code_insee")
    assert df.at["49023", "heures_1000_hab"] == pytest.approx(200 / pop["49023", "commune_nouvelle"] * 1000)
    assert df.at["49218", "heures_1000_hab"] == 0
    dele = t.par_commune(db, Filtres.annee(2024), "deleguee").set_index("code_insee")
    assert dele.at["49006", "heures_1000_hab"] == pytest.approx(200 / pop["49006", "commune_deleguee"] * 1000)
    # The chief town has its own population, not that of its commune nouvelle.
    assert dele.at["49023", "population"] == pop["49023", "commune_deleguee"]


def test_filters_apply(db):
    veolia = t.par_commune(db, Filtres.annee(2024, marches=("M2",)), "nouvelle")
    assert by_code(veolia, "heures") == {"49099": 309.0}
    assert by_code(veolia, "interventions") == {"49099": 1}
    assert by_code(veolia, "personnes") == {"49023": 1, "49301": 1}  # C and D
    hors_marche = t.par_commune(db, Filtres.annee(2024, secteurs=("hors_marche",)), "nouvelle")
    assert by_code(hors_marche, "heures") == {"49092": 100.0}
    assert by_code(hors_marche, "interventions") == {"49092": 1}
    beaupreau = t.par_commune(db, Filtres.annee(2024, communes=("49023",)), "nouvelle")
    assert by_code(beaupreau, "heures") == {"49023": 200.0}
    assert by_code(beaupreau, "interventions") == {"49023": 1}
    assert by_code(beaupreau, "personnes") == {"49023": 3}  # residents A, C, E
    aci = t.par_commune(db, Filtres.annee(2024, types=("ACI",)), "deleguee")
    assert by_code(aci, "heures") == {"49006": 200.0}
    assert by_code(aci, "personnes") == {"49006": 1, "49092": 1, "49069": 1}  # A, B, G


def test_points_without_gps_are_placed_in_their_commune(db):
    pts = t.interventions(db, Filtres.annee(2024)).set_index("intervention_id")
    assert list(pts.index) == ["I1", "I2", "I3"]
    assert (pts["position"] == t.POSITION_COMMUNE).all()
    for code, row in zip(["49006", "49099", "49092"], pts.itertuples(), strict=True):
        assert row.code_deleguee == code
        assert geo.locate_point(row.lat, row.lon) == code
    assert pts.loc["I2", "marche"] == "Relève des compteurs"
    assert pts.loc["I3", "marche"] == t.SANS_MARCHE
    assert pts.loc["I1", "heures"] == 200.0
    assert pts.loc["I1", "commune"] == "Andrezé"


def test_gps_point_wins_over_the_declared_code(db_gps):
    f = Filtres.annee(2024)
    assert by_code(t.par_commune(db_gps, f, "nouvelle"), "heures") == {"49092": 300.0, "49099": 309.0}
    assert by_code(t.par_commune(db_gps, f, "deleguee"), "heures") == {"49092": 300.0, "49099": 309.0}
    assert by_code(t.par_commune(db_gps, f, "nouvelle"), "interventions") == {"49092": 2, "49099": 1}
    i1 = t.interventions(db_gps, f).set_index("intervention_id").loc["I1"]
    assert i1["position"] == t.POSITION_GPS
    assert i1["code_deleguee"] == "49092" and i1["commune"] == "Chemillé"
    lon, lat = geo.source()["points_representatifs"]["49092"]
    assert (i1["lat"], i1["lon"]) == pytest.approx((lat, lon))
    # The commune filter follows the point too.
    assert (
        by_code(t.par_commune(db_gps, Filtres.annee(2024, communes=("49023",)), "nouvelle"), "heures") == {}
    )


def test_head_offices(db):
    s = t.sieges(db, Filtres.annee(2024)).set_index("structure_id")
    assert sorted(s.index) == ["S1", "S2", "S3", "S4", "S5"]
    for sid, code in {"S1": "49023", "S2": "49092", "S3": "49301", "S4": "49244", "S5": "49218"}.items():
        assert geo.locate_point(s.at[sid, "lat"], s.at[sid, "lon"]) == code
    # S1 joined on 01/09/2017: not a member yet in 2016 (S3 to S5 have no date: always shown).
    assert "S1" not in set(t.sieges(db, Filtres.annee(2016))["structure_id"])
    assert set(t.sieges(db, Filtres.annee(2024, types=("AI",)))["structure_id"]) == {"S2"}


def test_map_figure_is_offline_and_masks_small_counts(db):
    df = t.par_commune(db, Filtres.annee(2024), "nouvelle")
    spec = maps.choropleth(
        geo.geojson("nouvelle"),
        df,
        column="personnes",
        label="Personnes",
        unit="personnes",
        presentation=True,
    )
    maps.add_interventions(
        spec, maps.dots(t.interventions(db, Filtres.annee(2024)), "activite", "A"), legend_title="x"
    )
    fig = maps.figure(maps.add_sieges(spec, t.sieges(db, Filtres.annee(2024))))
    # An SVG map with no base layer (nothing fetched: test_the_geo_subplot_gets_its_base_layers_here), the names of
    # the communes in one text trace drawn last.
    assert fig.layout.geo.visible is False and fig.layout.geo.projection.type == "mercator"
    assert {tr.type for tr in fig.data} == {"choropleth", "scattergeo"}
    assert [tr.mode for tr in fig.data if tr.type == "scattergeo"][-1] == "text"
    assert fig.data[-1].name == maps.NAMES_TRACE and fig.data[-1].hoverinfo == "skip"
    assert all(
        tr.mode == "markers" for tr in fig.data if tr.type == "scattergeo" and tr.name != maps.NAMES_TRACE
    )
    base, coloured = fig.data[0], fig.data[1]
    # Every commune is in the base layer; the masked ones (1 to 4 people) are not coloured, and their
    # hover reads "< 5". Here every non-zero count is below 5: only the zeros keep a colour.
    assert len(base.locations) == len(df)
    assert set(coloured.locations) == set(df.loc[df["personnes"] == 0, "code_insee"])
    hover = dict(zip(base.locations, base.customdata[:, 3], strict=True))
    assert "Personnes résidentes employées : < 5" in hover["49023"]
    assert "Heures réalisées : 200\u00a0h" in hover["49023"]
    plain = maps.figure(maps.choropleth(geo.geojson("nouvelle"), df, column="personnes", label="P", unit="p"))
    assert set(plain.data[1].locations) == set(df["code_insee"])


def test_fit_view_covers_the_bounds():
    center, zoom = maps.fit_view((-1.35, 47.0, -0.29, 47.42), width=680, height=550)
    assert center["lon"] == pytest.approx(-0.82)
    assert 47.0 < center["lat"] < 47.42
    assert 8 < zoom < 9.5
    # A smaller area gets a larger zoom.
    assert maps.fit_view((-1.1, 47.2, -1.0, 47.25), width=680, height=550)[1] > zoom


def test_the_colour_bar_stands_under_the_map_or_beside_it(db):
    df = t.par_commune(db, Filtres.annee(2024), "nouvelle")
    below = maps.legend_below(
        maps.choropleth(geo.geojson("nouvelle"), df, column="heures", label="H", unit="h")
    )
    beside = maps.legend_below(
        maps.choropleth(geo.geojson("nouvelle"), df, column="heures", label="H", unit="h"), bar_beside=True
    )
    bar_below, bar_beside = below["data"][1]["colorbar"], beside["data"][1]["colorbar"]
    assert bar_below["orientation"] == "h" and below["layout"]["margin"]["r"] == 0
    assert bar_beside["orientation"] == "v" and beside["layout"]["margin"]["r"] == maps.BAR_BESIDE_PX
    # Beside the map, the bar takes no row under it: the figure is shorter by that row, the map as tall.
    assert below["layout"]["height"] - beside["layout"]["height"] == maps.COLORBAR_BELOW_PX
    map_px = []
    for spec in (below, beside):
        y0, y1 = spec["layout"]["geo"]["domain"]["y"]
        map_px.append((y1 - y0) * (spec["layout"]["height"] - 10))
    assert map_px[0] == pytest.approx(map_px[1])
    # Upright, centred on the map's height.
    y0, y1 = beside["layout"]["geo"]["domain"]["y"]
    assert bar_beside["y"] == pytest.approx((y0 + y1) / 2) and bar_beside["len"] < y1 - y0


def test_geo_ranges_draw_the_communes_at_the_fitted_zoom_and_names_stay_on_their_spot():
    bounds = (-1.35, 47.0, -0.29, 47.42)
    center, zoom = maps.fit_view(bounds, width=760, height=600)
    ranges = maps.geo_ranges(center, zoom, 760, 600)
    (west, east), (south, north) = ranges["lonaxis"]["range"], ranges["lataxis"]["range"]
    scale = 512 * 2**zoom  # pixels per 360° of longitude
    assert (east - west) / 360 * scale == pytest.approx(760)
    assert (maps._mercator_y(north) - maps._mercator_y(south)) / (2 * math.pi) * scale == pytest.approx(600)
    assert west < bounds[0] and bounds[2] < east and south < bounds[1] and bounds[3] < north  # all drawn
    # A name placed 120 px right and 40 px up from the centre is written at the spot drawn there.
    note = {"text": "X", "xshift": 120.0, "yshift": 40.0, "font": {"size": 15}}
    trace = maps.names_trace([note], center, zoom)
    x = (trace["lon"][0] - center["lon"]) / 360 * scale
    y = (maps._mercator_y(trace["lat"][0]) - maps._mercator_y(center["lat"])) / (2 * math.pi) * scale
    assert (x, y) == pytest.approx((120, 40))


def test_polygons_are_wound_as_the_geo_subplot_reads_them(db):
    """d3-geo (plotly's geo subplot) wants outer rings clockwise: the other way, a commune is drawn as the whole
    world but itself."""
    square = _square_commune()["features"][0]["geometry"]  # anticlockwise, as RFC 7946 and our files
    hole = [[-0.95, 47.15], [-0.95, 47.25], [-0.85, 47.25], [-0.85, 47.15], [-0.95, 47.15]]  # clockwise
    for geometry in (square, {"type": "Polygon", "coordinates": [*square["coordinates"], hole]}):
        wound = maps._clockwise(geometry)
        rings = [shapely.LinearRing(r) for r in wound["coordinates"]]
        assert not rings[0].is_ccw and all(r.is_ccw for r in rings[1:])
        assert maps._clockwise(wound) == wound
    multi = {"type": "MultiPolygon", "coordinates": [square["coordinates"]]}
    assert not shapely.LinearRing(maps._clockwise(multi)["coordinates"][0][0]).is_ccw
    gj = geo.geojson("deleguee")
    spec = maps.choropleth(
        gj, t.par_commune(db, Filtres.annee(2024), "deleguee"), column="heures", label="H", unit="h"
    )
    for feature in spec["data"][0]["geojson"]["features"]:
        shape = shapely.geometry.shape(feature["geometry"])
        for polygon in getattr(shape, "geoms", [shape]):
            assert not polygon.exterior.is_ccw, feature["id"]


def test_the_geo_subplot_gets_its_base_layers_here():
    """plotly's geo subplot asks for its base layers' TopoJSON even with none shown: the dashboard serves an
    empty one itself (no request to cdn.plot.ly, proven in the browser by tests/e2e/test_carte.py)."""
    import tomllib

    from impact import ROOT, charts, ui

    assert tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["server"]["enableStaticServing"]
    assert charts.TOPOJSON_URL == "app/static/" and ui.PLOTLY_CONFIG["topojsonURL"] == charts.TOPOJSON_URL
    for name in maps.TOPOJSON_FILES:
        topo = json.loads((ROOT / "static" / name).read_text())
        assert topo["type"] == "Topology" and set(topo["objects"]) >= {"land", "coastlines", "countries"}
    assert ui.PLOTLY_CONFIG["scrollZoom"] is False  # the names stay on their communes


def _square_commune(nom: str = "Grande-Commune") -> dict:
    """A source with one square commune of 0,2° side around (-0,9, 47,2)."""
    ring = [[-1.0, 47.1], [-0.8, 47.1], [-0.8, 47.3], [-1.0, 47.3], [-1.0, 47.1]]
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": "1",
                "properties": {"nom": nom},
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        ],
    }


def _name_box(note: dict) -> tuple[float, float, float, float]:
    """The box name_annotations reserves for a name (its estimate of the written text)."""
    lines = note["text"].split("<br>")
    w = 0.56 * note["font"]["size"] * max(map(len, lines)) + 8
    h = 1.3 * note["font"]["size"] * len(lines) + 6
    return note["xshift"] - w / 2, note["yshift"] - h / 2, note["xshift"] + w / 2, note["yshift"] + h / 2


def test_a_commune_name_keeps_clear_of_the_dots_drawn_on_its_commune():
    source, center = _square_commune(), {"lon": -0.9, "lat": 47.2}
    alone = maps.name_annotations(source, ["1"], center, 10, (900, 700))
    assert len(alone) == 1 and (alone[0]["xshift"], alone[0]["yshift"]) == pytest.approx((0, 0), abs=1)
    # A head office's ring (24 px) and a large intervention (34 px) at the commune's best point: the name moves
    # beside them, still on its commune, in the same type.
    dots = [(-0.9, 47.2, maps.SIEGE_PX), (-0.9, 47.2005, maps.TAILLE_MAX + maps.CONTOUR_PX)]
    moved = maps.name_annotations(source, ["1"], center, 10, (900, 700), dots=dots)
    assert len(moved) == 1 and moved[0]["font"]["size"] == maps.NAME_FONT
    left, bottom, right, top = _name_box(moved[0])
    for lon, lat, diameter in dots:
        x = (lon - center["lon"]) / 360 * 512 * 2**10
        y = (maps._mercator_y(lat) - maps._mercator_y(center["lat"])) / (2 * math.pi) * 512 * 2**10
        nearest = (min(max(x, left), right) - x, min(max(y, bottom), top) - y)
        assert math.hypot(*nearest) >= diameter / 2, (moved[0], lon, lat)
    # A commune covered with dots wherever the name could go: it is still written, in the same type.
    covered = [(-1.0 + i * 0.005, 47.1 + j * 0.005, 30) for i in range(41) for j in range(41)]
    kept = maps.name_annotations(source, ["1"], center, 10, (900, 700), dots=covered)
    assert len(kept) == 1 and kept[0]["font"]["size"] == maps.NAME_FONT
    # on a white halo, not in a box: the dots it stands on stay in sight around its letters
    assert "bgcolor" not in kept[0] and kept[0]["font"]["shadow"] == maps.NAME_HALO


def test_name_clearance_lists_the_dots_as_drawn(db):
    points = t.interventions(db, Filtres.annee(2024))
    sieges = t.sieges(db, Filtres.annee(2024))
    drawn_dots = maps.dots(points, "activite", "Activité")
    spec = maps.add_sieges(maps.add_interventions(_no_map(), drawn_dots, legend_title="x"), sieges)
    dots = maps.name_clearance(drawn_dots, sieges)
    drawn = []
    for tr in spec["data"]:  # a dot is as wide as its marker and its outline (drawn astride its edge)
        outer = np.asarray(tr["marker"]["size"]) + tr["marker"]["line"]["width"]
        drawn += zip(tr["lon"], tr["lat"], np.broadcast_to(outer, len(tr["lon"])), strict=True)
    assert np.allclose(sorted(dots), sorted(drawn))
    ring = next(tr for tr in spec["data"] if tr["name"] == "Siège de structure (anneau)")
    assert (
        ring["marker"]["size"] - ring["marker"]["line"]["width"] == maps.SIEGE_CENTRE_PX
    )  # its white centre
    assert maps.name_clearance() == [] and maps.name_clearance(drawn_dots.iloc[:0], sieges.iloc[:0]) == []


def _no_map() -> dict:
    return {"data": [], "layout": {}}


def test_point_legend_names_as_many_values_as_colours_then_groups_the_others(db):
    points = t.interventions(db, Filtres.annee(2024))
    n_colours = len(maps.POINT_COLOURS)
    many = pd.concat([points.iloc[[0]]] * (n_colours + 5), ignore_index=True)
    many["structure_nom"] = [f"Structure {i:02d}" for i in range(len(many))]
    many["heures"] = [float(100 + i) for i in range(len(many))]
    fig = maps.figure(
        maps.add_interventions(
            _no_map(), maps.dots(many, "structure_nom", "Structure"), legend_title="Structures"
        )
    )
    legend = [tr for tr in fig.data if tr.showlegend is not False]
    assert len(legend) == n_colours  # the largest by hours, then one grey entry
    assert legend[0].name == f"Structure {len(many) - 1:02d}"
    assert legend[-1].name == "Les 6 autres" and legend[-1].marker.color == maps.OTHERS_COLOUR
    assert sum(len(tr.lat) for tr in legend) == len(many)  # every point is drawn, once
    assert all(h.startswith("<b>") for h in legend[-1].hovertext)  # each keeps its own hover
    few = maps.figure(
        maps.add_interventions(
            _no_map(), maps.dots(many.iloc[:n_colours], "structure_nom", "S"), legend_title="S"
        )
    )
    assert [tr.name for tr in few.data] == [f"Structure {i:02d}" for i in range(n_colours - 1, -1, -1)]


def test_below_max_dots_every_intervention_has_its_own_dot(db):
    points = t.interventions(db, Filtres.annee(2024))
    dots = maps.dots(points, "activite", "Activité")
    assert len(dots) == len(points) and set(dots["n"]) == {1}
    assert sorted(dots["hover"]) == sorted(maps.intervention_hovers(points))
    assert sorted(zip(dots["lon"], dots["lat"], dots["heures"], strict=True)) == sorted(
        zip(points["lon"], points["lat"], points["heures"], strict=True)
    )


def test_beyond_max_dots_close_interventions_of_one_colour_share_a_dot(db, monkeypatch):
    """Hand-made: six interventions in two squares of CELL_DEG, two activities; with MAX_DOTS at 3, the two of
    the same activity in the same square share a dot, with their hours, at their middle."""
    base = t.interventions(db, Filtres.annee(2024)).iloc[[0]]
    cell = maps.CELL_DEG
    lat0 = (math.floor(47.2 / cell) + 0.2) * cell  # inside one square, well away from its edges
    lon0 = (
        (math.floor(-0.9 * math.cos(math.radians(lat0)) / cell) + 0.2) * cell / math.cos(math.radians(lat0))
    )
    step = 0.5 * cell  # still in the same square, in latitude and longitude
    rows = [
        # (lat, lon, activity, hours, commune déléguée, commune nouvelle)
        (lat0, lon0, "Espaces verts", 100.0, "49006", "49023"),
        (lat0 + step, lon0, "Espaces verts", 300.0, "49010", "49023"),
        (lat0, lon0 + step / 2, "Blanchisserie", 50.0, "49006", "49023"),
        (lat0 + 10 * cell, lon0, "Espaces verts", 70.0, "49092", "49092"),
        (lat0 + 10 * cell, lon0, "Blanchisserie", 20.0, "49092", "49092"),
        (lat0 + 10 * cell + step, lon0, "Blanchisserie", 30.0, "49092", "49092"),
    ]
    points = pd.concat([base] * len(rows), ignore_index=True)
    for col, values in zip(
        ["lat", "lon", "activite", "heures", "code_deleguee", "code_nouvelle"],
        zip(*rows, strict=True),
        strict=True,
    ):
        points[col] = list(values)
    points["commune"] = ["Andrezé", "Beaupréau", "Andrezé", "Chemillé", "Chemillé", "Chemillé"]
    points["position"] = t.POSITION_GPS
    assert len(maps.dots(points, "activite", "Activité")) == 6  # below MAX_DOTS: one each
    monkeypatch.setattr(maps, "MAX_DOTS", 3)
    dots = maps.dots(points, "activite", "Activité")
    assert len(dots) == 4 and dots["n"].sum() == 6
    assert list(dict.fromkeys(dots["entree"])) == ["Espaces verts", "Blanchisserie"]  # 470 h, then 100 h
    shared = dots[dots["n"] == 2].set_index("entree")
    assert shared.at["Espaces verts", "heures"] == 400.0
    assert (shared.at["Espaces verts", "lat"], shared.at["Espaces verts", "lon"]) == pytest.approx(
        (lat0 + step / 2, lon0)
    )
    assert shared.at["Espaces verts", "code_deleguee"] == "49010"  # the one with the most hours: its commune
    hover = shared.at["Espaces verts", "hover"]
    assert hover.startswith("<b>2 interventions proches</b>") and "Communes : Andrezé, Beaupréau" in hover
    assert "Heures sur la période : 400\u00a0h" in hover and "Activité : Espaces verts" in hover
    assert (
        shared.at["Blanchisserie", "heures"] == 50.0
        and "Commune : Chemillé" in shared.at["Blanchisserie", "hover"]
    )
    alone = dots[dots["n"] == 1]
    assert sorted(alone["heures"]) == [50.0, 70.0]
    assert all(
        h == maps.intervention_hover(points.loc[i])
        for i, h in zip([2, 3], sorted(alone["hover"], key=lambda h: "Chemill" in h), strict=True)
    )
    # Every hour is drawn once.
    assert dots["heures"].sum() == points["heures"].sum()
    # Without GPS point, those of one commune and one entry share a dot wherever they stand on its ring; the
    # dots of one commune stand around the ring's centre, apart.
    points["position"] = t.POSITION_COMMUNE
    points["code_deleguee"] = ["49006"] * 3 + ["49092"] * 3
    # Row 1 in another square: without GPS point, its commune is what counts.
    points.loc[1, "lat"] = lat0 + 3 * cell
    approx = maps.dots(points, "activite", "Activité")
    assert sorted(zip(approx["code_deleguee"], approx["entree"], approx["n"], strict=True)) == [
        ("49006", "Blanchisserie", 1),
        ("49006", "Espaces verts", 2),
        ("49092", "Blanchisserie", 2),
        ("49092", "Espaces verts", 1),
    ]
    for code, part in approx.groupby("code_deleguee"):
        centre = points.loc[points["code_deleguee"] == code, ["lat", "lon"]].mean()
        lat_dist = (part["lat"] - centre["lat"]).abs()
        assert lat_dist.max() <= maps.SHARED_RING_DEG + 1e-9
        assert part[["lat", "lon"]].drop_duplicates().shape[0] == len(part)  # none on another
    assert texts.points_reunis(6, 4).startswith("Les 6 interventions sont réunies en 4 points")
    assert texts.points_reunis(6, 6) == ""


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Entretien des espaces verts",
        "x" * maps.HOVER_LINE,
        "x" * (maps.HOVER_LINE + 1),
        "Position approximative : pas de point GPS, placée dans la commune (Beaupréau-en-Mauges)",
        "Heures sur la période : 4\u00a0500\u00a0h",
        " espace devant",
        "espace derrière ",
        "tabulation\tdedans",
        "retour\nà la ligne",
        "deux  espaces",
        "mot \u00a0",
        "Marché ou partenariat : Veolia — relève des compteurs d'eau, campagne 2025-2026",
    ],
)
def test_hover_lines_are_those_of_textwrap(text):
    """The short-line shortcut and the cache of the map's hover lines give exactly textwrap's lines."""
    expected = textwrap.wrap(text, maps.HOVER_LINE, break_long_words=False, break_on_hyphens=False) or [text]
    assert list(maps._hover_lines(text)) == expected


def test_a_map_wider_than_tall_loses_its_blank_bands_not_its_zoom():
    gj = geo.geojson("nouvelle")
    bounds = maps._bounds(gj, [f["id"] for f in gj["features"]])
    center, zoom = maps.fit_view(bounds, width=680, height=690)
    height = maps.fitted_height(bounds, zoom)
    assert 300 < height < 690  # the Mauges and their neighbours: wider than tall at 680 pixels
    assert maps.fit_view(bounds, width=680, height=height) == (center, zoom)  # same view, no blank band
    # Where the height binds, the fitted height is the one given: choropleth keeps it (the smaller of both).
    _, tall_zoom = maps.fit_view(bounds, width=2000, height=300)
    assert maps.fitted_height(bounds, tall_zoom) >= 300


def _lab(colour: str) -> tuple[float, float, float]:
    """CIE L*a*b* (D65) of an sRGB colour "#rrggbb"."""
    lin = []
    for i in (1, 3, 5):
        c = int(colour[i : i + 2], 16) / 255
        lin.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
    x = (0.4124 * lin[0] + 0.3576 * lin[1] + 0.1805 * lin[2]) / 0.95047
    y = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    z = (0.0193 * lin[0] + 0.1192 * lin[1] + 0.9505 * lin[2]) / 1.08883

    def f(t):
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def test_point_colours_are_told_apart_on_a_projector():
    """No two values of the map's legend share a look-alike colour (the review found "Entretien de locaux" and
    "Propreté et entretien de locaux" in two teals 3 units apart): CIE76 distance of 20 at least between the
    point colours, the grey of the others and the black of the head offices."""
    import itertools
    import math

    colours = [*maps.POINT_COLOURS, maps.OTHERS_COLOUR, "#000000"]
    assert len(set(colours)) == len(colours)
    close = [
        (a, b, round(math.dist(_lab(a), _lab(b))))
        for a, b in itertools.combinations(colours, 2)
        if math.dist(_lab(a), _lab(b)) < 20
    ]
    assert not close, close


def test_hover_texts_are_written_once_for_the_same_points(db, monkeypatch):
    """A rerun of the map draws the same points: their hover texts are those of intervention_hover, computed
    once; any change of a point writes them again."""
    points = t.interventions(db, Filtres.annee(2024))
    assert not points.empty
    expected = [maps.intervention_hover(r) for r in points.to_dict("records")]
    calls = []
    real = maps.intervention_hover
    monkeypatch.setattr(maps, "intervention_hover", lambda r: calls.append(1) or real(r))
    maps._HOVERS.clear()
    assert maps.intervention_hovers(points) == expected and len(calls) == len(points)
    assert maps.intervention_hovers(points.copy()) == expected and len(calls) == len(points)  # same content
    changed = points.copy()
    changed.loc[changed.index[0], "heures"] = changed["heures"].iloc[0] + 1
    again = maps.intervention_hovers(changed)
    assert len(calls) == 2 * len(points) and again[0] != expected[0] and again[1:] == expected[1:]


def test_the_pages_dots_are_those_of_the_selection_and_the_sheet_keeps_its_commune(db):
    # The Carte's dots (maps.interventions_dots, cached by the page) are maps.dots of the selection's
    # interventions; a Fiche commune's (maps.commune_dots) only those of its commune nouvelle with hours in the
    # year, by structure. I1 (declared in Andrezé, Beaupréau-en-Mauges) in 2024: A 20 h in 04, B 60 h in 01 and
    # 02, G 10 h a month from 01 to 06 = 200 h; I3 (Chemillé-en-Anjou) in 2023: S3's 100 h of 12/2023.
    f = Filtres.annee(2024)
    pd.testing.assert_frame_equal(
        maps.interventions_dots(db, f, "activite", "Activité"),
        maps.dots(t.interventions(db, f), "activite", "Activité"),
    )
    beaupreau = maps.commune_dots(db, "49023", 2024)
    assert beaupreau[["entree", "heures", "n", "code_nouvelle"]].to_dict("records") == [
        {"entree": "Les Jardins d’Œuvre", "heures": 200.0, "n": 1, "code_nouvelle": "49023"}
    ]
    assert maps.commune_dots(db, "49023", 2023).empty  # I1 starts on 01/01/2024
    chemille = maps.commune_dots(db, "49092", 2023)
    assert chemille[["heures", "n"]].to_dict("records") == [{"heures": 100.0, "n": 1}]


def test_the_points_title_heads_their_entries_only_and_the_selection_takes_no_point_colour(db):
    f = Filtres.annee(2024)
    spec = maps.choropleth(
        geo.geojson("deleguee"),
        t.par_commune(db, f, "deleguee"),
        column="heures",
        label="H",
        unit="h",
        selected=("49023",),
        outlines=geo.geojson("nouvelle"),
    )
    dots = maps.dots(t.interventions(db, f), "activite", "Activité")
    maps.add_sieges(maps.add_interventions(spec, dots, legend_title="Activité"), t.sieges(db, f))
    maps.legend_below(spec)
    entries = [tr for tr in spec["data"] if tr.get("showlegend") is not False]
    second = [tr["name"] for tr in entries if tr.get("legend") == "legend2"]
    first = [tr["name"] for tr in entries if tr.get("legend") != "legend2"]
    assert spec["layout"]["legend"]["title"]["text"] == "Activité :"
    assert sorted(first) == sorted(dots["entree"].unique())  # the 3 activities of 2024, and nothing else
    assert second == ["Limite de commune nouvelle", "Commune sélectionnée", "Siège de structure (anneau)"]
    assert "title" not in spec["layout"]["legend2"]
    assert spec["layout"]["legend2"]["y"] < spec["layout"]["legend"]["y"]  # under the points' legend
    # The selected commune: a black line on a white halo, no colour a point or the limits take.
    selected = [tr for tr in spec["data"] if tr.get("mode") == "lines" and tr["line"]["width"] > 3]
    assert [tr["line"]["color"] for tr in selected] == [maps.SELECTED_HALO, maps.SELECTED_LINE]
    assert selected[0]["line"]["width"] > selected[1]["line"]["width"]
    assert maps.SELECTED_LINE not in maps.POINT_COLOURS and maps.SELECTED_HALO not in maps.POINT_COLOURS


def test_legend_entries_use_the_width_a_projector_gives_them():
    """Two entries a row: 24 characters a line on a laptop's map (two charts side by side at 1024 px), 46 on a
    projector's (the map of presentation mode, ROOM_WIDTH less the upright colour bar: 810 px), 16 on a narrow
    one (a Fiche commune's column)."""
    long = "Mise à disposition auprès de particuliers, associations et collectivités"
    laptop = maps.legend_labels([long], maps.MAP_WIDTH_PX)[long].split("<br>")
    room = maps.legend_labels([long], maps.MAP_WIDTH_PRESENTATION_PX - maps.BAR_BESIDE_PX)[long].split("<br>")
    narrow = maps.legend_labels([long], 440)[long].split("<br>")
    assert laptop == ["Mise à disposition", "auprès de particuliers,", "associations et", "collectivités"]
    assert room == ["Mise à disposition auprès de particuliers,", "associations et collectivités"]
    assert max(len(s) for s in narrow) <= 16 and " ".join(narrow) == long
