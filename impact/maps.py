"""Plotly map builders (SVG, no network): data in, figure out — no database, no Streamlit.

A map is built as its plotly spec in plain dicts ({"data": [...], "layout": {...}}: choropleth, then
add_interventions, add_sieges, legend_below), made into a figure once (figure): each plotly update call on
a figure walks its property tree again, and cost the Carte page a third of its run.

Maps use plotly's geo subplot (choropleth / scattergeo traces, Mercator, no base layer): the browser draws
them in SVG. The MapLibre maps they replace (choroplethmap / scattermap) drew on a WebGL canvas, whose start
cost about 0,7 s on every page with a map in this project's benchmark (a laptop without a graphics driver draws
WebGL with its processor); a geo subplot asks for its base layers' TopoJSON even when none is shown, and gets
an empty one served by the dashboard itself (static/, charts.TOPOJSON_URL), never plotly's CDN. The names of the
communes are a text trace placed at a point inside each commune (name_annotations, then names_trace); every
name and value is also in the hover text and in the table under the map. Colour is never the only cue: every
value is in the hover, points carry their kind in the legend, head offices are rings whereas interventions are
filled dots.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import math
import textwrap
from collections.abc import Iterable

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import shapely.geometry
import shapely.ops

from impact import fmt, privacy
from impact.chart_margins import LAPTOP_WIDTH, ROOM_WIDTH
from impact.charts import FONT, SEPARATORS, merge
from impact.filters import Filtres
from impact.indicators.territoire import POSITION_COMMUNE, interventions, on_ring

# Geo's default scope and resolution: the TopoJSON charts.TOPOJSON_URL must serve.
TOPOJSON_FILES = ("world_110m.json",)
# Sequential scale for the communes: light for little, dark blue for much (readable on a projector,
# and the points drawn on top use warm or dark colours).
COLORSCALE = [[0.0, "#f1f6fb"], [0.25, "#c6dbef"], [0.5, "#6baed6"], [0.75, "#2171b5"], [1.0, "#08306b"]]
# Points: warm and dark colours first so that they stand out from the blue communes. Twelve colours that an
# eye tells apart on a projector (CIE Lab distance of 20 or more between any two, and from the grey of the
# others and the black of the head offices: tests/unit/test_territoire.py); more values share the grey.
POINT_COLOURS = (
    "#D55E00",
    "#E69F00",
    "#CC79A7",
    "#009E73",
    "#B8A100",
    "#8E3B00",
    "#7B2D8E",
    "#E7298A",
    "#66A61E",
    "#666666",
    "#F0A0A0",
    "#7570B3",
)
# The selected commune: a thick black line in a white halo, that no point colour and no shade of blue takes for
# its own (it was the orange of the first point colour); the limits of the communes nouvelles are thinner.
SELECTED_LINE, SELECTED_HALO, SELECTED_PX = "#000000", "#ffffff", 4.5
MASQUE_FILL = "#d9d9d9"  # a commune whose count is masked in presentation mode: grey, hover "< 5"
LINE = "#3a3a3a"
TAILLE_MIN, TAILLE_MAX = 9, 34  # marker diameters in pixels
CONTOUR_PX = 4  # the dark outline makes each intervention this much wider (add_interventions)
SIEGE_PX = 24  # the diameter of a head office's ring (add_sieges)
SIEGE_CENTRE_PX = 12  # and of its white centre
HOVER_LINE = 40  # hover lines wrap at this many characters (at 16 px: a box narrower than a small map)
# In presentation mode the chart is at least ROOM_WIDTH (940 px) wide, the map fitted to it less BAR_BESIDE_PX:
# two entries a row of 405 px, 46 characters each (entries on four lines pushed the legend off the screen).
LEGEND_LINE_ROOM, ROOM_MAP_PX = 46, 800
LEGEND_LINE = 24  # legend entries wrap on lines of this many characters (two side by side in a 507 px chart: 1024 px, sidebar open)
# The zoom is computed for the width the map gets on the narrowest usual screen: a chart's whole width (the
# colour bar and the legend stand under the map, legend_below) on a 1280 px laptop with the sidebar open, and in
# presentation mode on a 1024 px projector. Fitted to a wider map, it was cut on both sides there (fitted to
# 680 px, it got 513). A wider screen gives the same map a white band on each side.
MAP_WIDTH_PX = LAPTOP_WIDTH
MAP_WIDTH_PRESENTATION_PX = ROOM_WIDTH
LEGEND_PX = 380  # right margin that holds the legend (a geo subplot does not make room for it by itself)
MAUGES = "Mauges Communauté"
NAME_FONT = 15  # px: the names of the communes on the map
MOVED_NAME_ON_COMMUNE = 0.6  # a name moved off its commune's best point keeps this share of its box on it
# Under the map drawn by choropleth: its horizontal colour bar (the map itself is height - BAR_PX).
BAR_PX = 90
NAME_HALO = "0 0 2px #fff, 0 0 2px #fff, 0 0 3px #fff, 0 0 4px #fff"  # CSS text-shadow of the names
NAME_ANNOTATION = "nom_commune"  # annotation name of the commune names (made into NAMES_TRACE)
NAMES_TRACE = "Noms des communes"  # the text trace that writes them on the map


def _bounds(geojson: dict, codes: Iterable[str]) -> tuple[float, float, float, float] | None:
    """(west, south, east, north) of the features whose id is in codes."""
    wanted = set(codes)
    xs: list[float] = []
    ys: list[float] = []
    for feature in geojson["features"]:
        if str(feature.get("id")) not in wanted:
            continue
        geom = feature["geometry"]
        polygons = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        for polygon in polygons:
            for ring in polygon:
                for x, y in ring:
                    xs.append(x)
                    ys.append(y)
    if not xs:
        return None
    return min(xs), min(ys), max(xs), max(ys)


def _mercator_y(lat):
    """Web Mercator's y of a latitude in degrees (a number or an array), in radians."""
    return np.log(np.tan(np.pi / 4 + np.radians(lat) / 2))


