"""Plotly figure builders: data in, figure out (no database, no Streamlit). French numbers, readable on a projector.

Colours come from the Okabe–Ito palette (safe for colour-blind readers); series are also told apart by
bar patterns, line dashes and markers, and values are written on the bars, so colour is never the only cue.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from impact import fmt

PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000", "#B8A100")
PATTERNS = ("", "/", ".", "x", "-", "|", "+", "\\")
DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")
SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x", "cross", "star", "hexagon")
FONT = "DejaVu Sans, Arial, sans-serif"
SEPARATORS = ",\u202f"  # decimal comma, narrow no-break space between thousands


def base_layout(
    fig: go.Figure, *, height: int = 420, y_title: str = "", x_title: str = "", legend: bool = True
) -> go.Figure:
    fig.update_layout(
        template="plotly_white",
        separators=SEPARATORS,
        font={"family": FONT, "size": 16, "color": "#1a1a1a"},
        height=height,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0, "title": None},
        showlegend=legend,
        hoverlabel={"font_size": 16},
    )
    fig.update_yaxes(
        title=y_title, separatethousands=True, tickformat=",~r", gridcolor="#d9d9d9", rangemode="tozero"
    )
    fig.update_xaxes(title=x_title)
    return fig


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
    """Bars (grouped by `color` when given), each labelled with its French-formatted value."""
    fig = go.Figure()
    groups = [(None, df)] if color is None else list(df.groupby(color, sort=False))
    for i, (name, part) in enumerate(groups):
        labels = [value_fmt(v) + (f"\u00a0{unit}" if unit else "") for v in part[y]]
        hover = [f"{a} : {lab}" for a, lab in zip(part[x], labels, strict=True)]
        kw = {"x": part[y], "y": part[x], "orientation": "h"} if horizontal else {"x": part[x], "y": part[y]}
        fig.add_bar(
            **kw,
            name=str(name) if name is not None else y,
            marker={"color": PALETTE[i % len(PALETTE)], "pattern": {"shape": PATTERNS[i % len(PATTERNS)]}},
            text=labels,
            textposition="auto" if color is not None and stacked else "outside",
            hovertext=[(f"{name} — " if name is not None else "") + h for h in hover],
            hoverinfo="text",
            cliponaxis=False,
        )
    fig.update_layout(barmode="stack" if stacked else "group")
    if color is not None and stacked:
        fig.update_layout(uniformtext={"minsize": 11, "mode": "hide"})
    base_layout(fig, height=height, y_title=y_title, x_title=x_title, legend=color is not None)
    if horizontal:
        fig.update_yaxes(autorange="reversed", type="category", rangemode=None, tickformat=None)
        fig.update_xaxes(separatethousands=True, tickformat=",~r", gridcolor="#d9d9d9", title=y_title)
    else:
        fig.update_xaxes(type="category")
    return fig


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
    fig = go.Figure()
    groups = [(None, df)] if color is None else list(df.groupby(color, sort=False))
    for i, (name, part) in enumerate(groups):
        labels = [value_fmt(v) + (f"\u00a0{unit}" if unit else "") for v in part[y]]
        xs = list(part[x]) if x_labels is None else [x_labels[j] for j in range(len(part))]
        fig.add_scatter(
            x=xs,
            y=part[y],
            mode="lines+markers",
            name=str(name) if name is not None else y,
            line={"color": PALETTE[i % len(PALETTE)], "dash": DASHES[i % len(DASHES)], "width": 3},
            marker={"symbol": SYMBOLS[i % len(SYMBOLS)], "size": 9},
            hovertext=[
                (f"{name} — " if name is not None else "") + f"{a} : {lab}"
                for a, lab in zip(xs, labels, strict=True)
            ],
            hoverinfo="text",
        )
    return base_layout(fig, height=height, y_title=y_title, x_title=x_title, legend=color is not None)
