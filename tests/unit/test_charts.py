"""Chart builders: the plotly_white template set without plotly's validation gives plotly's own figure."""

import json
from datetime import date

import pandas as pd
import plotly.graph_objects as go
import pytest

from impact import charts


def _built(df):
    return [
        json.loads(fig.to_json())
        for fig in (
            charts.bars(df, "annee", "heures", unit="h"),
            charts.lines(df, "annee", "heures"),
            charts.hbars(df, "annee", "heures"),
        )
    ]


def test_white_template_set_fast_is_the_validated_one(monkeypatch):
    df = pd.DataFrame({"annee": ["2024", "2025"], "heures": [1200.0, 3400.5]})
    fast = _built(df)
    # plotly's own path: the registered template validated and deep-copied into the figure
    monkeypatch.setattr(charts, "_set_template", lambda fig: fig.update_layout(template="plotly_white"))
    assert fast == _built(df)
    assert fast[0]["layout"]["template"]["layout"]["plot_bgcolor"] == "white"


def test_an_axis_without_title_has_none_not_an_empty_one():
    """Plotly keeps a blank line under an axis whose title is "" (about 20 px of a chart on a projector)."""
    df = pd.DataFrame({"annee": ["2024", "2025"], "heures": [1200.0, 3400.5]})
    fig = charts.bars(df, "annee", "heures", y_title="heures")
    assert fig.layout.xaxis.title.text is None and fig.layout.yaxis.title.text == "heures"
    assert "text" not in fig.to_dict()["layout"]["xaxis"]["title"]


def test_more_than_max_bars_draws_the_largest_and_says_so():
    n = charts.MAX_BARS + 15
    df = pd.DataFrame(
        {"structure": [f"S{i:02d}" for i in range(n)], "heures_travaillees": [float(i) for i in range(n)]}
    )
    fig = charts.hours_hbars(df, "structure")
    drawn = list(fig.data[0].y)
    # the MAX_BARS largest (S15 … S39), in the table's order; the 15 smallest are not drawn
    assert drawn == [f"S{i:02d}" for i in range(15, n)]
    assert fig.layout.title.text == (
        f"Les {charts.MAX_BARS} plus grandes valeurs sur {n} :<br>toutes dans le tableau des valeurs"
    )
    assert fig.layout.height == 80 + 36 * charts.MAX_BARS


def test_a_masked_category_counts_last_and_few_categories_are_all_drawn():
    n = charts.MAX_BARS + 1
    df = pd.DataFrame({"nom": [f"C{i}" for i in range(n)], "personnes": [None] + [10.0] * (n - 1)})
    assert "C0" not in list(charts.hbars(df, "nom", "personnes").data[0].y)
    few = df.iloc[: charts.MAX_BARS]
    fig = charts.hbars(few, "nom", "personnes")
    assert list(fig.data[0].y) == list(few["nom"]) and fig.layout.title.text is None


def test_share_axis_is_graduated_in_french_percentages():
    df = pd.DataFrame({"type": ["ACI", "EI"], "part": [0.62, 0.31]})
    axis = charts.share_hbars(df, "type", "part", xmax=0.7).layout.xaxis
    # "60 %" with a no-break space, as every percentage of the dashboard; plotly's ".0%" writes "60%". Every
    # 20 points beyond 50 %: ten ticks stood on their side under a narrow chart.
    assert list(axis.ticktext) == ["0\u00a0%", "20\u00a0%", "40\u00a0%", "60\u00a0%"]
    assert list(axis.tickvals) == [0, 0.2, 0.4, 0.6]
    assert axis.tickformat is None and list(axis.range) == [0, 0.7]
    # Up to 50 %, every 10 points.
    assert list(charts.share_hbars(df, "type", "part", xmax=0.4).layout.xaxis.tickvals) == [
        0,
        0.1,
        0.2,
        0.3,
        0.4,
    ]