def fit_view(
    bounds: tuple[float, float, float, float], *, width: int = 900, height: int = 700, margin: float = 0.08
) -> tuple[dict, float]:
    """Center and zoom (Web Mercator, 512-pixel tiles) so that bounds fill the map, with a margin (geo_ranges
    makes them the ranges of the geo subplot).

    The width is that of the map area on a usual screen (the plot stretches, the legend takes the right side).
    """
    west, south, east, north = bounds
    usable_w, usable_h = width * (1 - 2 * margin), height * (1 - 2 * margin)
    dx = max(east - west, 1e-6)
    dy = max(_mercator_y(north) - _mercator_y(south), 1e-9)
    zoom_x = math.log2(usable_w * 360 / (512 * dx))
    zoom_y = math.log2(usable_h * 2 * math.pi / (512 * dy))
    center_y = (_mercator_y(north) + _mercator_y(south)) / 2
    center_lat = math.degrees(2 * math.atan(math.exp(center_y)) - math.pi / 2)
    return {"lat": center_lat, "lon": (west + east) / 2}, round(min(zoom_x, zoom_y), 2)


def fitted_height(bounds: tuple[float, float, float, float], zoom: float, margin: float = 0.08) -> int:
    """The height (pixels) the bounds take at `zoom` with fit_view's margin: a map wider than tall needs no
    more, and any more is a blank band above and below the communes."""
    _west, south, _east, north = bounds
    drawn = 512 * 2**zoom * (_mercator_y(north) - _mercator_y(south)) / (2 * math.pi)
    return math.ceil(drawn / (1 - 2 * margin)) + 2  # + 2: the rounding of the zoom never makes it bind


def geo_ranges(center: dict, zoom: float, width: float, height: float) -> dict:
    """The geo subplot's longitude and latitude ranges that show, on a map of width x height pixels, what a
    Web Mercator view of this centre and zoom (512-pixel tiles, fit_view) shows: plotly fits the box of these
    ranges to the subplot, so the communes get the size fit_view gave them (on a narrower subplot, all of them
    smaller; on a wider one, the same with white on both sides)."""
    scale = 512 * 2**zoom
    half_lon = width / 2 / scale * 360
    cy = float(_mercator_y(center["lat"]))
    half_y = height / 2 / scale * 2 * math.pi
    return {
        "lonaxis": {"range": [center["lon"] - half_lon, center["lon"] + half_lon]},
        "lataxis": {"range": [_latitude(cy - half_y), _latitude(cy + half_y)]},
    }


def _latitude(mercator_y: float) -> float:
    """The latitude in degrees of a Web Mercator y in radians (the inverse of _mercator_y)."""
    return math.degrees(2 * math.atan(math.exp(mercator_y)) - math.pi / 2)


def _clockwise(geometry: dict) -> dict:
    """A (Multi)Polygon with its outer rings clockwise and its holes anticlockwise, as plotly's geo subplot
    (d3-geo, on the sphere) reads them: our GeoJSON files follow RFC 7946 (the other way round), which d3 would
    draw as the whole world but the commune."""

    def signed_area(ring: list) -> float:
        return sum(x0 * y1 - x1 * y0 for (x0, y0, *_), (x1, y1, *_) in itertools.pairwise(ring)) / 2

    def polygon(rings: list) -> list:
        out = []
        for i, ring in enumerate(rings):
            clockwise = signed_area(ring) < 0
            out.append(ring if clockwise == (i == 0) else ring[::-1])
        return out

    if geometry["type"] == "Polygon":
        return {**geometry, "coordinates": polygon(geometry["coordinates"])}
    if geometry["type"] == "MultiPolygon":
        return {**geometry, "coordinates": [polygon(rings) for rings in geometry["coordinates"]]}
    return geometry


def names_trace(notes: list[dict], center: dict, zoom: float) -> dict:
    """The names placed by name_annotations (pixel offsets from the centre of a map at this centre and zoom)
    as a text trace at their longitude and latitude: on a subplot narrower than planned, where plotly draws
    every commune smaller, each name stays on its commune."""
    scale = 512 * 2**zoom
    cy = float(_mercator_y(center["lat"]))
    first = notes[0]["font"] if notes else {}
    return {
        "type": "scattergeo",
        "mode": "text",
        "lon": [center["lon"] + n["xshift"] / scale * 360 for n in notes],
        "lat": [_latitude(cy + n["yshift"] / scale * 2 * math.pi) for n in notes],
        "text": [n["text"] for n in notes],
        "textposition": "middle center",
        "textfont": {
            "size": [n["font"]["size"] for n in notes],
            "color": first.get("color", "#111111"),
            "family": first.get("family", FONT),
            "shadow": NAME_HALO,
        },
        "hoverinfo": "skip",
        "showlegend": False,
        "name": NAMES_TRACE,
    }


def _name_lines(name: str) -> str:
    """A commune's name on one or two lines, broken at its first hyphen ("Beaupréau-<br>en-Mauges")."""
    if len(name) <= 12:
        return name
    head, sep, tail = name.partition("-")
    if not sep:
        head, sep, tail = name.partition(" ")
        return f"{head}<br>{tail}" if sep else name
    return f"{head}-<br>{tail}"


def _inside_point(geometry: dict) -> tuple[float, float]:
    """(lon, lat) of a point well inside the largest polygon of a geometry (its pole of inaccessibility)."""
    shape = shapely.geometry.shape(geometry)
    if shape.geom_type == "MultiPolygon":
        shape = max(shape.geoms, key=lambda g: g.area)
    point = shapely.ops.polylabel(shape, tolerance=0.0005)
    return point.x, point.y


