"""The margins of a chart, found on the server: the browser then draws each chart once.

Plotly's automargin draws a chart, measures its tick labels, axis titles and legend, and, when they do not fit
in the margins given, draws the whole chart again with wider ones: every chart of the dashboard was drawn
twice (102 of 102 charts of 14 pages under 8 filter sets): with its margins right, plotly drew a chart in
18–23 ms instead of 40. (Streamlit still draws a chart a second time once it knows its container's width:
that one is in its own code.) Here the same texts are measured with the font the charts are written in (DejaVu
Sans, shipped in data/fonts/, one of the widest sans-serif fonts: Arial's texts are narrower) and the
margins set at least that wide. Automargin stays on: where a text is wider than measured here, or a margin
depends on the width of the screen (category labels that plotly turns when they overlap, a legend on two
rows), plotly widens the margin itself, as before. Changes with plotly's placing of texts, never for a figure.
"""

from __future__ import annotations

import base64
import functools
import itertools
import math
import re
from pathlib import Path

import numpy as np
import plotly.graph_objects as go
from PIL import ImageFont

FONT_FILE = Path(__file__).resolve().parent.parent / "data" / "fonts" / "DejaVuSans.ttf"
# The width of a chart on a laptop screen of 1280 px with the sidebar open, and in presentation mode on a
# projector of 1024 px (measured). Wider charts hold their labels as well; on narrower ones (two charts side
# by side), plotly may turn category labels or wrap the legend, and widens the margins itself.
LAPTOP_WIDTH = 760
ROOM_WIDTH = 940
# Plotly's placing of texts, measured on the dashboard's 102 charts (tick labels 16 and 20 px): a line of text
# is 1,3 font sizes high; tick labels stand 12 px off the plot, a title 11 px (left) or 23 px (bottom) beyond
# them; a legend above the plot takes a line, 25 px and 2 % of the plot's height (its y = 1,02).
LINE = 1.3
PAD = 3  # plotly widens a margin pushed by a text by 2 px more than the text needs
PUSH_PAD = 10  # plotly's room beyond a text that pushes a margin: the smallest margin, 10 px in base_layout
LABEL_GAP = 12
TITLE_GAP_LEFT = 11
TITLE_GAP_BOTTOM = 23
LEGEND_GAP = 25
LEGEND_SYMBOL = 40  # the symbol of a legend item and its gap, before the text (plotly's textGap)
LEGEND_ITEM_GAP = 3  # between two legend items (measured)
# How far beyond the highest value plotly's axis may go: its 5 % of padding, and room for a value written above
# its bar. A digit too many leaves ~10 px of blank beside the labels; one too few, a second drawing.
RANGE_PAD = 1.15
TURNED_SLACK = 0.25
PLOTLY_MARGIN = {"l": 80, "r": 80, "t": 100, "b": 80}  # plotly's own, where a figure sets none
_TAG = re.compile(r"<[^>]+>")
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)


@functools.lru_cache(maxsize=16)
def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_FILE), size)


@functools.lru_cache(maxsize=4096)
def text_size(text: str, size: float) -> tuple[float, int]:
    """The width in pixels of the widest line of `text` (plotly's <br> break lines, other tags are dropped)
    at `size` px, and its number of lines."""
    font = _font(max(1, round(size)))
    lines = _BR.split(text)
    return max(font.getlength(_TAG.sub("", line)) for line in lines), len(lines)


def _array(values):
    """`values` as a sequence: a typed array of plotly's JSON ({"dtype": "f8", "bdata": base64}, as in a
    figure made from another's dict, charts.for_room) decoded."""
    if isinstance(values, dict) and "bdata" in values:
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=np.dtype(values["dtype"]))
    return values


def _numbers(values) -> np.ndarray:
    try:
        a = np.asarray(_array(values), dtype=float)
    except (TypeError, ValueError):
        return np.array([])
    return a[np.isfinite(a)]