def test_timeline_labels_wrap_above_their_bars_whole():
    """A contract's title above its bar goes on to a second line rather than past the chart's edge or into
    "…"; the rows grow for it and the bars stay as thick."""
    short = "Relève des compteurs"
    long = "Entretien des espaces verts des équipements communautaires (marché réservé EA/ESAT)"
    df = pd.DataFrame(
        {"t": [short, long], "a": ["2024-01-01", "2025-01-01"], "b": ["2024-12-31", "2026-06-30"]}
    )
    fig = charts.timeline(df, "t", "a", "b")
    texts = [a.text for a in fig.layout.annotations]
    assert texts[0] == short and texts[1].count("<br>") == 1 and texts[1].replace("<br>", " ") == long
    assert all(len(line) <= charts.TIMELINE_WRAP for line in texts[1].split("<br>"))
    one_line = charts.timeline(df.iloc[:1].assign(t="x"), "t", "a", "b")
    row = charts.TIMELINE_ROW + charts.LINE_PX
    assert fig.layout.height == max(300, 90 + 2 * row)
    # as thick in pixels as a bar of one-line rows
    assert fig.data[0].width * row == pytest.approx(one_line.data[0].width * charts.TIMELINE_ROW)


def test_a_timeline_taller_than_a_screen_writes_its_years_on_top_too():
    """The Marchés timeline is three screens tall on a projector: its first bars had no year to be read by. Past
    TIMELINE_TOP_AXIS_PX, a second axis on top, tied to the first, writes the same years (an invisible trace
    holds it), and the legend stands above them."""
    rows = 20  # 90 + 20 × 50 px = 1 090 px
    df = pd.DataFrame(
        {"t": [f"Marché {i}" for i in range(rows)], "a": ["2019-03-01"] * rows, "b": ["2026-06-30"] * rows}
    )
    tall = charts.timeline(df, "t", "a", "b")
    assert tall.layout.height > charts.TIMELINE_TOP_AXIS_PX
    top = tall.layout.xaxis2
    assert (top.side, top.overlaying, top.matches) == ("top", "x", "x")
    assert (top.tickformat, top.dtick) == ("%Y", "M12")  # the years of the axis below
    (holder,) = [t for t in tall.data if t.xaxis == "x2"]
    assert list(holder.x) == ["2019-03-01", "2026-06-30"] and holder.marker.opacity == 0
    assert holder.hoverinfo == "skip" and holder.showlegend is False
    assert tall.layout.legend.y > 1 + (charts.TOP_AXIS_PX - 1) / tall.layout.height
    short = charts.timeline(df.iloc[:3], "t", "a", "b")
    assert "xaxis2" not in short.layout.to_plotly_json() and all(t.xaxis != "x2" for t in short.data)


def test_horizontal_bars_wrap_long_labels_and_keep_room_for_the_longest_value():
    long = "Demandeurs d'emploi de très longue durée (DETLD, 24 mois et plus)"
    df = pd.DataFrame({"public": ["Femmes", long], "heures_travaillees": [4067.0, 12.0]})
    fig = charts.hours_hbars(df, "public")
    lines = list(fig.data[0].y)
    # cut at a word boundary into two lines of at most WRAP_CHARS, the words all kept, in order
    assert lines[0] == "Femmes" and lines[1].count("<br>") == 1
    assert lines[1].replace("<br>", " ") == long
    assert all(len(part) <= charts.WRAP_CHARS for part in lines[1].split("<br>"))
    # the hover names the category in full, on one line
    assert fig.data[0].hovertext[1].startswith(long + " : ")
    # a contract's title on three lines, every word kept
    title = "Mise à disposition auprès de particuliers, associations et collectivités, chantiers ponctuels"
    three = charts.hours_hbars(pd.DataFrame({"a": [title], "heures_travaillees": [5.0]}), "a")
    assert three.data[0].y[0].count("<br>") == 2 and three.data[0].y[0].replace("<br>", " ") == title
    assert three.layout.height >= 80 + 3 * charts.LINE_PX
    # longer still: the third line ends with "…", the hover keeps every word
    longer = title + " du territoire des Mauges, avec encadrement technique renforcé"
    cut = charts.hours_hbars(pd.DataFrame({"a": [longer], "heures_travaillees": [5.0]}), "a")
    first, second, third = cut.data[0].y[0].split("<br>")
    assert third.endswith("…") and len(third) <= charts.WRAP_CHARS and longer.startswith(f"{first} {second}")
    assert cut.data[0].hovertext[0].startswith(longer + " : ")
    # the figure grows for two-line labels, and the right margin holds "4 067 h" (the longest value)
    assert fig.layout.height >= 80 + 2 * charts.LINE_PX * 2
    assert fig.layout.margin.r == 10 + charts.LABEL_CHAR_PX * len("4\u202f067\u00a0h")
    # short labels: nothing cut, the margin as narrow as the values
    short = charts.hours_hbars(df.iloc[:1], "public")
    assert list(short.data[0].y) == ["Femmes"]


