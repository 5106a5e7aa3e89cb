"""Chart and map images for the PDF documents, drawn with matplotlib (Agg backend: no display, no browser,
no network). Pure functions: data in, PNG bytes out. French numbers through impact.fmt."""

from __future__ import annotations

import functools
import io
import threading

import matplotlib

matplotlib.use("Agg")

import matplotlib.patheffects as pe
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.ticker import FuncFormatter
from matplotlib.transforms import Bbox

from impact import fmt, geo

# Okabe–Ito (the dashboard's palette): safe for colour-blind readers.
BLEU, ORANGE, VERT, VERMILLON, ROSE, CIEL = "#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9"
HATCHES = ("", "//", "..", "xx", "--", "||")
DPI = 200

plt.rcParams.update(
    {
        "font.family": "DejaVu Sans",  # bundled with matplotlib: no system font needed
        "font.size": 9,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.titlesize": 10,
        "svg.fonttype": "none",
    }
)

# pyplot keeps global state: documents built on a download click run on their own thread.
_LOCK = threading.Lock()


def _locked(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with _LOCK:
            return fn(*args, **kwargs)

    return wrapper


_french = FuncFormatter(lambda v, _pos: fmt.integer(v))

# The names written on a static map: on a white halo (readable over borders and shading), each on its commune,
# largest commune first, moved a line up or down when the spot is taken, left out when no spot is free (the
# sentence above the map, and its legend, name every commune: two names written over each other named none).
NAME_SHIFTS = (0, 1, -1)


def name_communes(
    fig, ax, shapes, *, fontsize: float, avoid=(), color: str = "#111111", zorder: float = 4
) -> list[str]:
    """Writes each shape's name (rows with .nom and .geometry, in the axes' coordinates) on it, never over a
    name already written nor over the points `avoid` ((x, y) in the axes' coordinates, e.g. head offices);
    returns the names written, in order. Call it once the axes' limits and aspect are set."""
    ax.apply_aspect()
    renderer = fig.canvas.get_renderer()
    pad = fontsize * fig.dpi / 72 * 0.6  # pixels around a point to avoid
    taken = [
        Bbox.from_extents(x - pad, y - pad, x + pad, y + pad)
        for x, y in (ax.transData.transform(xy) for xy in avoid)
    ]
    written = []
    for row in sorted(shapes, key=lambda r: -r.geometry.area):
        p = row.geometry.representative_point()
        for shift in NAME_SHIFTS:
            text = ax.annotate(
                row.nom,
                (p.x, p.y),
                xytext=(0, shift * fontsize * 1.3),
                textcoords="offset points",
                fontsize=fontsize,
                ha="center",
                va="center",
                color=color,
                zorder=zorder,
                path_effects=[pe.withStroke(linewidth=2.2, foreground="white")],
            )
            box = text.get_window_extent(renderer)
            if not any(box.overlaps(b) for b in taken):
                taken.append(box)
                written.append(row.nom)
                break
            text.remove()
    return written


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, bbox_inches="tight", facecolor="white")
    plt.close(fig)
    return buf.getvalue()


@_locked
def carte_commune(code: str, points: pd.DataFrame, *, size=(4.2, 3.6)) -> bytes:
    """The commune nouvelle (its communes déléguées outlined and named), its neighbours in grey, and the
    interventions of the year as circles whose area follows the hours worked (columns latitude,
    longitude, heures_travaillees, point_approche)."""
    nouvelles = geo.boundaries("nouvelle")
    deleguees = geo.boundaries("deleguee")
    mine = deleguees[deleguees["code_commune_nouvelle"] == code]
    shape = nouvelles[nouvelles["code_insee"] == code]
    fig, ax = plt.subplots(figsize=size)
    xmin, ymin, xmax, ymax = (shape if not shape.empty else mine).total_bounds
    pad_x, pad_y = (xmax - xmin) * 0.08, (ymax - ymin) * 0.08
    nouvelles.plot(ax=ax, color="#eeeeee", edgecolor="#bbbbbb", linewidth=0.5)
    mine.plot(ax=ax, color="#dcebf7", edgecolor="#6a8fb0", linewidth=0.5)
    if not shape.empty:
        shape.boundary.plot(ax=ax, color="#1a1a1a", linewidth=1.2)
    pts = points.dropna(subset=["latitude", "longitude"])
    if not pts.empty:
        h = pts["heures_travaillees"].astype(float)
        sizes = 15 + 400 * (h / h.max()) if h.max() > 0 else 20
        exact = ~pts["point_approche"].astype(bool)
        ax.scatter(
            pts.loc[exact, "longitude"],
            pts.loc[exact, "latitude"],
            s=sizes[exact] if hasattr(sizes, "__getitem__") else sizes,
            color=VERMILLON,
            alpha=0.6,
            edgecolor="black",
            linewidth=0.5,
            marker="o",
            label="intervention (point GPS)",
            zorder=3,
        )
        ax.scatter(
            pts.loc[~exact, "longitude"],
            pts.loc[~exact, "latitude"],
            s=sizes[~exact] if hasattr(sizes, "__getitem__") else sizes,
            color=BLEU,
            alpha=0.5,
            edgecolor="black",
            linewidth=0.5,
            marker="s",
            label="intervention (commune déléguée)",
            zorder=3,
        )
        ax.legend(loc="lower left", fontsize=6, frameon=True, markerscale=0.5)
    ax.set_xlim(xmin - pad_x, xmax + pad_x)
    ax.set_ylim(ymin - pad_y, ymax + pad_y)
    ax.set_aspect(1 / 0.68)  # about 1/cos(47°): degrees of longitude are shorter at this latitude
    ax.set_axis_off()
    name_communes(fig, ax, list(mine.itertuples()), fontsize=6, color="#333333", zorder=2)  # under the points
    return _png(fig)


