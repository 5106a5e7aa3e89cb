"""impact.fmt against Babel (CLDR's French locale), the reference library for French number and date formats.

fmt keeps its own few lines, for the rules CLDR does not hold (a dash for a missing value, "1er" for the first
day, never "-0") and because it runs for every cell and hover of a page; these tests
make sure that where both speak, they write the same characters (narrow no-break space between thousands,
decimal comma, no-break space before a unit, month abbreviations)."""

from datetime import date

import pytest
from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

from impact import fmt

LOCALE = "fr_FR"
VALUES = [0, 7, 42, 999, 1000, 4500, 12_345, 208_382, 1_234_567, 3_409_510, -3, -1250, -987_654]


@pytest.mark.parametrize("value", VALUES + [1234.56, 0.04, 99_999.94, 47_404.56, -3.52])
def test_numbers_are_cldr_french(value):
    assert fmt.integer(value) == format_decimal(round(value), format="#,##0", locale=LOCALE)
    assert fmt.number(value, 1) == format_decimal(value, format="#,##0.0", locale=LOCALE)


@pytest.mark.parametrize("value", VALUES)
def test_units_follow_the_number_after_a_no_break_space(value):
    number = format_decimal(value, format="#,##0", locale=LOCALE)
    assert fmt.hours(value) == f"{number}\u00a0h"
    assert fmt.euros(value) == f"{number}\u00a0€"


@pytest.mark.parametrize("fraction", [0, 0.004, 0.1, 0.5, 0.625, 0.587, 0.9999, 1])
def test_percents_are_cldr_french(fraction):
    assert fmt.percent(fraction) == format_percent(fraction, format="#,##0.0\u00a0%", locale=LOCALE)
    assert fmt.percent(fraction, 0) == format_percent(fraction, locale=LOCALE)


@pytest.mark.parametrize("month", range(1, 13))
def test_month_names_and_abbreviations_are_cldr_french(month):
    d = date(2026, month, 15)
    assert fmt.month(d) == format_date(d, "MMMM y", locale=LOCALE)
    assert fmt.month_short(d) == format_date(d, "MMM y", locale=LOCALE)
    assert fmt.day(d) == format_date(d, "dd/MM/yyyy", locale=LOCALE)
    assert fmt.day_long(d) == format_date(d, "d MMMM y", locale=LOCALE)
    # the first of the month is written "1er", a French rule CLDR leaves to the writer
    assert fmt.day_long(d.replace(day=1)) == "1er " + format_date(d, "MMMM y", locale=LOCALE)