def test_room_figures_give_horizontal_bars_taller_rows():
    df = pd.DataFrame({"public": ["Femmes", "Moins de 26 ans"], "part": [0.41, 0.08]})
    bars = charts.share_hbars(df, "public", "part", xmax=0.5, height=520)
    assert charts.for_room(bars).layout.height == 520 * charts.ROOM_FONT // charts.BODY_FONT
    columns = charts.bars(df, "public", "part", height=420)  # vertical: the height stays
    assert charts.for_room(columns).layout.height == 420


def _room_by_plotly_updates(fig):
    """for_room written with plotly's own update calls (what it was; 33 ms a chart): the reference."""
    fig = go.Figure(fig)
    fig.update_layout(
        font={"size": charts.ROOM_FONT, "color": charts.INK},
        legend={"font": {"size": charts.ROOM_FONT}},
        hoverlabel={"font_size": charts.ROOM_FONT},
    )
    ink = {"size": charts.ROOM_FONT, "color": charts.INK}
    fig.update_xaxes(tickfont=ink, title_font=ink)
    fig.update_yaxes(tickfont=ink, title_font=ink)
    fig.update_traces(textfont={"size": charts.ROOM_FONT - 2}, selector={"type": "bar"})
    fig.update_traces(textfont={"size": charts.ROOM_FONT - 2}, selector={"mode": "text"})
    fig.update_annotations(font={"size": charts.ROOM_FONT - 2})
    if any(t.type == "bar" and t.orientation == "h" for t in fig.data):
        fig.update_layout(height=round(fig.layout.height * charts.ROOM_FONT / charts.BODY_FONT))
    return fig


def test_room_figure_is_the_one_plotly_updates_give():
    df = pd.DataFrame(
        {
            "annee": ["2024", "2024", "2025"],
            "type": ["ACI", "EI", "ACI"],
            "personnes": [12.0, float("nan"), 3.0],
        }
    )
    masked = df.assign(personnes__masque=[None, "< 5", None])
    for fig in (
        charts.bars(df, "annee", "personnes", color="type"),  # stacked, with the totals' text trace
        charts.hbars(masked, "annee", "personnes", color="type", stacked=False),  # an annotation "< 5"
        charts.lines(df, "annee", "personnes", color="type"),
        charts.share_hbars(df.fillna(0), "annee", "personnes", xmax=20),
    ):
        before = fig.to_json()
        room = json.loads(charts.for_room(fig).to_json())
        assert room == json.loads(_room_by_plotly_updates(fig).to_json())
        assert fig.to_json() == before  # the figure given is left as it was


def test_grouped_bars_keep_a_gap_so_their_values_never_touch():
    """Helper review of 2026-12-05: two bars of a group as tall as each other wrote "3 874 h3 893 h" (Heures,
    public and private hours in 2021). A gap between the bars of a group keeps their values apart; stacked
    bars and single series have none."""
    df = pd.DataFrame({"annee": ["2021", "2021"], "secteur": ["public", "privé"], "heures": [3874.0, 3893.0]})
    assert (
        charts.bars(df, "annee", "heures", color="secteur", stacked=False, unit="h").layout.bargroupgap
        == 0.08
    )
    assert charts.bars(df, "annee", "heures", color="secteur", unit="h").layout.bargroupgap is None
    assert charts.bars(df.iloc[:1], "annee", "heures", unit="h").layout.bargroupgap is None


def test_columns_of_hours_from_10_000_h_write_their_values_whole_and_their_unit_on_the_axis():
    """Helper review of 2026-12-06: the Fiche commune's years read "24,2 k h", "31,5 k h", the only "k h" of the
    dashboard ("31 541 h" everywhere else). From 10 000 h on, the labels are whole numbers without their
    unit, the axis titled "heures"; the hover keeps the unit; below, the labels keep it."""
    df = pd.DataFrame({"annee": ["2024", "2025"], "heures": [31_541.0, 4_500.0]})
    fig = charts.bars(df, "annee", "heures", unit="h")
    assert list(fig.data[0].text) == ["31\u202f541", "4\u202f500"]
    assert fig.layout.yaxis.title.text == "heures"
    assert [h.replace("\u202f", " ").replace("\u00a0", " ") for h in fig.data[0].hovertext] == [
        "2024 : 31 541 h",
        "2025 : 4 500 h",
    ]
    small = charts.bars(df.assign(heures=[9_999.0, 4_500.0]), "annee", "heures", unit="h")
    assert list(small.data[0].text) == ["9\u202f999\u00a0h", "4\u202f500\u00a0h"]


