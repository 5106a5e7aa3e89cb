"""The figure blocks every page draws with: a key figure with its definition, a chart with its caption and
the table behind it (masked in a masked view, with its CSV download), rates with their n/N.

Pages stay thin: they read the context (impact.view), call impact.indicators through `view.call`, and
draw with these helpers. Changes when the way a figure is shown changes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

import pandas as pd
import streamlit as st

from impact import chart_margins, charts, columns, export, fmt, privacy, view
from impact.definitions import DEFINITIONS, help_text
from impact.view import context

# --- Figures ---------------------------------------------------------------------------------------


class Note(str):
    """The line under a key figure that is not a change ("3 publics, 2 privés"): grey, with no arrow."""


# Key figures whose change is neither good nor bad by itself (fewer exits can mean people staying longer on
# their path): their change reads in grey on every page.
SANS_SENS = ("sorties",)


def metric(
    label: str,
    value: str,
    definition: str | None = None,
    delta: str | None = None,
    delta_color="normal",
    delta_arrow="auto",
):
    """A key figure with its definition one click away (the ? icon); a delta that is a Note reads as a note;
    the change of a figure of SANS_SENS reads in grey. A change written with the minus sign "−" (fmt.sign) points
    down, in red (green for delta_color="inverse"): Streamlit itself only reads an ASCII hyphen."""
    if definition in SANS_SENS:
        delta_color = "off"
    if isinstance(delta, Note):
        delta, delta_color, delta_arrow = str(delta), "off", "off"
    elif isinstance(delta, str) and delta.startswith(fmt.MINUS) and delta_arrow == "auto":
        delta_arrow = "down"
        delta_color = {"normal": "red", "inverse": "green"}.get(delta_color, delta_color)
    st.metric(
        label,
        value,
        delta=delta,
        delta_color=delta_color,
        delta_arrow=delta_arrow,
        help=help_text(definition) if definition else None,
        border=True,
        height="stretch",  # the cards of a row as tall as the tallest (a label on two lines made them uneven)
    )


def metrics(*figures, n: int | None = None) -> list:
    """A row of key figures, each the arguments of `metric` (label, value, definition, delta...) in its own
    column; a None figure or `n` columns leave room for other blocks (rate_metrics). Returns the columns."""
    cols = st.columns(n or len(figures))
    for col, figure in zip(cols, figures, strict=False):
        if figure is not None:
            with col:
                metric(*figure)
    return cols


def people(n) -> str:
    """A count of people, masked in a masked view (privacy.count_text)."""
    return privacy.count_text(n, context().masked)


# A table shown for itself in presentation mode (room=...) is printed as a plain table up to this many rows: it
# wraps its long texts and shows every column on the projected screen, where the grid would cut them or scroll
# sideways. Longer ones stay in the grid (it scrolls, and keeps the page short).
ROOM_TABLE_ROWS = 50
# A grid of at most this many rows is shown whole; longer ones scroll inside their default height (10 rows).
GRID_WHOLE_ROWS = 15


def table(
    df: pd.DataFrame,
    *,
    filename: str,
    key: str | None = None,
    room: bool | list[str] = False,
    **options,
):
    """The table behind a figure, its columns named, formatted and rounded by the column vocabulary, masked
    in a masked view (counts of people, and rates that would give one back), with its CSV download (the
    same headers and rounding, the unit in the header). room: in presentation mode, print it plain for the
    room (ROOM_TABLE_ROWS), with these columns when a list (the download keeps them all). options: those of
    impact.columns.shown (keys, labels, count_columns, across_columns, rates, formats, and the fields of a
    header such as annee)."""
    ctx = context()
    if ctx.masked:  # the territory hides what one commune alone hides (view.communes_forced)
        counts = options.get("count_columns")
        counts = list(counts) if counts is not None else columns.people_columns(str(c) for c in df.columns)
        options["forced"] = view.communes_forced(
            df, counts, across_columns=options.get("across_columns", False), forced=options.get("forced")
        )
    shown = columns.shown(df, masked=ctx.masked, **options)
    cells = shown.cells()
    cells.attrs = {}  # not the view.Source: Streamlit would try to write it into the page, and warn
    if room and ctx.presentation and len(df) <= ROOM_TABLE_ROWS:
        if room is not True:  # columns of the whole table as masked: a cell hidden for its line stays hidden
            keys = [str(k) for k in options.get("keys") or df.columns]
            cells = cells.iloc[:, [keys.index(k) for k in room]]
        st.table(plain_cells(cells), hide_index=True)
    else:
        st.dataframe(
            cells,
            hide_index=True,
            width="stretch",
            column_config=_text_widths(cells),
            # A short table whole, without an inner scroll: the grid's default height cut its last row in half.
            height="content" if len(cells) <= GRID_WHOLE_ROWS else "auto",
        )
    st.download_button(
        "Télécharger le tableau (CSV pour Excel)",
        lambda: export.csv_bytes(shown.data, shown.formats),  # written when clicked, not on every run
        file_name=f"{filename}.csv",
        mime="text/csv",
        key=key or f"dl_{filename}",
        icon=":material/download:",
        on_click="ignore",
    )


# st.markdown and st.table read text as Markdown (and $ as LaTeX): the catch-all type "*" of the ETP bases was
# drawn as a list's bullet.
_MARKDOWN = re.compile(r"([\\`*_\[\]#|~$])|^([-+>])")


def plain_text(text: str) -> str:
    """A text that Markdown prints as written: its formatting characters escaped."""
    return _MARKDOWN.sub(lambda m: "\\" + m.group(0), text)


def plain_cells(cells: pd.DataFrame) -> pd.DataFrame:
    """The cells of a table printed by st.table, each read as written (plain_text)."""
    return cells.map(lambda v: plain_text(v) if isinstance(v, str) else v)


# A document's MIME type and icon, by the ending of its file name.
DOCUMENTS = {
    "pdf": ("application/pdf", ":material/picture_as_pdf:"),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ":material/description:",
    ),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ":material/table_view:"),
}


def document_button(label: str, build, file_name: str, *, key: str, primary: bool = False, **options):
    """The download of a document (PDF, Word, Excel), built only when clicked (`build` returns its bytes);
    options: those of st.download_button (help, width)."""
    mime, icon = DOCUMENTS[file_name.rsplit(".", 1)[-1]]
    st.download_button(
        label,
        data=build,
        file_name=file_name,
        mime=mime,
        icon=icon,
        type="primary" if primary else "secondary",
        key=key,
        on_click="ignore",
        **options,
    )


class Document(NamedTuple):
    """A document to download (see document_button)."""

    label: str
    build: Callable[[], bytes]
    file_name: str
    key: str
    primary: bool = False
    help: str | None = None


def document_buttons(*documents: Document):
    """Documents side by side, each button as wide as its column."""
    for col, d in zip(st.columns(len(documents)), documents, strict=True):
        with col:
            document_button(
                d.label, d.build, d.file_name, key=d.key, primary=d.primary, help=d.help, width="stretch"
            )


# The grid sizes a column to its content only up to about 30 characters (_AUTO_CHARS), then cuts the text with
# "…" (a type's label, a contract's title): a longer text column gets the width of its longest cell, as long as
# the table's columns all fit the grid of a 1280 px laptop with the sidebar open (GRID_PX); beyond, the long
# columns give up width, so that the figures beside them are not pushed out of sight: down to _AUTO_CHARS, and
# _LABEL_CHARS for the first column, which names the line (a contract's title is told from the others by then).
_CHAR_PX, _MAX_COLUMN_PX, _AUTO_CHARS, _LABEL_CHARS = 8, 640, 28, 40
GRID_PX = 760


def _column_px(chars: int) -> int:
    return _CHAR_PX * chars + 24


def _text_widths(cells: pd.DataFrame) -> dict:
    """The widths of the long text columns of a table of formatted cells (TextColumn configs)."""
    if cells.empty:
        return {}
    longest = {
        col: int(max(cells[col].astype(str).where(cells[col].notna(), "").str.len().max(), len(str(col))))
        for col in cells.columns
    }
    long = [c for c, n in longest.items() if n > _AUTO_CHARS]
    width = {c: min(_column_px(longest[c]), _MAX_COLUMN_PX) for c in long}
    others = sum(_column_px(min(n, _AUTO_CHARS)) for c, n in longest.items() if c not in width)
    excess = others + sum(width.values()) - GRID_PX
    floor = {
        c: min(width[c], _column_px(_LABEL_CHARS if c == cells.columns[0] else _AUTO_CHARS)) for c in width
    }
    room = sum(w - floor[c] for c, w in width.items())
    if excess > 0 and room > 0:  # each long column gives up its share of the excess, down to its floor
        width = {c: max(floor[c], round(w - excess * (w - floor[c]) / room)) for c, w in width.items()}
    return {c: st.column_config.TextColumn(width=w) for c, w in width.items()}


def withdrawn(
    data: pd.DataFrame,
    *,
    count_columns=None,
    across_columns: bool = False,
    forced: pd.DataFrame | None = None,
    keys=None,
    **_,
) -> bool:
    """In a masked view, whether a block of exit counts masked with the other tables of its selection (forced,
    see sorties.masques) is withdrawn (privacy.retire: every non-zero count hidden); the arguments are those
    of `table`, whose masking it repeats. Other blocks keep their "< 5": their other figures (hours) matter."""
    if not context().masked or data.empty or forced is None:
        return False
    if keys is not None:
        data = data[list(keys)]
    counts = columns.people_columns(str(c) for c in data.columns) if count_columns is None else count_columns
    return privacy.retire(data, list(counts), across_columns=across_columns, forced=forced)


def chart_block(
    title: str | None,
    fig,
    data: pd.DataFrame,
    *,
    caption: str,
    filename: str,
    empty_message: str | None = None,
    **table_options,
):
    """A sentence-title, the chart, its caption, and the data table behind it (RGAA: never a chart alone);
    table_options are those of `table` (keys, labels, count_columns, across_columns, rates, formats...).
    No data, or no figure (fig None: nothing to draw): `empty_message` (or the default one) instead.
    title None: the caller has written it (above a choice that changes it)."""
    if withdrawn(data, **table_options):  # one sentence instead of a title over an empty place
        empty(privacy.retires_texte(title) if title else privacy.RETIRE)
        return
    if title is not None:
        st.subheader(title)
    if data.empty or fig is None:
        empty(empty_message)
        return
    plot(fig, key=f"fig_{filename}")
    st.caption(caption)
    lazy_expander(
        "Voir le tableau des valeurs",
        f"voir_{filename}",
        lambda: table(data, filename=filename, **table_options),
    )


@st.fragment
def lazy_expander(label: str, key: str, draw: Callable[[], object]):
    """An expander whose content (`draw`) is computed and sent only while it is open: a page's tables of
    values cost neither the server (masking, formatting) nor the browser (the grid) until someone asks for
    them. Opening or closing it reruns this block alone (a fragment), not the page. `key` keeps it open
    across the page's reruns (a filter changed); a test opens it by setting st.session_state[key]."""
    with st.expander(label, key=key, on_change="rerun") as box:
        if box.open:
            draw()


