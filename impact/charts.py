"""Plotly figure builders: data in, figure out (no database, no Streamlit). French numbers, readable on a projector.

Colours come from the Okabe–Ito palette (safe for colour-blind readers); series are also told apart by
bar patterns, line dashes and markers, and values are written on the bars, so colour is never the only cue.
"""

from __future__ import annotations

import re
import textwrap

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from impact import filters, fmt
from impact.privacy import MARQUE

# Every figure goes to the browser through plotly's orjson engine: faster than the json module, French text in
# UTF-8 ("é" in 2 bytes, not "\u00e9" in 6). The map of a 100× folder: encoded in 67 ms instead of 103, 5,3 Mo
# instead of 5,6. Same figure once read by the browser.
pio.json.config.default_engine = "orjson"

PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000", "#B8A100")
PATTERNS = ("", "/", ".", "x", "-", "|", "+", "\\")
DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")
SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x", "cross", "star", "hexagon")
FONT = "DejaVu Sans, Arial, sans-serif"
# The maps (impact/maps.py) are plotly geo subplots: their trace types. A geo subplot asks for the TopoJSON of its
# base layers even when it shows none: the browser gets an empty one from the dashboard's own static folder
# (static/, served at app/static/ by .streamlit/config.toml, relative to the page), never from plotly's CDN.
MAP_TRACES = ("choropleth", "scattergeo")
TOPOJSON_URL = "app/static/"
SEPARATORS = ",\u202f"
INK = "#1a1a1a"  # every text of a chart: 17:1 on white  # decimal comma, narrow no-break space between thousands


def _set_template(fig: go.Figure, template=None) -> go.Figure:
    """Sets the template (plotly_white by default) the way plotly sets its default one: the registered
    template is assigned as it is, not validated and deep-copied again (25 ms a chart). Same JSON, same chart."""
    layout = fig.layout
    layout._validate = False
    try:
        layout.template = pio.templates["plotly_white"] if template is None else template
    finally:
        layout._validate = fig._validate
    return fig


def figure(data: list[dict], layout: dict) -> go.Figure:
    """The figure of `data` (trace dicts, each with its "type") and `layout`, written in plotly's own nesting
    and made in one step, on the white template. Plotly still checks every property, once: each of its
    update_* calls on a new figure walks the whole property tree again (a bar chart cost 27 ms, mostly in
    five such calls; a figure made from dicts costs a few)."""
    return _set_template(go.Figure(data=data, layout=layout))


def merge(target: dict, changes: dict) -> dict:
    """Writes `changes` into `target`, nested dicts merged key by key (as plotly's update does)."""
    for k, v in changes.items():
        if isinstance(v, dict):  # copied: two targets never share a nested dict
            if not isinstance(target.get(k), dict):
                target[k] = {}
            merge(target[k], v)
        else:
            target[k] = v
    return target


def base_layout(*, height: int = 420, y_title: str = "", x_title: str = "", legend: bool = True) -> dict:
    """The layout every chart starts from: French separators, dark text, a horizontal legend on top. An axis
    without a title has none: plotly keeps a line of blank space under the axis for an empty one ("")."""
    ink = {"color": INK}
    return {
        "separators": SEPARATORS,
        "font": {"family": FONT, "size": BODY_FONT, "color": INK},
        "height": height,
        "margin": {"l": 10, "r": 10, "t": 30, "b": 10},
        # In the traces' order, read left to right: plotly reverses it for stacked bars (a legend beside a
        # vertical stack), and the legend over horizontal bars named the last colour first.
        "legend": {
            "orientation": "h",
            "yanchor": "bottom",
            "y": 1.02,
            "x": 0,
            "title": None,
            "traceorder": "normal",
        },
        "showlegend": legend,
        "hoverlabel": {"font": {"size": 16}},
        "xaxis": {"title": {"text": x_title or None, "font": ink}, "tickfont": ink, "linecolor": "#555555"},
        "yaxis": {
            "title": {"text": y_title or None, "font": ink},
            "separatethousands": True,
            "tickformat": ",~r",
            "gridcolor": "#d9d9d9",
            "rangemode": "tozero",
            "tickfont": ink,
        },
    }