def test_empty_bars_side_by_side_carry_no_zero_label():
    """Heures, Orée d'Anjou 2022: the year 2019 of the three measures side by side wrote "0 h0 h0 h", the only
    labels of the chart (the others, wider than their bars, are hidden). An empty bar reads as nothing; a
    bar alone keeps its "0 h"."""
    df = pd.DataFrame(
        {
            "annee": ["2019"] * 3 + ["2020"] * 3,
            "mesure": ["a", "b", "c"] * 2,
            "heures": [0, 0, 0, 334.0, 58.0, 0],
        }
    )
    fig = charts.bars(df, "annee", "heures", color="mesure", stacked=False, unit="h")
    assert [list(t.text) for t in fig.data] == [["", "334\u00a0h"], ["", "58\u00a0h"], ["", ""]]
    alone = charts.bars(df[df["mesure"] == "a"], "annee", "heures", unit="h")
    assert list(alone.data[0].text) == ["0\u00a0h", "334\u00a0h"]


def test_a_group_with_one_rate_hidden_keeps_its_other_bar_and_says_which_one_is_hidden():
    """Helper review of 2026-12-05: a structure whose lasting-job rate was hidden lost both bars (avec_taux kept
    only groups with both rates). Now the dynamic rate keeps its bar; the hidden one is written in its own
    bar's place, under it, with its name (no colour to tell it)."""
    from impact import privacy
    from impact.indicators import sorties

    df = pd.DataFrame(
        {
            "structure_nom": ["Alise ACI", "Alise AI"],
            "taux_sortie_dynamique": [0.5625, 0.6875],
            "taux_sortie_emploi_durable": [privacy.TAUX_MASQUE, 0.3125],
        }
    )
    shown = sorties.avec_taux(df)
    assert list(shown["structure_nom"]) == ["Alise ACI", "Alise AI"]
    long = sorties.taux_long(shown, "structure_nom")
    fig = charts.hbars(
        long, "structure_nom", "valeur", color="taux", stacked=False, value_fmt=lambda v: f"{v:.0%}"
    )
    notes = fig.layout.annotations
    # "masqué" alone: "masqué (petit effectif)" ran past the plot of a half screen; the caption says why
    assert [n.text for n in notes] == [f"Taux de sortie en emploi durable : {privacy.MASQUE_SECONDAIRE}"]
    # Second of two bars of the first group: below its centre (the axis runs downwards), in the bar's slot.
    assert notes[0].y == pytest.approx(0 + 0.5 * (1 - charts.BARGAP) / 2)
    durable = next(t for t in fig.data if t.name == "Taux de sortie en emploi durable")
    assert list(durable.text) == [privacy.MASQUE_SECONDAIRE, "31%"] and pd.isna(durable.x[0])  # no bar


def test_years_under_a_line_chart_stay_flat():
    """Half a 1024 px screen: "2026<br>(au 30/09)" is wider than its slot and plotly stood every year on its
    side; a line chart keeps them flat, and past YEARS_FLAT years at 45° (eight years flat ran together in
    half a 1280 px screen). Other categories keep plotly's choice."""
    years = pd.DataFrame({"annee": ["2024", "2025", "2026<br>(au 30/09)"], "n": [10, 12, 7]})
    assert charts.lines(years, "annee", "n").layout.xaxis.tickangle == 0
    eight = pd.DataFrame({"annee": [str(y) for y in range(2019, 2027)], "n": range(8)})
    assert charts.lines(eight, "annee", "n").layout.xaxis.tickangle == -45
    assert charts.bars(eight, "annee", "n").layout.xaxis.tickangle == -45  # not stood on their side
    assert charts.bars(years, "annee", "n").layout.xaxis.tickangle == 0
    names = pd.DataFrame({"commune": ["Sèvremoine", "Orée d'Anjou"], "n": [10, 12]})
    assert charts.lines(names, "commune", "n").layout.xaxis.tickangle is None