def name_annotations(
    source: dict,
    codes: Iterable[str],
    center: dict,
    zoom: float,
    area: tuple[float, float],
    *,
    font_size: int = NAME_FONT,
    dots: Iterable[tuple[float, float, float]] = (),
) -> list[dict]:
    """The annotations writing the names of the features of `source` whose id is in codes on the map, at a
    point inside each one, largest first, inside the map's area (width, height in pixels); a name that finds no room that
    covers no other name is left out (it stays in the hover).

    dots: (lon, lat, diameter in pixels) of the points drawn on the map (name_clearance). Of the places a name
    may take on its commune, it takes the one that hides the least of them (weighted by their area), the first
    one tried when several hide none: a name stands on no intervention or head office when its commune has
    room beside them.

    Each annotation holds the pixel offset of its name from the map's centre at its zoom (Web Mercator,
    512-pixel tiles: the scale the communes are drawn at, geo_ranges); names_trace writes them at the longitude
    and latitude of that spot. The map must not be zoomed or dragged by the reader (dragmode False, no scroll
    zoom).
    """
    wanted = {str(c) for c in codes}
    scale = 512 * 2**zoom
    cy = _mercator_y(center["lat"])

    def pixels(lon, lat):
        """Offsets in pixels from the map's centre, y upwards (numbers or arrays)."""
        return (np.asarray(lon) - center["lon"]) / 360 * scale, (_mercator_y(lat) - cy) / (2 * np.pi) * scale

    def pixel_shape(geometry: dict):
        return shapely.transform(shapely.geometry.shape(geometry), lambda xy: np.column_stack(pixels(*xy.T)))

    feats = [f for f in source["features"] if str(f.get("id")) in wanted]
    feats.sort(key=lambda f: -shapely.geometry.shape(f["geometry"]).area)
    marks = np.asarray(list(dots), dtype=float).reshape(-1, 3)  # a 100-times folder draws 8 000 dots
    mx, my = pixels(marks[:, 0], marks[:, 1])
    mr = marks[:, 2] / 2  # radii, in pixels
    placed: list[tuple[float, float, float, float]] = []
    notes: list[dict] = []
    for feature in feats:
        shape = pixel_shape(feature["geometry"])
        x0, y0 = (float(v) for v in pixels(*_inside_point(feature["geometry"])))
        text = _name_lines(str(feature["properties"].get("nom") or feature["id"]))
        lines = text.split("<br>")
        # The best point first, then around it, as long as it stays in the commune and mostly on it; then
        # the same in a smaller type when the name found no room at all.
        best = None
        for size in (font_size, font_size - 2):
            w = 0.56 * size * max(len(line) for line in lines) + 8
            h = 1.3 * size * len(lines) + 6
            offsets = (
                (0, 0), (0, h), (0, -h), (-w / 2, 0), (w / 2, 0), (-w / 2, h), (w / 2, h), (-w / 2, -h),
                (w / 2, -h), (0, 2 * h), (0, -2 * h), (-w, 0), (w, 0),
            )  # fmt: skip
            for ox, oy in offsets:
                dx, dy = x0 + ox, y0 + oy
                box = (dx - w / 2, dy - h / 2, dx + w / 2, dy + h / 2)
                inside_map = abs(dx) + w / 2 <= area[0] / 2 and abs(dy) + h / 2 <= area[1] / 2
                free = not any(
                    box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in placed
                )
                if not (inside_map and free and shape.contains(shapely.geometry.Point(dx, dy))):
                    continue
                on_it = shape.intersection(shapely.geometry.box(*box)).area / (w * h)
                if (ox, oy) != (0, 0) and on_it < MOVED_NAME_ON_COMMUNE:
                    continue
                hidden = float((mr**2)[_boxes_meet_circles(box, mx, my, mr)].sum())
                if best is None or hidden < best[0]:
                    best = (hidden, dx, dy, box, size)
                if hidden == 0:
                    break
            if best is not None:
                break
        if best is None:
            continue
        _hidden, dx, dy, box, size = best
        placed.append(box)
        notes.append(
            {
                "name": NAME_ANNOTATION,
                "text": text,
                "x": 0.5,
                "y": 0.5,
                "xref": "paper",
                "yref": "paper",
                "xshift": dx,
                "yshift": dy,
                "showarrow": False,
                # A white halo, not a box: a name readable over any shade leaves the points beside it in
                # sight (a box hid those it could not avoid).
                "font": {"size": size, "color": "#111111", "family": FONT, "shadow": NAME_HALO},
                "align": "center",
            }
        )
    return notes


def _boxes_meet_circles(box: tuple[float, float, float, float], x, y, r) -> np.ndarray:
    """Which discs (centres x, y, radii r: arrays) a rectangle (left, bottom, right, top) overlaps."""
    return (np.clip(x, box[0], box[2]) - x) ** 2 + (np.clip(y, box[1], box[3]) - y) ** 2 < r * r


def name_clearance(dots: pd.DataFrame | None = None, sieges: pd.DataFrame | None = None) -> list:
    """(lon, lat, diameter in pixels) of what add_interventions and add_sieges draw for these dots (maps.dots) and
    head offices, for choropleth's names to keep clear of (name_annotations)."""
    out: list[tuple[float, float, float]] = []
    if dots is not None and not dots.empty:
        sizes = _sizes(dots["heures"], float(dots["heures"].max())) + CONTOUR_PX
        out += zip(dots["lon"].astype(float), dots["lat"].astype(float), sizes, strict=True)
    if sieges is not None and not sieges.empty:
        out += ((float(lo), float(la), SIEGE_PX) for lo, la in zip(sieges["lon"], sieges["lat"], strict=True))
    return out


def _outline_coords(geojson: dict, codes: Iterable[str]) -> tuple[list, list]:
    """Exterior rings of the features as one line path (None between rings), for a Scattergeo lines trace."""
    wanted = set(codes)
    lats: list[float | None] = []
    lons: list[float | None] = []
    for feature in geojson["features"]:
        if str(feature.get("id")) not in wanted:
            continue
        geom = feature["geometry"]
        polygons = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        for polygon in polygons:
            ring = polygon[0]
            lons.extend([p[0] for p in ring] + [None])
            lats.extend([p[1] for p in ring] + [None])
    return lats, lons