BODY_FONT = 16  # the charts' text outside presentation mode
# The width of a character of a bar's value at the room's size (ROOM_FONT - 2 px), a little generous.
LABEL_CHAR_PX = 11
ROOM_FONT = 20  # presentation mode: charts read at four metres, axis text as large as the body text (20 px)


def for_room(fig: go.Figure) -> go.Figure:
    """The same figure for a projector: every text at least the body size, in dark ink."""
    spec = fig.to_dict()
    layout, data = spec["layout"], spec["data"]
    template = layout.pop("template", None)
    merge(
        layout,
        {
            "font": {"size": ROOM_FONT, "color": INK},
            "legend": {"font": {"size": ROOM_FONT}},
            "hoverlabel": {"font": {"size": ROOM_FONT}},
        },
    )
    axis = {
        "tickfont": {"size": ROOM_FONT, "color": INK},
        "title": {"font": {"size": ROOM_FONT, "color": INK}},
    }
    for key in {"xaxis", "yaxis", *(k for k in layout if k.startswith(("xaxis", "yaxis")))}:
        merge(layout.setdefault(key, {}), axis)
    for trace in data:
        if trace.get("type") == "bar" or trace.get("mode") == "text":
            merge(trace, {"textfont": {"size": ROOM_FONT - 2}})
    for note in layout.get("annotations", ()):
        merge(note, {"font": {"size": ROOM_FONT - 2}})
    # Horizontal bars: a row per category label, whose text is larger here; the rows grow with it (two-line
    # labels would otherwise touch their neighbours).
    if layout.get("height") and any(t.get("type") == "bar" and t.get("orientation") == "h" for t in data):
        layout["height"] = round(layout["height"] * ROOM_FONT / BODY_FONT)
    return _set_template(go.Figure(spec), template)


# A bar chart reads on a projector up to this many categories; beyond, it draws the largest ones and says so
# (every row stays in the table under the chart). A 100-times folder has 1 200 structures: 1 200 bars of
# 36 px are unreadable and cost the browser seconds of text measuring.
MAX_BARS = 25


def largest(df: pd.DataFrame, label: str, value: str) -> tuple[pd.DataFrame, int]:
    """The rows of the MAX_BARS categories of `label` with the largest `value` (summed over a category's
    rows; a masked, empty value counts last), in their order in df, and the number of categories in df."""
    n = df[label].nunique()
    if n <= MAX_BARS:
        return df, n
    totals = pd.to_numeric(df[value], errors="coerce").groupby(df[label], sort=False).sum(min_count=1)
    keep = totals.sort_values(ascending=False, na_position="last", kind="stable").index[:MAX_BARS]
    return df[df[label].isin(keep)], n


def bars_height(df: pd.DataFrame, label: str, minimum: int, per_bar: int = 30, base: int = 80) -> int:
    """The height of a horizontal bar chart: `minimum`, or more when its bars need it (base + per_bar pixels
    a bar drawn)."""
    return max(minimum, base + per_bar * min(df[label].nunique(), MAX_BARS))


def _say_largest(layout: dict, shown: int, total: int, legend: bool) -> None:
    """The chart's title says that it draws the largest values only, at the left of the whole figure (the
    category labels may be long), above the legend if any."""
    merge(
        layout,
        {
            "margin": {"t": 110 if legend else 75},
            "title": {
                "text": f"Les {shown} plus grandes valeurs sur {fmt.integer(total)} :<br>"
                "toutes dans le tableau des valeurs",
                "x": 0,
                "xref": "container",
                "xanchor": "left",
                "y": 1,
                "yref": "container",
                "yanchor": "top",
                "pad": {"t": 16, "l": 10},
                "font": {"size": 14, "color": INK},
            },
        },
    )