def _axis_values(fig: go.Figure, letter: str) -> tuple[list, bool]:
    """The values placed on axis `letter` ("x" or "y") by the bar and scatter traces, and whether any is a
    text (a category)."""
    values: list = []
    for trace in fig.data:
        if trace.type not in ("bar", "scatter"):
            continue
        v = _array(getattr(trace, letter))
        if v is not None:
            values.extend(v.tolist() if isinstance(v, np.ndarray) else v)
    return values, any(isinstance(v, str) for v in values)


def _value_extent(fig: go.Figure, letter: str) -> tuple[float, float]:
    """The lowest and highest value of axis `letter`, stacks added up when the bars are stacked."""
    stacked = fig.layout.barmode in ("stack", "relative")
    lows, highs = [0.0], [0.0]
    sums: dict = {}
    other = "y" if letter == "x" else "x"
    for trace in fig.data:
        if trace.type not in ("bar", "scatter"):
            continue
        nums = _numbers(getattr(trace, letter))
        if not len(nums):
            continue
        if stacked and trace.type == "bar":
            cats = getattr(trace, other)
            for c, v in zip(cats if cats is not None else range(len(nums)), nums, strict=False):
                sums[c] = sums.get(c, 0.0) + v
        lows.append(float(nums.min()))
        highs.append(float(nums.max()))
    if sums:
        highs.append(max(sums.values()))
    return min(lows), max(highs)


def _number_label(low: float, high: float) -> str:
    """The widest tick label plotly can write on a numeric axis from `low` to `high` (grouped thousands):
    its ticks are round numbers up to the end of the axis, a little beyond the highest value (RANGE_PAD)."""
    top = max(abs(low), abs(high)) * RANGE_PAD
    digits = "8" * max(1, len(str(int(top))))
    groups = []
    while digits:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    return ("−" if low < 0 else "") + "\u202f".join(groups)


def _tick_labels(fig: go.Figure, axis, letter: str) -> tuple[list[str], bool]:
    """The tick labels of an axis (all the categories, the texts given, or the widest number), and whether
    each stands in its own slot of the axis (categories, texts given): plotly turns them when they overlap."""
    if axis.showticklabels is False:
        return [], False
    if axis.ticktext is not None:
        return _shown_texts(fig, axis, letter), True
    values, texts = _axis_values(fig, letter)
    if axis.type == "category" or texts:
        return [str(v) for v in dict.fromkeys(values)], True
    if axis.type == "date":
        return [], False
    return [_number_label(*_value_extent(fig, letter))], False


def _shown_texts(fig: go.Figure, axis, letter: str) -> list[str]:
    """The tick texts given to an axis that plotly writes: those of the ticks inside the axis's range (given,
    or up to a little beyond the highest value). A percent axis graduated to 100 % but drawn up to 70 %
    writes "70 %" at most."""
    texts = [str(t) for t in axis.ticktext]
    values = _numbers(axis.tickvals) if axis.tickvals is not None else np.array([])
    if len(values) != len(texts):
        return texts
    if axis.range is not None:
        low, high = sorted(float(v) for v in axis.range)
    else:
        low, high = _value_extent(fig, letter)
        low, high = low * RANGE_PAD, high * RANGE_PAD
    return [t for t, v in zip(texts, values, strict=True) if low - 1e-9 <= v <= high + 1e-9] or texts


def _title_size(axis, size: float) -> float | None:
    """The font size of an axis title, None when the axis has none. An empty title ("") still takes its
    place: plotly keeps it (measured)."""
    if axis.title.text is None:
        return None
    return axis.title.font.size or round(1.2 * size)


def _legend_depth(fig: go.Figure, size: float, plot_width: float) -> float | None:
    """The height of a horizontal legend above the plot when it holds on one row as wide as the plot; None
    when it may wrap (plotly then places it itself)."""
    items = [t.name for t in fig.data if t.showlegend is not False and t.name is not None]
    shown = fig.layout.showlegend if fig.layout.showlegend is not None else len(items) > 1
    if not shown or not items:
        return 0.0
    legend = fig.layout.legend
    if legend.orientation != "h" or legend.yanchor != "bottom":
        return None
    font = legend.font.size or size
    row = sum(LEGEND_SYMBOL + text_size(str(n), font)[0] for n in items) + LEGEND_ITEM_GAP * (len(items) - 1)
    if row > plot_width:
        return None
    return font * LINE + LEGEND_GAP