@_locked
def barres_annees(
    annees: list[int], valeurs: list[float], *, unite: str, titre: str = "", size=(4.2, 2.6), highlight=None
) -> bytes:
    """Vertical bars, one per year, each labelled with its French value; the highlighted year is hatched."""
    fig, ax = plt.subplots(figsize=size)
    colors = [ORANGE if a == highlight else BLEU for a in annees]
    bars = ax.bar([str(a) for a in annees], valeurs, color=colors, edgecolor="black", linewidth=0.4)
    for b, a in zip(bars, annees, strict=True):
        if a == highlight:
            b.set_hatch("//")
    ax.bar_label(
        bars, labels=[f"{fmt.integer(v)}\u00a0{unite}".strip() for v in valeurs], fontsize=7, padding=2
    )
    ax.yaxis.set_major_formatter(_french)
    ax.set_ylim(0, max(valeurs or [1]) * 1.18 or 1)
    if titre:
        ax.set_title(titre, loc="left")
    return _png(fig)


@_locked
def barres_horizontales(
    labels: list[str], valeurs: list[float], *, unite: str, titre: str = "", size=(6.8, 3.4)
) -> bytes:
    """Horizontal bars (largest first, at the top), each labelled with its French value."""
    fig, ax = plt.subplots(figsize=size)
    y = list(range(len(labels)))[::-1]
    bars = ax.barh(y, valeurs, color=BLEU, edgecolor="black", linewidth=0.4)
    ax.set_yticks(y, labels=labels, fontsize=7)
    ax.bar_label(bars, labels=[f"{fmt.integer(v)}\u00a0{unite}" for v in valeurs], fontsize=6.5, padding=2)
    ax.xaxis.set_major_formatter(_french)
    ax.set_xlim(0, max(valeurs or [1]) * 1.2 or 1)
    if titre:
        ax.set_title(titre, loc="left")
    return _png(fig)


@_locked
def barres_empilees(
    annees: list[int],
    series: dict[str, list[float]],
    *,
    masques: dict[str, list] | None = None,
    titre: str = "",
    size=(6.8, 2.8),
) -> bytes:
    """Stacked horizontal bars per year (one segment per series), told apart by colour and hatching.

    A masked value (NaN, its word in `masques`, see impact.privacy.chart_data) has no segment: the words of a
    year's masked series are written after its bar ("Emploi durable < 5"); with every value masked, the bars
    and the numeric scale are not drawn at all."""
    fig, ax = plt.subplots(figsize=size)
    colors = (BLEU, ORANGE, VERT, VERMILLON, ROSE, CIEL)
    y = [str(a) for a in annees][::-1]
    left = [0.0] * len(annees)
    words: dict[str, list[str]] = {a: [] for a in y}
    for name, ws in (masques or {}).items():
        for a, w in zip([str(a) for a in annees], ws, strict=True):
            if isinstance(w, str):
                words[a].append(f"{name} {w}")
    for i, (name, vals) in enumerate(series.items()):
        vals = [0.0 if pd.isna(v) else v for v in list(vals)[::-1]]
        bars = ax.barh(
            y,
            vals,
            left=left,
            color=colors[i % 6],
            hatch=HATCHES[i % 6],
            edgecolor="black",
            linewidth=0.4,
            label=name,
        )
        ax.bar_label(
            bars, labels=[fmt.integer(v) if v else "" for v in vals], label_type="center", fontsize=7
        )
        left = [a + b for a, b in zip(left, vals, strict=True)]
    for j, a in enumerate(y):
        if words[a]:
            ax.annotate(
                " ; ".join(words[a]),
                (left[j], j),
                xytext=(4, 0),
                textcoords="offset points",
                va="center",
                fontsize=7,
            )
    ax.xaxis.set_major_formatter(_french)
    if not any(left):
        ax.set_xlim(0, 1)
        ax.xaxis.set_visible(False)
    ax.legend(
        loc="upper center", bbox_to_anchor=(0.5, -0.15), ncol=min(len(series), 4), fontsize=7, frameon=False
    )
    if titre:
        ax.set_title(titre, loc="left")
    return _png(fig)