def bars(
    df: pd.DataFrame,
    x: str,
    y: str,
    *,
    color: str | None = None,
    unit: str = "",
    horizontal: bool = False,
    stacked: bool = True,
    height: int = 420,
    value_fmt=fmt.integer,
    y_title: str = "",
    x_title: str = "",
) -> go.Figure:
    """Bars (grouped by `color` when given), each labelled with its French-formatted value.

    A masked count (privacy.chart_data: NaN with its word in the column `<y>__masque`) has no bar: its word
    ("< 5", "masqué") is written at its place, so that it reads as masked, not as zero.

    Horizontal bars of more than MAX_BARS categories draw the largest ones and say so above the chart."""
    data: list[dict] = []
    total, full = 0, {}
    outside: list[str] = []  # the texts written past the end of a bar
    if horizontal:
        df, total = largest(df, x, y)
        df, lines, full = _wrap_categories(df, x)
        height = max(height, 80 + LINE_PX * lines * df[x].nunique())
    groups = [(None, df)] if color is None else list(df.groupby(color, sort=False))
    # Columns of hours from 10 000 h on: their labels drop the unit, which the axis title gives ("208 382"
    # fits a column where "208 382 h" did not; the hover keeps the unit).
    label_unit = "" if _hour_columns(df, y, unit, horizontal) else unit
    if not label_unit and unit and not y_title:
        y_title = "heures"
    for i, (name, part) in enumerate(groups):
        hover = [
            f"{full.get(a, a)} : {lab}"
            for a, lab in zip(part[x], _labels(part, y, value_fmt, unit), strict=True)
        ]
        labels = _labels(part, y, value_fmt, label_unit)
        if color is not None and not stacked and not horizontal:
            # Side by side, a label wider than its bar is hidden (uniformtext): the "0 h" of empty bars were
            # left alone, three in a row running into each other ("0 h0 h0 h"). No bar reads as nothing.
            labels = [
                "" if pd.api.types.is_number(v) and v == 0 else lab
                for v, lab in zip(part[y], labels, strict=True)
            ]
        kw = {"x": part[y], "y": part[x], "orientation": "h"} if horizontal else {"x": part[x], "y": part[y]}
        if color is None or not stacked:  # a masked mark is written on the zero line, not past a bar's end
            outside += [lab for lab, v in zip(labels, part[y], strict=True) if pd.notna(v)]
        data.append(
            {
                "type": "bar",
                **kw,
                "name": str(name) if name is not None else y,
                "marker": {
                    "color": PALETTE[i % len(PALETTE)],
                    "pattern": {"shape": PATTERNS[i % len(PATTERNS)]},
                },
                # Segments of a stack carry no label (dark text on a hatched colour is unreadable): the stack's
                # total is written above it. A label wider than its bar is hidden, never drawn over its
                # neighbour (uniformtext below); every value is in the table under the chart.
                "text": None if color is not None and stacked else labels,
                "textposition": "none" if color is not None and stacked else "outside",
                "textfont": {"size": 15, "color": INK},
                "constraintext": "both",
                "hovertext": [(f"{name} — " if name is not None else "") + h for h in hover],
                "hoverinfo": "text",
                "cliponaxis": False,
            }
        )
    # A stack holding a masked mark gets no total: it would be a partial sum, or give the mark back.
    if color is not None and stacked and not df.empty and y + MARQUE not in df:
        totals = df.groupby(x, sort=False)[y].sum()
        pos = (
            {"x": totals.values, "y": totals.index} if horizontal else {"x": totals.index, "y": totals.values}
        )
        texts = [value_fmt(v) + (f"\u00a0{label_unit}" if label_unit else "") for v in totals.values]
        outside += texts
        data.append(
            {
                "type": "scatter",
                **pos,
                "mode": "text",
                "text": texts,
                "textposition": "middle right" if horizontal else "top center",
                "textfont": {"size": 15, "color": INK},
                "hoverinfo": "skip",
                "showlegend": False,
                "cliponaxis": False,
                "name": "total",
            }
        )
    layout = base_layout(height=height, y_title=y_title, x_title=x_title, legend=color is not None)
    merge(
        layout, {"barmode": "stack" if stacked else "group", "uniformtext": {"minsize": 13, "mode": "hide"}}
    )
    if color is not None and not stacked:  # a gap between the bars of a group: their values never touch
        layout["bargroupgap"] = 0.08
    layout["annotations"] = _masked_marks(
        df, x, y, horizontal=horizontal, group=color, side_by_side=color is not None and not stacked
    )
    if horizontal:
        merge(
            layout["yaxis"],
            {"autorange": "reversed", "type": "category", "rangemode": None, "tickformat": None},
        )
        merge(
            layout["xaxis"],
            {
                "separatethousands": True,
                "tickformat": ",~r",
                "gridcolor": "#d9d9d9",
                "title": {"text": y_title},
            },
        )
        # The longest bar's value is written past its end, beyond the plot area: a right margin as wide as
        # the longest value at the room's text size, or "4 067 h" loses its unit at the chart's edge.
        if outside:
            layout["margin"]["r"] = 10 + round(LABEL_CHAR_PX * max(map(len, outside)))
    else:
        layout["xaxis"]["type"] = "category"
        _years_flat(layout, list(dict.fromkeys(df[x])))
    _no_scale_if_all_masked(layout, df, y, horizontal=horizontal)
    if total > MAX_BARS:
        _say_largest(layout, MAX_BARS, total, legend=color is not None and len(data) > 1)
    return figure(data, layout)