def colorbar_title(label: str, unit: str) -> str:
    """The colour bar's title: the indicator, and its unit when the label does not name it already
    ("Heures réalisées", not "Heures réalisées (heures)")."""
    named = not unit or unit.split()[0].lower() in label.lower()
    return _wrap(label, 28) if named else f"{_wrap(label, 28)}<br>({unit})"


def _value_text(value, unit: str, decimals: int = 0) -> str:
    if isinstance(value, str):
        return value
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return fmt.DASH
    return f"{fmt.number(value, decimals)}{fmt.NBSP}{unit}" if unit else fmt.number(value, decimals)


def _hover(lines: list[str]) -> str:
    """Hover text on short lines: a hover box wider than a small map is cut at its edges."""
    out = []
    for line in lines:
        bold = line.startswith("<b>") and line.endswith("</b>")
        text = line[3:-4] if bold else line
        out.extend(f"<b>{p}</b>" if bold else p for p in _hover_lines(text))
    return "<br>".join(out)


_WRAP_SPACES = frozenset(" \t\n\x0b\x0c\r")  # what textwrap splits on, strips and replaces


@functools.lru_cache(maxsize=16_384)  # names of structures, activities and places recur on thousands of dots
def _hover_lines(text: str) -> tuple[str, ...]:
    if len(text) <= HOVER_LINE and not (_WRAP_SPACES & {text[:1], text[-1:]}) and text.isprintable():
        return (text,)  # what textwrap gives for a short line, without its cost (8 000 dots: 0,8 s)
    return tuple(textwrap.wrap(text, HOVER_LINE, break_long_words=False, break_on_hyphens=False) or [text])


def commune_hover(row: pd.Series) -> str:
    """The hover of a commune: its name, its commune nouvelle, its EPCI and the four indicators, in French."""
    lines = [f"<b>{row['commune']}</b>"]
    if row["commune_nouvelle"] != row["commune"]:
        lines.append(f"Commune nouvelle : {row['commune_nouvelle']}")
    lines.append(str(row["epci"]))
    lines.append(f"Heures réalisées : {_value_text(row['heures'], 'h')}")
    lines.append(f"Interventions : {_value_text(row['interventions'], '')}")
    lines.append(f"Personnes résidentes employées : {_value_text(row['personnes'], '')}")
    lines.append(f"Heures pour 1 000 habitants : {_value_text(row['heures_1000_hab'], 'h', 1)}")
    lines.append(f"Population : {_value_text(row['population'], 'hab.')}")
    return _hover(lines)


def masked_table(communes: pd.DataFrame, presentation: bool) -> pd.DataFrame:
    """The commune table as shown: people counts below 5 read "< 5" in presentation mode (privacy rule)."""
    if not presentation:
        return communes
    return privacy.mask_counts(communes, ["personnes"])


