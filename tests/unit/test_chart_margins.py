"""Margins found on the server (impact.chart_margins). That plotly then draws each chart once, with these
margins, is checked in the browser (tests/e2e: DRAWN_ONCE pages); here, what the server measures and sets."""

import pandas as pd
import plotly.graph_objects as go
import pytest

from impact import chart_margins, charts, maps

# DejaVu Sans: 2 048 units to the em, every digit 1 303 units wide (the font's hmtx table).
DIGIT_16PX = 1303 / 2048 * 16


def test_texts_are_measured_in_the_charts_font():
    assert chart_margins.text_size("0000", 16) == (pytest.approx(4 * DIGIT_16PX, abs=0.2), 1)
    # plotly's <br> breaks a label: the widest line, two lines; other tags are not drawn
    wide, lines = chart_margins.text_size("12<br>1234", 16)
    assert (wide, lines) == (pytest.approx(4 * DIGIT_16PX, abs=0.2), 2)
    assert chart_margins.text_size("<b>00</b>", 16)[0] == pytest.approx(2 * DIGIT_16PX, abs=0.2)


def _hbars(labels, values, **kw):
    return charts.hbars(
        pd.DataFrame({"nom": labels, "heures": values}), "nom", "heures", y_title="heures", **kw
    )


def test_left_margin_holds_the_longest_category_label():
    fig = _hbars(["Sèvremoine", "Beaupréau-en-Mauges"], [1200.0, 3400.0])
    longest = chart_margins.text_size("Beaupréau-en-Mauges", 16)[0]
    need = chart_margins.needed(fig)
    assert longest < need["l"] <= longest + chart_margins.LABEL_GAP + chart_margins.PAD + 1
    # a numeric axis with its title below: one line of labels, the title
    assert need["b"] > 16 * chart_margins.LINE + 19


def test_fit_widens_margins_and_never_narrows_them():
    fig = _hbars(["Sèvremoine", "Beaupréau-en-Mauges"], [1200.0, 3400.0])
    right = fig.layout.margin.r
    chart_margins.fit(fig)
    need = chart_margins.needed(fig)
    assert fig.layout.margin.l == need["l"] and fig.layout.margin.b == need["b"]
    assert fig.layout.margin.r == right  # the room kept for the values written past the bars
    fig.update_layout(margin={"l": 900})
    assert chart_margins.fit(fig).layout.margin.l == 900


def test_numbers_on_the_value_axis_as_wide_as_the_largest_value_can_be_written():
    # vertical bars up to 38 110 h: ticks up to 40 000, written "40 000" (five digits)
    df = pd.DataFrame({"annee": ["2024", "2025"], "heures": [12_000.0, 38_110.0]})
    need = chart_margins.needed(charts.bars(df, "annee", "heures", unit="h", y_title="heures"))
    five = chart_margins.text_size("88\u202f888", 16)[0]
    title = round(1.2 * 16) + chart_margins.TITLE_GAP_LEFT
    assert need["l"] == pytest.approx(five + chart_margins.LABEL_GAP + title + chart_margins.PAD, abs=1)


def test_the_room_figure_is_measured_like_the_laptop_one():
    # charts.for_room rebuilds the figure from its dict: numbers arrive as plotly's base64 typed arrays
    df = pd.DataFrame({"annee": ["2024", "2025"], "heures": [12_000.0, 38_110.0]})
    fig = charts.bars(df, "annee", "heures", unit="h", y_title="heures")
    room = charts.for_room(fig)
    assert isinstance(room.data[0].y, dict) and "bdata" in room.data[0].y
    laptop, projector = chart_margins.needed(fig), chart_margins.needed(room)
    # the same digits, at the room's larger size
    assert projector["l"] - laptop["l"] == pytest.approx(
        chart_margins.text_size("88\u202f888", 20)[0]
        - chart_margins.text_size("88\u202f888", 16)[0]
        + charts.ROOM_FONT
        - round(1.2 * 16),  # the axis title: the room's 20 px, the laptop's plotly default (1,2 × 16)
        abs=1,
    )


def test_labels_that_plotly_would_turn_leave_the_bottom_margin_to_plotly():
    few = pd.DataFrame({"annee": ["2024", "2025"], "heures": [1.0, 2.0]})
    assert "b" in chart_margins.needed(charts.bars(few, "annee", "heures"))
    many = pd.DataFrame({"annee": [f"Structure numéro {i}" for i in range(12)], "heures": [1.0] * 12})
    need = chart_margins.needed(charts.bars(many, "annee", "heures"))
    assert "b" not in need and "l" in need
    # on a projector's wider chart, the same labels may fit: measured at that width
    assert "b" in chart_margins.needed(charts.bars(few, "annee", "heures"), chart_margins.ROOM_WIDTH)


def test_years_at_an_angle_get_the_depth_of_their_turned_labels():
    """Eight years stand at 45° (charts._years_flat): the bottom margin holds them turned, else plotly drew the
    chart twice (b 36 → 59 on the Fiche commune, measured in the browser tests)."""
    years = pd.DataFrame({"annee": [str(y) for y in range(2018, 2026)], "heures": [1.0] * 8})
    fig = charts.bars(years, "annee", "heures")
    assert fig.layout.xaxis.tickangle == -45
    w, _ = chart_margins.text_size("2025", 16)
    turned = chart_margins.needed(fig)["b"]
    flat = chart_margins.needed(charts.bars(years.iloc[:3], "annee", "heures"))["b"]
    assert turned > flat and turned >= w * 0.7 + 16 * chart_margins.LINE * 0.7 + chart_margins.LABEL_GAP


def test_a_legend_on_one_row_gets_its_top_margin_a_longer_one_is_left_to_plotly():
    def grouped(names):
        df = pd.DataFrame(
            {"annee": ["2024", "2025"] * len(names), "série": [n for n in names for _ in range(2)], "v": 1.0}
        )
        return charts.bars(df, "annee", "v", color="série", stacked=False)

    assert chart_margins.needed(grouped(["Prévues", "Réalisées"]))["t"] > 30
    long_names = [f"Une série au nom très long, numéro {i}" for i in range(4)]
    assert "t" not in chart_margins.needed(grouped(long_names))


def test_maps_and_other_charts_are_left_as_they_are():
    fig = go.Figure(go.Pie(labels=["a", "b"], values=[1, 2]), layout={"margin": {"l": 5}})
    assert chart_margins.needed(fig) == {}
    assert chart_margins.fit(fig).layout.margin.l == 5
    spec = {"data": [{"type": "scattergeo", "lat": [47.2], "lon": [-0.9]}], "layout": {"margin": {"l": 0}}}
    assert chart_margins.needed(maps.figure(spec)) == {}


def test_a_percent_axis_is_as_wide_as_the_ticks_it_draws():
    # rates up to 70 %: the axis is graduated to 100 % (charts.percent_axis) but draws "70 %" at most
    df = pd.DataFrame({"annee": ["2024", "2025"], "taux": [0.52, 0.70]})
    fig = charts.percent_axis(charts.bars(df, "annee", "taux", y_title="taux"))
    assert list(fig.layout.yaxis.ticktext)[-1] == "100\u00a0%"
    widest = chart_margins.text_size("70\u00a0%", 16)[0]
    title = round(1.2 * 16) + chart_margins.TITLE_GAP_LEFT
    assert chart_margins.needed(fig)["l"] == pytest.approx(
        widest + chart_margins.LABEL_GAP + title + chart_margins.PAD, abs=1
    )