# A category label of a horizontal bar chart longer than this is written on up to WRAP_LINES lines (the last
# shortened with "…" beyond), so that the labels leave the bars room ("Demandeurs d'emploi de très longue
# durée (DETLD, 24 mois et plus)" took 560 of the 760 px of a chart; the table and the hover keep the whole
# label); the figure grows LINE_PX a line of its tallest label for each bar. Three lines: a contract's title
# ("Nettoyage des bâtiments communaux (critère social d'attribution)") is what the room recognises, and two
# cut most of them.
WRAP_CHARS = 40
WRAP_LINES = 3
LINE_PX = 24


def _wrap_categories(df: pd.DataFrame, x: str) -> tuple[pd.DataFrame, int, dict]:
    """df with its long `x` labels on up to WRAP_LINES lines (<br>) cut at word boundaries, the last shortened
    with "…" when the label is longer still; the number of lines of the tallest label (1 when none is cut);
    and each cut label's full text (for the hover)."""
    if df.empty or not (pd.api.types.is_object_dtype(df[x]) or pd.api.types.is_string_dtype(df[x])):
        return df, 1, {}
    wrapped, tallest = {}, 1
    for v in df[x].unique():
        if len(str(v)) > WRAP_CHARS:
            lines = textwrap.wrap(v, WRAP_CHARS)
            if len(lines) > WRAP_LINES:
                last = textwrap.shorten(" ".join(lines[WRAP_LINES - 1 :]), WRAP_CHARS, placeholder="…")
                lines = lines[: WRAP_LINES - 1] + [last]
            wrapped[v] = "<br>".join(lines)
            tallest = max(tallest, len(lines))
    if not wrapped:
        return df, 1, {}
    return df.assign(**{x: df[x].replace(wrapped)}), tallest, {w: v for v, w in wrapped.items()}


def mark_provisional(fig: go.Figure, flags: list[bool], *, words: bool = True) -> go.Figure:
    """Hatch and lighten the bars of a one-series bar chart where `flags` is true (provisional months), and
    say "(provisoire)" in their label and hover: a pattern and words, not colour alone, tell them apart.
    words=False: the category says it already ("2026 (au 30/09)")."""
    trace = fig.data[0]
    trace.marker.color = ["#9cc3e0" if f else PALETTE[0] for f in flags]
    trace.marker.pattern = {
        "shape": ["/" if f else "" for f in flags],
        "fgcolor": PALETTE[0],
        "solidity": 0.4,
    }
    if words:
        trace.text = [f"{t} (provisoire)" if f else t for t, f in zip(trace.text, flags, strict=True)]
        trace.hovertext = [
            f"{t} (provisoire)" if f else t for t, f in zip(trace.hovertext, flags, strict=True)
        ]
    return fig