def choropleth(
    geojson: dict,
    communes: pd.DataFrame,
    *,
    column: str,
    label: str,
    unit: str,
    presentation: bool = False,
    selected: Iterable[str] = (),
    outlines: dict | None = None,
    height: int = 640,
    width: int = MAP_WIDTH_PX,
    names: bool = True,
    clear_of: Iterable[tuple[float, float, float]] = (),
) -> dict:
    """The spec of a map of the communes coloured by `column` (a column of indicators.territoire.par_commune).

    customdata of every commune: [code_insee, code_commune_nouvelle, commune_nouvelle (name)], read back
    when a commune is clicked. outlines: a coarser level (communes nouvelles) drawn as thick lines on top;
    selected: codes of communes nouvelles outlined in orange (the communes of the dashboard's filter).
    width: the width in pixels the map is expected to get, to fit the zoom to the drawn communes (and to keep
    the names within it).
    In presentation mode a masked people count shows as a grey commune whose hover reads "< 5".
    names: the communes of Mauges Communauté named on the map, clear_of the dots the page adds when it can
    (name_clearance).
    """
    shown = masked_table(communes, presentation)
    hover = shown.apply(commune_hover, axis=1).tolist() if len(shown) else []
    custom = (
        np.column_stack(
            [shown["code_insee"], shown["code_commune_nouvelle"], shown["commune_nouvelle"], hover]
        )
        if len(shown)
        else None
    )
    values = pd.to_numeric(shown[column], errors="coerce")  # "< 5" -> NaN: not coloured
    # The traces carry only the features they draw: plotly draws the feature of each location and ignores the
    # others, which the page would send and the browser read for nothing (51 features for the 10 communes of
    # Mauges Communauté, 109 for the communes déléguées of one commune's fiche).
    drawn = set(shown["code_insee"].astype(str))
    features = [
        {**f, "geometry": _clockwise(f["geometry"])} for f in geojson["features"] if str(f.get("id")) in drawn
    ]
    common = {
        "geojson": {**geojson, "features": features},
        "featureidkey": "id",
        "hovertemplate": "%{customdata[3]}<extra></extra>",
    }
    known = values.notna().to_numpy()
    vmax = float(values.max()) if known.any() else 1.0
    data = [
        # Base layer: every commune, grey, so that a masked or unknown value is still drawn and hoverable.
        {
            "type": "choropleth",
            "locations": shown["code_insee"],
            "z": np.zeros(len(shown)),
            "customdata": custom,
            "colorscale": [[0, MASQUE_FILL], [1, MASQUE_FILL]],
            "showscale": False,
            "marker": {"line": {"color": LINE, "width": 0.8}, "opacity": 1},
            "name": "Valeur masquée ou inconnue",
            "showlegend": False,
            **common,
        },
        {
            "type": "choropleth",
            "locations": shown["code_insee"][known],
            "z": values[known],
            "customdata": custom[known] if custom is not None else None,
            "colorscale": COLORSCALE,
            "zmin": 0,
            "zmax": vmax if vmax > 0 else 1,
            "marker": {"line": {"color": LINE, "width": 0.8}, "opacity": 0.9},
            "colorbar": {
                "title": {"text": colorbar_title(label, unit), "side": "top", "font": {"size": 16}},
                "orientation": "h",
                "x": 0,
                "xanchor": "left",
                "y": -0.02,
                "yanchor": "top",
                "len": 0.6,
                "thickness": 18,
                "tickfont": {"size": 15},
                "tickformat": ",~r",
                "separatethousands": True,
            },
            "name": label,
            "showlegend": False,
            **common,
        },
    ]
    if outlines is not None:
        codes = set(shown["code_commune_nouvelle"])
        lat, lon = _outline_coords(outlines, codes)
        data.append(
            {
                "type": "scattergeo",
                "lat": lat,
                "lon": lon,
                "mode": "lines",
                "line": {"color": "#000000", "width": 2.2},
                "hoverinfo": "skip",
                "name": "Limite de commune nouvelle",
                "showlegend": True,
            }
        )
    selected = [c for c in selected if c]
    if selected:
        lat, lon = _outline_coords(outlines if outlines is not None else geojson, selected)
        data.append(
            {
                "type": "scattergeo",
                "lat": lat,
                "lon": lon,
                "mode": "lines",
                "line": {"color": SELECTED_HALO, "width": SELECTED_PX + 5},
                "hoverinfo": "skip",
                "showlegend": False,
            }
        )
        data.append(
            {
                "type": "scattergeo",
                "lat": lat,
                "lon": lon,
                "mode": "lines",
                "line": {"color": SELECTED_LINE, "width": SELECTED_PX},
                "hoverinfo": "skip",
                "name": "Commune sélectionnée",
                "showlegend": True,
            }
        )
    bounds = _bounds(geojson, shown["code_insee"])
    center, zoom = (
        fit_view(bounds, width=width, height=height - BAR_PX) if bounds else ({"lat": 47.25, "lon": -0.95}, 9)
    )
    if bounds:  # as tall as the communes drawn at that zoom (`height` at most): no blank band over the map
        height = min(height, fitted_height(bounds, zoom) + BAR_PX)
    notes = []
    if names:
        # The six communes nouvelles of Mauges Communauté (at the déléguée level, from their outlines), or
        # on a one-commune map its communes déléguées.
        source = outlines if outlines is not None else geojson
        level_codes = shown["code_commune_nouvelle"] if outlines is not None else shown["code_insee"]
        mauges = {str(f["id"]) for f in source["features"] if f["properties"].get("epci") == MAUGES}
        area = (width, height - BAR_PX)  # where the page expects the map (the test checks the real one)
        notes = name_annotations(
            source, set(level_codes.astype(str)) & mauges, center, zoom, area, dots=clear_of
        )
    layout = {
        "geo": {
            "visible": False,  # no base layer: the communes are the map
            "projection": {"type": "mercator"},
            **geo_ranges(center, zoom, width, height - BAR_PX),
            "bgcolor": "rgba(0,0,0,0)",
            "showframe": False,
        },
        "height": height,
        "margin": {"l": 0, "r": LEGEND_PX, "t": 0, "b": BAR_PX},
        "separators": SEPARATORS,
        "font": {"family": FONT, "size": 16, "color": "#1a1a1a"},
        "hoverlabel": {
            "font": {"size": 16, "family": FONT, "color": "#111111"},
            "bgcolor": "white",
            "bordercolor": "#333333",
        },
        "legend": {
            "x": 1.01,
            "xanchor": "left",
            "y": 0.93,  # below the mode bar
            "yanchor": "top",
            "bgcolor": "rgba(255,255,255,0.92)",
            "bordercolor": "#999",
            "borderwidth": 1,
            "font": {"size": 15},
            "itemsizing": "constant",
        },
        "clickmode": "event+select",
        "dragmode": False,
        "meta": {"largeur": width, "bornes": list(bounds) if bounds else None},
    }
    # The names are written over every dot the page adds: figure() draws them last.
    return {"data": data, "layout": layout, NAMES_TRACE: names_trace(notes, center, zoom) if notes else None}


def legend_labels(values: list[str], width: int = 900) -> dict[str, str]:
    """Legend labels: the whole text, on lines of at most LEGEND_LINE characters, fewer on a narrow map, more on
    a projector's (LEGEND_LINE_ROOM; never cut with "…": the legend is the only place a colour is named)."""
    line = LEGEND_LINE_ROOM if width >= ROOM_MAP_PX else LEGEND_LINE if width >= 600 else LEGEND_LINE * 2 // 3
    return {v: "<br>".join(textwrap.wrap(v, line, break_long_words=False)) or v for v in values}


def _sizes(hours: pd.Series, hmax: float) -> np.ndarray:
    if hmax <= 0:
        return np.full(len(hours), TAILLE_MIN, dtype=float)
    return TAILLE_MIN + (TAILLE_MAX - TAILLE_MIN) * np.sqrt(hours.clip(lower=0).to_numpy(float) / hmax)


def intervention_hover(row: pd.Series) -> str:
    lines = [f"<b>{row['activite']}</b>", str(row["structure_nom"])]
    if isinstance(row.get("lieu"), str) and row["lieu"]:
        lines.append(f"Lieu : {row['lieu']}")
    lines.append(f"Marché ou partenariat : {row['marche']}")
    lines.append(f"Heures sur la période : {fmt.hours(row['heures'])}")
    debut = fmt.day(row["date_debut"]) if pd.notna(row["date_debut"]) else fmt.DASH
    fin = fmt.day(row["date_fin"]) if pd.notna(row["date_fin"]) else "en cours"
    lines.append(f"Du {debut} au {fin}" if fin != "en cours" else f"Depuis le {debut}")
    if row["position"] == "point GPS":
        lines.append(f"Position : point GPS ({row['commune']})")
    else:
        lines.append(f"Position approximative : pas de point GPS, placée dans la commune ({row['commune']})")
    return _hover(lines)