def table_block(
    title: str,
    data: pd.DataFrame,
    *,
    caption: str | None = None,
    filename: str,
    empty_message: str | None = None,
    **table_options,
):
    """A sentence-title, the table (see `table`, room included) and the caption that says what its rows are;
    no data: `empty_message` (or the default one) instead of both."""
    if withdrawn(data, **table_options):  # one sentence instead of a title over an empty place
        empty(privacy.retires_texte(title))
        return
    st.subheader(title)
    if data.empty:
        empty(empty_message)
        return
    table(data, filename=filename, **table_options)
    if caption:
        st.caption(caption)


# No mode bar: its buttons are in English ("Download plot as a PNG", "Reset axes") and the room needs none.
# No mode bar in English, no zoom on scrolling the page (maps included); a map's geo subplot gets its empty base
# layers from the dashboard, never from plotly's CDN (charts.TOPOJSON_URL).
PLOTLY_CONFIG = {
    "displayModeBar": False,
    "displaylogo": False,
    "scrollZoom": False,
    "topojsonURL": charts.TOPOJSON_URL,
}


def plot(fig, *, key: str, config: dict | None = None, **kw):
    """A plotly figure as every page shows it: our own colours and fonts (not Streamlit's lighter theme),
    no English mode bar, larger text in presentation mode (charts.for_room), and margins that hold its texts
    (chart_margins: the browser draws it once)."""
    room = context().presentation
    if room and not any(trace.type in charts.MAP_TRACES for trace in fig.data):
        fig = charts.for_room(fig)
    chart_margins.fit(fig, chart_margins.ROOM_WIDTH if room else chart_margins.LAPTOP_WIDTH)
    return st.plotly_chart(fig, theme=None, key=key, config={**PLOTLY_CONFIG, **(config or {})}, **kw)