def bars_by_year(df: pd.DataFrame, y: str, donnees_au, **options) -> go.Figure:
    """bars() of one value a year (column annee), the year still being recorded hatched and lighter, its
    category saying so ("2026<br>(au 30/09)", filters.annee_axe): its shorter bar does not read as a fall.
    options: those of bars()."""
    flags = [filters.annee_incomplete(int(a), donnees_au) for a in df["annee"]]
    fig = bars(
        df.assign(annee=[filters.annee_axe(a, donnees_au) for a in df["annee"]]), "annee", y, **options
    )
    return mark_provisional(fig, flags, words=False) if any(flags) else fig


def _hour_columns(df: pd.DataFrame, y: str, unit: str, horizontal: bool) -> bool:
    """Whether bars() writes the labels of columns of hours without their unit: one of them reaches 10 000 h."""
    values = pd.to_numeric(df[y], errors="coerce") if y in df else pd.Series(dtype=float)
    return unit == "h" and not horizontal and bool((values.abs() >= 10_000).any())


def _labels(part: pd.DataFrame, y: str, value_fmt, unit: str) -> list[str]:
    words = part[y + MARQUE] if y + MARQUE in part else [None] * len(part)
    return [
        w if isinstance(w, str) else value_fmt(v) + (f"\u00a0{unit}" if unit else "")
        for v, w in zip(part[y], words, strict=True)
    ]


# Plotly's default gap between the groups of bars, in category widths: a group's bars share the rest.
BARGAP = 0.2


def _inwards(position: int, count: int) -> dict:
    """The anchor of a text written at a category of `count` along a horizontal axis: from the first one
    rightwards, from the last one leftwards, centred between."""
    if count > 1 and position == 0:
        return {"xanchor": "left", "align": "left", "xshift": -8}
    if count > 1 and position == count - 1:
        return {"xanchor": "right", "align": "right", "xshift": 8}
    return {}


def _masked_marks(
    df: pd.DataFrame, x: str, y: str, *, horizontal: bool, group=None, side_by_side: bool = False
) -> list[dict]:
    """The annotations writing "< 5" (or "masqué") where a masked mark would stand, on the zero line of the
    value axis; several series at the same place are stacked one above the other, or, bars side by side
    (side_by_side), each written in its own bar's place (with its series' name when the bars lie down)."""
    notes: list[dict] = []
    if y + MARQUE not in df:
        return notes
    # Positions by category index: a category named like a number ("2025") would be read as an index.
    parts = [df] if group is None else [p for _, p in df.groupby(group, sort=False)]
    order = {c: i for i, c in enumerate(dict.fromkeys(c for p in parts for c in p[x]))}
    seen: dict = {}
    names = df[group] if group is not None else [None] * len(df)
    several = group is not None and df[group].nunique() > 1  # one series: the legend names it already
    series = {name: i for i, name in enumerate(dict.fromkeys(names))}
    for cat, word, name in zip(df[x], df[y + MARQUE], names, strict=True):
        if not isinstance(word, str):
            continue
        if several and side_by_side:  # in its own bar's slot of the group
            width = (1 - BARGAP) / len(series)
            slot = order[cat] + (series[name] - (len(series) - 1) / 2) * width
            note = (
                # the category axis runs downwards: the first series on top, as plotly draws it
                {"x": 0, "y": slot, "xanchor": "left", "xshift": 4, "text": f"{name} : {word}"}
                if horizontal
                # upright bars: the word stands up in the slot (the slot's place in the group says which
                # series, in the legend's order); beside its neighbours, never across them
                else {"x": slot, "y": 0, "yanchor": "bottom", "yshift": 4, "textangle": -90, "text": word}
            )
            notes.append({**note, "showarrow": False, "font": {"size": 15, "color": INK}})
            continue
        if several:
            word = f"{name}<br>{word}"
        k = seen.get(cat, 0)
        seen[cat] = k + 1
        if several and not horizontal:
            # Two series' names side by side ran into each other on a half-width chart: every other one a
            # row higher.
            k += len(notes) % 2
        pos = (
            {"x": 0, "y": order[cat], "xanchor": "left", "xshift": 4, "yshift": -18 * k}
            if horizontal
            else {
                "x": order[cat],
                "y": 0,
                "yanchor": "bottom",
                "yshift": 4 + (40 if group is not None else 22) * k,
                # At the first and last categories the text runs inwards, from its category: centred there,
                # "Salariés en parcours (IAE)" ran over the value axis and past the chart's right edge.
                **_inwards(order[cat], len(order)),
            }
        )
        notes.append({**pos, "text": word, "showarrow": False, "font": {"size": 15, "color": INK}})
    return notes