# The hover texts of the last sets of points drawn: each rerun of a map (a click on a commune, a filter, another
# colouring) draws the same points again, and 8 000 texts (a 100× folder) take a quarter of a second to write.
_HOVERS: dict[bytes, list[str]] = {}
_HOVERS_KEPT = 8


def intervention_hovers(points: pd.DataFrame) -> list[str]:
    """intervention_hover of every row of points, in order; computed once for the same content."""
    key = hashlib.sha256(pd.util.hash_pandas_object(points, index=False).to_numpy().tobytes()).digest()
    hover = _HOVERS.get(key)
    if hover is None:
        hover = [intervention_hover(row) for row in points.to_dict("records")]  # no Series built per row
        while len(_HOVERS) >= _HOVERS_KEPT:
            _HOVERS.pop(next(iter(_HOVERS)), None)
        _HOVERS[key] = hover
    return list(hover)


# The legend of the points names at most as many values as there are point colours (a colour never stands for
# two values); beyond, the largest by hours keep theirs and the others share one grey entry, "Les 1 190
# autres" (a 100-times folder colours by 1 200 structures). Every point keeps its own hover.
OTHERS_COLOUR = "#bdbdbd"


def figure(spec: dict) -> go.Figure:
    """The figure of a map's spec, made in one step (plotly checks every property once), on plotly's own
    template; the names of the communes are drawn last, over the dots."""
    names = spec.get(NAMES_TRACE)
    return go.Figure({"data": [*spec["data"], *([names] if names else [])], "layout": spec["layout"]})


# Beyond this many interventions (a 100-times folder: 8 000), the dots of one legend entry standing in the same
# square of about CELL_DEG (in latitude; as long in longitude) become one: a cloud of thousands of dots reads no
# better than its squares, and costs the browser seconds. Every intervention stays in the list under the map.
MAX_DOTS = 1_500
CELL_DEG = 0.005  # about 550 m
SHARED_RING_DEG = 0.012  # the ring of a commune's shared dots without GPS point (a dozen pixels on the Carte)
DOT_COLUMNS = ["lat", "lon", "heures", "code_deleguee", "code_nouvelle", "entree", "couleur", "n", "hover"]


def dots(points: pd.DataFrame, color: str, label: str) -> pd.DataFrame:
    """The dots that draw these interventions, in the legend's order: DOT_COLUMNS, where entree is the dot's
    legend entry (a value of `color`, or "Les N autres" sharing the grey beyond the POINT_COLOURS), n the number
    of interventions it stands for, hover its text. One dot per intervention; beyond MAX_DOTS, one per square of
    about CELL_DEG and legend entry, at the middle of its interventions, with their hours (label: what `color`
    is, for the hover of a shared dot: "Activité")."""
    if points.empty:
        return pd.DataFrame(columns=DOT_COLUMNS)
    order = [str(v) for v in points.groupby(color)["heures"].sum().sort_values(ascending=False).index]
    values = points[color].astype(str)
    others = order[len(POINT_COLOURS) - 1 :] if len(order) > len(POINT_COLOURS) else []
    if others:
        order = order[: len(POINT_COLOURS) - 1]
        autres = f"Les {fmt.integer(len(others))} autres"
        values = values.where(~values.isin(others), autres)
        order.append(autres)
    colours = {v: POINT_COLOURS[i] for i, v in enumerate(order)}
    if others:
        colours[order[-1]] = OTHERS_COLOUR
    frame = pd.DataFrame(
        {
            "lat": points["lat"].astype(float).to_numpy(),
            "lon": points["lon"].astype(float).to_numpy(),
            "heures": points["heures"].astype(float).to_numpy(),
            "code_deleguee": points["code_deleguee"].astype(object).to_numpy(),
            "code_nouvelle": points["code_nouvelle"].astype(object).to_numpy(),
            "entree": values.to_numpy(),
            "couleur": values.map(colours).to_numpy(),
            "n": 1,
            "commune": points["commune"].to_numpy(),
        }
    )
    if len(frame) > MAX_DOTS:
        frame = _shared_dots(frame, points, label)
    else:
        frame["hover"] = intervention_hovers(points)
    rank = {v: i for i, v in enumerate(order)}
    return frame.sort_values("entree", key=lambda e: e.map(rank), kind="stable")[DOT_COLUMNS].reset_index(
        drop=True
    )


def interventions_dots(db, f, color: str, label: str) -> pd.DataFrame:
    """The dots (see dots) of the interventions of the selection f: a page asks for them through
    impact.view.call, computed once per data version and arguments (8 000 interventions at 100× take 0,13 s to
    group)."""
    return dots(interventions(db, f), color, label)


def commune_dots(db, code: str, annee: int) -> pd.DataFrame:
    """The dots of a commune's sheet (Fiche commune): the interventions of the commune nouvelle `code` with hours
    in the year, coloured by structure (through impact.view, like interventions_dots)."""
    points = interventions(db, Filtres.annee(annee, communes=(code,)))
    return dots(
        points[(points["code_nouvelle"] == code) & (points["heures"] > 0)], "structure_nom", "Structure"
    )