def empty(message: str | None = None):
    st.info(message or "Aucune donnée pour cette sélection (période, commune ou structure sans activité).")


def definition_expander(keys: list[str]):
    with st.expander("Définitions"):
        for k in keys:
            d = DEFINITIONS[k]
            st.markdown(f"**{d.label}** — {d.text}")


def chart_counts(
    df: pd.DataFrame,
    count_columns: list[str],
    *,
    across_columns: bool = False,
    forced: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The data a chart of people counts draws: in a masked view, the cells the table masks become empty
    and say how they read (privacy.chart_data), so that no bar, axis, hover or label gives one away. forced:
    the cells masked with other tables (its table passes the same)."""
    if not context().masked or df.empty:
        return df
    forced = view.communes_forced(df, list(count_columns), across_columns=across_columns, forced=forced)
    return privacy.chart_data(df, list(count_columns), across_columns=across_columns, forced=forced)


def count_hbars(
    df: pd.DataFrame,
    label: str,
    value: str,
    counts: list[str],
    *,
    y_title: str,
    per_bar: int,
    minimum: int = 300,
    across_columns: bool = False,
    forced: pd.DataFrame | None = None,
    keep: pd.Series | None = None,
):
    """Horizontal bars of a count of people (`value`), masked as its table is (chart_counts over `counts`),
    each bar labelled with its count, the figure as tall as its bars need. keep: the lines drawn (masked
    with the whole table first, so that a line left out changes nothing to the others)."""
    data = chart_counts(df, counts, across_columns=across_columns, forced=forced)
    if keep is not None:
        data = data[keep.to_numpy()]
    fig = charts.bars(
        data,
        label,
        value,
        horizontal=True,
        value_fmt=count_label,
        y_title=y_title,
        height=charts.bars_height(data, label, minimum, per_bar),
    )
    fig.update_yaxes(title=None)
    return fig


def count_label(v) -> str:
    """Bar label of a people count (a masked cell carries its own word, see charts.bars)."""
    return privacy.MASQUE if pd.isna(v) else fmt.integer(v)


def share_label(v) -> str:
    """Bar label of a share (an empty one was hidden by the privacy rule)."""
    return privacy.TAUX_MASQUE if pd.isna(v) else fmt.percent(v)


def rate(value, n, big_n) -> str:
    """A rate for a metric: "62,5 %", "non calculé" under MIN_SORTIES_TAUX exits, TAUX_MASQUE in a masked
    view when it would give back a count of fewer than SEUIL people (n, N − n or N)."""
    return privacy.rate_text(value, n, big_n, context().masked)


def counted(k: dict, key: str, noun: str) -> str:
    """A count of a kpis dict written with its noun under a key figure (beside): "22 formations", "< 5
    formations", "formations (nombre masqué)" when hidden besides its own rule."""
    n = beside(k, key)
    return f"{noun} (nombre masqué)" if n == privacy.MASQUE_SECONDAIRE else f"{people(n)} {noun}"


def beside(k: dict, key: str):
    """A count of a kpis dict as this view prints it beside the one it is paired with (privacy.beside): all
    the exits beside the examined ones, the people in an IAE path beside all those employed."""
    return privacy.beside(k, key, context().masked)


def exit_metrics(k: dict) -> None:
    """The row of exits of a kpis dict: all IAE exits, the exits examined, and the two official rates."""
    cols = metrics(
        ("Sorties (IAE)", people(beside(k, "sorties")), "sorties"),
        ("Sorties examinées", people(k["sorties_examinees"]), "sorties_examinees"),
        n=4,
    )
    rate_metrics(k, cols[2:4])


def rate_metrics(k: dict, columns) -> None:
    """The two official exit rates of a kpis dict, each with n/N where the privacy rule allows it, drawn in
    the two given columns."""
    masked = context().masked
    big_n = k["sorties_examinees"]
    for column, (label, key, n) in zip(
        columns,
        (
            ("Sorties dynamiques", "taux_sortie_dynamique", k["sorties_dynamiques"]),
            ("Sorties en emploi durable", "taux_sortie_emploi_durable", k["sorties_emploi_durable"]),
        ),
        strict=True,
    ):
        ratio = privacy.ratio_text(n, big_n, masked)
        value = rate(k[key], n, big_n)
        hidden = value == privacy.TAUX_MASQUE  # the short word in the tile, the reason under it
        with column:
            metric(
                label,
                privacy.MASQUE_SECONDAIRE if hidden else value,
                key,
                f"{ratio} sorties examinées"
                if ratio
                else ("petit effectif, " if hidden else "") + f"sur {people(big_n)} sorties examinées",
                "off",
                "off",
            )