def _no_scale_if_all_masked(layout: dict, df: pd.DataFrame, y: str, *, horizontal: bool) -> None:
    """No numeric scale at all when every value is masked or zero: an axis graduated 0 to 4 would tell the
    range of the masked values."""
    if y + MARQUE in df and len(df) and (pd.to_numeric(df[y], errors="coerce").fillna(0) == 0).all():
        no_scale = {"showticklabels": False, "showgrid": False, "range": [0, 1], "title": None}
        merge(layout["xaxis" if horizontal else "yaxis"], no_scale)


def lines(
    df: pd.DataFrame,
    x: str,
    y: str,
    *,
    color: str | None = None,
    unit: str = "",
    height: int = 420,
    value_fmt=fmt.integer,
    y_title: str = "",
    x_title: str = "",
    x_labels: list[str] | None = None,
) -> go.Figure:
    data: list[dict] = []
    groups = [(None, df)] if color is None else list(df.groupby(color, sort=False))
    for i, (name, part) in enumerate(groups):
        labels = _labels(part, y, value_fmt, unit)
        xs = list(part[x]) if x_labels is None else [x_labels[j] for j in range(len(part))]
        data.append(
            {
                "type": "scatter",
                "x": xs,
                "y": part[y],
                "mode": "lines+markers",
                "name": str(name) if name is not None else y,
                "line": {"color": PALETTE[i % len(PALETTE)], "dash": DASHES[i % len(DASHES)], "width": 3},
                "marker": {"symbol": SYMBOLS[i % len(SYMBOLS)], "size": 9},
                "hovertext": [
                    (f"{name} — " if name is not None else "") + f"{a} : {lab}"
                    for a, lab in zip(xs, labels, strict=True)
                ],
                "hoverinfo": "text",
            }
        )
    layout = base_layout(height=height, y_title=y_title, x_title=x_title, legend=color is not None)
    if x_labels is None and y + MARQUE in df:
        # Every category stays on the axis even when its points are all masked (no value to place them).
        cats = list(dict.fromkeys(df[x]))
        merge(
            layout["xaxis"],
            {
                "type": "category",
                "categoryorder": "array",
                "categoryarray": cats,
                "range": [-0.5, len(cats) - 0.5],
            },
        )
        layout["annotations"] = _masked_marks(df, x, y, horizontal=False, group=color)
    _years_flat(layout, df[x] if x_labels is None else x_labels)
    _no_scale_if_all_masked(layout, df, y, horizontal=False)
    return figure(data, layout)


def _years_flat(layout: dict, categories) -> None:
    """The years under a line or bar chart: flat up to YEARS_FLAT of them, at 45° beyond. Plotly turns every
    label on its side as soon as one is wider than its slot, and "2026<br>(au 30/09)" (filters.annee_axe) is,
    in a half-width chart, though its second line has room under the one-line years beside it; but eight years
    flat in half a 1280 px screen with the menu open ran together ("2019202020212022…")."""
    if len(categories) and all(YEAR.match(str(v)) for v in categories):
        layout["xaxis"]["tickangle"] = 0 if len(categories) <= YEARS_FLAT else -45


YEARS_FLAT = 6
YEAR = re.compile(r"^\d{4}(<br>|$)")  # a year as a category (filters.annee_axe)


TIMELINE_ROW = 50  # pixels a row of the timeline: its label, then its bar
TIMELINE_BAR = 0.4  # the share of its row a bar takes
# A label above its bar longer than this goes on to a second line (a third at most), left-aligned. Cut at 80
# characters with "…", the titles lost what tells two contracts apart ("Entretien des espaces verts des
# équipements communautaires (marché réservé EA/E…"); whole on one line, the longest (116 characters) would
# run past the chart's edge at 1024 px. Each extra line adds LINE_PX to every row: the rows of a category axis
# are all as tall.
TIMELINE_WRAP = 72
TIMELINE_TOP_AXIS_PX = 700  # a timeline taller than this writes its years on top too
TOP_AXIS_PX = 30  # the room the years on top take