def _ring_per_commune(shared: pd.DataFrame, frame: pd.DataFrame) -> None:
    """The shared dots of interventions without GPS point: at the centre of their commune's ring, or spread on a
    ring of SHARED_RING_DEG around it when the commune has several (one per legend entry, the most hours first),
    so that none stands on another's centre."""
    approx = frame[frame["_approx"]]
    if approx.empty:
        return
    centre = approx.groupby("code_deleguee")[["lat", "lon"]].mean()
    groups = approx.groupby("_key").agg(commune=("code_deleguee", "first"), heures=("heures", "sum"))
    for commune, part in groups.groupby("commune", sort=False):
        keys = part["heures"].sort_values(ascending=False, kind="stable").index.tolist()
        clat, clon = centre.at[commune, "lat"], centre.at[commune, "lon"]
        for k, key in enumerate(keys):
            shared.at[key, "lat"], shared.at[key, "lon"] = on_ring(clat, clon, k, len(keys), SHARED_RING_DEG)


def _shared_dots(frame: pd.DataFrame, points: pd.DataFrame, label: str) -> pd.DataFrame:
    """One dot per square of about CELL_DEG and legend entry (dots), or for interventions without GPS point one
    per commune déléguée and legend entry: frame holds one row per row of points; a dot of one intervention keeps
    its own hover."""
    lat = frame["lat"].to_numpy()
    square = (
        np.floor(lat / CELL_DEG).astype(int).astype(str)
        + ":"
        + np.floor(frame["lon"].to_numpy() * np.cos(np.radians(lat)) / CELL_DEG).astype(int).astype(str)
    )
    # An intervention without GPS point stands on a small ring in its commune (territoire.interventions): its
    # place is approximate, its commune is what it says. Those of one commune and one entry share one dot.
    approx = (
        (points["position"] == POSITION_COMMUNE).to_numpy()
        if "position" in points
        else np.zeros(len(frame), bool)
    )
    place = np.where(approx, "commune:" + frame["code_deleguee"].astype(str), "carre:" + square)
    cells = pd.DataFrame({"place": place, "entree": frame["entree"]})
    key = cells.groupby(["place", "entree"], sort=False).ngroup().to_numpy()
    frame = frame.assign(_key=key, _row=np.arange(len(frame)))
    # The intervention with the most hours in a dot gives it its commune (a click on the dot filters to it).
    biggest = frame.loc[frame.groupby("_key")["heures"].idxmax()].set_index("_key")
    shared = frame.groupby("_key").agg(
        lat=("lat", "mean"),
        lon=("lon", "mean"),
        heures=("heures", "sum"),
        n=("n", "sum"),
        entree=("entree", "first"),
    )
    _ring_per_commune(shared, frame.assign(_approx=approx))
    shared["code_deleguee"] = biggest["code_deleguee"]
    shared["code_nouvelle"] = biggest["code_nouvelle"]
    shared["couleur"] = biggest["couleur"]
    alone = frame.groupby("_key").head(1).set_index("_key")
    alone = alone[shared.loc[alone.index, "n"] == 1]
    single = dict(
        zip(
            alone.index,
            (intervention_hover(r) for r in points.iloc[alone["_row"]].to_dict("records")),
            strict=True,
        )
    )
    communes = frame.groupby("_key")["commune"].agg(
        lambda c: sorted({str(v) for v in c if isinstance(v, str)})
    )
    shared["hover"] = [
        single[k]
        if shared.at[k, "n"] == 1
        else _hover(
            [
                f"<b>{fmt.integer(shared.at[k, 'n'])} interventions proches</b>",
                f"{label} : {shared.at[k, 'entree']}",
                f"Heures sur la période : {fmt.hours(shared.at[k, 'heures'])}",
                ("Commune : " if len(communes[k]) == 1 else "Communes : ") + ", ".join(communes[k]),
                "Chacune est dans la liste sous la carte.",
            ]
        )
        for k in shared.index
    ]
    shared["commune"] = None
    return shared.reset_index(drop=True)


def add_interventions(spec: dict, dots: pd.DataFrame, *, legend_title: str) -> dict:
    """Interventions as dots (maps.dots) sized by their hours in the period, one legend entry per colour.

    Each dot has a dark outline (CONTOUR_PX wider in all), so that light colours stay visible on dark communes.
    """
    if dots.empty:
        return spec
    sizes = _sizes(dots["heures"], float(dots["heures"].max()))
    # Clicking a dot selects the commune where it is placed: [code at the déléguée level, commune nouvelle].
    custom = np.column_stack([dots["code_deleguee"].astype(object), dots["code_nouvelle"].astype(object)])
    entries = list(dict.fromkeys(dots["entree"]))
    names = legend_labels(entries, (spec["layout"].get("meta") or {}).get("largeur", 900))
    outline = CONTOUR_PX / 2  # an SVG outline is drawn astride the dot's edge
    entree = dots["entree"].to_numpy()
    for i, entry in enumerate(entries):
        mask = entree == entry
        spec["data"].append(
            {
                "type": "scattergeo",
                "lat": dots["lat"][mask],
                "lon": dots["lon"][mask],
                "mode": "markers",
                "marker": {
                    "size": sizes[mask] + outline,
                    "color": dots["couleur"][mask].iloc[0],
                    "opacity": 0.95,
                    "line": {"color": "#1a1a1a", "width": outline},
                },
                "hovertext": dots["hover"][mask].tolist(),
                "hoverinfo": "text",
                "customdata": custom[mask],
                "name": names[entry],
                "legendgroup": "interventions",
                "legendgrouptitle": {"text": legend_title} if i == 0 else None,
            }
        )
    return spec