def test_masked_points_of_a_named_series_write_inwards_and_on_two_rows():
    """Helper review of 2026-12-06, Vue d'ensemble of Orée d'Anjou 2025 on a half screen: "Salariés en parcours
    (IAE) / masqué", centred on 2019 and on 2026, ran over the value axis and past the chart's right edge. At
    the first and last years the text runs inwards, and every other one stands a row higher."""
    from impact import privacy

    iae = "Salariés en parcours (IAE)"
    df = pd.DataFrame(
        {
            "annee": ["2019", "2020", "2021"] * 2,
            "serie": ["Personnes employées"] * 3 + [iae] * 3,
            "personnes": [22.0, 40.0, 31.0, float("nan"), 32.0, float("nan")],
            "personnes" + privacy.MARQUE: [None] * 3
            + [privacy.MASQUE_SECONDAIRE, None, privacy.MASQUE_SECONDAIRE],
        }
    )
    notes = charts.lines(df, "annee", "personnes", color="serie").layout.annotations
    assert [(n.text, n.x, n.xanchor) for n in notes] == [
        (f"{iae}<br>{privacy.MASQUE_SECONDAIRE}", 0, "left"),
        (f"{iae}<br>{privacy.MASQUE_SECONDAIRE}", 2, "right"),
    ]
    assert notes[1].yshift > notes[0].yshift


def test_a_hidden_share_is_written_in_its_bar_place():
    """Emplois, presentation 2025: the QPV share is hidden; its row had no bar and no word, read as zero."""
    from impact import privacy
    from impact.indicators import emplois

    shown = pd.DataFrame({"libelle": ["Femmes", "Habitants d'un QPV"], "part": [0.443, privacy.TAUX_MASQUE]})
    data, top = emplois.publics_graphique(shown)
    fig = charts.share_hbars(data, "libelle", "part", top)
    assert [(a.text, a.y) for a in fig.layout.annotations] == [(privacy.TAUX_MASQUE, 1)]
    assert pd.isna(fig.data[0].x[1])  # no bar
    # Written on the zero line, the word takes no room past the bars' ends: the right margin holds "44,3 %"
    # (it held the 23 letters of the word, and the plot of a half screen shrank to 230 px).
    assert fig.layout.margin.r < 10 + charts.LABEL_CHAR_PX * len(privacy.TAUX_MASQUE)


def test_bars_by_year_hatch_the_year_being_recorded():
    """A year still recorded (data to 30/09/2026) is hatched and lighter, its category says so; a complete year
    is drawn plain; its label keeps the figure alone (the axis says "au 30/09")."""
    df = pd.DataFrame({"annee": [2025, 2026], "heures_travaillees": [4_500.0, 3_000.0]})
    trace = charts.bars_by_year(df, "heures_travaillees", date(2026, 9, 30), unit="h").data[0]
    assert list(trace.x) == ["2025", "2026<br>(au 30/09)"]
    assert list(trace.marker.pattern.shape) == ["", "/"]
    assert trace.marker.color[0] != trace.marker.color[1]
    assert [t.replace("\u202f", " ").replace("\u00a0", " ") for t in trace.text] == ["4 500 h", "3 000 h"]
    complete = charts.bars_by_year(df, "heures_travaillees", date(2026, 12, 31), unit="h").data[0]
    assert list(complete.x) == ["2025", "2026"] and complete.marker.pattern.shape == ""


def test_a_legend_lists_its_colours_in_the_order_of_the_bars():
    """Plotly lists a stacked chart's legend backwards by default: over the Heures page's hours by contract,
    « Partenariats privés » came before « Marchés publics », whose blue bars come first."""
    df = pd.DataFrame(
        {"marche": ["A", "B"], "nature": ["Marchés publics", "Partenariats privés"], "heures": [10.0, 5.0]}
    )
    fig = charts.bars(df, "marche", "heures", color="nature", horizontal=True, stacked=True, unit="h")
    assert [t.name for t in fig.data if t.type == "bar"] == ["Marchés publics", "Partenariats privés"]
    assert fig.layout.legend.traceorder == "normal"