def timeline(
    df: pd.DataFrame,
    label: str,
    start: str,
    end: str,
    *,
    color: str | None = None,
    hover: str | None = None,
    shade: tuple[str, str] | None = None,
    shade_label: str = "",
    height: int | None = None,
) -> go.Figure:
    """A Gantt-like chart: one horizontal bar per row from `start` to `end` (dates, end day included), grouped
    by `color` (colour and bar pattern), years on the axis; `shade` = (first day, last day) greyed behind.
    Each row's label is written above its bar, from the left edge: the years get the chart's whole width (labels
    beside the bars took three quarters of it, and were cut)."""
    data: list[dict] = []
    groups = [(None, df)] if color is None else list(df.groupby(color, sort=False))
    day_ms = 86_400_000
    texts = {lab: "<br>".join(textwrap.wrap(str(lab), TIMELINE_WRAP)[:WRAP_LINES]) for lab in df[label]}
    row = TIMELINE_ROW + LINE_PX * max((t.count("<br>") for t in texts.values()), default=0)
    for i, (name, part) in enumerate(groups):
        s = pd.to_datetime(part[start])
        e = pd.to_datetime(part[end])
        data.append(
            {
                "type": "bar",
                "y": part[label],
                "x": ((e - s).dt.days + 1) * day_ms,
                "base": s.dt.strftime("%Y-%m-%d"),
                "orientation": "h",
                "width": TIMELINE_BAR * TIMELINE_ROW / row,  # as thick, however tall the rows
                "name": str(name) if name is not None else label,
                "marker": {
                    "color": PALETTE[i % len(PALETTE)],
                    "pattern": {"shape": PATTERNS[i % len(PATTERNS)]},
                    "line": {"color": INK, "width": 1},
                },
                "hovertext": list(part[hover])
                if hover
                else [
                    f"{a} : {fmt.day(b)} – {fmt.day(c)}" for a, b, c in zip(part[label], s, e, strict=True)
                ],
                "hoverinfo": "text",
            }
        )
    layout = base_layout(height=height or max(300, 90 + row * len(df)), legend=color is not None)
    layout["barmode"] = "overlay"
    # Years only on the axis: Plotly's month names would be English.
    merge(
        layout["xaxis"],
        {"type": "date", "tickformat": "%Y", "dtick": "M12", "gridcolor": "#d9d9d9", "rangemode": None},
    )
    merge(
        layout["yaxis"],
        {
            "autorange": "reversed",
            "type": "category",
            "rangemode": None,
            "tickformat": None,
            "showticklabels": False,
            "showgrid": False,
        },
    )
    layout["yaxis"]["title"] = None
    if layout["height"] > TIMELINE_TOP_AXIS_PX and len(df):
        # Taller than a screen: the years on top as well, or the first screens of bars have none to be read by.
        # An axis is drawn only for a trace: an invisible one spans the dates on it.
        layout["xaxis2"] = {
            **{k: v for k, v in layout["xaxis"].items() if k != "title"},
            "overlaying": "x",
            "matches": "x",
            "side": "top",
            "showgrid": False,
        }
        first = pd.to_datetime(df[start]).min().strftime("%Y-%m-%d")
        last = pd.to_datetime(df[end]).max().strftime("%Y-%m-%d")
        data.append(
            {
                "type": "scatter",
                "x": [first, last],
                "y": [df[label].iloc[0]] * 2,
                "xaxis": "x2",
                "mode": "markers",
                "marker": {"opacity": 0},
                "hoverinfo": "skip",
                "showlegend": False,
            }
        )
        # The legend over the years written on top.
        merge(
            layout, {"legend": {"y": 1 + TOP_AXIS_PX / layout["height"]}, "margin": {"t": 30 + TOP_AXIS_PX}}
        )
    # The label just above its bar (centred in its row, TIMELINE_BAR of a one-line row thick), from the plot's
    # left edge.
    layout["annotations"] = [
        {
            "text": texts[lab],
            "xref": "paper",
            "x": 0,
            "xanchor": "left",
            "align": "left",
            "yref": "y",
            "y": lab,
            "yanchor": "bottom",
            "yshift": round(TIMELINE_ROW * TIMELINE_BAR / 2),
            "showarrow": False,
            "font": {"size": BODY_FONT - 1, "color": INK},
        }
        for lab in df[label]
    ]
    fig = figure(data, layout)
    if shade is not None:
        fig.add_vrect(
            x0=shade[0],
            x1=shade[1],
            fillcolor="#7f7f7f",
            opacity=0.15,
            line_width=0,
            layer="below",
            annotation_text=shade_label,
            annotation_position="top left",
            annotation_font_size=14,
        )
    return fig