def add_sieges(spec: dict, sieges: pd.DataFrame) -> dict:
    """Head offices as rings (a white dot in a thick black circle), named "Siège de structure" in the legend,
    where the ring is drawn as on the map."""
    if sieges.empty:
        return spec
    # Structures sharing a commune would hide each other: their names go into one hover.
    groups = sieges.groupby(["lat", "lon"], sort=False)
    lat, lon, hover = [], [], []
    for (la, lo), part in groups:
        lat.append(la)
        lon.append(lo)
        names = "<br>".join(f"{n} ({t})" for n, t in zip(part["nom"], part["type"], strict=True))
        kind = "Siège de structure" if len(part) == 1 else f"Sièges de {len(part)} structures"
        hover.append(f"<b>{kind}</b> — {part['commune'].iloc[0]}<br>{names}")
    ring = (SIEGE_PX - SIEGE_CENTRE_PX) / 2
    spec["data"].append(
        {
            "type": "scattergeo",
            "lat": lat,
            "lon": lon,
            "mode": "markers",
            "hovertext": hover,
            "hoverinfo": "text",
            # The outline is drawn astride the edge: the ring is SIEGE_PX wide outside, SIEGE_CENTRE_PX inside.
            "marker": {
                "size": SIEGE_PX - ring,
                "color": "#ffffff",
                "line": {"color": "#000000", "width": ring},
            },
            "name": "Siège de structure (anneau)",
            "legendgroup": "sieges",
        }
    )
    return spec


def _wrap(text: str, width: int) -> str:
    """A colour-bar title on lines of about `width` characters (a long one would be cut at the edge)."""
    return "<br>".join(textwrap.wrap(text, width)) or text


LEGEND_ROW_PX = 23  # a line of legend text
LEGEND_GAP_PX = 6  # between the points' legend and the second one (legend_below)


def _legend_rows(traces: list[dict]) -> int:
    """Lines of text of a legend of these entries, two a row (at most widths), a name on several lines taller."""
    lines = [str(t.get("name")).count("<br>") + 1 for t in traces]
    return sum(max(lines[i : i + 2]) for i in range(0, len(lines), 2))


COLORBAR_BELOW_PX = 80  # a horizontal colour bar under the map: its one-line title, the bar, its ticks
BAR_BESIDE_PX = 130  # an upright one beside it (legend_below): the bar, its ticks ("5 000 000"), its title


def legend_below(spec: dict, *, bar_beside: bool = False) -> dict:
    """The colour bar and the legend under the map: the map has the chart's whole width, so that the communes
    fitted to it are whole on the narrowest usual screen (MAP_WIDTH_PX). Nothing is drawn over the communes.

    bar_beside: the colour bar stands upright in a right margin of BAR_BESIDE_PX instead (presentation mode: on
    a projector's first screen, under the page's title, a bar under the map fell below the screen's edge); the
    map must then have been fitted to the chart's width less BAR_BESIDE_PX."""
    data, layout = spec["data"], spec["layout"]
    # Entries flow in rows under the map (a legend group would stack them in one tall column).
    title = next(
        (t["legendgrouptitle"]["text"] for t in data if (t.get("legendgrouptitle") or {}).get("text")), None
    )
    shown = [t for t in data if t.get("showlegend") is not False]
    points = [t for t in shown if t.get("legendgroup") == "interventions"]
    # The points' title heads their entries only: what else the map draws (the limits of the communes
    # nouvelles, the selected commune, the head offices) has a second legend under them, without a title.
    others = [t for t in shown if t.get("legendgroup") != "interventions"] if points else []
    for trace in data:
        if trace["type"] == "scattergeo":
            trace["legendgroup"] = None
            trace["legendgrouptitle"] = None
    for trace in others:
        trace["legend"] = "legend2"
    look = {
        "orientation": "h",
        "x": 0,
        "xanchor": "left",
        "yanchor": "top",
        "bgcolor": "white",
        # No frame: a legend a chart wide had its right edge cut by the chart's own edge.
        "borderwidth": 0,
        # Two entries a row, each in half the width: the legend never runs past the figure's edge.
        "entrywidthmode": "fraction",
        "entrywidth": 0.5,
    }
    merge(
        layout,
        {
            # Fixed margins: the map keeps its size and place when the indicator changes (an auto-expanded
            # margin would move it).
            "margin": {"l": 0, "r": BAR_BESIDE_PX if bar_beside else 0, "t": 0, "b": 10, "autoexpand": False},
            "legend": look | {"title": {"text": f"{title} :" if title else None, "side": "top"}},
        },
    )
    # The colour bar and the legend get rows of their own under the map (the figure grows by their height):
    # the map keeps the size and zoom it was fitted to, and no legend entry is drawn over a commune.
    first_px = 40 + LEGEND_ROW_PX * _legend_rows(points or shown)
    second_px = LEGEND_GAP_PX + LEGEND_ROW_PX * _legend_rows(others) if others else 0
    legend_px = first_px + second_px
    map_px = (layout.get("height") or 600) - BAR_PX  # the height the map was fitted to (choropleth)
    bar_px = 0 if bar_beside else COLORBAR_BELOW_PX
    plot_px = map_px + bar_px + legend_px  # the figure less its bottom margin of 10 px
    below = (bar_px + legend_px) / plot_px
    layout["height"] = plot_px + 10
    merge(
        layout,
        {"geo": {"domain": {"x": [0, 1], "y": [below, 1]}}, "legend": {"y": legend_px / plot_px - 0.005}},
    )
    if others:
        layout["legend2"] = look | {"y": (second_px - LEGEND_GAP_PX) / plot_px}
    for trace in data:
        if trace["type"] != "choropleth":
            continue
        bar_title = (trace.get("colorbar") or {}).get("title") or {}
        if bar_title.get("text"):  # one line: "Heures pour 1 000 habitants"
            bar_title["text"] = bar_title["text"].replace("<br>", " ")
        if bar_beside:  # upright, along the map, its title read along it
            bar = {"orientation": "v", "x": 1, "xanchor": "left", "xpad": 14, "y": (1 + below) / 2}
            bar |= {"yanchor": "middle", "len": 0.8 * (1 - below), "title": {"side": "right"}}
        else:
            bar = {
                "orientation": "h",
                "x": 0,
                "xanchor": "left",
                "y": below - 0.01,
                "yanchor": "top",
                "len": 0.7,
            }
            bar["title"] = {"side": "top"}
        merge(trace, {"colorbar": {**bar, "thickness": 16}})
    return spec