def needed(fig: go.Figure, width: int = LAPTOP_WIDTH) -> dict[str, int]:
    """The margins (pixels, by side: l, r, t, b) that hold the figure's tick labels, axis titles and legend,
    drawn `width` pixels wide, for the sides this can tell. Only bar and line charts on one pair of axes."""
    if any(t.type not in ("bar", "scatter") for t in fig.data):
        return {}
    layout = fig.layout
    size = layout.font.size or 12
    out: dict[str, int] = {}
    # Left: the y axis's widest tick label, then its title.
    y = layout.yaxis
    labels, _ = _tick_labels(fig, y, "y")
    ysize = y.tickfont.size or size
    widest = max((text_size(t, ysize)[0] for t in labels), default=0.0)
    title = _title_size(y, ysize)
    out["l"] = math.ceil(widest + LABEL_GAP + (title + TITLE_GAP_LEFT if title else 0) + PAD)
    plot_width = width - out["l"] - _or(layout.margin.r, PLOTLY_MARGIN["r"])
    # Bottom: the x axis's tick labels (their lines), then its title, unless the labels could be turned.
    x = layout.xaxis
    labels, spread = _tick_labels(fig, x, "x")
    xsize = x.tickfont.size or size
    if x.type == "date" and x.tickformat != "%Y":
        pass  # dates on two lines or one: plotly decides
    elif x.tickangle not in (None, 0):
        # Labels set at an angle (charts._years_flat): each one's depth is its widest line and its lines,
        # both turned; nothing stands out on the right (a turned label ends at its tick).
        a = math.radians(abs(x.tickangle))
        depth = max(
            (
                w * math.sin(a) + xsize * LINE * n * math.cos(a)
                for w, n in (text_size(t, xsize) for t in labels)
            ),
            default=0.0,
        )
        title = _title_size(x, xsize)
        # plus a slack of TURNED_SLACK font sizes: plotly's box of a turned text is a little deeper (measured:
        # 72 px for the years at 20 px in presentation, 70 by this formula)
        depth += TURNED_SLACK * xsize
        out["b"] = math.ceil(depth + (title + TITLE_GAP_BOTTOM if title else LABEL_GAP) + PAD)
    else:
        sizes = [text_size(t, xsize) for t in labels]
        lines = max((n for _, n in sizes), default=0)
        spacing = plot_width / max(1, len(sizes))
        turned = spread and any((a[0] + b[0]) / 2 + xsize / 2 > spacing for a, b in itertools.pairwise(sizes))
        if not turned:
            title = _title_size(x, xsize)
            out["b"] = math.ceil(
                xsize * LINE * lines + (title + TITLE_GAP_BOTTOM if title else LABEL_GAP) + PAD
            )
            # The last label, centred on its slot, may stand out of the plot's right side.
            if spread and sizes:
                out["r"] = math.ceil(sizes[-1][0] / 2 - spacing / 2 + PUSH_PAD + PAD)
    # Top: a legend above the plot, on one row.
    depth = _legend_depth(fig, size, plot_width)
    if depth:
        plot_height = (layout.height or 450) - _or(layout.margin.t, PLOTLY_MARGIN["t"]) - out.get("b", 0)
        out["t"] = math.ceil(depth + 0.02 * max(plot_height, 0) + PAD)
    return out


def _or(value, default):
    return default if value is None else value


def fit(fig: go.Figure, width: int = LAPTOP_WIDTH) -> go.Figure:
    """The figure with each margin at least as wide as `needed` says (never narrower than it was)."""
    need = needed(fig, width)
    margin = fig.layout.margin
    wider = {side: px for side, px in need.items() if px > _or(getattr(margin, side), PLOTLY_MARGIN[side])}
    if wider:
        fig.layout.margin.update(wider)
    return fig