def hbars(df: pd.DataFrame, label: str, value: str, **kw) -> go.Figure:
    """Horizontal bars (see `bars`), with no title on the category axis (the value axis carries `y_title`)."""
    fig = bars(df, label, value, horizontal=True, **kw)
    fig.update_yaxes(title=None)
    return fig


def hours_hbars(
    df: pd.DataFrame, label: str, *, per_bar: int = 36, base: int = 80, minimum: int = 300, **kw
) -> go.Figure:
    """Horizontal bars of hours worked (column heures_travaillees), one row per `label`, the figure as tall
    as its bars need (base + per_bar pixels a bar, at least `minimum`)."""
    kw.setdefault("y_title", "heures")
    height = bars_height(df, label, minimum, per_bar, base)
    return hbars(df, label, "heures_travaillees", unit="h", height=height, **kw)


def share_hbars(
    df: pd.DataFrame, label: str, value: str, xmax: float, *, height: int = 520, **kw
) -> go.Figure:
    """Horizontal bars of shares (fractions), the axis in percent from 0 to `xmax`; kw: those of `bars`
    (value_fmt writes the masked shares)."""
    fig = bars(df, label, value, horizontal=True, height=height, **kw)
    percent_axis(fig, "x", xmax)
    fig.update_xaxes(range=[0, xmax])
    fig.update_yaxes(title=None)
    return fig


def percent_axis(fig: go.Figure, axis: str = "y", top: float = 1.0) -> go.Figure:
    """An axis of fractions graduated in French percentages ("70 %", where plotly's own format writes "70%"):
    a tick every 10 points from 0 to `top` up to 50 %, every 20 beyond (six ticks at most up to 100 %: ten
    stood on their side under a narrow chart); ticks beyond the drawn range are not shown."""
    step = 0.1 if top <= 0.5 else 0.2
    ticks = [round(i * step, 6) for i in range(int(top / step + 1e-9) + 1)]
    getattr(fig, f"update_{axis}axes")(
        tickvals=ticks, ticktext=[fmt.percent(t, 0) for t in ticks], tickformat=None
    )
    return fig


def hours_by_month(df: pd.DataFrame) -> go.Figure:
    """Hours worked month by month (libelle, heures_travaillees), the provisional months hatched."""
    fig = bars(df, "libelle", "heures_travaillees", unit="h", y_title="heures", value_fmt=fmt.integer)
    if df["provisoire"].any():
        mark_provisional(fig, df["provisoire"].tolist())
    return fig


def hours_side_by_side(df: pd.DataFrame, x: str, value: str, color: str) -> go.Figure:
    """Bars of hours, one group per `x`, the series of `color` side by side (never stacked: measures and
    sectors of hours are never added together)."""
    return bars(df, x, value, color=color, stacked=False, unit="h", y_title="heures")


def planned_delivered_hbars(series: pd.DataFrame, *, rows: int) -> go.Figure:
    """Insertion hours planned and delivered (ligne, heures, série), two bars for each of the `rows` lines
    of contract and year."""
    return hbars(
        series,
        "ligne",
        "heures",
        color="série",
        stacked=False,
        unit="h",
        y_title="heures d'insertion",  # the prorata: the legend ("Prévues (prorata)") and the caption
        height=max(320, 100 + 56 * rows),
    )
